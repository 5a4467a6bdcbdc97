from __future__ import annotations

import json

import pandas as pd

from voc.ingest.clean import SeenIds, SourceContext, clean_chunk
from voc.ingest.mapping import ColumnMapping, map_chunk
from voc.ingest.tabular import RawChunk, RawReject
from voc.records import ROW, RejectReason

CTX = SourceContext(batch="b", source="reviews", source_file="r.csv", channel="app_review",
                    timezone="UTC", date_format=None, redact=True, customer_salt="salt",
                    min_text_chars=2)
MAPPING = ColumnMapping(text=["body"], single={"record_id": "id", "time": "when",
                                               "customer": "who", "rating": "stars"})


def _chunk(rows: list[dict], rejects: list[RawReject] | None = None) -> RawChunk:
    frame = pd.DataFrame(rows, dtype=object)
    frame[ROW] = range(2, len(rows) + 2)
    return RawChunk(frame, rejects or [])


def _clean(rows: list[dict], ctx: SourceContext = CTX):
    chunk = _chunk(rows)
    return clean_chunk(map_chunk(chunk, MAPPING), chunk.rejects, ctx)


def test_clean_first_problem_wins_and_names_the_file_column() -> None:
    result = _clean([
        {"id": "1", "when": "garbage", "who": "a", "stars": "9", "body": "text here"},
        {"id": "2", "when": "2026-10-01", "who": "a", "stars": "9", "body": "text here"},
        {"id": "3", "when": "bad", "who": "a", "stars": "1", "body": " !! "},
    ])
    rejects = result.rejects.set_index("source_row")
    assert rejects.loc[2, ["field", "reason"]].tolist() == ["when", RejectReason.BAD_DATE]
    assert rejects.loc[3, ["field", "reason"]].tolist() == ["stars", RejectReason.BAD_SCORE]
    assert rejects.loc[4, ["field", "reason"]].tolist() == ["body", RejectReason.EMPTY_TEXT]
    assert result.records.empty


def test_clean_ids_are_stable_and_repeats_stay_unique() -> None:
    rows = [{"id": "A", "when": "", "who": "x", "stars": "", "body": "first text"},
            {"id": "A", "when": "", "who": "x", "stars": "", "body": "exported twice"}]
    first, again = _clean(rows).records, _clean(rows).records
    repeated = SeenIds().claim(first)
    SeenIds().claim(again)
    ids = first["feedback_id"].tolist()
    assert ids == again["feedback_id"].tolist()  # stable on re-ingest
    assert len(set(ids)) == 2
    assert repeated.to_dict() == {1: ids[0]}
    seen = SeenIds()
    seen.claim(_clean(rows).records)
    third = _clean(rows).records  # the same file a second time in one batch
    seen.claim(third)
    assert len(set(ids) | set(third["feedback_id"])) == 4


def test_clean_customer_key_is_keyed_by_salt_and_case_insensitive() -> None:
    rows = [{"id": "1", "when": "", "who": "Alice@Example.com", "stars": "", "body": "hello there"},
            {"id": "2", "when": "", "who": "alice@example.com", "stars": "", "body": "hi again"}]
    keys = _clean(rows).records["customer_key"].tolist()
    assert keys[0] == keys[1] and "alice" not in keys[0]
    other_salt = _clean(rows, ctx=SourceContext(**{**CTX.__dict__, "customer_salt": "pepper"}))
    assert other_salt.records["customer_key"].iloc[0] != keys[0]


def test_clean_metadata_is_json_and_redacted() -> None:
    chunk = _chunk([{"id": "1", "when": "", "who": "x", "stars": "5", "body": "great",
                     "note": "call 13812345678", "store": "上海"}])
    result = clean_chunk(map_chunk(chunk, MAPPING), [], CTX)
    metadata = json.loads(result.records["metadata"].iloc[0])
    assert metadata == {"note": "call [PHONE]", "store": "上海"}
    assert result.redactions == {"phone": 1}


def test_clean_raw_rejects_keep_their_reason_and_are_redacted() -> None:
    chunk = _chunk([{"id": "1", "when": "", "who": "x", "stars": "", "body": "fine text"}],
                   [RawReject(9, RejectReason.MALFORMED_ROW, None, "expected 5 fields, found 6",
                              "a,b,mail me at bob@example.com")])
    result = clean_chunk(map_chunk(chunk, MAPPING), chunk.rejects, CTX)
    row = result.rejects.iloc[0]
    assert row["reason"] == "malformed_row" and "[EMAIL]" in row["raw"]
    assert len(result.records) == 1


def test_clean_channel_column_maps_aliases_and_rejects_unknown() -> None:
    mapping = ColumnMapping(text=["body"], single={}, channel_column="platform")
    chunk = _chunk([{"body": "late again", "platform": "Twitter"},
                    {"body": "送货太慢", "platform": "微博"},
                    {"body": "hello", "platform": "carrier pigeon"}])
    ctx = SourceContext(**{**CTX.__dict__, "channel": None})
    result = clean_chunk(map_chunk(chunk, mapping), [], ctx)
    assert result.records["channel"].tolist() == ["social", "social"]
    assert result.rejects["reason"].tolist() == ["unknown_channel"]
    assert result.rejects["field"].tolist() == ["platform"]
