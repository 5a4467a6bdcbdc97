"""The issue report as a Markdown summary for chat and e-mail.

A short text: title and period, the headline (overview sentence and survey scores), the issues
that need attention now, the top issues as a table, emerging topics with one quote each, this
batch's backlog changes and Check verdicts, overdue items and one line of provenance. Every
number comes from `ReportData`; nothing is computed here.

Customer text (quotes, emerging-topic labels) and anything else read from the store (backlog
titles, owners, file names) is untrusted: `escape_markdown` flattens it to one line and escapes
it so that no renderer turns it into HTML, a link, an image, emphasis, a heading, a list or an
extra table cell.

Example:
    >>> escape_markdown("| a | b | <b>")
    '\\\\| a \\\\| b \\\\| &lt;b&gt;'
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import pandas as pd

from voc.report.data import ReportData
from voc.report.i18n import Words
from voc.report.narrative import (
    attention_sentences,
    missing,
    num,
    overview_sentence,
    p_text,
    pct,
    signed,
)

__all__ = ["QUOTE_CHARS", "TOP_ISSUES", "escape_markdown", "render_markdown"]

TOP_ISSUES = 10
QUOTE_CHARS = 200  # quotes are cut to about this many characters

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Characters that start Markdown syntax anywhere in a line (GFM tables, emphasis, code,
# links, strikethrough, math); each gets a backslash.
_SPECIAL = re.compile(r"([\\`*_\[\]|~$])")
_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")  # "&amp;" would be read as "&"
# At a line's start: heading, setext underline, bullet, thematic break, ordered list ("1. ").
_LINE_START = re.compile(r"^([#=+\-]|\d{1,9}(?=[.)](?:\s|$)))")
_EMAIL_AT = re.compile(r"(?<=[\w.+-])@")  # GFM links "name@host.tld" by itself
_WWW = re.compile(r"\b(www)\.", re.IGNORECASE)  # and "www.host.tld"


def escape_markdown(value: Any, limit: int | None = None) -> str:
    """Untrusted text as one inert line of Markdown: whitespace (newlines too) collapsed,
    cut to `limit` characters with "…", `<`/`>` as entities, syntax characters escaped."""
    text = " ".join(_CONTROL.sub("", "" if missing(value) else str(value)).split())
    if limit is not None and len(text) > limit:
        text = text[:limit - 1].rstrip() + "…"
    text = _SPECIAL.sub(r"\\\1", text)
    text = _ENTITY.sub(r"\\&", text)
    text = text.replace("<", "&lt;").replace(">", "&gt;")
    text = text.replace("://", r":\/\/")  # GFM autolinks "http://host.tld"
    text = _WWW.sub(r"\1\\.", text)
    text = _EMAIL_AT.sub(r"\\@", text)
    if match := _LINE_START.match(text):
        end = match.end()
        text = (text[:end] + "\\" + text[end:]) if match.group(0)[0].isdigit() \
            else "\\" + text
    return text


def render_markdown(data: ReportData, words: Words) -> str:
    """The Markdown summary of `data` in the language of `words`.

    Example:
        >>> text = render_markdown(report_data, Words(Lang.EN))  # doctest: +SKIP
        >>> text.splitlines()[0]  # doctest: +SKIP
        '# Voice-of-customer issue report — 2026-10'
    """
    parts = [
        _title(data, words),
        _headline(data, words),
        _issues(data, words),
        _emerging(data, words),
        _backlog(data, words),
        _provenance(data, words),
    ]
    return "\n\n".join(part for part in parts if part) + "\n"


# --- sections ------------------------------------------------------------------------------

def _title(data: ReportData, words: Words) -> str:
    first, last = data.period
    period = f"{first or '–'} – {last or '–'}"
    return "\n\n".join([
        f"# {escape_markdown(words('title', batch=data.batch))}",
        " · ".join([words("pair", label=words("period"), value=period),
                    words("pair", label=words("records_analysed"),
                          value=num(data.overview.records))]),
    ])


def _headline(data: ReportData, words: Words) -> str:
    o = data.overview
    scores = [
        (words("nps"), num(o.nps, 1), o.nps_responses, o.nps),
        (words("csat"), num(o.csat, 2), o.csat_responses, o.csat),
        (words("rating"), num(o.rating, 2), o.rating_responses, o.rating),
    ]
    lines = [f"## {words('s_headline')}", "", escape_markdown(overview_sentence(data, words))]
    present = []
    for name, value, count, raw in scores:
        if not missing(raw):
            shown = words("with_count", value=value, count=words("responses", n=num(count)))
            present.append(f"- {words('pair', label=name, value=shown)}")
    if present:
        lines += ["", *present]
    lines += ["", f"### {words('attention')}", ""]
    sentences = attention_sentences(data, words)
    lines += [f"- {escape_markdown(text)}" for _, text in sentences] or [words("no_issues")]
    return "\n".join(lines)


def _issues(data: ReportData, words: Words) -> str:
    lines = [f"## {words('s_issues')}", ""]
    if data.issues.empty:
        return "\n".join([*lines, words("no_issues")])
    top = data.issues.sort_values("rank", kind="stable").head(TOP_ISSUES)
    lines += [words("top_issues", n=len(top), total=len(data.issues)), ""]
    header = [(words("rank"), True), (words("issue"), False), (words("volume"), True),
              (words("share"), True), (words("negative_rate"), True), (words("trend"), False),
              (words("priority"), True), (words("quadrant"), False)]
    rows = [[str(int(issue["rank"])), escape_markdown(words.issue_label(issue)),
             num(issue["volume"]), pct(issue["share"]), pct(issue["negative_rate"]),
             _word(words, "trend_", issue["trend"]), num(issue["priority"], 2),
             _word(words, "", issue["quadrant"])]
            for _, issue in top.iterrows()]
    return "\n".join(lines + _table(header, rows))


def _emerging(data: ReportData, words: Words) -> str:
    lines = [f"## {words('s_emerging')}", ""]
    if data.emerging.empty:
        return "\n".join([*lines, words("no_emerging")])
    quotes = data.topic_quotes.sort_values(["topic_id", "rank"], kind="stable") \
        .drop_duplicates("topic_id").set_index("topic_id")["quote"]
    header = [(words("topic"), False), (words("language"), False), (words("status"), False),
              (words("size"), True), (words("quotes"), False)]
    rows = [[escape_markdown(topic["label"]), escape_markdown(topic["lang"]),
             _word(words, "lineage_", topic["status"]), num(topic["size"]),
             escape_markdown(quotes.get(topic["topic_id"]), QUOTE_CHARS)]
            for _, topic in data.emerging.iterrows()]
    return "\n".join(lines + _table(header, rows))


def _backlog(data: ReportData, words: Words) -> str:
    lines = [f"## {words('s_backlog')}", "", f"### {words('changes')}", ""]
    changes = [f"- {_change(data, words, change)}"
               for _, change in data.backlog_changes.iterrows()]
    lines += changes or [words("no_changes")]
    lines += ["", f"### {words('verdicts')}", ""]
    lines += _verdicts(data, words) if not data.verdicts.empty else [words("no_verdicts")]
    lines += ["", f"### {words('overdue')}", ""]
    overdue = [" · ".join([f"- {_item_name(data, words, item['item_id'])}",
                           words("pair", label=words("due"), value=item["due"]),
                           words("pair", label=words("owner"), value=_text(item["owner"])),
                           words("pair", label=words("status"),
                                 value=_word(words, "status_", item["status"]))])
               for item in data.overdue]
    lines += overdue or [words("no_overdue")]
    return "\n".join(lines)


def _verdicts(data: ReportData, words: Words) -> list[str]:
    header = [(words("item"), False), (words("metric"), False),
              (f"{words('baseline')} → {words('current')}", True), (words("verdict"), False),
              (words("p_value"), True), (words("effect_size"), True),
              (words("suggestion"), False)]
    rows = [[_item_name(data, words, verdict["item_id"]),
             escape_markdown(words.metric(verdict["metric"])),
             f"{pct(verdict['baseline'])} → {pct(verdict['current'])}",
             _word(words, "verdict_", verdict["verdict"]), p_text(verdict["p_value"]),
             signed(verdict["effect_size"]), _word(words, "suggest_", verdict["suggestion"])]
            for _, verdict in data.verdicts.iterrows()]
    return _table(header, rows)


def _provenance(data: ReportData, words: Words) -> str:
    run = data.run
    parts = [(words("config_hash"), run.config_hash), (words("seed"), run.seed),
             (words("voc_version"), run.voc_version)]
    line = " · ".join(words("pair", label=label, value=_text(value)) for label, value in parts)
    return f"---\n\n{line}"


# --- helpers -------------------------------------------------------------------------------

def _table(header: Sequence[tuple[str, bool]], rows: Sequence[Sequence[str]]) -> list[str]:
    """A GFM table; the bool of each header says whether the column is right-aligned."""
    lines = ["| " + " | ".join(title for title, _ in header) + " |",
             "|" + "|".join("---:" if right else "---" for _, right in header) + "|"]
    return lines + ["| " + " | ".join(row) + " |" for row in rows]


def _text(value: Any) -> str:
    """Untrusted text escaped, or "–" when there is none."""
    return escape_markdown(value) or "–"


def _word(words: Words, prefix: str, value: Any) -> str:
    """A stored code (trend, quadrant, status...) in words, or escaped as it is."""
    if missing(value):
        return "–"
    key = f"{prefix}{value}"
    return words(key) if words.has(key) else escape_markdown(value)


def _item_name(data: ReportData, words: Words, item_id: Any) -> str:
    """A backlog item by its issue's label in this language, else its stored title."""
    issue = data.issues[data.issues["issue_id"] == item_id]
    if not issue.empty:
        return escape_markdown(words.issue_label(issue.iloc[0]))
    item = data.item(str(item_id))
    return escape_markdown(item["title"] if item else item_id)


def _change(data: ReportData, words: Words, change: pd.Series) -> str:
    """One backlog history row: "item · opened → Plan" or "item · Status: Do → Check"."""
    name = _item_name(data, words, change["item_id"])
    field, old, new = change["field"], change["old_value"], change["new_value"]
    if field == "opened":
        return f"{name} · {words('opened')} → {_word(words, 'status_', new)}"
    if field == "status":
        value = f"{_word(words, 'status_', old)} → {_word(words, 'status_', new)}"
    else:
        value = f"{_text(old)} → {_text(new)}"
    label = words(field) if words.has(field) else escape_markdown(field)
    return f"{name} · {words('pair', label=label, value=value)}"
