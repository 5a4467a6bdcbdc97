"""The bundled bilingual multichannel sample that `voc demo` runs on.

`generate_sample(out_dir)` writes, deterministically from a seed, two monthly batches of
made-up feedback for a retailer ("Maplepoint / 枫点优选") under exports/2026-09 and
exports/2026-10: call transcripts, chat sessions, complaint e-mails (mbox), app reviews (CSV),
an NPS survey (GBK CSV), a CSAT survey (XLSX), social posts (JSONL) and order reviews
(Parquet); plus voc.toml and ground_truth.json, which records the planted issues, trends,
repeat contacts, PII, duplicates and broken rows that later stages are tested on.

All text was written for voc (voc/sample/pool_*.py); none comes from a public data set.
"""

from voc.sample.batchplan import BATCHES
from voc.sample.bundle import SAMPLE_SEED, SOURCE_FILES, Sample, SampleRecord
from voc.sample.generate import build_sample, generate_sample, write_sample

__all__ = [
    "BATCHES",
    "SAMPLE_SEED",
    "SOURCE_FILES",
    "Sample",
    "SampleRecord",
    "build_sample",
    "generate_sample",
    "write_sample",
]
