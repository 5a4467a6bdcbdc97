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


def category_mentions(clauses: pd.DataFrame, taxonomy: Taxonomy,
                      document_categories: np.ndarray) -> pd.DataFrame:
    """One row per (clause with sentiment evidence, category it mentions) where the clause's
    document matches the category (`document_categories`, documents × categories: only those
    pairs become aspects, so a clause is never matched against a category its document
    lacks): doc, category_id, score, weight. Per chunk of documents (on an engine's
    workers): each distinct clause text is matched once, and clauses without evidence or in
    documents without categories not at all."""
    evident = clauses[clauses["score"].to_numpy() != 0]
    codes, distinct = pd.factorize(evident["text"])
    docs = evident["doc"].to_numpy(dtype=np.int64)
    wanted = np.zeros(len(distinct), dtype=bool)
    wanted[codes[document_categories[docs].any(axis=1)]] = True
    candidates = np.flatnonzero(wanted)
    found = np.zeros((len(distinct), len(taxonomy.categories)), dtype=bool)
    found[candidates] = match_categories(pd.Series(distinct).iloc[candidates].tolist(), taxonomy)
    clause_rows, columns = np.nonzero(found[codes] & document_categories[docs])
    return pd.DataFrame({
        "doc": docs[clause_rows],
        "category_id": pd.Series(np.asarray(taxonomy.ids, dtype=object)[columns], dtype=str),
        "score": evident["score"].to_numpy()[clause_rows],
        "weight": evident["weight"].to_numpy()[clause_rows]})


def category_aspects(mentions: pd.DataFrame, document_scores: np.ndarray,
                     document_categories: np.ndarray, taxonomy: Taxonomy) -> pd.DataFrame:
    """One row per (doc, category) the document matches: doc, category_id, score, clauses
    (how many of its clauses with sentiment evidence mention the category, from
    `category_mentions`; 0 = the document score stands in). Rows by doc, then category id.

    (doc, category) pairs are keyed as one integer, so a million records' aspects cost a
    few arrays rather than joins of string columns."""
    ids = np.asarray(taxonomy.ids, dtype=object)
    width = len(ids)
    codes = pd.Categorical(mentions["category_id"], categories=list(taxonomy.ids)).codes
    keys = mentions["doc"].to_numpy(dtype=np.int64) * width + codes
    mentioned, inverse = np.unique(keys, return_inverse=True)
    weights = mentions["weight"].to_numpy(dtype=np.float64)
    # one sentinel key above every real one: a lookup always lands on some entry
    mentioned = np.append(mentioned, np.iinfo(np.int64).max)
    total = np.bincount(inverse, weights, minlength=len(mentioned))
    weighted = np.bincount(inverse, mentions["score"].to_numpy(dtype=np.float64) * weights,
                           minlength=len(mentioned))
    counts = np.bincount(inverse, minlength=len(mentioned))
    doc_rows, columns = np.nonzero(document_categories)
    alphabetical = np.argsort(np.argsort(ids.astype(str)))
    order = np.lexsort((alphabetical[columns], doc_rows))
    doc_rows, columns = doc_rows[order], columns[order]
    wanted = doc_rows.astype(np.int64) * width + columns
    at = np.searchsorted(mentioned, wanted)
    found = (mentioned[at] == wanted) & (total[at] > 0)
    per_clause = np.divide(weighted[at], total[at], out=np.zeros(len(wanted)), where=found)
    return pd.DataFrame({
        "doc": doc_rows.astype(np.int64),
        "category_id": pd.Series(ids[columns], dtype=str),
        "score": np.where(found, per_clause, document_scores[doc_rows]),
        "clauses": np.where(found, counts[at], 0).astype(np.int32)})


def topic_aspects(clauses: pd.DataFrame, document_scores: np.ndarray,
                  document_topics: np.ndarray, keywords: dict[int, Sequence[str]],
                  top: int = 10) -> pd.DataFrame:
    """One row per document with a topic: doc, topic, score from the clauses that contain one
    of the topic's top keywords (document score when none does), clauses (that count).

    Keywords are matched as substrings ignoring case, so the lemma "delay" finds "Delayed".
    """
    # Positions, not filtered copies: at a million records the clause table has 12 M rows.
    evident = np.flatnonzero(clauses["score"].to_numpy() != 0)  # only evidence counts
    topic_of_clause = document_topics[clauses["doc"].to_numpy()[evident]]
    order = np.argsort(topic_of_clause, kind="stable")  # each topic's clauses side by side
    sorted_topics = topic_of_clause[order]
    topics = np.fromiter(keywords, dtype=np.int64, count=len(keywords))
    starts = np.searchsorted(sorted_topics, topics, side="left")
    ends = np.searchsorted(sorted_topics, topics, side="right")
    texts = clauses["text"]
    used: list[np.ndarray] = []
    for words, start, end in zip(keywords.values(), starts, ends, strict=True):
        rows = evident[order[start:end]]
        if not len(rows) or not words:
            continue
        pattern = "|".join(re.escape(word.lower()) for word in words[:top])
        hits = texts.iloc[rows].str.contains(pattern, case=False, regex=True).to_numpy()
        used.append(rows[hits.astype(bool)])
    mentioned_rows = np.sort(np.concatenate(used)) if used else np.zeros(0, dtype=np.int64)
    mentioned = clauses[["doc", "score", "weight"]].iloc[mentioned_rows]
    per_clause = _weighted_mean(mentioned, ["doc"]).set_index("doc")["score"]
    counts = mentioned.groupby("doc").size()
    with_topic = np.flatnonzero(document_topics >= 0)
    score = per_clause.reindex(with_topic).to_numpy()
    score = np.where(np.isnan(score), document_scores[with_topic], score)
    return pd.DataFrame({"doc": with_topic, "topic": document_topics[with_topic],
                         "score": score,
                         "clauses": counts.reindex(with_topic).fillna(0).astype(np.int32)
                         .to_numpy()})
