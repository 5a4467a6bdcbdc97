"""Everything the issue report shows about one batch, read from the store in one place.

The HTML, Markdown and XLSX views render this object and compute nothing of their own, so
every number in every view is the store's number (tests compare them with SQL on the store).
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import duckdb
import pandas as pd

from voc import records as R
from voc.backlog.exports import backlog_records
from voc.issues.stats import nps
from voc.store import Store
from voc.text.pattern_set import match_patterns
from voc.topics.taxonomy import Taxonomy, english_pattern

TOP_ATTENTION = 3  # issues the headline names
KEYWORDS_PER_ISSUE = 8
PHRASE_SAMPLE = 2000  # member records per category whose wording is counted


@dataclass(frozen=True)
class Overview:
    """Headline figures of the batch (accepted records that are not duplicates)."""

    records: int
    mean_sentiment: float
    negative_share: float
    neutral_share: float
    positive_share: float
    nps: float | None  # −100 … 100 over the records with an NPS answer
    nps_responses: int
    csat: float | None  # mean CSAT
    csat_responses: int
    rating: float | None  # mean star rating
    rating_responses: int


@dataclass(frozen=True)
class RunInfo:
    """Provenance of the analysis the report shows: the last `voc run` of the batch."""

    run_id: str | None
    finished_at: datetime | None
    config_hash: str | None
    seed: int | None
    voc_version: str | None
    git_sha: str | None
    versions: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ReportData:
    batch: str
    batches: list[str]  # batches with an issue table, up to and including this one
    period: tuple[date | None, date | None]  # first and last record date
    overview: Overview
    totals: dict[str, int]  # input_rows, accepted, duplicates, rejected (batches table)
    sources: pd.DataFrame  # source_file, source, format, encoding, input_rows, accepted, ...
    rejects: pd.DataFrame  # source_file, reason, field, rows
    redactions: pd.DataFrame  # pii_type, count
    mix: pd.DataFrame  # channel, lang, records (accepted, not duplicates)
    sentiment_by_channel: pd.DataFrame  # channel, records, negative, neutral, positive, mean
    issues: pd.DataFrame  # the batch's issue table, by rank (voc.store issues)
    history: pd.DataFrame  # batch, issue_id, volume, share, negative_rate, priority, rank
    quotes: pd.DataFrame  # issue_id, rank, channel, lang, quote, aspect_score
    keywords: dict[str, list[str]]  # issue id → the words its topics are made of
    key_phrases: dict[str, list[str]]  # issue id → its topics' multi-word key phrases
    phrases: dict[str, list[tuple[str, float]]]  # category id → (taxonomy keyword, share of
    #                                              its records using it), most used first
    emerging: pd.DataFrame  # emerging topics: topic_id, stable_id, status, lang, label, ...
    topic_quotes: pd.DataFrame  # topic_id, rank, channel, quote
    backlog: list[dict[str, Any]]  # voc.backlog.exports.backlog_records
    verdicts: pd.DataFrame  # this batch's Check verdicts
    backlog_changes: pd.DataFrame  # this batch's history rows (opened, status changes...)
    overdue: list[dict[str, Any]]  # open items whose due date is before the batch ended
    run: RunInfo
    generated_at: datetime

    @property
    def attention(self) -> pd.DataFrame:
        """The issues that need attention now: the top ranked, fix-first ones first."""
        ranked = self.issues.sort_values("rank", kind="stable")
        fix_first = ranked[ranked["quadrant"] == "fix_first"]
        rest = ranked[ranked["quadrant"] != "fix_first"]
        return pd.concat([fix_first, rest]).head(TOP_ATTENTION)

    def item(self, issue_id: str) -> dict[str, Any] | None:
        return next((item for item in self.backlog if item["id"] == issue_id), None)


def load_report_data(store: Store, batch: str, taxonomy: Taxonomy | None = None) -> ReportData:
    """Read what the report of `batch` shows. The batch must have been analysed (`voc run`).

    taxonomy: the one the batch was analysed with, to show which of a category's keywords
    its records use (no phrases without it)."""
    store.require_batch(batch)
    con = store.con
    issues = store.issues(batch)
    return ReportData(
        batch=batch,
        batches=_issue_batches(con, batch),
        period=_period(con, batch),
        overview=_overview(con, batch),
        totals=_totals(con, batch),
        sources=store.batch_sources(batch).drop(columns=["batch"]),
        rejects=con.execute("""
            SELECT source_file, reason, coalesce(field, '') AS field, count(*) AS rows
            FROM rejects WHERE batch = ? GROUP BY ALL ORDER BY source_file, rows DESC, reason
            """, [batch]).df(),
        redactions=store.redaction_counts(batch),
        mix=con.execute(f"""
            SELECT {R.CHANNEL} AS channel, {R.LANG} AS lang, count(*) AS records
            FROM feedback WHERE batch = ? AND {R.DUPLICATE_OF} IS NULL
            GROUP BY ALL ORDER BY channel, lang""", [batch]).df(),
        sentiment_by_channel=con.execute(f"""
            SELECT f.{R.CHANNEL} AS channel, count(*) AS records,
                   avg((s.label = 'negative')::INT) AS negative,
                   avg((s.label = 'neutral')::INT) AS neutral,
                   avg((s.label = 'positive')::INT) AS positive,
                   avg(s.score) AS mean_score
            FROM doc_sentiment s JOIN feedback f USING (batch, {R.FEEDBACK_ID})
            WHERE s.batch = ? GROUP BY ALL ORDER BY records DESC, channel""", [batch]).df(),
        issues=issues,
        history=con.execute("""
            SELECT batch, issue_id, volume, share, negative_rate, priority, rank
            FROM issues WHERE batch <= ? ORDER BY batch, rank""", [batch]).df(),
        quotes=con.execute(f"""
            SELECT q.issue_id, q.rank, q.channel, f.{R.LANG} AS lang, q.quote, q.aspect_score
            FROM issue_quotes q JOIN feedback f USING (batch, {R.FEEDBACK_ID})
            WHERE q.batch = ? ORDER BY q.issue_id, q.rank""", [batch]).df(),
        keywords=_issue_keywords(con, batch, issues, "keywords"),
        key_phrases=_issue_keywords(con, batch, issues, "phrases"),
        phrases=_category_phrases(con, batch, issues, taxonomy) if taxonomy else {},
        emerging=con.execute("""
            SELECT t.topic_id, l.stable_id, l.status, t.lang, t.label, t.size, t.share,
                   t.keywords, t.phrases
            FROM topics t JOIN topic_lineage l ON l.batch = t.batch AND l.topic_id = t.topic_id
            WHERE t.batch = ? AND t.emerging ORDER BY t.size DESC, t.topic_id""",
                             [batch]).df(),
        topic_quotes=store.topic_quotes(batch),
        backlog=backlog_records(con),
        verdicts=con.execute("""
            SELECT v.*, i.title FROM backlog_verdicts v JOIN backlog_items i USING (item_id)
            WHERE v.batch = ? ORDER BY v.item_id, v.metric""", [batch]).df(),
        backlog_changes=con.execute("""
            SELECT item_id, changed_at, who, field, old_value, new_value FROM backlog_history
            WHERE batch = ? ORDER BY changed_at, item_id, field""", [batch]).df(),
        overdue=_overdue(con, batch),
        run=_run_info(con, batch),
        generated_at=datetime.now().replace(microsecond=0),
    )


def _issue_batches(con: duckdb.DuckDBPyConnection, batch: str) -> list[str]:
    return [row[0] for row in con.execute(
        "SELECT DISTINCT batch FROM issues WHERE batch <= ? ORDER BY batch", [batch]).fetchall()]


def _period(con: duckdb.DuckDBPyConnection, batch: str) -> tuple[date | None, date | None]:
    row = con.execute(f"""
        SELECT min({R.CREATED_AT})::DATE, max({R.CREATED_AT})::DATE FROM feedback
        WHERE batch = ? AND {R.DUPLICATE_OF} IS NULL""", [batch]).fetchone()
    return (row[0], row[1]) if row else (None, None)


def _totals(con: duckdb.DuckDBPyConnection, batch: str) -> dict[str, int]:
    row = con.execute("""SELECT input_rows, accepted, duplicates, rejected FROM batches
                         WHERE batch = ?""", [batch]).fetchone()
    names = ("input_rows", "accepted", "duplicates", "rejected")
    return dict(zip(names, (int(value) for value in row), strict=True)) if row else \
        dict.fromkeys(names, 0)


def _mean_or_none(values: pd.Series) -> tuple[float | None, int]:
    known = values.dropna()
    return (float(known.mean()) if len(known) else None), len(known)


def _overview(con: duckdb.DuckDBPyConnection, batch: str) -> Overview:
    frame = con.execute(f"""
        SELECT s.score, s.label, f.{R.NPS} AS nps, f.{R.CSAT} AS csat, f.{R.RATING} AS rating
        FROM doc_sentiment s JOIN feedback f USING (batch, {R.FEEDBACK_ID})
        WHERE s.batch = ?""", [batch]).df()
    records = len(frame)
    shares = frame["label"].value_counts(normalize=True) if records else pd.Series(dtype=float)
    answered = frame["nps"].dropna()
    net = nps(answered.to_numpy()) if len(answered) else math.nan
    csat, csat_n = _mean_or_none(frame["csat"])
    rating, rating_n = _mean_or_none(frame["rating"])
    return Overview(
        records=records,
        mean_sentiment=float(frame["score"].mean()) if records else 0.0,
        negative_share=float(shares.get("negative", 0.0)),
        neutral_share=float(shares.get("neutral", 0.0)),
        positive_share=float(shares.get("positive", 0.0)),
        nps=None if math.isnan(net) else net, nps_responses=len(answered),
        csat=csat, csat_responses=csat_n, rating=rating, rating_responses=rating_n)


def _issue_keywords(con: duckdb.DuckDBPyConnection, batch: str, issues: pd.DataFrame,
                    column: str) -> dict[str, list[str]]:
    """Per issue, the keywords (or key phrases: column "phrases") of the topics that make it
    up, the largest topic first: an emerging topic's own, or those of the topics filed under
    a category."""
    if column not in ("keywords", "phrases"):
        raise ValueError(column)
    topics = con.execute(f"""
        SELECT l.stable_id, t.category, t.emerging, t.size, t.{column} AS words
        FROM topics t JOIN topic_lineage l ON l.batch = t.batch AND l.topic_id = t.topic_id
        WHERE t.batch = ? ORDER BY t.size DESC, t.topic_id""", [batch]).df()
    out: dict[str, list[str]] = {}
    for issue_id, kind in zip(issues["issue_id"], issues["kind"], strict=True):
        mine = topics[topics["stable_id"] == issue_id] if kind == "topic" else \
            topics[topics["category"] == issue_id]
        words: list[str] = []
        for raw in mine["words"]:
            for word, _ in json.loads(raw or "[]"):
                if word not in words:
                    words.append(word)
        out[issue_id] = words[:KEYWORDS_PER_ISSUE]
    return out


def _category_phrases(con: duckdb.DuckDBPyConnection, batch: str, issues: pd.DataFrame,
                      taxonomy: Taxonomy) -> dict[str, list[tuple[str, float]]]:
    """Which of each category's keywords its records actually use, by share of records (over
    at most PHRASE_SAMPLE records per category, the first by feedback id)."""
    known = set(taxonomy.ids)
    wanted = [issue_id for issue_id in issues.loc[issues["kind"] == "category", "issue_id"]
              if issue_id in known]
    out: dict[str, list[tuple[str, float]]] = {}
    if not wanted:
        return out
    # every category's sample in one query (one pass over the batch's categories and texts,
    # not one per category: ~0.2 s each on a million records)
    sampled = con.execute(f"""
        WITH picked AS (
            SELECT category, {R.FEEDBACK_ID} FROM doc_categories
            WHERE batch = ? AND matched_by = 'keyword' AND list_contains(?, category)
            QUALIFY row_number() OVER (PARTITION BY category ORDER BY {R.FEEDBACK_ID})
                    <= {PHRASE_SAMPLE})
        SELECT p.category, coalesce(f.{R.ANALYSIS_TEXT}, f.{R.TEXT}) AS text
        FROM picked p JOIN feedback f ON f.batch = ? AND f.{R.FEEDBACK_ID} = p.{R.FEEDBACK_ID}
        """, [batch, wanted, batch]).df()
    by_category = dict(tuple(sampled.groupby("category", sort=False)["text"]))
    for issue_id in wanted:
        texts = by_category.get(issue_id, pd.Series([], dtype=object)).tolist()
        category = taxonomy.get(issue_id)
        # Chinese keywords as written (a "*" too), English ones as words; all in one pass
        patterns = [re.escape(word) for word in category.zh_keywords] + [
            r"(?i)\b" + english_pattern(word) + r"\b" for word in category.en_keywords]
        hits = match_patterns(texts, patterns).sum(axis=0)
        counted = list(zip([*category.zh_keywords, *category.en_keywords], hits.tolist(),
                           strict=True))
        total = max(len(texts), 1)
        unique = {word.rstrip("*"): count for word, count in reversed(counted) if count > 0}
        used = sorted(reversed(unique.items()), key=lambda pair: -pair[1])
        out[issue_id] = [(word, count / total) for word, count in used[:KEYWORDS_PER_ISSUE]]
    return out


def _overdue(con: duckdb.DuckDBPyConnection, batch: str) -> list[dict[str, Any]]:
    """Open items (plan, do, check) due before the batch's last record."""
    rows = con.execute(f"""
        SELECT item_id, title, status, owner, due FROM backlog_items
        WHERE status IN ('plan', 'do', 'check') AND due IS NOT NULL
          AND due < (SELECT max({R.CREATED_AT})::DATE FROM feedback WHERE batch = ?)
        ORDER BY due, item_id""", [batch])
    names = [column[0] for column in rows.description or []]
    return [dict(zip(names, row, strict=True)) for row in rows.fetchall()]


def _run_info(con: duckdb.DuckDBPyConnection, batch: str) -> RunInfo:
    row = con.execute("""
        SELECT run_id, finished_at, config_hash, seed, voc_version, git_sha, versions
        FROM runs WHERE batch = ? AND command = 'run' AND finished_at IS NOT NULL
        ORDER BY finished_at DESC LIMIT 1""", [batch]).fetchone()
    if row is None:
        return RunInfo(None, None, None, None, None, None)
    versions = json.loads(row[6]) if row[6] else {}
    return RunInfo(row[0], row[1], row[2], row[3], row[4], row[5], versions)
