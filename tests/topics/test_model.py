from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import normalized_mutual_info_score

import voc.topics.model as topic_model
from voc.topics.model import OTHER, TopicModel, ctfidf

FAST = {"min_df": 2, "lsa_dims": 10, "word_epochs": 5}


def test_model_recovers_planted_topics_with_their_words(planted) -> None:
    docs, truth = planted
    model = TopicModel(n_topics=4, seed=0, vectorizer_options=FAST).fit(docs)
    topics, similarity = model.transform(docs)
    assert normalized_mutual_info_score(truth, topics) > 0.95
    keyword_sets = [set(words[:5]) for words in model.keywords_]
    for group in (["bag", "luggage", "lost"], ["配送", "快递", "物流"], ["refund", "money"]):
        assert any(set(group) & words for words in keyword_sets)
    assert similarity.min() >= -1 and similarity.max() <= 1.0001


def test_model_auto_chooses_the_planted_number(planted) -> None:
    docs, _ = planted
    model = TopicModel(seed=0, min_topics=2, max_topics=8, vectorizer_options=FAST).fit(docs)
    assert model.n_topics_ == 4


def test_model_is_deterministic_for_a_seed(planted) -> None:
    docs, _ = planted
    runs = [TopicModel(n_topics=4, seed=7, vectorizer_options=FAST).fit(docs) for _ in range(2)]
    assert runs[0].keyword_weights_ == runs[1].keyword_weights_
    assert np.array_equal(runs[0].transform(docs)[0], runs[1].transform(docs)[0])


def test_model_topic_ids_are_ordered_by_size(planted) -> None:
    docs, _ = planted
    docs = docs + [["bag", "luggage", "lost", "claim"]] * 40  # luggage becomes the largest
    model = TopicModel(n_topics=4, seed=0, vectorizer_options=FAST).fit(docs)
    sizes = np.bincount(model.labels_[model.labels_ >= 0], minlength=4)
    assert list(sizes) == sorted(sizes, reverse=True)
    assert "bag" in model.keywords_[0] or "luggage" in model.keywords_[0]


def test_model_empty_and_unrelated_documents_go_to_other(planted) -> None:
    docs, _ = planted
    model = TopicModel(n_topics=4, seed=0, vectorizer_options=FAST).fit(docs)
    topics, similarity = model.transform([[], ["zzz", "qqq"]])
    assert topics.tolist() == [OTHER, OTHER] and similarity.tolist() == [0.0, 0.0]
    assert (model.labels_ == OTHER).mean() <= 0.10


def test_model_ctfidf_prefers_words_distinctive_for_a_topic() -> None:
    import scipy.sparse as sp

    counts = sp.csr_matrix(np.array([[3, 1, 0], [2, 1, 0], [0, 1, 4]], dtype=float))
    weights = ctfidf(counts, np.array([0, 0, 1]), 2)
    assert weights[0].argmax() == 0 and weights[1].argmax() == 2


def test_taxonomy_guide_joins_the_vectors_only_when_it_covers_enough_documents() -> None:
    import voc.topics.model as topic_model

    docs = ([["refund", "money", "late", "bank"]] * 20 + [["bag", "lost", "luggage", "desk"]] * 20
            + [["refund", "bag", "today", "staff"]] * 20)
    covered = np.zeros((len(docs), 3), dtype=bool)
    covered[:20, 0] = covered[20:40, 1] = True  # two thirds match a category
    options = {"min_df": 1}
    guided = TopicModel(n_topics=3, seed=1, vectorizer_options=options).fit(docs, guide=covered)
    assert guided.guide_weight_ == topic_model.GUIDE_WEIGHT
    topics, _ = guided.transform(docs, guide=covered)
    assert len(set(topics[:20])) == 1 and len(set(topics[20:40])) == 1
    with pytest.raises(ValueError, match="taxonomy guide"):
        guided.transform(docs)
    sparse = np.zeros_like(covered)
    sparse[:5, 0] = True  # under GUIDE_MIN_COVERAGE: the words alone decide
    plain = TopicModel(n_topics=3, seed=1, vectorizer_options=options).fit(docs, guide=sparse)
    assert plain.guide_weight_ == 0.0
    unguided = TopicModel(n_topics=3, seed=1, vectorizer_options=options).fit(docs)
    assert np.array_equal(plain.transform(docs)[0], unguided.transform(docs)[0])


def test_model_auto_k_covers_the_categories_a_guided_batch_talks_about(planted) -> None:
    from voc.topics.model import EMERGING_ROOM

    docs, truth = planted
    # a taxonomy that names five things these documents talk about (each ≥ 2% of them)
    guide = np.zeros((len(docs), 7), dtype=bool)
    for column, name in enumerate(["refund", "luggage", "delivery", "app"]):
        guide[np.array(truth) == name, column] = True
    guide[::10, 4] = True
    guide[::200, 5] = True  # one in 200: too rare to ask for a topic
    model = TopicModel(seed=0, min_topics=2, max_topics=12, vectorizer_options=FAST).fit(
        docs, guide=guide)
    assert model.guide_weight_ > 0
    assert model.n_topics_ >= 5 + EMERGING_ROOM
    unguided = TopicModel(seed=0, min_topics=2, max_topics=12, vectorizer_options=FAST).fit(docs)
    assert unguided.n_topics_ == 4  # no guide: stability alone, as before


def test_model_guide_sets_apart_what_the_taxonomy_does_not_explain() -> None:
    # the same words; half the documents match a category, half match none
    docs = [["parcel", "code", "box", "late"]] * 40
    guide = np.zeros((40, 3), dtype=bool)
    guide[:20, 0] = True
    model = TopicModel(n_topics=2, seed=0, vectorizer_options={"min_df": 1}).fit(
        docs, guide=guide)
    topics, _ = model.transform(docs, guide=guide)
    assert len(set(topics[:20])) == 1 and len(set(topics[20:])) == 1
    assert topics[0] != topics[20]


def _scattered_category(seed: int) -> tuple[list[list[str]], np.ndarray, np.ndarray]:
    """Three word topics (categories 0-2) and 30 records of category 3 that borrow most of
    their words from topics a and b and add a few of their own from a wide pool (damaged
    items: "cracked", "dented", "leaked" rarely repeat)."""
    rng = np.random.default_rng(seed)
    vocabulary = {name: [f"{name}{i}" for i in range(12)] for name in "abc"}
    damage = [f"damage{i}" for i in range(30)]
    docs, columns = [], []
    for column, name in enumerate("abc"):
        for _ in range(60):
            docs.append([str(word) for word in rng.choice(vocabulary[name], 6)])
            columns.append(column)
    for index in range(30):
        host = vocabulary["ab"[index % 2]]
        docs.append([str(word) for word in [*rng.choice(host, 3), *rng.choice(damage, 3)]])
        columns.append(3)
    guide = np.zeros((len(docs), 4), dtype=bool)
    guide[np.arange(len(docs)), columns] = True
    return docs, guide, np.asarray(columns)


def _best_f1(topics: np.ndarray, members: np.ndarray) -> float:
    return max(2 * float((members & (topics == topic)).sum())
               / (members.sum() + (topics == topic).sum()) for topic in set(topics.tolist()))


def test_model_auto_k_gives_a_scattered_category_a_topic(monkeypatch) -> None:
    options = {"min_df": 1, "lsa_dims": 10}
    gains = []
    for seed in range(3):
        docs, guide, columns = _scattered_category(seed)
        members = columns == 3
        covered = TopicModel(seed=0, vectors="tfidf", vectorizer_options=options).fit(
            docs, guide=guide)
        assert covered.covered_categories_ == [3]
        with_cover = _best_f1(covered.transform(docs, guide=guide)[0], members)
        monkeypatch.setattr(topic_model, "COVER_F1", 0.0)  # off: no category is "scattered"
        plain = TopicModel(seed=0, vectors="tfidf", vectorizer_options=options).fit(
            docs, guide=guide)
        monkeypatch.undo()
        assert plain.covered_categories_ == [] and plain.n_topics_ == covered.n_topics_ - 1
        gains.append(with_cover - _best_f1(plain.transform(docs, guide=guide)[0], members))
    assert min(gains) > 0 and np.mean(gains) > 0.15
    # a fixed number of topics is the user's: nothing is added
    fixed = TopicModel(n_topics=4, seed=0, vectors="tfidf", vectorizer_options=options).fit(
        docs, guide=guide)
    assert fixed.n_topics_ == 4 and fixed.covered_categories_ == []


SPLIT_APP = {
    "refund": ["refund", "money", "return", "credit", "account", "week", "waiting", "bank"],
    "luggage": ["bag", "luggage", "lost", "claim", "baggage", "carousel", "suitcase", "tag"],
    "locker": ["locker", "code", "pickup", "station", "overdue", "fee", "box", "collect"],
    "crash": ["app", "crash", "update", "version", "splash", "freeze", "open", "android"],
    "login": ["app", "login", "password", "sms", "verification", "reset", "sign", "account"],
}


def _split_app_month(per_topic: int = 60, seed: int = 5) -> tuple[list[list[str]], list[str]]:
    rng = np.random.default_rng(seed)
    docs, truth = [], []
    for _ in range(per_topic):
        for name, words in SPLIT_APP.items():
            docs.append([str(t) for t in rng.choice(words, size=6)] +
                        [str(t) for t in rng.choice(NOISE_EN, size=2)])
            truth.append(name)
    return docs, truth


NOISE_EN = ["service", "please", "order", "today", "again", "still"]
# Last month's topics as lineage keeps them: one app topic (crashes and log-in failures
# together), refunds, luggage. The parcel-locker complaints are new this month.
LAST_MONTH = [
    {"app": 0.3, "crash": 0.2, "login": 0.2, "update": 0.15, "password": 0.1, "version": 0.1},
    {"refund": 0.3, "money": 0.2, "return": 0.2, "bank": 0.1},
    {"bag": 0.3, "luggage": 0.3, "lost": 0.2, "claim": 0.1},
]


def test_model_joins_clusters_that_continue_the_same_earlier_topic() -> None:
    docs, truth = _split_app_month()
    labels = np.array(truth)
    options = {"seed": 0, "min_topics": 2, "max_topics": 8, "vectorizer_options": FAST}

    def topics_of(model: TopicModel, name: str) -> set[int]:
        return set(model.labels_[labels == name].tolist()) - {OTHER}

    alone = TopicModel(**options).fit(docs)
    assert topics_of(alone, "crash").isdisjoint(topics_of(alone, "login"))  # split this month
    model = TopicModel(**options).fit(docs, previous=LAST_MONTH)
    assert model.n_topics_ == alone.n_topics_ - 1
    assert topics_of(model, "crash") == topics_of(model, "login") == {0}  # largest: first
    assert model.joined_topics_ == {0: 2}
    assert {"crash", "login"} <= set(model.keywords_[0])
    # the continuing refund and luggage topics and the new locker one stay apart
    rest = [topics_of(model, name) for name in ("refund", "luggage", "locker")]
    assert all(0 not in topics for topics in rest) and rest[0] != rest[1]
    assert rest[0].isdisjoint(rest[2]) and rest[1].isdisjoint(rest[2])
    topics, _ = model.transform([["app", "crash", "splash", "freeze"],
                                 ["login", "sms", "verification", "reset"],
                                 ["locker", "code", "overdue", "fee"]])
    assert topics.tolist()[:2] == [0, 0] and topics[2] not in (0, OTHER)


def test_model_keeps_a_fixed_topic_count_whatever_came_before() -> None:
    docs, _ = _split_app_month()
    model = TopicModel(n_topics=5, seed=0, vectorizer_options=FAST).fit(
        docs, previous=LAST_MONTH)
    assert model.n_topics_ == 5 and model.joined_topics_ == {}


def test_model_fit_counts_are_the_counts_transform_would_take(planted) -> None:
    docs, _ = planted
    model = TopicModel(n_topics=4, seed=0, vectorizer_options=FAST)
    counts = model.fit_counts(docs)
    again = model.vectorizer_.counts(docs)
    assert counts.shape == again.shape and (counts != again).nnz == 0
    assert counts.dtype == again.dtype
