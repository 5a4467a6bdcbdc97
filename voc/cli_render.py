"""Rich rendering for the CLI: progress display and summary tables."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pandas as pd
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from voc.pipeline import IngestReport, ProgressCallback, RunProgress


@contextmanager
def ingest_progress(console: Console, disabled: bool = False) -> Iterator[ProgressCallback]:
    """A progress display with one line per file: rows read and rows per second."""
    progress = Progress(
        SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
        TextColumn("{task.completed:,.0f} rows"),
        TextColumn("{task.fields[rate]}"), TimeElapsedColumn(),
        console=console, disable=disabled or not console.is_terminal, transient=False)
    tasks: dict[str, TaskID] = {}

    def on_progress(name: str, rows: int) -> None:
        if name not in tasks:
            tasks[name] = progress.add_task(name, total=None, rate="")
        task = tasks[name]
        elapsed = progress.tasks[task].elapsed or 0
        rate = f"{rows / elapsed:,.0f} rows/s" if elapsed > 0.5 else ""
        progress.update(task, completed=rows, rate=rate)

    with progress:
        yield on_progress


@contextmanager
def run_progress(console: Console, disabled: bool = False) -> Iterator[RunProgress]:
    """A progress display for `voc run`: one line per stage with records done, records/s and
    the time left."""
    progress = Progress(
        SpinnerColumn(), TextColumn("{task.description:<24}"), BarColumn(),
        MofNCompleteColumn(), TextColumn("{task.fields[rate]}"), TimeElapsedColumn(),
        TimeRemainingColumn(), console=console,
        disable=disabled or not console.is_terminal, transient=False)
    tasks: dict[str, TaskID] = {}

    def on_progress(stage: str, done: int, total: int) -> None:
        if stage not in tasks:
            tasks[stage] = progress.add_task(stage, total=total or None, rate="")
        task = tasks[stage]
        elapsed = progress.tasks[task].elapsed or 0
        rate = f"{done / elapsed:,.0f} rec/s" if elapsed > 0.2 and done else ""
        progress.update(task, total=total or None, completed=done, rate=rate)

    with progress:
        yield on_progress


def table_from_frame(frame: pd.DataFrame, title: str) -> Table:
    table = Table(title=title, title_justify="left")
    numeric = {column for column in frame.columns
               if pd.api.types.is_numeric_dtype(frame[column].dtype)}
    for column in frame.columns:
        table.add_column(str(column), justify="right" if column in numeric else "left",
                         overflow="fold")
    for row in frame.itertuples(index=False):
        table.add_row(*[_cell(value) for value in row])
    return table


def _cell(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"
    return str(value)


def print_ingest_report(console: Console, report: IngestReport) -> None:
    for warning in report.warnings:
        console.print(f"[yellow]warning:[/] {warning}", highlight=False)
    summary = report.summary
    pivot = summary.pivot_table(index="channel", columns="lang",
                                values=["accepted", "duplicates", "rejected"],
                                aggfunc="sum", fill_value=0)
    table = Table(title=f"Batch {report.batch}: per channel and language", title_justify="left")
    table.add_column("channel")
    langs = [lang for lang in ("zh", "en", "mixed", "other") if lang in set(summary["lang"])]
    for lang in langs:
        table.add_column(f"{lang} accepted", justify="right")
    for name in ("accepted", "duplicates", "rejected"):
        table.add_column(name, justify="right")
    for channel in pivot.index:
        row = [channel]
        row += [_cell(pivot.loc[channel, ("accepted", lang)]) if ("accepted", lang) in pivot
                else "0" for lang in langs]
        row += [_cell(pivot.loc[channel, name].sum()) for name in
                ("accepted", "duplicates", "rejected")]
        table.add_row(*row)
    files = report.sources
    totals = files[["input_rows", "accepted", "duplicates", "rejected"]].sum()
    table.add_section()
    table.add_row("total", *([""] * len(langs)), *[_cell(totals[name]) for name in
                                                   ("accepted", "duplicates", "rejected")])
    console.print(table)
    console.print(
        f"{int(totals['input_rows']):,} input rows = {int(totals['accepted']):,} accepted + "
        f"{int(totals['duplicates']):,} duplicates + {int(totals['rejected']):,} rejected "
        f"({len(files)} files, {report.seconds:.1f} s) → {report.store}", highlight=False)
