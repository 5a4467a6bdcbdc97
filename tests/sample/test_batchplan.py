"""voc.sample.batchplan: issue volumes, repeat contacts, duplicates and rejects are planned."""

from __future__ import annotations

from collections import Counter, defaultdict

import pytest

from voc.sample.batchplan import (
    APP_DUPLICATES,
    BATCHES,
    ID_SOURCES,
    REPEATERS,
    SIZES,
    SOURCES,
    allocate_issues,
    plan_batch,
    random_time,
)
from voc.sample.world import HOTLINE, ISSUES

CUSTOMERS = [f"C{n:06d}" for n in range(200000, 208000)]


@pytest.fixture(scope="module")
def october() -> dict:
    return plan_batch("2026-10", 2026, CUSTOMERS)


def test_batchplan_allocation_matches_rates() -> None:
    for index, batch in enumerate(BATCHES):
        alloc = allocate_issues(batch)
        total = sum(SIZES[batch].values())
        for issue, spec in ISSUES.items():
            assert sum(alloc[s][issue] for s in SOURCES) == round(spec.rates[index] * total)
        for source in SOURCES:
            assert sum(alloc[source].values()) < 0.8 * SIZES[batch][source]
    assert allocate_issues("2026-09")["calls"]["parcel_locker_code"] == 0


def test_batchplan_times_stay_in_the_month() -> None:
    from random import Random

    rng = Random(0)
    times = [random_time(rng, "2026-09") for _ in range(2000)]
    assert {t.month for t in times} == {9} and {t.year for t in times} == {2026}
    assert min(t.hour for t in times) >= 8 and max(t.hour for t in times) <= 22


def test_batchplan_sizes_languages_and_order(october: dict) -> None:
    for source in SOURCES:
        plans = october[source]
        regular = [p for p in plans if p.reject is None]
        assert len(regular) == SIZES["2026-10"][source]
        assert [p.when for p in plans] == sorted(p.when for p in plans)
    assert {p.lang for p in october["nps_survey"]} == {"zh"}
    assert {p.lang for p in october["csat_survey"]} == {"en"}


def test_batchplan_repeat_contacts(october: dict) -> None:
    hotline: dict[str, list] = defaultdict(list)
    for source in ID_SOURCES:
        for plan in october[source]:
            if plan.kind == HOTLINE:
                hotline[plan.customer].append(plan)
    repeated = {c: ps for c, ps in hotline.items() if len(ps) > 1}
    assert len(repeated) == REPEATERS["2026-10"]
    for plans in repeated.values():
        assert {"calls", "chats"} <= {p.source for p in plans} and len(plans) <= 3
        assert sorted(p.nth for p in plans) == list(range(1, len(plans) + 1))
        first = min(plans, key=lambda p: p.when)
        assert first.nth == 1 and len({p.lang for p in plans}) == 1
    others = [c for c, ps in hotline.items() if len(ps) == 1]
    regular = {p.customer for s in SOURCES for p in october[s] if p.kind != HOTLINE}
    assert not set(others) & regular and not set(repeated) & regular


def test_batchplan_flags(october: dict) -> None:
    every = [p for s in SOURCES for p in october[s]]
    doubles = [p for p in every if p.kind == "double_charge"]
    assert abs(sum(p.escalate for p in doubles) - len(doubles) / 3) <= 1
    assert not any(p.escalate for p in every if p.kind != "double_charge")
    assert sum(p.copies for p in october["app_reviews"]) == APP_DUPLICATES["2026-10"]
    spam = [p for p in october["social"] if p.spam]
    assert len(spam) == 1 and spam[0].kind == "refund_delay" and spam[0].lang == "en"
    pii = Counter(p.pii for p in every if p.pii)
    assert 0.02 < sum(pii.values()) / len(every) < 0.04
    assert all(p.lang == "zh" for p in every if p.pii == "id_number")
    assert not any(p.pii and (p.copies or p.reject or p.kind == "praise") for p in every)
    rejects = Counter((p.source, p.reject.value) for p in every if p.reject)
    assert rejects[("app_reviews", "malformed_row")] == 1
    assert rejects[("nps_survey", "undecodable_bytes")] == 1
    assert sum(rejects.values()) == 8
