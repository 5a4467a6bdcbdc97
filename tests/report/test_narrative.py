"""voc.report.narrative: number formats and the sentences written from an issue's numbers."""

from __future__ import annotations

import math

import pandas as pd

from voc.report.i18n import Lang, Words
from voc.report.narrative import (
    driver_is_clear,
    issue_sentence,
    num,
    p_clause,
    p_text,
    pct,
    signed,
    trend_clause,
)

EN, ZH = Words(Lang.EN), Words(Lang.ZH)


def _issue(**changes: object) -> pd.Series:
    base = {"issue_id": "refund_return", "label_en": "Refund and return", "label_zh": "退款退货",
            "share": 0.112, "volume": 205, "negative_rate": 0.78, "trend": "steady",
            "share_p": 0.6, "share_change": 0.001, "driver_score": "nps",
            "driver_worth": 2.5, "driver_ci_low": -40.0, "driver_ci_high": -10.0,
            "flag_legal": 2, "flag_churn": 1, "flag_safety": 0, "flag_repeat_contact": 0}
    base.update(changes)
    return pd.Series(base)


def test_formats() -> None:
    assert pct(0.1234) == "12.3%" and pct(None) == "–" and pct(math.nan) == "–"
    assert num(1234567) == "1,234,567" and num(3.14159, 2) == "3.14"
    assert signed(0.5) == "+0.50" and signed(-1.234, 1) == "-1.2"
    assert p_text(0.0004) == "< 0.001" and p_text(0.04213) == "0.042"
    assert p_clause(0.0004) == "p < 0.001" and p_clause(0.2) == "p = 0.200"


def test_trend_is_named_only_when_significant() -> None:
    assert trend_clause(_issue(), EN) == ""  # p = 0.6: noise is not a trend
    rising = trend_clause(_issue(share_p=0.001, share_change=0.058), EN)
    assert "up 5.8 points" in rising
    assert "下降 2.0 个百分点" in trend_clause(_issue(share_p=0.01, share_change=-0.02), ZH)
    assert trend_clause(_issue(trend="new"), EN) == ", new this batch"


def test_driver_is_quoted_only_when_its_interval_excludes_zero() -> None:
    assert driver_is_clear(_issue())
    assert not driver_is_clear(_issue(driver_ci_low=-5.0, driver_ci_high=3.0))
    assert not driver_is_clear(_issue(driver_worth=math.nan))
    assert not driver_is_clear(_issue(driver_worth=-1.0, driver_ci_low=1.0, driver_ci_high=2.0))


def test_issue_sentence_restates_the_numbers() -> None:
    text = issue_sentence(_issue(), EN)
    assert text.startswith("Refund and return: 11.2% of records (205), 78% negative")
    assert "worth 2.50 NPS points" in text and "3 escalation flags" in text
    chinese = issue_sentence(_issue(driver_ci_high=4.0), ZH)
    assert chinese.startswith("退款退货：占记录 11.2%（205 条），负面率 78%")
    assert "NPS" not in chinese  # unclear driver effect: not quoted
