"""The HTML report (newsan report): escaping, highlight structure, embedded data, the command."""

from __future__ import annotations

import html
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsan.load import article_from_text
from newsan.model import Article
from newsan.report import json_for_script, render_article_text, write_report

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


# --------------------------------------------------------------------------- escaping


def test_report_escapes_malicious_article_text() -> None:
    page = render([evil_pair()])
    tree = parse(page)
    # exactly our two script elements (data, code); no img, no textarea, nothing from the article
    assert [tag for tag, _ in tree.elements if tag in ("script", "img", "textarea", "iframe")] == ["script", "script"]
    assert not any(k.startswith("on") for _, a in tree.elements for k in a), "an event handler attribute got in"
    for evil in EVILS:
        assert evil not in page
        assert "window.__xss" not in tree.scripts[1]
    # shown as text, in the article body, the quote table and the heading
    for evil in EVILS:
        assert tree.text.count(evil) >= 2, evil
    # the data script cannot be closed from the inside, and still parses to the original strings
    data = json.loads(tree.scripts[0])
    assert "</" not in tree.scripts[0]
    assert data["summary"]["top_speakers"][0]["speaker"] == "الوزير </script><script>alert(4)</script>"


def test_report_attribute_values_are_escaped() -> None:
    page = render([evil_pair()])
    tree = parse(page)
    names = {a["data-name"] for _, a in tree.elements if "data-name" in a}
    assert "الوزير </script><script>alert(4)</script>" in names
    assert EVIL_TEXTAREA in names
    # the per-article names list is JSON in an attribute: it parses back
    doc = tree.with_class("doc")[0]
    assert EVIL_TEXTAREA in json.loads(doc["data-names"])


def test_report_labels_and_kinds_cannot_inject_markup() -> None:
    art, rec = simple_pair()
    rec["quotes"][0]["kind"] = EVIL_IMG
    rec["entities"][0]["label"] = EVIL_SCRIPT
    page = render([(art, rec)])
    tree = parse(page)
    assert [t for t, _ in tree.elements if t in ("img", "script")] == ["script", "script"]
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
    assert csp and "default-src 'none'" in csp[0]
    # javascript: URLs are not turned into links
    art2, rec2 = simple_pair(2, meta={"url": "javascript:alert(1)"})
    assert "javascript:" not in render([(art2, rec2)])


# --------------------------------------------------------------------------- structure


def test_report_page_structure_and_counts() -> None:
    pairs = [simple_pair(i) for i in range(3)] + [evil_pair()]
    page = render(pairs)
    tree = parse(page)
    html_tag = next(a for t, a in tree.elements if t == "html")
    assert html_tag == {"dir": "rtl", "lang": "ar"}
    assert len(tree.with_class("doc")) == 4
    n_quotes = sum(len(r["quotes"]) for _, r in pairs)
    n_mentions = sum(len(e["mentions"]) for _, r in pairs for e in r["entities"])
    # highlights in the articles (the legend's samples have no data-q / data-e)
    def whole(cls: str, key: str = "data-q") -> list[dict[str, str]]:
        return [a for a in tree.with_class(cls) if "cont" not in a["class"].split() and key in a]

    assert len(whole("qc")) == n_quotes
    assert len(whole("cue")) == n_quotes
    assert len(whole("sp")) == n_quotes
    assert len(whole("ent", "data-e")) == n_mentions
    assert len(whole("qby")) == n_quotes  # the speaker shown beside each quote
    # tables: one quote row, one entity row per item
    assert page.count('<tr data-q="') == n_quotes
    # corpus charts: speakers and entities as inline SVG, clickable by name
    svgs = [a for t, a in tree.elements if t == "svg"]
    assert len(svgs) >= 4
    assert any(a.get("data-name") == "سامي علي" and "row" in a.get("class", "") for a in (x for _, x in tree.elements))
    assert "الاقتباسات حسب المصدر" in page and "الاقتباسات حسب اليوم" in page


def test_report_without_outlets_or_dates_omits_those_charts() -> None:
    art = article_from_text(SIMPLE, "x.txt")
    _, rec = simple_pair()
    rec["meta"] = {}
    page = render([(art, rec)])
    assert "الاقتباسات حسب المصدر" not in page and "الاقتباسات حسب اليوم" not in page


def test_report_day_chart_spans_months_and_skips_bad_dates() -> None:
    from newsan.report import day_chart

    svg = str(day_chart({"2014-03-01": 2, "2015-07-21": 9, "2017-06-30": 1, "2015-13-45": 4}))
    assert svg.count('class="col"') == 3  # one column per month with quotes, over 40 months
    assert ">2014-03<" in svg and ">2017-06<" in svg
    assert "لا بيانات" in str(day_chart({"bad": 1}))


def test_report_title_line_is_the_heading_and_text_is_preserved() -> None:
    art, rec = simple_pair()
    head, body, problems = render_article_text(art.text, rec)
    assert head is not None and problems == []
    strip = lambda h: html.unescape(re.sub(r'<span class="qby[^"]*"[^>]*>.*?</span>|<[^>]+>', "", str(h)))
    assert strip(head) + "\n" + strip(body) == art.text


def test_report_bad_offsets_become_warnings_not_crashes() -> None:
    art, rec = simple_pair()
    rec["entities"][0]["mentions"].append({"text": "xyz", "start": 3, "end": 6, "sentence": 0})
    rec["quotes"][0]["content"] = {"text": "x", "start": 5000, "end": 5010}
    page = render([(art, rec)])
    parse(page)
    assert "do not match its text" in page and "not within the text" in page


def test_report_nested_and_crossing_spans_are_well_formed() -> None:
    text = "عنوان\nأ ب ت ث ج ح خ د ذ ر ز\n"
    art = article_from_text(text, "x.txt")
    rec = make_record(art)
    # quote content "ب ت ث ج", an entity crossing its end "ج ح", one inside "ت", one equal to the content
    rec["quotes"] = [{"kind": "direct", "cue": span(text, "أ"), "content": span(text, "ب ت ث ج"),
                      "speaker": span(text, "خ د") | {"canonical": "خ د"}, "role": None, "addressee": None,
                      "via": None, "sentence": 0}]
    rec["entities"] = [
        {"canonical": c, "label": "PERS", "aliases": [], "count": 1, "mentions": [span(text, c) | {"sentence": 0}]}
        for c in ("ج ح", "ت", "ب ت ث ج", "خ د")
    ]
    _, body, _ = render_article_text(text, rec)
    t = parse(f"<div>{body}</div>")
    assert len([a for a in t.with_class("ent") if "cont" not in a["class"]]) == 4
    assert len([a for a in t.with_class("ent") if "cont" in a["class"]]) == 1  # "ج ح" was split once
    assert len([a for a in t.with_class("qc") if "cont" not in a["class"]]) == 1


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet="ab<>&\"' \nمن", min_size=1, max_size=40), st.data())
def test_report_any_spans_give_well_formed_html_and_the_same_text(text: str, data: st.DataObject) -> None:
    def any_span() -> dict[str, Any]:
        a = data.draw(st.integers(0, len(text) - 1))
        b = data.draw(st.integers(a + 1, len(text)))
        return {"text": text[a:b], "start": a, "end": b}

    quotes = [{"kind": "direct", "cue": any_span(), "content": any_span(), "speaker": any_span() | {"canonical": "x"},
               "role": None, "addressee": None, "via": None, "sentence": 0} for _ in range(data.draw(st.integers(0, 3)))]
    ents = [{"canonical": f"e{i}", "label": "LOC", "aliases": [], "count": 1, "mentions": [any_span()]}
            for i in range(data.draw(st.integers(0, 4)))]
    rec = {"title": "", "quotes": quotes, "entities": ents}
    head, body, problems = render_article_text(text, rec)
    assert head is None and problems == []
    t = parse(f"<div>{body}</div>")
    assert len([a for a in t.with_class("ent") if "cont" not in a["class"]]) == len(ents)
    assert len([a for a in t.with_class("qc") if "cont" not in a["class"]]) == len(quotes)
    plain = re.sub(r'<span class="qby[^"]*"[^>]*>.*?</span>|<[^>]+>', "", str(body))
    assert html.unescape(plain) == text


def test_report_streams_a_generator_and_closes_tables_when_big() -> None:
    n = 40

    def gen():
        for i in range(n):
            yield simple_pair(i)

    page = render(gen())  # type: ignore[arg-type]
    tree = parse(page)
    assert len(tree.with_class("doc")) == n
    assert not [a for t, a in tree.elements if t == "details" and "open" in a]
    small = parse(render([simple_pair()]))
    assert [a for t, a in small.elements if t == "details" and "open" in a]


def test_report_data_block_holds_the_corpus_summary() -> None:
    page = render([simple_pair(i) for i in range(2)])
    data = json.loads(parse(page).scripts[0])
    assert data["documents"] == 2
    assert data["summary"]["top_speakers"][0] == {"speaker": "سامي علي", "quotes": 4, "addressees": {}, "via": {}}
    assert set(data["summary"]["top_entities"]) == {"PERS", "LOC", "ORG", "MISC"}


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
    tree = parse(page)
    assert len(tree.with_class("doc")) == 2
    assert "تعذّر تحليلها" in page
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
    assert len(parse(out.read_text(encoding="utf-8")).with_class("doc")) == 1
