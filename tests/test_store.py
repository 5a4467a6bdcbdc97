from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from tests.conftest import write_fixture_project
from voc import pipeline
from voc.errors import StoreError, StoreLockedError
from voc.provenance import now_utc, run_record
from voc.store import MIGRATIONS, BatchWrite, open_store

REPO = Path(__file__).resolve().parents[1]


def _snapshot(path: Path) -> dict[str, list[tuple]]:
    with duckdb.connect(str(path), read_only=True) as con:
        return {table: sorted(con.execute(f"SELECT * EXCLUDE (batch) FROM {table}").fetchall(),
                              key=str)
                for table in ("feedback", "rejects", "batch_sources")}


def _ingested(tmp_path: Path) -> Path:
    settings = write_fixture_project(tmp_path)
    store = tmp_path / "voc.duckdb"
    pipeline.ingest_batch(settings, "2026-10", pipeline.plan_ingest(settings, "2026-10"), store)
    return store


def test_store_migrations_run_once_and_are_recorded(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    with open_store(path) as store:
        assert store.schema_version() == [name for name, _ in MIGRATIONS]
    with open_store(path) as store:
        assert store.migrate() == []


def test_store_read_only_open_of_missing_store_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no store at"), \
            open_store(tmp_path / "absent.duckdb", read_only=True):
        pass


def _failing_write(batch: str, parts: object) -> BatchWrite:
    return BatchWrite(batch=batch, feedback_parts=parts,  # type: ignore[arg-type]
                      duplicates=pd.DataFrame(columns=["feedback_id", "duplicate_of",
                                                       "duplicate_kind"]),
                      sources=pd.DataFrame(), rejects=pd.DataFrame(),
                      redactions=pd.DataFrame(), config_hash="x", voc_version="x",
                      run={})


def test_store_failure_midway_leaves_store_unchanged(tmp_path: Path) -> None:
    store_path = _ingested(tmp_path)
    before = _snapshot(store_path)
    with duckdb.connect(str(store_path), read_only=True) as con:
        first_part = con.execute("SELECT * FROM feedback LIMIT 2").df().drop(columns=[])

    def parts():  # the first part is written, then the reader fails
        yield first_part
        raise OSError("disk went away")

    with open_store(store_path) as store, pytest.raises(OSError):
        store.replace_batch(_failing_write("2026-10", parts()))
    assert _snapshot(store_path) == before


def test_store_killed_ingest_leaves_store_unchanged(tmp_path: Path) -> None:
    """A process killed (SIGKILL) in the middle of replacing a batch changes nothing."""
    store_path = _ingested(tmp_path)
    before = _snapshot(store_path)
    script = textwrap.dedent(f"""
        import os, signal
        import duckdb, pandas as pd
        from voc.store import BatchWrite, open_store
        path = {str(store_path)!r}
        with duckdb.connect(path, read_only=True) as con:
            part = con.execute("SELECT * FROM feedback").df()
        def parts():
            yield part  # deleted the old batch and inserted rows: now die, uncommitted
            os.kill(os.getpid(), signal.SIGKILL)
        with open_store(__import__("pathlib").Path(path)) as store:
            store.replace_batch(BatchWrite("2026-10", parts(), pd.DataFrame(
                columns=["feedback_id", "duplicate_of", "duplicate_kind"]), pd.DataFrame(),
                pd.DataFrame(), pd.DataFrame(), "x", "x", {{}}))
    """)
    result = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True,
                            timeout=60)
    assert result.returncode == -9, result.stderr.decode()
    assert _snapshot(store_path) == before


def test_store_unreconciled_batch_is_refused(tmp_path: Path) -> None:
    store_path = _ingested(tmp_path)
    before = _snapshot(store_path)
    with duckdb.connect(str(store_path), read_only=True) as con:
        part = con.execute("SELECT * EXCLUDE (batch) FROM feedback").df().assign(batch="2026-10")
    sources = pd.DataFrame([{"source": "reviews", "source_file": "x.csv", "format": "csv",
                             "encoding": "utf-8", "input_rows": 1}])
    write = BatchWrite("2026-10", [part], pd.DataFrame(
        columns=["feedback_id", "duplicate_of", "duplicate_kind"]), sources, pd.DataFrame(),
        pd.DataFrame(), "x", "x", {"run_id": "r", "batch": "2026-10", "command": "t",
                                   "started_at": pd.Timestamp("2026-01-01")})
    with open_store(store_path) as store, pytest.raises(StoreError, match=r"not written|no source"):
        store.replace_batch(write)
    assert _snapshot(store_path) == before


def _hold_lock(store_path: Path, seconds: float) -> subprocess.Popen:
    script = textwrap.dedent(f"""
        import time, duckdb
        con = duckdb.connect({str(store_path)!r})
        print("locked", flush=True)
        time.sleep({seconds})
        con.close()
    """)
    holder = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE)
    assert holder.stdout is not None and holder.stdout.readline().strip() == b"locked"
    return holder


def test_store_second_writer_fails_clearly_after_waiting(tmp_path: Path) -> None:
    store_path = _ingested(tmp_path)
    holder = _hold_lock(store_path, 5)
    try:
        started = time.monotonic()
        with pytest.raises(StoreLockedError, match="in use by another voc process"), \
                open_store(store_path, lock_timeout=0.5):
            pass
        assert time.monotonic() - started >= 0.5
    finally:
        holder.kill()
        holder.wait()


def test_store_second_writer_waits_for_the_first(tmp_path: Path) -> None:
    store_path = _ingested(tmp_path)
    before = _snapshot(store_path)
    holder = _hold_lock(store_path, 1.0)
    try:
        with open_store(store_path, lock_timeout=30) as store:
            assert store.batch_names() == ["2026-10"]
    finally:
        holder.wait()
    assert _snapshot(store_path) == before


def test_store_concurrent_ingests_both_land(tmp_path: Path) -> None:
    """Two voc processes ingesting different batches into one store at once: both land."""
    write_fixture_project(tmp_path, "2026-09")
    settings = write_fixture_project(tmp_path, "2026-10")
    toml = tmp_path / "voc.toml"
    from tests.conftest import settings_toml

    toml.write_text(settings_toml(settings).replace("lock_timeout_seconds = 5.0",
                                                    "lock_timeout_seconds = 60"),
                    encoding="utf-8")
    procs = [subprocess.Popen([sys.executable, "-m", "voc", "ingest", "--batch", batch,
                               "--config", str(toml), "-q"], cwd=REPO,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
             for batch in ("2026-09", "2026-10")]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err.decode()
    with open_store(tmp_path / "voc.duckdb", read_only=True) as store:
        assert store.batch_names() == ["2026-09", "2026-10"]
        counts = store.batches()[["input_rows", "accepted", "duplicates", "rejected"]]
        assert counts.values.tolist() == [[14, 8, 1, 5], [14, 8, 1, 5]]


def test_store_read_only_open_migrates_an_older_store_first(tmp_path: Path) -> None:
    from voc.store import MIGRATIONS

    path = tmp_path / "old.duckdb"
    with duckdb.connect(str(path)) as con:  # a store as the first voc release left it
        con.execute("CREATE TABLE schema_migrations (name VARCHAR PRIMARY KEY, "
                    "applied_at TIMESTAMP NOT NULL)")
        MIGRATIONS[0][1](con)
        con.execute("INSERT INTO schema_migrations VALUES (?, now())", [MIGRATIONS[0][0]])
    with open_store(path, read_only=True) as store:
        assert store.schema_version() == [name for name, _ in MIGRATIONS]
        assert store.topics("any").empty


def test_store_refuses_a_database_that_is_not_a_voc_store(tmp_path: Path) -> None:
    path = tmp_path / "other.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE TABLE x (a INT)")
    with pytest.raises(StoreError, match="not a voc store"), open_store(path, read_only=True):
        pass


def test_store_reads_quotes_by_id_in_the_order_asked(tmp_path: Path) -> None:
    store_path = _ingested(tmp_path)
    with open_store(store_path, read_only=True) as store:
        docs = store.analysis_texts("2026-10")
        ids = docs["feedback_id"].iloc[[3, 0, 3]].tolist()
        quotes = store.quote_texts("2026-10", ids)
        written = dict(store.con.execute(
            "SELECT feedback_id, text FROM feedback WHERE batch = '2026-10'").fetchall())
        assert quotes == [written[feedback] for feedback in ids]
        # analysis rows carry the quote's length, not its text
        assert docs["quote_chars"].iloc[0] == len(written[docs["feedback_id"].iloc[0]])
        with pytest.raises(StoreError, match="no record nope"):
            store.quote_texts("2026-10", ["nope"])


def test_store_counts_the_records_analysis_reads(tmp_path: Path) -> None:
    store_path = _ingested(tmp_path)
    with open_store(store_path, read_only=True) as store:
        duplicates = store.con.execute("""SELECT count(*) FROM feedback
                                          WHERE duplicate_of IS NOT NULL""").fetchall()[0][0]
        assert duplicates > 0  # the fixture's duplicates are not analysed
        assert store.analysis_count("2026-10") == len(store.analysis_texts("2026-10"))
        assert store.analysis_count("1999-01") == 0


def test_store_analysis_rows_from_parquet_parts_land_in_file_order(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    store_path = _ingested(tmp_path)
    parts = []
    for number, clauses in enumerate([["a", "b"], ["c"]]):
        path = tmp_path / f"part-{number}.parquet"
        pq.write_table(pa.table({
            "feedback_id": [f"f{number}"] * len(clauses), "doc": [number] * len(clauses),
            "clause": list(range(len(clauses))), "text": clauses,
            "score": [0.5] * len(clauses), "weight": [1.0] * len(clauses)}), path)
        parts.append(path)
    run = run_record("2026-10", "run", "test", 1, now_utc())
    with open_store(store_path) as store:
        store.replace_analysis("2026-10", {}, run, parquet={"clause_sentiment": parts})
        rows = store.con.execute("SELECT batch, feedback_id, clause, text, score FROM "
                                 "clause_sentiment").fetchall()
    assert rows == [("2026-10", "f0", 0, "a", 0.5), ("2026-10", "f0", 1, "b", 0.5),
                    ("2026-10", "f1", 0, "c", 0.5)]
