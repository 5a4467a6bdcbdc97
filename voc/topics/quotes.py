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
                per_topic: int = QUOTES_PER_TOPIC, rows: np.ndarray | None = None
                ) -> pd.DataFrame:
    """docs: feedback_id, channel, quote (original text), in the same order as topics; or,
    with `rows`, each candidate's position in docs (a record may be a candidate of several
    topics, as an issue member).

    Returns topic (int), rank, feedback_id, channel, quote, similarity. Within a topic the
    candidates are taken best first, one channel at a time in turn (round robin), skipping
    texts already quoted; texts of readable length are preferred when there are enough.
    Works on positions and reads a text only when it becomes a candidate, so a batch of a
    million records costs a sort per topic, not a copy of every text.
    """
    topics = np.asarray(topics)
    similarity = np.asarray(similarity, dtype=np.float64)
    rows = np.arange(len(docs)) if rows is None else np.asarray(rows, dtype=np.int64)
    lengths = docs["quote"].str.len().to_numpy(dtype=np.float64, na_value=0.0)[rows]
    unreadable = ~((lengths >= MIN_CHARS) & (lengths <= MAX_CHARS))
    id_rank = docs["feedback_id"].rank(method="dense").to_numpy(dtype=np.float64)[rows]
    codes_of_docs, channel_names = pd.factorize(docs["channel"])
    channel_codes = codes_of_docs[rows]
    quotes = docs["quote"].array
    ids = docs["feedback_id"].array
    out = []
    for topic in np.unique(topics[topics != OTHER]):
        members = np.flatnonzero(topics == topic)
        # readable first, then most similar, then feedback id (a stable sort, as before)
        members = members[np.lexsort((id_rank[members], -similarity[members],
                                      unreadable[members]))]
        codes = channel_codes[members]
        _, first = np.unique(codes, return_index=True)
        queues = {int(code): iter(members[codes == code].tolist())
                  for code in codes[np.sort(first)]}
        open_channels = list(queues)
        seen: set[str] = set()
        picked: list[int] = []
        while len(picked) < per_topic and open_channels:
            for channel in list(open_channels):
                for position in queues[channel]:
                    key = str(quotes[rows[position]]).strip().lower()
                    if key not in seen:
                        seen.add(key)
                        picked.append(position)
                        break
                else:  # this channel has no candidate left
                    open_channels.remove(channel)
                if len(picked) == per_topic:
                    break
        for rank, position in enumerate(picked, start=1):
            record = rows[position]
            out.append({"topic": int(topic), "rank": rank, "feedback_id": ids[record],
                        "channel": channel_names[channel_codes[position]],
                        "quote": quotes[record], "similarity": float(similarity[position])})
    return pd.DataFrame(out, columns=["topic", "rank", "feedback_id", "channel", "quote",
                                       "similarity"])
