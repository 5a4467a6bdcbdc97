from __future__ import annotations

import json

import numpy as np
import pandas as pd

from voc.topics.model import TopicModel
from voc.topics.tables import (
    doc_category_table,
    doc_topic_table,
    topic_id,
    topic_table,
)
from voc.topics.taxonomy import load_taxonomy

FAST = {"min_df": 2, "lsa_dims": 10, "word_epochs": 5}


def test_tables_topic_ids_and_doc_rows() -> None:
    assert topic_id("zh", 3) == "zh-03" and topic_id("en", -1) == "en-other"
    rows = doc_topic_table(pd.Series(["a", "b"]), "en", np.array([0, -1]),
                           np.array([0.9, 0.1]))
    assert rows["topic_id"].tolist() == ["en-00", "en-other"]


def test_tables_topics_get_a_category_or_are_emerging(planted) -> None:
    docs, truth = planted
    taxonomy = load_taxonomy()
    model = TopicModel(n_topics=4, seed=0, vectorizer_options=FAST).fit(docs)
    topics, _ = model.transform(docs)
    # planted luggage documents mention baggage; nothing else matches any category
    matches = np.zeros((len(docs), len(taxonomy.ids)), dtype=bool)
    matches[np.array(truth) == "luggage", taxonomy.ids.index("baggage")] = True
    table = topic_table(model, "en", topics, matches, taxonomy)
    assert len(table) == 5 and table["topic_id"].iloc[-1] == "en-other"
    assert table["size"].sum() == len(docs)
    luggage = table[table["category"] == "baggage"]
    assert len(luggage) == 1 and luggage["category_share"].iloc[0] > 0.9
    assert table[table["topic_id"] != "en-other"]["emerging"].sum() == 3
    words = [word for word, _ in json.loads(luggage["keywords"].iloc[0])]
    assert {"bag", "luggage"} & set(words[:4])
    assert luggage["label"].iloc[0].count(" / ") == 2


def test_tables_doc_categories_long_format() -> None:
    taxonomy = load_taxonomy()
    matches = np.zeros((2, len(taxonomy.ids)), dtype=bool)
    matches[0, 0] = matches[0, 2] = matches[1, 2] = True
    keywords = matches.copy()
    keywords[1, 2] = False  # the learned model, not a rule, put "b" in the third category
    table = doc_category_table(pd.Series(["a", "b"]), matches, taxonomy, keywords)
    assert table.values.tolist() == [["a", taxonomy.ids[0], "keyword"],
                                     ["a", taxonomy.ids[2], "keyword"],
                                     ["b", taxonomy.ids[2], "model"]]
    rules_only = doc_category_table(pd.Series(["a", "b"]), matches, taxonomy)
    assert (rules_only["matched_by"] == "keyword").all()


def _topic_of(matches: np.ndarray) -> pd.Series:
    """The table row of one topic holding every document, with these category matches."""
    docs = [["refund", "money", "bank"]] * len(matches)
    model = TopicModel(n_topics=1, seed=0, vectorizer_options={"min_df": 1}).fit(docs)
    table = topic_table(model, "en", np.zeros(len(docs), dtype=int), matches, load_taxonomy())
    return table.iloc[0]


def test_tables_a_mix_of_two_known_issues_is_not_emerging() -> None:
    taxonomy = load_taxonomy()
    refund, billing = taxonomy.ids.index("refund_return"), taxonomy.ids.index("billing_error")
    matches = np.zeros((10, len(taxonomy.ids)), dtype=bool)
    matches[:3, refund] = True  # 30%: one category is enough on its own
    assert _topic_of(matches)["category"] == "refund_return"
    matches = np.zeros((20, len(taxonomy.ids)), dtype=bool)
    matches[:5, refund] = matches[5:10, billing] = True  # 25% each, half of the topic together
    row = _topic_of(matches)
    assert not row["emerging"] and row["category"] in {"refund_return", "billing_error"}
    matches[5:10, billing] = False
    matches[5:8, billing] = True  # 25% + 15%: a topic about something else
    assert _topic_of(matches)["emerging"]


def test_tables_scattered_incidental_matches_leave_a_topic_emerging() -> None:
    taxonomy = load_taxonomy()
    matches = np.zeros((10, len(taxonomy.ids)), dtype=bool)
    for row, category in enumerate(["courier_behaviour", "information_communication",
                                    "unreachable", "safety_health", "app_website_bug",
                                    "installation_repair"]):
        matches[row, taxonomy.ids.index(category)] = True  # 60% match something, all different
    row = _topic_of(matches)
    assert row["emerging"] and row["category"] is None
