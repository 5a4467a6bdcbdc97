"""Representative quotes per topic: close to the topic's centre, spread across channels.

A manager trusts a topic when its quotes are typical (high similarity to the centroid), read
well (not a fragment, not an essay) and come from more than one channel.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from voc.topics.model import OTHER

QUOTES_PER_TOPIC = 5
MIN_CHARS, MAX_CHARS = 12, 400
# Texts read per channel queue at a time: a few candidates past the five that are usually
# enough, as some are duplicates of texts already quoted.
READ_AHEAD = 4 * QUOTES_PER_TOPIC

# Quote texts of records, by position in the docs frame (in the order asked).
QuoteTexts = Callable[[np.ndarray], Sequence[str]]


class _Texts:
    """Quote texts read on demand, a queue's next few at a time, and kept once read."""

    def __init__(self, read: QuoteTexts) -> None:
        self._read = read
        self._known: dict[int, str] = {}

    def prefetch(self, records: Sequence[int]) -> None:
        missing = np.unique(np.asarray([r for r in records if r not in self._known],
                                       dtype=np.int64))
        if len(missing):
            self._known.update(zip(missing.tolist(), self._read(missing), strict=True))

    def get(self, record: int, queue: list[int], at: int) -> str:
        if record not in self._known:
            self.prefetch(queue[at:at + READ_AHEAD])
        return self._known[record]


def quote_lengths(docs: pd.DataFrame) -> np.ndarray:
    """Characters per record's quote: a `quote_chars` column, or the `quote` texts' lengths."""
    if "quote_chars" in docs:
        return docs["quote_chars"].to_numpy(dtype=np.float64, na_value=0.0)
    return docs["quote"].str.len().to_numpy(dtype=np.float64, na_value=0.0)


def pick_quotes(docs: pd.DataFrame, topics: np.ndarray, similarity: np.ndarray,
                per_topic: int = QUOTES_PER_TOPIC, rows: np.ndarray | None = None,
                texts: QuoteTexts | None = None) -> pd.DataFrame:
    """docs: feedback_id, channel and quote (original text) or quote_chars (its length), in
    the same order as topics; or, with `rows`, each candidate's position in docs (a record
    may be a candidate of several topics, as an issue member). `texts` reads quotes by
    position in docs (the `quote` column when not given): only candidates' texts are read.

    Returns topic (int), rank, feedback_id, channel, quote, similarity. Within a topic the
    candidates are taken best first, one channel at a time in turn (round robin), skipping
    texts already quoted; texts of readable length are preferred when there are enough.
    Works on positions, so a batch of a million records costs a sort per topic, not a copy
    (or a read) of every text.
    """
    topics = np.asarray(topics)
    similarity = np.asarray(similarity, dtype=np.float64)
    rows = np.arange(len(docs)) if rows is None else np.asarray(rows, dtype=np.int64)
    lengths = quote_lengths(docs)[rows]
    unreadable = ~((lengths >= MIN_CHARS) & (lengths <= MAX_CHARS))
    id_rank = docs["feedback_id"].rank(method="dense").to_numpy(dtype=np.float64)[rows]
    codes_of_docs, channel_names = pd.factorize(docs["channel"])
    channel_codes = codes_of_docs[rows]
    if texts is None:
        quotes = docs["quote"].array
        texts = lambda records: [quotes[record] for record in records.tolist()]  # noqa: E731
    ids = docs["feedback_id"].array
    queues_by_topic = []
    for topic in np.unique(topics[topics != OTHER]):
        members = np.flatnonzero(topics == topic)
        # readable first, then most similar, then feedback id (a stable sort, as before)
        members = members[np.lexsort((id_rank[members], -similarity[members],
                                      unreadable[members]))]
        codes = channel_codes[members]
        _, first = np.unique(codes, return_index=True)
        queues = {int(code): rows[members[codes == code]].tolist()
                  for code in codes[np.sort(first)]}
        positions = {int(code): members[codes == code].tolist() for code in queues}
        queues_by_topic.append((int(topic), queues, positions))
    store = _Texts(texts)
    # every queue's first few texts in one read; a queue that runs through them reads on
    store.prefetch([record for _, queues, _ in queues_by_topic for queue in queues.values()
                    for record in queue[:READ_AHEAD]])
    out = []
    for topic, queues, positions in queues_by_topic:
        cursor = dict.fromkeys(queues, 0)
        open_channels = list(queues)
        seen: set[str] = set()
        picked: list[tuple[int, str]] = []  # (candidate position, quote)
        while len(picked) < per_topic and open_channels:
            for channel in list(open_channels):
                queue = queues[channel]
                while cursor[channel] < len(queue):
                    at = cursor[channel]
                    cursor[channel] += 1
                    quote = store.get(queue[at], queue, at)
                    key = str(quote).strip().lower()
                    if key not in seen:
                        seen.add(key)
                        picked.append((positions[channel][at], quote))
                        break
                else:  # this channel has no candidate left
                    open_channels.remove(channel)
                if len(picked) == per_topic:
                    break
        for rank, (position, quote) in enumerate(picked, start=1):
            out.append({"topic": topic, "rank": rank, "feedback_id": ids[rows[position]],
                        "channel": channel_names[channel_codes[position]],
                        "quote": quote, "similarity": float(similarity[position])})
    return pd.DataFrame(out, columns=["topic", "rank", "feedback_id", "channel", "quote",
                                       "similarity"])
