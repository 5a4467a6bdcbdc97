from __future__ import annotations

import numpy as np

from voc.topics.sampling import stratified_sample


def test_sampling_keeps_every_channel_and_the_bound() -> None:
    strata = np.array(["app_review"] * 9_000 + ["call"] * 300 + ["email"] * 50)
    picked = stratified_sample(strata, 1_000, seed=1)
    assert len(picked) == 1_000 and np.all(np.diff(picked) > 0)
    counts = {name: int((strata[picked] == name).sum()) for name in ("app_review", "call",
                                                                     "email")}
    assert counts["email"] == 50 and counts["call"] == 200  # small channels keep a floor
    assert counts["app_review"] == 750


def test_sampling_small_input_is_taken_whole_and_seeded() -> None:
    strata = np.array(["a", "b", "a"])
    assert stratified_sample(strata, 10, seed=0).tolist() == [0, 1, 2]
    big = np.array(["a"] * 500 + ["b"] * 500)
    assert np.array_equal(stratified_sample(big, 100, 3), stratified_sample(big, 100, 3))
    assert not np.array_equal(stratified_sample(big, 100, 3), stratified_sample(big, 100, 4))
