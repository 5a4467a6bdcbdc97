"""Backlog rows in the store: what a run does to them, and what people change.

All functions take an open DuckDB connection; callers own the transaction.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import duckdb
import pandas as pd

from voc.backlog.check import Counts, check
from voc.backlog.items import (
    EDITABLE,
    Status,
    Target,
    check_transition,
    parse_status,
    parse_target,
)
from voc.errors import ConfigError
from voc.provenance import now_utc

RUN = "voc"  # `who` of the changes a run makes
QUOTES_PER_ITEM = 3


@dataclass(frozen=True)
class BacklogOptions:
    open_top: int = 5  # a run opens items for issues ranked this high ...
    open_quadrants: tuple[str, ...] = ("fix_first",)  # ... and in these quadrants
    negative_band: float = 0.1  # an aspect score at or below minus this is a complaint


def topic_counts(con: duckdb.DuckDBPyConnection, batch: str,
                 negative_band: float) -> dict[str, tuple[int, int]]:
    """stable topic id → (records, complaints) in the batch, emerging or not.

    A topic item keeps following its topic when the topic stops being emerging (this month
    it maps to a category) or falls below the issue list's minimum volume.
    """
    rows = con.execute("""
        SELECT l.stable_id, count(*),
               count(*) FILTER (WHERE coalesce(a.score, s.score) <= -?)
        FROM doc_topics d
        JOIN topic_lineage l ON l.batch = d.batch AND l.topic_id = d.topic_id
        JOIN doc_sentiment s ON s.batch = d.batch AND s.feedback_id = d.feedback_id
        LEFT JOIN aspect_sentiment a
          ON a.batch = d.batch AND a.feedback_id = d.feedback_id
         AND a.aspect_kind = 'topic' AND a.aspect = d.topic_id
        WHERE d.batch = ? GROUP BY 1""", [negative_band, batch]).fetchall()
    return {stable: (int(records), int(complaints)) for stable, records, complaints in rows}


def _history(con: duckdb.DuckDBPyConnection, item_id: str, who: str, field: str,
             old: object, new: object, batch: str | None) -> None:
    con.execute("INSERT INTO backlog_history VALUES (?, ?, ?, ?, ?, ?, ?)",
                [item_id, now_utc(), who, field, None if old is None else str(old),
                 None if new is None else str(new), batch])


def _title(issue: Any) -> str:
    english, chinese = str(issue.label_en), str(issue.label_zh)
    return english if english == chinese else f"{english} / {chinese}"


def sync_backlog(con: duckdb.DuckDBPyConnection, batch: str, issues: pd.DataFrame,
                 quotes: pd.DataFrame, total_docs: int, options: BacklogOptions) -> None:
    """What a run of `batch` does to the backlog; running the batch again gives the same.

    Opens a Plan item for each important issue without one, records every item's metrics
    for the batch, and checks items that have been in Do since an earlier batch.
    """
    _forget_batch(con, batch)
    by_issue = issues.set_index("issue_id") if len(issues) else pd.DataFrame()
    existing = set(row[0] for row in con.execute("SELECT item_id FROM backlog_items").fetchall())
    stamp = now_utc()
    for issue in issues.itertuples():
        if issue.issue_id in existing or issue.rank > options.open_top \
                or issue.quadrant not in options.open_quadrants:
            continue
        evidence = quotes[quotes["issue_id"] == issue.issue_id].head(QUOTES_PER_ITEM)
        con.execute("""INSERT INTO backlog_items VALUES
                       (?, ?, ?, 'plan', ?, NULL, NULL, NULL, NULL, ?, ?, ?, ?, ?)""",
                    [issue.issue_id, issue.kind, _title(issue), float(issue.priority), batch,
                     batch, json.dumps(evidence[["channel", "quote"]].to_dict("records"),
                                       ensure_ascii=False), stamp, stamp])
        _history(con, issue.issue_id, RUN, "opened", None, Status.PLAN.value, batch)
    topics = topic_counts(con, batch, options.negative_band)
    for item_id, kind in con.execute("SELECT item_id, kind FROM backlog_items").fetchall():
        row = by_issue.loc[item_id] if item_id in by_issue.index else None
        if row is not None:
            volume, negative = int(row["volume"]), int(row["negative"])
        elif kind == "topic":
            volume, negative = topics.get(item_id, (0, 0))
        else:  # a category nobody mentioned this batch
            volume, negative = 0, 0
        con.execute("INSERT INTO backlog_metrics VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", [
            item_id, batch, None if row is None else int(row["rank"]),
            None if row is None else float(row["priority"]), volume, negative, total_docs,
            volume / max(total_docs, 1), negative / volume if volume else 0.0,
            negative / max(total_docs, 1),
            None if row is None else float(row["mean_sentiment"])])
        if row is not None:
            con.execute("UPDATE backlog_items SET priority = ? WHERE item_id = ?",
                        [float(row["priority"]), item_id])
    _check_items(con, batch)


def _forget_batch(con: duckdb.DuckDBPyConnection, batch: str) -> None:
    """Undo an earlier run of the same batch: its metrics and verdicts, and the items it opened
    that nobody has touched since."""
    con.execute("DELETE FROM backlog_metrics WHERE batch = ?", [batch])
    con.execute("DELETE FROM backlog_verdicts WHERE batch = ?", [batch])
    untouched = [row[0] for row in con.execute("""
        SELECT i.item_id FROM backlog_items i WHERE i.opened_batch = ? AND i.status = 'plan'
          AND NOT EXISTS (SELECT 1 FROM backlog_history h
                          WHERE h.item_id = i.item_id AND h.who <> ?)""",
                                               [batch, RUN]).fetchall()]
    for item_id in untouched:
        con.execute("DELETE FROM backlog_items WHERE item_id = ?", [item_id])
        con.execute("DELETE FROM backlog_history WHERE item_id = ?", [item_id])


def _check_items(con: duckdb.DuckDBPyConnection, batch: str) -> None:
    """Items in Do (or already in Check) since an earlier batch get this batch's verdict."""
    rows = con.execute("""
        SELECT i.item_id, i.status, i.target, i.baseline_batch,
               b.volume, b.negative, b.total_docs, c.volume, c.negative, c.total_docs
        FROM backlog_items i
        JOIN backlog_metrics b ON b.item_id = i.item_id AND b.batch = i.baseline_batch
        JOIN backlog_metrics c ON c.item_id = i.item_id AND c.batch = ?
        WHERE i.status IN ('do', 'check') AND i.baseline_batch < ?
        ORDER BY i.item_id""", [batch, batch]).fetchall()
    for item_id, status, target, baseline_batch, *counts in rows:
        verdict = check(Counts(*counts[:3]), Counts(*counts[3:]), parse_target(target))
        values = verdict.as_row()
        con.execute("""INSERT INTO backlog_verdicts VALUES
                       (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                    [item_id, batch, baseline_batch, *values.values()])
        if status == Status.DO.value:
            con.execute("UPDATE backlog_items SET status = 'check', updated_at = ? "
                        "WHERE item_id = ?", [now_utc(), item_id])
            _history(con, item_id, RUN, "status", status, Status.CHECK.value, batch)


_DATE = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$")
_LATEST_BATCH = "latest batch"  # marker: the latest batch with metrics, resolved on apply


def parse_due(value: Any) -> date | None:
    """A due date from yyyy-mm-dd or yyyy/m/d text (what Excel writes back in Chinese
    settings), or a date / datetime cell; None when empty."""
    if isinstance(value, datetime):  # openpyxl reads Excel date cells as datetimes
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip() if value is not None else ""
    if not text:
        return None
    match = _DATE.match(text)
    try:
        if match:
            return date(*(int(part) for part in match.groups()))
    except ValueError:
        pass
    raise ConfigError(f"due '{text}' is not a date: write it as YYYY-MM-DD")


@dataclass
class ItemChange:
    """What one edit does to one item: new column values and the history rows it writes."""

    item_id: str
    updates: dict[str, Any] = field(default_factory=dict)
    history: list[tuple[str, str | None, str | None]] = field(default_factory=list)


def plan_field(change: ItemChange, name: str, value: Any, item: dict[str, Any]) -> None:
    """Validate one edited field against the item's current values and record the change in
    `change` (nothing when the value is unchanged); raise ConfigError when it is invalid.

    Moving an item from Plan to Do makes the latest batch with metrics its baseline, the
    batch later Checks compare with; Check → Do keeps it (the action runs another batch).
    """
    if name not in EDITABLE:
        raise ConfigError(f"cannot set {name} (editable: {', '.join(EDITABLE)})")
    old = item[name]
    if name == "status":
        if value is None or not str(value).strip():
            raise ConfigError("the status is empty")
        new_status, old_status = parse_status(str(value)), Status(old)
        check_transition(change.item_id, old_status, new_status)
        if new_status != old_status:
            change.updates["status"] = new_status.value
            change.history.append(("status", old, new_status.value))
            if old_status is Status.PLAN and new_status is Status.DO:
                change.updates["baseline_batch"] = _LATEST_BATCH
        return
    if name == "due":
        new_due = parse_due(value)
        old_due = date.fromisoformat(str(old)[:10]) if old else None
        if new_due != old_due:
            change.updates["due"] = new_due
            change.history.append(("due", None if old_due is None else old_due.isoformat(),
                                   new_due.isoformat() if new_due else None))
        return
    text = str(value).strip() if value is not None and str(value).strip() else None
    if name == "target":
        target = parse_target(text)
        if _same_target(old, target):
            return
        text = target.text() if target else None
    if text != (old or None):
        change.updates[name] = text
        change.history.append((name, old, text))


def _same_target(old: str | None, new: Target | None) -> bool:
    try:
        return parse_target(old) == new
    except ConfigError:  # a stored target voc cannot read: any valid new one replaces it
        return False


def apply_change(con: duckdb.DuckDBPyConnection, change: ItemChange, who: str) -> None:
    """Write a planned change and its history rows (the caller owns the transaction)."""
    if not change.history:
        return
    now = now_utc()
    updates = dict(change.updates)
    if updates.get("baseline_batch") == _LATEST_BATCH:
        row = con.execute("SELECT max(batch) FROM backlog_metrics WHERE item_id = ?",
                          [change.item_id]).fetchone()
        updates["baseline_batch"] = row[0] if row else None
    assignments = ", ".join(f"{column} = ?" for column in updates)
    con.execute(f"UPDATE backlog_items SET {assignments}, updated_at = ? WHERE item_id = ?",
                [*updates.values(), now, change.item_id])
    con.executemany("INSERT INTO backlog_history VALUES (?, ?, ?, ?, ?, ?, NULL)",
                    [[change.item_id, now, who, name, old, new]
                     for name, old, new in change.history])


def current_items(con: duckdb.DuckDBPyConnection) -> dict[str, dict[str, Any]]:
    """item id → its editable fields as stored."""
    rows = con.execute(f"SELECT item_id, {', '.join(EDITABLE)} FROM backlog_items").fetchall()
    return {row[0]: dict(zip(EDITABLE, row[1:], strict=True)) for row in rows}


def set_item(con: duckdb.DuckDBPyConnection, item_id: str, changes: dict[str, Any],
             who: str) -> int:
    """Apply a person's changes to one item (all validated first); returns the fields
    changed."""
    item = current_items(con).get(item_id)
    if item is None:
        raise ConfigError(f"no backlog item '{item_id}' (see `voc backlog list`)")
    change = ItemChange(item_id)
    for name, value in changes.items():
        plan_field(change, name, value, item)
    apply_change(con, change, who)
    return len(change.history)


def list_items(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return con.execute("""
        SELECT i.item_id, i.title, i.status, round(i.priority, 2) AS priority, i.owner,
               i.action, i.target, i.due, i.opened_batch, i.baseline_batch,
               v.verdict, v.batch AS verdict_batch
        FROM backlog_items i
        LEFT JOIN (SELECT * FROM backlog_verdicts
                   QUALIFY row_number() OVER (PARTITION BY item_id ORDER BY batch DESC) = 1) v
          USING (item_id)
        ORDER BY list_position(['plan', 'do', 'check', 'act', 'closed'], i.status),
                 i.priority DESC NULLS LAST, i.item_id""").df()


def item_detail(con: duckdb.DuckDBPyConnection, item_id: str) -> dict[str, pd.DataFrame]:
    if con.execute("SELECT 1 FROM backlog_items WHERE item_id = ?", [item_id]).fetchone() \
            is None:
        raise ConfigError(f"no backlog item '{item_id}' (see `voc backlog list`)")
    return {name: con.execute(f"SELECT * FROM {table} WHERE item_id = ? ORDER BY {order}",
                              [item_id]).df()
            for name, table, order in (
                ("item", "backlog_items", "item_id"), ("metrics", "backlog_metrics", "batch"),
                ("verdicts", "backlog_verdicts", "batch"),
                ("history", "backlog_history", "changed_at"))}
