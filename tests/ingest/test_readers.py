"""Format detection and reader dispatch on small generated files."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from voc.errors import InputError
from voc.ingest import email, transcript
from voc.ingest.readers import detect_format, file_info, read_file
from voc.records import ROW, RejectReason

CONVERSATIONS = [
    {"id": "c1", "turns": [{"speaker": "customer", "text": "My refund has not arrived"},
                           {"speaker": "agent", "text": "Sorry, let me check"}]},
    {"id": "c2", "turns": [{"speaker": "user", "text": "App crashes on login"},
                           {"speaker": "agent", "text": "Please update to 5.2"}]},
]
FLAT = [{"id": 1, "text": "great app", "rating": 5}, {"id": 2, "text": "slow", "rating": 2}]


def _touch(tmp_path: Path, name: str, text: str = "") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _jsonl(records: list[dict]) -> str:
    return "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records)


@pytest.mark.parametrize(("name", "expected"), [
    ("a.csv", "csv"), ("A.CSV", "csv"), ("a.txt", "csv"), ("a.tsv", "tsv"),
    ("a.xlsx", "xlsx"), ("a.xlsm", "xlsx"), ("a.jsonl", "jsonl"), ("a.ndjson", "jsonl"),
    ("a.json", "json"), ("a.parquet", "parquet"), ("a.pq", "parquet"),
    ("a.eml", "eml"), ("a.mbox", "mbox"),
])
def test_readers_detect_format_by_suffix(tmp_path: Path, name: str, expected: str) -> None:
    assert detect_format(_touch(tmp_path, name)) == expected


@pytest.mark.parametrize("name", ["notes.docx", "export", "data.csv.gz"])
def test_readers_unknown_suffix_is_input_error(tmp_path: Path, name: str) -> None:
    with pytest.raises(InputError, match="unknown file type") as info:
        detect_format(_touch(tmp_path, name))
    assert ".csv" in str(info.value) and "set format in the source" in str(info.value)


def test_readers_json_conversations_detected_as_transcript(tmp_path: Path) -> None:
    path = _touch(tmp_path, "chats.json", json.dumps(CONVERSATIONS))
    assert detect_format(path) == "transcript"


def test_readers_json_object_of_conversations_detected_as_transcript(tmp_path: Path) -> None:
    data = {"conversations": [{"session_id": "s1", "messages": [
        {"role": "user", "content": "我的退款还没到"}, {"role": "agent", "content": "抱歉"}]}]}
    assert detect_format(_touch(tmp_path, "chats.json", json.dumps(data))) == "transcript"


def test_readers_jsonl_conversations_detected_as_transcript(tmp_path: Path) -> None:
    assert detect_format(_touch(tmp_path, "chats.jsonl", _jsonl(CONVERSATIONS))) == "transcript"


def test_readers_jsonl_turn_rows_detected_as_transcript(tmp_path: Path) -> None:
    rows = [{"conversation_id": "c1", "speaker": "customer", "text": "hi"},
            {"conversation_id": "c1", "speaker": "agent", "text": "hello"}]
    assert detect_format(_touch(tmp_path, "turns.jsonl", _jsonl(rows))) == "transcript"


def test_readers_flat_json_is_not_transcript(tmp_path: Path) -> None:
    assert detect_format(_touch(tmp_path, "reviews.jsonl", _jsonl(FLAT))) == "jsonl"
    assert detect_format(_touch(tmp_path, "reviews.json", json.dumps(FLAT))) == "json"


def test_readers_invalid_json_stays_json(tmp_path: Path) -> None:
    # Detection does not fail on a broken file; the reader reports it with the file name.
    assert detect_format(_touch(tmp_path, "broken.json", "{oops")) == "json"
    assert detect_format(_touch(tmp_path, "broken.jsonl", "{oops\n")) == "jsonl"


def test_readers_file_info_encodings_and_default_mappings(tmp_path: Path) -> None:
    gbk = tmp_path / "nps.csv"
    gbk.write_bytes("编号,意见\n1,配送太慢了\n".encode("gbk"))
    assert file_info(gbk, "csv", "auto").encoding == "gb18030"
    assert file_info(gbk, "csv", "GBK").encoding == "gb18030"
    assert file_info(tmp_path / "a.xlsx", "xlsx", "auto").encoding is None
    mail = file_info(tmp_path / "a.eml", "eml", "auto")
    assert mail.default_mapping == email.EMAIL_MAPPING
    chats = file_info(tmp_path / "a.json", "transcript", "auto")
    assert chats.default_mapping == transcript.TRANSCRIPT_MAPPING
    assert chats.context_column == transcript.CONTEXT_COLUMN


def test_readers_read_file_csv_and_missing_file(tmp_path: Path) -> None:
    path = _touch(tmp_path, "a.csv", "id,comment\n1,slow\n2,late,extra\n3,fast\n")
    info = file_info(path, detect_format(path), "auto")
    chunks = list(read_file(path, info, chunk_rows=100))
    frame = pd.concat([chunk.frame for chunk in chunks])
    assert frame[ROW].tolist() == [2, 4]
    assert [(r.row, r.reason) for c in chunks for r in c.rejects] == [
        (3, RejectReason.MALFORMED_ROW)]
    with pytest.raises(InputError, match="file not found"):
        list(read_file(tmp_path / "gone.csv", info, chunk_rows=100))


def test_readers_read_file_transcript_in_chunks(tmp_path: Path) -> None:
    path = _touch(tmp_path, "chats.json", json.dumps(CONVERSATIONS * 2))
    info = file_info(path, detect_format(path), "auto")
    chunks = list(read_file(path, info, chunk_rows=3))
    assert [len(chunk.frame) for chunk in chunks] == [3, 1]
    frame = pd.concat([chunk.frame for chunk in chunks], ignore_index=True)
    assert frame[ROW].tolist() == [1, 2, 3, 4]
    assert "My refund has not arrived" in frame[transcript.CUSTOMER_TEXT].iloc[0]
