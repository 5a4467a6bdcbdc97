"""Column mapping: explicit and default mappings, text joining, missing columns, metadata."""

from __future__ import annotations

import pandas as pd
import pytest

from voc.config import SourceConfig
from voc.ingest import email
from voc.ingest.mapping import (
    F_CHANNEL,
    F_CONTEXT,
    F_CUSTOMER,
    F_RATING,
    F_RECORD_ID,
    F_TEXT,
    F_TIME,
    META_PREFIX,
    ColumnMapping,
    build_mapping,
    join_text_columns,
    map_chunk,
)
from voc.ingest.tabular import RawChunk
from voc.records import ROW


def _source(**fields: object) -> SourceConfig:
    return SourceConfig(name="reviews", path="reviews.csv", **fields)  # type: ignore[arg-type]


def _raw() -> RawChunk:
    return RawChunk(pd.DataFrame({
        "review_id": ["r1", "r2", "r3"],
        "created": ["2026-09-03 14:05", "2026-09-04 09:00", "2026-09-05 10:00"],
        "user_id": ["u1", "u2", "u3"],
        "stars": ["1", "5", "3"],
        "title": ["Late", "", None],
        "body": ["Never came", "Love it", None],
        "app_version": ["5.1", "5.2", "5.2"],
        "device": ["ios", "android", "ios"],
        ROW: [2, 3, 5],
    }, dtype=object))


REVIEWS = {"text": ["title", "body"], "id": "review_id", "time": "created",
           "customer": "user_id", "rating": "stars"}


def test_mapping_build_explicit_columns() -> None:
    mapping = build_mapping(_source(**REVIEWS, channel_column="src"), None, None)
    assert mapping.text == ["title", "body"]
    assert mapping.single == {F_RECORD_ID: "review_id", F_TIME: "created",
                              F_CUSTOMER: "user_id", F_RATING: "stars"}
    assert mapping.channel_column == "src"
    assert mapping.metadata is None
    assert mapping.used_columns() == {"title", "body", "review_id", "created", "user_id",
                                      "stars", "src"}


def test_mapping_build_default_email_mapping() -> None:
    mapping = build_mapping(_source(), email.EMAIL_MAPPING, None)
    assert mapping.text == list(email.EMAIL_MAPPING["text"])
    assert mapping.single == {F_RECORD_ID: email.EMAIL_MAPPING["id"],
                              F_TIME: email.EMAIL_MAPPING["time"],
                              F_CUSTOMER: email.EMAIL_MAPPING["customer"]}


def test_mapping_explicit_fields_override_default() -> None:
    mapping = build_mapping(_source(text="body", customer="sender"), email.EMAIL_MAPPING, None)
    assert mapping.text == ["body"]
    assert mapping.single[F_CUSTOMER] == "sender"
    assert mapping.single[F_RECORD_ID] == email.EMAIL_MAPPING["id"]  # not overridden


def test_mapping_default_channel_column_only_without_fixed_channel() -> None:
    default = {"text": "customer_text", "channel": "channel"}
    assert build_mapping(_source(), default, "agent_text").channel_column == "channel"
    fixed = build_mapping(_source(channel="chat"), default, "agent_text")
    assert fixed.channel_column is None
    assert fixed.context == "agent_text"


def test_mapping_map_chunk_picks_and_renames() -> None:
    mapped = map_chunk(_raw(), build_mapping(_source(**REVIEWS), None, None))
    assert mapped.missing == []
    frame = mapped.frame
    assert frame[ROW].tolist() == [2, 3, 5]
    assert frame[ROW].dtype == "int64"
    assert frame[F_RECORD_ID].tolist() == ["r1", "r2", "r3"]
    assert frame[F_RATING].tolist() == ["1", "5", "3"]  # still raw strings: clean.py converts
    assert frame[F_CUSTOMER].tolist() == ["u1", "u2", "u3"]
    assert frame[F_CONTEXT].isna().all()
    assert mapped.columns == {F_TEXT: "title+body", F_RECORD_ID: "review_id",
                              F_TIME: "created", F_CUSTOMER: "user_id", F_RATING: "stars"}


def test_mapping_text_joined_with_blank_line_skipping_empty_parts() -> None:
    mapped = map_chunk(_raw(), build_mapping(_source(**REVIEWS), None, None))
    text = mapped.frame[F_TEXT]
    assert text.iloc[0] == "Late\n\nNever came"
    assert text.iloc[1] == "Love it"  # empty title: no leading blank line
    assert pd.isna(text.iloc[2])  # both empty: no text at all


def test_mapping_join_text_columns_strips_and_skips() -> None:
    raw = pd.DataFrame({"a": ["x", "", "  y ", None, "z"],
                        "b": ["p", "q", "", None, "  "],
                        "c": ["1", None, "3", "4", None]}, dtype=object)
    joined = join_text_columns(raw, ["a", "b", "c"])
    assert joined.tolist()[:4] == ["x\n\np\n\n1", "q", "y\n\n3", "4"]
    assert joined.iloc[4] == "z"
    assert join_text_columns(raw, ["c"]).isna().tolist() == [False, True, False, False, True]


def test_mapping_missing_column_reported() -> None:
    mapping = build_mapping(_source(text=["body", "comment"], id="ticket", time="created"),
                            None, None)
    mapped = map_chunk(_raw(), mapping)
    assert mapped.missing == ["comment", "ticket"]
    # Nothing else is mapped, but every row is still there to be rejected by number.
    assert list(mapped.frame.columns) == [ROW]
    assert mapped.frame[ROW].tolist() == [2, 3, 5]
    assert mapped.columns[F_TEXT] == "body+comment"


def test_mapping_missing_channel_column_and_no_text_reported() -> None:
    mapped = map_chunk(_raw(), build_mapping(_source(channel_column="platform"), None, None))
    assert mapped.missing == ["platform", "<text>"]


def test_mapping_unmapped_columns_kept_as_metadata() -> None:
    mapped = map_chunk(_raw(), build_mapping(_source(**REVIEWS), None, None))
    meta = [column for column in mapped.frame.columns if column.startswith(META_PREFIX)]
    assert meta == [META_PREFIX + "app_version", META_PREFIX + "device"]
    assert mapped.frame[META_PREFIX + "device"].tolist() == ["ios", "android", "ios"]
    assert META_PREFIX + ROW not in mapped.frame.columns


def test_mapping_explicit_metadata_list() -> None:
    mapping = build_mapping(_source(**REVIEWS, metadata=["device", "not_there"]), None, None)
    mapped = map_chunk(_raw(), mapping)
    assert mapped.missing == []  # an absent metadata column is not an error
    meta = [column for column in mapped.frame.columns if column.startswith(META_PREFIX)]
    assert meta == [META_PREFIX + "device"]


def test_mapping_empty_metadata_list_keeps_none() -> None:
    mapped = map_chunk(_raw(), build_mapping(_source(**REVIEWS, metadata=[]), None, None))
    assert not any(column.startswith(META_PREFIX) for column in mapped.frame.columns)


def test_mapping_channel_and_context_columns() -> None:
    raw = _raw()
    raw.frame["platform"] = ["app_store", "google_play", "web"]
    raw.frame["agent"] = ["Sorry", None, "Thanks"]
    mapping = ColumnMapping(text=["body"], single={}, channel_column="platform",
                            context="agent")
    frame = map_chunk(raw, mapping).frame
    assert frame[F_CHANNEL].tolist() == ["app_store", "google_play", "web"]
    assert frame[F_CONTEXT].tolist()[0] == "Sorry"
    assert META_PREFIX + "platform" not in frame.columns
    assert META_PREFIX + "agent" not in frame.columns


@pytest.mark.parametrize("text", [["body"], "body"])
def test_mapping_single_text_column(text: list[str] | str) -> None:
    mapped = map_chunk(_raw(), build_mapping(_source(text=text), None, None))
    assert mapped.frame[F_TEXT].tolist()[:2] == ["Never came", "Love it"]
