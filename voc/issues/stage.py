"""The issue stage of a batch: metrics, key drivers, priority, quadrant and quotes per issue.

Reads what the text, topic and sentiment stages stored; the caller writes the returned
tables (`issues`, `issue_quotes`) to the store with the rest of the batch's analysis.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np
import pandas as pd

from voc.issues.membership import IssueInputs
from voc.issues.metrics import IssueOptions, driver_table, issue_metrics, score_effects
from voc.issues.priority import PriorityWeights, priority_terms, quadrants
from voc.topics.quotes import pick_quotes
from voc.topics.taxonomy import Taxonomy


@dataclass(frozen=True)
class IssueTables:
    issues: pd.DataFrame  # one row per issue, ranked by priority (rank 1 first)
    quotes: pd.DataFrame  # issue_id, rank, feedback_id, channel, quote, aspect_score


def category_labels(taxonomy: Taxonomy) -> dict[str, tuple[str, str, str]]:
    return {category.id: (category.label_en, category.label_zh, category.servqual.value)
            for category in taxonomy.categories}


def issue_quotes(inputs: IssueInputs, issue_ids: list[str]) -> pd.DataFrame:
    """Up to five quotes per issue: the most negative about it first, across channels."""
    # candidates point at their record by position: a merge would copy every record's text
    # once per issue it raises
    members = inputs.members
    codes = pd.Index(issue_ids).get_indexer(members["issue_id"])  # -1: not a ranked issue
    position = members["doc"].to_numpy()
    keep = (codes >= 0) & (position >= 0)
    documents = inputs.documents
    read = inputs.quote_texts
    ids = documents["feedback_id"].to_numpy()
    picked = pick_quotes(documents, codes[keep],
                         -members["aspect_score"].to_numpy(dtype=np.float64)[keep],
                         rows=position[keep],
                         texts=None if read is None else lambda records: read(ids[records]))
    names = np.asarray(issue_ids, dtype=object)
    return pd.DataFrame({"issue_id": names[picked["topic"].to_numpy(dtype=np.int64)],
                         "rank": picked["rank"], "feedback_id": picked["feedback_id"],
                         "channel": picked["channel"], "quote": picked["quote"],
                         "aspect_score": -picked["similarity"]})


def build_issue_tables(inputs: IssueInputs, taxonomy: Taxonomy, previous: pd.DataFrame | None,
                       options: IssueOptions | None = None,
                       weights: PriorityWeights | None = None) -> IssueTables:
    options = options or IssueOptions()
    table = issue_metrics(inputs, category_labels(taxonomy), previous, options)
    if table.empty:
        return IssueTables(table, pd.DataFrame())
    channels = int(inputs.documents["channel"].nunique())
    terms = priority_terms(table, channels, weights or PriorityWeights())
    table = pd.concat([table, terms], axis=1)
    effects = score_effects(inputs.documents, inputs.members)
    by_issue = {issue: json.dumps(group.drop(columns=["issue_id"]).round(4).to_dict("records"),
                                  ensure_ascii=False)
                for issue, group in effects.groupby("issue_id", sort=True)}
    table["score_effects"] = table["issue_id"].map(by_issue).fillna("[]")
    driver_score, drivers = driver_table(inputs.documents, inputs.members)
    table["driver_score"] = driver_score
    for column in ("coefficient", "ci_low", "ci_high", "p_value", "worth"):
        table[f"driver_{column}"] = table["issue_id"].map(
            drivers.set_index("issue")[column]) if len(drivers) else np.nan
    # importance is the share of voice: driver effects exist only for issues with enough
    # scored records, and one quadrant chart cannot mix the two units
    table["quadrant"] = quadrants(table["share"], table["mean_sentiment"],
                                  float(inputs.documents["score"].mean()))
    table = table.sort_values(["priority", "volume", "issue_id"],
                              ascending=[False, False, True], kind="stable")
    table.insert(0, "rank", np.arange(1, len(table) + 1))
    return IssueTables(table.reset_index(drop=True),
                       issue_quotes(inputs, table["issue_id"].tolist()))
