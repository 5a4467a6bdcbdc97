"""`voc demo`: a quality team's first two months on the bundled sample, end to end.

Month 1 is ingested and analysed; the team then takes the backlog items voc opened, gives
each an owner, an action, a target and a due date and moves them to Do; month 2 is analysed,
so its report carries real Check verdicts (the sample plants one issue fixed in month 2 and
others left as they were). Everything lands in one folder: sample, config, store, reports,
exports.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from voc import pipeline
from voc.backlog.repository import list_items, set_item
from voc.config import Settings, load_config
from voc.pipeline import IngestReport, ProgressCallback
from voc.sample import BATCHES, generate_sample
from voc.store import open_store

TEAM = "quality team (demo)"

# What a team would write for the issues the sample's first month raises. Items voc opens
# for other issues get a generic plan. Dates fall inside month 2, so some run overdue.
PLANS: dict[str, dict[str, str]] = {
    "delivery_delay": {"owner": "Logistics — Li Na",
                       "action": "Second carrier on the slowest lines; daily sweep of parcels "
                                 "without a tracking event for 48 h",
                       "target": "complaint_share -30%", "due": "2026-10-31"},
    "refund_return": {"owner": "Finance — Tom Reid",
                      "action": "Auto-approve refunds under 200 CNY; refund status in the app",
                      "target": "complaint_share -30%", "due": "2026-10-15"},
    "unreachable": {"owner": "Contact centre — Zhou Min",
                    "action": "Callback promise within 2 h; staff the evening peak",
                    "target": "complaint_share -25%", "due": "2026-10-20"},
    "billing_error": {"owner": "Payments — Priya Patel",
                      "action": "Idempotency keys on payment retries; refund duplicates "
                                "automatically",
                      "target": "complaint_share -50%", "due": "2026-11-15"},
}
DEFAULT_PLAN = {"owner": "Quality team", "action": "Root-cause analysis with the owning team",
                "target": "complaint_share -20%", "due": "2026-11-30"}


@dataclass(frozen=True)
class DemoRun:
    config_path: Path
    settings: Settings
    store_path: Path
    ingest_reports: list[IngestReport]
    moved_to_do: list[str]  # backlog items the team started on after month 1


def run_demo(out: Path, on_ingest: Callable[[IngestReport], None] | None = None,
             progress: ProgressCallback | None = None) -> DemoRun:
    """Generate the sample into `out`, analyse month 1, start work on its backlog items,
    analyse month 2. `on_ingest` sees each batch's ingest report as it lands."""
    config_path = generate_sample(out)
    settings = load_config(config_path)
    store_path = settings.store_path()
    reports = []
    for batch in BATCHES:
        items = pipeline.plan_ingest(settings, batch)
        report = pipeline.ingest_batch(settings, batch, items, store_path, progress)
        reports.append(report)
        if on_ingest:
            on_ingest(report)
    first, *later = BATCHES
    pipeline.run_batch(settings, first, store_path)
    moved = start_work(store_path)
    for batch in later:  # in month order, so topics link to last month's
        pipeline.run_batch(settings, batch, store_path)
    return DemoRun(config_path, settings, store_path, reports, moved)


def start_work(store_path: Path) -> list[str]:
    """What the team does between the months: every item in Plan gets an owner, an action, a
    target and a due date, and moves to Do. Returns the items moved."""
    with open_store(store_path) as store:
        items = list_items(store.con)
        planned = items.loc[items["status"] == "plan", "item_id"].tolist()
        for item in planned:
            changes: dict[str, Any] = {**PLANS.get(item, DEFAULT_PLAN), "status": "do"}
            store.transaction(functools.partial(_start, item=item, changes=changes))
    return planned


def _start(con: duckdb.DuckDBPyConnection, item: str, changes: dict[str, Any]) -> int:
    return set_item(con, item, changes, TEAM)
