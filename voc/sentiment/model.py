"""Supervised sentiment: a classifier trained on a team's hand-labelled sample.

Features: TF-IDF character n-grams (1–3) and segmented word uni- and bigrams (Chinese), or
words and in-word character 2–5-grams (English), with class-balanced logistic regression; its
class probabilities are then nudged by the lexicon scorer's score (`LEXICON_WEIGHT`). Both
choices were measured best in 5-fold CV on the dev sets (README "Sentiment"), and the lexicon
term keeps a model sensible on words its training sample never had.

A model is a folder: `model.joblib` (the fitted scikit-learn pipeline) and `manifest.json`
(parameters, seed, a hash of the training data, cross-validated metrics, versions, and the
model file's own hash, checked when the model is loaded).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

import joblib
import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import Pipeline, make_union

from voc import __version__
from voc.errors import ConfigError
from voc.provenance import dependency_versions, now_utc
from voc.sentiment.metrics import Polarity, sentiment_metrics
from voc.text.chinese import ChineseSegmenter

MODEL_FILE = "model.joblib"
MANIFEST_FILE = "manifest.json"
CLASS_ORDER = (Polarity.NEGATIVE, Polarity.NEUTRAL, Polarity.POSITIVE)
CV_FOLDS = 5
LEXICON_WEIGHT = 0.7


class SegmentedWords:
    """Picklable tokenizer: Chinese words from the (cached) segmenter, English words as is."""

    def __init__(self) -> None:
        self._segmenter: ChineseSegmenter | None = None

    def __call__(self, text: str) -> list[str]:
        if self._segmenter is None:
            self._segmenter = ChineseSegmenter()
        return [token for token in self._segmenter.cut_one(text.lower()) if token.strip()]

    def __getstate__(self) -> dict[str, Any]:
        return {"_segmenter": None}  # the segmenter is rebuilt on load, never pickled

    def __setstate__(self, state: dict[str, Any]) -> None:
        self._segmenter = None


def build_pipeline(lang: str, seed: int, c: float = 4.0) -> Pipeline:
    if lang == "zh":
        features = make_union(
            TfidfVectorizer(analyzer="char", ngram_range=(1, 3), min_df=2, sublinear_tf=True),
            TfidfVectorizer(tokenizer=SegmentedWords(), token_pattern=None, lowercase=False,
                            ngram_range=(1, 2), min_df=2, sublinear_tf=True))
    else:
        features = make_union(
            TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True,
                            token_pattern=r"(?u)\b\w[\w']*\b"),
            TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2,
                            sublinear_tf=True))
    return Pipeline([("features", features),
                     ("classifier", LogisticRegression(C=c, max_iter=3000,
                                                       class_weight="balanced",
                                                       random_state=seed))])


def with_lexicon(probabilities: np.ndarray, lexicon_scores: np.ndarray,
                 weight: float) -> np.ndarray:
    """Class scores (negative, neutral, positive): the model's probabilities with half the
    weighted lexicon score added to positive and half taken from negative, so that
    P(positive) − P(negative) moves by weight × score. The largest is the label."""
    adjusted = probabilities.copy()
    adjusted[:, 0] -= weight / 2 * lexicon_scores
    adjusted[:, 2] += weight / 2 * lexicon_scores
    adjusted[:, 1] = np.where(probabilities[:, 1] > 0, adjusted[:, 1], -np.inf)
    return adjusted


def lexicon_scores(texts: Sequence[str]) -> np.ndarray:
    from voc.sentiment.scorer import LexiconScorer

    return LexiconScorer().score(texts).documents["score"].to_numpy()


def data_hash(texts: Sequence[str], labels: Sequence[Polarity]) -> str:
    digest = hashlib.sha256()
    for text, label in zip(texts, labels, strict=True):
        digest.update(text.encode("utf-8") + b"\x1f" + label.value.encode() + b"\x1e")
    return digest.hexdigest()


@dataclass
class SentimentModel:
    pipeline: Pipeline
    manifest: dict[str, Any]

    @property
    def lang(self) -> str:
        return str(self.manifest["lang"])

    @property
    def lexicon_weight(self) -> float:
        return float(self.manifest.get("params", {}).get("lexicon_weight", 0.0))

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """Documents × (negative, neutral, positive); classes the model never saw get 0."""
        raw = self.pipeline.predict_proba(list(texts))
        out = np.zeros((len(texts), 3), dtype=np.float64)
        for column, name in enumerate(self.pipeline.classes_):
            out[:, CLASS_ORDER.index(Polarity(name))] = raw[:, column]
        return out

    def class_scores(self, texts: Sequence[str], lexicon: np.ndarray) -> np.ndarray:
        """Probabilities nudged by the lexicon scores (see `with_lexicon`)."""
        return with_lexicon(self.probabilities(texts), lexicon, self.lexicon_weight)

    def predict(self, texts: Sequence[str], lexicon: np.ndarray) -> list[Polarity]:
        return [CLASS_ORDER[i] for i in self.class_scores(texts, lexicon).argmax(axis=1)]


def cross_validate(texts: Sequence[str], labels: Sequence[Polarity], lang: str,
                   seed: int, folds: int = CV_FOLDS,
                   lexicon: np.ndarray | None = None) -> dict[str, Any]:
    """Stratified k-fold metrics of the same recipe (what the manifest reports)."""
    lexicon = lexicon_scores(texts) if lexicon is None else lexicon
    y = np.array([label.value for label in labels])
    predicted: list[Polarity | None] = [None] * len(y)
    splitter = StratifiedKFold(folds, shuffle=True, random_state=seed)
    text_array = np.asarray(texts, dtype=object)
    for train, test in splitter.split(text_array, y):
        model = SentimentModel(build_pipeline(lang, seed).fit(list(text_array[train]),
                                                              y[train]),
                               {"lang": lang, "params": {"lexicon_weight": LEXICON_WEIGHT}})
        for row, label in zip(test, model.predict(list(text_array[test]), lexicon[test]),
                              strict=True):
            predicted[row] = label
    return sentiment_metrics(list(labels), [label for label in predicted if label]).to_dict()


def train_model(texts: Sequence[str], labels: Sequence[Polarity], lang: str, seed: int,
                folds: int = CV_FOLDS) -> SentimentModel:
    """Fit on all labelled texts; the manifest carries k-fold CV metrics of the same recipe."""
    texts = [text or "" for text in texts]
    counts = {label.value: sum(1 for item in labels if item is label) for label in CLASS_ORDER}
    present = {name: n for name, n in counts.items() if n}
    if len(present) < 2:
        raise ConfigError("training needs at least two sentiment classes, found "
                          + (", ".join(present) or "none"))
    smallest = min(present.values())
    cv_folds = min(folds, smallest) if smallest >= 2 else 0  # 0: too few for any CV
    lexicon = lexicon_scores(texts)
    metrics = cross_validate(texts, labels, lang, seed, cv_folds, lexicon) if cv_folds else None
    pipeline = build_pipeline(lang, seed).fit(texts, [label.value for label in labels])
    manifest = {
        "kind": "voc-sentiment-model", "lang": lang, "seed": seed,
        "params": {"features": "tfidf char+word n-grams",
                   "classifier": "logistic regression (class-balanced)", "C": 4.0,
                   "lexicon_weight": LEXICON_WEIGHT},
        "classes": sorted(present), "class_counts": present, "n": len(texts),
        "data_sha256": data_hash(texts, labels), "cv_folds": cv_folds,
        "cv_metrics": metrics, "voc_version": __version__,
        "versions": dependency_versions(), "created_at": now_utc().isoformat() + "Z"}
    return SentimentModel(pipeline, manifest)


def save_model(model: SentimentModel, directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / MODEL_FILE
    joblib.dump(model.pipeline, path)
    manifest = dict(model.manifest, model_sha256=_file_hash(path))
    (directory / MANIFEST_FILE).write_text(json.dumps(manifest, indent=2, ensure_ascii=False),
                                           encoding="utf-8")
    model.manifest = manifest
    return directory


def load_model(directory: Path) -> SentimentModel:
    """Load a saved model, refusing a folder whose files do not match their manifest."""
    manifest_path, model_path = directory / MANIFEST_FILE, directory / MODEL_FILE
    if not manifest_path.is_file() or not model_path.is_file():
        raise ConfigError(f"not a voc sentiment model (needs {MANIFEST_FILE} and "
                          f"{MODEL_FILE})", directory)
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ConfigError(f"manifest is not valid JSON: {exc}", manifest_path) from exc
    if not isinstance(manifest, dict) or manifest.get("kind") != "voc-sentiment-model":
        raise ConfigError("manifest is not a voc sentiment model's", manifest_path)
    if manifest.get("model_sha256") != _file_hash(model_path):
        raise ConfigError("model file does not match its manifest (changed or damaged)",
                          model_path)
    versions = manifest.get("versions")
    trained_with = versions.get("scikit-learn") if isinstance(versions, dict) else None
    if trained_with and _minor(trained_with) != _minor(version("scikit-learn")):
        raise ConfigError(f"model was trained with scikit-learn {trained_with}; this is "
                          f"{version('scikit-learn')}: retrain it with voc train sentiment",
                          directory)
    return SentimentModel(joblib.load(model_path), manifest)


def _minor(text: str) -> str:
    return ".".join(text.split(".")[:2])


def _file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
