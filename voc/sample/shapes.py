"""Give composed words the shape of each source: call turns, chat messages, an e-mail with
quoted history and signature, a review row, a survey row, a social post.

Each builder returns a Built: the row as the writer serialises it, and the customer's words as
voc should read them from that row (the text the ground truth and distinctness refer to).
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from itertools import groupby
from random import Random
from typing import Any

from voc.records import RejectReason
from voc.sample import fakes
from voc.sample.batchplan import RecordPlan
from voc.sample.compose import Composed, join, score, title
from voc.sample.world import BRAND_EN, BRAND_ZH, REGIONS, pools

CST = timezone(timedelta(hours=8))
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_ZH_WEEKDAYS = "一二三四五六日"
_TWITTER_EPOCH_MS = 1288834974657


@dataclass
class Built:
    row: Any
    text: str  # the customer's words as voc should read them
    guard_text: str  # what distinctness is checked on (simplified script)
    lang: str
    score: int | None = None


def utc(when: datetime) -> datetime:
    """Local (UTC+8) naive time → naive UTC."""
    return when - timedelta(hours=8)


def twitter_time(when: datetime) -> str:
    t = utc(when)
    return f"{_DAYS[t.weekday()]} {_MONTHS[t.month - 1]} {t:%d %H:%M:%S} +0000 {t.year}"


def _lines(rng: Random, sentences: list[str], lang: str, per: tuple[int, ...]) -> list[str]:
    """Split sentences into consecutive groups (turns, messages, paragraphs)."""
    groups, i = [], 0
    while i < len(sentences):
        n = rng.choice(per)
        groups.append(join(rng, sentences[i : i + n], lang))
        i += n
    return groups


# --- conversations -----------------------------------------------------------------------------
def build_call(rng: Random, plan: RecordPlan, c: Composed, record_id: str) -> Built:
    """A call: agent greeting, the customer's problem, a question, details, a promise, bye."""
    p = pools(plan.lang)
    agent, customer = ("坐席", "客户") if plan.lang == "zh" else ("agent", "customer")
    opener = rng.choice(p.CALL_PRAISE_OPENER if plan.kind == "praise" else p.CALL_OPENER)
    first = 1 if len(c.sentences) <= 2 else 2
    said = [opener + join(rng, c.sentences[:first], c.lang)]
    turns = [(agent, rng.choice(p.AGENT_GREETING).format_map(c.slots)), (customer, said[0])]
    if c.sentences[first:]:
        said.append(join(rng, c.sentences[first:], c.lang))
        asks = p.AGENT_ASK if plan.issue else p.AGENT_LISTEN
        turns += [(agent, rng.choice(asks)), (customer, said[-1])]
    turns.append((agent, _agent_reply(rng, plan)))
    said.append(rng.choice(p.CUSTOMER_ACK))
    turns += [(customer, said[-1]), (agent, rng.choice(p.AGENT_CLOSING))]
    venting = rng.randint(60, 300) if plan.issue else 0  # complaints take longer
    row = {
        "call_id": record_id,
        "start_time": f"{plan.when:%Y-%m-%dT%H:%M:%S}+08:00",
        "customer_id": plan.customer,
        "agent_id": f"A{rng.randint(1001, 1040)}",
        "duration_sec": 35 * len(turns) + rng.randint(0, 180) + venting,
        "turns": [{"speaker": s, "text": t} for s, t in turns],
    }
    text = "\n".join(said)
    return Built(row, text, text, c.lang)


def _agent_reply(rng: Random, plan: RecordPlan) -> str:
    p = pools(plan.lang)
    if plan.issue:
        return rng.choice(p.AGENT_APOLOGY) + (" " if plan.lang == "en" else "") + rng.choice(
            p.AGENT_PROMISE[plan.issue])
    return rng.choice(p.AGENT_BACKGROUND[plan.kind])


def build_chat(rng: Random, plan: RecordPlan, c: Composed, record_id: str) -> Built:
    """A chat: bot greeting, hand-over to an agent, the customer's messages, the agent's reply."""
    p = pools(plan.lang)
    messages = [("bot", rng.choice(p.BOT_GREETING))]
    if plan.reject == RejectReason.EMPTY_TEXT:  # the customer opened a chat and left
        messages += [("agent", rng.choice(p.AGENT_GREETING).format_map(c.slots)),
                     ("bot", p.BOT_IDLE[0]), ("bot", p.BOT_IDLE[1])]
        return _chat_row(plan, record_id, messages, [], c.lang)
    said = _lines(rng, c.sentences, c.lang, (1, 1, 2))
    if rng.random() < 0.35:
        said.insert(0, rng.choice(p.CHAT_HUMAN))
    messages += [("user", said[0]), ("bot", rng.choice(p.BOT_TRANSFER)),
                 ("agent", rng.choice(p.AGENT_GREETING).format_map(c.slots))]
    messages += [("user", line) for line in said[1:]]
    messages.append(("agent", _agent_reply(rng, plan)))
    if rng.random() < 0.5:
        said.append(rng.choice(p.CUSTOMER_ACK))
        messages.append(("user", said[-1]))
    return _chat_row(plan, record_id, messages, said, c.lang)


def _chat_row(plan: RecordPlan, record_id: str, messages: list[tuple[str, str]],
              said: list[str], lang: str) -> Built:
    row = {"session_id": record_id, "created_at": f"{utc(plan.when):%Y-%m-%dT%H:%M:%S}Z",
           "user_id": plan.customer,
           "messages": [{"role": role, "content": text} for role, text in messages]}
    text = "\n".join(said)
    return Built(row, text, text, lang)


# --- e-mail --------------------------------------------------------------------------------------
def build_email(rng: Random, plan: RecordPlan, c: Composed, record_id: str) -> Built:
    """A dict the mbox writer turns into a MIME message (see serialise.write_mbox)."""
    p = pools(plan.lang)
    name, address = fakes.person(rng, plan.lang)
    zh = plan.lang == "zh"
    greeting = rng.choice(p.EMAIL_GREETING)
    paragraphs = _lines(rng, c.sentences, c.lang, (1, 2, 2, 3))
    new_text = greeting + "\n" + "\n\n".join(paragraphs)
    subject = title(rng, plan)
    quote = ""
    if rng.random() < (0.65 if plan.issue else 0.2):
        quote = _quoted_reply(rng, plan, name, subject)
        subject = p.REPLY_PREFIX + subject
    body = new_text + "\n\n" + _signature(rng, plan, name) + ("\n\n" + quote if quote else "")
    sent = plan.when.replace(tzinfo=CST)
    if not zh and rng.random() < 0.5:
        sent = sent.astimezone(UTC)
    row = {"message_id": record_id, "date": sent, "from_name": name, "from_addr": address,
           "subject": subject, "body": body, "html": rng.random() < 0.2,
           "charset": "gbk" if zh and rng.random() < 0.25 else "utf-8",
           "quoted_printable": rng.random() < 0.5}
    text = subject + "\n\n" + new_text  # voc reads an e-mail as its subject and new words
    return Built(row, text, text, c.lang)


def email_message_id(rng: Random, plan: RecordPlan) -> str:
    return f"{plan.when:%Y%m%d%H%M%S}.{fakes.token(rng, 10)}@mail.example.com"


def _signature(rng: Random, plan: RecordPlan, name: str) -> str:
    p = pools(plan.lang)
    style = rng.randrange(3)
    if style == 0:
        return rng.choice(p.EMAIL_SENT_FROM)
    sign = rng.choice(p.EMAIL_SIGNOFF) + "\n" + name
    return sign + ("\n\n" + rng.choice(p.EMAIL_SENT_FROM) if style == 2 else "")


def _quoted_reply(rng: Random, plan: RecordPlan, name: str, subject: str) -> str:
    p = pools(plan.lang)
    zh = plan.lang == "zh"
    slots = {"name": name, "ticket": fakes.ticket_number(rng), "topic": p.TOPIC[plan.issue or ""],
             "days": str(rng.randint(2, 5)), "staff": rng.choice(p.STAFF)}
    reply = rng.choice(p.EMAIL_REPLY).format_map(slots)
    before = (plan.when - timedelta(days=rng.randint(1, 6))).replace(
        hour=rng.randint(9, 19), minute=rng.randrange(60))
    quoted = "\n".join("> " + line for line in reply.split("\n"))
    if not zh:
        hour = before.hour % 12 or 12
        when = (f"{_DAYS[before.weekday()]}, {_MONTHS[before.month - 1]} {before.day}, "
                f"{before.year} at {hour}:{before:%M} {'AM' if before.hour < 12 else 'PM'}")
        return f"On {when} {BRAND_EN} Support wrote:\n{quoted}"
    if rng.random() < 0.5:
        return (f"在 {before.year}年{before.month}月{before.day}日 {before:%H:%M}，"
                f"{BRAND_ZH}客服中心 写道：\n{quoted}")
    return ("------------------ 原始邮件 ------------------\n"
            f"发件人: \"{BRAND_ZH}客服\"\n"
            f"发送时间: {before.year}年{before.month}月{before.day}日"
            f"(星期{_ZH_WEEKDAYS[before.weekday()]}) {before:%H:%M}\n"
            f"收件人: \"{name}\"\n主题: {subject}\n\n{reply}")


def email_html(body: str) -> str:
    """The plain body as an HTML-only message would carry it: paragraphs and a blockquote."""
    out = []
    for block in body.split("\n\n"):
        for quoted, run in groupby(block.split("\n"), key=lambda line: line.startswith(">")):
            if quoted:
                inner = "<br>".join(html.escape(line[1:].strip()) for line in run)
                out.append(f"<blockquote>{inner}</blockquote>")
            else:
                out.append("<p>" + "<br>".join(html.escape(line) for line in run) + "</p>")
    return "<html><body>" + "".join(out) + "</body></html>"


# --- tabular sources -----------------------------------------------------------------------------
def build_app_review(rng: Random, plan: RecordPlan, c: Composed, record_id: str) -> Built:
    """A CSV row; planted rejects get an empty text, a bad date, stars 9 or an extra field."""
    head = title(rng, plan)
    per = (1, 2) if rng.random() < 0.2 else (99,)
    body = "\n".join(_lines(rng, c.sentences, c.lang, per))
    stars: int | str = score(rng, plan, "stars")
    created = f"{plan.when:%Y-%m-%d %H:%M:%S}"
    reason = plan.reject
    if reason == RejectReason.EMPTY_TEXT:
        head = body = ""
    elif reason == RejectReason.BAD_DATE:
        created = "not a date"
    elif reason == RejectReason.BAD_SCORE:
        stars = 9
    row = [record_id, created, plan.customer, str(stars), head, body, plan.version,
           rng.choice(("iOS", "Android"))]
    if reason == RejectReason.MALFORMED_ROW:
        row.append("N/A")  # one field too many: a broken export
    text = "\n\n".join(part for part in (head.strip(), body.strip()) if part)
    return Built(row, text, text, c.lang, int(stars))


def build_nps(rng: Random, plan: RecordPlan, c: Composed, record_id: str) -> Built:
    """An NPS row (0-10, or the planted 11); the writer breaks the undecodable one."""
    comment = join(rng, c.sentences, c.lang)
    nps = 11 if plan.reject == RejectReason.BAD_SCORE else score(rng, plan, "nps")
    when = plan.when
    row = [record_id, f"{when.year}/{when.month}/{when.day} {when:%H:%M}", plan.customer,
           str(nps), comment, c.slots["city"]]
    return Built(row, comment, comment, c.lang, nps)


def build_csat(rng: Random, plan: RecordPlan, c: Composed, record_id: str) -> Built:
    """A CSAT row: the time stays a datetime, so the sheet holds real Excel dates."""
    comment = join(rng, c.sentences, c.lang)
    csat = score(rng, plan, "csat")
    row = [record_id, plan.when, plan.customer, csat, comment, rng.choice(REGIONS)]
    return Built(row, comment, comment, c.lang, csat)


def build_order_review(rng: Random, plan: RecordPlan, c: Composed, record_id: str) -> Built:
    """An order review; order_id is the order number a redactor must leave alone."""
    review = join(rng, c.sentences, c.lang)
    rating = score(rng, plan, "stars")
    row = {"review_id": record_id, "order_id": c.slots["order"], "reviewed_at": plan.when,
           "buyer_id": plan.customer, "rating": rating, "review": review}
    return Built(row, review, review, c.lang, rating)


# --- social ----------------------------------------------------------------------------------
def social_post_id(rng: Random, plan: RecordPlan, when: datetime) -> str:
    if plan.lang == "en":  # a snowflake id: milliseconds since Twitter's epoch, shifted
        ms = int(utc(when).replace(tzinfo=UTC).timestamp() * 1000)
        return str(((ms - _TWITTER_EPOCH_MS) << 22) | rng.getrandbits(22))
    return "5" + fakes.digits(rng, 15)


def social_row(plan: RecordPlan, record_id: str, author: str, content: str, likes: int,
               when: datetime) -> dict[str, Any]:
    twitter = plan.lang == "en"
    return {"post_id": record_id,
            "posted_at": twitter_time(when) if twitter else f"{when:%Y-%m-%dT%H:%M:%S}+08:00",
            "author": author, "platform": "twitter" if twitter else "weibo",
            "content": content, "likes": likes}


def build_social(rng: Random, plan: RecordPlan, c: Composed, record_id: str,
                 to_traditional: Callable[[str, bool], str]) -> Built:
    """A tweet (en) or weibo post (zh, a quarter of them in traditional script: HK or TW)."""
    p = pools(plan.lang)
    tone = "issue" if plan.issue else "praise"
    if plan.spam:
        content = p.SPAM
    elif plan.lang == "en":
        body = join(rng, c.sentences, "en")
        tags = " ".join(rng.sample(p.TWITTER_TAG[tone], rng.randint(0, 2)))
        link = f" https://t.co/{fakes.token(rng, 10)}" if rng.random() < 0.25 else ""
        content = f"{rng.choice(p.TWITTER_MENTION)}{body} {tags}".strip() + link
    else:
        body = join(rng, c.sentences, c.lang)
        tag = rng.choice(p.WEIBO_TAG[tone]) if rng.random() < 0.6 else ""
        content = f"{tag}{rng.choice(p.WEIBO_MENTION)}{body}"
    guard = content
    if plan.lang == "zh" and not plan.spam and rng.random() < 0.25:  # HK / TW users
        content = to_traditional(content, rng.random() < 0.5)
    author = fakes.twitter_handle(rng) if plan.lang == "en" else fakes.weibo_nick(rng)
    likes = int(rng.paretovariate(1.3)) - 1 if not plan.spam else rng.randint(200, 900)
    row = social_row(plan, record_id, author, content, likes, plan.when)
    return Built(row, content, guard, c.lang)
