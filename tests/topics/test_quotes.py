from __future__ import annotations

import numpy as np
import pandas as pd

from voc.topics.quotes import pick_quotes


def test_quotes_are_typical_diverse_across_channels_and_distinct() -> None:
    docs = pd.DataFrame({
        "feedback_id": [f"f{i}" for i in range(8)],
        "channel": ["chat", "chat", "chat", "email", "email", "call", "chat", "chat"],
        "quote": ["Refund still not in my account", "Refund still not in my account",
                  "Where is my refund, three weeks now", "Refund promised, nothing arrived",
                  "ok", "退款一直没到账，已经三周了", "Love the app", "Great staff"],
    })
    topics = np.array([0, 0, 0, 0, 0, 0, 1, -1])
    similarity = np.array([0.95, 0.94, 0.90, 0.80, 0.99, 0.70, 0.9, 0.1])
    quotes = pick_quotes(docs, topics, similarity, per_topic=4)
    first = quotes[quotes["topic"] == 0]
    assert first["rank"].tolist() == [1, 2, 3, 4]
    assert first["channel"].tolist()[:3] == ["chat", "email", "call"]  # round robin
    assert first["quote"].tolist()[0] == "Refund still not in my account"
    assert first["quote"].nunique() == 4  # the duplicate text is quoted once
    assert "ok" not in first["quote"].tolist()[:3]  # too short to read well
    assert set(quotes["topic"]) == {0, 1}  # nothing quoted for "other"


def test_pick_quotes_by_position_matches_the_copied_frame() -> None:
    """Issue members point at their record (`rows`); the result equals copying the texts."""
    docs = pd.DataFrame({"feedback_id": ["a", "b", "c", "d"],
                         "channel": ["call", "chat", "email", "call"],
                         "quote": ["Refund still not here after two weeks",
                                   "退款还没到账，已经两周了",
                                   "Charged twice for one order, please fix",
                                   "Refund still not here after two weeks"]})
    rows = np.array([0, 1, 3, 2, 1])  # record b raises both issues
    topics = np.array([0, 0, 0, 1, 1])
    score = np.array([0.9, 0.8, 0.7, 0.6, 0.5])
    by_position = pick_quotes(docs, topics, score, rows=rows)
    copied = pick_quotes(docs.iloc[rows].reset_index(drop=True), topics, score)
    assert by_position.equals(copied)
    assert by_position[by_position["topic"] == 0]["feedback_id"].tolist() == ["a", "b"]  # d = a


def test_quotes_read_on_demand_equal_the_in_memory_ones_and_read_few_texts() -> None:
    """With a reader, only candidates' texts are read (a few per channel queue), duplicates
    of quoted texts make the queue read on, and the picks equal those from the texts."""
    from voc.topics.quotes import READ_AHEAD

    n = 200
    texts = ["Refund still not here after two weeks"] * 30 + [
        f"Complaint number {i} about the refund desk" for i in range(n - 30)]
    docs = pd.DataFrame({"feedback_id": [f"f{i:03d}" for i in range(n)],
                         "channel": ["chat"] * n, "quote": texts})
    topics = np.zeros(n, dtype=np.int64)
    similarity = np.linspace(1.0, 0.0, n)
    read: list[int] = []

    def reader(records: np.ndarray) -> list[str]:
        read.extend(records.tolist())
        return [texts[record] for record in records.tolist()]

    lazy = pick_quotes(docs[["feedback_id", "channel"]].assign(
        quote_chars=docs["quote"].str.len()), topics, similarity, texts=reader)
    assert lazy.equals(pick_quotes(docs, topics, similarity))
    assert lazy["quote"].nunique() == 5 and lazy["feedback_id"].iloc[1] == "f030"
    assert len(read) == len(set(read)) == 2 * READ_AHEAD  # 30 duplicates: one more window
