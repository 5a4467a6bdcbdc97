"""Ingest benchmark: throughput and peak memory of `voc ingest` on generated batches.

    python benchmarks/ingest.py --records 100000 1000000 [--workdir DIR] [--keep] [--profile]

For each size it generates a deterministic bilingual, multichannel batch (benchmarks/
ingest_data.py), then runs plan_ingest + ingest_batch into a fresh store in a subprocess of its
own, so one size's peak memory cannot carry into the next. Peak RSS is sampled with psutil every
50 ms and cross-checked with getrusage's ru_maxrss. One chunk of every file is then timed stage
by stage with the functions the pipeline calls, projected to the largest size, to show where the
time goes. The target: 1M records in at most 60 s with a peak RSS of at most 2 GiB, on 2 cores.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import platform
import pstats
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
import ingest_data as data

TARGET_SECONDS_PER_MILLION = 60.0
TARGET_PEAK_BYTES = 2 << 30
SAMPLE_SECONDS = 0.05
MARKER = ".voc-ingest-benchmark"  # marks folders this script made, so it only deletes those
MiB = 1 << 20


# --- memory sampling -------------------------------------------------------------------------
class RssSampler:
    """Samples this process's RSS on a daemon thread and keeps the peak and when it happened."""

    def __init__(self, interval: float = SAMPLE_SECONDS) -> None:
        self.interval = interval
        self.peak = 0
        self.peak_at = 0.0
        self._process = psutil.Process()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._started = 0.0

    def __enter__(self) -> RssSampler:
        self._started = time.perf_counter()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()

    def _sample(self) -> None:
        rss = self._process.memory_info().rss
        if rss > self.peak:
            self.peak, self.peak_at = rss, time.perf_counter() - self._started

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self._sample()


def ru_maxrss_bytes() -> int:
    """Peak RSS of this process from the kernel (KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


# --- child: one timed ingest -----------------------------------------------------------------
def child_ingest(root: Path, profile_out: Path | None) -> dict[str, Any]:
    """plan_ingest + ingest_batch for the batch under root, with timings and peak memory."""
    load_before = os.getloadavg()[0]  # other work on the machine inflates wall time
    with RssSampler() as sampler:
        from voc.config import load_config
        from voc.pipeline import ingest_batch, plan_ingest

        settings = load_config(root / "voc.toml")
        rss_ready = psutil.Process().memory_info().rss
        marks: list[tuple[float, str, int]] = []
        process = psutil.Process()
        rss_marks: list[int] = []
        cpu_before = _cpu_seconds()
        started = time.perf_counter()

        def progress(name: str, rows: int) -> None:
            marks.append((time.perf_counter() - started, name, rows))
            rss_marks.append(process.memory_info().rss)

        profiler = cProfile.Profile() if profile_out else None
        if profiler:
            profiler.enable()
        report = ingest_batch(settings, data.BATCH, plan_ingest(settings, data.BATCH),
                              progress=progress)
        seconds = time.perf_counter() - started
        cpu = _cpu_seconds() - cpu_before
        if profiler:
            profiler.disable()
            profiler.dump_stats(str(profile_out))
    return {"seconds": seconds, "cpu_seconds": cpu,
            "load_before": load_before, "load_after": os.getloadavg()[0],
            "peak_rss": sampler.peak, "peak_at": sampler.peak_at,
            "ru_maxrss": ru_maxrss_bytes(), "rss_ready": rss_ready,
            "files": _file_phases(marks), "chunks_done_at": marks[-1][0] if marks else 0.0,
            "rss_chunks_done": rss_marks[-1] if rss_marks else 0,
            "rss_chunks_max": max(rss_marks, default=0),
            "warnings": report.warnings}


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _file_phases(marks: list[tuple[float, str, int]]) -> list[dict[str, Any]]:
    """Seconds per file from the progress marks (each mark ends a chunk)."""
    phases: dict[str, dict[str, Any]] = {}
    previous = 0.0
    for at, name, rows in marks:
        phase = phases.setdefault(name, {"file": name, "seconds": 0.0, "rows": 0})
        phase["seconds"] += at - previous
        phase["rows"] = rows
        previous = at
    return list(phases.values())


# --- child: stage by stage on one chunk per file ---------------------------------------------
def child_stages(root: Path) -> dict[str, Any]:
    """Time each stage on the first chunk of every file, calling what ingest_batch calls."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from voc import records as R
    from voc.config import load_config
    from voc.ingest import mapping as M
    from voc.ingest import readers
    from voc.ingest.clean import SeenIds, clean_chunk
    from voc.ingest.dedupe import Deduplicator
    from voc.ingest.language import detect_languages
    from voc.ingest.pii import redact_series
    from voc.ingest.values import parse_scores, parse_timestamps
    from voc.pipeline import FEEDBACK_SCHEMA, plan_ingest
    from voc.text.normalize import normalize_text, to_simplified

    settings = load_config(root / "voc.toml")
    ingest = settings.ingest
    dedupe = Deduplicator(ingest.near_duplicate_threshold, ingest.near_duplicate_min_chars,
                          ingest.exact_duplicate_min_chars, settings.project.seed)
    seen = SeenIds()
    staging = Path(tempfile.mkdtemp(dir=root, prefix=".stages-"))
    files, parts, sources, rejects = [], [], [], []
    for index, item in enumerate(plan_ingest(settings, data.BATCH)):
        t: dict[str, float] = {}
        timer = _timer(t)
        source, path = item.source, item.path
        fmt = readers.detect_format(path) if source.format == "auto" else source.format
        with timer("read"):
            info = readers.file_info(path, fmt, source.encoding)
            chunks = readers.read_file(path, info, ingest.chunk_rows, source.sheet)
            chunk = next(chunks)
            chunks.close()
        mapping = M.build_mapping(source, info.default_mapping, info.context_column)
        with timer("map"):
            mapped = M.map_chunk(chunk, mapping)
        frame = mapped.frame
        with timer("normalise"):
            text = normalize_text(frame[M.F_TEXT])
        with timer("redact"):
            redacted, _ = redact_series(text)
        with timer("simplify"):
            analysis = to_simplified(redacted)
        with timer("language"):
            detect_languages(analysis)
        zone = source.timezone or settings.project.timezone
        with timer("dates"):
            if M.F_TIME in frame:
                parse_timestamps(frame[M.F_TIME], zone, source.date_format)
        with timer("scores"):
            for name in (R.RATING, R.NPS, R.CSAT):
                if name in frame:
                    parse_scores(frame[name], *R.SCORE_RANGES[name])
        ctx = _source_context(settings, source, path, fmt, zone)
        with timer("clean_chunk"):
            result = clean_chunk(mapped, chunk.rejects, ctx, seen)
        with timer("dedupe_add"):
            dedupe.add(result.records, R.ANALYSIS_TEXT, result.repeated_ids)
        with timer("stage_parquet"):
            part = staging / f"part-{index:05d}.parquet"
            pq.write_table(pa.Table.from_pandas(result.records, schema=FEEDBACK_SCHEMA,
                                                preserve_index=False), part)
        parts.append(part)
        rows = len(chunk.frame) + len(chunk.rejects)
        sources.append({"source": source.name, "source_file": ctx.source_file, "format": fmt,
                        "encoding": info.encoding, "input_rows": rows})
        rejects.append(result.rejects.assign(source=source.name, source_file=ctx.source_file))
        files.append({"file": path.name, "rows": rows, "encoding": info.encoding, "times": t})
    batch_times = _time_batch_write(settings, dedupe, parts, sources, rejects, root)
    shutil.rmtree(staging)
    return {"files": files, "batch": batch_times}


def _timer(times: dict[str, float]) -> Callable[[str], Any]:
    from contextlib import contextmanager

    @contextmanager
    def timer(name: str) -> Any:
        started = time.perf_counter()
        yield
        times[name] = times.get(name, 0.0) + time.perf_counter() - started

    return timer


def _source_context(settings: Any, source: Any, path: Path, fmt: str, zone: str) -> Any:
    """The SourceContext ingest_batch builds for a file (kept in step with voc/pipeline.py)."""
    from voc import records as R
    from voc.ingest.clean import SourceContext

    channel = source.channel or (R.Channel.EMAIL.value if fmt in ("eml", "mbox")
                                 and not source.channel_column else None)
    return SourceContext(
        batch=data.BATCH, source=source.name, source_file=path.name, channel=channel,
        timezone=zone, date_format=source.date_format, redact=settings.ingest.redact_pii,
        customer_salt=settings.ingest.customer_salt,
        min_text_chars=settings.ingest.min_text_chars)


def _time_batch_write(settings: Any, dedupe: Any, parts: list[Path], sources: list[dict],
                      rejects: list[Any], root: Path) -> dict[str, float]:
    """dedupe.resolve and the one-transaction store write, on the sample, into a fresh store."""
    import pandas as pd

    from voc import __version__
    from voc.provenance import now_utc, run_record
    from voc.store import BatchWrite, open_store

    times: dict[str, float] = {}
    timer = _timer(times)
    with timer("dedupe_resolve"):
        duplicates = dedupe.resolve()
    columns = ["source", "source_file", "source_row", "channel", "field", "reason", "detail",
               "raw"]
    frames = [frame[columns] for frame in rejects if len(frame)]
    write = BatchWrite(
        batch=data.BATCH, feedback_parts=parts, duplicates=duplicates,
        sources=pd.DataFrame(sources),
        rejects=pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns),
        redactions=pd.DataFrame(columns=["source_file", "pii_type", "count"]),
        config_hash=settings.config_hash(), voc_version=__version__,
        run=run_record(data.BATCH, "ingest", settings.config_hash(), settings.project.seed,
                       now_utc()))
    store = root / ".stages.duckdb"
    store.unlink(missing_ok=True)
    with timer("store_write"), open_store(store) as opened:
        opened.replace_batch(write)
    store.unlink()
    times["sample_rows"] = float(sum(source["input_rows"] for source in sources))
    return times


# --- parent ------------------------------------------------------------------------------------
def run_child(mode: str, root: Path, *extra: str) -> dict[str, Any]:
    """Run this script in a fresh interpreter for one measurement; returns its JSON result."""
    out = root / f"{mode}.json"
    command = [sys.executable, str(Path(__file__).resolve()), f"--child-{mode}", str(root),
               "--child-out", str(out), *extra]
    subprocess.run(command, check=True)
    return json.loads(out.read_text(encoding="utf-8"))


def store_counts(root: Path) -> dict[str, Any]:
    """What the store says about the batch: totals, reject reasons, duplicate kinds."""
    import duckdb

    with duckdb.connect(str(root / "voc.duckdb"), read_only=True) as con:
        row = con.execute("SELECT input_rows, accepted, duplicates, rejected FROM batches "
                          "WHERE batch = ?", [data.BATCH]).fetchone()
        reasons = dict(con.execute("SELECT reason, count(*) FROM rejects WHERE batch = ? "
                                   "GROUP BY ALL", [data.BATCH]).fetchall())
        kinds = dict(con.execute("SELECT duplicate_kind, count(*) FROM feedback WHERE batch = ? "
                                 "AND duplicate_of IS NOT NULL GROUP BY ALL",
                                 [data.BATCH]).fetchall())
        redacted = dict(con.execute("SELECT pii_type, sum(count) FROM redactions WHERE batch = ? "
                                    "GROUP BY ALL ORDER BY 1", [data.BATCH]).fetchall())
        files = con.execute("SELECT source_file, encoding, input_rows FROM batch_sources "
                            "WHERE batch = ? ORDER BY source_file", [data.BATCH]).fetchall()
    keys = ("input_rows", "accepted", "duplicates", "rejected")
    totals = dict(zip(keys, row, strict=True)) if row else dict.fromkeys(keys, 0)
    return {**totals, "reasons": reasons, "kinds": kinds, "redacted": redacted, "files": files}


def prepare_root(workdir: Path, n: int, prefix: str = "records",
                 marker: str = MARKER) -> Path:
    """A fresh folder for one size; only a folder this benchmark made (it holds `marker`)
    is ever deleted."""
    root = workdir / f"{prefix}-{n}"
    if root.exists():
        if not (root / marker).exists():
            raise SystemExit(f"{root} exists and was not made by this benchmark; "
                             "choose another --workdir")
        shutil.rmtree(root)
    root.mkdir(parents=True)
    (root / marker).touch()
    return root


def bench_size(workdir: Path, n: int, seed: int) -> dict[str, Any]:
    root = prepare_root(workdir, n)
    started = time.perf_counter()
    _, files, planted = data.generate(root, n, seed)
    generated = time.perf_counter() - started
    print(f"  {n:,} records generated in {generated:.1f} s; ingesting ...", flush=True)
    run = run_child("ingest", root)
    return {"records": n, "root": str(root), "generate_seconds": generated,
            "bytes": sum(path.stat().st_size for path in files),
            "inputs": [(path.name, path.stat().st_size) for path in files],
            "planted": planted, "run": run, "store": store_counts(root)}


def machine() -> dict[str, str]:
    cpu = next((line.split(":", 1)[1].strip() for line in
                Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")),
               platform.processor() or "unknown") if Path("/proc/cpuinfo").exists() else "unknown"
    versions = {name: _version(name) for name in
                ("voc", "duckdb", "pandas", "pyarrow", "numpy", "opencc", "psutil")}
    return {"cpu": cpu, "cores": f"{os.cpu_count()} logical, "
                                 f"{psutil.cpu_count(logical=False)} physical",
            "ram": f"{psutil.virtual_memory().total / (1 << 30):.1f} GiB",
            "python": platform.python_version(), "os": platform.platform(),
            **{f"{name} version": value for name, value in versions.items()}}


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


# --- printing ----------------------------------------------------------------------------------
def print_machine(info: dict[str, str]) -> None:
    print("\nMachine")
    for key, value in info.items():
        print(f"  {key:<16} {value}")


def reconcile(result: dict[str, Any]) -> str:
    store, n = result["store"], result["records"]
    total = store["accepted"] + store["duplicates"] + store["rejected"]
    return "OK" if store["input_rows"] == n and total == n else "MISMATCH"


def print_results(results: list[dict[str, Any]]) -> None:
    header = (f"{'records':>10} {'input MiB':>9} {'gen s':>6} {'ingest s':>8} {'cpu s':>6} "
              f"{'records/s':>10} "
              f"{'peak RSS':>8} {'ru_maxrss':>9} {'accepted':>9} {'dups':>7} {'rejected':>8} "
              f"{'reconcile':>9}")
    print("\nIngest (fresh store per size, one subprocess each; RSS in MiB)")
    print(header)
    print("-" * len(header))
    for r in results:
        run, store = r["run"], r["store"]
        print(f"{r['records']:>10,} {r['bytes'] / MiB:>9.1f} {r['generate_seconds']:>6.1f} "
              f"{run['seconds']:>8.2f} {run['cpu_seconds']:>6.1f} "
              f"{r['records'] / run['seconds']:>10,.0f} "
              f"{run['peak_rss'] / MiB:>8.0f} {run['ru_maxrss'] / MiB:>9.0f} "
              f"{store['accepted']:>9,} {store['duplicates']:>7,} {store['rejected']:>8,} "
              f"{reconcile(r):>9}")
    for r in results:
        _print_details(r)


def _print_details(r: dict[str, Any]) -> None:
    run, store, planted = r["run"], r["store"], r["planted"]
    print(f"\n{r['records']:,} records")
    print("  inputs: " + ", ".join(f"{name} {size / MiB:.1f} MiB" for name, size in r["inputs"]))
    for phase in run["files"]:
        rate = phase["rows"] / phase["seconds"] if phase["seconds"] else 0
        print(f"  {phase['file']:<40} {phase['rows']:>9,} rows {phase['seconds']:>7.2f} s "
              f"{rate:>10,.0f} rows/s")
    print(f"  load average (1 min) {run['load_before']:.2f} before, {run['load_after']:.2f} after"
          " (above ~1 means other work shared the 2 cores)")
    tail = run["seconds"] - run["chunks_done_at"]
    print(f"  {'after the last chunk (dedupe.resolve, store write, report)':<55} {tail:>7.2f} s")
    print(f"  RSS after imports {run['rss_ready'] / MiB:.0f} MiB; highest after a chunk "
          f"{run['rss_chunks_max'] / MiB:.0f} MiB; after the last chunk "
          f"{run['rss_chunks_done'] / MiB:.0f} MiB; sampled peak {run['peak_rss'] / MiB:.0f} MiB "
          f"at {run['peak_at']:.1f} s after start")
    rejected_ok = store["rejected"] == planted["bad_rows"]
    print(f"  rejected {store['rejected']:,} vs planted {planted['bad_rows']:,} "
          f"({'OK' if rejected_ok else 'MISMATCH'}): {store['reasons']}")
    found = store["duplicates"]
    planted_dups = planted["exact_duplicates"] + planted["near_duplicates"]
    print(f"  duplicates {found:,} (planted {planted['exact_duplicates']:,} exact + "
          f"{planted['near_duplicates']:,} near; found by kind {store['kinds']}; "
          f"{'at least the planted' if found >= planted_dups else 'FEWER than planted'})")
    print(f"  PII redacted {sum(store['redacted'].values()):,} {store['redacted']} "
          f"(planted in {planted['pii_texts']:,} texts, before duplicates and bad rows)")
    if r["records"] >= 1_000_000:
        limit = TARGET_SECONDS_PER_MILLION * r["records"] / 1_000_000
        peak = max(run["peak_rss"], run["ru_maxrss"])
        print(f"  target: {run['seconds']:.1f} s <= {limit:.0f} s "
              f"{'PASS' if run['seconds'] <= limit else 'MISS'}; peak {peak / MiB:.0f} MiB <= "
              f"{TARGET_PEAK_BYTES / MiB:.0f} MiB "
              f"{'PASS' if peak <= TARGET_PEAK_BYTES else 'MISS'}")
    for warning in run["warnings"]:
        print(f"  warning: {warning}")


_STAGES = (
    ("read", "read file (detect encoding, decode, parse)"),
    ("map", "map columns"),
    ("clean_chunk", "clean_chunk (all of it)"),
    ("normalise", "  normalize_text (NFKC, whitespace)"),
    ("redact", "  redact_series (PII)"),
    ("simplify", "  to_simplified (OpenCC)"),
    ("language", "  detect_languages"),
    ("dates", "  parse_timestamps"),
    ("scores", "  parse_scores"),
    ("clean_rest", "  rest: validation, ids, customer keys, metadata JSON"),
    ("dedupe_add", "Deduplicator.add (dedupe form, MinHash)"),
    ("stage_parquet", "stage chunk as Parquet"),
)
_INSIDE_CLEAN = ("normalise", "redact", "simplify", "language", "dates", "scores")


def print_stages(stages: dict[str, Any], records: int) -> None:
    """Per-stage seconds on the sample and projected to `records` (file shares as generated)."""
    rows_at = data.file_rows(records)
    projected: dict[str, float] = {}
    sample: dict[str, float] = {}
    for entry in stages["files"]:
        times = dict(entry["times"])
        times["clean_rest"] = times["clean_chunk"] - sum(times[k] for k in _INSIDE_CLEAN)
        scale = rows_at[entry["file"]] / entry["rows"]
        for key, seconds in times.items():
            sample[key] = sample.get(key, 0.0) + seconds
            projected[key] = projected.get(key, 0.0) + seconds * scale
    batch = stages["batch"]
    batch_scale = records / batch["sample_rows"]
    sample_rows = int(batch["sample_rows"])
    per_file = ", ".join(f"{entry['file']} {entry['rows']:,}" for entry in stages["files"])
    print(f"\nStages on the first chunk of every file ({sample_rows:,} rows: {per_file}), "
          f"projected to {records:,} records")
    print(f"{'stage':<56} {'sample s':>8} {'µs/rec':>7} {'projected s':>11} {'share':>6}")
    rows = [(label, sample[key], projected[key]) for key, label in _STAGES]
    rows += [("Deduplicator.resolve", batch["dedupe_resolve"],
              batch["dedupe_resolve"] * batch_scale),
             ("store write (one DuckDB transaction)", batch["store_write"],
              batch["store_write"] * batch_scale)]
    total = sum(p for label, _, p in rows if not label.startswith("  "))
    for label, seconds, proj in rows:
        print(f"{label:<56} {seconds:>8.2f} {seconds / sample_rows * 1e6:>7.1f} "
              f"{proj:>11.1f} {proj / total:>6.1%}")
    print(f"{'total (top-level stages)':<56} {'':>8} {'':>7} {total:>11.1f}")


def print_profile(path: Path, limit: int = 25) -> None:
    print(f"\ncProfile of the ingest ({path}); top {limit} by own time, then by cumulative time")
    for key in ("tottime", "cumulative"):
        stats = pstats.Stats(str(path))
        stats.sort_stats(key).print_stats(limit)


# --- entry point -------------------------------------------------------------------------------
def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, nargs="+", default=[100_000, 1_000_000],
                        help="batch sizes to generate and ingest (default: 100000 1000000)")
    parser.add_argument("--workdir", type=Path, help="where inputs and stores go "
                        "(default: a new temporary folder)")
    parser.add_argument("--keep", action="store_true", help="keep generated inputs and stores")
    parser.add_argument("--seed", type=int, default=20261001, help="generator seed")
    parser.add_argument("--no-stages", action="store_true", help="skip the per-stage timings")
    parser.add_argument("--profile", action="store_true",
                        help="also run the smallest size under cProfile and print hotspots")
    parser.add_argument("--json", type=Path, help="also write all figures to this JSON file")
    for mode in ("ingest", "stages"):
        parser.add_argument(f"--child-{mode}", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--child-out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--child-profile", type=Path, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.child_ingest or args.child_stages:
        result = (child_ingest(args.child_ingest, args.child_profile) if args.child_ingest
                  else child_stages(args.child_stages))
        args.child_out.write_text(json.dumps(result, default=str), encoding="utf-8")
        return 0
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="voc-ingest-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    info = machine()
    print(f"voc ingest benchmark: sizes {', '.join(f'{n:,}' for n in args.records)}; "
          f"inputs in {workdir}", flush=True)
    results = [bench_size(workdir, n, args.seed) for n in args.records]
    largest = max(results, key=lambda r: r["records"])
    stages = None if args.no_stages else run_child("stages", Path(largest["root"]))
    profile = None
    if args.profile:
        smallest = Path(min(results, key=lambda r: r["records"])["root"])
        profile = smallest / "ingest.pstats"
        print("  profiling the smallest size under cProfile ...", flush=True)
        run_child("ingest", smallest, "--child-profile", str(profile))
    print_machine(info)
    print_results(results)
    if stages:
        print_stages(stages, largest["records"])
    if profile:
        print_profile(profile)
    if args.json:
        args.json.write_text(json.dumps({"machine": info, "results": results, "stages": stages},
                                        indent=2, default=str), encoding="utf-8")
    if not args.keep:
        for result in results:
            shutil.rmtree(result["root"], ignore_errors=True)
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    ok = all(reconcile(r) == "OK" for r in results)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
