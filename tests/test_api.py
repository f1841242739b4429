"""The Python API: newsan.analyze (one article, with metadata) and newsan.analyze_many (a batch)."""

from __future__ import annotations

import logging

import pytest

import newsan
from conftest import assert_spans_exact
from newsan.errors import InputError, NewsanError

TEXT = "الوزير يؤكد أهمية التعاون\nقال وزير الخارجية إن العلاقات بين البلدين متينة.\n"
BODY = "قال وزير الخارجية إن العلاقات بين البلدين متينة.\n"


def test_api_analyze_keeps_metadata_and_offsets() -> None:
    rec = newsan.analyze(TEXT, id="a1", meta={"outlet": "وكالة", "date": "2017-01-02", "url": "https://x.org/1"})
    assert rec["id"] == "a1" and rec["title"] == "الوزير يؤكد أهمية التعاون"
    assert rec["meta"] == {"outlet": "وكالة", "date": "2017-01-02", "url": "https://x.org/1"}
    assert "العلاقات بين البلدين متينة" in [q["content"]["text"] for q in rec["quotes"]]
    assert_spans_exact(rec, TEXT)


def test_api_analyze_with_title_joins_it_to_the_text() -> None:
    rec = newsan.analyze(BODY, id="a2", title="الوزير يؤكد أهمية التعاون")
    assert rec["title"] == "الوزير يؤكد أهمية التعاون"
    assert_spans_exact(rec, TEXT)  # offsets count from the title, as for JSON Lines records


@pytest.mark.parametrize("text, reason", [("", "empty document"), ("hello world", "no Arabic text")])
def test_api_analyze_bad_input_raises(text: str, reason: str) -> None:
    with pytest.raises(InputError, match=reason):
        newsan.analyze(text)


def test_api_analyze_unknown_backend() -> None:
    with pytest.raises(NewsanError):
        newsan.analyze(TEXT, ner="nonsense")


def test_api_analyze_many_in_order_with_ids_and_metadata() -> None:
    items = [TEXT, {"id": "x", "title": "عنوان", "text": BODY, "outlet": "صحيفة"}, {"text": TEXT}]
    recs = list(newsan.analyze_many(items))
    assert [r["id"] for r in recs] == ["1", "x", "3"]
    assert recs[1]["meta"] == {"outlet": "صحيفة"} and recs[1]["title"] == "عنوان"
    assert recs[0]["quotes"] == recs[2]["quotes"]
    assert "العلاقات بين البلدين متينة" in [q["content"]["text"] for q in recs[1]["quotes"]]


def test_api_analyze_many_errors(caplog: pytest.LogCaptureFixture) -> None:
    items = [TEXT, "", {"id": "n", "text": 5}, TEXT]
    with pytest.raises(InputError, match="empty document"):
        list(newsan.analyze_many(items))
    with caplog.at_level(logging.WARNING, logger="newsan"):
        recs = list(newsan.analyze_many(items, errors="skip"))
    assert [r["id"] for r in recs] == ["1", "4"]
    assert "empty document" in caplog.text and "no 'text' string" in caplog.text
    with pytest.raises(ValueError, match="errors must be"):
        list(newsan.analyze_many(items, errors="ignore"))


@pytest.mark.slow
def test_api_analyze_many_workers_give_the_same_records() -> None:
    items = [{"id": str(i), "text": TEXT} for i in range(12)]
    assert list(newsan.analyze_many(items, jobs=2)) == list(newsan.analyze_many(items, jobs=1))


@pytest.mark.parametrize("fn", [newsan.analyze, newsan.analyze_many])
def test_api_is_documented(fn: object) -> None:
    doc = fn.__doc__ or ""
    assert len(doc) > 200 and "Raises" in doc or "errors" in doc
