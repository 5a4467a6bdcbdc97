"""voc.sample.world: the planted issues and the shared vocabulary."""

from __future__ import annotations

import re

from voc.sample import pool_en, pool_zh
from voc.sample.world import CODE_MIX, ISSUES, PRODUCTS, pools


def test_world_issues_follow_the_plan() -> None:
    rates = {issue: spec.rates for issue, spec in ISSUES.items()}
    assert rates["delivery_delay"] == (0.12, 0.04)
    assert rates["app_login"][1] == 3 * rates["app_login"][0]
    assert rates["parcel_locker_code"] == (0.0, 0.05)
    assert [i for i, spec in ISSUES.items() if spec.emerging] == ["parcel_locker_code"]
    trends = {spec.trend for spec in ISSUES.values()}
    assert trends == {"fixed", "steady", "growing", "new"}


def test_world_pools_by_language() -> None:
    assert pools("zh") is pool_zh and pools("en") is pool_en
    assert set(pool_zh.ISSUE_CORE) == set(pool_en.ISSUE_CORE) == set(ISSUES)


def test_world_code_mix_swaps_chinese_for_english() -> None:
    for zh_word, en_word in CODE_MIX:
        assert all("\u4e00" <= ch <= "\u9fff" for ch in zh_word)
        assert re.search(r"[a-z]{2,}", en_word)
    # longer words first, so 物流信息 is not half-replaced by 物流
    words = [zh for zh, _ in CODE_MIX]
    assert words.index("物流信息") < words.index("物流")


def test_world_products_pair_up() -> None:
    assert len(PRODUCTS["zh"]) == len(PRODUCTS["en"]) >= 20
