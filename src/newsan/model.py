"""The records newsan produces: frozen, with character offsets into the raw text.

Every span is half-open ``[start, end)`` over the article's original text, which
is never modified, so ``article.text[span.start:span.end] == span.text`` always
holds (the project's central invariant; see ``tests/test_offsets.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """A stretch of the raw article text."""

    start: int
    end: int
    text: str
    label: str = ""


@dataclass(frozen=True, slots=True)
class Token:
    """A word token: its raw span, the normalized form used for matching, and
    its offsets in the normalized view (``vstart``, ``vend``)."""

    start: int
    end: int
    text: str
    norm: str
    vstart: int
    vend: int


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence: its raw span, its tokens and the paragraph it belongs to."""

    start: int
    end: int
    text: str
    tokens: tuple[Token, ...]
    paragraph: int
    index: int
    vstart: int
    vend: int


@dataclass(frozen=True, slots=True)
class Article:
    """One input document, decoded but otherwise untouched.

    ``text`` is the title line, a newline, then the body, exactly as a ``.txt``
    file of the article holds it. ``meta`` carries whatever else the input had
    (outlet, date, url ...).
    """

    id: str
    path: str
    text: str
    title: str = ""
    meta: dict[str, Any] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Quote:
    """An attribution (GUIDELINES §1): who said what, signalled by which cue."""

    kind: str  # "direct" | "indirect" | "mixed"
    cue: Span
    content: Span
    speaker: Span | None
    speaker_canonical: str | None
    role: Span | None
    addressee: Span | None
    addressee_canonical: str | None
    via: Span | None
    via_canonical: str | None
    sentence: int
    #: what the rules saw (licence, cue type, borrowed speaker …): features for the
    #: learned decisions of :mod:`newsan.extract.decide`, never exported
    evidence: tuple[str, ...] = ()
    #: the quotation model's probability that this is an attribution (None: rules only)
    confidence: float | None = None


@dataclass(frozen=True, slots=True)
class Entity:
    """A distinct named entity of one article (GUIDELINES §2)."""

    canonical: str
    label: str
    aliases: tuple[str, ...]
    mentions: tuple[Span, ...]

    @property
    def count(self) -> int:
        return len(self.mentions)


@dataclass(frozen=True, slots=True)
class Analysis:
    """Everything newsan found in one article."""

    article: Article
    sentences: tuple[Sentence, ...]
    quotes: tuple[Quote, ...]
    entities: tuple[Entity, ...]
    warnings: tuple[str, ...]

    @property
    def id(self) -> str:
        return self.article.id

    @property
    def text(self) -> str:
        return self.article.text
