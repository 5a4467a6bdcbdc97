"""Statistics behind issue ranking and the PDCA "Check" verdicts.

Four questions, each answered with an effect size, a confidence interval and a p-value:

* did the share of documents raising an issue change between two batches?
  `two_proportion_test` (one issue; Fisher's exact test for small counts) and
  `two_proportion_tests` (many issues at once, vectorised);
* do documents mentioning an issue score lower? `mean_difference` (Welch's t-test);
* is their NPS lower? `nps` and `nps_difference`;
* which issues drive the score when they overlap? `key_drivers` (joint OLS regression).

Degenerate inputs (empty groups, zero variance) give documented, NaN-free p-values wherever
the answer is "no evidence", so a report never has to special-case them.

>>> round(two_proportion_test(45, 100, 30, 100).p_value, 4)
0.0285
>>> round(nps([10, 10, 0]), 1)
33.3
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import stats

Z_TEST = "two-proportion z-test"
FISHER = "Fisher's exact test"
# Fisher's exact test replaces the normal approximation below this expected cell count.
MIN_EXPECTED = 5.0
# A coefficient is identifiable when its unit vector lies in the design's row space; with
# floating point the projection's squared length is 1 up to rounding (exactly 0.5 for a
# duplicated column), so anything further than this from 1 is not identifiable.
IDENTIFIABLE_TOL = 1e-6

ArrayLike = npt.ArrayLike
FloatArray = npt.NDArray[np.float64]


def _critical(confidence: float) -> float:
    """Two-sided standard-normal critical value, e.g. 1.96 for 0.95."""
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence must be between 0 and 1, got {confidence}")
    return float(stats.norm.ppf(0.5 + confidence / 2.0))


# --- proportions -------------------------------------------------------------------------------
@dataclass(frozen=True)
class ProportionTest:
    """Two-sided comparison of proportions p1 = successes1/n1 and p2 = successes2/n2.

    `z` is the pooled-SE z statistic; it is 0.0 when `test` is Fisher's exact test (the
    p-value then comes from Fisher). The CI is the unpooled Wald interval of `difference`,
    clipped to [-1, 1]. `cohens_h` is 2·asin(√p2) − 2·asin(√p1).
    """

    p1: float
    p2: float
    difference: float  # p2 - p1
    z: float
    p_value: float
    ci_low: float
    ci_high: float
    cohens_h: float
    test: str = Z_TEST


def _counts(successes: ArrayLike, n: ArrayLike, side: str) -> tuple[FloatArray, FloatArray]:
    s_arr, n_arr = np.asarray(successes, dtype=np.float64), np.asarray(n, dtype=np.float64)
    if np.any(n_arr < 0) or np.any(s_arr < 0) or np.any(s_arr > n_arr):
        raise ValueError(f"group {side}: counts must satisfy 0 <= successes <= n")
    return s_arr, n_arr


def _z_tests(s1: FloatArray, n1: FloatArray, s2: FloatArray, n2: FloatArray,
             confidence: float) -> dict[str, FloatArray]:
    """Pooled z-test, Wald CI and Cohen's h, elementwise over broadcast arrays."""
    crit = _critical(confidence)
    empty = (n1 == 0) | (n2 == 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        # An empty group has no proportion; it is reported as 0 and its comparison as "no
        # difference, anything possible" (difference 0, CI [-1, 1], p = 1) to stay NaN-free.
        p1 = np.where(n1 > 0, s1 / n1, 0.0)
        p2 = np.where(n2 > 0, s2 / n2, 0.0)
        diff = np.where(empty, 0.0, p2 - p1)
        pooled = (s1 + s2) / (n1 + n2)
        se_pooled = np.sqrt(pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n2))
        # Both proportions 0 or both 1: pooled SE is 0 and there is nothing to test.
        z = np.where(empty | ~(se_pooled > 0), 0.0, diff / se_pooled)
        se_wald = np.sqrt(p1 * (1.0 - p1) / n1 + p2 * (1.0 - p2) / n2)
    p_value = np.where(z == 0.0, 1.0, 2.0 * stats.norm.sf(np.abs(z)))
    half = np.where(empty, np.inf, crit * se_wald)
    h = np.where(empty, 0.0, 2.0 * np.arcsin(np.sqrt(p2)) - 2.0 * np.arcsin(np.sqrt(p1)))
    return {"p1": p1, "p2": p2, "difference": diff, "z": z, "p_value": p_value,
            "ci_low": np.clip(diff - half, -1.0, 1.0), "ci_high": np.clip(diff + half, -1.0, 1.0),
            "cohens_h": h}


def _needs_fisher(s1: float, n1: float, s2: float, n2: float) -> bool:
    """True when any expected count of the 2×2 table is below MIN_EXPECTED."""
    total = n1 + n2
    hits = s1 + s2
    expected = [r * c / total for r in (n1, n2) for c in (hits, total - hits)]
    return min(expected) < MIN_EXPECTED


def two_proportion_test(successes1: int, n1: int, successes2: int, n2: int,
                        confidence: float = 0.95) -> ProportionTest:
    """Compare two proportions (e.g. an issue's share of documents in two batches).

    A two-sided pooled-SE z-test, or Fisher's exact test when any expected cell count is
    below 5 (then `z` is 0.0 and `test` says so); the Wald CI and Cohen's h are filled either
    way. An empty group (n == 0) gives p_value 1.0, difference 0 and CI [-1, 1]; both
    proportions 0 or both 1 give z 0 and p 1.

    >>> two_proportion_test(3, 10, 1, 10).test
    "Fisher's exact test"
    """
    s1, m1 = _counts(successes1, n1, "1")
    s2, m2 = _counts(successes2, n2, "2")
    row = {key: float(value) for key, value in _z_tests(s1, m1, s2, m2, confidence).items()}
    if n1 == 0 or n2 == 0 or not _needs_fisher(successes1, n1, successes2, n2):
        return ProportionTest(**row)
    table = [[successes1, n1 - successes1], [successes2, n2 - successes2]]
    fisher_p = float(stats.fisher_exact(table, alternative="two-sided").pvalue)
    return ProportionTest(**{**row, "z": 0.0, "p_value": min(fisher_p, 1.0)}, test=FISHER)


def two_proportion_tests(successes1: ArrayLike, n1: ArrayLike, successes2: ArrayLike,
                         n2: ArrayLike, confidence: float = 0.95) -> pd.DataFrame:
    """Vectorised z-test for many issues at once (arrays broadcast against each other).

    Columns p1, p2, difference, z, p_value, ci_low, ci_high, cohens_h, one row per element,
    with the same edge-case rules as `two_proportion_test`. Always the z-test: a caller that
    wants Fisher's exact test for small counts uses `two_proportion_test` on those rows.
    """
    s1, m1 = _counts(successes1, n1, "1")
    s2, m2 = _counts(successes2, n2, "2")
    arrays = np.broadcast_arrays(s1, m1, s2, m2)
    columns = _z_tests(*(np.ravel(a) for a in arrays), confidence=confidence)
    return pd.DataFrame(columns)


# --- means -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class MeanDifference:
    """Welch comparison of a score between documents with and without an issue.

    With fewer than 2 values on a side, p_value is 1.0 and the CI and cohens_d are NaN (no
    variance to test against); with zero variance on both sides p_value is 1.0 if the means
    are equal and 0.0 otherwise, the CI collapses to the difference and cohens_d is NaN
    unless the difference is 0.
    """

    mean_with: float
    mean_without: float
    difference: float  # mean_with - mean_without
    ci_low: float
    ci_high: float
    p_value: float
    n_with: int
    n_without: int
    cohens_d: float


def _finite(values: ArrayLike) -> FloatArray:
    array = np.asarray(values, dtype=np.float64).ravel()
    return array[~np.isnan(array)]


def mean_difference(with_issue: ArrayLike, without_issue: ArrayLike,
                    confidence: float = 0.95) -> MeanDifference:
    """Welch's t-test of mean(with_issue) − mean(without_issue); NaNs are ignored.

    The CI uses the Welch–Satterthwaite degrees of freedom; Cohen's d divides by the pooled
    standard deviation. See `MeanDifference` for the small-sample and zero-variance rules.
    """
    _critical(confidence)  # validate early, even when the CI ends up NaN
    x, y = _finite(with_issue), _finite(without_issue)
    nx, ny = len(x), len(y)
    mx = float(x.mean()) if nx else math.nan
    my = float(y.mean()) if ny else math.nan
    diff = mx - my
    if nx < 2 or ny < 2:
        return MeanDifference(mx, my, diff, math.nan, math.nan, 1.0, nx, ny, math.nan)
    vx, vy = float(x.var(ddof=1)), float(y.var(ddof=1))
    pooled_sd = math.sqrt(((nx - 1) * vx + (ny - 1) * vy) / (nx + ny - 2))
    cohens_d = diff / pooled_sd if pooled_sd > 0 else (0.0 if diff == 0 else math.nan)
    se2x, se2y = vx / nx, vy / ny
    se = math.sqrt(se2x + se2y)
    if se == 0:
        return MeanDifference(mx, my, diff, diff, diff, 1.0 if diff == 0 else 0.0, nx, ny,
                              cohens_d)
    df = (se2x + se2y) ** 2 / (se2x**2 / (nx - 1) + se2y**2 / (ny - 1))
    half = float(stats.t.ppf(0.5 + confidence / 2.0, df)) * se
    # Welch's t from the moments above (what ttest_ind(equal_var=False) computes, without its
    # precision warning when one side is constant, e.g. every rating 5)
    p_value = float(2 * stats.t.sf(abs(diff) / se, df))
    return MeanDifference(mx, my, diff, diff - half, diff + half, p_value, nx, ny, cohens_d)


# --- NPS ---------------------------------------------------------------------------------------
def _nps_coding(scores: ArrayLike) -> FloatArray:
    """+100 promoter (≥ 9), 0 passive, −100 detractor (≤ 6); NaN stays NaN."""
    array = np.asarray(scores, dtype=np.float64).ravel()
    known = array[~np.isnan(array)]
    if np.any((known < 0) | (known > 10)):
        raise ValueError("NPS scores must lie between 0 and 10")
    coded = np.where(array >= 9, 100.0, np.where(array <= 6, -100.0, 0.0))
    return np.where(np.isnan(array), np.nan, coded)


def nps(scores: ArrayLike) -> float:
    """Net Promoter Score: % promoters (9–10) − % detractors (0–6); NaN when no scores.

    >>> nps([10, 9, 8, 7, 6, 0])
    0.0
    """
    coded = _finite(_nps_coding(scores))
    return float(coded.mean()) if len(coded) else math.nan


def nps_difference(with_issue: ArrayLike, without_issue: ArrayLike,
                   confidence: float = 0.95) -> MeanDifference:
    """NPS of documents mentioning an issue minus NPS of the rest, with a Welch CI.

    Each respondent is coded +100/0/−100, so a group's NPS is exactly the mean of its codes
    and the NPS difference is a difference of means: Welch's t-test and CI apply as they do to
    any bounded score. The `mean_*` fields are the two NPS values.
    """
    return mean_difference(_nps_coding(with_issue), _nps_coding(without_issue), confidence)


# --- key drivers -------------------------------------------------------------------------------
@dataclass(frozen=True)
class DriverEffects:
    """Joint OLS of a score on issue presence.

    `table` has one row per issue, in input order: issue, coefficient, ci_low, ci_high,
    p_value, n_with, share, worth. `coefficient` is how many points documents with the issue
    score differently, other issues held equal; `worth` = −coefficient × share is roughly what
    fixing the issue adds to the average score.
    """

    table: pd.DataFrame
    intercept: float
    r_squared: float
    n: int


@dataclass(frozen=True)
class _Fit:
    beta: FloatArray  # NaN where not identifiable
    se: FloatArray  # NaN where not identifiable or no residual degrees of freedom
    df: int
    r_squared: float


def _ols(rows: FloatArray, y: FloatArray, inverse: np.ndarray | None = None) -> _Fit:
    """Minimum-norm least squares via the SVD, with identifiability and classical SEs.

    The design is given by its distinct `rows`, observation i having row `inverse[i]` (row i
    when None): X'X = Σ count·row·rowᵀ, so the SVD of the rows weighted by √count has the
    singular values and right singular vectors of the full design, at the size of the
    distinct rows (documents raising the same issues share one).

    With a rank-deficient design, β is not unique; coordinate j is still estimable when the
    unit vector e_j lies in the row space of X, i.e. when the squared norm of column j of the
    leading `rank` right singular vectors is 1 (it is 0.5 for each of two identical columns).
    Estimable coefficients and their variances σ²·(X'X)⁺ do not depend on which least-squares
    solution is taken; the others are reported as NaN rather than an arbitrary split.
    """
    n, p = len(y), rows.shape[1]
    if n == 0:
        return _Fit(np.full(p, np.nan), np.full(p, np.nan), 0, math.nan)
    inverse = np.arange(n) if inverse is None else inverse
    counts = np.bincount(inverse, minlength=len(rows)).astype(np.float64)
    _, s, vt = np.linalg.svd(np.sqrt(counts)[:, None] * rows, full_matrices=False)
    rank = int(np.sum(s > s.max() * max(n, p) * np.finfo(np.float64).eps))
    s, vt = s[:rank], vt[:rank]
    xty = rows.T @ np.bincount(inverse, weights=y, minlength=len(rows))  # X'y
    beta = vt.T @ ((vt @ xty) / s**2)  # V S⁻² Vᵀ X'y = V S⁻¹ Uᵀ y
    identifiable = np.abs(1.0 - np.sum(vt**2, axis=0)) < IDENTIFIABLE_TOL
    residual = y - (rows @ beta)[inverse]
    df = n - rank
    sigma2 = float(residual @ residual) / df if df > 0 else math.nan
    variance = sigma2 * np.sum((vt / s[:, None]) ** 2, axis=0)  # diag of σ²·V S⁻² Vᵀ
    total = float(np.sum((y - y.mean()) ** 2))
    r_squared = 1.0 - float(residual @ residual) / total if total > 0 else math.nan
    return _Fit(np.where(identifiable, beta, np.nan),
                np.where(identifiable, np.sqrt(variance), np.nan), df, r_squared)


def _t_inference(beta: FloatArray, se: FloatArray, df: int,
                 confidence: float) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Two-sided t p-values and CIs; a zero SE (perfect fit) gives p 0 or 1 and a point CI."""
    if df <= 0:
        nan = np.full_like(beta, np.nan)
        return nan, nan, nan
    crit = float(stats.t.ppf(0.5 + confidence / 2.0, df))
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.where(se > 0, beta / se, np.where(beta == 0, 0.0, np.inf))
    p_value = np.where(np.isnan(beta), np.nan, 2.0 * stats.t.sf(np.abs(t), df))
    return beta - crit * se, beta + crit * se, p_value


def key_drivers(score: ArrayLike, presence: ArrayLike, issues: Sequence[str],
                min_docs: int = 10, confidence: float = 0.95) -> DriverEffects:
    """Regress a score on issue-presence indicators, all issues jointly.

    `score` is one value per document (rating, NPS code, CSAT; NaN rows are dropped) and
    `presence` a documents × issues boolean matrix. Fitting all issues together separates
    overlapping issues. Standard errors are classical (homoscedastic OLS), CIs and p-values
    t-based. Issues present in fewer than `min_docs` scored documents are left out of the
    regression and, like coefficients the design cannot identify (duplicate columns, an
    issue in every document), reported with NaN coefficient, CI, p-value and worth;
    n_with and share are always filled.
    """
    _critical(confidence)
    y_all = np.asarray(score, dtype=np.float64).ravel()
    matrix = np.asarray(presence, dtype=bool)
    if matrix.ndim != 2 or matrix.shape != (len(y_all), len(issues)):
        raise ValueError(f"presence must be documents × issues = {(len(y_all), len(issues))}, "
                         f"got {matrix.shape}")
    keep = ~np.isnan(y_all)
    y, matrix = y_all[keep], matrix[keep]
    n = len(y)
    n_with = matrix.sum(axis=0)
    included = n_with >= min_docs
    # one design row per distinct combination of issues: at a million records the full
    # design (and its SVD) would take gigabytes
    _, first, inverse = np.unique(np.packbits(matrix[:, included], axis=1), axis=0,
                                  return_index=True, return_inverse=True)
    rows = np.column_stack([np.ones(len(first)),
                            matrix[first][:, included].astype(np.float64)])
    fit = _ols(rows, y, inverse.ravel())
    ci_low, ci_high, p_value = _t_inference(fit.beta, fit.se, fit.df, confidence)

    def spread(values: FloatArray) -> FloatArray:
        """Issue columns of a fitted vector, NaN for issues left out of the regression."""
        full = np.full(len(issues), np.nan)
        full[included] = values[1:]
        return full

    share = n_with / n if n else np.full(len(issues), np.nan)
    coefficient = spread(fit.beta)
    table = pd.DataFrame({
        "issue": list(issues), "coefficient": coefficient, "ci_low": spread(ci_low),
        "ci_high": spread(ci_high), "p_value": spread(p_value),
        "n_with": n_with.astype(np.int64), "share": share, "worth": -coefficient * share,
    })
    return DriverEffects(table, float(fit.beta[0]), fit.r_squared, n)
