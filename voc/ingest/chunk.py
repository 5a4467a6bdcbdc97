"""The per-chunk work of ingest, as one picklable function a worker process can run.

Everything here depends only on the chunk, so chunks can be cleaned in any process and in
any order; the pipeline puts the results back in input order.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from voc.ingest.clean import CleanResult, SourceContext, clean_chunk
from voc.ingest.dedupe import DedupeFeatures, dedupe_features
from voc.ingest.mapping import MappedChunk
from voc.ingest.tabular import RawReject
from voc.records import ANALYSIS_TEXT


@dataclass(frozen=True)
class DedupeOptions:
    exact_min_chars: int
    near_min_chars: int
    seed: int


@dataclass
class ChunkOutput:
    records: pd.DataFrame
    rejects: pd.DataFrame
    redactions: dict[str, int]
    features: DedupeFeatures


def process_chunk(mapped: MappedChunk, raw_rejects: list[RawReject], ctx: SourceContext,
                  options: DedupeOptions) -> ChunkOutput:
    """Clean a mapped chunk and compute its dedupe features."""
    cleaned: CleanResult = clean_chunk(mapped, raw_rejects, ctx)
    features = dedupe_features(cleaned.records, ANALYSIS_TEXT, options.exact_min_chars,
                               options.near_min_chars, options.seed)
    return ChunkOutput(cleaned.records, cleaned.rejects, cleaned.redactions, features)
