"""Multi-word key phrases per topic, detected from the batch itself.

Single-token keywords ("lost", "luggage", "退款", "申请") read as a word list; managers read
issues ("lost luggage", "退款申请"). The adjacent token pairs that occur together far more
often than chance in the fit sample (normalised PMI, as gensim's Phrases scores them) are
phrases, and each topic's phrases are ranked by class-based TF-IDF like its keywords, so a
phrase that every topic uses ("thank you") does not rank anywhere. The single-token keywords
stay as they are: coherence, lineage and labels are computed on them.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

import numpy as np
import scipy.sparse as sp

from voc.topics.labels import join_phrase
from voc.topics.model import ctfidf

PHRASES_PER_TOPIC = 10
NPMI_THRESHOLD = 0.5  # gensim's npmi scoring: -1 … 1; 0.5 = the pair is strongly associated
MIN_TOPIC_COUNT = 2  # a phrase must occur in at least this many of the topic's documents


def min_phrase_count(n_docs: int) -> int:
    """Pairs seen fewer times than this are not phrases: 5, or one in 2,000 documents."""
    return max(5, n_docs // 2000)


def detect_phrases(tokens: Sequence[list[str]], min_count: int | None = None,
                   threshold: float = NPMI_THRESHOLD) -> set[tuple[str, str]]:
    """The adjacent token pairs that form phrases in these documents: seen at least min_count
    times, with a normalised PMI above threshold — gensim's Phrases with npmi scoring, counted
    with numpy (gensim's pure-Python counting took 3.7 s of a 50,000-document fit)."""
    min_count = min_count or min_phrase_count(len(tokens))
    index: dict[str, int] = {}
    ids = np.fromiter((index.setdefault(token, len(index)) for doc in tokens for token in doc),
                      dtype=np.int64)
    total = len(ids)
    if total < 2:
        return set()
    lengths = np.fromiter(map(len, tokens), dtype=np.int64, count=len(tokens))
    starts = np.cumsum(lengths) - lengths
    within = np.ones(total - 1, dtype=bool)  # pair (i, i + 1) lies inside one document
    within[starts[(starts > 0) & (starts < total)] - 1] = False
    words = len(index)
    pairs, pair_counts = np.unique(ids[:-1][within] * words + ids[1:][within],
                                   return_counts=True)
    frequent = pair_counts >= min_count
    first, second = np.divmod(pairs[frequent], words)
    unigrams = np.bincount(ids, minlength=words)
    together = pair_counts[frequent] / total
    npmi = np.log(together / (unigrams[first] / total * (unigrams[second] / total))) / -np.log(
        together)
    chosen = (npmi > threshold) & (first != second)
    vocabulary = list(index)  # in id order
    return {(vocabulary[a], vocabulary[b]) for a, b in zip(first[chosen].tolist(),
                                                            second[chosen].tolist(), strict=True)}


def topic_phrases(tokens: Sequence[list[str]], labels: np.ndarray, n_topics: int,
                  phrases: set[tuple[str, str]],
                  per_topic: int = PHRASES_PER_TOPIC) -> list[list[tuple[str, float]]]:
    """Per topic, its key phrases with their c-TF-IDF weights, strongest first.

    labels: each document's topic (-1 = other), as `TopicModel.labels_`.
    """
    empty: list[list[tuple[str, float]]] = [[] for _ in range(n_topics)]
    if not phrases or n_topics == 0:
        return empty
    vocabulary = sorted(phrases)
    column = {pair: index for index, pair in enumerate(vocabulary)}
    rows, columns = [], []
    for row, doc in enumerate(tokens):
        for pair in set(pairwise(doc)):  # presence per document, like a document frequency
            if pair in column:
                rows.append(row)
                columns.append(column[pair])
    if not rows:
        return empty
    presence = sp.csr_matrix((np.ones(len(rows)), (rows, columns)),
                             shape=(len(tokens), len(vocabulary)))
    weights = ctfidf(presence, labels, n_topics)
    in_topic = _counts_per_topic(presence, labels, n_topics)
    out = []
    for topic in range(n_topics):
        order = np.argsort(-weights[topic], kind="stable")
        chosen = [(join_phrase(*vocabulary[j]), round(float(weights[topic, j]), 6))
                  for j in order if weights[topic, j] > 0
                  and in_topic[topic, j] >= MIN_TOPIC_COUNT][:per_topic]
        out.append(chosen)
    return out


def _counts_per_topic(presence: sp.csr_matrix, labels: np.ndarray, n_topics: int) -> np.ndarray:
    keep = labels >= 0
    onehot = sp.csr_matrix((np.ones(int(keep.sum())), (labels[keep], np.flatnonzero(keep))),
                           shape=(n_topics, presence.shape[0]))
    return np.asarray((onehot @ presence).todense())
