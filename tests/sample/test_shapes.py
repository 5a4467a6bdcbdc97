"""voc.sample.shapes: each source's shape, and the customer's words taken from it."""

from __future__ import annotations

import re
from datetime import datetime
from random import Random

from voc.records import RejectReason
from voc.sample.batchplan import RecordPlan
from voc.sample.compose import compose
from voc.sample.shapes import (
    build_app_review,
    build_call,
    build_chat,
    build_email,
    email_html,
    twitter_time,
    utc,
)

WHEN = datetime(2026, 9, 3, 14, 5)


def _plan(kind: str, lang: str, source: str, **flags) -> RecordPlan:
    return RecordPlan("2026-09", source, kind, lang, WHEN, "C654321", version="5.1.2", **flags)


def test_shapes_times() -> None:
    assert utc(WHEN) == datetime(2026, 9, 3, 6, 5)
    assert twitter_time(WHEN) == "Thu Sep 03 06:05:00 +0000 2026"


def test_shapes_call_text_is_the_customer_turns() -> None:
    rng = Random(1)
    plan = _plan("refund_delay", "zh", "calls")
    built = build_call(rng, plan, compose(rng, plan), "CALL-1")
    turns = built.row["turns"]
    assert turns[0]["speaker"] == "坐席" and {t["speaker"] for t in turns} == {"坐席", "客户"}
    said = [t["text"] for t in turns if t["speaker"] == "客户"]
    assert built.text == "\n".join(said)
    assert built.row["start_time"] == "2026-09-03T14:05:00+08:00"


def test_shapes_empty_chat_has_no_customer_turn() -> None:
    rng = Random(2)
    plan = _plan("praise", "en", "chats", reject=RejectReason.EMPTY_TEXT)
    built = build_chat(rng, plan, compose(rng, plan), "S1")
    assert built.text == ""
    assert {m["role"] for m in built.row["messages"]} <= {"bot", "agent"}
    assert built.row["created_at"] == "2026-09-03T06:05:00Z"


def test_shapes_email_text_is_subject_and_new_words() -> None:
    rng = Random(3)
    for _ in range(20):
        plan = _plan("delivery_delay", "en", "complaint_mail")
        built = build_email(rng, plan, compose(rng, plan), "id@mail.example.com")
        subject, new_words = built.text.split("\n\n", 1)
        assert subject == built.row["subject"]
        assert built.row["body"].startswith(new_words)
        history = built.row["body"][len(new_words):]
        assert history.startswith("\n\n")
        assert re.search(r"^(Best regards|Thanks|Kind regards|Cheers|Regards),$|^Sent from",
                         history, re.M)


def test_shapes_email_html_puts_quotes_in_blockquote() -> None:
    page = email_html("Hi,\nstill waiting <3\n\nOn Mon wrote:\n> we are on it\n> team")
    assert "<p>Hi,<br>still waiting &lt;3</p>" in page
    assert "<p>On Mon wrote:</p><blockquote>we are on it<br>team</blockquote>" in page


def test_shapes_app_review_rejects() -> None:
    rng = Random(4)
    rows = {}
    for reason in RejectReason.EMPTY_TEXT, RejectReason.BAD_DATE, RejectReason.BAD_SCORE, \
            RejectReason.MALFORMED_ROW:
        plan = _plan("praise", "en", "app_reviews", reject=reason)
        rows[reason] = build_app_review(rng, plan, compose(rng, plan), "AR1").row
    assert rows[RejectReason.EMPTY_TEXT][4:6] == ["", ""]
    assert rows[RejectReason.BAD_DATE][1] == "not a date"
    assert rows[RejectReason.BAD_SCORE][3] == "9"
    assert len(rows[RejectReason.MALFORMED_ROW]) == 9
