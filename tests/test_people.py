"""One person, one name within an article: the clustering of mentions
(:func:`newsan.aggregate.build_entities`) and the speaker canonicals that the
pipeline takes from it (:func:`newsan.aggregate.unify_speakers`)."""

from __future__ import annotations

from newsan.aggregate import build_entities, name_key, person_canonical, unify_speakers
from newsan.model import Entity, Quote, Span


def _span(text: str, label: str, start: int) -> Span:
    return Span(start, start + len(text), text, label)


def _ent(canonical: str, label: str = "PERS", aliases: tuple[str, ...] = (), count: int = 1) -> Entity:
    spans = tuple(_span(canonical, label, 10 * k) for k in range(count))
    return Entity(canonical, label, aliases, spans)


def _quote(speaker: str | None, canonical: str | None) -> Quote:
    sp = _span(speaker, "", 0) if speaker else None
    content = _span("كلام", "", 50)
    return Quote("indirect", _span("قال", "", 40), content, sp, canonical, None, None, None, None, None, 0)


def test_spelling_variants_of_one_name_are_one_key() -> None:
    assert name_key("عبد الله صالح") == name_key("عبدالله صالح") == name_key("عبد اللّه صالح")
    assert name_key("أبو بكر") == name_key("ابوبكر")
    ents = build_entities([_span("علي عبد الله صالح", "PERS", 0), _span("علي عبدالله صالح", "PERS", 30)])
    assert len(ents) == 1 and ents[0].count == 2


def test_given_name_and_mislabelled_surname_join_the_full_name() -> None:
    ents = build_entities(
        [
            _span("إيمانويل ماكرون", "PERS", 0),
            _span("ماكرون", "LOC", 30),  # the tagger's slip on one mention
            _span("ماكرون", "PERS", 50),
            _span("إيمانويل", "PERS", 70),
            _span("باريس", "LOC", 90),
        ]
    )
    got = {(e.canonical, e.label, e.count) for e in ents}
    assert got == {("إيمانويل ماكرون", "PERS", 4), ("باريس", "LOC", 1)}


def test_a_place_is_not_swallowed_by_a_person() -> None:
    # only a person's first or last name part joins it; a middle word does not
    ents = build_entities([_span("محمد بن سلمان آل سعود", "PERS", 0), _span("سلمان", "LOC", 40)])
    assert len(ents) == 2


def test_speaker_with_role_in_apposition_takes_the_entity_name() -> None:
    ents = [_ent("إيمانويل ماكرون", count=3), _ent("فرنسا", "LOC")]
    assert person_canonical("الرئيس الفرنسي إيمانويل ماكرون", ents) == "إيمانويل ماكرون"
    assert person_canonical("ماكرون", ents) == "إيمانويل ماكرون"
    assert person_canonical("الوزير", ents) is None
    assert person_canonical("فرنسا", ents) is None  # people only


def test_ambiguous_given_name_is_left_alone() -> None:
    ents = [_ent("محمد الغنوشي"), _ent("محمد عبو")]
    assert person_canonical("محمد", ents) is None
    assert person_canonical("محمد عبو", ents) == "محمد عبو"


def test_unify_speakers_rewrites_only_the_canonical() -> None:
    ents = [_ent("وانغ يي", aliases=("وانغ",), count=2)]
    q1 = _quote("وزير الخارجية وانغ يي", "وزير الخارجية وانغ يي")
    q2 = _quote("مصدر", "مصدر")
    out = unify_speakers([q1, q2], ents)
    assert out[0].speaker_canonical == "وانغ يي" and out[0].speaker == q1.speaker
    assert out[1] is q2
