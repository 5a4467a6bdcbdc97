"""Aspect sentiment comes from the clauses that mention the aspect."""

from __future__ import annotations

import numpy as np
import pytest

from voc.sentiment.aspects import category_aspects, category_mentions, topic_aspects
from voc.sentiment.scorer import LexiconScorer
from voc.topics.taxonomy import load_taxonomy, match_categories


@pytest.fixture(scope="module")
def scorer() -> LexiconScorer:
    return LexiconScorer()


def test_contrast_splits_aspects(scorer) -> None:
    import pandas as pd

    taxonomy = load_taxonomy()
    texts = ["服务态度很好，但是配送太慢了，等了一周才到",
             "Late delivery again. The agent was very rude."]
    result = scorer.score(texts)
    documents = match_categories(pd.Series(texts), taxonomy)
    aspects = category_aspects(category_mentions(result.clauses, taxonomy, documents),
                               result.documents["score"].to_numpy(), documents, taxonomy)
    by_key = {(row.doc, row.category_id): row.score for row in aspects.itertuples()}
    assert by_key[(0, "delivery_delay")] < 0 < by_key[(0, "staff_attitude")]
    assert by_key[(1, "delivery_delay")] < 0 and by_key[(1, "staff_attitude")] < 0
    assert set(aspects.columns) == {"doc", "category_id", "score", "clauses"}
    assert (aspects["clauses"] >= 0).all()


def test_document_level_match_falls_back_to_document_score(scorer) -> None:
    import pandas as pd

    taxonomy = load_taxonomy()
    texts = ["退款"]
    result = scorer.score(texts)
    documents = np.zeros((1, len(taxonomy.ids)), dtype=bool)
    documents[0, 0] = True  # a match the clause-level pass cannot see
    aspects = category_aspects(category_mentions(result.clauses, taxonomy, documents),
                               np.array([0.42]),
                               documents, taxonomy)
    row = aspects[aspects["category_id"] == taxonomy.ids[0]].iloc[0]
    assert row["clauses"] == 0 and row["score"] == pytest.approx(0.42)
    assert len(pd.unique(aspects["doc"])) == 1


def test_topic_aspects_use_clauses_with_topic_keywords(scorer) -> None:
    texts = ["The refund never came, awful. The app looks nice.", "Great app", "no topic here"]
    result = scorer.score(texts)
    document_scores = result.documents["score"].to_numpy()
    aspects = topic_aspects(result.clauses, document_scores, np.array([0, 1, -1]),
                            {0: ["refund"], 1: ["zzz"]})
    assert aspects["doc"].tolist() == [0, 1]
    first = aspects.iloc[0]
    assert first["clauses"] == 1 and first["score"] < 0 < document_scores[0] + 1
    second = aspects.iloc[1]
    assert second["clauses"] == 0 and second["score"] == pytest.approx(document_scores[1])


def test_mentions_come_from_clauses_with_evidence_each_text_matched_once(scorer) -> None:
    taxonomy = load_taxonomy()
    texts = ["配送太慢了", "配送太慢了", "配送", "退款很快，很满意"]
    mentions = category_mentions(scorer.score(texts).clauses, taxonomy,
                                 match_categories(texts, taxonomy))
    by_doc = mentions.groupby("doc")["category_id"].apply(set).to_dict()
    assert by_doc[0] == by_doc[1] and "delivery_delay" in by_doc[0]
    assert 2 not in by_doc  # "配送" carries no sentiment: the document score stands in later
    assert (mentions["score"] != 0).all()
    assert mentions.loc[mentions["doc"] == 0, "score"].tolist() == \
        mentions.loc[mentions["doc"] == 1, "score"].tolist()


def test_clauses_mention_only_categories_their_document_matches(scorer) -> None:
    taxonomy = load_taxonomy()
    texts = ["配送太慢了", "配送太慢了"]
    documents = match_categories(texts, taxonomy)
    documents[1] = False  # as if the rules had not matched the second document
    mentions = category_mentions(scorer.score(texts).clauses, taxonomy, documents)
    assert set(mentions["doc"]) == {0}
    assert "delivery_delay" in set(mentions["category_id"])
