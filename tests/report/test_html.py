"""voc.report.html: the self-contained report, opened in headless Chromium and compared with
the store it was read from."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import duckdb
import pytest

from voc.report.data import load_report_data
from voc.report.html import render_html, write_html
from voc.report.i18n import Lang, Words
from voc.store import open_store
from voc.topics.taxonomy import load_taxonomy

BATCH = "2026-10"
SECTIONS = ("headline", "issues", "charts", "emerging", "backlog", "quality", "method")
SCRIPT = "<script>window.__xss.push('script')</script>"
IMG = "\"><img src=x onerror=\"window.__xss.push('img')\">"
LINK = "<a href='https://evil.example/'>click</a>"


def _sql(store: Path, sql: str, params: list[Any] | None = None) -> list[tuple]:
    with duckdb.connect(str(store), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def _rows(check: Any, selector: str) -> list[dict[str, str]]:
    return check.page.eval_on_selector_all(selector, "els => els.map(e => ({...e.dataset}))")


@pytest.fixture(scope="module")
def reports(report_data: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[Lang, Path]:
    folder = tmp_path_factory.mktemp("html")
    return {lang: write_html(report_data, Words(lang), folder / f"report-{lang}.html")
            for lang in Lang}


@pytest.mark.parametrize("lang", list(Lang))
def test_report_renders_offline_in_chromium(open_report: Any, reports: dict[Lang, Path],
                                            report_data: Any, tmp_path: Path,
                                            lang: Lang) -> None:
    shot = tmp_path / f"report-{lang}.png"
    with open_report(reports[lang], shot) as check:
        assert check.console_errors == [] and check.page_errors == []
        assert check.requests == []  # nothing fetched: fonts, charts and styles are inline
        assert check.executed_scripts() == 0 and check.dialogs == []
        for section in SECTIONS:
            assert check.page.locator(f"section#{section} h2").count() == 1, section
        assert check.page.locator("figure svg").count() == 5  # 2 trends, quadrant, heat, bars
        assert check.page.locator("#chart-quadrant svg circle").count() >= 3
        assert check.page.locator("tr.issue").count() == len(report_data.issues)
        title = check.page.locator("h1").inner_text()
        assert ("问题报告" in title) == (lang is Lang.ZH)
        # Chinese glyphs render (the quotes are Chinese in both languages)
        cjk = check.cjk_rendering("section#issues tr.detail .quote[lang='zh-CN']")
        assert cjk.ok, cjk
        if lang is Lang.ZH:
            assert check.cjk_rendering("h1").ok
    assert shot.stat().st_size > 50_000  # a real full-page picture


def test_report_numbers_equal_the_store(open_report: Any, reports: dict[Lang, Path],
                                        demo_run: Any) -> None:
    store = demo_run.store_path
    with open_report(reports[Lang.EN]) as check:
        shown = _rows(check, "tr.issue")
        verdicts = _rows(check, "table.verdicts tbody tr")
        kpis = {row["kpi"]: check.page.locator(f'[data-kpi="{row["kpi"]}"] .v').inner_text()
                for row in _rows(check, "[data-kpi]")}
        rejects = _rows(check, "table.rejects tbody tr")
        mix = _rows(check, "table.mix tbody tr")
        reconciles = check.page.locator("[data-reconciles]").get_attribute("data-reconciles")
        attention = [row["issue"] for row in _rows(check, "ol.attention li")]
    stored = _sql(store, """SELECT issue_id, rank, volume, priority, trend, quadrant
                            FROM issues WHERE batch = ? ORDER BY rank""", [BATCH])
    assert [(r["issue"], int(r["rank"]), int(r["volume"]), round(float(r["priority"]), 4),
             r["trend"], r["quadrant"]) for r in shown] == [
        (i, rank, volume, round(priority, 4), trend, quadrant)
        for i, rank, volume, priority, trend, quadrant in stored]
    assert attention == [row[0] for row in stored if row[5] == "fix_first"][:3]
    checked = _sql(store, """SELECT item_id, verdict, p_value, effect_size FROM backlog_verdicts
                             WHERE batch = ? ORDER BY item_id""", [BATCH])
    assert [(v["item"], v["verdict"]) for v in verdicts] == [(c[0], c[1]) for c in checked]
    for row, (_, _, p_value, effect) in zip(verdicts, checked, strict=True):
        assert float(row["pValue"]) == pytest.approx(p_value)
        assert float(row["effectSize"]) == pytest.approx(effect)
    assert "improved" in {c[1] for c in checked} and "no_change" in {c[1] for c in checked}
    [(rows_in, accepted, duplicates, rejected)] = _sql(
        store, "SELECT input_rows, accepted, duplicates, rejected FROM batches WHERE batch = ?",
        [BATCH])
    assert [kpis[k] for k in ("input_rows", "accepted", "duplicates", "rejected")] == [
        f"{n:,}" for n in (rows_in, accepted, duplicates, rejected)]
    assert reconciles == "true" and rows_in == accepted + duplicates + rejected
    by_reason: dict[str, int] = {}
    for row in rejects:
        by_reason[row["reason"]] = by_reason.get(row["reason"], 0) + int(row["rows"])
    assert by_reason == dict(_sql(store, """SELECT reason, count(*) FROM rejects
                                            WHERE batch = ? GROUP BY ALL""", [BATCH]))
    assert sum(int(row["records"]) for row in mix) == _sql(
        store, "SELECT count(*) FROM feedback WHERE batch = ? AND duplicate_of IS NULL",
        [BATCH])[0][0]
    assert kpis["records"] == f"{accepted:,}"  # every accepted record was analysed


def test_feedback_text_cannot_run_or_fetch_anything(open_report: Any, demo_run: Any,
                                                    tmp_path: Path) -> None:
    """Payloads planted in quotes, labels and backlog fields reach the report as text only."""
    store = tmp_path / "voc.duckdb"
    shutil.copy(demo_run.store_path, store)
    payload = f"{SCRIPT}{IMG}{LINK}"
    with duckdb.connect(str(store)) as con:
        con.execute("UPDATE issue_quotes SET quote = ? || quote", [payload])
        con.execute("UPDATE topic_quotes SET quote = ? || quote", [payload])
        con.execute("UPDATE topics SET label = ? WHERE emerging", [payload])
        con.execute("UPDATE issues SET label_en = ?, label_zh = ? WHERE kind = 'topic'",
                    [payload, payload])
        con.execute("UPDATE backlog_items SET title = ?, owner = ?, action = ?",
                    [payload, IMG, SCRIPT])
        con.execute("UPDATE rejects SET source_file = ?", [payload])
    with open_store(store, read_only=True) as st:
        data = load_report_data(st, BATCH, load_taxonomy())
    for lang in Lang:
        path = write_html(data, Words(lang), tmp_path / f"xss-{lang}.html")
        html = path.read_text(encoding="utf-8")
        assert "<script" not in html.lower() and "<img" not in html.lower()
        assert "<a href='https" not in html
        with open_report(path) as check:
            assert check.executed_scripts() == 0 and check.dialogs == []
            assert check.requests == [] and check.page_errors == []
            assert check.page.locator("script, img, a[href^='http']").count() == 0
            assert "<script>window.__xss" in check.page.locator("body").inner_text()


def test_report_is_self_contained_and_locked_down(report_data: Any) -> None:
    html = render_html(report_data, Words(Lang.EN))
    assert 'http-equiv="Content-Security-Policy"' in html and "default-src 'none'" in html
    # URLs customers typed stay text; the only URL in markup is the SVG namespace
    in_attributes = set(re.findall(r"=\s*[\"']?(https?://[^\s\"'<>]+)", html))
    assert in_attributes == {"http://www.w3.org/2000/svg"}
    assert not re.search(r"(?:src|href)\s*=\s*[\"']?(?:https?:)?//", html)
    assert render_html(report_data, Words(Lang.EN)) == html  # same data, same bytes


def test_report_words_follow_the_language(report_data: Any) -> None:
    english = render_html(report_data, Words(Lang.EN))
    chinese = render_html(report_data, Words(Lang.ZH))
    assert 'lang="en"' in english and 'lang="zh-CN"' in chinese
    for en, zh in (("Ranked issues", "问题排名"), ("Data quality", "数据质量"),
                   ("Method notes", "方法说明"), ("Fix first", "优先改进")):
        assert en in english and zh not in english
        assert zh in chinese and en not in chinese
