"""The batch stage: lexicon scores adapted per language group, blended, evaluated."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from voc.sentiment.adapt import Adaptation, AdaptOptions
from voc.sentiment.metrics import Polarity
from voc.sentiment.scorer import LexiconScorer
from voc.sentiment.stage import blended, polarity_for_eval, score_documents


@pytest.fixture(scope="module")
def scorer() -> LexiconScorer:
    return LexiconScorer()


def batch(seed: int = 3) -> tuple[list[str], list[str], np.ndarray]:
    """A small two-language batch where "结块"/"lumpy" are complaints the lexicon does not know
    but that co-occur with words it does know."""
    rng = np.random.default_rng(seed)
    texts, langs, truth = [], [], []
    for _ in range(120):
        texts.append(rng.choice(["奶粉结块，太差了", "收到就结块了，很失望", "全都结块，差评"]))
        langs.append("zh"), truth.append(0)
        texts.append(rng.choice(["冲得很开，满意", "口感不错，点赞", "很好，下次还买"]))
        langs.append("zh"), truth.append(2)
        texts.append(rng.choice(["lumpy powder, awful", "lumpy and stale, terrible",
                                 "lumpy again, very disappointed"]))
        langs.append("en"), truth.append(0)
        texts.append(rng.choice(["great powder, loved it", "excellent and fast",
                                 "smooth, thank you"]))
        langs.append("en"), truth.append(2)
    texts += ["结块", "lumpy"]
    langs += ["zh", "en"]
    return texts, langs, np.array([*truth, 0, 0])


def test_self_training_learns_batch_words(scorer) -> None:
    texts, langs, _ = batch()
    off = score_documents(texts, langs, scorer, Adaptation.OFF)
    adapted = score_documents(texts, langs, scorer, Adaptation.SELF_TRAINING)
    assert off.modes == {"zh": "off", "en": "off"}
    assert adapted.modes == {"zh": "self_training", "en": "self_training"}
    # the lexicon alone has no opinion on the bare batch words; the adapted scorer has
    assert off.scores.documents["score"].iloc[-2:].tolist() == [0, 0]
    assert (adapted.scores.documents["score"].iloc[-2:] < 0).all()
    # clause scores stay the lexicon's: they explain the document score
    assert off.scores.clauses.equals(adapted.scores.clauses)


def test_ratings_are_used_when_enough_records_have_them(scorer) -> None:
    texts, langs, truth = batch()
    rated = np.where(np.arange(len(texts)) % 8 < 4, truth, -1)  # half the records rated
    result = score_documents(texts, langs, scorer, Adaptation.AUTO, rated,
                             AdaptOptions(min_ratings=50))
    assert result.modes == {"zh": "ratings", "en": "ratings"}
    labels = result.scores.documents["label"].to_numpy()
    assert (labels[truth == 0] == "negative").mean() > 0.9


def test_auto_without_ratings_self_trains_and_off_is_lexicon_only(scorer) -> None:
    texts, langs, _ = batch()
    assert score_documents(texts, langs, scorer).modes == {"zh": "self_training",
                                                           "en": "self_training"}
    lexicon = scorer.score(texts).documents
    assert score_documents(texts, langs, scorer, Adaptation.OFF).scores.documents.equals(lexicon)


def test_adapted_results_are_deterministic(scorer) -> None:
    texts, langs, _ = batch()
    first = score_documents(texts, langs, scorer).scores.documents
    assert first.equals(score_documents(texts, langs, scorer).scores.documents)


def test_blend_follows_score_and_reports_label_probability() -> None:
    probabilities = np.array([[0.8, 0.1, 0.1], [0.1, 0.1, 0.8], [0.2, 0.6, 0.2]])
    frame = blended(np.array([-0.5, 0.5, 0.0]), probabilities, 0.1)
    assert frame["label"].tolist() == ["negative", "positive", "neutral"]
    assert frame["score"].tolist() == pytest.approx([-0.6, 0.6, 0.0])
    assert frame["confidence"].tolist() == pytest.approx([0.8, 0.8, 0.6])


def test_two_class_evaluation_resolves_neutral_by_sign() -> None:
    documents = pd.DataFrame({"score": [0.05, -0.02, 0.5], "label": ["neutral"] * 2 + ["positive"]})
    assert polarity_for_eval(documents, binary=True) == [Polarity.POSITIVE, Polarity.NEGATIVE,
                                                         Polarity.POSITIVE]
    assert polarity_for_eval(documents, binary=False)[0] is Polarity.NEUTRAL
