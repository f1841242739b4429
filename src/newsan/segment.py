"""Paragraphs, quotation-mark pairs, sentences and word tokens.

Everything is found on the normalized view (:mod:`newsan.normalize`) and
carries both view offsets (for matching) and raw offsets (for output).

Sentences end at Arabic and Latin sentence punctuation (``. ؟ ? ! ؛``) and at
line breaks, never inside a quotation: a quotation of several sentences stays
in one sentence, so its cue and its content are seen together. Quotation marks
are paired within a paragraph; a mark left open is reported as a warning and
treated as running to the end of its paragraph.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from camel_tools.tokenizers.word import simple_word_tokenize

from newsan.model import Sentence, Token
from newsan.normalize import DEFAULT, Foldings, NormalizedText, normalize

__all__ = ["QuotePair", "Segmented", "segment", "OPENERS", "CLOSERS"]

#: Opening mark -> the closing marks that may end it.
OPENERS: dict[str, str] = {
    "“": "”“",  # some outlets close with the opening glyph
    "«": "»",
    "„": "“”",
    "‹": "›",
    "‘": "’",
    '"': '"',
    "”": "”",  # texts that use ” on both sides
    "»": "«",  # reversed guillemets, frequent in RTL-typed text
}
CLOSERS = frozenset("”»“›’\"«")
QUOTE_CHARS = frozenset(OPENERS) | CLOSERS

_QUOTE_RE = re.compile("[" + re.escape("".join(sorted(QUOTE_CHARS))) + "]")
_SPLIT_RE = re.compile(r"[.؟?!؛]+|\n")


@dataclass(frozen=True, slots=True)
class QuotePair:
    """A quotation-mark pair in view offsets; ``close`` is ``None`` when unbalanced."""

    open: int
    close: int | None
    paragraph_end: int

    @property
    def inner(self) -> tuple[int, int]:
        """View span of the text between the marks."""
        end = self.close if self.close is not None else self.paragraph_end
        return self.open + 1, end

    @property
    def outer_end(self) -> int:
        return self.close + 1 if self.close is not None else self.paragraph_end


@dataclass(frozen=True, slots=True)
class Segmented:
    """The view of an article, its quotation-mark pairs, sentences and warnings."""

    view: NormalizedText
    paragraphs: tuple[tuple[int, int], ...]
    quotes: tuple[QuotePair, ...]
    sentences: tuple[Sentence, ...]
    warnings: tuple[str, ...]


def _pair_quotes(view: str, start: int, end: int, lineno: int) -> tuple[list[QuotePair], list[str]]:
    """Pair the quotation marks of one paragraph ``view[start:end]``."""
    pairs: list[QuotePair] = []
    warnings: list[str] = []
    open_at: int | None = None
    closers = ""
    for m in _QUOTE_RE.finditer(view, start, end):
        i, c = m.start(), m.group()
        if open_at is None:
            if c in OPENERS:
                open_at, closers = i, OPENERS[c]
            continue
        if c in closers:
            pairs.append(QuotePair(open_at, i, end))
            open_at = None
        elif c in OPENERS and c not in CLOSERS:
            # a new opener while one is open: nested quotation; keep the outer one
            continue
    if open_at is not None:
        pairs.append(QuotePair(open_at, None, end))
        warnings.append(f"unbalanced quotation mark {view[open_at]!r} in paragraph {lineno + 1}")
    return pairs, warnings


def _is_boundary(view: str, m: re.Match[str]) -> bool:
    """Whether a punctuation run really ends a sentence."""
    s, e = m.start(), m.end()
    if m.group() == "\n":
        return True
    if m.group() == ".":
        before = view[s - 1] if s > 0 else ""
        after = view[e] if e < len(view) else ""
        if before.isdigit() and after.isdigit():
            return False  # 3.5
        # a single letter before the period: an abbreviation such as "د." or "U.S."
        if before.isalpha() and (s < 2 or not view[s - 2].isalpha()):
            return False
        if after and after.isalpha():
            return False  # no space after: www.site.com, "لسلاحها.وكان" is rare
    return True


def segment(raw: str, foldings: Foldings = DEFAULT) -> Segmented:
    """Split ``raw`` into paragraphs, quotation pairs, sentences and tokens."""
    view = normalize(raw, foldings)
    vt = view.text
    paragraphs: list[tuple[int, int]] = []
    pos = 0
    for line in vt.split("\n"):
        paragraphs.append((pos, pos + len(line)))
        pos += len(line) + 1

    pairs: list[QuotePair] = []
    warnings: list[str] = []
    for lineno, (ps, pe) in enumerate(paragraphs):
        p, w = _pair_quotes(vt, ps, pe, lineno)
        pairs.extend(p)
        warnings.extend(w)

    # positions inside a quotation (between its marks) cannot end a sentence
    inside: list[tuple[int, int]] = [(q.open, q.outer_end) for q in pairs]
    sentences: list[Sentence] = []
    qi = 0
    start = 0
    cuts: list[int] = []
    for m in _SPLIT_RE.finditer(vt):
        while qi < len(inside) and inside[qi][1] <= m.start():
            qi += 1
        if m.group() != "\n" and qi < len(inside) and inside[qi][0] < m.start() < inside[qi][1]:
            continue
        if not _is_boundary(vt, m):
            continue
        end = m.end() if m.group() != "\n" else m.start()
        # keep a closing quotation mark that directly follows the period with its sentence
        while end < len(vt) and vt[end] in CLOSERS and m.group() != "\n":
            end += 1
        cuts.append(end)
        start = end
    cuts.append(len(vt))

    para_i = 0
    start = 0
    for cut in cuts:
        s, e = start, cut
        start = cut
        while s < e and vt[s].isspace():
            s += 1
        while e > s and vt[e - 1].isspace():
            e -= 1
        if s >= e:
            continue
        while para_i + 1 < len(paragraphs) and paragraphs[para_i][1] < s:
            para_i += 1
        tokens = _tokens(view, s, e)
        if not tokens:
            continue
        rs, re_ = view.to_raw(s, e)
        sentences.append(
            Sentence(rs, re_, raw[rs:re_], tuple(tokens), para_i, len(sentences), s, e)
        )
    return Segmented(view, tuple(paragraphs), tuple(pairs), tuple(sentences), tuple(warnings))


def _tokens(view: NormalizedText, s: int, e: int) -> list[Token]:
    """camel-tools word tokens of ``view.text[s:e]``, aligned to view and raw offsets.

    The tokens are exactly those of camel-tools' ``simple_word_tokenize``
    (white space splits words; each punctuation or symbol character of its
    charset is a token of its own; see ``tests/test_segment.py``), found in one
    regular-expression pass so their offsets come for free. Words holding
    characters where camel-tools' emoji-sequence rules could differ (anything
    past U+2000 outside the Arabic blocks) go through ``simple_word_tokenize``
    itself.
    """
    vt = view.text
    raw = view.raw
    out: list[Token] = []
    segs = view.segments
    k = max(bisect_right(view.vstarts, s) - 1, 0)
    pattern = _WORD_RE if _HAS_COMPLEX.search(vt, s, e) else _SIMPLE_WORD_RE
    for m in pattern.finditer(vt, s, e):
        i, j = m.span()
        tok = m.group()
        if m.lastgroup == "complex":
            cursor = i
            for sub in simple_word_tokenize(tok):
                a = vt.find(sub, cursor, j)
                if a < 0:
                    continue
                cursor = a + len(sub)
                rs, re_ = view.to_raw(a, cursor)
                out.append(Token(rs, re_, raw[rs:re_], sub, a, cursor))
            continue
        while segs[k][1] <= i and k + 1 < len(segs):
            k += 1
        vs, ve, rs0, re0 = segs[k]
        if vs <= i and j < ve and ve - vs == re0 - rs0:
            # inside one linear segment, not touching its end: a plain shift
            rs, re_ = i - vs + rs0, j - vs + rs0
        else:
            rs, re_ = view.to_raw(i, j)
        out.append(Token(rs, re_, raw[rs:re_], tok, i, j))
    return out


def _symbol_class() -> str:
    """camel-tools' punctuation and symbol characters outside the "complex"
    ranges: below U+2000 and in the Arabic presentation forms (40 there: ﴾ ﴿ ﷼ …,
    split off the word before them as camel-tools does)."""
    from camel_tools.tokenizers.word import _SYMBOLS_ALL

    complex_ = re.compile(_COMPLEX)
    chars = sorted(c for c in _SYMBOLS_ALL if len(c) == 1 and not complex_.match(c))
    return "".join(re.escape(c) for c in chars)


_COMPLEX = "[^\\x00-\\u1fff\\ufb50-\\ufdff\\ufe70-\\ufeff]"
_SYM = _symbol_class()
# a whole word with a "complex" character goes to camel-tools; else one symbol, or a run of others
_WORD_RE = re.compile(f"(?P<complex>\\S*{_COMPLEX}\\S*)|[{_SYM}]|[^\\s{_SYM}]+")
_SIMPLE_WORD_RE = re.compile(f"[{_SYM}]|[^\\s{_SYM}]+")
_HAS_COMPLEX = re.compile(_COMPLEX)
