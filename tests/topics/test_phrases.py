"""voc.topics.phrases: multi-word key phrases found in the batch and ranked per topic."""

from __future__ import annotations

import random

import numpy as np

from voc.topics.phrases import detect_phrases, min_phrase_count, topic_phrases


def _corpus(seed: int = 1) -> tuple[list[list[str]], np.ndarray]:
    """Two topics: lost luggage complaints and refund requests (zh), with shared filler."""
    rng = random.Random(seed)
    filler = ["please", "help", "today", "thanks", "again", "still", "flight", "now"]
    docs, labels = [], []
    for i in range(120):
        topic = i % 2
        words = rng.sample(filler, 3)
        core = ["lost", "luggage"] if topic == 0 else ["退款", "申请"]
        extra = ["bag", "airport"] if topic == 0 else ["到账", "钱"]
        doc = [*words[:1], *core, rng.choice(extra), *words[1:]]
        docs.append(doc)
        labels.append(topic)
    return docs, np.array(labels)


def test_detect_phrases_finds_pairs_that_belong_together() -> None:
    docs, _ = _corpus()
    found = detect_phrases(docs)
    assert ("lost", "luggage") in found and ("退款", "申请") in found
    assert ("please", "help") not in found  # filler pairs occur by chance only
    assert detect_phrases([]) == set()
    assert detect_phrases(docs) == found  # deterministic


def test_topic_phrases_rank_each_topics_own_phrases() -> None:
    docs, labels = _corpus()
    phrases = topic_phrases(docs, labels, 2, detect_phrases(docs))
    assert phrases[0][0][0] == "lost luggage"
    assert phrases[1][0][0] == "退款申请"  # Chinese phrases are joined without a space
    assert all(weight > 0 for topic in phrases for _, weight in topic)
    assert "lost luggage" not in {phrase for phrase, _ in phrases[1]}


def test_topic_phrases_without_phrases_or_topics() -> None:
    docs, labels = _corpus()
    assert topic_phrases(docs, labels, 2, set()) == [[], []]
    assert topic_phrases(docs, labels, 0, {("lost", "luggage")}) == []
    other = np.full(len(docs), -1)  # every document in "other": no topic has phrases
    assert topic_phrases(docs, other, 2, detect_phrases(docs)) == [[], []]


def test_min_phrase_count_grows_with_the_sample() -> None:
    assert min_phrase_count(100) == 5 and min_phrase_count(50_000) == 25


def _gensim_phrases(tokens: list[list[str]], min_count: int) -> set[tuple[str, str]]:
    from gensim.models.phrases import Phrases

    model = Phrases(tokens, min_count=min_count, threshold=0.5, scoring="npmi",
                    delimiter="\x1f")
    return {tuple(phrase.split("\x1f")) for phrase in model.export_phrases()
            if len(set(phrase.split("\x1f"))) == 2}


def test_detect_phrases_finds_what_gensim_phrases_finds() -> None:
    # documents of random words with planted pairs at several strengths, and a pair that
    # crosses document boundaries only (never a phrase)
    rng = np.random.default_rng(4)
    words = [f"w{i}" for i in range(300)] + ["退款", "申请", "客服", "电话"]
    docs = []
    for _ in range(3000):
        doc = [str(w) for w in rng.choice(words, size=int(rng.integers(0, 12)))]
        if rng.random() < 0.2:
            doc[len(doc) // 2:len(doc) // 2] = ["退款", "申请"]
        if rng.random() < 0.05:
            doc[:0] = ["客服", "电话"]
        docs.append(doc)
    docs += [["end"], ["start"]] * 50
    for min_count in (2, 5, 20):
        ours = detect_phrases(docs, min_count=min_count)
        assert ours == _gensim_phrases(docs, min_count), min_count
        assert ("退款", "申请") in ours and ("end", "start") not in ours
    assert detect_phrases([]) == set() and detect_phrases([["one"], []]) == set()
