"""Document vectors for topic discovery: LSA and SIF word vectors, joined.

Chosen by measurement (benchmarks/topics.py; README "Topics"): on airline complaints and
Chinese shopping reviews, TF-IDF → LSA keeps the precise terms, SIF-weighted word vectors
trained on the batch itself (and on earlier batches' text, `history`; word_vectors.py) add
synonymy ("luggage" ~ "bag"), and the two together cluster far better than either alone, LDA or NMF.
Which blocks are computed, and their weights, is the `vectors` choice (representation.py).

Learned on a bounded sample (`fit`); `transform` is sparse/dense matrix algebra, so every
document of a large batch is embedded in chunks at numpy speed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer
from sklearn.preprocessing import normalize

from voc.text.counts import term_counts
from voc.text.stopwords import stopwords
from voc.topics.representation import AUTO_WEIGHTS, LSA, SIF
from voc.topics.word_vectors import WordVectors, train_word_vectors

_HAS_LETTER = re.compile(r"[^\W\d_]")


def topic_tokens(tokens: Iterable[list[str]], extra_stopwords: Iterable[str] = ()) -> list[
        list[str]]:
    """Tokens that can name a topic: no stopwords, no bare numbers, no one-letter Latin."""
    stop = stopwords(extra_stopwords)
    # decided once per distinct token: a batch repeats the same few thousand words
    verdicts: dict[str, bool] = {}
    out = []
    for doc in tokens:
        kept = []
        for token in doc:
            verdict = verdicts.get(token)
            if verdict is None:
                verdict = verdicts[token] = token not in stop and _HAS_LETTER.search(
                    token) is not None and not (token.isascii() and len(token) < 2)
            if verdict:
                kept.append(token)
        out.append(kept)
    return out


def _identity(tokens: list[str]) -> list[str]:
    return tokens


class DocumentVectorizer:
    """TF-IDF → LSA joined with SIF-weighted word vectors trained on the batch, L2-normalised.

    blocks: block name (LSA, SIF) → weight, the share of the squared norm each block gets in
    the joined vector; a block left out is not computed (no word vectors for LSA alone).
    word_vectors: how the word vectors are learned (word_vectors.py: PPMI + SVD by default,
    or gensim word2vec; word_epochs applies to word2vec only).

    Parameters follow scikit-learn: set in `__init__`, learned in `fit` (attributes end in _).

    >>> docs = [["refund", "late"], ["refund", "money"], ["bag", "lost"], ["bag", "luggage"]] * 5
    >>> vectors = DocumentVectorizer(min_df=1, lsa_dims=2).fit(docs).transform(docs)
    >>> vectors.shape[0], bool(np.allclose(np.linalg.norm(vectors, axis=1), 1))
    (20, True)
    """

    def __init__(self, *, min_df: int = 5, max_df: float = 0.5, lsa_dims: int = 100,
                 blocks: dict[str, float] | None = None,
                 word_vectors: WordVectors | str = WordVectors.PPMI, word_dims: int = 100,
                 word_window: int = 5, word_min_count: int = 3, word_epochs: int = 10,
                 word_max_docs: int = 20_000, word_max_tokens: int = 1_000_000,
                 sif_a: float = 1e-3, seed: int = 0) -> None:
        self.min_df = min_df
        self.max_df = max_df
        self.lsa_dims = lsa_dims
        self.blocks = blocks
        self.word_vectors = word_vectors
        self.word_dims = word_dims
        self.word_window = word_window
        self.word_min_count = word_min_count
        self.word_epochs = word_epochs
        self.word_max_docs = word_max_docs
        self.word_max_tokens = word_max_tokens
        self.sif_a = sif_a
        self.seed = seed

    # --- fitting ----------------------------------------------------------------------------
    def fit(self, tokens: Sequence[list[str]], y: object = None,
            history: Sequence[list[str]] = ()) -> DocumentVectorizer:
        """history: tokenised documents of earlier batches; word2vec learns from them too
        (the vocabulary and weights stay this batch's)."""
        self.fit_counts(tokens, history)
        return self

    def fit_counts(self, tokens: Sequence[list[str]],
                   history: Sequence[list[str]] = ()) -> sp.csr_matrix:
        """Fit, and return the fit documents' counts (= `counts(tokens)`, not counted again:
        on a 50,000-document sample each count takes most of a second)."""
        self.blocks_ = dict(self.blocks or AUTO_WEIGHTS)
        unknown = set(self.blocks_) - {LSA, SIF}
        if unknown or not self.blocks_:
            raise ValueError(f"vectorizer blocks must be among {LSA!r}, {SIF!r}: got "
                             f"{sorted(self.blocks_)}")
        min_df = self.min_df if len(tokens) >= 20 * self.min_df else 1
        self.counter_ = CountVectorizer(analyzer=_identity, min_df=min_df, max_df=self.max_df,
                                        dtype=np.float32)
        try:
            counts = self.counter_.fit_transform(tokens)
        except ValueError:  # every token pruned (tiny or empty input): keep them all
            self.counter_ = CountVectorizer(analyzer=_identity, dtype=np.float32)
            counts = self.counter_.fit_transform(tokens)
        # as `counts` gives them (fit_transform leaves a row's columns unsorted, and the float
        # sums of the products below would differ in the last bit from the assignment's)
        counts.sort_indices()
        self.vocabulary_ = np.asarray(self.counter_.get_feature_names_out(), dtype=object)
        self.tfidf_ = TfidfTransformer(sublinear_tf=True).fit(counts)
        if LSA in self.blocks_:
            dims = max(1, min(self.lsa_dims, counts.shape[1] - 1, counts.shape[0] - 1))
            self.svd_ = TruncatedSVD(dims, algorithm="randomized", n_iter=5,
                                     random_state=self.seed).fit(self.tfidf_.transform(counts))
        if SIF in self.blocks_:
            self._fit_sif(tokens, counts, history)
        return counts

    def _fit_sif(self, tokens: Sequence[list[str]], counts: sp.csr_matrix,
                 history: Sequence[list[str]]) -> None:
        # this batch first; earlier batches fill what is left of the training budget
        step = max(1, -(-len(tokens) // self.word_max_docs))
        sentences = [doc for doc in tokens[::step] if doc]
        room = self.word_max_docs - len(sentences)
        if room > 0 and len(history):
            step = max(1, -(-len(history) // room))
            sentences += [doc for doc in history[::step] if doc]
        # Training time is per token: where long e-mails and transcripts fill the sample, a
        # stride keeps at most word_max_tokens (short reviews and posts stay under it whole).
        total = sum(len(doc) for doc in sentences)
        if total > self.word_max_tokens:
            sentences = sentences[::-(-total // self.word_max_tokens)]
        self.word_trained_tokens_ = sum(len(doc) for doc in sentences)
        embedding = train_word_vectors(
            self.word_vectors, sentences, list(self.vocabulary_), dims=self.word_dims,
            window=self.word_window, epochs=self.word_epochs, seed=self.seed,
            min_count=min(self.word_min_count, max(1, len(sentences) // 50)))
        frequency = np.asarray(counts.sum(axis=0)).ravel()
        weights = self.sif_a / (self.sif_a + frequency / max(frequency.sum(), 1))
        self.word_vectors_ = (embedding * weights[:, None]).astype(np.float32)
        raw = self._sif_raw(counts)
        if raw.shape[0] > 1 and np.any(raw):
            self.common_direction_ = TruncatedSVD(1, random_state=self.seed).fit(
                raw).components_[0].astype(np.float32)
        else:
            self.common_direction_ = np.zeros(self.word_dims, dtype=np.float32)

    # --- transforming -----------------------------------------------------------------------
    def counts(self, tokens: Sequence[list[str]]) -> sp.csr_matrix:
        """Documents × vocabulary counts, as the fitted CountVectorizer's `transform` gives
        them. Tokens outside the vocabulary are not counted, so unfiltered tokens give the
        same counts as `topic_tokens`' (the vocabulary holds only tokens it keeps)."""
        return term_counts(tokens, self.counter_.vocabulary_)

    def transform(self, tokens: Sequence[list[str]]) -> np.ndarray:
        return self.transform_counts(self.counts(tokens))

    def transform_counts(self, counts: sp.csr_matrix) -> np.ndarray:
        """Unit-length document vectors; an empty document gets the zero vector."""
        parts = []
        if LSA in self.blocks_:
            lsa = normalize(self.svd_.transform(self.tfidf_.transform(counts)))
            parts.append(np.sqrt(self.blocks_[LSA]) * lsa)
        if SIF in self.blocks_:
            sif = self._sif_raw(counts)
            sif -= np.outer(sif @ self.common_direction_, self.common_direction_)
            parts.append(np.sqrt(self.blocks_[SIF]) * normalize(sif))
        return normalize(np.hstack(parts)).astype(np.float32)

    def _sif_raw(self, counts: sp.csr_matrix) -> np.ndarray:
        lengths = np.asarray(counts.sum(axis=1)).ravel()
        return np.asarray(counts @ self.word_vectors_) / np.maximum(lengths, 1)[:, None]
