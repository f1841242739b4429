"""Terminal tables (render.py): golden text outputs at 100 and 200 columns in
each bidi mode, cell isolation, bracket mirroring, the terminal detection, cut
notices. The records and the summary are written here by hand (no corpus data).

Rewrite the golden files after a deliberate change, then review the diff:

    NEWSAN_UPDATE_GOLDEN=1 python -m pytest tests/test_render.py
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from newsan.render import (
    CLIP, FSI, LRO, PDF, PDI, choose_bidi, make_display, render_record, render_summary, timeline, visual_line,
)

GOLDEN = Path(__file__).parent / "data" / "render"
UPDATE = bool(os.environ.get("NEWSAN_UPDATE_GOLDEN"))


def _span(text: str, **extra: Any) -> dict[str, Any]:
    return {"text": text, "start": 0, "end": len(text), **extra}


LONG = ("وأضاف أن الفرق الطبية " + "تعمل ليلا ونهارا في المناطق المتضررة " * 8).strip()

RECORD: dict[str, Any] = {
    "id": "case-1",
    "title": "منظمة الصحة: لقاح (VSV-EBOV) فعال",
    "stats": {"quotes": 3, "entities": 2, "tokens": 120},
    "warnings": [],
    "quotes": [
        {"kind": "direct", "cue": _span("قال"), "content": _span("اللقاح (VSV-EBOV) فعال بنسبة [95%]"),
         "speaker": _span("تيدروس أدهانوم", canonical="تيدروس أدهانوم غيبريسوس"),
         "role": _span("المدير العام لمنظمة الصحة العالمية"), "addressee": _span("الصحفيين", canonical="الصحفيين"),
         "via": None},
        {"kind": "indirect", "cue": _span("ذكرت"), "content": _span("إن «الحملة» ستبدأ الأسبوع المقبل"),
         "speaker": None, "role": None, "addressee": None, "via": _span("وكالة رويترز", canonical="وكالة رويترز")},
        {"kind": "mixed", "cue": _span("أضاف"), "content": _span(LONG),
         "speaker": _span("الوزير", canonical="الوزير"), "role": None, "addressee": None, "via": None},
    ],
    "entities": [
        {"canonical": "منظمة الصحة العالمية", "label": "ORG", "aliases": ["الصحة العالمية", "WHO"], "count": 3,
         "mentions": []},
        {"canonical": "تيدروس أدهانوم غيبريسوس", "label": "PERS", "aliases": ["تيدروس"], "count": 2, "mentions": []},
    ],
}


def _days(n: int) -> dict[str, int]:
    import datetime as dt

    start = dt.date(2014, 1, 1)
    return {(start + dt.timedelta(days=i)).isoformat(): 1 + i % 3 for i in range(0, 2 * n, 2)}


SUMMARY: dict[str, Any] = {
    "documents": 742, "failed": 1, "failures": {"not UTF-8 text": 1}, "quotes": 2000,
    "top_speakers": [{"speaker": f"متحدث رقم {i}", "quotes": 40 - i, "addressees": {"الصحفيين": 2} if i == 0 else {},
                      "via": {"وكالة (واس)": 3} if i == 1 else {}} for i in range(20)],
    "top_entities": {
        "PERS": [{"canonical": f"شخص {i}", "mentions": 30 - i, "documents": 3} for i in range(15)],
        "LOC": [{"canonical": "الرياض", "mentions": 50, "documents": 9}],
        "ORG": [], "MISC": [],
    },
    "cooccurrence": [{"a": "الرياض", "b": "جدة", "sentences": 4}],
    "quotes_per_outlet": {f"outlet {i}": 30 - i for i in range(14)},
    "quotes_per_day": _days(742),
}


def _render(fn: Any, data: Any, mode: str, width: int, **kw: Any) -> str:
    console = Console(file=io.StringIO(), width=width, color_system=None, highlight=False)
    fn(data, console, make_display(mode), **kw)
    return console.file.getvalue()  # type: ignore[attr-defined]


CASES = [(kind, mode, width, full) for kind in ("record", "summary") for mode in ("terminal", "visual")
         for width in (100, 200) for full in ((False, True) if kind == "record" else (False,))]


@pytest.mark.parametrize("kind, mode, width, full", CASES)
def test_render_golden(kind: str, mode: str, width: int, full: bool) -> None:
    if kind == "record":
        out = _render(render_record, RECORD, mode, width, full=full)
    else:
        out = _render(render_summary, SUMMARY, mode, width)
    path = GOLDEN / f"{kind}-{mode}-{width}{'-full' if full else ''}.txt"
    if UPDATE:
        path.write_text(out, encoding="utf-8")
    assert out == path.read_text(encoding="utf-8")
    assert max(len(line) - sum(line.count(c) for c in (FSI, PDI, LRO, PDF)) for line in out.splitlines()) <= width


@pytest.mark.parametrize("width", [100, 200])
def test_render_terminal_isolates_every_rtl_line(width: int) -> None:
    """Column order holds in bidi terminals: no Arabic letter outside an isolate."""
    out = _render(render_record, RECORD, "terminal", width) + _render(render_summary, SUMMARY, "terminal", width)
    for line in out.splitlines():
        depth = 0
        for c in line:
            depth += (c == FSI) - (c == PDI)
            assert depth >= 0
            if "\u0600" <= c <= "\u06ff":
                assert depth == 1, line
        assert depth == 0, line


@pytest.mark.parametrize("full", [False, True])
def test_render_full_shows_whole_quotations(full: bool) -> None:
    assert len(LONG) > CLIP
    out = _render(render_record, RECORD, "terminal", 200, full=full)
    words = " ".join(w for line in out.splitlines() for w in line.replace(FSI, " ").replace(PDI, " ").split())
    assert (LONG.split()[-1] + " " in words + " ") and ("…" not in out) if full else ("…" in out)
    assert ("cut at 240 characters (--full shows them whole)" in out) is not full


@pytest.mark.parametrize(
    "logical, expected",
    [
        ("قال (VSV-EBOV) إن", "ﻥﺇ (VSV-EBOV) ﻝﺎﻗ"),
        ("«الحملة» ستبدأ", "ﺃﺪﺒﺘﺳ «ﺔﻠﻤﺤﻟﺍ»"),
        ("المرحلة [الأولى]", "[ﻰﻟﻭﻷﺍ] ﺔﻠﺣﺮﻤﻟﺍ"),
        ("abc (d) e", "abc (d) e"),
    ],
)
def test_render_visual_mirrors_brackets(logical: str, expected: str) -> None:
    from newsan.render import _reshaper

    base = "L" if logical[0].isascii() else "R"
    assert visual_line(_reshaper().reshape(logical), base) == expected


def test_render_visual_cells_are_overridden_ltr() -> None:
    """Visual lines carry LRO…PDF, so a terminal that does bidi does not reorder them again."""
    out = make_display("visual")("قال الوزير", None)
    assert out.startswith(LRO) and out.endswith(PDF)


@pytest.mark.parametrize(
    "env, to_terminal, mode",
    [
        ({"TMUX": "/tmp/tmux-0/default,1,0", "TERM": "tmux-256color"}, True, "visual"),
        ({"TERM": "screen-256color"}, True, "visual"),
        ({"TERM": "xterm-256color", "XTERM_VERSION": "XTerm(379)"}, True, "visual"),
        ({"TERM": "linux"}, True, "visual"),
        ({"TERM": "xterm-256color", "TERM_PROGRAM": "vscode"}, True, "visual"),
        ({"TERM": "xterm-256color", "VTE_VERSION": "7600"}, True, "terminal"),
        ({"TERM": "xterm-256color"}, True, "terminal"),  # unknown emulator: leave the text to it
        ({"TMUX": "x", "TERM": "tmux"}, False, "terminal"),  # a pipe or a file keeps logical text
    ],
)
def test_render_choose_bidi_auto(env: dict[str, str], to_terminal: bool, mode: str) -> None:
    chosen, note = choose_bidi("auto", to_terminal, env)
    assert chosen == mode
    assert (note is not None) == (mode == "visual")


@pytest.mark.parametrize("mode", ["terminal", "visual"])
def test_render_choose_bidi_explicit_wins(mode: str) -> None:
    assert choose_bidi(mode, True, {"TMUX": "x"}) == (mode, None)


@pytest.mark.parametrize(
    "days, unit, first",
    [({"2020-01-01": 1, "2020-02-15": 2}, "day", "2020-01-01"),
     ({"2020-01-01": 1, "2020-01-20": 2, "2020-06-15": 3}, "month", "2020-01"),
     ({"2010-01-01": 1, "2020-06-15": 3}, "year", "2010")],
)
def test_render_timeline_unit(days: dict[str, int], unit: str, first: str) -> None:
    got_unit, counts = timeline(days)
    assert got_unit == unit and next(iter(counts)) == first and sum(counts.values()) == sum(days.values())


def test_render_summary_says_what_it_cut() -> None:
    out = _render(render_summary, SUMMARY, "terminal", 100)
    assert "10 of 20 most quoted speakers shown" in out
    assert "10 of 15 most mentioned per label shown" in out
    assert "10 of 14 outlets shown" in out
    assert "Quotations per month" in out and "36 of 49 months shown (the latest; the first is 2014-01)" in out
