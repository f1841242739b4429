"""Identities across a corpus (newsan.identity): spelling variants and partial
names merged, different people sharing a name part never merged."""

from __future__ import annotations

import pytest

from newsan.identity import IdentityResolver, name_key, speaker_kind


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("أوباما", "اوباما"),  # hamza on alef
        ("إبراهيم", "ابراهيم"),
        ("مصطفى", "مصطفي"),  # alef maksura / yaa
        ("فاطمة الزهراء", "فاطمه الزهراء"),  # teh marbuta / heh
        ("عبد الله بن عبد العزيز", "عبدالله بن عبدالعزيز"),  # spacing of عبد ال…
        ("عبد ربه منصور هادي", "عبدربه منصور هادي"),
        ("أبو بكر البغدادي", "أبوبكر البغدادي"),
        ("دونالد ترامب", "دونالد ترمب"),  # transliteration variant (speakers.yaml)
        ("عادلُ الجُبَير", "عادل الجبير"),  # diacritics
        ("الشيخ أحمد الفهد", "أحمد الفهد"),  # a leading honorific
    ],
)
def test_identity_name_key_joins_spelling_variants(a: str, b: str) -> None:
    assert name_key(a) == name_key(b)


@pytest.mark.parametrize(("a", "b"), [("محمد", "محمود"), ("يوسف الشاهد", "حافظ الشاهد"), ("سعد", "سعيد")])
def test_identity_name_key_keeps_different_names_apart(a: str, b: str) -> None:
    assert name_key(a) != name_key(b)


def _resolve(names: list[tuple[str, str | None]], ties: list[tuple[str, str]]) -> dict[str, int]:
    r = IdentityResolver()
    for form, label in names:
        r.add_name(form, label)
    for short, long in ties:
        r.add_tie(short, long)
    _, key_to_id = r.resolve()
    return {form: key_to_id[r.key(form)] for form, _ in names}


def test_identity_partial_name_joins_the_full_name_the_corpus_ties_it_to() -> None:
    ids = _resolve(
        [("باراك أوباما", "PERS"), ("باراك اوباما", "PERS"), ("أوباما", "PERS"), ("اوباما", None)],
        [("أوباما", "باراك أوباما"), ("أوباما", "باراك اوباما")],
    )
    assert len(set(ids.values())) == 1


def test_identity_variants_are_listed() -> None:
    r = IdentityResolver()
    for form in ("باراك أوباما", "باراك أوباما", "باراك اوباما", "أوباما"):
        r.add_name(form, "PERS")
    r.add_tie("أوباما", "باراك أوباما")
    (ident,), _ = r.resolve()
    assert ident.name == "باراك أوباما"
    assert ident.variants == ["أوباما", "باراك اوباما"]


def test_identity_people_sharing_a_family_name_are_never_merged() -> None:
    # the corpus ties الشاهد to two different people: it joins neither, and they stay apart
    ids = _resolve(
        [("يوسف الشاهد", "PERS"), ("حافظ الشاهد", "PERS"), ("الشاهد", "PERS")],
        [("الشاهد", "يوسف الشاهد"), ("الشاهد", "حافظ الشاهد")],
    )
    assert len({ids["يوسف الشاهد"], ids["حافظ الشاهد"], ids["الشاهد"]}) == 3


def test_identity_bare_given_name_is_not_merged_corpus_wide() -> None:
    ids = _resolve([("ناصر القصبي", "PERS"), ("ناصر", "PERS")], [("ناصر", "ناصر القصبي")])
    assert ids["ناصر"] != ids["ناصر القصبي"]


def test_identity_given_name_as_last_word_is_not_a_family_name() -> None:
    ids = _resolve([("رامي عبد الرحمن", "PERS"), ("عبدالرحمن", "PERS")], [("عبدالرحمن", "رامي عبد الرحمن")])
    assert ids["عبدالرحمن"] != ids["رامي عبد الرحمن"]


def test_identity_untied_partial_name_is_not_merged() -> None:
    ids = _resolve([("باراك أوباما", "PERS"), ("أوباما", "PERS")], [])
    assert ids["باراك أوباما"] != ids["أوباما"]


def test_identity_name_without_middle_parts_joins_a_unique_full_name() -> None:
    ids = _resolve(
        [("عبدالله بن عبدالعزيز الربيعة", "PERS"), ("عبدالله الربيعة", "PERS"), ("عبدالله بن محمد الربيعة", None)],
        [],
    )
    # two full names fit عبدالله … الربيعة: it stays apart from both
    assert len(set(ids.values())) == 3
    ids = _resolve([("عبدالله بن عبدالعزيز الربيعة", "PERS"), ("عبدالله الربيعة", "PERS")], [])
    assert len(set(ids.values())) == 1


def test_identity_role_or_source_noun_never_joins_a_person() -> None:
    # an article wrote المصدر for a named person once; المصدر stays anonymous
    ids = _resolve([("سوري معارض", None), ("المصدر", None)], [("المصدر", "سوري معارض")])
    assert ids["المصدر"] != ids["سوري معارض"]


def test_identity_labels_must_agree() -> None:
    ids = _resolve([("سلمان", "PERS"), ("جامعة سلمان", "ORG")], [("سلمان", "جامعة سلمان")])
    assert ids["سلمان"] != ids["جامعة سلمان"]


@pytest.mark.parametrize(
    ("name", "label", "kind"),
    [
        ("باراك أوباما", "PERS", "person"),
        ("رأفت الصباغ", None, "person"),
        ("عبدالعزيز بن عبدالله آل الشيخ", None, "person"),
        ("وزارة الداخلية", "ORG", "institution"),
        ("وزارة الداخلية", None, "institution"),
        ("قيادة القوات المشتركة", "PERS", "institution"),
        ("المصدر", None, "anonymous"),
        ("مصادر مطلعة", None, "anonymous"),
        ("مصدر أمني", "ORG", "anonymous"),
        ("صحيفة", "ORG", "anonymous"),
        ("التقرير", None, "anonymous"),
        ("المتحدث الرسمي", None, "role"),
        ("وزير الخارجية", None, "role"),
        ("المشرف العام", "PERS", "role"),  # a title the tagger called a person
        ("الشاهد", "PERS", "role"),
        ("خلاله", None, "garbage"),
        ("البعض", None, "garbage"),
        ("تعالى", None, "garbage"),
        ("عز وجل", None, "garbage"),
        ("النقاب", None, "garbage"),
        ("م", None, "garbage"),
        ("أف أم", None, "garbage"),
    ],
)
def test_identity_speaker_kind(name: str, label: str | None, kind: str) -> None:
    assert speaker_kind(name, label) == kind
