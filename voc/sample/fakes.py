"""Made-up identifiers for the sample: phones, IDs, cards, order numbers, names, e-mail addresses.

Personal data is random digits wrapped in the right shape and checksum, so PII redaction can be
tested on it; it never belongs to a real person. Order and tracking numbers are built to FAIL
the Luhn check, so they stay what they are (negatives a redactor must leave alone).
"""

from __future__ import annotations

import string
from datetime import date, datetime
from random import Random

from voc.sample.world import (
    FIRST_NAMES,
    GIVEN_NAMES,
    LAST_NAMES,
    MAIL_DOMAINS,
    NICK_HEADS,
    NICK_TAILS,
    SURNAMES,
)

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_REGIONS = ("110101", "310104", "440305", "330106", "510107", "420102", "320102", "610113")
_AREA_CODES = ("021", "010", "020", "0755", "0571", "028", "027", "025")
_MOBILE_PREFIXES = ("135", "136", "138", "139", "150", "158", "177", "186", "188", "199")
_ALNUM = string.ascii_letters + string.digits


def luhn_check_digit(body: str) -> str:
    """The digit that makes `body + digit` pass the Luhn check."""
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:  # doubled: these sit left of the check digit at odd distances
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return str((10 - total % 10) % 10)


def passes_luhn(number: str) -> bool:
    """True if the digit string passes the Luhn check."""
    return luhn_check_digit(number[:-1]) == number[-1]


def id_check_char(first17: str) -> str:
    """GB 11643 check character of an 18-character resident ID."""
    total = sum(int(ch) * w for ch, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def digits(rng: Random, n: int) -> str:
    return "".join(rng.choice(string.digits) for _ in range(n))


def resident_id(rng: Random) -> str:
    born = date(rng.randint(1960, 2003), rng.randint(1, 12), rng.randint(1, 28))
    first17 = f"{rng.choice(_REGIONS)}{born:%Y%m%d}{digits(rng, 3)}"
    return first17 + id_check_char(first17)


def bank_card(rng: Random, lang: str) -> str:
    """UnionPay (62…, 16 or 19 digits) for zh, Visa-like (4…, 16 digits) for en; Luhn-valid."""
    body = "62" + digits(rng, rng.choice((13, 16))) if lang == "zh" else "4" + digits(rng, 14)
    return body + luhn_check_digit(body)


def mobile(rng: Random, lang: str) -> str:
    number = rng.choice(_MOBILE_PREFIXES) + digits(rng, 8)
    style = rng.randrange(4) if lang == "zh" else 3
    if style == 1:
        return f"{number[:3]}-{number[3:7]}-{number[7:]}"
    if style == 2:
        return f"{number[:3]} {number[3:7]} {number[7:]}"
    if style == 3:
        return f"+86 {number[:3]} {number[3:7]} {number[7:]}"
    return number


def landline(rng: Random) -> str:
    area = rng.choice(_AREA_CODES)
    local = str(rng.randint(2, 8)) + digits(rng, 7 if len(area) == 3 else 6)
    return f"({area}) {local}" if rng.random() < 0.3 else f"{area}-{local}"


def non_luhn(body: str) -> str:
    """Append a final digit chosen so the number does NOT pass Luhn."""
    good = int(luhn_check_digit(body))
    return body + str((good + 1 + (len(body) % 9)) % 10)


def order_number(rng: Random, day: date | datetime) -> str:
    """16 digits: the order date and 8 more, never Luhn-valid."""
    return non_luhn(f"{day:%Y%m%d}{digits(rng, 7)}")


def tracking_number(rng: Random) -> str:
    return "MP" + non_luhn(digits(rng, 11))


def ticket_number(rng: Random) -> str:
    return "TK" + digits(rng, 8)


def token(rng: Random, n: int) -> str:
    return "".join(rng.choice(_ALNUM) for _ in range(n))


def zh_person(rng: Random) -> tuple[str, str]:
    """A Chinese name and its pinyin e-mail local part."""
    (s, s_py), (g, g_py) = rng.choice(SURNAMES), rng.choice(GIVEN_NAMES)
    if rng.random() < 0.4:
        (g2, g2_py) = rng.choice(GIVEN_NAMES)
        g, g_py = g + g2, g_py + g2_py
    local = f"{g_py}.{s_py}" if rng.random() < 0.5 else f"{s_py}{g_py}{rng.randint(1, 99)}"
    return s + g, local


def en_person(rng: Random) -> tuple[str, str]:
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    dotted = rng.random() < 0.5
    local = f"{first}.{last}" if dotted else f"{first[0]}{last}{rng.randint(1, 99)}"
    return f"{first} {last}", local.lower()


def person(rng: Random, lang: str) -> tuple[str, str]:
    """(display name, e-mail address) of a made-up customer."""
    name, local = zh_person(rng) if lang == "zh" else en_person(rng)
    return name, f"{local}@{rng.choice(MAIL_DOMAINS)}"


def weibo_nick(rng: Random) -> str:
    return f"{rng.choice(NICK_HEADS)}{rng.choice(NICK_TAILS)}{rng.randint(0, 999)}"


def twitter_handle(rng: Random) -> str:
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    return f"{first.lower()}_{last[:3].lower()}{rng.randint(1, 999)}"


def amount(rng: Random, lang: str) -> str:
    if lang == "zh":
        yuan = rng.choice((39, 59, 89, 129, 199, 299, 399, 599, 899, 1299, 2499))
        return rng.choice((f"￥{yuan}", f"{yuan}元", f"￥{yuan}.{rng.randint(10, 99)}"))
    return f"${rng.choice((12, 19, 29, 45, 59, 89, 129, 249, 399))}.{rng.randint(10, 99)}"
