"""voc.sample.compose: sentences, slots, code-mixing and scores for one planned record."""

from __future__ import annotations

import re
from datetime import datetime
from random import Random

from voc.sample import pool_en
from voc.sample.batchplan import RecordPlan
from voc.sample.compose import (
    SLOT_NAMES,
    Slots,
    code_mix,
    compose,
    join,
    polarity,
    score,
)

WHEN = datetime(2026, 9, 15, 10, 30)


def _plan(kind: str, lang: str = "zh", source: str = "app_reviews", **flags) -> RecordPlan:
    return RecordPlan("2026-09", source, kind, lang, WHEN, "C123456", version="5.1.2", **flags)


def test_compose_slots_draw_every_name_once() -> None:
    slots = Slots(Random(1), _plan("delivery_delay", nth=2))
    values = {name: slots[name] for name in sorted(SLOT_NAMES)}
    assert all(values.values())
    assert values["order"].startswith("202609") and values["date"].startswith("9月")
    assert values["nth"] == "二" and values["times"] == "两"
    assert slots["order"] == values["order"]  # drawn once, then kept


def test_compose_issue_text_carries_the_issue() -> None:
    rng = Random(2)
    for _ in range(50):
        composed = compose(rng, _plan("parcel_locker_code"))
        assert "取件码" in "".join(composed.sentences) or "柜" in "".join(composed.sentences)


def test_compose_escalation_and_repeat_markers() -> None:
    rng = Random(3)
    escalated = compose(rng, _plan("double_charge", "en", escalate=True))
    assert any(s in pool_en.ESCALATION for s in escalated.sentences)
    repeat = compose(rng, _plan("hotline_unreachable", "en", source="calls", nth=3))
    templates = [re.escape(t).replace(r"\{nth\}", "third").replace(r"\{nth_cap\}", "Third")
                 .replace(r"\{n_times\}", "three times") for t in pool_en.REPEAT]
    assert any(re.fullmatch(t, repeat.sentences[0]) for t in templates)


def test_compose_contrast_lowercases_the_english_clause() -> None:
    rng = Random(4)
    for _ in range(30):
        first = compose(rng, _plan("damaged_item", "en", contrast=True)).sentences[0]
        prefix = next(p for p in pool_en.CONTRAST if first.startswith(p))
        rest = first[len(prefix):]
        assert rest[0].islower() or rest.startswith("I")


def test_compose_code_mix_spaces_adjacent_english_words() -> None:
    mixed, kinds = code_mix(["物流信息更新及时", "订单号是123"])
    assert mixed == ["tracking update及时", "order号是123"] and kinds == 3


def test_compose_join_punctuates_chinese_only() -> None:
    rng = Random(5)
    assert join(rng, ["Fine.", "Thanks!"], "en") == "Fine. Thanks!"
    text = join(rng, ["东西很好", "还会再买"], "zh")
    assert text.startswith("东西很好") and text[4] in "，。！"


def test_compose_scores_follow_content() -> None:
    rng = Random(6)
    issue, praise = _plan("refund_delay"), _plan("praise")
    assert polarity(issue) < 0 < polarity(praise)
    assert max(score(rng, issue, "nps") for _ in range(300)) <= 7
    assert min(score(rng, praise, "nps") for _ in range(300)) >= 8
    assert max(score(rng, issue, "stars") for _ in range(300)) <= 3
    assert min(score(rng, praise, "csat") for _ in range(300)) >= 4
