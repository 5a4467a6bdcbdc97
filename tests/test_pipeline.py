from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from tests.conftest import CHATS_EXPECTED, REVIEWS_EXPECTED, SURVEY_EXPECTED
from voc import pipeline
from voc.config import Settings
from voc.errors import ConfigError


def _ingest(settings: Settings, store: Path, batch: str = "2026-10") -> pipeline.IngestReport:
    items = pipeline.plan_ingest(settings, batch)
    return pipeline.ingest_batch(settings, batch, items, store)


def _rows(store: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(store), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_pipeline_counts_reconcile_per_file(project: Settings, store_path: Path) -> None:
    report = _ingest(project, store_path)
    files = report.sources.set_index("source")
    for source, expected in (("reviews", REVIEWS_EXPECTED), ("nps", SURVEY_EXPECTED),
                             ("chats", CHATS_EXPECTED)):
        got = files.loc[source, ["input_rows", "accepted", "duplicates", "rejected"]].to_dict()
        assert {k: int(v) for k, v in got.items()} == expected, source
    assert files.loc["nps", "encoding"] == "gb18030"
    total = _rows(store_path, "SELECT input_rows, accepted, duplicates, rejected FROM batches")
    assert total == [(14, 8, 1, 5)]


def test_pipeline_rejects_name_file_row_field_and_reason(project: Settings,
                                                         store_path: Path) -> None:
    _ingest(project, store_path)
    rejects = _rows(store_path, """SELECT source_file, source_row, field, reason FROM rejects
                                   ORDER BY source_file, source_row""")
    assert rejects == [
        ("exports/2026-10/nps.csv", 5, "推荐意愿", "bad_score"),
        ("exports/2026-10/reviews.csv", 3, "created", "bad_date"),
        ("exports/2026-10/reviews.csv", 4, "stars", "bad_score"),
        ("exports/2026-10/reviews.csv", 5, "title+body", "empty_text"),
        ("exports/2026-10/reviews.csv", 9, None, "malformed_row"),
    ]


def test_pipeline_cleans_redacts_and_keeps_original_script(project: Settings,
                                                           store_path: Path) -> None:
    _ingest(project, store_path)
    texts = dict(_rows(store_path, "SELECT source_record_id, text FROM feedback"))
    analysis = dict(_rows(store_path, """SELECT source_record_id, coalesce(analysis_text, text)
                                         FROM feedback"""))
    assert "[PHONE]" in texts["r1"] and "1234-5678" not in texts["r1"]
    assert "[PHONE]" in texts["c1"] and "13912345678" not in texts["c1"]
    assert "服務態度很差" in texts["r7"]  # quotes keep what the customer wrote
    assert "服务态度很差" in analysis["r7"]  # analysis reads simplified Chinese
    assert "沒到賬," in texts["r7"]  # NFKC: full-width comma became ','
    assert "抱歉" not in texts["c1"]  # agent turns are context, not customer voice
    context = _rows(store_path, "SELECT context FROM feedback WHERE source_record_id = 'c1'")
    assert "抱歉" in context[0][0]


def test_pipeline_hashes_customer_ids_and_parses_times(project: Settings,
                                                       store_path: Path) -> None:
    _ingest(project, store_path)
    rows = _rows(store_path, """SELECT source_record_id, customer_key, created_at, lang, nps
                                FROM feedback ORDER BY source_record_id""")
    by_id = {row[0]: row for row in rows}
    assert all(row[1] and not row[1].startswith(("u", "C")) for row in rows)
    assert by_id["c1"][1] == by_id["s1"][1]  # same customer C001 across channels
    assert str(by_id["s1"][2]) == "2026-10-03 06:05:00"  # 14:05 Shanghai → UTC
    assert str(by_id["c1"][2]) == "2026-10-03 06:00:00"
    assert by_id["s1"][4] == 2 and by_id["c2"][3] == "en" and by_id["s1"][3] == "zh"
    with duckdb.connect(str(store_path), read_only=True) as con:
        dump = " ".join(str(v) for row in con.execute("SELECT * FROM feedback").fetchall()
                        for v in row)
    assert "C001" not in dump and "u1" not in dump.split()


def test_pipeline_short_identical_texts_from_different_customers_are_kept(
        project: Settings, store_path: Path) -> None:
    _ingest(project, store_path)
    kept = _rows(store_path, """SELECT count(*) FROM feedback
                                WHERE text = '很好' AND duplicate_of IS NULL""")
    assert kept == [(2,)]


def test_pipeline_reingest_replaces_batch_with_same_ids(project: Settings,
                                                        store_path: Path) -> None:
    _ingest(project, store_path)
    first = _rows(store_path, "SELECT feedback_id FROM feedback ORDER BY 1")
    _ingest(project, store_path)
    second = _rows(store_path, "SELECT feedback_id FROM feedback ORDER BY 1")
    assert first == second
    assert _rows(store_path, "SELECT count(*) FROM batches") == [(1,)]
    assert _rows(store_path, "SELECT count(*) FROM rejects") == [(5,)]


def test_pipeline_keeps_batches_apart(project: Settings, store_path: Path,
                                      tmp_path: Path) -> None:
    from tests.conftest import write_fixture_project

    write_fixture_project(tmp_path, "2026-09")
    _ingest(project, store_path, "2026-09")
    _ingest(project, store_path, "2026-10")
    counts = _rows(store_path, "SELECT batch, accepted FROM batches ORDER BY batch")
    assert counts == [("2026-09", 8), ("2026-10", 8)]


def test_pipeline_missing_column_rejects_every_row_with_its_name(project: Settings,
                                                                 store_path: Path) -> None:
    project.sources[0].rating = "score"  # the file has "stars"
    report = _ingest(project, store_path)
    assert any("score" in warning for warning in report.warnings)
    reasons = _rows(store_path, """SELECT DISTINCT reason, field FROM rejects
                                   WHERE source = 'reviews' AND reason = 'missing_column'""")
    assert reasons == [("missing_column", "score")]
    files = report.sources.set_index("source")
    assert int(files.loc["reviews", "rejected"]) == 8


def test_pipeline_plan_errors_are_clear(project: Settings, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no input files for batch '1999-01'"):
        pipeline.plan_ingest(project, "1999-01")
    stray = tmp_path / "other.csv"
    stray.write_text("a,b\n1,2\n")
    with pytest.raises(ConfigError, match=r"no source in voc\.toml matches"):
        pipeline.plan_ingest(project, "2026-10", [stray])


def test_pipeline_results_do_not_depend_on_chunks_or_workers(project: Settings,
                                                              tmp_path: Path) -> None:
    """Chunk size and worker processes change nothing in what is stored: with workers, the
    chunks of every file flow through the pool as one stream and still land per file."""
    def stored(settings: Settings, name: str) -> list[tuple]:
        path = tmp_path / f"{name}.duckdb"
        report = _ingest(settings, path)
        return _rows(path, """SELECT * EXCLUDE (batch) FROM feedback ORDER BY feedback_id""") + \
            _rows(path, "SELECT * EXCLUDE (batch) FROM rejects ORDER BY ALL") + \
            _rows(path, "SELECT * EXCLUDE (batch) FROM batch_sources ORDER BY ALL") + \
            _rows(path, "SELECT * EXCLUDE (batch) FROM redactions ORDER BY ALL") + \
            [tuple(report.warnings)]

    baseline = stored(project, "one")
    tiny = project.model_copy(update={"ingest": project.ingest.model_copy(
        update={"chunk_rows": 100})})
    # chunk_rows has a floor of 100 in settings; force smaller chunks for the test
    object.__setattr__(tiny.ingest, "chunk_rows", 2)
    assert stored(tiny, "tiny") == baseline
    parallel = project.model_copy(update={"ingest": project.ingest.model_copy(
        update={"workers": 2, "chunk_rows": 100})})
    object.__setattr__(parallel.ingest, "chunk_rows", 3)
    assert stored(parallel, "parallel") == baseline


def test_stage_clock_times_stages_and_reports_progress() -> None:
    from voc.pipeline import StageClock

    heard: list[tuple[str, int, int]] = []
    clock = StageClock(lambda stage, done, total: heard.append((stage, done, total)))
    clock.begin("read", 0)
    clock.end(120)  # the size of some stages is only known at their end
    clock.begin("topic assign zh", 100)
    clock.advance(40)
    clock.advance(100)
    clock.end()
    assert [stage for stage, _ in clock.laps] == ["read", "topic assign zh"]
    assert all(seconds >= 0 for _, seconds in clock.laps)
    assert heard == [("read", 0, 0), ("read", 120, 120), ("topic assign zh", 0, 100),
                     ("topic assign zh", 40, 100), ("topic assign zh", 100, 100),
                     ("topic assign zh", 100, 100)]
