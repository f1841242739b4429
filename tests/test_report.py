"""The HTML report (newsan report): escaping, highlight structure, embedded data, the command."""

from __future__ import annotations

import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from newsan.load import article_from_text
from newsan.model import Article
from newsan.report import json_for_script, write_report

EVIL_SCRIPT = "<script>window.__xss=1;alert(1)</script>"
EVIL_IMG = '"><img src=x onerror="window.__xss=2">'
EVIL_TEXTAREA = "</textarea><script>window.__xss=3</script>"
EVILS = (EVIL_SCRIPT, EVIL_IMG, EVIL_TEXTAREA)


def span(text: str, s: str, after: int = 0) -> dict[str, Any]:
    i = text.index(s, after)
    return {"text": s, "start": i, "end": i + len(s)}


def make_record(article: Article, quotes=(), entities=(), warnings=()) -> dict[str, Any]:
    """A public record (newsan.export.to_dict shape) built by locating strings in the text.

    quotes: (kind, cue, content, speaker or None, speaker canonical or None);
    entities: (canonical, label, [forms]) -- every occurrence of a form is a mention.
    """
    text = article.text
    qs = []
    for kind, cue, content, speaker, canonical in quotes:
        sp = span(text, speaker) | {"canonical": canonical or speaker} if speaker else None
        qs.append({"kind": kind, "cue": span(text, cue), "content": span(text, content), "speaker": sp,
                   "role": None, "addressee": None, "via": None, "sentence": 0})
    es = []
    for canonical, label, forms in entities:
        ms = []
        for form in forms:
            ms += [{"text": form, "start": m.start(), "end": m.end(), "sentence": 0}
                   for m in re.finditer(re.escape(form), text)]
        es.append({"canonical": canonical, "label": label, "aliases": [f for f in forms if f != canonical],
                   "count": len(ms), "mentions": sorted(ms, key=lambda m: m["start"])})
    return {"id": article.id, "path": article.path, "title": article.title, "meta": dict(article.meta),
            "stats": {}, "quotes": qs, "entities": es, "warnings": list(warnings)}


EVIL_TEXT = (
    f"عنوان خبيث {EVIL_SCRIPT}\n"
    f"قال الوزير إن \"{EVIL_SCRIPT}\" ثم أضاف: {EVIL_IMG} وكتب {EVIL_TEXTAREA} في بيروت.\n"
)


def evil_pair() -> tuple[Article, dict[str, Any]]:
    art = article_from_text(EVIL_TEXT, "evil.txt", meta={"outlet": EVIL_IMG, "date": "2017-01-02"})
    rec = make_record(
        art,
        quotes=[("direct", "قال", EVIL_SCRIPT, "الوزير", "الوزير </script><script>alert(4)</script>"),
                ("indirect", "أضاف", EVIL_IMG, "الوزير", None)],
        entities=[("بيروت", "LOC", ["بيروت"]), (f"{EVIL_TEXTAREA}", "MISC", [EVIL_TEXTAREA])],
        warnings=[EVIL_IMG],
    )
    return art, rec


SIMPLE = "الوزير يؤكد أهمية التعاون\nقال وزير الخارجية سامي علي إن \"العلاقات مع مصر متينة\". وأضاف علي أن القاهرة شريك.\n"


def simple_pair(i: int = 1, meta: dict[str, Any] | None = None) -> tuple[Article, dict[str, Any]]:
    art = article_from_text(SIMPLE, f"a{i}.txt", meta=meta or {"outlet": "وكالة", "date": f"2017-01-0{i % 9 + 1}"})
    rec = make_record(
        art,
        quotes=[("direct", "قال", "العلاقات مع مصر متينة", "سامي علي", "سامي علي"),
                ("indirect", "أضاف", "القاهرة شريك", "علي", "سامي علي")],
        entities=[("سامي علي", "PERS", ["سامي علي"]), ("مصر", "LOC", ["مصر"]), ("القاهرة", "LOC", ["القاهرة"])],
    )
    return art, rec


def render(pairs: list[tuple[Article, dict[str, Any]]], **kw: Any) -> str:
    buf = io.StringIO()
    write_report(pairs, buf, generated="2026-01-01 00:00", **kw)
    return buf.getvalue()


class Tree(HTMLParser):
    """Checks well-formedness of our markup and collects elements (tag, attrs, depth)."""

    VOID = frozenset({"meta", "input", "br", "img", "hr", "link"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.errors: list[str] = []
        self.scripts: list[str] = []
        self._in_script = False
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {k: v or "" for k, v in attrs}))
        if tag == "script":
            self._in_script = True
            self.scripts.append("")
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:]} ")
        else:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts[-1] += data
        else:
            self.text += data

    def with_class(self, cls: str) -> list[dict[str, str]]:
        return [a for _, a in self.elements if cls in a.get("class", "").split()]


def parse(page: str) -> Tree:
    t = Tree()
    t.feed(page)
    t.close()
    assert not t.errors, t.errors[:5]
    assert t.stack == [], t.stack
    return t


# -------------------------------# --------------------------------------------------------------------------- escaping


def blocks(page: str) -> tuple[Tree, list[dict[str, Any]], dict[str, Any]]:
    """The parsed page, its documents and its meta block."""
    tree = parse(page)
    return tree, json.loads(tree.scripts[0]), json.loads(tree.scripts[1])


def test_report_escapes_malicious_article_text() -> None:
    page = render([evil_pair()])
    tree, docs, _ = blocks(page)
    # exactly our three script elements (documents, meta, code); no img, no textarea, nothing from the article
    assert [tag for tag, _ in tree.elements if tag in ("script", "img", "textarea", "iframe")] == ["script"] * 3
    assert not any(k.startswith("on") for _, a in tree.elements for k in a), "an event handler attribute got in"
    for evil in EVILS:
        assert evil not in page
    assert "window.__xss" not in tree.scripts[2]
    # the data cannot close its script element, and parses back to the original strings
    assert "</" not in tree.scripts[0] and "<" not in tree.scripts[0]
    art, rec = evil_pair()
    assert docs[0]["x"] == art.text
    assert docs[0]["q"][0][5] == "الوزير </script><script>alert(4)</script>"
    assert docs[0]["o"] == EVIL_IMG and docs[0]["w"] == [EVIL_IMG]


def test_report_labels_and_kinds_cannot_inject_markup() -> None:
    art, rec = simple_pair()
    rec["quotes"][0]["kind"] = EVIL_IMG
    rec["entities"][0]["label"] = EVIL_SCRIPT
    page = render([(art, rec)])
    tree = parse(page)
    assert [t for t, _ in tree.elements if t in ("img", "script")] == ["script"] * 3
    for evil in (EVIL_IMG, EVIL_SCRIPT):
        assert evil not in page


def test_json_for_script_escapes_markup_characters() -> None:
    s = json_for_script({"a": "</script><!-- & \u2028"})
    assert "<" not in s and ">" not in s and "&" not in s
    assert json.loads(str(s)) == {"a": "</script><!-- & \u2028"}


def test_report_loads_nothing_from_the_network() -> None:
    art, rec = simple_pair(meta={"outlet": "x", "url": "https://example.org/a"})
    page = render([(art, rec), evil_pair()])
    tree = parse(page)
    assert not [a for _, a in tree.elements if "src" in a]
    assert "@import" not in page and "url(" not in page
    assert not [a for t, a in tree.elements if t == "link"]
    csp = [a["content"] for t, a in tree.elements if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    assert csp and "default-src 'none'" in csp[0] and "script-src 'nonce-" in csp[0]
    # the code never parses data as HTML
    assert "innerHTML" not in tree.scripts[2] and "insertAdjacentHTML" not in tree.scripts[2]
    # javascript: URLs are not kept
    art2, rec2 = simple_pair(2, meta={"url": "javascript:alert(1)"})
    assert "javascript:" not in render([(art2, rec2)])


# --------------------------------------------------------------------------- structure


def test_report_page_structure_and_data() -> None:
    pairs = [simple_pair(i) for i in range(3)] + [evil_pair()]
    tree, docs, meta = blocks(render(pairs))
    html_tag = next(a for t, a in tree.elements if t == "html")
    assert html_tag == {"dir": "rtl", "lang": "ar"}
    assert [d["n"] for d in docs] == [1, 2, 3, 4]
    assert meta["documents"] == 4 and meta["quotes"] == sum(len(r["quotes"]) for _, r in pairs)
    assert meta["mentions"] == sum(len(e["mentions"]) for _, r in pairs for e in r["entities"])
    for d, (art, rec) in zip(docs, pairs, strict=True):
        assert d["x"] == art.text and d["id"] == rec["id"]
        for q, rq in zip(d["q"], rec["quotes"], strict=True):
            assert d["x"][q[3]:q[4]] == rq["content"]["text"] and d["x"][q[1]:q[2]] == rq["cue"]["text"]
        for e, re_ in zip(d["e"], rec["entities"], strict=True):
            assert [d["x"][e[4][k]:e[4][k + 1]] for k in range(0, len(e[4]), 3)] == [m["text"] for m in re_["mentions"]]
    # filters and export controls are on the page
    ids = {a.get("id") for _, a in tree.elements}
    assert {"q", "f-outlet", "f-from", "f-to", "f-label", "f-kind", "f-stype", "export", "c-time"} <= ids


@pytest.mark.parametrize(
    "speaker, entities, expected",
    [("سامي علي", [("سامي علي", "PERS", ["سامي علي"])], "PERS"),
     ("مصادر مطلعة", [], "source"),
     (None, [], "unknown")],
)
def test_report_speaker_type(speaker: str | None, entities: list[Any], expected: str) -> None:
    text = "عنوان\nقال سامي علي ومصادر مطلعة إن الأمر انتهى.\n"
    art = article_from_text(text, "x.txt")
    rec = make_record(art, quotes=[("indirect", "قال", "الأمر انتهى", speaker, None)], entities=entities)
    assert blocks(render([(art, rec)]))[1][0]["q"][0][8] == expected


def test_report_dates_are_normalized_and_bad_ones_dropped() -> None:
    a1, r1 = simple_pair(1, meta={"date": "21/07/2015", "outlet": " وكالة "})
    a2, r2 = simple_pair(2, meta={"date": "2015-13-45"})
    docs = blocks(render([(a1, r1), (a2, r2)]))[1]
    assert (docs[0]["d"], docs[0]["o"]) == ("2015-07-21", "وكالة")
    assert docs[1]["d"] == ""


def test_report_bad_offsets_become_warnings_not_crashes() -> None:
    art, rec = simple_pair()
    rec["entities"][0]["mentions"].append({"text": "xyz", "start": 3, "end": 6, "sentence": 0})
    rec["quotes"][0]["content"] = {"text": "x", "start": 5000, "end": 5010}
    docs = blocks(render([(art, rec)]))[1]
    w = " ".join(docs[0]["w"])
    assert "does not match its text" in w and "not within the text" in w
    assert len(docs[0]["q"]) == 1  # the quote without a valid content span is left out


def test_report_streams_a_generator() -> None:
    n = 40

    def gen():
        for i in range(n):
            yield simple_pair(i)

    docs = blocks(render(gen()))[1]  # type: ignore[arg-type]
    assert len(docs) == n


def test_report_meta_block_holds_failures() -> None:
    from newsan.aggregate import CorpusSummary

    summary = CorpusSummary()
    summary.add_failure("binary data")
    buf = io.StringIO()
    write_report([simple_pair(1)], buf, summary=summary)
    meta = blocks(buf.getvalue())[2]
    assert meta["documents"] == 1 and meta["failed"] == 1 and meta["failures"] == {"binary data": 1}


# --------------------------------------------------------------------------- the command


def _analyzer_available() -> bool:
    try:
        from newsan.pipeline import Analyzer

        Analyzer(ner="none").check()
        return True
    except Exception:  # noqa: BLE001 - any failure to build the pipeline means: skip
        return False


needs_analyzer = pytest.mark.skipif(not _analyzer_available(), reason="the analysis pipeline does not import yet")


@needs_analyzer
def test_report_command_writes_report_and_reports_bad_inputs(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from newsan.report import report_command

    good = tmp_path / "good.txt"
    good.write_text(SIMPLE, encoding="utf-8")
    evil = tmp_path / "evil.txt"
    evil.write_text(EVIL_TEXT, encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01binary")
    out = tmp_path / "r.html"
    res = CliRunner().invoke(report_command, [str(good), str(bad), str(evil), "--ner", "none", "-j", "1",
                                              "-o", str(out)], catch_exceptions=False)
    assert res.exit_code == 1
    assert f"newsan: error: {bad}: binary data" in res.stderr
    page = out.read_text(encoding="utf-8")
    _, docs, meta = blocks(page)
    assert len(docs) == 2 and meta["failed"] == 1
    for evil_s in EVILS:
        assert evil_s not in page
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary file left


@needs_analyzer
def test_report_command_nothing_to_report(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from newsan.report import report_command

    out = tmp_path / "r.html"
    res = CliRunner().invoke(report_command, [str(tmp_path / "nope.txt"), "--ner", "none", "-o", str(out)])
    assert res.exit_code == 2
    assert "no such file or directory" in res.stderr
    assert not out.exists()


@needs_analyzer
def test_report_command_output_folder_must_exist(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from newsan.report import report_command

    good = tmp_path / "good.txt"
    good.write_text(SIMPLE, encoding="utf-8")
    res = CliRunner().invoke(report_command, [str(good), "--ner", "none", "-o", str(tmp_path / "no" / "r.html")])
    assert res.exit_code == 2
    assert "does not exist" in res.stderr


@needs_analyzer
def test_report_command_interrupted_keeps_the_articles_done(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    import newsan.runner
    from newsan.report import report_command

    real = newsan.runner.analyze_stream

    def interrupted_after_one(*args: Any, **kw: Any):
        for i, outcome in enumerate(real(*args, **kw)):
            if i == 1:
                raise KeyboardInterrupt
            yield outcome

    monkeypatch.setattr(newsan.runner, "analyze_stream", interrupted_after_one)
    paths = []
    for i in range(3):
        p = tmp_path / f"a{i}.txt"
        p.write_text(SIMPLE, encoding="utf-8")
        paths.append(str(p))
    out = tmp_path / "r.html"
    res = CliRunner().invoke(report_command, [*paths, "--ner", "none", "-j", "1", "-o", str(out)])
    assert res.exit_code == 130
    assert "interrupted" in res.stderr
    assert len(blocks(out.read_text(encoding="utf-8"))[1]) == 1
