"""voc.report.data: what the report reads from the store, checked against SQL on the store."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb
import pytest

from voc.errors import BatchNotFoundError
from voc.report.data import load_report_data
from voc.store import open_store

BATCH = "2026-10"


def _sql(store: Path, sql: str, params: list[Any] | None = None) -> list[tuple]:
    with duckdb.connect(str(store), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def test_overview_and_totals_match_the_store(report_data: Any, demo_run: Any) -> None:
    store, o = demo_run.store_path, report_data.overview
    [(records, mean, negative)] = _sql(store, """
        SELECT count(*), avg(score), avg((label = 'negative')::INT) FROM doc_sentiment
        WHERE batch = ?""", [BATCH])
    assert o.records == records and o.mean_sentiment == pytest.approx(mean)
    assert o.negative_share == pytest.approx(negative)
    assert o.negative_share + o.neutral_share + o.positive_share == pytest.approx(1.0)
    answers = [row[0] for row in _sql(store, """SELECT nps FROM feedback WHERE batch = ?
        AND duplicate_of IS NULL AND nps IS NOT NULL""", [BATCH])]
    promoters = sum(a >= 9 for a in answers) / len(answers)
    detractors = sum(a <= 6 for a in answers) / len(answers)
    assert o.nps == pytest.approx(100 * (promoters - detractors))
    assert o.nps_responses == len(answers) > 0 and o.csat_responses > 0
    t = report_data.totals
    assert t["input_rows"] == t["accepted"] + t["duplicates"] + t["rejected"]
    assert int(report_data.mix["records"].sum()) == t["accepted"] == o.records
    assert int(report_data.rejects["rows"].sum()) == t["rejected"]
    assert report_data.period[0].isoformat().startswith(BATCH)


def test_issue_tables_history_and_attention(report_data: Any, demo_run: Any) -> None:
    issues = report_data.issues
    assert issues["rank"].tolist() == list(range(1, len(issues) + 1))
    assert report_data.batches == ["2026-09", "2026-10"]
    assert set(report_data.history["batch"]) == {"2026-09", "2026-10"}
    fix_first = issues.loc[issues["quadrant"] == "fix_first", "issue_id"].tolist()
    assert report_data.attention["issue_id"].tolist() == fix_first[:3]
    assert set(report_data.quotes["issue_id"]) <= set(issues["issue_id"])
    assert set(report_data.quotes["lang"]) <= {"zh", "en", "mixed"}
    # an emerging topic's keywords are its own
    topic = report_data.emerging.iloc[0]
    own = [word for word, _ in json.loads(topic["keywords"])]
    assert report_data.keywords[topic["stable_id"]] == own[:8]
    # and multi-word key phrases read as customers say them
    phrases = {phrase for found in report_data.key_phrases.values() for phrase in found}
    assert "pickup code" in phrases and any(len(p) >= 4 and p.isascii() is False
                                            for p in phrases)


def test_phrases_are_the_category_keywords_customers_use(report_data: Any) -> None:
    delivery = report_data.phrases["delivery_delay"]
    assert delivery and all(0 < share <= 1 for _, share in delivery)
    assert [share for _, share in delivery] == sorted((s for _, s in delivery), reverse=True)
    assert len({word for word, _ in delivery}) == len(delivery)
    billing = dict(report_data.phrases["billing_error"])
    assert any("扣" in word or "charge" in word for word in billing)


def test_backlog_verdicts_and_overdue_items(report_data: Any) -> None:
    verdicts = dict(zip(report_data.verdicts["item_id"], report_data.verdicts["verdict"],
                        strict=True))
    assert verdicts["delivery_delay"] == "improved"
    assert verdicts["refund_return"] == "no_change"
    # the demo team promised refunds by 15 Oct and the hotline by 20 Oct; both still open
    overdue = {item["item_id"] for item in report_data.overdue}
    assert {"refund_return", "unreachable"} <= overdue
    assert "billing_error" not in overdue  # due in November
    assert report_data.item("delivery_delay")["owner"].startswith("Logistics")
    assert report_data.item("no-such-issue") is None
    assert report_data.run.config_hash and report_data.run.seed is not None


def test_unknown_batch_is_refused(demo_run: Any) -> None:
    with open_store(demo_run.store_path, read_only=True) as store, \
            pytest.raises(BatchNotFoundError):
        load_report_data(store, "1999-01")
