"""Quotation (attribution) extraction for Arabic news (GUIDELINES §1).

The extractor is cue-driven. Every token that is a cue (a speech verb, a
circumstantial participle, an attribution phrase, the colon of a headline) is
*licensed* by what follows it: a complementizer (أن/إن, أنه …), a colon, an
opening quotation mark, a preposition the verb governs (شدد على …, أعلن عن …)
or, for a few verbs, a noun phrase object. Unlicensed cues are dropped, which
is what keeps stance verbs (تعتبر الولايات المتحدة الصين …), plans (من المقرر
أن …) and scare quotes (شراكة “بلا حدود”) out (GUIDELINES §1.2).

For each licensed cue the extractor then finds

* the speaker: the noun phrase after the verb (VSO), or before it (SVO, كان X
  قد قال), split into a role (titles, الناطق باسم …) and a name; when the
  subject is dropped or a pronoun, the nearest earlier source (same sentence
  first, then earlier quotations, preferring one whose verb agreed in gender);
* the content: from the complementizer (GUIDELINES §1.3) to the end of the
  reported clause, which is the sentence end, the closing quotation mark, the
  start of the next cue's clause, or a comma followed by the narrator's words
  (، دون …);
* addressee (قال لـ X), via (نقلت وكالة X عن Y, في تصريحات أذاعها X) and the
  canonical speaker name (the fullest mention of that source in the article,
  from entities and other speaker mentions).

Roles and names: an honorific (الدكتور، الشيخ، المهندس …) is a hard boundary
before a name, also after a short prepositional phrase that interrupted the
role (عميد التعليم عن بعد الدكتور X); a name may stand in apposition between
commas after the role; a PERS entity from the tagger inside or right after a
role phrase is the speaker. Plural sources: ``كل من A وB``, the topic of
``أما A وB، فـ…`` and plural verb suffixes (قالوا، طالبوا) that carry their own
pronoun subject. Relative clauses that report words (X، الذين يرون أن …)
take their antecedent unless a resumptive pronoun shows it is the object.

Not quotations: impersonal تبين/ترجح + أن or + لـ/لدى ("it became clear"), an
imperfect verb without a subject that describes a noun inside reported words
(تصريح … يفيد بأن), a preposition governed by a role participle (المشرف على),
and quoted religious formulas («صلى الله عليه وسلم»), which like quoted numbers
and nisba epithets never make a quote mixed. Content may also come before the
cue (أوضح ذلك X: the previous sentence) or after a fronted attribution
(وبحسب إحصائية "X" فإن …); طلب من X + masdar is a directive with X addressed.

All language data lives in ``lexicons/cues.yaml`` and ``lexicons/titles.yaml``;
this module holds only the rules. Work per token is a few set look-ups.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from newsan.lexicons import Lexicon
from newsan.model import Entity, Quote, Span, Token
from newsan.segment import Segmented

__all__ = ["extract_quotes"]

log = logging.getLogger(__name__)

# Quotation-mark families: a mark only pairs with marks of its own family, so
# a quotation nested in another (« … “ … ” … ») does not break the outer one.
_FAMILY = {"«": "G", "»": "G", "“": "C", "”": "C", "„": "C", "‹": "S", "›": "S", '"': "N"}
_OPEN_GLYPH = frozenset("«„‹")
_CLOSE_GLYPH = frozenset("»›")
_QUOTE_CHARS = frozenset(_FAMILY)
_TERMINATORS = frozenset({".", "؟", "?", "!", "؛", "…"})
_COMMAS = frozenset({"،", ",", "-", "–", "—"})
_PUNCT = frozenset("،,.:؛;!?؟()[]{}-–—/…\\|*•") | _QUOTE_CHARS
_LEFT_OPEN = frozenset(" \n\t([{:،,-–—/")
_RIGHT_CLOSE = frozenset(" \n\t.،,:؛;!?؟)]}-–—…")


@dataclass(frozen=True)
class _Lex:
    """The lexicon sections the extractor needs, compiled once per lexicon."""

    verb: dict[str, str]
    part: dict[str, str]
    preps: dict[str, frozenset[str]]
    np_object: frozenset[str]
    stance: frozenset[str]
    strict: frozenset[str]
    compl: frozenset[str]
    compl_pron: frozenset[str]
    attrib: frozenset[str]
    speech_nouns: frozenset[str]
    resume: frozenset[str]
    openers: frozenset[str]
    stops: frozenset[str]
    blockers: frozenset[str]
    time: frozenset[str]
    adverbs: frozenset[str]
    masdars: frozenset[str]
    headline_labels: frozenset[str]
    honorifics: frozenset[str]
    titles: frozenset[str]
    org: frozenset[str]
    outlets: frozenset[str]
    sources: frozenset[str]
    statements: frozenset[str]
    formulas: frozenset[str]
    aux: frozenset[str]
    subordinators: frozenset[str]
    quantifiers: frozenset[str]
    framing: frozenset[str]
    conj_only: frozenset[str]
    locs: frozenset[str]
    given: frozenset[str]
    pron_conj: frozenset[str]
    name_heads: frozenset[str]
    addressee_object: frozenset[str]
    shadda_only: dict[str, str]
    impersonal: frozenset[str] = frozenset()
    from_addressee: dict[str, frozenset[str]] = field(default_factory=dict)
    role_governors: frozenset[str] = frozenset()
    formulas_quoted: frozenset[str] = frozenset()
    #: forms generated from ``candidate_cues``: proposed, never licensed (see extract_quotes)
    proposed: dict[str, str] = field(default_factory=dict)
    #: word -> _cue_lookup's answer (filled as words are met)
    cue_memo: dict[str, tuple[str, str, str, int] | None] = field(default_factory=dict, compare=False, hash=False)


def _bare(n: str) -> str:
    """``n`` without the definite article (الوزير -> وزير)."""
    return n[2:] if n.startswith("ال") and len(n) > 3 else n


def _in(words: frozenset[str], n: str) -> bool:
    """``n`` or its bare form (without ال) is in ``words``."""
    return n in words or _bare(n) in words


def _both(words: frozenset[str]) -> frozenset[str]:
    """Single-word entries with and without the definite article."""
    out: set[str] = set()
    for w in words:
        if " " in w:
            continue
        out.add(w)
        out.add(_bare(w))
    return frozenset(out)


def _lemmas(lexicon: Lexicon, section: str) -> dict[str, str]:
    """Normalized surface form -> normalized lemma, for a mapping section."""
    from newsan.normalize import normalize_word

    if not isinstance(lexicon.raw(section), dict):
        return {}
    return {form: normalize_word(lemma) for form, lemma in lexicon.labelled(section).items()}


def _from_addressee(lexicon: Lexicon) -> dict[str, frozenset[str]]:
    """Lemma -> the preposition forms that introduce its addressee (طلب من …)."""
    from newsan.normalize import normalize_word

    raw = lexicon.raw("cue_from_addressee")
    if not isinstance(raw, dict):
        return {}
    return {normalize_word(lemma): frozenset(normalize_word(p) for p in preps) for lemma, preps in raw.items()}


def _proposed_forms(lexicon: Lexicon) -> dict[str, str]:
    from newsan.morph import cue_forms

    return cue_forms(lexicon.raw("candidate_cues"))


@lru_cache(maxsize=8)
def _compile(lexicon: Lexicon) -> _Lex:
    from newsan.normalize import normalize_word

    raw_preps = lexicon.raw("cue_preps")
    preps: dict[str, set[str]] = {}
    if isinstance(raw_preps, dict):
        for prep, lemmas in raw_preps.items():
            for lemma in lemmas:
                preps.setdefault(normalize_word(lemma), set()).add(normalize_word(prep))
    multi_honor = {w.split()[-1] for w in lexicon.words("honorifics") if " " in w}
    return _Lex(
        verb=_lemmas(lexicon, "cue_verbs"),
        part=_lemmas(lexicon, "cue_participles"),
        preps={k: frozenset(v) for k, v in preps.items()},
        np_object=lexicon.words("cue_np_object"),
        stance=lexicon.words("cue_stance"),
        strict=lexicon.words("cue_strict"),
        compl=lexicon.words("complementizers"),
        compl_pron=lexicon.words("complementizers_pronoun"),
        attrib=lexicon.words("attribution_phrases"),
        speech_nouns=lexicon.words("speech_nouns"),
        resume=frozenset(w.split()[0] for w in lexicon.words("narrator_resume")),
        openers=lexicon.words("clause_openers"),
        stops=lexicon.words("speaker_stops"),
        blockers=lexicon.words("cue_blockers"),
        time=lexicon.words("time_words"),
        adverbs=lexicon.words("cue_adverbs"),
        masdars=_both(lexicon.words("object_masdars")),
        headline_labels=lexicon.words("headline_labels"),
        honorifics=_both(lexicon.words("honorifics"))
        | frozenset(multi_honor)
        | frozenset(w.split()[0] for w in lexicon.words("honorifics") if " " in w),
        titles=_both(lexicon.words("titles")),
        org=_both(lexicon.words("org_nouns")),
        outlets=_both(lexicon.words("outlet_nouns")),
        sources=_both(lexicon.words("source_nouns")),
        statements=_both(lexicon.words("statement_nouns")),
        formulas=lexicon.words("narrator_formulas"),
        subordinators=lexicon.words("subordinators"),
        quantifiers=lexicon.words("quantifiers"),
        framing=lexicon.words("framing_preps"),
        conj_only=lexicon.words("cue_conj_only"),
        locs=frozenset(w for w, label in lexicon.labelled("names").items() if label == "LOC" and " " not in w)
        if isinstance(lexicon.raw("names"), dict)
        else frozenset(),
        # the NER tagger's given-name gazetteer, when the lexicon has it
        given=lexicon.words("ner_given_names"),
        pron_conj=lexicon.words("pronoun_conjunctions"),
        name_heads=_both(lexicon.words("quoted_name_heads")),
        addressee_object=lexicon.words("cue_addressee_object"),
        shadda_only=_lemmas(lexicon, "cue_shadda_only"),
        impersonal=lexicon.words("cue_impersonal"),
        from_addressee=_from_addressee(lexicon),
        role_governors=_both(lexicon.words("role_governors")),
        formulas_quoted=lexicon.words("quoted_formulas"),
        proposed=_proposed_forms(lexicon),
        aux=lexicon.words("aux_verbs") | frozenset("و" + w for w in lexicon.words("aux_verbs")),
    )


@dataclass
class _Doc:
    """Flat token view of one article, with quotation pairs and sentence ends."""

    seg: Segmented
    toks: list[Token]
    norm: list[str]
    sent: list[int]
    para: list[int]
    #: token index of an opening mark -> (close token index or None, end of its region)
    pair_at: dict[int, tuple[int | None, int]] = field(default_factory=dict)
    #: closing mark token index -> opening mark token index
    close_of: dict[int, int] = field(default_factory=dict)
    #: for each token, the opening-mark index of the closed pair strictly around it, or -1
    inside: list[int] = field(default_factory=list)
    #: for each token, the index of the terminator ending its clause (exclusive bound)
    hard_end: list[int] = field(default_factory=list)
    #: for each token, the index where its paragraph ends (exclusive)
    para_end: list[int] = field(default_factory=list)
    #: for each token, the index where its sentence starts
    sent_start: list[int] = field(default_factory=list)
    #: words written outside quotation marks (filled on first use)
    unquoted: frozenset[str] | None = None
    #: PERS entity forms of the article: first normalized word -> word tuples (longest first)
    pers: dict[str, list[tuple[str, ...]]] = field(default_factory=dict)
    #: the article spells the preposition على with ى, so a dotted علي is the name
    ala_spelled: bool = False
    #: every normalized token of the article (filled on first use)
    words: frozenset[str] | None = None


@dataclass
class _NP:
    """A parsed noun phrase: name and role token ranges (half-open)."""

    name: tuple[int, int] | None
    role: tuple[int, int] | None
    end: int

    @property
    def speaker(self) -> tuple[int, int] | None:
        return self.name or self.role


@dataclass
class _Cand:
    """A quotation being built (token indices into ``_Doc.toks``)."""

    cue: int
    cue_kind: str  # verb | part | attrib | headline | mention (a source seen, not a quote)
    gender: str  # m | f | p | ""
    cstart: int  # first content token
    cstart_skip: int = 0  # characters to skip in the first content token (بأنه -> أنه)
    cend: int = -1  # exclusive
    lic: str = ""  # compl | colon | open | prep | np | attrib
    anchor: int = -1  # first token of the cue's clause: the previous content ends before it
    speaker: tuple[int, int] | None = None
    role: tuple[int, int] | None = None
    addressee: tuple[int, int] | None = None
    addressee_strip: int = -1
    via: tuple[int, int] | None = None
    via_strip: int = -1  # characters to skip in the via's first token (لوكالة -> وكالة)
    speaker_strip: int = -1  # the same for the speaker of an attribution phrase
    source: int = -1  # index of the quote whose speaker was borrowed
    np_content: bool = False
    direct: bool = False
    fixed_end: bool = False
    nested: bool = False  # the cue sits inside another quote's reported clause
    joined: bool = False  # two quoted pieces joined by the narrator's ولكن: one direct quote
    relative: bool = False  # the cue verb opens a relative clause (X، الذين يرون أن …)
    clitic: int = 0  # length of the و/ف written on the cue
    resumptive: bool = False  # a relative whose antecedent is the verb's object (التي اعتبرها، قال فيها)
    vetoes: list[str] = field(default_factory=list)  # rules that would have dropped it (propose mode)


def extract_quotes(
    seg: Segmented, lexicon: Lexicon, entities: Sequence[Entity] = (), propose: bool = False
) -> tuple[list[Quote], list[str]]:
    """Quotes in reading order, plus warnings (strings) for the document.

    With ``propose``, a cue that no licence supports (no complementizer, colon,
    quotation mark, governed preposition or listed object) is not dropped but
    proposed, with a content start found by :func:`_proposed_licence` and the
    same speaker search as a licensed cue; its evidence carries
    ``lic=proposed_…`` and the learned model of :mod:`newsan.extract.decide`
    keeps or drops it. Cues of ``candidate_cues`` are proposed the same way.

    Never raises on article text: an unexpected failure is reported as a
    warning and the article keeps its other results (STYLE §2).
    """
    try:
        return _extract(seg, _compile(lexicon), lexicon, entities, propose)
    except Exception as exc:
        log.exception("quotation extraction failed")
        return [], [f"quotes: extraction failed ({type(exc).__name__}: {exc})"]


# --------------------------------------------------------------------------- #
# Document preparation


_LAST: list[tuple[Segmented, _Doc]] = []


def _prepared(seg: Segmented) -> _Doc:
    """:func:`_prepare`, reused when the same segmented article comes again (the
    rules' pass and the proposing pass of :mod:`newsan.extract.decide`): the
    token view depends on the segmentation alone and no pass changes it."""
    if _LAST and _LAST[0][0] is seg:
        return _LAST[0][1]
    doc = _prepare(seg)
    _LAST[:] = [(seg, doc)]
    return doc


def _prepare(seg: Segmented) -> _Doc:
    toks: list[Token] = []
    sent: list[int] = []
    para: list[int] = []
    for s in seg.sentences:
        for t in s.tokens:
            toks.append(t)
            sent.append(s.index)
            para.append(s.paragraph)
    doc = _Doc(seg, toks, [t.norm for t in toks], sent, para)
    doc.ala_spelled = any(t.text in ("على", "وعلى", "فعلى") for t in toks)
    n = len(toks)
    doc.inside = [-1] * n
    doc.para_end = [n] * n
    i = 0
    while i < n:
        j = i
        while j < n and para[j] == para[i]:
            j += 1
        for k in range(i, j):
            doc.para_end[k] = j
        _pair_quotes(doc, i, j)
        i = j
    _sentence_ends(doc)
    return doc


def _pair_quotes(doc: _Doc, start: int, end: int) -> None:
    """Pair quotation marks of one paragraph (tokens ``[start, end)``).

    Symmetric marks (" and “ used on both sides) are told apart by what
    touches them: a space before and a letter after opens, the reverse closes.
    A mark that clearly opens while another of its family is open leaves the
    first one unclosed (its region ends there): real news often forgets to
    close a quotation before the next one.
    """
    vt = doc.seg.view.text
    open_at: int | None = None
    fam = ""
    for i in range(start, end):
        c = doc.norm[i]
        if c not in _QUOTE_CHARS:
            continue
        t = doc.toks[i]
        prev = vt[t.vstart - 1] if t.vstart > 0 else "\n"
        nxt = vt[t.vend] if t.vend < len(vt) else "\n"
        opens = prev in _LEFT_OPEN and nxt not in _RIGHT_CLOSE
        closes = nxt in _RIGHT_CLOSE and prev not in _LEFT_OPEN
        if open_at is None:
            if closes and c in _CLOSE_GLYPH | {"”"} and not opens:
                continue  # a stray closing mark
            open_at, fam = i, _FAMILY[c]
            continue
        if _FAMILY[c] != fam:
            continue  # nested quotation of another family
        if c in _CLOSE_GLYPH or not opens or closes:
            doc.pair_at[open_at] = (i, i)
            doc.close_of[i] = open_at
            for k in range(open_at + 1, i):
                if doc.inside[k] < 0:
                    doc.inside[k] = open_at
            open_at = None
        else:
            doc.pair_at[open_at] = (None, i)
            open_at, fam = i, _FAMILY[c]
    if open_at is not None:
        doc.pair_at[open_at] = (None, end)


def _sentence_ends(doc: _Doc) -> None:
    """Clause-final terminators outside closed quotations, per token."""
    n = len(doc.toks)
    doc.hard_end = [n] * n
    doc.sent_start = [0] * n
    nxt = n
    for i in range(n - 1, -1, -1):
        if i + 1 < n and doc.para[i + 1] != doc.para[i]:
            nxt = i + 1
        if doc.norm[i] in _TERMINATORS and doc.inside[i] < 0 and not _decimal(doc, i):
            nxt = i
        doc.hard_end[i] = nxt
    start = 0
    for i in range(n):
        if i > 0 and (
            doc.para[i] != doc.para[i - 1]
            or (doc.norm[i - 1] in _TERMINATORS and doc.inside[i - 1] < 0 and not _decimal(doc, i - 1))
        ):
            start = i
        doc.sent_start[i] = start


def _decimal(doc: _Doc, i: int) -> bool:
    """A period between digits with no space around it (77.66) ends nothing; nor does the
    period of a one-letter abbreviation (د. بدر, م. خالد) inside a sentence."""
    if doc.norm[i] != "." or i == 0 or i + 1 >= len(doc.norm):
        return False
    a, b = doc.toks[i - 1], doc.toks[i + 1]
    p = doc.norm[i - 1]
    if (
        len(p) == 1
        and "\u0621" <= p <= "\u064a"
        and a.vend == doc.toks[i].vstart
        and doc.para[i + 1] == doc.para[i]
        and (i < 2 or not _is_punct(doc.norm[i - 2]) or doc.norm[i - 2] in ("،", ","))
    ):
        return True
    return (
        doc.norm[i - 1][-1:].isdigit()
        and doc.norm[i + 1][:1].isdigit()
        and a.vend == doc.toks[i].vstart
        and doc.toks[i].vend == b.vstart
    )


# --------------------------------------------------------------------------- #
# Cues


def _strip_conj(n: str) -> tuple[str, int]:
    """``n`` without a leading و/ف, and how many characters were removed."""
    if len(n) > 2 and n[0] in "وف":
        return n[1:], 1
    return n, 0


def _cue_lookup(lx: _Lex, n: str) -> tuple[str, str, str, int] | None:
    """(kind, lemma, form, clitic length) for a cue token, else None (memoized per
    lexicon: both passes of a document and every rule ask it of the same words)."""
    memo = lx.cue_memo
    if n in memo:
        return memo[n]
    if len(memo) > 200_000:  # bounded: a long corpus run meets every word of the language
        memo.clear()
    memo[n] = hit = _cue_lookup_uncached(lx, n)
    return hit


def _cue_lookup_uncached(lx: _Lex, n: str) -> tuple[str, str, str, int] | None:
    for form, k in ((n, 0), _strip_conj(n)):
        if form in lx.verb:
            return "verb", lx.verb[form], form, k
        if form in lx.part:
            return "part", lx.part[form], form, k
        if k == 0 and len(n) <= 2:
            break
    return None


def _gender(kind: str, lemma: str, form: str) -> str:
    """Gender/number of a cue form, read from its shape (GUIDELINES §1.3)."""
    if kind == "part":
        if form.endswith("ين"):
            return "p"
        return "f" if form.endswith("ه") else "m"
    if form.endswith(("وا", "ون", "ان")) or (form.endswith("ا") and form != lemma and not lemma.endswith("ا")):
        return "p"
    if form == lemma:
        return "m"
    if form.startswith("ي"):
        return "m"
    if form.startswith("ت") and (not lemma.startswith("ت") or form.startswith("تت")):
        return "f"
    if form.endswith("ت"):
        return "f"
    return ""


def _is_punct(n: str) -> bool:
    return bool(n) and all(ch in _PUNCT for ch in n)


# --------------------------------------------------------------------------- #
# Noun phrases (speakers, roles, addressees)


def _is_title(lx: _Lex, n: str) -> bool:
    b = _strip_conj(n)[0] if n.startswith(("وال", "وو")) else n
    return n in lx.titles or _bare(b) in lx.titles


def _is_honor(lx: _Lex, n: str) -> bool:
    return _in(lx.honorifics, n)


def _is_source_word(lx: _Lex, n: str) -> bool:
    """A title or honorific, or an organization, outlet or source noun (the word or its bare form)."""
    return _is_title(lx, n) or _is_honor(lx, n) or _in(lx.org, n) or _in(lx.outlets, n) or _in(lx.sources, n)


def _ali(doc: _Doc, lx: _Lex, k: int) -> bool:
    """The given name علي, which normalization folds together with the preposition على.

    Written with a dotted ي in an article that spells the preposition على, and
    followed by a name word, it is the name (المنسق العام للجنة علي شطوان). In
    an article that writes ي for ى throughout, only after an honorific, a title
    or another name word (الأستاذ علي السيهاتي).
    """
    if doc.norm[k] != "علي" or not doc.toks[k].text.endswith("ي") or k == 0:
        return False
    p = doc.norm[k - 1]
    if doc.ala_spelled and not _is_punct(p) and k + 1 < len(doc.norm) and not _np_stop(doc, lx, k + 1):
        return True  # the article writes the preposition على: علي before a name word is the name
    return (
        _is_honor(lx, p)
        or _is_title(lx, p)
        or p in _NAME_LINKS
        or (
            k + 1 < len(doc.norm)
            and doc.norm[k + 1].startswith("ال")
            and not _is_punct(p)
            and p not in lx.stops
            and _cue_lookup(lx, p) is None
            and not p.startswith("ال")
        )
    )


def _np_stop(doc: _Doc, lx: _Lex, k: int) -> bool:
    n = doc.norm[k]
    if n == "علي" and _ali(doc, lx, k):
        return False
    if n == "امام" and doc.toks[k].text.startswith("إ"):
        return False  # إمام (imam), not أمام (in front of): the two fold together
    return (
        n in lx.stops
        or n in lx.time
        or n in lx.compl
        or n in lx.compl_pron
        or n in lx.blockers
        or _is_punct(n)
        or _cue_lookup(lx, n) is not None
        or n.isdigit()
    )


def _parse_np(doc: _Doc, lx: _Lex, j: int, limit: int) -> _NP | None:
    """The noun phrase starting at ``j`` (before ``limit``), split into role and name.

    Role first (وزير الطاقة الإسرائيلي يوفال شتاينتز): the title and its
    construct chain (genitives, ال-adjectives, باسم, لـ+organization) is the
    role; the first plain word after it starts the name. Name first (ديمتري
    بيسكوف المتحدث باسم الكرملين): the name runs until a title. A role with no
    name is itself the speaker (وقال وزير الخارجية إن …). Honorifics (معالي،
    الأستاذ) belong to neither (GUIDELINES §1.3).
    """
    m = j
    while m < limit and _is_honor(lx, doc.norm[m]) and not _is_title(lx, doc.norm[m]):
        m += 1
    role_mode = m < limit and _is_title(lx, doc.norm[m])
    toks: list[int] = []
    split = -1  # index in toks where the name (role mode) or the role (name mode) starts
    head = False
    k = j
    while k < limit and len(toks) < (24 if role_mode and split < 0 else max(14, split + 8)):
        n = doc.norm[k]
        if n in ("،", ",") and toks and role_mode and split < 0:
            # رئيس الوزراء الإسرائيلي، بنيامين نتنياهو،
            nx = k + 1
            if nx < limit and not _np_stop(doc, lx, nx) and not _is_title(lx, doc.norm[nx]) and doc.inside[nx] < 0:
                split = len(toks)
                k = nx
                continue
            break
        if n == "(" and toks and role_mode and split < 0 and not head:
            # رئيس الاتحاد الدولي لكرة القدم (فيفا) جوزيف بلاتر: a bracketed acronym inside the role
            close_p = next((m for m in range(k + 1, min(k + 5, limit)) if doc.norm[m] == ")"), -1)
            if (
                close_p > k + 1
                and close_p + 1 < limit
                and not any(_is_punct(doc.norm[m]) or _np_stop(doc, lx, m) for m in range(k + 1, close_p))
            ):
                toks.extend(range(k, close_p + 1))
                k = close_p + 1
                continue
        if n == "من" and len(toks) == 1 and doc.norm[toks[0]] in lx.quantifiers and k + 1 < limit:
            toks.append(k)  # عدد من الطلبة: the quantifier and its partitive
            k += 1
            continue
        if n == "." and toks and toks[-1] == k - 1 and len(doc.norm[k - 1]) == 1 and _is_honor(lx, doc.norm[k - 1]):
            k += 1  # د. محمد: the period of an abbreviated honorific
            continue
        if (
            n == "في"
            and role_mode
            and split < 0
            and toks
            and k + 3 < limit
            and doc.norm[k + 1] in _ROLE_PLACE_NOUNS
            and not _np_stop(doc, lx, k + 2)
        ):
            # المنسق العام للجنة المحلية للانتخابات في منطقة عسير علي شطوان: the place is the role's
            toks.extend((k, k + 1, k + 2))
            k += 3
            head = False
            continue
        if doc.inside[k] >= 0 or _np_stop(doc, lx, k):
            break
        if toks and n in _UNMARKED_OPENERS:
            break  # وقال ستولكر تمت كتابة …: a verb or particle ends the name
        if toks and "\u064b" in doc.toks[k].text:
            break  # an accusative with tanween (موقفا صارما) is an object, not part of a name
        genitive = False
        starts_name = False
        if toks and n.startswith("ل"):
            in_role = (role_mode and split < 0) or (not role_mode and split >= 0)
            rest = n[2:] if n.startswith("لل") else n[1:]
            role_cont = (
                n.startswith("لل")
                or _in(lx.org, rest)
                or _is_title(lx, rest)
                or n in lx.org  # لجنة is a noun, not لـ + جنة
                or _is_title(lx, n)
            )
            # a name after a role may begin with ل (المتحدثة ليلى الشمري) when more name follows;
            # otherwise لـ starts an addressee (كبير الدبلوماسيين لواحد من …)
            starts_name = (
                role_mode
                and split < 0
                and (not head or n in lx.given)
                and not role_cont
                and k + 1 < limit
                and not _np_stop(doc, lx, k + 1)
                and _bare(rest) not in lx.outlets
                # لوسائل الإعلام, لنظيره الفرنسي: a لـ-noun with a definite genitive is not a name
                and not (doc.norm[k + 1].startswith("ال") and n not in lx.given and n not in doc.pers)
            )
            # لنصرة الأشقاء: a لـ-noun with its own genitive continues the role (not a name, not
            # an addressee such as لوسائل الإعلام or لنظيره الفرنسي)
            genitive = (
                role_mode
                and split < 0
                and not head
                and k + 1 < limit
                and doc.norm[k + 1].startswith("ال")
                and n not in lx.given
                and n not in doc.pers
                and _bare(rest) not in lx.outlets
                and rest not in lx.outlets
                and not doc.toks[k].text.endswith(("ه", "ها", "هم"))
                # inside an organization's name (مكتب الحملة الوطنية لنصرة …), not after a bare title
                and (
                    len(toks) >= 3
                    or any(
                        _in(lx.org, doc.norm[t]) or _bare(doc.norm[t][1:]) in lx.org
                        for t in toks
                    )
                )
            )
            if not ((in_role and role_cont) or genitive or starts_name):
                break
            if starts_name and head and split < 0:
                split = len(toks)  # المتحدثة ليلى الشمري: the name after a head noun
        if toks and not head and not n.startswith("ال") and _in(lx.masdars, n):
            break  # أبرز البنك المركزي ضرورة …: a masdar starts the object
        if toks and len(n) >= 5 and n.endswith(("هم", "هما", "ها", "هن", "كم")) and not n.startswith("ال"):
            break  # a noun with a possessive suffix (أبدى أعضاء الوفد إعجابهم) is an object, not a name
        if (
            toks
            and split < 0
            and (
                role_mode
                and not head
                and not genitive
                and not _role_place(doc, lx, k)
                # بالجمعية، بالمنطقة: a definite place or body closing the role, never a name
                and not (n.startswith("بال") and len(n) > 4)
                # a place name closes the genitive chain (الأمين العام لحزب آفاق تونس، X،)
                and not (n in lx.locs and n not in lx.given and n not in doc.pers)
                and (not _role_word(lx, n) or (_is_honor(lx, n) and not _is_title(lx, n)))
                or not role_mode
                and _is_title(lx, n)
                and (n.startswith("ال") or (k + 1 < limit and not _np_stop(doc, lx, k + 1)))
            )
        ):
            split = len(toks)
        toks.append(k)
        # بالمنطقة closes the construct chain: a plain word after it starts the name
        head = role_mode and split < 0 and _is_head(lx, n) and not n.startswith("بال")
        k += 1
    if not toks:
        return None
    end = toks[-1] + 1

    def keep(ts: list[int], name: bool = False) -> tuple[int, int] | None:
        def honor(t: int) -> bool:
            return _is_honor(lx, doc.norm[t]) and not _is_title(lx, doc.norm[t])

        if name:
            # leading and trailing honorifics; a family name may be one (عبدالعزيز آل الشيخ)
            while ts and honor(ts[0]):
                ts = ts[1:]
            while len(ts) > 1 and honor(ts[-1]) and doc.norm[ts[-2]] not in _NAME_LINKS:
                ts = ts[:-1]
        else:
            ts = [t for t in ts if not honor(t)]
        return (ts[0], ts[-1] + 1) if ts else None

    if role_mode and split < 0 and toks and k < limit:
        late = _late_name(doc, lx, k, limit)
        if late is not None:
            return _NP(late, keep(toks), late[1])
    if role_mode:
        role_part = toks if split < 0 else toks[:split]
        name_part = [] if split < 0 else toks[split:]
        cut = next(
            (
                x
                for x, t in enumerate(name_part)
                if x > 0
                and _is_title(lx, doc.norm[t])
                and doc.norm[name_part[x - 1]] not in _NAME_LINKS
                # a title-like last word is a family name (محمد المرشد), a role needs more words
                and x < len(name_part) - 1
            ),
            len(name_part),
        )
        # عضو مجلس … أخصائي طب وجراحة العيون رئيس لجنة … الدكتور X: a second title inside the
        # "name" means a chain of roles; the name follows the honorific that closes the chain
        if name_part and any(x > 0 and _is_title(lx, doc.norm[t]) for x, t in enumerate(name_part)):
            h = name_part[0]
            while (
                h < limit
                and h - name_part[0] < 12
                and not _is_punct(doc.norm[h])
                and doc.norm[h] not in lx.compl
                and doc.norm[h] not in lx.compl_pron
                and not (_is_honor(lx, doc.norm[h]) and not _is_title(lx, doc.norm[h]))
            ):
                h += 1
            if (
                h + 1 < limit
                and h - name_part[0] < 12
                and _is_honor(lx, doc.norm[h])
                and not _is_title(lx, doc.norm[h])
            ):
                sub = _parse_np(doc, lx, h, limit)
                if sub is not None and sub.name is not None and sub.role is None:
                    return _NP(sub.name, keep(role_part + list(range(name_part[0], h))), sub.end)
        # استشاري جراحات القرنية وتصحيح الإبصار بالليزر الدكتور X: the role's own words ran into
        # the "name"; the honorific before the person's name shows where the name starts
        hon = next(
            (
                x
                for x, t in enumerate(name_part[:cut])
                if x > 0
                and _is_honor(lx, doc.norm[t])
                and not _is_title(lx, doc.norm[t])
                # عبد الله: the end of آية الله, inside a name
                and doc.norm[name_part[x - 1]] not in _NAME_LINKS | {"عبد"}
            ),
            None,
        )
        if hon is not None and hon + 1 < cut and not _is_honor(lx, doc.norm[name_part[hon + 1]]):
            role_part, name_part, cut = role_part + name_part[:hon], name_part[hon:], cut - hon
        name_part = name_part[:cut][:6]
        if (
            name_part
            and not any(doc.norm[t].startswith("ال") for t in role_part)
            and all(_nisba(doc.norm[t]) for t in name_part)
        ):
            # مصدر حكومي يوناني, مسؤول أمريكي: adjectives of an indefinite role, no name
            role_part, name_part = role_part + name_part, []
        if name_part:
            # إمام وخطيب المسجد الحرام الشيخ الدكتور X: honorifics before the name leave the role
            while len(role_part) > 1 and _is_honor(lx, doc.norm[role_part[-1]]):
                role_part = role_part[:-1]
        role = keep(role_part)
        name = keep(name_part, name=True)
        return _NP(name, role, end)
    name_part = toks if split < 0 else toks[:split]
    role_part = [] if split < 0 else toks[split:]
    name = keep(name_part[:6], name=True)
    if name is None:
        return None
    return _NP(name, keep(role_part), end)


#: relative pronouns that may open a reporting clause (… الذين يرون أن …)
_RELATIVES = frozenset({"الذي", "التي", "الذين", "اللذين", "اللتين", "اللذان", "اللتان"})
#: resumptive prepositional pronouns after a relative's verb (قال فيها، قالوا عنها)
_RESUMPTIVES = frozenset({"فيه", "فيها", "فيهم", "عنه", "عنها", "عنهم", "به", "بها", "بهم", "له", "لها", "لهم"})
_RELATIVES_CONJ = _RELATIVES | frozenset("و" + w for w in _RELATIVES) | frozenset("ف" + w for w in _RELATIVES)

#: nouns of an administrative area that a role may name with في (في منطقة عسير)
_ROLE_PLACE_NOUNS = frozenset({"منطقه", "محافظه", "مدينه", "ولايه", "امانه"})

#: words inside a name after which a title-like word is still the name (آل الشيخ, أبو الأمير)
_NAME_LINKS = frozenset({"ال", "آل", "ابو", "أبو", "بن", "ابن", "بنت"})


def _role_place(doc: _Doc, lx: _Lex, k: int) -> bool:
    """بـ + a place closing a role (المدير العام للتعليم بجازان, سفير فرنسا بتونس).

    The place is recognised by position: right after a prepositional genitive
    of the role (للتعليم، لشركة) or a known place name, not after an adjective
    (الرئيس السوري بشار الأسد keeps بشار as the name).
    """
    n = doc.norm[k]
    if len(n) <= 3 or not n.startswith("ب") or n.startswith("بال") or k == 0:
        return False
    if n in lx.given or n in doc.pers:
        return False  # المفوض العام للأونروا بيير كرينبول: a given name, not بـ + place
    p = doc.norm[k - 1]
    return p.startswith(("لل", "بال")) or n[1:] in lx.locs or p in lx.locs


def _nisba(n: str) -> bool:
    """An indefinite relative adjective (حكومي، يوناني، أمريكية، أوروبيون)."""
    n = _strip_conj(n)[0] if n[:1] == "و" and len(n) > 4 else n
    return len(n) >= 4 and not n.startswith("ال") and n.endswith(("ي", "يه", "يون", "يين", "يان"))


def _name_like(doc: _Doc, lx: _Lex, k: int) -> bool:
    """A word that can be part of a personal name after a role (not a title, stop or cue)."""
    n = doc.norm[k]
    return (
        doc.inside[k] < 0
        and not _np_stop(doc, lx, k)
        and not _is_title(lx, n)
        and not n.startswith(("لل", "بال"))
        and n not in lx.org
        and _bare(n) not in lx.org
    )


def _late_name(doc: _Doc, lx: _Lex, k: int, limit: int) -> tuple[int, int] | None:
    """The name of a role phrase that a short prepositional phrase interrupted.

    عميد التعلم الإلكتروني والتعليم عن بعد الدكتور عبدالعزيز العامر: an
    honorific is a hard boundary before a name; مدير المعهد في باريس، باسكال
    بونيفاس، أن …: a name in apposition between commas after the role. ``k``
    is where the role phrase stopped. Returns the name's token range.
    """
    m = k
    # الممثل الخاص للأمين العام للأمم المتحدة في العراق يان كوبيش إنه …: after the role's
    # genitives, a place phrase, then a name closed by the complementizer (two to four
    # plain words, no article)
    p = k
    while p < limit and p - k < 6 and doc.norm[p].startswith(("لل", "ال")) and not _np_stop(doc, lx, p):
        p += 1
    if (
        p < limit
        and doc.norm[p] == "في"
        and p + 3 < len(doc.norm)
        and _in(lx.locs, doc.norm[p + 1])
    ):
        e = p + 2
        while e < limit and e - p - 2 < 4 and _name_like(doc, lx, e) and not doc.norm[e].startswith("ال"):
            e += 1
        if 2 <= e - p - 2 and e < len(doc.norm) and (doc.norm[e] in lx.compl or doc.norm[e] in lx.compl_pron):
            return (p + 2, e)
    # skip a short framing phrase (في باريس, عن بعد) that is not punctuation
    if doc.norm[m] in lx.stops or doc.norm[m] in lx.time:
        e = m + 1
        while e < limit and e - m <= 3 and not _is_punct(doc.norm[e]) and not _is_honor(lx, doc.norm[e]):
            if doc.norm[e] in lx.compl or doc.norm[e] in lx.compl_pron or _cue_lookup(lx, doc.norm[e]):
                return None
            e += 1
        m = e
    comma = m < limit and doc.norm[m] in ("،", ",")
    if comma:
        m += 1
        if m < limit and doc.norm[m] in lx.stops and doc.norm[m] not in lx.compl:
            # مدير مكتب الحملة …، في لبنان وليد الجلال إن: a second short framing phrase,
            # up to a given name
            e = m + 1
            while e < limit and e - m <= 3 and not _is_punct(doc.norm[e]) and not _is_honor(lx, doc.norm[e]):
                if doc.norm[e] in lx.given or doc.norm[e] in doc.pers:
                    break
                if doc.norm[e] in lx.compl or doc.norm[e] in lx.compl_pron or _cue_lookup(lx, doc.norm[e]):
                    return None
                e += 1
            if e < limit and e > m + 1 and (doc.norm[e] in lx.given or doc.norm[e] in doc.pers):
                m = e
    h = m
    while h < limit and (
        (_is_honor(lx, doc.norm[h]) and not _is_title(lx, doc.norm[h]))
        or (h > m and doc.norm[h] == "." and len(doc.norm[h - 1]) == 1)  # د. X
    ):
        h += 1
    if h == m and not comma:
        return None  # neither an honorific nor an apposition: no name here
    e = h
    while e < limit and e - h < 6 and _name_like(doc, lx, e):
        e += 1
    if e == h:
        return None
    # the name must close the phrase: punctuation, a complementizer or the window's end
    closes = e >= limit or _is_punct(doc.norm[e]) or doc.norm[e] in lx.compl or doc.norm[e] in lx.compl_pron
    if not closes and (comma or doc.norm[e] not in lx.stops):
        return None
    return (h, e)


# --------------------------------------------------------------------------- #
# Licensing


def _framing_pp(doc: _Doc, lx: _Lex, s: int, e: int) -> bool:
    """Whether tokens ``[s, e)`` are a framing phrase, not a clause (، في بيان صحفي اليوم إن …).

    It opens with a preposition or a time word and holds no cue, subordinator
    or relative pronoun, so the complementizer after it still belongs to the cue.
    """
    if s >= e or e - s > 7:
        return False
    first = _strip_conj(doc.norm[s])[0] if doc.norm[s][:1] == "و" else doc.norm[s]
    if first not in lx.framing:
        return False
    for m in range(s + 1, e):
        n = doc.norm[m]
        if _cue_lookup(lx, n) is not None or n in lx.blockers or _strip_conj(n)[0] in lx.subordinators:
            return False
    return True


def _apposition(doc: _Doc, lx: _Lex, s: int, e: int) -> bool:
    """Whether tokens ``[s, e)`` are one role phrase in apposition to the speaker
    (أكد حمدي الطباع، رئيس اتحاد رجال الأعمال العرب أن …): a title with its genitives."""
    if s >= e or e - s > 10 or not (_is_title(lx, doc.norm[s]) or _is_honor(lx, doc.norm[s])):
        return False
    np = _parse_np(doc, lx, s, e)
    return np is not None and np.end == e


def _relative_cue_at(lx: _Lex, doc: _Doc, k: int) -> bool:
    """Whether token ``k`` (right after a relative pronoun) is a cue verb, possibly with an
    object pronoun (تقول، اعتبرها)."""
    if k >= len(doc.norm):
        return False
    n = doc.norm[k]
    if _cue_lookup(lx, n) is not None:
        return True
    for suf in ("ها", "هم", "ه"):
        if n.endswith(suf) and len(n) - len(suf) >= 3:
            hit = _cue_lookup(lx, n[: -len(suf)])
            if hit is not None and hit[0] == "verb":
                return True
    return False


def _says(lx: _Lex, doc: _Doc, k: int) -> bool:
    """Whether token ``k`` is a form of قال (the verb that takes إن rather than أن)."""
    hit = _cue_lookup(lx, doc.norm[k])
    return hit is not None and hit[1] == "قال"


def _find_license(doc: _Doc, lx: _Lex, i: int, kind: str, lemma: str, strict: bool) -> tuple[str, int, int, int] | None:
    """What licenses the cue at ``i`` (GUIDELINES §1.1-1.2).

    Returns (kind, first content token, characters to skip in it, end of the
    speaker window) or None when the cue reports no statement.
    """
    # وطالب النائب بإلغاء …: a strict form that opens its clause with و/ف may take its preposition
    strict_verb = (
        strict
        and kind == "verb"
        and not (_strip_conj(doc.norm[i])[1] and "ب" in lx.preps.get(lemma, ()) and doc.sent_start[i] == i)
    )
    # long role phrases (مفتي عام المملكة رئيس هيئة … الشيخ X، في خطبته …، أن) need a wide
    # window; stance verbs keep a narrow one (GUIDELINES §1.2)
    opens = i == 0 or _is_punct(doc.norm[i - 1]) or doc.sent_start[i] == i or _strip_conj(doc.norm[i])[1] == 1
    width = 10 if kind == "part" else (8 if strict_verb else (30 if opens and lemma not in lx.stance else 22))
    # the window counts words: punctuation and a quoted stretch do not use it up
    limit = min(doc.hard_end[i], doc.para_end[i])
    words = 0
    m = i + 1
    while m < limit and words < width:
        pair_close = doc.pair_at[m][0] if m in doc.pair_at else None
        if pair_close is not None and doc.inside[i] < 0:
            m = pair_close + 1
            words += 1
            continue
        if not _is_punct(doc.norm[m]):
            words += 1
        m += 1
    limit = min(limit, m)
    if doc.inside[i] >= 0:
        close_i = doc.pair_at.get(doc.inside[i], (None, 0))[0]
        if close_i is not None:
            limit = min(limit, close_i)
    preps = lx.preps.get(lemma, frozenset())
    prep_hit: tuple[str, int, int, int] | None = None
    masdar_hit: tuple[str, int, int, int] | None = None
    seen_comma = False
    last_comma = -1
    in_relative = -1  # the relative clause's verb, once one is crossed
    k = i + 1
    while k < limit:
        n = doc.norm[k]
        prev = doc.norm[k - 1]
        if (
            k > i + 1
            and doc.inside[k] < 0
            and _cue_lookup(lx, n) is not None
            and (prev in _COMMAS or n[0] in "وف" or kind == "part")
        ):
            break  # another cue's clause begins
        if n in _COMMAS:
            if prep_hit or masdar_hit:
                break
            seen_comma = True
            last_comma = k
        if n in _RELATIVES_CONJ and (prep_hit or masdar_hit or _relative_cue_at(lx, doc, k + 1)):
            if prep_hit or masdar_hit:
                break  # أعلن عن إقالة X عقب تصريحاته التي اعتبرها … أنها: a later أن belongs to the relative
            in_relative = k + 1
        # وقالت المتحدثة التي أكدت قرار الاعتراف إن …: only قال takes إن; أن after a
        # relative's other verb is the relative's own complement
        if (
            in_relative >= 0
            and (n in lx.compl or n in lx.compl_pron)
            and not (lemma == "قال" and doc.toks[k].text.startswith("إ") and not _says(lx, doc, in_relative))
        ):
            break
        if n in lx.compl or n in lx.compl_pron:
            if prev in _SUBORD:
                if prep_hit or masdar_hit:
                    break
                k += 1
                continue
            if lemma in lx.stance and prev in ("على", "علي"):
                return None  # ترى الغرب على أنه …: a stance, not a statement
            if (
                last_comma >= 0
                and sum(1 for m in range(last_comma + 1, k) if not _is_punct(doc.norm[m])) > 3
                and not _framing_pp(doc, lx, last_comma + 1, k)
                and not _apposition(doc, lx, last_comma + 1, k)
            ):
                return None  # a new clause after the comma owns this complementizer
            if n in lx.compl_pron:
                return "compl", k, (1 if n[0] in "بو" else 0), k
            if k + 1 >= doc.para_end[i]:
                return None
            return "compl", k + 1, 0, k
        if n == ":":
            if k + 1 < doc.para_end[i] and (doc.norm[k + 1] in lx.compl or doc.norm[k + 1] in lx.compl_pron):
                k += 1  # قالت X: إن …: the complementizer decides
                continue
            return ("colon", k + 1, 0, k) if k + 1 < doc.para_end[i] else None
        if n in _QUOTE_CHARS and k in doc.pair_at:
            close = doc.pair_at[k][0]
            after = doc.norm[close + 1] if close is not None and close + 1 < doc.para_end[i] else ""
            qwords = sum(1 for t in range(k + 1, close) if not _is_punct(doc.norm[t])) if close is not None else 0
            if close is not None and (
                after == ":"
                or after in lx.compl
                or after in lx.compl_pron
                or (k == i + 1 and qwords <= 3 and after and not _is_punct(after))
            ):
                k = close + 1  # a quoted subject: وقالت «الفيدرالية العالمية»: إن …, وأعلنت “مايكروسوفت” عن …
                continue
            short = close is not None and qwords <= 3
            if close is not None and _formula_quoted(doc, lx, k, close):
                k = close + 1  # «صلى الله عليه وسلم»: a formula, never a quotation
                continue
            blocked = (
                prev == "ل"
                or (prev.startswith("ل") and len(prev) <= 2)
                or prev in ("في", "مع", "عن", "من", "باسم")
                or (
                    short
                    and (
                        _in(lx.outlets, prev)
                        or _in(lx.org, prev)
                        or _bare(prev) in lx.statements
                    )
                )
            )
            if not blocked:
                # لوكالة الأنباء الألمانية (د ب أ) "…": a closing parenthesis ends the recipient phrase
                ok = (
                    prev in _COMMAS
                    or prev == ":"
                    or k == i + 1
                    or (k - i - 1 <= 8 and not seen_comma)
                    or (prev == ")" and not seen_comma)
                )
                if ok and close is not None and prev not in _COMMAS and k != i + 1:
                    words = sum(1 for t in range(k + 1, close) if not _is_punct(doc.norm[t]))
                    if words <= 2:
                        ok = False  # a quoted name or term after a noun (وفاة الطفلة «سكينة»)
                if ok:
                    return "open", k, 0, k
            if close is not None:
                k = close + 1
                continue
        # والمشرف على تنظيم الحفل، …: the preposition belongs to the role, not the cue
        governed = prev in lx.role_governors or _strip_conj(prev)[0] in lx.role_governors
        # أكد … حرصهم على …: a preposition after the masdar object is the masdar's
        if prep_hit is None and masdar_hit is None and not strict_verb and not governed:
            # a lone letter (د ب أ) is an abbreviation: ب/ل as prepositions are always clitics
            if n in preps and len(n) > 1 and k + 1 < limit and not _ali(doc, lx, k):
                prep_hit = ("prep", k + 1, 0, k)
            elif (
                "ب" in preps
                and n.startswith("ب")
                and len(n) > 3
                and n not in lx.stops
                and n not in ("باسم", "بعد", "بين", "بينما")
                # مستشار بلاتر, رئيس بلدية …: a ب-initial word after a construct title is its genitive
                and not (k > i + 1 and not prev.startswith(("ال", "وال")) and _is_title(lx, prev))
                # right after the verb only for participles, headlines (لندن تندد بأزمة …) and a
                # sentence-initial verb with و/ف and a dropped subject (وأشاد بنوعية …)
                and (
                    k > i + 1
                    or kind == "part"
                    or doc.para[i] == 0
                    or (_strip_conj(doc.norm[i])[1] == 1 and doc.sent_start[i] == i)
                )
            ):
                prep_hit = ("prep", k, 0, k)
            elif (
                "ل" in preps
                and n.startswith("ل")
                and not n.startswith("لل")
                and len(n) > 3
                and n not in lx.stops
                and n not in lx.blockers
            ):
                prep_hit = ("prep", k, 1, k)  # تأسف لغياب …: the content starts after لـ
        if (
            masdar_hit is None
            and not strict_verb
            and lemma in lx.np_object
            and (_in(lx.masdars, n) or _masdar_suffixed(lx, n))
        ):
            masdar_hit = ("np", k, 0, k)
        k += 1
    if strict_verb or lemma in lx.stance:
        return None
    if prep_hit:
        return prep_hit
    if masdar_hit:
        return masdar_hit
    if (
        kind == "part"
        and lemma in lx.np_object
        and lemma not in _MASDAR_ONLY
        and i + 1 < limit
        and not _np_stop(doc, lx, i + 1)
        # محملا بالمساعدات: a prepositional phrase, not an object
        and not (doc.norm[i + 1][:1] in "بل" and doc.norm[i + 1][1:3] == "ال")
    ):
        return "np", i + 1, 0, i + 1
    return None


# --------------------------------------------------------------------------- #
# Extraction


def _masdar_suffixed(lx: _Lex, n: str) -> bool:
    """An object masdar with a possessive pronoun (حرصهم، رفضها، دعمه)."""
    for suf in ("هما", "هم", "ها", "نا", "ه"):
        if n.endswith(suf) and len(n) - len(suf) >= 3 and not n.startswith("ال"):
            stem = n[: -len(suf)]
            # براءته: a ta marbuta is written ت before the suffix
            return stem in lx.masdars or (stem.endswith("ت") and stem[:-1] + "ه" in lx.masdars)
    return False


def _statement_owner(doc: _Doc, lx: _Lex, cand: _Cand, limit: int) -> None:
    """وذكر بيان للبعثة الأممية أن …: the body that issued the statement is the speaker."""
    sp = cand.speaker
    if sp is None or sp[1] - sp[0] != 1 or cand.role is not None:
        return
    if _bare(doc.norm[sp[0]]) not in lx.statements or doc.norm[sp[0]].startswith("ال"):
        return  # only an indefinite بيان لـ…; البيان الصادر عن … is handled as a relay
    k = sp[1]
    if k >= limit:
        return
    n = doc.norm[k]
    if not n.startswith("ل") or len(n) <= 3 or n in lx.stops or n in lx.blockers:
        return
    e = k + 1
    while e < limit and e - k < 4 and doc.norm[e].startswith("ال") and not _np_stop(doc, lx, e):
        e += 1
    cand.speaker = (k, e)
    cand.speaker_strip = 0 if n.startswith("لل") else 1  # لوزارة الصحة -> وزارة الصحة


_DEMONSTRATIVES = frozenset({"ذلك", "هذا", "ذلكم", "هذه", "بذلك", "بهذا"})


def _fronted_content(doc: _Doc, lx: _Lex, i: int, seen: list[_Cand]) -> _Cand | None:
    """أوضح ذلك المهندس X …: the content is the sentence before the cue.

    The cue opens its sentence, a demonstrative object (ذلك، هذا) points back,
    and a speaker follows. The previous sentence (not the title) becomes the
    content unless it already holds a quotation.
    """
    lim = min(doc.hard_end[i], doc.para_end[i])
    if doc.sent_start[i] != i or i + 2 >= lim or doc.norm[i + 1] not in _DEMONSTRATIVES:
        return None
    p = i - 1
    while p >= 0 and (_is_punct(doc.norm[p]) or doc.norm[p] in _QUOTE_CHARS):
        p -= 1
    if p < 0:
        return None
    ps = doc.sent_start[p]
    if doc.para[ps] == 0 or doc.para[i] - doc.para[ps] > 1 or p + 1 - ps < 4:
        return None
    if any(ps <= d.cue <= p or ps <= d.cstart <= p for d in seen if d.cue_kind != "mention"):
        return None
    hit = _cue_lookup(lx, doc.norm[i])
    if hit is None:
        return None
    cand = _Cand(cue=i, cue_kind="verb", gender=_gender(*hit[:3]), cstart=ps, lic="np")
    cand.cend = p + 1
    cand.fixed_end = True
    cand.anchor = i
    end = i + 2
    while end < lim and _cue_lookup(lx, doc.norm[end]) is None and doc.norm[end] not in lx.compl:
        end += 1
    _speaker_right(doc, lx, cand, i + 2, end, lx.verb.get(_strip_conj(doc.norm[i])[0], ""))
    if cand.speaker is None:
        return None
    return cand


def _from_addressee_object(doc: _Doc, lx: _Lex, i: int, preps: frozenset[str]) -> tuple[tuple[int, int], int] | None:
    """طلب من الركاب إخراج …: (addressee range, first content token) or None.

    The addressee is the pronoun on من or a run of definite words after it; the
    content is the indefinite noun (a masdar) that follows.
    """
    lim = min(doc.hard_end[i], doc.para_end[i])
    k = i + 1
    if k >= lim or doc.norm[k] not in preps:
        return None
    start = k + 1
    end = start
    if doc.norm[k] == "من":
        while end < lim and end - start < 4 and doc.norm[end].startswith("ال") and not _np_stop(doc, lx, end):
            end += 1
        if end == start:
            return None
    if end >= lim:
        return None
    n = doc.norm[end]
    if _is_punct(n) or _np_stop(doc, lx, end) or n.startswith(("ال", "و")) or len(n) < 3 or n[0] == "ي":
        return None  # an imperfect verb or a new clause, not an object
    return (start, end), end


def _clause_start(doc: _Doc, lx: _Lex, i: int, floor: int) -> int:
    """First token of the clause that ends at cue ``i`` (scanning back to punctuation)."""
    a = i
    while a - 1 >= floor:
        n = doc.norm[a - 1]
        if _is_punct(n) or doc.inside[a - 1] >= 0 or n in lx.compl or n in lx.compl_pron or n in ("فان", "لان"):
            break
        if _strip_conj(n)[0] in lx.subordinators:
            a -= 1  # حين نفى …: the clause starts at the conjunction
            break
        if _cue_lookup(lx, n) is not None:
            break
        a -= 1
        if i - a > 22 or (i - a > 14 and not (_is_honor(lx, doc.norm[a]) or _is_title(lx, doc.norm[a]))):
            break  # (صاحب السمو الملكي الأمير X مستشار … أمير منطقة … صرح: a long titled subject)
    return a


def _left_subject(doc: _Doc, lx: _Lex, i: int, floor: int) -> tuple[_NP | None, int, bool, bool]:
    """Subject before the verb (SVO: الوزير قال, وكان خامنئي قد قال, X يقول إن).

    Returns (noun phrase, clause start, framed by a prepositional opener such
    as وعن اختياره …, whether the noun phrase ends right at the verb).
    """
    a = _clause_start(doc, lx, i, floor)
    start = a
    b = a
    while b < i and (doc.norm[b] in lx.aux or doc.norm[b] in ("و", "ف")):
        b += 1
    e = i
    while e > b and doc.norm[e - 1] in lx.aux:
        e -= 1
    if b >= e:
        return None, start, False, False
    first = _strip_conj(doc.norm[b])[0]
    if first in lx.subordinators and b + 1 < i:
        # لكن بعض ساسة اليسار يرون …: an SVO clause after a conjunction keeps its subject
        h = doc.norm[b + 1] if b + 1 < e else ""
        definite = h.startswith("ال") or h in lx.quantifiers or _is_title(lx, h)
        if not definite and h and h[:1] not in "يتنبلكفو" and h not in lx.openers and h not in lx.stops:
            # a bare name (لكن دندن انتقد …) before a cue in the past tense
            hit = _cue_lookup(lx, doc.norm[i])
            definite = hit is not None and not _imperfect(lx, hit[0], doc.norm[i]) and e - b <= 4
        ok = definite and first not in lx.openers - {"لكن", "ولكن", "بل"}
        sub: _NP | None = None
        if ok and h in lx.quantifiers and e - b <= 6 and not any(_is_punct(doc.norm[m]) for m in range(b + 1, e)):
            sub = _NP((b + 1, e), None, e)  # بعض ساسة اليسار: a quantified group
        elif ok and h not in lx.stops:
            sub = _parse_np(doc, lx, b + 1, e)
        if sub is not None and sub.speaker is not None and sub.end == e and e - b <= 7 and not _is_punct(h):
            return sub, start, True, True
        return None, start, True, False
    if (
        doc.norm[b] in lx.openers
        or first in lx.openers
        or doc.norm[b] in lx.blockers
        or first in lx.stops
        or first in lx.blockers
    ):
        return None, start, True, False
    titled = (_is_honor(lx, doc.norm[b]) or _is_title(lx, doc.norm[b])) and doc.sent_start[b] == b
    if (
        e - b > (20 if titled else 7)
        or doc.norm[b].startswith(("لل", "بال"))
        or (
            start > 0
            and doc.para[start - 1] == doc.para[start]
            and not _is_punct(doc.norm[start - 1])
            and doc.sent_start[start] != start
            and doc.norm[start - 1] not in lx.compl
        )
    ):
        return None, start, False, False  # not a subject standing at the head of its clause
    if _cue_lookup(lx, doc.norm[b]) is not None:
        return None, start, False, False
    if _strip_conj(doc.norm[b])[0] in lx.pron_conj or doc.norm[b] in lx.pron_conj:
        return None, start, True, False  # لكنه شدد …: a pronoun subject, resolved later
    np = _parse_np(doc, lx, b, e)
    if np is not None and np.name is None and _is_honor(lx, doc.norm[b]):
        # صاحب السمو الملكي الأمير خالد الفيصل …: parse after the honorific formula
        hon = b
        while hon < e and _is_honor(lx, doc.norm[hon]):
            hon += 1
        np2 = _parse_np(doc, lx, hon, e) if b < hon < e else None
        if np2 is not None and np2.name is not None and np2.end == np.end:
            np = np2
    if np is None or np.speaker is None or _not_speaker(doc, lx, np.speaker):
        return None, start, False, False
    if np.end < e:
        return None, start, False, False  # the words before the verb are not one noun phrase
    return np, start, False, True


def _sentence_subject(doc: _Doc, lx: _Lex, i: int, gender: str = "") -> _NP | None:
    """Subject of the sentence's main verb (كان X …, كشفت X …, من جهته، وصف X …)."""
    s = doc.sent_start[i]
    # skip a framing phrase ending in a comma (من جهته، …; وفي سياق متصل، …)
    if s < i and _strip_conj(doc.norm[s])[0] in lx.openers:
        comma = next((m for m in range(s, min(i, s + 6)) if doc.norm[m] in _COMMAS), -1)
        if comma > 0:
            s = comma + 1
    if s >= i:
        return None
    n = doc.norm[s]
    if n in ("كان", "كانت", "وكان", "وكانت", "فكان", "فكانت"):
        np = _parse_np(doc, lx, s + 1, i)
        return np if np and np.speaker else None
    cue = _cue_lookup(lx, n)
    if cue is not None and cue[0] == "verb" and s + 1 < i:
        g = _gender(*cue[:3])
        if gender and g and g != gender:
            return None  # وأوضح السليطي … حيث تطرقت …: another source
        np = _parse_np(doc, lx, s + 1, i)
        if np and np.speaker:
            return np
    return None


def _extract(
    seg: Segmented, lx: _Lex, lexicon: Lexicon, entities: Sequence[Entity], propose: bool = False
) -> tuple[list[Quote], list[str]]:
    doc = _prepared(seg)
    doc.pers = _pers_forms(entities)
    warnings: list[str] = []
    cands: list[_Cand] = []
    for i in range(len(doc.toks)):
        c = _cue_candidate(doc, lx, i, cands, entities, propose)
        if c is not None:
            cands.append(c)
    cands.extend(_headline(doc, lx))
    cands.extend(_group_mentions(doc, lx))
    cands.sort(key=lambda c: c.cue)
    # a cue inside another cue's speaker window belongs to it (وقال الوزير مشيرا إلى كيري «…»)
    cands = _drop_inside_speaker_windows(cands)
    _mark_nested(doc, cands)
    # a weakly licensed cue inside another quote's clause is the speaker's word, not a new
    # quote (… إلا أن العرب يطالبون بالوصول …)
    cands = [
        c
        for c in cands
        if not (
            c.nested
            and c.lic in ("prep", "np")
            and _imperfect(lx, c.cue_kind, doc.norm[c.cue])
            and _in_compl_clause(doc, lx, c.cue)
        )
    ]
    # … تصريح من الجهة المختصة "الأحوال المدنية" يفيد بأن …: an imperfect verb with no subject
    # of its own, no و/ف and no clause boundary before it, inside another quote's clause,
    # describes a noun of the reported words (a document that says), not a new speaker
    cands = [c for c in cands if not _descriptive_cue(doc, lx, c, cands)]
    # وأضاف: «نحن … خاصة أن آخر إحصائية تشير إلى أن …: a cue inside a quotation that opens a
    # quote's content and is never closed belongs to that speaker's words
    unclosed = {
        c.cstart: doc.hard_end[c.cstart]
        for c in cands
        if c.cue_kind != "mention"
        and c.cstart in doc.pair_at
        and doc.pair_at[c.cstart][0] is None
        and doc.norm[c.cstart] in _OPEN_GLYPH
        and doc.pair_at[c.cstart][1] >= doc.para_end[c.cstart]
    }
    if unclosed:
        cands = [c for c in cands if not (c.nested and any(o < c.cue < e for o, e in unclosed.items()))]
    _resolve_speakers(doc, lx, cands)
    _set_ends(doc, lx, cands)
    cands.extend(_attributions(doc, lx, cands, entities))
    cands = [c for c in cands if c.cue_kind != "mention"]
    cands.sort(key=lambda c: (c.cue, c.cstart))
    quotes = _build(doc, lx, cands, entities)
    opened = {c.cstart for c in cands}
    for open_i, (close, _end) in doc.pair_at.items():
        if close is None and open_i in opened:
            warnings.append(
                f"quotes: quotation mark opened at character {doc.toks[open_i].start} is never closed; "
                "the quotation was cut at the end of its clause"
            )
    return quotes, warnings


def _drop_inside_speaker_windows(cands: list[_Cand]) -> list[_Cand]:
    """Drop a cue that lies between an earlier cue and that cue's content
    (``d.cue < c.cue < d.cstart``, headlines excepted): one sweep in cue order
    keeping the furthest content start seen so far, instead of comparing every
    pair (a hostile document of many short quotations made that quadratic)."""
    real = sorted((c for c in cands if c.cue_kind != "mention"), key=lambda c: c.cue)
    drop: set[int] = set()
    reach = -1  # the furthest content start of the non-headline cues strictly before
    i = 0
    while i < len(real):
        j = i
        while j < len(real) and real[j].cue == real[i].cue:
            j += 1
        group = real[i:j]
        for c in group:
            if c.cue < reach:
                drop.add(id(c))
        for d in group:
            if d.cue_kind != "headline":
                reach = max(reach, d.cstart)
        i = j
    return [c for c in cands if id(c) not in drop]


def _cue_candidate(
    doc: _Doc, lx: _Lex, i: int, seen: list[_Cand], entities: Sequence[Entity] = (), propose: bool = False
) -> _Cand | None:
    hit = _cue_lookup(lx, doc.norm[i])
    if hit is None and propose:
        n = doc.norm[i]
        for form, k in ((n, 0), _strip_conj(n)):
            if form in lx.proposed:
                hit = ("part" if form.startswith("م") else "verb", lx.proposed[form], form, k)
                break
    if hit is None and i > 0 and doc.norm[i - 1] in _RELATIVES_CONJ and _relative_cue_at(lx, doc, i):
        # التي اعتبرها مسؤولو البارسا أنها …: a relative's verb carries a resumptive object pronoun
        n = doc.norm[i]
        for suf in ("ها", "هم", "ه"):
            if n.endswith(suf) and len(n) - len(suf) >= 3:
                hit = _cue_lookup(lx, n[: -len(suf)])
                if hit is not None and hit[0] == "verb":
                    break
                hit = None
    n0 = doc.norm[i]
    if hit is None and (n0 in lx.shadda_only or n0[1:] in lx.shadda_only) and "\u0651" in doc.toks[i].text:
        # عدّد (enumerated), never عدد (number): a cue only when the shadda is written
        for f, k in ((doc.norm[i], 0), _strip_conj(doc.norm[i])):
            if f in lx.shadda_only:
                hit = ("verb", lx.shadda_only[f], f, k)
                break
    if hit is None:
        return None
    kind, lemma, form, clitic = hit
    if (form in lx.impersonal or doc.norm[i] in lx.impersonal) and i + 1 < len(doc.norm):
        nx = doc.norm[i + 1]
        if (
            nx in lx.compl
            or nx in lx.compl_pron
            or nx in ("لدي", "لديه", "لديها", "لديهم")
            or (nx.startswith("ل") and len(nx) > 2 and nx not in lx.stops)
        ):
            return None  # وتبين أن …, ترجح لدى الفريق أن …: "it became clear", nobody speaks
    gender = _gender(kind, lemma, form)
    prev = doc.norm[i - 1] if i > 0 and doc.para[i - 1] == doc.para[i] else ""
    # X، الذين يرون أن …, تصريحاته التي قال فيها "…": a relative clause that reports words
    relative = kind == "verb" and prev in _RELATIVES_CONJ and doc.inside[i] < 0
    # with propose, a veto does not drop the cue: it becomes evidence (veto=…) for the model
    vetoes: list[str] = []
    if not relative and (
        prev in lx.blockers
        or _strip_conj(prev)[0] in lx.blockers
        or (prev in ("ان",) and kind == "verb" and form.startswith(("ي", "ت")))
    ):
        if kind == "verb" and prev in ("ما", "عما", "مما", "بما", "لما"):
            if not propose:
                _note_mention(doc, lx, i, gender, seen)  # ما صرحت به القوبنطيني: a source, not a quote
        if not propose:
            return None
        vetoes.append("blocker")
    if clitic == 0 and (form in lx.conj_only or doc.norm[i] in lx.conj_only):
        if not propose:
            return None  # أبرز ملامحه: an elative noun unless it opens a clause with و/ف
        vetoes.append("conj_only")
    # وقفات احتجاجية منددة ب…, كتب تكفيرية تحث على …: a participle or verb qualifying a noun
    adjectival = (
        (kind == "part" and form.endswith("ه") or _imperfect(lx, kind, doc.norm[i]))
        and bool(prev)
        and not _is_punct(prev)
        and not prev.startswith("ال")
        and prev.endswith(("يه", "ات"))
        and len(prev) >= 4
        and _cue_lookup(lx, prev) is None
    )
    if prev == "كما" and lemma in ("نقل", "ذكر"):
        return None  # كما نقلت «رويترز»: the via of the quote before (see _relays)
    if doc.inside[i] >= 0 and kind != "part":
        return None
    strict = form in lx.strict or doc.norm[i] in lx.strict
    if strict and not (clitic or prev == "" or _is_punct(prev)):
        if not propose:
            return None
        vetoes.append("strict")
    if (form in lx.formulas or doc.norm[i] in lx.formulas) and i + 1 < len(doc.norm):
        nx = doc.norm[i + 1]
        if nx in lx.compl or nx in lx.compl_pron or nx in ("الى", "إلى"):
            if nx in lx.compl:
                # يذكر أن وزير الخارجية المصري سامح شكري، كان …: the narrator introduces a
                # person whom a following dropped-subject cue may refer to
                lim = min(doc.hard_end[i], doc.para_end[i])
                np = _parse_np(doc, lx, i + 2, lim)
                if np is not None and np.name is not None and np.role is not None:
                    m = _Cand(cue=i, cue_kind="mention", gender="", cstart=i)
                    m.speaker = np.name
                    seen.append(m)
            return None  # ويذكر أن …: the narrator's formula
    lic = _find_license(doc, lx, i, kind, lemma, strict)
    if kind == "verb" and lemma == "قال" and not relative and doc.inside[i] < 0 and (lic is None or lic[0] == "compl"):
        bare = _unmarked_start(doc, lx, i, form)
        if bare is not None and (lic is None or bare < lic[3]):
            lic = ("compl", bare, 0, bare)  # وقال ستولكر تمت كتابة …: unmarked speech (indirect)
    if lic is not None and prev in ("كما", "وكما") and lic[0] not in ("compl", "colon", "open"):
        return None  # كما يشير …: a parenthetical, not a report
    if (
        (lic is None or lic[0] == "np")
        and kind == "verb"
        and lemma in lx.np_object
        and lemma not in _MASDAR_ONLY
        and not strict
    ):
        lim = min(doc.hard_end[i], doc.para_end[i])
        np = _parse_np(doc, lx, i + 1, lim)
        if (
            np is not None
            and np.end + 1 < lim
            and (lic is None or np.end < lic[1])
            and doc.norm[np.end] in ("،", ",")
            and not _np_stop(doc, lx, np.end + 1)
            and doc.norm[np.end + 1] not in lx.framing
        ):
            # وصف X، الخطاب …; عدّد الشيخ X، موجبات … (before a later masdar of the object)
            lic = ("np", np.end + 1, 0, np.end)
    if lic is None and kind == "verb" and not relative:
        fr = _fronted_content(doc, lx, i, seen)
        if fr is not None:
            return fr
    from_addr: tuple[int, int] | None = None
    if lic is None and kind == "verb" and lemma in lx.from_addressee and (clitic or prev == "" or _is_punct(prev)):
        fa = _from_addressee_object(doc, lx, i, lx.from_addressee[lemma])
        if fa is not None:
            from_addr, cs = fa
            lic = ("np", cs, 0, i + 1)  # وطلب من الجميع ضرورة …: addressee, then the directive
    if lic is None and propose and doc.inside[i] < 0:
        lic = _proposed_licence(doc, lx, i)
        if lemma in lx.stance:
            vetoes.append("stance")  # ترى الغرب على أنه …: a stance, unless the model says otherwise
    if lic is None:
        return None
    how, cstart, skip, wend = lic
    if adjectival and how in ("prep", "np", "proposed_obj"):
        if not propose:
            return None
        vetoes.append("adjectival")
    if relative and (how not in ("compl", "open") or cstart - i > 7):
        return None  # only a complementizer or quotation right after the relative's verb
    if relative and how == "compl" and lemma != "قال" and doc.toks[wend].text.startswith("إ"):
        return None  # التي أكدت قرار … إن …: إن belongs to an outer قال
    if doc.inside[i] >= 0 and how != "compl":
        return None
    if cstart >= doc.para_end[i]:
        return None
    cand = _Cand(
        cue=i, cue_kind=kind, gender=gender, cstart=cstart, cstart_skip=skip, lic=how, relative=relative, clitic=clitic
    )
    cand.vetoes = vetoes
    if from_addr is not None and from_addr[1] > from_addr[0]:
        cand.addressee = from_addr
    # a resumptive object pronoun on the verb (اعتبرها): the antecedent is not the speaker
    cand.resumptive = relative and _cue_lookup(lx, doc.norm[i]) is None
    cand.anchor = i
    cand.np_content = how in ("prep", "np")
    if kind == "verb":
        np2, start, framed, exact = _left_subject(doc, lx, i, doc.sent_start[i])
        if framed:
            cand.anchor = start  # وعن اختياره … قال: the framing phrase is the narrator's
        kana = doc.norm[start] in ("كان", "كانت", "وكان", "وكانت", "فكان", "فكانت") if start < i else False
        svo = np2 is not None and np2.speaker is not None and (kana or (exact and not clitic))
        if (
            svo
            and lemma in lx.stance
            and np2 is not None
            and (sp2 := np2.speaker) is not None
            and doc.norm[sp2[0]] in lx.quantifiers
        ):
            return None  # بعض الساسة يرون أنه …: the general stance of a group (GUIDELINES §1.2)
        if not svo:
            # a verb written with a plural suffix (قالوا، يرون) carries its own pronoun
            # subject: a noun phrase after it is its object (وطالبوا الرئيس الجديد ب…)
            pro = gender == "p" and form.endswith(("وا", "ون"))
            j0 = i + 1
            if relative and j0 < wend and doc.norm[j0] in _RESUMPTIVES:
                j0 += 1  # الوقت الذي أجمع فيه العالم على أن …: the subject follows the resumptive
                cand.resumptive = True
            _speaker_right(doc, lx, cand, j0, wend, lemma, pro_subject=pro)
            if (
                cand.speaker is not None
                and lemma in lx.addressee_object
                and clitic
                and doc.sent_start[i] == i
                and any(p.speaker is not None for p in seen)
                and not _named_source(doc, lx, cand.speaker, entities)
                # agreement: دعت الحكومة (feminine verb and noun), دعا المتظاهرون (nominative plural)
                and not (gender == "f" and doc.norm[cand.speaker[0]].endswith("ه"))
                and not doc.norm[cand.speaker[0]].endswith("ون")
            ):
                # ودعا الهياكل القضائية إلى أن …: after دعا/حث/ناشد a plain definite noun
                # phrase is the addressee; the subject is dropped (resolved later)
                cand.speaker, cand.role = None, None
            if cand.speaker is None and (form in lx.formulas or doc.norm[i] in lx.formulas):
                return None  # يذكر … أن: the narrator's formula, nobody speaks
            if (
                how in ("prep", "np", "proposed_obj")
                and cand.speaker is not None
                and not _plausible_source(doc, lx, cand.speaker, _entity_words(entities))
            ):
                if not propose:
                    return None  # ويؤكد واقع ذلك التأثير … على …: not a source speaking
                vetoes.append("implausible_source")
        _statement_owner(doc, lx, cand, wend)
        if cand.speaker is not None and doc.pers:
            _entity_name(doc, lx, cand, wend)
        if cand.speaker is None and np2 is not None and np2.speaker is not None:
            cand.speaker, cand.role = np2.speaker, (np2.role if np2.name else None)
            cand.anchor = start
        if cand.speaker is None and doc.norm[i].startswith("ف"):
            topic = _topic_subject(doc, lx, i)
            if topic is not None:
                cand.speaker, cand.role = topic.speaker, (topic.role if topic.name else None)
    else:
        _speaker_right(doc, lx, cand, i + 1, wend, lemma, participle=True)
        if cand.speaker is None and prev not in _COMMAS and doc.inside[i] < 0:
            # وختم المناعي قائلا “…”: the subject of the verb just before the participle
            a = _clause_start(doc, lx, i, doc.sent_start[i])
            if (
                2 <= i - a <= 5
                and doc.norm[a][:1] in "وف"
                and a > 0
                and (_is_punct(doc.norm[a - 1]) or doc.sent_start[a] == a)
            ):
                np3 = _parse_np(doc, lx, a + 1, i)
                if np3 is not None and np3.speaker is not None and np3.end == i:
                    cand.speaker, cand.role = np3.speaker, (np3.role if np3.name else None)
                    cand.anchor = a
    return cand


def _proposed_licence(doc: _Doc, lx: _Lex, i: int) -> tuple[str, int, int, int] | None:
    """A content start for a cue no licence supports (``extract_quotes(propose=True)``):
    the first complementizer, colon or opening quotation mark of the clause, else
    the word after the cue (the speaker search then runs up to the clause end)."""
    limit = min(doc.hard_end[i], doc.para_end[i])
    for k in range(i + 1, min(limit, i + 16)):
        n = doc.norm[k]
        if n in lx.compl_pron:
            return "proposed_compl", k, (1 if n[0] in "بو" else 0), k
        if n in lx.compl:
            return ("proposed_compl", k + 1, 0, k) if k + 1 < limit else None
        if n == ":":
            return ("proposed_colon", k + 1, 0, k) if k + 1 < limit else None
        if n in _QUOTE_CHARS and k in doc.pair_at and doc.pair_at[k][0] is not None:
            return "proposed_open", k, 0, k
    if i + 2 >= limit:
        return None
    return "proposed_obj", i + 1, 0, i + 1


def _topic_subject(doc: _Doc, lx: _Lex, i: int) -> _NP | None:
    """The topic of ``أما X (،) فأوضح …``: X speaks (a cue written with ف)."""
    s = doc.sent_start[i]
    k = i - 1
    while k > s and i - k <= 16 and _strip_conj(doc.norm[k])[0] != "اما":
        if _cue_lookup(lx, doc.norm[k]) is not None or doc.inside[k] >= 0:
            return None
        k -= 1
    if _strip_conj(doc.norm[k])[0] != "اما":
        return None
    end = i
    while end > k + 1 and _is_punct(doc.norm[end - 1]):
        end -= 1
    if end <= k + 1:
        return None
    np = _parse_np(doc, lx, k + 1, end)
    if np is None or np.speaker is None or np.end != end or _not_speaker(doc, lx, np.speaker):
        return None
    return np


# np_object lemmas whose bare object is a statement only when it is a listed masdar
# (أعلن براءته، أعلن رفضه) and otherwise a decision (أعلن حالة الطوارئ، خطة غير معلنة)
_MASDAR_ONLY = frozenset({"اعلن", "أعلن"})

# clause openers that begin reported speech with no إن/أن and no colon: modal and
# impersonal verbs, negation/future particles, pronouns (GUIDELINES §1.1: indirect)
_UNMARKED_OPENERS = frozenset(
    {"يجب", "ينبغي", "يتعين", "يمكن", "لابد", "تم", "تمت", "يتم", "لقد", "قد", "لن", "لم", "هناك", "نحن", "ليس", "ليست"}
)


def _unmarked_start(doc: _Doc, lx: _Lex, i: int, form: str) -> int | None:
    """First token of unmarked speech after a past قال (وقال يجب أن …، وقال X تمت …)."""
    if form not in ("قال", "قالت"):
        return None
    limit = min(doc.hard_end[i], doc.para_end[i])
    j = i + 1
    if j >= limit:
        return None
    if doc.norm[j] in _UNMARKED_OPENERS:
        return j if j + 1 < limit else None
    np = _parse_np(doc, lx, j, limit)
    if np is None or np.speaker is None or np.end + 1 >= limit:
        return None
    if np.name is None or _not_speaker(doc, lx, np.speaker):
        return None
    return np.end if doc.norm[np.end] in _UNMARKED_OPENERS else None


def _pers_forms(entities: Sequence[Entity]) -> dict[str, list[tuple[str, ...]]]:
    """PERS names of the article (canonical and aliases), indexed by their first word."""
    from newsan.normalize import normalize_word

    out: dict[str, list[tuple[str, ...]]] = {}
    for e in entities:
        if e.label != "PERS":
            continue
        for form in (e.canonical, *e.aliases):
            words = tuple(normalize_word(form).split())
            if words and (len(words) > 1 or len(words[0]) >= 3):
                out.setdefault(words[0], []).append(words)
    for forms in out.values():
        forms.sort(key=len, reverse=True)
    return out


def _entity_name(doc: _Doc, lx: _Lex, cand: _Cand, wend: int) -> None:
    """A PERS entity inside or right after a role-only speaker is the speaker (GUIDELINES §1.3).

    وقال مدير المعهد في باريس الباحث جون سميث إن …: when the tagger found the
    person, the role phrase ends where the name begins.
    """
    if cand.speaker is None or cand.role is not None:
        return
    s, e = cand.speaker
    first = doc.norm[s]
    if not (_is_title(lx, first) or _is_honor(lx, first)):
        return  # the speaker is already a name
    end = min(wend, s + 30, len(doc.norm))
    # the name starts inside the role phrase or right after it (past honorifics and a comma),
    # never further on (قال كبير الدبلوماسيين لـ … بوتين: an addressee)
    last = e
    while last < end and (doc.norm[last] in ("،", ",") or _is_honor(lx, doc.norm[last])):
        last += 1
    for k in range(s + 1, min(last + 1, end)):
        n = doc.norm[k]
        key = n if n in doc.pers else (n[1:] if n[:1] in "وبل" and n[1:] in doc.pers else None)
        if key is None or doc.inside[k] >= 0:
            continue
        for words in doc.pers[key]:
            m = k + len(words)
            if m > end:
                continue
            if all(doc.norm[k + x] == w or (x == 0 and doc.norm[k][1:] == w) for x, w in enumerate(words)):
                r_end = k
                while r_end > s and (
                    _is_punct(doc.norm[r_end - 1])
                    or _is_honor(lx, doc.norm[r_end - 1])
                    or doc.norm[r_end - 1] in lx.stops
                ):
                    r_end -= 1
                cand.role = (s, r_end) if r_end > s else None
                cand.speaker = (k, m)
                return


def _speaker_right(
    doc: _Doc,
    lx: _Lex,
    cand: _Cand,
    j: int,
    limit: int,
    lemma: str,
    participle: bool = False,
    pro_subject: bool = False,
) -> None:
    """Speaker, addressee and via from the words between the cue and its content."""
    relay_from = -1
    for k in range(j, limit):
        if doc.norm[k] == "عن" and (lemma == "نقل" or (k > j and doc.norm[k - 1] == "نقلا")):
            relay_from = k
            break
    if relay_from >= 0:
        _relay(doc, lx, cand, j, relay_from, limit, participle)
        return
    if participle:
        return
    k = j
    while k < limit:
        n = doc.norm[k]
        if n in ("معاليه", "سموه", "فضيلته", "سيادته", "بدوره", "بدورها", "بدورهم"):
            return  # a pronoun subject: resolved later
        if n in lx.adverbs or (_is_punct(n) and n not in _QUOTE_CHARS):
            k += 1
            continue
        if cand.speaker is None and not pro_subject:
            group = _group_at(doc, lx, k, limit)
            if group is not None:
                cand.speaker = group  # قال كل من A وB وC، إن …: one coordinated speaker
                cand.gender = "p"
                k = group[1]
                continue
        if pro_subject and cand.speaker is None and not _is_punct(n) and n not in _QUOTE_CHARS:
            break  # the pronoun subject is resolved later; what follows is an object
        if n == "ل" or (cand.speaker is not None and n.startswith("ل") and len(n) > 3 and n not in lx.stops):
            k = _addressee(doc, lx, cand, k, limit)
            continue
        if (
            (n in lx.stops and _np_stop(doc, lx, k))
            or n in lx.time
            or n.startswith("بال")
            or n in lx.blockers
            or n.isdigit()
        ):
            k = _skip_pp(doc, lx, cand, k, limit)
            # وكان خامنئي قد قال في خطاب …، تخللته هتافات …: no subject after a framing phrase
            if (
                k < limit
                and doc.norm[k] in _COMMAS
                and cand.speaker is None
                and (
                    any(doc.norm[m] in _COMMAS for m in range(k + 1, limit))
                    or (k + 1 < limit and doc.norm[k + 1] not in _QUOTE_CHARS)
                )
            ):
                return
            continue
        if n in _QUOTE_CHARS:
            close = doc.pair_at.get(k, (None, 0))[0]
            if close is not None and cand.speaker is None:
                cand.speaker = (k + 1, close)  # a quoted subject: وقالت «الفيدرالية العالمية»:
                k = close + 1
                continue
            sp = cand.speaker
            if (
                close is not None
                and sp is not None
                and cand.role is None
                and sp[1] == k
                and _is_title(lx, doc.norm[sp[0]])
                and 1 <= close - k - 1 <= 4
                and not any(_is_punct(doc.norm[m]) or _np_stop(doc, lx, m) for m in range(k + 1, close))
            ):
                # كشف المدرب الروماني «أولاريو كوزمين» …: the quoted name of the role
                cand.role, cand.speaker = sp, (k + 1, close)
            break
        if cand.speaker is not None:
            break
        if n.startswith("ب") and len(n) > 3 and "ب" in lx.preps.get(lemma, frozenset()):
            break
        np = _parse_np(doc, lx, k, limit)
        if np is None or np.speaker is None or _not_speaker(doc, lx, np.speaker):
            break
        cand.speaker = np.speaker
        cand.role = np.role if np.name else None
        k = max(np.end, k + 1)


def _group_at(doc: _Doc, lx: _Lex, k: int, limit: int) -> tuple[int, int] | None:
    """``كل من A وB وC``: the coordinated names after the quantifier, as one source."""
    if k + 2 >= limit or _strip_conj(doc.norm[k])[0] != "كل" or doc.norm[k + 1] != "من":
        return None
    s = k + 2
    e = s
    while e < limit and e - s < 16 and doc.inside[e] < 0 and (not _np_stop(doc, lx, e) or _kunya(doc, e)):
        e += 1
    if e - s < 2 or not any(doc.norm[m].startswith("و") for m in range(s + 1, e)):
        return None  # a coordination has at least two members
    if e < len(doc.norm) and not (
        _is_punct(doc.norm[e])
        or doc.norm[e] in lx.compl
        or doc.norm[e] in lx.compl_pron
        or _cue_lookup(lx, doc.norm[e]) is not None
    ):
        return None  # كل من يحاول العبث …: "whoever", not a list of names
    return (s, e)


def _kunya(doc: _Doc, e: int) -> bool:
    """A name word after ابو/بن that looks like a function word (أبو علي, normalized ابو علي)."""
    return e > 0 and doc.norm[e - 1] in ("ابو", "أبو", "بن", "ابن", "عبد") and not _is_punct(doc.norm[e])


_GROUP_OPENERS = frozenset({"كل", "وكل", "فكل", "اما", "أما", "واما", "وأما", "فاما", "فأما"})


def _group_mentions(doc: _Doc, lx: _Lex) -> list[_Cand]:
    """Plural sources that later plural cues may refer back to (GUIDELINES §1.3).

    ``ويتفق معهم كل من A وB، الذين …`` and the topic of ``أما A وB، فـ…``:
    coordinated names that are the subject of a clause which is not itself a quote.
    """
    out: list[_Cand] = []
    for i, n in enumerate(doc.norm):
        if n not in _GROUP_OPENERS:
            continue
        base = _strip_conj(n)[0]
        if base == "كل":
            lim = min(doc.hard_end[i], doc.para_end[i])
            group = _group_at(doc, lx, i, lim)
        elif base in ("اما", "أما") and i + 2 < len(doc.norm):
            lim = min(doc.hard_end[i], doc.para_end[i])
            e = i + 1
            while e < lim and e - i <= 16 and doc.inside[e] < 0 and not _np_stop(doc, lx, e):
                e += 1
            ok = (
                e < lim
                and doc.norm[e] in ("،", ",")
                and e - i >= 3
                and any(doc.norm[m].startswith("و") for m in range(i + 2, e))
                and not _is_title(lx, doc.norm[i + 1])
            )
            group = (i + 1, e) if ok else None
        else:
            continue
        if group is None:
            continue
        m = _Cand(cue=i, cue_kind="mention", gender="p", cstart=i)
        m.speaker = group
        out.append(m)
    return out


def _addressee(doc: _Doc, lx: _Lex, cand: _Cand, k: int, limit: int) -> int:
    """``لـ X`` after a cue: the addressee. Returns the next index to look at."""
    n = doc.norm[k]
    start = k + 1 if n == "ل" else k
    strip = 0 if n == "ل" or n.startswith("لل") else 1
    if start < limit and doc.norm[start] in _QUOTE_CHARS:
        close = doc.pair_at.get(start, (None, 0))[0]
        if close is None:
            return start + 1
        span = (start + 1, close)
        strip = 0
        end = close + 1
        while end < limit and not _np_stop(doc, lx, end) and end - close <= 3 and cand.speaker is not None:
            end += 1
        if end > close + 1:
            span = (close + 1, end)  # لـ “الرفيق” باتروشيف: the name after the epithet
    else:
        end = start + 1
        while end < limit and not _np_stop(doc, lx, end) and end - start < 6:
            end += 1
        span = (start, end)
    if cand.addressee is None:
        cand.addressee = span
        cand.addressee_strip = strip
    return end


def _skip_pp(doc: _Doc, lx: _Lex, cand: _Cand, k: int, limit: int) -> int:
    """Skip a framing phrase (في مؤتمر صحفي …, يوم الثلاثاء); note a relaying medium in it."""
    start = k
    n = doc.norm[k]
    end = k + 1
    while end < limit and doc.norm[end] not in _COMMAS and doc.norm[end] not in (":",):
        if doc.norm[end] in _QUOTE_CHARS and end in doc.pair_at and doc.pair_at[end][0] is None:
            break
        end += 1
    if n == "في" and start + 1 < limit and _bare(doc.norm[start + 1]) in lx.statements:
        m = start + 2
        while m < end:
            w = doc.norm[m]
            if w == "ل" or (w.startswith("ل") and not w.startswith("لل") and len(w) > 3 and m > start + 2):
                s = m + 1 if w == "ل" else m
                if s < end and doc.norm[s] in _QUOTE_CHARS:
                    close = doc.pair_at.get(s, (None, 0))[0]
                    if close is not None and close < end:
                        cand.via = cand.via or (s + 1, close)
                        break
                e = s
                while e < end and not _np_stop(doc, lx, e):
                    e += 1
                head = doc.norm[s][1:] if doc.norm[s] != "ل" and doc.norm[s].startswith("ل") else doc.norm[s]
                if e > s and _in(lx.outlets, head):
                    cand.via = cand.via or (s, e)
                break
            if w.endswith("ها") and len(w) >= 5 and m + 1 < end:
                e = m + 1
                while e < end and not _np_stop(doc, lx, e):
                    e += 1
                if e > m + 1:
                    cand.via = cand.via or (m + 1, e)
                break
            m += 1
    return end


def _headline(doc: _Doc, lx: _Lex) -> list[_Cand]:
    """``X: …`` on the title line (GUIDELINES §1.1)."""
    if not doc.toks or doc.para[0] != 0:
        return []
    end = doc.para_end[0]
    if doc.norm[0] in _QUOTE_CHARS and 0 in doc.pair_at:
        close = doc.pair_at[0][0]
        if (
            close is not None
            and 2 <= close <= 6
            and close + 2 < end
            and doc.norm[close + 1] == ":"
            and not any(_is_punct(doc.norm[m]) or _cue_lookup(lx, doc.norm[m]) for m in range(1, close))
            and not any(doc.norm[m] in lx.headline_labels for m in range(1, close))
        ):
            # «اتحاد رجال الأعمال»: … : a quoted source before the headline's colon
            c = _Cand(cue=close + 1, cue_kind="headline", gender="", cstart=close + 2, lic="colon")
            c.anchor = close + 1
            c.speaker = (1, close)
            c.cend = end
            c.fixed_end = True
            c.direct = True
            return [c]
    for k in range(min(end, 7)):
        n = doc.norm[k]
        if n in _QUOTE_CHARS and doc.inside[k] < 0 and k > 0:
            return []
        if n != ":":
            continue
        if k == 0 or k + 1 >= end:
            return []
        # رياضي / مدرب إشبيلية : …: a section label and a slash before the source
        first = 0
        for m in range(1, k):
            if doc.norm[m] in ("/", "|", "-", "–") and all(doc.norm[t] in lx.headline_labels for t in range(m)):
                first = m + 1
        words = [m for m in range(first, k) if not _is_punct(doc.norm[m])]
        if not words or len(words) > 5:
            return []
        if any(doc.norm[m] in lx.headline_labels or _cue_lookup(lx, doc.norm[m]) for m in words):
            return []
        if any(doc.norm[m] in lx.stops or doc.norm[m].isdigit() for m in words):
            return []
        if len(words) == 1 and doc.norm[words[0]] in lx.locs:
            return []  # اليمن: …: a place kicker, not a source
        np = _parse_np(doc, lx, words[0], k)
        c = _Cand(cue=k, cue_kind="headline", gender="", cstart=k + 1, lic="colon")
        c.anchor = k
        if np is not None and np.speaker:
            c.speaker, c.role = np.speaker, (np.role if np.name else None)
        else:
            c.speaker = (words[0], words[-1] + 1)
        c.cend = end
        c.fixed_end = True
        c.direct = True
        return [c]
    return []


# --------------------------------------------------------------------------- #
# Speakers of dropped subjects


def _resolve_speakers(doc: _Doc, lx: _Lex, cands: list[_Cand]) -> None:
    """Give quotes with a pronoun or omitted subject the nearest earlier source (GUIDELINES §1.3)."""
    for idx, c in enumerate(cands):
        if c.speaker is not None or c.cue_kind in ("attrib", "mention"):
            continue
        # 0. a relative clause: its antecedent, the source just before the pronoun
        if c.relative and not c.resumptive:
            rel = c.cue - 1
            ante = [
                p
                for p in range(idx - 1, -1, -1)
                if (sp := cands[p].speaker) is not None
                and sp[1] <= rel
                and all(_is_punct(doc.norm[m]) for m in range(sp[1], rel))
            ]
            if ante:
                _borrow(c, cands[ante[0]], ante[0], keep_role=False)
                continue
            # الذي/التي follow a definite antecedent: the word before the pronoun
            if rel > 0 and doc.norm[rel - 1] in ("،", ","):
                # X رئيس مجلس الإدارة، الذي أشار إلى أن …: an appositive relative after a comma
                np = _np_before(doc, lx, rel - 1)
                if np is not None and np.speaker is not None:
                    c.speaker, c.role = np.speaker, (np.role if np.name else None)
                    continue
            if rel > 0 and doc.norm[rel - 1].startswith("ال") and doc.para[rel - 1] == doc.para[rel]:
                a = rel - 1
                while a > max(doc.sent_start[rel], rel - 3) and doc.norm[a - 1].startswith("ال"):
                    a -= 1  # السلطات المحلية التي …: the noun and its adjectives
                c.speaker = (a, rel)
                continue
        # 1. an earlier quote of the same sentence (قالت X إن … ، مضيفة أن …)
        same = -1
        for p in range(idx - 1, -1, -1):  # cands are in cue order: stop at the sentence start
            d = cands[p]
            if d.cue < doc.sent_start[c.cue]:
                break
            if (
                d.cue_kind != "mention"
                and not d.nested
                and not d.relative
                and doc.sent_start[d.cue] == doc.sent_start[c.cue]
                and d.speaker is not None
                and (not c.gender or not d.gender or c.gender == d.gender)
            ):
                same = p
                break
        if same >= 0:
            _borrow(c, cands[same], same, keep_role=c.cue_kind == "part")
            continue
        # 2. the subject of the sentence's main verb (كشفت صحة الشرقية …، مؤكدة …)
        np = _sentence_subject(doc, lx, c.cue, c.gender)
        if np is not None and np.speaker is not None and _subject_like(doc, lx, np.speaker):
            c.speaker, c.role = np.speaker, (np.role if np.name else None)
            continue
        # 2b. a participle, or a verb coordinated with و after a comma, whose sentence opens
        #     with a non-cue verb and its subject (وضعت الجماهير … جملة من المطالب، مطالبة إياه
        #     ب…; من جهة أخرى، رأس مدير الشرطة … اجتماعا …، وطلب من الجميع …)
        if c.cue_kind == "part" or (
            c.cue_kind == "verb" and c.clitic and c.cue > 0 and doc.norm[c.cue - 1] in ("،", ",")
        ):
            rng = _opening_subject(doc, lx, c.cue, c.gender, verb=c.cue_kind == "verb")
            if rng is None and c.cue_kind == "part" and doc.sent_start[c.cue] == c.cue and c.cue > 0:
                # واطمأن X على …. ومشيدا …: a participle opening a sentence continues the last one
                prev = doc.sent_start[c.cue - 1]
                if doc.para[prev] == doc.para[c.cue]:
                    rng = _opening_subject(doc, lx, c.cue, c.gender, start=prev)
                    if rng is not None and _pers_at(doc, rng[0]) is None:
                        rng = None  # only a person the tagger found carries over
            if rng is not None:
                c.speaker = rng
                continue
        # 3. earlier sources, preferring one whose verb agreed in gender
        best = -1
        for p in range(idx - 1, -1, -1):
            q = cands[p]
            if q.speaker is None or q.cue_kind == "attrib" or q.nested or q.relative:
                continue
            if best < 0:
                best = p
                if not c.gender or not q.gender or q.gender == c.gender:
                    break
                continue
            if q.gender == c.gender:
                best = p
                break
        if best >= 0:
            _borrow(c, cands[best], best, keep_role=False)


def _pers_at(doc: _Doc, k: int) -> tuple[str, ...] | None:
    """The longest PERS name of the article written at token ``k``, if any."""
    return next((f for f in doc.pers.get(doc.norm[k], ()) if tuple(doc.norm[k : k + len(f)]) == f), None)


def _opening_subject(
    doc: _Doc, lx: _Lex, i: int, gender: str, verb: bool = False, start: int | None = None
) -> tuple[int, int] | None:
    """Subject of a sentence-initial verb (وVERB SUBJ …) agreeing with participle ``i``.

    Arabic news sentences open with و + a past verb followed by its subject.
    The verb is recognised by shape only: a short word after و, not a noun
    with the article, ending in ت (feminine) when the participle is feminine
    and not ending in ت/ة when it is masculine. The subject is definite
    (الجماهير), a title (رئيس الاتحاد أحمد عيد) or a person the tagger found,
    in apposition (ويرفض كريس دويل، المدير التنفيذي …، …). ``start``: the
    sentence to read when it is not ``i``'s own.
    """
    s = doc.sent_start[i] if start is None else start
    framed = False
    if verb and s < i and _strip_conj(doc.norm[s])[0] in lx.openers:
        # من جهة أخرى، رأس X …، وطلب …: the verb follows the framing phrase, with or without و
        comma = next((m for m in range(s, min(i, s + 5)) if doc.norm[m] in _COMMAS), -1)
        if comma > 0:
            s, framed = comma + 1, True
    if s + 2 >= i or not (doc.norm[s].startswith(("و", "ف")) or framed):
        return None
    v = doc.norm[s][1:] if doc.norm[s].startswith(("و", "ف")) and len(doc.norm[s]) > 3 else doc.norm[s]
    if not 3 <= len(v) <= 5 or v.startswith(("ال", "م", "ل", "ب")) or v in lx.openers or v in lx.stops:
        return None
    if _cue_lookup(lx, doc.norm[s]) is not None or doc.norm[s] in lx.aux or v in lx.aux or v in lx.formulas:
        return None  # (يبدو الوضع مختلفا: a narrator's formula has no speaking subject)
    fem = v.endswith("ت")
    if v.endswith("ه") or (gender == "f") != fem or gender not in ("f", "m"):
        return None
    nx = doc.norm[s + 1]
    person = _pers_at(doc, s + 1)
    if person is not None and s + 1 + len(person) < i and doc.norm[s + 1 + len(person)] in _COMMAS:
        return (s + 1, s + 1 + len(person))  # ويرفض كريس دويل، المدير التنفيذي …، فرضية …، مشيرا
    titled = _is_title(lx, nx) and not nx.startswith("ال")  # رأس مدير الشرطة …
    if not titled and (not nx.startswith("ال") or _is_title(lx, nx) or _in(lx.masdars, nx)):
        return None
    np = _parse_np(doc, lx, s + 1, i)
    if np is None or np.speaker is None or not _subject_like(doc, lx, np.speaker):
        return None
    if titled and not verb:
        # واطمأن رئيس الاتحاد أحمد عيد …، مشيدا: a person the tagger found, right after a short role
        if np.name is None or np.name[0] - (s + 1) > 4:
            return None
        form = _pers_at(doc, np.name[0])
        return (np.name[0], np.name[0] + len(form)) if form else None
    a, b = np.speaker
    for m in range(a + 1, b):
        if _is_honor(lx, doc.norm[m]) or _is_title(lx, doc.norm[m]):
            # وأدار الجلسة الأولى الدكتور X: the object came first, the titled person is the subject
            np2 = _parse_np(doc, lx, m, i)
            return np2.speaker if np2 is not None else None
    e = a + 1
    while e < b and doc.norm[e].startswith("ال"):
        e += 1  # الجماهير الاهلاوية | جملة: an indefinite word after the definite subject is the object
    return (a, e)


def _np_before(doc: _Doc, lx: _Lex, end: int) -> _NP | None:
    """The noun phrase that ends right before token ``end`` (a comma), back to its clause start."""
    a = end
    while a - 1 >= doc.sent_start[end] and end - a < 12:
        n = doc.norm[a - 1]
        if _is_punct(n) or _cue_lookup(lx, n) is not None or n in lx.stops or n in lx.compl or n in lx.compl_pron:
            break
        a -= 1
    while a < end and (
        doc.norm[a] in ("ذلك", "هذا", "هذه", "ايضا", "أيضا")
        or (doc.norm[a][:1] in "وف" and not doc.norm[a][1:].startswith("ال") and a == doc.sent_start[end])
    ):
        a += 1  # أكد ذلك X: the demonstrative is the object; وزار …: a clause-initial verb
    if a >= end:
        return None
    np = _parse_np(doc, lx, a, end)
    if np is None or np.end != end:
        return None
    if (
        np.name is not None
        and np.role is not None
        and np.name[1] - np.name[0] == 1
        and np.role[0] > np.name[0]
        and doc.norm[np.name[0]].startswith("ال")
    ):
        # الوفد | الوزير خالد، الذي …: a definite noun, then the antecedent with its title
        np2 = _parse_np(doc, lx, np.role[0], end)
        if np2 is not None and np2.end == end:
            return np2
    return np


def _borrow(c: _Cand, src: _Cand, idx: int, keep_role: bool) -> None:
    c.speaker = src.speaker
    c.source = src.source if src.source >= 0 else idx
    if keep_role:
        c.role = src.role
        c.via = c.via or src.via
    if not c.gender:
        c.gender = src.gender


# --------------------------------------------------------------------------- #
# Content boundaries


def _set_ends(doc: _Doc, lx: _Lex, cands: list[_Cand]) -> None:
    """Where each content ends (GUIDELINES §1.3)."""
    ntok = len(doc.toks)
    for idx, c in enumerate(cands):
        if c.fixed_end or c.cue_kind == "mention":
            continue
        cs = c.cstart
        nxt = _next_anchor(doc, cands, idx, cs)
        # إنه «…»: a pronoun complementizer right before a full quotation is direct
        if doc.norm[cs] in lx.compl_pron and cs + 1 < ntok and cs + 1 in doc.pair_at:
            close = doc.pair_at[cs + 1][0]
            if close is not None and _boundary_after(doc, lx, close, nxt):
                c.cstart = cs = cs + 1
                c.cstart_skip = 0
        if cs in doc.pair_at and doc.norm[cs] in _QUOTE_CHARS:
            close = doc.pair_at[cs][0]
            if close is not None and (
                _boundary_after(doc, lx, close, nxt) or _narrator_after(doc, lx, c, cs, close, nxt)
            ):
                c.direct = True
                c.cend = nxt if nxt is not None and nxt < close else close
                close2 = _joined_quote(doc, lx, close, nxt)
                if close2 is not None and c.cend == close:
                    c.cend = close2  # "…"؛ ولكن "…": one quotation from the first to the last quoted word
                    c.joined = True
                continue
            if close is None:
                c.direct = True
        limit = min(doc.hard_end[cs], doc.para_end[c.cue])
        if doc.inside[c.cue] >= 0:
            close = doc.pair_at.get(doc.inside[c.cue], (None, 0))[0]
            if close is not None:
                limit = min(limit, close)
        if c.lic == "colon" and doc.norm[cs] not in _QUOTE_CHARS:
            c.direct = True
        if nxt is not None:
            limit = min(limit, nxt)
        depth = 0
        k = cs
        while k < limit:
            w = doc.norm[k]
            if doc.inside[k] >= 0 and k > cs and doc.inside[k] >= cs:
                k += 1
                continue
            if w == "(":
                close_p = next((m for m in range(k + 1, limit) if doc.norm[m] == ")"), -1)
                if depth == 0 and k > cs and (close_p < 0 or close_p - k > 6):
                    limit = k  # a long aside in brackets is the narrator's
                    break
                depth += 1
            elif w == ")":
                if depth == 0 and k > cs:
                    limit = k
                    break
                depth = max(depth - 1, 0)
            if w in _COMMAS and k + 1 < limit:
                nw = doc.norm[k + 1]
                if nw in lx.resume or _strip_conj(nw)[0] in lx.resume or nw in lx.attrib:
                    limit = k
                    break
                if (c.np_content or c.nested) and k > cs and nw not in _CONSEQUENCE:
                    limit = k  # (… نظاماً، مما يعرض …: a consequence clause goes on with the content)
                    break
            if (
                c.np_content
                and k > cs + 1
                and _strip_conj(w)[1]
                and (hit := _cue_lookup(lx, w)) is not None
                and hit[0] == "verb"
            ):
                limit = k  # أنكر X ارتكابهما أي مخالفات ويتوقع …: a coordinated cue verb opens a new clause
                break
            if c.np_content and k > cs + 1 and (w in lx.time or _strip_conj(w)[0] in lx.time):
                limit = k
                break
            k += 1
        c.cend = limit


_CONSEQUENCE = frozenset({"مما", "ومما"})


def _next_anchor(doc: _Doc, cands: list[_Cand], idx: int, cs: int) -> int | None:
    """Start of the next quote's framing clause after content start ``cs``."""
    para = doc.para[cands[idx].cue]
    for q in cands[idx + 1 :]:
        if doc.para[q.cue] != para:
            return None
        if q.cue_kind == "mention" or q.nested or q.relative:
            continue
        a = q.anchor if q.anchor >= 0 else q.cue
        if a > cs:
            return a
    return None


# --------------------------------------------------------------------------- #
# Attribution phrases (بحسب، حسب، وفقا لـ، نقلا عن)


def _attributions(doc: _Doc, lx: _Lex, cands: list[_Cand], entities: Sequence[Entity]) -> list[_Cand]:
    """Attribution phrases: the clause before بحسب/حسب/وفقا لـ X is X's (GUIDELINES §1.1)."""
    out: list[_Cand] = []
    used = {c.cue for c in cands}
    ent_words = _entity_words(entities)
    real = [c for c in cands if c.cue_kind != "mention"]
    for i, n in enumerate(doc.norm):
        if n not in lx.attrib or doc.inside[i] >= 0 or i in used:
            continue
        base = _strip_conj(n)[0]
        if n in ("وفق", "ووفق", "فوفق"):  # (وفق itself begins with و)
            wc = _according_to(doc, lx, i, used)
            if wc is not None:
                out.append(wc)
            continue
        j = i + 1
        limit = min(doc.hard_end[i], doc.para_end[i], i + 12)
        if base in ("وفقا", "طبقا", "نقلا"):
            if j < limit and doc.norm[j] in ("ل", "لما", "عن"):
                j += 1
            elif not (j < limit and doc.norm[j].startswith("ل") and len(doc.norm[j]) > 2):
                continue
        if base == "نقلا" and any(c.cue < i < c.cstart for c in real):
            continue  # part of a relay (ذكرت صحيفة X نقلا عن Y أن …)
        skipped = False
        while j < limit and (
            _in(lx.speech_nouns, doc.norm[j])
            # حسب ما أعلن المصدر, حسب ما كتب في اللافتات: the relative's verb is not the source
            or (j > i + 1 and doc.norm[j - 1] in ("ما", "لما") and _cue_lookup(lx, doc.norm[j]) is not None)
            or (skipped and doc.norm[j] in ("في", "على") and j > i + 1 and _cue_lookup(lx, doc.norm[j - 1]))
        ):
            j += 1
            skipped = True
        src_start = j
        for m in range(j, limit):
            if doc.norm[m] == "عن":
                src_start = m + 1  # تقرير صادر الشهر الماضي عن فوربس
                skipped = True
                break
            if doc.norm[m] in _COMMAS:
                break
        src_end = -1  # the source's end when it differs from where the search goes on
        qclose = doc.pair_at.get(src_start, (None, 0))[0] if src_start < limit else None
        if (
            skipped
            and src_start < limit
            and doc.norm[src_start] in _QUOTE_CHARS
            and qclose is not None
            and 1 <= qclose - src_start - 1 <= 4
            and qclose < min(doc.hard_end[i], doc.para_end[i])
        ):
            # وبحسب إحصائية "يونامي" فإن …: the quoted source after a speech noun
            src_start, src_end, e = src_start + 1, qclose, qclose + 1
        else:
            e = src_start
            while e < limit and not _is_punct(doc.norm[e]) and doc.norm[e] not in lx.stops and e - src_start < 6:
                e += 1
        if e <= src_start:
            continue
        head = doc.norm[src_start]
        hb = _bare("ال" + head[2:]) if head.startswith("لل") else _bare(head.removeprefix("ل"))  # للبيان -> بيان
        plausible = (
            skipped
            or head in lx.sources
            or hb in lx.sources
            or head in lx.outlets
            or hb in lx.outlets
            or _is_title(lx, head)
            or head in ent_words
        )
        if not plausible:
            continue
        # the enclosing quote: its content contains the phrase or ends just before it
        encl = None
        for c in real:
            if (
                c.cstart <= i < c.cend
                or c.cstart < i
                and 0 <= i - c.cend <= 2
                and all(_is_punct(doc.norm[m]) for m in range(c.cend, i))
                # … جريحًا.\nوبحسب إحصائية X فإن …: a new sentence opens with the phrase
                and not any(doc.norm[m] in (".", "؟", "?", "!") for m in range(c.cend, i))
                and doc.para[max(c.cend - 1, 0)] == doc.para[i]
            ):
                encl = c
        if encl is not None:
            if encl.speaker and _overlap(doc, encl.speaker, (src_start, e)):
                continue  # بحسب نص البيان after a quote of that statement: the same source
            if encl.speaker and (hb in lx.outlets or head in lx.outlets):
                # «…» وفقا لوكالة رويترز: the outlet relayed the quote, it is its via
                if encl.via is None:
                    encl.via = (src_start, e)
                    encl.via_strip = 1 if head.startswith("ل") and not head.startswith("لل") and len(head) > 3 else -1
                continue
            cstart = encl.cstart
            for m in range(i - 1, encl.cstart + 1, -1):
                if doc.norm[m] in lx.compl or doc.norm[m] in lx.compl_pron:
                    cstart = m + 1 if doc.norm[m] in lx.compl else m  # the innermost reported clause
                    break
        else:
            cstart = -1
            s = doc.sent_start[i]
            if s > 0 and doc.norm[s - 1] == "؛" and all(_is_punct(doc.norm[m]) for m in range(s, i)):
                s = doc.sent_start[s - 1]  # X …؛ حسب ما أعلن المصدر: the clause before the semicolon
            for m in range(i - 1, s - 1, -1):
                if doc.norm[m] in lx.compl or doc.norm[m] in lx.compl_pron:
                    cstart = m + 1 if doc.norm[m] in lx.compl else m
                    break
            if cstart < 0:
                cstart = s
        cend = i
        skip = 0
        s0 = doc.sent_start[i]
        if (
            encl is None
            and not (s0 > 0 and doc.norm[s0 - 1] == "؛")
            and all(doc.norm[m] in ("و", "ف") or _is_punct(doc.norm[m]) for m in range(s0, i))
        ):
            # وبحسب مصادر مطلعة، فإن الاجتماع …: the phrase opens the sentence, the content follows
            stop = min(doc.hard_end[i], doc.para_end[i])
            m = e
            while m < stop and doc.norm[m] in _COMMAS:
                m += 1
            w0 = _strip_conj(doc.norm[m])[0] if m < stop else ""
            if m >= stop or (m == e and not (doc.norm[m][:1] == "ف" and (w0 in lx.compl or w0 in lx.compl_pron))):
                continue  # (وبحسب إحصائية "يونامي" فإن …: فإن right after the source also opens it)
            # وحسب مصادر مطلعة، تحدثت لـ«الشرق الأوسط»، فإن …: the complementizer after an aside
            for x in range(m, min(stop, m + 10)):
                wx = _strip_conj(doc.norm[x])[0]
                if wx in lx.compl or wx in lx.compl_pron:
                    if x > m and doc.norm[x - 1] in _COMMAS:
                        m = x
                    break
            w, k = _strip_conj(doc.norm[m])
            if w in lx.compl:
                m += 1
            elif w in lx.compl_pron:
                skip = k
            cstart, cend = m, min(doc.hard_end[i], doc.para_end[i])
        while cend > cstart and _is_punct(doc.norm[cend - 1]) and doc.norm[cend - 1] not in _QUOTE_CHARS:
            cend -= 1
        if cend - cstart < 3:
            continue
        c = _Cand(cue=i, cue_kind="attrib", gender="", cstart=cstart, cend=cend, lic="attrib", cstart_skip=skip)
        c.anchor = i
        c.speaker = (src_start, src_end if src_end > 0 else e)
        if head.startswith("ل") and not head.startswith("لل") and len(head) > 3:
            c.speaker_strip = 1  # وفقا لوكالة رويترز: the source is وكالة رويترز
        c.fixed_end = True
        out.append(c)
    # وفقا لمجلة واجبات الطبيب … ، وفق ما أوضحه X: an attribution phrase inside the clause that a
    # sentence-final «وفق ما» attributes is part of X's words
    finals = [c for c in out if c.cue != c.anchor]  # (their cue is the verb after وفق ما)
    return [
        c
        for c in out
        if c.cue != c.anchor or not any(f.cstart <= c.anchor < f.cend and c.cstart >= f.cstart for f in finals)
    ]


def _according_to(doc: _Doc, lx: _Lex, i: int, used: set[int]) -> _Cand | None:
    """… ، وفق ما أفاد به / أوضحه / صرح به X: the clause before is X's (sentence-final attribution).

    The cue is the relative's speech verb; the content is the preceding clause from
    the sentence start (GUIDELINES §1.1); the source after the verb is parsed as a
    speaker (role, then name).
    """
    stop = min(doc.hard_end[i], doc.para_end[i])
    j = i + 1
    if j + 2 >= stop or doc.norm[j] not in ("ما", "لما") or doc.inside[i] >= 0:
        return None
    v = j + 1
    hit = _cue_lookup(lx, doc.norm[v])
    if hit is None:
        for suf in ("ها", "ه"):  # أوضحه: the resumptive object pronoun
            w = doc.norm[v]
            if w.endswith(suf) and len(w) - len(suf) >= 3:
                hit = _cue_lookup(lx, w[: -len(suf)])
                if hit is not None:
                    break
    if hit is None or hit[0] != "verb" or hit[1] in lx.stance:
        return None
    k = v + 1
    if k < stop and doc.norm[k] in ("به", "بها", "عنه", "عنها"):
        k += 1
    # أوضحه، اليوم الأربعاء، رئيس …: a time phrase between commas before the source
    while k < stop and (doc.norm[k] in _COMMAS or doc.norm[k] in lx.time):
        k += 1
    s = doc.sent_start[i]
    cend = i
    while cend > s and _is_punct(doc.norm[cend - 1]) and doc.norm[cend - 1] not in _QUOTE_CHARS:
        cend -= 1
    if cend - s < 3:
        return None
    c = _Cand(cue=v, cue_kind="attrib", gender="", cstart=s, cend=cend, lic="attrib")
    c.anchor = i
    c.fixed_end = True
    _speaker_right(doc, lx, c, k, stop, hit[1])
    if c.speaker is None or c.speaker[0] >= stop:
        return None
    return c


def _attrib_clitic(lx: _Lex, n: str) -> int:
    """Length of the و/ف on an attribution phrase (ووفقا -> 1, وفقا -> 0, وبحسب -> 1)."""
    base, k = _strip_conj(n)
    return k if k and (base in lx.attrib or base in ("حسب", "بحسب", "وفقا", "طبقا", "نقلا", "حسبما")) else 0


def _overlap(doc: _Doc, a: tuple[int, int], b: tuple[int, int]) -> bool:
    wa = {_bare(doc.norm[k]) for k in range(*a) if len(doc.norm[k]) >= 3}
    wb = {_bare(doc.norm[k]) for k in range(*b) if len(doc.norm[k]) >= 3}
    return bool(wa & wb)


def _entity_words(entities: Sequence[Entity]) -> frozenset[str]:
    from newsan.normalize import normalize_word

    out: set[str] = set()
    for e in entities:
        for form in (e.canonical, *e.aliases):
            for w in normalize_word(form).split():
                out.add(w)
    return frozenset(out)


# --------------------------------------------------------------------------- #
# Output


def _build(doc: _Doc, lx: _Lex, cands: list[_Cand], entities: Sequence[Entity]) -> list[Quote]:
    """Turn candidates into :class:`Quote` records with raw spans (GUIDELINES §1.3)."""
    raw = doc.seg.view.raw
    view = doc.seg.view
    names = _NameIndex(doc, lx, cands, entities)
    quotes: list[Quote] = []
    seen: set[tuple[int, int]] = set()
    for c in cands:
        cs, ce = c.cstart, c.cend
        if ce <= cs:
            continue
        # trim punctuation and dangling conjunctions at the end
        while ce > cs and (
            doc.norm[ce - 1] in _COMMAS
            or doc.norm[ce - 1] in _TERMINATORS
            or doc.norm[ce - 1] in (":", "(", "و", "ف", "؛")
            or (doc.norm[ce - 1] in _QUOTE_CHARS and ce - 1 not in doc.close_of)
        ):
            ce -= 1
        if ce <= cs:
            continue
        kind = "indirect"
        inner_s, inner_e = cs, ce
        opener = doc.norm[cs] in _QUOTE_CHARS and cs in doc.pair_at
        close = doc.pair_at[cs][0] if opener else None
        if opener and c.joined:
            kind = "direct"
            inner_s, inner_e = cs + 1, ce
        elif opener and (close is None or close >= ce - 1):
            kind = "direct"
            inner_s = cs + 1
            inner_e = min(ce, close) if close is not None else ce
        elif c.direct and not opener:
            kind = "direct"
        if kind != "direct" and _has_speech_quote(doc, lx, cs, ce):
            kind = "mixed"
        while inner_e > inner_s and doc.norm[inner_e - 1] in _QUOTE_CHARS and inner_e - 1 not in doc.close_of:
            inner_e -= 1
        if inner_e <= inner_s:
            continue
        vs = doc.toks[inner_s].vstart + (c.cstart_skip if inner_s == c.cstart else 0)
        ve = doc.toks[inner_e - 1].vend
        if ve <= vs:
            continue
        rs, re_ = view.to_raw(vs, ve)
        if (rs, re_) in seen:
            continue
        seen.add((rs, re_))
        content = Span(rs, re_, raw[rs:re_])
        cue_tok = doc.toks[c.cue]
        clitic = (
            c.clitic
            if c.cue_kind in ("verb", "part")
            else (_attrib_clitic(lx, doc.norm[c.cue]) if c.cue_kind == "attrib" else 0)
        )
        cr = view.to_raw(cue_tok.vstart + clitic, cue_tok.vend)
        cue = Span(cr[0], cr[1], raw[cr[0] : cr[1]])
        speaker = _span(doc, c.speaker, c.speaker_strip)
        canonical = names.canonical(c.speaker, c.speaker_strip) if speaker else None
        if speaker is not None and speaker.text.startswith("لل") and canonical == speaker.text:
            canonical = "ال" + speaker.text[2:]  # وفقا للبيان: the source is البيان
        addressee = _span(doc, c.addressee, c.addressee_strip)
        via = _span(doc, c.via, c.via_strip)
        quotes.append(
            Quote(
                kind=kind,
                cue=cue,
                content=content,
                speaker=speaker,
                speaker_canonical=canonical,
                role=_span(doc, c.role),
                addressee=addressee,
                addressee_canonical=(
                    "ال" + addressee.text[2:]
                    if addressee and addressee.text.startswith("لل")
                    else names.canonical(c.addressee, c.addressee_strip)
                    if addressee
                    else None
                ),
                via=via,
                via_canonical=via.text if via else None,
                sentence=doc.sent[c.cue],
                evidence=_evidence(c),
            )
        )
    _relays(doc, lx, quotes)
    quotes.sort(key=lambda q: (q.cue.start, q.content.start))
    return quotes


def _evidence(c: _Cand) -> tuple[str, ...]:
    """The rules' view of a candidate, kept as features for the learned decisions."""
    flags = [f"lic={c.lic or 'none'}", f"cue={c.cue_kind}"]
    for name in ("nested", "relative", "joined", "np_content", "fixed_end", "direct", "resumptive"):
        if getattr(c, name):
            flags.append(name)
    flags.extend(f"veto={v}" for v in c.vetoes)
    if c.source >= 0:
        flags.append("borrowed")
    if c.speaker is None:
        flags.append("no_speaker")
    elif c.role is not None:
        flags.append("has_role")
    if c.addressee is not None:
        flags.append("addressee")
    if c.via is not None:
        flags.append("via")
    return tuple(flags)


def _relays(doc: _Doc, lx: _Lex, quotes: list[Quote]) -> None:
    """``… كما نقلت «رويترز».`` after a quotation: the outlet is its via."""
    for i, n in enumerate(doc.norm):
        if i == 0 or doc.norm[i - 1] != "كما":
            continue
        hit = _cue_lookup(lx, n)
        if hit is None or hit[1] not in ("نقل", "ذكر", "أورد", "اورد"):
            continue
        j = i + 1
        if j < len(doc.norm) and doc.norm[j] in _QUOTE_CHARS:
            close = doc.pair_at.get(j, (None, 0))[0]
            span = (j + 1, close) if close is not None else None
        else:
            e = j
            while e < doc.para_end[i] and not _is_punct(doc.norm[e]) and e - j < 5:
                e += 1
            span = (j, e) if e > j else None
        if span is None:
            continue
        before = [k for k, q in enumerate(quotes) if q.cue.start < doc.toks[i].start]
        if not before:
            continue
        k = before[-1]
        q = quotes[k]
        if q.via is None:
            v = _span(doc, span)
            if v is not None:
                quotes[k] = dataclasses.replace(q, via=v, via_canonical=v.text, evidence=(*q.evidence, "via"))


def _span(doc: _Doc, rng: tuple[int, int] | None, strip: int = -1) -> Span | None:
    """Raw span of tokens ``rng``, trimmed of punctuation.

    ``strip`` characters are skipped at the start (a proclitic لـ of an
    addressee); with the default, a و/ف/ب/ل/ك is skipped only before the
    article (والرئيس -> الرئيس), so names that begin with those letters stay whole.
    """
    if rng is None or rng[1] <= rng[0]:
        return None
    s, e = rng
    while e > s and _is_punct(doc.norm[e - 1]):
        e -= 1
    while s < e and _is_punct(doc.norm[s]):
        s += 1
    if e <= s:
        return None
    vs = doc.toks[s].vstart
    first = doc.norm[s]
    if strip > 0 and len(first) > strip + 1:
        vs += strip
    elif strip < 0 and len(first) > 3 and first[0] in "وفبك" and first[1:].startswith("ال") and _attested(doc, first[1:]):
        vs += 1
    ve = doc.toks[e - 1].vend
    raw = doc.seg.view.raw
    rs, re_ = doc.seg.view.to_raw(vs, ve)
    return Span(rs, re_, raw[rs:re_])


# words that start like و/ف + the article but are whole (والد, والي) leave their remainder
# unattested; these remainders are attested everywhere and are never a name's start
_NOT_REMAINDERS = frozenset({"الي", "التي", "الذي", "الذين", "اللذين", "اللتين", "اللاتي", "الا", "الان"})


def _attested(doc: _Doc, rest: str) -> bool:
    """Whether ``rest`` (a token without its first letter) is a word of its own in
    the article, so that the letter was a proclitic (والرئيس -> الرئيس) and not part
    of the word (والد الضحية, والده, والي سوسة)."""
    if doc.words is None:
        doc.words = frozenset(doc.norm)
    return rest in doc.words and rest not in _NOT_REMAINDERS


_SUBORD = frozenset(
    {"ما", "وما", "بعد", "قبل", "منذ", "رغم", "برغم", "دون", "بدون", "حتى", "لو", "كما", "إلا", "الا", "بمجرد", "لمجرد"}
)


def _has_speech_quote(doc: _Doc, lx: _Lex, cs: int, ce: int) -> bool:
    """Whether a closed pair of marks inside the content quotes words rather than a name.

    Quoted names (شركة "سابك", برنامج "الماتينال") do not make a quotation
    mixed (GUIDELINES §1.2): a fragment counts when it is not preceded by an
    organization, outlet or title noun and is not a name that the article also
    writes without marks.
    """
    outside = _unquoted_words(doc)
    for k in range(cs, ce):
        if doc.norm[k] not in _QUOTE_CHARS or k not in doc.pair_at:
            continue
        close = doc.pair_at[k][0]
        if close is None:
            continue
        words = [doc.norm[m] for m in range(k + 1, close) if not _is_punct(doc.norm[m])]
        if not words:
            continue
        if _formula_or_term(lx, words):
            continue  # «حفظه الله», "سيناريو", «18 إلى 20»: not the speaker's wording
        prev = doc.norm[k - 1] if k > 0 else ""
        pb = _bare(prev[1:] if prev[:1] in "وبل" and len(prev) > 3 else prev)
        if len(words) <= 3 and prev.startswith("ال") and all(w.startswith(("ال", "لل")) for w in words):
            continue  # الجهة المختصة "الأحوال المدنية": a definite name in apposition
        if prev in lx.org or pb in lx.org or pb in lx.outlets or prev in lx.outlets or _is_title(lx, prev):
            continue
        if pb in lx.name_heads or prev in lx.name_heads:
            continue  # عملية «السهم الذهبي»: a quoted name
        if (
            2 <= len(words) <= 3
            and not any(w.startswith("ال") or _cue_lookup(lx, w) for w in words)
            and _bare(words[-1]) in outside
            and len(words[-1]) >= 4
        ):
            continue  # «لورينتينو ريجيكامب» … ريجيكامب: a full name whose surname the article repeats
        if prev == "و" or (prev.startswith("ل") and len(prev) <= 2):
            continue
        if len(words) <= 3 and (all(_bare(w) in outside for w in words) or _quoted_twice(doc, words)):
            continue
        return True
    return False


_NUMBER_LINKS = frozenset({"الى", "الي", "إلى", "و", "او", "أو", "من", "-", "%", "بالمئه", "بالمائه"})


def _formula_quoted(doc: _Doc, lx: _Lex, k: int, close: int) -> bool:
    """Whether the marks at ``k``..``close`` hold a religious formula or honorific."""
    words = [doc.norm[m] for m in range(k + 1, close) if not _is_punct(doc.norm[m])]
    return bool(words) and " ".join(words) in lx.formulas_quoted


def _formula_or_term(lx: _Lex, words: list[str]) -> bool:
    """Quoted words that are not a speaker's wording (GUIDELINES §1.2).

    A religious formula or honorific («صلى الله عليه وسلم», «حفظه الله»), a
    single quoted epithet ("البرازيلي") or a number range («18 إلى 20»).
    """
    if not words:
        return False
    if " ".join(words) in lx.formulas_quoted:
        return True
    if len(words) == 1 and words[0].startswith("ال") and _nisba(words[0][2:]):
        # مهاجم برشلونة "البرازيلي": a relative-adjective epithet (a quoted «استسلام» or
        # دولة "الشجاعة" may be the speaker's own word)
        return True
    return any(w[:1].isdigit() for w in words) and all(w[:1].isdigit() or w in _NUMBER_LINKS for w in words)


class _NameIndex:
    """Fullest forms of the sources of an article (GUIDELINES §1.3 speaker_canonical).

    A speaker's canonical form is the longest mention, among the article's
    entities (canonical names and aliases) and the other quotes' speakers,
    whose words include all of the speaker's words (وانغ -> وانغ يي). A role
    without a name (الوزير الإسرائيلي) takes the name that the same role was
    given elsewhere in the article (وزير الطاقة الإسرائيلي يوفال شتاينتز).
    """

    def __init__(self, doc: _Doc, lx: _Lex, cands: list[_Cand], entities: Sequence[Entity]) -> None:
        from newsan.normalize import normalize_word

        self.doc = doc
        self.lx = lx
        self.forms: list[tuple[frozenset[str], int, str]] = []
        for e in entities:
            if e.label not in ("PERS", "ORG"):
                continue
            for form in (e.canonical, *e.aliases):
                words = normalize_word(form).split()
                key = self._key(words)
                if key:
                    self.forms.append((key, len(words), e.canonical))
        self.roles: list[tuple[frozenset[str], str]] = []
        for c in cands:
            if c.speaker is None or c.source >= 0:
                continue
            sp = _span(doc, c.speaker)
            if sp is None or self._is_role_only(c.speaker):
                continue
            words = [doc.norm[k] for k in range(*c.speaker) if not _is_punct(doc.norm[k])]
            key = self._key(words)
            if key:
                self.forms.append((key, len(words), sp.text))
            if c.role is not None:
                rkey = self._key([doc.norm[k] for k in range(*c.role)])
                if rkey:
                    self.roles.append((rkey, sp.text))
        # word -> the forms holding it: a key's fullest form is looked for among the
        # forms of its rarest word, not among all (a long article has thousands)
        self._word_forms: dict[str, list[int]] = {}
        self._fullest_of: dict[frozenset[str], str | None] = {}
        for k, (fkey, _, _) in enumerate(self.forms):
            for w in fkey:
                self._word_forms.setdefault(w, []).append(k)

    def _is_role_only(self, rng: tuple[int, int]) -> bool:
        n = self.doc.norm[rng[0]]
        return _is_title(self.lx, n) or _is_honor(self.lx, n)

    def _key(self, words: Sequence[str]) -> frozenset[str]:
        out = set()
        for w in words:
            if not w or all(ch in _PUNCT for ch in w):
                continue
            if w[:1] in "وبل" and w[1:3] == "ال" and len(w) > 4:
                w = w[1:]
            out.add(_bare(w))
        return frozenset(out)

    def canonical(self, rng: tuple[int, int] | None, strip: int = -1) -> str | None:
        from newsan.normalize import normalize_word

        sp = _span(self.doc, rng, strip)
        if sp is None or rng is None:
            return None
        key = self._key(normalize_word(sp.text).split())
        if not key:
            return sp.text
        if self._is_role_only(rng):
            for rkey, name in reversed(self.roles):
                if key <= rkey:
                    return self._fullest(self._key(normalize_word(name).split()), name)
            return sp.text
        return self._fullest(key, sp.text)

    def _fullest(self, key: frozenset[str], default: str) -> str:
        if key not in self._fullest_of:
            best: str | None = None
            best_len = len(key)
            # only the forms that contain the key's rarest word can contain the key
            pools = [self._word_forms.get(w, []) for w in key]
            for k in min(pools, key=len) if pools else range(len(self.forms)):
                fkey, length, text = self.forms[k]
                if length > best_len and key <= fkey:
                    best, best_len = text, length
            self._fullest_of[key] = best
        return self._fullest_of[key] or default



def _role_word(lx: _Lex, n: str) -> bool:
    """A word that can continue a role phrase (الخارجية, للرابطة, باسم, بالمحكمة)."""
    core = n[1:] if n[:1] in "لبو" else ""
    return (
        n.startswith(("ال", "لل", "بال", "وال"))
        or (core and (_in(lx.org, core) or _is_title(lx, core)))
        or n == "باسم"
        or _is_title(lx, n)
        or n in lx.org
        or _bare(n) in lx.org
    )


def _is_head(lx: _Lex, n: str) -> bool:
    """A noun that governs a genitive in a role (وزير الخارجية, لاعب نادي, باسم الكرملين)."""
    if n.startswith("ال") and n not in ("الناطق", "المتحدث", "الناطقه", "المتحدثه"):
        return False
    core = n[1:] if n[:1] in "لب" and len(n) > 3 else n
    return _is_title(lx, n) or n == "باسم" or core in lx.org or n in lx.org or core in lx.titles


def _imperfect(lx: _Lex, kind: str, n: str) -> bool:
    """Whether a cue verb is in the imperfect (يطالبون, تؤكد): a stance or habit, not a speech event."""
    hit = _cue_lookup(lx, n)
    if kind != "verb" or hit is None:
        return False
    lemma, form = hit[1], hit[2]
    return form != lemma and (
        form[0] == "ي" or (form[0] == "ت" and (not lemma.startswith("ت") or form.startswith("تت")))
    )


def _in_compl_clause(doc: _Doc, lx: _Lex, i: int) -> bool:
    """Whether cue ``i`` is the verb of a reported أن-clause (… إلا أن العرب يطالبون …)."""
    for m in range(i - 1, max(i - 5, -1), -1):
        n = doc.norm[m]
        if _is_punct(n):
            return False
        if n in lx.compl or n in lx.compl_pron:
            return True
    return False


def _descriptive_cue(doc: _Doc, lx: _Lex, c: _Cand, cands: list[_Cand]) -> bool:
    """An adjectival imperfect cue inside another quote's clause (تصريح … يفيد بأن …)."""
    i = c.cue
    pw = _strip_conj(doc.norm[i - 1])[0] if i > 0 else ""
    # ورسالة تفيد بأنه …: an indefinite common noun right before the verb is what it describes
    indefinite = (
        c.speaker is not None
        and c.speaker[1] == i
        and not pw.startswith("ال")
        and pw not in lx.given
        and pw not in doc.pers
        and not _is_title(lx, pw)
        and not _is_punct(pw)
    )
    if (
        c.cue_kind != "verb"
        or c.clitic
        or (c.speaker is not None and not indefinite)
        or c.lic != "compl"
        or c.cstart - i > 2
        or i == 0
        or doc.sent_start[i] == i
        or not _imperfect(lx, c.cue_kind, doc.norm[i])
    ):
        return False
    prev = doc.norm[i - 1]
    if (
        prev in _COMMAS
        or prev in _TERMINATORS
        or prev == ":"
        or prev in lx.subordinators
        or prev in lx.aux
        or prev in lx.pron_conj  # غير أنه يشدد على أنه …: a pronoun subject, resolved later
        or prev in lx.compl
        or prev in lx.compl_pron
    ):
        return False
    return any(
        d is not c
        and d.cue_kind not in ("mention", "headline")
        and d.cue < i
        and d.cstart <= i
        and doc.para[d.cstart] == doc.para[i]
        and doc.hard_end[d.cstart] > i
        for d in cands
    )


def _mark_nested(doc: _Doc, cands: list[_Cand]) -> None:
    """Flag cues that sit inside another quote's clause (أن المدرب جيرتيس أخبره أنه …)."""
    for c in cands:
        if c.cue_kind != "verb":
            continue
        a = c.anchor if c.anchor >= 0 else c.cue
        if doc.norm[c.cue][:1] in "وف" and _strip_conj(doc.norm[c.cue])[1]:
            continue
        if a == 0 or doc.para[a - 1] != doc.para[a]:
            continue
        prev = doc.norm[a - 1]
        if _is_punct(prev) or doc.sent_start[a] == a:
            continue
        if any(d is not c and d.cue_kind != "mention" and d.cstart <= a and d.cue < c.cue for d in cands):
            c.nested = True


def _note_mention(doc: _Doc, lx: _Lex, i: int, gender: str, seen: list[_Cand]) -> None:
    """Record the subject of a non-quoting speech verb as a possible antecedent."""
    j = i + 1
    lim = min(doc.hard_end[i], doc.para_end[i])
    while j < lim and doc.norm[j] in ("به", "بها", "عنه", "عنها", "فيه", "فيها", "له", "لها"):
        j += 1
    np = _parse_np(doc, lx, j, lim)
    if np is not None and np.name is not None:
        m = _Cand(cue=i, cue_kind="mention", gender=gender, cstart=i)
        m.speaker = np.name
        seen.append(m)


def _relay(doc: _Doc, lx: _Lex, cand: _Cand, j: int, relay_from: int, limit: int, participle: bool) -> None:
    """نقلت وكالة X عن Y …, ذكرت صحيفة X نقلا عن Y …: speaker Y, via X (GUIDELINES §1.3)."""
    src_start = relay_from + 1
    src_end = limit
    while src_end > src_start and (
        _is_punct(doc.norm[src_end - 1])
        or doc.norm[src_end - 1] in ("الى", "إلى", "على", "عن", "في", "قوله", "قولها", "قولهم", "بقوله", "بقولها")
    ):
        src_end -= 1  # نقلت X عن مصادر دبلوماسية قولها إن …: the speech noun is not the source
    comma = next((m for m in range(src_start, src_end) if doc.norm[m] in _COMMAS), src_end)
    if comma > src_start:
        head = doc.norm[src_start]
        np = _parse_np(doc, lx, src_start, comma)
        if _in(lx.sources, head) or np is None or np.speaker is None:
            cand.speaker = (src_start, comma)  # a descriptive source: أشخاص مطلعين على الخطة
        else:
            cand.speaker, cand.role = np.speaker, (np.role if np.name else None)
    outlet_end = relay_from - 1 if doc.norm[relay_from - 1] == "نقلا" else relay_from
    if not participle and outlet_end > j:
        m = j
        while m < outlet_end and (doc.norm[m] in lx.time or _is_punct(doc.norm[m])):
            m += 1
        e = m
        while e < outlet_end and doc.norm[e] not in lx.time and not _is_punct(doc.norm[e]):
            e += 1
        if e > m:
            cand.via = (m, e)


def _boundary_after(doc: _Doc, lx: _Lex, close: int, nxt: int | None) -> bool:
    """Whether the narrator (or the end of the clause) follows a closing mark."""
    m = close + 1
    if m >= doc.para_end[close] or m >= len(doc.norm):
        return True
    if nxt is not None and m >= nxt:
        return True
    n = doc.norm[m]
    if n in _COMMAS and m + 1 < doc.para_end[close] and (nxt is None or m + 1 < nxt):
        # «…»، بل إن …: the speaker's own paraphrase goes on after the quoted words (mixed)
        w = doc.norm[m + 1]
        if _strip_conj(w)[0] in _CONTINUATIONS or (
            w in ("بل", "وبل") and m + 2 < len(doc.norm) and doc.norm[m + 2] in lx.compl | lx.compl_pron
        ):
            return False
    if _is_punct(n) or n in lx.resume or n in lx.attrib:
        return True
    return _cue_lookup(lx, n) is not None


def _narrator_after(doc: _Doc, lx: _Lex, c: _Cand, cs: int, close: int, nxt: int | None) -> bool:
    """أن "الحوادث تتضاءل … منذ وصول تعزيزات" تتألف من 120 شرطيا: a whole quoted clause
    right after the complementizer, then the narrator elaborates on its last word
    (a verb with no conjunction): the quotation is direct, the rest is not quoted."""
    if c.lic != "compl" or close + 1 >= doc.para_end[close] or (nxt is not None and close + 1 >= nxt):
        return False
    words = sum(1 for m in range(cs + 1, close) if not _is_punct(doc.norm[m]))
    if words < 5:
        return False
    n = doc.norm[close + 1]
    if _is_punct(n) or n[:1] in "وف" or n.startswith("ال") or n in lx.compl or n in lx.compl_pron:
        return False
    # an imperfect verb (تتألف، يتكون) opens the elaboration
    return n[:1] in "يت" and len(n) >= 4 and _cue_lookup(lx, n) is None


def _joined_quote(doc: _Doc, lx: _Lex, close: int, nxt: int | None) -> int | None:
    """``"X"؛ ولكن "Y"``: the closing mark of a second quoted piece that the narrator joins to
    the first with a bare contrastive conjunction (no new cue), else None."""
    m = close + 1
    end = doc.para_end[close]
    if nxt is not None:
        end = min(end, nxt)
    if m + 2 >= end or doc.norm[m] not in ("؛", "،", ","):
        return None
    if doc.norm[m + 1] not in ("لكن", "ولكن", "بل", "وبل"):
        return None
    op = m + 2
    if doc.norm[op] not in _QUOTE_CHARS or op not in doc.pair_at:
        return None
    close2 = doc.pair_at[op][0]
    if close2 is None or close2 >= end or not _boundary_after(doc, lx, close2, nxt):
        return None
    return close2


#: connectors after a closing mark that continue the reported clause (، بل إن …، إلا أن …)
_CONTINUATIONS = frozenset({"بل", "الا", "إلا", "لكن", "ولكن", "لكنه", "لكنها", "غير"})


def _quoted_twice(doc: _Doc, words: list[str]) -> bool:
    """Whether the article quotes the same short fragment more than once (a name: "أرامكو")."""
    n = 0
    for k, close in ((k, v[0]) for k, v in doc.pair_at.items()):
        if close is None:
            continue
        if [doc.norm[m] for m in range(k + 1, close) if not _is_punct(doc.norm[m])] == words:
            n += 1
    return n > 1


def _unquoted_words(doc: _Doc) -> frozenset[str]:
    """Words the article writes outside quotation marks (cached on the document)."""
    if doc.unquoted is None:
        doc.unquoted = frozenset(
            _bare(n)
            for k, n in enumerate(doc.norm)
            if doc.inside[k] < 0 and k not in doc.pair_at and k not in doc.close_of
        )
    return doc.unquoted


def _not_speaker(doc: _Doc, lx: _Lex, rng: tuple[int, int]) -> bool:
    """Whether a candidate speaker phrase is plainly not a source.

    A prepositional phrase (بنوعية العروض، لنصرة الأشقاء: بـ/لـ on a noun that governs a
    definite genitive) or a conjunction carrying a pronoun (لكنه، إنه), unless its first
    word is a known given name, a PERS mention, a place, a title or an organization noun.
    """
    s, e = rng
    if s >= e:
        return True
    n = doc.norm[s]
    if n in lx.pron_conj or _strip_conj(n)[0] in lx.pron_conj:
        return True
    return (
        len(n) > 3
        and n[0] in "بل"
        and not n.startswith(("لل", "بال"))
        and e - s >= 2
        and doc.norm[s + 1].startswith("ال")
        and n not in lx.given
        and n not in doc.pers
        and n not in lx.locs
        and not _is_title(lx, n)
        and not _is_honor(lx, n)
        and n not in lx.org
        and _bare(n) not in lx.org
    )


def _named_source(doc: _Doc, lx: _Lex, rng: tuple[int, int], entities: Sequence[Entity]) -> bool:
    """Whether a phrase is clearly a source: titled, an organization, outlet or source noun,
    a given name, a place or an entity of the article (not a plain definite noun phrase)."""
    s, e = rng
    ent = _entity_words(entities)
    for k in range(s, min(e, s + 3)):
        n = doc.norm[k]
        if (
            _is_source_word(lx, n)
            or _bare(n) in lx.statements
            or n in lx.given
            or n in doc.pers
            or n in lx.locs
            or n in ent
        ):
            return True
    return not doc.norm[s].startswith("ال")


def _subject_like(doc: _Doc, lx: _Lex, rng: tuple[int, int]) -> bool:
    """Whether a noun phrase after a sentence's first verb can be its subject, not its object
    (وأكد أهمية الطائف …, وأبدى سعادته …)."""
    if _not_speaker(doc, lx, rng):
        return False
    head = doc.norm[rng[0]]
    if _in(lx.masdars, head) and not _in(lx.org, head):
        return False
    if head.endswith(("ته", "تها", "تهم", "كم", "نا")) and len(head) > 4:
        return False
    return not any(doc.norm[k] in ("ذلك", "هذا", "هذه", "تلك", "هؤلاء") for k in range(*rng))


def _plausible_source(doc: _Doc, lx: _Lex, rng: tuple[int, int], ent_words: frozenset[str]) -> bool:
    """Whether a speaker found before a weak license (a preposition, a bare object) looks like a source."""
    head = doc.norm[rng[0]]
    if _is_source_word(lx, head) or _in(ent_words, head):
        return True
    words = [doc.norm[k] for k in range(*rng)]
    if any(w in ("ذلك", "هذا", "هذه", "تلك", "هؤلاء", "مدى") for w in words):
        return False
    return len(words) <= 3
