"""`voc report`: read a batch from the store once and write it in the asked format."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from voc.report.data import ReportData, load_report_data
from voc.report.html import write_html
from voc.report.i18n import Lang, Words
from voc.report.markdown import render_markdown
from voc.report.workbook import write_workbook
from voc.store import open_store
from voc.topics.taxonomy import Taxonomy


class ReportFormat(StrEnum):
    HTML = "html"
    MD = "md"
    XLSX = "xlsx"


def default_path(folder: Path, batch: str, lang: Lang, fmt: ReportFormat) -> Path:
    """reports/voc-report-2026-10-zh.html and so on."""
    return folder / f"voc-report-{batch}-{lang.value}.{fmt.value}"


def write_report(data: ReportData, lang: Lang, fmt: ReportFormat, out: Path) -> Path:
    words = Words(lang)
    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt is ReportFormat.HTML:
        return write_html(data, words, out)
    if fmt is ReportFormat.MD:
        out.write_text(render_markdown(data, words), encoding="utf-8")
        return out
    return write_workbook(data, words, out)


def build_reports(store_path: Path, batch: str, outputs: list[tuple[Lang, ReportFormat, Path]],
                  taxonomy: Taxonomy | None = None) -> list[Path]:
    """Read the batch once and write each (language, format, path)."""
    with open_store(store_path, read_only=True) as store:
        data = load_report_data(store, batch, taxonomy)
    return [write_report(data, lang, fmt, out) for lang, fmt, out in outputs]
