from __future__ import annotations

import pytest

from newsan.evaluate import score_article, score_tokens, speaker_correct


def test_evaluate_score_tokens_normalizes() -> None:
    assert score_tokens("«أكّدَ» الوزيــرُ، إنّ المدرسة") == ["اكد", "الوزير", "ان", "المدرسه"]


@pytest.mark.parametrize(
    "pred, gold, ok",
    [
        ({"speaker": "وانغ", "speaker_canonical": "وانغ يي"}, {"speaker": "وانغ يي", "speaker_canonical": "وانغ يي"}, True),
        ({"speaker": "الوزير", "speaker_canonical": None}, {"speaker": "وزير الخارجية", "speaker_canonical": "عادل الجبير"}, False),
        ({"speaker": "بيسكوف", "speaker_canonical": None}, {"speaker": "ديمتري بيسكوف", "speaker_canonical": "ديمتري بيسكوف"}, True),
        ({"speaker": None, "speaker_canonical": None}, {"speaker": "x", "speaker_canonical": "x"}, False),
    ],
)
def test_evaluate_speaker_rule(pred: dict, gold: dict, ok: bool) -> None:
    assert speaker_correct(pred, gold) is ok


def test_evaluate_matching_and_entities() -> None:
    gold = {
        "id": "t",
        "quotes": [
            {"kind": "indirect", "content": "الاجتماع كان مثمرا جدا", "speaker": "الوزير", "speaker_canonical": "الوزير"},
            {"kind": "direct", "content": "نحن جاهزون", "speaker": "زيد", "speaker_canonical": "زيد"},
        ],
        "entities": [{"canonical": "وانغ يي", "label": "PERS", "aliases": ["وانغ"]},
                     {"canonical": "موسكو", "label": "LOC", "aliases": []}],
    }
    pred = {
        "quotes": [
            {"kind": "mixed", "content": "الاجتماع كان مثمرا", "speaker": "الوزير", "speaker_canonical": None},
            {"kind": "direct", "content": "شيء آخر تماما", "speaker": "عمرو", "speaker_canonical": None},
        ],
        "entities": [{"canonical": "وانغ", "label": "PERS"}, {"canonical": "موسكو", "label": "ORG"}],
    }
    s = score_article(pred, gold)
    q = s.quotes.as_dict()
    assert (q["matched"], q["precision"], q["recall"], q["speaker_accuracy"], q["kind_accuracy"]) == (1, 0.5, 0.5, 1.0, 0.0)
    e = s.entities.as_dict()
    assert (e["correct"], e["predicted"], e["gold_found"], e["gold"]) == (1, 2, 1, 2)


def test_entity_scores_per_label_add_up() -> None:
    gold = {
        "id": "t",
        "quotes": [],
        "entities": [{"canonical": "وانغ يي", "label": "PERS", "aliases": ["وانغ"]},
                     {"canonical": "موسكو", "label": "LOC", "aliases": []}],
    }
    pred = {"quotes": [], "entities": [{"canonical": "وانغ", "label": "PERS"}, {"canonical": "موسكو", "label": "ORG"}]}
    s = score_article(pred, gold)
    by = s.entities.as_dict()["by_label"]
    # (predicted, correct, gold, found) per label: موسكو as ORG is wrong for ORG and missed for LOC
    assert {lab: (v["predicted"], v["correct"], v["gold"], v["gold_found"]) for lab, v in by.items()} == {
        "LOC": (0, 0, 1, 0),
        "ORG": (1, 0, 0, 0),
        "PERS": (1, 1, 1, 1),
    }
    assert by["PERS"]["f1"] == 1.0 and by["LOC"]["recall"] == 0.0
    twice = (s + s).entities.as_dict()
    assert twice["by_label"]["PERS"]["gold"] == 2 and twice["gold"] == 4
    for k in ("predicted", "correct", "gold", "gold_found"):
        assert sum(v[k] for v in twice["by_label"].values()) == twice[k]
