"""Running the analysis over a stream of documents: in this process, in worker
processes (``--jobs N``) or on a Dask cluster (``--scheduler``).

Whatever the backend, results come back one by one **in input order**, and
only a bounded window of documents is in flight at a time, so memory stays
flat whatever the corpus size: the input is read lazily, at most ``window``
batches are submitted ahead of the oldest unfinished one, and each outcome is
handed to the caller as soon as it and everything before it are done.

Work travels in small batches to amortize the cost of sending it; each worker
loads the tagger and the lexicons once (the worker initializer), before its
first document. Worker processes ignore SIGINT and SIGHUP: on Ctrl-C (or the
SIGTERM / SIGHUP the command line turns into the same exception) the parent
alone gets ``KeyboardInterrupt``, stops the workers and lets the caller keep
what was already written. A worker also exits as soon as its parent is gone,
so even a parent killed outright (SIGKILL) leaves no orphan process.

One bad document never stops the run: an exception becomes a failed
:class:`Outcome` with the reason, and a document that kills its worker process
(a crash in a C extension, the kernel's OOM killer) is found by re-running the
batch one document at a time in a fresh pool, then reported as failed.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import select
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from itertools import islice
from typing import Any, Protocol

from newsan.errors import InputError, NewsanError
from newsan.export import to_dict
from newsan.model import Analysis, Article

__all__ = ["CRASHED", "Outcome", "analyze_one", "analyze_stream", "check_scheduler", "default_jobs"]

#: Failure reason of a document whose analysis killed the worker process.
CRASHED = "worker process crashed"

Item = Article | InputError


class AnalyzerLike(Protocol):
    """What the runner needs of :class:`newsan.pipeline.Analyzer`: a picklable
    callable; ``check()`` (optional) loads its resources."""

    def __call__(self, article: Article) -> Analysis: ...


@dataclass(frozen=True, slots=True)
class Outcome:
    """One input document's result: its record, or the reason it failed."""

    path: str
    record: dict[str, Any] | None
    error: str | None = None
    reason: str | None = None  # short failure category for the summary

    @property
    def ok(self) -> bool:
        return self.record is not None


#: What travels to workers: an article, or an input error already resolved here
#: (exceptions with custom constructors do not survive pickling).
Work = Article | Outcome


def default_jobs() -> int:
    """The machine's usable cores."""
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except AttributeError:  # pragma: no cover - not on Linux
        return max(os.cpu_count() or 1, 1)


def analyze_one(analyzer: AnalyzerLike | None, item: Item | Outcome) -> Outcome:
    """Analyze one document; any failure becomes an :class:`Outcome` with the reason."""
    if isinstance(item, Outcome):
        return item
    if isinstance(item, InputError):
        return Outcome(item.path, None, str(item), item.reason)
    assert analyzer is not None
    try:
        return Outcome(item.path, to_dict(analyzer(item)))
    except NewsanError as exc:
        return Outcome(item.path, None, f"{item.path}: {exc}", str(exc))
    except RecursionError:
        return Outcome(item.path, None, f"{item.path}: internal error (RecursionError)", "internal error")
    except MemoryError:
        return Outcome(item.path, None, f"{item.path}: out of memory", "out of memory")
    except Exception as exc:  # noqa: BLE001 - a bug must not cost the rest of the batch
        return Outcome(
            item.path, None, f"{item.path}: internal error ({type(exc).__name__}: {exc})", "internal error"
        )


def analyze_batch(analyzer: AnalyzerLike, batch: list[Work]) -> list[Outcome]:
    return [analyze_one(analyzer, item) for item in batch]


_THREAD_LOCK = threading.Lock()


def _analyze_batch_locked(analyzer: AnalyzerLike, batch: list[Work]) -> list[Outcome]:
    """For Dask workers, which may run several tasks in threads of one process:
    the tagger is not thread-safe, and the GIL would serialize the work anyway."""
    with _THREAD_LOCK:
        return analyze_batch(analyzer, batch)


def _crashed(item: Work) -> Outcome:
    path = item.path
    return Outcome(path, None, f"{path}: {CRASHED} while analyzing this document", CRASHED)


def _batches(items: Iterable[Item], size: int) -> Iterator[list[Work]]:
    it = iter(items)
    while batch := list(islice(it, size)):
        yield [analyze_one(None, x) if isinstance(x, InputError) else x for x in batch]


Pending = deque[tuple[list[Work], "Future[list[Outcome]]"]]


def _windowed(
    submit: Callable[[list[Work]], Future[list[Outcome]]],
    items: Iterable[Item],
    batch_size: int,
    window: int,
    crash_errors: tuple[type[BaseException], ...],
    on_crash: Callable[[list[Work], Pending], list[Outcome]],
    cancel: Callable[[Pending], None],
) -> Iterator[Outcome]:
    """Submit batches ahead, at most ``window`` in flight; yield outcomes in order,
    each as soon as it and all before it are done."""
    pending: Pending = deque()

    def ready(block: bool) -> Iterator[Outcome]:
        while pending and (block or pending[0][1].done()):
            batch, fut = pending.popleft()
            try:
                outcomes = fut.result()
            except crash_errors:
                outcomes = on_crash(batch, pending)
            yield from outcomes
            block = False  # one blocking wait per submitted batch, then only what is done

    try:
        for batch in _batches(items, batch_size):
            pending.append((batch, submit(batch)))
            yield from ready(block=len(pending) >= window)
        while pending:
            yield from ready(block=True)
    except BaseException:
        cancel(pending)
        raise


def _die_with(pid: int) -> None:
    """Exit this worker as soon as process ``pid`` (the parent newsan) ends, even
    if it was killed outright: a daemon thread waits on a pidfd (Linux), or polls.
    Without it a killed parent leaves its workers, which hold each other's queue
    pipes open, waiting forever."""

    def watch() -> None:
        try:
            fd = os.pidfd_open(pid)
        except (AttributeError, OSError):
            fd = None
        if fd is not None:
            select.select([fd], [], [])
        else:  # pragma: no cover - no pidfd
            while True:
                time.sleep(1.0)
                try:
                    os.kill(pid, 0)
                except ProcessLookupError:
                    break
                except PermissionError:
                    continue
        os._exit(1)

    threading.Thread(target=watch, name="newsan-parent-watch", daemon=True).start()


def _init_worker(analyzer: AnalyzerLike, parent: int | None = None) -> None:
    # Ctrl-C and a closed terminal reach the whole process group: only the parent acts on them
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    if parent is not None:
        _die_with(parent)
    # load the model and lexicons once per worker, before the first document
    check = getattr(analyzer, "check", None)
    if check is not None:
        with contextlib.suppress(Exception):  # reported per document by analyze_one
            check()


def _mp_context() -> multiprocessing.context.BaseContext:
    """``forkserver`` where available: workers start from a clean single-threaded
    process (the parent runs a progress-bar thread, and forking a threaded process
    can deadlock), with newsan's modules imported once in the server."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["newsan.pipeline"])
        return ctx
    return multiprocessing.get_context("spawn")  # pragma: no cover - Windows


class _LocalPool:
    """A ProcessPoolExecutor that can be stopped at once and rebuilt after a crash."""

    def __init__(self, analyzer: AnalyzerLike, jobs: int) -> None:
        self.analyzer, self.jobs = analyzer, jobs
        self.ctx = _mp_context()
        self.pool = self._new()

    def _new(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=self.jobs, mp_context=self.ctx, initializer=_init_worker,
            initargs=(self.analyzer, os.getpid()),
        )

    def submit(self, batch: list[Work]) -> Future[list[Outcome]]:
        try:
            return self.pool.submit(analyze_batch, self.analyzer, batch)
        except BrokenProcessPool as exc:  # a worker died since the last look: handled in order
            fut: Future[list[Outcome]] = Future()
            fut.set_exception(exc)
            return fut

    def restart(self) -> None:
        """A fresh pool, after checking that workers can start at all."""
        self.stop()
        self.pool = self._new()
        try:
            self.pool.submit(os.getpid).result()
        except BrokenProcessPool:
            self.stop()
            raise NewsanError(
                "worker processes crash as they start; run with --jobs 1 to see the error"
            ) from None

    def on_crash(self, batch: list[Work], pending: Pending) -> list[Outcome]:
        """A worker died: every pending future is lost. Re-run this batch one
        document at a time to find the culprit, then resubmit the others."""
        outcomes = []
        self.restart()
        for item in batch:
            if isinstance(item, Outcome):
                outcomes.append(item)
                continue
            try:
                outcomes.append(self.pool.submit(analyze_one, self.analyzer, item).result())
            except BrokenProcessPool:
                outcomes.append(_crashed(item))
                self.restart()
        for i, (b, _) in enumerate(pending):
            pending[i] = (b, self.submit(b))
        return outcomes

    def cancel(self, pending: Pending) -> None:
        for _, fut in pending:
            fut.cancel()
        self.stop()

    def stop(self) -> None:
        """Stop now: queued work is dropped, running work is killed."""
        pool = self.pool
        pool.shutdown(wait=False, cancel_futures=True)
        terminate = getattr(pool, "terminate_workers", None)  # Python 3.14
        if terminate is not None:
            terminate()
        else:
            for proc in list((getattr(pool, "_processes", None) or {}).values()):
                if proc.is_alive():
                    proc.terminate()
        pool.shutdown(wait=True)

    def close(self) -> None:
        self.pool.shutdown(wait=True)


def analyze_stream(
    items: Iterable[Item],
    analyzer: AnalyzerLike,
    jobs: int = 1,
    scheduler: str | None = None,
    batch_size: int | None = None,
    window: int | None = None,
) -> Iterator[Outcome]:
    """Analyze documents and yield their outcomes in input order.

    ``jobs``: worker processes (1 = in this process); ``scheduler``: the address
    of a Dask scheduler (``tcp://host:8786``), which takes precedence.
    ``batch_size`` documents travel together; at most ``window`` batches are in
    flight (default: 4 per worker).
    """
    if scheduler:
        yield from _dask_stream(items, analyzer, scheduler, batch_size or 16, window)
        return
    if jobs <= 1:
        for item in items:
            yield analyze_one(analyzer, item)
        return
    local = _LocalPool(analyzer, jobs)
    yield from _windowed(
        local.submit,
        items,
        batch_size or 8,
        window or jobs * 4,
        crash_errors=(BrokenProcessPool,),
        on_crash=local.on_crash,
        cancel=local.cancel,
    )
    local.close()


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def check_scheduler(scheduler: str) -> None:
    """Raise :class:`NewsanError` (one line) unless Dask is installed, the address
    is a network address and a scheduler listens there."""
    try:
        from distributed.comm.addressing import parse_address
    except ImportError:
        raise NewsanError("--scheduler needs Dask's distributed scheduler: pip install 'newsan[dask]'") from None
    try:
        proto, _ = parse_address(scheduler)
    except Exception as exc:  # noqa: BLE001 - ValueError, TypeError on malformed input
        raise NewsanError(f"invalid Dask scheduler address '{scheduler}' ({_one_line(exc)})") from None
    if proto not in ("tcp", "tls"):
        raise NewsanError(
            f"invalid Dask scheduler address '{scheduler}': use tcp://HOST:PORT or tls://HOST:PORT"
        )
    _preflight(scheduler)


def _preflight(scheduler: str) -> None:
    """Fail fast, with one line, on a malformed address or a scheduler that is not
    listening (a Client that fails to connect also stalls the interpreter's exit)."""
    import socket

    from distributed.comm.addressing import parse_address, parse_host_port

    try:
        proto, loc = parse_address(scheduler)
        host, port = parse_host_port(loc) if proto in ("tcp", "tls") else (None, None)
    except Exception as exc:  # noqa: BLE001 - ValueError, TypeError on malformed input
        raise NewsanError(f"invalid Dask scheduler address '{scheduler}' ({_one_line(exc)})") from None
    if host is None or port is None:
        return  # other transports: let the Client try
    try:
        socket.create_connection((host, port), timeout=10).close()
    except OSError as exc:
        raise NewsanError(
            f"cannot connect to the Dask scheduler at {scheduler} ({exc.strerror or _one_line(exc)})"
        ) from None


def _dask_stream(
    items: Iterable[Item], analyzer: AnalyzerLike, scheduler: str, batch_size: int, window: int | None
) -> Iterator[Outcome]:
    try:
        from distributed import Client
        from distributed.client import FutureCancelledError
        from distributed.scheduler import KilledWorker
    except ImportError:
        raise NewsanError("--scheduler needs Dask's distributed scheduler: pip install 'newsan[dask]'") from None
    _preflight(scheduler)
    try:
        client = Client(scheduler, timeout="10s", set_as_default=False)
    except Exception as exc:  # noqa: BLE001 - OSError, TimeoutError, ValueError (bad address) ...
        raise NewsanError(f"cannot connect to the Dask scheduler at {scheduler} ({_one_line(exc)})") from None
    try:
        try:
            client.wait_for_workers(1, timeout=60)
        except Exception:  # noqa: BLE001 - TimeoutError, older versions raise others
            raise NewsanError(f"no Dask worker is connected to the scheduler at {scheduler}") from None
        workers = max(sum(client.nthreads().values()), 1)

        def submit(batch: list[Work]) -> Any:  # a distributed.Future: done(), result(), cancel()
            return client.submit(_analyze_batch_locked, analyzer, batch, pure=False)

        def on_crash(batch: list[Work], pending: Pending) -> list[Outcome]:
            # the batch killed workers repeatedly (KilledWorker): find the document
            outcomes = []
            for item in batch:
                if isinstance(item, Outcome):
                    outcomes.append(item)
                    continue
                try:
                    outcomes.append(client.submit(analyze_one, analyzer, item, pure=False).result())
                except KilledWorker:
                    outcomes.append(_crashed(item))
            return outcomes

        def cancel(pending: Pending) -> None:
            with contextlib.suppress(Exception):  # the connection may already be gone
                client.cancel([fut for _, fut in pending])

        try:
            yield from _windowed(
                submit,
                items,
                batch_size,
                window or workers * 4,
                crash_errors=(KilledWorker,),
                on_crash=on_crash,
                cancel=cancel,
            )
        except (FutureCancelledError, OSError) as exc:  # scheduler lost, connection closed
            raise NewsanError(f"lost the Dask scheduler at {scheduler} ({_one_line(exc)})") from None
    finally:
        with contextlib.suppress(Exception):
            client.close(timeout=5)
