"""Measure the topic stage against hand labels: NMI, ARI, coherence, diversity, other share.

`voc eval topics` runs this on any labelled CSV/XLSX/JSONL, so a team can check voc against
its own hand-coded sample; benchmarks/topics.py uses it for the published figures.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

from voc.text.chinese import BUNDLED_USER_DICTIONARY, Segmenter
from voc.text.normalize import normalize_text, to_simplified
from voc.text.tokenize import cached_tokenizer
from voc.topics.model import OTHER, TopicModel
from voc.topics.representation import Representation
from voc.topics.taxonomy import Taxonomy, load_taxonomy, match_categories
from voc.topics.vectorize import topic_tokens
from voc.topics.word_vectors import WordVectors

MAX_FIT_DOCS = 50_000


@dataclass(frozen=True)
class TopicEvaluation:
    nmi: float
    ari: float
    coherence_npmi: float
    diversity: float
    n_topics: int
    other_share: float
    seconds: float
    n_docs: int
    vectors: str = Representation.AUTO.value  # what ran (after any fallback)
    note: str | None = None

    def as_dict(self) -> dict[str, float | int]:
        return asdict(self)


def analysis_texts(texts: Sequence[str]) -> pd.Series:
    """Raw texts in the form ingest stores as analysis_text (normalised, simplified)."""
    return to_simplified(normalize_text(pd.Series(list(texts), dtype="string"))).fillna("")


def prepare_tokens(texts: Sequence[str]) -> list[list[str]]:
    """Raw texts → topic tokens, the same way a batch's analysis_text is tokenised."""
    tokenizer = cached_tokenizer(Segmenter.RJIEBA.value, (BUNDLED_USER_DICTIONARY,))
    return topic_tokens(tokenizer.tokenize(analysis_texts(texts).tolist()))


def fit_sample(n_docs: int, max_docs: int, seed: int) -> np.ndarray:
    """Positions of the documents a model is fitted on: all, or a seeded random subset."""
    if n_docs <= max_docs:
        return np.arange(n_docs)
    return np.sort(np.random.default_rng(seed).choice(n_docs, max_docs, replace=False))


def coherence_npmi(keywords: list[list[str]], tokens: Sequence[list[str]],
                   top: int = 10) -> float:
    """Mean c_npmi of each topic's top keywords over the documents (gensim)."""
    from gensim.corpora import Dictionary
    from gensim.models.coherencemodel import CoherenceModel

    topics = [words[:top] for words in keywords if len(words) >= 2]
    if not topics:
        return float("nan")
    dictionary = Dictionary(tokens)
    model = CoherenceModel(topics=topics, texts=list(tokens), dictionary=dictionary,
                           coherence="c_npmi", topn=top, processes=1)
    return float(np.nanmean(model.get_coherence_per_topic()))


def diversity(keywords: list[list[str]], top: int = 10) -> float:
    """Share of distinct words among all topics' top keywords (1.0: no word repeats)."""
    words = [word for topic in keywords for word in topic[:top]]
    return len(set(words)) / len(words) if words else 0.0


def dominant_language(texts: Sequence[str]) -> str:
    """"zh" when most texts are Chinese (or mixed), else "en"."""
    from voc.ingest.language import detect_languages

    detected = detect_languages(pd.Series(list(texts), dtype="string")).astype(str)
    return "zh" if float(detected.isin(["zh", "mixed"]).mean()) > 0.5 else "en"


def evaluate_topics(texts: Sequence[str], labels: Sequence[object], n_topics: int | None,
                    seed: int = 0, max_fit_docs: int = MAX_FIT_DOCS,
                    taxonomy: Taxonomy | None = None,
                    vectors: Representation | str = Representation.AUTO,
                    lang: str | None = None,
                    word_vectors: WordVectors | str = WordVectors.PPMI) -> TopicEvaluation:
    """Discover topics in `texts` and compare them with `labels` (other counts as a topic).
    The taxonomy (the bundled one by default) guides the clustering as in `voc run`;
    `vectors` is the representation, `lang` the language it is planned for (by default the
    texts' dominant one), `word_vectors` how its trained word vectors are learned."""
    started = time.perf_counter()
    prepared = analysis_texts(texts)
    tokens = prepare_tokens(texts)
    guide = match_categories(prepared, taxonomy or load_taxonomy())
    fit_on = fit_sample(len(tokens), max_fit_docs, seed)
    model = TopicModel(n_topics=n_topics, seed=seed, vectors=vectors,
                       lang=lang or dominant_language(prepared),
                       vectorizer_options={"word_vectors": word_vectors}).fit(
        [tokens[i] for i in fit_on], guide=guide[fit_on],
        texts=prepared.iloc[fit_on].tolist())
    topics, _ = model.transform(tokens, guide=guide)
    seconds = time.perf_counter() - started
    truth = [str(label) for label in labels]
    coherence_docs = [tokens[i] for i in fit_on]
    return TopicEvaluation(
        nmi=float(normalized_mutual_info_score(truth, topics)),
        ari=float(adjusted_rand_score(truth, topics)),
        coherence_npmi=coherence_npmi(model.keywords_, coherence_docs),
        diversity=diversity(model.keywords_),
        n_topics=int(model.n_topics_),
        other_share=float(np.mean(topics == OTHER)),
        seconds=round(seconds, 2),
        n_docs=len(tokens),
        vectors="+".join(model.plan_.weights),
        note=model.plan_.note,
    )
