"""Clause rules: negation, degree, phrases, emoji, emphasis and rhetorical questions."""

from __future__ import annotations

import pytest

from voc.sentiment.lexicon import load_lexicon
from voc.sentiment.rules import ClauseScorer, normalise
from voc.sentiment.scorer import clause_tokens
from voc.text.chinese import ChineseSegmenter


@pytest.fixture(scope="module")
def rules() -> ClauseScorer:
    return ClauseScorer(load_lexicon("zh"), load_lexicon("en"))


@pytest.fixture(scope="module")
def segmenter() -> ChineseSegmenter:
    return ChineseSegmenter()


def valence(rules: ClauseScorer, segmenter: ChineseSegmenter, text: str) -> float:
    return rules.clause_valence(text, clause_tokens([text], segmenter)[0])


@pytest.mark.parametrize(("plain", "negated"), [
    ("菜好吃", "菜不好吃"), ("服务满意", "服务不满意"),
    ("the food was good", "the food was not good"),
    ("it was helpful", "it wasn't helpful"), ("it was helpful", "it was never helpful"),
])
def test_negation_flips_and_damps(rules, segmenter, plain: str, negated: str) -> None:
    positive, flipped = valence(rules, segmenter, plain), valence(rules, segmenter, negated)
    assert positive > 0 > flipped
    assert abs(flipped) < abs(positive) * 1.01 or "不满意" in negated  # 不满意 is a lexicon word


@pytest.mark.parametrize(("mild", "strong"), [
    ("菜好吃", "菜非常好吃"), ("有点慢", "太慢"), ("good", "very good"), ("难吃", "难吃极了"),
])
def test_degree_words_scale(rules, segmenter, mild: str, strong: str) -> None:
    assert abs(valence(rules, segmenter, strong)) > abs(valence(rules, segmenter, mild)) > 0


def test_negated_degree_is_mild_not_strong(rules, segmenter) -> None:
    # "不太好吃" is a mild complaint: weaker than "难吃", and negative
    assert valence(rules, segmenter, "难吃") < valence(rules, segmenter, "不太好吃") < 0


@pytest.mark.parametrize("text", ["不错", "没问题", "性价比高"])
def test_lexicalised_phrases_keep_their_own_valence(rules, segmenter, text: str) -> None:
    assert valence(rules, segmenter, text) > 0


def test_phrase_beats_its_words(rules, segmenter) -> None:
    assert valence(rules, segmenter, "再也不买了") < 0
    assert valence(rules, segmenter, "my lost luggage") < valence(rules, segmenter, "my luggage")


def test_emoji_and_stickers_count(rules, segmenter) -> None:
    assert valence(rules, segmenter, "👍") > 0 > valence(rules, segmenter, "😡")
    assert valence(rules, segmenter, "👍🏻") == valence(rules, segmenter, "👍")  # skin tone
    assert valence(rules, segmenter, "收到了[怒]") < 0


def test_emoticons_are_found_anywhere_and_counted_each_time(rules, segmenter) -> None:
    once = valence(rules, segmenter, "ok :)")
    assert once > 0
    assert valence(rules, segmenter, "ok :) :)") > once  # each occurrence counts
    assert valence(rules, segmenter, "送到了XD") > 0  # a Latin-letter emoticon inside Chinese
    assert valence(rules, segmenter, "plain words only") == 0


def test_a_token_is_looked_up_the_same_way_every_time(rules, segmenter) -> None:
    texts = ["服务满意，物流超快", "not very good at all", "性价比高", "不太好"]
    first = [valence(rules, segmenter, text) for text in texts]
    assert rules._described  # what the lexicon says of each token is remembered
    assert [valence(rules, segmenter, text) for text in texts] == first
    fresh = ClauseScorer(load_lexicon("zh"), load_lexicon("en"))
    assert [valence(fresh, segmenter, text) for text in reversed(texts)] == first[::-1]


def test_exclamations_amplify_both_ways(rules, segmenter) -> None:
    assert valence(rules, segmenter, "great!!!") > valence(rules, segmenter, "great") > 0
    assert valence(rules, segmenter, "太差了！！") < valence(rules, segmenter, "太差了") < 0
    assert valence(rules, segmenter, "ok!!!") == 0  # nothing to amplify


@pytest.mark.parametrize("text", ["难道你们就不管吗？", "how hard is it to answer the phone?",
                                  "这叫好服务？", "are you kidding me"])
def test_rhetorical_questions_are_complaints(rules, segmenter, text: str) -> None:
    assert valence(rules, segmenter, text) < 0


def test_plain_question_is_neutral(rules, segmenter) -> None:
    assert valence(rules, segmenter, "请问什么时候发货？") == 0
    assert valence(rules, segmenter, "when will my order ship?") == 0


def test_normalise_is_bounded_and_monotone() -> None:
    values = [normalise(raw) for raw in (-40, -4, -1, 0, 1, 4, 40)]
    assert values == sorted(values) and all(-1 < v < 1 for v in values) and values[3] == 0
