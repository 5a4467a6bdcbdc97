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
    topics, similarity, learned = assign_texts(texts, model, "rjieba", dictionaries)
    expected_topics, expected_similarity = model.transform(tokens)
    assert np.array_equal(topics, expected_topics)
    assert np.array_equal(similarity, expected_similarity)
    assert learned is None  # no expander given
    assert cached_tokenizer("rjieba", dictionaries) is cached_tokenizer("rjieba", dictionaries)


def test_assign_texts_adds_the_expanders_categories() -> None:
    from voc.topics.expand import CategoryExpander

    texts = (["my refund never arrived, still waiting for the money"] * 30
             + ["still waiting for the money"] * 3 + ["bag lost at the airport"] * 45)
    dictionaries = (BUNDLED_USER_DICTIONARY,)
    tokens = topic_tokens(cached_tokenizer("rjieba", dictionaries).tokenize(texts))
    model = TopicModel(n_topics=2, seed=0, vectorizer_options={"min_df": 1}).fit(tokens)
    seeds = np.zeros((len(texts), 2), dtype=bool)
    seeds[:30, 0] = True  # the rule matched "refund" only
    expander = CategoryExpander.fit(model.vectorizer_, model.vectorizer_.counts(tokens), seeds,
                                    seed=0)
    *_, learned = assign_texts(texts, model, "rjieba", dictionaries, expander)
    assert learned[30:33, 0].all()  # the same complaint without the keyword joins
    assert not learned[33:, 0].any() and not learned[:, 1].any()  # no seeds, nothing learned
