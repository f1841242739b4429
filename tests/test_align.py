"""Gold quotations (text only) placed on the analyzer's tokens: newsan.align and `newsan eval align`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from newsan.align import ABSENT, INSIDE_WORD, TOO_FEW, AlignedArticle, align_article, align_dir, edge_key, reread
from newsan.cli import cli
from newsan.lexicons import load_lexicon
from newsan.normalize import normalize_word

PROCLITICS = load_lexicon().words("proclitics")


def q(content: str, cue: str, speaker: str, canonical: str | None = None, **kw: str | None) -> dict:
    return {"kind": "indirect", "cue": cue, "content": content, "speaker": speaker,
            "speaker_canonical": canonical or speaker, "role": None, "addressee": kw.get("addressee"),
            "via": kw.get("via")}


def check_spans(art: AlignedArticle) -> int:
    """The offsets property of every placed span; returns how many were checked."""
    n = 0
    for quote in art.quotes:
        wanted = quote.wanted()
        assert set(quote.spans) | set(quote.unplaced) == set(wanted)
        assert not set(quote.spans) & set(quote.unplaced)
        for f, s in quote.spans.items():
            n += 1
            assert art.text[s.start:s.end] == s.text
            first, last = art.tokens[s.first], art.tokens[s.last - 1]
            # ends at a token end; starts at a token start or after a proclitic inside the first token
            assert s.end == last.end
            assert first.start <= s.start < first.end
            if s.start > first.start:
                clitic = normalize_word(art.text[first.start:s.start])
                assert clitic in PROCLITICS or (s.contracted and clitic[:-1] in PROCLITICS | {""})
            # round trip: the covered text, re-read through the normalizer, gives back the gold string
            assert reread(art.text, s) == edge_key(s.form)
            if "alias" not in s.note:
                assert s.form == wanted[f]
    return n


def test_proclitic_cue_and_speaker_start_after_the_clitic() -> None:
    text = "عنوان\nوقال الوزير إن الاقتصاد ينمو بسرعة. فأكد الوزير أن البطالة تتراجع."
    art = align_article(text, {"quotes": [q("الاقتصاد ينمو بسرعة", "قال", "الوزير"),
                                          q("البطالة تتراجع", "أكد", "الوزير")]})
    a, b = art.quotes
    assert a.spans["cue"].text == "قال" and text[a.spans["cue"].start - 1] == "و"
    assert b.spans["cue"].text == "أكد" and text[b.spans["cue"].start - 1] == "ف"
    # each quote's speaker is the mention of its own sentence
    assert a.spans["speaker"].start < a.spans["content"].start
    assert a.spans["content"].start < b.spans["speaker"].start < b.spans["content"].start
    assert check_spans(art) == 6


def test_repeated_content_takes_distinct_occurrences_in_reading_order() -> None:
    text = "قال زيد «نعم». وقال عمرو «نعم». ثم قال خالد «نعم»."
    gold = {"quotes": [q("نعم", "قال", "زيد"), q("نعم", "قال", "عمرو"), q("نعم", "قال", "خالد")]}
    art = align_article(text, gold)
    starts = [x.spans["content"].start for x in art.quotes]
    assert starts == sorted(starts) and len(set(starts)) == 3
    speakers = [x.spans["speaker"].text for x in art.quotes]
    assert speakers == ["زيد", "عمرو", "خالد"]
    # each cue is the one just before its content
    for x in art.quotes:
        assert 0 < x.spans["content"].start - x.spans["cue"].end < 12
    check_spans(art)


def test_more_gold_quotes_than_occurrences_is_reported() -> None:
    text = "قال زيد «نعم»."
    art = align_article(text, {"quotes": [q("نعم", "قال", "زيد"), q("نعم", "قال", "زيد")]})
    assert "content" in art.quotes[0].spans
    assert art.quotes[1].unplaced["content"] == TOO_FEW


def test_repeated_content_prefers_the_occurrence_near_its_cue() -> None:
    text = "الحكومة تدعم الحوار\nأكد الوزير أن الحكومة تدعم الحوار."
    art = align_article(text, {"quotes": [q("الحكومة تدعم الحوار", "أكد", "الوزير")]})
    c = art.quotes[0].spans["content"]
    assert c.start > text.index("\n") and "of 2 occurrences" in c.note


def test_dropped_subject_speaker_and_antecedent() -> None:
    text = ("قال وزير الخارجية أحمد عطاف إن العلاقات متينة. وأضاف عطاف أن التعاون سيتعزز. "
            "وتابع أن الزيارة ناجحة.")
    gold = {"quotes": [
        q("العلاقات متينة", "قال", "أحمد عطاف"),
        q("التعاون سيتعزز", "أضاف", "عطاف", "أحمد عطاف"),
        q("الزيارة ناجحة", "تابع", "عطاف", "أحمد عطاف"),
    ]}
    art = align_article(text, gold)
    first, second, third = art.quotes
    assert "antecedent" not in first.wanted()  # speaker == canonical: nothing to link
    local = text.index("عطاف أن")
    assert second.spans["speaker"].start == local
    assert second.spans["antecedent"].start == text.index("أحمد عطاف")
    # a dropped subject: the nearest earlier mention, not one inside the content
    assert third.spans["speaker"].start == local
    assert third.spans["antecedent"].text == "أحمد عطاف"
    check_spans(art)


def test_contracted_addressee_and_alias_via() -> None:
    text = "قال الوزير للصحفيين إن الأزمة انتهت، حسبما نقلت رويترز."
    gold = {
        "quotes": [q("الأزمة انتهت", "قال", "الوزير", addressee="الصحفيين", via="وكالة رويترز")],
        "entities": [{"canonical": "وكالة رويترز", "label": "ORG", "aliases": ["رويترز"]}],
    }
    art = align_article(text, gold)
    quote = art.quotes[0]
    add = quote.spans["addressee"]
    assert add.text == "لصحفيين" and add.contracted and reread(text, add) == edge_key("الصحفيين")
    via = quote.spans["via"]
    assert via.text == "رويترز" and via.form == "رويترز" and "alias" in via.note
    check_spans(art)


def test_unplaced_fields_carry_their_reason() -> None:
    text = "قال الوزير إن الاقتصاد ينمو. وأعلن المتحدثون أن الخطة جاهزة."
    gold = {"quotes": [
        q("الاقتصاد ينمو", "قال", "الوزير", via="فرانس برس"),
        q("الخطة جاهزة", "أعلن", "المتحدث"),
    ]}
    art = align_article(text, gold)
    assert art.quotes[0].unplaced == {"via": ABSENT}
    assert art.quotes[1].unplaced == {"speaker": INSIDE_WORD}  # only inside المتحدثون
    check_spans(art)


def test_edge_punctuation_and_spacing_do_not_matter() -> None:
    text = "الرئيس: \"لن نتراجع عن الإصلاحات\"\nقال الرئيس إن  عبدالله  سيزور البلاد."
    gold = {"quotes": [
        {**q('"لن نتراجع عن الإصلاحات".', ":", "الرئيس"), "kind": "direct"},
        q("عبد الله سيزور البلاد.", "قال", "الرئيس"),
    ]}
    art = align_article(text, gold)
    a, b = art.quotes
    assert a.spans["content"].text == "لن نتراجع عن الإصلاحات"
    assert a.spans["cue"].text == ":"
    assert b.spans["content"].text == "عبدالله  سيزور البلاد"
    check_spans(art)


_WORDS = ["الوزير", "قال", "إن", "البلاد", "تدعم", "الحوار", "وأكد", "أن", "الحكومة", "مستعدة", "،", ".", "«", "»"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), min_size=3, max_size=25), st.data())
def test_any_token_run_round_trips(words: list[str], data: st.DataObject) -> None:
    """A content cut at token boundaries from any text is placed and re-reads to itself."""
    text = " ".join(words)
    i = data.draw(st.integers(0, len(words) - 1))
    j = data.draw(st.integers(i + 1, len(words)))
    content = " ".join(words[i:j])
    art = align_article(text, {"quotes": [q(content, "قال", "الوزير")]})
    quote = art.quotes[0]
    if edge_key(content) and not all(w in "،.«»" for w in words[i:j]):
        assert "content" in quote.spans
    check_spans(art)


def _shared_split(shared_dir: Path, name: str) -> Path:
    d = shared_dir / "eval" / name
    if not d.is_dir():
        pytest.skip(f"../shared/eval/{name} is not present")
    return d


@pytest.mark.slow
def test_every_placed_span_of_train_round_trips(shared_dir: Path) -> None:
    arts, report = align_dir(_shared_split(shared_dir, "train"))
    assert arts and not report.errors
    checked = sum(check_spans(a) for a in arts)
    assert checked == sum(report.placed.values())
    # the figures of the README: nearly everything is placed
    for f in ("content", "cue", "speaker"):
        assert report.placed[f] / report.gold[f] > 0.98


# --- the command line ---------------------------------------------------------


def _gold_dir(tmp_path: Path) -> Path:
    d = tmp_path / "gold"
    d.mkdir()
    (d / "001.txt").write_text("عنوان\nوقال الوزير إن الاقتصاد ينمو.\n", encoding="utf-8")
    (d / "001.json").write_text(json.dumps({"id": "001", "quotes": [
        q("الاقتصاد ينمو", "قال", "الوزير", via="رويترز")]}, ensure_ascii=False), encoding="utf-8")
    return d


def test_cli_eval_align_table_and_json(tmp_path: Path) -> None:
    d = _gold_dir(tmp_path)
    runner = CliRunner()
    table = runner.invoke(cli, ["eval", "align", str(d), "--show-unplaced"], catch_exceptions=False)
    assert table.exit_code == 0
    assert "content" in table.output and "absent from the text" in table.output and "رويترز" in table.output
    res = runner.invoke(cli, ["eval", "align", str(d), "-f", "json"], catch_exceptions=False)
    assert res.exit_code == 0
    data = json.loads(res.stdout)
    assert data["fields"]["content"] == {"gold": 1, "placed": 1, "unplaced": 0, "placed_among_several": 0, "reasons": {}}
    assert data["fields"]["via"]["reasons"] == {ABSENT: 1}
    assert "unplaced" not in data
    res = runner.invoke(cli, ["eval", "align", str(d), "-f", "json", "--show-unplaced"], catch_exceptions=False)
    assert json.loads(res.stdout)["unplaced"] == [
        {"id": "001", "quote": 0, "field": "via", "gold": "رويترز", "reason": ABSENT}]


def test_cli_eval_align_help_shows_examples() -> None:
    res = CliRunner().invoke(cli, ["eval", "align", "--help"], catch_exceptions=False)
    assert res.exit_code == 0 and "newsan eval align" in res.output


def test_cli_eval_align_missing_or_empty_dir_is_usage_error(tmp_path: Path) -> None:
    runner = CliRunner()
    res = runner.invoke(cli, ["eval", "align", str(tmp_path / "nope")])
    assert res.exit_code == 2
    assert "does not exist" in res.stderr and "Traceback" not in res.output
    empty = tmp_path / "empty"
    empty.mkdir()
    res = runner.invoke(cli, ["eval", "align", str(empty)])
    assert res.exit_code == 2
    assert "no NNN.txt / NNN.json pairs found" in res.stderr and "Traceback" not in res.output


def test_cli_eval_align_bad_gold_file_is_reported_and_the_rest_runs(tmp_path: Path) -> None:
    d = _gold_dir(tmp_path)
    (d / "002.txt").write_text("نص\n", encoding="utf-8")
    (d / "002.json").write_text("{not json", encoding="utf-8")
    res = CliRunner().invoke(cli, ["eval", "align", str(d), "-f", "json"])
    assert res.exit_code == 1
    errors = [line for line in res.stderr.splitlines() if line.startswith("newsan: error:")]
    assert len(errors) == 1 and "002.json" in errors[0]
    data = json.loads(res.stdout)
    assert data["articles"] == 1 and data["fields"]["content"]["placed"] == 1
