"""Rich terminal tables for analyses and the corpus view.

Terminals differ in how they show Arabic:

- Terminals with bidi support (VTE/GNOME Terminal, Konsole, mlterm, macOS
  Terminal) reorder and shape the logical text themselves. ``--bidi terminal``
  prints it as is, each line of each cell wrapped in Unicode directional
  isolates (FSI … PDI, UAX #9 §2.7), so that a right-to-left cell stays inside
  its column: without them an Arabic speaker name makes the terminal read the
  whole table row right to left and swaps the columns.
- Terminals without (xterm, tmux, screen, the Linux console, VS Code) show
  letters unjoined and left to right. ``--bidi visual`` shapes and reorders
  each line of each cell so it reads right there: the Unicode Bidirectional
  Algorithm of python-bidi (paired brackets included), with mirrored glyphs for
  characters on right-to-left levels, so ``(VSV-EBOV)`` stays ``(VSV-EBOV)``.
  Each visual line is then wrapped in LRO … PDF, so that a terminal that
  honours overrides (VTE) shows it as it is instead of reordering it a second
  time; mlterm does not, and needs ``--bidi terminal``.
- ``--bidi auto`` (the default) picks visual when the tables go to a terminal
  known to have no bidi support (:func:`choose_bidi`: tmux or screen by
  ``TMUX``/``TERM``, xterm by ``XTERM_VERSION``, ``TERM=linux``,
  ``TERM_PROGRAM=vscode``) and says so once on stderr; terminal otherwise.

Cells are wrapped here, in logical order, to widths computed from the console
width, and rich is told not to wrap them again: wrapping after reordering
would put the end of a sentence on its first line, and a line broken by rich
would lose its isolate. Only the display changes; exports always carry the
logical text.
"""

from __future__ import annotations

import os
import re
import textwrap
from collections import Counter
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any, Protocol

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

__all__ = ["render_record", "render_summary", "render_boards", "render_quotations", "render_time", "render_eval",
           "render_cv", "make_display", "choose_bidi", "BIDI_MODES"]

BIDI_MODES = ("auto", "terminal", "visual")

FSI, PDI = "\u2068", "\u2069"  # first-strong isolate … pop directional isolate
LRO, PDF = "\u202d", "\u202c"  # left-to-right override … pop directional formatting

#: Glyph pairs shown mirrored on a right-to-left level (Bidi_Mirrored, UAX #9 rule L4).
MIRROR = dict(zip("()[]{}<>«»‹›", ")(][}{><»«›‹"))

#: Quotations longer than this are cut in the table unless ``full`` is set.
CLIP = 240


class Display(Protocol):
    def __call__(self, s: str, width: int | None = None) -> str: ...


def choose_bidi(mode: str, to_terminal: bool, env: Mapping[str, str] | None = None) -> tuple[str, str | None]:
    """The bidi mode to use, and a note for stderr when ``auto`` switched.

    ``auto`` becomes ``visual`` only when the tables go to a terminal that is
    known not to reorder Arabic; anything else (a pipe, a file, an unknown
    terminal) keeps the logical text, which is what files and bidi-capable
    terminals need.
    """
    if mode != "auto":
        return mode, None
    if not to_terminal:
        return "terminal", None
    env = os.environ if env is None else env
    term = env.get("TERM", "")
    if env.get("TMUX") or term.startswith("tmux"):
        why = "tmux"
    elif env.get("STY") or term.startswith("screen"):
        why = "screen" if env.get("STY") else "tmux or screen"
    elif env.get("XTERM_VERSION"):
        why = "xterm"
    elif term == "linux":
        why = "the Linux console"
    elif env.get("TERM_PROGRAM") == "vscode":
        why = "the VS Code terminal"
    else:
        return "terminal", None
    return "visual", (f"{why} does not reorder Arabic: tables are shaped and reordered for it "
                      "(--bidi terminal or NEWSAN_BIDI=terminal to turn this off)")


def _wrap(s: str, width: int | None) -> list[str]:
    """Logical lines of ``s`` no wider than ``width`` (words kept whole when they fit)."""
    out: list[str] = []
    for line in s.split("\n"):
        out += (textwrap.wrap(line, width, break_on_hyphens=False) if width else [line]) or [""]
    return out


def _isolated(s: str, width: int | None = None) -> str:
    return "\n".join(FSI + line + PDI if line else "" for line in _wrap(s, width))


@lru_cache(maxsize=1)
def _reshaper() -> Any:
    import arabic_reshaper

    return arabic_reshaper.ArabicReshaper(configuration={"delete_harakat": False})


_LEVEL_RE = re.compile(r"Level\(\s*(\d+),?\s*\)")


def _levels(line: str, base: str) -> list[int] | None:
    """Resolved embedding level of each character of ``line`` (UAX #9, paired
    brackets included), read from python-bidi's debug output (levels per UTF-8
    byte); None when that output has another shape (another python-bidi)."""
    from bidi import get_display

    try:
        debug = str(get_display(line, base_dir=base, debug=True))
        part = debug[debug.index("levels:"):debug.index("paragraphs:")]
    except (TypeError, ValueError):
        return None
    per_byte = [int(x) for x in _LEVEL_RE.findall(part)]
    out, i = [], 0
    for ch in line:
        if i >= len(per_byte):
            return None
        out.append(per_byte[i])
        i += len(ch.encode("utf-8"))
    return out if i == len(per_byte) else None


def visual_line(line: str, base: str = "R") -> str:
    """One line in visual order (UAX #9 rules L2 and L4): runs reversed from
    the highest level down, characters on odd levels mirrored."""
    levels = _levels(line, base)
    if levels is None:  # pragma: no cover - another python-bidi; its own reordering (no mirroring)
        from bidi import get_display

        return str(get_display(line, base_dir=base))
    chars = [MIRROR.get(c, c) if lv % 2 else c for c, lv in zip(line, levels, strict=True)]
    pairs = list(zip(chars, levels, strict=True))
    odd = [lv for lv in levels if lv % 2]
    if not odd:
        return line
    for lv in range(max(levels), min(odd) - 1, -1):
        i = 0
        while i < len(pairs):
            if pairs[i][1] >= lv:
                j = i
                while j < len(pairs) and pairs[j][1] >= lv:
                    j += 1
                pairs[i:j] = pairs[i:j][::-1]
                i = j
            else:
                i += 1
    return "".join(c for c, _ in pairs)


def _visual(s: str, width: int | None = None) -> str:
    from bidi import get_base_level

    base = "R" if s.strip() and get_base_level(s) == 1 else "L"
    reshape = _reshaper().reshape
    return "\n".join(LRO + visual_line(reshape(line), base) + PDF if line else "" for line in _wrap(s, width))


def make_display(mode: str) -> Display:
    """A function ``display(text, width=None)`` that prepares a cell's text:
    wrapped to ``width`` in logical order, then each line isolated (``terminal``)
    or shaped and reordered (``visual``); see the module docstring."""
    if mode == "visual":
        return _visual
    if mode not in ("terminal", "auto"):
        raise ValueError(f"unknown bidi mode {mode!r} (use one of {', '.join(BIDI_MODES)})")
    return _isolated


def _is_visual(display: Display) -> bool:
    return display is _visual


def _clip(s: str, n: int | None) -> str:
    s = " ".join(s.split())
    return s if n is None or len(s) <= n else s[: n - 1] + "…"


def _cell(x: Mapping[str, Any] | None, display: Display, key: str = "text", width: int | None = None) -> str:
    if not x:
        return ""
    return display(str(x.get(key) or x.get("text") or ""), width)


def _widths(total: int, fixed: Sequence[int], flexible: int = 1, text_columns: int = 0) -> int:
    """The width left for the flexible column of a SIMPLE_HEAD table of
    ``len(fixed) + flexible`` columns (each column costs its padding and a
    separator: 3 cells, plus 1 for the edge). Two cells are kept free per
    column of Arabic text: some terminals (mlterm) draw the invisible isolate
    or override marks as a visible cell each, and a row one cell too wide
    would wrap there."""
    return max(16, total - sum(fixed) - 3 * (len(fixed) + flexible) - 1 - 2 * text_columns)


def render_record(record: Mapping[str, Any], console: Console, display: Display, full: bool = False) -> None:
    """Quotations and entities of one article as two tables sized to the
    console: the content column takes what the speaker and cue columns leave;
    quotations longer than :data:`CLIP` characters are cut unless ``full``."""
    visual = _is_visual(display)
    justify = "right" if visual else "left"  # visual RTL text reads from the right edge
    width = console.width
    title = record.get("title") or ""
    stats = record.get("stats", {})
    head = Text()
    head.append(f"{record['id']}  ", style="bold")
    head.append(display(_clip(title, max(20, width - len(str(record["id"])) - 14))))
    console.rule(head)
    console.print(Text(f"{stats.get('quotes', 0)} quotations · {stats.get('entities', 0)} entities · "
                       f"{stats.get('tokens', 0)} words", style="dim"))
    for w in record.get("warnings", []):
        console.print(Text(f"warning: {w}", style="yellow"))

    quotes = record["quotes"]
    if quotes:
        num_w = len(str(len(quotes)))
        sp_w = max(14, min(34, width // 4))
        cue_w = 12
        content_w = _widths(width, [num_w, sp_w, cue_w], text_columns=3)
        t = Table(box=box.SIMPLE_HEAD, show_lines=False, expand=False, title="Quotations", title_justify="left")
        t.add_column("#", justify="right", style="dim", width=num_w, no_wrap=True)
        t.add_column("speaker (role) → to, via", width=sp_w, justify=justify, no_wrap=True, overflow="fold")
        t.add_column("cue, kind", width=cue_w, justify=justify, no_wrap=True, overflow="fold")
        t.add_column("content", width=content_w, justify=justify, no_wrap=True, overflow="fold")
        cut = 0
        for i, q in enumerate(quotes, 1):
            who = Text()
            if q.get("speaker"):
                who.append(_cell(q["speaker"], display, "canonical", sp_w))
            else:
                who.append("?", style="red")
            if q.get("role"):
                who.append("\n" + display(f"({q['role']['text']})", sp_w), style="dim")
            if q.get("addressee"):
                who.append("\n→ " + _cell(q["addressee"], display, "canonical", sp_w - 2))
            if q.get("via"):
                who.append("\nvia " + _cell(q["via"], display, "canonical", sp_w - 4))
            kind_style = {"direct": "green", "indirect": "blue", "mixed": "magenta"}.get(q["kind"], "")
            cue = Text(_cell(q["cue"], display, width=cue_w))
            cue.append("\n" + q["kind"], style=kind_style)
            text = q["content"]["text"]
            shown = _clip(text, None if full else CLIP)
            cut += shown != " ".join(text.split())
            t.add_row(str(i), who, cue, display(shown, content_w))
        if cut:
            t.caption = f"{cut} quotation{'s' if cut > 1 else ''} cut at {CLIP} characters (--full shows them whole)"
            t.caption_justify, t.caption_style = "left", "dim"
        console.print(t)
    else:
        console.print(Text("no quotations found", style="dim"))

    if record["entities"]:
        ent_w = max(14, min(40, width // 3))
        alias_w = _widths(width, [ent_w, 5, 5], text_columns=2)
        t = Table(box=box.SIMPLE_HEAD, title="Entities", title_justify="left")
        t.add_column("entity", width=ent_w, justify=justify, no_wrap=True, overflow="fold")
        t.add_column("label", width=5, no_wrap=True)
        t.add_column("count", justify="right", width=5, no_wrap=True)
        t.add_column("aliases", width=alias_w, justify=justify, no_wrap=True, overflow="fold")
        colors = {"PERS": "green", "LOC": "yellow", "ORG": "cyan", "MISC": "magenta"}
        for e in sorted(record["entities"], key=lambda e: (-e["count"], e["label"])):
            t.add_row(
                display(e["canonical"], ent_w),
                Text(e["label"], style=colors.get(e["label"], "")),
                str(e["count"]),
                display("، ".join(e["aliases"]), alias_w),
            )
        console.print(t)


def _shown(t: Table, shown: int, total: int, what: str, more: str = "") -> None:
    """Say under a table how much of a list it shows."""
    if shown < total:
        t.caption = f"{shown} of {total} {what} shown{more}"
        t.caption_justify, t.caption_style = "left", "dim"


_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}")


def timeline(per_day: Mapping[str, int], max_days: int = 92) -> tuple[str, dict[str, int]]:
    """Quotations per day, or per month when the dates span more than
    ``max_days`` days, or per year beyond 60 months: ``(unit, counts)`` in date
    order. Keys that are not ISO dates are counted as they are."""
    import datetime as dt

    days = sorted(per_day)
    dated = [d for d in days if _DATE_RE.match(d)]
    if len(dated) < 2:
        return "day", {d: per_day[d] for d in days}
    try:
        span = (dt.date.fromisoformat(dated[-1][:10]) - dt.date.fromisoformat(dated[0][:10])).days
    except ValueError:
        return "day", {d: per_day[d] for d in days}
    if span <= max_days:
        return "day", {d: per_day[d] for d in days}
    cut = 7 if span <= 60 * 31 else 4
    grouped: Counter[str] = Counter()
    for d in days:
        grouped[d[:cut] if _DATE_RE.match(d) else d] += per_day[d]
    return ("month" if cut == 7 else "year"), dict(sorted(grouped.items()))


def render_summary(summary: Mapping[str, Any], console: Console, display: Display, top: int = 10) -> None:
    """The corpus view: counts, top speakers, top entities per label,
    co-occurrences, quotations per outlet and over time. Every table that
    shows part of a list says how much (``10 of 742 days shown``)."""
    width = console.width
    justify = "right" if _is_visual(display) else "left"
    console.rule(Text("Corpus summary", style="bold"))
    console.print(
        f"{summary['documents']} documents analyzed, {summary['failed']} failed, "
        f"{summary['quotes']} quotations"
    )
    for reason, n in summary.get("failures", {}).items():
        console.print(Text(f"  {n} × {reason}", style="yellow"))
    speakers = summary["top_speakers"]
    if "people" in summary:
        render_boards(summary, console, display, top)
    elif speakers:
        sp_w = max(14, min(40, width // 3))
        t = Table(box=box.SIMPLE_HEAD, title="Top speakers", title_justify="left")
        t.add_column("speaker", width=sp_w, justify=justify, no_wrap=True, overflow="fold")
        t.add_column("quotes", justify="right", no_wrap=True)
        extra_w = _widths(width, [sp_w, 6], text_columns=2)
        t.add_column("addressees / via", width=extra_w, justify=justify, no_wrap=True, overflow="fold")
        for sp in speakers[:top]:
            extra = [display(k, extra_w) for k in sp["addressees"]] + [
                "via " + display(k, extra_w - 4) for k in sp["via"]]
            t.add_row(display(sp["speaker"], sp_w), str(sp["quotes"]), "\n".join(extra))
        _shown(t, min(top, len(speakers)), len(speakers), "most quoted speakers")
        console.print(t)
    ents = summary["top_entities"]
    rows = max((len(v) for v in ents.values()), default=0)
    if rows:
        col_w = max(12, (width - 1) // max(len(ents), 1) - 5)
        t = Table(box=box.SIMPLE_HEAD, title="Top entities", title_justify="left")
        for label in ents:
            t.add_column(label, width=col_w, justify=justify, no_wrap=True, overflow="fold")
        for i in range(min(rows, top)):
            cells = []
            for label in ents:
                v = ents[label]
                cells.append(display(f"{v[i]['canonical']} ({v[i]['mentions']})", col_w) if i < len(v) else "")
            t.add_row(*cells)
        _shown(t, min(rows, top), rows, "most mentioned per label")
        console.print(t)
    pairs = summary.get("cooccurrence") or []
    if pairs:
        e_w = max(12, min(36, (width - 24) // 2))
        t = Table(box=box.SIMPLE_HEAD, title="Entities named together (same sentence)", title_justify="left")
        t.add_column("entity", width=e_w, justify=justify, no_wrap=True, overflow="fold")
        t.add_column("entity", width=e_w, justify=justify, no_wrap=True, overflow="fold")
        t.add_column("sentences", justify="right", no_wrap=True)
        for c in pairs[:top]:
            t.add_row(display(c["a"], e_w), display(c["b"], e_w), str(c["sentences"]))
        _shown(t, min(top, len(pairs)), len(pairs), "most frequent pairs")
        console.print(t)
    # a store-backed view has both, per outlet with its people and over all dates (render_time)
    outlets = {} if "over_time" in summary else summary.get("quotes_per_outlet") or {}
    if outlets:
        o_w = max(12, min(40, width // 3))
        t = Table(box=box.SIMPLE_HEAD, title="Quotations per outlet", title_justify="left")
        t.add_column("outlet", width=o_w, justify=justify, no_wrap=True, overflow="fold")
        t.add_column("quotes", justify="right", no_wrap=True)
        for k, n in list(outlets.items())[:top]:
            t.add_row(display(str(k), o_w), str(n))
        _shown(t, min(top, len(outlets)), len(outlets), "outlets", " (the most quoted)")
        console.print(t)
    per_day = {} if "over_time" in summary else summary.get("quotes_per_day") or {}
    if per_day:
        unit, counts = timeline(per_day)
        limit = {"day": 31, "month": 36}.get(unit, len(counts))
        items = list(counts.items())[-limit:]
        peak = max(n for _, n in items) or 1
        bar_w = max(10, min(50, width - 30))
        t = Table(box=box.SIMPLE_HEAD, title=f"Quotations per {unit}", title_justify="left")
        t.add_column(unit, no_wrap=True)
        t.add_column("quotes", justify="right", no_wrap=True)
        t.add_column("", width=bar_w, no_wrap=True)
        for k, n in items:
            t.add_row(display(str(k)), str(n), Text("█" * max(1 if n else 0, round(n / peak * bar_w)), style="blue"))
        first = next(iter(counts))
        _shown(t, len(items), len(counts), f"{unit}s", f" (the latest; the first is {first})")
        console.print(t)
    if "over_time" in summary:
        render_time(summary, console, display)


def render_eval(result: Mapping[str, Any], console: Console) -> None:
    """Scores of ``newsan eval quotes``: per article, then overall."""
    t = Table(box=box.SIMPLE_HEAD, title="Quotations and entities (SCORING.md)", title_justify="left")
    for col in ("article", "quote P", "quote R", "quote F1", "speaker", "kind", "e2e F1", "ent P", "ent R", "ent F1"):
        t.add_column(col, justify="right" if col != "article" else "left", no_wrap=True)

    def row(name: str, s: Mapping[str, Any], style: str = "") -> None:
        q, e = s["quotes"], s["entities"]
        t.add_row(
            name,
            *(f"{q[k]:.3f}" for k in ("precision", "recall", "f1", "speaker_accuracy", "kind_accuracy", "e2e_f1")),
            *(f"{e[k]:.3f}" for k in ("precision", "recall", "f1")),
            style=style,
        )

    for aid, s in result["articles"].items():
        row(aid, s)
    row("overall", result["overall"], style="bold")
    console.print(t)
    q = result["overall"]["quotes"]
    console.print(f"quotes: {q['matched']} matched of {q['predicted']} predicted, {q['gold']} gold")
    by_label = result["overall"]["entities"].get("by_label") or {}
    if by_label:
        lt = Table(box=box.SIMPLE_HEAD, title="Entities per label (overall)", title_justify="left")
        for col in ("label", "gold", "found", "predicted", "correct", "P", "R", "F1"):
            lt.add_column(col, justify="left" if col == "label" else "right", no_wrap=True)
        for lab, e in by_label.items():
            lt.add_row(
                lab, str(e["gold"]), str(e["gold_found"]), str(e["predicted"]), str(e["correct"]),
                *(f"{e[k]:.3f}" for k in ("precision", "recall", "f1")),
            )
        console.print(lt)
    for err in result.get("errors", []):
        line = Text(f"{err['id']} ", style="dim")
        line.append(f"{err['type']}: " + ", ".join(f"{k}={v}" for k, v in err.items() if k not in ("id", "type")))
        console.print(line)


def render_cv(data: dict[str, Any], console: Console) -> None:
    """The tables of ``newsan eval cv``: per fold and pooled, rules vs learned."""
    cols = (("precision", "quote P"), ("recall", "quote R"), ("f1", "quote F1"),
            ("speaker_accuracy", "speaker"), ("e2e_f1", "e2e F1"), ("kind_accuracy", "kind"))
    table = Table(title="Cross-validation grouped by article (SCORING.md)", box=box.SIMPLE_HEAD)
    table.add_column("fold")
    table.add_column("articles", justify="right")
    table.add_column("pipeline")
    for _, name in cols:
        table.add_column(name, justify="right")
    for f in data["folds"]:
        for which in ("rules", "learned"):
            table.add_row(str(f["fold"]) if which == "rules" else "", str(f["articles"]) if which == "rules" else "",
                          which, *(f"{f[which][k]:.3f}" for k, _ in cols))
    pooled = data["pooled"]
    for which in ("rules", "learned"):
        p = pooled[which]
        table.add_row("pooled" if which == "rules" else "", str(pooled["articles"]) if which == "rules" else "",
                      which, *(f"{p[k]:.3f}" for k, _ in cols), style="bold")
        ci = p["ci95"]
        table.add_row("", "", "  95 % CI", *(f"{ci[k][0]:.2f}–{ci[k][1]:.2f}" if k in ci else "" for k, _ in cols),
                      style="dim")
    console.print(table)
    if pooled.get("held_out_category"):
        console.print(f"one fold: the {pooled['articles']} articles of category {pooled['held_out_category']} "
                      "scored, every other article trains (--hold-out-category)", style="dim")
    if pooled.get("extra_training_articles"):
        console.print(f"each fold also trained on {pooled['extra_training_articles']} extra annotated articles "
                      "(--extra), never scored", style="dim")
    stages = Table(title="Per stage (held-out folds)", box=box.SIMPLE_HEAD)
    stages.add_column("stage")
    stages.add_column("value", justify="right")
    for k, v in data["stages"].items():
        stages.add_row(k, f"{v:.3f}" if isinstance(v, float) else str(v))
    console.print(stages)
    if data.get("curve"):
        curve = Table(title="Learning curve (learned pipeline, pooled over folds)", box=box.SIMPLE_HEAD)
        curve.add_column("share of training articles", justify="right")
        curve.add_column("articles per fold", justify="right")
        for _, name in cols:
            curve.add_column(name, justify="right")
        for c in data["curve"]:
            curve.add_row(f"{c['share']:.0%}", str(c["train_articles"]), *(f"{c[k]:.3f}" for k, _ in cols))
        console.print(curve)


def render_align(data: Mapping[str, Any], console: Console) -> None:
    """The report of ``newsan eval align``: placed / unplaced per field, the
    reasons, and (``--show-unplaced``) every unplaced gold string."""
    t = Table(box=box.SIMPLE_HEAD, title=f"Gold placed on tokens ({data['articles']} articles, "
              f"{data['quotes']} quotations)", title_justify="left")
    for col in ("field", "gold", "placed", "among several", "unplaced", "placed %", "reasons"):
        t.add_column(col, justify="left" if col in ("field", "reasons") else "right")
    for name, f in data["fields"].items():
        share = f"{f['placed'] / f['gold']:.1%}" if f["gold"] else "–"
        reasons = "; ".join(f"{r} {n}" for r, n in f["reasons"].items())
        t.add_row(name, str(f["gold"]), str(f["placed"]), str(f["placed_among_several"]), str(f["unplaced"]), share,
                  reasons)
    console.print(t)
    console.print("among several: placed items whose form occurs more than once in the article, "
                  "the occurrence chosen by position (nearest the content, the cue or the mention)", style="dim")
    if data.get("unplaced"):
        u = Table(box=box.SIMPLE_HEAD, title="Unplaced", title_justify="left")
        for col in ("article", "quote", "field", "gold", "reason"):
            u.add_column(col, justify="right" if col == "quote" else "left", overflow="fold")
        for row in data["unplaced"]:
            u.add_row(row["id"], str(row["quote"]), row["field"], _clip(row["gold"], 80), row["reason"])
        console.print(u)
    for e in data.get("errors", []):
        console.print(Text(f"unreadable: {e['file']}: {e['reason']}", style="dim"))


def _cut(shown: int, total: int) -> str:
    return f" (top {shown} of {total})" if total > shown else ""


def render_boards(view: Mapping[str, Any], console: Console, display: Display, top: int = 10) -> None:
    """The store's leaderboards (see :meth:`newsan.store.Store.view`): named
    people, institutions, anonymous sources and roles ranked by the articles
    and outlets quoting them; what each person is quoted about; who addresses
    whom; republished quotations. Every cut list says so in its title."""
    q = view.get("quotations") or {}
    if q:
        console.print(
            f"{q['distinct']} distinct quotations in {q['occurrences']} occurrences; "
            f"{q['republished']} republished in several articles ({q['republished_occurrences']} occurrences)"
        )
    titles = {"people": "Named people quoted", "institutions": "Institutions quoted",
              "anonymous": "Anonymous sources and roles quoted"}
    for board, title in titles.items():
        rows = list(view.get(board) or [])[:top]
        if not rows:
            continue
        t = Table(box=box.SIMPLE_HEAD, title=title + _cut(len(rows), view.get(f"{board}_total", len(rows))),
                  title_justify="left")
        t.add_column("speaker", max_width=36)
        for col in ("articles", "outlets", "quotes", "occurrences"):
            t.add_column(col, justify="right")
        t.add_column("quoted about" if board == "people" else "also written", max_width=60)
        for r in rows:
            extra = (", ".join(display(a["entity"]) for a in r.get("quoted_about", [])[:4]) if board == "people"
                     else ", ".join(display(v) for v in r.get("variants", [])[:3]))
            t.add_row(display(r["name"]), str(r["articles"]), str(r["outlets"]), str(r["quotes"]),
                      str(r["occurrences"]), extra)
        console.print(t)
    for key, title, other in (("addresses", "Who addresses whom", "addressee"),
                              ("relays", "Who is quoted through whom", "via")):
        rows = list(view.get(key) or [])[:top]
        if not rows:
            continue
        t = Table(box=box.SIMPLE_HEAD, title=title + _cut(len(rows), view.get(f"{key}_total", 0)),
                  title_justify="left")
        t.add_column("speaker", max_width=36)
        t.add_column(other, max_width=36)
        t.add_column("quotes", justify="right")
        for r in rows:
            t.add_row(display(r["speaker"]), display(r[other]), str(r["quotes"]))
        console.print(t)
    rows = list(q.get("top_republished") or [])[:top]
    if rows:
        t = Table(box=box.SIMPLE_HEAD, title="Republished quotations" + _cut(len(rows), q.get("republished", 0)),
                  title_justify="left")
        t.add_column("quotation", max_width=70)
        t.add_column("speaker", max_width=30)
        t.add_column("articles", justify="right")
        t.add_column("outlets", justify="right")
        for r in rows:
            t.add_row(display(_clip(r["content"], 120), 70), display(r["speaker"] or ""), str(r["articles"]),
                      str(r["outlets"]))
        console.print(t)


def render_time(view: Mapping[str, Any], console: Console, display: Display) -> None:
    """Per outlet (with its most quoted people) and over time (every day, or every month)."""
    outlets = view.get("outlets") or []
    if outlets:
        t = Table(box=box.SIMPLE_HEAD, title="Per outlet", title_justify="left")
        t.add_column("outlet", max_width=30)
        for col in ("articles", "quotes", "occurrences"):
            t.add_column(col, justify="right")
        t.add_column("most quoted people", max_width=60)
        for r in outlets:
            t.add_row(display(str(r["outlet"])), str(r["articles"]), str(r["quotes"]), str(r["occurrences"]),
                      ", ".join(display(p["name"]) for p in r["people"]))
        console.print(t)
    time = view.get("over_time") or {}
    if time.get("rows"):
        unit = time["unit"]
        t = Table(box=box.SIMPLE_HEAD, title=f"Quotations per {unit} (all {unit}s with quotations)",
                  title_justify="left")
        t.add_column(unit)
        t.add_column("articles", justify="right")
        t.add_column("occurrences", justify="right")
        for r in time["rows"]:
            t.add_row(r[unit], str(r["articles"]), str(r["occurrences"]))
        console.print(t)


def render_quotations(rows: list[Mapping[str, Any]], console: Console, display: Display) -> None:
    """Quotations answered by a query: date, outlet, speaker, quotation."""
    t = Table(box=box.SIMPLE_HEAD, title=f"{len(rows)} quotations", title_justify="left")
    t.add_column("date", no_wrap=True)
    t.add_column("outlet", max_width=20)
    t.add_column("speaker", max_width=28)
    t.add_column("kind")
    t.add_column("quotation", max_width=80)
    t.add_column("copies", justify="right")
    for r in rows:
        t.add_row(r.get("date") or "", display(str(r.get("outlet") or "")),
                  display(r.get("speaker") or r.get("speaker_text") or ""), r["kind"],
                  display(_clip(r["content"], 300), 80), str(r.get("quote_occurrences") or 1))
    console.print(t)
