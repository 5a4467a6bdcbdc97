"""The topic stage's engine jobs: fit one language group's model, assign a chunk of texts.

Picklable top-level functions, so the engine can run them on worker processes (the Chinese
and the English fit side by side; assignment chunk by chunk); each process builds its
tokenizer once (dictionaries load once per process, not per job).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from voc.text.tokenize import cached_tokenizer
from voc.topics.expand import CategoryExpander
from voc.topics.labels import topic_labels
from voc.topics.model import TopicModel
from voc.topics.phrases import detect_phrases, topic_phrases
from voc.topics.vectorize import topic_tokens


def assign_texts(texts: list[str], model: TopicModel, segmenter: str,
                 dictionaries: tuple[Path, ...], expander: CategoryExpander | None = None,
                 guide: np.ndarray | None = None
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """(topic per text, -1 for other; similarity), as `TopicModel.transform` gives them, and
    the categories the expander adds (None without one). guide: the texts' keyword category
    matches, for a model fitted with taxonomy guidance."""
    # Neither punctuation nor topic_tokens' filters are needed: counting keeps only the
    # vocabulary's tokens, learned from filtered words, so the counts are the same.
    tokens = cached_tokenizer(segmenter, dictionaries).tokenize(texts, words_only=False)
    counts = model.vectorizer_.counts(tokens)
    topics, similarity = model.transform_counts(counts, guide)
    expanded = expander.predict(model.vectorizer_, counts) if expander is not None else None
    return topics, similarity, expanded


@dataclass(frozen=True)
class FitJob:
    """How to fit one language group's topics (everything but the data)."""

    lang: str
    segmenter: str
    dictionaries: tuple[Path, ...]
    extra_stopwords: tuple[str, ...]
    n_topics: int | None
    max_topics: int
    seed: int
    vectors: str
    expand_categories: bool
    word_vectors: str


@dataclass(frozen=True)
class FittedGroup:
    """A fitted model with what is read off its fit sample: the category expander (None
    when switched off), a label and key phrases per topic."""

    model: TopicModel
    expander: CategoryExpander | None
    labels: list[str]
    phrases: list[list[tuple[str, float]]]


def fit_group(texts: list[str], guide: np.ndarray, history: Sequence[str],
              job: FitJob, previous: Sequence[Mapping[str, float]] = ()) -> FittedGroup:
    """Tokenise the fit sample (and earlier batches' texts), fit the topic model, and learn
    the categories beyond their keywords. guide: the sample's keyword category matches;
    previous: the previous batch's topics in this language (keyword → weight)."""
    tokenizer = cached_tokenizer(job.segmenter, job.dictionaries)
    tokens = topic_tokens(tokenizer.tokenize(texts), job.extra_stopwords)
    history_tokens = topic_tokens(tokenizer.tokenize(list(history)),
                                  job.extra_stopwords) if len(history) else []
    model = TopicModel(n_topics=job.n_topics, max_topics=job.max_topics, seed=job.seed,
                       vectors=job.vectors, lang=job.lang,
                       vectorizer_options={"word_vectors": job.word_vectors})
    counts = model.fit_counts(tokens, guide=guide, texts=texts, history=history_tokens,
                              previous=previous)
    expander = CategoryExpander.fit(model.vectorizer_, counts, guide, job.seed) \
        if job.expand_categories else None
    return FittedGroup(model, expander, topic_labels(tokens, model.labels_, model.keywords_),
                       topic_phrases(tokens, model.labels_, model.n_topics_,
                                     detect_phrases(tokens)))
