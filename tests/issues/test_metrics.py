"""Issue metrics on a hand-made batch: volumes, negativity, flags, repeats, trend, scores."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from voc.issues.membership import IssueInputs
from voc.issues.metrics import IssueOptions, driver_table, issue_metrics, repeat_contacts


def inputs() -> IssueInputs:
    n = 40
    ids = [f"f{i:02d}" for i in range(n)]
    documents = pd.DataFrame({
        "feedback_id": ids, "channel": ["chat", "email"] * (n // 2),
        "lang": ["zh"] * 30 + ["en"] * 10,
        "customer_key": ["c1", "c1", "c2", "c3"] + [None] * (n - 4),
        "created_at": pd.to_datetime(["2026-10-01", "2026-10-20", "2026-10-02",
                                      "2026-10-03"] + ["2026-10-05"] * (n - 4)),
        "rating": [1.0] * 10 + [5.0] * 30, "nps": [np.nan] * n, "csat": [np.nan] * n,
        "quote": [f"text {i}" for i in range(n)], "score": [-0.5] * 10 + [0.5] * 30,
        "label": ["negative"] * 10 + ["positive"] * 30})
    members = pd.DataFrame({
        "feedback_id": ids[:10] + ids[10:14] + ids[:2],
        "issue_id": ["refund_return"] * 10 + ["zh-T0002"] * 4 + ["price_value"] * 2,
        "kind": ["category"] * 10 + ["topic"] * 4 + ["category"] * 2,
        "issue_label": ["refund_return"] * 10 + ["发票 / 合并"] * 4 + ["price_value"] * 2,
        "aspect_score": [-0.6] * 8 + [0.3] * 2 + [0.2] * 4 + [-0.4] * 2})
    flags = pd.DataFrame({"feedback_id": ["f00", "f00", "f01"],
                          "flag": ["legal", "churn", "legal"]})
    return IssueInputs(documents, members, flags)


LABELS = {"refund_return": ("Refund and return", "退款退货", "reliability"),
          "price_value": ("Price", "价格", "tangibles")}


def test_volume_negativity_flags_and_labels() -> None:
    table = issue_metrics(inputs(), LABELS, None, IssueOptions(min_volume=3)).set_index(
        "issue_id")
    assert set(table.index) == {"refund_return", "zh-T0002"}  # price_value: 2 < min_volume
    refund = table.loc["refund_return"]
    assert (refund["volume"], refund["negative"], refund["share"]) == (10, 8, 0.25)
    assert refund["negative_rate"] == pytest.approx(0.8)
    assert (refund["flag_legal"], refund["flag_churn"], refund["flag_safety"]) == (2, 1, 0)
    assert refund["label_zh"] == "退款退货" and refund["servqual"] == "reliability"
    assert refund["channels"] == '{"chat": 5, "email": 5}'
    topic = table.loc["zh-T0002"]
    assert topic["kind"] == "topic" and topic["label_en"] == "发票 / 合并"
    assert pd.isna(topic["servqual"]) and topic["negative"] == 0
    assert refund["trend"] == "new" and np.isnan(refund["share_p"])


def test_repeat_contacts_need_the_window_or_a_second_channel() -> None:
    documents = pd.DataFrame({
        "customer_key": pd.Series(["c1", "c1", "c2", "c2", "c3", "c4", "c4", "c5", "c5", None,
                                   None], dtype="string"),
        "created_at": pd.to_datetime(["2026-10-01", "2026-10-05", "2026-09-01", "2026-10-25",
                                      "2026-10-01", "2026-10-01", "2026-10-30", "2026-10-02",
                                      None, "2026-10-01", "2026-10-02"]),
        "channel": pd.Series(["call", "call", "chat", "chat", "email", "call", "email", "app",
                              "app", "call", "call"], dtype="string")})
    # issue a: c1, c2, c3 and the two records without a customer; issue b: c4; c: c5
    members = pd.DataFrame({"issue_id": ["a"] * 5 + ["b"] * 2 + ["c"] * 2 + ["a"] * 2,
                            "doc": [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]})
    found = repeat_contacts(documents, members.sample(frac=1, random_state=3), window_days=30)
    assert found.loc["a", "repeat_customers"] == 1  # c1 within 4 days; c2 54 days apart
    assert found.loc["a", "repeat_docs"] == 2  # records without a customer are nobody's
    assert found.loc["b", "repeat_customers"] == 1  # c4: same window and two channels
    assert found.loc["c", "repeat_docs"] == 2  # c5: a missing time cannot prove a long gap
    assert repeat_contacts(documents, members, window_days=60).loc["a", "repeat_customers"] == 2
    assert list(repeat_contacts(documents, members[members["issue_id"] == "a"].iloc[4:5],
                                window_days=30).index) == []  # one contact is no repeat


def test_trend_uses_two_proportion_tests_against_the_previous_batch() -> None:
    previous = pd.DataFrame({"issue_id": ["refund_return", "zh-T0002"], "volume": [2, 4],
                             "negative": [1, 0], "total_docs": [400, 40]})
    table = issue_metrics(inputs(), LABELS, previous, IssueOptions()).set_index("issue_id")
    refund = table.loc["refund_return"]
    assert refund["trend"] == "rising" and refund["share_p"] < 0.001
    assert refund["share_change"] == pytest.approx(0.25 - 2 / 400)
    assert table.loc["zh-T0002", "trend"] == "steady"  # 4/40 → 4/40


def test_key_drivers_use_the_score_most_records_carry() -> None:
    data = inputs()
    score, drivers = driver_table(data.documents, data.members)
    assert score == "rating"
    refund = drivers.set_index("issue").loc["refund_return"]
    assert refund["coefficient"] == pytest.approx(-4.0)  # its documents rate 1, the rest 5
