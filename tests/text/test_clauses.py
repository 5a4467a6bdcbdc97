from __future__ import annotations

import pytest

from voc.text.clauses import clause_table, split_clauses


@pytest.mark.parametrize(("text", "clauses"), [
    ("菜很好吃，但是配送太慢了！下次不点了", ["菜很好吃", "但是配送太慢了！", "下次不点了"]),
    ("东西不错,不过包装破损了", ["东西不错", "不过包装破损了"]),
    ("质量很好但价格贵", ["质量很好", "但价格贵"]),
    ("不但价格便宜而且质量好", ["不但价格便宜而且质量好"]),
    ("冷却系统不错，但是噪音大", ["冷却系统不错", "但是噪音大"]),
    ("Food was great but delivery took 2 hours.", ["Food was great", "but delivery took 2 hours."]),
    ("The app is nice. However, login fails", ["The app is nice.", "However, login fails"]),
    ("I love the butter chicken", ["I love the butter chicken"]),
    ("Nice room BUT the WiFi kept dropping", ["Nice room", "BUT the WiFi kept dropping"]),
    ("东西一般！可是客服很耐心", ["东西一般！", "可是客服很耐心"]),
    ("", []),
])
def test_clauses_split_at_sentences_and_contrast(text: str, clauses: list[str]) -> None:
    assert split_clauses(text) == clauses


def test_clauses_table_marks_what_follows_a_contrast() -> None:
    table = clause_table(["菜很好吃，但是配送太慢了！下次不点了", "Great service"])
    assert table["doc"].tolist() == [0, 0, 0, 1]
    assert table["after_contrast"].tolist() == [False, True, True, False]
