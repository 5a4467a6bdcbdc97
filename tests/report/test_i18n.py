"""voc.report.i18n: every word exists in both languages with the same placeholders."""

from __future__ import annotations

import re

import pandas as pd

from voc.report.i18n import _TEXT, Lang, Words, keys

PLACEHOLDER = re.compile(r"{(\w+)}")
HAN = re.compile(r"[\u4e00-\u9fff]")


def test_every_key_has_both_languages_with_the_same_placeholders() -> None:
    for key, (en, zh) in _TEXT.items():
        assert en.strip() and zh.strip(), key
        assert set(PLACEHOLDER.findall(en)) == set(PLACEHOLDER.findall(zh)), key
        assert not HAN.search(en), key  # English text has no Chinese in it


def test_section_titles_are_chinese_in_chinese() -> None:
    words = Words(Lang.ZH)
    for key in (k for k in keys() if k.startswith("s_")):
        assert HAN.search(words(key)), key


def test_values_fill_placeholders() -> None:
    assert Words(Lang.EN)("title", batch="2026-10").endswith("2026-10")
    assert "2026-10" in Words(Lang.ZH)("title", batch="2026-10")


def test_channels_metrics_and_labels_fall_back_gracefully() -> None:
    zh = Words(Lang.ZH)
    assert zh.channel("call") == "电话" and zh.channel("fax") == "fax"
    assert zh.metric("complaint_share") == "投诉占比" and zh.metric("odd") == "odd"
    issue = pd.Series({"issue_id": "zh-T0003", "label_en": "退款申请", "label_zh": "退款申请"})
    assert zh.issue_label(issue) == "退款申请"
    bare = pd.Series({"issue_id": "x", "label_en": None, "label_zh": ""})
    assert Words(Lang.EN).issue_label(bare) == "x"


def test_language_codes_read_as_words() -> None:
    assert Words(Lang.ZH).language("zh") == "中文" and Words(Lang.EN).language("mixed") == \
        "mixed zh/en"
    assert Words(Lang.EN).language("xx") == "xx"
