"""One article prepared for the rules (:class:`_Doc`): normalized tokens,
paragraphs, the one pairing of quotation marks, sentence ends; and the
candidate records (:class:`_Cand`, :class:`_NP`) the rules fill in.

Part of :mod:`newsan.extract.quotes` (see its docstring for the whole method).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from newsan.extract.quotes.tables import (
    _CLOSE_GLYPH,
    _FAMILY,
    _LEFT_OPEN,
    _PUNCT,
    _QUOTE_CHARS,
    _RIGHT_CLOSE,
    _TERMINATORS,
)
from newsan.model import Token
from newsan.segment import Segmented


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
    #: the one-word ORG names of the article, normalized (رويترز): after لـ an addressee
    orgs: frozenset[str] = frozenset()
    #: the article's ORG mentions: first token -> end token (exclusive)
    org_at: dict[int, int] = field(default_factory=dict)
    #: tokens glued to لـ whose rest begins an ORG mention (لموزاييك إف إم، لوكالة تونس إفريقيا للأنباء)
    org_after_l: dict[int, int] = field(default_factory=dict)
    #: the article spells the preposition على with ى, so a dotted علي is the name
    ala_spelled: bool = False
    #: every normalized token of the article (filled on first use)
    words: frozenset[str] | None = None
    #: the tokens that may be a cue, for the compiled tables they were found with
    #: (filled on first use: the rules' pass and the proposing pass share it)
    cue_scan: tuple[object, list[int]] | None = None


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


_PUNCT_CHARS = "".join(sorted(_PUNCT))


def _is_punct(n: str) -> bool:
    # (str.strip with every punctuation character: the same test as
    # all(ch in _PUNCT for ch in n), at C speed; it runs for most tokens twice)
    return bool(n) and not n.strip(_PUNCT_CHARS)
