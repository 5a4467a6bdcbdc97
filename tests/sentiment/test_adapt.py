"""Label-free adaptation: weak labels from scores, lexicon seeds, the per-batch classifier.

The batches are synthetic food-delivery feedback built from phrase lists with a fixed seed.
General sentiment phrases stand in for what the lexicon knows (they get a score and evidence);
each complaint or praise also names a batch-specific detail ("soggy" / 凉了, "crispy" /
热乎) the lexicon does not know. A few documents mention only that detail: the lexicon has no
evidence for them, so only a classifier that learned the batch's words can score them.
"""

from __future__ import annotations

import random

import numpy as np
import pytest

from voc.sentiment.adapt import (
    NEGATIVE,
    NEUTRAL,
    POSITIVE,
    Adaptation,
    AdaptOptions,
    BatchClassifier,
    adapted_probabilities,
    enough_labels,
    lexicon_seeds,
    weak_labels,
)

NAN = np.nan
OPTIONS = AdaptOptions()

PHRASES = {
    "zh": {
        "neg": ["太差了", "很失望", "难吃死了", "再也不点了", "差评", "气死了"],
        "pos": ["很满意", "好吃", "五星好评", "非常棒", "点赞", "下次还点"],
        "food": ["米饭", "牛肉面", "炸鸡", "披萨", "饺子", "汉堡"],
        "neg_detail": "送到的时候都凉了",
        "pos_detail": "送到的时候还是热乎的",
        "neutral": ["中午点的{food}", "订单号发给客服了", "今天第二次点{food}",
                    "{food}是帮同事点的", "备注了多加香菜", "地址写的公司"],
        "sep": "，",
    },
    "en": {
        "neg": ["terrible", "very disappointed", "awful", "never ordering again", "horrible",
                "so annoyed"],
        "pos": ["great", "really happy", "delicious", "wonderful", "love it",
                "will order again"],
        "food": ["fries", "noodles", "chicken", "pizza", "dumplings", "burger"],
        "neg_detail": "the {food} arrived soggy",
        "pos_detail": "the {food} arrived crispy",
        "neutral": ["ordered {food} for lunch", "sent the order number to support",
                    "second order of {food} today", "the {food} was for a colleague",
                    "asked for no onions", "delivery address is the office"],
        "sep": ", ",
    },
}


def batch(lang: str, seed: int, n_each: int = 120, n_detail_only: int = 15):
    """Texts, their kinds, and lexicon-like scores and evidence.

    Kinds: "neg"/"pos" (general phrase + batch detail, scored), "neu" (no evidence),
    "neg_only"/"pos_only" (batch detail alone, no evidence).
    """
    rng = random.Random(seed)
    words = PHRASES[lang]
    sep = words["sep"]
    rows = []
    for kind, count in (("neg", n_each), ("pos", n_each), ("neu", n_each),
                        ("neg_only", n_detail_only), ("pos_only", n_detail_only)):
        for _ in range(count):
            food = rng.choice(words["food"])
            polarity = kind[:3]
            if kind == "neu":
                text = rng.choice(words["neutral"]).format(food=food)
                score = 0.0
            elif kind.endswith("_only"):
                text = words[f"{polarity}_detail"].format(food=food)
                score = 0.0
            else:
                parts = [rng.choice(words[polarity]),
                         words[f"{polarity}_detail"].format(food=food)]
                rng.shuffle(parts)
                text = sep.join(parts)
                score = rng.uniform(0.1, 1.0) * (1 if polarity == "pos" else -1)
            rows.append((text, kind, score))
    rng.shuffle(rows)
    texts = [row[0] for row in rows]
    kinds = np.array([row[1] for row in rows])
    scores = np.array([row[2] for row in rows])
    return texts, kinds, scores, scores != 0


# --- weak labels -------------------------------------------------------------------------------
def test_weak_labels_from_ratings() -> None:
    rating = np.array([1, 2, 3, 4, 5, NAN, 2.5, 3.5])
    none = np.full(len(rating), NAN)
    labels = weak_labels(rating, none, none)
    assert labels.tolist() == [NEGATIVE, NEGATIVE, NEUTRAL, POSITIVE, POSITIVE, -1, NEUTRAL,
                               NEUTRAL]
    assert labels.dtype == np.int64


def test_weak_labels_from_csat() -> None:
    csat = np.array([1, 2, 3, 4, 5, NAN])
    none = np.full(len(csat), NAN)
    assert weak_labels(none, none, csat).tolist() == [NEGATIVE, NEGATIVE, NEUTRAL, POSITIVE,
                                                      POSITIVE, -1]


def test_weak_labels_from_nps() -> None:
    nps = np.array([0, 3, 6, 7, 8, 9, 10, NAN])
    none = np.full(len(nps), NAN)
    assert weak_labels(none, nps, none).tolist() == [NEGATIVE, NEGATIVE, NEGATIVE, NEUTRAL,
                                                     NEUTRAL, POSITIVE, POSITIVE, -1]


def test_weak_labels_precedence_nps_then_csat_then_rating() -> None:
    rating = np.array([5, 1, 1, 5, NAN, 3])
    csat = np.array([NAN, 5, 5, NAN, 1, NAN])
    nps = np.array([0, NAN, 0, NAN, 10, 8])
    assert weak_labels(rating, nps, csat).tolist() == [
        NEGATIVE,  # NPS over rating
        POSITIVE,  # CSAT over rating
        NEGATIVE,  # NPS over CSAT and rating
        POSITIVE,  # a missing NPS does not erase the rating
        POSITIVE,  # NPS over CSAT
        NEUTRAL,  # NPS 8 over rating 3 (both neutral)
    ]


def test_weak_labels_accept_lists_and_all_missing() -> None:
    labels = weak_labels([NAN, NAN], [NAN, NAN], [NAN, NAN])
    assert labels.tolist() == [-1, -1]


# --- lexicon seeds -----------------------------------------------------------------------------
def test_lexicon_seeds_keep_most_extreme_share_by_sign() -> None:
    scores = np.array([0.9, -0.8, 0.1, -0.05, 0.5, -0.6, 0.3, -0.2, 0.0, 0.0, 0.0, 0.0])
    evidence = np.array([True] * 9 + [False] * 3)  # index 8: evidence that cancels out
    labels = lexicon_seeds(scores, evidence, share=0.5, seed=0)
    # 8 evident non-zero scores, half kept: 0.9, -0.8, -0.6, 0.5
    assert labels[:9].tolist() == [POSITIVE, NEGATIVE, -1, -1, POSITIVE, NEGATIVE, -1, -1, -1]
    # 3 silent documents, int(3 * 0.5) = 1 of them neutral
    assert sorted(labels[9:].tolist()) == [-1, -1, NEUTRAL]


def test_lexicon_seeds_share_bounds() -> None:
    scores = np.array([0.4, -0.3, 0.0, 0.0])
    evidence = np.array([True, True, False, False])
    assert (lexicon_seeds(scores, evidence, 0.0, seed=0) == -1).all()
    assert lexicon_seeds(scores, evidence, 1.0, seed=0).tolist() == [POSITIVE, NEGATIVE,
                                                                      NEUTRAL, NEUTRAL]


def test_lexicon_seeds_are_deterministic_for_a_seed() -> None:
    rng = np.random.default_rng(3)
    scores = np.where(rng.random(200) < 0.5, rng.normal(size=200), 0.0)
    evidence = scores != 0
    first = lexicon_seeds(scores, evidence, 0.7, seed=4)
    assert np.array_equal(first, lexicon_seeds(scores, evidence, 0.7, seed=4))
    neutral_sets = {tuple(np.flatnonzero(lexicon_seeds(scores, evidence, 0.7, s) == NEUTRAL))
                    for s in range(5)}
    assert len(neutral_sets) > 1  # the seed decides which silent documents are drawn
    assert all(len(chosen) == int((~evidence).sum() * 0.7) for chosen in neutral_sets)
    # the signed seeds do not depend on the random seed
    signed = first.copy()
    signed[signed == NEUTRAL] = -1
    other = lexicon_seeds(scores, evidence, 0.7, seed=99)
    other[other == NEUTRAL] = -1
    assert np.array_equal(signed, other)


# --- enough labels and the batch classifier ----------------------------------------------------
def test_enough_labels_needs_total_and_both_polar_classes() -> None:
    options = AdaptOptions(min_class=3)
    labels = np.array([NEGATIVE] * 3 + [POSITIVE] * 3 + [-1] * 10)
    assert enough_labels(labels, options, minimum=6)
    assert not enough_labels(labels, options, minimum=7)  # unlabelled rows do not count
    assert not enough_labels(labels[1:], options, minimum=5)  # too few negatives
    neutral_heavy = np.array([NEGATIVE] * 3 + [NEUTRAL] * 50 + [POSITIVE] * 2)
    assert not enough_labels(neutral_heavy, options, minimum=6)


def test_batch_classifier_gives_zero_to_absent_class() -> None:
    texts, kinds, _, _ = batch("en", seed=1)
    labels = np.where(kinds == "neg", NEGATIVE, np.where(kinds == "pos", POSITIVE, -1))
    classifier = BatchClassifier("en", OPTIONS).fit(texts, labels)
    probabilities = classifier.probabilities(texts)
    assert probabilities.shape == (len(texts), 3)
    assert (probabilities[:, NEUTRAL] == 0).all()
    assert np.allclose(probabilities.sum(axis=1), 1)
    assert (probabilities[kinds == "neg", NEGATIVE] > 0.5).all()
    assert (probabilities[kinds == "pos", POSITIVE] > 0.5).all()


def test_batch_classifier_fits_on_a_sample_of_at_most_max_fit_docs() -> None:
    texts, kinds, _, _ = batch("en", seed=2)
    labels = np.select([kinds == "neg", kinds == "pos", kinds == "neu"],
                       [NEGATIVE, POSITIVE, NEUTRAL], -1)
    options = AdaptOptions(max_fit_docs=60, seed=5)
    first = BatchClassifier("en", options).fit(texts, labels)
    assert first.model_.n_features_in_ == len(first.vectorizer_.vocabulary_)
    full = BatchClassifier("en", OPTIONS).fit(texts, labels)
    assert len(first.vectorizer_.vocabulary_) < len(full.vectorizer_.vocabulary_)
    again = BatchClassifier("en", options).fit(texts, labels)
    assert np.array_equal(first.probabilities(texts), again.probabilities(texts))


def test_batch_classifier_scores_chunk_by_chunk_with_the_same_results() -> None:
    texts, kinds, _, _ = batch("zh", seed=3)
    labels = np.where(kinds == "neg", NEGATIVE, np.where(kinds == "pos", POSITIVE, -1))
    whole = BatchClassifier("zh", OPTIONS).fit(texts, labels)
    chunked = BatchClassifier("zh", AdaptOptions(predict_chunk=7)).fit(texts, labels)
    assert np.allclose(whole.probabilities(texts), chunked.probabilities(texts))
    assert whole.probabilities([]).shape == (0, 3)


def test_self_training_relabels_within_a_bounded_pool_and_scores_everything() -> None:
    texts, kinds, scores, evidence = batch("en", seed=4)
    seeds = lexicon_seeds(scores, evidence, OPTIONS.seed_share, OPTIONS.seed)
    options = AdaptOptions(max_train_pool=200, predict_chunk=50, seed=3)
    pooled = BatchClassifier("en", options).self_train(texts, seeds)
    assert pooled.shape == (len(texts), 3) and np.allclose(pooled.sum(axis=1), 1)
    assert np.array_equal(pooled, BatchClassifier("en", options).self_train(texts, seeds))
    # the batch's own detail words are still learned from the pool
    assert (pooled[kinds == "neg_only"].argmax(axis=1) == NEGATIVE).mean() > 0.8
    everything = BatchClassifier("en", OPTIONS).self_train(texts, seeds)
    assert len(texts) <= OPTIONS.max_train_pool  # small batches: the pool is the batch
    assert everything.shape == pooled.shape


# --- adapted probabilities ---------------------------------------------------------------------
def test_mode_off_returns_nothing() -> None:
    texts, _, scores, evidence = batch("en", seed=3)
    assert adapted_probabilities(texts, "en", scores, evidence, None, Adaptation.OFF,
                                 OPTIONS) == (None, Adaptation.OFF)


@pytest.mark.parametrize("mode", [Adaptation.AUTO, Adaptation.RATINGS,
                                  Adaptation.SELF_TRAINING])
def test_tiny_input_is_off(mode: Adaptation) -> None:
    texts, kinds, scores, evidence = batch("en", seed=4, n_each=20, n_detail_only=0)
    rated = np.where(kinds == "neg", NEGATIVE, POSITIVE)
    keep = slice(0, 3 * OPTIONS.min_class - 1)
    probabilities, used = adapted_probabilities(texts[keep], "en", scores[keep], evidence[keep],
                                                rated[keep], mode, OPTIONS)
    assert probabilities is None and used is Adaptation.OFF


def rated_batch(lang: str, n_rated: int, seed: int = 6):
    """A batch whose first `n_rated` documents have a star rating that matches their kind."""
    texts, kinds, scores, evidence = batch(lang, seed=seed)
    stars = np.select([np.char.startswith(kinds.astype(str), "neg"),
                       np.char.startswith(kinds.astype(str), "pos")], [1.0, 5.0], 3.0)
    stars[n_rated:] = NAN
    none = np.full(len(texts), NAN)
    return texts, kinds, scores, evidence, weak_labels(stars, none, none)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_auto_uses_ratings_when_enough_and_scores_unrated_documents(lang: str) -> None:
    texts, kinds, _, _, rated = rated_batch(lang, n_rated=300)
    # no lexicon evidence at all: only the ratings can produce probabilities
    silent = np.zeros(len(texts))
    probabilities, used = adapted_probabilities(texts, lang, silent, silent != 0, rated,
                                                Adaptation.AUTO, OPTIONS)
    assert used is Adaptation.RATINGS
    assert probabilities.shape == (len(texts), 3)
    assert np.allclose(probabilities.sum(axis=1), 1)
    unrated = np.arange(len(texts)) >= 300
    for kind, column in (("neg", NEGATIVE), ("pos", POSITIVE), ("neu", NEUTRAL)):
        rows = probabilities[unrated & (kinds == kind)]
        assert len(rows) and np.mean(rows.argmax(axis=1) == column) >= 0.9


def test_ratings_mode_with_too_few_ratings_is_off() -> None:
    texts, _, scores, evidence, rated = rated_batch("en", n_rated=OPTIONS.min_ratings - 1)
    assert adapted_probabilities(texts, "en", scores, evidence, rated, Adaptation.RATINGS,
                                 OPTIONS) == (None, Adaptation.OFF)


@pytest.mark.parametrize("n_rated", [None, OPTIONS.min_ratings - 1])
def test_auto_self_trains_without_enough_ratings(n_rated: int | None) -> None:
    texts, _, scores, evidence, rated = rated_batch("en", n_rated=n_rated or 0)
    probabilities, used = adapted_probabilities(
        texts, "en", scores, evidence, None if n_rated is None else rated, Adaptation.AUTO,
        OPTIONS)
    assert used is Adaptation.SELF_TRAINING
    assert probabilities.shape == (len(texts), 3)


def test_self_training_mode_ignores_ratings() -> None:
    texts, _, scores, evidence, rated = rated_batch("en", n_rated=300)
    _, used = adapted_probabilities(texts, "en", scores, evidence, rated,
                                    Adaptation.SELF_TRAINING, OPTIONS)
    assert used is Adaptation.SELF_TRAINING


def test_self_training_without_enough_seeds_is_off() -> None:
    texts, _, scores, _ = batch("en", seed=7)
    one_sided = np.where(scores < 0, 0.0, scores)  # no negative decisions at all
    assert adapted_probabilities(texts, "en", one_sided, one_sided != 0, None,
                                 Adaptation.AUTO, OPTIONS) == (None, Adaptation.OFF)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_self_training_learns_batch_specific_words(lang: str) -> None:
    texts, kinds, scores, evidence = batch(lang, seed=8)
    probabilities, used = adapted_probabilities(texts, lang, scores, evidence, None,
                                                Adaptation.AUTO, OPTIONS)
    assert used is Adaptation.SELF_TRAINING
    assert np.allclose(probabilities.sum(axis=1), 1)
    # the lexicon has nothing on these documents; the classifier learned the batch's words
    assert not evidence[kinds == "neg_only"].any()
    neg_only = probabilities[kinds == "neg_only"]
    pos_only = probabilities[kinds == "pos_only"]
    assert (neg_only[:, NEGATIVE] > neg_only[:, POSITIVE]).all()
    assert (pos_only[:, POSITIVE] > pos_only[:, NEGATIVE]).all()
    assert np.mean(neg_only.argmax(axis=1) == NEGATIVE) >= 0.8
    assert np.mean(pos_only.argmax(axis=1) == POSITIVE) >= 0.8
    # and it keeps the lexicon's own decisions and the silent documents apart (a few neutral
    # templates share characters such as 了 with the complaints, hence the lower bar)
    for kind, column, share in (("neg", NEGATIVE, 0.95), ("pos", POSITIVE, 0.95),
                                ("neu", NEUTRAL, 0.8)):
        assert np.mean(probabilities[kinds == kind].argmax(axis=1) == column) >= share


def test_adapted_probabilities_are_deterministic() -> None:
    texts, _, scores, evidence = batch("zh", seed=9)
    first, _ = adapted_probabilities(texts, "zh", scores, evidence, None, Adaptation.AUTO,
                                     OPTIONS)
    again, _ = adapted_probabilities(list(texts), "zh", scores.copy(), evidence.copy(), None,
                                     Adaptation.AUTO, OPTIONS)
    assert np.array_equal(first, again)
