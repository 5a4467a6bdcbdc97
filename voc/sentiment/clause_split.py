"""Sentiment clauses of a whole chunk of texts at once, with Arrow's RE2 kernels.

`voc.sentiment.scorer.sentiment_clauses` cuts one text at a time with Python regexes (links
and handles out, sentences, contrast markers, then commas and semicolons). Over a million
records that loop was the largest part of the lexicon pass; here the same cuts are a few
passes of C++ over the chunk. RE2 has no lookaround, so each cut becomes a separator
character inserted where Python's split would cut, and the lookarounds become passes that
take a wrongly placed separator out again ("不但是" is no contrast, "butter" is no "but").
The result equals `sentiment_clauses` text for text (tested on the bundled sample, the
public dev sets and edge cases); a chunk whose texts hold the separator characters
themselves takes the per-text path.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from voc.text.clauses import CONTRAST_EN, CONTRAST_ZH

CUT = "\ue000"  # private-use characters: a cut, and an English cut still to be confirmed
MAYBE_CUT = "\ue001"
# Python's whitespace (str.isspace, \s in its regexes) spelled out: RE2's \s is ASCII only
WHITESPACE = "".join(chr(code) for code in range(0x3100) if chr(code).isspace())
_WS = "".join(f"\\x{{{ord(char):x}}}" for char in WHITESPACE)
_WORD = r"[\p{L}\p{N}_]"  # Python's \w
_LINKS = rf"https?://[^{_WS}]+|www\.[^{_WS}]+|@[\p{{L}}\p{{N}}_.\-]+"
# a cut after sentence punctuation (and the whitespace after it), and after a full stop
# followed by whitespace and a capital or a Chinese character
_SENTENCE_END = rf"([。！？!?；;…\n])[{_WS}]*"
_FULL_STOP = rf"\.[{_WS}]+([A-Z\x{{4e00}}-\x{{9fff}}])"
# a cut before every Chinese contrast marker, taken out again right after 不 (不但是)
_CHINESE_MARKER = "(" + "|".join(sorted(CONTRAST_ZH, key=len, reverse=True)) + ")"
# a cut before an English marker after commas or whitespace, unless a letter follows it
_ENGLISH_WORDS = "(?i:" + "|".join(CONTRAST_EN) + ")"
_ENGLISH_MARKER = f"([，,{_WS}]+)({_ENGLISH_WORDS})"
_NOT_A_MARKER = f"{MAYBE_CUT}({_ENGLISH_WORDS}{_WORD})"


def can_split(texts: pa.Array) -> bool:
    """Whether the texts are free of the characters this module cuts with."""
    return not pc.any(pc.match_substring_regex(texts, f"[{CUT}{MAYBE_CUT}]")).as_py()


def clause_table(texts: Sequence[str]) -> tuple[pa.Array, np.ndarray] | None:
    """Every text's sentiment clauses, flat and in order, and the text each comes from (its
    position); None when the texts hold the cut characters (use the per-text path)."""
    array = pc.fill_null(pa.array(list(texts), pa.string()), "")
    if not can_split(array):
        return None
    array = pc.replace_substring_regex(array, _LINKS, " ")
    array = pc.replace_substring_regex(array, _SENTENCE_END, "\\1" + CUT)
    array = pc.replace_substring_regex(array, _FULL_STOP, "." + CUT + "\\1")
    array = pc.replace_substring_regex(array, _CHINESE_MARKER, CUT + "\\1")
    array = pc.replace_substring(array, "不" + CUT, "不")
    array = pc.replace_substring_regex(array, _ENGLISH_MARKER, "\\1" + MAYBE_CUT + "\\2")
    array = pc.replace_substring_regex(array, _NOT_A_MARKER, "\\1")
    array = pc.replace_substring(array, MAYBE_CUT, CUT)
    # clauses: what lies between cuts, trimmed as split_clauses trims them; then their
    # pieces between commas and semicolons, trimmed of whitespace
    clauses = pc.split_pattern(array, CUT)
    owner = pc.list_parent_indices(clauses)
    flat = pc.utf8_trim(pc.list_flatten(clauses), " ，,、")
    kept = pc.not_equal(flat, "")
    flat, owner = pc.filter(flat, kept), pc.filter(owner, kept)
    pieces = pc.split_pattern_regex(flat, "[，,；;]")
    owner = pc.take(owner, pc.list_parent_indices(pieces))
    flat = pc.utf8_trim(pc.list_flatten(pieces), WHITESPACE)
    kept = pc.not_equal(flat, "")
    return pc.filter(flat, kept), pc.filter(owner, kept).to_numpy().astype(np.int64)
