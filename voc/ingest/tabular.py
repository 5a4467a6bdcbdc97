"""Readers for tabular exports: CSV/TSV, XLSX, JSON Lines, JSON arrays, Parquet.

Each reader yields RawChunk objects: the source's columns as they are, a ROW column with the
source row number, and the rows the reader itself had to reject (ragged CSV rows, bad bytes,
malformed JSON lines), so no row is lost before validation.

Row numbers: CSV and XLSX rows are numbered as a spreadsheet shows them (header = row 1, first
record = row 2, a quoted multi-line field stays one row); JSON Lines rows are line numbers;
JSON arrays and Parquet rows are 1-based record positions.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from voc.errors import InputError
from voc.records import ROW, RejectReason

RAW_PREVIEW_CHARS = 500
_SURROGATE_RE = re.compile("[\udc80-\udcff]")

csv.field_size_limit(sys.maxsize)


@dataclass(frozen=True)
class RawReject:
    """A row rejected before mapping: where it was, what was wrong, and a preview of it."""

    row: int
    reason: RejectReason
    field: str | None
    detail: str
    raw: str


@dataclass
class RawChunk:
    frame: pd.DataFrame  # source columns plus ROW
    rejects: list[RawReject] = field(default_factory=list)


def preview(values: Any) -> str:
    """A short, printable preview of a raw row for the rejects table."""
    text = values if isinstance(values, str) else json.dumps(values, ensure_ascii=False,
                                                             default=str)
    text = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return text[:RAW_PREVIEW_CHARS]


def unique_headers(names: list[Any]) -> list[str]:
    """Clean header names and make repeats unique ("comment", "comment.2")."""
    seen: dict[str, int] = {}
    result = []
    for index, name in enumerate(names):
        clean = str(name).strip().lstrip("\ufeff") if name is not None else ""
        clean = clean or f"column_{index + 1}"
        seen[clean] = seen.get(clean, 0) + 1
        result.append(clean if seen[clean] == 1 else f"{clean}.{seen[clean]}")
    return result


def sniff_delimiter(first_line: str, suffix: str) -> str:
    if suffix == ".tsv":
        return "\t"
    counts = {delim: first_line.count(delim) for delim in (",", "\t", ";", "|")}
    best = max(counts, key=lambda delim: counts[delim])
    return best if counts[best] else ","


def read_csv(path: Path, encoding: str, chunk_rows: int,
             delimiter: str | None = None) -> Iterator[RawChunk]:
    """Stream a CSV/TSV file in chunks. Undecodable bytes and ragged rows become rejects."""
    # surrogateescape keeps undecodable bytes as lone surrogates, so a few bad bytes reject
    # their own row instead of failing the file.
    with path.open("r", encoding=encoding, errors="surrogateescape", newline="") as handle:
        first_line = handle.readline()
        handle.seek(0)
        delim = delimiter or sniff_delimiter(first_line, path.suffix.lower())
        reader = csv.reader(handle, delimiter=delim)
        try:
            header = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise InputError(path, f"cannot parse the header: {exc}", row=1) from exc
        columns = unique_headers(header)
        width = len(columns)
        rows: list[list[str]] = []
        numbers: list[int] = []
        rejects: list[RawReject] = []
        record = 1
        while True:
            try:
                values = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:  # e.g. a NUL byte; csv gives up on the rest of the file
                record += 1
                rejects.append(RawReject(record, RejectReason.MALFORMED_ROW, None,
                                         f"CSV parse error: {exc}", ""))
                break
            record += 1
            if not values:  # a blank line is not a record, but a spreadsheet still shows its row
                continue
            if len(values) != width:
                rejects.append(RawReject(
                    record, RejectReason.MALFORMED_ROW, None,
                    f"expected {width} fields, found {len(values)}", preview(delim.join(values))))
                continue
            rows.append(values)
            numbers.append(record)
            if len(rows) >= chunk_rows:
                yield _csv_chunk(rows, numbers, columns, rejects)
                rows, numbers, rejects = [], [], []
        if rows or rejects:
            yield _csv_chunk(rows, numbers, columns, rejects)


def _csv_chunk(rows: list[list[str]], numbers: list[int], columns: list[str],
               rejects: list[RawReject]) -> RawChunk:
    frame = pd.DataFrame(rows, columns=columns, dtype=object)
    frame[ROW] = numbers
    return reject_undecodable(RawChunk(frame, rejects))


def _has_surrogates(values: list[Any]) -> bool:
    """Whether any string among the values holds undecodable bytes. One pass over the joined
    column finds clean columns fast: a string without any surrogate encodes as UTF-8, which
    is much quicker than a regex search; only then is the search run."""
    try:
        joined = "".join(values)
    except TypeError:  # not all strings (JSON numbers, None)
        joined = "".join(value for value in values if isinstance(value, str))
    try:
        joined.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATE_RE.search(joined) is not None
    return False


def reject_undecodable(chunk: RawChunk) -> RawChunk:
    """Move rows whose text holds undecodable bytes (lone surrogates) to the rejects."""
    frame = chunk.frame
    if frame.empty:
        return chunk
    bad_any = pd.Series(False, index=frame.index)
    first_bad = pd.Series(None, index=frame.index, dtype=object)
    for column in frame.columns:
        values = frame[column]
        if column == ROW or values.dtype != object:
            continue
        if not _has_surrogates(values.tolist()):
            continue
        bad = values.map(lambda v: isinstance(v, str) and bool(_SURROGATE_RE.search(v)))
        bad = bad.astype(bool)
        first_bad = first_bad.where(~(bad & first_bad.isna()), column)
        bad_any |= bad
    if not bad_any.any():
        return chunk
    for index in frame.index[bad_any]:
        row = frame.loc[index]
        chunk.rejects.append(RawReject(
            int(row[ROW]), RejectReason.UNDECODABLE, str(first_bad[index]),
            "bytes that are not valid in the file's encoding",
            preview("|".join(str(v) for v in row.drop(ROW).tolist()))))
    chunk.frame = frame[~bad_any].reset_index(drop=True)
    return chunk


def read_xlsx(path: Path, sheet: str | None, chunk_rows: int) -> Iterator[RawChunk]:
    """Read the named sheet (or the first) of a workbook; rows numbered as Excel shows them."""
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types for broken files
        raise InputError(path, f"not a readable workbook: {exc}") from exc
    names = workbook.sheet_names
    if sheet is not None and sheet not in names:
        raise InputError(path, f"no sheet named '{sheet}' (sheets: {', '.join(names)})")
    rows = workbook.get_sheet_by_name(sheet or names[0]).to_python(skip_empty_area=False)
    if not rows:
        return
    columns = unique_headers(list(rows[0]))
    width = len(columns)
    for start in range(1, len(rows), chunk_rows):
        block = rows[start:start + chunk_rows]
        kept = [(start + offset + 1, list(values)) for offset, values in enumerate(block)
                if any(value not in ("", None) for value in values)]
        if not kept:
            continue
        frame = pd.DataFrame([(values + [""] * width)[:width] for _, values in kept],
                             columns=columns, dtype=object)
        frame = frame.map(_excel_cell)
        frame[ROW] = [number for number, _ in kept]
        yield RawChunk(frame)


def _excel_cell(value: Any) -> Any:
    """Excel stores ids and scores as floats: 12345.0 → "12345"; empty cells → None."""
    if value == "" or value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value


def read_jsonl(path: Path, chunk_rows: int) -> Iterator[RawChunk]:
    """JSON Lines: one object per line; a malformed line is rejected with its line number."""
    records: list[dict[str, Any]] = []
    rejects: list[RawReject] = []
    with path.open("r", encoding="utf-8-sig", errors="surrogateescape") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                value = json.loads(line)
            except json.JSONDecodeError as exc:
                reason = (RejectReason.UNDECODABLE if _SURROGATE_RE.search(line)
                          else RejectReason.MALFORMED_ROW)
                rejects.append(RawReject(number, reason, None, f"invalid JSON: {exc.msg}",
                                         preview(line.strip())))
                continue
            if not isinstance(value, dict):
                rejects.append(RawReject(number, RejectReason.MALFORMED_ROW, None,
                                         "line is not a JSON object", preview(line.strip())))
                continue
            value[ROW] = number
            records.append(value)
            if len(records) >= chunk_rows:
                yield RawChunk(records_frame(records), rejects)
                records, rejects = [], []
    if records or rejects:
        yield RawChunk(records_frame(records), rejects)


def load_json_records(path: Path) -> list[Any]:
    """A JSON array, or an object holding the array under a common key."""
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(path, f"not valid JSON: {exc}") from exc
    if isinstance(data, dict):
        for key in ("records", "data", "items", "rows", "results", "conversations"):
            if isinstance(data.get(key), list):
                return list(data[key])
        return [data]
    if not isinstance(data, list):
        raise InputError(path, "expected a JSON array of objects")
    return data


def read_json(path: Path, chunk_rows: int) -> Iterator[RawChunk]:
    items = load_json_records(path)
    for start in range(0, len(items), chunk_rows):
        records, rejects = [], []
        for number, value in enumerate(items[start:start + chunk_rows], start=start + 1):
            if isinstance(value, dict):
                records.append({**value, ROW: number})
            else:
                rejects.append(RawReject(number, RejectReason.MALFORMED_ROW, None,
                                         "array element is not an object", preview(value)))
        yield RawChunk(records_frame(records), rejects)


def records_frame(records: list[dict[str, Any]]) -> pd.DataFrame:
    """Flatten nested objects one level ("user.id"); lists become JSON text."""
    if not records:
        return pd.DataFrame({ROW: pd.Series([], dtype="int64")})
    flat = []
    for record in records:
        row: dict[str, Any] = {}
        for key, value in record.items():
            if isinstance(value, dict):
                for inner, inner_value in value.items():
                    row[f"{key}.{inner}"] = _scalar(inner_value)
            else:
                row[str(key)] = _scalar(value)
        flat.append(row)
    return pd.DataFrame(flat, dtype=object)


def _scalar(value: Any) -> Any:
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def read_parquet(path: Path, chunk_rows: int) -> Iterator[RawChunk]:
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises ArrowInvalid and OSError variants
        raise InputError(path, f"not a readable Parquet file: {exc}") from exc
    start = 1
    for batch in parquet.iter_batches(batch_size=chunk_rows):
        frame = batch.to_pandas()
        frame[ROW] = range(start, start + len(frame))
        start += len(frame)
        yield RawChunk(frame)
