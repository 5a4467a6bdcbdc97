"""Supervised sentiment model: training, the saved folder and its manifest, loading checks.

Fixtures are synthetic feedback built from phrase lists with a fixed seed: each sentence has a
subject, one or two sentiment phrases and filler, so the classes are learnable from the phrases
but no two classes share a string. Held-out sentences use subjects and fillers never seen in
training, so separating them needs the sentiment phrases, not memorised strings.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import shutil
from collections import Counter
from importlib.metadata import version
from pathlib import Path

import numpy as np
import pytest

from voc import __version__
from voc.errors import ConfigError
from voc.sentiment.metrics import Polarity
from voc.sentiment.model import (
    MANIFEST_FILE,
    MODEL_FILE,
    SentimentModel,
    data_hash,
    load_model,
    save_model,
    train_model,
)

N, U, P = Polarity.NEGATIVE, Polarity.NEUTRAL, Polarity.POSITIVE

PHRASES = {
    "zh": {
        N: ["太差了", "很失望", "速度太慢", "态度恶劣", "质量很差", "一直没退款", "完全不能用",
            "再也不买了", "客服不理人", "坑人"],
        U: ["还行吧", "一般般", "没什么特别的", "已经收到了", "中规中矩", "和描述差不多",
            "请问什么时候发货", "想咨询一下"],
        P: ["非常满意", "很好用", "速度很快", "服务态度好", "质量不错", "物超所值", "客服很耐心",
            "强烈推荐", "包装很精美", "超级喜欢"],
    },
    "en": {
        N: ["terrible experience", "very disappointed", "awfully slow", "rude staff",
            "poor quality", "still no refund", "completely useless", "never buying again",
            "support ignored me", "a total rip-off"],
        U: ["it is okay", "average I guess", "nothing special", "it arrived", "as described",
            "when will it ship", "I have a question", "fairly standard"],
        P: ["really happy", "works great", "super fast", "friendly staff", "excellent quality",
            "great value", "patient support", "highly recommend", "lovely packaging",
            "absolutely love it"],
    },
}
SUBJECTS = {
    "zh": (["快递", "手机", "外卖", "订单", "耳机", "衣服", "售后", "这家店"],
           ["洗衣机", "酒店", "机票", "课程"]),
    "en": (["the delivery", "my phone", "the order", "these headphones", "the jacket",
            "after-sales", "this shop", "the app"],
           ["the washing machine", "the hotel", "my flight", "the course"]),
}
FILLERS = {
    "zh": (["", "。", "，下次再说", "，朋友推荐的", "，第二次买了"], ["！", "，就这样", "，总之"]),
    "en": (["", ".", ", will see next time", ", a friend recommended it", ", second purchase"],
           ["!", ", that's all", ", anyway"]),
}


def sentence(rng: random.Random, lang: str, label: Polarity, held_out: bool) -> str:
    phrases = PHRASES[lang][label]
    first, second = rng.sample(phrases, 2)
    subject = rng.choice(SUBJECTS[lang][held_out])
    filler = rng.choice(FILLERS[lang][held_out])
    sep = "，" if lang == "zh" else ", "
    body = first if rng.random() < 0.5 else first + sep + second
    return subject + sep + body + filler


def corpus(lang: str, n: int, seed: int, classes=(N, U, P), held_out: bool = False,
           noise: float = 0.0) -> tuple[list[str], list[Polarity]]:
    """`n` sentences, classes balanced; a `noise` share of labels is then drawn at random."""
    rng = random.Random(seed)
    labels = [classes[i % len(classes)] for i in range(n)]
    rng.shuffle(labels)
    texts = [sentence(rng, lang, label, held_out) for label in labels]
    labels = [rng.choice(classes) if rng.random() < noise else label for label in labels]
    return texts, labels


@pytest.fixture(scope="module", params=["zh", "en"])
def trained(request) -> tuple[SentimentModel, list[str], list[Polarity]]:
    texts, labels = corpus(request.param, 240, seed=1, noise=0.1)
    return train_model(texts, labels, request.param, seed=3), texts, labels


@pytest.fixture(scope="module")
def two_class() -> tuple[SentimentModel, list[str], list[Polarity]]:
    texts, labels = corpus("en", 120, seed=2, classes=(N, P))
    return train_model(texts, labels, "en", seed=5), texts, labels


@pytest.fixture(scope="module")
def saved_original(tmp_path_factory, two_class) -> Path:
    return save_model(two_class[0], tmp_path_factory.mktemp("model") / "sentiment")


@pytest.fixture
def saved(saved_original: Path, tmp_path: Path) -> Path:
    """A private copy of a saved model folder, free to damage."""
    return Path(shutil.copytree(saved_original, tmp_path / "model"))


def edit_manifest(folder: Path, **changes) -> None:
    path = folder / MANIFEST_FILE
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest.update(changes)
    path.write_text(json.dumps(manifest), encoding="utf-8")


# --- training and the manifest -----------------------------------------------------------------
def test_round_trip_gives_identical_probabilities(trained, tmp_path: Path) -> None:
    model, texts, _ = trained
    folder = save_model(model, tmp_path / "m")
    loaded = load_model(folder)
    probe = texts[:50] + corpus(model.lang, 30, seed=9, held_out=True)[0]
    assert np.array_equal(loaded.probabilities(probe), model.probabilities(probe))
    assert loaded.lang == model.lang
    assert loaded.manifest == json.loads((folder / MANIFEST_FILE).read_text(encoding="utf-8"))


def test_manifest_records_training(trained, tmp_path: Path) -> None:
    model, texts, labels = trained
    folder = save_model(model, tmp_path / "m")
    manifest = json.loads((folder / MANIFEST_FILE).read_text(encoding="utf-8"))
    assert manifest["kind"] == "voc-sentiment-model"
    assert manifest["lang"] == model.lang and manifest["seed"] == 3
    assert manifest["classes"] == ["negative", "neutral", "positive"]
    assert manifest["class_counts"] == {str(k): v for k, v in Counter(labels).items()}
    assert manifest["n"] == len(texts) == 240
    assert manifest["data_sha256"] == data_hash(texts, labels)
    assert manifest["cv_folds"] == 5
    cv = manifest["cv_metrics"]
    assert cv["n"] == 240 and 0.8 < cv["macro_f1"] < 1 and 0.8 < cv["accuracy"] < 1
    assert manifest["voc_version"] == __version__
    assert manifest["versions"]["scikit-learn"] == version("scikit-learn")
    model_bytes = (folder / MODEL_FILE).read_bytes()
    assert manifest["model_sha256"] == hashlib.sha256(model_bytes).hexdigest()
    assert model.manifest["model_sha256"] == manifest["model_sha256"]


def test_model_separates_held_out_positive_and_negative(trained) -> None:
    model, texts, _ = trained
    held_texts, held_labels = corpus(model.lang, 200, seed=11, classes=(N, P), held_out=True)
    assert not set(held_texts) & set(texts)
    probabilities = model.probabilities(held_texts)
    says_positive = probabilities[:, 2] > probabilities[:, 0]
    accuracy = np.mean(says_positive == np.array([label is P for label in held_labels]))
    assert accuracy >= 0.9


def test_probabilities_are_three_columns_in_polarity_order(trained) -> None:
    model, _, _ = trained
    texts, labels = corpus(model.lang, 90, seed=12, held_out=True)
    probabilities = model.probabilities(texts)
    assert probabilities.shape == (90, 3)
    assert np.allclose(probabilities.sum(axis=1), 1)
    predicted = np.array([(N, U, P)[i] for i in probabilities.argmax(axis=1)])
    assert np.mean(predicted == np.array(labels)) >= 0.8


def test_two_class_model_has_zero_neutral_column(two_class) -> None:
    model, _, _ = two_class
    assert model.manifest["classes"] == ["negative", "positive"]
    negative = "the hotel, terrible experience, rude staff!"
    positive = "the hotel, really happy, friendly staff!"
    probabilities = model.probabilities([negative, positive, "the hotel"])
    assert probabilities.shape == (3, 3)
    assert (probabilities[:, 1] == 0).all()
    assert np.allclose(probabilities.sum(axis=1), 1)
    assert probabilities[0, 0] > 0.5 > probabilities[0, 2]
    assert probabilities[1, 2] > 0.5 > probabilities[1, 0]


def test_small_class_reduces_cv_folds() -> None:
    texts, labels = corpus("en", 40, seed=4, classes=(N, P))
    texts += ["it is okay", "nothing special", "as described"]
    labels += [U, U, U]
    model = train_model(texts, labels, "en", seed=0)
    assert model.manifest["cv_folds"] == 3
    assert model.manifest["class_counts"]["neutral"] == 3
    assert model.manifest["cv_metrics"]["n"] == 43


def test_singleton_class_skips_cross_validation() -> None:
    texts, labels = corpus("zh", 30, seed=4, classes=(N, P))
    model = train_model([*texts, "一般般"], [*labels, U], "zh", seed=0)
    assert model.manifest["cv_metrics"] is None
    assert model.manifest["classes"] == ["negative", "neutral", "positive"]


@pytest.mark.parametrize("labels", [[N] * 6, []])
def test_train_model_refuses_fewer_than_two_classes(labels) -> None:
    texts = ["bad"] * len(labels)
    with pytest.raises(ConfigError, match="at least two sentiment classes, found "
                       + ("negative" if labels else "none")):
        train_model(texts, labels, "en", seed=0)


def test_training_is_deterministic(two_class) -> None:
    model, texts, labels = two_class
    again = train_model(list(texts), list(labels), "en", seed=5)
    assert again.manifest["data_sha256"] == model.manifest["data_sha256"]
    assert again.manifest["cv_metrics"] == model.manifest["cv_metrics"]
    probe = corpus("en", 40, seed=13, held_out=True)[0]
    assert np.array_equal(again.probabilities(probe), model.probabilities(probe))


def test_data_hash_depends_on_texts_labels_and_order() -> None:
    texts, labels = ["good", "bad"], [P, N]
    base = data_hash(texts, labels)
    assert base == data_hash(list(texts), list(labels))
    assert len(base) == 64
    assert data_hash(texts, [P, U]) != base
    assert data_hash(texts[::-1], labels[::-1]) != base
    assert data_hash(["goo", "dbad"], labels) != base
    with pytest.raises(ValueError):
        data_hash(texts, [P])


def test_chinese_word_features_include_bigrams() -> None:
    texts, labels = corpus("zh", 60, seed=6, classes=(N, P))
    model = train_model(texts, labels, "zh", seed=0, folds=2)
    words = dict(model.pipeline.named_steps["features"].transformer_list)["tfidfvectorizer-2"]
    assert "退款" in words.vocabulary_
    assert any(term.count(" ") == 1 for term in words.vocabulary_)  # segmented word bigrams


# --- loading checks ----------------------------------------------------------------------------
@pytest.mark.parametrize("missing", [MODEL_FILE, MANIFEST_FILE, None])
def test_load_refuses_folder_without_model_files(saved: Path, missing, tmp_path: Path) -> None:
    if missing is None:
        folder = tmp_path / "empty"
        folder.mkdir()
    else:
        (saved / missing).unlink()
        folder = saved
    with pytest.raises(ConfigError, match=re.escape(
            "not a voc sentiment model (needs manifest.json and model.joblib)")) as caught:
        load_model(folder)
    assert caught.value.path == folder


def test_load_refuses_tampered_model_file(saved: Path) -> None:
    with (saved / MODEL_FILE).open("ab") as handle:
        handle.write(b"\0")
    with pytest.raises(ConfigError, match="model file does not match its manifest") as caught:
        load_model(saved)
    assert caught.value.path == saved / MODEL_FILE


def test_load_refuses_manifest_of_another_kind(saved: Path) -> None:
    edit_manifest(saved, kind="voc-topic-model")
    with pytest.raises(ConfigError, match="manifest is not a voc sentiment model's") as caught:
        load_model(saved)
    assert caught.value.path == saved / MANIFEST_FILE


def test_load_refuses_invalid_json_manifest(saved: Path) -> None:
    (saved / MANIFEST_FILE).write_text('{"kind": "voc-sentiment-model",', encoding="utf-8")
    with pytest.raises(ConfigError, match="manifest is not valid JSON") as caught:
        load_model(saved)
    assert str(saved / MANIFEST_FILE) in str(caught.value)


@pytest.mark.parametrize("content", ["[]", '"voc-sentiment-model"', "null"])
def test_load_refuses_manifest_that_is_not_an_object(saved: Path, content: str) -> None:
    (saved / MANIFEST_FILE).write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match="manifest is not a voc sentiment model's"):
        load_model(saved)


def test_load_refuses_other_scikit_learn_minor_version(saved: Path) -> None:
    major, minor = version("scikit-learn").split(".")[:2]
    other = f"{major}.{int(minor) + 1}.0"
    manifest = json.loads((saved / MANIFEST_FILE).read_text(encoding="utf-8"))
    edit_manifest(saved, versions=dict(manifest["versions"], **{"scikit-learn": other}))
    with pytest.raises(ConfigError, match=f"trained with scikit-learn {other}; this is "
                       f"{version('scikit-learn')}: retrain it") as caught:
        load_model(saved)
    assert caught.value.path == saved


def test_load_accepts_other_scikit_learn_patch_version(saved: Path) -> None:
    major, minor = version("scikit-learn").split(".")[:2]
    manifest = json.loads((saved / MANIFEST_FILE).read_text(encoding="utf-8"))
    edit_manifest(saved, versions=dict(manifest["versions"],
                                       **{"scikit-learn": f"{major}.{minor}.999"}))
    assert load_model(saved).probabilities(["the hotel, works great"])[0, 2] > 0.5
