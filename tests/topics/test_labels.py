from __future__ import annotations

import numpy as np

from voc.topics.labels import topic_labels


def test_labels_use_the_topics_own_phrases() -> None:
    tokens = [["lose", "luggage", "again"], ["lose", "luggage"], ["bag", "lose", "luggage"],
              ["退款", "到账", "慢"], ["退款", "到账"], ["还", "退款", "到账"],
              ["great"], ["nice", "great"]]
    topics = np.array([0, 0, 0, 1, 1, 1, 2, 2])
    keywords = [["luggage", "lose", "bag"], ["退款", "到账"], ["great", "nice"]]
    assert topic_labels(tokens, topics, keywords) == ["lose luggage", "退款到账",
                                                       "great / nice"]


def test_labels_ignore_other_and_pairs_outside_the_keywords() -> None:
    tokens = [["very", "late"], ["very", "late"], ["x"]]
    topics = np.array([0, 0, -1])
    assert topic_labels(tokens, topics, [["late", "delay"]]) == ["late / delay"]


def test_labels_leave_out_lone_chinese_characters() -> None:
    # jieba cuts "3天" and "快递员" into 天 and 快递 + 员: such pieces make fragment labels
    tokens = [["天", "快递", "没到"], ["天", "快递", "没到"], ["快递", "没到"],
              ["员", "提前"], ["员", "提前"], ["坏", "上"]]
    topics = np.array([0, 0, 0, 1, 1, 2])
    keywords = [["天", "快递", "没到"], ["员", "提前"], ["坏", "上"]]
    # a phrase of whole words wins; a topic with no other word keeps its characters
    assert topic_labels(tokens, topics, keywords) == ["快递没到", "提前", "坏 / 上"]
