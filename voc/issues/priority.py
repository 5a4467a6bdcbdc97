"""The priority formula and the importance–performance quadrant.

    priority = impact × (1 + growth_weight·growth + severity_weight·severity
                          + spread_weight·spread)

- impact: the share of all feedback that is a complaint about the issue, in percent
  (volume × negative rate / all records × 100): how much of the customers' voice it costs.
- growth: the rise in share since the previous batch relative to that share, when the
  two-proportion test calls it significant (p < 0.05); 0 otherwise, capped at 1.
- severity: the weighted share of the issue's records carrying escalation flags (safety ×3,
  legal ×2, churn and repeat contact ×1), capped at 1.
- spread: half the share of channels it appears in (beyond the first), half the share of its
  records that are repeat contacts.

Every term is kept beside the score, so a manager can see why an issue ranks where it does.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

FLAG_WEIGHTS = {"safety": 3.0, "legal": 2.0, "churn": 1.0, "repeat_contact": 1.0}
QUADRANTS = {  # (important, performing well) → name; the seed practice's names in brackets
    (True, False): "fix_first",  # key, not achieved
    (True, True): "keep_up",  # key, achieved
    (False, False): "low_priority",  # non-key, not achieved
    (False, True): "possible_overkill",  # non-key, achieved
}


@dataclass(frozen=True)
class PriorityWeights:
    growth: float = 1.0
    severity: float = 1.0
    spread: float = 0.5


def priority_terms(table: pd.DataFrame, channels_in_batch: int,
                   weights: PriorityWeights) -> pd.DataFrame:
    """The formula's terms and the priority, per issue row of `table` (voc.issues.metrics)."""
    impact = 100 * table["negative"] / table["total_docs"].clip(lower=1)
    previous_share = table["share"] - table["share_change"].fillna(0)
    rising = (table["share_p"] < 0.05) & (table["share_change"] > 0)
    growth = np.where(rising, (table["share_change"] / previous_share.clip(lower=1e-9)), 0.0)
    flagged = sum(weight * table[f"flag_{kind}"] for kind, weight in FLAG_WEIGHTS.items())
    severity = flagged / table["volume"].clip(lower=1)
    channel_spread = (table["channel_count"] - 1) / max(channels_in_batch - 1, 1)
    repeat_share = table["repeat_docs"] / table["volume"].clip(lower=1)
    spread = 0.5 * channel_spread.clip(0, 1) + 0.5 * repeat_share.clip(0, 1)
    terms = pd.DataFrame({
        "impact": impact, "growth": np.clip(growth, 0, 1), "severity": severity.clip(0, 1),
        "spread": spread}, index=table.index)
    terms["priority"] = terms["impact"] * (
        1 + weights.growth * terms["growth"] + weights.severity * terms["severity"]
        + weights.spread * terms["spread"])
    return terms


def quadrants(importance: pd.Series, performance: pd.Series,
              performance_reference: float) -> pd.Series:
    """Importance above the issues' median is key; performance (mean sentiment about the
    issue) at or above the batch's overall mean sentiment is achieved."""
    important = importance > importance.median()
    achieved = performance >= performance_reference
    return pd.Series([QUADRANTS[(bool(i), bool(a))] for i, a in zip(important, achieved,
                                                                     strict=True)],
                     index=importance.index)
