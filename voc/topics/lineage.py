"""Month-to-month topic lineage: the same topic keeps the same stable id across batches.

Topics of a new batch are matched one-to-one with the previous batch's topics of the same
language by the cosine similarity of their keyword weights (Hungarian assignment); a pair
below the threshold is not a match. Matched topics continue under their predecessor's stable
id, unmatched new ones get a fresh id, and unmatched old ones are recorded as vanished.

Re-running a batch keeps its ids: a topic the previous batch does not explain first takes the
id of the matching "new" topic of the batch's own earlier run, before a fresh id is minted.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment

LINK_THRESHOLD = 0.3
LINEAGE_COLUMNS = ["topic_id", "lang", "stable_id", "status", "previous_topic_id", "similarity"]


def keyword_similarity(first: str, second: str) -> float:
    """Cosine similarity of two topics' keyword weights (JSON lists of [word, weight])."""
    return weight_similarity(dict(json.loads(first)), dict(json.loads(second)))


def weight_similarity(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    """Cosine similarity of two word → weight mappings."""
    dot = sum(weight * b.get(word, 0.0) for word, weight in a.items())
    norm = np.sqrt(sum(w * w for w in a.values())) * np.sqrt(sum(w * w for w in b.values()))
    return float(dot / norm) if norm else 0.0


def _match(now: pd.DataFrame, before: pd.DataFrame,
           threshold: float) -> dict[int, tuple[int, float]]:
    """One-to-one matches (row in now → row in before, similarity) at or above threshold."""
    matched: dict[int, tuple[int, float]] = {}
    if len(now) and len(before):
        similarity = np.array([[keyword_similarity(a, b) for b in before["keywords"]]
                               for a in now["keywords"]])
        for i, j in zip(*linear_sum_assignment(-similarity), strict=True):
            if similarity[i, j] >= threshold:
                matched[int(i)] = (int(j), float(similarity[i, j]))
    return matched


def _by_lang(frame: pd.DataFrame | None, lang: str) -> pd.DataFrame:
    if frame is None or not len(frame):
        return pd.DataFrame(columns=["topic_id", "lang", "keywords", "stable_id"])
    return frame[frame["lang"] == lang].sort_values("topic_id").reset_index(drop=True)


def link_topics(current: pd.DataFrame, previous: pd.DataFrame, next_number: dict[str, int],
                threshold: float = LINK_THRESHOLD,
                earlier_run: pd.DataFrame | None = None) -> pd.DataFrame:
    """Lineage rows for a batch.

    current: topic_id, lang, keywords (the "other" buckets excluded by the caller).
    previous: topic_id, lang, keywords, stable_id of the previous batch (may be empty).
    next_number: per language, the next free stable-id number (updated in place).
    earlier_run: the same batch's topics from its last run (topic_id, lang, keywords,
    stable_id, status), when it is being re-run.
    """
    rows = []
    for lang in sorted(set(current["lang"]) | set(previous.get("lang", pd.Series(dtype=str)))):
        now = _by_lang(current, lang)
        before = _by_lang(previous, lang)
        matched = _match(now, before, threshold)
        own = _by_lang(earlier_run, lang)
        if len(own):  # only ids that were new then can be new again
            own = own[own["status"] == "new"].reset_index(drop=True)
        unexplained = now.drop(index=list(matched)).reset_index()
        reused = {int(unexplained.loc[i, "index"]): str(own.loc[j, "stable_id"])
                  for i, (j, _) in _match(unexplained, own, threshold).items()}
        for i, topic in now.iterrows():
            if i in matched:
                j, score = matched[i]
                rows.append([topic["topic_id"], lang, before.loc[j, "stable_id"], "continuing",
                             before.loc[j, "topic_id"], round(score, 6)])
            elif i in reused:
                rows.append([topic["topic_id"], lang, reused[i], "new", None, None])
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
