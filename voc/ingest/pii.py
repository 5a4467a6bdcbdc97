"""Redact personal data in feedback text: e-mails, phone numbers, Chinese IDs, bank cards.

Feedback is written by strangers, so it is redacted before it is stored (DESIGN.md, "Untrusted
text"). Two compiled regexes find candidates (one for e-mail addresses, one for every
number-like shape) and a replacement callback validates each candidate (ID checksum and birth
date, Luhn, phone structure). The regexes can stay permissive; the callback keeps false
positives rare.

Input is expected to be NFKC-normalised (full-width digits and "＠" become ASCII). Digits are
matched as [0-9], never \\d, so digits of other scripts are never taken for numbers.

>>> redact_text("手机 138-1234-5678, mail a.b@example.com")[0]
'手机 [PHONE], mail [EMAIL]'
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from datetime import date
from enum import StrEnum
from functools import partial

import pandas as pd

__all__ = [
    "PLACEHOLDERS",
    "PiiType",
    "is_valid_resident_id",
    "passes_luhn",
    "redact_series",
    "redact_text",
]


class PiiType(StrEnum):
    EMAIL = "email"
    PHONE = "phone"
    ID_NUMBER = "id_number"
    BANK_CARD = "bank_card"


PLACEHOLDERS: dict[PiiType, str] = {
    PiiType.EMAIL: "[EMAIL]",
    PiiType.PHONE: "[PHONE]",
    PiiType.ID_NUMBER: "[ID]",
    PiiType.BANK_CARD: "[CARD]",
}

# --- e-mail ------------------------------------------------------------------------------
# ASCII only: a Chinese character right before the local part is not part of it. A domain
# needs at least one dot and a letters-only TLD, so "@united" handles and "support@" stay.
_EMAIL_RE = re.compile(
    r"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9._%+\-]+@(?:[A-Za-z0-9\-]+\.)+[A-Za-z]{2,24}"
)

# --- numbers -----------------------------------------------------------------------------
# Whole runs only: a candidate may not start or end inside a longer run of digits or letters
# (order ids, tracking codes like SF1234567890123), nor continue a decimal or hyphenated code.
_START = r"(?<![0-9A-Za-z])(?<![0-9][.\-])"
_END = r"(?![0-9A-Za-z])(?![.\-][0-9])"
# Card groups are separated by spaces, so a neighbouring space-separated group also counts as
# "the same run": 4-digit groups of a 24-digit grouped reference are never partly redacted.
_GROUP_START = r"(?<![0-9A-Za-z])(?<![0-9][ .\-])"
_GROUP_END = r"(?![0-9A-Za-z])(?![ .\-][0-9])"

_NUMBER_PATTERNS = (
    # Plain digit runs (IDs, cards, bare or 86-prefixed mobiles): classified by the callback,
    # which also decides what a run touching ASCII letters may be.
    r"(?<![0-9])(?<![0-9][.\-])(?P<run>[0-9]{17}[Xx]|[0-9]{11,19})(?![0-9])(?![.\-][0-9])",
    # Cards grouped by spaces or hyphens: 4-4-4-4(-1..4), or Amex-style 4-6-5.
    _GROUP_START
    + r"(?P<card>[0-9]{4}(?P<sep>[ \-])(?:[0-9]{6}(?P=sep)[0-9]{5}"
    r"|[0-9]{4}(?:(?P=sep)[0-9]{4}){1,2}(?:(?P=sep)[0-9]{1,4})?))"
    + _GROUP_END,
    # Mainland mobiles with a country prefix or grouped 3-4-4: 1[3-9]x xxxx xxxx.
    _START
    + r"(?P<mobile>(?:\(?(?:\+|00)86\)?[ \-]?|86[ \-])?"
    r"1[3-9][0-9](?:[0-9]{8}|-[0-9]{4}-[0-9]{4}| [0-9]{4} [0-9]{4}))"
    + _END,
    # Mainland landlines: area code 0xx(x) in parentheses or followed by a separator (a bare
    # 0-led run is too ambiguous), 7-8 digit local number, optional extension.
    _START
    + r"(?P<landline>(?:\(0[1-9][0-9]{1,2}\) ?|0[1-9][0-9]{1,2}[ \-])"
    r"[1-9][0-9]{2,3}[ \-]?[0-9]{4}(?:(?:-|转|分机| ?(?:ext\.?|x) ?)[0-9]{1,6})?)"
    + _END,
    # North American numbers with separators: (415) 555-0132, 415-555-0132, 1-415-555-0132.
    _START
    + r"(?P<nanp>(?:1[ .\-])?(?:\([2-9][0-9]{2}\) ?|[2-9][0-9]{2}[.\-])[2-9][0-9]{2}[.\-][0-9]{4})"
    + _END,
    # International numbers with "+": up to 8 groups of digits split by single separators (one
    # mandatory separator between groups keeps backtracking linear); the last group has 2+ digits.
    r"(?<![0-9A-Za-z+])(?P<intl>\+[1-9][0-9]{0,2}(?:[ .\-]?\([0-9]{1,4}\))?"
    r"[ .\-]?[0-9]{1,15}(?:[ .\-][0-9]{1,15}){0,6})(?<=[0-9]{2})"
    + _END,
)
# Every candidate starts with a digit, "+" or "(": the leading lookahead lets the engine skip
# other positions without trying each alternative there (about 7x faster on plain text).
_NUMBER_RE = re.compile("(?=[0-9+(])(?:" + "|".join(_NUMBER_PATTERNS) + ")")

# Texts without a digit or "@" cannot hold PII: they skip both regexes.
_PREFILTER_RE = re.compile(r"[0-9@]")
_NON_DIGIT_RE = re.compile(r"[^0-9]")
_ASCII_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")

# A number the writer labelled as an order, tracking or ticket number is that number, whatever
# checksum it happens to pass (1 in 10 random digit runs passes Luhn): leave it alone.
_LABEL_RE = re.compile(
    r"(?:(?:订单|运单|快递单|物流单|包裹|交易|流水|退款单?|工单|发票)(?:编号|号码|号)?|单号"
    r"|(?:order|tracking|waybill|shipment|invoice|transaction|ticket|case|ref(?:erence)?)"
    r"(?:\s*(?:no\.?|number|num|id|code|#))?)\s*[:：#]?\s*$",
    re.IGNORECASE,
)
_LABEL_WINDOW = 24  # characters before a number searched for a label

# Company hotlines are not personal data: China's 400/800 service numbers (400-820-8820) and
# North American toll-free prefixes are left as they are.
_HOTLINE_PREFIXES = frozenset({"400", "800", "833", "844", "855", "866", "877", "888"})

# Bank-card issuer prefixes (2-series Mastercard, Amex/JCB/Diners, Visa, Mastercard/Maestro,
# UnionPay/Discover, old domestic 9xxx cards). Runs led by 0, 1, 7, 8, 20, 21, 28, 29 are not:
# this keeps date-led order ids (2026101012345678) and ms timestamps out even when Luhn-valid.
_CARD_PREFIX_RE = re.compile(r"2[2-7]|[3-69]")

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK_CHARS = "10X98765432"  # GB 11643: check character for (weighted sum % 11)


def is_valid_resident_id(value: str) -> bool:
    """True for an 18-character Chinese resident ID with a valid GB 11643 check character and
    a real birth date in 1900-2099.

    >>> is_valid_resident_id("11010519491231002X")
    True
    """
    if len(value) != 18 or not (value[:17].isascii() and value[:17].isdigit()):
        return False
    total = sum(int(ch) * weight for ch, weight in zip(value, _ID_WEIGHTS, strict=False))
    return value[17].upper() == _ID_CHECK_CHARS[total % 11] and _is_birth_date(value[6:14])


def _is_birth_date(yyyymmdd: str) -> bool:
    year, month, day = int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:])
    if not 1900 <= year <= 2099:
        return False
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def passes_luhn(digits: str) -> bool:
    """True if an ASCII digit string passes the Luhn checksum used by bank cards.

    >>> passes_luhn("4111111111111111"), passes_luhn("4111111111111112")
    (True, False)
    """
    if not digits or not (digits.isascii() and digits.isdigit()):
        return False
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = ord(char) - 48
        if position % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def _is_card(digits: str) -> bool:
    return (
        13 <= len(digits) <= 19
        and _CARD_PREFIX_RE.match(digits) is not None
        and passes_luhn(digits)
    )


def _is_mobile(digits: str) -> bool:
    return len(digits) == 11 and digits[0] == "1" and digits[1] in "3456789"


def _is_hotline(digits: str) -> bool:
    national = digits
    if len(digits) == 12 and digits.startswith("86"):
        national = digits[2:]
    elif len(digits) == 11 and digits.startswith("1"):
        national = digits[1:]
    return len(national) == 10 and national[:3] in _HOTLINE_PREFIXES


def _classify_run(run: str, touches_letter: bool) -> PiiType | None:
    # IDs and cards before phones: a checksum-valid ID is never read as a phone.
    if len(run) == 18 and is_valid_resident_id(run):
        return PiiType.ID_NUMBER
    # Letters glued to a run make it a code (SF1234567890123, JD...): only an ID or a mobile is
    # distinctive enough to redact there ("Tel13812345678", "wx13812345678").
    if touches_letter:
        return PiiType.PHONE if _is_mobile(run) else None
    if _is_card(run):
        return PiiType.BANK_CARD
    # 86/0086-prefixed mobiles cannot be cards: no issuer prefix starts with 0 or 8.
    if _is_mobile(run) or _is_mobile(run.removeprefix("0086").removeprefix("86")):
        return PiiType.PHONE
    # 15-digit legacy IDs are not redacted: a date check alone passes too many order numbers.
    return None


def _classify(group: str | None, found: str, match: re.Match[str]) -> PiiType | None:
    if group == "mobile" or group == "landline":
        return PiiType.PHONE
    if group == "nanp" or group == "intl":
        digits = _NON_DIGIT_RE.sub("", found)
        return PiiType.PHONE if 8 <= len(digits) <= 15 and not _is_hotline(digits) else None
    if group == "run":
        text, start, end = match.string, match.start(), match.end()
        # Slices, not indexes: at either end of the text they are "" (not a letter).
        touches = text[start - 1 : start] in _ASCII_LETTERS or text[end : end + 1] in _ASCII_LETTERS
        kind = _classify_run(found, touches)
    else:
        kind = PiiType.BANK_CARD if _is_card(_NON_DIGIT_RE.sub("", found)) else None
    if kind is not None and _is_labelled(match.string, match.start()):
        return None
    return kind


def _is_labelled(text: str, start: int) -> bool:
    return _LABEL_RE.search(text, max(0, start - _LABEL_WINDOW), start) is not None


def _split_trailing_groups(found: str) -> tuple[str, str]:
    # "+44 20 7946 0958 10 times": once 11+ digits precede it, a space-separated trailing group
    # is another number, not part of the phone; it stays in the text.
    head, tail = found, ""
    while (cut := head.rfind(" ")) > 0 and len(_NON_DIGIT_RE.sub("", head[:cut])) >= 11:
        head, tail = head[:cut], head[cut:] + tail
    return head, tail


def _replace_number(counts: Counter[PiiType], match: re.Match[str]) -> str:
    group, found, tail = match.lastgroup, match.group(), ""
    if group == "intl":
        found, tail = _split_trailing_groups(found)
    kind = _classify(group, found, match)
    if kind is None:
        return match.group()
    counts[kind] += 1
    return PLACEHOLDERS[kind] + tail


def _redact(text: str, counts: Counter[PiiType], replace: Callable[[re.Match[str]], str]) -> str:
    # E-mails first, so a phone-like local part (13812345678@163.com) goes with its address.
    if "@" in text:
        text, found = _EMAIL_RE.subn(PLACEHOLDERS[PiiType.EMAIL], text)
        counts[PiiType.EMAIL] += found
    return _NUMBER_RE.sub(replace, text)


def _as_dict(counts: Counter[PiiType]) -> dict[PiiType, int]:
    return {kind: counts[kind] for kind in PiiType if counts[kind]}


def redact_text(text: str) -> tuple[str, dict[PiiType, int]]:
    """Replace PII in one text with placeholders; return the text and counts by type found.

    >>> redact_text("call +1 (415) 555-0132 or 400-820-8820")
    ('call [PHONE] or 400-820-8820', {<PiiType.PHONE: 'phone'>: 1})
    """
    if _PREFILTER_RE.search(text) is None:
        return text, {}
    counts: Counter[PiiType] = Counter()
    return _redact(text, counts, partial(_replace_number, counts)), _as_dict(counts)


def redact_series(texts: pd.Series) -> tuple[pd.Series, dict[PiiType, int]]:
    """Redact every text of a Series; same index and dtype, missing values left as they are.

    Returns the redacted Series and the counts by type over the whole Series.

    >>> out, counts = redact_series(pd.Series(["ok", None, "邮箱 a@b.cn"], dtype=object))
    >>> out.tolist(), counts
    (['ok', None, '邮箱 [EMAIL]'], {<PiiType.EMAIL: 'email'>: 1})
    """
    counts: Counter[PiiType] = Counter()
    replace = partial(_replace_number, counts)
    search = _PREFILTER_RE.search
    values = texts.to_numpy(dtype=object)
    # Cheap pre-filter: most feedback holds no digit and no "@" and never reaches the regexes.
    positions = [i for i, text in enumerate(values) if isinstance(text, str) and search(text)]
    result = texts.copy()
    if positions:
        result.iloc[positions] = [_redact(values[i], counts, replace) for i in positions]
    return result, _as_dict(counts)
