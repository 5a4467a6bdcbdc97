"""Pick the reader for a file and stream it as RawChunk objects.

Formats are detected from the file name and, for JSON, from the records themselves:
conversations with speaker turns go to the transcript reader.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from voc.errors import InputError
from voc.ingest import email, tabular, transcript
from voc.ingest.encoding import detect_encoding, normalise_encoding_name
from voc.ingest.tabular import RawChunk, RawReject
from voc.records import ROW, RejectReason

Mapping = dict[str, str | list[str]]

_SUFFIX_FORMATS = {
    ".csv": "csv", ".txt": "csv", ".tsv": "tsv", ".xlsx": "xlsx", ".xlsm": "xlsx",
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json", ".parquet": "parquet",
    ".pq": "parquet", ".eml": "eml", ".mbox": "mbox",
}
TEXT_FORMATS = ("csv", "tsv", "jsonl")


@dataclass(frozen=True)
class FileInfo:
    """What was detected about a file; shown in the summary and stored per source file."""

    format: str
    encoding: str | None
    default_mapping: Mapping | None  # implicit column mapping for e-mail and transcripts
    context_column: str | None = None


def detect_format(path: Path) -> str:
    fmt = _SUFFIX_FORMATS.get(path.suffix.lower())
    if fmt is None:
        known = ", ".join(sorted(_SUFFIX_FORMATS))
        raise InputError(path, f"unknown file type '{path.suffix}' (known: {known}); "
                               "set format in the source")
    if fmt in ("json", "jsonl") and _json_is_transcript(path, fmt):
        return "transcript"
    return fmt


def _json_is_transcript(path: Path, fmt: str) -> bool:
    try:
        if fmt == "json":
            records = tabular.load_json_records(path)[:20]
        else:
            records = []
            with path.open("r", encoding="utf-8-sig", errors="replace") as handle:
                for line in handle:
                    if len(records) >= 20:
                        break
                    try:
                        value = json.loads(line)
                    except json.JSONDecodeError:
                        continue
                    records.append(value)
    except InputError:
        return False
    dicts = [record for record in records if isinstance(record, dict)]
    return bool(dicts) and transcript.looks_like_transcript(dicts)


def file_info(path: Path, fmt: str, encoding: str) -> FileInfo:
    enc = None
    if fmt in TEXT_FORMATS:
        enc = detect_encoding(path) if encoding == "auto" else normalise_encoding_name(encoding)
    if fmt in ("eml", "mbox"):
        return FileInfo(fmt, enc, email.EMAIL_MAPPING)
    if fmt == "transcript":
        return FileInfo(fmt, enc, transcript.TRANSCRIPT_MAPPING, transcript.CONTEXT_COLUMN)
    return FileInfo(fmt, enc, None)


def read_file(path: Path, info: FileInfo, chunk_rows: int,
              sheet: str | None = None) -> Iterator[RawChunk]:
    """Stream a file's rows; every chunk has passed the undecodable-bytes check."""
    if not path.is_file():
        raise InputError(path, "file not found")
    chunks: Iterator[RawChunk]
    match info.format:
        case "csv" | "tsv":
            assert info.encoding is not None
            chunks = tabular.read_csv(path, info.encoding, chunk_rows,
                                      "\t" if info.format == "tsv" else None)
        case "xlsx":
            chunks = tabular.read_xlsx(path, sheet, chunk_rows)
        case "jsonl":
            chunks = tabular.read_jsonl(path, chunk_rows)
        case "json":
            chunks = tabular.read_json(path, chunk_rows)
        case "parquet":
            chunks = tabular.read_parquet(path, chunk_rows)
        case "eml":
            chunks = _whole(email.read_eml(path), [], chunk_rows)
        case "mbox":
            chunks = _whole(email.read_mbox(path), [], chunk_rows)
        case "transcript":
            read = transcript.read_transcripts(path)
            bad = [RawReject(line, RejectReason.MALFORMED_ROW, None, message, "")
                   for line, message in read.bad_lines]
            chunks = _whole(read.frame, bad, chunk_rows)
        case _:
            raise InputError(path, f"unsupported format '{info.format}'")
    if info.format in ("csv", "tsv"):  # read_csv checks its own chunks
        yield from chunks
        return
    for chunk in chunks:
        yield tabular.reject_undecodable(chunk)


def _whole(frame: pd.DataFrame, rejects: list[RawReject], chunk_rows: int) -> Iterator[RawChunk]:
    """Split a frame that a reader loaded whole (mail archives, transcripts) into chunks."""
    if ROW not in frame.columns:
        frame = frame.assign(**{ROW: range(1, len(frame) + 1)})
    if frame.empty:
        yield RawChunk(frame, rejects)
        return
    for start in range(0, len(frame), chunk_rows):
        yield RawChunk(frame.iloc[start:start + chunk_rows].reset_index(drop=True),
                       rejects if start == 0 else [])


def read_table(path: Path, sheet: str | None = None, chunk_rows: int = 100_000) -> pd.DataFrame:
    """A whole tabular file (CSV, XLSX, JSON, JSONL, Parquet) as one frame, for evaluation."""
    if not path.is_file():
        raise InputError(path, "file not found")
    fmt = detect_format(path)
    if fmt in ("eml", "mbox", "transcript"):
        raise InputError(path, "expected a table (CSV, XLSX, JSON Lines or Parquet)")
    frames = [chunk.frame for chunk in read_file(path, file_info(path, fmt, "auto"), chunk_rows,
                                                 sheet)]
    frames = [frame for frame in frames if len(frame)]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
