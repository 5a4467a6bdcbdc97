"""Validate and clean a mapped chunk into unified feedback records and rejects.

Order matters: normalise (NFKC, whitespace) → redact PII → simplify Chinese for analysis →
detect language → validate. A row fails on its first problem, and the reject names the field.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from voc import records as R
from voc.ingest import mapping as M
from voc.ingest.language import detect_languages
from voc.ingest.pii import redact_series, redact_text
from voc.ingest.tabular import RawReject
from voc.ingest.values import parse_scores, parse_timestamps
from voc.records import ROW, RejectReason, parse_channel
from voc.text.normalize import normalize_text, to_arrow, to_simplified

REJECT_COLUMNS = ("source_row", "channel", "field", "reason", "detail", "raw")
_ID_KEY = "voc-feedback-id0"  # fixed SipHash key: ids must be the same on every machine


@dataclass(frozen=True)
class SourceContext:
    """What cleaning needs to know about the source a chunk came from."""

    batch: str
    source: str  # source name (voc.toml) — part of every feedback_id
    source_file: str
    channel: str | None  # fixed channel, or None when it comes from a column
    timezone: str
    date_format: str | None
    redact: bool
    customer_salt: str
    min_text_chars: int


@dataclass
class SeenIds:
    """Feedback ids already issued in this batch, so a repeated source id stays unique.

    Chunks are cleaned anywhere (worker processes), but ids are claimed here, in input order.
    """

    ids: set[str] = field(default_factory=set)

    def claim(self, records: pd.DataFrame) -> pd.Series:
        """Make the chunk's ids unique in the batch (in place); return position → first id.

        A record id seen before (the same review exported twice) gets an id made from its
        file and row too, and is reported as repeating the first record.
        """
        ids = records[R.FEEDBACK_ID].tolist()
        repeated: dict[int, str] = {}
        for position, value in enumerate(ids):
            if value not in self.ids:
                self.ids.add(value)
                continue
            row = records.iloc[position]
            basis = f"{value}\x1f{row[R.SOURCE_FILE]}\x1frow\x1f{row[R.SOURCE_ROW]}"
            new, attempt = value, 1
            while new in self.ids:  # the same file given twice: count on
                new = _hex(_hash64(pd.Series([f"{basis}\x1f{attempt}"]), _ID_KEY))[0]
                attempt += 1
            self.ids.add(new)
            ids[position] = new
            repeated[position] = value
        if repeated:
            records[R.FEEDBACK_ID] = ids
        return pd.Series(repeated, dtype=object)


@dataclass
class CleanResult:
    records: pd.DataFrame  # FEEDBACK_COLUMNS, duplicate columns still empty
    rejects: pd.DataFrame  # REJECT_COLUMNS
    redactions: dict[str, int]


def clean_chunk(mapped: M.MappedChunk, raw_rejects: list[RawReject],
                ctx: SourceContext) -> CleanResult:
    """Validate and clean one chunk; feedback ids are not yet unique (see SeenIds.claim)."""
    frame = mapped.frame
    redactions: dict[str, int] = {}
    rejects = [_raw_rejects_frame(raw_rejects, ctx.redact, ctx.channel)]
    if mapped.missing:
        detail = "column not in file: " + ", ".join(mapped.missing)
        rejects.append(pd.DataFrame({
            "source_row": frame[ROW], "channel": ctx.channel, "field": mapped.missing[0],
            "reason": RejectReason.MISSING_COLUMN.value, "detail": detail, "raw": None}))
        return CleanResult(_empty_records(), pd.concat(rejects, ignore_index=True), redactions)

    text = normalize_text(frame[M.F_TEXT])
    if ctx.redact:
        text, counts = redact_series(text)
        _add_counts(redactions, counts)
    analysis = to_simplified(text)
    reason = pd.Series(None, index=frame.index, dtype=object)
    bad_field = pd.Series(None, index=frame.index, dtype=object)
    detail = pd.Series(None, index=frame.index, dtype=object)

    def fail(mask: pd.Series, why: RejectReason, name: str, message: pd.Series | str) -> None:
        new = mask & reason.isna()
        reason[new] = why.value
        bad_field[new] = mapped.columns.get(name, name)  # the file's own column name
        detail[new] = message[new] if isinstance(message, pd.Series) else message

    fail(_too_short(text, ctx.min_text_chars), RejectReason.EMPTY_TEXT, "text",
         f"no text after cleaning (under {ctx.min_text_chars} letters, digits or emoji; "
         "a Chinese character counts 2)")
    created = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
    if M.F_TIME in frame:
        created, bad = parse_timestamps(frame[M.F_TIME], ctx.timezone, ctx.date_format)
        fail(bad, RejectReason.BAD_DATE, M.F_TIME,
             "unparseable date: " + frame[M.F_TIME].astype("string").str.slice(0, 60))
    scores = {}
    for name in (R.RATING, R.NPS, R.CSAT):
        if name in frame:
            low, high = R.SCORE_RANGES[name]
            scores[name], bad = parse_scores(frame[name], low, high)
            fail(bad, RejectReason.BAD_SCORE, name,
                 f"{name} must be a number from {low:g} to {high:g}, got "
                 + frame[name].astype("string").str.slice(0, 30))
    channel = _channels(frame, ctx, fail)

    rejected = reason.notna()
    if rejected.any():
        rejects.append(pd.DataFrame({
            "source_row": frame.loc[rejected, ROW], "channel": channel[rejected],
            "field": bad_field[rejected],
            "reason": reason[rejected], "detail": detail[rejected],
            "raw": text[rejected].str.slice(0, 500)}))
    keep = ~rejected
    kept = frame[keep]
    record_ids = _record_ids(kept)
    feedback_ids = _feedback_ids(record_ids, kept[ROW], ctx)
    context = kept[M.F_CONTEXT] if M.F_CONTEXT in kept else pd.Series(None, index=kept.index)
    context = normalize_text(context.astype("string"))
    if ctx.redact:
        context, counts = redact_series(context)
        _add_counts(redactions, counts)
    records = pd.DataFrame({
        R.FEEDBACK_ID: feedback_ids,
        R.BATCH: ctx.batch,
        R.CHANNEL: channel[keep],
        R.SOURCE: ctx.source,
        R.SOURCE_FILE: ctx.source_file,
        R.SOURCE_ROW: kept[ROW].astype("int64"),
        R.SOURCE_RECORD_ID: record_ids,
        R.CUSTOMER_KEY: _customer_keys(kept, ctx.customer_salt),
        R.CREATED_AT: created[keep],
        R.TEXT: text[keep],
        R.ANALYSIS_TEXT: analysis[keep],
        R.LANG: detect_languages(analysis[keep]),
        R.RATING: scores.get(R.RATING, pd.Series(np.nan, index=frame.index))[keep],
        R.NPS: scores.get(R.NPS, pd.Series(np.nan, index=frame.index))[keep],
        R.CSAT: scores.get(R.CSAT, pd.Series(np.nan, index=frame.index))[keep],
        R.DUPLICATE_OF: None,
        R.DUPLICATE_KIND: None,
        R.CONTEXT: context.where(context != ""),
    }).reset_index(drop=True)
    metadata = kept[[c for c in kept.columns if c.startswith(M.META_PREFIX)]]
    metadata = metadata.rename(columns=lambda c: c[len(M.META_PREFIX):]).reset_index(drop=True)
    if ctx.redact:
        metadata = _redact_metadata(metadata, redactions)
    records[R.METADATA] = _metadata_json(metadata)
    return CleanResult(records, pd.concat(rejects, ignore_index=True), redactions)


def _add_counts(total: dict[str, int], counts: dict) -> None:  # type: ignore[type-arg]
    for key, value in counts.items():
        total[str(key)] = total.get(str(key), 0) + int(value)


def _too_short(text: pd.Series, minimum: int) -> pd.Series:
    """Too little text: letters, digits and emoji count, punctuation and spaces don't.

    A Chinese character counts twice: "好" or "赞" alone is a whole review, "a" is not.
    """
    array = pc.fill_null(to_arrow(text), "")
    # Cheap first pass: `minimum` countable characters anywhere (RE2 stops at the first
    # match), so long texts are never rewritten; only the rest are counted exactly.
    enough = pc.match_substring_regex(
        array, pattern=r"(?:[^\pP\pZ\s][\pP\pZ\s]*){" + str(minimum) + "}"
    ).to_numpy(zero_copy_only=False)
    todo = np.flatnonzero(~enough)
    short = np.zeros(len(text), dtype=bool)
    if len(todo):
        rest = pc.replace_substring_regex(array.take(pa.array(todo)), pattern=r"[\pP\pZ\s]+",
                                          replacement="")
        lengths = (pc.utf8_length(rest).to_numpy(zero_copy_only=False)
                   + pc.count_substring_regex(rest, pattern=r"\p{Han}")
                   .to_numpy(zero_copy_only=False))
        short[todo] = lengths < minimum
    return pd.Series(short, index=text.index)


def _channels(frame: pd.DataFrame, ctx: SourceContext, fail) -> pd.Series:  # type: ignore[no-untyped-def]
    if ctx.channel is not None or M.F_CHANNEL not in frame:
        return pd.Series(ctx.channel or R.Channel.OTHER.value, index=frame.index, dtype=object)
    raw = frame[M.F_CHANNEL].astype("string").fillna("")
    lookup = {value: (found.value if (found := parse_channel(value)) else None)
              for value in raw.unique()}
    channel = raw.map(lookup)
    fail(channel.isna(), RejectReason.UNKNOWN_CHANNEL, M.F_CHANNEL,
         "unknown channel '" + raw.str.slice(0, 40) + "'")
    return channel.astype(object)


def _record_ids(frame: pd.DataFrame) -> pd.Series:
    if M.F_RECORD_ID not in frame:
        return pd.Series(None, index=frame.index, dtype="string")
    ids = frame[M.F_RECORD_ID].astype("string").str.strip()
    return ids.where(ids != "")


def _hash64(values: pd.Series, key: str) -> np.ndarray:
    array = values.astype(object).to_numpy()
    return pd.util.hash_array(array, hash_key=key, categorize=False)


def _hex(hashes: np.ndarray) -> list[str]:
    return [f"{value:016x}" for value in hashes.tolist()]


def _feedback_ids(record_ids: pd.Series, rows: pd.Series, ctx: SourceContext) -> list[str]:
    """Stable ids: hash(source, record id), or hash(source, file, row) without an id column."""
    by_row = f"{ctx.source}\x1f{ctx.source_file}\x1frow\x1f" + rows.astype("string")
    basis = (ctx.source + "\x1fid\x1f" + record_ids).fillna(by_row)
    return _hex(_hash64(basis, _ID_KEY))


def _customer_keys(frame: pd.DataFrame, salt: str) -> pd.Series:
    """Keyed hash (SipHash) of the customer id: links a customer's feedback, hides who it is."""
    if M.F_CUSTOMER not in frame:
        return pd.Series(None, index=frame.index, dtype=object)
    raw = frame[M.F_CUSTOMER].astype("string").str.strip().str.lower()
    raw = raw.where(raw != "")
    key = hashlib.sha256(salt.encode()).hexdigest()[:16]
    hashes = _hex(_hash64(raw.fillna(""), key))
    return pd.Series(hashes, index=frame.index, dtype=object).where(raw.notna())


def _redact_metadata(metadata: pd.DataFrame, redactions: dict[str, int]) -> pd.DataFrame:
    for column in metadata.columns:
        values = metadata[column]
        if values.dtype == object or pd.api.types.is_string_dtype(values.dtype):
            is_text = values.map(lambda v: isinstance(v, str))
            if is_text.any():
                redacted, counts = redact_series(values[is_text].astype("string"))
                _add_counts(redactions, counts)
                metadata.loc[is_text, column] = redacted.astype(object)
    return metadata


def _metadata_json(metadata: pd.DataFrame) -> pd.Series:
    """Extra columns as one JSON object per record (all-null records get no object)."""
    if metadata.empty or not len(metadata.columns):
        return pd.Series(None, index=metadata.index, dtype=object)
    frame = metadata.astype(object).where(metadata.notna(), None)
    lines = frame.to_json(orient="records", lines=True, force_ascii=False,
                          date_format="iso", default_handler=str)
    out = pd.Series(lines.splitlines(), index=metadata.index, dtype=object)
    return out.where(frame.notna().any(axis=1), None)


def _raw_rejects_frame(raw_rejects: list[RawReject], redact: bool,
                       channel: str | None) -> pd.DataFrame:
    rows = [{"source_row": r.row, "channel": channel, "field": r.field, "reason": r.reason.value,
             "detail": r.detail, "raw": redact_text(r.raw)[0] if redact and r.raw else r.raw}
            for r in raw_rejects]
    return pd.DataFrame(rows, columns=list(REJECT_COLUMNS))


def _empty_records() -> pd.DataFrame:
    return pd.DataFrame({column: pd.Series(dtype=object) for column in R.FEEDBACK_COLUMNS})
