"""BIO2 tags -> entity spans, one converter for the analyzer, the tagger and
the scorer (``newsan eval ner`` must read chunks exactly as the analyzer
lists them)."""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["spans_from_bio"]


def _split_tag(tag: str) -> tuple[str, str]:
    """('B', 'PERS') from 'B-PERS'; ('O', '_') from 'O' (seqeval's convention)."""
    return tag[:1], tag[1:].split("-", maxsplit=1)[-1] or "_"


def spans_from_bio(tags: Sequence[str]) -> list[tuple[str, int, int]]:
    """Entity spans ``(label, start, end)`` (end exclusive) from BIO tags.

    Follows seqeval's default mode: a chunk ends before B, O, or a change of
    type; an I- after O (or of another type) starts a chunk.

    >>> spans_from_bio(["B-PERS", "I-PERS", "O", "I-LOC", "I-ORG"])
    [('PERS', 0, 2), ('LOC', 3, 4), ('ORG', 4, 5)]
    """
    spans: list[tuple[str, int, int]] = []
    prev_tag, prev_type = "O", ""
    begin = 0
    for i, chunk in enumerate([*tags, "O"]):
        tag, type_ = _split_tag(chunk)
        end_chunk = (
            prev_tag in ("E", "S")
            or (prev_tag in ("B", "I") and tag in ("B", "S", "O"))
            or (prev_tag not in ("O", ".") and prev_type != type_)
        )
        if end_chunk:
            spans.append((prev_type, begin, i))
        start_chunk = (
            tag in ("B", "S")
            or (prev_tag in ("E", "S", "O") and tag in ("E", "I"))
            or (tag not in ("O", ".") and prev_type != type_)
        )
        if start_chunk:
            begin = i
        prev_tag, prev_type = tag, type_
    return spans
