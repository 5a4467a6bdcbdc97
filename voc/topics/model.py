"""Topic discovery: k-means over document vectors, c-TF-IDF keywords, an "other" bucket.

The vectors are the `vectors` choice (representation.py): LSA, SIF word vectors, sentence
embeddings, or their join. Fit on a bounded sample; `transform` assigns any number of
documents by nearest centroid, or, when sentence embeddings found the topics, by a student
over the word vectors (student.py). Documents far from every topic (or with no usable token)
go to topic -1, "other". Topic ids are ordered by size in the fit sample (0 = largest), so
they are stable for a seed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score
from sklearn.preprocessing import normalize

from voc.topics.lineage import LINK_THRESHOLD, weight_similarity
from voc.topics.representation import AUTO_WEIGHTS, SENTENCE, Plan, Representation, resolve
from voc.topics.student import TopicStudent
from voc.topics.vectorize import DocumentVectorizer

OTHER = -1
# Taxonomy guidance: when the taxonomy's keyword rules describe at least GUIDE_MIN_COVERAGE
# of the fit documents (service feedback), each document vector is joined with its
# normalised category matches at GUIDE_WEIGHT, so records about the same issue cluster
# together whatever else they say. Below that coverage (product reviews, other domains) the
# rules say too little and the documents cluster on their words alone.
GUIDE_WEIGHT = 0.2
GUIDE_MIN_COVERAGE = 0.4
UNCOVERED_WEIGHT = 0.5
# With a guide, the automatic k is at least the number of categories the batch really talks
# about (each matched by at least CATEGORY_MIN_SHARE of the fit documents) plus
# EMERGING_ROOM topics for what the taxonomy does not know: on a month of service feedback
# (~1,000 records a language) stability alone settles on 4-6 topics, which merges distinct
# issues (a parcel-locker complaint with a double charge) into one.
CATEGORY_MIN_SHARE = 0.02
EMERGING_ROOM = 2
# A category the batch talks about is "scattered" when no topic matches its keyword records
# with F1 ≥ COVER_F1 (split over several topics, or a small part of a big one). With k chosen
# automatically, each scattered category gets a topic seeded on its records: on the bundled
# sample, damaged-item complaints ("cracked", "smashed", "leaked": words that rarely repeat)
# were otherwise filed with the app or delivery complaints that share "broke" / "arrived".
COVER_F1 = 0.5
STABILITY_SPLITS = 4
STABILITY_SAMPLE = 3000
STABILITY_TOLERANCE = 0.05


def _talked_about(matched: np.ndarray) -> np.ndarray:
    """Columns of the categories that at least CATEGORY_MIN_SHARE of the documents (and 5)
    match, the most matched first. matched: documents × categories, bool."""
    counts = matched.sum(axis=0)
    talked = np.flatnonzero(counts >= max(CATEGORY_MIN_SHARE * len(matched), 5))
    return talked[np.argsort(-counts[talked], kind="stable")]


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
    they are all close to a topic (cosine, or student confidence, ≥ other_similarity).
    vectors, lang: the representation asked for and the documents' language ("zh"/"en");
    `plan_` says what ran (minilm falls back for Chinese or without the extra).

    >>> docs = ([["refund", "money", "late"]] * 20 + [["bag", "lost", "luggage"]] * 20)
    >>> model = TopicModel(n_topics=2, vectorizer_options={"min_df": 1}).fit(docs)
    >>> topics, _ = model.transform([["refund", "money"], ["lost", "bag"]])
    >>> bool(topics[0] != topics[1]), sorted(model.keywords_[topics[1]][:2])
    (True, ['bag', 'lost'])
    """

    def __init__(self, n_topics: int | None = None, *, min_topics: int = 4,
                 max_topics: int = 20, other_similarity: float = 0.2,
                 max_other_share: float = 0.10, n_init: int = 3, n_keywords: int = 20,
                 seed: int = 0, vectorizer_options: dict | None = None,
                 vectors: Representation | str = Representation.AUTO, lang: str = "en",
                 sentence_max_docs: int | None = None) -> None:
        self.n_topics = n_topics
        self.min_topics = min_topics
        self.max_topics = max_topics
        self.other_similarity = other_similarity
        self.max_other_share = max_other_share
        self.n_init = n_init
        self.n_keywords = n_keywords
        self.seed = seed
        self.vectorizer_options = vectorizer_options
        self.vectors = vectors
        self.lang = lang
        self.sentence_max_docs = sentence_max_docs

    def fit(self, tokens: Sequence[list[str]], y: object = None,
            guide: np.ndarray | None = None, texts: Sequence[str] | None = None,
            history: Sequence[list[str]] = (),
            previous: Sequence[Mapping[str, float]] = ()) -> TopicModel:
        """Find the topics of these documents; see `fit_counts` for the arguments."""
        self.fit_counts(tokens, guide=guide, texts=texts, history=history, previous=previous)
        return self

    def fit_counts(self, tokens: Sequence[list[str]], guide: np.ndarray | None = None,
                   texts: Sequence[str] | None = None, history: Sequence[list[str]] = (),
                   previous: Sequence[Mapping[str, float]] = ()) -> sp.csr_matrix:
        """Fit, and return the documents' token counts over the model's vocabulary (what
        `vectorizer_.counts(tokens)` gives, counted once).

        guide: documents × taxonomy categories, the keyword matches (optional; see
        GUIDE_WEIGHT). A model fitted with a guide needs one in `transform` too.
        texts: the documents as written (needed when the plan embeds sentences).
        history: earlier batches' tokens, for the trained word vectors.
        previous: the previous batch's topics (keyword → weight) in this language; with k
        chosen automatically, clusters that continue the same one are joined."""
        self.plan_: Plan = resolve(self.vectors, self.lang)
        if self.plan_.sentences and texts is None and self.plan_.requested is \
                Representation.AUTO:  # tokens only: auto joins what they can give
            self.plan_ = Plan(Representation.AUTO, dict(AUTO_WEIGHTS))
        self.vectorizer_ = DocumentVectorizer(
            seed=self.seed, blocks=self.plan_.word_blocks or dict(AUTO_WEIGHTS),
            **(self.vectorizer_options or {}))
        counts = self.vectorizer_.fit_counts(tokens, history=history)
        self.guide_weight_ = GUIDE_WEIGHT if guide is not None and len(guide) and float(
            np.asarray(guide).any(axis=1).mean()) >= GUIDE_MIN_COVERAGE else 0.0
        vectors = self._guided(self.vectorizer_.transform_counts(counts), guide)
        usable = np.flatnonzero(np.asarray(counts.sum(axis=1)).ravel() > 0)
        self.student_: TopicStudent | None = None
        self.covered_categories_: list[int] = []  # taxonomy columns given a topic of their own
        if self.plan_.sentences:
            if texts is None or len(texts) != len(tokens):
                raise ValueError("sentence embeddings need the documents' texts")
            self._fit_with_sentences(vectors, usable, texts, guide)
        else:
            k = self.n_topics or max(self._choose_k(vectors[usable]),
                                     self._category_floor(guide, usable))
            k = max(1, min(k, len(usable)))
            kmeans = KMeans(k, n_init=self.n_init, random_state=self.seed).fit(vectors[usable])
            if self.n_topics is None:
                kmeans = self._cover_categories(kmeans, vectors[usable], guide, usable)
                k = kmeans.n_clusters
            # Number topics by size, largest first (ties by centroid order): stable ids.
            sizes = np.bincount(kmeans.labels_, minlength=k)
            order = np.lexsort((np.arange(k), -sizes))
            self.centroids_ = normalize(kmeans.cluster_centers_[order]).astype(np.float32)
            self.n_topics_ = k
        self.topic_map_ = np.arange(self.n_topics_)
        nearest, similarity = self._nearest(vectors[usable])
        self.threshold_ = float(min(self.other_similarity,
                                    np.quantile(similarity, self.max_other_share)))
        labels = np.full(len(tokens), OTHER)
        labels[usable] = np.where(similarity >= self.threshold_, nearest, OTHER)
        self._read_keywords(counts, labels)
        self.joined_topics_: dict[int, int] = {}  # topic → how many clusters it joins
        if previous and self.n_topics is None:
            labels = self._join_continuing(labels, previous)
            self._read_keywords(counts, labels)
        self.labels_ = labels
        return counts

    def _read_keywords(self, counts: sp.csr_matrix, labels: np.ndarray) -> None:
        weights = ctfidf(counts, labels, self.n_topics_)
        self.keyword_weights_ = []
        for topic in range(self.n_topics_):
            top = [j for j in np.argsort(-weights[topic], kind="stable")[:self.n_keywords]
                   if weights[topic, j] > 0]
            self.keyword_weights_.append([(str(self.vectorizer_.vocabulary_[j]),
                                           float(weights[topic, j])) for j in top])
        self.keywords_ = [[word for word, _ in pairs] for pairs in self.keyword_weights_]

    def _join_continuing(self, labels: np.ndarray,
                         previous: Sequence[Mapping[str, float]]) -> np.ndarray:
        """Join the clusters that continue the same earlier topic into one topic; returns
        the fit documents' labels in the joined numbering.

        A topic that continues last month's is not cut up by this month's clustering: when
        several clusters each match the same earlier topic best (keyword weights, at
        lineage's threshold), they are one topic, the union of the clusters. Otherwise an
        issue that grew (an app-login spike after an update) splits into pieces whose sizes
        each look like a fall, and all but one read as "new" in the lineage."""
        groups: dict[tuple[str, int], list[int]] = {}
        for topic, weights in enumerate(self.keyword_weights_):
            scores = [weight_similarity(dict(weights), earlier) for earlier in previous]
            best = int(np.argmax(scores))
            key = ("continues", best) if scores[best] >= LINK_THRESHOLD else ("own", topic)
            groups.setdefault(key, []).append(topic)
        if len(groups) == self.n_topics_:
            return labels
        joined = np.empty(self.n_topics_, dtype=np.int64)
        for number, members in enumerate(groups.values()):
            joined[members] = number
        # number the joined topics by size in the fit sample, largest first (stable ids)
        sizes = np.bincount(joined[labels[labels >= 0]], minlength=len(groups))
        order = np.lexsort((np.arange(len(groups)), -sizes))
        rank = np.empty(len(groups), dtype=np.int64)
        rank[order] = np.arange(len(groups))
        self.topic_map_ = rank[joined]
        self.joined_topics_ = {int(rank[number]): len(members)
                               for number, members in enumerate(groups.values())
                               if len(members) > 1}
        self.n_topics_ = len(groups)
        return np.where(labels >= 0, self.topic_map_[np.maximum(labels, 0)], OTHER)

    def _fit_with_sentences(self, vectors: np.ndarray, usable: np.ndarray,
                            texts: Sequence[str], guide: np.ndarray | None) -> None:
        """Teacher: k-means over sentence embeddings (joined with the word vectors, by the
        plan's weights) of a bounded sample. Student: learns the teacher's topics from the
        word vectors alone, so every document is assigned at numpy speed."""
        from voc.topics.sentence import SENTENCE_MAX_DOCS, embed

        limit = self.sentence_max_docs or SENTENCE_MAX_DOCS
        rng = np.random.default_rng(self.seed)
        taught = usable if len(usable) <= limit else np.sort(
            rng.choice(usable, limit, replace=False))
        sentence = embed([texts[i] for i in taught])
        word_weight = sum(self.plan_.word_blocks.values())
        parts = [np.sqrt(self.plan_.weights[SENTENCE]) * sentence]
        if word_weight:
            parts.insert(0, np.sqrt(word_weight) * vectors[taught])
        teacher = normalize(np.hstack(parts)).astype(np.float32)
        k = self.n_topics or max(self._choose_k(teacher), self._category_floor(guide, taught))
        k = max(1, min(k, len(taught)))
        kmeans = KMeans(k, n_init=self.n_init, random_state=self.seed).fit(teacher)
        if self.n_topics is None:
            kmeans = self._cover_categories(kmeans, teacher, guide, taught)
            k = kmeans.n_clusters
        sizes = np.bincount(kmeans.labels_, minlength=k)
        order = np.lexsort((np.arange(k), -sizes))
        rank = np.empty(k, dtype=np.int64)
        rank[order] = np.arange(k)
        taught_topics = rank[kmeans.labels_]
        self.student_ = TopicStudent(seed=self.seed).fit(vectors[taught], taught_topics, k)
        self.n_topics_ = k
        # centroids in word-vector space: what lineage-free callers and `_nearest` fall back on
        self.centroids_ = normalize(np.vstack([
            vectors[taught][taught_topics == topic].mean(axis=0) if (taught_topics == topic).any()
            else np.zeros(vectors.shape[1], dtype=np.float32) for topic in range(k)])).astype(
            np.float32)

    def _cover_categories(self, kmeans: KMeans, vectors: np.ndarray,
                          guide: np.ndarray | None, usable: np.ndarray) -> KMeans:
        """Give each category the batch talks about a topic of its own when the clusters
        scattered it (see COVER_F1), within max_topics; k-means then settles again from the
        old centroids plus one per such category (the mean of its records)."""
        self.covered_categories_ = []
        if not self.guide_weight_ or guide is None:
            return kmeans
        matched = np.asarray(guide, dtype=bool)[usable]
        counts = matched.sum(axis=0)
        labels = kmeans.labels_
        sizes = np.bincount(labels, minlength=kmeans.n_clusters)
        scattered = []
        for column in _talked_about(matched):
            members = matched[:, column]
            overlap = np.bincount(labels[members], minlength=kmeans.n_clusters)
            if (2 * overlap / (counts[column] + sizes)).max() < COVER_F1:
                scattered.append(column)
        room = max(0, self.max_topics - kmeans.n_clusters)
        self.covered_categories_ = [int(column) for column in scattered[:room]]
        if not self.covered_categories_:
            return kmeans
        added = normalize(np.vstack([vectors[matched[:, column]].mean(axis=0)
                                     for column in self.covered_categories_]))
        init = np.vstack([kmeans.cluster_centers_, added]).astype(vectors.dtype)
        return KMeans(len(init), init=init, n_init=1, random_state=self.seed).fit(vectors)

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

    def _category_floor(self, guide: np.ndarray | None, usable: np.ndarray) -> int:
        """How many topics the taxonomy says the guided batch needs at least (0 unguided)."""
        if not self.guide_weight_ or guide is None:
            return 0
        return min(self.max_topics, len(_talked_about(np.asarray(guide, dtype=bool)[usable]))
                   + EMERGING_ROOM)

    def _guided(self, vectors: np.ndarray, guide: np.ndarray | None) -> np.ndarray:
        if not self.guide_weight_:
            return vectors
        if guide is None or len(guide) != len(vectors):
            raise ValueError("this topic model was fitted with a taxonomy guide: pass the "
                             "documents' category matches")
        weight = self.guide_weight_
        # One more column marks "no category matched", at half a category's weight: what the
        # taxonomy does not explain (a new issue) leans apart from the known issues it shares
        # words with (on the sample, parcel-locker complaints from damaged items), while the
        # words still decide among the unexplained (airline NMI: 0.272 without the column,
        # 0.245 at full weight, 0.268 at half).
        guide = np.asarray(guide, dtype=np.float32)
        uncovered = ~guide.any(axis=1, keepdims=True)
        matches = np.hstack([normalize(guide), UNCOVERED_WEIGHT * uncovered]).astype(np.float32)
        joined = np.hstack([np.sqrt(1 - weight) * vectors, np.sqrt(weight) * matches])
        return normalize(joined).astype(np.float32)

    def _nearest(self, vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(topic per row, its similarity): the nearest cluster (centroid, or the student's
        most probable class) and the topic that cluster belongs to."""
        if self.student_ is not None:
            nearest, similarity = self.student_.predict(vectors)
        else:
            similarity_all = vectors @ self.centroids_.T
            nearest = similarity_all.argmax(axis=1)
            similarity = similarity_all[np.arange(len(vectors)), nearest]
        return self.topic_map_[nearest], similarity

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
