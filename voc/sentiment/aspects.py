"""Aspect sentiment: how a document feels about each category or topic it mentions.

"菜很好吃，但是配送太慢了" is positive about food and negative about delivery, so an aspect's
score comes from the clauses that mention it, not from the whole document. When none of those
clauses carries sentiment evidence ("找不到人工客服", "the queue hung up on me" — complaints
without a sentiment word), or the document matches only across clause boundaries, the aspect
takes the document's score, which the batch-adapted scorer knows.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

from voc.topics.taxonomy import Taxonomy, match_categories


def _weighted_mean(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    frame = frame.assign(weighted=frame["score"] * frame["weight"])
    grouped = frame.groupby(keys, sort=True)[["weighted", "weight"]].sum()
    grouped["score"] = grouped["weighted"] / grouped["weight"].where(grouped["weight"] > 0)
    return grouped["score"].fillna(0.0).reset_index()


def category_mentions(clauses: pd.DataFrame, taxonomy: Taxonomy) -> pd.DataFrame:
    """One row per (clause with sentiment evidence, category it mentions): doc,
    category_id, score, weight. Per chunk of documents (on an engine's workers): each
    distinct clause text is matched once, and clauses without evidence not at all."""
    evident = clauses[clauses["score"].to_numpy() != 0]
    codes, distinct = pd.factorize(evident["text"])
    matches = match_categories(pd.Series(distinct, dtype="string"), taxonomy)[codes]
    clause_rows, columns = np.nonzero(matches)
    return pd.DataFrame({
        "doc": evident["doc"].to_numpy()[clause_rows],
        "category_id": pd.Series(np.asarray(taxonomy.ids, dtype=object)[columns], dtype=str),
        "score": evident["score"].to_numpy()[clause_rows],
        "weight": evident["weight"].to_numpy()[clause_rows]})


def category_aspects(mentions: pd.DataFrame, document_scores: np.ndarray,
                     document_categories: np.ndarray, taxonomy: Taxonomy) -> pd.DataFrame:
    """One row per (doc, category) the document matches: doc, category_id, score, clauses
    (how many of its clauses with sentiment evidence mention the category, from
    `category_mentions`; 0 = the document score stands in)."""
    per_clause = _weighted_mean(mentions, ["doc", "category_id"])
    counts = mentions.groupby(["doc", "category_id"], sort=True).size().rename("clauses")
    per_clause = per_clause.merge(counts.reset_index(), on=["doc", "category_id"])
    ids = np.asarray(taxonomy.ids, dtype=object)
    doc_rows, doc_columns = np.nonzero(document_categories)
    documents = pd.DataFrame({"doc": doc_rows, "category_id": ids[doc_columns]})
    out = documents.merge(per_clause, on=["doc", "category_id"], how="left")
    fallback = out["score"].isna()
    out.loc[fallback, "score"] = document_scores[out.loc[fallback, "doc"].to_numpy()]
    out["clauses"] = out["clauses"].fillna(0).astype(np.int32)
    return out.sort_values(["doc", "category_id"], kind="stable").reset_index(drop=True)


def topic_aspects(clauses: pd.DataFrame, document_scores: np.ndarray,
                  document_topics: np.ndarray, keywords: dict[int, Sequence[str]],
                  top: int = 10) -> pd.DataFrame:
    """One row per document with a topic: doc, topic, score from the clauses that contain one
    of the topic's top keywords (document score when none does), clauses (that count).

    Keywords are matched as lower-cased substrings, so the lemma "delay" finds "delayed".
    """
    clauses = clauses[clauses["score"].to_numpy() != 0]  # only evidence counts
    topic_of_clause = document_topics[clauses["doc"].to_numpy()]
    uses = np.zeros(len(clauses), dtype=bool)
    for topic, words in keywords.items():
        rows = np.flatnonzero(topic_of_clause == topic)
        if not len(rows) or not words:
            continue
        pattern = "|".join(re.escape(word.lower()) for word in words[:top])
        texts = clauses["text"].iloc[rows].str.lower()
        uses[rows] = texts.str.contains(pattern, regex=True).to_numpy()
    mentioned = clauses.loc[uses, ["doc", "score", "weight"]]
    per_clause = _weighted_mean(mentioned, ["doc"]).set_index("doc")["score"]
    counts = mentioned.groupby("doc").size()
    with_topic = np.flatnonzero(document_topics >= 0)
    score = per_clause.reindex(with_topic).to_numpy()
    score = np.where(np.isnan(score), document_scores[with_topic], score)
    return pd.DataFrame({"doc": with_topic, "topic": document_topics[with_topic],
                         "score": score,
                         "clauses": counts.reindex(with_topic).fillna(0).astype(np.int32)
                         .to_numpy()})
