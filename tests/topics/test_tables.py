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

FAST = {"min_df": 2, "lsa_dims": 10, "w2v_epochs": 5}


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
