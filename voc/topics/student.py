"""A fast student that assigns every document to the topics a slow representation found.

The teacher (k-means over sentence embeddings) labels only the bounded sample; the student,
a multinomial logistic regression over the cheap word vectors (LSA + SIF, the same ones
`DocumentVectorizer` gives every document at numpy speed), learns those labels and predicts
them for the whole batch. Its confidence (the top class probability) plays the part the
centroid cosine plays for the other representations: low confidence → "other".
"""

from __future__ import annotations

import numpy as np
from sklearn.linear_model import LogisticRegression


class TopicStudent:
    """Learns topic labels from features; `agreement_` is its accuracy on the teacher's sample.

    >>> features = np.array([[1.0, 0.0]] * 10 + [[0.0, 1.0]] * 10)
    >>> student = TopicStudent(seed=0).fit(features, np.array([0] * 10 + [1] * 10), 2)
    >>> student.predict(np.array([[0.9, 0.1], [0.2, 0.8]]))[0].tolist(), student.agreement_
    ([0, 1], 1.0)
    """

    def __init__(self, C: float = 10.0, max_iter: int = 300, seed: int = 0) -> None:
        self.C = C
        self.max_iter = max_iter
        self.seed = seed

    def fit(self, features: np.ndarray, labels: np.ndarray, n_topics: int) -> TopicStudent:
        present = np.unique(labels)
        self.n_topics_ = n_topics
        if len(present) == 1:  # one topic: nothing to learn
            self.constant_ = int(present[0])
            self.agreement_ = 1.0
            return self
        self.constant_ = None
        self.model_ = LogisticRegression(C=self.C, max_iter=self.max_iter,
                                         random_state=self.seed).fit(features, labels)
        self.agreement_ = float(np.mean(self.model_.predict(features) == labels))
        return self

    def predict(self, features: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(topic per row, confidence: the probability of that topic)."""
        if self.constant_ is not None:
            return (np.full(len(features), self.constant_),
                    np.ones(len(features), dtype=np.float32))
        probabilities = self.model_.predict_proba(features)
        best = probabilities.argmax(axis=1)
        topics = self.model_.classes_[best]
        return topics.astype(np.int64), probabilities[np.arange(len(best)), best].astype(
            np.float32)
