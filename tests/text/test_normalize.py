from __future__ import annotations

import pandas as pd

from voc.text.normalize import has_han, normalize_text, to_simplified


def test_normalize_nfkc_whitespace_and_control_characters() -> None:
    texts = pd.Series(["ＡＢＣ１２３，  很好\r\n\r\n\r\n谢谢", "\ufeff zero\u200bwidth\x07 ",
                       "tab\t\tand\u3000ideographic space", None, "  "])
    assert normalize_text(texts).tolist()[:3] == [
        "ABC123, 很好\n\n谢谢", "zerowidth", "tab and ideographic space"]
    result = normalize_text(texts)
    assert pd.isna(result[3]) and result[4] == ""


def test_normalize_to_simplified_only_touches_chinese() -> None:
    texts = pd.Series(["服務態度很差，退貨還沒處理", "Service was 很慢", "plain english", None])
    assert to_simplified(texts).tolist()[:3] == [
        "服务态度很差，退货还没处理", "Service was 很慢", "plain english"]


def test_normalize_to_simplified_batch_equals_one_by_one() -> None:
    texts = pd.Series(["頭髮", "乾燥", "發票開錯了", "x"] * 50)
    joined = to_simplified(texts).tolist()
    single = [to_simplified(pd.Series([text])).iloc[0] for text in texts.tolist()]
    assert joined == single


def test_normalize_has_han() -> None:
    assert has_han(pd.Series(["abc", "a好", None])).tolist() == [False, True, False]
