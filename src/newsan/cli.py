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
import csv
import io
import json
import os
import signal
import sys
from collections.abc import Iterator
from contextlib import ExitStack, nullcontext
from pathlib import Path
from typing import IO, Any

import click
from rich.console import Console

from newsan import __version__
from newsan.aggregate import CorpusSummary
from newsan.errors import InputError, NewsanError, OutputError
from newsan.export import FORMATS, atomic_writer, csv_header, csv_safe, csv_text, dump_yaml, dumps_line
from newsan.load import DEFAULT_MAX_BYTES, check_glob, iter_articles
from newsan.normalize import Foldings, normalize

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
    places, organizations and events are named."""


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
                     help="Worker processes (0 = one per core)."),
        click.option("--scheduler", default=None, metavar="ADDRESS",
                     help="Run on a Dask cluster, e.g. tcp://10.0.0.5:8786 (needs newsan[dask])."),
        click.option("-q", "--quiet", is_flag=True, help="No warnings or progress on stderr."),
        click.option("--max-size", "max_size", type=_SIZE, default=str(DEFAULT_MAX_BYTES), show_default=True,
                     metavar="BYTES", envvar="NEWSAN_MAX_SIZE",
                     help="Refuse a document (file, stdin, JSON Lines record) larger than this; "
                     "suffixes K, M, G (e.g. 5M)."),
    ]
    for opt in reversed(options):
        fn = opt(fn)
    return fn


@cli.command()
@_analysis_options
@click.option("-f", "--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
              help="Output format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write to FILE (atomically) instead of stdout.")
@click.option("--summary", "summary_only", is_flag=True, help="Print only the corpus view.")
@click.option("--bidi", type=click.Choice(("terminal", "visual")), default="terminal", show_default=True,
              envvar="NEWSAN_BIDI",
              help="Table text: 'terminal' leaves Arabic to a bidi-capable terminal; 'visual' reorders "
              "and shapes it for terminals without bidi support (xterm, tmux).")
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
    max_size: int,
) -> None:
    """Find quotations and named entities in articles.

    PATHS are .txt files (line 1 is the title), folders (searched recursively),
    JSON Lines corpora (.jsonl, .jsonl.gz; objects with "text" and optional
    "id", "title", metadata), or - for stdin.
    """
    errors = _Errors(quiet)
    check_inputs(paths, glob, output)
    analyzer, njobs = _prepare_analyzer(ner, lexicon, jobs, scheduler, paths)
    summary = CorpusSummary()

    def items() -> Iterator[Any]:
        for item in iter_articles(paths, glob=glob, max_bytes=max_size, exclude=[output] if output else []):
            if isinstance(item, InputError) and item.reason == "no such file or directory":
                errors.error(str(item), EXIT_USAGE)
                summary.add_failure(item.reason)
                continue
            yield item

    stdout_is_tty = sys.stdout.isatty()
    show_progress = not quiet and sys.stderr.isatty() and (output is not None or fmt != "table" or not stdout_is_tty)
    interrupted = False
    try:
        with ExitStack() as stack:
            interrupted = _run_analysis(stack, output, fmt, summary_only, bidi, stdout_is_tty, show_progress,
                                        items, analyzer, njobs, scheduler, summary, errors)
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
    if summary.documents == 0 and errors.code == EXIT_OK and not interrupted:
        errors.error("no input documents found", EXIT_USAGE)
    sys.exit(errors.code)


def _prepare_analyzer(
    ner: str, lexicon: str | None, jobs: int, scheduler: str | None, paths: tuple[str, ...]
) -> tuple[Any, int]:
    """The analyzer, loaded once here so that a missing model or a bad lexicon
    is a usage error before the run, and the number of worker processes."""
    from newsan.pipeline import Analyzer
    from newsan.runner import check_scheduler, default_jobs

    if scheduler:
        try:
            check_scheduler(scheduler)
        except NewsanError as exc:
            raise OneLineUsageError(str(exc)) from None
    analyzer = Analyzer(ner=ner, lexicon_path=lexicon)
    try:
        analyzer.check()
    except NewsanError as exc:
        raise OneLineUsageError(str(exc)) from None
    njobs = jobs or default_jobs()
    if not jobs and not scheduler and _few_plain_files(paths):
        njobs = 1  # starting worker processes costs more than a handful of articles
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
    bidi: str,
    stdout_is_tty: bool,
    show_progress: bool,
    items: Any,
    analyzer: Any,
    njobs: int,
    scheduler: str | None,
    summary: CorpusSummary,
    errors: _Errors,
) -> bool:
    """Stream outcomes into the writer. On Ctrl-C the output is closed
    properly, every finished document kept, and True is returned (the atomic
    file is then committed, not discarded)."""
    from newsan.runner import analyze_stream

    out: IO[str] = stack.enter_context(atomic_writer(output)) if output else sys.stdout
    writer = _Writer(fmt, out, summary_only, bidi, to_terminal=output is None and stdout_is_tty)
    progress = stack.enter_context(_progress(show_progress))
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
        writer.finish(summary)
        return True
    except NewsanError as exc:
        errors.error(str(exc))
        if output and summary.documents == 0:
            raise _NothingWritten from None
    writer.finish(summary)
    return False


def _few_plain_files(paths: tuple[str, ...], limit: int = 4) -> bool:
    """Whether the inputs are a few single-article files (no folder, corpus or stdin)."""
    if len(paths) >= limit:
        return False
    for p in paths:
        path = Path(p)
        if p == "-" or path.is_dir() or path.name.lower().endswith((".jsonl", ".jsonl.gz", ".ndjson")):
            return False
    return True


def _progress(enabled: bool) -> Any:
    """A context manager yielding a tick function (rich progress bar on stderr)."""
    if not enabled:
        return nullcontext(lambda: None)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    class _Bar:
        def __enter__(self) -> Any:
            self.p = Progress(SpinnerColumn(), TextColumn("analyzing"), BarColumn(), MofNCompleteColumn(),
                              TimeElapsedColumn(), console=Console(stderr=True), transient=True)
            self.p.__enter__()
            self.task = self.p.add_task("analyzing", total=None)
            return lambda: self.p.advance(self.task)

        def __exit__(self, *exc: Any) -> None:
            self.p.__exit__(*exc)

    return _Bar()


def _raise_broken_pipe() -> None:
    raise BrokenPipeError


class _Writer:
    """Streams records in the chosen format; closes the document properly on finish."""

    def __init__(self, fmt: str, out: IO[str], summary_only: bool, bidi: str, to_terminal: bool) -> None:
        self.fmt, self.out, self.summary_only = fmt, out, summary_only
        self.n = 0
        self.console: Console | None = None
        if fmt == "table":
            from newsan.render import make_display

            self.display = make_display(bidi)
            self.console = Console(file=out, force_terminal=to_terminal or None,
                                   width=None if to_terminal else 160, highlight=False)
            self.console.on_broken_pipe = _raise_broken_pipe  # type: ignore[method-assign]  # not rich's exit(1)

    def start(self) -> None:
        if self.summary_only:
            return
        if self.fmt == "json":
            self.out.write('{"documents": [')
        elif self.fmt == "csv":
            self.out.write(csv_header())

    def record(self, rec: dict[str, Any]) -> None:
        if self.summary_only:
            return
        if self.fmt == "jsonl":
            self.out.write(dumps_line(rec))
        elif self.fmt == "json":
            self.out.write(("\n" if self.n == 0 else ",\n") + json.dumps(rec, ensure_ascii=False, indent=1))
        elif self.fmt == "csv":
            self.out.write(csv_text(rec))
        elif self.fmt == "yaml":
            self.out.write(dump_yaml([rec]))
        else:
            from newsan.render import render_record

            assert self.console is not None
            render_record(rec, self.console, self.display)
        self.n += 1
        self.out.flush()

    def finish(self, summary: CorpusSummary) -> None:
        data = summary.to_dict()
        if self.summary_only:
            if self.fmt in ("json", "jsonl"):
                self.out.write(json.dumps(data, ensure_ascii=False, indent=1 if self.fmt == "json" else None) + "\n")
            elif self.fmt == "yaml":
                self.out.write(dump_yaml(data))
            elif self.fmt == "csv":
                buf = io.StringIO()
                w = csv.writer(buf)
                w.writerow(("speaker", "quotes"))
                w.writerows((csv_safe(s["speaker"]), s["quotes"]) for s in data["top_speakers"])
                self.out.write(buf.getvalue())
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
    """Print FILE's text normalized as newsan matches it (- for stdin)."""
    from newsan.load import decode

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
    """Score newsan against annotated data."""


@eval_group.command("quotes")
@click.argument("gold_dir", type=click.Path(exists=True, file_okay=False))
@click.option("--ner", default="default", show_default=True, metavar="BACKEND", help="Entity tagger (see analyze).")
@click.option("--lexicon", type=click.Path(dir_okay=False), default=None, help="Extra lexicon YAML.")
@click.option("-f", "--format", "fmt", type=click.Choice(("table", "json")), default="table", show_default=True)
@click.option("--errors", "show_errors", is_flag=True, help="List every error (missed, spurious, wrong speaker …).")
def eval_quotes(gold_dir: str, ner: str, lexicon: str | None, fmt: str, show_errors: bool) -> None:
    """Score quotations and entities on the NNN.txt / NNN.json pairs of GOLD_DIR
    (shared/eval/SCORING.md)."""
    from newsan.evaluate import record_to_gold, score_set
    from newsan.export import to_dict
    from newsan.load import article_from_text
    from newsan.pipeline import Analyzer

    analyzer = Analyzer(ner=ner, lexicon_path=lexicon)
    try:
        analyzer.check()
    except NewsanError as exc:
        raise click.UsageError(str(exc)) from None
    pairs = []
    for gold_path in sorted(Path(gold_dir).glob("*.json")):
        txt = gold_path.with_suffix(".txt")
        if not txt.exists():
            continue
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        article = article_from_text(txt.read_text(encoding="utf-8-sig"), str(txt), id=gold_path.stem)
        pairs.append((record_to_gold(to_dict(analyzer(article))), gold))
    if not pairs:
        raise click.UsageError(f"{gold_dir}: no NNN.txt / NNN.json pairs found")
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
    from newsan.render import render_eval

    render_eval(result, Console(highlight=False, width=max(Console().width, 120)))


@eval_group.command("ner")
@click.argument("conll", type=click.Path(exists=True, dir_okay=False))
@click.option("--ner", default="default", show_default=True, metavar="BACKEND", help="Entity tagger (see analyze).")
@click.option("--predictions", type=click.Path(dir_okay=False), default=None,
              help="Write 'token gold predicted' lines to this file.")
@click.option("-f", "--format", "fmt", type=click.Choice(("table", "json")), default="table", show_default=True)
def eval_ner(conll: str, ner: str, predictions: str | None, fmt: str) -> None:
    """Tag a CoNLL file ('token tag' per line) and print exact-span P/R/F1 per label."""
    from newsan.eval_ner import evaluate_conll, format_ner_report
    from newsan.pipeline import make_tagger

    try:
        tagger = make_tagger(ner)
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
