"""The priority formula and the importance–performance quadrant, on known inputs."""

from __future__ import annotations

import pandas as pd
import pytest

from voc.issues.priority import PriorityWeights, priority_terms, quadrants


def table(**overrides: list) -> pd.DataFrame:
    base = {"volume": [100, 100], "negative": [50, 50], "total_docs": [1000, 1000],
            "share": [0.1, 0.1], "share_change": [0.05, float("nan")],
            "share_p": [0.01, float("nan")], "flag_safety": [0, 0], "flag_legal": [10, 0],
            "flag_churn": [0, 0], "flag_repeat_contact": [5, 0], "channel_count": [3, 1],
            "repeat_docs": [20, 0]}
    base.update(overrides)
    return pd.DataFrame(base)


def test_terms_follow_the_documented_formula() -> None:
    terms = priority_terms(table(), channels_in_batch=5, weights=PriorityWeights())
    first = terms.iloc[0]
    assert first["impact"] == pytest.approx(5.0)  # 50 complaints / 1000 records, in percent
    assert first["growth"] == pytest.approx(0.05 / 0.05)  # share doubled from 5% to 10%
    assert first["severity"] == pytest.approx((2 * 10 + 5) / 100)
    assert first["spread"] == pytest.approx(0.5 * (2 / 4) + 0.5 * 0.2)
    assert first["priority"] == pytest.approx(5.0 * (1 + 1.0 + 0.25 + 0.5 * 0.35))
    second = terms.iloc[1]  # new issue, one channel, no flags: priority = impact
    assert (second["growth"], second["severity"], second["spread"]) == (0, 0, 0)
    assert second["priority"] == pytest.approx(5.0)


def test_growth_counts_only_significant_rises_and_is_capped() -> None:
    insignificant = priority_terms(table(share_p=[0.2, 0.2]), 5, PriorityWeights())
    assert insignificant["growth"].tolist() == [0, 0]
    tenfold = priority_terms(table(share_change=[0.09, -0.05], share_p=[0.001, 0.001]), 5,
                             PriorityWeights())
    assert tenfold["growth"].tolist() == [1.0, 0.0]  # capped; a fall is not growth


def test_weights_change_the_ranking() -> None:
    frame = table(negative=[50, 60], flag_legal=[40, 0], flag_repeat_contact=[0, 0],
                  share_change=[float("nan")] * 2, share_p=[float("nan")] * 2,
                  channel_count=[1, 1], repeat_docs=[0, 0])
    default = priority_terms(frame, 5, PriorityWeights())
    assert default["priority"].iloc[0] > default["priority"].iloc[1]  # escalations weigh in
    volume_only = priority_terms(frame, 5, PriorityWeights(0, 0, 0))
    assert volume_only["priority"].iloc[0] < volume_only["priority"].iloc[1]


def test_quadrants_use_median_importance_and_reference_performance() -> None:
    importance = pd.Series([0.30, 0.20, 0.05, 0.01])
    performance = pd.Series([-0.5, 0.4, -0.2, 0.3])
    assert quadrants(importance, performance, 0.0).tolist() == [
        "fix_first", "keep_up", "low_priority", "possible_overkill"]
