"""voc.sample.pool_en: rich, well-formed English pools."""

from __future__ import annotations

import re
import string
from collections.abc import Iterator

from voc.sample import pool_en
from voc.sample.compose import SLOT_NAMES


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


def test_pool_en_issue_pools_are_rich_and_varied() -> None:
    for issue, core in pool_en.ISSUE_CORE.items():
        assert len(core) >= 20 and len(set(core)) == len(core), issue
        assert len(set(pool_en.ISSUE_DETAIL[issue])) >= 10, issue
    for pool in (pool_en.PRAISE, pool_en.NEUTRAL_QUESTION, pool_en.CLOSER):
        assert len(pool) >= 20 and len(set(pool)) == len(pool)


def test_pool_en_templates_use_known_slots_and_articles() -> None:
    for name in dir(pool_en):
        if not name.isupper() or name in ("PII", "EMAIL_REPLY"):
            continue
        for text in _strings(getattr(pool_en, name)):
            assert _fields(text) <= SLOT_NAMES, (name, text)
            # "a {product}" would read "a espresso machine": {a_product} picks the article
            assert not re.search(r"\b[Aa]n? \{product\}", text), text


def test_pool_en_sentences_are_punctuated() -> None:
    for pool in (pool_en.PRAISE, pool_en.CLOSER, pool_en.ESCALATION, pool_en.REPEAT,
                 *pool_en.ISSUE_CORE.values(), *pool_en.ISSUE_DETAIL.values()):
        assert all(s[-1] in ".?!" for s in pool), pool


def test_pool_en_contrast_prefixes_lead_into_a_clause() -> None:
    assert all(p.endswith(("but ", "however ")) for p in pool_en.CONTRAST)
