"""Month-to-month topic lineage: the same topic keeps the same stable id across batches.

Topics of a new batch are matched one-to-one with the previous batch's topics of the same
language by the cosine similarity of their keyword weights (Hungarian assignment); a pair
below the threshold is not a match. Matched topics continue under their predecessor's stable
id, unmatched new ones get a fresh id, and unmatched old ones are recorded as vanished.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment

LINK_THRESHOLD = 0.3
LINEAGE_COLUMNS = ["topic_id", "lang", "stable_id", "status", "previous_topic_id", "similarity"]


def keyword_similarity(first: str, second: str) -> float:
    """Cosine similarity of two topics' keyword weights (JSON lists of [word, weight])."""
    a = dict(json.loads(first))
    b = dict(json.loads(second))
    dot = sum(weight * b.get(word, 0.0) for word, weight in a.items())
    norm = np.sqrt(sum(w * w for w in a.values())) * np.sqrt(sum(w * w for w in b.values()))
    return float(dot / norm) if norm else 0.0


def link_topics(current: pd.DataFrame, previous: pd.DataFrame, next_number: dict[str, int],
                threshold: float = LINK_THRESHOLD) -> pd.DataFrame:
    """Lineage rows for a batch.

    current: topic_id, lang, keywords (the "other" buckets excluded by the caller).
    previous: topic_id, lang, keywords, stable_id of the previous batch (may be empty).
    next_number: per language, the next free stable-id number (updated in place).
    """
    rows = []
    for lang in sorted(set(current["lang"]) | set(previous.get("lang", pd.Series(dtype=str)))):
        now = current[current["lang"] == lang].sort_values("topic_id").reset_index(drop=True)
        before = (previous[previous["lang"] == lang].sort_values("topic_id")
                  .reset_index(drop=True) if len(previous) else previous)
        matched: dict[int, tuple[int, float]] = {}
        if len(now) and len(before):
            similarity = np.array([[keyword_similarity(a, b) for b in before["keywords"]]
                                   for a in now["keywords"]])
            for i, j in zip(*linear_sum_assignment(-similarity), strict=True):
                if similarity[i, j] >= threshold:
                    matched[int(i)] = (int(j), float(similarity[i, j]))
        for i, topic in now.iterrows():
            if i in matched:
                j, score = matched[i]
                rows.append([topic["topic_id"], lang, before.loc[j, "stable_id"], "continuing",
                             before.loc[j, "topic_id"], round(score, 6)])
            else:
                number = next_number.get(lang, 1)
                next_number[lang] = number + 1
                rows.append([topic["topic_id"], lang, f"{lang}-T{number:04d}", "new", None,
                             None])
        taken = {j for j, _ in matched.values()}
        for j, topic in (before.iterrows() if len(before) else []):
            if j not in taken:
                rows.append([None, lang, topic["stable_id"], "vanished", topic["topic_id"],
                             None])
    return pd.DataFrame(rows, columns=LINEAGE_COLUMNS)


def next_stable_numbers(stable_ids: pd.Series) -> dict[str, int]:
    """Per language, one past the highest stable-id number used so far."""
    numbers: dict[str, int] = {}
    for stable in stable_ids.dropna():
        lang, _, number = str(stable).rpartition("-T")
        numbers[lang] = max(numbers.get(lang, 1), int(number) + 1)
    return numbers
