"""voc.sample.truth: the ground truth is computed from the records, and the config is valid."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from voc.config import load_config
from voc.records import RejectReason
from voc.sample.batchplan import RecordPlan
from voc.sample.bundle import SOURCE_FILES, Sample, SampleRecord
from voc.sample.shapes import Built
from voc.sample.truth import (
    ground_truth,
    render_config,
    render_ground_truth,
    repeat_contacts,
    severity_ranks,
)

WHEN = datetime(2026, 9, 10, 10, 0)


def _records(kind: str, n: int, source: str = "calls", batch: str = "2026-09",
             customer: str = "C1", **flags) -> list[SampleRecord]:
    out = []
    for i in range(n):
        plan = RecordPlan(batch, source, kind, "zh", WHEN, customer, **flags)
        out.append(SampleRecord(plan, f"{kind}-{batch}-{i}-{customer}", Built({}, "t", "t", "zh"),
                                WHEN))
    return out


def test_truth_severity_weighs_volume_negativity_and_escalation() -> None:
    records = (_records("refund_delay", 10) + _records("double_charge", 8, escalate=True)
               + _records("damaged_item", 12, contrast=True) + _records("app_login", 1))
    ranks = severity_ranks(records)
    # refund 10 x 0.9 = 9.0; double 8 x 1.0 x 2 = 16; damaged 12 x 0.5 = 6; app 0.9; none 0
    assert [i for i, _ in sorted(ranks.items(), key=lambda kv: kv[1])][:4] == [
        "double_charge", "refund_delay", "damaged_item", "app_login"]
    assert sorted(ranks.values()) == list(range(1, 8))


def test_truth_severity_per_batch_counts_only_that_batch() -> None:
    records = (_records("refund_delay", 10) + _records("app_login", 4)
               + _records("app_login", 20, batch="2026-10") + _records("refund_delay", 2,
                                                                      batch="2026-10"))
    september, october = severity_ranks(records, "2026-09"), severity_ranks(records, "2026-10")
    assert september["refund_delay"] == 1 and september["app_login"] == 2
    assert october["app_login"] == 1 and october["refund_delay"] == 2
    assert severity_ranks(records)["app_login"] == 1  # 24 records over both months beat 12


def test_truth_repeat_contacts_count_only_counted_hotline_records() -> None:
    records = (_records("hotline_unreachable", 2, customer="C7")
               + _records("hotline_unreachable", 1, customer="C8")
               + _records("hotline_unreachable", 2, source="social", customer="C9")
               + _records("hotline_unreachable", 2, customer="C5", reject=RejectReason.BAD_DATE))
    assert repeat_contacts(records, "2026-09") == ["C7"]


def test_truth_ground_truth_shape_and_rendering(tmp_path: Path) -> None:
    records = _records("refund_delay", 3) + _records("parcel_locker_code", 2, batch="2026-10")
    records[1].duplicate_of = records[0].record_id
    truth = ground_truth(Sample(9, records))
    assert truth["seed"] == 9 and truth["batches"] == ["2026-09", "2026-10"]
    assert truth["issues"]["refund_delay"]["count"] == {"2026-09": 2, "2026-10": 0}
    assert truth["issues"]["parcel_locker_code"]["emerging"] is True
    calls = truth["files"]["2026-09"][SOURCE_FILES["calls"].file]
    assert calls == {"input_rows": 3, "rejected": 0, "duplicates": 1}
    assert truth["records"][1]["duplicate_of"] == records[0].record_id
    text = render_ground_truth(truth)
    assert json.loads(text) == truth
    records_block = text[text.index('"records": ['):]
    assert records_block.count("\n") == len(truth["records"]) + 3  # one line per record


def test_truth_config_is_valid(tmp_path: Path) -> None:
    (tmp_path / "voc.toml").write_text(render_config(11), encoding="utf-8")
    settings = load_config(tmp_path)
    assert settings.project.seed == 11 and settings.project.timezone == "Asia/Shanghai"
    assert [s.name for s in settings.sources] == list(SOURCE_FILES)
    by_name = {s.name: s for s in settings.sources}
    assert by_name["nps_survey"].nps == "推荐意愿" and by_name["nps_survey"].encoding == "auto"
    assert by_name["csat_survey"].sheet == "Responses" and by_name["csat_survey"].csat == "CSAT"
    assert by_name["app_reviews"].text == ["title", "body"]
    assert by_name["calls"].format == "transcript" and by_name["calls"].id is None
