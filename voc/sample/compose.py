"""Compose a customer's words for one planned record from the phrase pools.

A text is a few sentences: for an issue, an optional repeat marker, the core complaint (with a
praise clause in front for mixed remarks), details, an escalation threat, a closing demand;
for background records, praise, questions, remarks or suggestions. Slots ({product}, {order},
{amount}, …) are filled per record, so texts about one issue share a topic but not wording.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from random import Random

from voc.sample import fakes
from voc.sample.batchplan import RecordPlan
from voc.sample.world import CITIES, CODE_MIX, LOCKERS, PRODUCTS, pools

# Detail sentences per complaint, by how much room a channel gives.
DETAILS = {"long": (1, 1, 2), "medium": (0, 1, 1, 2), "short": (0, 0, 1)}
CLOSER_P = {"long": 0.6, "medium": 0.5, "short": 0.3}
SOURCE_STYLE = {"calls": "long", "complaint_mail": "long", "chats": "medium",
                "app_reviews": "medium", "nps_survey": "short", "csat_survey": "short",
                "social": "short", "order_reviews": "short"}
CONVERSATIONAL = frozenset({"calls", "chats", "complaint_mail", "social"})
_EN_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_ZH_NTH = {1: "一", 2: "二", 3: "三"}
_ZH_TIMES = {1: "一", 2: "两", 3: "三"}
_EN_NTH = {1: "first", 2: "second", 3: "third"}
_EN_TIMES = {1: "once", 2: "twice", 3: "three times"}
_MARK = "\x00"  # brackets swapped-in English words until spacing is settled
_MINUTES = (20, 25, 30, 35, 40, 45, 50, 55, 60, 70, 80, 90)


@dataclass
class Composed:
    """A customer's sentences (zh ones not yet punctuated) and what went into them."""

    sentences: list[str]
    lang: str  # "zh" | "en" | "mixed"
    slots: Slots
    pii_value: str | None = None


def polarity(plan: RecordPlan) -> float:
    """Planted sentiment of a record, -1 … 1."""
    if plan.issue:
        return -1.0 if plan.escalate else (-0.5 if plan.contrast else -0.9)
    return {"praise": 1.0, "neutral": 0.0, "suggestion": 0.3}[plan.kind]


def score(rng: Random, plan: RecordPlan, scale: str) -> int:
    """A score that follows the content: NPS 0-10, or stars / CSAT 1-5."""
    p = polarity(plan)
    if scale == "nps":
        if p <= -0.9:
            return rng.choices(range(8), weights=(9, 6, 7, 7, 6, 5, 4, 3))[0]
        if p < 0:
            return rng.randint(3, 7)
        if p == 0:
            return rng.randint(6, 8)
        return rng.randint(7, 9) if p < 1 else rng.choices((8, 9, 10), weights=(2, 5, 8))[0]
    if p <= -0.9:
        return rng.choices((1, 2, 3), weights=(6, 3, 1))[0]
    if p < 0:
        return rng.choices((1, 2, 3), weights=(1, 4, 3))[0]
    if p == 0:
        return rng.choice((3, 3, 4))
    return rng.choice((3, 4, 4, 5)) if p < 1 else rng.choices((4, 5), weights=(3, 7))[0]


SLOT_NAMES = frozenset({
    "product", "a_product", "city", "order", "tracking", "days", "weeks", "minutes", "hours",
    "queue", "n", "amount", "date", "version", "locker", "nth", "times", "nth_cap", "n_times",
    "agent", "staff",
})


class Slots(dict[str, str]):
    """Slot values of one record, drawn the first time a sentence asks for them (most slots
    are never used, and drawing order numbers for every record would cost half the run)."""

    def __init__(self, rng: Random, plan: RecordPlan) -> None:
        super().__init__()
        self.rng, self.plan = rng, plan
        self._day: datetime | None = None  # the order date that {order} and {date} share

    def __missing__(self, key: str) -> str:
        value = self[key] = self._draw(key)
        return value

    def _order_day(self) -> datetime:
        if self._day is None:
            self._day = self.plan.when - timedelta(days=self.rng.randint(2, 12))
        return self._day

    def _draw(self, key: str) -> str:
        rng, plan, lang = self.rng, self.plan, self.plan.lang
        zh = lang == "zh"
        if key == "a_product":
            product = self["product"]
            return ("an " if product[0] in "aeiou" else "a ") + product
        if key == "order":
            return fakes.order_number(rng, self._order_day())
        if key == "date":
            day = self._order_day()
            return f"{day.month}月{day.day}日" if zh else f"{_EN_MONTHS[day.month - 1]} {day.day}"
        draws: dict[str, Callable[[], str]] = {
            "product": lambda: rng.choice(PRODUCTS[lang]),
            "city": lambda: rng.choice(CITIES[lang]),
            "tracking": lambda: fakes.tracking_number(rng),
            "days": lambda: str(rng.randint(3, 15)),
            "weeks": lambda: str(rng.randint(2, 5)),
            "minutes": lambda: str(rng.choice(_MINUTES)),
            "hours": lambda: str(rng.randint(2, 6)),
            "queue": lambda: str(rng.randint(15, 120)),
            "n": lambda: str(rng.randint(3, 9)),
            "amount": lambda: fakes.amount(rng, lang),
            "version": lambda: plan.version,
            "locker": lambda: rng.choice(LOCKERS[lang]),
            "nth": lambda: _ZH_NTH[plan.nth] if zh else _EN_NTH[plan.nth],
            "times": lambda: _ZH_TIMES[plan.nth],
            "nth_cap": lambda: _EN_NTH[plan.nth].capitalize(),
            "n_times": lambda: _EN_TIMES[plan.nth],
            "agent": lambda: str(rng.randint(1000, 9999)),
            "staff": lambda: rng.choice(pools(lang).STAFF),
        }
        return draws[key]()


def _contrast(prefix: str, core: str, lang: str) -> str:
    if lang == "zh" or core.startswith(("I ", "I'")):
        return prefix + core
    return prefix + core[0].lower() + core[1:]


def _issue_sentences(rng: Random, plan: RecordPlan, slots: dict[str, str], style: str,
                     extra: int) -> list[str]:
    lang_pools, issue = pools(plan.lang), str(plan.issue)
    core = rng.choice(lang_pools.ISSUE_CORE[issue]).format_map(slots)
    if plan.contrast:
        core = _contrast(rng.choice(lang_pools.CONTRAST), core, plan.lang)
    sentences = [rng.choice(lang_pools.REPEAT).format_map(slots)] if plan.nth > 1 else []
    sentences.append(core)
    details = lang_pools.ISSUE_DETAIL[issue]
    count = min(rng.choice(DETAILS[style]) + extra, len(details))
    sentences += [d.format_map(slots) for d in rng.sample(details, count)]
    if plan.escalate:
        sentences.append(rng.choice(lang_pools.ESCALATION))
    if extra or rng.random() < CLOSER_P[style]:
        sentences.append(rng.choice(lang_pools.CLOSER))
    return sentences


def _background_sentences(rng: Random, plan: RecordPlan, slots: dict[str, str], style: str,
                          extra: int) -> list[str]:
    lang_pools = pools(plan.lang)
    if plan.kind == "praise":
        if style == "short" and not extra and rng.random() < 0.35:
            return [rng.choice(lang_pools.PRAISE_SHORT)]
        count = rng.choice((1, 2)) + (style == "long") + extra
        return [s.format_map(slots) for s in rng.sample(lang_pools.PRAISE, count)]
    if plan.kind == "neutral" and plan.source in CONVERSATIONAL:
        context = rng.sample(lang_pools.NEUTRAL_CONTEXT, min(rng.choice((0, 1, 1)) + extra, 4))
        first = rng.choice(lang_pools.NEUTRAL_QUESTION)
        return [s.format_map(slots) for s in [first, *context]]
    main = lang_pools.NEUTRAL_REMARK if plan.kind == "neutral" else lang_pools.SUGGESTION
    sentences = [rng.choice(main)]
    if extra or rng.random() < 0.4:
        more = lang_pools.SUGGESTION if plan.kind == "neutral" else lang_pools.PRAISE
        sentences += rng.sample(more, 1 + extra)
    return [s.format_map(slots) for s in sentences]


def pii_value(rng: Random, kind: str, lang: str) -> str:
    if kind == "mobile":
        return fakes.mobile(rng, lang)
    if kind == "landline":
        return fakes.landline(rng)
    if kind == "email":
        return fakes.person(rng, lang)[1]
    if kind == "id_number":
        return fakes.resident_id(rng)
    return fakes.bank_card(rng, lang)


def code_mix(sentences: list[str]) -> tuple[list[str], int]:
    """Swap common words for their English form; return the sentences and how many kinds."""
    used = 0
    out = list(sentences)
    for zh_word, en_word in CODE_MIX:
        if any(zh_word in s for s in out):
            out = [s.replace(zh_word, _MARK + en_word + _MARK) for s in out]
            used += 1
    # Two English words that end up side by side need a space; next to Chinese, none.
    return [s.replace(_MARK * 2, " ").replace(_MARK, "") for s in out], used


def compose(rng: Random, plan: RecordPlan, extra: int = 0) -> Composed:
    """The customer's sentences for a plan; `extra` adds sentences when earlier tries clashed."""
    style = SOURCE_STYLE[plan.source]
    slots = Slots(rng, plan)
    if plan.issue:
        sentences = _issue_sentences(rng, plan, slots, style, extra)
    else:
        sentences = _background_sentences(rng, plan, slots, style, extra)
    value = None
    if plan.pii:
        value = pii_value(rng, plan.pii, plan.lang)
        sentences.append(rng.choice(pools(plan.lang).PII[plan.pii]).format(value=value))
    lang = plan.lang
    if plan.mix:
        mixed, kinds = code_mix(sentences)
        if kinds >= 2:
            sentences, lang = mixed, "mixed"
    return Composed(sentences, lang, slots, value)


def join(rng: Random, sentences: list[str], lang: str) -> str:
    """Sentences as one passage: zh gets its punctuation here, en keeps its own."""
    if lang == "en":
        return " ".join(sentences)
    parts = []
    for i, sentence in enumerate(sentences):
        if sentence[-1] in "。！？?!.":
            parts.append(sentence)
        elif i == len(sentences) - 1:
            parts.append(sentence + rng.choice(("。", "。", "！", "")))
        else:
            parts.append(sentence + rng.choice(("，", "。", "。", "！")))
    return "".join(parts)


def title(rng: Random, plan: RecordPlan) -> str:
    """A review title or e-mail subject matching the record's content."""
    lang_pools = pools(plan.lang)
    if plan.issue:
        return rng.choice(lang_pools.ISSUE_TITLE[plan.issue])
    return rng.choice(lang_pools.PRAISE_TITLE if plan.kind == "praise"
                      else lang_pools.NEUTRAL_TITLE)
