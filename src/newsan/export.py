"""Serialization at the edge: the public JSON record, JSONL / JSON / CSV / YAML,
and atomic file writing.

The JSON Lines record is a public contract (one object per document)::

    {"id", "path", "title", "meta", "stats": {...},
     "quotes": [{"kind", "cue": S, "content": S, "speaker": S+{"canonical"} | null,
                 "role": S | null, "addressee": S+{"canonical"} | null,
                 "via": S+{"canonical"} | null, "sentence": int,
                 "confidence": float (learned quotations only)}],
     "entities": [{"canonical", "label", "aliases": [...], "count", "mentions": [S]}],
     "warnings": [...]}

where ``S = {"text", "start", "end"}`` are character offsets into the document
text and ``text[start:end] == S["text"]`` always holds.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import tempfile
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any

import yaml

from newsan.model import Analysis, Span

__all__ = ["to_dict", "span_dict", "atomic_writer", "CSV_FIELDS", "csv_rows", "dump_yaml", "CSV_TABLES", "csv_line",
           "csv_table_rows"]

FORMATS = ("table", "json", "jsonl", "csv", "yaml")


def span_dict(span: Span | None, canonical: str | None = None) -> dict[str, Any] | None:
    if span is None:
        return None
    d: dict[str, Any] = {"text": span.text, "start": span.start, "end": span.end}
    if canonical is not None:
        d["canonical"] = canonical
    return d


def to_dict(a: Analysis) -> dict[str, Any]:
    """The public record of one analysis (see the module docstring)."""
    starts = [s.start for s in a.sentences]

    def sentence_of(pos: int) -> int:
        return max(bisect_right(starts, pos) - 1, 0)

    quotes = [
        {
            "kind": q.kind,
            "cue": span_dict(q.cue),
            "content": span_dict(q.content),
            "speaker": span_dict(q.speaker, q.speaker_canonical or (q.speaker.text if q.speaker else None)),
            "role": span_dict(q.role),
            "addressee": span_dict(q.addressee, q.addressee_canonical or (q.addressee.text if q.addressee else None)),
            "via": span_dict(q.via, q.via_canonical or (q.via.text if q.via else None)),
            "sentence": q.sentence,
            **({"confidence": q.confidence} if q.confidence is not None else {}),
        }
        for q in a.quotes
    ]
    entities = [
        {
            "canonical": e.canonical,
            "label": e.label,
            "aliases": list(e.aliases),
            "count": e.count,
            "mentions": [{**(span_dict(m) or {}), "sentence": sentence_of(m.start)} for m in e.mentions],
        }
        for e in a.entities
    ]
    art = a.article
    words = sum(len(s.tokens) for s in a.sentences)
    return {
        "id": art.id,
        "path": art.path,
        "title": art.title,
        "meta": dict(art.meta),
        "stats": {
            "characters": len(art.text),
            "tokens": words,
            "sentences": len(a.sentences),
            "quotes": len(a.quotes),
            "entities": len(a.entities),
            "quotes_by_kind": {k: sum(q.kind == k for q in a.quotes) for k in ("direct", "indirect", "mixed")},
        },
        "quotes": quotes,
        "entities": entities,
        "warnings": list(a.warnings),
    }


def dumps_line(record: Mapping[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"


CSV_FIELDS = (
    "id", "path", "row_type", "kind", "cue", "content", "content_start", "content_end",
    "speaker", "speaker_canonical", "role", "addressee", "via", "sentence",
    "entity", "label", "aliases", "count",
)


def csv_rows(record: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    """Flat rows for spreadsheets: one per quotation, then one per entity."""

    def t(x: Any) -> str:
        return (x or {}).get("text") or ""

    def c(x: Any) -> str:
        return (x or {}).get("canonical") or ""

    for q in record["quotes"]:
        yield {
            "id": record["id"], "path": record["path"], "row_type": "quote", "kind": q["kind"],
            "cue": t(q["cue"]), "content": t(q["content"]),
            "content_start": q["content"]["start"], "content_end": q["content"]["end"],
            "speaker": t(q["speaker"]), "speaker_canonical": c(q["speaker"]), "role": t(q["role"]),
            "addressee": c(q["addressee"]), "via": c(q["via"]), "sentence": q["sentence"],
        }
    for e in record["entities"]:
        yield {
            "id": record["id"], "path": record["path"], "row_type": "entity", "entity": e["canonical"],
            "label": e["label"], "aliases": "|".join(e["aliases"]), "count": e["count"],
        }


def csv_header() -> str:
    buf = io.StringIO()
    csv.DictWriter(buf, fieldnames=CSV_FIELDS).writeheader()
    return buf.getvalue()


def csv_text(record: Mapping[str, Any]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=CSV_FIELDS)
    for row in csv_rows(record):
        w.writerow(row)
    return buf.getvalue()


def dump_yaml(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)


@contextlib.contextmanager
def atomic_writer(path: str | os.PathLike[str]) -> Iterator[IO[str]]:
    """Write a text file atomically: to a temporary file beside it, renamed into
    place only when the block finishes without error. A failed or interrupted
    run leaves the previous file (or none) untouched, never a half file."""
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=directory)
    try:
        # mkstemp makes the file private (0600); give it the mode a plain open() would
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


# -- spreadsheet tables: one table per file (``--table``), each row with its article's columns --

#: Columns of each ``--table``; every table starts with the article columns.
ARTICLE_COLUMNS = ("article_id", "outlet", "date", "title", "url")
CSV_TABLES: dict[str, tuple[str, ...]] = {
    "quotes": ARTICLE_COLUMNS + (
        "kind", "speaker", "speaker_canonical", "role", "addressee", "via", "cue", "content",
        "content_start", "content_end", "sentence",
    ),
    "entities": ARTICLE_COLUMNS + ("entity", "label", "aliases", "count", "first_start", "first_end"),
    # speakers: one row per article and speaker (the corpus boards are in newsan query --board)
    "speakers": ARTICLE_COLUMNS + ("speaker", "quotes", "kinds"),
}
#: Written first in a .csv file so that Excel reads it as UTF-8.
UTF8_BOM = "\ufeff"


def csv_line(cells: Iterable[Any]) -> str:
    """One CSV row (RFC 4180 quoting, ``\\r\\n`` ends). Every spreadsheet cell
    newsan writes goes through here."""
    buf = io.StringIO()
    csv.writer(buf).writerow(["" if c is None else c for c in cells])
    return buf.getvalue()


def _article_cells(record: Mapping[str, Any]) -> list[Any]:
    from newsan.aggregate import _day

    meta = record.get("meta") or {}
    return [record["id"], meta.get("outlet") or meta.get("source"), _day(meta.get("date")) or meta.get("date"),
            record.get("title"), meta.get("url")]


def csv_table_rows(record: Mapping[str, Any], table: str) -> Iterator[list[Any]]:
    """The rows of one record for a ``--table`` (columns: :data:`CSV_TABLES`)."""

    def t(x: Any) -> str:
        return (x or {}).get("text") or ""

    def c(x: Any) -> str:
        return (x or {}).get("canonical") or ""

    art = _article_cells(record)
    if table == "quotes":
        for q in record["quotes"]:
            yield art + [q["kind"], t(q["speaker"]), c(q["speaker"]), t(q["role"]), c(q["addressee"]), c(q["via"]),
                         t(q["cue"]), t(q["content"]), q["content"]["start"], q["content"]["end"], q["sentence"]]
    elif table == "entities":
        for e in record["entities"]:
            first = e["mentions"][0] if e["mentions"] else {}
            yield art + [e["canonical"], e["label"], "|".join(e["aliases"]), e["count"],
                         first.get("start"), first.get("end")]
    elif table == "speakers":
        counts: dict[str, list[Any]] = {}
        for q in record["quotes"]:
            name = c(q["speaker"]) or t(q["speaker"])
            if name:
                row = counts.setdefault(name, [0, set()])
                row[0] += 1
                row[1].add(q["kind"])
        for name, (n, kinds) in counts.items():
            yield art + [name, n, "|".join(sorted(kinds))]
    else:
        raise ValueError(f"unknown table {table!r} (choose {', '.join(CSV_TABLES)})")
