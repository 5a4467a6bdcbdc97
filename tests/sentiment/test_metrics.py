"""Sentiment metrics on hand-counted fixtures, and label normalisation."""

from __future__ import annotations

import json

import numpy as np
import pytest

from voc.errors import ConfigError
from voc.sentiment.metrics import (
    Polarity,
    normalise_labels,
    parse_label_map,
    sentiment_metrics,
)

N, U, P = Polarity.NEGATIVE, Polarity.NEUTRAL, Polarity.POSITIVE


# --- metrics -----------------------------------------------------------------------------------
def test_metrics_two_class_hand_counted() -> None:
    # neg: 3 right, 1 called positive; pos: 5 right, 1 called negative.
    truth = [N, N, N, N, P, P, P, P, P, P]
    predicted = [N, N, N, P, P, P, P, P, N, P]
    m = sentiment_metrics(truth, predicted)
    assert m.n == 10 and m.accuracy == pytest.approx(0.8)
    assert m.per_class["negative"] == pytest.approx(
        {"precision": 0.75, "recall": 0.75, "f1": 0.75, "support": 4})
    assert m.per_class["positive"] == pytest.approx(
        {"precision": 5 / 6, "recall": 5 / 6, "f1": 5 / 6, "support": 6})
    assert m.macro_f1 == pytest.approx((0.75 + 5 / 6) / 2)
    assert m.confusion == {"negative": {"negative": 3, "positive": 1},
                           "positive": {"negative": 1, "positive": 5}}


def test_metrics_three_class_hand_counted() -> None:
    truth = [N, N, N, U, U, P, P, P, P]
    predicted = [N, N, U, U, P, P, P, P, N]
    m = sentiment_metrics(truth, predicted)
    assert m.accuracy == pytest.approx(6 / 9)
    assert {label: row["f1"] for label, row in m.per_class.items()} == pytest.approx(
        {"negative": 2 / 3, "neutral": 1 / 2, "positive": 3 / 4})
    assert m.macro_f1 == pytest.approx(23 / 36)
    assert m.confusion == {"negative": {"negative": 2, "neutral": 1, "positive": 0},
                           "neutral": {"negative": 0, "neutral": 1, "positive": 1},
                           "positive": {"negative": 1, "neutral": 0, "positive": 3}}


def test_metrics_neutral_predicted_on_two_class_data_is_an_error_not_a_class() -> None:
    m = sentiment_metrics([N, N, P, P], [N, U, P, U])
    assert m.accuracy == 0.5
    assert set(m.per_class) == {"negative", "positive"}
    assert m.per_class["negative"] == pytest.approx(
        {"precision": 1.0, "recall": 0.5, "f1": 2 / 3, "support": 2})
    # Averaged over the two truth classes; a zero-F1 neutral class would give 4/9.
    assert m.macro_f1 == pytest.approx(2 / 3)
    assert m.confusion == {"negative": {"negative": 1, "neutral": 1, "positive": 0},
                           "positive": {"negative": 0, "neutral": 1, "positive": 1}}


def test_metrics_class_never_predicted_scores_zero() -> None:
    m = sentiment_metrics([N, P, P], [P, P, P])
    assert m.per_class["negative"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 1}
    assert m.per_class["positive"]["precision"] == pytest.approx(2 / 3)
    assert m.macro_f1 == pytest.approx((0 + 0.8) / 2)


def test_metrics_to_dict_is_plain_json() -> None:
    m = sentiment_metrics(["negative", "positive"], [N, P])  # plain strings are accepted too
    data = m.to_dict()
    assert list(data) == ["accuracy", "macro_f1", "per_class", "confusion", "n"]
    assert json.loads(json.dumps(data)) == data
    assert data["accuracy"] == 1.0 and data["macro_f1"] == 1.0 and data["n"] == 2


def test_metrics_rejects_mismatched_or_empty_input() -> None:
    with pytest.raises(ValueError, match="2 true labels but 1 predictions"):
        sentiment_metrics([N, P], [N])
    with pytest.raises(ValueError, match="no labels"):
        sentiment_metrics([], [])
    with pytest.raises(ValueError):
        sentiment_metrics([N], ["mixed"])  # type: ignore[list-item]


# --- label map ---------------------------------------------------------------------------------
def test_metrics_parse_label_map_accepts_names_in_both_languages() -> None:
    assert parse_label_map("0=negative,1=positive") == {"0": N, "1": P}
    assert parse_label_map(" 0 = NEG , 1=pos, 2=neu ") == {"0": N, "1": P, "2": U}
    assert parse_label_map("差=负面,中=中性,好=正面") == {"差": N, "中": U, "好": P}
    assert parse_label_map(None) == {} and parse_label_map("  ") == {}


@pytest.mark.parametrize(("spec", "message"), [
    ("0negative", "expected value=polarity pairs"),
    ("0=", "got '0='"),
    ("=negative", "got '=negative'"),
    ("0=negative,,1=positive", "got ''"),
    ("0=bad", "unknown polarity 'bad' for value '0'"),
    ("0=negative,0=positive", "value '0' is mapped twice"),
])
def test_metrics_parse_label_map_errors_say_what_is_wrong(spec: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message) as caught:
        parse_label_map(spec)
    assert repr(spec) in str(caught.value)


# --- normalise ---------------------------------------------------------------------------------
def test_metrics_normalise_names_case_insensitively() -> None:
    values = ["Positive", " NEG ", "neutral", "中性", "好评", "差评", "正面", "负面", "Pos"]
    assert normalise_labels(values, None) == [P, N, U, U, P, N, P, N, P]


def test_metrics_normalise_minus_one_zero_one_without_a_map() -> None:
    assert normalise_labels([-1, 0, 1.0, "1", "-1", np.int64(0)], None) == [N, U, P, P, N, U]


@pytest.mark.parametrize("values", [[0, 1, 1, 0], ["1", "0"], [0.0, 1.0], [0, 0]])
def test_metrics_normalise_refuses_zero_one_data_without_a_map(values: list[object]) -> None:
    with pytest.raises(ConfigError, match="--map") as caught:
        normalise_labels(values, None)
    assert "distinct values: '0'" in str(caught.value)


def test_metrics_normalise_with_a_map_reads_ints_floats_and_text() -> None:
    mapping = parse_label_map("0=negative,1=positive")
    assert normalise_labels([0, 1, "1", 1.0, np.int64(0), " 0 "], mapping) == [N, P, P, P, N, N]
    # An empty map is no map.
    assert normalise_labels(["pos"], {}) == [P]


def test_metrics_normalise_names_the_row_of_an_unknown_value() -> None:
    with pytest.raises(ConfigError, match=r"row 3: unknown label 'meh'"):
        normalise_labels(["pos", "neg", "meh"], None)
    with pytest.raises(ConfigError, match=r"row 2: unknown label 2; the label map covers '0'"):
        normalise_labels([0, 2], parse_label_map("0=negative,1=positive"))
    with pytest.raises(ConfigError, match=r"row 2: an empty label"):
        normalise_labels(["pos", float("nan")], None)
