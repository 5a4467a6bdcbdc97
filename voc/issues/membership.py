"""Which documents raise which issue.

An issue is a taxonomy category (Chinese and English documents together) or an emerging
topic (one the taxonomy does not cover, keyed by its stable id so it is the same issue next
month; a Chinese and an English emerging topic linked by voc/topics/crosslang.py share one
id). A document's sentiment *about* the issue is its aspect score for that category or
topic, so "菜很好吃，但是配送太慢了" counts as negative about delivery.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from voc import records as R

CATEGORY, TOPIC = "category", "topic"


@dataclass(frozen=True)
class IssueInputs:
    """What the issue stage reads from the store for one batch."""

    documents: pd.DataFrame  # feedback_id, channel, lang, customer_key, created_at, rating,
    #                          nps, csat, quote, score, label (document sentiment)
    members: pd.DataFrame  # feedback_id, issue_id, kind, issue_label, topic_lang,
    #                        aspect_score (topic_lang: the emerging topic's language)
    flags: pd.DataFrame  # feedback_id, flag


def read_issue_inputs(con: duckdb.DuckDBPyConnection, batch: str) -> IssueInputs:
    """Read a batch's analysed documents, issue memberships and flags (a DuckDB connection)."""
    documents = con.execute(f"""
        SELECT f.{R.FEEDBACK_ID}, f.{R.CHANNEL}, f.{R.LANG}, f.{R.CUSTOMER_KEY},
               f.{R.CREATED_AT}, f.{R.RATING}, f.{R.NPS}, f.{R.CSAT}, f.{R.TEXT} AS quote,
               s.score, s.label
        FROM feedback f JOIN doc_sentiment s USING (batch, {R.FEEDBACK_ID})
        WHERE f.batch = ? AND f.{R.DUPLICATE_OF} IS NULL
        ORDER BY f.{R.FEEDBACK_ID}""", [batch]).df()
    members = con.execute(f"""
        SELECT c.{R.FEEDBACK_ID}, c.category AS issue_id, '{CATEGORY}' AS kind,
               c.category AS issue_label, NULL AS topic_lang,
               coalesce(a.score, s.score) AS aspect_score
        FROM doc_categories c
        JOIN doc_sentiment s USING (batch, {R.FEEDBACK_ID})
        LEFT JOIN aspect_sentiment a
          ON a.batch = c.batch AND a.{R.FEEDBACK_ID} = c.{R.FEEDBACK_ID}
         AND a.aspect_kind = '{CATEGORY}' AND a.aspect = c.category
        WHERE c.batch = $1
        UNION ALL
        SELECT d.{R.FEEDBACK_ID}, coalesce(l.issue_id, l.stable_id), '{TOPIC}', t.label,
               t.lang, coalesce(a.score, s.score)
        FROM doc_topics d
        JOIN topics t ON t.batch = d.batch AND t.topic_id = d.topic_id AND t.emerging
        JOIN topic_lineage l ON l.batch = d.batch AND l.topic_id = d.topic_id
        JOIN doc_sentiment s ON s.batch = d.batch AND s.{R.FEEDBACK_ID} = d.{R.FEEDBACK_ID}
        LEFT JOIN aspect_sentiment a
          ON a.batch = d.batch AND a.{R.FEEDBACK_ID} = d.{R.FEEDBACK_ID}
         AND a.aspect_kind = '{TOPIC}' AND a.aspect = d.topic_id
        WHERE d.batch = $1
        ORDER BY 2, 1""", [batch]).df()
    flags = con.execute(f"""
        SELECT {R.FEEDBACK_ID}, flag FROM doc_flags WHERE batch = ?
        ORDER BY {R.FEEDBACK_ID}, flag""", [batch]).df()
    return IssueInputs(documents, members, flags)
