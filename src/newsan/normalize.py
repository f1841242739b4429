"""A normalized *view* of the raw text, with a map back to raw offsets.

Matching (cue verbs, titles, names) runs on a view in which the noise of real
news is gone and Arabic spelling variants are folded; every result is mapped
back to the raw text, which is never modified.

The foldings are camel-tools' own (``normalize_unicode``, ``dediac_ar``,
``normalize_alef_ar``, ``normalize_alef_maksura_ar``,
``normalize_teh_marbuta_ar``), applied one raw character at a time so that
each character of the view knows the raw characters it came from. On top of
them: tatweel, direction marks, zero-width and control characters are dropped,
unusual spaces (NBSP …) become a plain space, and HTML entities (``&quot;``,
``&#8220;``) are decoded.

Characters with a one-to-one folding are handled by ``str.translate`` in bulk;
only the rare characters that are deleted or expand (diacritics, ligatures,
entities) break the identity map, so a typical article costs a few C-level
passes, not a Python loop per character.
"""

from __future__ import annotations

import html
import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

from camel_tools.utils.dediac import dediac_ar
from camel_tools.utils.normalize import (
    normalize_alef_ar,
    normalize_alef_maksura_ar,
    normalize_teh_marbuta_ar,
    normalize_unicode,
)

__all__ = ["Foldings", "NormalizedText", "normalize", "normalize_word", "core_word", "DEFAULT"]

TATWEEL = "\u0640"
#: Arabic combining marks that may trail a word (kept inside a span's raw end).
MARKS = frozenset("\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0653\u0654\u0655\u0670" + TATWEEL)
#: Invisible characters dropped from the view (direction marks, zero-width, BOM, soft hyphen).
INVISIBLE = frozenset(
    "\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    "\u2066\u2067\u2068\u2069\u061c\ufeff\u00ad\u2060"
)
#: Space-like characters that become a plain space.
SPACES = frozenset("\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000\t\r\f\v")

_ENTITY_RE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


@dataclass(frozen=True, slots=True)
class Foldings:
    """Which foldings the view applies (all on by default)."""

    unicode: bool = True  # NFKC, ligatures, presentation forms
    dediac: bool = True  # remove diacritics (harakat, shadda, sukun, dagger alef)
    tatweel: bool = True  # remove tatweel
    alef: bool = True  # أ إ آ ٱ ٲ ٳ -> ا
    yaa: bool = True  # ى -> ي
    teh: bool = True  # ة -> ه
    clean: bool = True  # drop invisible/control characters, unusual spaces -> space, decode HTML entities


DEFAULT = Foldings()
#: Only cleaning: what the user reads, minus noise (letters untouched).
CLEAN_ONLY = Foldings(unicode=True, dediac=False, tatweel=False, alef=False, yaa=False, teh=False)


@lru_cache(maxsize=65536)
def _fold_char(c: str, f: Foldings) -> str:
    """The view of one raw character under ``f`` (may be empty or several chars)."""
    if f.clean:
        if c in INVISIBLE:
            return ""
        if c in SPACES:
            return " "
        if c != "\n" and unicodedata.category(c) == "Cc":
            return ""
    s = c
    if f.unicode:
        s = normalize_unicode(s)
    if f.dediac:
        s = dediac_ar(s).replace("\u0653", "").replace("\u0654", "").replace("\u0655", "")
    if f.tatweel:
        s = s.replace(TATWEEL, "")
    if f.alef:
        # ٲ ٳ (alef with a wavy hamza, as some keyboards write أ إ) fold like أ إ
        s = normalize_alef_ar(s).replace("\u0672", "\u0627").replace("\u0673", "\u0627")
    if f.yaa:
        s = normalize_alef_maksura_ar(s)
    if f.teh:
        s = normalize_teh_marbuta_ar(s)
    return s


# Characters that are certainly unchanged by every folding: ASCII printable
# (minus '&', which may open an entity) and the plain Arabic letters, digits
# and punctuation. Everything else goes through ``_fold_char`` (cached).
_SAFE = (
    "\n !-%'-~"  # ASCII printable except '&' 
    "\u0621\u0627-\u063a\u0641-\u064a"  # Arabic letters (not hamza carriers on alef: those fold)
    "\u0660-\u0669\u060c\u061b\u061f\u066a-\u066c"
)
_UNSAFE_RE = re.compile(f"&|[^{_SAFE}]")


@lru_cache(maxsize=16)
def _translate_table(f: Foldings) -> dict[int, str]:
    """1:1 foldings of safe-range characters (done in bulk by ``str.translate``)."""
    table: dict[int, str] = {}
    for c in "\u0623\u0625\u0622\u0671\u0649\u0629":
        out = _fold_char(c, f)
        if out != c:
            table[ord(c)] = out
    return table


@dataclass(frozen=True, slots=True)
class NormalizedText:
    """The view of a raw text and its map back.

    The map is a list of segments ``(vstart, vend, rstart, rend)``: view
    characters ``[vstart, vend)`` come from raw characters ``[rstart, rend)``.
    A segment is linear when both lengths agree (character i maps to
    ``rstart + i - vstart``); otherwise (an entity, a ligature) every view
    character of it maps to the whole raw range.
    """

    raw: str
    text: str
    segments: tuple[tuple[int, int, int, int], ...]
    vstarts: tuple[int, ...]

    def _segment(self, v: int) -> tuple[int, int, int, int]:
        i = bisect_right(self.vstarts, v) - 1
        return self.segments[max(i, 0)]

    def raw_start(self, v: int) -> int:
        """Raw index where view character ``v`` begins."""
        vs, ve, rs, re_ = self._segment(v)
        return rs + (v - vs) if ve - vs == re_ - rs else rs

    def raw_end(self, v: int) -> int:
        """Raw index just after view character ``v``."""
        vs, ve, rs, re_ = self._segment(v)
        return rs + (v - vs) + 1 if ve - vs == re_ - rs else re_

    def to_raw(self, start: int, end: int) -> tuple[int, int]:
        """Map a non-empty view span ``[start, end)`` to raw offsets.

        Trailing diacritics and tatweel that the view dropped are kept inside
        the raw span, so a word's span covers the word as written.
        """
        rs = self.raw_start(start)
        re_ = self.raw_end(end - 1)
        raw = self.raw
        while re_ < len(raw) and raw[re_] in MARKS:
            re_ += 1
        return rs, re_


def normalize(raw: str, foldings: Foldings = DEFAULT) -> NormalizedText:
    """Build the normalized view of ``raw`` with its offset map.

    >>> n = normalize("قالَ الوزيــر &quot;نعم&quot;")
    >>> n.text
    'قال الوزير "نعم"'
    >>> n.to_raw(4, 10)
    (5, 13)
    """
    table = _translate_table(foldings)
    pieces: list[str] = []
    segments: list[tuple[int, int, int, int]] = []
    v = 0  # view length so far
    r = 0  # raw position consumed so far

    def plain(upto: int) -> None:
        nonlocal v, r
        if upto > r:
            chunk = raw[r:upto].translate(table)
            pieces.append(chunk)
            segments.append((v, v + len(chunk), r, upto))
            v += len(chunk)
            r = upto

    def special(rend: int, out: str) -> None:
        nonlocal v, r
        if out:
            pieces.append(out)
            segments.append((v, v + len(out), r, rend))
            v += len(out)
        r = rend

    for m in _UNSAFE_RE.finditer(raw):
        if m.start() < r:
            continue  # inside an entity already consumed
        plain(m.start())
        if m.group() == "&" and foldings.clean:
            e = _ENTITY_RE.match(raw, m.start())
            if e:
                decoded = html.unescape(e.group())
                out = "".join(_fold_char(c, foldings) for c in decoded)
                special(e.end(), out)
                continue
        c = m.group()
        out = _fold_char(c, foldings)
        if out == c:
            plain(m.end())
        elif len(out) == 1:
            # a 1:1 substitution keeps the map linear
            pieces.append(out)
            segments.append((v, v + 1, r, r + 1))
            v += 1
            r += 1
        else:
            special(m.end(), out)
    plain(len(raw))
    merged = _merge(segments)
    return NormalizedText(raw, "".join(pieces), tuple(merged), tuple(s[0] for s in merged))


def _merge(segments: list[tuple[int, int, int, int]]) -> list[tuple[int, int, int, int]]:
    """Join adjacent linear segments so lookups bisect a short list."""
    out: list[tuple[int, int, int, int]] = []
    for seg in segments:
        vs, ve, rs, re_ = seg
        if vs == ve:
            continue
        if out:
            pvs, pve, prs, pre = out[-1]
            if pve == vs and pre == rs and pve - pvs == pre - prs and ve - vs == re_ - rs:
                out[-1] = (pvs, ve, prs, re_)
                continue
        out.append(seg)
    if not out:
        out.append((0, 0, 0, 0))
    return out


@lru_cache(maxsize=1 << 14)
def normalize_word(word: str) -> str:
    """The matching form of a short string (lexicon entries, tokens)."""
    return normalize(word).text


def core_word(norm: str) -> str:
    """A normalized word without a leading و/ف and the definite article: what
    two spellings of one noun share (والخبيره, الخبيره, خبيره -> خبيره).

    و/ف goes only before the article: a word may begin with either letter
    (وزير, وزيره, والي stay whole)."""
    if norm[:1] in "وف" and norm[1:3] == "ال" and len(norm) > 5:
        norm = norm[1:]
    return norm[2:] if norm.startswith("ال") and len(norm) > 4 else norm
