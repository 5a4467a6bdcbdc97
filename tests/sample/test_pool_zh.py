"""voc.sample.pool_zh: rich, well-formed Chinese pools that GBK can carry."""

from __future__ import annotations

import string
from collections.abc import Iterator

from voc.sample import pool_zh
from voc.sample.compose import SLOT_NAMES

REPLY_SLOTS = {"name", "ticket", "topic", "days", "staff"}


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, tuple):
        for item in value:
            yield from _strings(item)


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_pool_zh_issue_pools_are_rich_and_varied() -> None:
    for issue, core in pool_zh.ISSUE_CORE.items():
        assert len(core) >= 20 and len(set(core)) == len(core), issue
        assert len(set(pool_zh.ISSUE_DETAIL[issue])) >= 10, issue
        assert len(pool_zh.ISSUE_TITLE[issue]) >= 5, issue
    for pool in (pool_zh.PRAISE, pool_zh.NEUTRAL_QUESTION, pool_zh.CLOSER):
        assert len(pool) >= 20 and len(set(pool)) == len(pool)


def test_pool_zh_templates_use_known_slots() -> None:
    for name in dir(pool_zh):
        if not name.isupper() or name in ("PII", "EMAIL_REPLY"):
            continue
        for text in _strings(getattr(pool_zh, name)):
            assert _fields(text) <= SLOT_NAMES, (name, text)
    assert all(_fields(t) == {"value"} for t in _strings(pool_zh.PII))
    assert all(_fields(t) <= REPLY_SLOTS for t in pool_zh.EMAIL_REPLY)


def test_pool_zh_is_gbk_encodable() -> None:
    # the NPS export is GBK: every Chinese sentence must survive the encoding
    for name in dir(pool_zh):
        if name.isupper() and name not in ("SPAM", "SPAM_EDITS"):
            for text in _strings(getattr(pool_zh, name)):
                text.encode("gbk")


def test_pool_zh_spam_edits_apply() -> None:
    assert all(old in pool_zh.SPAM for old, _ in pool_zh.SPAM_EDITS)
    assert len(pool_zh.SPAM) > 150
