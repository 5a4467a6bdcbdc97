"""Executors that run chunk functions: in this process, or on a local process pool.

`Engine.map(fn, jobs)` yields fn(*job) for every job, in job order, whatever order the
workers finish in, with a bounded number of chunks in flight so memory stays flat.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from types import TracebackType
from typing import Any, TypeVar

T = TypeVar("T")


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
                yield fn(*job)
            return
        pending: deque[Future[T]] = deque()
        limit = self.workers * 2
        for job in jobs:
            pending.append(self._pool.submit(fn, *job))
            if len(pending) >= limit:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
