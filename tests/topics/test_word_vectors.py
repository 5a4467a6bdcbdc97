from __future__ import annotations

import numpy as np
import pytest

from voc.topics import word_vectors
from voc.topics.vectorize import DocumentVectorizer
from voc.topics.word_vectors import (
    WordVectors,
    cooccurrences,
    ppmi_vectors,
    train_word_vectors,
)

# Two groups of words that only ever appear among themselves: delivery words and billing words.
GROUPS = (["parcel", "courier", "late", "tracking", "warehouse"],
          ["charge", "twice", "card", "invoice", "bank"])


def _sentences(count: int = 400, seed: int = 0) -> list[list[str]]:
    rng = np.random.default_rng(seed)
    return [list(rng.choice(GROUPS[index % 2], size=6)) for index in range(count)]


def test_word_vectors_cooccurrences_weigh_distance_and_stop_at_sentence_ends() -> None:
    index = {"a": 0, "b": 1, "c": 2}
    counts, occurrences = cooccurrences([["a", "b", "zz", "c"], ["c", "a"]], index, window=2)
    dense = counts.toarray()
    # "zz" is not in the vocabulary: it is dropped before the window is laid, so a-b and b-c
    # are neighbours (weight 1) and a-c two apart (weight 1/2), plus c-a in the second sentence
    assert dense[0, 1] == dense[1, 0] == 1.0
    assert dense[1, 2] == 1.0
    assert dense[0, 2] == dense[2, 0] == 1.5
    assert np.array_equal(occurrences, [2, 1, 2])
    # nothing reaches across the boundary: the first sentence's last "c" and the second's "c"
    assert dense[2, 2] == 0


def test_word_vectors_cooccurrences_are_the_same_in_blocks(monkeypatch) -> None:
    sentences = _sentences(50)
    index = {word: column for column, word in enumerate(sorted({*GROUPS[0], *GROUPS[1]}))}
    whole, occurrences = cooccurrences(sentences, index, window=5)
    monkeypatch.setattr(word_vectors, "BLOCK_TOKENS", 7)
    blocked, blocked_occurrences = cooccurrences(sentences, index, window=5)
    assert np.allclose(whole.toarray(), blocked.toarray())
    assert np.array_equal(occurrences, blocked_occurrences)


@pytest.mark.parametrize("kind", list(WordVectors))
def test_word_vectors_put_words_of_a_group_together(kind: WordVectors) -> None:
    vocabulary = [*GROUPS[0], *GROUPS[1], "rare"]
    sentences = [*_sentences(), ["rare", "parcel"]]
    vectors = train_word_vectors(kind, sentences, vocabulary, dims=8, window=3, min_count=3,
                                 epochs=40, seed=1)  # word2vec needs passes on 2,400 tokens
    assert vectors.shape == (11, 8)
    assert not vectors[10].any()  # seen once: below min_count, no vector
    unit = vectors[:10] / np.linalg.norm(vectors[:10], axis=1, keepdims=True)
    similarity = unit @ unit.T
    group = np.repeat([0, 1], 5)
    same = similarity[(group[:, None] == group[None, :]) & ~np.eye(10, dtype=bool)].mean()
    different = similarity[group[:, None] != group[None, :]].mean()
    assert same > different + 0.5


def test_word_vectors_ppmi_is_deterministic_and_handles_tiny_input() -> None:
    vocabulary = [*GROUPS[0], *GROUPS[1]]
    first = ppmi_vectors(_sentences(), vocabulary, dims=4, window=3, min_count=1, seed=3)
    second = ppmi_vectors(_sentences(), vocabulary, dims=4, window=3, min_count=1, seed=3)
    assert np.array_equal(first, second)
    assert not ppmi_vectors([], vocabulary, dims=4, window=3, min_count=1, seed=3).any()
    single = ppmi_vectors([["parcel"]], ["parcel"], dims=4, window=3, min_count=1, seed=3)
    assert single.shape == (1, 4) and not single.any()


def test_word_vectors_choice_reaches_the_vectorizer(planted) -> None:
    docs, truth = planted
    labels = np.array(truth)
    for kind in WordVectors:
        vectorizer = DocumentVectorizer(min_df=2, lsa_dims=10, word_epochs=5, seed=1,
                                        word_vectors=kind, blocks={"sif": 1.0}).fit(docs)
        vectors = vectorizer.transform(docs)
        similarity = vectors @ vectors.T
        assert similarity[labels[:, None] == labels[None, :]].mean() > similarity[
            labels[:, None] != labels[None, :]].mean() + 0.3
    with pytest.raises(ValueError, match="bogus"):
        DocumentVectorizer(min_df=2, word_vectors="bogus").fit(docs)
