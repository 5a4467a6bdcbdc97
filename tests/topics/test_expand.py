"""Learned category membership: records the keywords miss, from the keyword matches."""

from __future__ import annotations

import numpy as np

from voc.topics.expand import MIN_SEEDS, CategoryExpander
from voc.topics.vectorize import DocumentVectorizer


def corpus() -> tuple[list[list[str]], np.ndarray]:
    """Delivery complaints the rule finds ("delivery" + "late"), a few it misses worded
    otherwise, and praise."""
    rng = np.random.default_rng(3)
    words = ["parcel", "week", "waiting", "still", "courier"]
    found = [["delivery", "late", *rng.choice(words, 2, replace=False)] for _ in range(40)]
    missed = [["parcel", "still", "waiting", "week"]] * 6
    praise = [["great", "price", "quality", str(word)] for word in rng.choice(
        ["fast", "nice", "cheap"], 50)]
    docs = found + missed + praise
    matches = np.zeros((len(docs), 3), dtype=bool)
    matches[:40, 0] = True  # the "delivery late" rule
    matches[:5, 1] = True  # a category with too few seeds to learn from
    return docs, matches


def test_expander_learns_the_other_wording_and_leaves_unrelated_records() -> None:
    docs, matches = corpus()
    vectorizer = DocumentVectorizer(min_df=1, lsa_dims=2, word_epochs=1).fit(docs)
    counts = vectorizer.counts(docs)
    expander = CategoryExpander.fit(vectorizer, counts, matches, seed=0)
    assert expander.categories.tolist() == [0]  # 5 < MIN_SEEDS, 0 for the third
    assert MIN_SEEDS > 5
    learned = expander.predict(vectorizer, counts)
    assert learned.shape == matches.shape
    assert learned[40:46, 0].all()  # the missed wording joins the category
    assert not learned[46:, 0].any()  # praise does not
    assert not learned[:, 1:].any()


def test_a_higher_threshold_adds_fewer_records() -> None:
    docs, matches = corpus()
    vectorizer = DocumentVectorizer(min_df=1, lsa_dims=2, word_epochs=1).fit(docs)
    counts = vectorizer.counts(docs)
    loose = CategoryExpander.fit(vectorizer, counts, matches, seed=0, threshold=0.2)
    strict = CategoryExpander.fit(vectorizer, counts, matches, seed=0, threshold=0.95)
    assert loose.predict(vectorizer, counts).sum() >= strict.predict(vectorizer, counts).sum()
    assert not strict.predict(vectorizer, counts)[40:46, 0].all()


def test_expander_learns_from_a_bounded_subset(monkeypatch) -> None:
    import voc.topics.expand as expand

    docs, matches = corpus()
    docs, matches = docs * 4, np.vstack([matches] * 4)  # 384 records
    vectorizer = DocumentVectorizer(min_df=1, lsa_dims=2, word_epochs=1).fit(docs)
    counts = vectorizer.counts(docs)
    whole = CategoryExpander.fit(vectorizer, counts, matches, seed=0)
    monkeypatch.setattr(expand, "MAX_LEARN_DOCS", 200)
    bounded = CategoryExpander.fit(vectorizer, counts, matches, seed=0)
    assert not np.array_equal(bounded.weights[:, 0], whole.weights[:, 0])  # learned apart
    # and decides as the model of every record does
    learned = bounded.predict(vectorizer, counts)
    assert learned[:, 0].sum() >= 160 and np.array_equal(learned,
                                                         whole.predict(vectorizer, counts))
    again = CategoryExpander.fit(vectorizer, counts, matches, seed=0)
    assert np.array_equal(bounded.weights, again.weights)  # the subset is the seed's
