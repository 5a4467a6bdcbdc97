"""Backlog exports (CSV, XLSX, JSON, Jira CSV, Markdown) and the import of edited spreadsheets.

Managers work in spreadsheets: they get the backlog as CSV or XLSX, fill in owner, status,
action, target and due, and hand the file back. `import_backlog` validates the whole file
before it changes anything, so a file with one mistake applies nothing, and it records every
changed cell in `backlog_history` like `voc backlog set` does.

Titles and quotes are customers' words: every exported spreadsheet cell that a spreadsheet
would run as a formula (starting with = + - @, tab or CR) gets a leading apostrophe, as
`voc.store` does for feedback exports. The import takes that apostrophe off again.
"""

from __future__ import annotations

import csv
import json
import math
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

import duckdb
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.worksheet import Worksheet

from voc.backlog.items import EDITABLE, Status
from voc.backlog.repository import ItemChange, apply_change, current_items, plan_field
from voc.errors import ConfigError, InputError


class ExportFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"
    JSON = "json"
    JIRA = "jira"
    MD = "md"


ITEM_COLUMNS = ("id", "title", "issue", "kind", "status", "priority", "owner", "action",
                "target", "due", "verdict", "opened_batch", "baseline_batch", "latest_volume",
                "latest_negative_rate")
HISTORY_COLUMNS = ("item_id", "changed_at", "who", "field", "old_value", "new_value", "batch")
METRIC_COLUMNS = ("batch", "rank", "volume", "share", "negative_rate", "complaint_share",
                  "mean_sentiment", "priority")
STATUS_ORDER = tuple(status.value for status in Status)  # plan, do, check, act, closed

_FORMULA_START = re.compile(r"^[=+\-@\t\r]")
_MAX_WIDTH = 60
_MIN_WIDTH = 8
_JIRA_SUMMARY_LIMIT = 255  # Jira refuses longer summaries
_JIRA_METRIC_BATCHES = 3
# Jira priority by the share of items ranked above an item: top 10% Highest, next 20% High...
_JIRA_PRIORITIES = ((0.1, "Highest"), (0.3, "High"), (0.7, "Medium"), (0.9, "Low"),
                    (math.inf, "Lowest"))
# Unambiguous, year-first dates only; Excel in zh-CN locales re-saves CSV dates as 2026/1/5.
_DATE = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$")


# --- reading the backlog ------------------------------------------------------------------------

def backlog_records(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Every backlog item with its latest verdict, metrics per batch and evidence quotes.

    Ordered by status (plan, do, check, act, closed), then priority (highest first, unranked
    last), then item id. Values are plain JSON-friendly Python (dates as ISO strings).
    """
    order = " ".join(f"WHEN '{status}' THEN {i}" for i, status in enumerate(STATUS_ORDER))
    items = _dicts(con, f"""
        SELECT item_id, title, kind, status, priority, owner, action, target, due,
               opened_batch, baseline_batch, quotes
        FROM backlog_items
        ORDER BY CASE status {order} ELSE {len(STATUS_ORDER)} END,
                 priority DESC NULLS LAST, item_id""")
    verdicts = {row["item_id"]: row for row in _dicts(con, """
        SELECT * EXCLUDE (latest) FROM (
            SELECT *, row_number() OVER (PARTITION BY item_id ORDER BY batch DESC, metric)
                      AS latest
            FROM backlog_verdicts)
        WHERE latest = 1""")}
    metrics: dict[str, list[dict[str, Any]]] = {}
    for row in _dicts(con, f"""SELECT item_id, {", ".join(METRIC_COLUMNS)}
                               FROM backlog_metrics ORDER BY item_id, batch"""):
        metrics.setdefault(row.pop("item_id"), []).append(row)
    return [_record(item, verdicts.get(item["item_id"]), metrics.get(item["item_id"], []))
            for item in items]


def _record(item: dict[str, Any], verdict: dict[str, Any] | None,
            metrics: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "id": item["item_id"], "title": item["title"], "issue": item["item_id"],
        "kind": item["kind"], "status": item["status"], "priority": item["priority"],
        "owner": item["owner"], "action": item["action"], "target": item["target"],
        "due": item["due"],
        "verdict": verdict["verdict"] if verdict else None, "verdict_detail": verdict,
        "metrics": metrics, "quotes": _quotes(item["quotes"]),
        "opened_batch": item["opened_batch"], "baseline_batch": item["baseline_batch"],
    }


def _dicts(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict[str, Any]]:
    cursor = con.execute(sql)
    names = [column[0] for column in cursor.description or []]
    return [{name: _plain(value) for name, value in zip(names, row, strict=True)}
            for row in cursor.fetchall()]


def _plain(value: Any) -> Any:
    """JSON-friendly: dates as ISO text, NaN as None (json would write invalid NaN)."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _quotes(raw: str | None) -> list[dict[str, Any]]:
    """The item's evidence quotes; a damaged JSON column costs the quotes, not the export."""
    try:
        parsed = json.loads(raw) if raw else []
    except json.JSONDecodeError:
        return []
    quotes = []
    for entry in parsed if isinstance(parsed, list) else []:
        if isinstance(entry, dict):
            quotes.append({"channel": entry.get("channel"), "quote": entry.get("quote")})
        elif isinstance(entry, str):
            quotes.append({"channel": None, "quote": entry})
    return quotes


def _history(con: duckdb.DuckDBPyConnection) -> list[tuple[Any, ...]]:
    return con.execute(f"""SELECT {", ".join(HISTORY_COLUMNS)} FROM backlog_history
                           ORDER BY item_id, changed_at""").fetchall()


# --- writing ------------------------------------------------------------------------------------

def export_backlog(con: duckdb.DuckDBPyConnection, fmt: ExportFormat, out: Path) -> Path:
    """Write the backlog to `out` in `fmt` (see the module docstring); returns `out`."""
    records = backlog_records(con)
    out.parent.mkdir(parents=True, exist_ok=True)
    match ExportFormat(fmt):
        case ExportFormat.CSV:
            # utf-8-sig: the BOM makes Excel read the file as UTF-8 (Chinese intact).
            _write_csv(out, list(ITEM_COLUMNS), [_item_row(r) for r in records], "utf-8-sig")
        case ExportFormat.XLSX:
            _write_xlsx(out, records, _history(con))
        case ExportFormat.JSON:
            out.write_text(json.dumps(records, ensure_ascii=False, indent=2) + "\n",
                           encoding="utf-8")
        case ExportFormat.JIRA:
            header, rows = _jira_rows(records)
            # No BOM: Jira's importer would read it as part of the first header.
            _write_csv(out, header, rows, "utf-8")
        case ExportFormat.MD:
            out.write_text(_markdown(records), encoding="utf-8")
    return out


def neutralise(value: Any) -> Any:
    """Prefix text a spreadsheet would run as a formula with an apostrophe; others as is."""
    if isinstance(value, str) and _FORMULA_START.match(value):
        return "'" + value
    return value


def _unneutralise(value: str) -> str:
    """Undo `neutralise`: only an apostrophe followed by a formula character is ours."""
    if value.startswith("'") and _FORMULA_START.match(value[1:]):
        return value[1:]
    return value


def _item_row(record: dict[str, Any]) -> list[Any]:
    latest = record["metrics"][-1] if record["metrics"] else {}
    values = {**record, "latest_volume": latest.get("volume"),
              "latest_negative_rate": latest.get("negative_rate")}
    return [values[column] for column in ITEM_COLUMNS]


def _write_csv(out: Path, header: Sequence[str], rows: Iterable[Sequence[Any]],
               encoding: str) -> None:
    with out.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for row in rows:
            writer.writerow(["" if value is None else neutralise(value) for value in row])


def _write_xlsx(out: Path, records: list[dict[str, Any]],
                history: list[tuple[Any, ...]]) -> None:
    book = Workbook()
    items = book.active
    assert items is not None  # a new workbook always has one sheet
    items.title = "Items"
    item_rows = []
    for record in records:
        row = _item_row(record)
        due = ITEM_COLUMNS.index("due")
        # A real date cell, so Excel sorts and filters it as a date.
        row[due] = date.fromisoformat(row[due]) if row[due] else None
        item_rows.append(row)
    _fill_sheet(items, ITEM_COLUMNS, item_rows)
    _fill_sheet(book.create_sheet("History"), HISTORY_COLUMNS, [list(row) for row in history])
    book.save(out)


def _fill_sheet(sheet: Worksheet, header: Sequence[str], rows: list[list[Any]]) -> None:
    sheet.append(list(header))
    for row in rows:
        sheet.append([_xlsx_value(value) for value in row])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, datetime):
                cell.number_format = "yyyy-mm-dd hh:mm:ss"
            elif isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd"
    for index, column in enumerate(zip(header, *rows, strict=True), start=1):
        width = max(display_width(value) for value in column) + 2
        sheet.column_dimensions[get_column_letter(index)].width = min(
            _MAX_WIDTH, max(_MIN_WIDTH, width))
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions


def _xlsx_value(value: Any) -> Any:
    if isinstance(value, str):
        # openpyxl refuses control characters, and would store "=..." as a live formula.
        return neutralise(ILLEGAL_CHARACTERS_RE.sub("", value))
    return value


def display_width(value: Any) -> int:
    """Columns a value needs: its longest line, wide (CJK) characters counting twice."""
    if value is None:
        return 0
    if isinstance(value, datetime):
        return 19
    if isinstance(value, date):
        return 10
    lines = str(value).splitlines() or [""]
    return max(sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)
               for line in lines)


# --- Jira ---------------------------------------------------------------------------------------

def _jira_rows(records: list[dict[str, Any]]) -> tuple[list[str], list[list[Any]]]:
    """Rows for Jira's CSV importer, which maps repeated "Labels" columns to one field."""
    labels = [_jira_labels(record) for record in records]
    width = max((len(item) for item in labels), default=1)
    header = ["Summary", "Description", "Priority", *["Labels"] * width, "Assignee",
              "Due date"]
    priorities = _jira_priorities([record["priority"] for record in records])
    rows = []
    for record, priority, item_labels in zip(records, priorities, labels, strict=True):
        summary = " ".join(record["title"].split())[:_JIRA_SUMMARY_LIMIT]
        rows.append([summary, _jira_description(record), priority,
                     *item_labels, *[None] * (width - len(item_labels)),
                     record["owner"], record["due"]])  # due is ISO: yyyy-MM-dd
    return header, rows


def _jira_labels(record: dict[str, Any]) -> list[str]:
    # A Jira label cannot contain spaces.
    return ["voc", *("-".join(str(label).split()) for label in
                     (f"voc-{record['kind']}", record["status"]))]


def _jira_priorities(priorities: list[float | None]) -> list[str]:
    """Jira priority names by the share of items ranked strictly above each item.

    Ties share a name, and unranked items (no priority) come after every ranked one.
    """
    total = len(priorities)
    ranked = [p for p in priorities if p is not None]
    names = []
    for priority in priorities:
        above = (sum(other > priority for other in ranked) if priority is not None
                 else len(ranked))
        names.append(next(name for limit, name in _JIRA_PRIORITIES if above / total < limit))
    return names


def _jira_description(record: dict[str, Any]) -> str:
    lines = [f"voc {record['kind']} issue {record['issue']}, PDCA status {record['status']}."]
    for label, key in (("Action", "action"), ("Target", "target"), ("Check verdict", "verdict")):
        if record[key]:
            lines.append(f"{label}: {record[key]}")
    if record["metrics"]:
        lines += ["", "Metrics (latest batches):"]
        lines += [f"- {_metric_line(row)}" for row in record["metrics"][-_JIRA_METRIC_BATCHES:]]
    if record["quotes"]:
        lines += ["", "Customer quotes:"]
        lines += [f"- [{quote['channel'] or '?'}] {' '.join(str(quote['quote']).split())}"
                  for quote in record["quotes"]]
    return "\n".join(lines)


def _metric_line(row: dict[str, Any]) -> str:
    parts = [f"{row['batch']}:"]
    if row["rank"] is not None:
        parts.append(f"rank {row['rank']},")
    parts.append(f"volume {row['volume']},")
    for label, key in (("share", "share"), ("negative rate", "negative_rate"),
                       ("complaint share", "complaint_share")):
        if row[key] is not None:
            parts.append(f"{label} {row[key]:.1%},")
    if row["mean_sentiment"] is not None:
        parts.append(f"mean sentiment {row['mean_sentiment']:+.2f},")
    return " ".join(parts).rstrip(",")


# --- Markdown -----------------------------------------------------------------------------------

_MD_COLUMNS = (("ID", "id"), ("Title", "title"), ("Status", "status"), ("Priority", "priority"),
               ("Owner", "owner"), ("Action", "action"), ("Target", "target"), ("Due", "due"),
               ("Verdict", "verdict"))


def _markdown(records: list[dict[str, Any]]) -> str:
    lines = ["# voc backlog", "",
             "| " + " | ".join(title for title, _ in _MD_COLUMNS) + " |",
             "|" + "---|" * len(_MD_COLUMNS)]
    for record in records:
        cells = [_md_cell(record[key]) for _, key in _MD_COLUMNS]
        lines.append("| " + " | ".join(cells) + " |")
    verdicts = [record for record in records if record["verdict_detail"]]
    if verdicts:
        lines += ["", "## Check verdicts", ""]
        lines += [_verdict_line(record) for record in verdicts]
    return "\n".join(lines) + "\n"


def _md_cell(value: Any) -> str:
    if value is None:
        return ""
    text = f"{value:.3f}" if isinstance(value, float) else str(value)
    # A "|" would end the cell and a newline the row.
    return text.replace("|", r"\|").replace("\r\n", "<br>").replace("\n", "<br>")


def _verdict_line(record: dict[str, Any]) -> str:
    detail = record["verdict_detail"]
    p_value = "n/a" if detail["p_value"] is None else f"{detail['p_value']:.3g}"
    effect = "n/a" if detail["effect_size"] is None else f"{detail['effect_size']:+.2f}"
    return (f"- **{_md_cell(record['id'])}** ({detail['batch']} vs {detail['baseline_batch']},"
            f" {detail['metric']}): {detail['verdict']}, p = {p_value}, "
            f"effect size (Cohen's h) = {effect}")


# --- import -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Problem:
    row: int
    field: str
    message: str


def import_backlog(con: duckdb.DuckDBPyConnection, path: Path, who: str) -> int:
    """Apply the owner/status/action/target/due edits of an exported CSV or XLSX backlog.

    Rows are matched by `id`; columns missing from the file are left alone. Every row is
    validated first and any problem (unknown id, invalid status or move, target or due date)
    raises one InputError listing them all by spreadsheet row, with nothing applied. The
    changes are then written in one transaction: the items, and one `backlog_history` row per
    changed cell. Moving an item into Do from Plan sets its baseline batch to the latest batch
    with metrics for it: the batch before the action, which the Check compares later batches
    against. Check → Do keeps the existing baseline (the action just runs another batch).
    Returns the number of changed cells.
    """
    header, rows = _read_table(path)
    if "id" not in header:
        raise InputError(path, f"no 'id' column (columns: {', '.join(header)})", row=1)
    editable = [name for name in EDITABLE if name in header]
    changes, problems = _plan_changes(rows, editable, current_items(con))
    if problems:
        raise _input_error(path, problems)
    changes = [change for change in changes if change.history]
    if changes:
        con.execute("BEGIN TRANSACTION")
        try:
            for change in changes:
                apply_change(con, change, who)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    return sum(len(change.history) for change in changes)


def _read_table(path: Path) -> tuple[list[str], list[tuple[int, dict[str, Any]]]]:
    """Header (lower case) and (spreadsheet row number, values by header) of non-blank rows."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            with path.open(encoding="utf-8-sig", newline="") as handle:
                table = list(csv.reader(handle))
        elif suffix in (".xlsx", ".xlsm"):
            table = _xlsx_table(path)
        else:
            raise InputError(path, "a backlog import must be a .csv or .xlsx file")
    except (OSError, UnicodeDecodeError, csv.Error, ValueError, KeyError,
            zipfile.BadZipFile, InvalidFileException) as exc:
        raise InputError(path, f"cannot read the backlog file: {exc}") from exc
    if not table:
        raise InputError(path, "the file is empty (expected a header row)")
    header = [str(name or "").strip().lower() for name in table[0]]
    rows = []
    for number, values in enumerate(table[1:], start=2):
        cells = dict(zip(header, values, strict=False))
        if any(_cell_text(value) for value in cells.values()):
            rows.append((number, cells))
    return header, rows


def _xlsx_table(path: Path) -> list[list[Any]]:
    # data_only: a cell a manager filled with a formula counts as its value.
    book = load_workbook(path, read_only=True, data_only=True)
    try:
        if "Items" not in book.sheetnames:
            raise ValueError(f"no 'Items' sheet (sheets: {', '.join(book.sheetnames)})")
        return [list(row) for row in book["Items"].iter_rows(values_only=True)]
    finally:
        book.close()


def _cell_text(value: Any) -> str | None:
    """A cell as stripped text without our formula apostrophe; None when empty."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # an owner typed as 1001 comes back from Excel as 1001.0
    text = _unneutralise(str(value)).strip()
    return text or None


def _plan_changes(rows: list[tuple[int, dict[str, Any]]], editable: list[str],
                  current: dict[str, dict[str, Any]]
                  ) -> tuple[list[ItemChange], list[_Problem]]:
    changes: list[ItemChange] = []
    problems: list[_Problem] = []
    seen: dict[str, int] = {}
    for number, cells in rows:
        item_id = _cell_text(cells.get("id"))
        if item_id is None:
            problems.append(_Problem(number, "id", "the id is empty"))
            continue
        if item_id not in current:
            problems.append(_Problem(number, "id", f"no backlog item '{item_id}'"))
            continue
        if item_id in seen:
            problems.append(_Problem(number, "id", f"item '{item_id}' is also on row "
                                                   f"{seen[item_id]}"))
            continue
        seen[item_id] = number
        change = ItemChange(item_id)
        for name in editable:
            value = cells.get(name)
            if not isinstance(value, date):  # Excel date cells go through as they are
                value = _cell_text(value)
            try:
                plan_field(change, name, value, current[item_id])
            except ConfigError as exc:
                problems.append(_Problem(number, name, str(exc)))
        changes.append(change)
    return changes, problems


def _input_error(path: Path, problems: list[_Problem]) -> InputError:
    if len(problems) == 1:
        problem = problems[0]
        return InputError(path, f"{problem.message}; nothing was imported", problem.row,
                          problem.field)
    listed = "\n".join(f"  row {p.row}, field '{p.field}': {p.message}" for p in problems)
    return InputError(path, f"{len(problems)} problems, nothing was imported:\n{listed}")
