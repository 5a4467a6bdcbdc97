"""TF-IDF over character n-grams, counted with numpy instead of a Python loop per n-gram.

The Chinese batch classifier reads character 1–3-grams (no segmenter: a batch's own words
are often not in any dictionary). scikit-learn's analyzer builds every n-gram as a Python
string, which made it the largest cost of the sentiment stage; here the whole chunk becomes
one array of code points, each n-gram a 64-bit hash of its code points, and the document ×
n-gram counts one sparse matrix build. Hashes go into 2^22 buckets: with a vocabulary of the
`max_features` most frequent n-grams seen in at least `min_df` documents, collisions are
rare and only merge rare n-grams. The weighting is scikit-learn's (`sublinear_tf`, smooth
idf, rows l2-normalised), so the features equal TfidfVectorizer's up to those collisions.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import chain, repeat

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfTransformer, TfidfVectorizer

from voc.text.counts import count_matrix

N_BUCKETS = 1 << 22
_SEPARATOR = "\x00"
_WHITESPACE = re.compile(r"\s\s+")
# FNV-1a over the code points, then MurmurHash3's 64-bit finaliser so every output bit
# depends on every input bit (FNV alone leaves the high bits of short n-grams poorly mixed)
_FNV_OFFSET = np.uint64(0xCBF29CE484222325)
_FNV_PRIME = np.uint64(0x100000001B3)
_MIX_1, _MIX_2 = np.uint64(0xFF51AFD7ED558CCD), np.uint64(0xC4CEB9FE1A85EC53)
_SHIFT = np.uint64(33)


def _finalised(hashed: np.ndarray) -> np.ndarray:
    hashed = (hashed ^ (hashed >> _SHIFT)) * _MIX_1
    hashed = (hashed ^ (hashed >> _SHIFT)) * _MIX_2
    return hashed ^ (hashed >> _SHIFT)


def hashed_ngrams(texts: Sequence[str], ngram_range: tuple[int, int],
                  n_buckets: int = N_BUCKETS) -> tuple[np.ndarray, np.ndarray]:
    """(document, bucket) of every character n-gram of the texts, as two int64 arrays.

    Texts are lower-cased and whitespace runs become one space, as scikit-learn's char
    analyzer has them; an n-gram never spans two documents."""
    joined = _SEPARATOR.join(text.replace(_SEPARATOR, " ").lower() for text in texts)
    joined = _WHITESPACE.sub(" ", joined)
    codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    boundary = codes == 0
    doc_of = np.cumsum(boundary, dtype=np.int64)  # a separator belongs to the next document
    documents, buckets = [], []
    low, high = ngram_range
    for n in range(low, high + 1):
        windows = len(codes) - n + 1
        if windows <= 0:
            continue
        hashed = np.full(windows, _FNV_OFFSET ^ np.uint64(n), dtype=np.uint64)
        spans_boundary = np.zeros(windows, dtype=bool)
        for offset in range(n):
            hashed ^= codes[offset:offset + windows]
            hashed *= _FNV_PRIME
            spans_boundary |= boundary[offset:offset + windows]
        keep = ~spans_boundary
        documents.append(doc_of[:windows][keep])
        buckets.append((_finalised(hashed[keep]) % np.uint64(n_buckets)).astype(np.int64))
    if not documents:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(documents), np.concatenate(buckets)


# Texts hashed at a time: a block's (document, bucket) pairs (16 bytes per character and n)
# are what sits in memory, not a whole 50,000-document pool's (about 1 GiB).
BLOCK_TEXTS = 2_000


def ngram_counts(texts: Sequence[str], ngram_range: tuple[int, int], n_buckets: int,
                 column_of: np.ndarray | None = None) -> sp.csr_matrix:
    """Documents × n-gram counts, block by block: columns are buckets, or with `column_of`
    (bucket → column, -1 for none) the vocabulary's columns."""
    width = n_buckets if column_of is None else int(column_of.max(initial=-1)) + 1
    blocks = []
    for start in range(0, len(texts), BLOCK_TEXTS):
        block = texts[start:start + BLOCK_TEXTS]
        rows, columns = hashed_ngrams(block, ngram_range, n_buckets)
        if column_of is not None:
            columns = column_of[columns]
            known = columns >= 0
            rows, columns = rows[known], columns[known]
        blocks.append(count_matrix(rows, columns, (len(block), width)))
    if not blocks:
        return sp.csr_matrix((0, width), dtype=np.float32)
    return sp.vstack(blocks, format="csr")


class CharNgramTfidf:
    """Fit a vocabulary of hashed character n-grams on some texts; transform any texts."""

    def __init__(self, ngram_range: tuple[int, int] = (1, 3), min_df: int = 2,
                 max_features: int = 300_000, n_buckets: int = N_BUCKETS) -> None:
        self.ngram_range = ngram_range
        self.min_df = min_df
        self.max_features = max_features
        self.n_buckets = n_buckets

    def fit(self, texts: Sequence[str]) -> CharNgramTfidf:
        counts = ngram_counts(texts, self.ngram_range, self.n_buckets)
        df = np.bincount(counts.indices, minlength=self.n_buckets)
        total = np.asarray(counts.sum(axis=0)).ravel()
        candidates = np.flatnonzero(df >= self.min_df)
        if len(candidates) > self.max_features:  # most frequent first, ties by bucket
            order = np.lexsort((candidates, -total[candidates]))
            candidates = np.sort(candidates[order[:self.max_features]])
        self.column_of_ = np.full(self.n_buckets, -1, dtype=np.int32)
        self.column_of_[candidates] = np.arange(len(candidates), dtype=np.int32)
        self.idf_ = (np.log((1 + len(texts)) / (1 + df[candidates])) + 1).astype(np.float32)
        return self

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        features = ngram_counts(texts, self.ngram_range, self.n_buckets, self.column_of_)
        features.data = (1 + np.log(features.data)) * self.idf_[features.indices]
        norms = np.sqrt(np.asarray(features.multiply(features).sum(axis=1)).ravel())
        features.data /= np.repeat(np.where(norms > 0, norms, 1).astype(np.float32),
                                   np.diff(features.indptr))
        return features

    def fit_transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        return self.fit(texts).transform(texts)


class WordNgramTfidf:
    """scikit-learn's word 1–2-gram TfidfVectorizer, fitted by scikit-learn, with a counting
    step that looks n-grams up in arrays instead of building each bigram as a Python string.

    The vocabulary, idf and weighting are the fitted vectorizer's own, and the counts are
    the same integers, so `transform` returns what the vectorizer's would (tested). Only the
    regex tokenising stays per text."""

    def __init__(self, min_df: int = 2, max_features: int = 300_000,
                 token_pattern: str = r"(?u)\b\w[\w']*\b") -> None:
        self.tokenize_ = re.compile(token_pattern)
        if self.tokenize_.groups:  # scikit-learn would keep the group, findall here too
            raise ValueError(f"token pattern with a group is not supported: {token_pattern!r}")
        self.vectorizer = TfidfVectorizer(analyzer="word", ngram_range=(1, 2), min_df=min_df,
                                          lowercase=True, token_pattern=token_pattern,
                                          sublinear_tf=True, max_features=max_features,
                                          dtype=np.float32)

    @property
    def vocabulary_(self) -> dict[str, int]:
        return self.vectorizer.vocabulary_

    def fit(self, texts: Sequence[str]) -> WordNgramTfidf:
        self.vectorizer.fit(texts)
        # introspection only (every dropped n-gram): the fitted vectorizer travels to workers
        if hasattr(self.vectorizer, "stop_words_"):
            del self.vectorizer.stop_words_
        self.weighting_ = TfidfTransformer(sublinear_tf=True)
        self.weighting_.idf_ = self.vectorizer.idf_
        terms = self.vectorizer.vocabulary_.items()
        words = sorted({word for term, _ in terms for word in term.split(" ")})
        self.word_ids_ = {word: index for index, word in enumerate(words)}
        self.unigram_column_ = np.full(len(words) + 1, -1, dtype=np.int64)  # last: unknown
        pair_keys, pair_columns = [], []
        for term, column in terms:
            parts = term.split(" ")
            if len(parts) == 1:
                self.unigram_column_[self.word_ids_[term]] = column
            else:
                pair_keys.append(self.word_ids_[parts[0]] * len(words) + self.word_ids_[parts[1]])
                pair_columns.append(column)
        order = np.argsort(np.asarray(pair_keys, dtype=np.int64), kind="stable")
        self.pair_keys_ = np.asarray(pair_keys, dtype=np.int64)[order]
        self.pair_columns_ = np.asarray(pair_columns, dtype=np.int64)[order]
        return self

    def counts(self, texts: Sequence[str]) -> sp.csr_matrix:
        """Documents × vocabulary term counts (float32, sorted indices), as CountVectorizer's."""
        findall = self.tokenize_.findall
        tokens = [findall(text.lower()) for text in texts]
        lengths = np.fromiter(map(len, tokens), dtype=np.int64, count=len(tokens))
        unknown = len(self.unigram_column_) - 1
        ids = np.fromiter(map(self.word_ids_.get, chain.from_iterable(tokens), repeat(unknown)),
                          dtype=np.int64, count=int(lengths.sum()))
        doc_of = np.repeat(np.arange(len(texts), dtype=np.int64), lengths)
        unigram = self.unigram_column_[ids]
        rows, columns = [doc_of[unigram >= 0]], [unigram[unigram >= 0]]
        if len(self.pair_keys_) and len(ids) > 1:
            first, second = ids[:-1], ids[1:]
            pairs = (doc_of[:-1] == doc_of[1:]) & (first != unknown) & (second != unknown)
            keys = first[pairs] * unknown + second[pairs]
            at = np.minimum(np.searchsorted(self.pair_keys_, keys), len(self.pair_keys_) - 1)
            known = self.pair_keys_[at] == keys
            rows.append(doc_of[:-1][pairs][known])
            columns.append(self.pair_columns_[at[known]])
        return count_matrix(np.concatenate(rows), np.concatenate(columns),
                            (len(texts), len(self.vectorizer.vocabulary_)))

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        counts = self.counts(texts)
        if not len(texts):  # scikit-learn's weighting refuses an empty matrix
            return counts
        return self.weighting_.transform(counts, copy=False)

    def fit_transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        return self.fit(texts).transform(texts)
