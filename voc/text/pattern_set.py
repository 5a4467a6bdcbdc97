"""Several RE2 patterns matched in one pass over each text (an RE2 set).

Arrow's regex kernels read a whole column once per pattern: 29 taxonomy categories meant 29
passes over every document. An RE2 set reads each text once and reports every pattern that
occurs in it, with RE2's semantics (the same engine Arrow uses: ASCII \\b, UTF-8 text).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import re2

# RE2's DFA memory for a set: states are made as texts need them, never all at once. When
# the DFA runs out, a set match reports nothing instead of failing, so the budget is far
# above what voc's rules need (a few MiB).
SET_MEMORY = 256 << 20


@lru_cache(maxsize=16)
def _compiled(patterns: tuple[str, ...]) -> re2.Set:
    options = re2.Options()
    options.max_mem = SET_MEMORY
    matcher = re2.Set.SearchSet(options)
    for pattern in patterns:
        matcher.Add(pattern)
    matcher.Compile()
    return matcher


def match_patterns(texts: Sequence[object], patterns: Sequence[str]) -> np.ndarray:
    """Boolean matrix texts × patterns: which patterns occur in each text (compiled once per
    process for the same patterns); anything that is not a string matches nothing."""
    matches = np.zeros((len(texts), len(patterns)), dtype=bool)
    if not patterns:
        return matches
    match = _compiled(tuple(patterns)).Match
    rows: list[int] = []
    columns: list[int] = []
    for row, text in enumerate(texts):
        if isinstance(text, str) and (hits := match(text)):
            rows.extend([row] * len(hits))
            columns.extend(hits)
    matches[rows, columns] = True
    return matches
