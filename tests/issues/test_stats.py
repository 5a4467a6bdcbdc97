"""Tests for voc.issues.stats: known inputs against textbook formulas and scipy."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from voc.issues.stats import (
    FISHER,
    Z_TEST,
    key_drivers,
    mean_difference,
    nps,
    nps_difference,
    two_proportion_test,
    two_proportion_tests,
)

Z95 = 1.959963984540054


# --- proportions -------------------------------------------------------------------------------
def test_two_proportion_test_matches_textbook_formula() -> None:
    result = two_proportion_test(45, 100, 30, 100)
    pooled = 75 / 200
    z = (0.30 - 0.45) / math.sqrt(pooled * (1 - pooled) * (1 / 100 + 1 / 100))
    assert result.test == Z_TEST
    assert (result.p1, result.p2) == pytest.approx((0.45, 0.30))
    assert result.difference == pytest.approx(-0.15)
    assert result.z == pytest.approx(z) and result.z == pytest.approx(-2.19089, abs=1e-5)
    assert result.p_value == pytest.approx(math.erfc(abs(z) / math.sqrt(2)))
    assert result.p_value == pytest.approx(0.028460, abs=1e-6)
    # Wald: -0.15 ± 1.96·sqrt(.45·.55/100 + .3·.7/100) = -0.15 ± 0.132570
    assert (result.ci_low, result.ci_high) == pytest.approx((-0.282570, -0.017430), abs=1e-6)
    expected_h = 2 * math.asin(math.sqrt(0.30)) - 2 * math.asin(math.sqrt(0.45))
    assert result.cohens_h == pytest.approx(expected_h)


def test_two_proportion_test_confidence_widens_interval() -> None:
    narrow = two_proportion_test(45, 100, 30, 100, confidence=0.90)
    wide = two_proportion_test(45, 100, 30, 100, confidence=0.99)
    assert wide.ci_low < narrow.ci_low < narrow.ci_high < wide.ci_high
    assert wide.p_value == narrow.p_value
    with pytest.raises(ValueError, match="confidence"):
        two_proportion_test(45, 100, 30, 100, confidence=95)


def test_two_proportion_test_uses_fisher_for_small_expected_counts() -> None:
    result = two_proportion_test(3, 10, 1, 12)
    expected = stats.fisher_exact([[3, 7], [1, 11]], alternative="two-sided").pvalue
    assert result.test == FISHER
    assert result.p_value == pytest.approx(expected)
    assert result.z == 0.0
    # CI and effect size are still filled from the proportions.
    half = Z95 * math.sqrt(0.3 * 0.7 / 10 + (1 / 12) * (11 / 12) / 12)
    assert result.ci_low == pytest.approx(1 / 12 - 0.3 - half)
    assert result.ci_high == pytest.approx(1 / 12 - 0.3 + half)
    assert result.cohens_h == pytest.approx(
        2 * math.asin(math.sqrt(1 / 12)) - 2 * math.asin(math.sqrt(0.3)))


def test_two_proportion_test_degenerate_inputs_are_nan_free() -> None:
    empty = two_proportion_test(0, 0, 5, 50)
    assert empty.p_value == 1.0 and empty.difference == 0.0 and empty.z == 0.0
    assert (empty.ci_low, empty.ci_high) == (-1.0, 1.0)
    assert not any(math.isnan(v) for v in (empty.p1, empty.p2, empty.cohens_h))
    for counts in [(0, 200, 0, 300), (200, 200, 300, 300)]:
        same = two_proportion_test(*counts)
        assert same.p_value == 1.0 and same.difference == 0.0
        frame = two_proportion_tests(*(np.array([c]) for c in counts))
        assert frame.loc[0, "z"] == 0.0 and frame.loc[0, "p_value"] == 1.0


def test_two_proportion_test_rejects_impossible_counts() -> None:
    with pytest.raises(ValueError, match="successes"):
        two_proportion_test(11, 10, 1, 10)
    with pytest.raises(ValueError, match="group 2"):
        two_proportion_tests(np.array([1]), np.array([10]), np.array([-1]), np.array([10]))


def test_two_proportion_tests_agree_with_scalar_version() -> None:
    rng = np.random.default_rng(7)
    n1 = rng.integers(0, 400, size=60)
    n2 = rng.integers(0, 400, size=60)
    s1 = rng.binomial(n1, 0.3)
    s2 = rng.binomial(n2, 0.35)
    frame = two_proportion_tests(s1, n1, s2, n2)
    assert list(frame.columns) == ["p1", "p2", "difference", "z", "p_value", "ci_low",
                                   "ci_high", "cohens_h"]
    assert not frame.isna().any().any()
    checked = 0
    for i in range(len(frame)):
        scalar = two_proportion_test(int(s1[i]), int(n1[i]), int(s2[i]), int(n2[i]))
        row = frame.iloc[i]
        for column in ("p1", "p2", "difference", "ci_low", "ci_high", "cohens_h"):
            assert row[column] == pytest.approx(getattr(scalar, column), abs=1e-12)
        if scalar.test == Z_TEST:
            assert row["z"] == pytest.approx(scalar.z)
            assert row["p_value"] == pytest.approx(scalar.p_value)
            checked += 1
    assert checked > 40


# --- means -------------------------------------------------------------------------------------
def test_mean_difference_matches_scipy_welch() -> None:
    with_issue = np.array([3.0, 4.0, 2.0, 5.0, 3.0, 2.0, np.nan])
    without = np.array([6.0, 7.0, 5.0, 8.0, 6.0, 9.0, 7.0, 5.0])
    result = mean_difference(with_issue, without)
    clean = with_issue[~np.isnan(with_issue)]
    reference = stats.ttest_ind(clean, without, equal_var=False)
    interval = reference.confidence_interval(0.95)
    assert (result.n_with, result.n_without) == (6, 8)
    assert result.mean_with == pytest.approx(19 / 6)
    assert result.difference == pytest.approx(19 / 6 - 53 / 8)
    assert result.p_value == pytest.approx(reference.pvalue)
    assert (result.ci_low, result.ci_high) == pytest.approx((interval.low, interval.high))
    pooled = math.sqrt((5 * clean.var(ddof=1) + 7 * without.var(ddof=1)) / 12)
    assert result.cohens_d == pytest.approx(result.difference / pooled)


def test_mean_difference_small_and_constant_groups() -> None:
    tiny = mean_difference([4.0, np.nan], [1.0, 2.0, 3.0])
    assert tiny.p_value == 1.0 and tiny.n_with == 1
    assert math.isnan(tiny.ci_low) and math.isnan(tiny.ci_high)
    assert tiny.difference == pytest.approx(2.0)
    constant = mean_difference([2.0, 2.0, 2.0], [2.0, 2.0])
    assert constant.p_value == 1.0 and constant.cohens_d == 0.0
    apart = mean_difference([1.0, 1.0], [3.0, 3.0, 3.0])
    assert apart.p_value == 0.0 and apart.ci_low == apart.ci_high == -2.0


# --- NPS ---------------------------------------------------------------------------------------
def test_nps_coding() -> None:
    assert nps(np.array([10, 9, 8, 7, 6, 0])) == pytest.approx(0.0)
    assert nps([10, 10, 0]) == pytest.approx(100 / 3)
    assert nps([9, 9, np.nan, 7]) == pytest.approx(200 / 3)
    assert math.isnan(nps([np.nan]))
    assert math.isnan(nps([]))
    with pytest.raises(ValueError, match="between 0 and 10"):
        nps([11, 5])


def test_nps_difference_is_welch_on_coded_respondents() -> None:
    with_issue = np.array([0, 3, 6, 6, 7, 9, 10, 2, np.nan])
    without = np.array([10, 9, 9, 8, 7, 10, 6, 9, 10, 8])
    result = nps_difference(with_issue, without)
    assert result.mean_with == pytest.approx(nps(with_issue))  # (2 - 5) / 8
    assert result.mean_with == pytest.approx(-37.5)
    assert result.mean_without == pytest.approx(nps(without))  # (6 - 1) / 10
    assert result.difference == pytest.approx(-37.5 - 50.0)
    coded_with = np.array([-100, -100, -100, -100, 0, 100, 100, -100])
    coded_without = np.array([100, 100, 100, 0, 0, 100, -100, 100, 100, 0])
    reference = stats.ttest_ind(coded_with, coded_without, equal_var=False)
    assert result.p_value == pytest.approx(reference.pvalue)
    interval = reference.confidence_interval(0.95)
    assert (result.ci_low, result.ci_high) == pytest.approx((interval.low, interval.high))


# --- key drivers -------------------------------------------------------------------------------
def _synthetic(n: int = 3000, seed: int = 11) -> tuple[np.ndarray, np.ndarray]:
    """score = 8 − 2·A − 0.5·B + noise, with B far more common when A is present."""
    rng = np.random.default_rng(seed)
    a = rng.random(n) < 0.3
    b = rng.random(n) < np.where(a, 0.7, 0.15)
    rare = np.zeros(n, dtype=bool)
    rare[:5] = True
    score = 8.0 - 2.0 * a - 0.5 * b + rng.normal(0.0, 1.0, n)
    return score, np.column_stack([a, b, rare])


def test_key_drivers_recovers_planted_coefficients() -> None:
    score, presence = _synthetic()
    effects = key_drivers(score, presence, ["A", "B", "rare"])
    table = effects.table.set_index("issue")
    assert effects.n == 3000
    assert effects.intercept == pytest.approx(8.0, abs=0.1)
    for issue, truth in (("A", -2.0), ("B", -0.5)):
        row = table.loc[issue]
        assert row["coefficient"] == pytest.approx(truth, abs=0.15)
        assert row["ci_low"] < truth < row["ci_high"]
        assert row["p_value"] < 1e-6
        assert row["worth"] == pytest.approx(-row["coefficient"] * row["share"])
    # The joint fit separates B from A; B's raw mean difference is confounded by A.
    b = presence[:, 1]
    assert score[b].mean() - score[~b].mean() < -1.0
    assert 0.3 < effects.r_squared < 0.8


def test_key_drivers_matches_normal_equations() -> None:
    score, presence = _synthetic(n=400, seed=3)
    effects = key_drivers(score, presence[:, :2], ["A", "B"])
    design = np.column_stack([np.ones(400), presence[:, :2]])
    beta = np.linalg.solve(design.T @ design, design.T @ score)
    residual = score - design @ beta
    sigma2 = residual @ residual / (400 - 3)
    se = np.sqrt(np.diag(np.linalg.inv(design.T @ design)) * sigma2)
    crit = stats.t.ppf(0.975, 397)
    table = effects.table
    assert table["coefficient"].to_numpy() == pytest.approx(beta[1:])
    assert table["ci_low"].to_numpy() == pytest.approx(beta[1:] - crit * se[1:])
    p = 2 * stats.t.sf(np.abs(beta[1:] / se[1:]), 397)
    assert table["p_value"].to_numpy() == pytest.approx(p)
    assert effects.r_squared == pytest.approx(
        1 - residual @ residual / np.sum((score - score.mean()) ** 2))


def test_key_drivers_reports_rare_issue_with_nans() -> None:
    score, presence = _synthetic()
    row = key_drivers(score, presence, ["A", "B", "rare"]).table.iloc[2]
    assert row["issue"] == "rare" and row["n_with"] == 5
    assert row["share"] == pytest.approx(5 / 3000)
    for column in ("coefficient", "ci_low", "ci_high", "p_value", "worth"):
        assert math.isnan(row[column])
    kept = key_drivers(score, presence, ["A", "B", "rare"], min_docs=5).table.iloc[2]
    assert not math.isnan(kept["coefficient"])


def test_key_drivers_duplicate_column_is_unidentified_not_garbage() -> None:
    score, presence = _synthetic()
    doubled = np.column_stack([presence[:, :2], presence[:, 0]])
    effects = key_drivers(score, doubled, ["A", "B", "A again"])
    table = effects.table.set_index("issue")
    for issue in ("A", "A again"):
        assert math.isnan(table.loc[issue, "coefficient"])
        assert math.isnan(table.loc[issue, "p_value"])
    # B stays estimable and equal to the fit without the duplicate.
    single = key_drivers(score, presence[:, :2], ["A", "B"]).table.set_index("issue")
    assert table.loc["B", "coefficient"] == pytest.approx(single.loc["B", "coefficient"])
    assert table.loc["B", "ci_high"] == pytest.approx(single.loc["B", "ci_high"])
    assert effects.intercept == pytest.approx(8.0, abs=0.1)


def test_key_drivers_issue_everywhere_and_nan_scores() -> None:
    score, presence = _synthetic(n=500)
    score[:50] = np.nan
    everywhere = np.ones((500, 1), dtype=bool)
    effects = key_drivers(score, np.column_stack([presence[:, :2], everywhere]),
                          ["A", "B", "all"])
    assert effects.n == 450
    assert effects.table["n_with"].iloc[2] == 450
    # Collinear with the intercept: neither it nor the intercept is identifiable.
    assert math.isnan(effects.table["coefficient"].iloc[2]) and math.isnan(effects.intercept)
    assert not math.isnan(effects.table["coefficient"].iloc[0])


def test_key_drivers_perfect_fit_and_shape_check() -> None:
    a = np.array([True, False] * 10)
    effects = key_drivers(5.0 - 1.5 * a, a[:, None], ["A"])
    row = effects.table.iloc[0]
    assert row["coefficient"] == pytest.approx(-1.5)
    # Residuals are rounding error only: p is ~0 and the CI collapses onto the coefficient.
    assert row["p_value"] < 1e-100 and row["ci_low"] == pytest.approx(-1.5)
    assert effects.r_squared == pytest.approx(1.0)
    with pytest.raises(ValueError, match="documents × issues"):
        key_drivers(np.zeros(3), np.zeros((4, 1), dtype=bool), ["A"])


def test_ols_on_distinct_rows_equals_the_full_design() -> None:
    """Documents raising the same issues share a design row: fitting the distinct rows
    weighted by their counts gives the full design's coefficients, SEs and R²."""
    from voc.issues.stats import _ols

    rng = np.random.default_rng(7)
    distinct = np.column_stack([np.ones(6), rng.random((6, 3)) < 0.5]).astype(np.float64)
    inverse = rng.integers(0, 6, 400)
    y = distinct[inverse] @ np.array([3.0, -1.0, 0.5, 2.0]) + rng.normal(0, 1, 400)
    grouped, full = _ols(distinct, y, inverse), _ols(distinct[inverse], y)
    assert np.allclose(grouped.beta, full.beta, equal_nan=True, rtol=1e-9)
    assert np.allclose(grouped.se, full.se, equal_nan=True, rtol=1e-9)
    assert grouped.df == full.df and np.isclose(grouped.r_squared, full.r_squared)
