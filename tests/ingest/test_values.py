"""Timestamp and score parsing as exports write them: many shapes, empties, garbage."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pandas as pd
import pytest

from voc.ingest.values import parse_scores, parse_timestamps

SHANGHAI = "Asia/Shanghai"


def _one(value: object, timezone: str = SHANGHAI,
         preferred_format: str | None = None) -> tuple[pd.Timestamp, bool]:
    stamps, bad = parse_timestamps(pd.Series([value], dtype=object), timezone, preferred_format)
    return stamps.iloc[0], bool(bad.iloc[0])


@pytest.mark.parametrize(("value", "expected"), [
    # ISO 8601 with a zone: the offset wins over the source's timezone.
    ("2026-09-03T14:05:07Z", "2026-09-03 14:05:07"),
    ("2026-09-03T14:05:07+08:00", "2026-09-03 06:05:07"),
    ("2026-09-03T14:05:07-0500", "2026-09-03 19:05:07"),
    ("2026-09-03T14:05:07.250+00:00", "2026-09-03 14:05:07.250"),
    ("2026-09-03 14:05:07 +0800", "2026-09-03 06:05:07"),
    # Naive values are read in Asia/Shanghai (UTC+8).
    ("2026-09-03 14:05:07", "2026-09-03 06:05:07"),
    ("2026-09-03", "2026-09-02 16:00:00"),
    ("2026/9/3 14:05", "2026-09-03 06:05:00"),
    ("2026/09/03 14:05:07", "2026-09-03 06:05:07"),
    ("2026年9月3日", "2026-09-02 16:00:00"),
    ("2026年9月3日 14:05", "2026-09-03 06:05:00"),
    ("09/03/2026 14:05", "2026-09-03 06:05:00"),  # US month-first
    ("20260903", "2026-09-02 16:00:00"),
    # Social and e-mail formats carry their own offset.
    ("Wed Sep 03 14:05:00 +0000 2026", "2026-09-03 14:05:00"),
    ("Wed, 03 Sep 2026 14:05:00 +0800", "2026-09-03 06:05:00"),
    ("Wed, 03 Sep 2026 14:05:00 GMT", "2026-09-03 14:05:00"),
    # Epoch seconds and milliseconds are UTC.
    ("1788444300", "2026-09-03 14:05:00"),
    ("1788444300000", "2026-09-03 14:05:00"),
    ("1700000000", "2023-11-14 22:13:20"),
    ("  2026-09-03 14:05:07  ", "2026-09-03 06:05:07"),
])
def test_values_timestamp_formats(value: str, expected: str) -> None:
    stamp, bad = _one(value)
    assert stamp == pd.Timestamp(expected)
    assert not bad


def test_values_timestamps_mixed_column_vectorised() -> None:
    raw = pd.Series(["2026-09-03 14:05:07", "2026-09-03T14:05:07Z", "2026年9月3日",
                     "1788444300", "", "soon"], index=[10, 11, 12, 13, 14, 15])
    stamps, bad = parse_timestamps(raw, SHANGHAI)
    assert stamps.dtype == "datetime64[ns]"
    assert list(stamps.index) == [10, 11, 12, 13, 14, 15]
    assert [str(stamp) for stamp in stamps] == [
        "2026-09-03 06:05:07", "2026-09-03 14:05:07", "2026-09-02 16:00:00",
        "2026-09-03 14:05:00", "NaT", "NaT"]
    assert bad.tolist() == [False, False, False, False, False, True]


def test_values_timestamp_timezone_of_source_applies_to_naive_only() -> None:
    assert _one("2026-09-03 14:05:07", "UTC")[0] == pd.Timestamp("2026-09-03 14:05:07")
    assert _one("2026-09-03 14:05:07", "America/New_York")[0] == pd.Timestamp(
        "2026-09-03 18:05:07")
    assert _one("2026-09-03T14:05:07Z", "America/New_York")[0] == pd.Timestamp(
        "2026-09-03 14:05:07")


def test_values_timestamp_preferred_format_day_first() -> None:
    # Without a hint, a slash date is month-first (US); the source's date_format wins.
    assert _one("03/09/2026")[0] == pd.Timestamp("2026-03-08 16:00:00")
    stamps, bad = parse_timestamps(pd.Series(["03/09/2026", "25/12/2026"]), SHANGHAI,
                                   "%d/%m/%Y")
    assert stamps.tolist() == [pd.Timestamp("2026-09-02 16:00:00"),
                               pd.Timestamp("2026-12-24 16:00:00")]
    assert not bad.any()


def test_values_timestamp_day_first_without_hint_still_parsed() -> None:
    # 25 cannot be a month, so the day-first format reads it.
    assert _one("25/12/2026 10:00")[0] == pd.Timestamp("2026-12-25 02:00:00")


def test_values_timestamp_datetime_objects() -> None:
    raw = pd.Series([datetime(2026, 9, 3, 14, 5), None, "2026-09-04 09:00:00"], dtype=object)
    stamps, bad = parse_timestamps(raw, SHANGHAI)
    assert stamps.iloc[0] == pd.Timestamp("2026-09-03 06:05:00")  # naive: source timezone
    assert pd.isna(stamps.iloc[1])
    assert stamps.iloc[2] == pd.Timestamp("2026-09-04 01:00:00")
    assert bad.tolist() == [False, False, False]
    aware = pd.Series([datetime(2026, 9, 3, 14, 5, tzinfo=UTC)], dtype=object)
    assert parse_timestamps(aware, SHANGHAI)[0].iloc[0] == pd.Timestamp("2026-09-03 14:05:00")


def test_values_timestamp_datetime64_series() -> None:
    raw = pd.Series(pd.to_datetime(["2026-09-03 14:05:00", None]))
    stamps, bad = parse_timestamps(raw, SHANGHAI)
    assert stamps.iloc[0] == pd.Timestamp("2026-09-03 06:05:00")
    assert pd.isna(stamps.iloc[1])
    assert not bad.any()
    utc = pd.Series(pd.to_datetime(["2026-09-03 14:05:00"]).tz_localize("UTC"))
    assert parse_timestamps(utc, SHANGHAI)[0].iloc[0] == pd.Timestamp("2026-09-03 14:05:00")


@pytest.mark.parametrize("value", ["", "   ", None, np.nan, pd.NaT])
def test_values_timestamp_empty_is_nat_not_bad(value: object) -> None:
    stamp, bad = _one(value)
    assert pd.isna(stamp)
    assert not bad


@pytest.mark.parametrize("value", [
    "soon", "n/a", "2026-13-45", "2026-02-30", "13/25/2026", "2026-09-03 25:00:00",
    "2026/9/3 14:75", "Wed Foo 03 14:05:00 +0000 2026", "99999999999",
])
def test_values_timestamp_garbage_and_impossible_dates_bad(value: str) -> None:
    stamp, bad = _one(value)
    assert pd.isna(stamp)
    assert bad


@pytest.mark.parametrize("value", [
    "1850-01-01", "1969-12-31 12:00:00", "2150-01-01 00:00:00", "2100-06-01T00:00:00Z",
    # Outside pandas' nanosecond range: must be bad values, not an overflow error.
    "0001-01-01", "9999-12-31", "9999-12-31T00:00:00Z", "Fri, 31 Dec 9999 00:00:00 +0000",
    "Fri Dec 31 00:00:00 +0000 9999", "9999年12月31日",
])
def test_values_timestamp_year_out_of_range_bad(value: str) -> None:
    stamps, bad = parse_timestamps(pd.Series([value, "2026-09-03 14:05:00"]), SHANGHAI)
    assert pd.isna(stamps.iloc[0]) and bool(bad.iloc[0])
    assert stamps.iloc[1] == pd.Timestamp("2026-09-03 06:05:00")  # the rest still parse
    assert not bad.iloc[1]


def test_values_timestamp_out_of_range_datetime_objects_do_not_overflow() -> None:
    raw = pd.Series([datetime(1, 1, 1), datetime(2026, 9, 3, 14, 5)], dtype=object)
    stamps, _ = parse_timestamps(raw, "UTC")
    assert pd.isna(stamps.iloc[0])
    assert stamps.iloc[1] == pd.Timestamp("2026-09-03 14:05:00")


# --- scores ------------------------------------------------------------------------------------
@pytest.mark.parametrize(("value", "expected"), [
    ("4", 4.0), ("4.0", 4.0), (" 5 ", 5.0), ("4/5", 4.0), ("4 / 5", 4.0), ("4 stars", 4.0),
    ("1 star", 1.0), ("4 Stars", 4.0), ("4星", 4.0), ("3分", 3.0), ("4颗星", 4.0),
    ("★★★☆☆", 3.0), ("★★★★★", 5.0), ("⭐⭐", 2.0), ("4.5", 4.5),
])
def test_values_score_shapes(value: str, expected: float) -> None:
    scores, bad = parse_scores(pd.Series([value]), 1, 5)
    assert scores.iloc[0] == expected
    assert not bad.iloc[0]


def test_values_score_numeric_dtype_input() -> None:
    scores, bad = parse_scores(pd.Series([0, 7, 10, np.nan, 11, -1]), 0, 10)
    assert scores.dtype == "float64"
    assert scores.iloc[:3].tolist() == [0.0, 7.0, 10.0]
    assert scores.iloc[3:].isna().all()
    assert bad.tolist() == [False, False, False, False, True, True]


@pytest.mark.parametrize("value", ["", "  ", None, np.nan])
def test_values_score_empty_is_nan_not_bad(value: object) -> None:
    scores, bad = parse_scores(pd.Series([value, "3"], dtype=object), 1, 5)
    assert np.isnan(scores.iloc[0])
    assert not bad.iloc[0]
    assert scores.iloc[1] == 3.0


@pytest.mark.parametrize("value", ["0", "6", "9/10", "-1", "5.5", "☆☆☆☆☆", "good", "4 apples",
                                   "four", "N/A"])
def test_values_score_out_of_range_or_non_numeric_bad(value: str) -> None:
    scores, bad = parse_scores(pd.Series([value, "4"]), 1, 5)
    assert np.isnan(scores.iloc[0])
    assert bool(bad.iloc[0])
    assert scores.iloc[1] == 4.0 and not bad.iloc[1]


def test_values_score_nps_range_keeps_zero_and_ten() -> None:
    scores, bad = parse_scores(pd.Series(["0", "10", "10分", "11"]), 0, 10)
    assert scores.iloc[:3].tolist() == [0.0, 10.0, 10.0]
    assert bad.tolist() == [False, False, False, True]
