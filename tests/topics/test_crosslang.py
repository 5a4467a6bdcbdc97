from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from voc.text.chinese import BUNDLED_USER_DICTIONARY
from voc.topics.assign import cached_tokenizer
from voc.topics.crosslang import (
    BUNDLED_GLOSSARY,
    link_languages,
    load_glossary,
    read_glossary_lines,
    translate_keywords,
)
from voc.topics.vectorize import topic_tokens


def _kw(*words: str) -> str:
    return json.dumps([[word, 1.0 / (rank + 1)] for rank, word in enumerate(words)])


def _english(phrases: list[str]) -> list[list[str]]:
    tokenizer = cached_tokenizer("rjieba", (BUNDLED_USER_DICTIONARY,))
    return topic_tokens(tokenizer.tokenize(phrases))


GLOSSARY = {"取件码": ("pickup", "code"), "快递柜": ("locker",), "过期": ("expire",),
            "退款": ("refund",), "好吃": ("tasty", "delicious")}


def test_crosslang_translation_shares_weight_and_keeps_latin_words() -> None:
    translated = translate_keywords([("取件码", 0.4), ("App", 0.2), ("没见过的词", 0.5)],
                                    GLOSSARY)
    assert translated == {"pickup": 0.2, "code": 0.2, "app": 0.2}


def test_crosslang_links_matching_emerging_topics_one_to_one() -> None:
    topics = pd.DataFrame({
        "topic_id": ["zh-03", "zh-05", "en-02", "en-04", "en-06"],
        "lang": ["zh", "zh", "en", "en", "en"],
        "keywords": [_kw("取件码", "快递柜", "过期"), _kw("好吃", "退款"),
                     _kw("locker", "code", "pickup", "expire"), _kw("hold", "music"),
                     _kw("refund", "money")],
        "stable_id": ["zh-T0009", "zh-T0002", "en-T0011", "en-T0003", "en-T0001"],
        "emerging": [True, True, True, True, False]})
    links = link_languages(topics, GLOSSARY).set_index("topic_id")
    # the locker topics are one issue, under the smaller of their stable ids
    assert links.loc["zh-03", "issue_id"] == links.loc["en-02", "issue_id"] == "en-T0011"
    assert links.loc["zh-03", "similarity"] > 0.8
    # the refund topic is in the taxonomy (not emerging): nothing else links
    assert set(links.index) == {"zh-03", "en-02"}


def test_crosslang_no_links_below_threshold_or_without_both_languages() -> None:
    topics = pd.DataFrame({"topic_id": ["zh-00", "en-00"], "lang": ["zh", "en"],
                           "keywords": [_kw("好吃"), _kw("locker")],
                           "stable_id": ["zh-T0001", "en-T0001"], "emerging": [True, True]})
    assert link_languages(topics, GLOSSARY).empty
    assert link_languages(topics[topics["lang"] == "zh"], GLOSSARY).empty
    assert link_languages(topics.iloc[0:0], GLOSSARY).empty


def test_crosslang_glossary_speaks_voc_english_and_user_files_win(tmp_path: Path) -> None:
    extra = tmp_path / "team.tsv"
    extra.write_text("# our words\n取件码\tparcel PIN\n闪购\tflash sales|flash deal\n",
                     encoding="utf-8")
    glossary = load_glossary(_english, [extra])
    assert glossary["闪购"] == ("flash", "sale", "flash", "deal")  # lemmas, like topic words
    assert glossary["取件码"] == ("parcel", "pin")  # the team's entry replaces the bundled one


def test_crosslang_bad_glossary_line_names_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.tsv"
    bad.write_text("退款\trefund\n取件码 pickup code\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.tsv, line 2"):
        read_glossary_lines(bad)


def test_crosslang_bundled_glossary_is_broad_and_unambiguous() -> None:
    entries = read_glossary_lines(BUNDLED_GLOSSARY)
    words = [zh for zh, _ in entries]
    assert len(words) == len(set(words)), "a Chinese word is listed twice"
    assert len(entries) >= 400
    glossary = load_glossary(_english)
    for word, expected in (("退款", "refund"), ("快递", "delivery"), ("客服", "service"),
                           ("登录", "login"), ("行李", "baggage")):
        assert expected in glossary[word], (word, glossary[word])
