"""The cue and title tables the rules read, compiled once per lexicon
(:class:`_Lex`), and the quotation-mark and punctuation sets.

Part of :mod:`newsan.extract.quotes` (see its docstring for the whole method).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from newsan.lexicons import Lexicon

# Quotation-mark families: a mark only pairs with marks of its own family, so
# a quotation nested in another (« … “ … ” … ») does not break the outer one.
_FAMILY = {"«": "G", "»": "G", "“": "C", "”": "C", "„": "C", "‹": "S", "›": "S", '"': "N"}
_OPEN_GLYPH = frozenset("«„‹")
_CLOSE_GLYPH = frozenset("»›")
_QUOTE_CHARS = frozenset(_FAMILY)
_TERMINATORS = frozenset({".", "؟", "?", "!", "؛", "…"})
_COMMAS = frozenset({"،", ",", "-", "–", "—"})
#: a preposition with a relative's pronoun after its verb (الوقت الذي أجمع فيه العالم، حسب ما
#: أشار إليه تقرير …، وفق ما صرح به X), normalized
_RESUMPTIVES = frozenset(
    {"فيه", "فيها", "فيهم", "عنه", "عنها", "عنهم", "به", "بها", "بهم", "له", "لها", "لهم", "اليه", "اليها", "اليهم"}
)
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
    resume: Mapping[str, tuple[tuple[str, ...], ...]]  # first word -> the rest of each phrase
    openers: frozenset[str]
    stops: frozenset[str]
    blockers: frozenset[str]
    time: frozenset[str]
    time_mod: frozenset[str]  # الماضي، المقبل: they close a time phrase
    adverbs: frozenset[str]
    masdars: frozenset[str]
    headline_labels: frozenset[str]
    honorifics: frozenset[str]
    titles: frozenset[str]
    role_honor: frozenset[str]  # honorifics heading a role without the article (أستاذة علوم التغذية)
    relations: frozenset[str]  # موال، التابع، مقرب: a role goes on with them and their complement
    org: frozenset[str]
    outlets: frozenset[str]
    sources: frozenset[str]
    same: frozenset[str]  # المصدر ذاته: "the same" after a role
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
    #: word -> could it be a cue word at all (see cues._may_cue)
    may_memo: dict[str, bool] = field(default_factory=dict, compare=False, hash=False)


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


def _phrases(words: frozenset[str]) -> dict[str, tuple[tuple[str, ...], ...]]:
    """Entries of one or more words, keyed by their first word: the value holds
    the rest of each entry (an empty tuple for a one-word entry)."""
    out: dict[str, set[tuple[str, ...]]] = {}
    for w in words:
        first, *rest = w.split()
        out.setdefault(first, set()).add(tuple(rest))
    return {k: tuple(sorted(v)) for k, v in out.items()}


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
        resume=_phrases(lexicon.words("narrator_resume")),
        openers=lexicon.words("clause_openers"),
        stops=lexicon.words("speaker_stops"),
        blockers=lexicon.words("cue_blockers"),
        time=lexicon.words("time_words"),
        time_mod=lexicon.words("time_modifiers"),
        adverbs=lexicon.words("cue_adverbs"),
        masdars=_both(lexicon.words("object_masdars")),
        headline_labels=lexicon.words("headline_labels"),
        honorifics=_both(lexicon.words("honorifics"))
        | frozenset(multi_honor)
        | frozenset(w.split()[0] for w in lexicon.words("honorifics") if " " in w),
        titles=_both(lexicon.words("titles")),
        role_honor=lexicon.words("role_honorifics"),
        relations=_both(lexicon.words("role_relations")),
        org=_both(lexicon.words("org_nouns")),
        outlets=_both(lexicon.words("outlet_nouns")),
        sources=_both(lexicon.words("source_nouns")),
        same=lexicon.words("role_same_words"),
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
