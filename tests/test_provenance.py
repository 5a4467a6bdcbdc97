from __future__ import annotations

import json

from voc import __version__
from voc.provenance import dependency_versions, now_utc, run_record


def test_provenance_run_record_has_what_an_auditor_needs() -> None:
    record = run_record("2026-10", "ingest", "abc", 42, now_utc())
    assert record["voc_version"] == __version__ and record["seed"] == 42
    assert "duckdb" in json.loads(record["versions"])
    assert record["finished_at"] >= record["started_at"]
    assert len(record["run_id"]) == 32


def test_provenance_dependency_versions_include_core_packages() -> None:
    assert {"duckdb", "pandas", "pyarrow"} <= set(dependency_versions())
