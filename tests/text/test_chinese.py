from __future__ import annotations

from pathlib import Path

import pytest

from voc.errors import ConfigError
from voc.text.chinese import ChineseSegmenter, Segmenter, read_user_dictionary

SERVICE_TEXTS = [
    "客服电话一直没人接，打了三次都打不通",
    "发货慢，物流一直不更新，退款也没到账",
    "快递柜取件码收不到，验证码也收不到",
    "App更新后闪退，登录不上",
    "菜很好吃，但是配送太慢了",
    "服务态度差，客服爱答不理，投诉也没人管",
]


@pytest.mark.parametrize("segmenter", list(Segmenter))
def test_chinese_bundled_dictionary_keeps_service_terms_whole(segmenter: Segmenter) -> None:
    tokens = ChineseSegmenter(segmenter).cut_many(SERVICE_TEXTS)
    flat = {token for doc in tokens for token in doc}
    for term in ("客服电话", "没人接", "打不通", "发货慢", "退款", "没到账", "取件码",
                 "验证码", "闪退", "登录不上", "爱答不理"):
        assert term in flat, (segmenter, term)


def test_chinese_rjieba_and_jieba_agree_on_service_text() -> None:
    fast = ChineseSegmenter(Segmenter.RJIEBA).cut_many(SERVICE_TEXTS)
    slow = ChineseSegmenter(Segmenter.JIEBA).cut_many(SERVICE_TEXTS)
    assert fast == slow


def test_chinese_user_dictionary_from_config_takes_effect(tmp_path: Path) -> None:
    text = ["会员日满减券领不到"]
    before = ChineseSegmenter().cut_many(text)[0]
    assert "满减券" not in before
    user = tmp_path / "mine.txt"
    user.write_text("# team terms\n满减券 3000 n\n领不到\n", encoding="utf-8")
    after = ChineseSegmenter(user_dictionaries=[user]).cut_many(text)[0]
    assert "满减券" in after and "领不到" in after


def test_chinese_cut_many_equals_one_by_one() -> None:
    segmenter = ChineseSegmenter()
    texts = [*SERVICE_TEXTS, "", "多行\n文本", "  空格  "]
    one_by_one = [[t for t in segmenter.cut_one(text.replace("\n", " ")) if not t.isspace()]
                  for text in texts]
    assert segmenter.cut_many(texts) == one_by_one


def test_chinese_bad_user_dictionary_names_file_and_line(tmp_path: Path) -> None:
    user = tmp_path / "bad.txt"
    user.write_text("好词 high\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="line 1: frequency"):
        read_user_dictionary(user)
    with pytest.raises(ConfigError, match="not found"):
        read_user_dictionary(tmp_path / "absent.txt")


def test_words_only_drops_exactly_the_tokens_without_a_letter_or_digit() -> None:
    segmenter = ChineseSegmenter()
    texts = ["退款！！三天了？？客服电话没人接……", "好评 👍 5星", "", "——", "iPhone12_pro到了"]
    every = segmenter.cut_many(texts)
    words = segmenter.cut_many(texts, words_only=True)
    assert words == [[t for t in doc if any(c.isalnum() for c in t)] for doc in every]
    assert "5" in words[1] and "！" not in words[0] and words[3] == []
