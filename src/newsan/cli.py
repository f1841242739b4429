"""The ``newsan`` command line: thin wrappers that parse options, call the
library, and hand results to render/export.

Data goes to stdout (or ``-o FILE``, written atomically); progress, warnings
and errors go to stderr. Exit codes: 0 every input analyzed, 1 some inputs
failed, 2 usage error (bad option, a path that does not exist), 130 interrupted
(Ctrl-C; 143 for SIGTERM, 129 for SIGHUP: 128 + the signal's number), 141 when
the reader of stdout goes away (``newsan analyze … | head``).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sys
from collections.abc import Iterator
from contextlib import ExitStack, nullcontext
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import click

from newsan import __version__
from newsan.errors import InputError, NewsanError, OutputError
from newsan.export import FORMATS, atomic_writer, dump_yaml, dumps_line
from newsan.load import DEFAULT_MAX_BYTES, check_glob, iter_articles

if TYPE_CHECKING:  # imported where used: `newsan --help` must not pay for camel-tools, rich, jinja2
    from rich.console import Console

    from newsan.aggregate import CorpusSummary

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
#: Exit status after stdout's reader went away (128 + SIGPIPE, what a shell reports).
EXIT_PIPE = 128 + signal.SIGPIPE

#: The last terminating signal received (SIGINT, SIGTERM, SIGHUP), for the exit code.
_received_signal = signal.SIGINT


class Interrupted(KeyboardInterrupt):
    """SIGTERM or SIGHUP, handled like Ctrl-C: the run stops, finished output is
    kept, worker processes are stopped, the exit code is 128 + the signal."""


def _on_signal(signum: int, frame: Any) -> None:
    global _received_signal
    _received_signal = signal.Signals(signum)
    raise Interrupted(signum)


def _install_signal_handlers() -> None:
    """SIGTERM and SIGHUP (a job scheduler, a closed terminal) stop newsan as
    Ctrl-C does, so the same cleanup runs (no .part file, no orphan worker)."""
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        with_default = signal.getsignal(sig) in (signal.SIG_DFL, signal.default_int_handler)
        if with_default:
            signal.signal(sig, _on_signal)

# The NER network's matrix products are small: BLAS threads only add overhead,
# and beside -j N workers they oversubscribe the cores (measured: -j 2 slower
# than -j 1). One OpenBLAS thread per process unless the user chose otherwise;
# numpy is not imported yet here, and worker processes inherit the setting.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


class _Errors:
    """Writes one-line messages to stderr and remembers the exit code they imply."""

    def __init__(self, quiet: bool = False) -> None:
        self.quiet = quiet
        self.code = EXIT_OK

    def error(self, msg: str, code: int = EXIT_FAILED) -> None:
        click.echo(f"newsan: error: {msg}", err=True)
        if code == EXIT_INTERRUPTED:
            code = 128 + _received_signal
        self.code = max(self.code, code)

    def warning(self, msg: str) -> None:
        if not self.quiet:
            click.echo(f"newsan: warning: {msg}", err=True)


class _Cli(click.Group):
    """Ctrl-C (or SIGTERM/SIGHUP) while a command starts up — loading the
    model, connecting — ends with one line and 128 + the signal, not click's
    "Aborted!" and 1; a closed stdout ends quietly with 141."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        # the console entry point (not click's test runner): SIGTERM/SIGHUP act as Ctrl-C
        _install_signal_handlers()
        return super().__call__(*args, **kwargs)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            click.echo("newsan: error: interrupted", err=True)
            ctx.exit(128 + _received_signal)
        except BrokenPipeError:
            _quiet_stdout()
            ctx.exit(EXIT_PIPE)


def _quiet_stdout() -> None:
    """stdout's reader is gone: point stdout at /dev/null so that the final
    flush at exit does not raise again."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


@click.group(cls=_Cli, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="newsan")
def cli() -> None:
    """newsan: who is quoted saying what in Arabic news, and which people,
    places, organizations and events are named.

    \b
    Examples:
      newsan analyze article.txt                 tables in the terminal
      newsan analyze corpus.jsonl.gz -f jsonl    one JSON record per article
      newsan report articles/ -o report.html     an HTML report to explore
      newsan COMMAND --help                      options and examples of a command

    The user guide is docs/GUIDE.md.
    """


def _remember_quotes_mode(ctx: click.Context, _param: click.Parameter, value: str) -> str:
    ctx.meta["newsan.quotes"] = value
    return value


_quotes_option = click.option(
    "--quotes",
    "quotes_mode",
    type=click.Choice(("learned", "rules")),
    default="learned",
    show_default=True,
    expose_value=False,
    callback=_remember_quotes_mode,
    help="Quotations: learned (the rules propose, the shipped model picks speakers and keeps or drops) "
    "or rules (the rules' output as it is).",
)


def _quotes_mode() -> str:
    ctx = click.get_current_context(silent=True)
    return ctx.meta.get("newsan.quotes", "learned") if ctx is not None else "learned"


class OneLineUsageError(click.UsageError):
    """A usage error (exit 2) shown as one line, ``newsan: error: …``, without
    click's usage banner: the message names the option or file and the reason."""

    def show(self, file: Any = None) -> None:
        click.echo(f"newsan: error: {self.format_message()}", err=True)


class _Size(click.ParamType):
    """A byte count such as 2000000, 500K, 5M or 1G."""

    name = "size"

    def convert(self, value: Any, param: Any, ctx: Any) -> int:
        if isinstance(value, int):
            return value
        text = str(value).strip().upper().removesuffix("B")
        scale = {"K": 10**3, "M": 10**6, "G": 10**9}.get(text[-1:], 1)
        try:
            n = int(float(text[:-1] if scale > 1 else text) * scale)
        except ValueError:
            self.fail(f"'{value}' is not a size (e.g. 2000000, 500K, 5M)", param, ctx)
        if n <= 0:
            self.fail(f"'{value}' must be positive", param, ctx)
        return n


_SIZE = _Size()


def check_inputs(paths: tuple[str, ...], glob: str, output: str | None) -> None:
    """Usage errors found before anything runs: a ``--glob`` reaching outside
    its folder, ``-o`` naming one of the inputs."""
    try:
        check_glob(glob)
    except ValueError as exc:
        raise OneLineUsageError(str(exc)) from None
    if output is None:
        return
    for p in paths:
        if p == "-":
            continue
        with contextlib.suppress(OSError):
            if os.path.samefile(p, output):
                raise OneLineUsageError(f"-o {output} is one of the inputs; newsan never overwrites its input")


def _analysis_options(fn: Any) -> Any:
    """Options shared by commands that analyze articles."""
    options = [
        click.argument("paths", nargs=-1, required=True),
        click.option("--glob", default="*.txt", show_default=True, help="File pattern searched in directories."),
        click.option(
            "--ner",
            default="default",
            show_default=True,
            metavar="BACKEND",
            help="Entity tagger: default (embedded CRF), crf+nn (embedded CRF + neural network: "
            "higher recall on ANERcorp, half the speed), none (names lexicon only), "
            "camel (camel-tools BERT), camel:PATH (a fine-tuned BERT folder).",
        ),
        click.option(
            "--lexicon",
            type=click.Path(dir_okay=False),
            default=None,
            help="YAML file adding cue verbs, titles, names … (same schema as the packaged lexicons).",
        ),
        click.option("-j", "--jobs", type=click.IntRange(min=0), default=0,
                     help="Worker processes (0 = one per core, or 1 for inputs of fewer than 2,500 documents)."),
        click.option("--scheduler", default=None, metavar="ADDRESS",
                     help="Run on a Dask cluster, e.g. tcp://10.0.0.5:8786 (needs newsan[dask])."),
        click.option("-q", "--quiet", is_flag=True, help="No warnings or progress on stderr."),
        _quotes_option,
        click.option("--max-size", "max_size", type=_SIZE, default=str(DEFAULT_MAX_BYTES), show_default=True,
                     metavar="BYTES", envvar="NEWSAN_MAX_SIZE",
                     help="Refuse a document (file, stdin, JSON Lines record) larger than this; "
                     "suffixes K, M, G (e.g. 5M)."),
    ]
    for opt in reversed(options):
        fn = opt(fn)
    return fn


def _filter_options(fn: Any) -> Any:
    """Filters shared by ``analyze`` and ``query``: which quotations to show."""
    date = click.DateTime(formats=["%Y-%m-%d"])
    options = [
        click.option("--speaker", default=None, metavar="NAME",
                     help="Quotations by this speaker (any spelling or part of the name: أوباما finds باراك أوباما)."),
        click.option("--entity", default=None, metavar="NAME",
                     help="Quotations that name this person, place or body (quoted about)."),
        click.option("--outlet", default=None, metavar="TEXT", help="Articles whose outlet or source contains TEXT."),
        click.option("--since", type=date, default=None, metavar="YYYY-MM-DD", help="Articles dated on or after."),
        click.option("--until", type=date, default=None, metavar="YYYY-MM-DD", help="Articles dated on or before."),
        click.option("--kind", type=click.Choice(("direct", "indirect", "mixed")), default=None,
                     help="Quotation kind."),
        click.option("--search", default=None, metavar="QUERY",
                     help="Full-text search of quotation content (SQLite FTS5 syntax)."),
        click.option("--top", type=click.IntRange(min=1), default=None, metavar="N",
                     help="Rows to show (quotations; or length of each corpus list, default 20)."),
    ]
    for opt in reversed(options):
        fn = opt(fn)
    return fn


def _make_filters(speaker: str | None, entity: str | None, outlet: str | None, since: Any, until: Any,
                  kind: str | None, search: str | None) -> Any:
    from newsan.store import Filters

    return Filters(speaker=speaker, entity=entity, outlet=outlet,
                   since=since.strftime("%Y-%m-%d") if since else None,
                   until=until.strftime("%Y-%m-%d") if until else None, kind=kind, search=search)


def _open_store(path: str, must_exist: bool = False) -> Any:
    """A :class:`newsan.store.Store`; a file that is not one is a usage error."""
    from newsan.store import Store, StoreError

    if must_exist and not Path(path).is_file():
        raise click.UsageError(f"{path}: no such store (write one with newsan analyze … -f sqlite -o {path})")
    try:
        return Store(path)
    except StoreError as exc:
        raise click.UsageError(str(exc)) from None


@cli.command()
@_analysis_options
@click.option("-f", "--format", "fmt", type=click.Choice(FORMATS + ("sqlite",)), default="table",
              show_default=True,
              help="Output format; sqlite writes (or grows) the store given with -o.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write to FILE (atomically) instead of stdout; with -f sqlite the store to create or grow.")
@click.option("--table", type=click.Choice(("quotes", "entities", "speakers")), default="quotes", show_default=True,
              help="CSV: which table (one row per quotation, per entity, per speaker and article).")
@click.option("--bom/--no-bom", default=None,
              help="CSV: start with a UTF-8 byte-order mark for Excel (default: on when -o ends in .csv).")
@click.option("--input-format", type=click.Choice(("auto", "text", "jsonl")), default="auto", show_default=True,
              help="How to read stdin (-): auto reads JSON Lines when its first non-blank line is a JSON object.")
@_filter_options
@click.option("--summary", "summary_only", is_flag=True, help="Print only the corpus view.")
@click.option("--bidi", type=click.Choice(("auto", "terminal", "visual")), default="auto", show_default=True,
              envvar="NEWSAN_BIDI",
              help="Table text: 'terminal' leaves Arabic to a bidi-capable terminal (cells isolated); 'visual' "
              "reorders and shapes it for terminals without bidi support (xterm, tmux); 'auto' is visual "
              "in terminals known to lack bidi (tmux, screen, xterm, Linux console), terminal otherwise.")
@click.option("--full", "--wide", "full", is_flag=True,
              help="Tables show whole quotations (otherwise cut at 240 characters).")
def analyze(
    paths: tuple[str, ...],
    glob: str,
    ner: str,
    lexicon: str | None,
    jobs: int,
    scheduler: str | None,
    quiet: bool,
    fmt: str,
    output: str | None,
    summary_only: bool,
    bidi: str,
    full: bool,
    table: str,
    bom: bool | None,
    input_format: str,
    speaker: str | None,
    entity: str | None,
    outlet: str | None,
    since: Any,
    until: Any,
    kind: str | None,
    search: str | None,
    top: int | None,
    max_size: int,
) -> None:
    """Find quotations and named entities in articles.

    PATHS are .txt files (line 1 is the title), folders (searched recursively),
    JSON Lines corpora (.jsonl, .jsonl.gz; objects with "text" and optional
    "id", "title", metadata), or - for stdin (text, or JSON Lines).

    With -f sqlite -o FILE.db the analyses go into a store (created, or grown
    with the articles whose id it does not hold yet); ask it with newsan query.
    With a filter (--speaker, --entity, --outlet, --since, --until, --kind,
    --search) the matching quotations are printed instead of the articles.

    \b
    Examples:
      newsan analyze article.txt
      newsan analyze articles/ --wide
      newsan analyze corpus.jsonl.gz -f jsonl -o found.jsonl
      newsan analyze corpus.jsonl.gz --summary
      newsan analyze corpus.jsonl.gz -f sqlite -o archive.db
      newsan analyze articles/ --speaker "وانغ يي" --since 2023-02-01
      newsan analyze articles/ -f csv | csvlook
    """
    from newsan.aggregate import CorpusSummary
    from newsan.load import count_documents

    errors = _Errors(quiet)
    filters = _make_filters(speaker, entity, outlet, since, until, kind, search)
    if fmt == "sqlite" and not output:
        raise click.UsageError("-f sqlite writes a store: give its file with -o FILE.db")
    if fmt == "sqlite" and filters.active():
        raise click.UsageError("filters select what is printed; with -f sqlite, ask the store with newsan query")
    check_inputs(paths, glob, output)
    stdout_is_tty = sys.stdout.isatty()
    show_progress = not quiet and sys.stderr.isatty() and (output is not None or fmt != "table" or not stdout_is_tty)
    total = count_documents(paths, glob) if show_progress or not (jobs or scheduler) else None
    analyzer, njobs = _prepare_analyzer(ner, lexicon, jobs, scheduler, paths, total)
    summary = CorpusSummary()
    with ExitStack() as archive_stack:
        archive = _archive_for(archive_stack, fmt, output, summary_only, filters.active())
        summary.archive = archive
        known = archive.store.known_ids() if archive is not None and fmt == "sqlite" else set()
        skipped = 0

        def items() -> Iterator[Any]:
            nonlocal skipped
            for item in iter_articles(paths, glob=glob, input_format=input_format, max_bytes=max_size,
                                      exclude=[output] if output else []):
                if isinstance(item, InputError) and item.reason == "no such file or directory":
                    errors.error(str(item), EXIT_USAGE)
                    summary.add_failure(item.reason)
                    continue
                if known and not isinstance(item, InputError) and item.id in known:
                    skipped += 1  # already in the store: not analyzed again
                    continue
                yield item

        options = _OutputOptions(table=table, bom=bom if bom is not None else bool(output and
                                 output.lower().endswith(".csv")), filters=filters, top=top)
        _analyze_into(output, fmt, summary_only, (bidi, full), options, items, analyzer, njobs, scheduler, summary,
                      errors, quiet, lambda: skipped, total, (stdout_is_tty, show_progress))


def _archive_for(stack: ExitStack, fmt: str, output: str | None, summary_only: bool, filtered: bool) -> Any:
    """The store the run writes: the -f sqlite target, or a temporary one that
    answers the corpus view and the filters (None when neither is shown)."""
    from newsan.store import Archive

    if fmt == "sqlite":
        assert output is not None
        store = stack.enter_context(_open_store(output))
        return Archive(store)
    if not (filtered or summary_only or fmt in ("table", "json")):
        return None
    import tempfile

    tmp = stack.enter_context(tempfile.TemporaryDirectory(prefix="newsan-"))
    store = stack.enter_context(_open_store(str(Path(tmp) / "view.db")))
    store.db.execute("PRAGMA synchronous = OFF")  # a scratch store: durability is not needed
    return Archive(store)


class _OutputOptions:
    def __init__(self, table: str, bom: bool, filters: Any, top: int | None) -> None:
        self.table, self.bom, self.filters, self.top = table, bom, filters, top


def _analyze_into(
    output: str | None,
    fmt: str,
    summary_only: bool,
    bidi: tuple[str, bool],
    options: _OutputOptions,
    items: Any,
    analyzer: Any,
    njobs: int,
    scheduler: str | None,
    summary: CorpusSummary,
    errors: _Errors,
    quiet: bool,
    skipped: Any,
    total: int | None,
    terminal: tuple[bool, bool],
) -> None:
    """Run the analysis into the writer, then report and exit with the run's code.
    ``terminal`` is (stdout is a terminal, show the progress bar), as analyze found them."""
    archive = summary.archive  # the writer lets go of it on Ctrl-C
    stdout_is_tty, show_progress = terminal
    interrupted = False
    try:
        with ExitStack() as stack:
            interrupted = _run_analysis(stack, output, fmt, summary_only, bidi, stdout_is_tty, show_progress,
                                        items, analyzer, njobs, scheduler, summary, errors, options, total=total)
    except _NothingWritten as nothing:
        interrupted = nothing.interrupted  # the previous output file (if any) is left as it was
        if interrupted:
            errors.error("interrupted before the first document: no output written", EXIT_INTERRUPTED)
            interrupted = False
    except OutputError as exc:
        errors.error(str(exc), EXIT_USAGE if exc.usage else EXIT_FAILED)
    except BrokenPipeError:
        _quiet_stdout()
        sys.exit(EXIT_PIPE)
    if interrupted:
        errors.error("interrupted: output keeps the documents finished so far", EXIT_INTERRUPTED)
    if not quiet and (summary.documents + summary.failed > 1 or summary.failed):
        click.echo(
            f"newsan: {summary.documents} analyzed, {summary.failed} failed"
            + (": " + ", ".join(f"{n} {r}" for r, n in summary.failures.most_common()) if summary.failed else ""),
            err=True,
        )
    if fmt == "sqlite" and archive is not None:
        st = archive.store
        counts = st.counts()
        if not quiet:
            click.echo(
                f"newsan: {output}: {archive.added} articles added (whole batches), {skipped()} already stored; "
                f"{counts['articles']} articles, {counts['quotes']} quotations ({counts['occurrences']} occurrences), "
                f"{counts['identities']} identities" + (" (identities not yet resolved: the next run does it)"
                                                        if st.stale() else ""),
                err=True,
            )
    if summary.documents == 0 and errors.code == EXIT_OK and not interrupted and not skipped():
        errors.error("no input documents found", EXIT_USAGE)
    sys.exit(errors.code)


#: Below this many documents, -j 0 (the default) analyzes in this process: starting
#: worker processes (each loads the tagger) costs more than it saves. Measured on the
#: project's 2-core machine with ``python bench/bench_startup.py --pool 600,1500``:
#: -j 2 took 2.0x the time of -j 1 at 600 articles, 1.2x at 1,500; the two lines
#: cross near 2,500 (README, "Start-up").
POOL_MIN_DOCS = 2500


def _prepare_analyzer(
    ner: str, lexicon: str | None, jobs: int, scheduler: str | None, paths: tuple[str, ...],
    total: int | None = None,
) -> tuple[Any, int]:
    """The analyzer, loaded once here so that a missing model or a bad lexicon
    is a usage error before the run, and the number of worker processes:
    ``jobs`` if given, else one per core unless the input is known to be small
    (``total`` documents, see :func:`newsan.load.count_documents`)."""
    from newsan.pipeline import Analyzer
    from newsan.runner import check_scheduler, default_jobs

    if scheduler:
        try:
            check_scheduler(scheduler)
        except NewsanError as exc:
            raise OneLineUsageError(str(exc)) from None
    analyzer = Analyzer(ner=ner, lexicon_path=lexicon, quotes=_quotes_mode())
    try:
        analyzer.check()
    except NewsanError as exc:
        raise OneLineUsageError(str(exc)) from None
    njobs = jobs or default_jobs()
    if not jobs and not scheduler and total is not None and total < POOL_MIN_DOCS:
        njobs = 1  # starting worker processes costs more than these articles take
    if njobs > 1 or scheduler:
        analyzer.release()  # the workers load their own
    return analyzer, njobs


def _accept(outcome: Any, errors: _Errors, summary: CorpusSummary) -> dict[str, Any] | None:
    """A finished document's record, or None after reporting why it failed."""
    if outcome.record is None:
        errors.error(outcome.error or outcome.path)
        summary.add_failure(outcome.reason or "failed")
        return None
    rec: dict[str, Any] = outcome.record
    for w in rec["warnings"]:
        if "decoded as" in w:
            errors.warning(f"{rec['path']}: {w}")
    return rec


class _NothingWritten(Exception):
    """A run that failed or was interrupted before its first document: no output
    file is made (a previous one is left as it was)."""

    def __init__(self, interrupted: bool = False) -> None:
        super().__init__()
        self.interrupted = interrupted


def _run_analysis(
    stack: ExitStack,
    output: str | None,
    fmt: str,
    summary_only: bool,
    bidi: tuple[str, bool],
    stdout_is_tty: bool,
    show_progress: bool,
    items: Any,
    analyzer: Any,
    njobs: int,
    scheduler: str | None,
    summary: CorpusSummary,
    errors: _Errors,
    options: _OutputOptions,
    total: int | None = None,
) -> bool:
    """Stream outcomes into the writer. On Ctrl-C the output is closed
    properly, every finished document kept, and True is returned (the atomic
    file is then committed, not discarded)."""
    from newsan.runner import analyze_stream

    out: IO[str] = stack.enter_context(atomic_writer(output)) if output and fmt != "sqlite" else sys.stdout
    writer = _Writer(fmt, out, summary_only, bidi, to_terminal=output is None and stdout_is_tty,
                     quiet=errors.quiet, options=options)
    progress = stack.enter_context(_progress(show_progress, total))
    try:
        writer.start()
        for outcome in analyze_stream(items(), analyzer, jobs=njobs, scheduler=scheduler):
            progress()
            rec = _accept(outcome, errors, summary)
            if rec is not None:
                try:
                    writer.record(rec)
                except (ValueError, RecursionError) as exc:  # UnicodeEncodeError (a lone surrogate) ...
                    errors.error(f"{rec.get('path')}: cannot write this document's record ({type(exc).__name__})")
                    summary.add_failure("cannot write record")
                    continue
                summary.add_record(rec)
    except KeyboardInterrupt:
        if output and summary.documents == 0:
            raise _NothingWritten(interrupted=True) from None
        writer.finish(summary, interrupted=True)
        return True
    except NewsanError as exc:
        errors.error(str(exc))
        if output and summary.documents == 0:
            raise _NothingWritten from None
    writer.finish(summary)
    if writer.failed:
        errors.code = max(errors.code, EXIT_FAILED)
    return False


def _progress(enabled: bool, total: int | None = None) -> Any:
    """A context manager yielding a tick function (rich progress bar on stderr):
    with ``total`` known, a bar with done/total and the time remaining;
    otherwise a pulsing bar with the count and the time elapsed."""
    if not enabled:
        return nullcontext(lambda: None)
    from rich.console import Console
    from rich.progress import (BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn,
                               TimeElapsedColumn, TimeRemainingColumn)

    class _Bar:
        def __enter__(self) -> Any:
            columns: list[Any] = [SpinnerColumn(), TextColumn("analyzing"), BarColumn(), MofNCompleteColumn(),
                                  TimeElapsedColumn()]
            if total:
                columns += [TextColumn("eta"), TimeRemainingColumn()]
            self.p = Progress(*columns, console=Console(stderr=True), transient=True)
            self.p.__enter__()
            self.task = self.p.add_task("analyzing", total=total or None)
            return lambda: self.p.advance(self.task)

        def __exit__(self, *exc: Any) -> None:
            self.p.__exit__(*exc)

    return _Bar()


def _raise_broken_pipe() -> None:
    raise BrokenPipeError


class _Writer:
    """Streams records in the chosen format; closes the document properly on finish."""

    def __init__(self, fmt: str, out: IO[str], summary_only: bool, bidi: tuple[str, bool], to_terminal: bool,
                 quiet: bool = False, options: _OutputOptions | None = None) -> None:
        self.fmt, self.out, self.summary_only = fmt, out, summary_only
        self.options = options or _OutputOptions("quotes", False, None, None)
        # with a filter, the matching quotations are printed at the end instead of the records
        self.filtered = bool(self.options.filters is not None and self.options.filters.active())
        self.n = 0
        self.failed = False  # the store could not be written at the end
        self.console: Console | None = None
        self.full = bidi[1]
        self.display: Any = None
        if fmt in ("table", "sqlite"):
            from rich.console import Console

            from newsan.render import choose_bidi, make_display

            mode, note = choose_bidi(bidi[0], to_terminal)
            if note and not quiet:
                click.echo(f"newsan: note: {note}", err=True)
            self.display = make_display(mode)
            self.console = Console(file=out, force_terminal=to_terminal or None,
                                   width=None if to_terminal else 160, highlight=False)
            self.console.on_broken_pipe = _raise_broken_pipe  # type: ignore[method-assign]  # not rich's exit(1)

    def start(self) -> None:
        if self.summary_only or self.filtered or self.fmt == "sqlite":
            return
        if self.fmt == "json":
            self.out.write('{"documents": [')
        elif self.fmt == "csv":
            from newsan.export import CSV_TABLES, UTF8_BOM, csv_line

            self.out.write((UTF8_BOM if self.options.bom else "") + csv_line(CSV_TABLES[self.options.table]))

    def record(self, rec: dict[str, Any]) -> None:
        if self.summary_only or self.filtered or self.fmt == "sqlite":
            return
        if self.fmt == "jsonl":
            self.out.write(dumps_line(rec))
        elif self.fmt == "json":
            self.out.write(("\n" if self.n == 0 else ",\n") + json.dumps(rec, ensure_ascii=False, indent=1))
        elif self.fmt == "csv":
            from newsan.export import csv_line, csv_table_rows

            self.out.write("".join(csv_line(row) for row in csv_table_rows(rec, self.options.table)))
        elif self.fmt == "yaml":
            self.out.write(dump_yaml([rec]))
        else:
            from newsan.render import render_record

            assert self.console is not None
            render_record(rec, self.console, self.display, full=self.full)
        self.n += 1
        self.out.flush()

    def finish(self, summary: CorpusSummary, interrupted: bool = False) -> None:
        archive = summary.archive
        if archive is not None:
            if interrupted:
                # whole batches only: the records not yet written are dropped (a new run redoes them)
                archive.buffer.clear()
                summary.archive = None
            else:
                try:
                    archive.flush()
                    if self.fmt == "sqlite":
                        archive.store.finalize()
                except NewsanError as exc:
                    click.echo(f"newsan: error: {exc}", err=True)
                    summary.archive = None
                    self.failed = True
                if self.fmt == "sqlite":
                    return
        if self.fmt == "sqlite":
            return
        if self.filtered and summary.archive is not None:
            self._write_filtered(summary.archive.store)
            return
        data = summary.to_dict(top=self.options.top or 20)
        if self.summary_only:
            if self.fmt in ("json", "jsonl"):
                self.out.write(json.dumps(data, ensure_ascii=False, indent=1 if self.fmt == "json" else None) + "\n")
            elif self.fmt == "yaml":
                self.out.write(dump_yaml(data))
            elif self.fmt == "csv":
                _write_board_csv(self.out, data.get("people") or [], self.options.bom)
            else:
                from newsan.render import render_summary

                assert self.console is not None
                render_summary(data, self.console, self.display)
            return
        if self.fmt == "json":
            self.out.write("\n], \"summary\": " + json.dumps(data, ensure_ascii=False, indent=1) + "}\n")
        elif self.fmt == "table" and summary.documents > 1:
            from newsan.render import render_summary

            assert self.console is not None
            render_summary(data, self.console, self.display)

    def _write_filtered(self, store: Any) -> None:
        store.ensure_identities()
        rows = store.occurrences(self.options.filters, top=self.options.top)
        _write_quotation_rows(rows, self.fmt, self.out, self.options.bom, self.console, self.display)


def _write_quotation_rows(rows: list[dict[str, Any]], fmt: str, out: IO[str], bom: bool,
                          console: Console | None, display: Any) -> None:
    """Quotation rows of a query (see :meth:`newsan.store.Store.occurrences`) in a format."""
    from newsan.export import csv_line

    if fmt == "jsonl":
        out.write("".join(dumps_line(r) for r in rows))
    elif fmt == "json":
        out.write(json.dumps(rows, ensure_ascii=False, indent=1) + "\n")
    elif fmt == "yaml":
        out.write(dump_yaml(rows))
    elif fmt == "csv":
        cols = list(rows[0]) if rows else ["article_id", "outlet", "date", "title", "url", "speaker", "content"]
        out.write(("\ufeff" if bom else "") + csv_line(cols) + "".join(csv_line(r.values()) for r in rows))
    else:
        from newsan.render import render_quotations

        assert console is not None
        render_quotations(rows, console, display)


def _write_board_csv(out: IO[str], rows: list[dict[str, Any]], bom: bool) -> None:
    from newsan.export import csv_line

    cols = ["name", "kind", "articles", "outlets", "quotes", "occurrences", "first_day", "last_day", "variants"]
    out.write(("\ufeff" if bom else "") + csv_line(cols))
    for r in rows:
        out.write(csv_line([*(r.get(c) for c in cols[:-1]), "|".join(r.get("variants") or [])]))


@cli.command("query")
@click.argument("store_path", metavar="STORE", type=click.Path(dir_okay=False))
@_filter_options
@click.option("--board", type=click.Choice(("people", "institutions", "anonymous", "speakers")), default=None,
              help="Print a leaderboard (ranked by articles and outlets quoting) instead of quotations.")
@click.option("--summary", "summary_only", is_flag=True, help="Print the corpus view (all boards).")
@click.option("-f", "--format", "fmt", type=click.Choice(("table", "json", "jsonl", "csv", "yaml")), default="table",
              show_default=True, help="Output format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write to FILE (atomically) instead of stdout.")
@click.option("--bom/--no-bom", default=None,
              help="CSV: start with a UTF-8 byte-order mark for Excel (default: on when -o ends in .csv).")
@click.option("--bidi", type=click.Choice(("auto", "terminal", "visual")), default="auto", show_default=True,
              envvar="NEWSAN_BIDI", help="Table text (see analyze).")
def query(store_path: str, speaker: str | None, entity: str | None, outlet: str | None, since: Any, until: Any,
          kind: str | None, search: str | None, top: int | None, board: str | None, summary_only: bool, fmt: str,
          output: str | None, bom: bool | None, bidi: str) -> None:
    """Ask a store written by newsan analyze -f sqlite: quotations, leaderboards
    or the corpus view, for the filters given.

    \b
    Examples:
      newsan query archive.db --speaker الجبير --entity إيران --since 2015-07-01 --until 2015-07-31
      newsan query archive.db --board people --top 20
      newsan query archive.db --search 'النفط' -f csv -o oil.csv
    """
    import sqlite3

    from rich.console import Console

    from newsan.render import choose_bidi, make_display

    filters = _make_filters(speaker, entity, outlet, since, until, kind, search)
    bom = bom if bom is not None else bool(output and output.lower().endswith(".csv"))
    with _open_store(store_path, must_exist=True) as store, ExitStack() as stack:
        out: IO[str] = stack.enter_context(atomic_writer(output)) if output else sys.stdout
        to_terminal = output is None and sys.stdout.isatty()
        console = Console(file=out, width=None if to_terminal else 160, highlight=False)
        mode, note = choose_bidi(bidi, to_terminal)
        if note:
            click.echo(f"newsan: note: {note}", err=True)
        display = make_display(mode)
        try:
            store.ensure_identities()
            if summary_only:
                data: Any = store.view(top or 20, filters)
                if fmt == "table":
                    from newsan.render import render_boards, render_time

                    render_boards(data, console, display, top or 20)
                    render_time(data, console, display)
                elif fmt == "csv":
                    _write_board_csv(out, data["people"], bom)
                else:
                    out.write(dump_yaml(data) if fmt == "yaml" else json.dumps(data, ensure_ascii=False, indent=1)
                              + "\n")
            elif board:
                rows, total = store.board(board, filters, top or 20)
                if fmt == "table":
                    from newsan.render import render_boards

                    render_boards({board: rows, f"{board}_total": total}, console, display, top or 20)
                elif fmt == "csv":
                    _write_board_csv(out, rows, bom)
                else:
                    _write_quotation_rows(rows, fmt, out, bom, console, display)
            else:
                rows = store.occurrences(filters, top=top)
                _write_quotation_rows(rows, fmt, out, bom, console, display)
        except sqlite3.OperationalError as exc:
            if search:
                raise click.UsageError(f"--search {search!r}: not a valid full-text query ({exc})") from None
            raise click.ClickException(f"{store_path}: {exc}") from None


@cli.command("schema")
def schema_cmd() -> None:
    """Print the JSON Schema of the public record (one analyzed article, as -f jsonl writes it)."""
    from importlib.resources import files

    click.echo(files("newsan").joinpath("schema.json").read_text(encoding="utf-8"), nl=False)


@cli.command("normalize")
@click.argument("file", type=click.Path(allow_dash=True, dir_okay=False))
@click.option("--dediac/--no-dediac", default=True, show_default=True, help="Remove diacritics.")
@click.option("--tatweel/--no-tatweel", default=True, show_default=True, help="Remove tatweel (ـ).")
@click.option("--alef/--no-alef", default=True, show_default=True, help="Fold أ إ آ ٱ to ا.")
@click.option("--yaa/--no-yaa", default=True, show_default=True, help="Fold ى to ي.")
@click.option("--teh/--no-teh", default=True, show_default=True, help="Fold ة to ه.")
@click.option("--unicode/--no-unicode", "unicode_", default=True, show_default=True,
              help="NFKC: ligatures and presentation forms to plain letters.")
@click.option("--clean/--no-clean", default=True, show_default=True,
              help="Drop invisible/control characters, unusual spaces to space, decode HTML entities.")
@click.option("--letters-only", is_flag=True, help="Only clean the text; no letter folding (same as --no-dediac "
              "--no-tatweel --no-alef --no-yaa --no-teh).")
def normalize_cmd(file: str, dediac: bool, tatweel: bool, alef: bool, yaa: bool, teh: bool, unicode_: bool,
                  clean: bool, letters_only: bool) -> None:
    """Print FILE's text normalized as newsan matches it (- for stdin).

    \b
    Examples:
      newsan normalize article.txt
      newsan normalize --letters-only article.txt      only cleaning, letters as written
      echo 'قَالَ الوزيرُ' | newsan normalize -
    """
    from newsan.load import decode
    from newsan.normalize import Foldings, normalize

    if letters_only:
        dediac = tatweel = alef = yaa = teh = False
    try:
        data = sys.stdin.buffer.read() if file == "-" else Path(file).read_bytes()
        text, warning = decode(data, file)
    except OSError as exc:
        raise click.UsageError(f"{file}: cannot read ({exc.strerror or exc})") from None
    except NewsanError as exc:
        click.echo(f"newsan: error: {exc}", err=True)
        sys.exit(EXIT_FAILED)
    if warning:
        click.echo(f"newsan: warning: {file}: {warning}", err=True)
    f = Foldings(unicode=unicode_, dediac=dediac, tatweel=tatweel, alef=alef, yaa=yaa, teh=teh, clean=clean)
    click.echo(normalize(text, f).text, nl=not text.endswith("\n"))


@cli.group("eval")
def eval_group() -> None:
    """Score newsan against annotated data.

    \b
    Examples:
      newsan eval quotes ../shared/eval/dev
      newsan eval align ../shared/eval/train
      newsan eval ner test.conll
    """


@eval_group.command("quotes")
@click.argument("gold_dir", type=click.Path(exists=True, file_okay=False))
@click.option("--ner", default="default", show_default=True, metavar="BACKEND", help="Entity tagger (see analyze).")
@click.option("--lexicon", type=click.Path(dir_okay=False), default=None, help="Extra lexicon YAML.")
@click.option("-f", "--format", "fmt", type=click.Choice(("table", "json")), default="table", show_default=True)
@click.option("--errors", "show_errors", is_flag=True, help="List every error (missed, spurious, wrong speaker …).")
@click.option("--texts", type=click.Path(exists=True, dir_okay=False), default=None,
              help="GOLD_DIR holds annotation files keyed by article id (article_id), their texts in this "
              "JSON Lines file (.gz or plain), as the repo's annotations/ant.")
@_quotes_option
def eval_quotes(gold_dir: str, ner: str, lexicon: str | None, fmt: str, show_errors: bool, texts: str | None) -> None:
    """Score quotations and entities on the NNN.txt / NNN.json pairs of GOLD_DIR
    (shared/eval/SCORING.md; docs/GUIDE.md shows how to build a gold set).

    \b
    Examples:
      newsan eval quotes my-gold/
      newsan eval quotes my-gold/ --errors          every miss and spurious quote
      newsan eval quotes my-gold/ -f json | jq .overall
      newsan eval quotes annotations/ant --texts ../shared/data/news/ant_jawharafm.jsonl.gz
    """
    from newsan.evaluate import annotated_articles, gold_articles, record_to_gold, score_set
    from newsan.export import to_dict
    from newsan.pipeline import Analyzer

    analyzer = Analyzer(ner=ner, lexicon_path=lexicon, quotes=_quotes_mode())
    try:
        analyzer.check()
    except NewsanError as exc:
        raise click.UsageError(str(exc)) from None
    try:
        gold_set = gold_articles(gold_dir) if texts is None else annotated_articles(gold_dir, texts)
    except (OSError, ValueError) as exc:
        raise click.UsageError(str(exc)) from None
    pairs = [(record_to_gold(to_dict(analyzer(article))), gold) for article, gold in gold_set]
    if not pairs:
        found = "annotation files" if texts else "NNN.txt / NNN.json pairs"
        raise click.UsageError(f"{gold_dir}: no {found} found")
    total, per = score_set(pairs)
    result = {
        "overall": {"quotes": total.quotes.as_dict(), "entities": total.entities.as_dict()},
        "articles": {aid: {"quotes": s.quotes.as_dict(), "entities": s.entities.as_dict()} for aid, s in per},
    }
    if show_errors:
        result["errors"] = total.errors
    if fmt == "json":
        click.echo(json.dumps(result, ensure_ascii=False, indent=1))
        return
    from rich.console import Console

    from newsan.render import render_eval

    render_eval(result, Console(highlight=False, width=max(Console().width, 120)))


@eval_group.command("cv")
@click.argument("gold_dir", type=click.Path(exists=True, file_okay=False))
@click.option("--folds", type=click.IntRange(min=2), default=5, show_default=True, help="Folds (grouped by article).")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the fold split and the bootstrap.")
@click.option("--curve", is_flag=True, help="Also a learning curve: 25/50/75/100 % of each fold's training articles.")
@click.option("--bootstrap", type=click.IntRange(min=0), default=1000, show_default=True,
              help="Bootstrap resamples (over articles) for the 95 % intervals.")
@click.option("--ner", default="default", show_default=True, metavar="BACKEND", help="Entity tagger (see analyze).")
@click.option("--extra", "extra_dir", type=click.Path(exists=True, file_okay=False), default=None,
              help="More training articles: a folder of annotation files keyed by article id "
              "(the repo's annotations/ant). They join every fold's training set and are never scored.")
@click.option("--extra-texts", type=click.Path(exists=True, dir_okay=False), default=None,
              help="The JSON Lines file (.gz or plain) holding the --extra articles' texts.")
@click.option("--threshold-proposed", type=click.FloatRange(0.0, 1.0), default=None, metavar="P",
              help="Keep threshold of the quotations the rules did not make (default: the shipped setting, "
              "newsan.learn.cv.TrainSettings).")
@click.option("--hold-out-category", "category", default=None, metavar="CAT",
              help="One fold instead of K: the articles of category CAT (GOLD_DIR/SOURCES.tsv) are scored, "
              "all others train (e.g. internationalNews: translated wire copy).")
@click.option("-f", "--format", "fmt", type=click.Choice(("table", "json")), default="table", show_default=True)
def eval_cv(
    gold_dir: str, folds: int, seed: int, curve: bool, bootstrap: int, ner: str,
    extra_dir: str | None, extra_texts: str | None, threshold_proposed: float | None, category: str | None, fmt: str,
) -> None:
    """Cross-validate the learned quotation decisions on GOLD_DIR: train on K-1
    folds, run the full pipeline on the held-out fold, score as `eval quotes`
    does; the rules alone and the learned pipeline side by side.

    \b
    Examples:
      newsan eval cv ../shared/eval/train --curve
      newsan eval cv ../shared/eval/train --extra annotations/ant \\
          --extra-texts ../shared/data/news/ant_jawharafm.jsonl.gz
      newsan eval cv ../shared/eval/train --hold-out-category internationalNews
    """
    import dataclasses

    from newsan.learn.cv import TrainSettings, cross_validate
    from newsan.learn.data import load_annotations, load_gold
    from newsan.pipeline import make_tagger

    if (extra_dir is None) != (extra_texts is None):
        raise click.UsageError("--extra and --extra-texts go together")
    try:
        tagger = make_tagger(ner)
    except NewsanError as exc:
        raise click.UsageError(str(exc)) from None
    extra = []
    if extra_dir is not None:
        try:
            extra = load_annotations(extra_dir, extra_texts, tagger)
        except (OSError, ValueError) as exc:
            raise click.UsageError(f"--extra: {exc}") from None
    held_ids = _category_ids(gold_dir, category) if category is not None else None
    docs = load_gold(gold_dir, tagger)
    if len(docs) < folds:
        raise click.UsageError(f"{gold_dir}: {len(docs)} annotated articles, fewer than --folds {folds}")
    held_out = None
    if held_ids is not None:
        held_out = [i for i, d in enumerate(docs) if d.id in held_ids]
        if not held_out or len(held_out) == len(docs):
            raise click.UsageError(
                f"--hold-out-category {category}: {len(held_out)} of {len(docs)} articles; nothing to train or test on"
            )
    settings = TrainSettings()
    if threshold_proposed is not None:
        settings = dataclasses.replace(settings, threshold_proposed=threshold_proposed)
    result = cross_validate(
        docs, k=folds, seed=seed, settings=settings, curve=(0.25, 0.5, 0.75, 1.0) if curve else (),
        bootstrap=bootstrap, extra=extra, held_out=held_out,
    )
    if category is not None:
        result.pooled["held_out_category"] = category
    data = {"folds": result.folds, "pooled": result.pooled, "stages": result.stages, "curve": result.curve}
    if fmt == "json":
        click.echo(json.dumps(data, ensure_ascii=False, indent=1))
        return
    from rich.console import Console

    from newsan.render import render_cv

    render_cv(data, Console(highlight=False, width=max(Console().width, 110)))


def _category_ids(gold_dir: str, category: str) -> set[str]:
    """The article ids (file names without extension) of one category, read from
    GOLD_DIR/SOURCES.tsv (columns ``file`` and ``category``, as ../shared/eval/train has)."""
    import csv

    path = Path(gold_dir) / "SOURCES.tsv"
    try:
        with open(path, encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f, delimiter="\t"))
    except OSError as exc:
        raise click.UsageError(f"--hold-out-category needs {path}: {exc.strerror or exc}") from None
    if not rows or "file" not in rows[0] or "category" not in rows[0]:
        raise click.UsageError(f"{path}: no 'file' and 'category' columns")
    ids = {r["file"] for r in rows if r["category"] == category}
    if not ids:
        known = ", ".join(sorted({r["category"] for r in rows}))
        raise click.UsageError(f"--hold-out-category {category}: no such category in {path} ({known})")
    return ids


@eval_group.command("align")
@click.argument("gold_dir", type=click.Path(exists=True, file_okay=False))
@click.option("-f", "--format", "fmt", type=click.Choice(("table", "json")), default="table", show_default=True)
@click.option("--show-unplaced", is_flag=True, help="List every gold string left unplaced, with the reason.")
def eval_align(gold_dir: str, fmt: str, show_unplaced: bool) -> None:
    """Place the text-only gold quotations of GOLD_DIR on the analyzer's tokens
    (content, cue, speaker mention and its antecedent, addressee, via) and
    report, per field, what was placed and why the rest was not.

    \b
    Examples:
      newsan eval align ../shared/eval/train
      newsan eval align ../shared/eval/train --show-unplaced
      newsan eval align ../shared/eval/dev -f json | jq .fields
    """
    from newsan.align import align_dir

    errors = _Errors()
    arts, report = align_dir(gold_dir, on_error=lambda path, reason: errors.error(f"{path}: {reason}"))
    if not arts and not report.errors:
        raise click.UsageError(f"{gold_dir}: no NNN.txt / NNN.json pairs found")
    data = report.as_dict(show_unplaced)
    if fmt == "json":
        click.echo(json.dumps(data, ensure_ascii=False, indent=1))
    else:
        from rich.console import Console

        from newsan.render import render_align

        render_align(data, Console(highlight=False, width=max(Console().width, 100)))
    sys.exit(errors.code)


@eval_group.command("ner")
@click.argument("conll", type=click.Path(exists=True, dir_okay=False))
@click.option("--ner", default="default", show_default=True, metavar="BACKEND", help="Entity tagger (see analyze).")
@click.option("--domain", type=click.Choice(("general", "news")), default="general", show_default=True,
              help="The text the CoNLL file holds: general (ANERcorp-style newswire) or news "
              "(the text 'analyze' reads, always tagged as news); selects the CRF's domain features.")
@click.option("--predictions", type=click.Path(dir_okay=False), default=None,
              help="Write 'token gold predicted' lines to this file.")
@click.option("-f", "--format", "fmt", type=click.Choice(("table", "json")), default="table", show_default=True)
def eval_ner(conll: str, ner: str, domain: str, predictions: str | None, fmt: str) -> None:
    """Tag a CoNLL file ('token tag' per line) and print exact-span P/R/F1 per label.

    \b
    Examples:
      newsan eval ner test.conll
      newsan eval ner test.conll --ner crf+nn --predictions tagged.txt
      newsan eval ner news.conll --domain news
    """
    from newsan.eval_ner import evaluate_conll, format_ner_report
    from newsan.pipeline import make_tagger

    try:
        tagger = make_tagger(ner, domain)
    except NewsanError as exc:
        raise click.UsageError(str(exc)) from None
    if tagger is None:
        raise click.UsageError("--ner none has no tagger to evaluate")
    try:
        scores = evaluate_conll(conll, tagger, predictions_path=predictions)
    except (OSError, ValueError) as exc:
        click.echo(f"newsan: error: {conll}: {exc}", err=True)
        sys.exit(EXIT_FAILED)
    if fmt == "json":
        click.echo(json.dumps(scores, indent=1))
    else:
        click.echo(format_ner_report(scores))


def main() -> None:  # pragma: no cover - console entry point
    cli(prog_name="newsan")


from newsan.report import report_command  # noqa: E402  (report reuses the helpers above)

cli.add_command(report_command)
