"""Sentiment clauses cut by Arrow over a chunk equal the per-text cuts, text for text."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.conftest import SHARED_DATA
from voc.sentiment.clause_split import CUT, clause_table
from voc.sentiment.scorer import LexiconScorer, sentiment_clauses

# Where the per-text regexes lean on lookarounds, Unicode classes or split rules.
TRICKY = [
    "菜很好吃，但是配送太慢了！下次不点了", "不但价格便宜而且质量好", "不不过", "不过不过",
    "但但是",
    "好 ，但是差", "好、，坏", "  但 是", "但", "。\n但是", "好!!", "…", "\n\n", "",
    "Food was great but delivery took 2 hours.", "x but but y", "I love the butter chicken",
    "ok, although fine", "great, yet slow", "x yetis", "ok,  however, no", "Nice BUT slow",
    "a.\nB", "x. Y", "x.\n\nY", "x. \nA", "x.!", "好, \nbut x", "Yes. 好。 No!  ok?? fine…yes",
    "@用户 很好", "@united terrible service", "see http://a.b/c?x=1 ok, www.x.cn/y 不错",
    "太差了\u3000但是客服好", "one;two；three，four,five", "   ", "ok\x1cbut no",
]


def _per_text(texts: list[str]) -> list[list[str]]:
    return [sentiment_clauses(text) for text in texts]


def _by_text(texts: list[str]) -> list[list[str]]:
    table = clause_table(texts)
    assert table is not None
    flat, owner = table
    out: list[list[str]] = [[] for _ in texts]
    for position, clause in zip(owner.tolist(), flat.to_pylist(), strict=True):
        out[position].append(clause)
    return out


def test_arrow_cuts_equal_the_per_text_cuts_on_tricky_texts() -> None:
    assert _by_text(TRICKY) == _per_text(TRICKY)
    assert _by_text(TRICKY)[0] == ["菜很好吃", "但是配送太慢了！", "下次不点了"]


def test_texts_holding_the_cut_character_take_the_per_text_path() -> None:
    texts = ["好评" + CUT + "但是慢", "fine"]
    assert clause_table(texts) is None
    scored = LexiconScorer().score(texts).clauses
    assert scored["text"].tolist() == [clause for clauses in _per_text(texts)
                                       for clause in clauses]


@pytest.mark.shared_data
@pytest.mark.skipif(not SHARED_DATA.is_dir(),
                    reason=f"public data sets not found at {SHARED_DATA}")
@pytest.mark.parametrize(("path", "column"), [
    ("waimai_10k/waimai_10k.csv", "review"),
    ("chnsenticorp_htl/ChnSentiCorp_htl_all.csv", "review"),
    ("online_shopping_10_cats/online_shopping_10_cats.csv", "review"),
    ("twitter_us_airline/Tweets.csv", "text"),
])
def test_arrow_cuts_equal_the_per_text_cuts_on_the_public_sets(path: str, column: str) -> None:
    texts = pd.read_csv(SHARED_DATA / path, dtype=str, keep_default_na=False)[column].tolist()
    assert _by_text(texts) == _per_text(texts)
