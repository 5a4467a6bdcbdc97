from __future__ import annotations

import time

import pytest

from voc.engine import Engine, default_workers


def slow_square(value: int) -> int:
    time.sleep(0.05 if value % 2 == 0 else 0.0)  # even jobs finish later
    return value * value


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


def test_engine_default_workers_is_positive() -> None:
    assert default_workers() >= 1
