"""Adapt the lexicon scorer to a batch without hand labels.

A lexicon knows general words; each batch has its own ("凉了" for food delivery, "rebooked"
for airlines). Two label-free ways to learn them, per language group:

- ratings: records with a star rating, NPS or CSAT are weak labels (1–2★ / NPS 0–6 negative,
  3★ / NPS 7–8 neutral, 4–5★ / NPS 9–10 positive); a classifier trained on them also scores
  the unrated channels (e-mail, chat, calls).
- self-training: the lexicon's most confident decisions are the labels (plus documents with
  no sentiment evidence as neutral), then the classifier relabels everything twice from its
  own most confident predictions.

voc.sentiment.stage blends the classifier with the lexicon half and half: on the dev sets the
blend beat either alone (README "Sentiment" has the figures).

The classifier is TF-IDF (voc.sentiment.features: Chinese character 1–3-grams counted with
numpy; English word 1–2-grams looked up in arrays) + logistic regression, fitted on at most
`max_fit_docs` documents; scoring all documents is sparse matrix algebra. Which modes help
was measured (benchmarks/sentiment.py, README "Sentiment").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression

from voc.sentiment.features import CharNgramTfidf, WordNgramTfidf
from voc.sentiment.metrics import Polarity

NEGATIVE, NEUTRAL, POSITIVE = 0, 1, 2
CLASSES = (Polarity.NEGATIVE, Polarity.NEUTRAL, Polarity.POSITIVE)


class Adaptation(StrEnum):
    AUTO = "auto"  # ratings where enough records have one, else self-training
    RATINGS = "ratings"
    SELF_TRAINING = "self_training"
    OFF = "off"


@dataclass(frozen=True)
class AdaptOptions:
    seed_share: float = 0.7  # share of the lexicon's decisions (most confident first) kept as seeds
    relabel_rounds: int = 2
    relabel_share: float = 0.6  # most confident share kept as labels in each round
    min_ratings: int = 200  # fewer rated records than this: ratings are too few to learn from
    min_class: int = 20  # each class needs this many labels, else that mode is skipped
    max_fit_docs: int = 20_000
    # Self-training relabels within at most this many documents, and every document is then
    # scored chunk by chunk: memory stays flat however large the batch (all dev sets fit).
    max_train_pool: int = 50_000
    predict_chunk: int = 20_000
    # Features read a long text's first and last `edge_chars` characters: a verdict sits at
    # the start or the end of an e-mail, and n-grams of the whole of it cost more than they add.
    edge_chars: int = 300
    seed: int = 0


def weak_labels(rating: np.ndarray, nps: np.ndarray, csat: np.ndarray) -> np.ndarray:
    """Class per record from its scores (-1 where it has none); NPS wins, then CSAT, rating."""
    labels = np.full(len(rating), -1, dtype=np.int64)
    for values, low, high in ((rating, 2, 4), (csat, 2, 4), (nps, 6, 9)):
        values = np.asarray(values, dtype=np.float64)
        known = ~np.isnan(values)
        labels[known] = np.where(values[known] <= low, NEGATIVE,
                                 np.where(values[known] >= high, POSITIVE, NEUTRAL))
    return labels


def vectorizer_for(lang: str) -> CharNgramTfidf | WordNgramTfidf:
    if lang == "zh":
        return CharNgramTfidf(ngram_range=(1, 3), min_df=2, max_features=300_000)
    return WordNgramTfidf(min_df=2, max_features=300_000)


def lexicon_seeds(scores: np.ndarray, evidence: np.ndarray, share: float,
                  seed: int) -> np.ndarray:
    """Labels from the lexicon's most confident decisions (-1 = unlabelled).

    The `share` of documents with sentiment evidence whose scores are furthest from zero,
    labelled by sign, so the seeds keep the batch's own balance of praise and complaint; and
    the same share of documents without evidence as neutral (drawn at random: they are all
    equally uninformative).
    """
    labels = np.full(len(scores), -1, dtype=np.int64)
    evident = np.flatnonzero(evidence & (scores != 0))
    strongest = evident[np.argsort(-np.abs(scores[evident]), kind="stable")]
    chosen = strongest[:int(len(evident) * share)]
    labels[chosen] = np.where(scores[chosen] > 0, POSITIVE, NEGATIVE)
    silent = np.flatnonzero(~evidence)
    rng = np.random.default_rng(seed)
    labels[rng.permutation(silent)[:int(len(silent) * share)]] = NEUTRAL
    return labels


class BatchClassifier:
    """A per-batch TF-IDF + logistic regression classifier over the labels it is given."""

    model_: LogisticRegression

    def __init__(self, lang: str, options: AdaptOptions) -> None:
        self.lang = lang
        self.options = options

    def _sample(self, rows: np.ndarray) -> np.ndarray:
        if len(rows) <= self.options.max_fit_docs:
            return rows
        rng = np.random.default_rng(self.options.seed)
        return np.sort(rng.choice(rows, self.options.max_fit_docs, replace=False))

    def fit(self, texts: Sequence[str], labels: np.ndarray) -> BatchClassifier:
        labelled = self._sample(np.flatnonzero(labels >= 0))
        fit_texts = [texts[i] for i in labelled]
        self.vectorizer_ = vectorizer_for(self.lang).fit(fit_texts)
        self._fit_labels(self.vectorizer_.transform(fit_texts), labels[labelled])
        return self

    def _fit_labels(self, features: sp.csr_matrix, labels: np.ndarray,
                    warm: bool = False) -> None:
        """warm: start from the current model's weights (a self-training round relabels
        only some documents: the optimum moves little, and lbfgs gets there in fewer
        steps) when it knows the same classes."""
        warm = warm and np.array_equal(np.unique(labels), self.model_.classes_)
        if not warm:
            # Newton-CG: a few Newton steps (each a conjugate-gradient solve) reach the
            # optimum in about 40% of lbfgs's time on these sparse n-gram features
            self.model_ = LogisticRegression(C=1.0, max_iter=2000, class_weight="balanced",
                                             solver="newton-cg",
                                             random_state=self.options.seed)
        self.model_.set_params(warm_start=warm)
        self.model_.fit(features, labels)

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """Documents × (negative, neutral, positive); an absent class gets probability 0.
        Chunk by chunk, so only one chunk's feature matrix exists at a time."""
        step = self.options.predict_chunk
        parts = [self._probabilities(self.vectorizer_.transform(list(texts[start:start + step])))
                 for start in range(0, len(texts), step)]
        return np.vstack(parts) if parts else np.zeros((0, 3), dtype=np.float64)

    def _probabilities(self, features: sp.csr_matrix) -> np.ndarray:
        raw = self.model_.predict_proba(features)
        out = np.zeros((features.shape[0], 3), dtype=np.float64)
        out[:, self.model_.classes_] = raw
        return out

    def self_train(self, texts: Sequence[str], labels: np.ndarray) -> np.ndarray:
        """Fit on `labels`, then refit on its own most confident predictions; returns the
        final probabilities for all texts.

        One vocabulary (from a sample of all texts, so words outside the seeds count in later
        rounds) and one feature matrix serve every round: only the labels change. The rounds
        run within a pool of at most `max_train_pool` documents (all of them in most batches);
        the final model then scores every document chunk by chunk.
        """
        pool = np.arange(len(texts))
        if len(pool) > self.options.max_train_pool:
            rng = np.random.default_rng(self.options.seed)
            pool = np.sort(rng.choice(pool, self.options.max_train_pool, replace=False))
        pool_texts = [texts[i] for i in pool.tolist()]
        pool_labels = labels[pool]
        vocabulary_from = [pool_texts[i] for i in self._sample(np.arange(len(pool)))]
        self.vectorizer_ = vectorizer_for(self.lang).fit(vocabulary_from)
        features = self.vectorizer_.transform(pool_texts)
        rows = self._sample(np.flatnonzero(pool_labels >= 0))
        self._fit_labels(features[rows], pool_labels[rows])
        probabilities = self._probabilities(features)
        keep = int(len(pool) * self.options.relabel_share)
        for _ in range(self.options.relabel_rounds):
            confident = np.argsort(-probabilities.max(axis=1), kind="stable")[:keep]
            relabelled = probabilities[confident].argmax(axis=1)
            if len(np.unique(relabelled)) < 2:
                break
            chosen = self._sample(np.arange(len(confident)))
            self._fit_labels(features[confident[chosen]], relabelled[chosen], warm=True)
            probabilities = self._probabilities(features)
        if len(pool) == len(texts):
            return probabilities
        del features
        return self.probabilities(texts)


def text_edges(texts: Sequence[str], edge_chars: int) -> list[str]:
    """Each text, or its first and last `edge_chars` characters when it is longer."""
    limit = 2 * edge_chars
    return [text if len(text) <= limit else text[:edge_chars] + "\n" + text[-edge_chars:]
            for text in texts]


def enough_labels(labels: np.ndarray, options: AdaptOptions, minimum: int) -> bool:
    counts = np.bincount(labels[labels >= 0], minlength=3)
    return counts.sum() >= minimum and (counts[[NEGATIVE, POSITIVE]] >= options.min_class).all()


@dataclass(frozen=True)
class AdaptationPlan:
    """What a language group's classifier learns from: the mode that applies, and the rows
    (positions in the group) whose texts and labels the fit reads. Decided here, from scores
    and labels alone, so only those texts travel to the worker that fits."""

    mode: Adaptation  # OFF: no classifier
    rows: np.ndarray
    labels: np.ndarray


def plan_adaptation(count: int, scores: np.ndarray, evidence: np.ndarray,
                    rated: np.ndarray | None, mode: Adaptation,
                    options: AdaptOptions) -> AdaptationPlan:
    """The mode that applies to a group of `count` documents and the rows it fits on."""
    none = AdaptationPlan(Adaptation.OFF, np.zeros(0, dtype=np.int64),
                          np.zeros(0, dtype=np.int64))
    if mode is Adaptation.OFF or count < 3 * options.min_class:
        return none
    sampler = BatchClassifier("", options)
    if mode in (Adaptation.AUTO, Adaptation.RATINGS) and rated is not None and enough_labels(
            rated, options, options.min_ratings):
        labelled = sampler._sample(np.flatnonzero(rated >= 0))
        return AdaptationPlan(Adaptation.RATINGS, labelled, rated[labelled])
    if mode in (Adaptation.AUTO, Adaptation.SELF_TRAINING):
        seeds = lexicon_seeds(scores, evidence, options.seed_share, options.seed)
        if enough_labels(seeds, options, 3 * options.min_class):
            pool = np.arange(count)
            if count > options.max_train_pool:  # the rounds run within a bounded pool
                rng = np.random.default_rng(options.seed)
                pool = np.sort(rng.choice(pool, options.max_train_pool, replace=False))
            return AdaptationPlan(Adaptation.SELF_TRAINING, pool, seeds[pool])
    return none


def fit_classifier(texts: Sequence[str], labels: np.ndarray, lang: str, mode: Adaptation,
                   options: AdaptOptions) -> BatchClassifier:
    """The classifier a plan describes, fitted on its rows' texts and labels (a job for the
    engine: at most `max_train_pool` texts travel with it)."""
    texts = text_edges(texts, options.edge_chars)
    classifier = BatchClassifier(lang, options)
    if mode is Adaptation.RATINGS:
        return classifier.fit(texts, labels)
    classifier.self_train(texts, labels)
    return classifier


def classifier_probabilities(classifier: BatchClassifier, texts: Sequence[str]) -> np.ndarray:
    """Class probabilities of a chunk of documents (a job for the engine)."""
    return classifier.probabilities(text_edges(texts, classifier.options.edge_chars))


def adapted_probabilities(texts: Sequence[str], lang: str, scores: np.ndarray,
                          evidence: np.ndarray, rated: np.ndarray | None, mode: Adaptation,
                          options: AdaptOptions) -> tuple[np.ndarray | None, Adaptation]:
    """Class probabilities from the mode that applies (None, OFF when none does), in this
    process: plan, fit, score every text."""
    plan = plan_adaptation(len(texts), scores, evidence, rated, mode, options)
    if plan.mode is Adaptation.OFF:
        return None, Adaptation.OFF
    classifier = fit_classifier([texts[i] for i in plan.rows.tolist()], plan.labels, lang,
                                plan.mode, options)
    return classifier_probabilities(classifier, texts), plan.mode
