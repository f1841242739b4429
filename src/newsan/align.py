"""Gold quotations (text only) -> spans on the analyzer's tokens.

The gold files of ``shared/eval`` give each quotation as strings (GUIDELINES
§1.3: ``cue``, ``content``, ``speaker``, ``speaker_canonical``, ``addressee``,
``via``), without offsets. Training the quotation decisions needs them as
token spans, so :func:`align_article` places each string among the tokens of
:func:`newsan.segment.segment` (the tokens the analyzer itself reads):

- strings and tokens are compared as the entity projection compares them
  (:func:`newsan.projection.form_keys`: the analyzer's normalized form, white
  space removed); punctuation and quotation marks at the edges of the gold
  string are not significant (the content's final period, its marks);
- ``content`` is placed where its text occurs; when several gold quotations
  of an article share the same content, the i-th takes the i-th of the chosen
  occurrences in reading order; when there are more occurrences than
  quotations, those nearest an occurrence of the quotation's cue are chosen;
- ``cue``: the occurrence nearest the content, before it or right after it,
  outside it; its first word may carry a proclitic و/ف (the lexicon's
  proclitics, through :func:`newsan.projection.proclitic_prefixes`);
- ``speaker``: the occurrence nearest the cue, preferring the cue's sentence
  and, outside it, an earlier mention (a dropped subject names the nearest
  earlier mention, GUIDELINES §1.3); any proclitic of the lexicon may be
  attached, the span starts after it;
- ``antecedent``: when ``speaker_canonical`` differs from ``speaker``, the
  nearest occurrence of ``speaker_canonical`` before the local speaker mention;
- ``addressee`` and ``via``: the occurrence nearest the cue (their gold form is
  the canonical name, so the aliases of the gold entity of that name are tried
  when the form itself does not occur).

Every placed span is ``(start, end)`` into the raw text, on token boundaries: it
starts at a token start, or after a proclitic inside its first token, and ends
at a token end; ``text[start:end]`` is its ``text``. Read back through the same
normalization it gives the gold string (:func:`reread`), except that a span
after a proclitic ل contracted with the article (للحكومة) reads ``لحكومة``
for ``الحكومة`` (``contracted`` is set).

What cannot be placed is reported with a reason (:data:`REASONS`).
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from newsan.lexicons import Lexicon, load_lexicon
from newsan.model import Token
from newsan.projection import form_keys, match_forms, proclitic_prefixes
from newsan.segment import QUOTE_CHARS, Segmented, segment

__all__ = [
    "FIELDS",
    "REASONS",
    "AlignedArticle",
    "AlignedQuote",
    "AlignedSpan",
    "AlignReport",
    "align_article",
    "align_dir",
    "edge_key",
    "reread",
]

#: The fields placed, in report order.
FIELDS = ("content", "cue", "speaker", "antecedent", "addressee", "via")

ABSENT = "absent from the text"
INSIDE_WORD = "only inside a longer word"
TOO_FEW = "fewer occurrences than gold quotations with this content"
NO_ANCHOR = "ambiguous: several occurrences, no placed content or cue to choose by"
#: Every reason an item may be left unplaced.
REASONS = (ABSENT, INSIDE_WORD, TOO_FEW, NO_ANCHOR)


@dataclass(frozen=True, slots=True)
class AlignedSpan:
    """A placed gold string: raw offsets, the tokens it covers ``[first, last)``
    (indices into :attr:`AlignedArticle.tokens`), and how it was placed."""

    start: int
    end: int
    text: str
    first: int
    last: int
    #: the gold string placed (an alias of the gold entity when ``note`` says so)
    form: str = ""
    #: the span starts after a proclitic ل that stands for ل + ال (للحكومة)
    contracted: bool = False
    #: how the occurrence was chosen when it was not the plain case ("" otherwise)
    note: str = ""
    #: how many occurrences of the form the article has (> 1: chosen by position)
    occurrences: int = 1

    def as_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"start": self.start, "end": self.end, "text": self.text,
                             "tokens": [self.first, self.last], "form": self.form}
        if self.contracted:
            d["contracted"] = True
        if self.note:
            d["note"] = self.note
        if self.occurrences > 1:
            d["occurrences"] = self.occurrences
        return d


@dataclass
class AlignedQuote:
    """One gold quotation with its placed spans and the reasons for the rest."""

    index: int
    gold: dict[str, Any]
    spans: dict[str, AlignedSpan] = field(default_factory=dict)
    #: field -> why it was not placed (only fields with a gold string)
    unplaced: dict[str, str] = field(default_factory=dict)

    def wanted(self) -> dict[str, str]:
        """The fields this quotation asks to place -> their gold string."""
        return _wanted(self.gold)


@dataclass
class AlignedArticle:
    """An article's tokens (all sentences, reading order) and its aligned quotations."""

    id: str
    text: str
    tokens: tuple[Token, ...]
    #: sentence index of each token
    sentence_of: tuple[int, ...]
    quotes: list[AlignedQuote]


@dataclass
class AlignReport:
    """Placed / unplaced counts per field over a set of articles, and the unplaced items."""

    articles: int = 0
    quotes: int = 0
    gold: Counter[str] = field(default_factory=Counter)
    placed: Counter[str] = field(default_factory=Counter)
    #: placed items whose form occurs several times in the article (the occurrence chosen by position)
    several: Counter[str] = field(default_factory=Counter)
    reasons: dict[str, Counter[str]] = field(default_factory=dict)
    #: (article id, quote index, field, gold string, reason)
    unplaced: list[tuple[str, int, str, str, str]] = field(default_factory=list)
    #: (file, reason) of gold pairs that could not be read
    errors: list[tuple[str, str]] = field(default_factory=list)

    def add(self, art: AlignedArticle) -> None:
        self.articles += 1
        for q in art.quotes:
            self.quotes += 1
            for f, s in q.wanted().items():
                self.gold[f] += 1
                if f in q.spans:
                    self.placed[f] += 1
                    self.several[f] += q.spans[f].occurrences > 1
                else:
                    reason = q.unplaced[f]
                    self.reasons.setdefault(f, Counter())[reason] += 1
                    self.unplaced.append((art.id, q.index, f, s, reason))

    def as_dict(self, show_unplaced: bool = False) -> dict[str, Any]:
        fields = {
            f: {
                "gold": self.gold[f],
                "placed": self.placed[f],
                "unplaced": self.gold[f] - self.placed[f],
                "placed_among_several": self.several[f],
                "reasons": dict(self.reasons.get(f, Counter()).most_common()),
            }
            for f in FIELDS
        }
        d: dict[str, Any] = {"articles": self.articles, "quotes": self.quotes, "fields": fields}
        if self.errors:
            d["errors"] = [{"file": p, "reason": r} for p, r in self.errors]
        if show_unplaced:
            d["unplaced"] = [
                {"id": a, "quote": i, "field": f, "gold": s, "reason": r} for a, i, f, s, r in self.unplaced
            ]
        return d


def _is_edge(c: str) -> bool:
    return c in QUOTE_CHARS or unicodedata.category(c)[0] in "PZ" or c.isspace()


def edge_key(s: str) -> str:
    """A gold string as the aligner compares it: :func:`newsan.projection.form_keys`
    (normalized, no white space) without punctuation or quotation marks at the
    edges, unless it is nothing but punctuation (the cue of «X: "…"» is ``:``)."""
    key = form_keys(s)
    a, b = 0, len(key)
    while a < b and _is_edge(key[a]):
        a += 1
    while b > a and _is_edge(key[b - 1]):
        b -= 1
    return key[a:b] or key


def reread(text: str, span: AlignedSpan) -> str:
    """The span's text read back through the normalization (:func:`edge_key`);
    for a contracted span (لحكومة of للحكومة) the article's alef is restored."""
    key = edge_key(text[span.start:span.end])
    return "ا" + key if span.contracted else key


def _wanted(gold: dict[str, Any]) -> dict[str, str]:
    out: dict[str, str] = {}
    for f in ("content", "cue", "speaker", "addressee", "via"):
        v = gold.get(f)
        if isinstance(v, str) and v.strip():
            out[f] = v
    canon = gold.get("speaker_canonical")
    if isinstance(canon, str) and canon.strip() and "speaker" in out and edge_key(canon) != edge_key(out["speaker"]):
        out["antecedent"] = canon
    return {f: out[f] for f in FIELDS if f in out}


# an occurrence: (first token, last token exclusive, written proclitic, what it stands for)
_Occ = tuple[int, int, str, str]


class _Finder:
    """Occurrences of keys among one article's tokens, cached per key."""

    def __init__(self, seg: Segmented, tokens: Sequence[Token], sentence_of: Sequence[int], lexicon: Lexicon) -> None:
        self.seg = seg
        self.tokens = tokens
        self.sentence_of = sentence_of
        self.cue = proclitic_prefixes(lexicon, allowed="وف")
        self.mention = proclitic_prefixes(lexicon)
        self.flat = "".join(t.norm for t in tokens)
        self._cache: dict[tuple[str, int], list[_Occ]] = {}

    def find(self, key: str, prefixes: list[tuple[str, str]]) -> list[_Occ]:
        ck = (key, id(prefixes))
        if ck not in self._cache:
            self._cache[ck] = match_forms(self.tokens, key, prefixes) if key else []
        return self._cache[ck]

    def missing(self, key: str) -> str:
        """Why ``key`` has no occurrence at token boundaries."""
        return INSIDE_WORD if key in self.flat else ABSENT

    def span(self, occ: _Occ, form: str, note: str = "") -> AlignedSpan:
        i, j, written, stands = occ
        tok = self.tokens[i]
        skip = len(written) - 1 if stands else len(written)
        start = self.seg.view.raw_start(tok.vstart + skip) if skip else tok.start
        end = self.tokens[j - 1].end
        raw = self.seg.view.raw
        return AlignedSpan(start, end, raw[start:end], i, j, form, bool(stands), note)


def _gap(a: tuple[int, int], b: tuple[int, int]) -> int:
    """Tokens between two token ranges (0 when adjacent or overlapping)."""
    if a[1] <= b[0]:
        return b[0] - a[1]
    if b[1] <= a[0]:
        return a[0] - b[1]
    return 0


def _overlaps(a: tuple[int, int], b: tuple[int, int] | None) -> bool:
    return b is not None and a[0] < b[1] and b[0] < a[1]


def _cue_rank(occ: _Occ, content: tuple[int, int], sentence_of: Sequence[int]) -> tuple[int, int]:
    """Cues before the content by distance; a cue right after it in the same
    sentence (within a few tokens: «…» قال فلان) ranks with them, other later
    ones after all earlier ones."""
    if occ[1] <= content[0]:
        return (0, content[0] - occ[1])
    d = occ[0] - content[1]
    return (0, d) if d <= 3 and sentence_of[occ[0]] == sentence_of[content[1] - 1] else (1, d)


def _nearest(
    occs: Iterable[_Occ],
    anchor: tuple[int, int],
    sentence_of: Sequence[int],
    avoid: Sequence[tuple[int, int] | None],
    earlier_first: bool,
) -> tuple[_Occ, str] | None:
    """The occurrence nearest ``anchor``: in the anchor's sentence first, then
    (``earlier_first``) earlier ones before later ones; occurrences overlapping
    an ``avoid`` range only when nothing else is left."""
    sent = sentence_of[anchor[0]]
    best: tuple[tuple[int, int, int, int], _Occ] | None = None
    for o in occs:
        r = (o[0], o[1])
        if r == anchor:
            continue
        inside = int(any(_overlaps(r, a) for a in avoid))
        same = sentence_of[o[0]] == sent or sentence_of[o[1] - 1] == sent
        later = int(earlier_first and not same and o[0] >= anchor[1])
        key = (inside, 0 if same else 1, later, _gap(r, anchor))
        if best is None or key < best[0]:
            best = (key, o)
    if best is None:
        return None
    note = "overlaps the content or the cue" if best[0][0] else ""
    return best[1], note


def _only(occs: list[_Occ]) -> _Occ | None:
    return occs[0] if len(occs) == 1 else None


def align_article(
    text: str, gold: dict[str, Any], lexicon: Lexicon | None = None, article_id: str = ""
) -> AlignedArticle:
    """Place the gold quotations of one article on its tokens (see module doc)."""
    lexicon = lexicon or load_lexicon()
    seg = segment(text)
    tokens: list[Token] = []
    sentence_of: list[int] = []
    for s, sent in enumerate(seg.sentences):
        tokens.extend(sent.tokens)
        sentence_of.extend([s] * len(sent.tokens))
    finder = _Finder(seg, tokens, sentence_of, lexicon)
    raw_quotes = gold.get("quotes") or []
    quotes = [AlignedQuote(k, q if isinstance(q, dict) else {}) for k, q in enumerate(raw_quotes)]
    art = AlignedArticle(article_id or str(gold.get("id", "")), text, tuple(tokens), tuple(sentence_of), quotes)
    entities = [e for e in gold.get("entities") or [] if isinstance(e, dict)]

    def fail(q: AlignedQuote, f: str, reason: str) -> None:
        q.unplaced[f] = reason

    # content: group the quotations by content key, give each its own occurrence
    groups: dict[str, list[AlignedQuote]] = {}
    for q in quotes:
        c = q.wanted().get("content")
        if c is not None:
            groups.setdefault(edge_key(c), []).append(q)
    for key, group in groups.items():
        occs = finder.find(key, finder.mention)
        if not occs:
            for q in group:
                fail(q, "content", finder.missing(key))
            continue
        note = ""
        if len(occs) > len(group):
            occs = _closest_to_cues(occs, group, finder)
            note = f"{len(occs)} of {len(finder.find(key, finder.mention))} occurrences, nearest the cue"
        for q, occ in zip(group, occs, strict=False):
            q.spans["content"] = finder.span(occ, q.wanted()["content"], note)
        for q in group[len(occs):]:
            fail(q, "content", TOO_FEW)

    for q in quotes:
        want = q.wanted()
        content = q.spans.get("content")
        c_range = (content.first, content.last) if content else None
        # cue
        if "cue" in want:
            key = edge_key(want["cue"])
            occs = finder.find(key, finder.cue)
            if not occs:
                fail(q, "cue", finder.missing(key))
            elif c_range is not None:
                outside = [o for o in occs if not _overlaps((o[0], o[1]), c_range)]
                if outside:
                    best = min(outside, key=lambda o: _cue_rank(o, c_range, sentence_of))
                    q.spans["cue"] = finder.span(best, want["cue"])
                else:
                    q.spans["cue"] = finder.span(occs[0], want["cue"], "inside the content")
            elif (only := _only(occs)) is not None:
                q.spans["cue"] = finder.span(only, want["cue"], "the only occurrence")
            else:
                fail(q, "cue", NO_ANCHOR)
        cue = q.spans.get("cue")
        anchor = (cue.first, cue.last) if cue else c_range
        avoid = [c_range, (cue.first, cue.last) if cue else None]
        # speaker, addressee, via: nearest the cue (or the content)
        for f in ("speaker", "addressee", "via"):
            if f not in want:
                continue
            key = edge_key(want[f])
            forms = dict.fromkeys(finder.find(key, finder.mention), want[f])
            note = ""
            if not forms and f != "speaker":
                forms = _by_alias(want[f], entities, finder)
                note = "an alias of the gold entity"
            occs = list(forms)
            if not occs:
                fail(q, f, finder.missing(key))
                continue
            if anchor is None:
                if (only := _only(occs)) is not None:
                    q.spans[f] = finder.span(only, forms[only], "the only occurrence")
                else:
                    fail(q, f, NO_ANCHOR)
                continue
            found = _nearest(occs, anchor, sentence_of, avoid, earlier_first=(f == "speaker"))
            if found is None:  # the only occurrence is the anchor itself
                fail(q, f, ABSENT)
                continue
            occ, where = found
            q.spans[f] = finder.span(occ, forms[occ], "; ".join(n for n in (note, where) if n))
        # antecedent: the nearest earlier occurrence of speaker_canonical
        if "antecedent" in want:
            key = edge_key(want["antecedent"])
            occs = finder.find(key, finder.mention)
            if not occs:
                fail(q, "antecedent", finder.missing(key))
                continue
            sp = q.spans.get("speaker")
            mention = (sp.first, sp.last) if sp else anchor
            if mention is None:
                if (only := _only(occs)) is not None:
                    q.spans["antecedent"] = finder.span(only, want["antecedent"], "the only occurrence")
                else:
                    fail(q, "antecedent", NO_ANCHOR)
                continue
            earlier = [o for o in occs if o[0] < mention[0] or (o[0] == mention[0] and o[1] > mention[1])]
            if earlier:
                nearest = max(earlier, key=lambda o: (o[0], -o[1]))
                q.spans["antecedent"] = finder.span(nearest, want["antecedent"])
            else:
                later = [o for o in occs if (o[0], o[1]) != mention]
                if later:
                    q.spans["antecedent"] = finder.span(min(later), want["antecedent"], "after the speaker mention")
                else:
                    fail(q, "antecedent", ABSENT)
    for q in quotes:
        for f, span in q.spans.items():
            n = len(finder.find(edge_key(span.form), finder.cue if f == "cue" else finder.mention))
            q.spans[f] = replace(span, occurrences=n)
    return art


def _closest_to_cues(occs: list[_Occ], group: list[AlignedQuote], finder: _Finder) -> list[_Occ]:
    """The ``len(group)`` occurrences of a repeated content nearest an occurrence
    of one of the group's cues, in reading order."""
    cues = []
    for q in group:
        c = q.wanted().get("cue")
        if c is not None:
            cues.extend(finder.find(edge_key(c), finder.cue))

    def rank(o: _Occ) -> tuple[int, int]:
        r = (o[0], o[1])
        ranks = [_cue_rank(c, r, finder.sentence_of) for c in cues if not _overlaps((c[0], c[1]), r)]
        return min(ranks) if ranks else (2, 0)

    chosen = sorted(occs, key=lambda o: (rank(o), o[0]))[: len(group)]
    return sorted(chosen)


def _by_alias(form: str, entities: Sequence[dict[str, Any]], finder: _Finder) -> dict[_Occ, str]:
    """Occurrences of the other forms of the gold entity named ``form`` (its
    canonical name or one of its aliases) -> the form found there."""
    key = edge_key(form)
    for e in entities:
        forms = [e.get("canonical"), *(e.get("aliases") or [])]
        forms = [f for f in forms if isinstance(f, str) and f.strip()]
        if key not in {edge_key(f) for f in forms}:
            continue
        occs: dict[_Occ, str] = {}
        for f in forms:
            for o in finder.find(edge_key(f), finder.mention):
                occs.setdefault(o, f)
        if occs:
            return occs
    return {}


def align_dir(
    folder: str | Path,
    lexicon: Lexicon | None = None,
    on_error: Callable[[Path, str], None] | None = None,
) -> tuple[list[AlignedArticle], AlignReport]:
    """Align every NNN.txt / NNN.json pair of a gold folder (read by
    :func:`newsan.evaluate.gold_articles`, as the analyzer reads text). Pairs
    that cannot be read are listed in the report's ``errors`` (and passed to
    ``on_error``) and the rest still run."""
    from newsan.evaluate import gold_articles

    lexicon = lexicon or load_lexicon()
    report = AlignReport()

    def err(path: Path, reason: str) -> None:
        report.errors.append((str(path), reason))
        if on_error is not None:
            on_error(path, reason)

    arts = []
    for article, gold in gold_articles(folder, on_error=err):
        art = align_article(article.text, gold, lexicon, article.id)
        report.add(art)
        arts.append(art)
    return arts, report
