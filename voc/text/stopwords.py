"""Stopwords for topic keywords, per language: bundled lists plus the team's own words.

Only topic keywords drop them; sentiment keeps negations and degree words.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from voc.text.chinese import CORPORA
from voc.text.english import spacy_stop_words

STOPWORD_DIR = CORPORA / "stopwords"


def read_word_list(path: Path) -> set[str]:
    """One word per line; blank lines and # comments ignored."""
    words = set()
    for line in path.read_text(encoding="utf-8-sig").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            words.add(line.lower())
    return words


@lru_cache(maxsize=4)
def bundled_stopwords(lang: str) -> frozenset[str]:
    words = read_word_list(STOPWORD_DIR / f"{lang}.txt")
    if lang == "en":
        words |= spacy_stop_words()
    return frozenset(words)


def stopwords(extra: Iterable[str] = ()) -> frozenset[str]:
    """Chinese and English stopwords together (a mixed document needs both) plus `extra`."""
    return bundled_stopwords("zh") | bundled_stopwords("en") | {w.lower() for w in extra}
