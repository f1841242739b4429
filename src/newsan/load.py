"""Reading articles: files, folders, stdin and JSON Lines corpora -> :class:`Article`.

Decoding follows what Arabic news files really are: UTF-8 (with or without a
BOM), UTF-16 with a BOM, or legacy Windows-1256. A file that is none of these,
is binary, is empty or holds no Arabic yields an :class:`InputError` naming the
file and the reason; the caller reports it and moves on to the next input.
"""

from __future__ import annotations

import gzip
import io
import json
import re
import sys
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from newsan.errors import InputError
from newsan.model import Article

__all__ = ["iter_articles", "decode", "article_from_text", "expand_paths", "LoadResult"]

LoadResult = Article | InputError

_ARABIC_RE = re.compile(r"[\u0621-\u064a]")
# Windows-1256 decodes almost any byte string; only accept it when the result
# is mostly Arabic letters, spaces and ASCII punctuation.
_CP1256_ARABIC = re.compile(r"[\u0621-\u064a\s0-9.,:;!?\"'()\-،؛؟]")


def decode(data: bytes, path: str) -> tuple[str, str | None]:
    """Decode a file's bytes; returns the text and a warning (or ``None``).

    Raises :class:`InputError` for binary or undecodable data.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), None
        except UnicodeDecodeError as exc:
            raise InputError(path, f"invalid UTF-8 after the BOM at byte {exc.start + 3}") from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "decoded as UTF-16"
        except UnicodeDecodeError:
            raise InputError(path, "invalid UTF-16 after the byte-order mark") from None
    if b"\x00" in data:
        raise InputError(path, "binary data (NUL bytes), not a text file")
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        utf8_error = exc
    try:
        text = data.decode("cp1256")
    except UnicodeDecodeError:
        text = ""
    letters = [c for c in text if not c.isspace()]
    if text and letters and sum(1 for c in letters if _CP1256_ARABIC.match(c)) / len(letters) > 0.8:
        return text, "not UTF-8; decoded as Windows-1256"
    raise InputError(
        path, f"cannot decode: not UTF-8 (bad byte at {utf8_error.start}) and not Windows-1256 Arabic"
    )


def article_from_text(
    text: str,
    path: str,
    id: str | None = None,
    title: str | None = None,
    meta: dict[str, Any] | None = None,
    warnings: tuple[str, ...] = (),
) -> Article:
    """Check a decoded text and wrap it as an :class:`Article`.

    Raises :class:`InputError` for an empty text or one with no Arabic letter.
    """
    if not text.strip():
        raise InputError(path, "empty document")
    if not _ARABIC_RE.search(text):
        raise InputError(path, "no Arabic text")
    if title is None:
        title = text.split("\n", 1)[0].strip()
    if id is None:
        id = Path(path).stem if path != "-" else "stdin"
    return Article(id=id, path=path, text=text, title=title, meta=dict(meta or {}), warnings=warnings)


def _read_file(path: Path, shown: str) -> LoadResult:
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        return InputError(shown, "is a directory")
    except PermissionError:
        return InputError(shown, "permission denied")
    except OSError as exc:
        return InputError(shown, f"cannot read ({exc.strerror or exc})")
    return _from_bytes(data, shown)


def _from_bytes(data: bytes, shown: str) -> LoadResult:
    if not data.strip():
        return InputError(shown, "empty file")
    try:
        text, warning = decode(data, shown)
        return article_from_text(text, shown, warnings=(warning,) if warning else ())
    except InputError as err:
        return err


def _is_jsonl(path: Path) -> bool:
    name = path.name.lower()
    return name.endswith((".jsonl", ".jsonl.gz", ".ndjson"))


def _iter_jsonl(path: Path, shown: str) -> Iterator[LoadResult]:
    try:
        raw: BinaryIO = gzip.open(path, "rb") if path.name.lower().endswith(".gz") else open(path, "rb")
    except OSError as exc:
        yield InputError(shown, f"cannot read ({exc.strerror or exc})")
        return
    with raw:
        stream = io.TextIOWrapper(raw, encoding="utf-8-sig", errors="strict")
        lineno = 0
        try:
            for lineno, line in enumerate(stream, 1):  # noqa: B007 - lineno used after the loop
                if not line.strip():
                    continue
                yield _record(line, shown, lineno)
        except UnicodeDecodeError:
            yield InputError(f"{shown}:{lineno + 1}", "not UTF-8 text; stopped reading this corpus")
        except (OSError, EOFError, zlib.error) as exc:
            yield InputError(shown, f"corrupt or truncated file after line {lineno} ({exc})")


def _record(line: str, shown: str, lineno: int) -> LoadResult:
    where = f"{shown}:{lineno}"
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        return InputError(where, f"invalid JSON ({exc.msg})")
    if not isinstance(obj, dict):
        return InputError(where, "record is not a JSON object")
    text = obj.get("text")
    if not isinstance(text, str):
        return InputError(where, "record has no 'text' string")
    rid = str(obj["id"]) if obj.get("id") is not None else str(lineno)
    title = obj.get("title")
    if isinstance(title, str) and title.strip():
        full = f"{title.strip()}\n{text}"
        title = title.strip()
    else:
        full, title = text, None
    meta = {k: v for k, v in obj.items() if k not in ("text", "id", "title")}
    try:
        return article_from_text(full, f"{shown}#{rid}", id=rid, title=title, meta=meta)
    except InputError as err:
        return err


def expand_paths(paths: Iterable[str], glob: str = "*.txt") -> Iterator[tuple[Path | None, str]]:
    """Expand inputs to files in a stable order: ``(Path, shown)``; ``(None, "-")`` for stdin.

    Directories are searched recursively for ``glob`` and for JSON Lines corpora.
    """
    for p in paths:
        if p == "-":
            yield None, "-"
            continue
        path = Path(p)
        if path.is_dir():
            found = {f for f in path.rglob(glob) if f.is_file()}
            found |= {f for pat in ("*.jsonl", "*.jsonl.gz") for f in path.rglob(pat) if f.is_file()}
            for f in sorted(found):
                yield f, str(f)
        else:
            yield path, p


def stdin_is_jsonl(data: bytes) -> bool:
    """Whether stdin holds JSON Lines: its first non-blank line is a JSON object."""
    for line in data.split(b"\n"):
        if line.strip():
            try:
                return isinstance(json.loads(line.decode("utf-8-sig")), dict)
            except (UnicodeDecodeError, json.JSONDecodeError):
                return False
    return False


def _iter_jsonl_bytes(data: bytes, shown: str) -> Iterator[LoadResult]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        yield InputError(shown, f"not UTF-8 text (bad byte at {exc.start}); JSON Lines must be UTF-8")
        return
    # lines end at \n only: str.splitlines would also cut at U+2028 or U+001C inside a JSON string
    for lineno, line in enumerate(text.split("\n"), 1):
        if line.strip():
            yield _record(line, shown, lineno)


def iter_articles(
    paths: Iterable[str], glob: str = "*.txt", stdin: BinaryIO | None = None, input_format: str = "auto"
) -> Iterator[LoadResult]:
    """Yield an :class:`Article` or an :class:`InputError` per document, in input order.

    Stdin (``-``) is one text article, or JSON Lines (one article per line) when
    ``input_format`` is ``"jsonl"`` or, with ``"auto"``, when its first
    non-blank line is a JSON object."""
    for path, shown in expand_paths(paths, glob):
        if path is None:
            data = (stdin or sys.stdin.buffer).read()
            if input_format == "jsonl" or (input_format == "auto" and stdin_is_jsonl(data)):
                yield from _iter_jsonl_bytes(data, "-")
            else:
                yield _from_bytes(data, "-")
        elif not path.exists():
            yield InputError(shown, "no such file or directory")
        elif _is_jsonl(path):
            yield from _iter_jsonl(path, shown)
        else:
            yield _read_file(path, shown)


#: How many bytes of JSON Lines :func:`count_documents` reads at most (the file
#: sizes on disk, compressed or not): about a second on this project's machine
#: for gzip, a small part of the minutes the analysis of that much text takes.
COUNT_BUDGET = 32 << 20


def count_documents(paths: Iterable[str], glob: str = "*.txt", budget: int = COUNT_BUDGET) -> int | None:
    """How many documents :func:`iter_articles` will yield for ``paths``, or
    ``None`` when that is not cheap to know: stdin, or JSON Lines corpora
    bigger than ``budget`` bytes in all. Files count one each; a JSON Lines
    file counts its non-blank lines (each is a document or an input error).
    Used for the progress bar's total and to choose the number of workers."""
    total = 0
    for path, _shown in expand_paths(paths, glob):
        if path is None:
            return None
        if not _is_jsonl(path):
            total += 1  # a missing or unreadable file still yields one item (its error)
            continue
        try:
            size = path.stat().st_size
        except OSError:
            total += 1
            continue
        budget -= size
        if budget < 0:
            return None
        try:
            opened: BinaryIO = gzip.open(path, "rb") if path.name.lower().endswith(".gz") else open(path, "rb")
            with opened as f:
                total += sum(1 for line in f if not line.isspace())
        except (OSError, EOFError, zlib.error):
            return None  # the analysis will report it; the total is unknown
    return total
