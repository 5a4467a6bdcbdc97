"""The issue report as one self-contained HTML file.

No script, no external URL: styles are inline, charts are inline SVG (voc.report.charts), rows
expand with <details>, and a Content-Security-Policy forbids scripts and fetches, so the file
opens offline from an e-mail attachment and feedback text cannot run anything. Every value that
comes from data is escaped here (`_e`); tables carry data-* attributes with the raw numbers so
tests (and auditors) can compare them with the store.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from html import escape
from pathlib import Path
from typing import Any

import pandas as pd

from voc import __version__
from voc.report import charts
from voc.report.data import ReportData
from voc.report.i18n import Lang, Words
from voc.report.narrative import (
    attention_sentences,
    driver_is_clear,
    flag_total,
    missing,
    num,
    overview_sentence,
    p_clause,
    p_text,
    pct,
    score_name,
    signed,
)

ISSUE_ROWS = 15  # issues in the main table; the rest fold away
TREND_LINES = 6  # issues drawn in the trend charts
QUADRANT_POINTS = 15
HEATMAP_ISSUES = 10
WIDE_CHARTS = ("quadrant", "heatmap")
FLAGS = ("legal", "churn", "safety", "repeat_contact")
ARROWS = {"rising": "↑", "falling": "↓", "steady": "→", "new": "★"}
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; " \
      "form-action 'none'"

_CSS = """
:root { --ink:#1f2328; --muted:#57606a; --line:#d0d7de; --soft:#f6f8fa; --accent:#0b5cad;
        --bad:#b42318; --good:#1a7f37; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", "Noto Sans CJK SC", "PingFang SC",
       "Microsoft YaHei", sans-serif; color: var(--ink); margin: 0 auto; max-width: 1180px;
       padding: 24px; line-height: 1.45; }
h1 { font-size: 1.6rem; margin: 0 0 4px; } h2 { font-size: 1.25rem; margin-top: 2.2rem;
     border-bottom: 2px solid var(--ink); padding-bottom: 4px; }
h3 { font-size: 1.02rem; margin: 1.2rem 0 .4rem; }
.meta, .note { color: var(--muted); font-size: .9rem; }
nav ol { columns: 2; font-size: .92rem; } a { color: var(--accent); }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(170px, 1fr)); gap: 10px; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; }
.card .v { font-size: 1.45rem; font-weight: 650; } .card .k { color: var(--muted);
  font-size: .85rem; }
table { border-collapse: collapse; width: 100%; font-size: .88rem; margin: .4rem 0 1rem; }
th, td { border-bottom: 1px solid var(--line); padding: 5px 7px; text-align: left;
         vertical-align: top; }
th { background: var(--soft); font-weight: 600; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.detail td { background: #fbfcfd; border-bottom: 2px solid var(--line); }
details summary { cursor: pointer; color: var(--accent); }
.quote { border-left: 3px solid var(--line); margin: 4px 0; padding: 2px 8px; }
.tag { display: inline-block; border: 1px solid var(--line); border-radius: 10px;
       padding: 0 6px; font-size: .78rem; color: var(--muted); margin-right: 4px; }
.attention li { margin-bottom: 6px; }
.verdict-improved { color: var(--good); font-weight: 600; }
.verdict-worse { color: var(--bad); font-weight: 600; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(520px, 1fr));
          gap: 18px; } .charts figure { margin: 0; }
.charts figure.wide { grid-column: 1 / -1; } svg { max-width: 100%; height: auto; }
figcaption { color: var(--muted); font-size: .85rem; }
@media print { body { max-width: none; padding: 0; } nav { display: none; }
  h2 { break-before: page; } tr, figure { break-inside: avoid; }
  details > summary { display: none; } }
"""


def _e(value: Any) -> str:
    """Escape any value for HTML text or a quoted attribute; missing → dash."""
    if missing(value):
        return "–"
    return escape(str(value), quote=True)


def _attrs(**values: Any) -> str:
    """data-* attributes with raw values (JSON for lists)."""
    out = []
    for name, value in values.items():
        if missing(value):
            continue
        text = json.dumps(value, ensure_ascii=False) if isinstance(value, list | dict) else \
            str(value)
        out.append(f' data-{name.replace("_", "-")}="{_e(text)}"')
    return "".join(out)


def _table(header: Sequence[tuple[str, bool]], rows: Iterable[str], empty: str,
           attrs: str = "") -> str:
    """header: (text, numeric) pairs; rows: rendered <tr> strings."""
    body = list(rows)
    if not body:
        return f'<p class="note">{_e(empty)}</p>'
    head = "".join(f'<th{" class=n" if numeric else ""}>{_e(text)}</th>'
                   for text, numeric in header)
    return f"<table{attrs}><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _td(value: Any, numeric: bool = False, raw: bool = False) -> str:
    text = str(value) if raw else _e(value)
    return f'<td class="n">{text}</td>' if numeric else f"<td>{text}</td>"


def render_html(data: ReportData, words: Words) -> str:
    """The whole report as one HTML document (a string)."""
    lang_attr = "zh-CN" if words.lang is Lang.ZH else "en"
    title = words("title", batch=data.batch)
    sections = [
        ("headline", words("s_headline"), _headline(data, words)),
        ("issues", words("s_issues"), _issues(data, words)),
        ("charts", words("s_charts"), _charts(data, words)),
        ("emerging", words("s_emerging"), _emerging(data, words)),
        ("backlog", words("s_backlog"), _backlog(data, words)),
        ("quality", words("s_quality"), _quality(data, words)),
        ("method", words("s_method"), _method(data, words)),
    ]
    nav = "".join(f'<li><a href="#{key}">{_e(name)}</a></li>' for key, name, _ in sections)
    body = "".join(f'<section id="{key}"><h2>{_e(name)}</h2>{html}</section>'
                   for key, name, html in sections)
    start, end = data.period
    generated = words("generated", when=data.generated_at.isoformat(sep=" "),
                      version=data.run.voc_version or __version__)
    return (f'<!DOCTYPE html><html lang="{lang_attr}"><head><meta charset="utf-8">'
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>"
            f'<header><h1>{_e(title)}</h1><p class="meta">{_e(words("period"))}: '
            f"{_e(start)} – {_e(end)} · {_e(generated)}</p></header>"
            f'<nav><h2>{_e(words("contents"))}</h2><ol>{nav}</ol></nav>{body}</body></html>\n')


def write_html(data: ReportData, words: Words, out: Path) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_html(data, words), encoding="utf-8")
    return out


# --- 1. headline ----------------------------------------------------------------------------

def _card(value: str, key: str, detail: str = "", name: str = "") -> str:
    extra = f'<div class="k">{_e(detail)}</div>' if detail else ""
    return (f'<div class="card"{_attrs(kpi=name)}><div class="v">{_e(value)}</div>'
            f'<div class="k">{_e(key)}</div>{extra}</div>')


def _headline(data: ReportData, words: Words) -> str:
    o = data.overview
    cards = [
        _card(num(o.records), words("records_analysed"), name="records"),
        _card(signed(o.mean_sentiment), words("overall_sentiment"),
              f'{words("negative")} {pct(o.negative_share)} · {words("positive")} '
              f"{pct(o.positive_share)}", name="sentiment"),
        _card(num(o.nps, 1) if o.nps is not None else words("no_scores"), words("nps"),
              words("responses", n=num(o.nps_responses)), name="nps"),
        _card(num(o.csat, 2) if o.csat is not None else words("no_scores"), words("csat"),
              words("responses", n=num(o.csat_responses)), name="csat"),
        _card(num(o.rating, 2) if o.rating is not None else words("no_scores"),
              words("rating"), words("responses", n=num(o.rating_responses)), name="rating"),
    ]
    by_channel = data.mix.groupby("channel", sort=True)["records"].sum()
    by_lang = data.mix.groupby("lang", sort=True)["records"].sum()
    mix = (f'<p>{_e(words("by_channel"))}: ' + ", ".join(
        f'<span{_attrs(channel=c, records=int(n))}>{_e(words.channel(c))} {num(n)}</span>'
        for c, n in by_channel.items()) + "</p>"
           f'<p>{_e(words("by_language"))}: ' + ", ".join(
        f'<span{_attrs(lang=c, records=int(n))}>{_e(words.language(c))} {num(n)}</span>'
        for c, n in by_lang.items()) + "</p>")
    items = "".join(f'<li{_attrs(issue=issue)}>{_e(sentence)}</li>'
                    for issue, sentence in attention_sentences(data, words))
    attention = (f'<h3>{_e(words("attention"))}</h3><ol class="attention">{items}</ol>'
                 if items else f'<p>{_e(words("no_issues"))}</p>')
    return (f'<p>{_e(overview_sentence(data, words))}</p><div class="cards">{"".join(cards)}'
            f"</div>{mix}{attention}")


# --- 2. ranked issues -----------------------------------------------------------------------

def _trend(issue: Any, words: Words) -> str:
    trend = str(issue["trend"])
    arrow = ARROWS.get(trend, "")
    p = issue["share_p"]
    significance = "" if trend == "new" or missing(p) else words(
        "significant" if float(p) < 0.05 else "not_significant", p=p_clause(p))
    return (f'<span title="{_e(significance)}">{arrow} {_e(words("trend_" + trend))}</span>'
            + (f'<br><span class="note">{_e(p_clause(p))}</span>' if significance else ""))


def _score_impact(issue: Any, words: Words) -> str:
    if missing(issue["driver_score"]) or missing(issue["driver_coefficient"]):
        return "–"
    text = f"{signed(issue['driver_coefficient'])} {score_name(issue['driver_score'], words)}"
    return f"<strong>{_e(text)}</strong>" if driver_is_clear(issue) else _e(text)


def _channels(issue: Any, words: Words, shown: int = 3) -> str:
    counts = sorted(json.loads(issue["channels"] or "{}").items(),
                    key=lambda pair: (-pair[1], pair[0]))
    text = "<br>".join(f"{_e(words.channel(name))} {num(n)}" for name, n in counts[:shown])
    hidden = counts[shown:]
    if hidden:
        rest = ", ".join(f"{words.channel(name)} {n}" for name, n in hidden)
        text += f'<br><span class="note" title="{_e(rest)}">+{len(hidden)}</span>'
    return text


def _flags(issue: Any, words: Words) -> str:
    parts = [f'{_e(words("flag_" + kind))} {int(issue["flag_" + kind])}' for kind in FLAGS
             if not missing(issue["flag_" + kind]) and int(issue["flag_" + kind])]
    return "<br>".join(parts) or "0"


def _issues(data: ReportData, words: Words) -> str:
    header = [(words("rank"), True), (words("issue"), False), (words("category"), False),
              (words("volume"), True), (words("share"), True), (words("negative_rate"), True),
              (words("score_impact"), True), (words("trend"), False),
              (words("channels"), False), (words("flags"), False),
              (words("priority"), True), (words("quadrant"), False)]
    rows = [_issue_rows(data, issue, words, len(header)) for _, issue in data.issues.iterrows()]
    main = _table(header, rows[:ISSUE_ROWS], words("no_issues"), ' class="issues"')
    if len(rows) <= ISSUE_ROWS:
        return main
    more = _table(header, rows[ISSUE_ROWS:], "", ' class="issues more"')
    return (f'{main}<details class="more-issues"><summary>'
            f'{_e(words("more_issues", n=len(rows) - ISSUE_ROWS))}</summary>{more}</details>')


def _issue_rows(data: ReportData, issue: Any, words: Words, columns: int) -> str:
    """The issue's row and the expandable row under it."""
    kind = words("emerging_kind") if issue["kind"] == "topic" else (
        f'{words("taxonomy_kind")} · {words(issue["servqual"])}'
        if words.has(str(issue["servqual"])) else words("taxonomy_kind"))
    impact = float(issue["impact"])
    multiplier = float(issue["priority"]) / impact if impact else 1.0
    attrs = _attrs(issue=issue["issue_id"], rank=int(issue["rank"]),
                   volume=int(issue["volume"]), share=round(float(issue["share"]), 6),
                   negative_rate=round(float(issue["negative_rate"]), 6),
                   priority=round(float(issue["priority"]), 6), trend=issue["trend"],
                   flags=flag_total(issue), quadrant=issue["quadrant"])
    return (f'<tr class="issue"{attrs}>{_td(int(issue["rank"]), True)}'
            f"<td><strong>{_e(words.issue_label(issue))}</strong></td>{_td(kind)}"
            f'{_td(num(issue["volume"]), True)}{_td(pct(issue["share"]), True)}'
            f'{_td(pct(issue["negative_rate"], 0), True)}'
            f"{_td(_score_impact(issue, words), True, raw=True)}"
            f"{_td(_trend(issue, words), raw=True)}{_td(_channels(issue, words), raw=True)}"
            f"{_td(_flags(issue, words), raw=True)}"
            f'<td class="n" title="{_e(_terms(issue, words))}"><strong>'
            f'{float(issue["priority"]):.2f}</strong><br><span class="note">'
            f"{impact:.2f} × {multiplier:.2f}</span></td>"
            f'{_td(words(str(issue["quadrant"])))}</tr>'
            f'<tr class="detail"><td colspan="{columns}">'
            f"{_issue_detail(data, issue, words)}</td></tr>")


def _terms(issue: Any, words: Words) -> str:
    return words("terms", impact=f"{issue['impact']:.2f}", growth=f"{issue['growth']:.2f}",
                 severity=f"{issue['severity']:.2f}", spread=f"{issue['spread']:.2f}")


def _quote_list(quotes: pd.DataFrame, words: Words) -> str:
    items = []
    for _, quote in quotes.iterrows():
        lang = quote.get("lang", "")
        tags = f'<span class="tag">{_e(words.channel(quote["channel"]))}</span>' + (
            f'<span class="tag">{_e(lang)}</span>' if lang else "")
        items.append(f'<div class="quote" lang="{_e(_html_lang(lang))}">{tags}'
                     f'{_e(quote["quote"])}</div>')
    return "".join(items)


def _html_lang(lang: Any) -> str:
    return "zh-CN" if lang in ("zh", "mixed") else ("en" if lang == "en" else "")


def _issue_detail(data: ReportData, issue: Any, words: Words) -> str:
    issue_id = str(issue["issue_id"])
    parts = []
    phrases = data.phrases.get(issue_id)
    if phrases:
        parts.append(f'<p><strong>{_e(words("phrases"))}:</strong> ' + ", ".join(
            f"{_e(word)} ({pct(share, 0)})" for word, share in phrases) + "</p>")
    key_phrases = data.key_phrases.get(issue_id)
    if key_phrases:
        parts.append(f'<p><strong>{_e(words("key_phrases"))}:</strong> '
                     f'{_e(" · ".join(key_phrases))}</p>')
    keywords = data.keywords.get(issue_id)
    if keywords:
        parts.append(f'<p><strong>{_e(words("keywords"))}:</strong> '
                     f'{_e(" · ".join(keywords))}</p>')
    parts.append(f'<p><strong>{_e(words("priority_terms"))}:</strong> '
                 f'{float(issue["priority"]):.2f} = {_e(_terms(issue, words))}</p>')
    if not missing(issue["driver_coefficient"]):
        parts.append("<p>" + _e(words(
            "driver", score=score_name(issue["driver_score"], words),
            coef=signed(issue["driver_coefficient"]), low=signed(issue["driver_ci_low"]),
            high=signed(issue["driver_ci_high"]), p=p_clause(issue["driver_p_value"]),
            worth=signed(issue["driver_worth"]))) + "</p>")
    effects = json.loads(issue["score_effects"] or "[]")
    if effects:
        parts.append("<p>" + "; ".join(_e(words(
            "score_diff", score=score_name(e["score"], words), with_=num(e["with"], 2),
            without=num(e["without"], 2), p=p_clause(e["p_value"]))) for e in effects) + "</p>")
    if issue["repeat_customers"]:
        parts.append(f'<p>{_e(words("repeat_customers", n=int(issue["repeat_customers"])))}</p>')
    quotes = data.quotes[data.quotes["issue_id"] == issue_id]
    if len(quotes):
        parts.append(f'<h3>{_e(words("quotes"))}</h3>{_quote_list(quotes, words)}')
    parts.append(f'<h3>{_e(words("backlog_item"))}</h3>{_item_summary(data, issue_id, words)}')
    return (f'<details{_attrs(detail=issue_id)}><summary>{_e(words("keywords"))}, '
            f'{_e(words("quotes"))}, {_e(words("backlog_item"))}</summary>'
            f'{"".join(parts)}</details>')


def _item_summary(data: ReportData, issue_id: str, words: Words) -> str:
    item = data.item(issue_id)
    if item is None:
        return f'<p class="note">{_e(words("no_item"))}</p>'
    verdict = item["verdict"]
    fields = [(words("status"), words("status_" + item["status"])),
              (words("owner"), item["owner"]), (words("action"), item["action"]),
              (words("target"), item["target"]), (words("due"), item["due"])]
    if verdict:
        fields.append((words("verdict"), words("verdict_" + verdict)))
    return "<p" + _attrs(item=issue_id, status=item["status"]) + ">" + " · ".join(
        f"{_e(name)}: {_e(value)}" for name, value in fields) + "</p>"


# --- 3. charts ------------------------------------------------------------------------------

def _charts(data: ReportData, words: Words) -> str:
    figures = []
    top = data.issues.head(TREND_LINES)
    history = data.history
    trends: tuple[tuple[str, str, charts.ValueFormat], ...] = (
        ("volume", "c_volume", "count"), ("negative_rate", "c_negative", "percent"))
    for metric, key, fmt in trends:
        series = []
        for _, issue in top.iterrows():
            mine = history[history["issue_id"] == issue["issue_id"]].set_index("batch")[metric]
            series.append(charts.Series(words.issue_label(issue), [
                float(mine[b]) if b in mine.index else None for b in data.batches]))
        label = words("c_records") if metric == "volume" else words("c_rate")
        svg = charts.line_chart(data.batches, series, title=words(key), y_label=label,
                                y_format=fmt, empty_text=words("c_empty"))
        caption = words("c_one_batch") if len(data.batches) < 2 else ""
        figures.append((f"trend-{metric}", svg, caption))
    figures.append(("quadrant", _quadrant(data, words), ""))
    figures.append(("heatmap", _heatmap(data, words), ""))
    figures.append(("sentiment", _sentiment_bars(data, words), ""))
    return '<div class="charts">' + "".join(
        f'<figure id="chart-{key}"{" class=wide" if key in WIDE_CHARTS else ""}>{svg}'
        + (f"<figcaption>{_e(caption)}</figcaption>" if caption else "") + "</figure>"
        for key, svg, caption in figures) + "</div>"


def _quadrant(data: ReportData, words: Words) -> str:
    issues = data.issues
    points = [charts.QuadrantPoint(words.issue_label(issue), float(issue["share"]),
                                   float(issue["mean_sentiment"]), float(issue["volume"]))
              for _, issue in issues.head(QUADRANT_POINTS).iterrows()
              if not missing(issue["mean_sentiment"])]
    names = {key: words(key) for key in ("fix_first", "keep_up", "low_priority",
                                         "possible_overkill")}
    x_split = float(issues["share"].median()) if len(issues) else 0.0
    return charts.quadrant_chart(points, x_label=words("c_importance"),
                                 y_label=words("c_performance"), x_split=x_split,
                                 y_split=data.overview.mean_sentiment, quadrant_names=names,
                                 title=words("c_quadrant"), empty_text=words("c_empty"),
                                 x_format="percent", y_format="score")


def _heatmap(data: ReportData, words: Words) -> str:
    per_channel = data.mix.groupby("channel", sort=True)["records"].sum()
    top = data.issues.head(HEATMAP_ISSUES)
    grid = []
    for channel, records in per_channel.items():
        row = []
        for _, issue in top.iterrows():
            count = json.loads(issue["channels"] or "{}").get(channel, 0)
            row.append(count / records if records else None)
        grid.append(row)
    return charts.heatmap([words.channel(c) for c in per_channel.index],
                          [words.issue_label(issue) for _, issue in top.iterrows()], grid,
                          title=words("c_heatmap"), value_format="percent",
                          empty_text=words("c_empty"))


def _sentiment_bars(data: ReportData, words: Words) -> str:
    frame = data.sentiment_by_channel
    parts = ["negative", "neutral", "positive"]
    return charts.stacked_bars([words.channel(c) for c in frame["channel"]], parts,
                               frame[parts].to_numpy(dtype=float).tolist(),
                               title=words("c_sentiment"),
                               part_labels=[words(part) for part in parts],
                               empty_text=words("c_empty"), id_prefix="sentiment")


# --- 4. emerging topics ---------------------------------------------------------------------

def _emerging(data: ReportData, words: Words) -> str:
    """Topics the taxonomy has no name for, the most complained-about first."""
    header = [(words("topic"), False), (words("language"), False), (words("status"), False),
              (words("size"), True), (words("share"), True), (words("negative_rate"), True),
              (words("keywords"), False), (words("quotes"), False)]
    as_issue = data.issues[data.issues["kind"] == "topic"].set_index("issue_id")
    topics = data.emerging.assign(
        negative=[int(as_issue.loc[t, "negative"]) if t in as_issue.index else 0
                  for t in data.emerging["stable_id"]],
        negative_rate=[float(as_issue.loc[t, "negative_rate"]) if t in as_issue.index
                       else None for t in data.emerging["stable_id"]],
    ).sort_values(["negative", "size", "topic_id"], ascending=[False, False, True],
                  kind="stable")
    rows = []
    for _, topic in topics.iterrows():
        phrases = [phrase for phrase, _ in json.loads(topic["phrases"] or "[]")][:4]
        words_list = phrases + [word for word, _ in json.loads(topic["keywords"] or "[]")][:8]
        quotes = data.topic_quotes[data.topic_quotes["topic_id"] == topic["topic_id"]]
        status = words("lineage_" + topic["status"]) if words.has(
            "lineage_" + str(topic["status"])) else topic["status"]
        rows.append(f'<tr{_attrs(topic=topic["stable_id"], size=int(topic["size"]))}>'
                    f'<td lang="{_html_lang(topic["lang"])}"><strong>{_e(topic["label"])}'
                    f'</strong><br><span class="note">{_e(topic["stable_id"])}</span></td>'
                    f'{_td(topic["lang"])}{_td(status)}{_td(num(topic["size"]), True)}'
                    f'{_td(pct(topic["share"]), True)}'
                    f'{_td(pct(topic["negative_rate"], 0), True)}{_td(" · ".join(words_list))}'
                    f"{_td(_quote_list(quotes.head(3), words), raw=True)}</tr>")
    return _table(header, rows, words("no_emerging"), ' class="emerging"')


# --- 5. backlog -----------------------------------------------------------------------------

def _backlog(data: ReportData, words: Words) -> str:
    statuses = ("plan", "do", "check", "act", "closed")
    counts = {status: sum(item["status"] == status for item in data.backlog)
              for status in statuses}
    cards = "".join(_card(str(counts[s]), words("status_" + s), name=f"status-{s}")
                    for s in statuses)
    items = _table(
        [(words("item"), False), (words("status"), False), (words("owner"), False),
         (words("action"), False), (words("target"), False), (words("due"), False),
         (words("priority"), True), (words("verdict"), False)],
        (f'<tr{_attrs(item=item["id"], status=item["status"])}>{_td(item["title"])}'
         f'{_td(words("status_" + item["status"]))}{_td(item["owner"])}{_td(item["action"])}'
         f'{_td(item["target"])}{_td(item["due"])}'
         f'{_td(num(item["priority"], 2), True)}'
         f'{_td(words("verdict_" + item["verdict"]) if item["verdict"] else "–")}</tr>'
         for item in data.backlog), words("no_item"), ' class="backlog"')
    verdicts = _table(
        [(words("item"), False), (words("metric"), False), (words("baseline"), True),
         (words("current"), True), (words("change"), True), (words("test"), False),
         (words("p_value"), True), (words("effect_size"), True), (words("target"), False),
         (words("target_met"), False), (words("verdict"), False), (words("suggestion"), False)],
        (_verdict_row(v, words) for _, v in data.verdicts.iterrows()), words("no_verdicts"),
        ' class="verdicts"')
    overdue = _table(
        [(words("item"), False), (words("status"), False), (words("owner"), False),
         (words("due"), False)],
        (f'<tr{_attrs(item=o["item_id"])}>{_td(o["title"])}'
         f'{_td(words("status_" + o["status"]))}{_td(o["owner"])}{_td(o["due"])}</tr>'
         for o in data.overdue), words("no_overdue"), ' class="overdue"')
    return (f'<h3>{_e(words("items_by_status"))}</h3><div class="cards">{cards}</div>{items}'
            f'<h3>{_e(words("verdicts"))}</h3>{verdicts}'
            f'<h3>{_e(words("overdue"))}</h3>{overdue}'
            f'<h3>{_e(words("changes"))}</h3>{_changes(data, words)}')


def _verdict_row(v: Any, words: Words) -> str:
    verdict = str(v["verdict"])
    attrs = _attrs(item=v["item_id"], verdict=verdict, p_value=float(v["p_value"]),
                   effect_size=float(v["effect_size"]), baseline=float(v["baseline"]),
                   current=float(v["current"]))
    return (f"<tr{attrs}>{_td(v['title'])}{_td(words.metric(v['metric']))}"
            f"{_td(pct(v['baseline'], 2), True)}"
            f"{_td(pct(v['current'], 2), True)}{_td(pct(v['relative_change'], 0), True)}"
            f"{_td(v['test'])}{_td(p_text(v['p_value']), True)}"
            f"{_td(num(v['effect_size'], 3), True)}{_td(v['target'])}"
            f"{_td(words('yes') if v['target_met'] else words('no'))}"
            f'<td class="verdict-{_e(verdict)}">{_e(words("verdict_" + verdict))}</td>'
            f"{_td(words('suggest_' + str(v['suggestion'])))}</tr>")


def _changes(data: ReportData, words: Words) -> str:
    rows = []
    for _, change in data.backlog_changes.iterrows():
        field = str(change["field"])
        old, new = change["old_value"], change["new_value"]
        if field in ("status", "opened"):
            old = words("status_" + old) if isinstance(old, str) else old
            new = words("status_" + new) if isinstance(new, str) else new
        name = words("opened") if field == "opened" else field
        rows.append(f'<tr{_attrs(item=change["item_id"], field=field)}>'
                    f'{_td(change["item_id"])}{_td(name)}'
                    f'{_td(old)}{_td(new)}{_td(change["who"])}</tr>')
    return _table([(words("item"), False), (words("field"), False), (words("baseline"), False),
                   (words("current"), False), (words("owner"), False)], rows,
                  words("no_changes"), ' class="changes"')


# --- 6. data quality ------------------------------------------------------------------------

def _quality(data: ReportData, words: Words) -> str:
    t = data.totals
    ok = t["input_rows"] == t["accepted"] + t["duplicates"] + t["rejected"]
    cards = "".join(_card(num(t[key]), words(key), name=key)
                    for key in ("input_rows", "accepted", "duplicates", "rejected"))
    reconcile = f'<p{_attrs(reconciles=str(ok).lower())}>' \
                f'{_e(words("reconciles", ok=words("yes") if ok else words("no")))}</p>'
    sources = _table(
        [(words("source_file"), False), (words("input_rows"), True), (words("accepted"), True),
         (words("duplicates"), True), (words("rejected"), True)],
        (f'<tr{_attrs(file=s["source_file"], input_rows=int(s["input_rows"]))}>'
         f'{_td(s["source_file"])}{_td(num(s["input_rows"]), True)}'
         f'{_td(num(s["accepted"]), True)}{_td(num(s["duplicates"]), True)}'
         f'{_td(num(s["rejected"]), True)}</tr>' for _, s in data.sources.iterrows()),
        words("c_empty"), ' class="sources"')
    rejects = _table(
        [(words("source_file"), False), (words("reason"), False), (words("field"), False),
         (words("rows"), True)],
        (f'<tr{_attrs(reason=r["reason"], rows=int(r["rows"]))}>{_td(r["source_file"])}'
         f'{_td(r["reason"])}{_td(r["field"])}{_td(num(r["rows"]), True)}</tr>'
         for _, r in data.rejects.iterrows()), words("no_rejects"), ' class="rejects"')
    pii = _table(
        [(words("pii_type"), False), (words("count"), True)],
        (f'<tr{_attrs(pii=r["pii_type"], count=int(r["count"]))}>{_td(r["pii_type"])}'
         f'{_td(num(r["count"]), True)}</tr>' for _, r in data.redactions.iterrows()),
        words("c_empty"), ' class="pii"')
    mix = _table(
        [(words("channel"), False), (words("language"), False), (words("rows"), True)],
        (f'<tr{_attrs(channel=r["channel"], lang=r["lang"], records=int(r["records"]))}>'
         f'{_td(words.channel(r["channel"]))}{_td(words.language(r["lang"]))}'
         f'{_td(num(r["records"]), True)}</tr>'
         for _, r in data.mix.iterrows()), words("c_empty"), ' class="mix"')
    return (f'<div class="cards">{cards}</div>{reconcile}{sources}'
            f'<h3>{_e(words("rejected"))}</h3>{rejects}<h3>{_e(words("pii"))}</h3>{pii}'
            f'<h3>{_e(words("language_mix"))}</h3>{mix}')


# --- 7. method notes ------------------------------------------------------------------------

def _method(data: ReportData, words: Words) -> str:
    run = data.run
    notes = "".join(f"<p>{_e(words(key))}</p>" for key in
                    ("m_topics", "m_sentiment", "m_priority", "m_check"))
    reproduce = words("m_reproduce", hash=run.config_hash or "–", seed=run.seed or "–",
                      version=run.voc_version or __version__)
    provenance = _table(
        [(words("run_id"), False), (words("config_hash"), False), (words("seed"), False),
         (words("voc_version"), False), (words("libraries"), False)],
        [f'<tr{_attrs(config_hash=run.config_hash, seed=run.seed)}>{_td(run.run_id)}'
         f"{_td(run.config_hash)}{_td(run.seed)}{_td(run.voc_version)}"
         f'{_td(", ".join(f"{k} {v}" for k, v in sorted(run.versions.items())))}</tr>'],
        words("c_empty"), ' class="provenance"')
    return f"{notes}<p><strong>{_e(reproduce)}</strong></p>{provenance}"
