"""Running the analysis over a stream of documents: in this process, in worker
processes (``--jobs N``) or on a Dask cluster (``--scheduler``).

Whatever the backend, results come back one by one **in input order**, and
only a bounded window of documents is in flight at a time, so memory stays
flat whatever the corpus size. Work travels in small batches to amortize the
cost of sending it; each worker loads the tagger and the lexicons once.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from itertools import islice
from typing import Any

from newsan.errors import InputError, NewsanError
from newsan.export import to_dict
from newsan.model import Article
from newsan.pipeline import Analyzer

__all__ = ["Outcome", "analyze_stream", "default_jobs"]


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


def default_jobs() -> int:
    """The machine's usable cores."""
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except AttributeError:  # pragma: no cover - not on Linux
        return max(os.cpu_count() or 1, 1)


def analyze_one(analyzer: Analyzer, item: Article | InputError) -> Outcome:
    """Analyze one document; any failure becomes an :class:`Outcome` with the reason."""
    if isinstance(item, InputError):
        return Outcome(item.path, None, str(item), item.reason)
    try:
        return Outcome(item.path, to_dict(analyzer(item)))
    except NewsanError as exc:
        return Outcome(item.path, None, f"{item.path}: {exc}", str(exc))
    except Exception as exc:  # a bug must not cost the rest of the batch
        return Outcome(item.path, None, f"{item.path}: internal error ({type(exc).__name__}: {exc})", "internal error")


def analyze_batch(analyzer: Analyzer, batch: list[Article | InputError]) -> list[Outcome]:
    return [analyze_one(analyzer, item) for item in batch]


def _batches(items: Iterable[Article | InputError], size: int) -> Iterator[list[Article | InputError]]:
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


def _windowed(
    submit: Callable[[list[Article | InputError]], Future[list[Outcome]]],
    items: Iterable[Article | InputError],
    batch_size: int,
    window: int,
) -> Iterator[Outcome]:
    pending: deque[Future[list[Outcome]]] = deque()
    for batch in _batches(items, batch_size):
        pending.append(submit(batch))
        while len(pending) >= window:
            yield from pending.popleft().result()
    while pending:
        yield from pending.popleft().result()


def _init_worker(analyzer: Analyzer) -> None:
    # load the model and lexicons once per worker, before the first document
    try:
        analyzer.check()
    except NewsanError:
        pass  # reported per document by analyze_one


def analyze_stream(
    items: Iterable[Article | InputError],
    analyzer: Analyzer,
    jobs: int = 1,
    scheduler: str | None = None,
    batch_size: int = 8,
) -> Iterator[Outcome]:
    """Analyze documents and yield their outcomes in input order."""
    if scheduler:
        yield from _dask_stream(items, analyzer, scheduler, batch_size)
        return
    if jobs <= 1:
        for item in items:
            yield analyze_one(analyzer, item)
        return
    with ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker, initargs=(analyzer,)) as pool:
        try:
            yield from _windowed(
                lambda b: pool.submit(analyze_batch, analyzer, b), items, batch_size, window=jobs * 4
            )
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise


def _dask_stream(
    items: Iterable[Article | InputError], analyzer: Analyzer, scheduler: str, batch_size: int
) -> Iterator[Outcome]:
    try:
        from distributed import Client
    except ImportError:
        raise NewsanError(
            "--scheduler needs Dask's distributed scheduler: pip install 'newsan[dask]'"
        ) from None
    try:
        client = Client(scheduler, timeout="10s")
    except (OSError, TimeoutError) as exc:
        raise NewsanError(f"cannot connect to the Dask scheduler at {scheduler} ({exc})") from None
    try:
        workers = max(sum(client.nthreads().values()), 1)
        yield from _windowed(
            lambda b: client.submit(analyze_batch, analyzer, b, pure=False),  # type: ignore[no-any-return]
            items,
            batch_size,
            window=workers * 4,
        )
    finally:
        client.close()
