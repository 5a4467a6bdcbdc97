from __future__ import annotations

import numpy as np

from voc.topics.vectorize import DocumentVectorizer, topic_tokens


def test_vectorize_unit_vectors_and_zero_for_empty(planted) -> None:
    docs, _ = planted
    vectorizer = DocumentVectorizer(min_df=2, lsa_dims=10, word_epochs=3, seed=1).fit(docs)
    vectors = vectorizer.transform([*docs[:5], [], ["unknownword"]])
    norms = np.linalg.norm(vectors, axis=1)
    assert np.allclose(norms[:5], 1, atol=1e-5)
    assert norms[5] == 0 and norms[6] == 0


def test_vectorize_same_topic_documents_are_closer(planted) -> None:
    docs, truth = planted
    vectors = DocumentVectorizer(min_df=2, lsa_dims=10, word_epochs=5, seed=1).fit(
        docs).transform(docs)
    truth = np.array(truth)
    similarity = vectors @ vectors.T
    same = similarity[truth[:, None] == truth[None, :]].mean()
    different = similarity[truth[:, None] != truth[None, :]].mean()
    assert same > different + 0.3


def test_vectorize_is_deterministic(planted) -> None:
    docs, _ = planted
    first = DocumentVectorizer(min_df=2, lsa_dims=10, seed=5).fit(docs).transform(docs)
    second = DocumentVectorizer(min_df=2, lsa_dims=10, seed=5).fit(docs).transform(docs)
    assert np.array_equal(first, second)


def test_word_vectors_train_within_the_token_budget(planted) -> None:
    docs, truth = planted  # 240 documents of 8 tokens
    whole = DocumentVectorizer(min_df=2, lsa_dims=10, word_epochs=5, seed=1).fit(docs)
    assert whole.word_trained_tokens_ == sum(len(doc) for doc in docs)
    capped = DocumentVectorizer(min_df=2, lsa_dims=10, word_epochs=5, seed=1,
                                word_max_tokens=700).fit(docs)
    assert 0 < capped.word_trained_tokens_ <= 700
    vectors = capped.transform(docs)  # every document still gets a vector that separates
    labels = np.array(truth)
    similarity = vectors @ vectors.T
    assert similarity[labels[:, None] == labels[None, :]].mean() > similarity[
        labels[:, None] != labels[None, :]].mean() + 0.3


def test_vectorize_topic_tokens_drop_stopwords_numbers_and_single_letters() -> None:
    tokens = [["the", "refund", "3", "3.5", "x", "的", "退款", "慢", "customer"]]
    assert topic_tokens(tokens, extra_stopwords=["customer"]) == [["refund", "退款", "慢"]]


def test_vectorize_fit_counts_equal_counting_again(planted) -> None:
    docs, _ = planted
    for options in ({"min_df": 2}, {"min_df": 1000}):  # pruned vocabulary, and none left
        vectorizer = DocumentVectorizer(lsa_dims=5, **options)
        counts = vectorizer.fit_counts(docs)
        assert (counts != vectorizer.counts(docs)).nnz == 0
        assert np.array_equal(vectorizer.transform_counts(counts), vectorizer.transform(docs))
