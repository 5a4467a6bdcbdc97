"""The DuckDB store: schema, migrations, atomic batch writes and the queries commands need.

All SQL in voc lives here, and every query returns plain Python values or DataFrames.

Concurrency: DuckDB lets one process open a file for writing at a time. A second voc process
waits (up to `lock_timeout` seconds) and then fails with StoreLockedError naming the store.
Connections are short-lived (one per command), so waits are short.

Atomicity: a batch is replaced inside one transaction. If voc fails or is killed midway the
transaction never commits, and DuckDB discards it on the next open: the store is as before.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from voc import records as R
from voc.errors import BatchNotFoundError, StoreError, StoreLockedError

Migration = Callable[[duckdb.DuckDBPyConnection], None]

FEEDBACK_DDL = f"""
CREATE TABLE feedback (
    {R.FEEDBACK_ID} VARCHAR NOT NULL,
    {R.BATCH} VARCHAR NOT NULL,
    {R.CHANNEL} VARCHAR NOT NULL,
    {R.SOURCE} VARCHAR NOT NULL,
    {R.SOURCE_FILE} VARCHAR NOT NULL,
    {R.SOURCE_ROW} BIGINT NOT NULL,
    {R.SOURCE_RECORD_ID} VARCHAR,
    {R.CUSTOMER_KEY} VARCHAR,
    {R.CREATED_AT} TIMESTAMP,
    {R.TEXT} VARCHAR NOT NULL,
    {R.ANALYSIS_TEXT} VARCHAR,  -- NULL when equal to text (most records): half the storage
    {R.LANG} VARCHAR NOT NULL,
    {R.RATING} DOUBLE,
    {R.NPS} DOUBLE,
    {R.CSAT} DOUBLE,
    {R.DUPLICATE_OF} VARCHAR,
    {R.DUPLICATE_KIND} VARCHAR,
    {R.CONTEXT} VARCHAR,
    {R.METADATA} VARCHAR
)"""


def _m001_initial(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(FEEDBACK_DDL)
    con.execute("""
        CREATE TABLE batches (
            batch VARCHAR PRIMARY KEY,
            ingested_at TIMESTAMP NOT NULL,
            input_rows BIGINT NOT NULL,
            accepted BIGINT NOT NULL,
            duplicates BIGINT NOT NULL,
            rejected BIGINT NOT NULL,
            config_hash VARCHAR,
            voc_version VARCHAR
        )""")
    con.execute("""
        CREATE TABLE batch_sources (
            batch VARCHAR NOT NULL,
            source VARCHAR NOT NULL,
            source_file VARCHAR NOT NULL,
            format VARCHAR,
            encoding VARCHAR,
            input_rows BIGINT NOT NULL,
            accepted BIGINT NOT NULL,
            duplicates BIGINT NOT NULL,
            rejected BIGINT NOT NULL
        )""")
    con.execute("""
        CREATE TABLE rejects (
            batch VARCHAR NOT NULL,
            source VARCHAR NOT NULL,
            source_file VARCHAR NOT NULL,
            source_row BIGINT,
            channel VARCHAR,
            field VARCHAR,
            reason VARCHAR NOT NULL,
            detail VARCHAR,
            raw VARCHAR
        )""")
    con.execute("""
        CREATE TABLE redactions (
            batch VARCHAR NOT NULL,
            source_file VARCHAR NOT NULL,
            pii_type VARCHAR NOT NULL,
            count BIGINT NOT NULL
        )""")
    con.execute("""
        CREATE TABLE runs (
            run_id VARCHAR PRIMARY KEY,
            batch VARCHAR NOT NULL,
            command VARCHAR NOT NULL,
            started_at TIMESTAMP NOT NULL,
            finished_at TIMESTAMP,
            config_hash VARCHAR,
            seed BIGINT,
            voc_version VARCHAR,
            versions VARCHAR,
            git_sha VARCHAR
        )""")


def _m002_topics(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("""
        CREATE TABLE topics (
            batch VARCHAR NOT NULL,
            topic_id VARCHAR NOT NULL,       -- "zh-00", "en-03"; "zh-other" for the bucket
            lang VARCHAR NOT NULL,
            label VARCHAR NOT NULL,
            size BIGINT NOT NULL,
            share DOUBLE NOT NULL,           -- of the language group's accepted records
            keywords VARCHAR NOT NULL,       -- JSON list of [word, weight]
            category VARCHAR,                -- best taxonomy category, NULL when emerging
            category_share DOUBLE,           -- share of the topic's records matching it
            emerging BOOLEAN NOT NULL
        )""")
    con.execute("""
        CREATE TABLE doc_topics (
            batch VARCHAR NOT NULL,
            feedback_id VARCHAR NOT NULL,
            topic_id VARCHAR NOT NULL,
            similarity REAL NOT NULL
        )""")
    con.execute("""
        CREATE TABLE doc_categories (
            batch VARCHAR NOT NULL,
            feedback_id VARCHAR NOT NULL,
            category VARCHAR NOT NULL
        )""")


def _m003_topic_lineage(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("""
        CREATE TABLE topic_lineage (
            batch VARCHAR NOT NULL,
            topic_id VARCHAR,                -- NULL for a topic of the previous batch that vanished
            lang VARCHAR NOT NULL,
            stable_id VARCHAR NOT NULL,      -- the same across batches: "zh-T0003"
            status VARCHAR NOT NULL,         -- new / continuing / vanished
            previous_batch VARCHAR,
            previous_topic_id VARCHAR,
            similarity DOUBLE
        )""")


def _m004_topic_quotes(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("""
        CREATE TABLE topic_quotes (
            batch VARCHAR NOT NULL,
            topic_id VARCHAR NOT NULL,
            rank INTEGER NOT NULL,
            feedback_id VARCHAR NOT NULL,
            channel VARCHAR NOT NULL,
            quote VARCHAR NOT NULL,          -- the customer's words as written (PII redacted)
            similarity DOUBLE NOT NULL
        )""")


def _m005_sentiment(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("""
        CREATE TABLE doc_sentiment (
            batch VARCHAR NOT NULL,
            feedback_id VARCHAR NOT NULL,
            score REAL NOT NULL,             -- -1 (negative) .. 1 (positive)
            label VARCHAR NOT NULL,          -- negative / neutral / positive
            confidence REAL NOT NULL,
            method VARCHAR NOT NULL          -- lexicon / ratings / self_training / model:NAME
        )""")
    con.execute("""
        CREATE TABLE clause_sentiment (
            batch VARCHAR NOT NULL,
            feedback_id VARCHAR NOT NULL,
            clause INTEGER NOT NULL,
            text VARCHAR NOT NULL,
            score REAL NOT NULL,
            weight REAL NOT NULL             -- 1.5 after a contrast, 0.5 before it
        )""")
    con.execute("""
        CREATE TABLE aspect_sentiment (
            batch VARCHAR NOT NULL,
            feedback_id VARCHAR NOT NULL,
            aspect_kind VARCHAR NOT NULL,    -- category / topic
            aspect VARCHAR NOT NULL,         -- category id or topic id
            score REAL NOT NULL,
            clauses INTEGER NOT NULL         -- clauses that mention it; 0 = document score
        )""")
    con.execute("""
        CREATE TABLE doc_flags (
            batch VARCHAR NOT NULL,
            feedback_id VARCHAR NOT NULL,
            flag VARCHAR NOT NULL,           -- legal / churn / safety / repeat_contact
            evidence VARCHAR NOT NULL
        )""")


def _m006_issues(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("""
        CREATE TABLE issues (
            batch VARCHAR NOT NULL,
            rank INTEGER NOT NULL,               -- by priority, 1 = first
            issue_id VARCHAR NOT NULL,           -- category id, or an emerging topic's stable id
            kind VARCHAR NOT NULL,               -- category / topic
            label_en VARCHAR, label_zh VARCHAR, servqual VARCHAR,
            volume BIGINT NOT NULL, share DOUBLE NOT NULL,
            negative BIGINT NOT NULL, negative_rate DOUBLE NOT NULL,
            mean_sentiment DOUBLE,               -- mean aspect score about the issue
            channels VARCHAR, langs VARCHAR,     -- JSON objects of counts
            channel_count INTEGER, total_docs BIGINT,
            flag_legal INTEGER, flag_churn INTEGER, flag_safety INTEGER,
            flag_repeat_contact INTEGER,
            repeat_customers INTEGER, repeat_docs INTEGER,
            previous_volume DOUBLE, share_change DOUBLE, share_p DOUBLE,
            negative_rate_change DOUBLE, negative_rate_p DOUBLE,
            trend VARCHAR,                       -- new / rising / falling / steady
            impact DOUBLE, growth DOUBLE, severity DOUBLE, spread DOUBLE, priority DOUBLE,
            score_effects VARCHAR,               -- JSON: rating/nps/csat with vs without
            driver_score VARCHAR, driver_coefficient DOUBLE, driver_ci_low DOUBLE,
            driver_ci_high DOUBLE, driver_p_value DOUBLE, driver_worth DOUBLE,
            quadrant VARCHAR                     -- fix_first / keep_up / low_priority / ...
        )""")
    con.execute("""
        CREATE TABLE issue_quotes (
            batch VARCHAR NOT NULL,
            issue_id VARCHAR NOT NULL,
            rank INTEGER NOT NULL,
            feedback_id VARCHAR NOT NULL,
            channel VARCHAR NOT NULL,
            quote VARCHAR NOT NULL,
            aspect_score DOUBLE
        )""")


def _m007_backlog(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("""
        CREATE TABLE backlog_items (
            item_id VARCHAR PRIMARY KEY,         -- the issue id: category id or topic stable id
            kind VARCHAR NOT NULL,               -- category / topic
            title VARCHAR NOT NULL,
            status VARCHAR NOT NULL,             -- plan / do / check / act / closed
            priority DOUBLE,                     -- from the latest batch the issue was ranked in
            owner VARCHAR, action VARCHAR,
            target VARCHAR,                      -- "complaint_share -20%"
            due DATE,
            opened_batch VARCHAR NOT NULL,
            baseline_batch VARCHAR,              -- the batch whose metrics a Check compares with
            quotes VARCHAR,                      -- JSON list of evidence quotes
            created_at TIMESTAMP NOT NULL,
            updated_at TIMESTAMP NOT NULL
        )""")
    con.execute("""
        CREATE TABLE backlog_metrics (           -- one row per item and batch
            item_id VARCHAR NOT NULL,
            batch VARCHAR NOT NULL,
            rank INTEGER, priority DOUBLE,
            volume BIGINT NOT NULL, negative BIGINT NOT NULL, total_docs BIGINT NOT NULL,
            share DOUBLE, negative_rate DOUBLE, complaint_share DOUBLE, mean_sentiment DOUBLE
        )""")
    con.execute("""
        CREATE TABLE backlog_history (
            item_id VARCHAR NOT NULL,
            changed_at TIMESTAMP NOT NULL,
            who VARCHAR NOT NULL,                -- a person, or "voc" for a run
            field VARCHAR NOT NULL,              -- status / owner / action / target / due / opened
            old_value VARCHAR,
            new_value VARCHAR,
            batch VARCHAR                        -- the batch a run acted for
        )""")
    con.execute("""
        CREATE TABLE backlog_verdicts (          -- Check: this batch against the baseline
            item_id VARCHAR NOT NULL,
            batch VARCHAR NOT NULL,
            baseline_batch VARCHAR NOT NULL,
            metric VARCHAR NOT NULL,
            baseline DOUBLE, current DOUBLE, relative_change DOUBLE,
            test VARCHAR, p_value DOUBLE, effect_size DOUBLE,   -- Cohen's h
            verdict VARCHAR NOT NULL,            -- improved / no_change / worse
            target VARCHAR, target_met BOOLEAN,
            suggestion VARCHAR NOT NULL          -- act / plan
        )""")


def _m008_category_source(con: duckdb.DuckDBPyConnection) -> None:
    # keyword: a taxonomy rule matched; model: the batch's learned model added the category
    con.execute("ALTER TABLE doc_categories ADD COLUMN matched_by VARCHAR DEFAULT 'keyword'")


def _m009_topic_phrases(con: duckdb.DuckDBPyConnection) -> None:
    # JSON list of [phrase, weight]: the topic's multi-word key phrases (voc/topics/phrases.py)
    con.execute("ALTER TABLE topics ADD COLUMN phrases VARCHAR DEFAULT '[]'")


def _m010_cross_language_issue(con: duckdb.DuckDBPyConnection) -> None:
    # an emerging topic linked to one in the other language shares this issue id with it
    # (voc/topics/crosslang.py); NULL: the topic is an issue of its own (its stable_id)
    con.execute("ALTER TABLE topic_lineage ADD COLUMN issue_id VARCHAR")


# Ordered and named; each runs once, in its own transaction, and is recorded.
MIGRATIONS: tuple[tuple[str, Migration], ...] = (
    ("001_initial", _m001_initial),
    ("002_topics", _m002_topics),
    ("003_topic_lineage", _m003_topic_lineage),
    ("004_topic_quotes", _m004_topic_quotes),
    ("005_sentiment", _m005_sentiment),
    ("006_issues", _m006_issues),
    ("007_backlog", _m007_backlog),
    ("008_category_source", _m008_category_source),
    ("009_topic_phrases", _m009_topic_phrases),
    ("010_cross_language_issue", _m010_cross_language_issue),
)
ANALYSIS_TABLES = ("topics", "doc_topics", "doc_categories", "topic_lineage", "topic_quotes",
                   "doc_sentiment", "clause_sentiment", "aspect_sentiment", "doc_flags",
                   "issues", "issue_quotes")

# DuckDB's own memory (buffer pool, transaction-local data). Beyond it DuckDB spills to a
# temporary folder beside the store, so memory stays flat as batches grow.
MEMORY_LIMIT = "1GB"

# Tables keyed by batch that a batch replacement clears (analysis results go with them).
BATCH_TABLES = ("feedback", "batch_sources", "rejects", "redactions", "batches",
                "topics", "doc_topics", "doc_categories", "topic_lineage", "topic_quotes")


@dataclass(frozen=True)
class BatchWrite:
    """Everything ingest writes for one batch. Feedback comes in parts (frames or Parquet)."""

    batch: str
    feedback_parts: Iterable[pd.DataFrame | Path]
    duplicates: pd.DataFrame  # feedback_id, duplicate_of, duplicate_kind
    sources: pd.DataFrame  # batch_sources rows without batch
    rejects: pd.DataFrame  # rejects rows without batch
    redactions: pd.DataFrame  # source_file, pii_type, count
    config_hash: str
    voc_version: str
    run: dict[str, Any]


class Store:
    """An open connection to a voc store. Use `open_store` to get one."""

    def __init__(self, con: duckdb.DuckDBPyConnection, path: Path) -> None:
        self.con = con
        self.path = path

    # --- schema -----------------------------------------------------------------------------
    def migrate(self) -> list[str]:
        """Apply the migrations not yet recorded; returns the names applied."""
        self.con.execute("""CREATE TABLE IF NOT EXISTS schema_migrations (
            name VARCHAR PRIMARY KEY, applied_at TIMESTAMP NOT NULL)""")
        done = {row[0] for row in self.con.execute("SELECT name FROM schema_migrations")
                .fetchall()}
        applied = []
        for name, migration in MIGRATIONS:
            if name in done:
                continue
            self.con.execute("BEGIN TRANSACTION")
            try:
                migration(self.con)
                self.con.execute("INSERT INTO schema_migrations VALUES (?, now())", [name])
                self.con.execute("COMMIT")
            except Exception:
                self.con.execute("ROLLBACK")
                raise
            applied.append(name)
        return applied

    def schema_version(self) -> list[str]:
        return [row[0] for row in self.con.execute(
            "SELECT name FROM schema_migrations ORDER BY name").fetchall()]

    # --- writing ----------------------------------------------------------------------------
    def replace_batch(self, write: BatchWrite) -> None:
        """Replace everything stored for a batch, atomically."""
        con = self.con
        con.execute("BEGIN TRANSACTION")
        try:
            for table in BATCH_TABLES:
                con.execute(f"DELETE FROM {table} WHERE batch = ?", [write.batch])
            con.register("dups", write.duplicates)
            parts = list(write.feedback_parts)
            # the staged Parquet parts in one statement: DuckDB reads them on all its threads
            files = [str(part) for part in parts if isinstance(part, Path)]
            if files:
                self._insert_feedback("read_parquet(?)", [files])
            for frame in (part for part in parts if not isinstance(part, Path)):
                con.register("part", frame)
                self._insert_feedback("part", [])
                con.unregister("part")
            con.unregister("dups")
            self._insert_frame("rejects", write.rejects.assign(batch=write.batch))
            self._insert_source_counts(write.batch, write.sources)
            self._insert_frame("redactions", write.redactions.assign(batch=write.batch))
            con.execute("""
                INSERT INTO batches
                SELECT ?, now(), sum(input_rows), sum(accepted), sum(duplicates), sum(rejected),
                       ?, ?
                FROM batch_sources WHERE batch = ?""",
                        [write.batch, write.config_hash, write.voc_version, write.batch])
            self._insert_frame("runs", pd.DataFrame([write.run]))
            self._check_reconciles(write.batch)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise

    def _insert_feedback(self, source: str, params: list[Any]) -> None:
        """Feedback rows from a relation (`source`, aliased p), with the duplicate each row
        is of (registered as `dups`)."""
        columns = ", ".join(R.FEEDBACK_COLUMNS)
        select = ", ".join(_stored_expression(c) for c in R.FEEDBACK_COLUMNS)
        self.con.execute(f"""INSERT INTO feedback ({columns})
            SELECT {select} FROM {source} p
            LEFT JOIN dups d ON d.{R.FEEDBACK_ID} = p.{R.FEEDBACK_ID}""", params)

    def _insert_source_counts(self, batch: str, sources: pd.DataFrame) -> None:
        """Per-file counts from the rows just written, beside the rows each reader saw."""
        self.con.register("sources_in", sources)
        self.con.execute(f"""
            INSERT INTO batch_sources
            SELECT $1, s.source, s.source_file, s.format, s.encoding, s.input_rows,
                   coalesce(f.accepted, 0), coalesce(f.duplicates, 0), coalesce(r.rejected, 0)
            FROM sources_in s
            LEFT JOIN (SELECT source, source_file,
                              count(*) FILTER (WHERE {R.DUPLICATE_OF} IS NULL) AS accepted,
                              count(*) FILTER (WHERE {R.DUPLICATE_OF} IS NOT NULL) AS duplicates
                       FROM feedback WHERE batch = $1 GROUP BY ALL) f
              USING (source, source_file)
            LEFT JOIN (SELECT source, source_file, count(*) AS rejected
                       FROM rejects WHERE batch = $1 GROUP BY ALL) r
              USING (source, source_file)""", [batch])
        self.con.unregister("sources_in")

    def _insert_parquet(self, table: str, paths: Sequence[Path], batch: str) -> None:
        """Insert the rows of Parquet files, file by file and in row order: the columns the
        files have (as with a frame, columns they lack get their defaults)."""
        if not paths:
            return
        given = set(pq.read_schema(paths[0]).names)
        columns = ", ".join(column for (column,) in self.con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = ? "
            "AND column_name <> 'batch' ORDER BY ordinal_position", [table]).fetchall()
            if column in given)
        files = ", ".join("'" + str(path).replace("'", "''") + "'" for path in paths)
        self.con.execute(f"INSERT INTO {table} ({columns}, batch) "
                         f"SELECT {columns}, ? FROM read_parquet([{files}])", [batch])

    def _insert_frame(self, table: str, frame: pd.DataFrame, batch: str | None = None) -> None:
        """Insert the frame's rows; `batch` fills the batch column (no copy of a large frame
        to add it)."""
        if frame.empty:
            return
        self.con.register("frame_in", frame)
        columns = ", ".join(frame.columns)
        if batch is None:
            self.con.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM frame_in")
        else:
            self.con.execute(f"INSERT INTO {table} ({columns}, batch) "
                             f"SELECT {columns}, $batch FROM frame_in", {"batch": batch})
        self.con.unregister("frame_in")

    def _check_reconciles(self, batch: str) -> None:
        """Every row a reader saw is accepted, a duplicate or rejected; all rows are accounted."""
        unbalanced = self.con.execute("""
            SELECT source_file, input_rows, accepted, duplicates, rejected FROM batch_sources
            WHERE batch = ? AND input_rows <> accepted + duplicates + rejected""",
                                      [batch]).fetchall()
        if unbalanced:
            name, rows, accepted, duplicates, rejected = unbalanced[0]
            raise StoreError(
                f"{name}: {rows} input rows but {accepted} accepted + {duplicates} duplicates "
                f"+ {rejected} rejected; batch '{batch}' was not written")
        stray = self.con.execute("""
            SELECT (SELECT count(*) FROM feedback WHERE batch = $1)
                 + (SELECT count(*) FROM rejects WHERE batch = $1)
                 - (SELECT coalesce(sum(input_rows), 0) FROM batch_sources WHERE batch = $1)
            """, [batch]).fetchone()
        if stray and stray[0]:
            raise StoreError(f"batch '{batch}': {stray[0]} rows belong to no source file; "
                             "nothing was written")

    # --- reading ----------------------------------------------------------------------------
    def batch_names(self) -> list[str]:
        return [row[0] for row in self.con.execute(
            "SELECT batch FROM batches ORDER BY batch").fetchall()]

    def require_batch(self, batch: str) -> None:
        names = self.batch_names()
        if batch not in names:
            raise BatchNotFoundError(batch, names)

    def batches(self) -> pd.DataFrame:
        return self.con.execute("""
            SELECT batch, input_rows, accepted, duplicates, rejected, ingested_at, config_hash
            FROM batches ORDER BY batch""").df()

    def batch_sources(self, batch: str | None = None) -> pd.DataFrame:
        where, params = ("WHERE batch = ?", [batch]) if batch else ("", [])
        return self.con.execute(f"""
            SELECT batch, source, source_file, format, encoding, input_rows, accepted,
                   duplicates, rejected
            FROM batch_sources {where} ORDER BY batch, source, source_file""", params).df()

    def channel_language_summary(self, batch: str) -> pd.DataFrame:
        """Accepted / duplicates per channel and language, plus rejects per channel."""
        return self.con.execute(f"""
            WITH kept AS (
                SELECT {R.CHANNEL} AS channel, {R.LANG} AS lang,
                       count(*) FILTER (WHERE {R.DUPLICATE_OF} IS NULL) AS accepted,
                       count(*) FILTER (WHERE {R.DUPLICATE_OF} IS NOT NULL) AS duplicates
                FROM feedback WHERE batch = $1 GROUP BY ALL),
            rejected AS (
                SELECT coalesce(channel, '(unknown)') AS channel, count(*) AS rejected
                FROM rejects WHERE batch = $1 GROUP BY ALL)
            SELECT channel, lang, accepted, duplicates, 0 AS rejected FROM kept
            UNION ALL
            SELECT channel, '(rejected)', 0, 0, rejected FROM rejected
            ORDER BY channel, lang""", [batch]).df()

    def rejects(self, batch: str, reason: str | None = None) -> pd.DataFrame:
        where = "AND reason = ?" if reason else ""
        params = [batch, reason] if reason else [batch]
        return self.con.execute(f"""
            SELECT source_file, source_row, channel, field, reason, detail, raw FROM rejects
            WHERE batch = ? {where} ORDER BY source, source_file, source_row""", params).df()

    def redaction_counts(self, batch: str) -> pd.DataFrame:
        return self.con.execute("""
            SELECT pii_type, sum(count)::BIGINT AS count FROM redactions WHERE batch = ?
            GROUP BY pii_type ORDER BY pii_type""", [batch]).df()

    def iter_feedback(self, batch: str, include_duplicates: bool = False,
                      chunk_rows: int = 100_000) -> Iterator[pd.DataFrame]:
        """A batch's records in input order, chunk by chunk (memory stays flat)."""
        where = "" if include_duplicates else f"AND {R.DUPLICATE_OF} IS NULL"
        result = self.con.execute(f"""
            SELECT {READ_COLUMNS} FROM feedback
            WHERE batch = ? {where}
            ORDER BY source, {R.SOURCE_FILE}, {R.SOURCE_ROW}""", [batch])
        while True:
            frame = result.fetch_df_chunk(max(1, chunk_rows // 2048))
            if frame.empty:
                return
            yield frame

    def analysis_count(self, batch: str) -> int:
        """How many records `analysis_texts` gives for the batch."""
        rows = self.con.execute(f"""SELECT count(*) FROM feedback
                                    WHERE batch = ? AND {R.DUPLICATE_OF} IS NULL""",
                                [batch]).fetchall()
        return int(rows[0][0])

    def analysis_texts(self, batch: str) -> pd.DataFrame:
        """Accepted records of a batch for analysis, in input order: feedback_id, lang,
        channel, text (analysis form), quote_chars (length of the customer's words as
        written: quotes are read for the few records quoted, `quote_texts`) and the
        rating / nps / csat scores."""
        return read_frame(self.con, f"""
            SELECT {R.FEEDBACK_ID}, {R.LANG}, {R.CHANNEL},
                   {_read_expression(R.ANALYSIS_TEXT)} AS text,
                   length({R.TEXT}) AS quote_chars, {R.RATING}, {R.NPS}, {R.CSAT}
            FROM feedback WHERE batch = ? AND {R.DUPLICATE_OF} IS NULL
            ORDER BY source, {R.SOURCE_FILE}, {R.SOURCE_ROW}""", [batch])

    def quote_texts(self, batch: str, feedback_ids: Sequence[str]) -> list[str]:
        """The customers' words as written, for these records of the batch, in that order."""
        return read_quote_texts(self.con, batch, feedback_ids)

    def history_texts(self, batch: str, langs: Sequence[str], limit: int) -> list[str]:
        """Analysis texts of batches before `batch` in the given languages, the latest batches
        first, at most `limit`: what trained word vectors learn a team's language from."""
        if limit <= 0:
            return []
        marks = ", ".join("?" for _ in langs)
        rows = self.con.execute(f"""
            SELECT {_read_expression(R.ANALYSIS_TEXT)} FROM feedback
            WHERE batch < ? AND {R.DUPLICATE_OF} IS NULL AND {R.LANG} IN ({marks})
            ORDER BY batch DESC, source, {R.SOURCE_FILE}, {R.SOURCE_ROW}
            LIMIT ?""", [batch, *langs, limit]).fetchall()
        return [row[0] for row in rows]

    def replace_analysis(self, batch: str, tables: Mapping[str, pd.DataFrame],
                         run: dict[str, Any],
                         derive: Callable[[duckdb.DuckDBPyConnection],
                                          Mapping[str, pd.DataFrame]] | None = None,
                         parquet: Mapping[str, Sequence[Path]] | None = None) -> None:
        """Replace a batch's analysis results in one transaction (re-running replaces them).

        `tables` maps analysis table names (ANALYSIS_TABLES) to their rows without `batch`;
        `parquet` maps them to Parquet files holding their rows (without `batch`; extra
        columns ignored), in order: rows too many to hold in memory. Every analysis
        table of the batch is cleared, also those not given. `derive` computes more tables
        from what was just written (it sees the uncommitted rows), inside the same
        transaction.
        """
        parquet = parquet or {}
        unknown = (set(tables) | set(parquet)) - set(ANALYSIS_TABLES)
        if unknown:
            raise ValueError(f"not analysis tables: {sorted(unknown)}")
        con = self.con
        con.execute("BEGIN TRANSACTION")
        try:
            for table in ANALYSIS_TABLES:
                con.execute(f"DELETE FROM {table} WHERE batch = ?", [batch])
            for table, frame in tables.items():
                self._insert_frame(table, frame, batch)
            for table, paths in parquet.items():
                self._insert_parquet(table, paths, batch)
            derived = derive(con) if derive else {}
            unknown = set(derived) - set(ANALYSIS_TABLES)
            if unknown:
                raise ValueError(f"not analysis tables: {sorted(unknown)}")
            for table, frame in derived.items():
                self._insert_frame(table, frame, batch)
            self._insert_frame("runs", pd.DataFrame([run]))
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise

    def topics(self, batch: str, lang: str | None = None) -> pd.DataFrame:
        where, params = ("AND t.lang = ?", [batch, lang]) if lang else ("", [batch])
        return self.con.execute(f"""
            SELECT t.topic_id, l.stable_id, l.status, t.lang, t.label, t.category, t.emerging,
                   t.size, t.share, t.keywords, t.phrases
            FROM topics t LEFT JOIN topic_lineage l
              ON l.batch = t.batch AND l.topic_id = t.topic_id
            WHERE t.batch = ? {where}
            ORDER BY t.lang, t.topic_id""", params).df()

    def sentiment_summary(self, batch: str) -> pd.DataFrame:
        """Per language and channel: records, mean score, label shares, how they were scored."""
        return self.con.execute("""
            SELECT f.lang, f.channel, count(*) AS records, avg(s.score) AS mean_score,
                   avg(CASE WHEN s.label = 'negative' THEN 1 ELSE 0 END) AS negative,
                   avg(CASE WHEN s.label = 'neutral' THEN 1 ELSE 0 END) AS neutral,
                   avg(CASE WHEN s.label = 'positive' THEN 1 ELSE 0 END) AS positive,
                   string_agg(DISTINCT s.method, ', ' ORDER BY s.method) AS method
            FROM doc_sentiment s JOIN feedback f USING (batch, feedback_id)
            WHERE s.batch = ? GROUP BY ALL ORDER BY f.lang, f.channel""", [batch]).df()

    def transaction(self, work: Callable[[duckdb.DuckDBPyConnection], Any]) -> Any:
        """Run `work(connection)` in one transaction: all of it lands, or none of it."""
        self.con.execute("BEGIN TRANSACTION")
        try:
            result = work(self.con)
            self.con.execute("COMMIT")
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        return result

    def issues(self, batch: str) -> pd.DataFrame:
        return self.con.execute(
            "SELECT * EXCLUDE (batch) FROM issues WHERE batch = ? ORDER BY rank", [batch]).df()

    def issue_quotes(self, batch: str) -> pd.DataFrame:
        return self.con.execute("""
            SELECT issue_id, rank, channel, quote, aspect_score, feedback_id FROM issue_quotes
            WHERE batch = ? ORDER BY issue_id, rank""", [batch]).df()

    def previous_issues(self, batch: str) -> pd.DataFrame | None:
        """The issue table of the latest batch before this one that has one."""
        row = self.con.execute("""
            SELECT max(batch) FROM issues WHERE batch < ?""", [batch]).fetchone()
        if row is None or row[0] is None:
            return None
        return self.issues(str(row[0]))

    def flag_counts(self, batch: str) -> pd.DataFrame:
        return self.con.execute("""
            SELECT flag, count(*) AS records FROM doc_flags WHERE batch = ?
            GROUP BY flag ORDER BY records DESC, flag""", [batch]).df()

    def topic_quotes(self, batch: str) -> pd.DataFrame:
        return self.con.execute("""
            SELECT topic_id, rank, channel, quote, similarity, feedback_id FROM topic_quotes
            WHERE batch = ? ORDER BY topic_id, rank""", [batch]).df()

    def previous_topics(self, batch: str) -> tuple[str | None, pd.DataFrame]:
        """The latest earlier batch with topics, and its topics with their stable ids."""
        row = self.con.execute("""SELECT max(batch) FROM topic_lineage WHERE batch < ?""",
                               [batch]).fetchone()
        previous = row[0] if row else None
        frame = self.con.execute("""
            SELECT t.topic_id, t.lang, t.keywords, l.stable_id
            FROM topics t JOIN topic_lineage l ON l.batch = t.batch AND l.topic_id = t.topic_id
            WHERE t.batch = ? ORDER BY t.topic_id""", [previous]).df()
        return previous, frame

    def batch_topic_ids(self, batch: str) -> pd.DataFrame:
        """A batch's topics from its last run, with their stable ids and lineage status."""
        return self.con.execute("""
            SELECT t.topic_id, t.lang, t.keywords, l.stable_id, l.status
            FROM topics t JOIN topic_lineage l ON l.batch = t.batch AND l.topic_id = t.topic_id
            WHERE t.batch = ? ORDER BY t.topic_id""", [batch]).df()

    def stable_ids(self, exclude_batch: str) -> pd.Series:
        return self.con.execute("""SELECT DISTINCT stable_id FROM topic_lineage
                                   WHERE batch <> ?""", [exclude_batch]).df()["stable_id"]

    def export_feedback(self, batch: str, path: Path, fmt: str) -> int:
        """Write a batch's accepted records with DuckDB's own writers; returns the row count.

        In CSV, text that a spreadsheet would run as a formula (starting with = + - @, tab or
        CR) gets a leading apostrophe: feedback is written by strangers.
        """
        columns = ", ".join(
            _neutralised(_read_expression(c), c) if fmt == "csv" and c in _TEXT_COLUMNS
            else f"{_read_expression(c)} AS {c}" for c in R.FEEDBACK_COLUMNS)
        query = f"""SELECT {columns} FROM feedback WHERE batch = '{_quote(batch)}'
                    AND {R.DUPLICATE_OF} IS NULL ORDER BY source, {R.SOURCE_FILE}, {R.SOURCE_ROW}"""
        options = {"csv": "FORMAT csv, HEADER true", "parquet": "FORMAT parquet",
                   "jsonl": "FORMAT json"}[fmt]
        self.con.execute(f"COPY ({query}) TO '{_quote(str(path))}' ({options})")
        row = self.con.execute(f"SELECT count(*) FROM ({query})").fetchone()
        return int(row[0]) if row else 0


_TEXT_COLUMNS = {R.SOURCE_RECORD_ID, R.TEXT, R.ANALYSIS_TEXT, R.CONTEXT, R.METADATA,
                 R.SOURCE_FILE}
_FORMULA_START = r"'^[=+\-@\t\r]'"


def _neutralised(expression: str, name: str) -> str:
    return (f"CASE WHEN regexp_matches({expression}, {_FORMULA_START}) "
            f"THEN chr(39) || {expression} ELSE {expression} END AS {name}")


def _stored_expression(column: str) -> str:
    """How a staged column is written: duplicates joined in, analysis_text only if different."""
    if column in (R.DUPLICATE_OF, R.DUPLICATE_KIND):
        return f"coalesce(d.{column}, p.{column}) AS {column}"
    if column == R.ANALYSIS_TEXT:
        return (f"CASE WHEN p.{column} = p.{R.TEXT} THEN NULL ELSE p.{column} END "
                f"AS {column}")
    return f"p.{column}"


def read_frame(con: duckdb.DuckDBPyConnection, query: str,
               params: Sequence[Any] = ()) -> pd.DataFrame:
    """A query's rows as a DataFrame by way of Arrow: at a million rows this peaks at about
    half the memory of DuckDB's own conversion (`.df()`), and is faster."""
    relation = con.sql(query, params=list(params))
    export = getattr(relation, "to_arrow_table", None) or relation.arrow  # duckdb < 1.4
    table = export()
    if isinstance(table, pa.RecordBatchReader):
        table = table.read_all()
    return table.to_pandas()


def read_quote_texts(con: duckdb.DuckDBPyConnection, batch: str,
                     feedback_ids: Sequence[str]) -> list[str]:
    """Original texts (as written, PII redacted) of some records of a batch, in the order
    of `feedback_ids`: what quotes show, read only for the records that may be quoted."""
    wanted = list(dict.fromkeys(str(feedback) for feedback in feedback_ids))
    found = dict(con.execute(f"""
        SELECT {R.FEEDBACK_ID}, {R.TEXT} FROM feedback
        WHERE batch = ? AND {R.FEEDBACK_ID} IN (SELECT unnest(?::VARCHAR[]))""",
                             [batch, wanted]).fetchall())
    missing = [feedback for feedback in wanted if feedback not in found]
    if missing:
        raise StoreError(f"batch '{batch}' has no record {missing[0]}")
    return [found[str(feedback)] for feedback in feedback_ids]


def _read_expression(column: str) -> str:
    if column == R.ANALYSIS_TEXT:
        return f"coalesce({R.ANALYSIS_TEXT}, {R.TEXT})"
    return column


# The unified record as readers see it (analysis_text filled in).
READ_COLUMNS = ", ".join(f"{_read_expression(c)} AS {c}" for c in R.FEEDBACK_COLUMNS)


def _quote(value: str) -> str:
    return value.replace("'", "''")


@contextmanager
def open_store(path: Path, *, read_only: bool = False,
               lock_timeout: float = 60.0) -> Iterator[Store]:
    """Open (and migrate) the store at `path`, waiting while another process holds it."""
    if read_only and not path.exists():
        raise StoreError(f"no store at {path}: run `voc ingest` first (or pass --store PATH)")
    path.parent.mkdir(parents=True, exist_ok=True)
    if read_only and _pending_migrations(path, lock_timeout):
        # A store written by an older voc: bring its schema up to date once, then read.
        with open_store(path, lock_timeout=lock_timeout):
            pass
    con = _connect(path, read_only, lock_timeout)
    store = Store(con, path)
    try:
        if not read_only:
            store.migrate()
        yield store
    finally:
        con.close()


def _pending_migrations(path: Path, lock_timeout: float) -> bool:
    con = _connect(path, True, lock_timeout)
    try:
        tables = {row[0] for row in con.execute(
            "SELECT table_name FROM information_schema.tables").fetchall()}
        if "schema_migrations" not in tables:
            raise StoreError(f"{path} is not a voc store (no schema_migrations table)")
        done = {row[0] for row in con.execute("SELECT name FROM schema_migrations").fetchall()}
        return any(name not in done for name, _ in MIGRATIONS)
    finally:
        con.close()


def _connect(path: Path, read_only: bool, lock_timeout: float) -> duckdb.DuckDBPyConnection:
    deadline = time.monotonic() + lock_timeout
    delay = 0.05
    while True:
        try:
            # No extension autoloading: voc must never reach for the network.
            return duckdb.connect(str(path), read_only=read_only,
                                  config={"autoload_known_extensions": False,
                                          "autoinstall_known_extensions": False,
                                          # a batch write spills to disk beyond this
                                          "memory_limit": MEMORY_LIMIT})
        except duckdb.IOException as exc:
            message = str(exc)
            if "lock" not in message.lower():
                raise StoreError(f"cannot open store {path}: {message}") from exc
            if time.monotonic() >= deadline:
                raise StoreLockedError(
                    f"store {path} is in use by another voc process; waited "
                    f"{lock_timeout:g} s (ingest.lock_timeout_seconds). Try again when it "
                    "has finished.") from exc
            time.sleep(delay)
            delay = min(delay * 2, 1.0)
        except duckdb.Error as exc:
            raise StoreError(f"cannot open store {path}: {exc}") from exc
