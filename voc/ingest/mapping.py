"""Map a source's own columns onto voc's fields, as voc.toml (or the CLI flags) say.

The result still holds raw values (strings as the file had them); clean.py validates and
converts them. A mapped column missing from the file rejects every row of that file with the
column's name, so the analyst sees at once which mapping is wrong and no row disappears.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from voc.config import SourceConfig
from voc.ingest.tabular import RawChunk
from voc.records import ROW

# Field names of a mapped chunk (before cleaning).
F_RECORD_ID = "record_id"
F_TIME = "time"
F_CUSTOMER = "customer"
F_TEXT = "text"
F_CHANNEL = "channel"
F_CONTEXT = "context"
F_RATING = "rating"
F_NPS = "nps"
F_CSAT = "csat"
META_PREFIX = "meta."

_SINGLE_FIELDS = {"id": F_RECORD_ID, "time": F_TIME, "customer": F_CUSTOMER,
                  "rating": F_RATING, "nps": F_NPS, "csat": F_CSAT}


@dataclass(frozen=True)
class ColumnMapping:
    """Source column names for each voc field; text may join several columns."""

    text: list[str]
    single: dict[str, str]  # voc field → source column
    channel_column: str | None = None
    context: str | None = None
    metadata: list[str] | None = None  # None: every unmapped column

    def used_columns(self) -> set[str]:
        used = set(self.text) | set(self.single.values())
        if self.channel_column:
            used.add(self.channel_column)
        if self.context:
            used.add(self.context)
        return used


@dataclass
class MappedChunk:
    frame: pd.DataFrame  # ROW, record_id, time, customer, text, channel?, context, scores, meta.*
    missing: list[str] = field(default_factory=list)  # mapped columns absent from the file
    columns: dict[str, str] = field(default_factory=dict)  # voc field → source column name


def build_mapping(source: SourceConfig, default: dict[str, str | list[str]] | None,
                  context_column: str | None) -> ColumnMapping:
    """The source's explicit mapping, falling back to the reader's implicit one (e-mail, chats)."""
    default = default or {}
    text = source.text or _as_list(default.get("text"))
    single = {}
    for key, name in _SINGLE_FIELDS.items():
        column = getattr(source, key) or default.get(key)
        if isinstance(column, str):
            single[name] = column
    channel_column = source.channel_column
    if channel_column is None and source.channel is None and "channel" in default:
        channel_column = str(default["channel"])
    return ColumnMapping(text=text, single=single, channel_column=channel_column,
                         context=context_column, metadata=source.metadata)


def _as_list(value: str | list[str] | None) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def map_chunk(chunk: RawChunk, mapping: ColumnMapping) -> MappedChunk:
    """Pick and rename the mapped columns; join text columns with a blank line."""
    raw = chunk.frame
    present = set(raw.columns)
    required = [*mapping.text, *mapping.single.values()]
    if mapping.channel_column:
        required.append(mapping.channel_column)
    missing = [column for column in required if column not in present]
    if not mapping.text:
        missing.append("<text>")
    out = pd.DataFrame({ROW: raw[ROW].astype("int64")}, index=raw.index)
    columns = {F_TEXT: "+".join(mapping.text), **mapping.single}
    if mapping.channel_column:
        columns[F_CHANNEL] = mapping.channel_column
    if missing:
        return MappedChunk(out, missing, columns)
    out[F_TEXT] = join_text_columns(raw, mapping.text)
    for name, column in mapping.single.items():
        out[name] = raw[column]
    if mapping.channel_column:
        out[F_CHANNEL] = raw[mapping.channel_column]
    out[F_CONTEXT] = raw[mapping.context] if mapping.context in present else None
    for column in _metadata_columns(raw, mapping):
        out[META_PREFIX + column] = raw[column]
    return MappedChunk(out, [], columns)


def join_text_columns(raw: pd.DataFrame, columns: list[str]) -> pd.Series:
    """Join non-empty values of the text columns with a blank line ("title\\n\\nbody")."""
    parts = [raw[column].astype("string").str.strip() for column in columns]
    joined = parts[0].where(parts[0] != "")
    for part in parts[1:]:
        part = part.where(part != "")
        both = joined.notna() & part.notna()
        joined = joined.where(part.isna(), part).where(~both, joined + "\n\n" + part)
    return joined


def _metadata_columns(raw: pd.DataFrame, mapping: ColumnMapping) -> list[str]:
    if mapping.metadata is not None:
        return [column for column in mapping.metadata if column in raw.columns]
    used = mapping.used_columns() | {ROW}
    return [column for column in raw.columns if column not in used]
