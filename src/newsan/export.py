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
import errno
import io
import json
import os
import shutil
import stat
import tempfile
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any

import yaml

from newsan.errors import OutputError
from newsan.model import Analysis, Span

__all__ = ["to_dict", "span_dict", "atomic_writer", "CSV_FIELDS", "csv_rows", "csv_safe", "dump_yaml", "CSV_TABLES",
           "csv_line", "csv_table_rows"]

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


#: First characters that make a spreadsheet read a cell as a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: Any) -> Any:
    """A cell a spreadsheet will not run: text starting with ``= + - @``, a tab
    or a carriage return gets a leading single quote (OWASP's advice); numbers
    and other text pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_rows(record: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    """Flat rows for spreadsheets: one per quotation, then one per entity.
    Text cells are made formula-safe (:func:`csv_safe`)."""
    for row in _csv_rows(record):
        yield {k: csv_safe(v) for k, v in row.items()}


def _csv_rows(record: Mapping[str, Any]) -> Iterator[dict[str, Any]]:

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


def _describe(exc: OSError) -> str:
    return exc.strerror or str(exc)


@contextlib.contextmanager
def atomic_writer(path: str | os.PathLike[str]) -> Iterator[IO[str]]:
    """Write a text file atomically: to a temporary file beside it, moved into
    place only when the block finishes without error. A failed or interrupted
    run leaves the previous file (or none) untouched, never a half file.

    What the target is decides how it is replaced:

    - a symbolic link is followed: its target is replaced, the link kept;
    - a special file (character or block device such as ``/dev/null``, FIFO,
      socket) is never replaced: the output is written straight to it;
    - an existing file keeps its permission bits; a file with several hard
      links is rewritten in place once the output is complete (a rename would
      break the links), so only that final copy is not atomic.

    Raises :class:`OutputError` (one line naming the file) when the folder is
    missing or not writable, the target is a folder, or writing fails (disk full).
    """
    shown = os.fspath(path)
    target = Path(os.path.realpath(path))
    try:
        st: os.stat_result | None = target.stat()
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise OutputError(f"{shown}: cannot write ({_describe(exc)})", usage=True) from None
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise OutputError(f"{shown}: is a directory", usage=True)
    if st is not None and not stat.S_ISREG(st.st_mode):
        try:
            fh = open(target, "w", encoding="utf-8", newline="")
        except OSError as exc:
            raise OutputError(f"{shown}: cannot write ({_describe(exc)})", usage=True) from None
        try:
            with fh:
                yield fh
        except OSError as exc:
            if exc.errno == errno.EPIPE:
                raise
            raise OutputError(f"{shown}: cannot write ({_describe(exc)})") from None
        return
    directory = target.parent
    if not directory.is_dir():
        raise OutputError(f"{shown}: cannot write: folder {directory} does not exist", usage=True)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=directory)
    except OSError as exc:
        raise OutputError(f"{shown}: cannot write in {directory} ({_describe(exc)})", usage=True) from None
    try:
        if st is not None:
            mode = stat.S_IMODE(st.st_mode)
        else:  # mkstemp makes the file private (0600); give it the mode a plain open() would
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp, mode)
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
                yield fh
                fh.flush()
                os.fsync(fh.fileno())
            if st is not None and st.st_nlink > 1:
                with open(tmp, "rb") as src, open(target, "r+b") as dst:
                    shutil.copyfileobj(src, dst, 1 << 20)
                    dst.truncate()
                    dst.flush()
                    os.fsync(dst.fileno())
                os.unlink(tmp)
            else:
                os.replace(tmp, target)
        except OSError as exc:
            if exc.errno == errno.EPIPE:
                raise
            raise OutputError(f"{shown}: cannot write ({_describe(exc)}); the previous file is left as it was") from None
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
    csv.writer(buf).writerow(["" if c is None else csv_safe(c) for c in cells])
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
