"""Sentiment throughput on mixed Chinese/English short texts, in one process (one core).

Texts come from the ingest benchmark's generator (benchmarks/ingest_data.py: 60% Chinese,
some traditional and code-mixed, social posts with handles and emoji); only the short ones
(at most `--max-chars`) are kept, as in app reviews, posts and survey verbatims. Prints
docs/s for the lexicon + rules scorer alone and for the default stage (lexicon adapted to the
batch by self-training), plus the machine.

    python benchmarks/sentiment_speed.py --docs 100000
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")  # one core: the target is per core

import argparse  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ingest_data import plan_records  # noqa: E402
from topics import machine  # noqa: E402

from voc.ingest.language import detect_languages  # noqa: E402
from voc.sentiment.adapt import Adaptation  # noqa: E402
from voc.sentiment.scorer import LexiconScorer  # noqa: E402
from voc.sentiment.stage import analysis_form, score_documents  # noqa: E402


def short_texts(count: int, max_chars: int, seed: int) -> list[str]:
    texts: list[str] = []
    size = count * 3
    while len(texts) < count:
        plan = plan_records(size, seed)
        texts = [text for text in plan.texts if text and len(text) <= max_chars]
        size *= 2
    return analysis_form(texts[:count])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--max-chars", type=int, default=80)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    texts = short_texts(args.docs, args.max_chars, args.seed)
    langs = detect_languages(__import__("pandas").Series(texts, dtype="string")).astype(
        str).tolist()
    chinese = sum(lang in ("zh", "mixed") for lang in langs) / len(langs)
    print(f"voc sentiment throughput: {len(texts):,} texts of at most {args.max_chars} chars "
          f"(mean {sum(map(len, texts)) / len(texts):.0f}), {chinese:.0%} Chinese or mixed")
    for key, value in machine().items():
        print(f"  {key:<14} {value}")
    scorer = LexiconScorer()
    scorer.score(texts[:100])  # warm-up: segmenter dictionary, lexicons
    started = time.perf_counter()
    scorer.score(texts)
    lexicon = time.perf_counter() - started
    started = time.perf_counter()
    result = score_documents(texts, langs, scorer, Adaptation.AUTO)
    default = time.perf_counter() - started
    print("\n| scorer | seconds | docs/s (one core) |\n| --- | --- | --- |")
    print(f"| lexicon + rules | {lexicon:.1f} | {len(texts) / lexicon:,.0f} |")
    print(f"| default (lexicon + {', '.join(sorted(set(result.modes.values())))}) | "
          f"{default:.1f} | {len(texts) / default:,.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
