"""The unified feedback record: column names, channels and languages, defined once.

Every stage and the store refer to these constants instead of spelling column names.
"""

from __future__ import annotations

from enum import StrEnum

# --- columns of the unified feedback table -------------------------------------------------
FEEDBACK_ID = "feedback_id"  # stable: hash of source name + source record id (or row)
BATCH = "batch"
CHANNEL = "channel"
SOURCE = "source"  # source name from voc.toml (or the file name for one-off ingests)
SOURCE_FILE = "source_file"  # file name as given (relative to the config folder when possible)
SOURCE_ROW = "source_row"  # spreadsheet-style row: header is row 1, first record row 2
SOURCE_RECORD_ID = "source_record_id"  # the id column's value, if the source has one
CUSTOMER_KEY = "customer_key"  # salted hash of the customer id, never the raw id
CREATED_AT = "created_at"  # UTC, naive timestamp
TEXT = "text"  # customer's words: NFKC, PII redacted, original script (used for quotes)
ANALYSIS_TEXT = "analysis_text"  # TEXT with traditional Chinese converted to simplified
LANG = "lang"
RATING = "rating"  # star rating, 1-5
NPS = "nps"  # 0-10
CSAT = "csat"  # 1-5
DUPLICATE_OF = "duplicate_of"  # feedback_id of the first record; NULL for accepted records
DUPLICATE_KIND = "duplicate_kind"  # "exact" or "near"
CONTEXT = "context"  # agent turns of a chat/call, kept aside, not scored as customer voice
METADATA = "metadata"  # JSON object of the source's extra columns

FEEDBACK_COLUMNS: tuple[str, ...] = (
    FEEDBACK_ID,
    BATCH,
    CHANNEL,
    SOURCE,
    SOURCE_FILE,
    SOURCE_ROW,
    SOURCE_RECORD_ID,
    CUSTOMER_KEY,
    CREATED_AT,
    TEXT,
    ANALYSIS_TEXT,
    LANG,
    RATING,
    NPS,
    CSAT,
    DUPLICATE_OF,
    DUPLICATE_KIND,
    CONTEXT,
    METADATA,
)

# Columns a reader produces before mapping: the source row number travels with every raw row.
ROW = "__row__"

# --- score ranges ----------------------------------------------------------------------------
SCORE_RANGES: dict[str, tuple[float, float]] = {RATING: (1, 5), NPS: (0, 10), CSAT: (1, 5)}


class Channel(StrEnum):
    """Feedback channels voc knows. Sources name one of these (or an alias below)."""

    CALL = "call"
    CHAT = "chat"
    EMAIL = "email"
    APP_REVIEW = "app_review"
    REVIEW = "review"  # e-commerce / OTA / delivery-platform product or service reviews
    SOCIAL = "social"
    SURVEY = "survey"
    WEB_FORM = "web_form"
    OTHER = "other"


CHANNEL_ALIASES: dict[str, Channel] = {
    "phone": Channel.CALL,
    "voice": Channel.CALL,
    "hotline": Channel.CALL,
    "call_center": Channel.CALL,
    "callcenter": Channel.CALL,
    "电话": Channel.CALL,
    "呼叫中心": Channel.CALL,
    "live_chat": Channel.CHAT,
    "livechat": Channel.CHAT,
    "im": Channel.CHAT,
    "在线客服": Channel.CHAT,
    "聊天": Channel.CHAT,
    "e-mail": Channel.EMAIL,
    "mail": Channel.EMAIL,
    "邮件": Channel.EMAIL,
    "app": Channel.APP_REVIEW,
    "app_store": Channel.APP_REVIEW,
    "appstore": Channel.APP_REVIEW,
    "google_play": Channel.APP_REVIEW,
    "应用商店": Channel.APP_REVIEW,
    "reviews": Channel.REVIEW,
    "product_review": Channel.REVIEW,
    "评价": Channel.REVIEW,
    "twitter": Channel.SOCIAL,
    "tweet": Channel.SOCIAL,
    "weibo": Channel.SOCIAL,
    "微博": Channel.SOCIAL,
    "social_media": Channel.SOCIAL,
    "社交媒体": Channel.SOCIAL,
    "nps": Channel.SURVEY,
    "csat": Channel.SURVEY,
    "questionnaire": Channel.SURVEY,
    "问卷": Channel.SURVEY,
    "调研": Channel.SURVEY,
    "form": Channel.WEB_FORM,
    "webform": Channel.WEB_FORM,
    "web": Channel.WEB_FORM,
    "表单": Channel.WEB_FORM,
}


def parse_channel(value: str) -> Channel | None:
    """Map a channel name or alias (any case, spaces or hyphens) to a Channel, or None.

    >>> parse_channel("App Store")
    <Channel.APP_REVIEW: 'app_review'>
    """
    key = value.strip().lower().replace(" ", "_")
    if not key:
        return None
    try:
        return Channel(key)
    except ValueError:
        pass
    return CHANNEL_ALIASES.get(key) or CHANNEL_ALIASES.get(key.replace("-", "_"))


class Lang(StrEnum):
    ZH = "zh"
    EN = "en"
    MIXED = "mixed"  # substantial Chinese and English in one record
    OTHER = "other"  # another language, or no letters at all (emoji, digits)


class RejectReason(StrEnum):
    """Why a source row was not accepted. Stored with file, row and field."""

    EMPTY_TEXT = "empty_text"
    BAD_DATE = "bad_date"
    BAD_SCORE = "bad_score"
    MISSING_COLUMN = "missing_column"
    UNDECODABLE = "undecodable_bytes"
    MALFORMED_ROW = "malformed_row"
    UNKNOWN_CHANNEL = "unknown_channel"
    UNREADABLE_FILE = "unreadable_file"
