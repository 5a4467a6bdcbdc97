from __future__ import annotations

import numpy as np

from voc.text.chinese import BUNDLED_USER_DICTIONARY
from voc.topics.assign import assign_texts, cached_tokenizer
from voc.topics.model import TopicModel
from voc.topics.vectorize import topic_tokens


def test_assign_texts_equals_tokenise_then_transform() -> None:
    texts = ["My refund never arrived", "退款一直没到账", "Lost my luggage again",
             "行李丢了，托运的箱子找不到", "refund please", "bag lost"] * 10
    dictionaries = (BUNDLED_USER_DICTIONARY,)
    tokens = topic_tokens(cached_tokenizer("rjieba", dictionaries).tokenize(texts))
    model = TopicModel(n_topics=2, seed=0, vectorizer_options={"min_df": 1}).fit(tokens)
    topics, similarity = assign_texts(texts, model, "rjieba", dictionaries, ())
    expected_topics, expected_similarity = model.transform(tokens)
    assert np.array_equal(topics, expected_topics)
    assert np.array_equal(similarity, expected_similarity)
    assert cached_tokenizer("rjieba", dictionaries) is cached_tokenizer("rjieba", dictionaries)
