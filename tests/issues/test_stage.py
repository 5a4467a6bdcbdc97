"""The issue stage: ranked table with priority terms, drivers, quadrant and quotes."""

from __future__ import annotations

import json

from tests.issues.test_metrics import inputs
from voc.issues.metrics import IssueOptions
from voc.issues.stage import build_issue_tables, issue_quotes
from voc.topics.taxonomy import load_taxonomy


def test_issues_are_ranked_by_priority_with_their_terms() -> None:
    tables = build_issue_tables(inputs(), load_taxonomy(), None, IssueOptions(min_volume=2))
    issues = tables.issues
    assert issues["rank"].tolist() == list(range(1, len(issues) + 1))
    assert issues["priority"].is_monotonic_decreasing
    assert issues["issue_id"].iloc[0] == "refund_return"
    assert {"impact", "growth", "severity", "spread", "quadrant", "driver_coefficient",
            "score_effects"} <= set(issues.columns)
    refund = issues.set_index("issue_id").loc["refund_return"]
    assert refund["label_en"] == "Refund and return"  # from the bundled taxonomy
    effects = {row["score"]: row for row in json.loads(refund["score_effects"])}
    assert effects["rating"]["with"] == 1.0 and effects["rating"]["without"] == 5.0
    assert refund["quadrant"] == "fix_first"


def test_quotes_put_the_most_negative_first_across_channels() -> None:
    data = inputs()
    quotes = issue_quotes(data, ["refund_return"])
    assert len(quotes) == 5 and quotes["rank"].tolist() == [1, 2, 3, 4, 5]
    assert (quotes["aspect_score"].iloc[:2] == -0.6).all()
    assert set(quotes["channel"].iloc[:2]) == {"chat", "email"}  # round robin over channels


def test_an_empty_batch_gives_empty_tables() -> None:
    data = inputs()
    empty = type(data)(data.documents, data.members.iloc[:0], data.flags.iloc[:0])
    tables = build_issue_tables(empty, load_taxonomy(), None)
    assert tables.issues.empty and tables.quotes.empty
