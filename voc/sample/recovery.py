"""How well a store's topics recover the sample's planted issues, per month and language.

For every planted issue of each batch and language group (Chinese with the code-mixed
records, English), the topic whose records best match the issue's records (F1), with that
topic's stable id: the text-and-topics target is F1 ≥ 0.8 for every planted issue, and the
same stable id for an issue month after month.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

TARGET_F1 = 0.8


@dataclass(frozen=True)
class Recovery:
    batch: str
    lang: str  # "zh" (with code-mixed records) or "en"
    issue: str
    records: int  # the planted issue's records in the batch and language group
    best_topic: str | None
    stable_id: str | None
    f1: float


def topic_recovery(store: Path, truth: dict[str, Any]) -> list[Recovery]:
    """One row per planted issue, batch and language group, in that order."""
    rows = []
    with duckdb.connect(str(store), read_only=True) as con:
        for batch in truth["batches"]:
            planted = {(r["source"], r["record_id"]): r["issue"] for r in truth["records"]
                       if r["batch"] == batch and r["issue"]}
            assigned = con.execute("""
                SELECT f.source, f.source_record_id, f.lang, t.topic_id FROM feedback f
                JOIN doc_topics t USING (batch, feedback_id) WHERE f.batch = ?""",
                                   [batch]).fetchall()
            stable = dict(con.execute("""SELECT topic_id, stable_id FROM topic_lineage
                                         WHERE batch = ? AND topic_id IS NOT NULL""",
                                      [batch]).fetchall())
            by_issue: dict[tuple[str, str], set] = defaultdict(set)
            by_topic: dict[str, set] = defaultdict(set)
            for source, record, lang, topic in assigned:
                group = "en" if lang == "en" else "zh"
                issue = planted.get((source, record))
                if issue:
                    by_issue[(group, issue)].add((source, record))
                if not topic.endswith("-other"):
                    by_topic[topic].add((source, record))
            for (group, issue), docs in sorted(by_issue.items()):
                f1, best = max(((2 * len(docs & members) / (len(docs) + len(members)), topic)
                                for topic, members in by_topic.items()
                                if topic.startswith(group)), default=(0.0, None))
                rows.append(Recovery(batch, group, issue, len(docs), best,
                                     stable.get(best) if best else None, round(f1, 3)))
    return rows


def changed_ids(rows: list[Recovery]) -> list[tuple[str, str]]:
    """(language group, issue) of the planted issues whose best topic's stable id changed
    from one batch to the next."""
    seen: dict[tuple[str, str], str | None] = {}
    changed = []
    for row in sorted(rows, key=lambda r: (r.lang, r.issue, r.batch)):
        key = (row.lang, row.issue)
        if key in seen and seen[key] != row.stable_id:
            changed.append(key)
        seen[key] = row.stable_id
    return changed


def recurring_issues(rows: list[Recovery]) -> set[tuple[str, str]]:
    """(language group, issue) of the planted issues found in more than one batch."""
    batches: dict[tuple[str, str], int] = defaultdict(int)
    for row in rows:
        batches[(row.lang, row.issue)] += 1
    return {key for key, count in batches.items() if count > 1}
