"""Transcript reader: JSON/JSONL conversations and turn rows generated in tmp_path."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from voc.errors import InputError
from voc.ingest.transcript import (
    CONTEXT_COLUMN,
    TRANSCRIPT_COLUMNS,
    TRANSCRIPT_MAPPING,
    classify_speaker,
    looks_like_transcript,
    read_transcripts,
)
from voc.records import ROW


def _conversation(cid: str, customer: str = "C-1", **extra: Any) -> dict[str, Any]:
    return {
        "conversation_id": cid,
        "started_at": "2026-10-03 10:00:00",
        "customer_id": customer,
        "channel": "chat",
        "turns": [
            {"speaker": "agent", "text": "您好，请问有什么可以帮您？"},
            {"speaker": "customer", "text": "My refund is late."},
            {"speaker": "Agent", "text": "Sorry, checking now."},
            {"speaker": "Customer", "text": "It has been two weeks."},
        ],
        **extra,
    }


def _write_json(tmp_path: Path, data: Any, name: str = "chats.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def _write_jsonl(tmp_path: Path, lines: list[Any | str], name: str = "chats.jsonl") -> Path:
    path = tmp_path / name
    text = "\n".join(line if isinstance(line, str) else json.dumps(line, ensure_ascii=False)
                     for line in lines)
    path.write_text(text + "\n", encoding="utf-8")
    return path


def test_transcript_json_array_splits_customer_and_agent(tmp_path: Path) -> None:
    data = [_conversation("c1", store="Pudong", csat=4, vip=True),
            _conversation("c2", customer="C-2")]
    read = read_transcripts(_write_json(tmp_path, data))
    frame = read.frame
    assert read.bad_lines == []
    assert list(frame.columns[: len(TRANSCRIPT_COLUMNS)]) == list(TRANSCRIPT_COLUMNS)
    assert frame.columns[-1] == ROW
    first = frame.iloc[0]
    assert first["conversation_id"] == "c1"
    assert first["started_at"] == "2026-10-03 10:00:00"
    assert first["customer_id"] == "C-1"
    assert first["channel"] == "chat"
    assert first["customer_text"] == "My refund is late.\nIt has been two weeks."
    assert first[CONTEXT_COLUMN] == "agent: 您好，请问有什么可以帮您？\nAgent: Sorry, checking now."
    assert "Sorry" not in first["customer_text"]
    assert (first["n_turns"], first["n_customer_turns"], first["n_unknown_turns"]) == (4, 2, 0)
    assert (first["store"], first["csat"], first["vip"]) == ("Pudong", "4", "true")
    assert frame[ROW].tolist() == [1, 2]
    assert frame["customer_id"].tolist() == ["C-1", "C-2"]
    assert TRANSCRIPT_MAPPING["text"] == ["customer_text"]


def test_transcript_jsonl_with_malformed_line(tmp_path: Path) -> None:
    path = _write_jsonl(tmp_path, [_conversation("c1"), "", '{"conversation_id": "c2", "tu',
                                   _conversation("c3"), "[1, 2]"])
    read = read_transcripts(path)
    assert read.frame["conversation_id"].tolist() == ["c1", "c3"]
    assert read.frame[ROW].tolist() == [1, 4]
    assert [line for line, _ in read.bad_lines] == [3, 5]
    assert "invalid JSON" in read.bad_lines[0][1]


def test_transcript_nested_key_variants(tmp_path: Path) -> None:
    data = {"data": [
        {"session_id": "s-9", "user_id": {"id": "U7", "name": "Li"}, "source": "app",
         "messages": [
             {"role": "assistant", "content": "Hi!", "timestamp": "2026-10-03T09:00:00"},
             {"role": "user", "content": [{"type": "text", "text": "App crashes"}]},
         ]},
        {"conversation_id": None, "call_id": 55, "start_time": 1791000000, "caller": "13800000000",
         "utterances": [{"party": "Caller", "utterance": "Line is dead"},
                        {"party": "Operator", "utterance": "Let me check"}]},
    ]}
    frame = read_transcripts(_write_json(tmp_path, data)).frame
    assert frame["conversation_id"].tolist() == ["s-9", "55"]
    assert frame["customer_id"].tolist() == ["U7", "13800000000"]
    assert frame["started_at"].tolist() == ["2026-10-03T09:00:00", "1791000000"]
    assert frame["customer_text"].tolist() == ["App crashes", "Line is dead"]
    assert frame[CONTEXT_COLUMN].tolist() == ["assistant: Hi!", "Operator: Let me check"]
    assert frame["source"].iloc[0] == "app"


def test_transcript_conversations_key_and_utf8_bom(tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    text = json.dumps({"conversations": [_conversation("c1")]}, ensure_ascii=False)
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    frame = read_transcripts(path).frame
    assert frame["conversation_id"].tolist() == ["c1"]


def test_transcript_chinese_speaker_labels_and_unknown(tmp_path: Path) -> None:
    data = [{"id": "z1", "dialogue": [
        {"sender": "机器人", "message": "您好，我是智能客服"},
        {"sender": "访客", "message": "我要退货"},
        {"sender": "客服小王", "message": "好的，请提供订单号"},
        {"sender": "客户", "message": "订单号 1001"},
        {"sender": "说话人1", "message": "（背景噪音）"},
        {"sender": "坐席", "message": ""},
    ]}]
    row = read_transcripts(_write_json(tmp_path, data)).frame.iloc[0]
    assert row["customer_text"] == "我要退货\n订单号 1001"
    assert row[CONTEXT_COLUMN] == ("机器人: 您好，我是智能客服\n客服小王: 好的，请提供订单号\n"
                                   "说话人1: （背景噪音）")
    assert (row["n_turns"], row["n_customer_turns"], row["n_unknown_turns"]) == (5, 2, 1)


@pytest.mark.parametrize(("label", "role"), [
    ("customer", "customer"), ("USER", "customer"), ("caller_1", "customer"), ("顾客", "customer"),
    ("来电人", "customer"), ("agent 2", "agent"), ("Customer Service", "agent"),
    ("客户经理", "agent"), ("工作人员", "agent"), ("系统", "agent"), ("bot", "agent"),
    ("[客服]", "agent"), ("AI客服", "agent"), ("智能助手", "agent"),
    ("spk_0", "unknown"), ("username", "unknown"), ("A", "unknown"),
])
def test_transcript_classify_speaker(label: str, role: str) -> None:
    assert classify_speaker(label) == role


def test_transcript_turn_rows_grouped_and_ordered(tmp_path: Path) -> None:
    rows = [
        {"conversation_id": "B", "turn_index": 2, "speaker": "customer", "text": "b-second",
         "customer_id": "CB", "channel": "call", "ts": "2026-10-03T10:05:00"},
        {"conversation_id": "A", "turn_index": 1, "speaker": "agent", "text": "a-hello",
         "channel": "chat", "ts": "2026-10-03T09:00:00"},
        {"conversation_id": "B", "turn_index": 1, "speaker": "agent", "text": "b-first",
         "channel": "call", "ts": "2026-10-03T10:00:00"},
        "not json",
        {"conversation_id": "A", "turn_index": 3, "speaker": "customer", "text": "a-later",
         "customer_id": "CA", "channel": "chat", "ts": "2026-10-03T09:02:00"},
        {"conversation_id": "A", "turn_index": 2, "speaker": "customer", "text": "a-complaint",
         "customer_id": "CA", "channel": "chat", "ts": "2026-10-03T09:01:00"},
        {"speaker": "customer", "text": "orphan"},
    ]
    read = read_transcripts(_write_jsonl(tmp_path, rows))
    frame = read.frame
    assert frame["conversation_id"].tolist() == ["B", "A"]  # order of first appearance
    assert frame[ROW].tolist() == [1, 2]
    assert frame[CONTEXT_COLUMN].tolist() == ["agent: b-first", "agent: a-hello"]
    assert frame["customer_text"].tolist() == ["b-second", "a-complaint\na-later"]
    assert frame["customer_id"].tolist() == ["CB", "CA"]
    assert frame["channel"].tolist() == ["call", "chat"]
    assert frame["started_at"].tolist() == ["2026-10-03T10:00:00", "2026-10-03T09:00:00"]
    assert "turn_index" not in frame.columns and "text" not in frame.columns
    assert [line for line, _ in read.bad_lines] == [4, 7]


def test_transcript_turn_rows_json_array_sorted_by_timestamp(tmp_path: Path) -> None:
    rows = [
        {"chat_id": "x", "role": "customer", "content": "third", "timestamp": "10:02:00"},
        {"chat_id": "x", "role": "customer", "content": "first", "timestamp": "09:59:00"},
        {"chat_id": "x", "role": "staff", "content": "second", "timestamp": "10:00:00"},
    ]
    row = read_transcripts(_write_json(tmp_path, rows)).frame.iloc[0]
    assert row["customer_text"] == "first\nthird"
    assert row["started_at"] == "09:59:00"


def test_transcript_turn_rows_keep_file_order_without_sort_field(tmp_path: Path) -> None:
    rows = [{"call_id": 7, "speaker": "caller", "text": t} for t in ("z", "a", "m")]
    row = read_transcripts(_write_jsonl(tmp_path, rows)).frame.iloc[0]
    assert row["customer_text"] == "z\na\nm"


def test_transcript_looks_like_transcript() -> None:
    reviews = [{"id": i, "text": "great app", "rating": 5, "user": "u"} for i in range(5)]
    tweets = [{"id": i, "from": f"@fan{i}", "text": "love it"} for i in range(5)]
    turn_rows = [{"session_id": "s", "role": "user", "content": "hi"}]
    assert not looks_like_transcript(reviews)
    assert not looks_like_transcript(tweets)
    assert not looks_like_transcript([])
    assert looks_like_transcript([_conversation("c1")])
    assert looks_like_transcript(turn_rows)


def test_transcript_flat_records_rejected(tmp_path: Path) -> None:
    path = _write_jsonl(tmp_path, [{"id": 1, "text": "great app", "rating": 5}])
    with pytest.raises(InputError, match="no conversations"):
        read_transcripts(path)


def test_transcript_broken_json_array_raises(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('[{"id": "c1", "turns": []},\n{"id": ', encoding="utf-8")
    with pytest.raises(InputError, match="not valid JSON"):
        read_transcripts(path)


def test_transcript_empty_file_gives_empty_frame(tmp_path: Path) -> None:
    path = tmp_path / "empty.jsonl"
    path.write_text("\n", encoding="utf-8")
    read = read_transcripts(path)
    assert read.frame.empty
    assert list(read.frame.columns) == [*TRANSCRIPT_COLUMNS, ROW]
