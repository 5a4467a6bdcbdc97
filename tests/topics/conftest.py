"""Planted topics: documents drawn from a few disjoint word groups, in both languages."""

from __future__ import annotations

import numpy as np
import pytest

PLANTED = {
    "refund": ["refund", "money", "return", "credit", "account", "week", "waiting", "bank"],
    "luggage": ["bag", "luggage", "lost", "claim", "baggage", "carousel", "suitcase", "tag"],
    "delivery": ["配送", "快递", "物流", "发货", "送达", "包裹", "骑手", "超时"],
    "app": ["app", "crash", "login", "update", "password", "screen", "error", "version"],
}
NOISE = ["service", "please", "order", "today", "again", "问题", "订单", "时间"]


def planted_documents(per_topic: int = 60, seed: int = 3) -> tuple[list[list[str]], list[str]]:
    rng = np.random.default_rng(seed)
    docs, truth = [], []
    for _ in range(per_topic):
        for name, words in PLANTED.items():
            tokens = list(rng.choice(words, size=6)) + list(rng.choice(NOISE, size=2))
            docs.append([str(token) for token in tokens])
            truth.append(name)
    return docs, truth


@pytest.fixture
def planted() -> tuple[list[list[str]], list[str]]:
    return planted_documents()
