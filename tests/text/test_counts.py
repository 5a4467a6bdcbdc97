from __future__ import annotations

import numpy as np
import pytest
from sklearn.feature_extraction.text import CountVectorizer

from voc.text.counts import count_matrix, term_counts
from voc.topics.vectorize import DocumentVectorizer, topic_tokens

DOCS = [["退款", "没", "到账", "退款"], [], ["refund", "never", "arrived"], ["a", "the", "refund"],
        ["到账", "到账", "2024"], ["unseen", "words", "only"]]


def _identity(tokens: list[str]) -> list[str]:
    return tokens


@pytest.mark.parametrize("fit_on", [DOCS, DOCS[:3]])
def test_term_counts_equal_count_vectorizers_exactly(fit_on: list[list[str]]) -> None:
    counter = CountVectorizer(analyzer=_identity, dtype=np.float32).fit(fit_on)
    got, expected = term_counts(DOCS, counter.vocabulary_), counter.transform(DOCS)
    assert got.shape == expected.shape and got.dtype == expected.dtype
    assert np.array_equal(got.indptr, expected.indptr)
    assert np.array_equal(got.indices, expected.indices)
    assert np.array_equal(got.data, expected.data)


def test_count_matrix_counts_pairs_and_sorts_each_rows_columns() -> None:
    counts = count_matrix(np.array([2, 0, 2, 2, 0]), np.array([5, 3, 1, 5, 3]), (4, 6))
    assert counts.toarray().tolist() == [[0, 0, 0, 2, 0, 0], [0] * 6, [0, 1, 0, 0, 0, 2],
                                         [0] * 6]
    assert counts.has_sorted_indices and counts.dtype == np.float32
    empty = count_matrix(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), (3, 2))
    assert empty.shape == (3, 2) and empty.nnz == 0


def test_topic_counts_need_no_filtering_first() -> None:
    """The vocabulary is learned from filtered tokens, so stopwords, numbers and one-letter
    words are never counted: raw tokens give the filtered tokens' counts."""
    vectorizer = DocumentVectorizer(min_df=1, blocks={"lsa": 1.0}).fit(topic_tokens(DOCS))
    raw, filtered = vectorizer.counts(DOCS), vectorizer.counts(topic_tokens(DOCS))
    assert (raw != filtered).nnz == 0 and raw.nnz > 0
