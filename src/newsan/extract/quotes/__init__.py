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

import logging
from collections.abc import Sequence

from newsan.extract.quotes.attribution import _attributions
from newsan.extract.quotes.candidates import (
    _cue_candidate,
    _drop_inside_speaker_windows,
    _group_mentions,
    _headline,
    _imperfect,
    _org_mentions,
    _org_words,
    _pers_forms,
)
from newsan.extract.quotes.contents import _set_ends
from newsan.extract.quotes.cues import _may_cue
from newsan.extract.quotes.document import _Cand, _prepared
from newsan.extract.quotes.output import _build, _descriptive_cue, _in_compl_clause, _mark_nested
from newsan.extract.quotes.phrases import _RELATIVES_CONJ
from newsan.extract.quotes.subjects import _resolve_speakers
from newsan.extract.quotes.tables import _OPEN_GLYPH, _compile, _Lex
from newsan.lexicons import Lexicon
from newsan.model import Entity, Quote
from newsan.segment import Segmented

__all__ = ["extract_quotes"]

log = logging.getLogger(__name__)


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


def _extract(
    seg: Segmented, lx: _Lex, lexicon: Lexicon, entities: Sequence[Entity], propose: bool = False
) -> tuple[list[Quote], list[str]]:
    doc = _prepared(seg)
    doc.pers = _pers_forms(entities)
    doc.orgs = _org_words(entities)
    doc.org_at, doc.org_after_l = _org_mentions(doc, entities)
    warnings: list[str] = []
    cands: list[_Cand] = []
    if doc.cue_scan is None or doc.cue_scan[0] is not lx:
        norm = doc.norm
        # a word that is never a cue, in either mode, is spared the full test
        may = [i for i in range(len(norm)) if _may_cue(lx, norm[i]) or (i and norm[i - 1] in _RELATIVES_CONJ)]
        doc.cue_scan = (lx, may)
    for i in doc.cue_scan[1]:
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
