"""Parse timestamps and scores as exports actually write them.

Both parsers are vectorised: they try one known format at a time over the values still
unparsed, and fall back to a per-value parser only for the few that no format matched.
"""

from __future__ import annotations

import email.utils
import re
from collections.abc import Callable
from datetime import datetime
from functools import partial

import numpy as np
import pandas as pd

# Tried in order on the values not yet parsed. Day-first and month-first slash dates are
# ambiguous: month-first is tried first (US exports), and a source can set date_format.
_NAIVE_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y/%m/%d",
    "%Y.%m.%d %H:%M:%S",
    "%Y.%m.%d",
    "%Y年%m月%d日 %H:%M:%S",
    "%Y年%m月%d日 %H:%M",
    "%Y年%m月%d日%H:%M",
    "%Y年%m月%d日",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y",
    "%Y%m%d%H%M%S",
    "%Y%m%d",
)
_AWARE_FORMATS = (
    "%Y-%m-%d %H:%M:%S %z",
    "%Y/%m/%d %H:%M:%S %z",
)
_EPOCH = re.compile(r"^\d{10}(?:\d{3})?(?:\.\d+)?$")
_EARLIEST, _LATEST = pd.Timestamp("1970-01-01"), pd.Timestamp("2100-01-01")


def parse_timestamps(raw: pd.Series, timezone: str,
                     preferred_format: str | None = None) -> tuple[pd.Series, pd.Series]:
    """Parse mixed date strings (or datetime values) to naive UTC timestamps.

    Returns (timestamps, bad): empty values give NaT and are not bad; non-empty values that no
    format understands give NaT and bad=True. Naive values are read in `timezone`.

    >>> ts, bad = parse_timestamps(pd.Series(["2026/9/3 14:05", "Wed Sep 03 14:05:00 +0000 2026",
    ...                                       "", "soon"]), "Asia/Shanghai")
    >>> [str(t) for t in ts], bad.tolist()
    (['2026-09-03 06:05:00', '2026-09-03 14:05:00', 'NaT', 'NaT'], [False, False, False, True])
    """
    result = pd.Series(pd.NaT, index=raw.index, dtype="datetime64[ns]")
    if pd.api.types.is_datetime64_any_dtype(raw.dtype):
        return _to_utc(raw, timezone), pd.Series(False, index=raw.index)
    values = raw.astype(object)
    kind = pd.api.types.infer_dtype(values, skipna=True)
    is_dt = pd.Series(False, index=raw.index)
    if kind in ("datetime", "datetime64", "date", "mixed"):
        # Datetime objects (XLSX cells, Parquet timestamps) need no parsing.
        is_dt = values.map(lambda v: isinstance(v, datetime) and not pd.isna(v)).astype(bool)
        if is_dt.any():
            stamps = pd.Series(pd.to_datetime(values[is_dt].tolist()), index=values.index[is_dt])
            result[is_dt] = _to_utc(stamps, timezone)
    text = values.where(~is_dt).astype("string").str.strip()
    todo = ~(text.isna() | (text == "")) & ~is_dt
    if todo.any():
        # Each export tends to use one or two shapes: find them on a small sample, then run
        # only those parsers over the whole column (a failing parser costs a full pass).
        sample = text[todo].drop_duplicates().head(200)
        for parser in _parsers(timezone, preferred_format):
            pending = todo & result.isna()
            if not pending.any():
                break
            if parser(sample).isna().all():
                continue
            parsed = parser(text[pending])
            ok = parsed.notna()
            result[parsed.index[ok]] = parsed[ok]
        pending = todo & result.isna()
        if pending.any():
            fallback = [_parse_one(value, timezone) for value in text[pending].tolist()]
            result[pending] = _in_range(pd.to_datetime(
                pd.Series(fallback, index=text.index[pending], dtype=object), errors="coerce"))
    # A date cell outside 1970-2100 (a "9999-12-31" placeholder) is as bad as garbage text.
    return result, ((todo | is_dt) & result.isna()).astype(bool)


Parser = Callable[[pd.Series], pd.Series]

_YMD = re.compile(r"^(?P<year>\d{4})[-/.年](?P<month>\d{1,2})[-/.月](?P<day>\d{1,2})日?"
                  r"(?:[ T]+(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?"
                  r"(?:\.\d+)?)?$")
_TWITTER = re.compile(r"^\w{3} (\w{3}) (\d{2}) (\d{2}:\d{2}:\d{2}) ([+-]\d{4}) (\d{4})$")
_MONTHS = {name: f"{number:02d}" for number, name in enumerate(
    ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1)}


def _parsers(timezone: str, preferred_format: str | None) -> list[Parser]:
    formats = ((preferred_format,) if preferred_format else ()) + _NAIVE_FORMATS
    parsers: list[Parser] = [_iso_aware]
    parsers += [partial(_naive_format, fmt=fmt, timezone=timezone) for fmt in formats]
    parsers += [partial(_aware_format, fmt=fmt) for fmt in _AWARE_FORMATS]
    parsers += [_twitter, partial(_loose_ymd, timezone=timezone)]
    return parsers


def _iso_aware(text: pd.Series) -> pd.Series:
    """ISO 8601 with an offset or Z. Naive ISO values are left to the naive formats."""
    aware = text.str.contains(r"(?:Z|[+-]\d{2}:?\d{2})$", regex=True, na=False)
    parsed = pd.to_datetime(text.where(aware), format="ISO8601", utc=True, errors="coerce")
    return _in_range(parsed.dt.tz_localize(None))


def _naive_format(text: pd.Series, fmt: str, timezone: str) -> pd.Series:
    parsed = pd.to_datetime(text, format=fmt, errors="coerce")
    return _to_utc(parsed, timezone)


def _aware_format(text: pd.Series, fmt: str) -> pd.Series:
    parsed = pd.to_datetime(text, format=fmt, errors="coerce", utc=True)
    return _in_range(parsed.dt.tz_localize(None))


def _twitter(text: pd.Series) -> pd.Series:
    """"Wed Sep 03 14:05:00 +0000 2026" rewritten to ISO, which pandas parses in C."""
    parts = text.str.extract(_TWITTER)
    iso = parts[4] + "-" + parts[0].map(_MONTHS) + "-" + parts[1] + "T" + parts[2] + parts[3]
    parsed = pd.to_datetime(iso, format="ISO8601", utc=True, errors="coerce")
    return _in_range(parsed.dt.tz_localize(None))


def _loose_ymd(text: pd.Series, timezone: str) -> pd.Series:
    """Year-month-day, unpadded or with Chinese separators ("2026/9/3 9:05", "2026年9月3日")."""
    parts = text.str.extract(_YMD)
    parts = parts[parts["year"].notna()].fillna("0").astype("int64")
    # Assembling adds hours and minutes as durations: "14:75" would roll over to 15:15.
    parts = parts[(parts["hour"] < 24) & (parts["minute"] < 60) & (parts["second"] < 60)]
    stamps = pd.to_datetime(parts, errors="coerce") if len(parts) else pd.Series(
        pd.NaT, index=parts.index, dtype="datetime64[ns]")
    return _to_utc(stamps, timezone).reindex(text.index)


def _to_utc(values: pd.Series, timezone: str) -> pd.Series:
    stamps = pd.to_datetime(values)
    if stamps.dt.tz is None:
        stamps = stamps.dt.tz_localize(timezone, ambiguous="NaT", nonexistent="shift_forward")
    return _in_range(stamps.dt.tz_convert("UTC").dt.tz_localize(None))


def _in_range(stamps: pd.Series) -> pd.Series:
    """NaT outside 1970-2100, then nanoseconds. Checked in every parser, so a format that
    misreads a value (epoch 1788444300 as year 1788 by %Y%m%d%H%M%S) leaves it to the next
    one, and a year like 9999 is a bad value instead of an overflow that fails the file."""
    return stamps.where((stamps >= _EARLIEST) & (stamps < _LATEST)).astype("datetime64[ns]")


def _parse_one(value: str, timezone: str) -> pd.Timestamp | None:
    """Last resort for the odd value: epoch seconds/ms and RFC 2822 (e-mail) dates."""
    if _EPOCH.match(value):
        number = float(value)
        return pd.Timestamp(number / 1000 if number > 1e11 else number, unit="s")
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    stamp = pd.Timestamp(parsed)
    if stamp.tzinfo is None:
        stamp = stamp.tz_localize(timezone)
    return stamp.tz_convert("UTC").tz_localize(None)


_STARS = re.compile(r"^[★☆⭐✩✭ ]+$")
_NUMBER_IN = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*(?:/\s*\d+|分|星|颗星|stars?|points?|pts)?\s*$",
                        re.IGNORECASE)


def parse_scores(raw: pd.Series, low: float, high: float) -> tuple[pd.Series, pd.Series]:
    """Parse scores ("4", "4.0", "4/5", "4 stars", "4星", "★★★★") and check their range.

    Returns (scores as float, bad). Empty values give NaN and are not bad.

    >>> scores, bad = parse_scores(pd.Series(["4", "★★★☆☆", "5/5", "", "9"]), 1, 5)
    >>> scores.tolist()[:3], bad.tolist()
    ([4.0, 3.0, 5.0], [False, False, False, False, True])
    """
    if pd.api.types.is_numeric_dtype(raw.dtype) and not pd.api.types.is_bool_dtype(raw.dtype):
        numbers = raw.astype("float64")
        empty = numbers.isna()
    else:
        text = raw.astype("string").str.strip()
        empty = text.isna() | (text == "")
        numbers = pd.to_numeric(text, errors="coerce").astype("float64")
        pending = ~empty & numbers.isna()
        if pending.any():
            numbers[pending] = [_score_one(value) for value in text[pending].tolist()]
    bad = ~empty & (numbers.isna() | (numbers < low) | (numbers > high))
    numbers = numbers.where(~bad, np.nan)
    return numbers, bad


def _score_one(value: str) -> float:
    if _STARS.match(value):
        return float(value.count("★") + value.count("⭐") + value.count("✭"))
    match = _NUMBER_IN.match(value)
    return float(match.group(1)) if match else float("nan")
