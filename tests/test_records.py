from __future__ import annotations

import pytest

from voc.records import FEEDBACK_COLUMNS, Channel, parse_channel


@pytest.mark.parametrize(("value", "expected"), [
    ("app_review", Channel.APP_REVIEW), ("App Store", Channel.APP_REVIEW),
    ("Twitter", Channel.SOCIAL), ("微博", Channel.SOCIAL), ("e-mail", Channel.EMAIL),
    ("Live Chat", Channel.CHAT), ("hotline", Channel.CALL), ("NPS", Channel.SURVEY),
    ("fax", None), ("", None),
])
def test_records_parse_channel(value: str, expected: Channel | None) -> None:
    assert parse_channel(value) == expected


def test_records_columns_are_unique() -> None:
    assert len(set(FEEDBACK_COLUMNS)) == len(FEEDBACK_COLUMNS)
