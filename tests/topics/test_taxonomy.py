from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from voc.errors import ConfigError
from voc.topics.taxonomy import Servqual, load_taxonomy, match_categories


def test_taxonomy_bundled_has_bilingual_categories_with_servqual() -> None:
    taxonomy = load_taxonomy()
    assert 25 <= len(taxonomy.categories) <= 35
    for category in taxonomy.categories:
        assert category.zh_keywords and category.en_keywords, category.id
        assert category.label_zh != category.label_en
        assert isinstance(category.servqual, Servqual)
    for needed in ("delivery_delay", "refund_return", "billing_error", "wait_time",
                   "unreachable", "staff_attitude", "product_quality", "app_website_bug",
                   "login_account", "price_value", "cancellation", "damaged_item",
                   "information_communication"):
        assert needed in taxonomy.ids


@pytest.mark.parametrize(("text", "expected"), [
    ("客服电话一直没人接，退款也没到账", {"unreachable", "refund_return"}),
    ("物流一直不更新，发货太慢", {"delivery_delay"}),
    ("Charged twice for one order!", {"billing_error"}),
    ("App crashes after the update, cannot log in", {"app_website_bug", "login_account"}),
    ("My flight was cancelled and my bags are lost", {"travel_disruption", "baggage",
                                                      "cancellation"}),
    ("服務態度很差".replace("務", "务").replace("態", "态"), {"staff_attitude"}),
    ("Thank you, lovely service", set()),
    ("快递柜取件码收不到", set()),  # an emerging issue: no category names it
    # a "*" keyword bridges the words customers put in between
    ("物流信息13天没更新了，一直停在武汉转运中心", {"delivery_delay"}),
    ("承诺9月12日送达，结果拖到现在", {"delivery_delay"}),
    # precision: a refund not yet received is not a late parcel; a broken app is not a
    # damaged item
    ("退款申请提交10天了，钱到现在还没到账", {"refund_return"}),
    ("The update broke login, it just says network error on wifi", {"login_account"}),
    ("收到的空气炸锅上有一道明显的裂痕", {"damaged_item"}),
])
def test_taxonomy_matches_zh_and_en_keywords(text: str, expected: set[str]) -> None:
    taxonomy = load_taxonomy()
    row = match_categories(pd.Series([text]), taxonomy)[0]
    assert {taxonomy.ids[i] for i in row.nonzero()[0]} == expected


def test_taxonomy_english_keywords_match_whole_words_only() -> None:
    taxonomy = load_taxonomy()
    rows = match_categories(pd.Series(["the rudeness was shocking", "so rude"]), taxonomy)
    column = taxonomy.ids.index("staff_attitude")
    assert rows[:, column].tolist() == [False, True]


def test_taxonomy_extra_file_adds_and_overrides(tmp_path: Path) -> None:
    extra = tmp_path / "team.yaml"
    extra.write_text("categories:\n"
                     "  - id: parcel_locker\n    en: Parcel locker\n    zh: 快递柜\n"
                     "    servqual: reliability\n"
                     "    keywords: {zh: [快递柜, 取件码], en: [locker]}\n"
                     "  - id: price_value\n    en: Price\n    zh: 价格\n    servqual: tangibles\n"
                     "    keywords: {zh: [太贵], en: [pricey]}\n", encoding="utf-8")
    taxonomy = load_taxonomy(extra=[extra])
    assert taxonomy.ids[-1] == "parcel_locker"
    assert taxonomy.get("price_value").en_keywords == ("pricey",)
    row = match_categories(pd.Series(["快递柜取件码收不到"]), taxonomy)[0]
    assert [taxonomy.ids[i] for i in row.nonzero()[0]] == ["parcel_locker"]


@pytest.mark.parametrize(("body", "message"), [
    ("categories:\n  - id: a\n    servqual: speed\n    keywords: {en: [x]}\n", "servqual must"),
    ("categories:\n  - id: a\n    servqual: empathy\n", "needs keywords"),
    ("categories:\n  - id: a\n    servqual: empathy\n    keywords: {en: [x]}\n"
     "  - id: a\n    servqual: empathy\n    keywords: {en: [y]}\n", "appears twice"),
    ("nothing: here\n", "expected a 'categories' list"),
])
def test_taxonomy_errors_name_file_and_category(tmp_path: Path, body: str, message: str) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ConfigError, match=message) as info:
        load_taxonomy(path)
    assert str(path) in str(info.value)


def test_taxonomy_chinese_gap_stays_inside_one_clause() -> None:
    from voc.topics.taxonomy import chinese_pattern

    pattern = re.compile(chinese_pattern("承诺*送达"))
    assert pattern.search("承诺三天内送达")
    assert not pattern.search("承诺送货，结果一直没送达")  # a comma ends the clause
    assert not pattern.search("承诺" + "很" * 9 + "送达")  # at most 8 characters between
    assert re.compile(chinese_pattern("退款")).search("退款") and chinese_pattern("a.b") == r"a\.b"
