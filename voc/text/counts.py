"""Sparse document × term count matrices, built from arrays rather than per-token Python.

scikit-learn's CountVectorizer looks every token up and counts it in Python, then sorts each
row's columns; here the lookups run in one `map` over all tokens and the (document, term)
pairs are counted with one sort of 64-bit keys. The result is what CountVectorizer gives:
float32 counts, each row's columns in ascending order.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import chain, repeat

import numpy as np
import scipy.sparse as sp


def count_matrix(rows: np.ndarray, columns: np.ndarray, shape: tuple[int, int]) -> sp.csr_matrix:
    """How often each (row, column) pair occurs, as a CSR matrix with sorted columns."""
    n_rows, width = shape
    stride = max(width, 1)
    keys = np.sort(rows.astype(np.int64) * stride + columns)
    first = np.ones(len(keys), dtype=bool)
    np.not_equal(keys[1:], keys[:-1], out=first[1:])
    starts = np.flatnonzero(first)
    counts = np.diff(np.append(starts, len(keys))).astype(np.float32)
    distinct = keys[starts]
    indptr = np.zeros(n_rows + 1, dtype=np.int64)
    np.cumsum(np.bincount(distinct // stride, minlength=n_rows), out=indptr[1:])
    return sp.csr_matrix((counts, (distinct % stride).astype(np.int32), indptr), shape=shape)


def term_counts(documents: Sequence[Sequence[str]],
                vocabulary: Mapping[str, int]) -> sp.csr_matrix:
    """Documents × vocabulary counts of the documents' tokens; tokens outside the vocabulary
    are not counted."""
    lengths = np.fromiter(map(len, documents), dtype=np.int64, count=len(documents))
    columns = np.fromiter(map(vocabulary.get, chain.from_iterable(documents), repeat(-1)),
                          dtype=np.int64, count=int(lengths.sum()))
    rows = np.repeat(np.arange(len(documents), dtype=np.int64), lengths)
    known = columns >= 0
    return count_matrix(rows[known], columns[known], (len(documents), len(vocabulary)))
