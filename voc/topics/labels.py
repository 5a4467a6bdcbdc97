"""Short readable topic labels: the topic's most frequent two-word phrase of its own keywords.

"lose / luggage / bag" reads as a keyword list; "lose luggage" reads as an issue. A phrase is
two adjacent tokens that are both among the topic's top keywords (the order customers use);
Chinese phrases are joined without a space ("退款到账"). Without such a phrase the label is
the top two keywords. A lone Chinese character is left out of labels: jieba cuts units and
suffixes off their words ("3天" → 天, "快递员" → 快递 + 员, "表面上" → 表面 + 上), and
"天快递" or "员提前" read as fragments.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from itertools import pairwise

import numpy as np

TOP_KEYWORDS = 10
HEAD_KEYWORDS = 3  # a label phrase holds one of the topic's three strongest keywords
MIN_PHRASE_SHARE = 0.05  # the phrase must appear in at least 5% of the topic's documents


def join_phrase(first: str, second: str) -> str:
    """Two tokens as one phrase: Chinese without a space ("退款到账"), others with one."""
    return first + second if not (first.isascii() or second.isascii()) else f"{first} {second}"


def _readable(token: str) -> bool:
    """Whether a token can stand in a label: not a lone Chinese character."""
    return not (len(token) == 1 and not token.isascii())


def topic_labels(tokens: Sequence[list[str]], topics: np.ndarray,
                 keywords: list[list[str]]) -> list[str]:
    """One label per topic (index = topic number)."""
    pairs: list[Counter[tuple[str, str]]] = [Counter() for _ in keywords]
    sizes = np.bincount(topics[topics >= 0], minlength=len(keywords))
    readable = [[word for word in words if _readable(word)] for words in keywords]
    tops = [set(words[:TOP_KEYWORDS]) for words in readable]
    heads = [set(words[:HEAD_KEYWORDS]) for words in readable]
    for doc, topic in zip(tokens, topics.tolist(), strict=True):
        if topic < 0:
            continue
        top = tops[topic]
        head = heads[topic]
        seen = {(a, b) for a, b in pairwise(doc)
                if a != b and a in top and b in top and (a in head or b in head)}
        pairs[topic].update(seen)
    labels = []
    for topic, words in enumerate(keywords):
        best = sorted(pairs[topic].items(), key=lambda item: (-item[1], item[0]))
        if best and best[0][1] >= max(2, MIN_PHRASE_SHARE * sizes[topic]):
            labels.append(join_phrase(*best[0][0]))
        elif words:
            labels.append(" / ".join((readable[topic] or words)[:2]))
        else:
            labels.append("(no keywords)")
    return labels
