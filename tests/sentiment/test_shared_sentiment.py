"""Sentiment on samples of the public labelled sets in ../shared/data (floors, not targets:
the full-set figures come from benchmarks/sentiment.py)."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.conftest import SHARED_DATA
from voc.sentiment.adapt import Adaptation
from voc.sentiment.metrics import normalise_labels, parse_label_map, sentiment_metrics
from voc.sentiment.scorer import LexiconScorer
from voc.sentiment.stage import score_texts_for_eval

pytestmark = [
    pytest.mark.shared_data,
    pytest.mark.skipif(not SHARED_DATA.is_dir(),
                       reason=f"public data sets not found at {SHARED_DATA}"),
]
SAMPLE = 2000


@pytest.fixture(scope="module")
def scorer() -> LexiconScorer:
    return LexiconScorer()


def _sample(path: str, text: str, label: str, mapping: str | None) -> tuple[list[str], list]:
    frame = pd.read_csv(SHARED_DATA / path, dtype=str, keep_default_na=False)
    frame = frame[frame[text].str.strip() != ""].sample(SAMPLE, random_state=1)
    return frame[text].tolist(), normalise_labels(frame[label].tolist(),
                                                  parse_label_map(mapping))


@pytest.mark.parametrize(("path", "lang", "lexicon_floor", "default_floor"), [
    ("waimai_10k/waimai_10k.csv", "zh", 0.78, 0.80),
    ("chnsenticorp_htl/ChnSentiCorp_htl_all.csv", "zh", 0.74, 0.80),
])
def test_chinese_reviews_beat_the_floor_without_labels(scorer, path: str, lang: str,
                                                       lexicon_floor: float,
                                                       default_floor: float) -> None:
    texts, truth = _sample(path, "review", "label", "0=negative,1=positive")
    lexicon = sentiment_metrics(truth, score_texts_for_eval(texts, lang, True, Adaptation.OFF,
                                                            scorer))
    default = sentiment_metrics(truth, score_texts_for_eval(texts, lang, True,
                                                            Adaptation.AUTO, scorer))
    assert lexicon.macro_f1 >= lexicon_floor
    assert default.macro_f1 >= default_floor


def test_airline_tweets_three_classes_beat_vader_without_labels(scorer) -> None:
    texts, truth = _sample("twitter_us_airline/Tweets.csv", "text", "airline_sentiment", None)
    default = sentiment_metrics(truth, score_texts_for_eval(texts, "en", False,
                                                            Adaptation.AUTO, scorer))
    assert set(default.per_class) == {"negative", "neutral", "positive"}
    assert default.macro_f1 >= 0.56  # VADER: 0.46 on the full set
