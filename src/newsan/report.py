"""``newsan report``: one self-contained HTML file to explore what ``analyze`` found.

The page opens offline in any browser: CSS, script and data are inline and a
strict Content-Security-Policy (``default-src 'none'``, the script by nonce)
forbids every fetch. The data travels as JSON in ``<script
type="application/json">`` blocks; the script (``templates/report.js``) draws
everything from it on demand:

- filters by name (several at once), outlet, date range, entity label,
  quotation kind and speaker type, plus an Arabic-insensitive search; they
  combine, and live in the URL's hash (``#name=…&kind=direct``), so a view can
  be bookmarked or sent;
- every chart and list follows the filters: top speakers, top entities per
  label, entities named together, quotations per outlet, a weekly or monthly
  timeline (drag across it to select a date range), the quotations (with a
  copyable citation each, and a CSV export of the filtered ones), the
  articles;
- a view per name: everything a speaker said by date and outlet, where an
  entity is mentioned, with links to the articles;
- an article's text, with entities and quotations marked, is built only when
  it is opened, so 40,000 articles stay usable (bench/bench_report.py).

Safety: the script builds the page with DOM text nodes only (never
``innerHTML`` with data), so no article text can become markup; the JSON is
written with ``<``, ``>`` and ``&`` as ``\u003c`` …, so no text can close
the ``<script>`` element. Spans whose offsets do not match the text are
dropped with a warning shown on the article.

Memory stays flat for big corpora: documents are written to the page one by
one as they are analyzed; only the corpus totals are kept.
"""

from __future__ import annotations

import datetime as _dt
import json
import secrets
import sys
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from markupsafe import Markup

from newsan.errors import InputError
from newsan.model import Article

if TYPE_CHECKING:  # imported where used, so that `newsan --help` stays fast
    from jinja2 import Environment

    from newsan.aggregate import CorpusSummary

# and report_command, the click command (built on first access, see __getattr__ at the end)
__all__ = ["LABELS", "ReportStats", "doc_data", "json_for_script", "write_report"]

LABELS = ("PERS", "LOC", "ORG", "MISC")
KINDS = ("direct", "indirect", "mixed")
#: Speaker types: the label of the entity the speaker is, a descriptive source
#: with no name (مصادر مطلعة, الوزير), or no speaker found.
SPEAKER_TYPES = (*LABELS, "source", "unknown")

_JSON_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026",
                 0x2028: "\\u2028", 0x2029: "\\u2029"}


def json_for_script(data: Any) -> Markup:
    """JSON that is safe inside a ``<script>`` element: ``<``, ``>``, ``&``
    (and the JavaScript line separators) are written as escapes, so no string
    can end the element or open a comment, and ``JSON.parse`` returns the
    original strings."""
    s = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_JSON_ESCAPES)
    return Markup(s)


def _name(span: Mapping[str, Any] | None) -> str | None:
    """The name a speaker/addressee/via span stands for: its canonical form or text."""
    if not span:
        return None
    name = span.get("canonical") or span.get("text")
    return " ".join(str(name).split()) or None if name else None


def _check(span: Mapping[str, Any] | None, text: str, what: str, problems: list[str]) -> tuple[int, int] | None:
    """``(start, end)`` of a span that lies in the text and matches it, else None (and a warning)."""
    if not span:
        return None
    try:
        s, e = int(span["start"]), int(span["end"])
    except (KeyError, TypeError, ValueError):
        problems.append(f"report: a {what} span has no offsets")
        return None
    if not 0 <= s < e <= len(text):
        problems.append(f"report: a {what} span ({s}-{e}) is not within the text")
        return None
    if span.get("text") is not None and text[s:e] != span["text"]:
        problems.append(f"report: a {what} span ({s}-{e}) does not match its text")
        return None
    return s, e


def _url(meta: Mapping[str, Any]) -> str:
    url = meta.get("url")
    return url if isinstance(url, str) and url.startswith(("http://", "https://")) else ""


def doc_data(index: int, article: Article, record: Mapping[str, Any]) -> dict[str, Any]:
    """One document as the page's script reads it (short keys: 40,000 of
    them travel in the file). Quotations are lists ``[kind, cue start, cue
    end, content start, content end, speaker, speaker start, speaker end,
    speaker type, role, addressee, via]``; entities ``[canonical, label,
    count, aliases, [start, end, sentence, …]]``."""
    from newsan.aggregate import _day

    text = article.text
    problems: list[str] = []
    meta = record.get("meta") or {}
    entities = []
    label_of: dict[str, str] = {}
    for e in record.get("entities", []):
        label = str(e.get("label", ""))
        marks: list[int] = []
        for m in e.get("mentions", []):
            ok = _check(m, text, "mention", problems)
            if ok:
                marks += [ok[0], ok[1], int(m.get("sentence") or 0)]
        canonical = str(e.get("canonical", ""))
        label_of.setdefault(canonical, label)
        entities.append([canonical, label, int(e.get("count", len(marks) // 3)),
                         [str(a) for a in e.get("aliases", [])], marks])
    quotes = []
    for q in record.get("quotes", []):
        cue = _check(q.get("cue"), text, "cue", problems) or (0, 0)
        content = _check(q.get("content"), text, "content", problems)
        if content is None:
            continue
        speaker = _name(q.get("speaker"))
        sp = _check(q.get("speaker"), text, "speaker", problems) or (0, 0)
        stype = "unknown" if speaker is None else label_of.get(speaker, "source")
        quotes.append([str(q.get("kind", "")), cue[0], cue[1], content[0], content[1], speaker, sp[0], sp[1], stype,
                       (q.get("role") or {}).get("text"), _name(q.get("addressee")), _name(q.get("via"))])
    outlet = meta.get("outlet") or meta.get("source")
    return {
        "n": index,
        "id": str(record.get("id") or article.id),
        "t": str(record.get("title") or article.title or article.id),
        "o": str(outlet).strip() if outlet else "",
        "d": _day(meta.get("date")) or "",
        "u": _url(meta),
        "p": str(record.get("path") or article.path),
        "x": text,
        "w": [str(w) for w in record.get("warnings", [])] + problems,
        "q": quotes,
        "e": entities,
    }


# --------------------------------------------------------------------------- the page


@cache
def _env() -> Environment:
    from jinja2 import Environment, PackageLoader, select_autoescape

    return Environment(loader=PackageLoader("newsan", "templates"), autoescape=select_autoescape(["html", "j2"]),
                       trim_blocks=True, lstrip_blocks=True)


@cache
def _asset(name: str) -> Markup:
    text = resources.files("newsan").joinpath("templates", name).read_text(encoding="utf-8")
    assert "</" + ("style" if name.endswith(".css") else "script") not in text.lower()
    return Markup(text)


@dataclass
class ReportStats:
    documents: int = 0
    quotes: int = 0
    mentions: int = 0
    bytes: int = 0


class _Counter:
    """A text sink that counts what passes through (to report the file size)."""

    def __init__(self, out: IO[str]) -> None:
        self.out, self.bytes = out, 0

    def write(self, s: str) -> None:
        self.out.write(s)
        self.bytes += len(s.encode("utf-8"))


def write_report(
    items: Iterable[tuple[Article, Mapping[str, Any]]],
    out: IO[str],
    *,
    summary: CorpusSummary | None = None,
    title: str = "تقرير newsan",
    generated: str | None = None,
) -> ReportStats:
    """Write the HTML report of ``(article, record)`` pairs to ``out``.

    Documents are written as they come (the data block streams between the
    page's head and its script), and folded into ``summary`` (a new
    :class:`CorpusSummary` when ``None``; pass one to have failures, added by
    the caller, shown too), so only corpus counts are held in memory.
    """
    from newsan.aggregate import CorpusSummary

    summary = summary if summary is not None else CorpusSummary()
    stats = ReportStats()
    nonce = secrets.token_urlsafe(16)
    page = _env().get_template("report.html.j2").render(
        title=title, css=_asset("report.css"), js=_asset("report.js"), nonce=nonce,
        generated=generated or _dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
    )
    before, marker, rest = page.partition("<!--DOCS-->")
    middle, marker2, after = rest.partition("<!--META-->")
    assert marker and marker2, "report.html.j2 lacks the <!--DOCS--> or <!--META--> marker"
    sink = _Counter(out)
    sink.write(before)
    sink.write("[")
    for article, record in items:
        stats.documents += 1
        summary.add_record(record)
        doc = doc_data(stats.documents, article, record)
        stats.quotes += len(doc["q"])
        stats.mentions += sum(len(e[4]) // 3 for e in doc["e"])
        sink.write(("," if stats.documents > 1 else "") + "\n" + json_for_script(doc))
    sink.write("\n]")
    sink.write(middle)
    sink.write(json_for_script({
        "title": title, "documents": stats.documents, "quotes": stats.quotes, "mentions": stats.mentions,
        "failed": summary.failed, "failures": dict(summary.failures.most_common()),
        "approximate": bool(getattr(summary, "approximate", False)),
    }))
    sink.write(after)
    stats.bytes = sink.bytes
    return stats


# --------------------------------------------------------------------------- the command


def _with_articles(items: Iterable[Article | InputError], outcomes_of: Any) -> Iterator[tuple[Any, Any]]:
    """Pair each outcome of ``analyze_stream`` with its input (same order, one outcome per item),
    keeping only the inputs still in flight."""
    pending: deque[Article | InputError] = deque()

    def feed() -> Iterator[Article | InputError]:
        for item in items:
            pending.append(item)
            yield item

    for outcome in outcomes_of(feed()):
        item = pending.popleft()
        if outcome.path != item.path:  # analyze_stream yields one outcome per input, in order
            raise RuntimeError(f"outcome for {outcome.path} paired with input {item.path}")
        yield item, outcome


def _build_command() -> Any:
    import click

    from newsan import cli as cli_mod

    @click.command("report")
    @cli_mod._analysis_options
    @click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default="report.html",
                  show_default=True, help="The HTML file to write (atomically).")
    @click.option("--title", default="تقرير newsan", show_default=False, help="The page title.")
    def report_command(paths: tuple[str, ...], glob: str, ner: str, lexicon: str | None, jobs: int,
                       scheduler: str | None, quiet: bool, max_size: int, output: str, title: str) -> None:
        """Write one self-contained HTML report (opens offline) to explore what analyze finds.

        PATHS as for analyze. Filters by name, outlet, date range, entity label,
        quotation kind and speaker type, and a search, all kept in the URL; charts
        and lists follow them; a view per speaker and entity; CSV export of the
        filtered quotations; a citation per quotation.

        \b
        Examples:
          newsan report articles/ -o report.html
          newsan report corpus.jsonl.gz -o corpus.html --title "Corpus 2015"
        """
        from newsan.aggregate import CorpusSummary
        from newsan.errors import NewsanError
        from newsan.export import atomic_writer
        from newsan.load import iter_articles
        from newsan.runner import analyze_stream

        errors = cli_mod._Errors(quiet)
        cli_mod.check_inputs(paths, glob, output)
        parent = Path(output).parent
        if not parent.is_dir():
            raise click.UsageError(f"{output}: folder {parent} does not exist")
        from newsan.load import count_documents

        show_progress = not quiet and sys.stderr.isatty()
        total = count_documents(paths, glob) if show_progress or not (jobs or scheduler) else None
        analyzer, njobs = cli_mod._prepare_analyzer(ner, lexicon, jobs, scheduler, paths, total)
        summary = CorpusSummary()

        def items() -> Iterator[Article]:
            # unreadable inputs are reported here, as they are read: only articles go to the workers
            for item in iter_articles(paths, glob=glob, max_bytes=max_size, exclude=[output]):
                if isinstance(item, InputError):
                    missing = item.reason == "no such file or directory"
                    errors.error(str(item), cli_mod.EXIT_USAGE if missing else cli_mod.EXIT_FAILED)
                    summary.add_failure(item.reason)
                    continue
                yield item

        interrupted = False

        def pairs() -> Iterator[tuple[Article, Mapping[str, Any]]]:
            nonlocal interrupted
            outcomes = _with_articles(items(), lambda it: analyze_stream(it, analyzer, jobs=njobs, scheduler=scheduler))
            with cli_mod._progress(show_progress, total) as tick:
                try:
                    for item, outcome in outcomes:
                        tick()
                        rec = cli_mod._accept(outcome, errors, summary)
                        if rec is not None:
                            yield item, rec
                except KeyboardInterrupt:
                    # stop analyzing; the report is written with the articles finished so far
                    interrupted = True
                    errors.error("interrupted: the report shows the articles finished so far", cli_mod.EXIT_INTERRUPTED)
                except NewsanError as exc:  # the backend failed (workers, Dask): same, keep what is done
                    interrupted = True
                    errors.error(f"{exc}; the report shows the articles finished so far")

        stats = ReportStats()
        aborted = False
        try:
            with atomic_writer(output) as out:
                stats = write_report(pairs(), out, summary=summary, title=title)
                if summary.documents == 0:
                    raise cli_mod._NothingWritten
        except cli_mod._NothingWritten:
            pass
        except KeyboardInterrupt:
            aborted = True
            errors.error("interrupted: no report written", cli_mod.EXIT_INTERRUPTED)
        except NewsanError as exc:
            aborted = True
            errors.error(f"{exc}; no report written")
        except OSError as exc:
            aborted = True
            errors.error(f"{output}: cannot write ({exc.strerror or exc})")
        if not quiet and (summary.documents + summary.failed > 1 or summary.failed):
            click.echo(
                f"newsan: {summary.documents} analyzed, {summary.failed} failed"
                + (": " + ", ".join(f"{n} {r}" for r, n in summary.failures.most_common()) if summary.failed else ""),
                err=True,
            )
        if summary.documents == 0 and not (interrupted or aborted):
            if errors.code == cli_mod.EXIT_OK:
                errors.error("no input documents found", cli_mod.EXIT_USAGE)
            else:
                errors.error("no document could be analyzed; no report written")
        elif stats.documents and not quiet:
            click.echo(f"newsan: wrote {output} ({stats.documents} articles, {stats.bytes / 1e6:.1f} MB)", err=True)
        sys.exit(errors.code)

    return report_command


_COMMAND: Any = None


def __getattr__(name: str) -> Any:
    # report_command is built on first access: it reuses newsan.cli's shared options, and
    # newsan.cli imports it, so building it at import time would be a circular import.
    global _COMMAND
    if name == "report_command":
        if _COMMAND is None:
            cmd = _build_command()
            if _COMMAND is None:  # importing newsan.cli above may have built it already
                _COMMAND = cmd
        return _COMMAND
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
