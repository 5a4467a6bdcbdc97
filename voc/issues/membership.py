"""Which documents raise which issue.

An issue is a taxonomy category (Chinese and English documents together) or an emerging
topic (one the taxonomy does not cover, keyed by its stable id so it is the same issue next
month; a Chinese and an English emerging topic linked by voc/topics/crosslang.py share one
id). A document's sentiment *about* the issue is its aspect score for that category or
topic, so "菜很好吃，但是配送太慢了" counts as negative about delivery.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial

import duckdb
import pandas as pd

from voc import records as R
from voc.store import read_frame, read_quote_texts

CATEGORY, TOPIC = "category", "topic"
# Member columns that repeat one issue's values on each of its (millions of) rows: read as
# categoricals, so grouping by them compares small integer codes, not strings.
PER_ISSUE_COLUMNS = ("issue_id", "kind", "issue_label", "topic_lang")


@dataclass(frozen=True)
class IssueInputs:
    """What the issue stage reads from the store for one batch."""

    documents: pd.DataFrame  # feedback_id, channel, lang, customer_key, created_at, rating,
    #                          nps, csat, quote or quote_chars, score, label (doc sentiment)
    members: pd.DataFrame  # feedback_id, issue_id, kind, issue_label, topic_lang,
    #                        aspect_score, doc (topic_lang: the emerging topic's language;
    #                        doc: the document's position in `documents`)
    flags: pd.DataFrame  # feedback_id, flag, doc
    # quotes by feedback id, when documents hold only their lengths (quote_chars): a batch's
    # texts are read for the few records that may be quoted, not for all of them
    quote_texts: Callable[[Sequence[str]], list[str]] | None = None

    def __post_init__(self) -> None:
        # Members and flags point at their document by position (doc; -1: none), so the
        # issue stage joins on integers, not on a million text ids. read_issue_inputs
        # numbers them in SQL; hand-made inputs are numbered here.
        ids = None
        for name in ("members", "flags"):
            frame = getattr(self, name)
            if "doc" not in frame:
                ids = ids if ids is not None else pd.Index(self.documents["feedback_id"])
                object.__setattr__(self, name, frame.assign(
                    doc=ids.get_indexer(frame["feedback_id"]) if len(frame) else []))


def read_issue_inputs(con: duckdb.DuckDBPyConnection, batch: str) -> IssueInputs:
    """Read a batch's analysed documents, issue memberships and flags (a DuckDB connection)."""
    documents = read_frame(con, f"""
        SELECT f.{R.FEEDBACK_ID}, f.{R.CHANNEL}, f.{R.LANG}, f.{R.CUSTOMER_KEY},
               f.{R.CREATED_AT}, f.{R.RATING}, f.{R.NPS}, f.{R.CSAT},
               length(f.{R.TEXT}) AS quote_chars,
               s.score, s.label
        FROM feedback f JOIN doc_sentiment s USING (batch, {R.FEEDBACK_ID})
        WHERE f.batch = ? AND f.{R.DUPLICATE_OF} IS NULL
        ORDER BY f.{R.FEEDBACK_ID}""", [batch])
    # members and flags carry their document's position in `documents` (doc)
    numbered = f"""numbered AS (
        SELECT f.{R.FEEDBACK_ID}, row_number() OVER (ORDER BY f.{R.FEEDBACK_ID}) - 1 AS doc
        FROM feedback f JOIN doc_sentiment s USING (batch, {R.FEEDBACK_ID})
        WHERE f.batch = $1 AND f.{R.DUPLICATE_OF} IS NULL)"""
    members = read_frame(con, f"""
        WITH {numbered}
        SELECT m.*, n.doc FROM (
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
            JOIN doc_sentiment s
              ON s.batch = d.batch AND s.{R.FEEDBACK_ID} = d.{R.FEEDBACK_ID}
            LEFT JOIN aspect_sentiment a
              ON a.batch = d.batch AND a.{R.FEEDBACK_ID} = d.{R.FEEDBACK_ID}
             AND a.aspect_kind = '{TOPIC}' AND a.aspect = d.topic_id
            WHERE d.batch = $1) m
        JOIN numbered n USING ({R.FEEDBACK_ID})
        ORDER BY m.issue_id, m.{R.FEEDBACK_ID}""", [batch]).astype(
        {column: "category" for column in PER_ISSUE_COLUMNS})
    flags = read_frame(con, f"""
        WITH {numbered}
        SELECT g.{R.FEEDBACK_ID}, g.flag, n.doc FROM doc_flags g
        JOIN numbered n USING ({R.FEEDBACK_ID})
        WHERE g.batch = $1
        ORDER BY g.{R.FEEDBACK_ID}, g.flag""", [batch])
    return IssueInputs(documents, members, flags, partial(read_quote_texts, con, batch))
