"""Unit tests for the quotation extractor (GUIDELINES §1).

Short hand-written sentences, parametrized: what must be found (kinds, cues,
speakers, content boundaries, relays, addressees, headlines, pronoun
subjects), what must not (GUIDELINES §1.2: scare quotes, quoted titles,
stance verbs, plans), and that nothing raises and every span is exact on
arbitrary text.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsan.extract.quotes import extract_quotes
from newsan.lexicons import load_lexicon, packaged_sections
from newsan.model import Entity, Quote, Span
from newsan.segment import segment


def run(text: str, entities: tuple[Entity, ...] = ()) -> list[Quote]:
    quotes, _ = extract_quotes(segment(text), load_lexicon(), entities)
    for q in quotes:
        for span in (q.cue, q.content, q.speaker, q.role, q.addressee, q.via):
            if span is not None:
                assert text[span.start : span.end] == span.text
    return quotes


def body(text: str) -> str:
    """An article whose title line says nothing, so only ``text`` can quote."""
    return "خبر\n" + text


# --------------------------------------------------------------------------- #
# What counts (GUIDELINES §1.1, §1.3)


@pytest.mark.parametrize(
    "text, kind, cue, speaker, content",
    [
        # indirect, VSO, content after a standalone complementizer
        ("وقال الوزير إن الحكومة ستخفض الضرائب.", "indirect", "قال", "الوزير", "الحكومة ستخفض الضرائب"),
        # a complementizer carrying a pronoun starts the content
        ("وقال وانغ إنه يتطلع إلى مناقشات حول الأمن.", "indirect", "قال", "وانغ", "إنه يتطلع إلى مناقشات حول الأمن"),
        # بأنه: the content starts at أنه
        ("وأوضح اللاعب بأنه سيوقع العقد غدا.", "indirect", "أوضح", "اللاعب", "أنه سيوقع العقد غدا"),
        # direct with marks
        ("وقال باتروشيف “أريد أن أؤكد دعمنا المستمر”.", "direct", "قال", "باتروشيف", "أريد أن أؤكد دعمنا المستمر"),
        # direct after a colon, no marks
        ("وأضاف المدير: نحن جاهزون للموسم.", "direct", "أضاف", "المدير", "نحن جاهزون للموسم"),
        # قال إن “…” with the whole remainder quoted is direct
        (
            "وقال نتنياهو إن «إيران عازمة على الحصول على أسلحة».",
            "direct",
            "قال",
            "نتنياهو",
            "إيران عازمة على الحصول على أسلحة",
        ),
        # a pronoun complementizer before a full quotation is direct too
        ("وقال الوزير إنه «يرفض هذا الاتفاق تماما».", "direct", "قال", "الوزير", "يرفض هذا الاتفاق تماما"),
        # mixed: a reported clause with a quoted fragment
        (
            "وقال المرشد إن القادة سعوا من أجل «استسلام» إيران.",
            "mixed",
            "قال",
            "المرشد",
            "القادة سعوا من أجل «استسلام» إيران",
        ),
        # SVO with كان … قد
        ("وكان خامنئي قد قال إن الاتفاق لا يعني أي تحول.", "indirect", "قال", "خامنئي", "الاتفاق لا يعني أي تحول"),
        # preposition then complementizer
        ("وأشار المتحدث إلى أن الاجتماع سيعقد غدا.", "indirect", "أشار", "المتحدث", "الاجتماع سيعقد غدا"),
        # a verb governing a preposition (شدد على …)
        ("وشدد الوزير على أهمية التعاون بين البلدين.", "indirect", "شدد", "الوزير", "أهمية التعاون بين البلدين"),
        # present tense, feminine
        ("وتقول الشركة إن المبيعات ارتفعت.", "indirect", "تقول", "الشركة", "المبيعات ارتفعت"),
        # a period between digits does not end the content
        ("وذكر المدير أن الأرباح بلغت 77.66 مليار ريال.", "indirect", "ذكر", "المدير", "الأرباح بلغت 77.66 مليار ريال"),
    ],
)
def test_quotes_single(text: str, kind: str, cue: str, speaker: str, content: str) -> None:
    quotes = run(body(text))
    assert len(quotes) == 1, quotes
    q = quotes[0]
    assert (q.kind, q.cue.text, q.speaker and q.speaker.text, q.content.text) == (kind, cue, speaker, content)


@pytest.mark.parametrize(
    "text, speaker, role",
    [
        ("وقال ديمتري بيسكوف المتحدث باسم الكرملين إن الاجتماع ممكن.", "ديمتري بيسكوف", "المتحدث باسم الكرملين"),
        ("وقال وزير الطاقة الإسرائيلي يوفال شتاينتز، إنه يرفض ذلك.", "يوفال شتاينتز", "وزير الطاقة الإسرائيلي"),
        ("أكد معالي وزير الخارجية الأستاذ عادل الجبير أن المملكة حريصة على السلام.", "عادل الجبير", "وزير الخارجية"),
        ("وقال الرئيس التنفيذي لشركة سابك يوسف البنيان إن الشركة قوية.", "يوسف البنيان", "الرئيس التنفيذي لشركة سابك"),
        ("وقالت المتحدثة باسم الوزارة ليلى الشمري إن الأرقام ستنشر.", "ليلى الشمري", "المتحدثة باسم الوزارة"),
        # a role with no name is itself the speaker, without honorifics
        ("ورأى معالي وزير الخارجية أن الحل سياسي.", "وزير الخارجية", None),
        (
            "وقال الناطق الرسمي للرابطة الوطنية لكرة القدم إن القرعة غدا.",
            "الناطق الرسمي للرابطة الوطنية لكرة القدم",
            None,
        ),
    ],
)
def test_quotes_speaker_and_role(text: str, speaker: str, role: str | None) -> None:
    (q,) = run(body(text))
    assert q.speaker is not None and q.speaker.text == speaker
    assert (q.role.text if q.role else None) == role


@pytest.mark.parametrize(
    "text, speakers",
    [
        # dropped subject: the nearest earlier source
        ("وقال البنيان إن الشركة قوية. وذكر أن المبيعات ارتفعت.", ["البنيان", "البنيان"]),
        # a participle after a comma starts a new quotation of the same speaker
        (
            "وقالت وول ستريت جورنال إن الاستعدادات مبكرة ، مضيفة أن شي قد يزورها في أبريل.",
            ["وول ستريت جورنال", "وول ستريت جورنال"],
        ),
        # the verb's gender chooses among earlier sources
        (
            "وقالت الوزيرة سارة إن الخطة جاهزة. وقال المدير خالد إن التنفيذ يبدأ غدا. وأضافت أن التمويل متوفر.",
            ["سارة", "خالد", "سارة"],
        ),
        # وختم X قائلا: the subject of the verb before the participle
        ("وختم المناعي قائلا “نحن حريصون على النجاح”.", ["المناعي"]),
        # a pronoun subject (معاليه) resolves to the earlier source
        ("وأكد الوزير أن الحوار مستمر. وشدد معاليه على أن الحل سلمي.", ["الوزير", "الوزير"]),
    ],
)
def test_quotes_dropped_subjects(text: str, speakers: list[str]) -> None:
    quotes = run(body(text))
    assert [q.speaker.text if q.speaker else None for q in quotes] == speakers


@pytest.mark.parametrize(
    "text, contents",
    [
        # narrator's words resume after a comma
        (
            "وقال وانغ إن على البلدين اتخاذ خطوات جديدة ، دون الخوض في التفاصيل.",
            ["على البلدين اتخاذ خطوات جديدة"],
        ),
        # a new cue participle starts a new quotation
        (
            "وقال المتحدث إن الوفد وصل ، مشيرا إلى أن المحادثات تبدأ غدا.",
            ["الوفد وصل", "المحادثات تبدأ غدا"],
        ),
        # one cue, two contents joined by و: one quotation
        (
            "وقال باتروشيف إن بكين أولوية وأنه يجب على البلدين أن يتحدا.",
            ["بكين أولوية وأنه يجب على البلدين أن يتحدا"],
        ),
        # a quotation of several sentences is one quotation
        (
            "وأضاف نتنياهو «لم يبذل الإيرانيون أي جهد. وهم يقولون بوضوح إنهم سيواصلون».",
            ["لم يبذل الإيرانيون أي جهد. وهم يقولون بوضوح إنهم سيواصلون"],
        ),
        # an unclosed mark: the quotation ends where the next cue begins
        (
            'وختم المدير قائلا "نحن حريصون على النجاح معربا عن أمله في أن تنجح المباريات.',
            ["نحن حريصون على النجاح", "تنجح المباريات"],
        ),
    ],
)
def test_quotes_content_boundaries(text: str, contents: list[str]) -> None:
    assert [q.content.text for q in run(body(text))] == contents


def test_quotes_relay_via() -> None:
    (q,) = run(body("ونقلت وكالة الإعلام الروسية عن باتروشيف أنه “يدعم التعاون”."))
    assert (q.cue.text, q.speaker.text if q.speaker else None) == ("نقلت", "باتروشيف")
    assert q.via is not None and q.via.text == "وكالة الإعلام الروسية"
    assert q.kind == "direct"


def test_quotes_relay_naqlan_an() -> None:
    (q,) = run(body("ذكرت صحيفة وول ستريت جورنال يوم الثلاثاء نقلا عن أشخاص مطلعين على الخطة أن الرئيس سيزور موسكو."))
    assert q.speaker is not None and q.speaker.text == "أشخاص مطلعين على الخطة"
    assert q.via is not None and q.via.text == "صحيفة وول ستريت جورنال"


def test_quotes_via_broadcast() -> None:
    (q,) = run(body("وقال وانغ في تصريحات أذاعها التلفزيون الرسمي إن العلاقات ناضجة."))
    assert q.via is not None and q.via.text == "التلفزيون الرسمي"


def test_quotes_via_after_quote() -> None:
    (q,) = run(body("وقال نتنياهو «الاتفاق سيئ للغاية». كما نقلت «رويترز»."))
    assert q.via_canonical == "رويترز"


@pytest.mark.parametrize(
    "text, addressee",
    [
        ("قال وانغ يي لنيكولاي باتروشيف ، سكرتير المجلس ، إنه يتطلع إلى مناقشات.", "نيكولاي باتروشيف"),
        ('قال لـ "الاقتصادية" يوسف البنيان إن الشركة قوية.', "الاقتصادية"),
    ],
)
def test_quotes_addressee(text: str, addressee: str) -> None:
    (q,) = run(body(text))
    assert q.addressee is not None and q.addressee.text == addressee


@pytest.mark.parametrize(
    "text, speaker, content, kind",
    [
        (
            "نتنياهو: الاتفاق النووي لن يغير سياسة إيران\nنص الخبر.",
            "نتنياهو",
            "الاتفاق النووي لن يغير سياسة إيران",
            "direct",
        ),
        ("دبلوماسي صيني كبير يقول إن العلاقات صلبة\nنص الخبر.", "دبلوماسي صيني كبير", "العلاقات صلبة", "indirect"),
    ],
)
def test_quotes_headline(text: str, speaker: str, content: str, kind: str) -> None:
    (q,) = run(text)
    assert (q.speaker.text if q.speaker else None, q.content.text, q.kind) == (speaker, content, kind)


def test_quotes_headline_label_is_not_a_speaker() -> None:
    assert run("عاجل: زلزال يضرب المنطقة\nنص الخبر.") == []


def test_quotes_attribution_phrase() -> None:
    quotes = run(body("وارتفعت الأسعار بنسبة كبيرة بحسب مصادر في السوق."))
    assert [(q.cue.text, q.speaker.text if q.speaker else None, q.content.text) for q in quotes] == [
        ("بحسب", "مصادر", "وارتفعت الأسعار بنسبة كبيرة")
    ]


def test_quotes_canonical_is_fullest_name() -> None:
    quotes = run(body("وقال وانغ يي إن العلاقات قوية. وقال وانغ إن التعاون مستمر."))
    assert [q.speaker_canonical for q in quotes] == ["وانغ يي", "وانغ يي"]


def test_quotes_canonical_from_entities() -> None:
    ent = Entity("نيكولاي باتروشيف", "PERS", ("باتروشيف",), (Span(0, 0, ""),))
    (q,) = run(body("وقال باتروشيف إن بكين أولوية."), (ent,))
    assert q.speaker_canonical == "نيكولاي باتروشيف"


def test_quotes_canonical_of_a_role() -> None:
    quotes = run(body("وقال وزير الطاقة الإسرائيلي يوفال شتاينتز إنه يرفض ذلك. وقال الوزير الإسرائيلي إن الاتفاق سيئ."))
    assert [q.speaker_canonical for q in quotes] == ["يوفال شتاينتز", "يوفال شتاينتز"]


# --------------------------------------------------------------------------- #
# What does not count (GUIDELINES §1.2)


@pytest.mark.parametrize(
    "text",
    [
        # scare quotes and quoted terms with no speech act
        "خضعت شراكة الصين “بلا حدود” مع روسيا للتدقيق في الغرب.",
        "وقال الوزير لـ “الرفيق” باتروشيف كلاما وديا.",
        "وتنظر واشنطن إلى الصين على أنها أخطر “منافس استراتيجي” على المدى الطويل.",
        # titles of books, films, operations, slogans, nicknames
        'وصدر كتاب "الطريق إلى الشرق" العام الماضي.',
        'وبدأت عملية "عاصفة الحزم" في مارس.',
        'وشارك اللاعب الملقب بـ "الساحر" في المباراة.',
        # stance verbs that report no statement
        "تعتبر الولايات المتحدة الصين وروسيا أكبر خطرين يهددان أمنها.",
        "يشترك الزعيمان في رؤية عالمية ترى الغرب على أنه منحط.",
        # plans and intentions
        "ومن المقرر أن يلتقي وانغ بوزير الخارجية يوم الأربعاء.",
        # narrator formulas
        "ويذكر أن الفريق تأهل إلى الدور النهائي.",
        # a speech verb in a relative clause or after ما
        "وكان السومه من اللاعبين الذين أعلنوا انشقاقهم عن النظام.",
        "وبناء على ما صرحت به النائبة في البرنامج تقرر فتح تحقيق.",
        # a speech noun is not a cue
        "وجاء إعلان بوتين عن شراكة جديدة بعد أسابيع.",
    ],
)
def test_quotes_negative(text: str) -> None:
    assert run(body(text)) == []


# --------------------------------------------------------------------------- #
# Robustness


def test_quotes_unbalanced_marks_warn_and_continue() -> None:
    text = body('وقال المدير "نحن جاهزون للموسم\nوأكد اللاعب أن الفريق قوي.')
    quotes, warnings = extract_quotes(segment(text), load_lexicon())
    assert [q.kind for q in quotes] == ["direct", "indirect"]
    assert quotes[0].content.text == "نحن جاهزون للموسم"
    assert any("never closed" in w for w in warnings)


@pytest.mark.parametrize("text", ["", "\n", "قال", "قال:", "«", "قال إن", "وأضاف: «", "\u200f\u0640ـ", "قال «»"])
def test_quotes_degenerate_inputs(text: str) -> None:
    run(text)


_WORDS = [
    "قال",
    "وقال",
    "إن",
    "أن",
    "أنه",
    "الوزير",
    "وانغ",
    "مضيفا",
    "بحسب",
    "نقلت",
    "عن",
    "وكالة",
    "لـ",
    "في",
    "«",
    "»",
    "“",
    "”",
    '"',
    ":",
    "،",
    ".",
    "(",
    ")",
    "-",
    "\n",
    "الرئيس",
    "كان",
    "قد",
    "يقول",
    "بأن",
    "على",
    "3.5",
    "معاليه",
    "التي",
    "حسب",
    "ـ",
    "\u064e",
    "x",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), max_size=60), st.randoms(use_true_random=False))
def test_quotes_never_raise_and_spans_exact(words: list[str], rnd: object) -> None:
    text = " ".join(words)
    quotes, warnings = extract_quotes(segment(text), load_lexicon())
    assert not any(w.startswith("quotes: extraction failed") for w in warnings)
    for q in quotes:
        assert q.kind in ("direct", "indirect", "mixed")
        for span in (q.cue, q.content, q.speaker, q.role, q.addressee, q.via):
            if span is not None:
                assert text[span.start : span.end] == span.text
                assert span.end > span.start


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.sampled_from(list('قال إن«»“”":،.\nوأالمزير()ـَ')), max_size=200))
def test_quotes_never_raise_on_noise(text: str) -> None:
    quotes, warnings = extract_quotes(segment(text), load_lexicon())
    assert not any(w.startswith("quotes: extraction failed") for w in warnings)
    for q in quotes:
        assert text[q.content.start : q.content.end] == q.content.text


def test_quotes_reading_order() -> None:
    quotes = run(body("وقال الوزير إن الوضع مستقر، مضيفا أن الحوار مستمر. وقال المدير إن العمل جار."))
    starts = [q.cue.start for q in quotes]
    assert starts == sorted(starts) and len(quotes) == 3
    assert [q.sentence for q in quotes] == [1, 1, 2]


# --------------------------------------------------------------------------- #
# Lexicons


@pytest.mark.parametrize(
    "section",
    [
        "cue_verbs",
        "cue_participles",
        "cue_preps",
        "cue_np_object",
        "cue_stance",
        "cue_strict",
        "complementizers",
        "complementizers_pronoun",
        "attribution_phrases",
        "narrator_resume",
        "titles",
        "honorifics",
        "org_nouns",
        "outlet_nouns",
        "source_nouns",
        "statement_nouns",
    ],
)
def test_quotes_lexicon_sections_present(section: str) -> None:
    sections = packaged_sections()
    assert sections.get(section)


def test_quotes_lexicon_preps_name_known_lemmas() -> None:
    sections = packaged_sections()
    lemmas = set(sections["cue_verbs"]) | set(sections["cue_participles"])  # type: ignore[arg-type]
    preps = sections["cue_preps"]
    assert isinstance(preps, dict)
    for prep, listed in preps.items():
        assert set(listed) <= lemmas, prep


# --------------------------------------------------------------------------- #
# Quality gate on the dev set (skipped without ../shared)

FLOORS = {"f1": 0.90, "speaker_accuracy": 0.90, "e2e_f1": 0.85, "kind_accuracy": 0.90}


def test_quotes_dev_quality_gate(dev_dir: Path) -> None:
    from newsan.evaluate import QuoteScores, score_article

    total = QuoteScores()
    for gold_path in sorted(dev_dir.glob("*.json")):
        text = gold_path.with_suffix(".txt").read_text(encoding="utf-8")
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        quotes = run(text)
        pred = {
            "quotes": [
                {
                    "kind": q.kind,
                    "content": q.content.text,
                    "speaker": q.speaker.text if q.speaker else None,
                    "speaker_canonical": q.speaker_canonical,
                }
                for q in quotes
            ],
            "entities": [],
        }
        total = total + score_article(pred, {"id": gold_path.stem, "quotes": gold["quotes"], "entities": []}).quotes
    scores = total.as_dict()
    for name, floor in FLOORS.items():
        assert scores[name] >= floor, (name, scores[name])
