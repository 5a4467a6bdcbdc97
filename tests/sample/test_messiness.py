"""voc.sample.messiness: duplicates are planted where a real export would have them."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from random import Random

from voc.sample import pool_en, pool_zh
from voc.sample.batchplan import RecordPlan
from voc.sample.bundle import SampleRecord
from voc.sample.messiness import app_review_copies, email_resends, spam_variant
from voc.sample.shapes import Built

WHEN = datetime(2026, 9, 30, 21, 0)


def _jaccard(a: str, b: str) -> float:
    def grams(t: str) -> set[str]:
        form = re.sub(r"[\W_]+", "", t.lower())
        return {form[i : i + 5] for i in range(len(form) - 4)}

    x, y = grams(a), grams(b)
    return len(x & y) / len(x | y)


def test_messiness_spam_variants_stay_near_duplicates() -> None:
    rng = Random(1)
    for spam, lang in ((pool_zh.SPAM, "zh"), (pool_en.SPAM, "en")):
        assert spam_variant(rng, spam, lang, 0) == spam
        for k in (1, 2, 4, 5):
            variant = spam_variant(rng, spam, lang, k)
            assert variant != spam and _jaccard(spam, variant) >= 0.8


def _records(n: int, source: str, copies: int = 0) -> list[SampleRecord]:
    out = []
    for i in range(n):
        plan = RecordPlan("2026-09", source, "refund_delay", "en", WHEN, "C1",
                          copies=copies if i == 0 else 0)
        row = ([f"R{i}"] if source == "app_reviews" else
               {"message_id": f"m{i}", "date": WHEN.replace(tzinfo=UTC), "body": "b"})
        out.append(SampleRecord(plan, f"R{i}", Built(row, f"t{i}", f"t{i}", "en"),
                                WHEN + timedelta(seconds=i)))
    return out


def test_messiness_review_rows_exported_twice_keep_their_id() -> None:
    out = app_review_copies(Random(2), _records(10, "app_reviews", copies=1))
    twins = [r for r in out if r.duplicate_of]
    assert len(out) == 11 and len(twins) == 1
    assert twins[0].record_id == twins[0].duplicate_of == "R0"
    assert out.index(twins[0]) > 0


def test_messiness_resent_mail_is_later_in_the_same_month() -> None:
    out = email_resends(Random(3), _records(3, "complaint_mail", copies=1))
    resent = [r for r in out if r.duplicate_of]
    assert len(resent) == 1 and resent[0].duplicate_of == "R0"
    row = resent[0].built.row
    assert row["message_id"] != "m0" and row["body"] == "b"
    assert resent[0].when > WHEN and resent[0].when.month == 9
    assert row["date"] > WHEN.replace(tzinfo=UTC)
    assert out[-1] is resent[0]  # sorted by time
