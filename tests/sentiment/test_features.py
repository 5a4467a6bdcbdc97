from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer

from voc.sentiment.features import CharNgramTfidf, WordNgramTfidf, hashed_ngrams

TEXTS = [
    "物流很快，包装完好，好评！", "客服电话一直没人接  太差了", "退款申请三天了还没处理",
    "Delivery was FAST and the box   was intact.", "质量不错 but the app keeps crashing",
    "", "好", "物流太慢了，差评", "The refund never arrived!!", "包装破损，客服没人接",
    "物流很快", "app crashing again", "退款 退款 退款",
]


def sklearn_like() -> TfidfVectorizer:
    return TfidfVectorizer(analyzer="char", ngram_range=(1, 3), min_df=2, sublinear_tf=True,
                           dtype=np.float32)


def bucket_of(term: str) -> int:
    _, buckets = hashed_ngrams([term], (len(term), len(term)))
    return int(buckets[0])


def test_features_equal_scikit_learns_char_tfidf_up_to_column_order() -> None:
    reference = sklearn_like().fit(TEXTS)
    ours = CharNgramTfidf(ngram_range=(1, 3), min_df=2).fit(TEXTS)
    terms = sorted(reference.vocabulary_, key=reference.vocabulary_.get)
    columns = ours.column_of_[[bucket_of(term) for term in terms]]
    assert len(set(columns.tolist())) == len(terms) == len(ours.idf_)  # no collision here
    expected = reference.transform(TEXTS).toarray()
    got = ours.transform(TEXTS).toarray()[:, columns]
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)


def test_ngrams_never_span_two_documents() -> None:
    rows, buckets = hashed_ngrams(["ab", "cd"], (2, 2))
    assert rows.tolist() == [0, 1]
    assert bucket_of("bc") not in buckets.tolist()
    assert buckets.tolist() == [bucket_of("ab"), bucket_of("cd")]


def test_case_and_whitespace_runs_do_not_change_the_features() -> None:
    ours = CharNgramTfidf(min_df=1).fit(TEXTS)
    a, b = ours.transform(["Refund  NEVER arrived"]), ours.transform(["refund never arrived"])
    np.testing.assert_array_equal(a.toarray(), b.toarray())


def test_rows_do_not_depend_on_the_other_texts_in_the_call() -> None:
    ours = CharNgramTfidf(min_df=1).fit(TEXTS)
    whole = ours.transform(TEXTS)
    parts = sp.vstack([ours.transform(TEXTS[:5]), ours.transform(TEXTS[5:])])
    np.testing.assert_array_equal(whole.toarray(), parts.toarray())


def test_max_features_keeps_the_most_frequent_ngrams() -> None:
    ours = CharNgramTfidf(ngram_range=(1, 1), min_df=1, max_features=3).fit(
        ["aaab", "aab", "ab c"])
    kept = {bucket_of(char) for char in "ab "} | {bucket_of("c")}
    assert len(ours.idf_) == 3
    assert ours.column_of_[bucket_of("a")] >= 0 and ours.column_of_[bucket_of("b")] >= 0
    assert (ours.column_of_[list(kept)] >= 0).sum() == 3


@pytest.mark.parametrize("texts", [[], [""], ["", ""]])
def test_empty_input_gives_empty_rows(texts: list[str]) -> None:
    ours = CharNgramTfidf(min_df=1).fit(TEXTS)
    features = ours.transform(texts)
    assert features.shape == (len(texts), len(ours.idf_)) and features.nnz == 0


WORD_TEXTS = [
    "Don't cancel my flight, don't!", "DON'T cancel the booking", "the refund the refund",
    "naïve café service, CAFÉ staff", "'quoted' words' and x_y __init__", "", "a", "a b a b",
    "退款 refund 123 refund", "Flight cancelled Cancelled flight", "the the the",
]


def word_reference(**params: object) -> TfidfVectorizer:
    return TfidfVectorizer(analyzer="word", ngram_range=(1, 2), lowercase=True,
                           token_pattern=r"(?u)\b\w[\w']*\b", sublinear_tf=True,
                           dtype=np.float32, **params)  # type: ignore[arg-type]


@pytest.mark.parametrize("min_df, max_features", [(1, 300_000), (2, 300_000), (1, 7)])
def test_word_features_equal_scikit_learns_exactly(min_df: int, max_features: int) -> None:
    ours = WordNgramTfidf(min_df=min_df, max_features=max_features).fit(WORD_TEXTS)
    reference = word_reference(min_df=min_df, max_features=max_features).fit(WORD_TEXTS)
    assert ours.vectorizer.vocabulary_ == reference.vocabulary_
    unseen = ["cancel the flight, don't", "words and words", "café"]
    for texts in (WORD_TEXTS, unseen, WORD_TEXTS[::-1]):
        got, expected = ours.transform(texts).tocsr(), reference.transform(texts).tocsr()
        got.sort_indices()
        expected.sort_indices()
        assert got.shape == expected.shape and got.dtype == expected.dtype
        assert np.array_equal(got.indptr, expected.indptr)
        assert np.array_equal(got.indices, expected.indices)
        assert np.array_equal(got.data, expected.data)  # the same floats, not close ones


def test_word_bigrams_never_span_two_documents() -> None:
    ours = WordNgramTfidf(min_df=1).fit(["late flight", "late", "flight"])
    features = ours.transform(["late", "flight"])
    bigram = ours.vectorizer.vocabulary_["late flight"]
    assert features[:, bigram].nnz == 0


def test_word_features_of_no_texts_or_empty_texts() -> None:
    ours = WordNgramTfidf(min_df=1).fit(WORD_TEXTS)
    width = len(ours.vectorizer.vocabulary_)
    assert ours.transform([]).shape == (0, width)
    empty = ours.transform(["", "", "!!"])
    assert empty.shape == (3, width) and empty.nnz == 0
