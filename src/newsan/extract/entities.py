"""Named-entity mentions: tagger labels + the names lexicon -> labelled spans.

The tagger (the embedded CRF by default, see :mod:`newsan.extract.tagger`)
labels word tokens with BIO tags; :func:`bio_to_spans` turns those into token
ranges, and :func:`find_mentions` into raw-text spans with the proclitic
removed (بموسكو -> موسكو, GUIDELINES §2). Entries of the ``names`` lexicon
section override the tagger where they match.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Protocol

from newsan.lexicons import Lexicon
from newsan.model import Span, Token
from newsan.segment import Segmented

__all__ = ["Tagger", "bio_to_spans", "find_mentions", "strip_proclitic"]

LABELS = ("PERS", "LOC", "ORG", "MISC")
_MAX_NAME_TOKENS = 6


class Tagger(Protocol):
    """Anything that labels tokenized sentences with BIO2 tags."""

    def tag_sentences(self, sentences: list[list[str]]) -> list[list[str]]: ...


def bio_to_spans(tags: Sequence[str]) -> list[tuple[str, int, int]]:
    """BIO2 tags -> ``(label, start, end)`` token ranges.

    An ``I-`` tag that does not continue an entity of its label starts one,
    as seqeval does in its default mode.

    >>> bio_to_spans(["B-PERS", "I-PERS", "O", "I-LOC"])
    [('PERS', 0, 2), ('LOC', 3, 4)]
    """
    spans: list[tuple[str, int, int]] = []
    label: str | None = None
    start = 0
    for i, tag in enumerate(list(tags) + ["O"]):
        prefix, _, lab = tag.partition("-")
        if label is not None and (prefix != "I" or lab != label):
            spans.append((label, start, i))
            label = None
        if prefix in ("B", "I") and label is None and lab:
            label, start = lab, i
    return spans


def strip_proclitic(norm: str, attested: frozenset[str] | set[str], proclitics: Sequence[str]) -> int:
    """How many leading characters of a normalized word are proclitics.

    ``والصين`` -> 1 (keeps the article), ``للحكومه`` -> 1 (ل + ال contracted:
    the caller re-reads it as ال…), ``بموسكو`` -> 1 when ``موسكو`` is attested
    elsewhere. A name that merely begins with one of these letters (بكين,
    واشنطن) keeps them: what remains must be attested or start with ال.
    """
    for p in proclitics:  # longest first
        if len(norm) - len(p) < 2 or not norm.startswith(p):
            continue
        rest = norm[len(p):]
        if rest.startswith("ال") and len(rest) > 3:
            return len(p)
        if rest in attested:
            return len(p)
    return 0


@cache
def _proclitics(lexicon: Lexicon) -> tuple[str, ...]:
    return tuple(sorted(lexicon.words("proclitics"), key=len, reverse=True))


@cache
def _name_words(lexicon: Lexicon) -> frozenset[str]:
    return frozenset(w for n in lexicon.labelled("names") for w in n.split())


def find_mentions(seg: Segmented, tagger: Tagger | None, lexicon: Lexicon) -> list[Span]:
    """Labelled mention spans (label in ``Span.label``) in reading order."""
    sentences = seg.sentences
    tags: list[list[str]]
    if tagger is not None and sentences:
        tags = tagger.tag_sentences([[t.text for t in s.tokens] for s in sentences])
    else:
        tags = [["O"] * len(s.tokens) for s in sentences]

    proclitics = _proclitics(lexicon)
    attested = {t.norm for s in sentences for t in s.tokens} | _name_words(lexicon)

    spans: list[Span] = []
    for sent, stags in zip(sentences, tags):
        toks = sent.tokens
        ranges = bio_to_spans(stags)
        ranges = _apply_names(toks, ranges, lexicon, proclitics)
        for label, a, b in ranges:
            span = _mention_span(seg, toks[a:b], label, attested, proclitics)
            if span is not None:
                spans.append(span)
    return spans


@cache
def _name_index(lexicon: Lexicon) -> tuple[dict[str, str], frozenset[str], frozenset[str]]:
    """Names lexicon: normalized name -> label, the names' first words, and every
    word-prefix of a name (so a match attempt stops as soon as no name can follow)."""
    names = lexicon.labelled("names")
    firsts = frozenset(n.split()[0] for n in names)
    prefixes = frozenset(" ".join(n.split()[:k]) for n in names for k in range(1, len(n.split()) + 1))
    return names, firsts, prefixes


def _apply_names(
    toks: Sequence[Token],
    ranges: list[tuple[str, int, int]],
    lexicon: Lexicon,
    proclitics: Sequence[str],
) -> list[tuple[str, int, int]]:
    """Overlay lexicon names (longest match first) on the tagger's ranges."""
    names, firsts, prefixes = _name_index(lexicon)
    if not names:
        return ranges
    found: list[tuple[str, int, int]] = []
    i = 0
    n = len(toks)
    while i < n:
        first = toks[i].norm
        heads = [first] if first in firsts else []
        for p in proclitics:
            if first.startswith(p) and first[len(p):] in firsts:
                heads.append(first[len(p):])
        if first.startswith("لل") and "ال" + first[2:] in firsts:
            heads.append("ال" + first[2:])
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
        if best:
            found.append(best)
            i = best[2]
        else:
            i += 1
    if not found:
        return ranges
    taken = [False] * n
    for _, a, b in found:
        for x in range(a, b):
            taken[x] = True
    kept = [r for r in ranges if not any(taken[x] for x in range(r[1], r[2]))]
    return sorted(kept + found, key=lambda r: r[1])


def _mention_span(
    seg: Segmented,
    toks: Sequence[Token],
    label: str,
    attested: set[str],
    proclitics: Sequence[str],
) -> Span | None:
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
    k = strip_proclitic(first.norm, attested, proclitics)
    vstart = first.vstart + k
    view = seg.view
    start = view.raw_start(vstart)
    end = toks[-1].end
    if start >= end:
        return None
    return Span(start, end, view.raw[start:end], label)
