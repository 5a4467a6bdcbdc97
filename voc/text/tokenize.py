"""Tokens for analysis: English words go to the English tokenizer, the rest (Chinese) to the
Chinese segmenter, so code-mixed feedback ("我的order还没到, please check") reads right.

Input is `analysis_text` (NFKC, simplified Chinese). Punctuation, spaces and emoji are dropped;
digits stay (stopword and length filters belong to the topic vectoriser).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from voc.text.chinese import ChineseSegmenter
from voc.text.english import EnglishTokenizer

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# A run of Latin-script words (with the spaces, apostrophes and hyphens between them), plus
# any URL, @handle or #hashtag: the English tokenizer's share of a mixed text.
# Every alternative starts with a literal or a character class (no optional "[@#]?"), so the
# regex engine skips Chinese characters in C instead of trying a match at each one.
_LATIN_WORD = (r"(?:https?://[!-~]+|www\.[!-~]+|[@#][A-Za-z][A-Za-z0-9_'’.\-]*"
               r"|[A-Za-z][A-Za-z0-9_'’.\-]*)")
_LATIN_RUN = re.compile(rf"{_LATIN_WORD}(?:[ \t]+{_LATIN_WORD})*")
# Every Latin run has an ASCII letter: looking for one first is four times cheaper than
# looking for a run, and most Chinese feedback has none.
_ASCII_LETTER = re.compile(r"[A-Za-z]")


class Tokenizer:
    """Bilingual tokenizer: `tokenize(texts)` → one token list per text."""

    def __init__(self, chinese: ChineseSegmenter | None = None,
                 english: EnglishTokenizer | None = None) -> None:
        self.chinese = chinese or ChineseSegmenter()
        self.english = english or EnglishTokenizer()

    def tokenize(self, texts: Sequence[str], words_only: bool = True) -> list[list[str]]:
        """words_only=False keeps the Chinese segmenter's punctuation, emoji and space tokens:
        cheaper where tokens are only looked up in a vocabulary of words (topic assignment)."""
        # Each text becomes a list of pieces: English runs, and Chinese runs that are
        # segmented together in one batch at the end. None: the text is one Chinese run
        # (most Chinese feedback), whose tokens are taken as they are.
        plans: list[list[tuple[bool, str]] | None] = []
        chinese_runs: list[str] = []
        for text in texts:
            text = text or ""
            if not _HAN.search(text):
                plans.append([(False, text)])
                continue
            plan: list[tuple[bool, str]] = []
            position = 0
            if _ASCII_LETTER.search(text):
                for match in _LATIN_RUN.finditer(text):
                    if match.start() > position:
                        plan.append((True, text[position:match.start()]))
                    plan.append((False, match.group()))
                    position = match.end()
            if not plan:  # no Latin run
                chinese_runs.append(text)
                plans.append(None)
                continue
            if position < len(text):
                plan.append((True, text[position:]))
            chinese_runs += [piece for is_chinese, piece in plan if is_chinese]
            plans.append(plan)
        segmented = iter(self.chinese.cut_many(chinese_runs, words_only=words_only,
                                               keep_spaces=not words_only))
        result = []
        for plan in plans:
            if plan is None:
                result.append(next(segmented))
                continue
            tokens: list[str] = []
            for is_chinese, piece in plan:
                if is_chinese:
                    tokens += next(segmented)
                else:
                    tokens += self.english.tokens(piece)
            result.append(tokens)
        return result


@lru_cache(maxsize=4)
def cached_tokenizer(segmenter: str, dictionaries: tuple[Path, ...]) -> Tokenizer:
    """One tokenizer per segmenter and dictionaries in a process: the topic and sentiment
    jobs share it, so the dictionaries load once per process, not per job or stage."""
    return Tokenizer(ChineseSegmenter(segmenter, dictionaries))
