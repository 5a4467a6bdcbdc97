from __future__ import annotations

from voc.text.stopwords import bundled_stopwords, stopwords


def test_stopwords_cover_function_words_and_boilerplate_not_issue_words() -> None:
    words = stopwords()
    for word in ("的", "了", "您好", "亲", "the", "please", "thanks", "rt"):
        assert word in words
    for word in ("退款", "配送", "客服", "refund", "delay", "luggage", "login"):
        assert word not in words


def test_stopwords_extra_words_are_added_lower_cased() -> None:
    assert "acme" in stopwords(["ACME"])
    assert "acme" not in bundled_stopwords("en")
