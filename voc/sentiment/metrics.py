"""Sentiment evaluation: label normalisation and the scores voc reports against labelled data.

Labelled feedback arrives with its own label spellings (0/1, -1/0/1, "neg", 好评, ...). They are
mapped onto three polarities once, with `normalise_labels`, so every scorer and every peer is
measured by the same function, `sentiment_metrics`.

>>> truth = normalise_labels(["pos", "neg", "pos"], None)
>>> sentiment_metrics(truth, [Polarity.POSITIVE] * 3).accuracy
0.6666666666666666
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sklearn.metrics import precision_recall_fscore_support

from voc.errors import ConfigError


class Polarity(StrEnum):
    NEGATIVE = "negative"
    NEUTRAL = "neutral"
    POSITIVE = "positive"


ORDER = (Polarity.NEGATIVE, Polarity.NEUTRAL, Polarity.POSITIVE)

# Names accepted both as data values and on the right-hand side of a label map (casefolded).
NAMES: dict[str, Polarity] = {
    "negative": Polarity.NEGATIVE, "neg": Polarity.NEGATIVE, "负面": Polarity.NEGATIVE,
    "差评": Polarity.NEGATIVE,
    "neutral": Polarity.NEUTRAL, "neu": Polarity.NEUTRAL, "中性": Polarity.NEUTRAL,
    "positive": Polarity.POSITIVE, "pos": Polarity.POSITIVE, "正面": Polarity.POSITIVE,
    "好评": Polarity.POSITIVE,
}
# Numbers only without a map: the -1/0/1 convention. 0/1 data is rejected as ambiguous below.
NUMBERS: dict[str, Polarity] = {"-1": Polarity.NEGATIVE, "0": Polarity.NEUTRAL,
                                "1": Polarity.POSITIVE, "+1": Polarity.POSITIVE}
MAP_EXAMPLE = "--map 0=negative,1=positive"
SHOW_VALUES = 10


# --- labels ------------------------------------------------------------------------------------
def parse_label_map(spec: str | None) -> dict[str, Polarity]:
    """Parse "value=polarity" pairs separated by commas; None or blank gives an empty map.

    Keys are compared with data values stripped and casefolded; the polarity is any name in
    `NAMES` (negative/neg/负面, neutral/neu/中性, positive/pos/正面, ...).

    >>> parse_label_map("0=negative, 1=pos")
    {'0': <Polarity.NEGATIVE: 'negative'>, '1': <Polarity.POSITIVE: 'positive'>}
    """
    mapping: dict[str, Polarity] = {}
    if spec is None or not spec.strip():
        return mapping
    for pair in spec.split(","):
        key, polarity = _parse_pair(pair, spec)
        if key in mapping:
            raise ConfigError(f"label map {spec!r}: value {key!r} is mapped twice")
        mapping[key] = polarity
    return mapping


def _parse_pair(pair: str, spec: str) -> tuple[str, Polarity]:
    key, sep, name = pair.partition("=")
    key, name = key.strip().casefold(), name.strip().casefold()
    if not sep or not key or not name:
        raise ConfigError(f"label map {spec!r}: expected value=polarity pairs separated by "
                          f"commas, got {pair.strip()!r} (example: {MAP_EXAMPLE})")
    if name not in NAMES:
        raise ConfigError(f"label map {spec!r}: unknown polarity {name!r} for value {key!r}; "
                          f"use one of {', '.join(NAMES)}")
    return key, NAMES[name]


def _key(value: object) -> str:
    """The text a label is matched on: 1, 1.0, " 1 " and "1" all become "1"; missing is ""."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        return str(int(value))
    if isinstance(value, numbers.Real) and float(value).is_integer():
        return str(int(value))
    return str(value).strip().casefold()


def normalise_labels(values: Sequence[object],
                     mapping: dict[str, Polarity] | None) -> list[Polarity]:
    """Map labelled data onto polarities; raise ConfigError naming the first bad row (1-based).

    Without a mapping (None or empty) the names in `NAMES` and -1/0/1 are recognised,
    case-insensitively. Data whose numbers are 0 (and 1) without -1 is refused: 0 means
    negative in 0/1 data but neutral in -1/0/1 data, so the caller must pass a map.
    """
    keys = [_key(value) for value in values]
    if mapping:
        table, hint = mapping, f"the label map covers {', '.join(map(repr, mapping))}"
    else:
        _refuse_ambiguous_numbers(keys)
        table = {**NAMES, **NUMBERS}
        hint = f"known labels are {', '.join(NAMES)} and -1/0/1; or pass a map ({MAP_EXAMPLE})"
    labels = []
    for row, (key, value) in enumerate(zip(keys, values, strict=True), start=1):
        if key not in table:
            found = "an empty label" if not key else f"unknown label {value!r}"
            raise ConfigError(f"row {row}: {found}; {hint}")
        labels.append(table[key])
    return labels


def _refuse_ambiguous_numbers(keys: Sequence[str]) -> None:
    distinct = set(keys)
    if "0" in distinct and "-1" not in distinct:
        shown = ", ".join(repr(key) for key in sorted(distinct)[:SHOW_VALUES])
        more = f" and {len(distinct) - SHOW_VALUES} more" if len(distinct) > SHOW_VALUES else ""
        raise ConfigError(f"labels look like 0/1 data (distinct values: {shown}{more}): 0 means "
                          "negative there but neutral in -1/0/1 data, so say which with a map, "
                          f"e.g. {MAP_EXAMPLE}")


# --- scores ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SentimentMetrics:
    """Scores over the classes present in the truth; see `sentiment_metrics`."""

    accuracy: float
    macro_f1: float
    per_class: dict[str, dict[str, float]]  # class -> precision, recall, f1, support
    confusion: dict[str, dict[str, int]]  # true class -> predicted class -> count
    n: int

    def to_dict(self) -> dict[str, Any]:
        return {"accuracy": self.accuracy, "macro_f1": self.macro_f1,
                "per_class": {label: dict(row) for label, row in self.per_class.items()},
                "confusion": {label: dict(row) for label, row in self.confusion.items()},
                "n": self.n}


def sentiment_metrics(truth: Sequence[Polarity], predicted: Sequence[Polarity]) -> SentimentMetrics:
    """Accuracy, macro-F1, per-class scores and the confusion table.

    The classes are those present in `truth` (two for neg/pos data, three with neutral). A
    prediction of a class absent from the truth, such as neutral on neg/pos data, is simply
    wrong: it lowers accuracy and the recall of the true class, and gets a confusion column of
    its own. Macro-F1 averages the truth classes only, so such a class cannot add a zero F1.

    >>> m = sentiment_metrics([Polarity.NEGATIVE, Polarity.POSITIVE],
    ...                       [Polarity.NEUTRAL, Polarity.POSITIVE])
    >>> m.accuracy, m.macro_f1, m.confusion["negative"]
    (0.5, 0.5, {'negative': 0, 'neutral': 1, 'positive': 0})
    """
    if len(truth) != len(predicted):
        raise ValueError(f"{len(truth)} true labels but {len(predicted)} predictions")
    if not truth:
        raise ValueError("no labels to score")
    true = [Polarity(label) for label in truth]
    pred = [Polarity(label) for label in predicted]
    classes = [label for label in ORDER if label in set(true)]
    precision, recall, f1, support = precision_recall_fscore_support(
        [str(label) for label in true], [str(label) for label in pred],
        labels=[str(label) for label in classes], average=None, zero_division=0)
    per_class = {str(label): {"precision": float(precision[i]), "recall": float(recall[i]),
                              "f1": float(f1[i]), "support": int(support[i])}
                 for i, label in enumerate(classes)}
    return SentimentMetrics(
        accuracy=sum(t == p for t, p in zip(true, pred, strict=True)) / len(true),
        macro_f1=float(sum(f1) / len(classes)),
        per_class=per_class,
        confusion=_confusion(true, pred, classes),
        n=len(true))


def _confusion(true: list[Polarity], pred: list[Polarity],
               classes: list[Polarity]) -> dict[str, dict[str, int]]:
    """Rows: truth classes; columns: truth classes plus any other class that was predicted."""
    columns = [label for label in ORDER if label in set(classes) | set(pred)]
    table = {str(row): dict.fromkeys(map(str, columns), 0) for row in classes}
    for t, p in zip(true, pred, strict=True):
        table[str(t)][str(p)] += 1
    return table
