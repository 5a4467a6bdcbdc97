"""The Check phase: did the action move the numbers?

An item's metric in this batch is compared with its baseline batch (the batch current when the
item went to Do) by a two-proportion test, so a month of noise is not called an improvement:

- complaint_share: complaints about the issue / all records (the default: it falls when the
  issue is fixed, whatever happens to the rest of the batch's volume)
- negative_rate: complaints / records mentioning the issue
- share, volume: records mentioning the issue / all records

improved: significantly lower (p < 0.05); worse: significantly higher; else no_change. The
target ("negative_rate -30%") is met when the verdict is improved and the relative change
reaches it; then the suggestion is Act (standardise), otherwise back to Plan.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from voc.backlog.items import DEFAULT_TARGET, Target
from voc.issues.stats import two_proportion_test

ALPHA = 0.05


@dataclass(frozen=True)
class Counts:
    volume: int  # records mentioning the issue
    negative: int  # of those, complaints about it
    total_docs: int  # records in the batch

    def proportion(self, metric: str) -> tuple[int, int]:
        """(successes, trials) of a metric."""
        if metric == "complaint_share":
            return self.negative, self.total_docs
        if metric == "negative_rate":
            return self.negative, self.volume
        return self.volume, self.total_docs  # share and volume


@dataclass(frozen=True)
class Verdict:
    metric: str
    baseline: float
    current: float
    relative_change: float
    test: str
    p_value: float
    effect_size: float  # Cohen's h, current against baseline
    verdict: str  # improved / no_change / worse
    target: str
    target_met: bool
    suggestion: str  # act / plan

    def as_row(self) -> dict[str, object]:
        return asdict(self)


def check(baseline: Counts, current: Counts, target: Target | None) -> Verdict:
    target = target or DEFAULT_TARGET
    before, before_n = baseline.proportion(target.metric)
    after, after_n = current.proportion(target.metric)
    test = two_proportion_test(before, before_n, after, after_n)
    significant = test.p_value < ALPHA
    verdict = ("improved" if significant and test.difference < 0
               else "worse" if significant and test.difference > 0 else "no_change")
    relative = test.difference / test.p1 if test.p1 > 0 else 0.0
    met = verdict == "improved" and relative <= target.relative_change
    return Verdict(target.metric, test.p1, test.p2, relative, test.test, test.p_value,
                   test.cohens_h, verdict, target.text(), met, "act" if met else "plan")
