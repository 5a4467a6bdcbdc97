"""The sentiment stage for a batch: lexicon scores, adapted per language group.

Documents are scored by the lexicon scorer; then, per language group (Chinese with mixed,
English), a batch classifier learns the batch's own words from ratings or from the lexicon's
confident decisions (voc.sentiment.adapt). A trained model (voc train sentiment) replaces
both when one is configured. Clause scores always come from the lexicon rules: they explain
a document's score and feed aspect sentiment.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from voc.sentiment.adapt import (
    Adaptation,
    AdaptationPlan,
    AdaptOptions,
    BatchClassifier,
    classifier_probabilities,
    fit_classifier,
    plan_adaptation,
)
from voc.sentiment.aspects import category_aspects, category_mentions, topic_aspects
from voc.sentiment.flags import FlagRules, detect_flags
from voc.sentiment.metrics import Polarity
from voc.sentiment.model import SentimentModel, with_lexicon
from voc.sentiment.scorer import (
    LexiconScorer,
    ScorerSpec,
    SentimentScores,
    concat_scores,
    label_for,
)
from voc.topics.taxonomy import Taxonomy, match_categories

LANGUAGE_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("zh", ("zh", "mixed")), ("en", ("en", "other")))
LABELS = np.array([p.value for p in (Polarity.NEGATIVE, Polarity.NEUTRAL, Polarity.POSITIVE)])


@dataclass(frozen=True)
class StageResult:
    scores: SentimentScores
    modes: dict[str, str]  # language group → adaptation used ("model:NAME" for a model)


# Runs independent jobs: fn(*job) for each job, results in job order (voc.engine's `map`).
JobRunner = Callable[[Callable[..., Any], Iterable[tuple[Any, ...]]], Iterator[Any]]


def in_process(fn: Callable[..., Any], jobs: Iterable[tuple[Any, ...]]) -> Iterator[Any]:
    return (fn(*job) for job in jobs)


PREDICT_JOB = 50_000  # documents per classifier scoring job
LEXICON_SHARE = 0.5  # blend weight of the lexicon score against the batch classifier


def blended(lexicon_scores: np.ndarray, probabilities: np.ndarray,
            neutral_band: float) -> pd.DataFrame:
    """score = half the lexicon score + half (P(positive) − P(negative)); the label follows
    the score; confidence is the classifier's probability of that label."""
    score = LEXICON_SHARE * lexicon_scores + (1 - LEXICON_SHARE) * (
        probabilities[:, 2] - probabilities[:, 0])
    labels = label_for(score, neutral_band)
    column = np.searchsorted(LABELS, labels)  # LABELS is sorted: negative, neutral, positive
    return pd.DataFrame({"score": score, "label": labels,
                         "confidence": probabilities[np.arange(len(score)), column]})


def score_documents(texts: Sequence[str], langs: Sequence[str], scorer: LexiconScorer,
                    mode: Adaptation = Adaptation.AUTO, rated: np.ndarray | None = None,
                    options: AdaptOptions | None = None,
                    model: SentimentModel | None = None, model_name: str = "",
                    lexical: SentimentScores | None = None,
                    run_jobs: JobRunner = in_process) -> StageResult:
    """Scores for every text; `rated` holds weak labels from ratings (-1 where none).

    A trained `model` scores its own language group outright (a team's labels beat any
    label-free adaptation); other groups adapt as `mode` says, each group's classifier an
    independent job for `run_jobs` (an engine runs them side by side). `lexical`: the
    scorer's results when the caller already has them (scored chunk by chunk on an engine).
    """
    lexical = lexical if lexical is not None else scorer.score(texts)
    documents, modes = adapt_documents(texts, langs, lexical.documents, scorer.neutral_band,
                                       mode, rated, options, model, model_name, run_jobs)
    return StageResult(SentimentScores(documents, lexical.clauses), modes)


@dataclass(frozen=True)
class BatchAdaptation:
    """A batch's document adaptation, decided before any classifier is fitted: the lexicon's
    document scores (a trained model's calls already in), the lexicon scores the classifiers
    blend with, the mode per language group, and the groups whose classifier learns from
    this batch, with their rows and plans. `classifier_jobs` are then fitted anywhere (on a
    pool, beside other stages' jobs) and `adapted_documents` finishes."""

    documents: pd.DataFrame
    lexicon_scores: np.ndarray
    modes: dict[str, str]
    fitting: list[tuple[str, np.ndarray, AdaptationPlan]]  # (group, its rows, its plan)

    def classifier_jobs(self, texts: Sequence[str],
                        options: AdaptOptions | None = None) -> list[tuple[Any, ...]]:
        """fit_classifier's job per learning group: only its plan's texts travel."""
        options = options or AdaptOptions()
        return [([texts[i] for i in rows[plan.rows].tolist()], plan.labels, group, plan.mode,
                 options) for group, rows, plan in self.fitting]

    def adapted_documents(self, texts: Sequence[str], classifiers: Sequence[BatchClassifier],
                          neutral_band: float,
                          run_jobs: JobRunner = in_process) -> pd.DataFrame:
        """Every document scored by its group's classifier (in chunks that fill every core)
        and blended with the lexicon; `classifiers` in `fitting` order."""
        documents = self.documents.copy()
        chunks = [(index, rows[start:start + PREDICT_JOB])
                  for index, (_, rows, _) in enumerate(self.fitting)
                  for start in range(0, len(rows), PREDICT_JOB)]
        parts: list[list[np.ndarray]] = [[] for _ in self.fitting]
        for (index, _), probabilities in zip(chunks, run_jobs(classifier_probabilities, (
                (classifiers[index], [texts[i] for i in chunk.tolist()])
                for index, chunk in chunks)), strict=True):
            parts[index].append(probabilities)
        for (_, rows, _), group_parts in zip(self.fitting, parts, strict=True):
            adapted = blended(self.lexicon_scores[rows], np.vstack(group_parts), neutral_band)
            documents.loc[rows, ["score", "label", "confidence"]] = adapted.to_numpy()
        documents["score"] = documents["score"].astype(np.float64)
        documents["confidence"] = documents["confidence"].astype(np.float64)
        return documents


def plan_batch_adaptation(texts: Sequence[str], langs: Sequence[str], lexicon: pd.DataFrame,
                          mode: Adaptation = Adaptation.AUTO, rated: np.ndarray | None = None,
                          options: AdaptOptions | None = None,
                          model: SentimentModel | None = None,
                          model_name: str = "") -> BatchAdaptation:
    """What adapt_documents does before fitting: a trained model scores its language group
    here; every other group gets the mode its plan chooses."""
    options = options or AdaptOptions()
    documents = lexicon.copy()
    evidence = documents["evidence"].to_numpy(dtype=bool)
    langs_array = np.asarray(langs, dtype=object)
    modes = {}
    adapting = []  # (group, its rows) whose classifier learns from this batch
    for group, members in LANGUAGE_GROUPS:
        rows = np.flatnonzero(np.isin(langs_array, members))
        if not len(rows):
            continue
        if model is not None and model.lang == group:
            documents.loc[rows, ["score", "label", "confidence"]] = from_model(
                model, [texts[i] for i in rows.tolist()], documents["score"].to_numpy()[rows]
            ).to_numpy()
            modes[group] = f"model:{model_name}"
            continue
        adapting.append((group, rows))
    lexicon_scores = documents["score"].to_numpy().copy()
    fitting = []
    for group, rows in adapting:
        plan = plan_adaptation(len(rows), lexicon_scores[rows], evidence[rows],
                               None if rated is None else rated[rows], mode, options)
        modes[group] = plan.mode.value
        if plan.mode is not Adaptation.OFF:
            fitting.append((group, rows, plan))
    return BatchAdaptation(documents, lexicon_scores, modes, fitting)


def adapt_documents(texts: Sequence[str], langs: Sequence[str], lexicon: pd.DataFrame,
                    neutral_band: float, mode: Adaptation = Adaptation.AUTO,
                    rated: np.ndarray | None = None, options: AdaptOptions | None = None,
                    model: SentimentModel | None = None, model_name: str = "",
                    run_jobs: JobRunner = in_process) -> tuple[pd.DataFrame, dict[str, str]]:
    """The lexicon's document scores (score, label, confidence, evidence) adapted per
    language group, as score_documents describes; and the mode each group used."""
    adaptation = plan_batch_adaptation(texts, langs, lexicon, mode, rated, options, model,
                                       model_name)
    # Each group's classifier is fitted on its plan's texts only (at most max_train_pool),
    # side by side; then every document is scored in chunks that fill every core.
    classifiers = list(run_jobs(fit_classifier, adaptation.classifier_jobs(texts, options)))
    return (adaptation.adapted_documents(texts, classifiers, neutral_band, run_jobs),
            adaptation.modes)


def from_model(model: SentimentModel, texts: Sequence[str],
               lexicon_scores: np.ndarray) -> pd.DataFrame:
    """A trained model's call (its probabilities nudged by the lexicon score): label = the
    highest class score; score = P(positive) − P(negative) + the lexicon nudge, in [-1, 1];
    confidence = the model's probability of that label."""
    probabilities = model.probabilities(texts)
    chosen = with_lexicon(probabilities, lexicon_scores, model.lexicon_weight).argmax(axis=1)
    score = np.clip(probabilities[:, 2] - probabilities[:, 0]
                    + model.lexicon_weight * lexicon_scores, -1.0, 1.0)
    return pd.DataFrame({"score": score, "label": LABELS[chosen],
                         "confidence": probabilities[np.arange(len(texts)), chosen]})


@dataclass(frozen=True)
class LexiconPass:
    """The lexicon's pass over some documents: their scores (documents and clauses), the
    taxonomy categories each document matches (documents × categories), which of those its
    clauses with sentiment evidence mention (voc.sentiment.aspects.category_mentions) and
    their escalation flags (row = document position)."""

    scores: SentimentScores
    categories: np.ndarray
    mentions: pd.DataFrame
    flags: pd.DataFrame


def scored_pass(scorer: LexiconScorer, texts: Sequence[str], taxonomy: Taxonomy,
                flag_rules: FlagRules) -> LexiconPass:
    """The lexicon pass with a scorer at hand (in this process)."""
    scores = scorer.score(texts)
    categories = match_categories(texts, taxonomy)
    return LexiconPass(scores, categories,
                       category_mentions(scores.clauses, taxonomy, categories),
                       detect_flags(pd.Series(list(texts), dtype="string"), flag_rules))


def lexicon_pass(texts: list[str], spec: ScorerSpec, taxonomy: Taxonomy,
                 flag_rules: FlagRules) -> LexiconPass:
    """One chunk's lexicon pass, doc positions within the chunk (a picklable top-level
    function for the engine: the per-clause and per-text work of the stage runs on the
    workers)."""
    return scored_pass(spec.build(), texts, taxonomy, flag_rules)


def concat_passes(parts: Sequence[LexiconPass]) -> LexiconPass:
    """Chunk results, in order, as one: doc positions become batch positions (at least one
    chunk, as concat_scores needs)."""
    scores = concat_scores(part.scores for part in parts)
    offsets = np.cumsum([0] + [len(part.scores.documents) for part in parts[:-1]]).tolist()
    return LexiconPass(
        scores, np.vstack([part.categories for part in parts]),
        pd.concat([part.mentions.assign(doc=part.mentions["doc"] + offset)
                   for part, offset in zip(parts, offsets, strict=True)], ignore_index=True),
        pd.concat([part.flags.assign(row=part.flags["row"] + offset)
                   for part, offset in zip(parts, offsets, strict=True)], ignore_index=True))


@dataclass(frozen=True)
class BatchSentiment:
    """Document sentiment and category aspects of a batch, by document position."""

    documents: pd.DataFrame  # score, label, confidence, method
    aspects: pd.DataFrame  # doc, aspect_kind ("category"), aspect, score, clauses


def analyse_batch(texts: Sequence[str], langs: Sequence[str], neutral_band: float, *,
                  lexicon: pd.DataFrame, mentions: pd.DataFrame, rated: np.ndarray | None,
                  category_matches: np.ndarray, taxonomy: Taxonomy,
                  mode: Adaptation = Adaptation.AUTO, options: AdaptOptions | None = None,
                  model: SentimentModel | None = None, model_name: str = "",
                  run_jobs: JobRunner = in_process) -> BatchSentiment:
    """Document sentiment (the lexicon pass's `lexicon` document scores adapted per language
    group, `run_jobs` running the groups' classifiers) and category aspects (from the pass's
    category `mentions`). Clause rows are not needed here: topic aspects come from them
    chunk by chunk (`topic_aspect_rows`), once topics are known."""
    adaptation = plan_batch_adaptation(texts, langs, lexicon, mode, rated, options, model,
                                       model_name)
    classifiers = list(run_jobs(fit_classifier, adaptation.classifier_jobs(texts, options)))
    return finish_batch_sentiment(adaptation, classifiers, texts, langs, neutral_band,
                                  mentions=mentions, category_matches=category_matches,
                                  taxonomy=taxonomy, run_jobs=run_jobs)


def finish_batch_sentiment(adaptation: BatchAdaptation, classifiers: Sequence[BatchClassifier],
                           texts: Sequence[str], langs: Sequence[str], neutral_band: float, *,
                           mentions: pd.DataFrame, category_matches: np.ndarray,
                           taxonomy: Taxonomy,
                           run_jobs: JobRunner = in_process) -> BatchSentiment:
    """analyse_batch once its classifiers are fitted (`adaptation.classifier_jobs`, in
    order): a pipeline fits them on its pool beside other stages' jobs."""
    documents = adaptation.adapted_documents(texts, classifiers, neutral_band, run_jobs)
    methods = np.asarray(langs, dtype=object)
    for group, members in LANGUAGE_GROUPS:
        used = adaptation.modes.get(group, Adaptation.OFF.value)
        methods[np.isin(methods, members)] = "lexicon" if used == Adaptation.OFF else used
    documents = documents.assign(method=methods)
    by_category = category_aspects(mentions, documents["score"].to_numpy(),
                                   category_matches, taxonomy)
    aspects = by_category.rename(columns={"category_id": "aspect"}).assign(
        aspect_kind="category")
    return BatchSentiment(documents, aspects[["doc", "aspect_kind", "aspect", "score",
                                              "clauses"]])


def topic_aspect_rows(clauses: pd.DataFrame, document_scores: np.ndarray,
                      document_topics: np.ndarray,
                      topic_keywords: dict[str, list[str]]) -> pd.DataFrame:
    """Topic aspects of some documents (doc positions index `document_scores` and
    `document_topics`, each document's topic as its position in sorted(topic_keywords), -1
    for none; `clauses`: doc, text, score, weight of those documents): doc, aspect_kind
    ("topic"), aspect (topic id), score, clauses. A document's aspect depends on its own
    clauses only, so documents can be taken a chunk at a time."""
    names = sorted(topic_keywords)
    by_topic = topic_aspects(clauses, document_scores, document_topics,
                             {code: topic_keywords[name] for code, name in enumerate(names)})
    return by_topic.assign(
        aspect=np.array(names, dtype=object)[by_topic["topic"].to_numpy()] if len(by_topic)
        else [], aspect_kind="topic")[["doc", "aspect_kind", "aspect", "score", "clauses"]]


def polarity_for_eval(documents: pd.DataFrame, binary: bool) -> list[Polarity]:
    """Labels to compare with a hand-coded sample; on two-class (negative/positive) samples a
    neutral call is resolved by the sign of the score, as a reader of such data would."""
    if not binary:
        return [Polarity(label) for label in documents["label"]]
    return [Polarity.POSITIVE if score > 0 else Polarity.NEGATIVE
            for score in documents["score"]]


def analysis_form(texts: Sequence[str]) -> list[str]:
    """Texts as voc analyses them after ingest: NFKC, whitespace tidied, Chinese simplified."""
    from voc.text.normalize import normalize_text, to_simplified

    series = to_simplified(normalize_text(pd.Series(list(texts), dtype="string")))
    return series.fillna("").tolist()


def score_texts_for_eval(texts: list[str], lang: str, binary: bool = False,
                         mode: Adaptation = Adaptation.AUTO,
                         scorer: LexiconScorer | None = None) -> list[Polarity]:
    """The default scorer on a labelled set of one language (benchmarks, `voc eval`)."""
    clean = analysis_form(texts)
    result = score_documents(clean, [lang] * len(clean), scorer or LexiconScorer(), mode)
    return polarity_for_eval(result.scores.documents, binary)


__all__ = ["BatchAdaptation", "BatchSentiment", "LexiconPass", "StageResult", "adapt_documents",
           "analyse_batch", "analysis_form", "blended", "concat_passes",
           "finish_batch_sentiment", "from_model", "label_for", "lexicon_pass",
           "plan_batch_adaptation", "polarity_for_eval", "score_documents",
           "score_texts_for_eval", "scored_pass", "topic_aspect_rows"]
