"""Sentiment benchmark: voc's scorer against SnowNLP, VADER and TextBlob on labelled public sets.

    python benchmarks/sentiment.py [--sets waimai htl airline] [--limit N] [--seed 42]
                                   [--only-peers] [--details] [--json PATH]

Data sets in ../shared/data: waimai_10k and ChnSentiCorp_htl (Chinese, negative/positive) and
Twitter US Airline (English, negative/neutral/positive). Peers: SnowNLP on the Chinese sets
(sentiments ≥ 0.5 → positive), VADER (compound ≥ 0.05 positive, ≤ -0.05 negative, else neutral)
and TextBlob (polarity > 0 positive, < 0 negative, 0 neutral) on the English one. A neutral
prediction on a two-class set counts as an error. References: the majority class, and 5-fold
stratified cross-validation of TF-IDF + LogisticRegression trained on the set itself. voc's own
scorer runs as the lexicon alone (adapt off) and as the default (adapted to the set without
its labels); voc's supervised recipe (voc.sentiment.model) runs in the same 5-fold CV as the
plain TF-IDF + LR reference, and across domains (trained on waimai, scored on htl). Every
score comes from `voc.sentiment.metrics`; the final table is Markdown.
"""

from __future__ import annotations

import os

# Before numpy is imported: BLAS/OpenMP pools are sized at import time; the target is 2 cores.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "2")

import argparse  # noqa: E402
import json  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections import Counter  # noqa: E402
from collections.abc import Callable, Sequence  # noqa: E402
from dataclasses import asdict, dataclass  # noqa: E402
from functools import cache  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import pandas as pd  # noqa: E402
from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.model_selection import StratifiedKFold  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402

from voc.sentiment.metrics import (  # noqa: E402
    ORDER,
    Polarity,
    SentimentMetrics,
    normalise_labels,
    parse_label_map,
    sentiment_metrics,
)

sys.path.insert(0, str(Path(__file__).resolve().parent))
from topics import _version, machine  # noqa: E402

DATA_DIR = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
CV_FOLDS = 5
PEER_PACKAGES = ("snownlp", "vaderSentiment", "textblob")

# (texts, lang "zh" or "en", two-class labels?) -> one polarity per text
Scorer = Callable[[list[str], str, bool], list[Polarity]]


# --- data --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SetSpec:
    path: str
    text: str
    label: str
    lang: str
    label_map: str | None  # None: the labels are polarity names already


SETS = {
    "waimai": SetSpec("waimai_10k/waimai_10k.csv", "review", "label", "zh",
                      "0=negative,1=positive"),
    "htl": SetSpec("chnsenticorp_htl/ChnSentiCorp_htl_all.csv", "review", "label", "zh",
                   "0=negative,1=positive"),
    "airline": SetSpec("twitter_us_airline/Tweets.csv", "text", "airline_sentiment", "en", None),
}


@dataclass(frozen=True)
class LabelledSet:
    name: str
    lang: str
    texts: list[str]
    truth: list[Polarity]
    dropped_empty: int


def load_set(name: str, root: Path, limit: int | None, seed: int) -> LabelledSet:
    """Non-empty texts with their polarity; with `limit`, a seeded sample kept in file order."""
    spec = SETS[name]
    # Every column as text, and no "NA"/"null" review turned into a missing value.
    frame = pd.read_csv(root / spec.path, dtype=str, keep_default_na=False)
    empty = frame[spec.text].str.strip() == ""
    frame = frame[~empty]
    if limit is not None and limit < len(frame):
        frame = frame.sample(n=limit, random_state=seed).sort_index()
    truth = normalise_labels(frame[spec.label].tolist(), parse_label_map(spec.label_map))
    return LabelledSet(name, spec.lang, frame[spec.text].tolist(), truth, int(empty.sum()))


def check_data(root: Path, names: Sequence[str]) -> None:
    """Exit with a clear message when a needed data file is missing."""
    missing = [SETS[name].path for name in names if not (root / SETS[name].path).is_file()]
    if missing:
        sys.exit(f"sentiment benchmark: data not found under {root}: {', '.join(missing)}\n"
                 "It needs the public data sets described in ../shared/data/README.md.")


# --- methods -----------------------------------------------------------------------------------
def snownlp_scores(texts: list[str], lang: str, binary: bool = False) -> list[Polarity]:
    """SnowNLP's probability of positive, cut at 0.5; it never says neutral."""
    from snownlp import SnowNLP

    return [Polarity.POSITIVE if SnowNLP(text).sentiments >= 0.5 else Polarity.NEGATIVE
            for text in texts]


@cache
def _vader() -> Any:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def vader_scores(texts: list[str], lang: str, binary: bool = False) -> list[Polarity]:
    """VADER's compound score with the thresholds its authors recommend (±0.05)."""
    analyzer = _vader()
    return [_by_sign(analyzer.polarity_scores(text)["compound"], 0.05) for text in texts]


def textblob_scores(texts: list[str], lang: str, binary: bool = False) -> list[Polarity]:
    """TextBlob's pattern-lexicon polarity; exactly 0 is neutral."""
    from textblob import TextBlob

    return [_by_sign(TextBlob(text).sentiment.polarity, 0.0) for text in texts]


def _by_sign(score: float, threshold: float) -> Polarity:
    """Positive at or above +threshold, negative at or below -threshold; 0 is always neutral."""
    if score > 0 and score >= threshold:
        return Polarity.POSITIVE
    if score < 0 and score <= -threshold:
        return Polarity.NEGATIVE
    return Polarity.NEUTRAL


PEERS: dict[str, dict[str, Scorer]] = {
    "zh": {"SnowNLP": snownlp_scores},
    "en": {"VADER": vader_scores, "TextBlob": textblob_scores},
}


def voc_methods() -> dict[str, Scorer]:
    """voc's label-free scorer: the lexicon alone, and adapted to the set (the default)."""
    from voc.sentiment.adapt import Adaptation
    from voc.sentiment.scorer import LexiconScorer
    from voc.sentiment.stage import score_texts_for_eval

    scorer = LexiconScorer()

    def lexicon(texts: list[str], lang: str, binary: bool) -> list[Polarity]:
        return score_texts_for_eval(texts, lang, binary, Adaptation.OFF, scorer)

    def default(texts: list[str], lang: str, binary: bool) -> list[Polarity]:
        return score_texts_for_eval(texts, lang, binary, Adaptation.AUTO, scorer)

    return {"voc lexicon + rules": lexicon, "voc default (adapted, no labels)": default}


# --- scoring -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Row:
    method: str
    accuracy: float
    macro_f1: float
    docs_per_second: float | None
    seconds: float | None
    macro_f1_std: float | None = None  # cross-validation only: spread over the folds
    metrics: dict[str, Any] | None = None  # one full SentimentMetrics, when there is one


def run_scorer(name: str, scorer: Scorer, data: LabelledSet) -> tuple[Row, SentimentMetrics]:
    """Score every text, timed after one untimed warm-up call (imports, model loading)."""
    binary = Polarity.NEUTRAL not in set(data.truth)
    scorer(data.texts[:1], data.lang, binary)
    started = time.perf_counter()
    predicted = scorer(data.texts, data.lang, binary)
    seconds = time.perf_counter() - started
    metrics = sentiment_metrics(data.truth, predicted)
    return Row(name, metrics.accuracy, metrics.macro_f1, len(data.texts) / seconds,
               round(seconds, 2), metrics=metrics.to_dict()), metrics


def majority_row(data: LabelledSet) -> tuple[Row, SentimentMetrics]:
    """Always the most frequent true class: the floor for accuracy on skewed sets."""
    counts = Counter(data.truth)
    top = max(ORDER, key=lambda label: counts[label])
    metrics = sentiment_metrics(data.truth, [top] * len(data.truth))
    return Row(f"majority class ({top})", metrics.accuracy, metrics.macro_f1, None, None,
               metrics=metrics.to_dict()), metrics


def _vectorizer(lang: str) -> TfidfVectorizer:
    # Chinese has no spaces between words: character n-grams stand in for a segmenter.
    if lang == "zh":
        return TfidfVectorizer(analyzer="char", ngram_range=(1, 3))
    return TfidfVectorizer(analyzer="word", ngram_range=(1, 2), lowercase=True)


def supervised_cv(data: LabelledSet, seed: int) -> Row | None:
    """Stratified k-fold TF-IDF + LogisticRegression; docs/s counts fit and predict time."""
    folds = min(CV_FOLDS, *Counter(data.truth).values())
    if folds < 2:
        return None  # a class with one example cannot be stratified
    labels = [str(label) for label in data.truth]
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    scores: list[SentimentMetrics] = []
    started = time.perf_counter()
    for train, test in splitter.split(data.texts, labels):
        model = make_pipeline(_vectorizer(data.lang), LogisticRegression(max_iter=1000))
        model.fit([data.texts[i] for i in train], [labels[i] for i in train])
        predicted = [Polarity(label) for label in model.predict([data.texts[i] for i in test])]
        scores.append(sentiment_metrics([data.truth[i] for i in test], predicted))
    seconds = time.perf_counter() - started
    f1s = [score.macro_f1 for score in scores]
    return Row(f"supervised CV ({folds}-fold TF-IDF + LR)",
               statistics.fmean(score.accuracy for score in scores), statistics.fmean(f1s),
               len(data.texts) / seconds, round(seconds, 2), macro_f1_std=statistics.stdev(f1s))


def bench_set(data: LabelledSet, methods: dict[str, Scorer], seed: int,
              details: bool, with_voc: bool) -> list[Row]:
    counts = Counter(data.truth)
    print(f"\n{data.name} ({data.lang}): {len(data.texts):,} docs; "
          + ", ".join(f"{label} {counts[label]:,}" for label in ORDER if counts[label])
          + f"; {data.dropped_empty} empty text(s) left out", flush=True)
    rows = []
    for name, scorer in methods.items():
        row, metrics = run_scorer(name, scorer, data)
        rows.append(row)
        print_progress(row, metrics if details else None)
    row, metrics = majority_row(data)
    rows.append(row)
    print_progress(row, metrics if details else None)
    cv = supervised_cv(data, seed)
    if cv is not None:
        rows.append(cv)
        print_progress(cv, None)
    if with_voc:
        ours = voc_supervised_cv(data, seed)
        rows.append(ours)
        print_progress(ours, None)
    return rows


def voc_supervised_cv(data: LabelledSet, seed: int) -> Row:
    """voc's supervised recipe (what `voc train sentiment` fits) in the same CV folds."""
    from voc.sentiment.model import CV_FOLDS as VOC_FOLDS
    from voc.sentiment.model import cross_validate
    from voc.sentiment.stage import analysis_form

    started = time.perf_counter()
    metrics = cross_validate(analysis_form(data.texts), data.truth, data.lang, seed, VOC_FOLDS)
    seconds = time.perf_counter() - started
    return Row(f"voc supervised CV ({VOC_FOLDS}-fold)", metrics["accuracy"],
               metrics["macro_f1"], len(data.texts) / seconds, round(seconds, 2),
               metrics=metrics)


def cross_domain(train: LabelledSet, test: LabelledSet, seed: int) -> Row:
    """Trained on one set, scored on another: what a model is worth outside its domain."""
    from voc.sentiment.model import train_model
    from voc.sentiment.stage import analysis_form

    started = time.perf_counter()
    model = train_model(analysis_form(train.texts), train.truth, train.lang, seed, folds=0)
    probabilities = model.probabilities(analysis_form(test.texts))
    order = (Polarity.NEGATIVE, Polarity.NEUTRAL, Polarity.POSITIVE)
    predicted = [order[i] for i in probabilities.argmax(axis=1)]
    metrics = sentiment_metrics(test.truth, predicted)
    seconds = time.perf_counter() - started
    return Row(f"voc model trained on {train.name}", metrics.accuracy, metrics.macro_f1,
               len(test.texts) / seconds, round(seconds, 2), metrics=metrics.to_dict())


# --- printing ----------------------------------------------------------------------------------
def _f1(row: Row) -> str:
    spread = "" if row.macro_f1_std is None else f" ± {row.macro_f1_std:.3f}"
    return f"{row.macro_f1:.3f}{spread}"


def _rate(row: Row) -> str:
    return "-" if row.docs_per_second is None else f"{row.docs_per_second:,.0f}"


def print_progress(row: Row, metrics: SentimentMetrics | None) -> None:
    seconds = "" if row.seconds is None else f"  ({row.seconds:.1f} s)"
    print(f"  {row.method:<34} accuracy {row.accuracy:.3f}  macro-F1 {_f1(row):<14} "
          f"docs/s {_rate(row):>7}{seconds}", flush=True)
    if metrics is not None:
        print_details(metrics)


def print_details(metrics: SentimentMetrics) -> None:
    for label, scores in metrics.per_class.items():
        row = metrics.confusion[label]
        predicted = ", ".join(f"{name} {count:,}" for name, count in row.items())
        print(f"      {label:<9} P {scores['precision']:.3f}  R {scores['recall']:.3f}  "
              f"F1 {scores['f1']:.3f}  n {scores['support']:,.0f}  predicted: {predicted}")


def markdown_table(results: dict[str, tuple[LabelledSet, list[Row]]]) -> str:
    lines = ["| data set | n | method | accuracy | macro-F1 | docs/s |",
             "| --- | --- | --- | --- | --- | --- |"]
    for name, (data, rows) in results.items():
        for i, row in enumerate(rows):
            label, n = (f"{name} ({data.lang})", f"{len(data.texts):,}") if i == 0 else ("", "")
            lines.append(f"| {label} | {n} | {row.method} | {row.accuracy:.3f} | {_f1(row)} | "
                         f"{_rate(row)} |")
    return "\n".join(lines)


# --- main --------------------------------------------------------------------------------------
def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sets", nargs="+", choices=list(SETS), default=list(SETS),
                        help="data sets to run (default: all)")
    parser.add_argument("--limit", type=int, help="a seeded sample of N docs per set")
    parser.add_argument("--seed", type=int, default=42, help="seed for --limit and the CV folds")
    parser.add_argument("--only-peers", action="store_true",
                        help="skip voc's scorer even when it is available")
    parser.add_argument("--details", action="store_true",
                        help="also print per-class scores and the confusion rows")
    parser.add_argument("--json", type=Path, help="also write all figures to this JSON file")
    args = parser.parse_args(argv)
    if args.limit is not None and args.limit < 1:
        parser.error("--limit must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    check_data(DATA_DIR, args.sets)
    ours = {} if args.only_peers else voc_methods()
    info = {**machine(), **{name: _version(name) for name in PEER_PACKAGES}}
    limit = "" if args.limit is None else f", a sample of at most {args.limit:,} docs per set"
    print(f"voc sentiment benchmark, seed {args.seed}{limit}")
    for key, value in info.items():
        print(f"  {key:<14} {value}")
    if not ours:
        print("voc: skipped (--only-peers)")
    print("docs/s: wall clock after one warm-up call; for supervised CV, fit + predict of all "
          "folds.\nA peer's neutral prediction on a two-class set counts as an error; voc resolves "
          "its neutral calls by the sign of the score there (as `voc eval sentiment` does).")
    started = time.perf_counter()
    results = {}
    for name in args.sets:
        data = load_set(name, DATA_DIR, args.limit, args.seed)
        results[name] = (data, bench_set(data, {**ours, **PEERS[data.lang]}, args.seed,
                                         args.details, bool(ours)))
    if ours and {"waimai", "htl"} <= set(results):
        row = cross_domain(results["waimai"][0], results["htl"][0], args.seed)
        print("\ncross-domain (htl scored by a model trained on all of waimai):")
        print_progress(row, None)
        results["htl"][1].append(row)
    wall = time.perf_counter() - started
    print(f"\nwall time {wall:.0f} s; load average {os.getloadavg()[0]:.2f} at the end\n")
    print(markdown_table(results))
    if args.json:
        payload = {"machine": info, "seed": args.seed, "limit": args.limit,
                   "wall_seconds": round(wall, 1),
                   "sets": {name: {"lang": data.lang, "n": len(data.texts),
                                   "rows": [asdict(row) for row in rows]}
                            for name, (data, rows) in results.items()}}
        args.json.write_text(json.dumps(payload, indent=2, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
