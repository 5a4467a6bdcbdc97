"""voc.sample.bundle: records of the sample and what counts."""

from __future__ import annotations

from datetime import datetime

from voc.records import Channel, RejectReason
from voc.sample.batchplan import SOURCES, RecordPlan
from voc.sample.bundle import SOURCE_FILES, Sample, SampleRecord
from voc.sample.shapes import Built

WHEN = datetime(2026, 10, 2, 9, 0)


def _record(source: str = "app_reviews", reject: RejectReason | None = None,
            duplicate_of: str | None = None, kind: str = "app_login") -> SampleRecord:
    plan = RecordPlan("2026-10", source, kind, "en", WHEN, "C1", reject=reject)
    return SampleRecord(plan, "R1", Built([], "text", "text", "en"), WHEN,
                        duplicate_of=duplicate_of)


def test_bundle_counted_excludes_duplicates_and_rejects() -> None:
    assert _record().counted and _record().issue == "app_login"
    assert not _record(duplicate_of="R0").counted
    rejected = _record(reject=RejectReason.BAD_DATE)
    assert not rejected.counted and rejected.issue is None
    assert _record(kind="praise").issue is None


def test_bundle_source_files() -> None:
    assert tuple(SOURCE_FILES) == SOURCES
    assert len({f.file for f in SOURCE_FILES.values()}) == len(SOURCE_FILES)
    assert len({f.channel for f in SOURCE_FILES.values()}) == 7
    assert SOURCE_FILES["social"].channel is Channel.SOCIAL


def test_bundle_sample_selects_one_file_in_order() -> None:
    a, b, c = _record(), _record("calls"), _record()
    sample = Sample(1, [a, b, c])
    assert sample.of("2026-10", "app_reviews") == [a, c]
    assert sample.of("2026-09", "calls") == []
