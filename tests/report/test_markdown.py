"""The Markdown summary: its numbers are the store's, it is wholly in one language, and no
customer text can turn into HTML, a link or a broken table."""

from __future__ import annotations

import dataclasses
import re
from typing import Any

import duckdb
import pytest
from markdown_it import MarkdownIt

from voc.report.data import ReportData
from voc.report.i18n import Lang, Words
from voc.report.markdown import QUOTE_CHARS, TOP_ISSUES, escape_markdown, render_markdown
from voc.report.narrative import num, p_text, pct

BATCH = "2026-10"
EN, ZH = Words(Lang.EN), Words(Lang.ZH)
ZH_HEADINGS = ("摘要", "当前需要关注", "问题排名", "新兴话题", "PDCA 改进清单", "本批次改进项变化",
               "本批次检查结论", "逾期改进项")
EN_HEADINGS = ("Headline", "Needs attention now", "Ranked issues", "Emerging topics",
               "PDCA improvement backlog", "Backlog changes in this batch",
               "Check verdicts of this batch", "Overdue items")
SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
LINK = "[click](http://evil.example.com)"
PIPES = "| a | b |"
ATTACKS = (SCRIPT, IMG, LINK, PIPES)
CJK = re.compile(r"[\u3400-\u9fff]")
UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")


@pytest.fixture(scope="module")
def markdown(report_data: ReportData) -> dict[Lang, str]:
    return {lang: render_markdown(report_data, Words(lang)) for lang in Lang}


def _section(text: str, heading: str) -> list[str]:
    """The lines under a heading, up to the next heading of any level or rule."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if re.fullmatch(rf"#+ {re.escape(heading)}",
                                                                    line))
    body = []
    for line in lines[start + 1:]:
        if line.startswith("#") or line == "---":
            break
        body.append(line)
    return [line for line in body if line.strip()]


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in UNESCAPED_PIPE.split(line)[1:-1]]


def _table(lines: list[str]) -> list[list[str]]:
    """The body rows of the first table among `lines` (header and rule skipped)."""
    rows = [line for line in lines if line.startswith("|")]
    return [_cells(line) for line in rows[2:]]


def test_markdown_title_names_batch_and_period(markdown: dict[Lang, str],
                                               con: duckdb.DuckDBPyConnection) -> None:
    first, last = con.execute("""SELECT min(created_at)::DATE, max(created_at)::DATE FROM feedback
                                 WHERE batch = ? AND duplicate_of IS NULL""", [BATCH]).fetchone()
    lines = markdown[Lang.EN].splitlines()
    assert lines[0] == f"# Voice-of-customer issue report — {BATCH}"
    assert f"Period: {first} – {last}" in lines[2]
    assert markdown[Lang.ZH].splitlines()[0] == f"# 客户之声问题报告 — {BATCH}"


def test_markdown_issue_table_equals_store(markdown: dict[Lang, str],
                                           con: duckdb.DuckDBPyConnection) -> None:
    expected = con.execute("""
        SELECT rank, label_en, volume, share, negative_rate, priority FROM issues
        WHERE batch = ? ORDER BY rank""", [BATCH]).fetchall()
    section = _section(markdown[Lang.EN], "Ranked issues")
    assert section[0] == f"Top {min(TOP_ISSUES, len(expected))} of {len(expected)} issues"
    rows = _table(section)
    assert len(rows) == min(TOP_ISSUES, len(expected))
    for row, (rank, label, volume, share, negative_rate, priority) in zip(rows, expected,
                                                                         strict=False):
        assert row[:5] == [str(rank), escape_markdown(label), num(volume), pct(share),
                           pct(negative_rate)]
        assert row[6] == num(priority, 2)


def test_markdown_headline_scores_equal_store(markdown: dict[Lang, str],
                                              con: duckdb.DuckDBPyConnection) -> None:
    records, nps_n, nps, csat_n, csat, rating_n, rating = con.execute("""
        SELECT count(*), count(nps),
               100 * avg(CASE WHEN nps >= 9 THEN 1 WHEN nps <= 6 THEN -1 WHEN nps >= 0 THEN 0 END),
               count(csat), avg(csat), count(rating), avg(rating)
        FROM feedback WHERE batch = ? AND duplicate_of IS NULL""", [BATCH]).fetchone()
    text = markdown[Lang.EN]
    assert f"Records analysed: {num(records)}" in text
    assert f"- NPS: {num(nps, 1)} ({num(nps_n)} responses)" in text
    assert f"- CSAT (mean): {num(csat, 2)} ({num(csat_n)} responses)" in text
    assert f"- Rating (mean): {num(rating, 2)} ({num(rating_n)} responses)" in text
    assert f"- NPS：{num(nps, 1)}（{num(nps_n)} 份回答）" in markdown[Lang.ZH]


def test_markdown_attention_names_the_attention_issues(markdown: dict[Lang, str],
                                                       report_data: ReportData) -> None:
    bullets = _section(markdown[Lang.EN], "Needs attention now")
    labels = [EN.issue_label(issue) for _, issue in report_data.attention.iterrows()]
    assert len(bullets) == len(labels) > 0
    for bullet, label in zip(bullets, labels, strict=True):
        assert bullet.startswith(f"- {escape_markdown(label)}: ")


def test_markdown_verdicts_equal_store(markdown: dict[Lang, str],
                                       con: duckdb.DuckDBPyConnection) -> None:
    expected = con.execute("""
        SELECT v.item_id, v.baseline, v.current, v.p_value, v.verdict, i.label_en
        FROM backlog_verdicts v LEFT JOIN issues i ON i.batch = v.batch AND i.issue_id = v.item_id
        WHERE v.batch = ? ORDER BY v.item_id, v.metric""", [BATCH]).fetchall()
    rows = _table(_section(markdown[Lang.EN], "Check verdicts of this batch"))
    assert len(rows) == len(expected) > 0
    for row, (_, baseline, current, p_value, verdict, label) in zip(rows, expected, strict=True):
        assert row[0] == escape_markdown(label)
        assert row[2] == f"{pct(baseline)} → {pct(current)}"
        assert row[3] == EN(f"verdict_{verdict}")
        assert row[4] == p_text(p_value)


def test_markdown_backlog_changes_and_overdue_equal_store(markdown: dict[Lang, str],
                                                          con: duckdb.DuckDBPyConnection
                                                          ) -> None:
    (changes,) = con.execute("SELECT count(*) FROM backlog_history WHERE batch = ?",
                             [BATCH]).fetchone()
    overdue = con.execute("""
        SELECT due FROM backlog_items WHERE status IN ('plan', 'do', 'check') AND due < (
            SELECT max(created_at)::DATE FROM feedback WHERE batch = ?) ORDER BY due, item_id""",
                          [BATCH]).fetchall()
    text = markdown[Lang.EN]
    assert len(_section(text, "Backlog changes in this batch")) == changes > 0
    bullets = _section(text, "Overdue items")
    assert len(bullets) == len(overdue) > 0
    for bullet, (due,) in zip(bullets, overdue, strict=True):
        assert f"Due: {due}" in bullet


def test_markdown_provenance_equals_last_run(markdown: dict[Lang, str],
                                             con: duckdb.DuckDBPyConnection) -> None:
    config_hash, seed, version = con.execute("""
        SELECT config_hash, seed, voc_version FROM runs WHERE batch = ? AND command = 'run'
        ORDER BY finished_at DESC LIMIT 1""", [BATCH]).fetchone()
    assert markdown[Lang.EN].rstrip().splitlines()[-1] == (
        f"Config hash: {config_hash} · Seed: {seed} · voc version: {version}")


def test_markdown_is_in_one_language(markdown: dict[Lang, str]) -> None:
    zh, en = markdown[Lang.ZH], markdown[Lang.EN]
    for heading in ZH_HEADINGS:
        assert re.search(rf"^#+ {heading}$", zh, re.MULTILINE), heading
        assert heading not in en
    for heading in EN_HEADINGS:
        assert re.search(rf"^#+ {heading}$", en, re.MULTILINE), heading
    en_headings = [line for line in en.splitlines() if line.startswith("#")]
    assert not [line for line in en_headings if CJK.search(line)]


def test_markdown_tables_keep_their_columns(markdown: dict[Lang, str]) -> None:
    for text in markdown.values():
        _assert_tables_regular(text)


@pytest.mark.parametrize(("raw", "escaped"), [
    (SCRIPT, "&lt;script&gt;alert(1)&lt;/script&gt;"),
    (IMG, '"&gt;&lt;img src=x onerror=alert(1)&gt;'),
    (LINK, r"\[click\](http:\/\/evil.example.com)"),
    (PIPES, r"\| a \| b \|"),
    ("`code` *bold* _it_ ~~gone~~", r"\`code\` \*bold\* \_it\_ \~\~gone\~\~"),
    ("# heading", r"\# heading"),
    ("> quoted", "&gt; quoted"),
    ("- item", r"\- item"),
    ("+ item", r"\+ item"),
    ("12. item", r"12\. item"),
    ("0.1.0 stays", "0.1.0 stays"),
    ("line one\nline two\r\n\tend", "line one line two end"),
    ("mail me@example.com or www.example.com", r"mail me\@example.com or www\.example.com"),
    ("&lt;b&gt;", r"\&lt;b\&gt;"),
    (None, ""),
])
def test_markdown_escape_markdown(raw: Any, escaped: str) -> None:
    assert escape_markdown(raw) == escaped


def test_markdown_escape_markdown_cuts_long_text() -> None:
    cut = escape_markdown("长" * 500, QUOTE_CHARS)
    assert cut == "长" * (QUOTE_CHARS - 1) + "…"
    assert escape_markdown("short", QUOTE_CHARS) == "short"


def _hostile(data: ReportData) -> ReportData:
    """The demo data with attack strings as labels, quotes, titles and owners."""
    issues = data.issues.copy()
    for row, attack in enumerate(ATTACKS):
        issues.loc[row, ["label_en", "label_zh"]] = attack
    emerging = data.emerging.copy()
    emerging["label"] = [ATTACKS[i % len(ATTACKS)] for i in range(len(emerging))]
    quotes = data.topic_quotes.copy()
    quotes["quote"] = [f"{ATTACKS[i % len(ATTACKS)]}\n# not a heading\n{'x' * 400}"
                       for i in range(len(quotes))]
    overdue = [{**item, "owner": attack} for item, attack in zip(data.overdue, ATTACKS,
                                                                  strict=False)]
    verdicts = data.verdicts.copy()
    verdicts["metric"] = PIPES
    return dataclasses.replace(data, issues=issues, emerging=emerging, topic_quotes=quotes,
                               overdue=overdue, verdicts=verdicts)


def _assert_tables_regular(text: str) -> None:
    """Every row of every table has as many cells as the table's header."""
    table: list[str] = []
    for line in [*text.splitlines(), ""]:
        if line.startswith("|"):
            table.append(line)
            continue
        if table:
            widths = {len(_cells(row)) for row in table}
            assert len(widths) == 1, table
            table = []


@pytest.mark.parametrize("lang", list(Lang))
def test_markdown_attack_strings_stay_text(report_data: ReportData, lang: Lang) -> None:
    text = render_markdown(_hostile(report_data), Words(lang))
    for raw in ("<script", "<img", "</", "://evil"):
        assert raw not in text
    assert not re.search(r"(?<!\\)\]\(", text)  # "](" that is not "\](" makes a link
    assert "&lt;script&gt;" in text and r"\[click\]" in text
    _assert_tables_regular(text)
    assert "x" * (QUOTE_CHARS + 1) not in text
    assert not [line for line in text.splitlines() if line.startswith("# not")]
    html = MarkdownIt("commonmark").enable("table").render(text)
    assert "<script" not in html and "<img" not in html and "<a " not in html
    rows = re.findall(r"<tr>(.*?)</tr>", html, re.DOTALL)
    assert rows and all(row.count("<td") + row.count("<th") in (5, 7, 8) for row in rows)


def test_markdown_empty_sections_say_so(report_data: ReportData) -> None:
    empty = dataclasses.replace(report_data, verdicts=report_data.verdicts.iloc[0:0],
                                emerging=report_data.emerging.iloc[0:0], overdue=[],
                                backlog_changes=report_data.backlog_changes.iloc[0:0])
    for words in (EN, ZH):
        text = render_markdown(empty, words)
        for key in ("no_verdicts", "no_emerging", "no_overdue", "no_changes"):
            assert words(key) in text.splitlines(), key
        _assert_tables_regular(text)


def test_markdown_without_issues_says_so(report_data: ReportData) -> None:
    empty = dataclasses.replace(report_data, issues=report_data.issues.iloc[0:0])
    text = render_markdown(empty, EN)
    assert _section(text, "Ranked issues") == [EN("no_issues")]
    assert _section(text, "Needs attention now") == [EN("no_issues")]
