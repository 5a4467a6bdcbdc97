"""What each batch holds before any text is written: one RecordPlan per record.

The plan fixes, per source and month: how many records carry each planted issue, their
language, time, customer, the repeat-contact groups, escalations, PII, duplicates to copy and
rows to break. Texts are composed later from the plan (compose.py, shapes.py).
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from random import Random

from voc.records import RejectReason
from voc.sample.world import DOUBLE_CHARGE, HOTLINE, ISSUES, REFUND

BATCHES: tuple[str, ...] = ("2026-09", "2026-10")

SOURCES: tuple[str, ...] = ("calls", "chats", "complaint_mail", "app_reviews", "nps_survey",
                            "csat_survey", "social", "order_reviews")
# Sources whose customer ids share one space ("C" + 6 digits).
ID_SOURCES = frozenset({"calls", "chats", "app_reviews", "nps_survey", "csat_survey",
                        "order_reviews"})

SIZES: dict[str, dict[str, int]] = {
    "2026-09": {"calls": 250, "chats": 250, "complaint_mail": 150, "app_reviews": 350,
                "nps_survey": 300, "csat_survey": 150, "social": 200, "order_reviews": 150},
    "2026-10": {"calls": 262, "chats": 244, "complaint_mail": 156, "app_reviews": 362,
                "nps_survey": 291, "csat_survey": 147, "social": 206, "order_reviews": 158},
}
ZH_SHARE = {"calls": 0.85, "chats": 0.6, "complaint_mail": 0.5, "app_reviews": 0.5,
            "nps_survey": 1.0, "csat_survey": 0.0, "social": 0.5, "order_reviews": 0.6}
# How strongly each issue leans to each source (issue volume is split by size x affinity).
AFFINITY: dict[str, dict[str, float]] = {
    "delivery_delay": {"app_reviews": 0.6, "nps_survey": 1.2, "order_reviews": 2.0},
    "refund_delay": {"calls": 1.2, "chats": 1.2, "complaint_mail": 1.5, "app_reviews": 0.6},
    "hotline_unreachable": {"calls": 2.0, "chats": 2.0, "app_reviews": 0.8, "nps_survey": 0.8,
                            "csat_survey": 0.8, "order_reviews": 0.3},
    "app_login": {"calls": 0.5, "chats": 0.8, "complaint_mail": 0.5, "app_reviews": 3.0,
                  "nps_survey": 0.5, "csat_survey": 0.5, "order_reviews": 0.2},
    "double_charge": {"complaint_mail": 1.5, "nps_survey": 0.7, "csat_survey": 0.7},
    "damaged_item": {"calls": 0.8, "app_reviews": 0.3, "order_reviews": 2.5},
    "parcel_locker_code": {"complaint_mail": 0.8},
}
# Background records: (praise, neutral, suggestion) weights per source.
BACKGROUND_MIX = {"calls": (3, 6, 1), "chats": (2, 6, 2), "complaint_mail": (3, 5, 2),
                  "app_reviews": (6, 2, 2), "nps_survey": (6, 2, 2), "csat_survey": (6, 2, 2),
                  "social": (5, 3, 2), "order_reviews": (7, 2, 1)}
REPEATERS = {"2026-09": 25, "2026-10": 26}  # customers with repeated hotline contacts
REPEAT_THIRDS = {"2026-09": 10, "2026-10": 9}  # of them, how many contact a third time
APP_DUPLICATES = {"2026-09": 2, "2026-10": 3}  # review rows exported twice
EMAIL_RESENDS = {"2026-09": 4, "2026-10": 3}
SPAM_PLAN = {"2026-09": (DOUBLE_CHARGE, "zh", 6), "2026-10": (REFUND, "en", 7)}  # posts
PII_SHARE = 0.03
ACTIVE_CUSTOMERS = 2500  # regular records draw from these, so customers recur across channels
PII_KINDS = (("mobile", 0.3), ("landline", 0.1), ("email", 0.25), ("id_number", 0.15),
             ("bank_card", 0.2))
REJECTS: dict[str, tuple[RejectReason, ...]] = {
    "app_reviews": (RejectReason.EMPTY_TEXT, RejectReason.BAD_DATE, RejectReason.BAD_SCORE,
                    RejectReason.MALFORMED_ROW),
    "nps_survey": (RejectReason.BAD_SCORE, RejectReason.UNDECODABLE),
    "social": (RejectReason.MALFORMED_ROW,),
    "chats": (RejectReason.EMPTY_TEXT,),
}
_HOUR_WEIGHTS = (2, 5, 8, 9, 8, 6, 7, 8, 8, 7, 6, 6, 7, 6, 4)  # 08:00 … 22:00 local


@dataclass
class RecordPlan:
    """One record to generate. `when` is local time (Asia/Shanghai), naive."""

    batch: str
    source: str
    kind: str  # an issue id, or "praise" / "neutral" / "suggestion"
    lang: str  # "zh" | "en" (a zh record may become "mixed" when composed)
    when: datetime
    customer: str
    nth: int = 1  # 2 or 3 for a repeated hotline contact
    contrast: bool = False  # praise clause before the complaint ("菜很好吃，但是…")
    escalate: bool = False
    pii: str | None = None  # a key of PII_KINDS
    mix: bool = False  # try zh/en code-mixing
    reject: RejectReason | None = None
    copies: int = 0  # exact re-exports / re-sent e-mails / spam copies to add
    spam: bool = False
    version: str = ""

    @property
    def issue(self) -> str | None:
        return self.kind if self.kind in ISSUES else None


def month_days(batch: str) -> int:
    year, month = (int(part) for part in batch.split("-"))
    return calendar.monthrange(year, month)[1]


def random_time(rng: Random, batch: str) -> datetime:
    year, month = (int(part) for part in batch.split("-"))
    hour = rng.choices(range(8, 23), weights=_HOUR_WEIGHTS)[0]
    return datetime(year, month, rng.randint(1, month_days(batch)), hour, rng.randrange(60),
                    rng.randrange(60))


def _largest_remainder(total: int, weights: Mapping[str, float]) -> dict[str, int]:
    """Split `total` in proportion to weights, in whole numbers that add up exactly."""
    norm = sum(weights.values())
    raw = {key: total * w / norm for key, w in weights.items()}
    out = {key: int(value) for key, value in raw.items()}
    order = sorted(raw, key=lambda key: (out[key] - raw[key], key))
    for key in order[: total - sum(out.values())]:
        out[key] += 1
    return out


def allocate_issues(batch: str) -> dict[str, dict[str, int]]:
    """Records per source and issue: round(rate x batch size), split by size x affinity."""
    sizes = SIZES[batch]
    index = BATCHES.index(batch)
    total = sum(sizes.values())
    alloc: dict[str, dict[str, int]] = {source: {} for source in SOURCES}
    for issue, spec in ISSUES.items():
        count = round(spec.rates[index] * total)
        weights = {s: sizes[s] * AFFINITY.get(issue, {}).get(s, 1.0) for s in SOURCES}
        for source, n in _largest_remainder(count, weights).items():
            alloc[source][issue] = n
    return alloc


def _app_version(rng: Random, batch: str, kind: str) -> str:
    if batch == "2026-09":
        return rng.choices(("5.0.3", "5.1.0", "5.1.2"), weights=(2, 3, 5))[0]
    if kind == "app_login":  # the bad release
        return rng.choices(("5.2.0", "5.1.2"), weights=(85, 15))[0]
    return rng.choices(("5.0.3", "5.1.2", "5.2.0"), weights=(1, 4, 5))[0]


def _source_plans(rng: Random, batch: str, source: str, issues: dict[str, int],
                  customers: list[str]) -> list[RecordPlan]:
    n = SIZES[batch][source]
    kinds = [issue for issue, k in issues.items() for _ in range(k)]
    mix = dict(zip(("praise", "neutral", "suggestion"), BACKGROUND_MIX[source], strict=True))
    for kind, k in _largest_remainder(n - len(kinds), mix).items():
        kinds += [kind] * k
    rng.shuffle(kinds)
    n_zh = round(ZH_SHARE[source] * n)
    langs = ["zh"] * n_zh + ["en"] * (n - n_zh)
    rng.shuffle(langs)
    active = customers[:ACTIVE_CUSTOMERS]
    plans = [RecordPlan(batch, source, kind, lang, random_time(rng, batch), rng.choice(active))
             for kind, lang in zip(kinds, langs, strict=True)]
    for reason in REJECTS.get(source, ()):
        kind = rng.choice(("praise", "neutral"))
        lang = "zh" if rng.random() < ZH_SHARE[source] else "en"
        plans.append(RecordPlan(batch, source, kind, lang, random_time(rng, batch),
                                rng.choice(active), reject=reason))
    for plan in plans:
        plan.version = _app_version(rng, batch, plan.kind)
    return plans


def _plant_repeat_contacts(rng: Random, plans: dict[str, list[RecordPlan]], batch: str,
                           fresh: list[str]) -> None:
    """Group hotline records of calls + chats (+ a third contact) under one customer each."""
    hot = {s: [p for p in plans[s] if p.kind == HOTLINE]
           for s in ("calls", "chats", "app_reviews")}
    n = REPEATERS[batch]
    if len(hot["calls"]) < n or len(hot["chats"]) < n:
        raise ValueError(f"{batch}: too few hotline calls/chats for {n} repeat customers")
    groups = [[hot["calls"][i], hot["chats"][i]] for i in range(n)]
    spare = hot["app_reviews"] + hot["calls"][n:] + hot["chats"][n:]
    for group, third in zip(groups[: REPEAT_THIRDS[batch]], spare, strict=False):
        group.append(third)
    for group in groups:
        customer = fresh.pop()
        group.sort(key=lambda p: p.when)
        for nth, plan in enumerate(group, start=1):
            plan.customer, plan.lang, plan.nth = customer, group[0].lang, nth


def _unique_hotline_customers(plans: dict[str, list[RecordPlan]], fresh: list[str]) -> None:
    """Every other hotline record in the shared id space gets a customer of its own."""
    for source in SOURCES:
        if source not in ID_SOURCES:
            continue
        for plan in plans[source]:
            if plan.kind == HOTLINE and plan.nth == 1 and plan.reject is None:
                plan.customer = fresh.pop()


def _flags(rng: Random, plans: dict[str, list[RecordPlan]]) -> None:
    for source in SOURCES:
        doubles = [p for p in plans[source] if p.kind == DOUBLE_CHARGE]
        for plan in rng.sample(doubles, round(len(doubles) / 3)):
            plan.escalate = True
        for plan in plans[source]:
            if plan.reject is not None:
                continue
            if plan.issue and not plan.escalate and plan.nth == 1 and rng.random() < 0.2:
                plan.contrast = True
            if plan.lang == "zh" and source != "nps_survey":
                plan.mix = rng.random() < (0.25 if plan.issue else 0.1)


def _plant_duplicates(rng: Random, plans: dict[str, list[RecordPlan]], batch: str) -> None:
    def free(p: RecordPlan) -> bool:
        return p.reject is None and p.kind != HOTLINE and not p.copies and p.pii is None

    background = [p for p in plans["app_reviews"] if free(p) and not p.issue]
    for plan in rng.sample(background, APP_DUPLICATES[batch]):
        plan.copies = 1
    mails = [p for p in plans["complaint_mail"] if free(p) and p.issue]
    for plan in rng.sample(mails, EMAIL_RESENDS[batch]):
        plan.copies = 1
    issue, lang, posts = SPAM_PLAN[batch]
    social = [p for p in plans["social"] if free(p) and p.kind == issue]
    spam = next((p for p in social if p.lang == lang), social[0])
    spam.lang, spam.spam, spam.copies, spam.contrast, spam.mix = lang, True, posts - 1, False, False
    spam.when = spam.when.replace(day=rng.randint(5, 20))  # leave the copies days to spread


def _pii_fits(kind: str, plan: RecordPlan) -> bool:
    """Chinese ID numbers come from Chinese speakers; card numbers from payment complaints."""
    if kind == "id_number":
        return plan.lang == "zh"
    if kind == "bank_card":
        return plan.kind in (REFUND, DOUBLE_CHARGE)
    return True


def _plant_pii(rng: Random, plans: dict[str, list[RecordPlan]]) -> None:
    regular = [p for s in SOURCES for p in plans[s] if p.reject is None]
    # Customers give contact details when they want something done: complaints and questions.
    eligible = [p for p in regular if not p.copies and not p.spam and p.kind != "praise"
                and p.kind != "suggestion"]
    total = round(PII_SHARE * len(regular))
    counts = _largest_remainder(total, dict(PII_KINDS))
    for kind, _ in PII_KINDS:
        pool = [p for p in eligible if p.pii is None and _pii_fits(kind, p)]
        for plan in rng.sample(pool, counts[kind]):
            plan.pii = kind


def plan_batch(batch: str, seed: int, customers: list[str]) -> dict[str, list[RecordPlan]]:
    """Every record of one batch, per source, sorted by time."""
    rng = Random(f"{seed}:{batch}:plan")
    alloc = allocate_issues(batch)
    plans = {source: _source_plans(rng, batch, source, alloc[source], customers)
             for source in SOURCES}
    # Hotline records take customers unused elsewhere this batch, so the only customers with
    # repeated hotline contacts are the planted ones. Repeat groups are planted last.
    used = {p.customer for s in SOURCES for p in plans[s]}
    fresh = [c for c in customers if c not in used]
    rng.shuffle(fresh)
    _unique_hotline_customers(plans, fresh)
    _plant_repeat_contacts(rng, plans, batch, fresh)
    _flags(rng, plans)
    _plant_duplicates(rng, plans, batch)
    _plant_pii(rng, plans)
    for source in SOURCES:
        plans[source].sort(key=lambda p: p.when)
    return plans
