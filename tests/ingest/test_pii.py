"""Tests for voc.ingest.pii: what is redacted, what survives, counts, Series handling.

ID and card numbers are generated here with checksum helpers written independently of the
module (GB 11643 weights as 2**k mod 11; Luhn via digit sums), never copied from real people.
"""

from __future__ import annotations

import random

import numpy as np
import pandas as pd
import pytest

from voc.ingest.pii import (
    PLACEHOLDERS,
    PiiType,
    is_valid_resident_id,
    passes_luhn,
    redact_series,
    redact_text,
)


# --- checksum helpers used to build fixtures ----------------------------------------------
def make_id(area: str = "110105", birth: str = "19880214", seq: str = "123") -> str:
    """An 18-character resident ID with a correct GB 11643 check character."""
    body = area + birth + seq
    total = sum(int(digit) * (2 ** (17 - i) % 11) for i, digit in enumerate(body))
    return body + "10X98765432"[total % 11]


def make_id_ending_in_x() -> str:
    return next(
        candidate
        for seq in (f"{n:03d}" for n in range(1000))
        if (candidate := make_id(area="320102", birth="20010709", seq=seq)).endswith("X")
    )


def _luhn_sum(digits: str) -> int:
    # Double every second digit from the right and add the digits of the products.
    return sum(
        sum(map(int, str(int(d) * (2 if i % 2 else 1)))) for i, d in enumerate(reversed(digits))
    )


def make_card(prefix: str, length: int, seed: int = 0) -> str:
    """A digit string of the given length and prefix that passes Luhn."""
    rng = random.Random(seed)
    body = prefix + "".join(rng.choice("0123456789") for _ in range(length - len(prefix) - 1))
    return next(body + d for d in "0123456789" if _luhn_sum(body + d) % 10 == 0)


def break_luhn(card: str) -> str:
    return card[:-1] + str((int(card[-1]) + 1) % 10)


def group(digits: str, sizes: tuple[int, ...], sep: str = " ") -> str:
    parts, at = [], 0
    for size in sizes:
        parts.append(digits[at : at + size])
        at += size
    return sep.join(parts)


ID = make_id()
ID_X = make_id_ending_in_x()
VISA = make_card("4", 16, seed=1)
MASTER = make_card("5", 16, seed=2)
UNIONPAY = make_card("6222", 19, seed=3)
AMEX = make_card("37", 15, seed=4)
DATE_LED = make_card("2026", 16, seed=5)  # Luhn-valid but led by a year: an order id
MS_TIMESTAMP = make_card("16963", 13, seed=6)  # Luhn-valid, led by 1: not a card

POSITIVES = [
    ("我的邮箱是 zhang.san@example.com 谢谢", "我的邮箱是 [EMAIL] 谢谢"),
    ("mail me: john.doe+vip@mail.example.co.uk.", "mail me: [EMAIL]."),
    ("邮箱13812345678@163.com", "邮箱[EMAIL]"),
    ("Contact J_Smith-99@sub.domain.io, thanks", "Contact [EMAIL], thanks"),
    ("电话13812345678", "电话[PHONE]"),
    ("手机：138-1234-5678。", "手机：[PHONE]。"),
    ("call 139 1234 5678 please", "call [PHONE] please"),
    ("+86 13912345678", "[PHONE]"),
    ("微信同号+8615012345678", "微信同号[PHONE]"),
    ("0086-18612345678", "[PHONE]"),
    ("8617712345678 打不通", "[PHONE] 打不通"),
    ("(+86)13812345678", "[PHONE]"),
    ("Tel13812345678", "Tel[PHONE]"),
    ("13812345678,13912345678", "[PHONE],[PHONE]"),
    ("座机010-12345678", "座机[PHONE]"),
    ("0755-1234567 找王经理", "[PHONE] 找王经理"),
    ("(021)12345678", "[PHONE]"),
    ("010-12345678转8001", "[PHONE]"),
    ("+1 (415) 555-0132", "[PHONE]"),
    ("ring +44 20 7946 0958 10 times", "ring [PHONE] 10 times"),
    ("call 415-555-0132 after 5pm", "call [PHONE] after 5pm"),
    ("(415) 555-0132", "[PHONE]"),
    (f"身份证号：{ID}", "身份证号：[ID]"),
    (f"ID {ID_X} rejected", "ID [ID] rejected"),
    (f"id:{ID_X.lower()} 实名失败", "id:[ID] 实名失败"),
    (f"卡号{VISA}被扣两次", "卡号[CARD]被扣两次"),
    (f"card {group(UNIONPAY, (4, 4, 4, 4, 3))} charged twice", "card [CARD] charged twice"),
    (f"{group(MASTER, (4, 4, 4, 4), '-')}", "[CARD]"),
    (f"Amex {group(AMEX, (4, 6, 5))}.", "Amex [CARD]."),
    (f"银行卡 {UNIONPAY} 退款没到", "银行卡 [CARD] 退款没到"),
]

NEGATIVES = [
    "订单号 2026101012345678 还没发货",
    "order #A123456789 never arrived",
    "order id 12345678901234567890 is wrong",
    "代码 1234567890123456789012",
    f"编码00{VISA}0000",  # a valid card inside a 22-digit run
    "参考 00138123456789",  # a mobile inside a longer run
    "SF1234567890123 顺丰",
    "YT1234567890123",
    f"物流 JD{VISA}",  # letters glued to a card-like run: a tracking code
    "2026-10-03 到货",
    "2026/10/03 14:30",
    "20261003",
    "2026年10月3日",
    "¥1299.00",
    "$1,299.99 is too much",
    "1299元",
    "买了3件只到了2件",
    "50% off, +5% tax",
    "v3.2.1 crashes; iOS 17.4.1",
    "UA 1234 delayed",
    "since 2019, open 9:00-18:00",
    "SKU-20391-B",
    "192.168.100.200",
    "pi is 3.14159265358979",
    f"身份证 {ID[:17]}{'1' if ID[17] != '1' else '2'}",  # wrong check character
    f"身份证 {make_id(birth='19900230')}",  # right checksum, no such date
    "旧身份证 110105880214123",  # 15-digit legacy IDs are left alone
    f"卡号{break_luhn(VISA)}",
    f"{group(break_luhn(UNIONPAY), (4, 4, 4, 4, 3))}",
    "12345678901 不是手机",
    "25812345678",
    "热线 400-820-8820",
    "800-820-8820",
    "call 1-800-555-0199 or +1 800 555 0199",
    "support@ is useless",
    "@united lost my bag",
    "thanks me@united",
    f"tracking number {VISA}",
    f"订单号：{UNIONPAY}",
    f"快递单号{ID}",
    f"订单 {DATE_LED}",
    f"{DATE_LED}",
    f"{MS_TIMESTAMP}",
    f"{group(VISA, (4, 4, 4, 4))} 1234 5678",  # 24 grouped digits: not partly redacted
]


@pytest.mark.parametrize(("text", "expected"), POSITIVES)
def test_pii_redacts_positive(text: str, expected: str) -> None:
    assert redact_text(text)[0] == expected


@pytest.mark.parametrize("text", NEGATIVES)
def test_pii_leaves_negative(text: str) -> None:
    assert redact_text(text) == (text, {})


def test_pii_fixture_checksums_are_what_they_claim() -> None:
    assert all(_luhn_sum(card) % 10 == 0 for card in (VISA, MASTER, UNIONPAY, AMEX, DATE_LED))
    assert ID_X.endswith("X")
    assert len(POSITIVES) >= 25 and len(NEGATIVES) >= 25


def test_pii_counts_by_type() -> None:
    text = (
        f"张先生 13812345678 / zhang@example.com，身份证 {ID}，"
        f"卡 {group(UNIONPAY, (4, 4, 4, 4, 3))}，备用 +1 (415) 555-0132，订单号 {VISA}"
    )
    redacted, counts = redact_text(text)
    assert redacted == (
        f"张先生 [PHONE] / [EMAIL]，身份证 [ID]，卡 [CARD]，备用 [PHONE]，订单号 {VISA}"
    )
    assert counts == {
        PiiType.EMAIL: 1,
        PiiType.PHONE: 2,
        PiiType.ID_NUMBER: 1,
        PiiType.BANK_CARD: 1,
    }


def test_pii_counts_only_types_found() -> None:
    assert redact_text("邮箱 a@b.cn 和 c@d.com") == ("邮箱 [EMAIL] 和 [EMAIL]", {PiiType.EMAIL: 2})
    assert redact_text("no pii here, 3 items") == ("no pii here, 3 items", {})
    assert redact_text("") == ("", {})


def test_pii_id_wins_over_phone_and_card() -> None:
    # The ID's digits start like a mobile: it is still one ID, not a phone plus leftovers.
    mobile_led = make_id(area="138123", birth="19900101", seq="456")
    assert redact_text(f"证件{mobile_led}") == ("证件[ID]", {PiiType.ID_NUMBER: 1})


def test_pii_placeholders_cover_every_type() -> None:
    assert PLACEHOLDERS == {
        PiiType.EMAIL: "[EMAIL]",
        PiiType.PHONE: "[PHONE]",
        PiiType.ID_NUMBER: "[ID]",
        PiiType.BANK_CARD: "[CARD]",
    }


def test_pii_series_keeps_index_and_missing_values() -> None:
    texts = pd.Series(
        ["电话 13812345678", None, np.nan, "fine", f"a@b.com {VISA}", 42],
        index=[10, 20, 30, 40, 50, 60],
        dtype=object,
    )
    original = texts.copy()
    redacted, counts = redact_series(texts)
    assert redacted.index.tolist() == [10, 20, 30, 40, 50, 60]
    assert redacted[10] == "电话 [PHONE]"
    assert redacted[20] is None
    assert isinstance(redacted[30], float) and np.isnan(redacted[30])
    assert redacted[40] == "fine"
    assert redacted[50] == "[EMAIL] [CARD]"
    assert redacted[60] == 42
    assert counts == {PiiType.EMAIL: 1, PiiType.PHONE: 1, PiiType.BANK_CARD: 1}
    pd.testing.assert_series_equal(texts, original)  # input untouched


def test_pii_series_string_dtype_and_empty() -> None:
    texts = pd.Series(["手机138-1234-5678", None, "ok"], dtype="string", name="text")
    redacted, counts = redact_series(texts)
    assert redacted.dtype == texts.dtype and redacted.name == "text"
    assert redacted.tolist() == ["手机[PHONE]", pd.NA, "ok"]
    assert counts == {PiiType.PHONE: 1}
    empty, empty_counts = redact_series(pd.Series([], dtype=object))
    assert empty.empty and empty_counts == {}


def test_pii_series_matches_redact_text() -> None:
    texts = [text for text, _ in POSITIVES] + NEGATIVES
    redacted, counts = redact_series(pd.Series(texts))
    assert redacted.tolist() == [redact_text(text)[0] for text in texts]
    assert sum(counts.values()) == sum(sum(redact_text(t)[1].values()) for t in texts)


@pytest.mark.parametrize(
    "value",
    [ID, ID_X, ID_X.lower(), make_id(birth="20000229"), make_id(birth="19000101", seq="001")],
)
def test_pii_resident_id_valid(value: str) -> None:
    assert is_valid_resident_id(value)


@pytest.mark.parametrize(
    "value",
    [
        ID[:17] + ("0" if ID[17] != "0" else "1"),  # wrong check character
        make_id(birth="19000229"),  # 1900 was not a leap year
        make_id(birth="18991231"),  # before 1900
        make_id(birth="19881301"),  # month 13
        ID[:17],  # too short
        ID + "1",  # too long
        "11010519880214X23X",  # letter inside
        "１" + ID[1:],  # full-width digit
    ],
)
def test_pii_resident_id_invalid(value: str) -> None:
    assert not is_valid_resident_id(value)


def test_pii_luhn() -> None:
    assert passes_luhn("79927398713")  # the textbook example
    assert all(passes_luhn(card) for card in (VISA, MASTER, UNIONPAY, AMEX))
    assert not any(passes_luhn(break_luhn(card)) for card in (VISA, MASTER, UNIONPAY, AMEX))
    assert not passes_luhn("")
    assert not passes_luhn("4111 1111 1111 1111")
    assert not passes_luhn("４１１１１１１１１１１１１１１１")
