"""The corpus view (:class:`newsan.aggregate.CorpusSummary`) and ``newsan analyze --summary``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from newsan.aggregate import CorpusSummary, _day
from newsan.cli import cli


def span(text: str, canonical: str | None = None) -> dict[str, Any]:
    d: dict[str, Any] = {"text": text, "start": 0, "end": len(text)}
    if canonical:
        d["canonical"] = canonical
    return d


def quote(speaker: str | None, addressee: str | None = None, via: str | None = None) -> dict[str, Any]:
    return {
        "kind": "direct",
        "cue": span("قال"),
        "content": span("كلام"),
        "speaker": span(speaker.split()[-1], speaker) if speaker else None,
        "role": None,
        "addressee": span(addressee, addressee) if addressee else None,
        "via": span(via, via) if via else None,
        "sentence": 0,
    }


def entity(canonical: str, label: str, sentences: list[int]) -> dict[str, Any]:
    return {
        "canonical": canonical,
        "label": label,
        "aliases": [],
        "count": len(sentences),
        "mentions": [{**span(canonical), "sentence": s} for s in sentences],
    }


def record(quotes: list[dict[str, Any]], entities: list[dict[str, Any]], **meta: Any) -> dict[str, Any]:
    return {"id": "x", "path": "x", "title": "", "meta": meta, "stats": {}, "quotes": quotes,
            "entities": entities, "warnings": []}


def test_speakers_addressees_and_via() -> None:
    s = CorpusSummary()
    s.add_record(record([quote("عادل الجبير", addressee="الصحفيين"), quote("عادل الجبير", via="رويترز"),
                         quote("بان كي مون"), quote(None)], []))
    s.add_record(record([quote("عادل الجبير", addressee="الصحفيين")], []))
    d = s.to_dict()
    assert d["documents"] == 2 and d["quotes"] == 5
    top = d["top_speakers"]
    assert [(t["speaker"], t["quotes"]) for t in top] == [("عادل الجبير", 3), ("بان كي مون", 1)]
    assert top[0]["addressees"] == {"الصحفيين": 2}
    assert top[0]["via"] == {"رويترز": 1}
    assert top[1]["addressees"] == {} and top[1]["via"] == {}


def test_top_entities_per_label_count_mentions_and_documents() -> None:
    s = CorpusSummary()
    s.add_record(record([], [entity("الرياض", "LOC", [0, 1, 2]), entity("الأمم المتحدة", "ORG", [1])]))
    s.add_record(record([], [entity("الرياض", "LOC", [0])]))
    ents = s.to_dict()["top_entities"]
    assert set(ents) == {"PERS", "LOC", "ORG", "MISC"}
    assert ents["LOC"] == [{"canonical": "الرياض", "mentions": 4, "documents": 2}]
    assert ents["ORG"] == [{"canonical": "الأمم المتحدة", "mentions": 1, "documents": 1}]
    assert ents["PERS"] == [] and ents["MISC"] == []


def test_cooccurrence_counts_pairs_once_per_sentence() -> None:
    s = CorpusSummary()
    s.add_record(record([], [
        entity("الرياض", "LOC", [0, 0, 2]),  # twice in sentence 0: still one pair there
        entity("جدة", "LOC", [0, 2]),
        entity("الجبير", "PERS", [0, 5]),
        entity("القاهرة", "LOC", [7]),  # alone in its sentence: no pair
    ]))
    s.add_record(record([], [entity("جدة", "LOC", [3]), entity("الرياض", "LOC", [3])]))
    pairs = {(c["a"], c["b"]): c["sentences"] for c in s.to_dict()["cooccurrence"]}
    assert pairs == {
        tuple(sorted(("الرياض", "جدة"))): 3,
        tuple(sorted(("الرياض", "الجبير"))): 1,
        tuple(sorted(("جدة", "الجبير"))): 1,
    }
    # pairs are ordered (a < b), so the same pair is never counted under two keys
    assert all(a < b for a, b in s.cooccurrence)


def test_quotes_per_outlet_and_day() -> None:
    s = CorpusSummary()
    s.add_record(record([quote("أ"), quote("ب")], [], outlet="Okaz", date="2015-07-21 02:54:56"))
    s.add_record(record([quote("أ")], [], outlet="Okaz", date="2015-07-22 10:00:00"))
    s.add_record(record([quote("ج")], [], outlet="Jawhara FM", date="21/07/2015"))  # ANT style
    s.add_record(record([], [], outlet="Sabq", date="2015-07-23"))  # no quotes: counted as a document only
    s.add_record(record([quote("د")], [], source="ant/jawharafm"))  # no outlet: the source; no date
    d = s.to_dict()
    assert d["quotes_per_outlet"] == {"Okaz": 3, "Jawhara FM": 1, "ant/jawharafm": 1}
    assert d["documents_per_outlet"] == {"Okaz": 2, "Jawhara FM": 1, "Sabq": 1, "ant/jawharafm": 1}
    assert d["quotes_per_day"] == {"2015-07-21": 3, "2015-07-22": 1}
    assert list(d["quotes_per_day"]) == sorted(d["quotes_per_day"])


@pytest.mark.parametrize(
    "value, day",
    [
        ("2015-07-21 02:54:56", "2015-07-21"),
        ("2017-03-18T10:00:00+01:00", "2017-03-18"),
        ("21/07/2015", "2015-07-21"),
        ("1/7/2015 10:30", "2015-07-01"),
        ("2017/3/8", "2017-03-08"),
        ("31/13/2015", None),
        ("yesterday", None),
        ("", None),
        (None, None),
        (20150721, None),
    ],
)
def test_day_formats(value: Any, day: str | None) -> None:
    assert _day(value) == day


def test_failures_are_counted_by_reason() -> None:
    s = CorpusSummary()
    s.add_failure("invalid JSON")
    s.add_failure("invalid JSON")
    s.add_failure("empty document")
    d = s.to_dict()
    assert d["failed"] == 3
    assert d["failures"] == {"invalid JSON": 2, "empty document": 1}


def test_memory_is_bounded_and_top_counts_survive() -> None:
    """Millions of distinct rare entities and pairs: counters stay under the cap,
    the frequent ones keep exact counts, and the view says it is approximate."""
    s = CorpusSummary(max_keys=1000)
    for i in range(6000):
        ents = [entity("الرياض", "LOC", [0]), entity(f"مكان{i}", "LOC", [0]), entity(f"شخص{i}", "PERS", [0])]
        s.add_record(record([quote("عادل الجبير"), quote(f"متحدث{i}")], ents))
    assert len(s.cooccurrence) <= 1000
    assert all(len(c) <= 1000 for c in s.entities.values())
    assert all(len(c) <= 1000 for c in s.entity_docs.values())
    assert len(s.speakers) <= 1000
    d = s.to_dict()
    assert d["approximate"] is True
    assert d["top_entities"]["LOC"][0] == {"canonical": "الرياض", "mentions": 6000, "documents": 6000}
    assert d["top_speakers"][0]["speaker"] == "عادل الجبير" and d["top_speakers"][0]["quotes"] == 6000
    assert d["documents"] == 6000 and d["quotes"] == 12000


def test_small_corpus_is_exact() -> None:
    s = CorpusSummary()
    s.add_record(record([quote("أ")], [entity("الرياض", "LOC", [0])]))
    assert s.to_dict()["approximate"] is False


# -- the command line ----------------------------------------------------------------------------

DOCS = [
    {"id": "1", "title": "الجبير: ندعم الحل السياسي",
     "text": "قال وزير الخارجية عادل الجبير في الرياض إن المملكة تدعم الحل السياسي في اليمن.\n"
             "وأضاف الجبير: «لن نسمح بتهديد أمن المنطقة».",
     "outlet": "Okaz", "date": "2015-07-21 02:54:56"},
    {"id": "2", "title": "مظاهرات",
     "text": "أكد الأمين العام للأمم المتحدة بان كي مون أن المفاوضات ستستأنف في جنيف.\n"
             "وقال المتحدث باسم الأمم المتحدة إن الوضع في اليمن خطير.",
     "outlet": "Sabq", "date": "2015-07-22 10:00:00"},
    {"id": "3", "title": "خبر",
     "text": "قال الرئيس التونسي إن الحكومة ستعلن عن إجراءات جديدة في تونس.",
     "outlet": "Jawhara FM", "date": "22/07/2015"},
]


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    from newsan.pipeline import Analyzer

    try:
        Analyzer(ner="none").check()
    except Exception as exc:  # noqa: BLE001
        pytest.skip(f"the analyzer cannot load here ({exc})")
    path = tmp_path / "news.jsonl"
    path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in DOCS), encoding="utf-8")
    return path


def test_cli_summary_json_is_only_the_corpus_view(corpus: Path) -> None:
    result = CliRunner().invoke(cli, ["analyze", str(corpus), "--ner", "none", "-j", "1", "--summary",
                                      "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert "documents" in data and data["documents"] == 3 and data["failed"] == 0
    for key in ("top_speakers", "top_entities", "cooccurrence", "quotes_per_outlet", "quotes_per_day",
                "documents_per_outlet"):
        assert key in data
    assert set(data["documents_per_outlet"]) == {"Okaz", "Sabq", "Jawhara FM"}
    assert set(data["quotes_per_outlet"]) <= {"Okaz", "Sabq", "Jawhara FM"}
    assert set(data["quotes_per_day"]) <= {"2015-07-21", "2015-07-22"}
    assert sum(data["quotes_per_outlet"].values()) == data["quotes"]
    assert sum(t["quotes"] for t in data["top_speakers"]) <= data["quotes"]


def test_cli_summary_matches_records(corpus: Path, tmp_path: Path) -> None:
    """The corpus view of --summary is the fold of the per-document records."""
    from newsan.store import Archive, Store

    runner = CliRunner()
    lines = runner.invoke(cli, ["analyze", str(corpus), "--ner", "none", "-j", "1", "-f", "jsonl"]).stdout
    expected = CorpusSummary(archive=Archive(Store(tmp_path / "view.db")))
    for line in lines.splitlines():
        expected.add_record(json.loads(line))
    got = json.loads(runner.invoke(cli, ["analyze", str(corpus), "--ner", "none", "-j", "2", "--summary",
                                         "-f", "json"]).stdout)
    assert got == json.loads(json.dumps(expected.to_dict(), ensure_ascii=False))


def test_cli_json_carries_documents_and_summary(corpus: Path) -> None:
    result = CliRunner().invoke(cli, ["analyze", str(corpus), "--ner", "none", "-j", "1", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [d["id"] for d in data["documents"]] == ["1", "2", "3"]
    assert data["summary"]["documents"] == 3


def test_cli_summary_table(corpus: Path) -> None:
    result = CliRunner().invoke(cli, ["analyze", str(corpus), "--ner", "none", "-j", "1", "--summary"])
    assert result.exit_code == 0, result.output
    assert "Corpus summary" in result.stdout
    assert "3 documents analyzed" in result.stdout
