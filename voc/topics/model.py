"""Topic discovery: k-means over LSA+SIF document vectors, c-TF-IDF keywords, an "other" bucket.

Fit on a bounded sample; `transform` assigns any number of documents by nearest centroid.
Documents far from every centroid (or with no usable token) go to topic -1, "other".
Topic ids are ordered by size in the fit sample (0 = largest), so they are stable for a seed.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score
from sklearn.preprocessing import normalize

from voc.topics.vectorize import DocumentVectorizer

OTHER = -1
# Taxonomy guidance: when the taxonomy's keyword rules describe at least GUIDE_MIN_COVERAGE
# of the fit documents (service feedback), each document vector is joined with its
# normalised category matches at GUIDE_WEIGHT, so records about the same issue cluster
# together whatever else they say. Below that coverage (product reviews, other domains) the
# rules say too little and the documents cluster on their words alone.
GUIDE_WEIGHT = 0.2
GUIDE_MIN_COVERAGE = 0.4
STABILITY_SPLITS = 4
STABILITY_SAMPLE = 3000
STABILITY_TOLERANCE = 0.05


def ctfidf(counts: sp.csr_matrix, labels: np.ndarray, n_topics: int) -> np.ndarray:
    """Class-based TF-IDF (as in BERTopic): a word's share in a topic × log(1 + A / its count)."""
    keep = labels >= 0
    rows = labels[keep]
    onehot = sp.csr_matrix((np.ones(len(rows)), (rows, np.flatnonzero(keep))),
                           shape=(n_topics, counts.shape[0]))
    term = np.asarray((onehot @ counts).todense())
    frequency = term.sum(axis=0)
    average = term.sum() / max(n_topics, 1)
    return normalize(term, norm="l1") * np.log1p(average / np.maximum(frequency, 1))


class TopicModel:
    """Find topics in tokenised documents.

    n_topics: a fixed number, or None to choose the most stable one between min_topics and
    max_topics (see `_choose_k`).
    max_other_share: at most this share of the fit documents goes to "other"; fewer when
    they are all close to a topic (cosine ≥ other_similarity).

    >>> docs = ([["refund", "money", "late"]] * 20 + [["bag", "lost", "luggage"]] * 20)
    >>> model = TopicModel(n_topics=2, vectorizer_options={"min_df": 1}).fit(docs)
    >>> topics, _ = model.transform([["refund", "money"], ["lost", "bag"]])
    >>> bool(topics[0] != topics[1]), sorted(model.keywords_[topics[1]][:2])
    (True, ['bag', 'lost'])
    """

    def __init__(self, n_topics: int | None = None, *, min_topics: int = 4,
                 max_topics: int = 20, other_similarity: float = 0.2,
                 max_other_share: float = 0.10, n_init: int = 3, n_keywords: int = 20,
                 seed: int = 0, vectorizer_options: dict | None = None) -> None:
        self.n_topics = n_topics
        self.min_topics = min_topics
        self.max_topics = max_topics
        self.other_similarity = other_similarity
        self.max_other_share = max_other_share
        self.n_init = n_init
        self.n_keywords = n_keywords
        self.seed = seed
        self.vectorizer_options = vectorizer_options

    def fit(self, tokens: Sequence[list[str]], y: object = None,
            guide: np.ndarray | None = None) -> TopicModel:
        """guide: documents × taxonomy categories, the keyword matches (optional; see
        GUIDE_WEIGHT). A model fitted with a guide needs one in `transform` too."""
        self.vectorizer_ = DocumentVectorizer(seed=self.seed, **(self.vectorizer_options or {}))
        self.vectorizer_.fit(tokens)
        counts = self.vectorizer_.counts(tokens)
        self.guide_weight_ = GUIDE_WEIGHT if guide is not None and len(guide) and float(
            np.asarray(guide).any(axis=1).mean()) >= GUIDE_MIN_COVERAGE else 0.0
        vectors = self._guided(self.vectorizer_.transform_counts(counts), guide)
        usable = np.flatnonzero(np.asarray(counts.sum(axis=1)).ravel() > 0)
        k = self.n_topics or self._choose_k(vectors[usable])
        k = max(1, min(k, len(usable)))
        kmeans = KMeans(k, n_init=self.n_init, random_state=self.seed).fit(vectors[usable])
        # Number topics by size, largest first (ties by centroid order): stable ids for a seed.
        sizes = np.bincount(kmeans.labels_, minlength=k)
        order = np.lexsort((np.arange(k), -sizes))
        self.centroids_ = normalize(kmeans.cluster_centers_[order]).astype(np.float32)
        self.n_topics_ = k
        nearest, similarity = self._nearest(vectors[usable])
        self.threshold_ = float(min(self.other_similarity,
                                    np.quantile(similarity, self.max_other_share)))
        labels = np.full(len(tokens), OTHER)
        labels[usable] = np.where(similarity >= self.threshold_, nearest, OTHER)
        weights = ctfidf(counts, labels, k)
        self.keyword_weights_ = []
        for topic in range(k):
            top = [j for j in np.argsort(-weights[topic], kind="stable")[:self.n_keywords]
                   if weights[topic, j] > 0]
            self.keyword_weights_.append([(str(self.vectorizer_.vocabulary_[j]),
                                           float(weights[topic, j])) for j in top])
        self.keywords_ = [[word for word, _ in pairs] for pairs in self.keyword_weights_]
        self.labels_ = labels
        return self

    def _choose_k(self, vectors: np.ndarray) -> int:
        """The finest k that is about as stable as the most stable one.

        For each k, cluster two disjoint random halves of a sample with different seeds,
        label the whole sample with both and measure their agreement (adjusted Rand index),
        averaged over several splits. Real structure reappears in every half; an arbitrary
        split of a topic does not. Stability is flat over a range of k and noisy, so voc takes
        the largest k within `STABILITY_TOLERANCE` of the best: the most detailed topic list
        that is as reproducible as any. On the labelled dev sets this lands on or next to the
        true number of classes, where the silhouette keeps preferring the smallest k.
        """
        rng = np.random.default_rng(self.seed)
        sample = vectors if len(vectors) <= STABILITY_SAMPLE else vectors[
            np.sort(rng.choice(len(vectors), STABILITY_SAMPLE, replace=False))]
        upper = min(self.max_topics, max(self.min_topics, len(sample) // 40))
        # every k up to 12, then every second one: fine where it matters, cheap beyond
        candidates = [k for k in range(self.min_topics, upper + 1) if k <= 12 or k % 2 == 0]
        stability = {}
        for k in candidates:
            scores = []
            for split in range(STABILITY_SPLITS):
                order = rng.permutation(len(sample))
                half = len(sample) // 2
                first = KMeans(k, n_init=1, random_state=self.seed + 2 * split).fit(
                    sample[order[:half]])
                second = KMeans(k, n_init=1, random_state=self.seed + 2 * split + 1).fit(
                    sample[order[half:]])
                scores.append(adjusted_rand_score(first.predict(sample),
                                                  second.predict(sample)))
            stability[k] = float(np.mean(scores))
        best = max(stability.values())
        self.k_stability_ = stability
        return max(k for k, score in stability.items() if score >= best - STABILITY_TOLERANCE)

    def _guided(self, vectors: np.ndarray, guide: np.ndarray | None) -> np.ndarray:
        if not self.guide_weight_:
            return vectors
        if guide is None or len(guide) != len(vectors):
            raise ValueError("this topic model was fitted with a taxonomy guide: pass the "
                             "documents' category matches")
        weight = self.guide_weight_
        matches = normalize(np.asarray(guide, dtype=np.float32))
        joined = np.hstack([np.sqrt(1 - weight) * vectors, np.sqrt(weight) * matches])
        return normalize(joined).astype(np.float32)

    def _nearest(self, vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        similarity = vectors @ self.centroids_.T
        nearest = similarity.argmax(axis=1)
        return nearest, similarity[np.arange(len(vectors)), nearest]

    def transform(self, tokens: Sequence[list[str]],
                  guide: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(topic per document, -1 for other; cosine similarity to that topic)."""
        return self.transform_counts(self.vectorizer_.counts(tokens), guide)

    def transform_counts(self, counts: sp.csr_matrix,
                         guide: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        vectors = self._guided(self.vectorizer_.transform_counts(counts), guide)
        nearest, similarity = self._nearest(vectors)
        empty = np.asarray(counts.sum(axis=1)).ravel() == 0
        topics = np.where((similarity >= self.threshold_) & ~empty, nearest, OTHER)
        return topics, np.where(empty, 0.0, similarity).astype(np.float32)
