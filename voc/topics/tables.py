"""Turn a fitted topic model's output into the rows the store keeps for a batch.

Pure functions: documents' topics and category matches in, topic and assignment tables out.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from voc.topics.model import OTHER, TopicModel
from voc.topics.taxonomy import Taxonomy

# A topic belongs to the category that at least CATEGORY_MIN_SHARE of its records mention, or
# to its most mentioned one when its two most mentioned categories together cover at least
# COVERED_SHARE of its records (a mix of two known issues, such as refunds and double charges,
# is not a new one). Otherwise the topic is "emerging": customers talk about something the
# taxonomy has no name for (its records match nothing, or scattered categories only).
CATEGORY_MIN_SHARE = 0.3
COVERED_SHARE = 0.5
LABEL_WORDS = 3


def topic_id(lang: str, topic: int) -> str:
    return f"{lang}-other" if topic == OTHER else f"{lang}-{topic:02d}"


def doc_topic_table(feedback_ids: pd.Series, lang: str, topics: np.ndarray,
                    similarity: np.ndarray) -> pd.DataFrame:
    # one id string per topic, then looked up per record (a million records: no f-string each)
    names = np.array([topic_id(lang, topic) for topic in
                      range(OTHER, int(np.max(topics, initial=OTHER)) + 1)], dtype=object)
    return pd.DataFrame({"feedback_id": feedback_ids.to_numpy(),
                         "topic_id": names[np.asarray(topics, dtype=np.int64) - OTHER].tolist(),
                         "similarity": np.round(similarity, 6).astype(np.float32)})


def doc_category_table(feedback_ids: pd.Series, matches: np.ndarray, taxonomy: Taxonomy,
                       keyword_matches: np.ndarray | None = None) -> pd.DataFrame:
    """One row per (record, category); matched_by says whether a keyword rule found it or
    the batch's learned model (voc.topics.expand) added it."""
    rows, columns = np.nonzero(matches)
    ids = taxonomy.ids
    by_keyword = keyword_matches[rows, columns] if keyword_matches is not None else \
        np.ones(len(rows), dtype=bool)
    return pd.DataFrame({"feedback_id": feedback_ids.to_numpy()[rows],
                         "category": np.asarray(ids, dtype=object)[columns].tolist(),
                         "matched_by": np.where(by_keyword, "keyword", "model")})


def topic_table(model: TopicModel, lang: str, topics: np.ndarray, matches: np.ndarray,
                taxonomy: Taxonomy, labels: list[str] | None = None,
                phrases: list[list[tuple[str, float]]] | None = None) -> pd.DataFrame:
    """One row per topic (and the language's "other" bucket): label, size, keywords, key
    phrases, category.

    labels: readable labels per topic (voc.topics.labels); default: the top keywords.
    phrases: multi-word key phrases per topic (voc.topics.phrases); default: none.
    """
    total = max(len(topics), 1)
    rows = []
    for topic in [*range(model.n_topics_), OTHER]:
        members = topics == topic
        size = int(members.sum())
        if topic == OTHER:
            rows.append({"topic_id": topic_id(lang, OTHER), "lang": lang, "label": "other",
                         "size": size, "share": size / total, "keywords": "[]",
                         "category": None, "category_share": None, "emerging": False,
                         "phrases": "[]"})
            continue
        weights = model.keyword_weights_[topic]
        category, share = _best_category(matches[members], taxonomy)
        rows.append({
            "topic_id": topic_id(lang, topic), "lang": lang,
            "label": labels[topic] if labels else (
                " / ".join(word for word, _ in weights[:LABEL_WORDS]) or "(no keywords)"),
            "size": size, "share": size / total,
            "keywords": json.dumps([[word, round(weight, 6)] for word, weight in weights],
                                   ensure_ascii=False),
            "category": category, "category_share": share, "emerging": category is None,
            "phrases": json.dumps([[phrase, weight] for phrase, weight in
                                   (phrases[topic] if phrases else [])], ensure_ascii=False),
        })
    return pd.DataFrame(rows)


def _best_category(matches: np.ndarray, taxonomy: Taxonomy) -> tuple[str | None, float]:
    if not len(matches):
        return None, 0.0
    shares = matches.mean(axis=0)
    best = int(np.argmax(shares))  # first on ties: taxonomy order
    share = float(shares[best])
    top_two = np.argsort(-shares, kind="stable")[:2]
    covered = share >= CATEGORY_MIN_SHARE or (
        share > 0 and float(matches[:, top_two].any(axis=1).mean()) >= COVERED_SHARE)
    return (taxonomy.ids[best] if covered else None), round(share, 6)
