from __future__ import annotations

from voc.text.tokenize import Tokenizer


def test_tokenize_code_mixed_text_uses_both_tokenizers() -> None:
    tokens = Tokenizer().tokenize(["我的order还没到, please check ASAP!! 客服电话没人接"])[0]
    assert tokens == ["我", "的", "order", "还", "没到", "please", "check", "asap",
                      "客服电话", "没人接"]


def test_tokenize_drops_punctuation_emoji_urls_and_keeps_numbers() -> None:
    texts = ["😡😡 太差了！！", "iPhone 15屏幕有划痕，等了3.5天", "wifi连不上 @jd_help http://t.cn/x",
             "", "Didn't arrive."]
    assert Tokenizer().tokenize(texts) == [
        ["太差", "了"], ["iphone", "15", "屏幕", "有", "划痕", "等", "了", "3.5", "天"],
        ["wifi", "连不上"], [], ["do", "not", "arrive"]]


def test_tokenize_without_the_word_filter_only_adds_non_words() -> None:
    import re

    texts = ["物流很快！！包装完好😀，好评", "我的order还没到, please check!!", "", "！？。",
             "客服 态度 差…… 1234 次", "The app crashed again :("]
    tokenizer = Tokenizer()
    words, everything = tokenizer.tokenize(texts), tokenizer.tokenize(texts, words_only=False)
    word = re.compile(r"\w")
    assert [[token for token in doc if word.search(token)] for doc in everything] == words
    assert any(len(doc) > len(kept) for doc, kept in zip(everything, words, strict=True))
