"""The default sentiment scorer: lexicon + rules per clause, clauses weighed into a document.

Contrast decides the weights, as a reader would: in "菜很好吃，但是配送太慢了" the clause
after 但是 carries the verdict (×1.5) and the one before it counts half; a concessive clause
("虽然…", "although …") counts half and the next clause carries the verdict.

A document's score is the weighted mean of its clause scores (clauses without sentiment
evidence do not dilute it), in [-1, 1]; |score| < `neutral_band` is neutral.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice
from pathlib import Path

import numpy as np
import pandas as pd

from voc.sentiment.clause_split import clause_table
from voc.sentiment.lexicon import Lexicon, load_lexicon
from voc.sentiment.metrics import Polarity
from voc.sentiment.rules import ClauseScorer, normalise
from voc.text.chinese import ChineseSegmenter
from voc.text.clauses import split_clauses
from voc.text.tokenize import cached_tokenizer

NEUTRAL_BAND = 0.1
# Distinct clauses a scorer remembers (valence and role) across calls: ~200 bytes each
# (measured: 132,943 generated service clauses, 26 MiB), so 300,000 hold ~60 MiB.
KNOWN_CLAUSES = 300_000
# Sentiment clauses are finer than voc.text.clauses: commas split too, so "挺好的，就是太贵"
# weighs 就是太贵 as the verdict and aspects do not bleed into each other.
_COMMA = re.compile(r"[，,；;]")
# Addressees and links say nothing about sentiment ("@united" is not praise).
_HANDLES_AND_LINKS = re.compile(r"https?://\S+|www\.\S+|@[\w.\-]+")
BEFORE_CONTRAST, AFTER_CONTRAST = 0.5, 1.5
# "Thanks!" closing a complaint is politeness, not a verdict: such clauses count a quarter.
POLITENESS_WEIGHT = 0.25
_POLITE = frozenset([
    "thanks", "thank", "you", "thx", "ty", "much", "so", "very", "in", "advance", "again", "a",
    "lot", "cheers", "谢谢", "感谢", "多谢", "谢了", "辛苦", "辛苦了", "了", "啦", "您", "你",
    "你们", "麻烦", "大家", "非常", "十分"])

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN_OR_HAN = re.compile(r"([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+)")
_ALL_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_ENGLISH_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)*")


def english_words(text: str) -> list[str]:
    """Lower-cased words with their apostrophes ("didn't" stays one word, as VADER has it)."""
    return _ENGLISH_WORD.findall(text.lower().replace("’", "'"))


def clause_tokens(clauses: Sequence[str], segmenter: ChineseSegmenter) -> list[list[str]]:
    """Tokens per clause: Han runs through the Chinese segmenter (all clauses in one call),
    Latin runs through the English word pattern."""
    # None: the clause is one Han run (three in four distinct Chinese clauses), whose
    # tokens are taken as the segmenter gives them
    plans: list[list[str] | None] = []
    chinese_runs: list[str] = []
    for clause in clauses:
        if _ALL_HAN.fullmatch(clause):
            chinese_runs.append(clause)
            plans.append(None)
            continue
        pieces = _LATIN_OR_HAN.split(clause) if _HAN.search(clause) else [clause]
        plans.append(pieces)
        chinese_runs += pieces[1::2]
    segmented = iter(segmenter.cut_many(chinese_runs))
    out = []
    for pieces in plans:
        if pieces is None:
            out.append(next(segmented))
            continue
        tokens: list[str] = []
        for index, piece in enumerate(pieces):
            if index % 2:  # a Han run: no whitespace, so no whitespace token
                tokens += next(segmented)
            elif piece:
                tokens += english_words(piece)
        out.append(tokens)
    return out


def _prefix_pattern(words: frozenset[str]) -> re.Pattern[str] | None:
    if not words:
        return None
    return re.compile("|".join(re.escape(word) for word in sorted(words, key=len, reverse=True)))


def sentiment_clauses(text: str) -> list[str]:
    """voc.text.clauses' clauses, each split again at commas and semicolons."""
    out = []
    for clause in split_clauses(_HANDLES_AND_LINKS.sub(" ", text)):
        out += [piece.strip() for piece in _COMMA.split(clause) if piece.strip()]
    return out


def _clauses_of(texts: Sequence[str]) -> tuple[pd.arrays.ArrowStringArray, np.ndarray]:
    """Every text's sentiment clauses, flat and in order, and the position of the text each
    comes from: cut by Arrow over the whole chunk, or text by text when it cannot be."""
    table = clause_table(texts)
    if table is not None:
        flat, docs = table
        return pd.array(flat, dtype="string[pyarrow]"), docs
    split = [sentiment_clauses(text or "") for text in texts]
    return (pd.array([clause for clauses in split for clause in clauses],
                     dtype="string[pyarrow]"),
            np.repeat(np.arange(len(texts), dtype=np.int64), [len(c) for c in split]))


@dataclass(frozen=True)
class SentimentScores:
    """documents: score, label, confidence, evidence (a clause carries sentiment) per input
    text (in order). clauses: doc (position), clause (index), text, score, weight."""

    documents: pd.DataFrame
    clauses: pd.DataFrame


def label_for(scores: np.ndarray, neutral_band: float = NEUTRAL_BAND) -> np.ndarray:
    return np.where(scores >= neutral_band, Polarity.POSITIVE.value,
                    np.where(scores <= -neutral_band, Polarity.NEGATIVE.value,
                             Polarity.NEUTRAL.value))


# What a clause does to its document's weights (kept per distinct clause with its valence).
ROLE_PLAIN, ROLE_POLITE, ROLE_CONTRAST_AFTER, ROLE_CONTRAST_BEFORE = 0, 1, 2, 3


def clause_weights(roles: np.ndarray, docs: np.ndarray, counts: np.ndarray,
                   starts: np.ndarray) -> np.ndarray:
    """Each clause's weight from the roles of its document's clauses (flat, in document
    order; `counts` and `starts` per document). Most documents have plain clauses only and
    weigh 1.0 each; the others are walked clause by clause, in order, as a reader would:
    a politeness clause counts a quarter (unless it is the whole document); after a
    "but"-type opener the clauses before count half and it and those after 1.5 (a later
    opener redraws this); a "though"-type clause counts half and the next one 1.5."""
    weights = np.ones(len(roles), dtype=np.float64)
    for doc in np.unique(docs[roles != ROLE_PLAIN]).tolist():
        start, count = int(starts[doc]), int(counts[doc])
        own = weights[start:start + count]  # a view: set in place
        for index, role in enumerate(roles[start:start + count].tolist()):
            if role == ROLE_POLITE and count > 1:
                own[index] = POLITENESS_WEIGHT
            elif role == ROLE_CONTRAST_AFTER:
                own[:index] = BEFORE_CONTRAST
                own[index:] = AFTER_CONTRAST
            elif role == ROLE_CONTRAST_BEFORE:
                own[index] = BEFORE_CONTRAST
                if index + 1 < count:
                    own[index + 1] = AFTER_CONTRAST
    return weights


class LexiconScorer:
    """Scores documents with no labels and no network."""

    def __init__(self, segmenter: ChineseSegmenter | None = None,
                 chinese: Lexicon | None = None, english: Lexicon | None = None,
                 neutral_band: float = NEUTRAL_BAND) -> None:
        self.segmenter = segmenter or ChineseSegmenter()
        self.chinese = chinese or load_lexicon("zh")
        self.english = english or load_lexicon("en")
        self.rules = ClauseScorer(self.chinese, self.english)
        self.neutral_band = neutral_band
        # one anchored pattern per role: a clause opening with a Chinese marker
        self._opens_after = _prefix_pattern(self.chinese.contrast_after)
        self._opens_before = _prefix_pattern(self.chinese.contrast_before)
        # clause → (raw valence, role), kept across calls: a worker scores a batch chunk
        # after chunk, and the same short clauses recur in every chunk
        self._known: dict[str, tuple[float, int]] = {}

    def _role(self, clause: str, words: list[str]) -> int:
        """What a clause does to the weights of its document's clauses (a ROLE_* value); it
        depends on the clause's own text only, so it is kept with its valence."""
        if words and _POLITE.issuperset(words):
            return ROLE_POLITE
        first = words[0] if words else ""
        if self._starts_with(clause, first, after=True):
            return ROLE_CONTRAST_AFTER
        if self._starts_with(clause, first, after=False):
            return ROLE_CONTRAST_BEFORE
        return ROLE_PLAIN

    def _starts_with(self, clause: str, first: str, *, after: bool) -> bool:
        english = self.english.contrast_after if after else self.english.contrast_before
        chinese = self._opens_after if after else self._opens_before
        return first in english or (chinese is not None and chinese.match(clause) is not None)

    def _clause_values(self, distinct: list[str]) -> tuple[list[float], list[int]]:
        """Raw valence and role of each clause, from what earlier calls scored where they
        can (at most KNOWN_CLAUSES are kept)."""
        known = self._known
        missing = [clause for clause in distinct if clause not in known]
        fresh = {clause: (self.rules.clause_valence(clause, words), self._role(clause, words))
                 for clause, words in zip(missing, clause_tokens(missing, self.segmenter),
                                          strict=True)}
        values = [fresh[clause] if clause in fresh else known[clause] for clause in distinct]
        room = KNOWN_CLAUSES - len(known)
        if room > 0:
            known.update(islice(fresh.items(), room))
        return [raw for raw, _ in values], [role for _, role in values]

    def score(self, texts: Sequence[str]) -> SentimentScores:
        flat, docs = _clauses_of(texts)
        # A clause's valence and role depend on its text alone, and short clauses recur
        # ("物流很快", "thanks"): each distinct clause is segmented and scored once.
        codes, distinct = pd.factorize(flat)
        distinct_raws, distinct_roles = self._clause_values(list(distinct))
        counts = np.bincount(docs, minlength=len(texts)).astype(np.int64)
        starts = np.cumsum(counts) - counts
        numbers = (np.arange(len(flat), dtype=np.int64) - np.repeat(starts, counts)).astype(
            np.int32)
        raws = np.asarray(distinct_raws, dtype=np.float64)[codes]
        roles = np.asarray(distinct_roles, dtype=np.int8)[codes]
        clause_frame = pd.DataFrame({
            "doc": docs, "clause": numbers,
            "text": flat, "raw": raws,
            "weight": clause_weights(roles, docs, counts, starts)})
        clause_frame["score"] = normalise(raws)
        document_scores = self._document_scores(clause_frame, len(texts))
        evident_docs = docs[raws != 0]
        documents = pd.DataFrame({
            "score": document_scores,
            "label": label_for(document_scores, self.neutral_band),
            "confidence": np.abs(document_scores),
            "evidence": np.bincount(evident_docs, minlength=len(texts)) > 0})
        return SentimentScores(documents, clause_frame.drop(columns=["raw"]))

    @staticmethod
    def _document_scores(clauses: pd.DataFrame, count: int) -> np.ndarray:
        """Weighted mean of the clause scores that carry evidence; 0 without any."""
        evidence = clauses[clauses["raw"] != 0]
        weighted = np.bincount(evidence["doc"], evidence["score"] * evidence["weight"],
                               minlength=count)
        total = np.bincount(evidence["doc"], evidence["weight"], minlength=count)
        return np.divide(weighted, total, out=np.zeros(count), where=total > 0)


@dataclass(frozen=True)
class ScorerSpec:
    """What a worker process needs to build the same scorer: the segmenter with its
    dictionaries, the teams' lexicon files and the neutral band (a scorer itself holds a
    native segmenter that does not travel between processes)."""

    segmenter: str
    dictionaries: tuple[Path, ...]
    lexicons: tuple[Path, ...] = ()
    neutral_band: float = NEUTRAL_BAND

    def build(self) -> LexiconScorer:
        return _scorer_for(self)


@lru_cache(maxsize=4)
def _scorer_for(spec: ScorerSpec) -> LexiconScorer:
    return LexiconScorer(cached_tokenizer(spec.segmenter, spec.dictionaries).chinese,
                         load_lexicon("zh", spec.lexicons), load_lexicon("en", spec.lexicons),
                         spec.neutral_band)


def concat_scores(parts: Iterable[SentimentScores]) -> SentimentScores:
    """Chunk results, in order, as one: clause doc positions become batch positions."""
    documents, clauses, offset = [], [], 0
    for part in parts:
        documents.append(part.documents)
        clauses.append(part.clauses.assign(doc=part.clauses["doc"] + offset))
        offset += len(part.documents)
    if not documents:
        raise ValueError("concat_scores needs at least one chunk (an empty one will do)")
    return SentimentScores(pd.concat(documents, ignore_index=True),
                           pd.concat(clauses, ignore_index=True))
