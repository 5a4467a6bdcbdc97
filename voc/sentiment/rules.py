"""The rule scorer for one clause: lexicon valences shaped by negation, degree, punctuation,
emoji and rhetorical questions (VADER's rules, made bilingual).

A clause's raw valence is the sum over its sentiment words; `normalise` maps it into (-1, 1)
the way VADER does, so one strong word and three mild ones land in comparable places.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from voc.sentiment.lexicon import Lexicon

NEGATION_SCALAR = -0.74  # VADER's: "not good" is less negative than "bad" is
NEGATION_WINDOW = 3  # a negator reaches this many tokens ahead
EXCLAMATION_STEP, EXCLAMATION_MAX = 0.292, 4  # per "!" (VADER), at most four count
QUESTION_STEP, QUESTION_MAX = 0.18, 0.96
RHETORICAL_VALENCE = -1.5
NORMALISE_ALPHA = 15.0

# Emoji variants (U+FE0F) and skin tones do not change what an emoji says.
_EMOJI_MODIFIERS = re.compile("[\ufe0f\U0001f3fb-\U0001f3ff]")
# Questions that are complaints ("难道没人管吗", "how hard is it to …"): the question itself
# is negative and praise words inside it are sarcastic.
_RHETORICAL = re.compile(
    r"难道|凭什么|怎么能|怎么可以|有没有搞错|搞什么|什么鬼|还能不能|到底要|到底还要|还要等多久|"
    r"是不是.{0,8}(?:不想|不要|不管|有病)|有这么.{0,6}吗|就这[?？]|就这服务|这叫.{0,6}[?？]|"
    r"\b(?:how hard is it|how difficult is it|is it too much to ask|are you (?:kidding|serious)|"
    r"seriously\s*\?|what(?:'s| is) wrong with|why (?:is|does|do|can't|won't|would) it|"
    r"how (?:is|can) this be|is this a joke|who does that)\b", re.IGNORECASE)


def _prefixes(valence: dict[str, float], joiner: str) -> frozenset[str]:
    """Every proper prefix of every entry, cut at characters (Chinese: jieba may split an
    entry anywhere) or at words (English)."""
    out: set[str] = set()
    for entry in valence:
        if joiner:
            words = entry.split(joiner)
            out.update(joiner.join(words[:end]) for end in range(1, len(words)))
        else:
            out.update(entry[:end] for end in range(1, len(entry)))
    return frozenset(out)


def normalise(raw: np.ndarray) -> np.ndarray:
    return raw / np.sqrt(raw * raw + NORMALISE_ALPHA)


# Distinct tokens a scorer remembers the lexicon's view of (most are None: no sentiment).
KNOWN_TOKENS = 200_000


class _TokenInfo(NamedTuple):
    lexicon: Lexicon
    value: float | None
    opens_phrase: bool
    inner: float | None  # a lexicon word at either end of a Chinese compound
    negator: bool


class ClauseScorer:
    """Raw valence of tokenised clauses with a Chinese and an English lexicon."""

    def __init__(self, chinese: Lexicon, english: Lexicon) -> None:
        self.chinese = chinese
        self.english = english
        emoticons = {**english.emoticons, **chinese.emoticons}
        self.emoticons = emoticons
        pattern = "|".join(re.escape(face) for face in sorted(emoticons, key=len, reverse=True))
        self._emoticon = re.compile(pattern) if pattern else None
        # Emoticons by first character: most clauses hold none, and a membership test per
        # candidate is far cheaper than running the long alternation over every clause.
        self._faces_by_first: dict[str, tuple[str, ...]] = {}
        for face in sorted(emoticons):
            self._faces_by_first[face[0]] = (*self._faces_by_first.get(face[0], ()), face)
        self._face_starts = frozenset(self._faces_by_first)
        # Proper prefixes of multi-token entries ("性价" of 性价比高, "lost" of "lost luggage"):
        # a phrase is only tried while the tokens so far can still grow into one.
        self._prefixes = {id(chinese): _prefixes(chinese.valence, ""),
                          id(english): _prefixes(english.valence, " ")}
        self._described: dict[str, _TokenInfo | None] = {}

    def _lexicon(self, token: str) -> Lexicon:
        return self.chinese if "\u3400" <= token[:1] <= "\u9fff" else self.english

    def _describe(self, token: str) -> _TokenInfo | None:
        """What the lexicon says of a token alone (None: nothing, the usual case): its
        lexicon, its own valence, whether a phrase may start with it, the valence of a word
        inside it (Chinese compounds) and whether it is a negator."""
        lexicon = self._lexicon(token)
        value = lexicon.valence.get(token)
        opens_phrase = token in self._prefixes[id(lexicon)]
        # a word inside the token matters only when the token has no valence of its own
        inner = self._inner_word(token) if value is None and lexicon is self.chinese \
            and len(token) >= 3 else None
        if value is None and not opens_phrase and inner is None:
            return None
        return _TokenInfo(lexicon, value, opens_phrase, inner, token in lexicon.negators)

    def word_valence(self, tokens: Sequence[str]) -> float:
        """Sum of word valences with negation and degree applied."""
        total = 0.0
        position = 0
        count = len(tokens)
        described = self._described
        while position < count:
            token = tokens[position]
            if token in described:
                info = described[token]
            else:
                info = self._describe(token)
                if len(described) < KNOWN_TOKENS:
                    described[token] = info
            if info is None:
                position += 1
                continue
            lexicon = info.lexicon
            value, width = info.value, 1
            if info.opens_phrase:  # the longest phrase wins: "不错" / "on hold" beat their parts
                joiner = "" if lexicon is self.chinese else " "
                prefixes = self._prefixes[id(lexicon)]
                candidate, span = token, 1
                while candidate in prefixes and position + span < count \
                        and span < lexicon.longest_phrase:
                    candidate += joiner + tokens[position + span]
                    span += 1
                    found = lexicon.valence.get(candidate)
                    if found is not None:
                        value, width = found, span
            if value is None:
                value = info.inner
            if value is not None and not (width == 1 and info.negator):
                total += self._shaped(tokens, position, value)
            position += width
        return total

    def _inner_word(self, token: str) -> float | None:
        """Valence of the longest lexicon word at either end of an unknown compound: jieba's
        dictionary keeps some phrases whole ("服务满意", "物流超快") that the lexicon lists
        only by their parts."""
        valence = self.chinese.valence
        for length in range(len(token) - 1, 1, -1):
            for piece in (token[-length:], token[:length]):
                found = valence.get(piece)
                if found is not None:
                    return found
        return None

    def _shaped(self, tokens: Sequence[str], position: int, value: float) -> float:
        """Degree words right before a sentiment word scale it; a negator shortly before
        flips and damps it ("不太好", "not very good")."""
        scale = 1.0
        negated = False
        for back in range(1, NEGATION_WINDOW + 1):
            if position - back < 0:
                break
            previous = tokens[position - back]
            lexicon = self._lexicon(previous)
            if previous in lexicon.negators:
                negated = True
                break
            if back <= 2 and previous in lexicon.degree:
                scale *= lexicon.degree[previous]
            elif previous in lexicon.valence or previous in lexicon.contrast_after:
                break  # another sentiment word or a contrast ends this word's reach
        following = tokens[position + 1] if position + 1 < len(tokens) else ""
        lexicon = self._lexicon(tokens[position])
        if following in lexicon.degree_after:
            scale *= lexicon.degree_after[following]
        if negated:  # "不太好", "not very good": mildly negative, the degree word is moot
            return value * NEGATION_SCALAR
        return value * scale

    def _has_face(self, text: str) -> bool:
        starts = self._face_starts.intersection(text)
        return any(face in text for start in starts for face in self._faces_by_first[start])

    def clause_valence(self, text: str, tokens: Sequence[str]) -> float:
        """Raw valence of one clause: words, emoji, emphasis, rhetorical questions."""
        raw = self.word_valence(tokens)
        if self._emoticon is not None:
            bare = _EMOJI_MODIFIERS.sub("", text)
            if self._has_face(bare):
                for face in self._emoticon.findall(bare):
                    raw += self.emoticons[face]
        if _RHETORICAL.search(text):
            raw = min(raw, 0.0) + RHETORICAL_VALENCE - 0.5 * max(raw, 0.0)
        if raw:
            exclamations = min(text.count("!") + text.count("！"), EXCLAMATION_MAX)
            questions = text.count("?") + text.count("？")
            emphasis = exclamations * EXCLAMATION_STEP
            if questions > 1:
                emphasis += min(questions * QUESTION_STEP, QUESTION_MAX)
            raw += math.copysign(emphasis, raw)
        return raw
