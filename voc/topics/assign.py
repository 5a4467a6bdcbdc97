"""Assign a chunk of texts to a fitted topic model: tokenise, vectorise, nearest topic.

A picklable top-level function, so the engine can run chunks on worker processes; each
process builds its tokenizer once (dictionaries load once per process, not per chunk).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np

from voc.text.chinese import ChineseSegmenter
from voc.text.tokenize import Tokenizer
from voc.topics.expand import CategoryExpander
from voc.topics.model import TopicModel
from voc.topics.vectorize import topic_tokens


@lru_cache(maxsize=4)
def cached_tokenizer(segmenter: str, dictionaries: tuple[Path, ...]) -> Tokenizer:
    return Tokenizer(ChineseSegmenter(segmenter, dictionaries))


def assign_texts(texts: list[str], model: TopicModel, segmenter: str,
                 dictionaries: tuple[Path, ...], extra_stopwords: tuple[str, ...],
                 expander: CategoryExpander | None = None, guide: np.ndarray | None = None
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """(topic per text, -1 for other; similarity), as `TopicModel.transform` gives them, and
    the categories the expander adds (None without one). guide: the texts' keyword category
    matches, for a model fitted with taxonomy guidance."""
    tokens = topic_tokens(cached_tokenizer(segmenter, dictionaries).tokenize(texts),
                          extra_stopwords)
    counts = model.vectorizer_.counts(tokens)
    topics, similarity = model.transform_counts(counts, guide)
    expanded = expander.predict(model.vectorizer_, counts) if expander is not None else None
    return topics, similarity, expanded
