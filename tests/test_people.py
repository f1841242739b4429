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


def _at(text: str, part: str, label: str = "", nth: int = 0) -> Span:
    start = -1
    for _ in range(nth + 1):
        start = text.index(part, start + 1)
    return Span(start, start + len(part), part, label)


_ROLE_TEXT = (
    "قالت الخبيرة في التغذية ليلى علوان إن الأسعار ارتفعت. "
    "وأضافت الخبيرة أن الحل في الرقابة. "
    "من جهته قال الوزير محمد الطرابلسي إن الوزارة ستتدخل."
)


def _role_entities(text: str) -> list[Entity]:
    return [
        Entity("ليلى علوان", "PERS", (), (_at(text, "ليلى علوان", "PERS"),)),
        Entity("محمد الطرابلسي", "PERS", (), (_at(text, "محمد الطرابلسي", "PERS"),)),
    ]


_ROLES = frozenset({"الخبيره", "الوزير", "وزير", "خبير"})


def test_a_role_speaker_takes_the_name_the_article_ties_to_the_role() -> None:
    from newsan.aggregate import role_person

    text = _ROLE_TEXT
    ents = _role_entities(text)
    role = _at(text, "الخبيرة", nth=1)
    assert role_person(role, _at(text, "وأضافت").start, ents, text, _ROLES) == "ليلى علوان"
    # the role of the other person, in its own sentence
    assert role_person(_at(text, "الوزير"), _at(text, "قال", nth=0).start, ents, text, _ROLES) == "محمد الطرابلسي"
    # no title, or a role no named person stands next to: nothing
    assert role_person(_at(text, "الوزارة"), 0, ents, text, _ROLES) is None
    assert role_person(role, 0, [], text, _ROLES) is None


def test_unify_speakers_names_a_role_and_keeps_it_as_the_role() -> None:
    text = _ROLE_TEXT
    ents = _role_entities(text)
    role = _at(text, "الخبيرة", nth=1)
    q = Quote("indirect", _at(text, "وأضافت"), _at(text, "الحل في الرقابة"), role, "الخبيرة", None, None, None, None, None, 1)
    (out,) = unify_speakers([q], ents, text, _ROLES)
    assert out.speaker_canonical == "ليلى علوان" and out.speaker == role and out.role == role
    assert text[out.role.start : out.role.end] == out.role.text
    # without the text (callers that cannot give it), the role stays as it was
    assert unify_speakers([q], ents)[0] is q


def test_a_name_without_its_middle_part_joins_the_full_name() -> None:
    ents = build_entities(
        [
            _span("علي عبد الله صالح", "PERS", 0),
            _span("علي صالح", "PERS", 40),
            _span("محمد المنصف المرزوقي", "PERS", 60),
            _span("محمد المرزوقي", "PERS", 90),
            _span("محمد صالح", "PERS", 120),  # another person: his last name is not المرزوقي
        ]
    )
    got = {(e.canonical, e.aliases, e.count) for e in ents}
    assert ("علي عبد الله صالح", ("علي صالح",), 2) in got
    assert ("محمد المنصف المرزوقي", ("محمد المرزوقي",), 2) in got
    assert ("محمد صالح", (), 1) in got


def test_a_role_finds_its_name_where_the_tagger_missed_it() -> None:
    from newsan.aggregate import role_person

    text = "أكد النائب عن حزب الفلاحين فيصل التبيني أن السوق تضررت. وأوضح فيصل التبيني أن الحل قريب. وأضاف النائب أن الدولة غائبة."
    # the tagger marked only the second occurrence, far from the role
    ents = [Entity("فيصل التبيني", "PERS", (), (_at(text, "فيصل التبيني", "PERS", nth=1),))]
    role = _at(text, "النائب", nth=1)
    assert role_person(role, _at(text, "وأضاف").start, ents, text, _ROLES | {"النائب"}) == "فيصل التبيني"


def test_a_name_belongs_to_the_title_nearest_it() -> None:
    from newsan.aggregate import role_person

    text = "قال كبير الدبلوماسيين الصينيين لواحد من أقرب حلفاء الرئيس فلاديمير بوتين إن العلاقات متينة."
    ents = [Entity("فلاديمير بوتين", "PERS", (), (_at(text, "فلاديمير بوتين", "PERS"),))]
    role = _at(text, "كبير الدبلوماسيين الصينيين")
    # بوتين is الرئيس's name, not the diplomat's
    assert role_person(role, 0, ents, text, frozenset({"كبير", "الرئيس", "رئيس"})) is None
    assert role_person(_at(text, "الرئيس"), 0, ents, text, frozenset({"كبير", "الرئيس", "رئيس"})) == "فلاديمير بوتين"


def test_a_name_after_a_complementizer_is_not_the_role_holder() -> None:
    from newsan.aggregate import role_person

    # وأوضح الإعلامي أن مارين لوبان …: the name is the reported clause's subject
    text = "قال الإعلامي توفيق مجيد إن الجولة صعبة. وأوضح الإعلامي أن مارين لوبان تقدم نفسها ابنة للشعب. وأضاف أن الحسم قريب."
    ents = [
        Entity("توفيق مجيد", "PERS", (), (_at(text, "توفيق مجيد", "PERS"),)),
        Entity("مارين لوبان", "PERS", (), (_at(text, "مارين لوبان", "PERS"),)),
    ]
    titles = frozenset({"الاعلامي", "اعلامي"})
    role = _at(text, "الإعلامي", nth=1)
    assert role_person(role, _at(text, "وأضاف").start, ents, text, titles) == "توفيق مجيد"


def test_a_name_after_close_to_or_with_is_not_the_role_holder() -> None:
    from newsan.aggregate import role_person

    titles = frozenset({"مصدر", "المصدر", "الفريق", "فريق"})
    # a source close to Platini is not Platini
    text = "وأكد مصدر مقرب من ميشال بلاتيني أن الأخير يدرس الترشح."
    ents = [Entity("ميشال بلاتيني", "PERS", (), (_at(text, "ميشال بلاتيني", "PERS"),))]
    assert role_person(_at(text, "مصدر"), _at(text, "وأكد").start, ents, text, titles) is None
    # a team that signed a player is not the player
    text = "عقب تعاقد الفريق مع التشيكي بيتر تشيك. وقال الفريق إن الصفقة تمت."
    ents = [Entity("بيتر تشيك", "PERS", (), (_at(text, "بيتر تشيك", "PERS"),))]
    assert role_person(_at(text, "الفريق", nth=1), _at(text, "وقال").start, ents, text, titles) is None
    # a time word ends the role's phrase: the name after it is the verb's object's
    titles = frozenset({"مسؤول", "المسؤول"})
    text = "اتهم مسؤول ألماني، اليوم الأربعاء، تونس بتأخير ترحيل التونسي أنيس العامري. وأكد المسؤول أن الوثيقة وصلت."
    ents = [Entity("أنيس العامري", "PERS", (), (_at(text, "أنيس العامري", "PERS"),))]
    assert role_person(_at(text, "مسؤول"), 0, ents, text, titles) is None
    # a preposition inside the role phrase keeps the name: حزب المؤتمر من أجل الجمهورية
    titles = frozenset({"القيادي"})
    text = "وقال القيادي في حزب المؤتمر من أجل الجمهورية طارق الكحلاوي إن المسيرة سلمية."
    ents = [Entity("طارق الكحلاوي", "PERS", (), (_at(text, "طارق الكحلاوي", "PERS"),))]
    assert role_person(_at(text, "القيادي"), _at(text, "وقال").start, ents, text, titles) == "طارق الكحلاوي"


def test_a_name_after_a_chain_of_titles_is_the_first_titles() -> None:
    from newsan.aggregate import role_person

    titles = frozenset({"سفير", "خادم", "رئيس", "نائب", "الرئيس", "فخامه", "فخامة"})
    # سفير خادم الحرمين الشريفين … علي عسيري: the ambassador, not the king
    text = "وقال سفير خادم الحرمين الشريفين لدى باكستان علي عسيري إن العلاقات قوية. وأكد خادم الحرمين الشريفين أن المملكة تدعمها."
    ents = [Entity("علي عسيري", "PERS", (), (_at(text, "علي عسيري", "PERS"),))]
    assert role_person(_at(text, "خادم", nth=1), _at(text, "وأكد").start, ents, text, titles) is None
    # نائب رئيس الحكومة يوسف الشاهد: the deputy's name; the deputy's role still finds it
    text = "وقال نائب رئيس الحكومة يوسف الشاهد إن الوضع صعب. وأكد رئيس الحكومة أن الإصلاح ضروري."
    ents = [Entity("يوسف الشاهد", "PERS", (), (_at(text, "يوسف الشاهد", "PERS"),))]
    assert role_person(_at(text, "رئيس الحكومة", nth=1), _at(text, "وأكد").start, ents, text, titles) is None
    assert role_person(_at(text, "نائب رئيس الحكومة"), _at(text, "وأكد").start, ents, text, titles) == "يوسف الشاهد"
    # an honorific before the title governs nothing (فخامة الرئيس …)
    text = "واستقبل فخامة الرئيس عبدربه منصور هادي الوفد. وقال الرئيس إن الوضع مستقر."
    ents = [Entity("عبدربه منصور هادي", "PERS", (), (_at(text, "عبدربه منصور هادي", "PERS"),))]
    assert role_person(_at(text, "الرئيس", nth=1), _at(text, "وقال").start, ents, text, titles) == "عبدربه منصور هادي"


def test_one_word_of_a_name_inside_another_name_is_another_person() -> None:
    # the tagger marked only يوسف of «ألفة يوسف», and يوسف joined يوسف الشاهد:
    # the speaker ألفة يوسف is not يوسف الشاهد
    ents = build_entities([_span("يوسف الشاهد", "PERS", 0), _span("يوسف", "PERS", 40)])
    assert person_canonical("ألفة يوسف", ents) is None
    assert person_canonical("يوسف", ents) == "يوسف الشاهد"
    assert person_canonical("رئيس الحكومة يوسف الشاهد", ents) == "يوسف الشاهد"


def test_a_role_that_begins_with_waw_finds_its_name() -> None:
    from newsan.aggregate import role_person, role_titles
    from newsan.lexicons import load_lexicon

    # وزيرة begins with و: it is not و + زيرة
    text = "قالت اليوم وزيرة السياحة سلمى اللومي إن الموسم واعد. وأكدت وزيرة السياحة أن الحجوزات ارتفعت."
    ents = [Entity("سلمى اللومي", "PERS", (), (_at(text, "سلمى اللومي", "PERS"),))]
    role = _at(text, "وزيرة السياحة", nth=1)
    titles = role_titles(load_lexicon(None))
    assert role_person(role, _at(text, "وأكدت").start, ents, text, titles) == "سلمى اللومي"


def test_a_speaker_that_starts_with_a_name_word_is_that_person() -> None:
    ents = build_entities([_span("مارك زوكربيرغ", "PERS", 0), _span("زوكربيرغ", "PERS", 40)])
    assert person_canonical("زوكربيرغ وزوجته", ents) == "مارك زوكربيرغ"
    assert person_canonical("مكتب زوكربيرغ", ents) is None


def _quote_at(text: str, cue: str, content: str, speaker: str, nth: int = 0) -> Quote:
    sp = _at(text, speaker, nth=nth)
    return Quote("indirect", _at(text, cue), _at(text, content), sp, speaker, None, None, None, None, None, 1)


def test_a_feminine_role_tied_to_no_name_refers_to_the_woman_quoted_before() -> None:
    # the role's head (الخبيرة) never stands beside the name (أستاذة … ليلى علوان)
    text = (
        "قالت أستاذة التغذية ليلى علوان إن الأسعار ارتفعت. "
        "وحذرت الخبيرة من أن الحل في الرقابة. "
        "وقال المسؤول إن الوزارة ستتدخل."
    )
    ents = [Entity("ليلى علوان", "PERS", (), (_at(text, "ليلى علوان", "PERS"),))]
    quotes = [
        _quote_at(text, "قالت", "الأسعار ارتفعت", "ليلى علوان"),
        _quote_at(text, "وحذرت", "الحل في الرقابة", "الخبيرة"),
        _quote_at(text, "وقال", "الوزارة ستتدخل", "المسؤول"),
    ]
    out = unify_speakers(quotes, ents, text, _ROLES | {"المسؤول"})
    assert out[1].speaker_canonical == "ليلى علوان" and out[1].role == quotes[1].speaker
    # a masculine role is the unmarked form: المسؤول may be anyone
    assert out[2].speaker_canonical == "المسؤول"
    # two women quoted before: which one is meant cannot be told
    text2 = "قالت ليلى علوان إن الأسعار ارتفعت. وقالت سلمى اللومي إن الموسم جيد. وحذرت الخبيرة من أن الحل بعيد."
    ents2 = [
        Entity("ليلى علوان", "PERS", (), (_at(text2, "ليلى علوان", "PERS"),)),
        Entity("سلمى اللومي", "PERS", (), (_at(text2, "سلمى اللومي", "PERS"),)),
    ]
    quotes2 = [
        _quote_at(text2, "قالت", "الأسعار ارتفعت", "ليلى علوان"),
        _quote_at(text2, "وقالت", "الموسم جيد", "سلمى اللومي"),
        _quote_at(text2, "وحذرت", "الحل بعيد", "الخبيرة"),
    ]
    assert unify_speakers(quotes2, ents2, text2, _ROLES)[2].speaker_canonical == "الخبيرة"


def test_a_compound_title_finds_its_name() -> None:
    from newsan.aggregate import role_person

    # the title nearest the name (الدولة's كاتب … , رئيس of نائب رئيس) is a later word of the role
    text = "قال نائب رئيس الحكومة يوسف الشاهد إن الوضع صعب. وأكد نائب رئيس الحكومة أن الحل قريب."
    ents = [Entity("يوسف الشاهد", "PERS", (), (_at(text, "يوسف الشاهد", "PERS"),))]
    role = _at(text, "نائب رئيس الحكومة", nth=1)
    titles = frozenset({"نائب", "رئيس", "الرئيس"})
    assert role_person(role, _at(text, "وأكد").start, ents, text, titles) == "يوسف الشاهد"
    # the head itself must stand before the name: الرئيس alone is not نائب رئيس's holder
    text2 = "قال رئيس الحكومة يوسف الشاهد إن الوضع صعب. وأكد نائب رئيس الحكومة أن الحل قريب."
    ents2 = [Entity("يوسف الشاهد", "PERS", (), (_at(text2, "يوسف الشاهد", "PERS"),))]
    assert role_person(_at(text2, "نائب رئيس الحكومة"), _at(text2, "وأكد").start, ents2, text2, titles) is None


def test_a_role_takes_the_name_in_apposition_after_it_when_no_person_was_tagged() -> None:
    from newsan.aggregate import apposed_name, role_titles
    from newsan.lexicons import load_lexicon

    titles = role_titles(load_lexicon(None))
    cases = {
        # between commas, or before a ل-word that names the recipient
        "وشاطرت النائبة عن كتلة الحرة، سماح بوحوال، هذا الرأي.": ("النائبة", "سماح بوحوال"),
        "وأكد المندوب الجهوي للثقافة، علي المرموري لمراسل الإذاعة، أن الدورة ناجحة.": ("المندوب الجهوي للثقافة", "علي المرموري"),
        # a framing phrase or a time between the commas is no name
        "وقال الوزير، في تصريح صحفي، إن الوضع مستقر.": ("الوزير", None),
        "وقال الوزير، اليوم الثلاثاء، إن الوضع مستقر.": ("الوزير", None),
        # the complementizer after the comma is never a name (آن, a given name, folds like إن)
        "وقال مسؤولو الأمن، إن انفجارا وقع.": ("مسؤولو الأمن", None),
        # على the preposition is not علي the given name
        "وقال الوزير، على هامش الندوة، إن الوضع مستقر.": ("الوزير", None),
        # no role: nothing to name
        "وقالت الوزارة، سماح بوحوال، هذا.": ("الوزارة", None),
        # the name closing the role's own phrase, before the comma
        "وقال سفير فرنسا لدى تونس أوليفيي بوافر دارفور، إن الولاية قادرة.": ("سفير فرنسا", None),
        "وقال سفير فرنسا لدى تونس محمد بوافر، إن الولاية قادرة.": ("سفير فرنسا", "محمد بوافر"),
        # a role cut inside a name leaves the rest of the name alone
        "وقال مدير جامعة الإمام محمد بن سعود الإسلامية بالنيابة، إن الجامعة جاهزة.": ("مدير جامعة الإمام محمد بن", None),
    }
    for text, (speaker, name) in cases.items():
        assert apposed_name(_at(text, speaker), text, titles) == name, text

    text = "وشاطرت النائبة عن كتلة الحرة، سماح بوحوال، هذا الرأي."
    q = Quote("indirect", _at(text, "وشاطرت"), _at(text, "هذا الرأي"), _at(text, "النائبة"), "النائبة", None, None, None, None, None, 0)
    (out,) = unify_speakers([q], [], text, titles)
    assert out.speaker_canonical == "سماح بوحوال" and out.role == _at(text, "النائبة")
