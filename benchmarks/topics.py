"""Topic benchmark: voc's topic stage against gensim LDA, NMF and k-means, same run, same data.

    python benchmarks/topics.py [--datasets airline shopping20k shopping] [--seed 42]
                                [--skip-lda5] [--no-embeddings] [--json PATH]

Each data set in ../shared/data is tokenised once with `voc.topics.evaluate.prepare_tokens` (the
tokens voc itself uses); every method then runs on exactly those tokens. voc runs with k = the
number of labels and with k chosen automatically (its default `auto` representation), and with
each single representation (tfidf, trained, and minilm where it runs: English, with the extra
voc[embeddings]); the peers run with k = the number of labels:
gensim LdaModel (1 and 5 passes), scikit-learn NMF on TF-IDF and k-means on TF-IDF. All fit on
the same bounded sample voc fits on (`fit_sample`, 50,000 docs) and assign every document.
Scores: NMI and ARI against the labels (voc's "other" counts as one more cluster), c_npmi of the
top-10 keywords on the fit documents, keyword diversity. Seconds are fit + assign only.
"""

from __future__ import annotations

import os

# Before numpy is imported: BLAS/OpenMP pools are sized at import time; the target is 2 cores.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "2")

import argparse  # noqa: E402
import json  # noqa: E402
import logging  # noqa: E402
import platform  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402
from collections.abc import Callable, Sequence  # noqa: E402
from dataclasses import asdict, dataclass  # noqa: E402
from datetime import datetime  # noqa: E402
from importlib import metadata  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any, NamedTuple  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from sklearn.cluster import KMeans  # noqa: E402
from sklearn.decomposition import NMF  # noqa: E402
from sklearn.exceptions import ConvergenceWarning  # noqa: E402
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer  # noqa: E402
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score  # noqa: E402

from voc.topics.evaluate import (  # noqa: E402
    MAX_FIT_DOCS,
    analysis_texts,
    coherence_npmi,
    diversity,
    dominant_language,
    fit_sample,
    prepare_tokens,
)
from voc.topics.model import GUIDE_MIN_COVERAGE, OTHER, TopicModel, ctfidf  # noqa: E402
from voc.topics.representation import (  # noqa: E402
    NO_EMBEDDINGS_ENV,
    Representation,
    embeddings_installed,
    resolve,
)
from voc.topics.taxonomy import load_taxonomy, match_categories  # noqa: E402

DATA_DIR = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
DATASETS = ("airline", "shopping20k", "shopping")
SHOPPING_SAMPLE = 20_000
TOP_WORDS = 10
TARGET_NMI = {"airline": 0.18, "shopping20k": 0.45, "shopping": 0.45}

Tokens = list[list[str]]


# --- data --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Dataset:
    name: str
    texts: list[str]
    labels: list[str]


def _read_csv(path: Path) -> pd.DataFrame:
    # Every column as text, and no "NA"/"null" review turned into a missing value.
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def load_airline(root: Path) -> Dataset:
    """Negative tweets with a known reason: 9 labels."""
    frame = _read_csv(root / "twitter_us_airline" / "Tweets.csv")
    frame = frame[(frame["airline_sentiment"] == "negative")
                  & (frame["negativereason"] != "Can't Tell")]
    return Dataset("airline", frame["text"].tolist(), frame["negativereason"].tolist())


def load_shopping(root: Path, sample: int | None, seed: int) -> Dataset:
    """Non-empty shopping reviews labelled by product category (10); optionally a seeded sample."""
    frame = _read_csv(root / "online_shopping_10_cats" / "online_shopping_10_cats.csv")
    frame = frame[frame["review"].str.strip() != ""]
    name = "shopping"
    if sample is not None:
        frame = frame.sample(n=sample, random_state=seed)
        name = f"shopping{sample // 1000}k"
    return Dataset(name, frame["review"].tolist(), frame["cat"].tolist())


def load(name: str, root: Path, seed: int) -> Dataset:
    if name == "airline":
        return load_airline(root)
    return load_shopping(root, SHOPPING_SAMPLE if name == "shopping20k" else None, seed)


def check_data(root: Path, names: Sequence[str]) -> None:
    """Exit with a clear message when a needed data file is missing."""
    needed = {"airline": "twitter_us_airline/Tweets.csv",
              "shopping20k": "online_shopping_10_cats/online_shopping_10_cats.csv",
              "shopping": "online_shopping_10_cats/online_shopping_10_cats.csv"}
    missing = sorted({needed[name] for name in names if not (root / needed[name]).is_file()})
    if missing:
        sys.exit(f"topics benchmark: data not found under {root}: {', '.join(missing)}\n"
                 "It needs the public data sets described in ../shared/data/README.md.")


# --- methods -----------------------------------------------------------------------------------
class Assignment(NamedTuple):
    topics: np.ndarray  # one topic per document; OTHER (-1) for voc's "other"
    keywords: list[list[str]]
    n_topics: int


# (fit tokens, all tokens, k or None for automatic, seed) -> assignment
Method = Callable[[Tokens, Tokens, int | None, int], Assignment]


def _identity(tokens: list[str]) -> list[str]:
    return tokens


def _top_words(weights: np.ndarray, vocabulary: np.ndarray) -> list[list[str]]:
    """The TOP_WORDS highest-weighted words of each row (positive weights only)."""
    return [[str(vocabulary[j]) for j in np.argsort(-row, kind="stable")[:TOP_WORDS]
             if row[j] > 0] for row in weights]


def voc_method(guide: np.ndarray, fit_on: np.ndarray, texts: Sequence[str], lang: str,
               vectors: Representation = Representation.AUTO) -> Method:
    """What `evaluate_topics` does after tokenising and matching the taxonomy (both outside
    the time): fit with the taxonomy guide and the representation asked for (sentence
    embeddings, where they run, are inside the time), assign every document."""
    def run(fit_tokens: Tokens, tokens: Tokens, k: int | None, seed: int) -> Assignment:
        model = TopicModel(n_topics=k, seed=seed, vectors=vectors, lang=lang).fit(
            fit_tokens, guide=guide[fit_on], texts=[texts[i] for i in fit_on])
        topics, _ = model.transform(tokens, guide=guide)
        return Assignment(topics, model.keywords_, int(model.n_topics_))
    return run


def lda(passes: int) -> Method:
    def run(fit_tokens: Tokens, tokens: Tokens, k: int | None, seed: int) -> Assignment:
        from gensim.corpora import Dictionary
        from gensim.models import LdaModel

        assert k is not None
        dictionary = Dictionary(fit_tokens)
        # gensim's own default pruning (≥ 5 docs, ≤ 50% of docs): the same bounds voc uses.
        dictionary.filter_extremes()
        model = LdaModel([dictionary.doc2bow(doc) for doc in fit_tokens], id2word=dictionary,
                         num_topics=k, passes=passes, random_state=seed)
        gamma, _ = model.inference([dictionary.doc2bow(doc) for doc in tokens])
        keywords = [[word for word, _ in model.show_topic(topic, topn=TOP_WORDS)]
                    for topic in range(k)]
        return Assignment(gamma.argmax(axis=1), keywords, k)

    return run


def run_nmf(fit_tokens: Tokens, tokens: Tokens, k: int | None, seed: int) -> Assignment:
    """scikit-learn defaults throughout; a doc's topic is its largest NMF weight."""
    vectorizer = TfidfVectorizer(analyzer=_identity)
    matrix = vectorizer.fit_transform(fit_tokens)
    with warnings.catch_warnings():
        # The default max_iter may stop before tolerance; that is part of "defaults".
        warnings.simplefilter("ignore", ConvergenceWarning)
        model = NMF(n_components=k, random_state=seed).fit(matrix)
    topics = model.transform(vectorizer.transform(tokens)).argmax(axis=1)
    keywords = _top_words(model.components_, vectorizer.get_feature_names_out())
    return Assignment(topics, keywords, int(model.n_components_))


def run_kmeans(fit_tokens: Tokens, tokens: Tokens, k: int | None, seed: int) -> Assignment:
    """k-means on default TF-IDF; keywords by c-TF-IDF, as voc names its own clusters."""
    vectorizer = TfidfVectorizer(analyzer=_identity)
    matrix = vectorizer.fit_transform(fit_tokens)
    model = KMeans(k, n_init=10, random_state=seed).fit(matrix)
    topics = model.predict(vectorizer.transform(tokens))
    counts = CountVectorizer(analyzer=_identity, vocabulary=vectorizer.vocabulary_,
                             dtype=np.float32).transform(fit_tokens)
    weights = ctfidf(counts.tocsr(), model.labels_, model.n_clusters)
    return Assignment(topics, _top_words(weights, vectorizer.get_feature_names_out()),
                      int(model.n_clusters))


@dataclass(frozen=True)
class Entry:
    name: str
    run: Method
    auto_k: bool = False
    is_voc: bool = False


def entries(skip_lda5: bool, voc: Callable[[Representation], Method],
            lang: str) -> list[Entry]:
    """voc's default (auto) first, then each single representation that runs for `lang`,
    then the peers."""
    singles = [Representation.TFIDF, Representation.TRAINED]
    if not resolve(Representation.MINILM, lang).note:  # English, with voc[embeddings]
        singles.append(Representation.MINILM)
    methods = [Entry("voc (k = labels)", voc(Representation.AUTO), is_voc=True),
               Entry("voc (k = auto)", voc(Representation.AUTO), auto_k=True, is_voc=True),
               *(Entry(f"voc {single.value} (k = labels)", voc(single), is_voc=True)
                 for single in singles),
               Entry("LDA gensim, 1 pass", lda(1)),
               Entry("LDA gensim, 5 passes", lda(5)),
               Entry("NMF sklearn, TF-IDF", run_nmf),
               Entry("k-means TF-IDF", run_kmeans)]
    return [entry for entry in methods if not (skip_lda5 and entry.name.endswith("5 passes"))]


# --- scoring -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Row:
    method: str
    is_voc: bool
    nmi: float
    ari: float
    coherence_npmi: float
    diversity: float
    n_topics: int
    other_share: float | None
    seconds: float
    cpu_seconds: float


def score(entry: Entry, fit_tokens: Tokens, tokens: Tokens, labels: list[str], k: int,
          seed: int) -> Row:
    """Fit + assign (timed), then score against the labels and on the fit documents."""
    started, cpu_started = time.perf_counter(), time.process_time()
    result = entry.run(fit_tokens, tokens, None if entry.auto_k else k, seed)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    return Row(method=entry.name, is_voc=entry.is_voc,
               nmi=float(normalized_mutual_info_score(labels, result.topics)),
               ari=float(adjusted_rand_score(labels, result.topics)),
               coherence_npmi=coherence_npmi(result.keywords, fit_tokens, top=TOP_WORDS),
               diversity=diversity(result.keywords, top=TOP_WORDS),
               n_topics=result.n_topics,
               other_share=float(np.mean(result.topics == OTHER)) if entry.is_voc else None,
               seconds=round(seconds, 2), cpu_seconds=round(cpu, 2))


def verdict(name: str, rows: list[Row]) -> dict[str, Any]:
    """Does voc (k = labels) beat every peer on NMI and on c_npmi, and meet its NMI target?"""
    voc = rows[0]
    peers = [row for row in rows if not row.is_voc]
    singles = [row for row in rows if row.is_voc and row.method.startswith("voc ")
               and "(k = labels)" in row.method and row is not voc]
    nmf = next(row for row in rows if row.method.startswith("NMF"))
    best_single = max(singles, key=lambda row: row.nmi) if singles else voc
    out: dict[str, Any] = {"target_nmi": TARGET_NMI[name], "voc_nmi": voc.nmi,
                           "meets_target": voc.nmi >= TARGET_NMI[name],
                           "auto_vs_nmf": voc.nmi - nmf.nmi,
                           "best_single": best_single.method,
                           "auto_vs_best_single": voc.nmi - best_single.nmi,
                           "auto_ok": voc.nmi >= nmf.nmi and voc.nmi >= best_single.nmi - 0.02}
    for metric in ("nmi", "coherence_npmi"):
        best = max(peers, key=lambda row: getattr(row, metric))
        out[metric] = {"beats_all_peers": getattr(voc, metric) > getattr(best, metric),
                       "best_peer": best.method, "best_peer_value": getattr(best, metric)}
    return out


def bench_dataset(name: str, root: Path, seed: int, skip_lda5: bool) -> dict[str, Any]:
    data = load(name, root, seed)
    started = time.perf_counter()
    tokens = prepare_tokens(data.texts)
    tokenise_seconds = time.perf_counter() - started
    guide = match_categories(analysis_texts(data.texts), load_taxonomy())
    fit_on = fit_sample(len(tokens), MAX_FIT_DOCS, seed)
    fit_tokens = [tokens[i] for i in fit_on]
    k = len(set(data.labels))
    coverage = float(guide[fit_on].any(axis=1).mean())
    guided = "guides voc" if coverage >= GUIDE_MIN_COVERAGE else "too low to guide voc"
    print(f"\n{name}: {len(tokens):,} docs, {k} labels, fit on {len(fit_tokens):,}, "
          f"{sum(not doc for doc in tokens):,} with no topic token; "
          f"tokenised in {tokenise_seconds:.1f} s (once, not in the seconds below); "
          f"taxonomy covers {coverage:.0%} of the fit documents ({guided})")
    print(HEADER, flush=True)
    rows = []
    texts = analysis_texts(data.texts).tolist()
    lang = dominant_language(texts)

    def voc(vectors: Representation) -> Method:
        return voc_method(guide, fit_on, texts, lang, vectors)

    for entry in entries(skip_lda5, voc, lang):
        rows.append(score(entry, fit_tokens, tokens, data.labels, k, seed))
        print_row(rows[-1])
    result = {"n_docs": len(tokens), "n_labels": k, "n_fit_docs": len(fit_tokens),
              "taxonomy_coverage": round(coverage, 4),
              "tokenise_seconds": round(tokenise_seconds, 2),
              "rows": [asdict(row) for row in rows], "verdict": verdict(name, rows)}
    print_verdict(name, k, result["verdict"])
    return result


# --- printing ----------------------------------------------------------------------------------
HEADER = (f"  {'method':<22} {'NMI':>6} {'ARI':>6} {'c_npmi':>7} {'divers':>6} {'topics':>6} "
          f"{'other':>6} {'seconds':>8} {'cpu s':>6}")


def print_row(row: Row) -> None:
    other = "-" if row.other_share is None else f"{row.other_share:.3f}"
    print(f"  {row.method:<22} {row.nmi:>6.3f} {row.ari:>6.3f} {row.coherence_npmi:>7.3f} "
          f"{row.diversity:>6.2f} {row.n_topics:>6} {other:>6} {row.seconds:>8.1f} "
          f"{row.cpu_seconds:>6.1f}", flush=True)


def print_verdict(name: str, k: int, result: dict[str, Any]) -> None:
    def say(metric: str, label: str) -> str:
        part = result[metric]
        answer = "yes" if part["beats_all_peers"] else "no"
        return f"{label} {answer} (best peer {part['best_peer']} {part['best_peer_value']:.3f})"

    target = "met" if result["meets_target"] else "MISSED"
    print(f"  => {name}: voc (k = {k}) beats every peer on {say('nmi', 'NMI:')}; "
          f"on {say('coherence_npmi', 'c_npmi:')}; target NMI ≥ {result['target_nmi']:.2f}: "
          f"{target} ({result['voc_nmi']:.3f})", flush=True)
    auto = "yes" if result["auto_ok"] else "NO"
    print(f"  => {name}: auto ≥ NMF and within 0.02 of the best single representation: {auto} "
          f"(auto − NMF {result['auto_vs_nmf']:+.3f}; auto − {result['best_single']} "
          f"{result['auto_vs_best_single']:+.3f})", flush=True)


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def machine() -> dict[str, str]:
    cpuinfo = Path("/proc/cpuinfo")
    cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo.read_text().splitlines()
                if line.startswith("model name")), "unknown") if cpuinfo.exists() else (
        platform.processor() or "unknown")
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {"cpu": cpu, "cores": f"{os.cpu_count()} logical, {usable} usable",
            "threads": f"OMP {os.environ['OMP_NUM_THREADS']}, "
                       f"OpenBLAS {os.environ['OPENBLAS_NUM_THREADS']}",
            "load average": f"{os.getloadavg()[0]:.2f} at the start",
            "python": platform.python_version(),
            **{name: _version(name) for name in ("voc", "scikit-learn", "gensim", "numpy")},
            "date": datetime.now().astimezone().isoformat(timespec="seconds")}


# --- main --------------------------------------------------------------------------------------
def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--datasets", nargs="+", choices=DATASETS, default=list(DATASETS),
                        help="data sets to run (default: all)")
    parser.add_argument("--seed", type=int, default=42, help="seed for samples and models")
    parser.add_argument("--no-embeddings", action="store_true",
                        help="measure the default install: no sentence embeddings even where "
                             "voc[embeddings] is installed")
    parser.add_argument("--skip-lda5", action="store_true",
                        help="skip LDA with 5 passes (the slowest method)")
    parser.add_argument("--json", type=Path, help="also write all figures to this JSON file")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.no_embeddings:
        os.environ[NO_EMBEDDINGS_ENV] = "1"
    check_data(DATA_DIR, args.datasets)
    logging.getLogger("gensim").setLevel(logging.ERROR)  # LDA's "may not converge" chatter
    started = time.perf_counter()
    info = machine()
    print("voc topic benchmark, seed", args.seed, "; sentence embeddings:",
          "yes (voc[embeddings])" if embeddings_installed() else "no (default install)")
    for key, value in info.items():
        print(f"  {key:<13} {value}")
    print("seconds = fit + assign, wall clock (cpu s: process CPU time, all threads).\n"
          "NMI/ARI over all docs (voc's 'other' is one more cluster); c_npmi and diversity of "
          f"the top-{TOP_WORDS} keywords, on the fit docs.")
    results = {name: bench_dataset(name, DATA_DIR, args.seed, args.skip_lda5)
               for name in args.datasets}
    wall = time.perf_counter() - started
    print(f"\nwall time {wall:.0f} s; load average {os.getloadavg()[0]:.2f} at the end "
          "(other work on the machine inflates wall seconds, less so cpu seconds)")
    if args.json:
        args.json.write_text(json.dumps({"machine": info, "seed": args.seed,
                                         "wall_seconds": round(wall, 1), "datasets": results},
                                        indent=2, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
