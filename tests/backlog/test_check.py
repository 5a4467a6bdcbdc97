"""Check verdicts on known counts: test used, p-value, effect size, target, suggestion."""

from __future__ import annotations

import math

import pytest

from voc.backlog.check import Counts, check
from voc.backlog.items import Target


def z_p_value(x1: int, n1: int, x2: int, n2: int) -> float:
    p1, p2, pooled = x1 / n1, x2 / n2, (x1 + x2) / (n1 + n2)
    z = (p2 - p1) / math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    return math.erfc(abs(z) / math.sqrt(2))


def test_a_real_fall_is_improved_and_meets_its_target() -> None:
    verdict = check(Counts(200, 150, 1800), Counts(70, 50, 1800),
                    Target("complaint_share", -0.3))
    assert verdict.verdict == "improved" and verdict.test == "two-proportion z-test"
    assert verdict.p_value == pytest.approx(z_p_value(150, 1800, 50, 1800))
    assert verdict.baseline == pytest.approx(150 / 1800)
    assert verdict.relative_change == pytest.approx(50 / 150 - 1)
    assert verdict.effect_size == pytest.approx(
        2 * math.asin(math.sqrt(50 / 1800)) - 2 * math.asin(math.sqrt(150 / 1800)))
    assert verdict.target_met and verdict.suggestion == "act"


def test_noise_is_no_change_and_goes_back_to_plan() -> None:
    verdict = check(Counts(150, 120, 1800), Counts(146, 118, 1826), None)
    assert verdict.verdict == "no_change" and verdict.p_value > 0.5
    assert verdict.metric == "complaint_share" and verdict.target == "complaint_share -20%"
    assert not verdict.target_met and verdict.suggestion == "plan"


def test_a_significant_rise_is_worse_and_a_small_fall_misses_the_target() -> None:
    worse = check(Counts(100, 50, 1000), Counts(200, 150, 1000), Target("volume", -0.2))
    assert worse.verdict == "worse" and worse.metric == "volume"
    assert worse.baseline == pytest.approx(0.1) and worse.current == pytest.approx(0.2)
    small = check(Counts(1000, 500, 10000), Counts(1000, 440, 10000),
                  Target("negative_rate", -0.3))
    assert small.verdict == "improved" and not small.target_met  # -12% is not -30%


def test_small_counts_use_fishers_exact_test() -> None:
    verdict = check(Counts(10, 6, 100), Counts(10, 1, 100), Target("negative_rate", -0.5))
    assert verdict.test == "Fisher's exact test"
