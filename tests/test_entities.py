from __future__ import annotations

import pytest

from newsan.aggregate import build_entities, mention_form
from newsan.extract.entities import find_mentions, strip_proclitic
from newsan.lexicons import load_lexicon
from newsan.model import Span
from newsan.segment import segment

PRO = ["وب", "ول", "و", "ف", "ب", "ل", "ك"]


@pytest.mark.parametrize(
    "word, attested, k",
    [
        ("بموسكو", {"موسكو"}, 1),
        ("بكين", {"كين"}, 1),  # only when the remainder is attested
        ("بكين", set(), 0),
        ("واشنطن", set(), 0),
        ("والصين", set(), 1),
        ("وبالصين", set(), 2),
        ("وبوتين", {"بوتين"}, 1),
        # ك "like" / ف "so" + ال: only before an attested remainder
        ("كاليفورنيا", set(), 0),
        ("فالنسيا", set(), 0),
        ("فالصين", {"الصين"}, 1),
        # a two-letter remainder: only behind و, a names-lexicon word or attested
        ("بان", {"ان"}, 0),
        ("لله", {"له"}, 0),
        ("باب", {"اب"}, 0),
        ("وشي", {"شي"}, 1),
        ("واب", set(), 1),
    ],
)
def test_entities_strip_proclitic(word: str, attested: set[str], k: int) -> None:
    assert strip_proclitic(word, attested, PRO, names={"اب"}) == k


def _span(text: str, label: str, start: int = 0) -> Span:
    return Span(start, start + len(text), text, label)


def test_aggregate_canonical_and_aliases() -> None:
    ents = build_entities(
        [
            _span("وانغ يي", "PERS", 0),
            _span("وانغ", "PERS", 20),
            _span("فلاديمير بوتين", "PERS", 40),
            _span("بوتين", "PERS", 60),
            _span("بوتين", "PERS", 80),
            _span("موسكو", "LOC", 100),
            _span("موسكو", "ORG", 120),
            _span("موسكو", "LOC", 140),
            _span("عادل بن أحمد الجبير", "PERS", 160),
            _span("بن", "PERS", 190),
        ]
    )
    got = {(e.canonical, e.label, e.aliases, e.count) for e in ents}
    assert ("وانغ يي", "PERS", ("وانغ",), 2) in got
    assert ("فلاديمير بوتين", "PERS", ("بوتين",), 3) in got
    assert ("موسكو", "LOC", (), 3) in got
    assert ("بن", "PERS", (), 1) in got  # a middle name part is not an alias


def test_aggregate_mention_form_contracted_article() -> None:
    assert mention_form(_span("للحكومة", "ORG")) == "الحكومة"
    assert mention_form(_span("موسكو", "LOC")) == "موسكو"


def test_entities_names_lexicon_and_proclitics() -> None:
    text = "عنوان\nوصل الوفد إلى بموسكو ثم والصين وبالصين.\n"
    seg = segment(text)
    spans = find_mentions(seg, None, load_lexicon())
    assert [(s.text, s.label) for s in spans] == [("موسكو", "LOC"), ("الصين", "LOC"), ("الصين", "LOC")]
    for s in spans:
        assert text[s.start : s.end] == s.text


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("أعلن الاتحاد العام للفنانين العرب برنامجه.", ("الاتحاد العام للفنانين العرب", "ORG")),
        ("وقال اتحاد كرة القدم في بيان.", ("اتحاد كرة القدم", "ORG")),
        ("نقل المصاب إلى مستشفى القطيف المركزي أمس.", ("مستشفى القطيف المركزي", "ORG")),
        ("أقيم الحفل في قاعة النيل بالقاهرة.", ("قاعة النيل", "LOC")),
    ],
)
def test_entities_head_noun_names(sentence: str, expected: tuple[str, str]) -> None:
    seg = segment("عنوان\n" + sentence)
    spans = find_mentions(seg, None, load_lexicon())
    assert expected in {(s.text, s.label) for s in spans}


@pytest.mark.parametrize(
    "sentence, absent",
    [
        ("قالت الشركة التي تأسست أمس إنها ستتوسع.", "الشركة التي"),
        ("وأوضح أن الشركة خلال الربع الثاني ربحت.", "الشركة خلال الربع الثاني"),
    ],
)
def test_entities_head_noun_names_stop_at_function_words(sentence: str, absent: str) -> None:
    seg = segment("عنوان\n" + sentence)
    assert absent not in {s.text for s in find_mentions(seg, None, load_lexicon())}


class _FixedTagger:
    def __init__(self, tags: list[str]) -> None:
        self.tags = tags

    def tag_sentences(self, sentences: list[list[str]]) -> list[list[str]]:
        return [self.tags[: len(s)] + ["O"] * max(0, len(s) - len(self.tags)) for s in sentences]


def test_entities_split_coordinated_people() -> None:
    text = "التقى بوتين وشي في موسكو. وقال شي إن اللقاء مثمر."
    seg = segment(text)
    tagger = _FixedTagger(["O", "B-PERS", "I-PERS", "O", "B-LOC", "O"])
    spans = find_mentions(seg, tagger, load_lexicon())
    names = [(s.text, s.label) for s in spans]
    assert ("بوتين", "PERS") in names and ("شي", "PERS") in names
    for s in spans:
        assert text[s.start : s.end] == s.text


def test_entities_not_names_dropped() -> None:
    seg = segment("عنوان\nرحمه الله وغفر له.")
    tagger = _FixedTagger(["O", "B-PERS", "O", "O"])
    assert all(s.text != "الله" for s in find_mentions(seg, tagger, load_lexicon()))


def test_entities_comrade_is_not_a_name_but_rafik_is() -> None:
    # الرفيق ("comrade") is a form of address; رفيق without the article is a given name
    labels = {"الرفيق": "B-PERS", "رفيق": "B-PERS", "الحريري": "I-PERS"}

    class WordTagger:
        def tag_sentences(self, sentences: list[list[str]]) -> list[list[str]]:
            return [[labels.get(w, "O") for w in s] for s in sentences]

    text = "وقال وانغ لـ “الرفيق” باتروشيف إن العلاقات ناضجة. والتقى رفيق الحريري الوفد."
    names = [s.text for s in find_mentions(segment(text), WordTagger(), load_lexicon())]
    assert "الرفيق" not in names and "رفيق الحريري" in names


@pytest.mark.parametrize(
    "name", ["رويترز", "وول ستريت جورنال", "جوجل", "يوتيوب", "فرانس برس", "أسوشيتد برس", "شينخوا", "نوفوستي"]
)
def test_entities_companies_and_outlets_are_org(name: str) -> None:
    """GUIDELINES §2: companies, newspapers and channels are ORG (not MISC)."""
    spans = find_mentions(segment(f"عنوان\nوذكرت {name} أن الصفقة تمت."), None, load_lexicon())
    assert (name, "ORG") in [(s.text, s.label) for s in spans]


@pytest.mark.parametrize(
    "sentence, found",
    [
        ("رابط الخبر بصحيفة الوئام", False),  # "the news"
        ("جاء في الخبر أن الاجتماع تأجل", False),
        ("غرقت السيارات في سيول جارفة", False),  # "floods"
        ("سيكون زوار محافظة الخبر على موعد", True),  # after a place noun
        ("تهطل الأمطار على الدمام والخبر", True),  # coordinated with a place
        ("تهطل الأمطار على الخبر والقطيف", True),
        ("يعود اللاعب إلى مسقط رأسه", False),  # "birthplace"
    ],
)
def test_entities_ambiguous_names_need_a_place_context(sentence: str, found: bool) -> None:
    # no tagger: only the names lexicon speaks
    spans = find_mentions(segment(sentence), _FixedTagger([]), load_lexicon())
    texts = {s.text for s in spans if s.label == "LOC"}
    assert bool(texts & {"الخبر", "سيول", "مسقط"}) is found, texts


def test_entities_ambiguous_name_kept_where_the_tagger_labels_it() -> None:
    text = "وصل الوفد إلى الرباط أمس"
    spans = find_mentions(segment(text), _FixedTagger(["O", "O", "O", "B-LOC"]), load_lexicon())
    assert [(s.text, s.label) for s in spans] == [("الرباط", "LOC")]


@pytest.mark.parametrize(
    "sentence, name, label",
    [
        ("وصل إلى مطار الملك خالد الدولي أمس", "مطار الملك خالد الدولي", "LOC"),
        ("طلاب جامعة الإمام محمد بن سعود الإسلامية في الرياض", "جامعة الإمام محمد بن سعود الإسلامية", "ORG"),
        ("في مركز الملك فهد الثقافي أمس", "مركز الملك فهد الثقافي", "ORG"),
    ],
)
def test_entities_eponym_inside_a_head_noun_name(sentence: str, name: str, label: str) -> None:
    # the tagger reads the king's name as a person (خالد الدولي): the facility wins
    toks = sentence.split()
    k = toks.index(name.split()[2])
    tags = ["O"] * len(toks)
    tags[k : k + 2] = ["B-PERS", "I-PERS"]
    spans = find_mentions(segment(sentence), _FixedTagger(tags), load_lexicon())
    assert [(s.text, s.label) for s in spans if s.label != "LOC" or s.text == name] == [(name, label)]


def test_entities_eponym_head_needs_the_eponym() -> None:
    spans = find_mentions(segment("زار الوفد مركز الشرطة أمس"), _FixedTagger([]), load_lexicon())
    assert spans == []


@pytest.mark.parametrize(
    "sentence, tagged, name",
    [
        # the tagger found عبدالله صالح; the given name before it joins
        ("وقوات المخلوع علي عبدالله صالح على الحدود", 3, "علي عبدالله صالح"),
        # على, the preposition, normalizes to علي as well but does not
        ("وقع الاختيار على محمد العتيق", 3, "محمد العتيق"),
    ],
)
def test_entities_given_name_before_a_person(sentence: str, tagged: int, name: str) -> None:
    tags = ["O"] * len(sentence.split())
    tags[tagged : tagged + 2] = ["B-PERS", "I-PERS"]
    spans = find_mentions(segment(sentence), _FixedTagger(tags), load_lexicon())
    assert [(s.text, s.label) for s in spans] == [(name, "PERS")]


def test_entities_seed_article_people(seed_text: str) -> None:
    # the shipped sample: every person under the fullest name the article gives
    from newsan.extract.tagger import default_tagger

    spans = find_mentions(segment(seed_text), default_tagger(), load_lexicon())
    people = {e.canonical for e in build_entities(spans) if e.label == "PERS"}
    assert {"شي جين بينغ", "وانغ يي", "فلاديمير بوتين", "سيرجي لافروف"} <= people
    assert "جين بينغ" not in people


SPORT = "وأكد مدرب الفريق بعد المباراة أن اللاعب جاهز للجولة المقبلة. "


@pytest.mark.parametrize(
    "text, expected",
    [
        (SPORT + "وفاز الهلال على النصر.", [("الهلال", "ORG"), ("النصر", "ORG")]),
        (SPORT + "وتعادل الترجي الرياضي مع النجم الساحلي.", [("الترجي الرياضي", "ORG"), ("النجم الساحلي", "ORG")]),
        (SPORT + "وشكر المجتمع الأهلي.", []),  # an adjective after its noun
        (SPORT + "وانتقل اللاعب إلى الأهلي.", [("الأهلي", "ORG")]),  # إلى (normalized الي) is no noun
        ("وحقق الجيش النصر في المعركة.", []),  # no sports report: the word is a word
    ],
)
def test_entities_sport_clubs_in_sports_reports(text: str, expected: list) -> None:
    spans = find_mentions(segment(text), _FixedTagger([]), load_lexicon())
    assert [(s.text, s.label) for s in spans] == expected


@pytest.mark.parametrize(
    "sentence, name",
    [
        ("تأهل الفريق إلى دوري أبطال آسيا هذا العام", "دوري أبطال آسيا"),
        ("فاز الفريق بكأس ملك إسبانيا أمس", "كأس ملك إسبانيا"),
    ],
)
def test_entities_head_noun_chain_closed_by_a_place(sentence: str, name: str) -> None:
    spans = find_mentions(segment(sentence), _FixedTagger([]), load_lexicon())
    assert (name, "MISC") in [(s.text, s.label) for s in spans]


@pytest.mark.parametrize(
    "sentence, tags, expected",
    [
        # a trailing بمنطقة takes its place; the place stays a name of its own
        (
            "وقال مدير مديرية الدفاع المدني بمنطقة عسير إن",
            ["O", "O", "B-ORG", "I-ORG", "I-ORG", "I-ORG", "B-LOC", "O"],
            [("مديرية الدفاع المدني بمنطقة عسير", "ORG"), ("عسير", "LOC")],
        ),
        # the blessing after the Prophet's name is no part of it
        ("عن النبي محمد صلى الله عليه وسلم", ["O", "O", "B-PERS", "I-PERS", "I-PERS"], [("محمد", "PERS")]),
        # a range opening with الله is no name (سائلا الله التوفيق)
        ("سائلا الله التوفيق للجميع", ["O", "B-MISC", "I-MISC", "O"], []),
        # other formulas after a name: رحمه الله، عليه السلام
        (
            "عهد الملك فيصل بن عبد العزيز رحمه الله",
            ["O", "O", "B-PERS", "I-PERS", "I-PERS", "I-PERS", "I-PERS", "I-PERS"],
            [("فيصل بن عبد العزيز", "PERS")],
        ),
        ("ذكرى الحسين عليه السلام", ["O", "B-PERS", "I-PERS", "I-PERS"], [("الحسين", "PERS")]),
        # a day ends an organization's or place's name, not a person's (الخميس is a family name)
        ("وقالت شركة أبل الثلاثاء الماضي إنها", ["O", "B-ORG", "I-ORG", "I-ORG", "I-ORG", "O"], [("شركة أبل", "ORG")]),
        ("وقال عبد الله الخميس إن", ["O", "B-PERS", "I-PERS", "I-PERS", "O"], [("عبد الله الخميس", "PERS")]),
        # a person's name does not end with آل or بن: the family name follows
        ("وأوضح أحمد علي آل مريع أن", ["O", "B-PERS", "I-PERS", "I-PERS", "O", "O"], [("أحمد علي آل مريع", "PERS")]),
        ("وقال خالد بن قرار إن", ["O", "B-PERS", "I-PERS", "O", "O"], [("خالد بن قرار", "PERS")]),
        # الله inside a name stays (عبد الله، نصر الله)
        ("وقال حسن نصر الله إن", ["O", "B-PERS", "I-PERS", "I-PERS", "O"], [("حسن نصر الله", "PERS")]),
    ],
)
def test_entities_mended_edges(sentence: str, tags: list[str], expected: list) -> None:
    spans = find_mentions(segment(sentence), _FixedTagger(tags), load_lexicon())
    assert [(s.text, s.label) for s in spans] == expected


@pytest.mark.parametrize(
    "sentence, tags, expected",
    [
        # after a name without a head noun, a nationality describes it
        (
            "فاز مانشستر يونايتد الإنجليزي على",
            ["O", "B-ORG", "I-ORG", "I-ORG", "O"],
            [("مانشستر يونايتد", "ORG")],
        ),
        ("وصل إلى لوس أنجلوس الأمريكية أمس", ["O", "O", "B-LOC", "I-LOC", "I-LOC", "O"], [("لوس أنجلوس", "LOC")]),
        # before a person's name too
        ("سجل الكولومبي رادميل فالكاو هدفا", ["O", "B-PERS", "I-PERS", "I-PERS", "O"], [("رادميل فالكاو", "PERS")]),
        # a head noun and a one-word name lose it
        (
            "ذكرت صحيفة لوموند الفرنسية أن",
            ["O", "B-ORG", "I-ORG", "I-ORG", "O"],
            [("صحيفة لوموند", "ORG")],
        ),
        # a longer head noun's name keeps it, and so does a definite name
        (
            "نقلت وكالة أنباء فارس الإيرانية أن",
            ["O", "B-ORG", "I-ORG", "I-ORG", "I-ORG", "O"],
            [("وكالة أنباء فارس الإيرانية", "ORG")],
        ),
        ("اجتمع مجلس الأمن الروسي أمس", ["O", "B-ORG", "I-ORG", "I-ORG", "O"], [("مجلس الأمن الروسي", "ORG")]),
        # a nationality alone describes a person, it names none
        ("وقال الجزائري إن الفريق جاهز", ["O", "B-PERS", "O", "O", "O"], []),
        # an adjective that is no nationality stays (كوريا الجنوبية)
        ("زار كوريا الجنوبية أمس", ["O", "B-LOC", "I-LOC", "O"], [("كوريا الجنوبية", "LOC")]),
    ],
)
def test_entities_a_nationality_describes_a_name_it_is_not_part_of(sentence: str, tags: list[str], expected: list) -> None:
    spans = find_mentions(segment(sentence), _FixedTagger(tags), load_lexicon())
    assert [(s.text, s.label) for s in spans] == expected


@pytest.mark.parametrize(
    "sentence, found",
    [
        ("وصل الوفد إلى السعودية أمس", True),
        ("نقلت القناة الرياضية السعودية المباراة", False),  # the adjective of القناة
        ("وقال إن الحكومة السعودية تدعم القرار", False),
    ],
)
def test_entities_nisba_name_after_a_definite_noun_is_its_adjective(sentence: str, found: bool) -> None:
    spans = find_mentions(segment(sentence), _FixedTagger([]), load_lexicon())
    assert (("السعودية", "LOC") in [(s.text, s.label) for s in spans]) is found


@pytest.mark.parametrize(
    "text, expected",
    [
        # an outlet alone in quotation marks
        ("وقال مصدر مطلع لـ«الشرق الأوسط» إن الاجتماع تأجل", [("الشرق الأوسط", "ORG")]),
        ('وقال مدير المستشفى لـ"الوطن" إن الحالة مستقرة', [("الوطن", "ORG")]),
        # a dateline: the outlet before the dash, the place after it
        ("عين اليوم – متابعات", [("عين اليوم", "ORG")]),
        ("عبدالله البرقاوي- سبق-الرياض: انتشلت الفرق جثة", [("سبق", "ORG"), ("الرياض", "LOC")]),
        # the words themselves are no outlet
        ("يحب الوطن كثيرا", []),
    ],
)
def test_entities_news_outlets_in_quotes_and_datelines(text: str, expected: list) -> None:
    spans = find_mentions(segment(text), _FixedTagger([]), load_lexicon())
    assert [(s.text, s.label) for s in spans if s.label != "PERS"] == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("وأعلنت شرطة منطقة جازان القبض على المتهم", [("شرطة منطقة جازان", "ORG")]),
        ("وأوضحت أمانة العاصمة المقدسة أن العمل مستمر", [("أمانة العاصمة المقدسة", "ORG")]),
        ("ونقل إلى مجمع الملك فيصل الطبي أمس", [("مجمع الملك فيصل الطبي", "ORG")]),
        ("وسكن في مجمع سكني الأسبوع الماضي", []),  # مجمع heads a name only with an eponym
    ],
)
def test_entities_government_bodies_and_eponym_only_heads(text: str, expected: list) -> None:
    spans = find_mentions(segment(text), _FixedTagger([]), load_lexicon())
    assert [(s.text, s.label) for s in spans if s.label == "ORG"] == expected


class _WordTagger:
    """Labels given words (by their text) as one-word or two-word names."""

    def __init__(self, spans: dict[str, str]) -> None:
        self.spans = spans

    def tag_sentences(self, sentences: list[list[str]]) -> list[list[str]]:
        out = []
        for toks in sentences:
            tags = ["O"] * len(toks)
            for i in range(len(toks)):
                for n in (2, 1):
                    label = self.spans.get(" ".join(toks[i : i + n]))
                    if label and all(t == "O" for t in tags[i : i + n]):
                        tags[i : i + n] = ["B-" + label] + ["I-" + label] * (n - 1)
            out.append(tags)
        return out


def test_entities_proclitic_before_a_listed_word_goes_a_listed_whole_word_stays() -> None:
    text = "عنوان\nعبروا بمعبر ملولة ثم زاروا ولاية جندوبة.\n"
    tagger = _WordTagger({"بمعبر ملولة": "LOC", "ولاية جندوبة": "LOC"})
    spans = find_mentions(segment(text), tagger, load_lexicon())
    assert [(s.text, s.label) for s in spans] == [("معبر ملولة", "LOC"), ("ولاية جندوبة", "LOC")]
    for s in spans:
        assert text[s.start : s.end] == s.text


def test_entities_a_name_does_not_swallow_a_preposition_word_a_number_or_a_verb() -> None:
    text = "عنوان\nقام البنك الأهلي بالاستحواذ على الشركة وزار تونس 2016 ثم أكد محمد الطرابلسي. وأكد سامي الفهري.\n"
    seg = segment(text)
    tagger = _span_tagger(seg, [("البنك", 3, "ORG"), ("تونس", 2, "LOC"), ("أكد", 3, "PERS"), ("وأكد", 3, "PERS")])
    spans = find_mentions(seg, tagger, load_lexicon())
    got = [(s.text, s.label) for s in spans]
    assert ("البنك الأهلي", "ORG") in got  # not … بالاستحواذ
    assert ("تونس", "LOC") in got  # not … 2016
    assert ("محمد الطرابلسي", "PERS") in got  # not أكد …
    assert ("سامي الفهري", "PERS") in got  # not وأكد …
    for sp in spans:
        assert text[sp.start : sp.end] == sp.text


def test_entities_a_name_does_not_end_with_a_preposition_written_apart() -> None:
    text = 'عنوان\nوقال محامي الطفل ياسين لـ"الصباح" إن الحكم صدر.\n'
    seg = segment(text)
    tagger = _span_tagger(seg, [("ياسين", 2, "PERS")])
    spans = find_mentions(seg, tagger, load_lexicon())
    assert [(s.text, s.label) for s in spans if s.label == "PERS"] == [("ياسين", "PERS")]  # not ياسين لـ
    for sp in spans:
        assert text[sp.start : sp.end] == sp.text


def test_entities_head_noun_names_are_evidence_for_a_tagger_that_sees_them() -> None:
    """A tagger trained with the lexicon passes as features (LexiconEvidence)
    has weighed the head-noun names: find_mentions does not add them again."""
    from types import SimpleNamespace

    from newsan.extract.entities import lexicon_evidence

    text = "عنوان\nقال الاتحاد العام التونسي للشغل إن الإضراب قائم.\n"
    seg = segment(text)

    class Plain:
        def tag_sentences(self, sentences: list[list[str]]) -> list[list[str]]:
            return [["O"] * len(s) for s in sentences]

    class WithEvidence(Plain):
        extractor = SimpleNamespace(evidence=lexicon_evidence())

    plain = [(s.text, s.label) for s in find_mentions(seg, Plain(), load_lexicon())]
    assert ("الاتحاد العام التونسي للشغل", "ORG") in plain
    assert find_mentions(seg, WithEvidence(), load_lexicon()) == []
    feats = lexicon_evidence()([t.text for t in seg.sentences[1].tokens])
    assert [f for f in feats if f][:4] == [["hc=B-ORG"], ["hc=I-ORG"], ["hc=I-ORG"], ["hc=I-ORG"]]


def _span_tagger(seg, spans: list[tuple[str, int, str]]):  # type: ignore[no-untyped-def]
    """A tagger that labels the given (first word, length, label) ranges, in
    reading order (each first word is looked for after the range before)."""
    words = [t.text for s in seg.sentences for t in s.tokens]
    tags = ["O"] * len(words)
    k = 0
    for first, n, label in spans:
        k = words.index(first, k)
        tags[k : k + n] = ["B-" + label] + ["I-" + label] * (n - 1)
        k += n

    class Tags:
        def tag_sentences(self, sentences: list[list[str]]) -> list[list[str]]:
            out, k = [], 0
            for s in sentences:
                out.append(tags[k : k + len(s)])
                k += len(s)
            return out

    return Tags()


def test_entities_a_definite_name_does_not_go_on_with_an_indefinite_word() -> None:
    """«المجلس الدستوري | فوز», «الهيئة الوطنية للاتصالات | ممول»: the indefinite
    word after a definite one starts the rest of the sentence. A known name
    (مطار الملك خالد) and a preposition's word (المحكمة الابتدائية بتونس) stay."""
    text = (
        "عنوان\nأعلن المجلس الدستوري فوز المرشح. وقالت الهيئة الوطنية للاتصالات ممول المشروع. "
        "وهبطت الطائرة في مطار الملك خالد أمس. وقضت المحكمة الابتدائية بتونس بسجنه. "
        "وقال الهادي نويرة ذلك.\n"
    )
    seg = segment(text)
    tagger = _span_tagger(
        seg,
        [("المجلس", 3, "ORG"), ("الهيئة", 4, "ORG"), ("مطار", 3, "LOC"), ("المحكمة", 3, "ORG"), ("الهادي", 2, "PERS")],
    )
    spans = find_mentions(seg, tagger, load_lexicon())
    got = [(s.text, s.label) for s in spans]
    assert ("المجلس الدستوري", "ORG") in got
    assert ("الهيئة الوطنية للاتصالات", "ORG") in got
    assert ("مطار الملك خالد", "LOC") in got
    assert ("المحكمة الابتدائية بتونس", "ORG") in got
    assert ("الهادي نويرة", "PERS") in got  # people's names are not cut: الحبيب بورقيبة
    for sp in spans:
        assert text[sp.start : sp.end] == sp.text


@pytest.mark.parametrize(
    "text, tagged, expected, merged",
    [
        # a future verb after the surname, a preposition before it, an adverb's tanween
        (
            "التقى بيتر مورير الوزير. وسيلتقي مورير غدا الرئيس.",
            [("بيتر", 2), ("وسيلتقي", 2)],
            ["بيتر مورير", "مورير"],
            True,
        ),
        (
            "وصل سيرجيو راموس أمس. ووقف أمام راموس المدرب",
            [("سيرجيو", 2), ("أمام", 2)],
            ["سيرجيو راموس", "راموس"],
            True,
        ),
        ("عاد بيتر مورير. ويبقى مورير محددا موعدا", [("بيتر", 2), ("مورير", 2)], ["بيتر مورير", "مورير"], True),
        # a family name after the same given name: two people, nothing cut
        (
            "قال محمد القحطاني إن الأمر حسم. وأضاف محمد الزهراني أن",
            [("محمد", 2), ("محمد", 2)],
            ["محمد القحطاني", "محمد الزهراني"],
            False,
        ),
        # على is not cut: it is also علي written with ى (على عبد الله صالح)
        (
            "للرئيس السابق على عبد الله صالح. وقال عبدالله صالح إن",
            [("على", 4), ("عبدالله", 2)],
            ["على عبد الله صالح", "عبدالله صالح"],
            True,
        ),
        # a given name known as one is never cut (سامي of سامي مورير)
        (
            "التقى بيتر مورير الوزير. وقال سامي مورير إن",
            [("بيتر", 2), ("سامي", 2)],
            ["بيتر مورير", "سامي مورير"],
            False,
        ),
        # after the family name, a common word that no list knows as a name is cut
        # even when it has no particle's shape (يلتقي, ملتزم)
        (
            "وصل نبيه بري إلى القصر. وقال إن بري يلتقي الوفد غدا",
            [("نبيه", 2), ("بري", 2)],
            ["نبيه بري", "بري"],
            True,
        ),
        (
            "وقع سيرجيو راموس العقد. وأكد المدرب أن راموس ملتزم بالعقد",
            [("سيرجيو", 2), ("راموس", 2)],
            ["سيرجيو راموس", "راموس"],
            True,
        ),
        # but not after a given name: the word may be another person's family name
        (
            "قال جون كيري إن الاتفاق قريب. وقال جون ملتزم إن",
            [("جون", 2), ("جون", 2)],
            ["جون كيري", "جون ملتزم"],
            False,
        ),
        # nor a word with a nisba's shape: the rest of a fuller name (رضا صالحي أميري)
        (
            "وقال رضا صالحي إن الزيارة مهمة. وأكد رضا صالحي أميري أن",
            [("رضا", 2), ("رضا", 3)],
            ["رضا صالحي", "رضا صالحي أميري"],
            True,
        ),
        # nor a family name's shape (ال…ي: الأسمري، القحطاني)
        (
            "وصل مبارك الأسمري. وقال حسني مبارك القحطاني إن",
            [("مبارك", 2), ("حسني", 3)],
            ["مبارك الأسمري", "حسني مبارك القحطاني"],
            False,
        ),
    ],
)
def test_entities_a_person_mention_runs_no_further_than_the_name_the_article_gives(
    text: str, tagged: list[tuple[str, int]], expected: list[str], merged: bool
) -> None:
    """سيلتقي | مورير beside بيتر مورير: the words cut are words no name has, the
    rest a name the article gives in full, and the clustering merges the two."""
    seg = segment(text)
    tagger = _span_tagger(seg, [(first, n, "PERS") for first, n in tagged])
    spans = find_mentions(seg, tagger, load_lexicon())
    assert [s.text for s in spans if s.label == "PERS"] == expected
    for sp in spans:
        assert text[sp.start : sp.end] == sp.text
    people = [e for e in build_entities(spans) if e.label == "PERS"]
    assert len(people) == (1 if merged else 2)


def test_entities_an_operation_is_no_named_event_by_its_head_noun() -> None:
    # عملية + a genitive is a common noun phrase (the annotated news names none);
    # a competition after بطولة still is one
    text = "عنوان\nوأعلنت الشرطة انتهاء عملية الدهس في المدينة قبل انطلاق بطولة العالم للسباحة.\n"
    spans = find_mentions(segment(text), _WordTagger({}), load_lexicon())
    got = [(s.text, s.label) for s in spans]
    assert not any(t.startswith("عملية") for t, _ in got), got
    assert ("بطولة العالم للسباحة", "MISC") in got, got


def test_entities_a_radio_station_named_with_fm_is_an_organization() -> None:
    text = "عنوان\nوقال المدير لموزاييك إف إم إن الأمر جيد، وأضاف على الجوهرة أف أم وإذاعة شمس FM أنه متفائل.\n"
    spans = find_mentions(segment(text), _WordTagger({}), load_lexicon())
    got = [(s.text, s.label) for s in spans]
    assert got == [("موزاييك إف إم", "ORG"), ("الجوهرة أف أم", "ORG"), ("شمس FM", "ORG")], got
    for sp in spans:
        assert text[sp.start : sp.end] == sp.text


@pytest.mark.parametrize(
    "sentence, names",
    [
        # و before the head noun of another organization starts a second name
        ("وقال بيان مشترك إن حزب الثوابت والحزب الاشتراكي يرفضان القرار.", ["حزب الثوابت", "الحزب الاشتراكي"]),
        ("وقع الاتفاق بنك نزوى وبنك العز في مسقط.", ["بنك نزوى", "بنك العز"]),
        # a head noun alone after و (والشرطة) is no name; the first name stays
        ("وتابعت إمارة المنطقة الشرقية والشرطة الحادث.", ["إمارة المنطقة الشرقية"]),
        # an organization's own words joined by و stay one name
        ("وقالت وزارة الثقافة والإعلام إن المهرجان يبدأ غدا.", ["وزارة الثقافة والإعلام"]),
    ],
)
def test_entities_coordinated_organizations_are_two_names(sentence: str, names: list[str]) -> None:
    found = [m.text for m in find_mentions(segment(sentence), None, load_lexicon()) if m.label == "ORG"]
    assert found == names


def test_entities_given_names_of_north_african_and_gulf_news() -> None:
    """The tagger's given-name list (lexicons/ner_given_names.yaml, the FIRST
    feature) holds the names frequent in Tunisian and Gulf news: a person the
    shipped CRF misses without it is found."""
    from newsan.pipeline import make_tagger

    lexicon = load_lexicon()
    assert {"منجي", "لطفي", "شكري", "ثامر", "وسيم"} <= lexicon.words("ner_given_names")
    spans = find_mentions(segment("وقال وسيم جمعة إن الفريق جاهز."), make_tagger("default"), lexicon)
    assert [(s.text, s.label) for s in spans] == [("وسيم جمعة", "PERS")]


@pytest.mark.parametrize(
    "sentence, tags, people",
    [
        # a kinship noun splits a person's name and never opens one
        ("وقال هشام شقيق سلمان عبيدي إنه لم يره.", ["O", "B-PERS", "I-PERS", "I-PERS", "I-PERS"], ["هشام", "سلمان عبيدي"]),
        ("وقال أبناء ماكرون إنهم سعداء.", ["O", "B-PERS", "I-PERS"], ["ماكرون"]),
        # a month and الماضي are a date, not a person; الماضي ends a real name
        ("وصدر القرار في جوان الماضي عن الوزارة.", ["O", "O", "O", "B-PERS", "I-PERS"], []),
        ("وقال محمد بن حمد الماضي إن المشروع جاهز.", ["O", "B-PERS", "I-PERS", "I-PERS", "I-PERS"], ["محمد بن حمد الماضي"]),
    ],
)
def test_entities_kinship_and_dates_in_person_names(sentence: str, tags: list[str], people: list[str]) -> None:
    spans = find_mentions(segment(sentence), _FixedTagger(tags), load_lexicon())
    assert [s.text for s in spans if s.label == "PERS"] == people
    for s in spans:
        assert sentence[s.start : s.end] == s.text
