from __future__ import annotations

import json

import pandas as pd

from voc.topics.lineage import keyword_similarity, link_topics, next_stable_numbers


def _kw(*words: str) -> str:
    return json.dumps([[word, 1.0 / (rank + 1)] for rank, word in enumerate(words)])


def test_lineage_keyword_similarity() -> None:
    assert abs(keyword_similarity(_kw("a", "b"), _kw("a", "b")) - 1.0) < 1e-9
    assert keyword_similarity(_kw("a", "b"), _kw("c", "d")) == 0.0


def test_lineage_continuing_new_and_vanished_topics() -> None:
    previous = pd.DataFrame({
        "topic_id": ["zh-00", "zh-01", "en-00"], "lang": ["zh", "zh", "en"],
        "keywords": [_kw("退款", "到账", "钱"), _kw("配送", "慢", "快递"), _kw("bag", "lost")],
        "stable_id": ["zh-T0001", "zh-T0002", "en-T0001"]})
    current = pd.DataFrame({
        "topic_id": ["zh-00", "zh-01", "en-00"], "lang": ["zh", "zh", "en"],
        # the refund topic moved to position 1 and a new locker topic appeared
        "keywords": [_kw("取件码", "快递柜", "收不到"), _kw("退款", "钱", "到账", "申请"),
                     _kw("lost", "bag", "claim")]})
    numbers = next_stable_numbers(previous["stable_id"])
    lineage = link_topics(current, previous, numbers).set_index(["lang", "status"])
    assert lineage.loc[("zh", "continuing"), "stable_id"] == "zh-T0001"
    assert lineage.loc[("zh", "continuing"), "topic_id"] == "zh-01"
    assert lineage.loc[("zh", "new"), "stable_id"] == "zh-T0003"
    assert lineage.loc[("zh", "vanished"), "stable_id"] == "zh-T0002"
    assert lineage.loc[("en", "continuing"), "stable_id"] == "en-T0001"


def test_lineage_first_batch_numbers_every_topic() -> None:
    current = pd.DataFrame({"topic_id": ["en-00", "en-01"], "lang": ["en", "en"],
                            "keywords": [_kw("a"), _kw("b")]})
    lineage = link_topics(current, pd.DataFrame(), {})
    assert lineage["stable_id"].tolist() == ["en-T0001", "en-T0002"]
    assert set(lineage["status"]) == {"new"}


def test_lineage_rerun_keeps_the_ids_of_its_own_new_topics() -> None:
    previous = pd.DataFrame({"topic_id": ["zh-00"], "lang": ["zh"],
                             "keywords": [_kw("退款", "到账", "钱")], "stable_id": ["zh-T0001"]})
    # the batch's last run: refunds continued, the locker topic was new as zh-T0007
    earlier_run = pd.DataFrame({
        "topic_id": ["zh-00", "zh-01"], "lang": ["zh", "zh"],
        "keywords": [_kw("退款", "钱", "到账"), _kw("取件码", "快递柜", "收不到")],
        "stable_id": ["zh-T0001", "zh-T0007"], "status": ["continuing", "new"]})
    current = pd.DataFrame({
        "topic_id": ["zh-00", "zh-01", "zh-02"], "lang": ["zh"] * 3,
        "keywords": [_kw("快递柜", "取件码", "过期"), _kw("退款", "到账", "钱"),
                     _kw("发票", "开票", "抬头")]})
    used = pd.concat([previous["stable_id"], earlier_run["stable_id"]])
    lineage = link_topics(current, previous, next_stable_numbers(used),
                          earlier_run=earlier_run).set_index("topic_id")
    assert lineage.loc["zh-01", "stable_id"] == "zh-T0001"  # continues from last month
    assert lineage.loc["zh-00", "stable_id"] == "zh-T0007"  # keeps its id from the last run
    assert lineage.loc["zh-00", "status"] == "new"
    assert lineage.loc["zh-02", "stable_id"] == "zh-T0008"  # fresh, above every id in use
