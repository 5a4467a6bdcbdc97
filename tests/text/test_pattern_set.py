from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from voc.text.pattern_set import match_patterns
from voc.topics.taxonomy import load_taxonomy

TEXTS = ["退款三天了还没到账", "Refund please, REFUND!", "打12315投诉", "refunded", "",
         "物流信息8天没更新", "naïve café", "a\nb", "Ünïcödé refund ünïcode", "😀 退 款",
         "x" * 5000 + "refund"]


def arrow_matches(texts: list[str], patterns: list[str]) -> np.ndarray:
    array = pa.array(texts, pa.string())
    return np.column_stack([pc.match_substring_regex(array, pattern=pattern).to_numpy(
        zero_copy_only=False) for pattern in patterns])


def test_a_set_matches_as_arrows_kernel_pattern_by_pattern() -> None:
    patterns = [r"(?i)\brefund\b", "退款", r"(?i)\brefund\w*", r"\d{5}", r"ï", r"^a$",
                r"(?s)a.b", "物流信息[^，。]{0,8}没更新", r"(?i)ü"]
    got = match_patterns(TEXTS, patterns)
    assert got.shape == (len(TEXTS), len(patterns))
    assert np.array_equal(got, arrow_matches(TEXTS, patterns))
    assert got[1, 0] and not got[3, 0] and got[3, 2] and got[2, 3]


def test_the_taxonomy_set_matches_as_arrow_does() -> None:
    patterns = [category.pattern() for category in load_taxonomy().categories]
    texts = [*TEXTS, "客服态度很差，等了很久才回复", "The agent was rude and the delivery late",
             "app crashes on login", "发票一直开不出来"]
    got = match_patterns(texts, patterns)
    assert got.any()
    assert np.array_equal(got, arrow_matches(texts, patterns))


def test_missing_texts_and_no_patterns_match_nothing() -> None:
    got = match_patterns(["退款", None, float("nan"), "退款"], ["退款"])
    assert got[:, 0].tolist() == [True, False, False, True]
    assert match_patterns(TEXTS, []).shape == (len(TEXTS), 0)
    assert match_patterns([], ["x"]).shape == (0, 1)
