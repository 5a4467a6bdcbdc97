from __future__ import annotations

import numpy as np

from voc.topics.student import TopicStudent


def _blobs(seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    centres = np.eye(3, 8) * 3
    labels = np.repeat(np.arange(3), 40)
    return centres[labels] + rng.normal(scale=0.5, size=(120, 8)), labels


def test_student_learns_the_teachers_topics_and_reports_its_agreement() -> None:
    features, labels = _blobs()
    student = TopicStudent(seed=0).fit(features, labels, 3)
    assert student.agreement_ >= 0.95
    topics, confidence = student.predict(_blobs(seed=1)[0])
    assert np.mean(topics == labels) >= 0.95
    assert ((confidence > 1 / 3) & (confidence <= 1)).all()


def test_student_confidence_is_low_between_topics() -> None:
    features, labels = _blobs()
    student = TopicStudent(seed=0).fit(features, labels, 3)
    _, sure = student.predict(features[:1])
    _, unsure = student.predict(features[labels < 2].mean(axis=0, keepdims=True))
    assert unsure[0] < sure[0]


def test_student_with_a_single_topic_predicts_it() -> None:
    features, _ = _blobs()
    student = TopicStudent().fit(features, np.full(len(features), 2), 3)
    topics, confidence = student.predict(features[:5])
    assert topics.tolist() == [2] * 5 and confidence.tolist() == [1.0] * 5


def test_student_is_deterministic() -> None:
    features, labels = _blobs()
    first = TopicStudent(seed=4).fit(features, labels, 3).predict(features)
    second = TopicStudent(seed=4).fit(features, labels, 3).predict(features)
    assert np.array_equal(first[0], second[0]) and np.array_equal(first[1], second[1])
