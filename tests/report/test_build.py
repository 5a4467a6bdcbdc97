"""voc.report.build and `voc report`: one read of the store, every format and language."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
from typer.testing import CliRunner

from voc.cli import app
from voc.report.build import ReportFormat, build_reports, default_path
from voc.report.i18n import Lang

BATCH = "2026-10"


def test_build_reports_writes_each_format_and_language(demo_run: Any, tmp_path: Path) -> None:
    outputs = [(lang, kind, default_path(tmp_path, BATCH, lang, kind))
               for lang in Lang for kind in ReportFormat]
    written = build_reports(demo_run.store_path, BATCH, outputs)
    assert [path.name for path in written] == [
        f"voc-report-{BATCH}-{lang}.{kind}" for lang in Lang for kind in ReportFormat]
    assert all(path.stat().st_size > 1000 for path in written)
    assert "客户之声" in (tmp_path / f"voc-report-{BATCH}-zh.md").read_text(encoding="utf-8")
    assert openpyxl.load_workbook(tmp_path / f"voc-report-{BATCH}-en.xlsx").sheetnames


def test_report_command(demo_run: Any, tmp_path: Path) -> None:
    runner = CliRunner()
    config = str(demo_run.config_path)
    out = tmp_path / "r.html"
    result = runner.invoke(app, ["report", "--batch", BATCH, "--lang", "zh", "--out", str(out),
                                 "--config", config], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert str(out) in result.stdout and "问题排名" in out.read_text(encoding="utf-8")
    default = runner.invoke(app, ["report", "--batch", BATCH, "--format", "md",
                                  "--config", config], catch_exceptions=False)
    assert default.exit_code == 0, default.output
    assert (demo_run.store_path.parent / "reports" / f"voc-report-{BATCH}-en.md").is_file()
    wrong = runner.invoke(app, ["report", "--batch", BATCH, "--lang", "fr", "--config", config])
    assert wrong.exit_code == 1 and "--lang must be en or zh" in wrong.stderr
    missing = runner.invoke(app, ["report", "--batch", "2031-01", "--config", config])
    assert missing.exit_code == 1 and "2031-01" in missing.stderr
