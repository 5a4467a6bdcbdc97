"""The report's words in English and Simplified Chinese.

Quotes and emerging-topic labels stay in the customer's language; everything voc writes
itself comes from here, so a report is wholly in one language.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Lang(StrEnum):
    EN = "en"
    ZH = "zh"


_TEXT: dict[str, tuple[str, str]] = {
    # page
    "title": ("Voice-of-customer issue report — {batch}", "客户之声问题报告 — {batch}"),
    "generated": ("Generated {when} by voc {version}", "由 voc {version} 生成于 {when}"),
    "contents": ("Contents", "目录"),
    # sections
    "s_headline": ("Headline", "摘要"),
    "s_issues": ("Ranked issues", "问题排名"),
    "s_charts": ("Charts", "图表"),
    "s_emerging": ("Emerging topics", "新兴话题"),
    "s_backlog": ("PDCA improvement backlog", "PDCA 改进清单"),
    "s_quality": ("Data quality", "数据质量"),
    "s_method": ("Method notes", "方法说明"),
    # headline
    "period": ("Period", "时间范围"),
    "records_analysed": ("Records analysed", "分析记录数"),
    "by_channel": ("by channel", "按渠道"),
    "by_language": ("by language", "按语言"),
    "overall_sentiment": ("Overall sentiment", "整体情感"),
    "mean_sentiment": ("mean sentiment", "平均情感分"),
    "nps": ("NPS", "NPS"),
    "csat": ("CSAT (mean)", "CSAT（平均）"),
    "rating": ("Rating (mean)", "评分（平均）"),
    "responses": ("{n} responses", "{n} 份回答"),
    "no_scores": ("no answers", "无数据"),
    "attention": ("Needs attention now", "当前需要关注"),
    "no_issues": ("No issues were found in this batch.", "本批次没有发现问题。"),
    # issue table
    "rank": ("#", "排名"),
    "issue": ("Issue", "问题"),
    "category": ("Category", "类别"),
    "servqual": ("SERVQUAL", "SERVQUAL 维度"),
    "volume": ("Records", "记录数"),
    "share": ("Share", "占比"),
    "negative_rate": ("Negative", "负面率"),
    "score_impact": ("Score impact", "评分影响"),
    "trend": ("Trend", "趋势"),
    "channels": ("Channels", "渠道"),
    "flags": ("Flags", "预警"),
    "priority": ("Priority", "优先级"),
    "quadrant": ("Quadrant", "象限"),
    "terms": ("impact {impact} × (1 + growth {growth} + severity {severity} + spread {spread})",
              "影响 {impact} ×（1 + 增长 {growth} + 严重度 {severity} + 扩散 {spread}）"),
    "keywords": ("Topic words", "话题关键词"),
    "key_phrases": ("Key phrases", "关键短语"),
    "phrases": ("What customers say (share of records)", "客户原话（占记录比例）"),
    "quotes": ("Quotes", "原声摘录"),
    "backlog_item": ("Backlog item", "改进项"),
    "no_item": ("No backlog item yet.", "尚无改进项。"),
    "emerging_kind": ("emerging topic", "新兴话题"),
    "taxonomy_kind": ("taxonomy", "分类体系"),
    "repeat_customers": ("{n} repeat customers", "{n} 位重复联系客户"),
    "driver": ("Key driver of {score}: {coef} points with the issue (95% CI {low} … {high}, "
               "{p}); fixing it is worth {worth} points overall",
               "{score} 关键驱动：涉及该问题时 {coef} 分（95% 置信区间 {low} … {high}，{p}）；"
               "解决后整体提升 {worth} 分"),
    "score_diff": ("{score} {with_} with the issue vs {without} without ({p})",
                   "{score} 涉及时 {with_}，未涉及时 {without}（{p}）"),
    "more_issues": ("{n} more issues", "另外 {n} 个问题"),
    "priority_terms": ("Priority terms", "优先级构成"),
    "score_rating": ("rating", "评分"),
    "score_nps": ("NPS", "NPS"),
    "score_csat": ("CSAT", "CSAT"),
    "metric_complaint_share": ("complaint share", "投诉占比"),
    "metric_negative_rate": ("negative rate", "负面率"),
    "lang_zh": ("Chinese", "中文"),
    "lang_en": ("English", "英文"),
    "lang_mixed": ("mixed zh/en", "中英混合"),
    "lang_other": ("other", "其他"),
    "ch_call": ("call", "电话"),
    "ch_chat": ("chat", "在线客服"),
    "ch_email": ("e-mail", "邮件"),
    "ch_app_review": ("app review", "应用评论"),
    "ch_review": ("review", "商品评价"),
    "ch_social": ("social", "社交媒体"),
    "ch_survey": ("survey", "问卷"),
    "ch_web_form": ("web form", "网页表单"),
    "ch_other": ("other", "其他"),
    # trend words
    "trend_new": ("new", "新出现"),
    "trend_rising": ("rising", "上升"),
    "trend_falling": ("falling", "下降"),
    "trend_steady": ("steady", "平稳"),
    "significant": ("significant, {p}", "显著，{p}"),
    "not_significant": ("not significant, {p}", "不显著，{p}"),
    # flags
    "flag_legal": ("legal", "法律"),
    "flag_churn": ("churn", "流失"),
    "flag_safety": ("safety", "安全"),
    "flag_repeat_contact": ("repeat contact", "重复联系"),
    # quadrants
    "fix_first": ("Fix first", "优先改进"),
    "keep_up": ("Keep up", "继续保持"),
    "low_priority": ("Low priority", "次要改进"),
    "possible_overkill": ("Possible overkill", "过度投入"),
    # servqual
    "reliability": ("reliability", "可靠性"),
    "responsiveness": ("responsiveness", "响应性"),
    "assurance": ("assurance", "保证性"),
    "empathy": ("empathy", "移情性"),
    "tangibles": ("tangibles", "有形性"),
    # charts
    "c_volume": ("Issue volume over batches", "各批次问题量"),
    "c_negative": ("Negative rate over batches", "各批次负面率"),
    "c_quadrant": ("Importance–performance", "重要性–表现矩阵"),
    "c_heatmap": ("Share of each channel's records raising the issue",
                  "各渠道提及该问题的记录占比"),
    "c_sentiment": ("Sentiment by channel", "各渠道情感分布"),
    "c_importance": ("Importance (share of records)", "重要性（记录占比）"),
    "c_performance": ("Performance (mean sentiment about the issue)",
                      "表现（该问题的平均情感分）"),
    "c_records": ("Records", "记录数"),
    "c_rate": ("Negative rate", "负面率"),
    "c_empty": ("No data for this chart.", "该图表暂无数据。"),
    "c_one_batch": ("Only one batch so far: trends start with the next batch.",
                    "目前只有一个批次，趋势将从下一个批次开始显示。"),
    "negative": ("Negative", "负面"),
    "neutral": ("Neutral", "中性"),
    "positive": ("Positive", "正面"),
    # emerging
    "topic": ("Topic", "话题"),
    "status": ("Status", "状态"),
    "language": ("Language", "语言"),
    "size": ("Records", "记录数"),
    "lineage_new": ("new this batch", "本批次新出现"),
    "lineage_continuing": ("continuing", "延续"),
    "no_emerging": ("Every topic of this batch fits the taxonomy.", "本批次所有话题都已归入分类体"
    "系。"),
    # backlog
    "items_by_status": ("Items by status", "各状态改进项"),
    "item": ("Item", "改进项"),
    "owner": ("Owner", "负责人"),
    "action": ("Action", "措施"),
    "target": ("Target", "目标"),
    "due": ("Due", "截止日期"),
    "verdicts": ("Check verdicts of this batch", "本批次检查结论"),
    "no_verdicts": ("No item was in Do since an earlier batch, so nothing was checked.",
                    "没有自上一批次起处于执行阶段的改进项，本批次无检查结论。"),
    "metric": ("Metric", "指标"),
    "baseline": ("Baseline", "基线"),
    "current": ("This batch", "本批次"),
    "change": ("Change", "变化"),
    "test": ("Test", "检验"),
    "p_value": ("p-value", "p 值"),
    "effect_size": ("Effect size (h)", "效应量（h）"),
    "verdict": ("Verdict", "结论"),
    "suggestion": ("Suggestion", "建议"),
    "target_met": ("Target met", "达成目标"),
    "overdue": ("Overdue items", "逾期改进项"),
    "no_overdue": ("No open item is overdue.", "没有逾期的改进项。"),
    "changes": ("Backlog changes in this batch", "本批次改进项变化"),
    "no_changes": ("No backlog changes in this batch.", "本批次改进项无变化。"),
    "opened": ("opened", "新建"),
    "yes": ("yes", "是"),
    "no": ("no", "否"),
    "status_plan": ("Plan", "计划"),
    "status_do": ("Do", "执行"),
    "status_check": ("Check", "检查"),
    "status_act": ("Act", "处理"),
    "status_closed": ("Closed", "关闭"),
    "verdict_improved": ("improved", "改善"),
    "verdict_no_change": ("no significant change", "无显著变化"),
    "verdict_worse": ("worse", "恶化"),
    "suggest_act": ("Act: standardise the fix", "处理：将措施标准化"),
    "suggest_plan": ("back to Plan", "退回计划"),
    # data quality
    "input_rows": ("Rows in", "输入行数"),
    "accepted": ("Accepted", "接受"),
    "duplicates": ("Duplicates", "重复"),
    "rejected": ("Rejected", "拒收"),
    "source_file": ("Source file", "来源文件"),
    "reason": ("Reason", "原因"),
    "field": ("Field", "字段"),
    "rows": ("Rows", "行数"),
    "pii": ("PII redactions", "个人信息脱敏"),
    "pii_type": ("Type", "类型"),
    "count": ("Count", "数量"),
    "language_mix": ("Language mix", "语言构成"),
    "channel": ("Channel", "渠道"),
    "reconciles": ("Rows in = accepted + duplicates + rejected: {ok}",
                   "输入行数 = 接受 + 重复 + 拒收：{ok}"),
    "no_rejects": ("No row was rejected.", "没有被拒收的行。"),
    # method
    "m_topics": ("Topics: per language, k-means over TF-IDF→LSA document vectors joined with "
                 "word vectors trained on the batch; the number of topics is chosen by split-half "
                 "stability; keywords by class-based TF-IDF. Topics keep a stable id from batch to "
                 "batch (matched on keyword weights). A topic is filed under the taxonomy category "
                 "that at least 30% of its records mention; otherwise it is emerging.",
                 "话题：按语言分别建模，对 TF-IDF→LSA 文档向量与本批次训练的词向量做 k-means 聚类；"
                 "话题数按对半拆分稳定性自动选择；关键词采用基于类别的 TF-IDF。话题在批次之间按关"
                 "键词"
                 "权重匹配，保持稳定编号。至少 30% 的记录提及某分类时，话题归入该分类，否则为新兴"
                 "话题。"),
    "m_sentiment": ("Sentiment: lexicon and rules per clause (negation, degree words, contrast, "
                    "emoji), blended with a classifier trained on this batch (from ratings where "
                    "enough records carry one, else self-trained from the lexicon's confident "
                    "calls). Sentiment about an issue comes from the clauses that mention it.",
                    "情感：按分句使用词典与规则（否定、程度词、转折、表情）打分，并与本批次训练的"
                    "分类器"
                    "融合（有足够评分时以评分为标签，否则以词典的高置信结果自训练）。某问题的情感"
                    "来自提及"
                    "该问题的分句。"),
    "m_priority": ("Priority = impact × (1 + growth + severity + ½ spread). Impact: the issue's "
                   "complaints as a share of all records (%). Growth: the significant rise in "
                   "share since the previous batch (two-proportion test, p < 0.05), capped at 1. "
                   "Severity: the weighted share of flagged records (safety ×3, legal ×2, churn "
                   "and repeat contact ×1), capped at 1. Spread: half the share of channels, half "
                   "the share of repeat contacts. Quadrant: importance above the median issue is "
                   "key; performance at or above the batch's mean sentiment is achieved.",
                   "优先级 = 影响 ×（1 + 增长 + 严重度 + ½ 扩散）。影响：该问题的负面记录占全部记"
                   "录的"
                   "百分比。增长：与上一批次相比占比的显著上升（双比例检验，p < 0.05），上限 1。"
                   "严重度："
                   "带预警记录的加权占比（安全 ×3、法律 ×2、流失与重复联系 ×1），上限 1。扩散：渠"
                   "道覆盖"
                   "占比与重复联系占比各占一半。象限：重要性高于问题中位数为关键；表现不低于本批"
                   "次平均"
                   "情感为达成。"),
    "m_check": ("Check: for items in Do since an earlier batch, the issue's complaint share is "
                "compared with the baseline batch by a two-proportion z-test (Fisher's exact test "
                "for small counts); improved or worse only when p < 0.05; effect size is Cohen's "
                "h.",
                "检查：对自上一批次起处于执行阶段的改进项，用双比例 z 检验（小样本时用 Fisher 精"
                "确检验）"
                "比较该问题的投诉占比与基线批次；仅当 p < 0.05 时判为改善或恶化；效应量为 Cohen's"
                " h。"),
    "m_reproduce": ("To reproduce these numbers: the same input files, config (hash {hash}), "
                    "seed {seed} and voc {version} give the same results.",
                    "复现方法：相同的输入文件、配置（哈希 {hash}）、随机种子 {seed} 与 voc {versi"
                    "on} "
                    "会得到相同的结果。"),
    "run_id": ("Run", "运行编号"),
    "config_hash": ("Config hash", "配置哈希"),
    "seed": ("Seed", "随机种子"),
    "voc_version": ("voc version", "voc 版本"),
    "libraries": ("Libraries", "依赖库"),
    # narrative
    "n_issue": ("{label}: {share} of records ({volume}), {negative} negative{trend}{driver}.",
                "{label}：占记录 {share}（{volume} 条），负面率 {negative}{trend}{driver}。"),
    "n_trend_rising": (", up {change} points since last batch (significant)",
                       "，比上一批次上升 {change} 个百分点（显著）"),
    "n_trend_new": (", new this batch", "，本批次新出现"),
    "n_trend_falling": (", down {change} points since last batch (significant)",
                        "，比上一批次下降 {change} 个百分点（显著）"),
    "n_driver": ("; fixing it is worth {worth} {score} points",
                 "；解决后预计{score}提升 {worth} 分"),
    "n_flags": ("; {n} escalation flags", "；{n} 条预警"),
    "n_overview": ("{records} records from {channels} channels; {negative} negative, "
                   "{positive} positive.",
                   "共 {records} 条记录，来自 {channels} 个渠道；"
                   "负面 {negative}，正面 {positive}。"),
    # markdown summary and workbook
    "pair": ("{label}: {value}", "{label}：{value}"),
    "top_issues": ("Top {n} of {total} issues", "前 {n} 个问题（共 {total} 个）"),
    "metric_share": ("share", "占比"),
    "metric_volume": ("records", "记录数"),
    "issue_id": ("Issue id", "问题编号"),
    "kind": ("Kind", "类型"),
    "share_p": ("Share change p-value", "占比变化 p 值"),
    "repeat_customer_count": ("Repeat customers", "重复联系客户数"),
    "impact": ("Impact", "影响"),
    "growth": ("Growth", "增长"),
    "severity": ("Severity", "严重度"),
    "spread": ("Spread", "扩散"),
    "driver_score": ("Driver score", "驱动评分"),
    "driver_worth": ("Worth if fixed", "解决后提升"),
    "ci_low": ("95% CI low", "95% 置信下限"),
    "ci_high": ("95% CI high", "95% 置信上限"),
    "driver_p": ("Driver p-value", "驱动 p 值"),
    "aspect_score": ("Aspect score", "方面情感分"),
    "item_title": ("Title", "标题"),
    "batch": ("Batch", "批次"),
    "opened_batch": ("Opened in batch", "创建批次"),
    "baseline_batch": ("Baseline batch", "基线批次"),
    "source": ("Source", "来源"),
    "format": ("Format", "格式"),
    "encoding": ("Encoding", "编码"),
    "totals": ("Rows of the batch", "批次行数合计"),
    "sources": ("Rows per source file", "各来源文件行数"),
    "provenance": ("Provenance", "来源信息"),
    "with_count": ("{value} ({count})", "{value}（{count}）"),
    "test_z": ("two-proportion z-test", "双比例 z 检验"),
    "test_fisher": ("Fisher's exact test", "Fisher 精确检验"),
    "rejects_by_reason": ("Rejected rows by file, reason and field",
                          "按文件、原因和字段统计的拒收行"),
}


@dataclass(frozen=True)
class Words:
    """The report's vocabulary in one language: `words("key", name=value)`."""

    lang: Lang

    def __call__(self, key: str, **values: Any) -> str:
        en, zh = _TEXT[key]
        text = zh if self.lang is Lang.ZH else en
        return text.format(**values) if values else text

    def has(self, key: str) -> bool:
        return key in _TEXT

    def channel(self, name: Any) -> str:
        """A channel's name in this language (unknown channels as they are)."""
        key = f"ch_{name}"
        return self(key) if key in _TEXT else str(name)

    def language(self, code: Any) -> str:
        """A record language code ("zh", "en", "mixed") in this language."""
        key = f"lang_{code}"
        return self(key) if key in _TEXT else str(code)

    def metric(self, name: Any) -> str:
        key = f"metric_{name}"
        return self(key) if key in _TEXT else str(name)

    def issue_label(self, issue: Any) -> str:
        """An issue's label in this language (emerging topics keep their own label)."""
        order = ("label_zh", "label_en") if self.lang is Lang.ZH else ("label_en", "label_zh")
        for column in order:
            value = issue[column]
            if isinstance(value, str) and value:  # missing labels come back as None or NaN
                return value
        return str(issue["issue_id"])


def keys() -> list[str]:
    return list(_TEXT)
