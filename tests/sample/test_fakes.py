"""voc.sample.fakes: made-up personal data has valid checksums; order numbers never do."""

from __future__ import annotations

import re
from datetime import date
from random import Random

from voc.sample import fakes


def test_fakes_resident_id_check_character_matches_the_standard() -> None:
    assert fakes.id_check_char("11010519491231002") == "X"  # GB 11643 worked example
    rng = Random(1)
    for _ in range(300):
        value = fakes.resident_id(rng)
        assert re.fullmatch(r"\d{17}[\dX]", value)
        assert fakes.id_check_char(value[:17]) == value[17]
        date(int(value[6:10]), int(value[10:12]), int(value[12:14]))  # a real birth date


def test_fakes_bank_cards_pass_luhn() -> None:
    assert fakes.passes_luhn("4111111111111111")
    assert not fakes.passes_luhn("4111111111111112")
    rng = Random(2)
    for lang, prefix, lengths in (("zh", "62", {16, 19}), ("en", "4", {16})):
        cards = [fakes.bank_card(rng, lang) for _ in range(200)]
        assert all(fakes.passes_luhn(c) and c.startswith(prefix) for c in cards)
        assert {len(c) for c in cards} == lengths


def test_fakes_order_and_tracking_numbers_fail_luhn() -> None:
    rng = Random(3)
    orders = [fakes.order_number(rng, date(2026, 9, 3)) for _ in range(500)]
    assert all(re.fullmatch(r"20260903\d{8}", o) for o in orders)
    assert not any(fakes.passes_luhn(o) for o in orders)
    tracking = [fakes.tracking_number(rng) for _ in range(200)]
    assert not any(fakes.passes_luhn(t[2:]) for t in tracking)


def test_fakes_phones_have_mainland_shapes() -> None:
    rng = Random(4)
    mobile = re.compile(r"(\+86 )?1[3-9]\d( ?\d{4} ?\d{4}|-\d{4}-\d{4})")
    assert all(mobile.fullmatch(fakes.mobile(rng, lang)) for lang in ("zh", "en") * 100)
    landline = re.compile(r"(\(0\d{2,3}\) |0\d{2,3}-)[2-8]\d{6,7}")
    assert all(landline.fullmatch(fakes.landline(rng)) for _ in range(100))


def test_fakes_people_have_matching_addresses() -> None:
    rng = Random(5)
    name, address = fakes.person(rng, "en")
    assert re.fullmatch(r"[A-Z][a-z]+ [A-Z][a-z]+", name)
    assert re.fullmatch(r"[a-z0-9.]+@(mail\.)?example\.(com|net|org)", address)
    name, address = fakes.person(rng, "zh")
    assert re.fullmatch(r"[\u4e00-\u9fff]{2,3}", name) and address.isascii()
