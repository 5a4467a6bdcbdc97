"""The XLSX workbook: every number equals the store's, numbers stay numbers, the sheets are in
the report's language and no text cell can run as a formula."""

from __future__ import annotations

import dataclasses
import re
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from voc import __version__
from voc.backlog.exports import neutralise
from voc.report.data import ReportData
from voc.report.i18n import Lang, Words
from voc.report.workbook import write_workbook

BATCH = "2026-10"
EN, ZH = Words(Lang.EN), Words(Lang.ZH)
SHEET_KEYS = ("s_issues", "quotes", "s_backlog", "verdicts", "s_quality")
CJK = re.compile(r"[\u3400-\u9fff]")
FORMULA_START = re.compile(r"^[=+\-@\t\r]")
HYPERLINK = '=HYPERLINK("http://evil.example.com","click")'
ATTACKS = (HYPERLINK, "@SUM(1)", "+1+1", "-2+3", "\tcmd", "=cmd|' /C calc'!A0",
           "<script>alert(1)</script>")


@pytest.fixture(scope="module")
def books(report_data: ReportData, tmp_path_factory: pytest.TempPathFactory
          ) -> dict[Lang, Workbook]:
    folder = tmp_path_factory.mktemp("workbook")
    return {lang: load_workbook(write_workbook(report_data, Words(lang), folder / f"{lang}.xlsx"))
            for lang in Lang}


def _sheet(book: Workbook, key: str) -> Worksheet:
    return book.worksheets[SHEET_KEYS.index(key)]


def _records(sheet: Worksheet) -> list[dict[str, Any]]:
    """The rows of a table sheet as dicts keyed by header."""
    header, *rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(header, row, strict=True)) for row in rows]


def _block(sheet: Worksheet, title: str, header: bool = True) -> list[tuple[Any, ...]]:
    """The rows of one block of the data-quality sheet (below its title and header row)."""
    rows = list(sheet.iter_rows(values_only=True))
    start = next(i for i, row in enumerate(rows) if row[0] == title) + 1 + header
    block = []
    for row in rows[start:]:
        if all(value is None for value in row):
            break
        block.append(tuple(value for value in row if value is not None))
    return block


def test_workbook_sheet_names_follow_language(books: dict[Lang, Workbook]) -> None:
    for lang, words in ((Lang.EN, EN), (Lang.ZH, ZH)):
        names = books[lang].sheetnames
        assert names == [words(key) for key in SHEET_KEYS]
        assert all(len(name) <= 31 for name in names)
    assert not [name for name in books[Lang.EN].sheetnames if CJK.search(name)]
    zh_header = next(books[Lang.ZH].worksheets[0].iter_rows(values_only=True))
    assert ZH("volume") in zh_header and EN("volume") not in zh_header


def test_workbook_issues_equal_store(books: dict[Lang, Workbook],
                                     con: duckdb.DuckDBPyConnection) -> None:
    expected = con.execute("""
        SELECT rank, issue_id, label_en, volume, share, negative_rate, priority, impact, growth,
               severity, spread, repeat_customers, share_p,
               flag_legal + flag_churn + flag_safety + flag_repeat_contact AS flags
        FROM issues WHERE batch = ? ORDER BY rank""", [BATCH]).df()
    rows = _records(_sheet(books[Lang.EN], "s_issues"))
    assert len(rows) == len(expected) > 0
    for row, (_, issue) in zip(rows, expected.iterrows(), strict=True):
        assert (row["#"], row["Issue id"], row["Issue"], row["Records"], row["Flags"],
                row["Repeat customers"]) == (issue["rank"], issue["issue_id"],
                                             issue["label_en"], issue["volume"],
                                             issue["flags"], issue["repeat_customers"])
        for header, column in (("Share", "share"), ("Negative", "negative_rate"),
                               ("Priority", "priority"), ("Impact", "impact"),
                               ("Growth", "growth"), ("Severity", "severity"),
                               ("Spread", "spread"), ("Share change p-value", "share_p")):
            if pd.isna(issue[column]):  # NULL in the store: an empty cell
                assert row[header] is None, header
            else:
                assert row[header] == pytest.approx(issue[column], rel=1e-12), header


def test_workbook_quotes_equal_store(books: dict[Lang, Workbook],
                                     con: duckdb.DuckDBPyConnection) -> None:
    expected = con.execute("""SELECT issue_id, rank, quote, aspect_score FROM issue_quotes
                              WHERE batch = ? ORDER BY issue_id, rank""", [BATCH]).fetchall()
    rows = _records(_sheet(books[Lang.EN], "quotes"))
    assert [(row["Issue id"], row["#"], row["Quotes"]) for row in rows] == [
        (issue_id, rank, neutralise(quote)) for issue_id, rank, quote, _ in expected]
    assert [row["Aspect score"] for row in rows] == pytest.approx(
        [score for *_, score in expected], rel=1e-12)


def test_workbook_backlog_equals_store(books: dict[Lang, Workbook],
                                       con: duckdb.DuckDBPyConnection) -> None:
    expected = {row[0]: row[1:] for row in con.execute(
        "SELECT item_id, status, priority, due, opened_batch FROM backlog_items").fetchall()}
    rows = _records(_sheet(books[Lang.EN], "s_backlog"))
    assert {row["Item"] for row in rows} == set(expected) and len(rows) == len(expected)
    for row in rows:
        status, priority, due, opened = expected[row["Item"]]
        assert row["Status"] == EN(f"status_{status}")
        assert row["Priority"] == pytest.approx(priority, rel=1e-12)
        assert (row["Due"].date() if row["Due"] else None) == due
        assert row["Opened in batch"] == opened


def test_workbook_verdicts_equal_store(books: dict[Lang, Workbook],
                                       con: duckdb.DuckDBPyConnection) -> None:
    expected = con.execute("""
        SELECT item_id, baseline_batch, baseline, current, relative_change, p_value,
               effect_size, verdict, target, target_met
        FROM backlog_verdicts WHERE batch = ? ORDER BY item_id, metric""", [BATCH]).fetchall()
    rows = _records(_sheet(books[Lang.EN], "verdicts"))
    assert len(rows) == len(expected) > 0
    for row, verdict in zip(rows, expected, strict=True):
        item_id, baseline_batch, *numbers, outcome, target, met = verdict
        assert (row["Item"], row["Batch"], row["Baseline batch"], row["Target"]) == (
            item_id, BATCH, baseline_batch, target)
        assert [row[h] for h in ("Baseline", "This batch", "Change", "P-value",
                                 "Effect size (h)")] == pytest.approx(numbers, rel=1e-12)
        assert row["Verdict"] == EN(f"verdict_{outcome}")
        assert row["Target met"] == EN("yes" if met else "no")


def test_workbook_totals_reconcile_with_store(books: dict[Lang, Workbook],
                                              con: duckdb.DuckDBPyConnection) -> None:
    sheet = _sheet(books[Lang.EN], "s_quality")
    totals = dict(row for row in _block(sheet, EN("totals"), header=False) if len(row) == 2)
    stored = con.execute("""SELECT input_rows, accepted, duplicates, rejected FROM batches
                            WHERE batch = ?""", [BATCH]).fetchone()
    shown = tuple(totals[EN(name)] for name in ("input_rows", "accepted", "duplicates",
                                                "rejected"))
    assert shown == stored
    assert shown[0] == shown[1] + shown[2] + shown[3]
    assert (EN("reconciles", ok=EN("yes")),) in _block(sheet, EN("totals"), header=False)
    sources = _block(sheet, EN("sources"))
    sums = tuple(sum(row[-4 + i] for row in sources) for i in range(4))
    assert sums == stored


def test_workbook_rejects_equal_store(books: dict[Lang, Workbook],
                                      con: duckdb.DuckDBPyConnection) -> None:
    expected = dict(con.execute("""SELECT reason, count(*) FROM rejects WHERE batch = ?
                                   GROUP BY reason""", [BATCH]).fetchall())
    shown: dict[str, int] = {}
    for row in _block(_sheet(books[Lang.EN], "s_quality"), EN("rejects_by_reason")):
        reason, rows = row[1], row[-1]
        shown[reason] = shown.get(reason, 0) + rows
    assert shown == expected and sum(expected.values()) > 0


def test_workbook_redactions_and_mix_equal_store(books: dict[Lang, Workbook],
                                                 con: duckdb.DuckDBPyConnection) -> None:
    sheet = _sheet(books[Lang.EN], "s_quality")
    redactions = dict(con.execute("""SELECT pii_type, sum(count) FROM redactions
                                     WHERE batch = ? GROUP BY pii_type""", [BATCH]).fetchall())
    assert dict(_block(sheet, EN("pii"))) == redactions
    by_lang = dict(con.execute("""SELECT lang, count(*) FROM feedback
                                  WHERE batch = ? AND duplicate_of IS NULL GROUP BY lang""",
                               [BATCH]).fetchall())
    shown: dict[str, int] = {}
    for _, lang, records in _block(sheet, EN("language_mix")):
        shown[lang] = shown.get(lang, 0) + records
    assert shown == by_lang


def test_workbook_layout(books: dict[Lang, Workbook], report_data: ReportData) -> None:
    for book in books.values():
        for sheet in book.worksheets:
            assert sheet.freeze_panes == "A2"
            assert sheet["A1"].font.bold
        for sheet in book.worksheets[:4]:
            assert all(cell.font.bold for cell in sheet[1])
            assert all(sheet.column_dimensions[cell.column_letter].width >= 8
                       for cell in sheet[1])
    issues = books[Lang.EN].worksheets[0]
    share = issues.cell(2, 7)
    assert isinstance(share.value, float) and 0 < share.value < 1
    assert share.number_format == "0.0%"
    quality = _sheet(books[Lang.EN], "s_quality")
    generated = [value for row in quality.iter_rows(values_only=True) for value in row
                 if isinstance(value, str) and value.startswith("Generated")]
    assert generated == [EN("generated", when=report_data.generated_at.isoformat(sep=" "),
                            version=__version__)]


def _values(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    book = load_workbook(path)
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets}


def test_workbook_is_deterministic(report_data: ReportData, tmp_path: Path) -> None:
    first = _values(write_workbook(report_data, ZH, tmp_path / "a.xlsx"))
    second = _values(write_workbook(report_data, ZH, tmp_path / "b" / "b.xlsx"))
    assert first == second


def _hostile(data: ReportData) -> ReportData:
    """The demo data with formula-like text in every kind of text cell."""
    issues = data.issues.copy()
    for row, attack in enumerate(ATTACKS):
        issues.loc[row, ["label_en", "label_zh"]] = attack
    quotes = data.quotes.copy()
    quotes["quote"] = [ATTACKS[i % len(ATTACKS)] for i in range(len(quotes))]
    backlog = [{**item, "title": attack, "owner": attack, "action": attack}
               for item, attack in zip(data.backlog, ATTACKS, strict=False)]
    verdicts = data.verdicts.copy()
    verdicts["title"] = [ATTACKS[i % len(ATTACKS)] for i in range(len(verdicts))]
    sources = data.sources.copy()
    sources["source_file"] = [ATTACKS[i % len(ATTACKS)] for i in range(len(sources))]
    rejects = data.rejects.copy()
    rejects["reason"] = "@SUM(1)"
    return dataclasses.replace(data, issues=issues, quotes=quotes, backlog=backlog,
                               verdicts=verdicts, sources=sources, rejects=rejects)


@pytest.mark.parametrize("lang", list(Lang))
def test_workbook_neutralises_formula_text(report_data: ReportData, tmp_path: Path,
                                           lang: Lang) -> None:
    book = load_workbook(write_workbook(_hostile(report_data), Words(lang), tmp_path / "h.xlsx"))
    texts = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row
             if isinstance(cell.value, str)]
    assert not [cell.coordinate for cell in texts if cell.data_type == "f"]
    assert not [cell.value for cell in texts if FORMULA_START.match(cell.value)]
    values = {cell.value for cell in texts}
    assert "'" + HYPERLINK in values and "'@SUM(1)" in values and "'\tcmd" in values
    assert {neutralise(attack) for attack in ATTACKS} <= values
    assert "<script>alert(1)</script>" in values  # not a formula: left as it is


def test_workbook_empty_tables_say_so(report_data: ReportData, tmp_path: Path) -> None:
    empty = dataclasses.replace(report_data, verdicts=report_data.verdicts.iloc[0:0],
                                issues=report_data.issues.iloc[0:0],
                                quotes=report_data.quotes.iloc[0:0], backlog=[],
                                rejects=report_data.rejects.iloc[0:0])
    for words in (EN, ZH):
        book = load_workbook(write_workbook(empty, words, tmp_path / f"{words.lang}.xlsx"))
        assert _sheet(book, "verdicts")["A2"].value == words("no_verdicts")
        assert _sheet(book, "s_issues")["A2"].value == words("no_issues")
        assert _sheet(book, "s_backlog")["A2"].value == words("no_item")
        assert _block(_sheet(book, "s_quality"), words("rejects_by_reason")) == [
            (words("no_rejects"),)]


def test_workbook_dates_are_dates(books: dict[Lang, Workbook]) -> None:
    rows = _records(_sheet(books[Lang.EN], "s_backlog"))
    dues = [row["Due"] for row in rows if row["Due"] is not None]
    assert dues and all(isinstance(due, datetime) for due in dues)
