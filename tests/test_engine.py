from __future__ import annotations

import time

import pytest

from voc.engine import (
    DaskEngine,
    Engine,
    EngineKind,
    EngineSpec,
    default_workers,
    open_engine,
    paused_gc,
)


def slow_square(value: int) -> int:
    time.sleep(0.05 if value % 2 == 0 else 0.0)  # even jobs finish later
    return value * value


def environment(name: str) -> str | None:
    import os

    return os.environ.get(name)


def fail_on_three(value: int) -> int:
    if value == 3:
        raise ValueError("three")
    return value


@pytest.mark.parametrize("workers", [1, 2])
def test_engine_map_keeps_job_order(workers: int) -> None:
    with Engine(workers) as engine:
        assert list(engine.map(slow_square, [(n,) for n in range(10)])) == [
            n * n for n in range(10)]


def test_engine_errors_reach_the_caller() -> None:
    with Engine(2) as engine, pytest.raises(ValueError, match="three"):
        list(engine.map(fail_on_three, [(n,) for n in range(6)]))


def blas_threads(_: int) -> int:
    from threadpoolctl import threadpool_info

    return max(pool["num_threads"] for pool in threadpool_info())


@pytest.mark.parametrize("workers", [1, 2])
def test_every_job_runs_blas_and_openmp_on_one_thread(workers: int) -> None:
    # more threads would add floats up in another order: results would depend on the engine
    with Engine(workers) as engine:
        assert list(engine.map(blas_threads, [(0,), (1,)])) == [1, 1]


def job_flag(_: int) -> bool:
    from voc.engine import in_single_thread_job

    return in_single_thread_job()


@pytest.mark.parametrize("workers", [1, 2])
def test_jobs_know_they_run_on_one_thread_and_the_caller_does_not(workers: int) -> None:
    from voc.engine import in_single_thread_job

    with Engine(workers) as engine:
        assert list(engine.map(job_flag, [(0,), (1,)])) == [True, True]
        with pytest.raises(RuntimeError):
            list(engine.map(fail_with_collector_state, [(0,)]))
    assert not in_single_thread_job()


def collector_enabled(_: int) -> bool:
    import gc

    return gc.isenabled()


def fail_with_collector_state(_: int) -> None:
    import gc

    raise RuntimeError(f"collector enabled: {gc.isenabled()}")


@pytest.mark.parametrize("workers", [1, 2])
def test_jobs_run_without_the_cyclic_collector_and_it_comes_back(workers: int) -> None:
    import gc

    with Engine(workers) as engine:
        assert list(engine.map(collector_enabled, [(0,), (1,)])) == [False, False]
        with pytest.raises(RuntimeError, match="enabled: False"):
            list(engine.map(fail_with_collector_state, [(0,)]))
    assert gc.isenabled()  # this process: as it was, also after a job that raised
    gc.disable()
    try:
        with paused_gc():
            pass
        assert not gc.isenabled()  # a caller's own pause is left alone
    finally:
        gc.enable()


class Cycle:
    def __init__(self) -> None:
        self.me = self


def test_a_paused_blocks_cycles_are_collected_when_it_ends() -> None:
    import weakref

    with paused_gc():
        cycle = Cycle()
        alive = weakref.ref(cycle)
        del cycle
        assert alive() is not None  # unreachable, but nothing collects it inside the block
    assert alive() is None


def test_engine_default_workers_is_positive() -> None:
    assert default_workers() >= 1


def test_dask_engine_keeps_job_order_and_raises_errors() -> None:
    with DaskEngine(2) as engine:
        assert list(engine.map(slow_square, [(n,) for n in range(10)])) == [
            n * n for n in range(10)]
        with pytest.raises(ValueError, match="three"):
            list(engine.map(fail_on_three, [(n,) for n in range(6)]))
        assert list(engine.start(slow_square, [(n,) for n in range(4)])) == [0, 1, 4, 9]


def test_dask_local_workers_keep_glibcs_own_trim_threshold(monkeypatch) -> None:
    # Dask's nannies would set MALLOC_TRIM_THRESHOLD_=65536 (slower allocation in every job)
    monkeypatch.delenv("MALLOC_TRIM_THRESHOLD_", raising=False)
    with DaskEngine(2) as engine:
        assert list(engine.map(environment, [("MALLOC_TRIM_THRESHOLD_",)] * 2)) == [None, None]
        assert list(engine.map(environment, [("OMP_NUM_THREADS",)])) == ["1"]


def test_open_engine_picks_the_engine_the_spec_names() -> None:
    assert open_engine(EngineSpec(), large=False).workers == 1  # small: no pool to start
    assert open_engine(EngineSpec(), large=True).workers == default_workers()
    assert open_engine(EngineSpec(workers=3), large=False).workers == 3  # asked for: honoured
    dask = open_engine(EngineSpec(EngineKind.DASK, workers=2), large=False)
    assert isinstance(dask, DaskEngine) and dask.workers == 2 and dask.scheduler is None


def touch(path: str) -> str:
    from pathlib import Path

    Path(path).touch()
    return path


def test_started_jobs_run_before_their_results_are_read(tmp_path) -> None:
    markers = [str(tmp_path / f"job-{n}") for n in range(4)]
    with Engine(2) as engine:
        started = engine.start(touch, [(marker,) for marker in markers])
        # a later stage's jobs share the pool meanwhile
        assert list(engine.map(slow_square, [(n,) for n in range(4)])) == [0, 1, 4, 9]
        deadline = time.monotonic() + 30
        while not all((tmp_path / f"job-{n}").exists() for n in range(4)):
            assert time.monotonic() < deadline, "started jobs never ran"
            time.sleep(0.05)
        assert list(started) == markers


@pytest.mark.parametrize("workers", [1, 2])
def test_start_keeps_job_order_and_raises_errors(workers: int) -> None:
    with Engine(workers) as engine:
        assert list(engine.start(slow_square, [(n,) for n in range(6)])) == [
            n * n for n in range(6)]
        with pytest.raises(ValueError, match="three"):
            list(engine.start(fail_on_three, [(n,) for n in range(6)]))
