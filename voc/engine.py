"""Executors that run chunk functions: in this process, on a local process pool, or on Dask.

`map(fn, jobs)` yields fn(*job) for every job, in job order, whatever order the workers
finish in, with a bounded number of chunks in flight so memory stays flat. `start(fn, jobs)`
submits every job at once, so work that a later stage needs runs in the background while
this process waits on other jobs (a core never idles behind one long job). The chunk
functions are the same for every engine, so results are too.
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from types import TracebackType
from typing import Any, Protocol, TypeVar

T = TypeVar("T")

_in_job = False  # True while one_thread runs a job in this process


def in_single_thread_job() -> bool:
    """Whether a one_thread job is running here: libraries with thread pools of their own,
    which threadpoolctl does not reach (torch), read this to keep to one thread too."""
    return _in_job


def one_thread(fn: Callable[..., T], *args: Any) -> T:
    """fn(*args) with BLAS and OpenMP on one thread. More threads add sums up in another
    order, so floats (and then near-tied topics) would depend on where a job ran: every
    engine runs every job this way, and results are the same in this process, on a pool or
    on a Dask worker (which starts with one thread anyway).

    The cyclic garbage collector is paused for the job: a chunk's work allocates millions of
    small lists (tokens per document, clauses), which hold no cycles but make the collector
    re-scan everything alive on every threshold — 10–20 % of a segmentation or scoring job.
    The job's cyclic garbage is collected when it ends, before the heap is handed back."""
    import sklearn.cluster  # noqa: F401  (loads BLAS and OpenMP so the limit reaches them)
    from threadpoolctl import threadpool_limits

    global _in_job
    outer, _in_job = _in_job, True
    with threadpool_limits(limits=1):
        try:
            with paused_gc():
                return fn(*args)
        finally:
            _in_job = outer
            release_memory()


@contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic garbage collection inside the block; after it, the collector runs as it did
    before and collects the youngest generation: everything the block allocated is still
    there (nothing was collected), so its cycles go now and older objects are not re-scanned."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
            gc.collect(0)


@lru_cache(maxsize=1)
def _malloc_trim() -> Callable[[int], int] | None:
    try:
        return ctypes.CDLL("libc.so.6").malloc_trim  # type: ignore[no-any-return]
    except (OSError, AttributeError):  # not glibc
        return None


def release_memory() -> None:
    """Hand the heap memory freed so far back to the system. glibc keeps it otherwise, so a
    process that once held a big chunk stays that big for the rest of the run (a worker that
    fitted a topic model, the main process after reading a batch). A no-op off glibc."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
               else os.cpu_count() or 1)


class Engine:
    """A local process pool (workers > 1) or plain in-process calls (workers = 1)."""

    def __init__(self, workers: int = 1) -> None:
        self.workers = max(1, workers)
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> Engine:
        if self.workers > 1:
            # spawn, not fork: the parent runs Arrow and DuckDB threads, which fork can break
            self._pool = ProcessPoolExecutor(self.workers,
                                             mp_context=multiprocessing.get_context("spawn"))
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=error is None, cancel_futures=error is not None)
            self._pool = None

    def map(self, fn: Callable[..., T], jobs: Iterable[tuple[Any, ...]]) -> Iterator[T]:
        if self._pool is None:
            for job in jobs:
                yield one_thread(fn, *job)
            return
        pending: deque[Future[T]] = deque()
        limit = self.workers * 2
        for job in jobs:
            pending.append(self._pool.submit(one_thread, fn, *job))
            if len(pending) >= limit:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()

    def start(self, fn: Callable[..., T], jobs: Iterable[tuple[Any, ...]]) -> Iterator[T]:
        """Every job submitted now; results in job order. In this process (no pool) a job
        runs when its result is read."""
        if self._pool is None:
            return self.map(fn, jobs)
        pool = self._pool
        return _in_order(deque(pool.submit(one_thread, fn, *job) for job in jobs))


def _in_order(futures: deque[Any]) -> Iterator[Any]:
    """Results in submission order, each future let go once read (a result read is not held
    twice, and on Dask its worker may free it)."""
    while futures:
        yield futures.popleft().result()


class EngineKind(StrEnum):
    LOCAL = "local"
    DASK = "dask"


@dataclass(frozen=True)
class EngineSpec:
    """Where chunk functions run. workers 0 = every core (a local pool only for large
    batches); scheduler: a dask.distributed address such as tcp://10.0.0.5:8786, or None for
    a LocalCluster on this machine."""

    kind: EngineKind = EngineKind.LOCAL
    workers: int = 0
    scheduler: str | None = None


class ChunkEngine(Protocol):
    workers: int  # how many jobs run at once

    def __enter__(self) -> ChunkEngine: ...

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None: ...

    def map(self, fn: Callable[..., T], jobs: Iterable[tuple[Any, ...]]) -> Iterator[T]: ...

    def start(self, fn: Callable[..., T], jobs: Iterable[tuple[Any, ...]]) -> Iterator[T]: ...


def open_engine(spec: EngineSpec, large: bool) -> ChunkEngine:
    """The engine for one stage. A local pool starts only for large inputs (below that,
    starting processes costs more than it saves) unless workers were set; Dask always runs
    the chunks when asked for, so a small batch shows the same results as a big one."""
    if spec.kind is EngineKind.DASK:
        return DaskEngine(spec.workers or default_workers(), spec.scheduler)
    if spec.workers:
        return Engine(spec.workers)
    return Engine(default_workers() if large else 1)


class DaskEngine:
    """The same chunk functions on a dask.distributed cluster.

    With a scheduler address, voc connects to that cluster (its workers need voc installed,
    the same version, and read nothing from disk: each chunk travels with its job). Without
    one, a LocalCluster of `workers` single-threaded processes starts here and stops after.
    """

    def __init__(self, workers: int, scheduler: str | None = None) -> None:
        self.workers = max(1, workers)
        self.scheduler = scheduler
        self._client: Any = None
        self._cluster: Any = None

    def __enter__(self) -> DaskEngine:
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError as exc:  # an optional extra
            raise RuntimeError("the Dask engine needs dask.distributed: "
                               "pip install 'voc[dask]'") from exc
        if self.scheduler:
            self._client = Client(self.scheduler)
            workers = len(self._client.scheduler_info().get("workers", {}))
            self.workers = max(1, workers)
        else:
            import dask

            # Dask's nannies start workers with MALLOC_TRIM_THRESHOLD_=65536: glibc then hands
            # memory back after nearly every free, which cost a lexicon chunk 8% here; voc's
            # jobs hand theirs back when they end (release_memory), as on the local pool.
            with dask.config.set({
                    "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None}):
                self._cluster = LocalCluster(n_workers=self.workers, threads_per_worker=1,
                                             processes=True, dashboard_address=None)
            self._client = Client(self._cluster)
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if self._client is not None:
            self._client.close()
        if self._cluster is not None:
            self._cluster.close()
        self._client = self._cluster = None

    def map(self, fn: Callable[..., T], jobs: Iterable[tuple[Any, ...]]) -> Iterator[T]:
        if self._client is None:
            raise RuntimeError("DaskEngine.map outside its `with` block")
        pending: deque[Any] = deque()
        limit = self.workers * 2
        for job in jobs:
            # pure=False: equal chunks are still separate jobs (no result sharing by hash)
            pending.append(self._client.submit(one_thread, fn, *job, pure=False))
            if len(pending) >= limit:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()

    def start(self, fn: Callable[..., T], jobs: Iterable[tuple[Any, ...]]) -> Iterator[T]:
        if self._client is None:
            raise RuntimeError("DaskEngine.start outside its `with` block")
        client = self._client
        return _in_order(deque(client.submit(one_thread, fn, *job, pure=False)
                               for job in jobs))
