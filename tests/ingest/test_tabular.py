"""Tabular readers on generated CSV/TSV, XLSX (openpyxl), JSON Lines, JSON and Parquet files."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import openpyxl
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from voc.errors import InputError
from voc.ingest.encoding import detect_encoding
from voc.ingest.tabular import (
    RawChunk,
    read_csv,
    read_json,
    read_jsonl,
    read_parquet,
    read_xlsx,
    reject_undecodable,
    unique_headers,
)
from voc.records import ROW, RejectReason


def _write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8", newline="")
    else:
        path.write_bytes(data)
    return path


def _frame(chunks: list[RawChunk]) -> pd.DataFrame:
    return pd.concat([chunk.frame for chunk in chunks], ignore_index=True)


def _rejects(chunks: list[RawChunk]) -> list:
    return [reject for chunk in chunks for reject in chunk.rejects]


# --- CSV ---------------------------------------------------------------------------------------
def test_tabular_csv_multiline_field_is_one_row(tmp_path: Path) -> None:
    path = _write(tmp_path, "a.csv", 'id,comment\r\n'
                                     '1,"line one\r\nline two\r\nline three"\r\n'
                                     '2,"quoted, with comma"\r\n'
                                     '3,"say ""hi"""\r\n')
    chunks = list(read_csv(path, "utf-8", chunk_rows=100))
    frame = _frame(chunks)
    assert frame["id"].tolist() == ["1", "2", "3"]
    assert frame[ROW].tolist() == [2, 3, 4]  # header is row 1; the 3-line record is row 2
    assert frame["comment"].tolist() == ["line one\r\nline two\r\nline three",
                                         "quoted, with comma", 'say "hi"']
    assert _rejects(chunks) == []


def test_tabular_csv_ragged_rows_rejected(tmp_path: Path) -> None:
    path = _write(tmp_path, "a.csv", "id,comment,score\n"
                                     "1,fine,5\n"
                                     "2,too,many,fields\n"
                                     "3,short\n"
                                     "4,fine again,4\n")
    chunks = list(read_csv(path, "utf-8", chunk_rows=100))
    assert _frame(chunks)[ROW].tolist() == [2, 5]
    rejects = _rejects(chunks)
    assert [(r.row, r.reason) for r in rejects] == [(3, RejectReason.MALFORMED_ROW),
                                                    (4, RejectReason.MALFORMED_ROW)]
    assert rejects[0].detail == "expected 3 fields, found 4"
    assert rejects[1].detail == "expected 3 fields, found 2"
    assert rejects[0].raw == "2,too,many,fields"


def test_tabular_csv_blank_lines_skipped_rows_keep_spreadsheet_numbers(tmp_path: Path) -> None:
    path = _write(tmp_path, "a.csv", "id,comment\n1,a\n\n2,b\n\n\n3,c\n\n")
    chunks = list(read_csv(path, "utf-8", chunk_rows=100))
    frame = _frame(chunks)
    assert frame["id"].tolist() == ["1", "2", "3"]
    # A spreadsheet shows a blank line as an empty row, so the numbers count it.
    assert frame[ROW].tolist() == [2, 4, 7]
    assert _rejects(chunks) == []


@pytest.mark.parametrize(("name", "text"), [
    ("comma.csv", "id,comment\n1,slow delivery\n"),
    ("semicolon.csv", "id;comment\n1;slow delivery\n"),
    ("tab.csv", "id\tcomment\n1\tslow delivery\n"),
    ("pipe.txt", "id|comment\n1|slow delivery\n"),
])
def test_tabular_csv_delimiter_sniffed(tmp_path: Path, name: str, text: str) -> None:
    frame = _frame(list(read_csv(_write(tmp_path, name, text), "utf-8", chunk_rows=10)))
    assert frame.drop(columns=ROW).to_dict("records") == [{"id": "1", "comment": "slow delivery"}]


def test_tabular_csv_tsv_suffix_always_tab(tmp_path: Path) -> None:
    # More commas than tabs in the header, but a .tsv file is tab-separated.
    path = _write(tmp_path, "a.tsv", "id\tcomment, with commas, here\n1\ta, b, c\n")
    frame = _frame(list(read_csv(path, "utf-8", chunk_rows=10)))
    assert list(frame.columns) == ["id", "comment, with commas, here", ROW]
    assert frame.iloc[0]["comment, with commas, here"] == "a, b, c"


def test_tabular_csv_explicit_delimiter_wins(tmp_path: Path) -> None:
    path = _write(tmp_path, "a.csv", "id;note,x\n1;a,b\n")
    frame = _frame(list(read_csv(path, "utf-8", chunk_rows=10, delimiter=";")))
    assert frame.drop(columns=ROW).to_dict("records") == [{"id": "1", "note,x": "a,b"}]


def test_tabular_csv_duplicate_headers_made_unique(tmp_path: Path) -> None:
    path = _write(tmp_path, "a.csv", "\ufeffcomment,comment, ,comment\na,b,c,d\n")
    frame = _frame(list(read_csv(path, "utf-8", chunk_rows=10)))
    assert list(frame.columns) == ["comment", "comment.2", "column_3", "comment.3", ROW]
    assert frame.iloc[0][["comment", "comment.2", "column_3", "comment.3"]].tolist() == [
        "a", "b", "c", "d"]


def test_tabular_unique_headers_cleans_names() -> None:
    assert unique_headers([" id ", None, "id", "", "id"]) == [
        "id", "column_2", "id.2", "column_4", "id.3"]


def test_tabular_csv_chunking_keeps_row_numbers(tmp_path: Path) -> None:
    body = "".join(f"{i},text {i}\n" for i in range(1, 6))
    path = _write(tmp_path, "a.csv", "id,comment\n" + body)
    chunks = list(read_csv(path, "utf-8", chunk_rows=2))
    assert [chunk.frame[ROW].tolist() for chunk in chunks] == [[2, 3], [4, 5], [6]]
    assert [chunk.frame["id"].tolist() for chunk in chunks] == [["1", "2"], ["3", "4"], ["5"]]


def test_tabular_csv_rejects_travel_with_their_chunk(tmp_path: Path) -> None:
    path = _write(tmp_path, "a.csv", "id,comment\n1,a\n2,b,extra\n3,c\n4,d\n")
    chunks = list(read_csv(path, "utf-8", chunk_rows=2))
    assert [chunk.frame[ROW].tolist() for chunk in chunks] == [[2, 4], [5]]
    assert [[r.row for r in chunk.rejects] for chunk in chunks] == [[3], []]


def test_tabular_csv_header_only_gives_no_rows(tmp_path: Path) -> None:
    assert list(read_csv(_write(tmp_path, "a.csv", "id,comment\n"), "utf-8", 10)) == []
    assert list(read_csv(_write(tmp_path, "b.csv", ""), "utf-8", 10)) == []


def test_tabular_csv_gbk_undecodable_row_rejected_others_kept(tmp_path: Path) -> None:
    data = ("编号,意见,渠道\n1,配送太慢了,app\n".encode("gbk")
            + "2,".encode("gbk") + b"\x81\x20broken" + ",app\n".encode("gbk")
            + "3,客服很好,web\n".encode("gbk"))
    path = _write(tmp_path, "gbk.csv", data)
    encoding = detect_encoding(path)
    assert encoding == "gb18030"
    chunks = list(read_csv(path, encoding, chunk_rows=100))
    frame = _frame(chunks)
    assert frame["编号"].tolist() == ["1", "3"]
    assert frame["意见"].tolist() == ["配送太慢了", "客服很好"]
    assert frame[ROW].tolist() == [2, 4]
    [reject] = _rejects(chunks)
    assert (reject.row, reject.reason, reject.field) == (3, RejectReason.UNDECODABLE, "意见")
    assert "\ufffd" in reject.raw and "broken" in reject.raw  # printable preview
    reject.raw.encode("utf-8")  # no lone surrogates left in the preview


# --- XLSX --------------------------------------------------------------------------------------
def _workbook(tmp_path: Path) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Reviews"
    sheet.append(["id", "when", "score", "comment", "ratio"])
    sheet.append([12345, datetime(2026, 9, 3, 14, 5), 4, "slow delivery", 0.5])
    sheet.append([None, None, None, None, None])  # blank row 3
    sheet.append([12346.0, datetime(2026, 9, 4, 9, 0), 5.0, "很好", 1.5])
    sheet.append([None, None, None, None, None])  # blank row 5
    sheet.append([12347, None, None, "no date", None])
    other = workbook.create_sheet("Survey")
    other.append(["question", "answer"])
    other.append(["NPS", 9])
    path = tmp_path / "book.xlsx"
    workbook.save(path)
    return path


def test_tabular_xlsx_first_sheet_by_default(tmp_path: Path) -> None:
    frame = _frame(list(read_xlsx(_workbook(tmp_path), None, chunk_rows=100)))
    assert list(frame.columns) == ["id", "when", "score", "comment", "ratio", ROW]
    assert frame["comment"].tolist() == ["slow delivery", "很好", "no date"]


def test_tabular_xlsx_integral_floats_become_strings(tmp_path: Path) -> None:
    frame = _frame(list(read_xlsx(_workbook(tmp_path), None, chunk_rows=100)))
    assert frame["id"].tolist() == ["12345", "12346", "12347"]
    assert frame["score"].tolist()[:2] == ["4", "5"]
    assert frame["ratio"].tolist()[:2] == [0.5, 1.5]  # real fractions stay numbers
    assert pd.isna(frame["score"].iloc[2])  # an empty cell is missing, not ""


def test_tabular_xlsx_datetime_cells_stay_datetimes(tmp_path: Path) -> None:
    frame = _frame(list(read_xlsx(_workbook(tmp_path), None, chunk_rows=100)))
    when = frame["when"].tolist()
    assert isinstance(when[0], datetime)
    assert when[0] == datetime(2026, 9, 3, 14, 5)
    assert when[1] == datetime(2026, 9, 4, 9, 0)


def test_tabular_xlsx_blank_rows_skipped_numbers_stay_excel(tmp_path: Path) -> None:
    path = _workbook(tmp_path)
    assert _frame(list(read_xlsx(path, None, chunk_rows=100)))[ROW].tolist() == [2, 4, 6]
    chunks = list(read_xlsx(path, None, chunk_rows=2))
    assert [chunk.frame[ROW].tolist() for chunk in chunks] == [[2], [4], [6]]


def test_tabular_xlsx_named_sheet(tmp_path: Path) -> None:
    frame = _frame(list(read_xlsx(_workbook(tmp_path), "Survey", chunk_rows=100)))
    assert frame.to_dict("records") == [{"question": "NPS", "answer": "9", ROW: 2}]


def test_tabular_xlsx_missing_sheet_lists_sheets(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"no sheet named 'Orders' \(sheets: Reviews, Survey\)"):
        list(read_xlsx(_workbook(tmp_path), "Orders", chunk_rows=100))


def test_tabular_xlsx_not_a_workbook_is_input_error(tmp_path: Path) -> None:
    path = _write(tmp_path, "fake.xlsx", b"id,comment\n1,a\n")
    with pytest.raises(InputError, match="not a readable workbook"):
        list(read_xlsx(path, None, chunk_rows=100))


# --- JSON Lines and JSON -----------------------------------------------------------------------
def test_tabular_jsonl_malformed_and_non_object_lines_rejected(tmp_path: Path) -> None:
    path = _write(tmp_path, "a.jsonl",
                  '{"id": 1, "text": "slow"}\n'
                  "\n"
                  '{"id": 2, "text": oops}\n'
                  "[1, 2]\n"
                  '{"id": 3, "text": "很好"}\n')
    chunks = list(read_jsonl(path, chunk_rows=100))
    frame = _frame(chunks)
    assert frame["id"].tolist() == [1, 3]
    assert frame[ROW].tolist() == [1, 5]  # JSON Lines rows are line numbers
    rejects = _rejects(chunks)
    assert [(r.row, r.reason) for r in rejects] == [(3, RejectReason.MALFORMED_ROW),
                                                    (4, RejectReason.MALFORMED_ROW)]
    assert rejects[0].detail.startswith("invalid JSON")
    assert rejects[0].raw == '{"id": 2, "text": oops}'
    assert rejects[1].detail == "line is not a JSON object"


def test_tabular_jsonl_nested_object_flattened(tmp_path: Path) -> None:
    records = [{"id": 1, "user": {"id": "u1", "tier": "gold"}, "tags": ["late", "refund"]},
               {"id": 2, "user": {"id": "u2"}}]
    path = _write(tmp_path, "a.jsonl", "".join(json.dumps(r) + "\n" for r in records))
    frame = _frame(list(read_jsonl(path, chunk_rows=100)))
    assert frame["user.id"].tolist() == ["u1", "u2"]
    assert frame["user.tier"].iloc[0] == "gold"
    assert pd.isna(frame["user.tier"].iloc[1])
    assert json.loads(frame["tags"].iloc[0]) == ["late", "refund"]  # lists become JSON text
    assert "user" not in frame.columns


def test_tabular_jsonl_chunks_and_bom(tmp_path: Path) -> None:
    lines = "".join(json.dumps({"id": i}) + "\n" for i in range(5))
    path = _write(tmp_path, "a.jsonl", b"\xef\xbb\xbf" + lines.encode())
    chunks = list(read_jsonl(path, chunk_rows=2))
    assert [chunk.frame[ROW].tolist() for chunk in chunks] == [[1, 2], [3, 4], [5]]


def test_tabular_json_array(tmp_path: Path) -> None:
    path = _write(tmp_path, "a.json", json.dumps([{"id": "a"}, {"id": "b"}, 7, {"id": "c"}]))
    chunks = list(read_json(path, chunk_rows=2))
    assert [chunk.frame[ROW].tolist() for chunk in chunks] == [[1, 2], [4]]
    assert _frame(chunks)["id"].tolist() == ["a", "b", "c"]
    [reject] = _rejects(chunks)
    assert (reject.row, reject.reason, reject.raw) == (3, RejectReason.MALFORMED_ROW, "7")


def test_tabular_json_object_with_records_key(tmp_path: Path) -> None:
    data = {"exported": "2026-09-03", "records": [{"id": 1, "text": "slow"},
                                                  {"id": 2, "text": "fast"}]}
    frame = _frame(list(read_json(_write(tmp_path, "a.json", json.dumps(data)), 100)))
    assert frame.to_dict("records") == [{"id": 1, "text": "slow", ROW: 1},
                                        {"id": 2, "text": "fast", ROW: 2}]


def test_tabular_json_invalid_is_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not valid JSON"):
        list(read_json(_write(tmp_path, "a.json", "{oops"), 100))
    with pytest.raises(InputError, match="expected a JSON array"):
        list(read_json(_write(tmp_path, "b.json", "42"), 100))


# --- Parquet -----------------------------------------------------------------------------------
def test_tabular_parquet_row_numbers_across_chunks(tmp_path: Path) -> None:
    path = tmp_path / "a.parquet"
    pq.write_table(pa.table({"id": [f"r{i}" for i in range(7)],
                             "score": list(range(7))}), path)
    chunks = list(read_parquet(path, chunk_rows=3))
    assert [chunk.frame[ROW].tolist() for chunk in chunks] == [[1, 2, 3], [4, 5, 6], [7]]
    assert _frame(chunks)["id"].tolist() == [f"r{i}" for i in range(7)]


def test_tabular_parquet_unreadable_is_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not a readable Parquet file"):
        list(read_parquet(_write(tmp_path, "a.parquet", b"not parquet"), 10))


def test_tabular_undecodable_check_reads_mixed_columns_and_only_escaped_bytes() -> None:
    frame = pd.DataFrame({"text": ["ok", "bad \udc81 byte", None], "stars": [5, None, 2],
                          "note": ["a", "b", "\ud83d alone"], ROW: [2, 3, 4]}, dtype=object)
    checked = reject_undecodable(RawChunk(frame, []))
    assert checked.frame[ROW].tolist() == [2, 4]  # numbers and None pass through
    [reject] = checked.rejects
    assert (reject.row, reject.reason, reject.field) == (3, RejectReason.UNDECODABLE, "text")
    # a lone surrogate that is not an escaped byte is left to the cleaning stage
    assert checked.frame["note"].tolist() == ["a", "\ud83d alone"]
