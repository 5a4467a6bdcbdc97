"""Chat and call transcripts (JSON / JSONL conversations) → one raw row per conversation.

The customer's turns become the feedback text; agent, bot and unlabelled turns are kept aside as
context, so an agent's apology is never scored as the customer's voice. Accepted shapes:

- a JSON array of conversations, or an object holding one under "conversations"/"data"/"records";
- JSONL, one conversation per line;
- JSON or JSONL turn-level rows (one utterance per row with a conversation id, speaker and
  text), grouped into conversations in order of first appearance.

Times stay raw strings; the mapping step parses them.

>>> classify_speaker("客服小王"), classify_speaker("Caller"), classify_speaker("spk_0")
('agent', 'customer', 'unknown')
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from voc.errors import InputError
from voc.records import ROW

# --- raw columns this reader produces, and how they map onto the unified record -------------
CONVERSATION_ID = "conversation_id"
STARTED_AT = "started_at"
CUSTOMER_ID = "customer_id"
CHANNEL_FIELD = "channel"
CUSTOMER_TEXT = "customer_text"
CONTEXT_COLUMN = "agent_text"
N_TURNS = "n_turns"
N_CUSTOMER_TURNS = "n_customer_turns"
N_UNKNOWN_TURNS = "n_unknown_turns"  # turns whose speaker is neither customer nor agent
TRANSCRIPT_COLUMNS: tuple[str, ...] = (
    CONVERSATION_ID, STARTED_AT, CUSTOMER_ID, CHANNEL_FIELD, CUSTOMER_TEXT, CONTEXT_COLUMN,
    N_TURNS, N_CUSTOMER_TURNS, N_UNKNOWN_TURNS,
)

TRANSCRIPT_MAPPING: dict[str, str | list[str]] = {
    "id": CONVERSATION_ID,
    "time": STARTED_AT,
    "customer": CUSTOMER_ID,
    "text": [CUSTOMER_TEXT],
}

# --- where things live in a conversation / a turn (first key present wins) --------------------
_CONTAINER_KEYS = ("conversations", "data", "records")
_TURNS_KEYS = ("turns", "messages", "utterances", "dialogue", "dialog", "transcript")
_SPEAKER_KEYS = ("speaker", "role", "from", "party", "sender", "speaker_role", "participant")
_TEXT_KEYS = ("text", "content", "message", "utterance", "transcript", "body")
_CONVERSATION_ID_KEYS = ("conversation_id", "id", "session_id", "call_id", "chat_id")
# A turn row's own "id" is the utterance's id, so rows are grouped by the explicit keys only.
_ROW_GROUP_KEYS = ("conversation_id", "session_id", "call_id", "chat_id", "dialogue_id",
                   "thread_id")
_START_KEYS = ("started_at", "start_time", "created_at", "timestamp", "time", "date")
_CUSTOMER_KEYS = ("customer_id", "customer", "user_id", "caller", "phone", "member_id")
_TURN_TIME_KEYS = ("timestamp", "time", "ts", "start_time", "created_at", "start", "offset")
_TURN_INDEX_KEYS = ("turn_index", "turn", "turn_no", "turn_number", "seq", "sequence", "index",
                    "position", "order")

# --- speakers ---------------------------------------------------------------------------------
CUSTOMER, AGENT, UNKNOWN = "customer", "agent", "unknown"
# Checked first: "customer service" and "客户经理" are staff, not customers.
_AGENT_LABEL = re.compile(
    r"(?:customer[ _-]?(?:service|support|care|success)|agent|staff|csr|rep(?:resentative)?"
    r"|advisor|adviser|operator|bot|chatbot|system|assistant|support|ai"
    r"|客服|坐席|座席|工作人员|机器人|智能|系统|客户(?:服务|经理|代表|专员)|人工|商家|卖家)(?![a-z])",
    re.IGNORECASE,
)
_CUSTOMER_LABEL = re.compile(
    r"(?:customer|client|user|caller|consumer|member|visitor|buyer|guest"
    r"|客户|用户|顾客|来电人|来电者|访客|买家|会员)(?![a-z])",
    re.IGNORECASE,
)
_LABEL_PUNCT = " \t:：[]【】()（）<>"


@lru_cache(maxsize=4096)
def classify_speaker(label: str) -> str:
    """'customer', 'agent' or 'unknown' for a speaker label (any case, prefixes like "客服小王")."""
    name = label.strip(_LABEL_PUNCT)
    if _AGENT_LABEL.match(name):
        return AGENT
    if _CUSTOMER_LABEL.match(name):
        return CUSTOMER
    return UNKNOWN


# --- small field helpers ----------------------------------------------------------------------
@lru_cache(maxsize=4096)
def _resolve(present: tuple[str, ...], keys: tuple[str, ...]) -> str | None:
    """Which of `keys` a record with these keys uses: exact names first, then any letter case.

    Cached on the record's key tuple: an export repeats a handful of shapes millions of times.
    """
    names = set(present)
    for key in keys:
        if key in names:
            return key
    lowered = {name.lower(): name for name in present}
    for key in keys:
        if key in lowered:
            return lowered[key]
    return None


def _pick(record: dict[str, Any], keys: tuple[str, ...]) -> tuple[str, Any] | None:
    """The (key, value) of the first of `keys` the record has, or None if absent or empty."""
    key = _resolve(tuple(record), keys)
    if key is None:
        return None
    value = record[key]
    if value is None or value == "":  # empty: try the keys after it ({"conversation_id": null})
        rest = keys[keys.index(key.lower()) + 1:]
        return _pick(record, rest) if rest else None
    return key, value


def _scalar(value: Any) -> str | None:
    """A JSON scalar as the string a raw column holds (booleans as "true"/"false")."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


_SCALAR_TYPES = frozenset({str, int, float, bool, type(None)})


def _is_scalar(value: Any) -> bool:
    return type(value) in _SCALAR_TYPES  # exact types: json.loads makes no subclasses


def _id_of(value: Any) -> str | None:
    """An id that may come as an object ({"id": ..., "name": ...})."""
    if isinstance(value, dict):
        found = _pick(value, ("id", "customer_id", "user_id", "phone"))
        return _scalar(found[1]) if found else None
    return _scalar(value) if _is_scalar(value) else None


def _turns_of(record: dict[str, Any]) -> list[Any] | None:
    key = _resolve(tuple(record), _TURNS_KEYS)
    value = record[key] if key is not None else None
    if isinstance(value, list) and all(isinstance(turn, dict) for turn in value[:5]):
        return value
    return None


def _speaker_of(turn: dict[str, Any]) -> str | None:
    found = _pick(turn, _SPEAKER_KEYS)
    if found is None:
        return None
    value = found[1]
    if type(value) is str:  # the usual case, checked first: this runs for every turn
        return value
    if isinstance(value, dict):  # {"from": {"role": "agent", "name": "Li"}}
        inner = _pick(value, ("role", "type", "name", "id"))
        value = inner[1] if inner else None
    return _scalar(value) if _is_scalar(value) else None


def _text_of(turn: dict[str, Any]) -> str:
    found = _pick(turn, _TEXT_KEYS)
    if found is None:
        return ""
    value = found[1]
    if type(value) is str:
        return value.strip()
    if isinstance(value, list):  # content parts: [{"type": "text", "text": "..."}]
        value = " ".join(_text_of(part) if isinstance(part, dict) else str(part)
                         for part in value)
    elif isinstance(value, dict):
        value = _text_of(value)
    return str(value).strip()


# --- conversations → rows ---------------------------------------------------------------------
def _turn_row_parts(turns: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """Split turns into the customer's words and the context; count them."""
    customer: list[str] = []
    context: list[str] = []
    n_turns = n_unknown = 0
    for turn in turns:
        text = _text_of(turn)
        if not text:
            continue
        n_turns += 1
        speaker = _speaker_of(turn)
        role = classify_speaker(speaker) if speaker else UNKNOWN
        if role == CUSTOMER:
            customer.append(text)
            continue
        if role == UNKNOWN:
            n_unknown += 1
        context.append(f"{(speaker or UNKNOWN).strip()}: {text}")
    return {
        CUSTOMER_TEXT: "\n".join(customer),
        CONTEXT_COLUMN: "\n".join(context) or None,
        N_TURNS: n_turns,
        N_CUSTOMER_TURNS: len(customer),
        N_UNKNOWN_TURNS: n_unknown,
    }


def _first_turn_time(turns: Sequence[dict[str, Any]]) -> str | None:
    for turn in turns:
        found = _pick(turn, _TURN_TIME_KEYS)
        if found is not None and _is_scalar(found[1]):
            return _scalar(found[1])
    return None


_CONVERSATION_FIELDS = (
    (CONVERSATION_ID, _CONVERSATION_ID_KEYS),
    (STARTED_AT, _START_KEYS),
    (CUSTOMER_ID, _CUSTOMER_KEYS),
    (CHANNEL_FIELD, (CHANNEL_FIELD,)),
)


def _conversation_row(record: dict[str, Any], turns: list[dict[str, Any]],
                      row: int) -> dict[str, Any]:
    """One conversation object → a row; its other top-level scalars become extra columns."""
    used: set[str] = set()
    values: dict[str, str | None] = {}
    for column, keys in _CONVERSATION_FIELDS:
        found = _pick(record, keys)
        values[column] = _id_of(found[1]) if found else None
        if found and values[column] is not None:
            used.add(found[0])
    if values[STARTED_AT] is None:
        values[STARTED_AT] = _first_turn_time(turns)
    out: dict[str, Any] = {**values, **_turn_row_parts(turns)}
    for key, value in record.items():
        if key not in used and key not in out and key != ROW and _is_scalar(value):
            out[key] = _scalar(value)
    out[ROW] = row
    return out


# Only zero-padded forms sort correctly as text ("09:59" < "10:00"; "9:59" would not).
_ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}|\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?$")


def _sort_key(value: Any) -> float | str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        text = value.strip()
        try:
            return float(text)
        except ValueError:
            return text if _ISO_TIME.match(text) else None
    return None


def _ordered(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Turn rows in spoken order: by a turn index, else a sortable timestamp, else file order."""
    for keys in (_TURN_INDEX_KEYS, _TURN_TIME_KEYS):
        found = [_pick(row, keys) for row in rows]
        if any(f is None for f in found):
            continue
        sort_keys = [_sort_key(f[1]) for f in found if f is not None]
        if all(k is not None for k in sort_keys) and len({type(k) for k in sort_keys}) == 1:
            order = sorted(range(len(rows)), key=lambda i: sort_keys[i])  # type: ignore[arg-type,return-value]  # stable
            return [rows[i] for i in order]
    return rows


def _shared_fields(rows: list[dict[str, Any]], turn_keys: set[str]) -> dict[str, Any]:
    """Scalar fields with one value across a conversation's rows (absent rows ignored)."""
    shared: dict[str, Any] = {}
    varying: set[str] = set(turn_keys)
    for row in rows:
        for key, value in row.items():
            if key in varying or not _is_scalar(value) or value is None:
                continue
            if key in shared and shared[key] != value:
                varying.add(key)
                del shared[key]
            else:
                shared[key] = value
    return shared


def _per_turn_keys(rows: list[dict[str, Any]]) -> set[str]:
    """Keys that describe a single utterance, never the conversation (its own "id" too)."""
    keys = {"id"}
    for shape in {tuple(row) for row in rows}:
        for names in (_SPEAKER_KEYS, _TEXT_KEYS, _TURN_TIME_KEYS, _TURN_INDEX_KEYS):
            key = _resolve(shape, names)
            if key is not None:
                keys.add(key)
    return keys


def _group_turn_rows(entries: list[tuple[int, dict[str, Any]]]
                     ) -> tuple[list[dict[str, Any]], list[tuple[int, str]]]:
    """Turn-level rows → one row per conversation, in order of first appearance."""
    groups: dict[str, tuple[int, list[dict[str, Any]]]] = {}
    bad: list[tuple[int, str]] = []
    for line, record in entries:
        found = _pick(record, _ROW_GROUP_KEYS)
        if found is None or not _is_scalar(found[1]):
            bad.append((line, "turn row without a conversation id"))
            continue
        groups.setdefault(str(found[1]), (line, []))[1].append(record)
    rows = []
    for conversation_id, (first_line, records) in groups.items():
        turns = _ordered(records)
        conversation = _shared_fields(turns, _per_turn_keys(turns))
        group_key = _pick(turns[0], _ROW_GROUP_KEYS)
        if group_key is not None:
            conversation.pop(group_key[0], None)
        row = _conversation_row(conversation, turns, first_line)
        row[CONVERSATION_ID] = conversation_id
        rows.append(row)
    return rows, bad


def _looks_like_turn_row(record: dict[str, Any]) -> bool:
    return (_pick(record, _ROW_GROUP_KEYS) is not None and _speaker_of(record) is not None
            and bool(_text_of(record)))


def looks_like_transcript(records: list[dict[str, Any]]) -> bool:
    """True when records are conversations with a turns list, or turn-level rows carrying a
    conversation id, a speaker and text (with at least one known customer/agent label).

    >>> looks_like_transcript([{"id": 1, "turns": [{"speaker": "user", "text": "hi"}]}])
    True
    >>> looks_like_transcript([{"id": 1, "text": "great app", "rating": 5}])
    False
    """
    sample = [r for r in records[:50] if isinstance(r, dict)]
    if not sample:
        return False
    with_turns = sum(1 for r in sample if _turns_of(r))
    if with_turns * 2 >= len(sample):
        return True
    turn_rows = [r for r in sample if _looks_like_turn_row(r)]
    known = any(classify_speaker(_speaker_of(r) or "") != UNKNOWN for r in turn_rows)
    return known and len(turn_rows) * 2 >= len(sample)


# --- files → entries --------------------------------------------------------------------------
def _decode(data: bytes, path: Path) -> str:
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    for encoding in ("utf-8", "gb18030"):  # Windows tools in China still write GBK
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError(path, "not UTF-8 or GB18030 text")


def _document_entries(document: Any, path: Path
                      ) -> tuple[list[tuple[int, dict[str, Any]]], list[tuple[int, str]]]:
    if isinstance(document, dict):
        if _turns_of(document) is None:
            for key in _CONTAINER_KEYS:
                if isinstance(document.get(key), list):
                    document = document[key]
                    break
        if isinstance(document, dict):
            return [(1, document)], []
    if not isinstance(document, list):
        raise InputError(path, "expected a JSON array or object of conversations")
    entries, bad = [], []
    for position, item in enumerate(document, 1):
        if isinstance(item, dict):
            entries.append((position, item))
        else:
            bad.append((position, f"expected a JSON object, got {type(item).__name__}"))
    return entries, bad


def _jsonl_entries(text: str) -> tuple[list[tuple[int, dict[str, Any]]], list[tuple[int, str]]]:
    entries, bad = [], []
    # split on "\n" only: str.splitlines would also break on U+2028 inside JSON strings
    for number, line in enumerate(text.split("\n"), 1):
        line = line.strip()
        if not line:
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            bad.append((number, f"invalid JSON: {exc.msg} (column {exc.colno})"))
            continue
        if isinstance(item, dict):
            entries.append((number, item))
        else:
            bad.append((number, f"expected a JSON object, got {type(item).__name__}"))
    return entries, bad


def _entries(text: str, path: Path
             ) -> tuple[list[tuple[int, dict[str, Any]]], list[tuple[int, str]]]:
    start = text.lstrip()[:1]
    if start in ("[", "{"):
        try:
            document = json.loads(text)
        except json.JSONDecodeError as exc:
            if start == "[":
                raise InputError(path, f"not valid JSON: {exc.msg}", row=exc.lineno) from exc
        else:
            return _document_entries(document, path)
    return _jsonl_entries(text)


# --- public API -------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class TranscriptRead:
    """A transcript file read: one row per conversation, plus the lines that were not JSON."""

    frame: pd.DataFrame
    bad_lines: list[tuple[int, str]]  # (1-based line number or array position, error)


def _frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    extras = list(dict.fromkeys(k for row in rows for k in row if k not in TRANSCRIPT_COLUMNS
                                and k != ROW))
    frame = pd.DataFrame(rows, columns=[*TRANSCRIPT_COLUMNS, *extras, ROW])
    for column in (N_TURNS, N_CUSTOMER_TURNS, N_UNKNOWN_TURNS, ROW):
        frame[column] = frame[column].astype("int64")
    return frame


def read_transcripts(path: Path) -> TranscriptRead:
    """Read a JSON/JSONL transcript file into one row per conversation.

    Columns: TRANSCRIPT_COLUMNS, the conversation's other top-level scalar fields as strings,
    and ROW (array position, or the JSONL line of the conversation's first row). Lines that are
    not JSON objects are returned in `bad_lines` instead of failing the file.

    >>> read_transcripts(Path("chats.jsonl")).frame[["conversation_id", "customer_text"]]
    ... # doctest: +SKIP
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(path, f"cannot read transcript file: {exc.strerror or exc}") from exc
    entries, bad = _entries(_decode(data, path), path)
    records = [record for _, record in entries]
    if any(_turns_of(record) is not None for record in records):
        rows = [_conversation_row(record, _dict_turns(record), line) for line, record in entries]
    elif not records:
        rows = []
    elif looks_like_transcript(records):
        rows, ungrouped = _group_turn_rows(entries)
        bad = sorted(bad + ungrouped)
    else:
        raise InputError(path, "no conversations found: expected a turns/messages list per "
                               "conversation, or rows with a conversation id, speaker and text")
    return TranscriptRead(frame=_frame(rows), bad_lines=bad)


def _dict_turns(record: dict[str, Any]) -> list[dict[str, Any]]:
    return [turn for turn in _turns_of(record) or [] if isinstance(turn, dict)]
