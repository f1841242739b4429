"""Reading articles: files, folders, stdin and JSON Lines corpora -> :class:`Article`.

Decoding follows what Arabic news files really are: UTF-8 (with or without a
BOM), UTF-16 with a BOM, or a legacy 8-bit Arabic code page (Windows-1256,
ISO-8859-6, MacArabic), accepted only when the decoded text reads as Arabic
and not as mojibake. A file that is none of these, is binary, is empty, holds
no Arabic, is not a regular file (a device, a FIFO) or is larger than the size
limit yields an :class:`InputError` naming the file and the reason; the
caller reports it and moves on to the next input. In a JSON Lines corpus each
line stands alone: a bad line (invalid UTF-8 or JSON, a lone surrogate, too
deep, too large) is reported with its line number and the next line is read.
"""

from __future__ import annotations

import errno
import fnmatch
import gzip
import json
import os
import re
import stat
import sys
import unicodedata
import zlib
from collections.abc import Iterable, Iterator
from itertools import chain
from pathlib import Path
from typing import Any, BinaryIO

from newsan.errors import InputError
from newsan.model import Article

__all__ = [
    "iter_articles", "decode", "article_from_text", "expand_paths", "check_glob", "LoadResult",
    "DEFAULT_MAX_BYTES", "count_documents",
]

LoadResult = Article | InputError

#: Default size limit of one document (a file, stdin, or one JSON Lines record),
#: in bytes. The largest of the 39,387 articles of ../shared/data/news is 61 KB.
DEFAULT_MAX_BYTES = 1_000_000

# Arabic letters (hamza to yeh, without the tatweel U+0640, which is no letter)
_ARABIC_RE = re.compile(r"[\u0621-\u063a\u0641-\u064a]")
# An 8-bit code page decodes almost any byte string; only accept a decoding whose
# characters are mostly Arabic letters, spaces, digits and punctuation ...
_CODEPAGE_ARABIC = re.compile(r"[\u0621-\u064a\s0-9.,:;!?\"'()\-،؛؟]")
# ... with next to none of the accented Latin letters a wrong Arabic code page
# produces (ISO-8859-6 or MacArabic bytes read as Windows-1256 give è, ê, â ...).
_MOJIBAKE = re.compile(r"[\u00c0-\u024f]")
#: Legacy Arabic code pages, in the order they are tried.
_CODEPAGES = (("cp1256", "Windows-1256"), ("iso8859_6", "ISO-8859-6"), ("mac_arabic", "MacArabic"))


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
    for codec, name in _CODEPAGES:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if _reads_as_arabic(text):
            return text, f"not UTF-8; decoded as {name}"
    raise InputError(
        path,
        f"cannot decode: not UTF-8 (bad byte at {utf8_error.start}) and not recognizably Arabic in "
        "Windows-1256, ISO-8859-6 or MacArabic; convert it to UTF-8",
    )


def _reads_as_arabic(text: str) -> bool:
    """Whether a code-page decoding looks like Arabic text rather than mojibake."""
    chars = [c for c in text if not c.isspace()]
    if not chars:
        return False
    arabic = sum(1 for c in chars if _CODEPAGE_ARABIC.match(c))
    letters = sum(1 for c in chars if c.isalpha())
    return arabic / len(chars) > 0.8 and len(_MOJIBAKE.findall(text)) <= letters // 200


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
    # presentation forms (text pulled from PDFs) count once NFKC-folded, as the
    # analysis sees them; tatweel and diacritics alone are no Arabic text
    if not _ARABIC_RE.search(text) and not _ARABIC_RE.search(unicodedata.normalize("NFKC", text)):
        raise InputError(path, "no Arabic text")
    if title is None:
        title = text.split("\n", 1)[0].strip()
    if id is None:
        id = Path(path).stem if path != "-" else "stdin"
    return Article(id=id, path=path, text=text, title=title, meta=dict(meta or {}), warnings=warnings)


def _size(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 100_000 else f"{n:,} bytes"


def _too_large(size: int, limit: int) -> str:
    return f"too large ({_size(size)}; the limit is {_size(limit)}, set with --max-size)"


def _read_file(path: Path, shown: str, max_bytes: int) -> LoadResult:
    try:
        with open(path, "rb") as fh:
            data = fh.read(max_bytes + 1)
    except IsADirectoryError:
        return InputError(shown, "is a directory")
    except PermissionError:
        return InputError(shown, "permission denied")
    except OSError as exc:
        return InputError(shown, f"cannot read ({exc.strerror or exc})")
    if len(data) > max_bytes:  # it grew since stat()
        return InputError(shown, _too_large(len(data), max_bytes))
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


def _lines(raw: BinaryIO, max_bytes: int) -> Iterator[bytes | int]:
    """The lines of a binary stream; a line longer than ``max_bytes`` is read
    through without being kept, and given as its length (an ``int``)."""
    while True:
        line = raw.readline(max_bytes + 1)
        if not line:
            return
        if len(line) > max_bytes and not line.endswith(b"\n"):
            n = len(line)
            while more := raw.readline(1 << 20):
                n += len(more)
                if more.endswith(b"\n"):
                    break
            yield n
        else:
            yield line


#: Reason given for a JSON Lines file of newsan's own output records.
NEWSAN_OUTPUT = "holds newsan output records (no 'text'), not articles; skipped"
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
#: Deepest nesting of a record (its metadata is copied into the output).
MAX_DEPTH = 32


def _iter_jsonl(path: Path, shown: str, max_bytes: int) -> Iterator[LoadResult]:
    try:
        raw: BinaryIO = gzip.open(path, "rb") if path.name.lower().endswith(".gz") else open(path, "rb")
    except OSError as exc:
        yield InputError(shown, f"cannot read ({exc.strerror or exc})")
        return
    with raw:
        yield from _jsonl_records(_lines(raw, max_bytes), shown, max_bytes)


def _jsonl_records(lines: Iterable[bytes | int], shown: str, max_bytes: int) -> Iterator[LoadResult]:
    """The records of JSON Lines given line by line (see :func:`_lines`): each
    bad line is one :class:`InputError` with its line number, and reading goes on."""
    lineno = 0
    try:
        for lineno, data in enumerate(lines, 1):
            where = f"{shown}:{lineno}"
            if isinstance(data, int):
                yield InputError(where, "record " + _too_large(data, max_bytes))
                continue
            if lineno == 1 and data.startswith(b"\xef\xbb\xbf"):
                data = data[3:]
            try:
                line = data.decode("utf-8")
            except UnicodeDecodeError as exc:
                yield InputError(where, f"not UTF-8 text (bad byte at column {exc.start + 1})")
                continue
            if not line.strip():
                continue
            result = _record(line, shown, lineno)
            if lineno == 1 and isinstance(result, InputError) and result.reason == NEWSAN_OUTPUT:
                yield InputError(shown, NEWSAN_OUTPUT)  # one line, not one per record
                return
            yield result
    except PermissionError:
        yield InputError(shown, "permission denied")
    except (OSError, EOFError, zlib.error) as exc:
        yield InputError(shown, f"corrupt or truncated file after line {lineno} ({exc})")


def _depth(x: Any, limit: int = MAX_DEPTH) -> int:
    """Nesting depth of a JSON value, counted up to ``limit + 1``."""
    if limit < 0 or not isinstance(x, (dict, list)):
        return 0
    items = x.values() if isinstance(x, dict) else x
    return 1 + max((_depth(v, limit - 1) for v in items), default=0)


def _record(line: str, shown: str, lineno: int) -> LoadResult:
    where = f"{shown}:{lineno}"
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        return InputError(where, f"invalid JSON ({exc.msg} at column {exc.colno})")
    except RecursionError:
        return InputError(where, "invalid JSON (nested too deeply)")
    except ValueError as exc:  # an integer of more than 4,300 digits ...
        return InputError(where, f"invalid JSON ({str(exc).splitlines()[0][:100]})")
    if not isinstance(obj, dict):
        return InputError(where, "record is not a JSON object")
    text = obj.get("text")
    if not isinstance(text, str):
        if "quotes" in obj and "stats" in obj:
            return InputError(where, NEWSAN_OUTPUT)
        return InputError(where, "record has no 'text' string")
    if _SURROGATE_ESCAPE.search(line):  # a lone surrogate escape: no output could encode it
        try:
            json.dumps(obj, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError as exc:
            return InputError(where, f"invalid Unicode (lone surrogate \\u{ord(exc.object[exc.start]):04x})")
    if _depth(obj) > MAX_DEPTH:
        return InputError(where, f"record nested more than {MAX_DEPTH} levels deep")
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
        return InputError(f"{where} (id {rid})", err.reason)


def check_glob(glob: str) -> None:
    """Refuse a ``--glob`` that would reach outside the folders searched (absolute,
    ``~``, ``..``): raises :class:`ValueError` with the reason."""
    if not glob or os.path.isabs(glob) or glob.startswith("~"):
        raise ValueError(f"--glob '{glob}' must be a relative file pattern such as '*.txt'")
    if ".." in glob.replace("\\", "/").split("/"):
        raise ValueError(f"--glob '{glob}' must not contain '..' (it is matched inside each folder)")


def _same_file(a: os.stat_result, b: os.stat_result) -> bool:
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


def _unreadable(path: Path, shown: str, exc: OSError) -> InputError:
    if exc.errno == errno.ELOOP:
        return InputError(shown, "symbolic link loop")
    if isinstance(exc, PermissionError):
        return InputError(shown, "permission denied")
    if isinstance(exc, FileNotFoundError):
        return InputError(shown, "broken symbolic link" if path.is_symlink() else "no such file or directory")
    return InputError(shown, f"cannot read ({exc.strerror or exc})")


def _walk(folder: Path, glob: str, exclude: tuple[os.stat_result, ...]) -> Iterator[tuple[Path, str] | InputError]:
    """The files of ``folder`` (recursively, not through links to folders) that
    match ``glob`` or are JSON Lines corpora, sorted; unreadable subfolders and
    broken links come first as errors, never skipped silently."""
    found: list[Path] = []
    errors: list[InputError] = []

    def onerror(exc: OSError) -> None:
        where = Path(exc.filename) if exc.filename else folder
        errors.append(_unreadable(where, str(where), exc))

    for dirpath, _dirnames, filenames in os.walk(folder, onerror=onerror):
        base = Path(dirpath)
        for name in filenames:
            f = base / name
            low = name.lower()
            if not (f.relative_to(folder).match(glob) or fnmatch.fnmatch(low, "*.jsonl")
                    or fnmatch.fnmatch(low, "*.jsonl.gz")):
                continue
            try:
                st = f.stat()
            except OSError as exc:
                errors.append(_unreadable(f, str(f), exc))
                continue
            if any(_same_file(st, x) for x in exclude):
                continue  # newsan's own output file
            if stat.S_ISREG(st.st_mode):
                found.append(f)
    yield from errors
    for f in sorted(found):
        yield f, str(f)


def expand_paths(
    paths: Iterable[str], glob: str = "*.txt", exclude: Iterable[str | os.PathLike[str]] = ()
) -> Iterator[tuple[Path | None, str] | InputError]:
    """Expand inputs to files in a stable order: ``(Path, shown)``; ``(None, "-")`` for stdin.

    Directories are searched recursively for ``glob`` and for JSON Lines corpora,
    skipping the files in ``exclude`` (the output file); a folder's problems (an
    unreadable subfolder, a broken link) come as :class:`InputError` items.
    Raises :class:`ValueError` for a ``glob`` reaching outside the folder.
    """
    check_glob(glob)
    skip = []
    for e in exclude:
        try:
            skip.append(os.stat(e))
        except OSError:
            pass
    for p in paths:
        if p == "-":
            yield None, "-"
            continue
        path = Path(p)
        if path.is_dir():
            yield from _walk(path, glob, tuple(skip))
        else:
            yield path, p


def _not_a_document(path: Path, shown: str) -> InputError | None:
    """Why ``path`` cannot be read as one document, found without opening it (a
    FIFO would block): missing, a link loop, a folder, not a regular file."""
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        return _unreadable(path, shown, exc)
    if stat.S_ISDIR(mode):
        return InputError(shown, "is a directory")
    if not stat.S_ISREG(mode):
        kind = (
            "a character device" if stat.S_ISCHR(mode) else "a block device" if stat.S_ISBLK(mode)
            else "a FIFO" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode) else "special"
        )
        return InputError(shown, f"not a regular file ({kind}); pipe it to stdin as '-' instead")
    return None


def _is_json_object(line: bytes) -> bool:
    try:
        return isinstance(json.loads(line.decode("utf-8-sig")), dict)
    except (UnicodeDecodeError, ValueError, RecursionError):
        return False


def _iter_stdin(raw: BinaryIO, max_bytes: int, input_format: str) -> Iterator[LoadResult]:
    """Stdin: one text article, or JSON Lines (one article per line, read as it
    comes) when ``input_format`` is ``jsonl`` or, with ``auto``, when its first
    non-blank line is a JSON object. ``max_bytes`` bounds the article, or each record."""
    head: list[bytes | int] = []
    lines = _lines(raw, max_bytes)
    if input_format != "text":
        for line in lines:
            head.append(line)
            if isinstance(line, int) or line.strip():
                break
    first = head[-1] if head else b""
    if input_format == "jsonl" or (input_format == "auto" and isinstance(first, bytes) and _is_json_object(first)):
        yield from _jsonl_records(chain(head, lines), "-", max_bytes)
        return
    data = b"".join(x for x in head if isinstance(x, bytes))
    if any(isinstance(x, int) for x in head):
        yield InputError("-", _too_large(max_bytes + 1, max_bytes))
        return
    data += raw.read(max_bytes + 1 - len(data))
    if len(data) > max_bytes:
        yield InputError("-", _too_large(len(data), max_bytes))
    else:
        yield _from_bytes(data, "-")


def iter_articles(
    paths: Iterable[str],
    glob: str = "*.txt",
    stdin: BinaryIO | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    exclude: Iterable[str | os.PathLike[str]] = (),
    input_format: str = "auto",
) -> Iterator[LoadResult]:
    """Yield an :class:`Article` or an :class:`InputError` per document, in input order.

    ``max_bytes`` bounds one document (a file, stdin, one JSON Lines record);
    files in ``exclude`` (the output) are not read from folders. Stdin (``-``)
    is one text article or JSON Lines (see :func:`_iter_stdin`).
    """
    for entry in expand_paths(paths, glob, exclude):
        if isinstance(entry, InputError):
            yield entry
            continue
        path, shown = entry
        if path is None:
            yield from _iter_stdin(stdin or sys.stdin.buffer, max_bytes, input_format)
            continue
        err = _not_a_document(path, shown)
        if err is not None:
            yield err
        elif _is_jsonl(path):
            yield from _iter_jsonl(path, shown, max_bytes)
        elif (size := path.stat().st_size) > max_bytes:
            yield InputError(shown, _too_large(size, max_bytes))
        else:
            yield _read_file(path, shown, max_bytes)


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
    try:
        entries = list(expand_paths(paths, glob))
    except ValueError:
        return None  # a --glob the run refuses: it says so
    for entry in entries:
        if isinstance(entry, InputError):
            total += 1  # reported as one item
            continue
        path, _shown = entry
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
