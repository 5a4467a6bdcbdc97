"""The bounded fit sample: every channel represented in proportion, reproducibly.

Topics are learned on at most `max_docs` records per language and then every record is
assigned, so memory and time stay bounded as batches grow. Sampling per channel keeps a small
channel (calls, e-mail) from vanishing under a large one (app reviews).
"""

from __future__ import annotations

import numpy as np


def stratified_sample(strata: np.ndarray, max_docs: int, seed: int,
                      floor: int = 200) -> np.ndarray:
    """Sorted positions: each stratum gets its proportional share, and at least `floor`
    records (or all it has) so that small channels still shape the topics.

    >>> stratified_sample(np.array(["a"] * 8 + ["b"] * 2), 5, seed=0, floor=1).tolist()
    [2, 3, 4, 6, 8]
    """
    n = len(strata)
    if n <= max_docs:
        return np.arange(n)
    rng = np.random.default_rng(seed)
    names, inverse, counts = np.unique(strata, return_inverse=True, return_counts=True)
    quota = np.maximum(np.floor(counts * max_docs / n).astype(int), np.minimum(counts, floor))
    # trim the largest strata if the floors pushed the total over max_docs
    while quota.sum() > max_docs:
        quota[np.argmax(quota)] -= 1
    chosen = [rng.choice(np.flatnonzero(inverse == index), size=quota[index], replace=False)
              for index in range(len(names))]
    return np.sort(np.concatenate(chosen))
