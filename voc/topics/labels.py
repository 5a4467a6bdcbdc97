"""Short readable topic labels: the topic's most frequent two-word phrase of its own keywords.

"lose / luggage / bag" reads as a keyword list; "lose luggage" reads as an issue. A phrase is
two adjacent tokens that are both among the topic's top keywords (the order customers use);
Chinese phrases are joined without a space ("退款到账"). Without such a phrase the label is
the top two keywords.
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


def topic_labels(tokens: Sequence[list[str]], topics: np.ndarray,
                 keywords: list[list[str]]) -> list[str]:
    """One label per topic (index = topic number)."""
    pairs: list[Counter[tuple[str, str]]] = [Counter() for _ in keywords]
    sizes = np.bincount(topics[topics >= 0], minlength=len(keywords))
    tops = [set(words[:TOP_KEYWORDS]) for words in keywords]
    heads = [set(words[:HEAD_KEYWORDS]) for words in keywords]
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
            labels.append(" / ".join(words[:2]))
        else:
            labels.append("(no keywords)")
    return labels
