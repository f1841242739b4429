"""Named-entity mentions: tagger labels + the names lexicon -> labelled spans.

The tagger (the embedded CRF by default, see :mod:`newsan.extract.tagger`)
labels word tokens with BIO tags; :func:`newsan.extract.bio.spans_from_bio`
turns those into token ranges, and :func:`find_mentions` into raw-text spans
with the proclitic removed (بموسكو -> موسكو, GUIDELINES §2). Entries of the
``names`` lexicon section override the tagger where they match; head nouns,
eponyms, sports clubs and news outlets add names the tagger missed.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from typing import Protocol

from newsan.aggregate import _name_part, _short_name, name_key
from newsan.extract.bio import spans_from_bio
from newsan.lexicons import Lexicon
from newsan.model import Span, Token
from newsan.normalize import normalize_word
from newsan.segment import CLOSERS, OPENERS, Segmented

__all__ = ["LexiconEvidence", "Tagger", "find_mentions", "lexicon_evidence", "strip_proclitic"]

LABELS = ("PERS", "LOC", "ORG", "MISC")
_MAX_NAME_TOKENS = 6
#: distinct ``sport_words`` that make an article a sports report
_SPORT_WORDS = 3


class Tagger(Protocol):
    """Anything that labels tokenized sentences with BIO2 tags."""

    def tag_sentences(self, sentences: list[list[str]]) -> list[list[str]]: ...


def strip_proclitic(
    norm: str,
    attested: frozenset[str] | set[str],
    proclitics: Sequence[str],
    names: frozenset[str] | set[str] = frozenset(),
) -> int:
    """How many leading characters of a normalized word are proclitics.

    ``والصين`` -> 1 (keeps the article), ``للحكومه`` -> 1 (ل + ال contracted:
    the caller re-reads it as ال…), ``بموسكو`` -> 1 when ``موسكو`` is attested
    elsewhere. A name that merely begins with one of these letters (بكين,
    واشنطن) keeps them: what remains must be attested or start with ال.

    Two cases need more than that. Many foreign names begin كال or فال
    (كاليفورنيا, فالنسيا) while ك "like" and ف "so" seldom stand before a
    name, so behind them the ال remainder must itself be attested. A
    remainder of two letters is stripped only behind و, and only when it is
    a word of the ``names`` lexicon (وإب, the Yemeni city) or attested (وشي
    where شي recurs): بان كي مون and باب keep their ب.
    """
    for p in proclitics:  # longest first
        if len(norm) - len(p) < 2 or not norm.startswith(p):
            continue
        rest = norm[len(p):]
        if len(rest) == 2:
            if p == "و" and (rest in names or rest in attested):
                return len(p)
            continue
        if rest in attested:
            return len(p)
        if rest.startswith("ال") and len(rest) > 3 and p[-1] not in "كف":
            return len(p)
    return 0


@cache
def _proclitics(lexicon: Lexicon) -> tuple[str, ...]:
    return tuple(sorted(lexicon.words("proclitics"), key=len, reverse=True))


@cache
def _name_words(lexicon: Lexicon) -> frozenset[str]:
    return frozenset(w for n in lexicon.labelled("names") for w in n.split())


@cache
def _known_words(lexicon: Lexicon) -> frozenset[str]:
    """Words known to be (part of) a name: the names lexicon, given names, and
    the single words of the NER model's gazetteer when it is installed."""
    return _name_words(lexicon) | lexicon.words("ner_given_names") | _model_words("ner_gazetteer.tsv")


@cache
def _vocabulary() -> frozenset[str]:
    """Words of the tagger's lexicons (the stems of its word clusters and
    gazetteer, learned from ANERcorp and Wikipedia text), bare: without
    proclitics and article. A word listed whole is a word, not a proclitic
    plus a remainder (ولاية, وزير, بنك); empty when no model is installed."""
    return _model_words("ner_clusters.tsv") | _model_words("ner_gazetteer.tsv")


@cache
def _model_words(name: str) -> frozenset[str]:
    """The single-word entries (first column) of one of the NER model's TSV
    lists, normalized; empty when the file is not installed."""
    try:
        text = files("newsan.models").joinpath(name).read_text(encoding="utf-8")
    except (FileNotFoundError, OSError):
        return frozenset()
    words = set()
    for line in text.splitlines():
        if line and not line.startswith("#"):
            entry = line.split("\t", 1)[0]
            if " " not in entry:
                words.add(normalize_word(entry))
    return frozenset(words)


def find_mentions(seg: Segmented, tagger: Tagger | None, lexicon: Lexicon) -> list[Span]:
    """Labelled mention spans (label in ``Span.label``) in reading order."""
    sentences = seg.sentences
    tags: list[list[str]]
    if tagger is not None and sentences:
        tags = tagger.tag_sentences([[t.text for t in s.tokens] for s in sentences])
    else:
        tags = [["O"] * len(s.tokens) for s in sentences]

    proclitics = _proclitics(lexicon)
    counts = Counter(t.norm for s in sentences for t in s.tokens)
    known = _known_words(lexicon)
    heads = lexicon.labelled("name_heads")
    eponyms = _Eponyms(lexicon.words("eponym_titles"), lexicon.labelled("eponym_heads"))
    names = _name_words(lexicon)
    # club names (الهلال، النصر) are everyday words outside a sports report
    sport = len(set(counts) & lexicon.words("sport_words")) >= _SPORT_WORDS
    clubs = _name_index(lexicon, "sport_clubs")[1] if sport else frozenset()
    # words a proclitic may be stripped from (ونجم المتلوي، بمركز الملك فهد)
    attested = set(counts) | names | set(heads) | set(eponyms.heads) | clubs
    ctx = _Context(attested, known, counts, proclitics, names, _places(lexicon), _vocabulary())
    not_names = lexicon.words("not_names")
    given = lexicon.words("ner_given_names")
    verbs = lexicon.words("cue_verbs") | lexicon.words("aux_verbs")
    formulas, nations = lexicon.words("name_formulas"), _nationalities(lexicon)
    time_breaks = lexicon.words("name_time_breaks")
    kinship, dates = lexicon.words("name_kinship"), lexicon.words("name_dates")
    # (not أبي: آبي, Abe, folds to it)
    links = (lexicon.words("ner_name_part") | {normalize_word("آل")}) - {normalize_word("أبي")}
    # A tagger that sees the head-noun names as features (LexiconEvidence) has
    # weighed them already: overriding it again costs (CV on shared/eval/train,
    # news x3 + evidence: F1 0.744 with the override, 0.749 without). The
    # names lexicon still overrides: without it 0.725.
    evidence = getattr(getattr(tagger, "extractor", None), "evidence", None) is not None
    stops, titles = _not_name_words(lexicon)

    spans: list[Span] = []
    for sent, stags in zip(sentences, tags):
        toks = sent.tokens
        ranges = _extend_to_given_name(toks, spans_from_bio(stags), given)
        ranges = _apply_names(toks, ranges, lexicon, proclitics)
        ranges = _add_outlets(toks, ranges, lexicon)
        if sport:
            ranges = _apply_names(toks, ranges, lexicon, proclitics, "sport_clubs")
        if not evidence:
            ranges = _add_head_chunks(
                toks, ranges, heads, lexicon.words("name_breakers"), lexicon.words("name_adjectives"), ctx, eponyms
            )
        ranges = _drop_nationality(toks, _mend_edges(toks, ranges, formulas, time_breaks, links), nations, heads)
        ranges = _person_kin_and_dates(toks, ranges, kinship, dates)
        for label, a, b in _trim_edges(toks, ranges, verbs, ctx):
            for a2, b2 in _split_coordination(toks, label, a, b, ctx, heads, titles):
                span = _mention_span(seg, toks[a2:b2], label, ctx)
                if span is not None and _is_name_like(span.text) and normalize_word(span.text) not in not_names:
                    spans.append(span)
    return _trim_to_article_names(
        spans, lambda w: _plain_word(w, known, stops, verbs, titles), lambda w: _common_word(w, lexicon, links), given
    )


@cache
def _not_name_words(lexicon: Lexicon) -> tuple[frozenset[str], frozenset[str]]:
    """The particles (speaker stops, complementizers) and the titles and
    honorifics that :func:`_plain_word` reads, united once per lexicon."""
    stops = lexicon.words("speaker_stops") | lexicon.words("complementizers") | lexicon.words("complementizers_pronoun")
    return stops, lexicon.words("titles") | lexicon.words("honorifics")


def _trim_to_article_names(
    spans: list[Span],
    plain: Callable[[str], bool],
    common: Callable[[str], bool] = lambda w: False,
    given: frozenset[str] = frozenset(),
) -> list[Span]:
    """A person's mention that runs past a name the article gives elsewhere is
    cut back to that name: سيلتقي | مورير beside بيتر مورير, ميسي | للنادي
    الكتالوني beside ليونيل ميسي, راموس | ملتزم beside سيرجيو راموس.

    The words cut (one or two, at either edge) must all be ``plain``: words no
    name has (:func:`_plain_word`). After a person's family name (the name left
    is the other mention's whole name or its last part(s)) the words cut at the
    end need only be common words (``common``, :func:`_common_word`): the
    person's name is complete (راموس | ملتزم، بري | يلتقي), whereas after a
    given name they could be another person's family name (جون | ماكين is not
    جون كيري), and the family name left is no given name (حسني مبارك's
    مبارك is not مبارك الأسمري's). The name left must be another person
    mention's whole name, its first or last part(s) or its short form (where
    :func:`newsan.aggregate.build_entities` then merges it), and that mention
    has no plain word itself. A mention the article repeats is left whole.
    """
    words = [[(m.start(), m.end()) for m in _WORD.finditer(s.text)] if s.label == "PERS" else [] for s in spans]
    keys = [name_key(s.text) if w else () for s, w in zip(spans, words)]
    hosts = {k for s, k, w in zip(spans, keys, words) if len(k) >= 2 and not any(plain(s.text[a:b]) for a, b in w)}
    if not hosts:
        return spans
    seen = Counter(keys)
    out = []
    for s, k, w in zip(spans, keys, words):
        if len(k) >= 2 and seen[k] == 1:
            s = _trimmed(s, w, k, hosts, plain, common if k in hosts else None, given) or s
        out.append(s)
    return out


def _trimmed(
    s: Span,
    words: list[tuple[int, int]],
    key: tuple[str, ...],
    hosts: set[tuple[str, ...]],
    plain: Callable[[str], bool],
    common: Callable[[str], bool] | None = None,
    given: frozenset[str] = frozenset(),
) -> Span | None:
    """``s`` without one or two words at one edge (see
    :func:`_trim_to_article_names` for which), when what is left is a host's
    name or part of it; None when no such cut exists. With ``common`` (``s``
    is itself a clean name, a host) only the cut after a family name is tried."""
    others = [h for h in hosts if h != key]
    for cut in (1, 2):
        if len(words) - cut < 1:
            break
        for front in (True, False):
            kept = words[cut:] if front else words[: len(words) - cut]
            dropped = words[:cut] if front else words[len(words) - cut :]
            a, b = kept[0][0], kept[-1][1]
            rest = name_key(s.text[a:b])
            if not rest:
                continue
            if common is None and all(plain(s.text[x:y]) for x, y in dropped) and (
                front or not any(_after_name(s.text[x:y]) for x, y in dropped)
            ):
                if any(rest == h or _name_part(rest, h) or _short_name(rest, h) for h in others):
                    return Span(s.start + a, s.start + b, s.text[a:b], s.label)
            elif common is not None and not front and all(common(s.text[x:y]) for x, y in dropped):
                # after the family name: the whole name, or its last part(s), which
                # are no given name (فهد بن عبدالله ends with his father's)
                if rest[-1] in given:
                    continue
                if any(rest == h or (len(rest) < len(h) and h[-len(rest) :] == rest) for h in others):
                    return Span(s.start + a, s.start + b, s.text[a:b], s.label)
    return None


@cache
def _name_like_words(lexicon: Lexicon) -> frozenset[str]:
    """:func:`_known_words` and the tagger's person-name words (``ner_names.tsv``)."""
    return _known_words(lexicon) | _model_words("ner_names.tsv")


def _common_word(raw: str, lexicon: Lexicon, links: frozenset[str]) -> bool:
    """A word the tagger's vocabulary holds (:func:`_vocabulary`: its word
    clusters, learned from running text), bare of و/ف, a preposition and the
    article, and that nothing marks as a name: no list knows it, or it without
    its first letters, as a name or name part (the names lexicon, given names,
    the gazetteer, the person-name words; بن، آل …: not بلقاسم، القحطاني), and
    it has no nisba's shape (…ي: العامري، أميري; an imperfect verb's يـ/تـ
    aside): ملتزم، يلتقي، ضيف، الأخ."""
    n = normalize_word(raw)
    if len(n) < 3 or n in links or not n.isalpha() or (n.endswith("ي") and not n.startswith(("ي", "ت"))):
        return False
    names = _name_like_words(lexicon)
    forms = {n, n[1:] if n[0] in "وفبلك" else n, n[2:] if n.startswith(("بل", "ال")) else n}
    forms |= {f[2:] for f in forms if f.startswith("ال")}
    if forms & names:
        return False
    vocab = _vocabulary()
    return any(f in vocab for f in forms)


def _future_verb(n: str, known: frozenset[str]) -> bool:
    """A verb in the future (سيلتقي، ستعقد، سنواصل, also behind و/ف): سـ and an
    imperfect prefix, no word known as a name (سيدني، ستيفن)."""
    if len(n) > 5 and n[0] in "وف":
        n = n[1:]
    return len(n) >= 5 and n[0] == "س" and n[1] in "يتن" and n not in known


def _after_name(raw: str) -> bool:
    """A word that after a given name is a family name (الخطيب، الخميس),
    whatever it is elsewhere."""
    return normalize_word(raw).startswith("ال")


def _plain_word(
    raw: str, known: frozenset[str], stops: frozenset[str], verbs: frozenset[str], titles: frozenset[str]
) -> bool:
    """A word no person's name has: a preposition or particle (أمام، فإن)
    or a reporting verb or title, also behind و/ف (وكرر); a future verb
    (سيلتقي); a preposition glued to the article (للنادي، بالرس); an adverb's
    tanween alif (تاريخا، محددا). Words known as name parts never are."""
    n = normalize_word(raw)
    if not n or n in known:
        return False  # (على too: it is also علي written with ى, على عبد الله صالح)
    bare = n[1:] if len(n) > 3 and n[0] in "وف" else n
    return (
        n in stops
        or bare in stops
        or n in verbs
        or bare in verbs
        or n in titles
        or _future_verb(n, known)
        or n.startswith(("بال", "لل", "كال"))
        or (len(n) >= 4 and n.endswith("ا") and not n.startswith("ال") and n[-2] not in "اوي")
    )


class _Word:
    """A token as the lexicon passes read it (its normalized form only)."""

    __slots__ = ("norm",)

    def __init__(self, norm: str) -> None:
        self.norm = norm


class LexiconEvidence:
    """The lexicon passes as evidence for the tagger instead of overrides.

    For a sentence of raw tokens, the features ``lx=B-LAB``/``lx=I-LAB`` mark
    the names of the ``names`` lexicon (longest match, through proclitics),
    ``lxc=`` the sports clubs and ``hc=`` the head-noun names of
    :func:`_head_chunks` (اتحاد كرة القدم، جمعية الثقافة والفنون). The CRF
    (``scripts/train_ner.py --evidence``) learns how far to trust each, from
    ANERcorp and the projected news; :func:`find_mentions` then need not
    override it. Per-word parts are cached; a sentence without a head noun
    or a name's first word costs one dict lookup per token.
    """

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self.proclitics = _proclitics(lexicon)
        self.heads = lexicon.labelled("name_heads")
        self.eponyms = _Eponyms(lexicon.words("eponym_titles"), lexicon.labelled("eponym_heads"))
        self.breakers = lexicon.words("name_breakers")
        self.adjectives = lexicon.words("name_adjectives")
        names = _name_words(lexicon)
        self.ctx = _Context(
            set(names) | set(self.heads) | set(self.eponyms.heads),
            _known_words(lexicon),
            Counter(),
            self.proclitics,
            names,
            _places(lexicon),
            _vocabulary(),
        )
        firsts = _name_index(lexicon, "names")[1] | _name_index(lexicon, "sport_clubs")[1]
        self._cache: dict[str, tuple[str, bool]] = {}
        self._firsts = firsts

    def _word(self, token: str) -> tuple[str, bool]:
        """(normalized form, may start a name or a head-noun name)."""
        hit = self._cache.get(token)
        if hit is None:
            if len(self._cache) > 1 << 16:
                self._cache.clear()
            norm = normalize_word(token)
            starts = (
                norm in self._firsts
                or any(norm.startswith(p) and norm[len(p):] in self._firsts for p in self.proclitics)
                or norm.startswith("لل") and "ال" + norm[2:] in self._firsts
                or _head_label(norm, self.heads) is not None
                or _head_label(norm, self.eponyms.heads) is not None
            )
            hit = self._cache[token] = (norm, starts)
        return hit

    def __call__(self, tokens: Sequence[str]) -> list[list[str]]:
        words = [self._word(t) for t in tokens]
        out: list[list[str]] = [[] for _ in tokens]
        if not any(starts for _, starts in words):
            return out
        toks = [_Word(norm) for norm, _ in words]
        lex = self.lexicon
        for prefix, ranges in (
            ("lx", _apply_names(toks, [], lex, self.proclitics)),
            ("lxc", _apply_names(toks, [], lex, self.proclitics, "sport_clubs")),
            ("hc", _head_chunks(toks, self.heads, self.breakers, self.adjectives, self.ctx, self.eponyms)),
        ):
            for label, a, b in ranges:
                out[a].append(f"{prefix}=B-{label}")
                for k in range(a + 1, b):
                    out[k].append(f"{prefix}=I-{label}")
        return out


@cache
def lexicon_evidence(lexicon: Lexicon | None = None) -> LexiconEvidence:
    """The evidence features of the packaged lexicon (or of ``lexicon``)."""
    from newsan.lexicons import load_lexicon

    return LexiconEvidence(lexicon if lexicon is not None else load_lexicon())


_WORD = re.compile(r"\S+")
#: "in the region/province/city of": a name ending with one lacks the place (… بمنطقة | عسير)
_AREA_OF = frozenset({"بمنطقه", "بمحافظه", "بمدينه", "لمنطقه", "لمحافظه", "لمدينه"})
#: what follows a formula word of ``name_formulas`` (رحمه الله، عليه السلام)
_FORMULA_NEXT = frozenset({"الله", "السلام"})


def _mend_edges(
    toks: Sequence[Token],
    ranges: list[tuple[str, int, int]],
    formulas: frozenset[str],
    time_breaks: frozenset[str] = frozenset(),
    links: frozenset[str] = frozenset(),
) -> list[tuple[str, int, int]]:
    """Ends no name has: a trailing بمنطقة takes its place name (مديرية الدفاع
    المدني بمنطقة عسير), a person's name that ends with a link of a name
    (``links``: آل، بن، أبو، عبد) takes the word after it (أحمد علي آل | مريع),
    a religious formula (``formulas``, the lexicon's
    ``name_formulas``) is cut off (محمد | صلى الله عليه وسلم، فيصل | رحمه الله),
    so is a day or أمس/غدا after an organization, place or event name
    (``time_breaks``: شركة أبل | الثلاثاء الماضي), and a range that starts with
    الله (سائلا الله التوفيق) is dropped."""
    n = len(toks)
    out = []
    for label, a, b in ranges:
        if b < n and toks[b - 1].norm in _AREA_OF and toks[b].norm.isalpha():
            b += 1  # the place also stays a name of its own when it is one (عسير)
        while label == "PERS" and b < n and toks[b - 1].norm in links and len(toks[b].norm) > 1 and toks[b].norm.isalpha():
            b += 1
        cut = next(
            (
                m
                for m in range(a + 1, b)
                if toks[m].norm in formulas
                and m + 1 < n
                and toks[m + 1].norm in _FORMULA_NEXT
                or label != "PERS"
                and toks[m].norm in time_breaks
            ),
            b,
        )
        if toks[a].norm == "الله" or cut == a:
            continue
        out.append((label, a, cut))
    return out


def _person_kin_and_dates(
    toks: Sequence[Token], ranges: list[tuple[str, int, int]], kinship: frozenset[str], dates: frozenset[str]
) -> list[tuple[str, int, int]]:
    """A person's name splits at a kinship noun and never begins with one
    (هشام | شقيق | سلمان عبيدي، أبناء | ماكرون), and a "name" of date words
    only (جوان الماضي) is none."""
    out = []
    for label, a, b in ranges:
        if label != "PERS":
            out.append((label, a, b))
            continue
        if b - a > 1 and all(toks[m].norm in dates for m in range(a, b)):
            continue  # جوان الماضي: a date (الماضي alone ends names: محمد بن حمد الماضي)
        start = a
        for m in range(a, b):
            n = toks[m].norm
            if n in kinship or (n[:1] in "وف" and n[1:] in kinship):
                if m > start:
                    out.append((label, start, m))
                start = m + 1
        if b > start:
            out.append((label, start, b))
    return out


@cache
def _nationalities(lexicon: Lexicon) -> frozenset[str]:
    """The lexicon's nationality adjectives, masculine and feminine (الفرنسي،
    الفرنسية), normalized; not the ones that are also a country's name
    (السعودية): after a brand, that names the brand's branch in the country
    (زين السعودية، أرامكو السعودية)."""
    male = lexicon.words("nationality_adjectives")
    return (male | {w + "ه" for w in male}) - _places(lexicon)


def _drop_nationality(
    toks: Sequence[Token], ranges: list[tuple[str, int, int]], nations: frozenset[str], heads: dict[str, str]
) -> list[tuple[str, int, int]]:
    """A nationality adjective is no part of a name (GUIDELINES §2) where it
    describes one: at the end of a name that has no head noun, after a word
    without the article (مانشستر يونايتد | الإنجليزي، لوس أنجلوس | الأمريكية),
    and at the start of a person's name (الكولومبي | رادميل فالكاو). A head
    noun and a one-word name lose it too (صحيفة لوموند | الفرنسية); a longer
    head noun's name keeps it (وكالة أنباء فارس الإيرانية، وكالة الأنباء
    الرسمية السورية), and so
    does a name whose words agree with it in definiteness (مجلس الأمن الروسي)."""
    out = []
    for label, a, b in ranges:
        if (
            b - a > 1
            and label != "PERS"
            and toks[b - 1].norm in nations
            and not toks[b - 2].norm.startswith(_DEFINITE)
            and (
                _head_label(toks[a].norm, heads) is None
                # صحيفة لوموند | الفرنسية، نادي دورتموند | الألماني: a head noun and a one-word name
                or (b - a == 3 and not any(toks[m].norm.startswith(_DEFINITE) for m in range(a, b - 1)))
            )
        ):
            b -= 1
        if label == "PERS" and b - a > 1 and toks[a].norm in nations:
            a += 1
        if label == "PERS" and b - a == 1 and toks[a].norm in nations:
            continue  # الجزائري alone: a person described, not named
        out.append((label, a, b))
    return out


def _trim_edges(
    toks: Sequence[Token], ranges: list[tuple[str, int, int]], verbs: frozenset[str], ctx: _Context
) -> list[tuple[str, int, int]]:
    """A name never ends with a preposition-prefixed word (البنك الأهلي |
    بالاستحواذ) or a proclitic written apart (ياسين | لـ), a number (except an event's: مونديال 2022) or a verb, and
    never starts with a verb (أكد | فلان). A بـ-word stays where what follows
    the preposition is a known name or a word of the article's names (… بتونس).

    Nor does an organization, place or event name go on with an indefinite
    word after a definite one (الهيئة الوطنية للاتصالات | ممول، المجلس
    الدستوري | فوز): the words of a definite name agree in definiteness, so
    that word begins the rest of the sentence, unless it is a known name
    (المستشارة الألمانية أنجيلا ميركل, مطار الملك خالد)."""
    out = []
    for label, a, b in ranges:
        while b - a > 1:
            w = toks[b - 1].norm
            if w.isdigit() and label != "MISC" or w in verbs or w in _LONE_PROCLITICS:
                b -= 1  # (… ياسين | لـ"الصباح": a preposition written apart)
            elif w.startswith("بال") and len(w) > 5 and w[1:] not in ctx.known and w[1:] not in ctx.places:
                b -= 1
            elif label != "PERS" and _indefinite_after_definite(w, toks[b - 2].norm, ctx):
                b -= 1
            else:
                break
        # a verb, also behind و/ف (وتمنى | بلاتر)
        while b - a > 1 and (toks[a].norm in verbs or toks[a].norm[:1] in "وف" and toks[a].norm[1:] in verbs):
            a += 1
        out.append((label, a, b))
    return out


_DEFINITE = ("ال", "وال", "بال", "لل", "فال", "كال", "ولل")
#: a proclitic written as a word of its own (لـ"الصباح"، بـ «…»), normalized
_LONE_PROCLITICS = frozenset({"ل", "ب", "ك", "و", "ف"})


def _indefinite_after_definite(w: str, prev: str, ctx: _Context) -> bool:
    """``w`` is an Arabic word without the article, after a word with it, and
    no known name or place. A preposition's word (بتونس، لرويترز) is left to
    the tagger: institutions name their seat (المحكمة الابتدائية بتونس)."""
    return (
        prev.startswith(_DEFINITE)
        and len(w) >= 3
        and w.isalpha()
        and not w.isascii()
        and not w.startswith(_DEFINITE)
        and w[0] not in "بل"
        and w not in ctx.known
        and w not in ctx.places
    )


def _extend_to_given_name(
    toks: Sequence[Token], ranges: list[tuple[str, int, int]], given: frozenset[str]
) -> list[tuple[str, int, int]]:
    """A person's name that the tagger started one word late: a given name
    right before it joins it (علي | عبدالله صالح, نادية | السقاف). The word
    must be written as the name: على, the preposition, normalizes to علي too."""
    out = []
    taken = {x for _, a, b in ranges for x in range(a, b)}
    for label, a, b in ranges:
        if label == "PERS" and a and a - 1 not in taken:
            prev = toks[a - 1]
            if prev.norm in given and not prev.text.endswith("ى"):
                a -= 1
        out.append((label, a, b))
    return out


def _is_name_like(text: str) -> bool:
    """A mention needs a word of two letters or more besides the article
    (not a year, not ``ال 19``)."""
    for w in text.split():
        core = w[2:] if w.startswith("ال") else w
        if sum(c.isalpha() for c in core) >= 2:
            return True
    return False


@dataclass(frozen=True, slots=True)
class _Context:
    """What proclitic decisions may consult: words of the article and known names."""

    attested: set[str]
    known: frozenset[str]
    counts: Counter[str]
    proclitics: Sequence[str]
    names: frozenset[str]
    #: the LOC entries of the names lexicon (:func:`_places`)
    places: frozenset[str] = frozenset()
    #: the tagger's word list (:func:`_vocabulary`)
    vocab: frozenset[str] = frozenset()

    def _vocab_clitic_length(self, norm: str, person: bool) -> int:
        """The first word of a place, organization or event name, against the
        tagger's word list: a proclitic whose remainder is a listed word or a
        known name goes (بمعبر، وكولومبيا) unless the word is listed whole
        (ولاية، وزارتي). Not for people: given names begin with these letters
        too often (برهان، لسعد، بديع). Cross-validated on shared/eval/train
        (scripts/cv_entities.py, learned tagger): LOC F1 0.787 -> 0.808 with
        it; for people too, PERS F1 0.815 -> 0.793."""
        if person or norm.startswith("لل") or _bare_word(norm) in self.vocab or norm in self.known:
            return 0
        for p in self.proclitics:  # longest first
            if not norm.startswith(p) or len(norm) - len(p) < 3:
                continue
            rest = norm[len(p):]
            if rest in self.known or _bare_word(rest) in self.vocab:
                return len(p)
        return 0

    def clitic_length(self, norm: str, conjunction_only: bool = False, person: bool = False) -> int:
        """Proclitic length of a word at the start of a name (0 if none).

        Beyond :func:`strip_proclitic`: و, ل or ب before a known name part
        (لنيكولاي) is dropped; a leading و is also dropped from a word
        that occurs once in the article and is no known name (وشينجيانغ), since
        a name that really begins with و (وانغ, واشنطن) recurs or is known.
        """
        k = strip_proclitic(norm, self.attested, self.proclitics, self.names)
        if k or conjunction_only and not norm.startswith("و"):
            return k
        if self.vocab and not conjunction_only:
            k = self._vocab_clitic_length(norm, person)
            if k:
                return k
        if norm[:1] in "ولب" and norm not in self.known and len(norm) >= 5 and norm[1:] in self.known:
            return 1  # لنيكولاي: a known name part behind a one-letter proclitic
        if (
            norm.startswith("و")
            and len(norm) >= 5
            and norm not in self.known
            and self.counts[norm] <= 1
            and not norm.startswith("وال")
            and _bare_word(norm) not in self.vocab  # ولاية is a word, not و + لاية
        ):
            return 1
        return k


def _bare_word(norm: str) -> str:
    """A normalized word without its definite article, as the tagger's lists key it."""
    return norm[2:] if norm.startswith("ال") and len(norm) > 4 else norm


def _head_label(norm: str, heads: dict[str, str]) -> str | None:
    if norm in heads:
        return heads[norm]
    if norm.startswith("لل") and "ال" + norm[2:] in heads:
        return heads["ال" + norm[2:]]
    for k in (2, 1):
        if norm[:k] in ("و", "ف", "ب", "ل", "وب", "ول", "فب", "فل") and norm[k:] in heads:
            return heads[norm[k:]]
    return None


def _is_nisba(w: str) -> bool:
    """A definite nisba adjective: الروسي، السعودية، الإيطاليين."""
    if not w.startswith(("ال", "وال")):
        return False
    # -ي alone also ends short adjectives that are no nisba (القوي): ask for length
    return w.endswith(("يه", "يين", "يون", "يات")) or (w.endswith("ي") and len(w) >= 6)


def _is_adjective(w: str, adjectives: frozenset[str]) -> bool:
    """A definite adjective that may continue a name: a nisba (الروسي،
    السعودية، الإيطاليين) or a listed one (العام، الأعلى)."""
    return w in adjectives or _is_nisba(w)


@dataclass(frozen=True, slots=True)
class _Eponyms:
    """Titles that open a person's name inside a head-noun name (مطار الملك
    خالد الدولي), and the nouns that head a name only with one (مركز)."""

    titles: frozenset[str] = frozenset()
    heads: dict[str, str] = field(default_factory=dict)


def _eponym_end(toks: Sequence[Token], k: int, breakers: frozenset[str], known: frozenset[str]) -> int:
    """End of the person's name that starts at token ``k`` after an eponym
    title: خالد, عبد العزيز, محمد بن سعود, سلمان بن عبد العزيز (``k`` if none).
    The first name must be ``known`` (جامعة الإمام | تبدأ: a verb follows)."""
    n = len(toks)

    def one(k: int) -> int:
        w = toks[k].norm if k < n else ""
        if not w.isalpha() or w.startswith("ال") or w in breakers:
            return k
        if k == start and w not in known and w not in ("عبد", "ابو"):
            return k
        if w in ("عبد", "ابو") and k + 1 < n and toks[k + 1].norm.isalpha():
            return k + 2
        return k + 1

    start = k
    end = one(k)
    while end > k and end + 1 < n and toks[end].norm in ("بن", "ابن", "بنت") and end - k < 6:
        nxt = one(end + 1)
        if nxt == end + 1:
            break
        end = nxt
    return end


def _head_chunks(
    toks: Sequence[Token],
    heads: dict[str, str],
    breakers: frozenset[str],
    adjectives: frozenset[str],
    ctx: _Context,
    eponyms: _Eponyms = _Eponyms(),
) -> list[tuple[str, int, int]]:
    """Names opened by a head noun and closed by their genitives and
    adjectives: ``الاتحاد العام للفنانين العرب``, ``اتحاد كرة القدم``,
    ``جمعية الثقافة والفنون بجدة``, ``مستشفى القطيف المركزي``.

    Follows the grammar of the construct: an indefinite head (مجلس) takes one
    definite genitive (الأمن) or a construct noun + genitive (كرة القدم); a
    definite head (المحكمة) takes none. After that only adjectives (nisba or
    listed), prepositional genitives (للفنانين، لمكافحة الإرهاب، بالمنطقة)
    and one coordination (والفنون) continue the name; ب + a known place closes
    it (بجدة).
    """
    out: list[tuple[str, int, int]] = []
    n = len(toks)
    i = 0
    while i < n:
        head = toks[i].norm
        label = _head_label(head, heads) or _head_label(head, eponyms.heads)
        if label is None:
            i += 1
            continue
        j = i + 1
        definite_head = head.startswith(("ال", "وال", "بال", "لل", "فال"))
        eponym_end = j + 1
        if j < n and toks[j].norm in eponyms.titles:
            eponym_end = _eponym_end(toks, j + 1, breakers, ctx.known)
        if eponym_end > j + 1 and not definite_head:
            j = eponym_end  # مطار الملك خالد | الدولي
        elif _head_label(head, heads) is None:
            i += 1  # مركز alone heads no name
            continue
        elif not definite_head and j < n:
            w = toks[j].norm
            nxt = toks[j + 1].norm if j + 1 < n else ""
            if w.startswith("ال") and len(w) > 3 and w not in breakers:
                j += 1
            elif w.isalpha() and len(w) > 2 and w not in breakers and nxt.startswith("ال") and nxt not in breakers:
                j += 2  # construct chain: اتحاد كرة القدم
            elif w.isalpha() and len(w) > 2 and w not in breakers and nxt in ctx.places:
                j += 2  # a chain closed by a place: دوري أبطال آسيا، كأس ملك إسبانيا
            elif w in ctx.known and w.isalpha():
                j += 1  # a name: نادي برشلونة
        if j == i + 1 and not definite_head:
            i += 1
            continue
        coordinated = False
        while j < n and j - i <= 8:
            w = toks[j].norm
            nxt = toks[j + 1].norm if j + 1 < n else ""
            if w in breakers or w[:1] == "و" and w[1:] in breakers or _head_label(w, heads) is not None:
                break
            if _is_adjective(w, adjectives):
                j += 1
            elif label == "LOC" and w.startswith("ب"):
                break  # قاعة النيل | بالقاهرة: where a place is, not its name
            elif len(w) > 4 and w.startswith(("لل", "بال")):
                j += 1  # للفنانين، بالمنطقة
            elif w[:1] == "ل" and len(w) > 3 and w[1:2] != "ا" and nxt.startswith("ال") and nxt not in breakers:
                j += 2  # لمكافحة الإرهاب، لكرة القدم
            elif w.startswith("وال") and len(w) > 4 and not coordinated and not definite_head:
                coordinated = True
                j += 1  # جمعية الثقافة والفنون
            elif w.startswith("ب") and w[1:] in ctx.known and w[1:].isalpha():
                j += 1  # … بجدة، بتونس
                break
            else:
                break
        if j > i + 1:
            out.append((label, i, j))
            i = j
        else:
            i += 1
    return out


def _add_head_chunks(
    toks: Sequence[Token],
    ranges: list[tuple[str, int, int]],
    heads: dict[str, str],
    breakers: frozenset[str],
    adjectives: frozenset[str],
    ctx: _Context,
    eponyms: _Eponyms = _Eponyms(),
) -> list[tuple[str, int, int]]:
    """Add head-noun names where the tagger found nothing, or found less."""
    if not heads:
        return ranges
    result = list(ranges)
    for label, a, b in _head_chunks(toks, heads, breakers, adjectives, ctx, eponyms):
        overlapping = [r for r in result if r[1] < b and a < r[2]]
        if all(a <= r[1] and r[2] <= b and (r[2] - r[1]) < (b - a) for r in overlapping):
            result = [r for r in result if r not in overlapping] + [(label, a, b)]
    return sorted(result, key=lambda r: r[1])


def _split_coordination(
    toks: Sequence[Token],
    label: str,
    a: int,
    b: int,
    ctx: _Context,
    heads: Mapping[str, str] | None = None,
    titles: frozenset[str] = frozenset(),
) -> list[tuple[int, int]]:
    """Split a PERS or LOC range at a word that starts a new name with a
    conjunction or preposition: ``بوتين وشي`` -> ``بوتين`` + ``شي``,
    ``وانغ يي لنيكولاي باتروشيف`` -> ``وانغ يي`` + ``نيكولاي باتروشيف``.
    ORG and MISC names often contain such words (وزارة الثقافة والإعلام); an
    organization's name still ends where و joins the head noun of another
    (حزب الثوابت | والحزب الاشتراكي، البنك العالمي | والبنك المركزي: two
    names) or a title (مجلس نواب الشعب | والناطق الرسمي: no name)."""
    if label == "ORG" and heads is not None and b - a > 2:
        out_org: list[tuple[int, int]] = []
        start = a
        for i in range(a + 2, b):
            norm = toks[i].norm
            if norm[:1] != "و" or len(norm) < 4 or i - start < 2:
                continue
            rest = norm[1:]
            if "ORG" in (_head_label(rest, heads), rest.startswith("ال") and _head_label(rest[2:], heads)):
                out_org.append((start, i))
                start = i
            elif rest in titles:
                out_org.append((start, i))
                return out_org
        out_org.append((start, b))
        # a head noun alone after و (… والشرطة، … والجامعة) is no name
        return [r for k, r in enumerate(out_org) if k == 0 or r[1] - r[0] > 1]
    if label not in ("PERS", "LOC") or b - a < 2:
        return [(a, b)]
    out: list[tuple[int, int]] = []
    start = a
    for i in range(a + 1, b):
        norm = toks[i].norm
        if norm[:1] in "ول" and not norm.startswith(("ال", "بن", "ابن")) and norm not in ctx.known:
            rest = norm[1:]
            # the rest is a word of its own (seen in the article, or a known name part)
            if len(rest) >= 2 and rest in ctx.attested or len(rest) >= 3 and rest in ctx.known:
                out.append((start, i))
                start = i
    out.append((start, b))
    return out


@cache
def _name_index(lexicon: Lexicon, section: str = "names") -> tuple[dict[str, str], frozenset[str], frozenset[str]]:
    """Names lexicon: normalized name -> label, the names' first words, and every
    word-prefix of a name (so a match attempt stops as soon as no name can follow)."""
    names = lexicon.labelled(section)
    firsts = frozenset(n.split()[0] for n in names)
    prefixes = frozenset(" ".join(n.split()[:k]) for n in names for k in range(1, len(n.split()) + 1))
    return names, firsts, prefixes


@cache
def _heads_memo(lexicon: Lexicon, section: str, proclitics: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """word -> :func:`_name_heads`, remembered per lexicon section (bounded by
    :func:`_apply_names`): most words of an article were seen before."""
    return {}


def _name_heads(first: str, firsts: frozenset[str], proclitics: Sequence[str]) -> tuple[str, ...]:
    """The first words of lexicon names that the normalized word ``first`` may
    stand for: itself, itself without a proclitic, لل read as ل + ال."""
    heads = [first] if first in firsts else []
    for p in proclitics:
        if first.startswith(p) and first[len(p) :] in firsts:
            heads.append(first[len(p) :])
    if first.startswith("لل") and "ال" + first[2:] in firsts:
        heads.append("ال" + first[2:])
    return tuple(heads)


def _apply_names(
    toks: Sequence[Token],
    ranges: list[tuple[str, int, int]],
    lexicon: Lexicon,
    proclitics: Sequence[str],
    section: str = "names",
) -> list[tuple[str, int, int]]:
    """Overlay lexicon names (longest match first) on the tagger's ranges.

    Sports clubs (``section="sport_clubs"``) also take a nisba adjective that
    follows them (الترجي الرياضي، القادسية الكويتي)."""
    names, firsts, prefixes = _name_index(lexicon, section)
    if not names:
        return ranges
    ambiguous = lexicon.words("names_in_context")
    memo = _heads_memo(lexicon, section, tuple(proclitics))
    found: list[tuple[str, int, int]] = []
    i = 0
    n = len(toks)
    while i < n:
        first = toks[i].norm
        heads = memo.get(first)
        if heads is None:
            if len(memo) > 1 << 13:
                memo.clear()
            memo[first] = heads = _name_heads(first, firsts, proclitics)
        best: tuple[str, int, int] | None = None
        for h in heads:
            cand, j = h, i + 1
            if cand in names and (best is None or j > best[2]):
                best = (names[cand], i, j)
            while j < n and j - i < _MAX_NAME_TOKENS:
                cand = f"{cand} {toks[j].norm}"
                j += 1
                if cand not in prefixes:
                    break
                if cand in names and (best is None or j > best[2]):
                    best = (names[cand], i, j)
        if best and best[1] + 1 == best[2] and toks[i].norm in ambiguous:
            # a name that is also an everyday word (الخبر "the news") needs
            # the tagger's word or a place around it
            if not any(r[1] <= i < r[2] for r in ranges) and not _in_place_context(toks, i, ranges, lexicon):
                best = None
        if (
            best
            and best[1] + 1 == best[2]
            and first.startswith("ال")
            and first.endswith(("يه", "ي"))
            and i
            and toks[i - 1].norm.startswith(("ال", "وال", "بال", "لل"))
            and len(toks[i - 1].norm) > 3
            and toks[i - 1].norm not in lexicon.words("name_breakers")  # إلى السعودية
            and not any(r[1] <= i < r[2] for r in ranges)
        ):
            best = None  # a nisba after a definite noun is its adjective: القناة الرياضية السعودية، المجتمع الأهلي
        if best and section == "sport_clubs" and best[2] < n and toks[best[2]].norm.startswith("ال"):
            if _is_nisba(toks[best[2]].norm):
                best = (best[0], best[1], best[2] + 1)
        if best:
            found.append(best)
            i = best[2]
        else:
            i += 1
    if not found:
        return ranges
    # a tagger range that strictly contains a lexicon name is the longer name
    # (مجلس الأمن الروسي over مجلس الأمن): keep it
    found = [
        f for f in found
        if not any(r[1] <= f[1] and f[2] <= r[2] and r[2] - r[1] > f[2] - f[1] for r in ranges)
    ]
    taken = [False] * n
    for _, a, b in found:
        for x in range(a, b):
            taken[x] = True
    kept = [r for r in ranges if not any(taken[x] for x in range(r[1], r[2]))]
    return sorted(kept + found, key=lambda r: r[1])


_DASHES = frozenset("-–—")


def _add_outlets(
    toks: Sequence[Token], ranges: list[tuple[str, int, int]], lexicon: Lexicon
) -> list[tuple[str, int, int]]:
    """News outlets whose names are everyday words or places (الوطن، سبق،
    الرياض، الشرق الأوسط) are ORG where they stand as an outlet: alone in
    quotation marks (لـ«الشرق الأوسط»، أجرته معه "الوطن") or in a dateline
    (عين اليوم – اليمن، عبدالله البرقاوي- سبق-الرياض:); so is a radio
    station named with «أف أم» (الجوهرة أف أم، موزاييك إف إم)."""
    outlets, firsts, _ = _name_index(lexicon, "outlets")
    if not outlets:
        return ranges
    n = len(toks)
    places = _places(lexicon)
    found: list[tuple[str, int, int]] = []
    a = 0
    while a < n:
        if toks[a].norm not in firsts:
            a += 1
            continue
        b = next((a + k for k in (3, 2, 1) if " ".join(t.norm for t in toks[a : a + k]) in outlets), a)
        before = toks[a - 1].norm if a else ""
        after = toks[b].norm if b < n else ""
        quoted = before in OPENERS and after in CLOSERS
        # a dateline opens the sentence or follows the byline's dash, and the outlet
        # comes before the next dash (سبق-الرياض: الرياض is the place; so is a place
        # name in any dateline: عبدالكريم الحمد - الرياض -)
        entry = " ".join(t.norm for t in toks[a:b])
        dateline = (a == 0 or before in _DASHES) and after in _DASHES and entry not in places
        if b > a and (quoted or dateline):
            found.append(("ORG", a, b))
        a = max(b, a + 1)
    # a radio station: one word and «أف أم» / FM (الجوهرة أف أم، موزاييك إف إم، شمس FM)
    for k in range(1, n):
        fm = toks[k].text.upper() == "FM" or (toks[k].norm in ("اف", "ف") and k + 1 < n and toks[k + 1].norm == "ام")
        if fm and toks[k - 1].norm.isalpha() and len(toks[k - 1].norm) > 2 and not toks[k - 1].norm.isascii():
            end = k + 1 if toks[k].text.upper() == "FM" else k + 2
            if not any(a0 < end and k - 1 < b0 for _, a0, b0 in found):
                found.append(("ORG", k - 1, end))
    if not found:
        return ranges
    kept = [r for r in ranges if not any(r[1] < b and a < r[2] for _, a, b in found)]
    return sorted(kept + found, key=lambda r: r[1])


@cache
def _places(lexicon: Lexicon) -> frozenset[str]:
    """The LOC entries of the names lexicon (normalized)."""
    return frozenset(k for k, v in lexicon.labelled("names").items() if v == "LOC")


@cache
def _place_nouns(lexicon: Lexicon) -> frozenset[str]:
    """Nouns that head a place name (محافظة، مدينة, from ``ner_place``) without
    its prepositions: في الخبر may be "in the news"."""
    return lexicon.words("ner_place") - {normalize_word(w) for w in ("في", "من", "إلى")}


def _in_place_context(toks: Sequence[Token], i: int, ranges: list[tuple[str, int, int]], lexicon: Lexicon) -> bool:
    """Is token ``i`` after a place noun (محافظة الخبر), or coordinated with
    a place the tagger or the names lexicon found (الدمام والخبر، الخبر والقطيف)?"""

    known_places = _places(lexicon)

    def is_place(j: int) -> bool:
        if not 0 <= j < len(toks):
            return False
        norm = toks[j].norm
        bare = norm[1:] if norm.startswith("و") and len(norm) > 3 else norm
        return norm in known_places or bare in known_places or any(r[0] == "LOC" and r[1] <= j < r[2] for r in ranges)

    norm = toks[i].norm
    prev = toks[i - 1].norm if i else ""
    places = _place_nouns(lexicon)
    if prev in places or prev[:1] in "وب" and prev[1:] in places:
        return True
    if norm.startswith("و") and is_place(i - 1):
        return True
    return i + 1 < len(toks) and toks[i + 1].norm.startswith("و") and is_place(i + 1)


def _mention_span(seg: Segmented, toks: Sequence[Token], label: str, ctx: _Context) -> Span | None:
    """The raw span of a mention, without proclitic and stray punctuation."""
    toks = list(toks)
    while toks and not any(c.isalnum() for c in toks[0].norm):
        toks.pop(0)
    while toks and not any(c.isalnum() for c in toks[-1].norm):
        toks.pop()
    if not toks or label not in LABELS:
        return None
    first = toks[0]
    # للحكومة (ل + الحكومة) keeps its whole word: no substring spells الحكومة;
    # aggregate.mention_form() gives its canonical form.
    k = ctx.clitic_length(first.norm, person=label == "PERS")
    vstart = first.vstart + k
    view = seg.view
    start = view.raw_start(vstart)
    end = toks[-1].end
    if start >= end:
        return None
    return Span(start, end, view.raw[start:end], label)
