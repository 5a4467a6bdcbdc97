"""Document scores: contrast weighting, politeness, handles, clauses, labels."""

from __future__ import annotations

import numpy as np
import pytest

from voc.sentiment.flags import load_flag_rules
from voc.sentiment.scorer import (
    ROLE_CONTRAST_AFTER,
    ROLE_CONTRAST_BEFORE,
    ROLE_PLAIN,
    ROLE_POLITE,
    LexiconScorer,
    ScorerSpec,
    clause_tokens,
    clause_weights,
    concat_scores,
    english_words,
    sentiment_clauses,
)
from voc.sentiment.stage import concat_passes, lexicon_pass
from voc.text.chinese import BUNDLED_USER_DICTIONARY
from voc.topics.taxonomy import load_taxonomy


@pytest.fixture(scope="module")
def scorer() -> LexiconScorer:
    return LexiconScorer()


def scores(scorer: LexiconScorer, *texts: str) -> list[float]:
    return scorer.score(list(texts)).documents["score"].tolist()


@pytest.mark.parametrize(("text", "sign"), [
    ("菜很好吃，但是配送太慢了", -1), ("配送太慢了，但是菜很好吃", 1),
    ("The food was great but delivery was slow", -1),
    ("Delivery was slow, but the food was great", 1),
    ("虽然价格便宜，质量太差", -1), ("Although the room was small, the staff were wonderful", 1),
    ("挺好的，就是太贵了", -1),
])
def test_the_clause_after_a_contrast_carries_the_verdict(scorer, text: str, sign: int) -> None:
    assert np.sign(scores(scorer, text)[0]) == sign


def test_contrast_weights_are_recorded_per_clause(scorer) -> None:
    clauses = scorer.score(["菜很好吃，但是配送太慢了"]).clauses
    assert clauses["text"].tolist() == ["菜很好吃", "但是配送太慢了"]
    assert clauses["weight"].tolist() == [0.5, 1.5]
    assert clauses["score"].iloc[0] > 0 > clauses["score"].iloc[1]


PLAIN, POLITE, AFTER, BEFORE = ROLE_PLAIN, ROLE_POLITE, ROLE_CONTRAST_AFTER, ROLE_CONTRAST_BEFORE


@pytest.mark.parametrize(("roles", "weights"), [
    ([PLAIN, PLAIN], [1.0, 1.0]),
    ([PLAIN, AFTER, PLAIN], [0.5, 1.5, 1.5]),  # 但是…: the rest carries the verdict
    ([BEFORE, PLAIN, PLAIN], [0.5, 1.5, 1.0]),  # 虽然…: the next clause only
    ([PLAIN, POLITE], [1.0, 0.25]),
    ([POLITE], [1.0]),  # "thanks" alone is the whole document
    ([PLAIN, AFTER, POLITE], [0.5, 1.5, 0.25]),
    ([POLITE, AFTER, PLAIN, AFTER], [0.5, 0.5, 0.5, 1.5]),  # a later opener redraws it
])
def test_clause_weights_follow_the_roles_in_order(roles: list[int], weights: list[float]) -> None:
    # two documents: the first all plain, then the case; counts and starts per document
    flat = np.array([PLAIN, *roles], dtype=np.int8)
    docs = np.array([0] + [1] * len(roles))
    counts, starts = np.array([1, len(roles)]), np.array([0, 1])
    assert clause_weights(flat, docs, counts, starts).tolist() == [1.0, *weights]


def test_polite_closing_does_not_outweigh_the_complaint(scorer) -> None:
    complaint, polite = scores(scorer, "The package arrived broken.",
                               "The package arrived broken. Thanks!")
    assert complaint < 0 and polite < 0


def test_handles_and_links_are_not_sentiment(scorer) -> None:
    # "united" and a URL carry no sentiment; only the words do
    assert scores(scorer, "@united when does gate B open? https://t.co/x1")[0] == 0
    assert scores(scorer, "@united terrible service")[0] < 0


def test_labels_confidence_and_neutral_band(scorer) -> None:
    documents = scorer.score(["非常满意，五星好评", "请问几点开门", "太差劲了，再也不买"]).documents
    assert documents["label"].tolist() == ["positive", "neutral", "negative"]
    assert documents["confidence"].tolist() == pytest.approx(documents["score"].abs().tolist())
    assert all(-1 <= s <= 1 for s in documents["score"])


def test_mixed_language_text_uses_both_lexicons(scorer) -> None:
    tokens = clause_tokens(["我的order还没到, very disappointed"], scorer.segmenter)[0]
    assert "order" in tokens and "disappointed" in tokens and "没到" in tokens
    assert scores(scorer, "快递太慢 very disappointed")[0] < 0


def test_empty_and_missing_texts_score_zero(scorer) -> None:
    result = scorer.score(["", "   ", "好"])
    assert result.documents["score"].tolist()[:2] == [0, 0]
    assert len(result.documents) == 3


def test_scores_are_deterministic(scorer) -> None:
    texts = ["物流很快，包装完好", "客服态度恶劣，投诉无门", "ok"]
    first = scorer.score(texts).documents
    assert first.equals(LexiconScorer().score(texts).documents)


def test_sentiment_clauses_split_commas_too() -> None:
    assert sentiment_clauses("挺好的，就是太贵。下次再来") == ["挺好的", "就是太贵。", "下次再来"]
    assert english_words("Didn’t arrive, I'm upset") == ["didn't", "arrive", "i'm", "upset"]


def test_chunks_scored_apart_equal_the_batch_scored_at_once(scorer) -> None:
    texts = ["物流很快，包装完好 :)", "", "难道没人管吗？客服态度恶劣",
             "Great crew, but the flight was delayed!!", "how hard is it to answer a phone?",
             "还行吧", "谢谢", "再不退款我就投诉到12315"]
    spec = ScorerSpec("rjieba", (BUNDLED_USER_DICTIONARY,))
    taxonomy, rules = load_taxonomy(), load_flag_rules()
    whole = lexicon_pass(texts, spec, taxonomy, rules)
    chunked = concat_passes([lexicon_pass(texts[start:start + 3], spec, taxonomy, rules)
                             for start in (0, 3, 6)])
    assert chunked.mentions.equals(whole.mentions) and len(whole.mentions)
    assert chunked.flags.equals(whole.flags) and whole.flags["row"].tolist()[-1] == 7
    # a document has evidence when one of its clauses carries sentiment
    clauses = whole.scores.clauses
    evident = set(clauses.loc[clauses["score"] != 0, "doc"])
    assert whole.scores.documents["evidence"].tolist() == [
        doc in evident for doc in range(len(texts))]
    assert not whole.scores.documents["evidence"][1] and whole.scores.documents["evidence"][2]
    parts, whole = chunked.scores, whole.scores
    assert parts.documents.equals(whole.documents)
    assert parts.clauses.equals(whole.clauses)
    assert whole.documents.equals(scorer.score(texts).documents)  # the spec builds the default
    assert sorted(set(parts.clauses["doc"])) == [0, 2, 3, 4, 5, 6, 7]  # batch positions
    with pytest.raises(ValueError, match="at least one chunk"):
        concat_scores([])


def test_clauses_scored_before_give_the_same_scores(monkeypatch) -> None:
    import voc.sentiment.scorer as scorer_module

    texts = ["物流很快，包装完好 :)", "难道没人管吗？客服态度恶劣", "谢谢",
             "Great crew, but the flight was delayed!!", "物流很快，但是客服态度恶劣", "谢谢"]
    fresh = LexiconScorer().score(texts)
    monkeypatch.setattr(scorer_module, "KNOWN_CLAUSES", 4)
    warm = LexiconScorer()
    warm.score(texts[:3])  # remembers four of its clauses, then no more
    assert len(warm._known) == 4
    again = warm.score(texts)  # known clauses and new ones together
    assert again.documents.equals(fresh.documents) and again.clauses.equals(fresh.clauses)
    assert len(warm._known) == 4
