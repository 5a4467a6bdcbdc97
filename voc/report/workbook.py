"""The issue report as an XLSX workbook for analysts who filter, sort and chart on their own.

Sheets (named in the report's language): the ranked issues with every figure behind their
priority, the issues' quotes, the PDCA backlog, this batch's Check verdicts and the batch's data
quality (totals and their reconciliation, rows per source file, rejects, PII redactions,
language mix, provenance). Numbers stay numbers (shares are fractions shown as percentages);
every header row is bold and frozen. Every number comes from `ReportData`.

Quotes, titles and file names are customers' or users' text: a text cell that a spreadsheet
would run as a formula (starting with = + - @, tab or CR) gets a leading apostrophe
(`voc.backlog.exports.neutralise`). The content depends only on the data; the one cell that
carries the generation time shows `ReportData.generated_at`.

Example:
    >>> write_workbook(report_data, Words(Lang.EN), Path("report.xlsx"))  # doctest: +SKIP
    PosixPath('report.xlsx')
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from voc import __version__
from voc.backlog.exports import display_width, neutralise
from voc.issues.stats import FISHER, Z_TEST
from voc.report.data import ReportData
from voc.report.i18n import Lang, Words
from voc.report.narrative import flag_total, score_name

__all__ = ["write_workbook"]

PERCENT = "0.0%"
DECIMAL = "0.00"
SCORE = "0.000"
P_VALUE = "[<0.0001]0.00E+00;0.0000"  # tiny p-values in scientific notation
INTEGER = "#,##0"
DATE = "yyyy-mm-dd"
FLAGS = ("legal", "churn", "safety", "repeat_contact")
_MIN_WIDTH = 8
_MAX_WIDTH = 60
_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")
_BOLD = Font(bold=True)
_WRAP = Alignment(wrap_text=True, vertical="top")
_TESTS = {Z_TEST: "test_z", FISHER: "test_fisher"}  # test names as voc.issues.stats stores them

Row = Any  # a pandas row (Series) or a dict


@dataclass(frozen=True)
class Column:
    """One column of a sheet: its header word, how to get the value, its number format."""

    key: str  # i18n key of the header
    value: Callable[[Row, Words], Any]
    number_format: str | None = None
    wrap: bool = False


def _field(name: str) -> Callable[[Row, Words], Any]:
    return lambda row, _words: row[name]


def _coded(name: str, prefix: str = "") -> Callable[[Row, Words], Any]:
    """A stored code (trend, quadrant, status...) in words, or as it is when unknown."""
    def value(row: Row, words: Words) -> Any:
        code = _plain(row[name])
        key = f"{prefix}{code}"
        return words(key) if code is not None and words.has(key) else code
    return value


ISSUE_COLUMNS = (
    Column("rank", _field("rank"), "0"),
    Column("issue_id", _field("issue_id")),
    Column("issue", lambda row, words: words.issue_label(row)),
    Column("kind", _coded("kind")),
    Column("servqual", _coded("servqual")),
    Column("volume", _field("volume"), INTEGER),
    Column("share", _field("share"), PERCENT),
    Column("negative_rate", _field("negative_rate"), PERCENT),
    Column("mean_sentiment", _field("mean_sentiment"), SCORE),
    Column("trend", _coded("trend", "trend_")),
    Column("share_p", _field("share_p"), P_VALUE),
    Column("flags", lambda row, _words: flag_total(row), INTEGER),
    *(Column(f"flag_{kind}", _field(f"flag_{kind}"), INTEGER) for kind in FLAGS),
    Column("repeat_customer_count", _field("repeat_customers"), INTEGER),
    Column("priority", _field("priority"), DECIMAL),
    Column("impact", _field("impact"), DECIMAL),
    Column("growth", _field("growth"), DECIMAL),
    Column("severity", _field("severity"), DECIMAL),
    Column("spread", _field("spread"), DECIMAL),
    Column("quadrant", _coded("quadrant")),
    Column("driver_score", lambda row, words: None if _plain(row["driver_score"]) is None
           else score_name(row["driver_score"], words)),
    Column("driver_worth", _field("driver_worth"), SCORE),
    Column("ci_low", _field("driver_ci_low"), SCORE),
    Column("ci_high", _field("driver_ci_high"), SCORE),
    Column("driver_p", _field("driver_p_value"), P_VALUE),
)
QUOTE_COLUMNS = (
    Column("issue_id", _field("issue_id")),
    Column("issue", _field("label")),
    Column("rank", _field("rank"), "0"),
    Column("channel", lambda row, words: words.channel(row["channel"])),
    Column("language", _field("lang")),
    Column("quotes", _field("quote"), wrap=True),
    Column("aspect_score", _field("aspect_score"), SCORE),
)
BACKLOG_COLUMNS = (
    Column("item", _field("id")),
    Column("item_title", _field("title")),
    Column("status", _coded("status", "status_")),
    Column("owner", _field("owner")),
    Column("action", _field("action"), wrap=True),
    Column("target", _field("target")),
    Column("due", lambda row, _words: date.fromisoformat(row["due"]) if row["due"] else None,
           DATE),
    Column("priority", _field("priority"), DECIMAL),
    Column("verdict", _coded("verdict", "verdict_")),
    Column("opened_batch", _field("opened_batch")),
    Column("baseline_batch", _field("baseline_batch")),
)
VERDICT_COLUMNS = (
    Column("item", _field("item_id")),
    Column("item_title", _field("title")),
    Column("batch", _field("batch")),
    Column("baseline_batch", _field("baseline_batch")),
    Column("metric", lambda row, words: words.metric(row["metric"])),
    Column("baseline", _field("baseline"), PERCENT),
    Column("current", _field("current"), PERCENT),
    Column("change", _field("relative_change"), PERCENT),
    Column("test", lambda row, words: words(_TESTS[row["test"]]) if row["test"] in _TESTS
           else row["test"]),
    Column("p_value", _field("p_value"), P_VALUE),
    Column("effect_size", _field("effect_size"), SCORE),
    Column("verdict", _coded("verdict", "verdict_")),
    Column("target", _field("target")),
    Column("target_met", lambda row, words: words("yes") if row["target_met"] else words("no")),
    Column("suggestion", _coded("suggestion", "suggest_")),
)


def write_workbook(data: ReportData, words: Words, out: Path) -> Path:
    """Write the report of `data` as an XLSX workbook in the language of `words` to `out`;
    returns `out`."""
    book = Workbook()
    issues = book.active
    assert issues is not None  # a new workbook always has one sheet
    issues.title = _sheet_name(words("s_issues"))
    _table(issues, words, ISSUE_COLUMNS, _rows(data.issues), words("no_issues"))
    labels = {issue["issue_id"]: words.issue_label(issue) for _, issue in data.issues.iterrows()}
    quotes = data.quotes.assign(label=data.quotes["issue_id"].map(labels))
    _table(book.create_sheet(_sheet_name(words("quotes"))), words, QUOTE_COLUMNS,
           _rows(quotes), words("no_issues"))
    _table(book.create_sheet(_sheet_name(words("s_backlog"))), words, BACKLOG_COLUMNS,
           data.backlog, words("no_item"))
    _table(book.create_sheet(_sheet_name(words("verdicts"))), words, VERDICT_COLUMNS,
           _rows(data.verdicts), words("no_verdicts"))
    _quality_sheet(book.create_sheet(_sheet_name(words("s_quality"))), data, words)
    out.parent.mkdir(parents=True, exist_ok=True)
    book.save(out)
    return out


# --- tables --------------------------------------------------------------------------------

def _rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return frame.to_dict("records")


def _table(sheet: Worksheet, words: Words, columns: Sequence[Column], rows: Sequence[Row],
           empty: str) -> None:
    """Header row (bold, frozen, filterable) and one row per record; `empty` when none."""
    sheet.append([_header(words(column.key), words) for column in columns])
    for row in rows:
        sheet.append([_cell(column.value(row, words)) for column in columns])
    if not rows:
        sheet.append([empty])
        sheet["A2"].font = Font(italic=True)
    for cell in sheet[1]:
        cell.font = _BOLD
    for index, column in enumerate(columns, start=1):
        for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
            if column.number_format and isinstance(cell.value, int | float | date):
                cell.number_format = column.number_format
            if column.wrap:
                cell.alignment = _WRAP
    _fit_widths(sheet)
    sheet.freeze_panes = "A2"
    if rows:
        sheet.auto_filter.ref = sheet.dimensions


def _header(text: str, words: Words) -> str:
    """English headers start with a capital letter ("mean sentiment" → "Mean sentiment")."""
    return text[:1].upper() + text[1:] if words.lang is Lang.EN else text


# --- data quality --------------------------------------------------------------------------

def _quality_sheet(sheet: Worksheet, data: ReportData, words: Words) -> None:
    """Blocks one under the other, each a bold title, a bold header row and its rows."""
    totals = data.totals
    reconciles = totals["input_rows"] == (totals["accepted"] + totals["duplicates"]
                                          + totals["rejected"])
    sheet.append([words("s_quality")])
    sheet["A1"].font = _BOLD
    _block(sheet, words, words("totals"), [],
           [[words(name), totals[name]] for name in
            ("input_rows", "accepted", "duplicates", "rejected")]
           + [[words("reconciles", ok=words("yes") if reconciles else words("no"))]])
    source_columns = ("source_file", "source", "format", "encoding", "input_rows", "accepted",
                      "duplicates", "rejected")
    _block(sheet, words, words("sources"), [words(name) for name in source_columns],
           [[row[name] for name in source_columns] for row in _rows(data.sources)])
    reject_columns = ("source_file", "reason", "field", "rows")
    _block(sheet, words, words("rejects_by_reason"), [words(name) for name in reject_columns],
           [[row[name] for name in reject_columns] for row in _rows(data.rejects)]
           or [[words("no_rejects")]])
    _block(sheet, words, words("pii"), [words("pii_type"), words("count")],
           [[row["pii_type"], row["count"]] for row in _rows(data.redactions)])
    _block(sheet, words, words("language_mix"),
           [words("channel"), words("language"), words("volume")],
           [[words.channel(row["channel"]), row["lang"], row["records"]]
            for row in _rows(data.mix)])
    run = data.run
    _block(sheet, words, words("provenance"), [], [
        [words("run_id"), run.run_id], [words("config_hash"), run.config_hash],
        [words("seed"), run.seed], [words("voc_version"), run.voc_version],
        [words("generated", when=data.generated_at.isoformat(sep=" "), version=__version__)],
    ])
    _fit_widths(sheet, skip_lone_cells=True)
    sheet.freeze_panes = "A2"


def _block(sheet: Worksheet, words: Words, title: str, header: Sequence[str],
           rows: Sequence[Sequence[Any]]) -> None:
    """An empty row, the bold title, the bold header row (when there is one) and the rows."""
    sheet.append([])
    sheet.append([title])
    sheet.cell(sheet.max_row, 1).font = _BOLD
    if header:
        sheet.append([_header(text, words) for text in header])
        for cell in sheet[sheet.max_row]:
            cell.font = _BOLD
    for row in rows:
        sheet.append([_cell(value) for value in row])


# --- cells ---------------------------------------------------------------------------------

def _plain(value: Any) -> Any:
    """Missing values (None, NaN, pd.NA, NaT) as None; numpy scalars as Python values."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        value = value.item()  # numpy and pandas scalars
        if isinstance(value, float) and math.isnan(value):
            return None
    return value


def _cell(value: Any) -> Any:
    """A value as openpyxl should store it: text cleaned and neutralised, numbers as numbers."""
    value = _plain(value)
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, str):
        # openpyxl refuses control characters, and would store "=..." as a live formula.
        return neutralise(ILLEGAL_CHARACTERS_RE.sub("", value))
    if isinstance(value, int | float | bool | date | datetime) or value is None:
        return value
    return neutralise(ILLEGAL_CHARACTERS_RE.sub("", str(value)))


def _sheet_name(text: str) -> str:
    """Excel's rules: at most 31 characters, none of [ ] : * ? / \\."""
    return _SHEET_NAME_BAD.sub(" ", text).strip()[:31]


def _fit_widths(sheet: Worksheet, skip_lone_cells: bool = False) -> None:
    """Column widths from the widest cell (CJK characters count twice), within limits.

    skip_lone_cells: ignore rows with one value (block titles and sentences of the
    data-quality sheet run on into the empty cells beside them)."""
    widths: dict[int, int] = {}
    for row in sheet.iter_rows():
        if skip_lone_cells and sum(cell.value is not None for cell in row) <= 1:
            continue
        for cell in row:
            width = _display_width(cell.value)
            widths[cell.column] = max(widths.get(cell.column, 0), width)
    for index, width in widths.items():
        sheet.column_dimensions[get_column_letter(index)].width = min(
            _MAX_WIDTH, max(_MIN_WIDTH, width + 2))


def _display_width(value: Any) -> int:
    """As the backlog export measures it; numbers take a fixed width (they are formatted)."""
    return 10 if isinstance(value, float) else display_width(value)
