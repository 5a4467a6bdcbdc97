from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest
from openpyxl import load_workbook

from voc.backlog.exports import (
    ITEM_COLUMNS,
    ExportFormat,
    backlog_records,
    export_backlog,
    import_backlog,
)
from voc.errors import InputError
from voc.store import open_store

CREATED = datetime(2026, 10, 1, 9, 0)
TABLES = ("backlog_items", "backlog_metrics", "backlog_history", "backlog_verdicts")


def _item(con: duckdb.DuckDBPyConnection, item_id: str, title: str, status: str,
          priority: float | None, *, kind: str = "category", owner: str | None = None,
          action: str | None = None, target: str | None = None, due: date | None = None,
          baseline: str | None = None, quotes: list[dict[str, str]] | None = None) -> None:
    con.execute("INSERT INTO backlog_items VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [item_id, kind, title, status, priority, owner, action, target, due,
                 "2026-09", baseline, json.dumps(quotes or [], ensure_ascii=False),
                 CREATED, CREATED])


def _metric(con: duckdb.DuckDBPyConnection, item_id: str, batch: str, rank: int,
            volume: int, negative_rate: float) -> None:
    con.execute("INSERT INTO backlog_metrics VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [item_id, batch, rank, 0.5, volume, int(volume * negative_rate), 1000,
                 volume / 1000, negative_rate, volume * negative_rate / 1000, -0.3])


def _verdict(con: duckdb.DuckDBPyConnection, item_id: str, batch: str, verdict: str,
             p_value: float) -> None:
    con.execute("INSERT INTO backlog_verdicts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [item_id, batch, "2026-09", "complaint_share", 0.05, 0.03, -0.4, "z", p_value,
                 -0.12, verdict, "complaint_share -20%", verdict == "improved", "act"])


@pytest.fixture
def con(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    with open_store(tmp_path / "voc.duckdb") as store:
        c = store.con
        _item(c, "delivery", "配送延迟 Delivery delay", "plan", 0.9,
              quotes=[{"channel": "app", "quote": "+1 快递又晚了"},
                      {"channel": "email", "quote": "late again"}])
        _item(c, "zh-T0003", "=cmd|' /C calc'!A0", "do", 0.5, kind="topic", owner="Li",
              baseline="2026-09")
        _item(c, "refund", "Refund | slow", "check", 0.7, owner="Ann",
              action="call back\nwithin 24h", target="complaint_share -20%",
              due=date(2026, 12, 31), baseline="2026-09")
        _item(c, "login", "Login", "closed", None)
        for item_id in ("delivery", "zh-T0003", "refund"):
            _metric(c, item_id, "2026-10", 2, 120, 0.4)
            _metric(c, item_id, "2026-09", 1, 100, 0.5)
        _verdict(c, "refund", "2026-10", "no_change", 0.3)
        _verdict(c, "refund", "2026-11", "improved", 0.012)
        c.execute("INSERT INTO backlog_history VALUES ('refund', ?, 'voc', 'opened', NULL, "
                  "'plan', '2026-09')", [CREATED])
        yield c


def _snapshot(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple]]:
    return {table: sorted(con.execute(f"SELECT * FROM {table}").fetchall(), key=str)
            for table in TABLES}


def _csv_rows(path: Path, encoding: str = "utf-8-sig") -> list[list[str]]:
    with path.open(encoding=encoding, newline="") as handle:
        return list(csv.reader(handle))


def _write_csv(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(rows)


def test_exports_records_are_ordered_with_latest_verdict_metrics_and_quotes(
        con: duckdb.DuckDBPyConnection) -> None:
    records = backlog_records(con)
    assert [r["id"] for r in records] == ["delivery", "zh-T0003", "refund", "login"]
    refund = records[2]
    assert refund["verdict"] == "improved"
    assert refund["verdict_detail"]["batch"] == "2026-11"
    assert refund["verdict_detail"]["p_value"] == pytest.approx(0.012)
    assert refund["due"] == "2026-12-31"
    assert [m["batch"] for m in refund["metrics"]] == ["2026-09", "2026-10"]
    assert records[0]["quotes"][0] == {"channel": "app", "quote": "+1 快递又晚了"}
    assert records[3]["verdict"] is None and records[3]["metrics"] == []


def test_exports_csv_has_bom_columns_and_neutralised_formulas(
        con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    out = export_backlog(con, ExportFormat.CSV, tmp_path / "backlog.csv")
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    header, *rows = _csv_rows(out)
    assert header == list(ITEM_COLUMNS)
    by_id = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    assert by_id["zh-T0003"]["title"] == "'=cmd|' /C calc'!A0"
    assert by_id["delivery"]["title"] == "配送延迟 Delivery delay"
    assert by_id["delivery"]["latest_volume"] == "120"
    assert by_id["refund"]["verdict"] == "improved"
    assert by_id["refund"]["action"] == "call back\nwithin 24h"


def test_exports_xlsx_sheets_layout_and_neutralisation(
        con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    out = export_backlog(con, ExportFormat.XLSX, tmp_path / "backlog.xlsx")
    book = load_workbook(out)
    assert book.sheetnames == ["Items", "History"]
    items, history = book["Items"], book["History"]
    assert [c.value for c in items[1]] == list(ITEM_COLUMNS)
    for sheet in (items, history):
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref == sheet.dimensions
    widths = {letter: items.column_dimensions[letter].width for letter in "ABCJ"}
    assert all(8 <= width <= 60 for width in widths.values())
    assert widths["B"] > widths["A"]  # titles are longer than ids
    title = items.cell(row=3, column=2)
    assert title.value == "'=cmd|' /C calc'!A0" and title.data_type == "s"
    assert items.cell(row=4, column=10).value == datetime(2026, 12, 31)
    assert [c.value for c in history[2]][:4] == ["refund", CREATED, "voc", "opened"]


def test_exports_json_is_the_records(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    out = export_backlog(con, ExportFormat.JSON, tmp_path / "backlog.json")
    text = out.read_text(encoding="utf-8")
    assert "配送延迟" in text  # not \u-escaped
    loaded = json.loads(text)
    assert loaded == backlog_records(con)
    assert {"id", "title", "issue", "kind", "status", "priority", "owner", "action", "target",
            "due", "verdict", "verdict_detail", "metrics", "quotes", "opened_batch",
            "baseline_batch"} <= set(loaded[0])


def test_exports_jira_csv_importable_shape(con: duckdb.DuckDBPyConnection,
                                           tmp_path: Path) -> None:
    out = export_backlog(con, ExportFormat.JIRA, tmp_path / "jira.csv")
    assert not out.read_bytes().startswith(b"\xef\xbb\xbf")
    header, *rows = _csv_rows(out, "utf-8")
    assert header == ["Summary", "Description", "Priority", "Labels", "Labels", "Labels",
                      "Assignee", "Due date"]
    by_summary = {row[0]: row for row in rows}
    topic = by_summary["'=cmd|' /C calc'!A0"]
    assert topic[3:6] == ["voc", "voc-topic", "do"] and topic[6] == "Li"
    refund = by_summary["Refund | slow"]
    assert refund[7] == "2026-12-31"
    assert "2026-10: rank 2, volume 120" in refund[1]
    delivery = by_summary["配送延迟 Delivery delay"]
    assert "[app] +1 快递又晚了" in delivery[1]
    # priorities 0.9, 0.7, 0.5, none among four items: 0, 1, 2, 3 ranked above
    assert [row[2] for row in rows] == ["Highest", "Medium", "High", "Low"]


def test_exports_jira_priorities_follow_the_rank_shares(tmp_path: Path) -> None:
    with open_store(tmp_path / "voc.duckdb") as store:
        for i in range(10):
            _item(store.con, f"c{i}", f"Issue {i}", "plan", float(10 - i))
        out = export_backlog(store.con, ExportFormat.JIRA, tmp_path / "jira.csv")
    _, *rows = _csv_rows(out, "utf-8")
    assert [row[2] for row in rows] == ["Highest", "High", "High", "Medium", "Medium",
                                        "Medium", "Medium", "Low", "Low", "Lowest"]


def test_exports_markdown_escapes_cells_and_lists_verdicts(
        con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    text = export_backlog(con, ExportFormat.MD, tmp_path / "backlog.md").read_text("utf-8")
    assert r"Refund \| slow" in text
    assert "call back<br>within 24h" in text
    table = [line for line in text.splitlines() if line.startswith("| refund")]
    assert len(table) == 1
    assert "**refund**" in text and "improved, p = 0.012" in text and "-0.12" in text
    assert "**delivery**" not in text


def test_exports_csv_import_round_trip_updates_items_and_history(
        con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    path = export_backlog(con, ExportFormat.CSV, tmp_path / "backlog.csv")
    header, *rows = _csv_rows(path)
    col = {name: i for i, name in enumerate(header)}
    delivery = next(row for row in rows if row[0] == "delivery")
    delivery[col["owner"]] = "'@Wang"  # neutralised by the manager's spreadsheet habits
    delivery[col["status"]] = "Do"
    delivery[col["due"]] = "2027-01-15"
    delivery[col["target"]] = "Negative_Rate -30 %"
    _write_csv(path, [header, *rows])

    assert import_backlog(con, path, who="manager") == 4
    row = con.execute("SELECT owner, status, due, target, baseline_batch, updated_at "
                      "FROM backlog_items WHERE item_id = 'delivery'").fetchone()
    assert row is not None
    assert row[:5] == ("@Wang", "do", date(2027, 1, 15), "negative_rate -30%", "2026-10")
    assert row[5] > CREATED
    history = con.execute("SELECT field, old_value, new_value, who, batch FROM backlog_history "
                          "WHERE item_id = 'delivery' ORDER BY field").fetchall()
    assert history == [("due", None, "2027-01-15", "manager", None),
                       ("owner", None, "@Wang", "manager", None),
                       ("status", "plan", "do", "manager", None),
                       ("target", None, "negative_rate -30%", "manager", None)]
    # the neutralised title of another row was read back as it is stored: nothing changed
    assert con.execute("SELECT count(*) FROM backlog_history WHERE who = 'manager' "
                       "AND item_id <> 'delivery'").fetchone() == (0,)
    assert import_backlog(con, path, who="manager") == 0


def test_exports_bad_import_lists_every_problem_and_changes_nothing(
        con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    path = export_backlog(con, ExportFormat.CSV, tmp_path / "backlog.csv")
    header, *rows = _csv_rows(path)
    col = {name: i for i, name in enumerate(header)}
    rows[0][col["status"]] = "act"  # delivery: plan → act is not a PDCA move (row 2)
    rows[1][col["owner"]] = "Zhao"  # a valid edit that must not be applied either
    rows[2][col["due"]] = "31/12/2026"  # refund (row 4)
    rows[3][col["id"]] = "ghost"  # row 5
    _write_csv(path, [header, *rows])
    before = _snapshot(con)

    with pytest.raises(InputError) as caught:
        import_backlog(con, path, who="manager")
    message = str(caught.value)
    assert str(path) in message and "3 problems" in message
    assert "row 2, field 'status': item delivery: cannot go from plan to act" in message
    assert "row 4, field 'due': due '31/12/2026' is not a date" in message
    assert "row 5, field 'id': no backlog item 'ghost'" in message
    assert _snapshot(con) == before


def test_exports_xlsx_import_reads_items_sheet_and_excel_dates(
        con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    path = export_backlog(con, ExportFormat.XLSX, tmp_path / "backlog.xlsx")
    book = load_workbook(path)
    items = book["Items"]
    col = {cell.value: cell.column for cell in items[1]}
    assert items.cell(row=3, column=1).value == "zh-T0003"
    items.cell(row=3, column=col["due"]).value = datetime(2027, 3, 1)
    items.cell(row=3, column=col["status"]).value = "check"
    items.cell(row=3, column=col["action"]).value = "retrain agents"
    book.save(path)

    assert import_backlog(con, path, who="ops") == 3
    row = con.execute("SELECT status, due, action, title, baseline_batch FROM backlog_items "
                      "WHERE item_id = 'zh-T0003'").fetchone()
    assert row == ("check", date(2027, 3, 1), "retrain agents", "=cmd|' /C calc'!A0",
                   "2026-09")


def test_exports_import_refuses_unknown_file_types(con: duckdb.DuckDBPyConnection,
                                                   tmp_path: Path) -> None:
    path = tmp_path / "backlog.txt"
    path.write_text("id\n")
    with pytest.raises(InputError, match=r"backlog\.txt.*\.csv or \.xlsx"):
        import_backlog(con, path, who="x")
