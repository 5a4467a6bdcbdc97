"""Planted duplicates: rows exported twice, re-sent e-mails and copy-paste spam.

Each copy is a new SampleRecord whose duplicate_of names the original's record id. Copies are
placed where a real export would have them: a re-exported review row a little further down,
a re-sent e-mail and spam posts at their later times.
"""

from __future__ import annotations

import copy
from datetime import datetime, timedelta
from random import Random

from voc.sample import fakes
from voc.sample.batchplan import month_days
from voc.sample.bundle import SampleRecord
from voc.sample.shapes import Built, social_post_id, social_row
from voc.sample.world import pools


def _later(rng: Random, when: datetime, batch: str, max_hours: int) -> datetime:
    """A time up to max_hours after `when`, still inside the batch's month."""
    last = when.replace(day=month_days(batch), hour=22, minute=59, second=59)
    room = int((last - when).total_seconds() // 60)
    return when + timedelta(minutes=rng.randint(min(10, room), min(max_hours * 60, room)))


def _by_time(records: list[SampleRecord]) -> list[SampleRecord]:
    return sorted(records, key=lambda r: r.when)


def app_review_copies(rng: Random, records: list[SampleRecord]) -> list[SampleRecord]:
    """The same review row exported twice (same review_id), some rows further down."""
    out = list(records)
    for record in [r for r in records if r.plan.copies]:
        twin = SampleRecord(record.plan, record.record_id, copy.deepcopy(record.built),
                            record.when, duplicate_of=record.record_id)
        at = min(out.index(record) + rng.randint(3, 40), len(out))
        out.insert(at, twin)
    return out


def email_resends(rng: Random, records: list[SampleRecord]) -> list[SampleRecord]:
    """The same e-mail sent again: same body, new Message-ID and Date."""
    out = list(records)
    for record in [r for r in records if r.plan.copies]:
        when = _later(rng, record.when, record.batch, 48)
        row = dict(record.built.row)
        row["message_id"] = f"{when:%Y%m%d%H%M%S}.{fakes.token(rng, 10)}@mail.example.com"
        row["date"] = row["date"] + (when - record.when)
        built = Built(row, record.built.text, record.built.guard_text, record.built.lang)
        out.append(SampleRecord(record.plan, row["message_id"], built, when,
                                duplicate_of=record.record_id))
    return _by_time(out)


def spam_variant(rng: Random, text: str, lang: str, k: int) -> str:
    """Copy k of a spam post: exact, or with one or two small punctuation/emoji/word edits."""
    if k % 3 == 0:
        return text
    edits = pools(lang).SPAM_EDITS
    for old, new in rng.sample(edits, 1 if k % 3 == 1 else 2):
        text = text.replace(old, new, 1)
    return text


def spam_copies(rng: Random, records: list[SampleRecord]) -> list[SampleRecord]:
    """Several accounts posting the original spam text, exactly or slightly edited."""
    out = list(records)
    for record in [r for r in records if r.plan.spam]:
        plan = record.plan
        for k in range(plan.copies):
            when = _later(rng, record.when, record.batch, 72)
            content = spam_variant(rng, record.built.row["content"], plan.lang, k)
            post_id = social_post_id(rng, plan, when)
            author = fakes.twitter_handle(rng) if plan.lang == "en" else fakes.weibo_nick(rng)
            row = social_row(plan, post_id, author, content, rng.randint(0, 40), when)
            built = Built(row, content, content, record.built.lang)
            out.append(SampleRecord(plan, post_id, built, when, duplicate_of=record.record_id))
    return _by_time(out)


DUPLICATORS = {"app_reviews": app_review_copies, "complaint_mail": email_resends,
               "social": spam_copies}
