"""Representative quotes per topic: close to the topic's centre, spread across channels.

A manager trusts a topic when its quotes are typical (high similarity to the centroid), read
well (not a fragment, not an essay) and come from more than one channel.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from voc.topics.model import OTHER

QUOTES_PER_TOPIC = 5
MIN_CHARS, MAX_CHARS = 12, 400


def pick_quotes(docs: pd.DataFrame, topics: np.ndarray, similarity: np.ndarray,
                per_topic: int = QUOTES_PER_TOPIC) -> pd.DataFrame:
    """docs: feedback_id, channel, quote (original text), in the same order as topics.

    Returns topic (int), rank, feedback_id, channel, quote, similarity. Within a topic the
    candidates are taken best first, one channel at a time in turn (round robin), skipping
    texts already quoted; texts of readable length are preferred when there are enough.
    """
    frame = docs.assign(topic=topics, similarity=similarity)
    frame = frame[frame["topic"] != OTHER]
    lengths = frame["quote"].str.len()
    frame = frame.assign(readable=(lengths >= MIN_CHARS) & (lengths <= MAX_CHARS))
    rows = []
    for topic, members in frame.groupby("topic", sort=True):
        members = members.sort_values(["readable", "similarity", "feedback_id"],
                                      ascending=[False, False, True], kind="stable")
        queues = {channel: list(group.itertuples(index=False))
                  for channel, group in members.groupby("channel", sort=False)}
        seen: set[str] = set()
        picked: list = []
        while len(picked) < per_topic and any(queues.values()):
            for channel in list(queues):
                while queues[channel]:
                    candidate = queues[channel].pop(0)
                    key = candidate.quote.strip().lower()
                    if key not in seen:
                        seen.add(key)
                        picked.append(candidate)
                        break
                if len(picked) == per_topic:
                    break
        for rank, quote in enumerate(picked, start=1):
            rows.append({"topic": int(topic), "rank": rank, "feedback_id": quote.feedback_id,
                         "channel": quote.channel, "quote": quote.quote,
                         "similarity": float(quote.similarity)})
    return pd.DataFrame(rows, columns=["topic", "rank", "feedback_id", "channel", "quote",
                                       "similarity"])
