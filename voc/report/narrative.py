"""Sentences the report writes from the numbers, and the number formats all views share.

Nothing here is a judgement voc cannot back: each sentence restates figures of the store
(share, negative rate, a trend only when its test is significant, a driver effect only when
its confidence interval excludes zero).
"""

from __future__ import annotations

import math
from typing import Any

from voc.report.data import ReportData
from voc.report.i18n import Words

SIGNIFICANT = 0.05


def missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def pct(value: Any, digits: int = 1) -> str:
    """0.1234 → '12.3%'; missing → '–'."""
    return "–" if missing(value) else f"{float(value) * 100:.{digits}f}%"


def num(value: Any, digits: int = 0) -> str:
    """Thousands separators; missing → '–'."""
    if missing(value):
        return "–"
    return f"{float(value):,.{digits}f}" if digits else f"{round(float(value)):,}"


def signed(value: Any, digits: int = 2) -> str:
    return "–" if missing(value) else f"{float(value):+.{digits}f}"


def p_text(value: Any) -> str:
    """p-values as an analyst writes them: '< 0.001' or three decimals."""
    if missing(value):
        return "–"
    return "< 0.001" if float(value) < 0.001 else f"{float(value):.3f}"


def p_clause(value: Any) -> str:
    """'p < 0.001' or 'p = 0.042'."""
    text = p_text(value)
    return f"p {text}" if text.startswith("<") else f"p = {text}"


def flag_total(issue: Any) -> int:
    return sum(int(issue[f"flag_{kind}"] or 0)
               for kind in ("legal", "churn", "safety", "repeat_contact"))


def driver_is_clear(issue: Any) -> bool:
    """The driver effect is worth quoting: estimated, positive and its CI excludes zero."""
    worth, low, high = issue["driver_worth"], issue["driver_ci_low"], issue["driver_ci_high"]
    if any(missing(v) for v in (worth, low, high)) or float(worth) <= 0:
        return False
    return bool(float(high) < 0 or float(low) > 0)


def score_name(score: Any, words: Words) -> str:
    """'nps' → 'NPS', 'rating' → 'rating' / '评分'."""
    key = f"score_{score}"
    return words(key) if words.has(key) else str(score)


def trend_clause(issue: Any, words: Words) -> str:
    if issue["trend"] == "new":
        return words("n_trend_new")
    significant = not missing(issue["share_p"]) and float(issue["share_p"]) < SIGNIFICANT
    change = issue["share_change"]
    if not significant or missing(change) or float(change) == 0:
        return ""
    key = "n_trend_rising" if float(change) > 0 else "n_trend_falling"
    return words(key, change=f"{abs(float(change)) * 100:.1f}")


def issue_sentence(issue: Any, words: Words) -> str:
    """One sentence on why an issue needs attention, from its numbers."""
    driver = ""
    if driver_is_clear(issue):
        driver = words("n_driver", worth=f"{float(issue['driver_worth']):.2f}",
                       score=score_name(issue["driver_score"], words))
    flags = flag_total(issue)
    if flags:
        driver += words("n_flags", n=flags)
    return words("n_issue", label=words.issue_label(issue), share=pct(issue["share"]),
                 volume=num(issue["volume"]), negative=pct(issue["negative_rate"], 0),
                 trend=trend_clause(issue, words), driver=driver)


def overview_sentence(data: ReportData, words: Words) -> str:
    o = data.overview
    return words("n_overview", records=num(o.records), channels=data.mix["channel"].nunique(),
                 negative=pct(o.negative_share), positive=pct(o.positive_share))


def attention_sentences(data: ReportData, words: Words) -> list[tuple[str, str]]:
    """(issue id, sentence) for the issues the headline names."""
    return [(str(issue["issue_id"]), issue_sentence(issue, words))
            for _, issue in data.attention.iterrows()]
