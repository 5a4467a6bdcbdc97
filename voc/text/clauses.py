"""Split feedback into clauses: at sentence punctuation and at contrast markers.

"菜很好吃，但是配送太慢了" is positive about the food and negative about delivery; clause-level
and aspect-level sentiment need the two halves apart, and need to know which half came after
the contrast (it usually carries the writer's verdict).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import pandas as pd

# Single-character 却/只 are left out: they sit inside too many words (冷却, 只是想问).
CONTRAST_ZH = ("但是", "但", "不过", "可是", "然而")
CONTRAST_EN = ("but", "however", "though", "although", "yet", "except", "unfortunately")

_SENTENCE_END = re.compile(r"(?<=[。！？!?；;…\n])\s*|(?<=[.])\s+(?=[A-Z\u4e00-\u9fff])")
# A contrast marker opens a new clause; the comma before it is a clause boundary too.
_CONTRAST = re.compile(
    r"[，,、\s]*(?<!不)(?=(?:" + "|".join(sorted(CONTRAST_ZH, key=len, reverse=True)) + r"))"
    r"|[，,\s]+(?=(?:" + "|".join(CONTRAST_EN) + r")\b)",
    re.IGNORECASE)
_CONTRAST_START = re.compile(
    r"^(?:" + "|".join(sorted(CONTRAST_ZH, key=len, reverse=True)) + r"|(?:"
    + "|".join(CONTRAST_EN) + r")\b)", re.IGNORECASE)
_COMMA = re.compile(r"[，,]\s*")
MAX_CLAUSE_CHARS = 60  # long comma-chains are split at commas too


def split_clauses(text: str) -> list[str]:
    """Clauses of one text, in order, stripped; empty pieces dropped.

    >>> split_clauses("菜很好吃，但是配送太慢了！下次不点了")
    ['菜很好吃', '但是配送太慢了！', '下次不点了']
    >>> split_clauses("Food was great but delivery took 2 hours.")
    ['Food was great', 'but delivery took 2 hours.']
    """
    text = text or ""
    # a text that holds no marker's letters cannot split at one: most skip the lookaheads
    lowered = text.lower()
    contrast = any(marker in lowered for marker in (*CONTRAST_ZH, *CONTRAST_EN))
    clauses: list[str] = []
    for sentence in _SENTENCE_END.split(text):
        for piece in _CONTRAST.split(sentence) if contrast else (sentence,):
            piece = piece.strip(" ，,、")
            if not piece:
                continue
            if len(piece) > MAX_CLAUSE_CHARS:
                clauses += [part.strip() for part in _COMMA.split(piece) if part.strip()]
            else:
                clauses.append(piece)
    return clauses


def clause_table(texts: Sequence[str]) -> pd.DataFrame:
    """One row per clause: doc (position in texts), clause (index), text, after_contrast."""
    docs, numbers, pieces, contrast = [], [], [], []
    for doc, text in enumerate(texts):
        seen_contrast = False
        for number, clause in enumerate(split_clauses(text)):
            seen_contrast = seen_contrast or bool(_CONTRAST_START.match(clause))
            docs.append(doc)
            numbers.append(number)
            pieces.append(clause)
            contrast.append(seen_contrast)
    return pd.DataFrame({"doc": docs, "clause": numbers, "text": pieces,
                         "after_contrast": contrast})
