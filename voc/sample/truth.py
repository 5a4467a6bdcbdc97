"""What the sample holds, for tests of later stages: ground_truth.json and the voc.toml.

Everything is computed from the generated records, so the truth cannot drift from the files.
Counts (issues, PII, repeat contacts) are over counted records: accepted and not duplicates,
which is what an analysis of the batch should find. Duplicates keep the issue of their
original in "records"; rejected rows have none.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from typing import Any

from voc.sample.batchplan import BATCHES, ID_SOURCES
from voc.sample.bundle import SOURCE_FILES, Sample, SampleRecord
from voc.sample.compose import polarity
from voc.sample.world import HOTLINE, ISSUES

PII_GROUPS = {"mobile": "phone", "landline": "phone", "email": "email",
              "id_number": "id_number", "bank_card": "bank_card"}


def severity_scores(records: list[SampleRecord], batch: str | None = None) -> dict[str, float]:
    """How severe each planted issue is, in one batch (or over all batches when None).

    Rule: severity = volume x negativity x (1 + escalation share), where volume is the number
    of counted records (accepted, not duplicates), negativity the mean of
    max(0, -planted polarity) over them, and escalation share the fraction that threaten
    regulators, lawyers or a bank dispute.
    """
    scores = {}
    for issue in ISSUES:
        mine = [r for r in records if r.counted and r.issue == issue
                and (batch is None or r.batch == batch)]
        if not mine:
            scores[issue] = 0.0
            continue
        negativity = sum(max(0.0, -polarity(r.plan)) for r in mine) / len(mine)
        escalation = sum(r.plan.escalate for r in mine) / len(mine)
        scores[issue] = len(mine) * negativity * (1 + escalation)
    return scores


def severity_ranks(records: list[SampleRecord], batch: str | None = None) -> dict[str, int]:
    """Rank issues by `severity_scores`, 1 = most severe; ties go to the issue listed first."""
    scores = severity_scores(records, batch)
    order = sorted(ISSUES, key=lambda issue: -scores[issue])
    return {issue: rank for rank, issue in enumerate(order, start=1)}


def repeat_contacts(records: list[SampleRecord], batch: str) -> list[str]:
    """Customers (shared id space) with two or more hotline_unreachable records in the batch."""
    per_customer = Counter(r.plan.customer for r in records
                           if r.batch == batch and r.counted and r.issue == HOTLINE
                           and r.source in ID_SOURCES)
    return sorted(c for c, n in per_customer.items() if n >= 2)


def _record_entry(record: SampleRecord) -> dict[str, Any]:
    reason = record.reject_reason
    return {"batch": record.batch, "source": record.source,
            "file": SOURCE_FILES[record.source].file, "record_id": record.record_id,
            "issue": record.issue, "lang": record.lang, "duplicate_of": record.duplicate_of,
            "reject_reason": reason.value if reason else None}


def _files(records: list[SampleRecord]) -> dict[str, dict[str, dict[str, int]]]:
    out: dict[str, dict[str, dict[str, int]]] = {}
    for batch in BATCHES:
        out[batch] = {}
        for source, spec in SOURCE_FILES.items():
            mine = [r for r in records if r.batch == batch and r.source == source]
            out[batch][spec.file] = {
                "input_rows": len(mine),
                "rejected": sum(r.reject_reason is not None for r in mine),
                "duplicates": sum(r.duplicate_of is not None for r in mine),
            }
    return out


def _pii(records: list[SampleRecord]) -> dict[str, dict[str, int]]:
    out = {}
    for batch in BATCHES:
        counts = dict.fromkeys(("phone", "email", "id_number", "bank_card"), 0)
        for r in records:
            if r.batch == batch and r.plan.pii and r.duplicate_of is None:
                counts[PII_GROUPS[r.plan.pii]] += 1
        out[batch] = counts
    return out


def ground_truth(sample: Sample) -> dict[str, Any]:
    """The ground truth of a generated sample (see the module docstring of voc.sample)."""
    records = sample.records
    counts: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(BATCHES, 0))
    for r in records:
        if r.counted and r.issue:
            counts[r.issue][r.batch] += 1
    ranks = severity_ranks(records)
    # the issue report ranks one batch at a time, so each batch has its own expected order
    batch_ranks = {batch: severity_ranks(records, batch) for batch in BATCHES}
    batch_scores = {batch: severity_scores(records, batch) for batch in BATCHES}
    issues = {issue: {"label_en": spec.label_en, "label_zh": spec.label_zh,
                      "emerging": spec.emerging, "expected_trend": spec.trend,
                      "severity_rank": ranks[issue],
                      "severity_rank_by_batch": {b: batch_ranks[b][issue] for b in BATCHES},
                      "severity_by_batch": {b: round(batch_scores[b][issue], 2)
                                            for b in BATCHES},
                      "count": counts[issue]}
              for issue, spec in ISSUES.items()}
    return {
        "seed": sample.seed,
        "batches": list(BATCHES),
        "issues": issues,
        "records": [_record_entry(r) for r in records],
        "repeat_contacts": {batch: repeat_contacts(records, batch) for batch in BATCHES},
        "pii": _pii(records),
        "files": _files(records),
    }


def render_ground_truth(truth: dict[str, Any]) -> str:
    """JSON with one record a line, so the file stays readable and diffs stay small."""
    head = {key: value for key, value in truth.items() if key != "records"}
    lines = [json.dumps(r, ensure_ascii=False) for r in truth["records"]]
    body = json.dumps(head, ensure_ascii=False, indent=2)
    records = '"records": [\n    ' + ",\n    ".join(lines) + "\n  ]"
    return body[:-2] + ",\n  " + records + "\n}\n"


def render_config(seed: int) -> str:
    """voc.toml for the sample: one [[sources]] per export file, {batch} in every path."""
    return _CONFIG.format(seed=seed)


_CONFIG = """\
# voc.toml of the bundled sample (written by `voc demo`): a made-up omni-channel retailer,
# "Maplepoint / 枫点优选", two monthly batches of bilingual feedback in exports/<batch>/.
store = "voc.duckdb"

[project]
name = "Maplepoint sample"
timezone = "Asia/Shanghai"
seed = {seed}

[ingest]
# Fixed so the demo's customer keys are reproducible. Use a random salt for real data.
customer_salt = "voc-sample-salt-{seed}"

[text]
# The brand's own name says nothing about an issue: keep it out of topic keywords.
extra_stopwords = ["枫点", "优选", "枫点优选", "maplepoint"]

# Transcripts and e-mail need no column mapping: the readers know their shapes.
[[sources]]
name = "calls"
path = "exports/{{batch}}/call_transcripts.jsonl"
format = "transcript"
channel = "call"

[[sources]]
name = "chats"
path = "exports/{{batch}}/chat_sessions.json"
format = "transcript"
channel = "chat"

[[sources]]
name = "complaint_mail"
path = "exports/{{batch}}/complaints.mbox"
channel = "email"

[[sources]]
name = "app_reviews"
path = "exports/{{batch}}/app_reviews.csv"
channel = "app_review"
text = ["title", "body"]
id = "review_id"
time = "created"
customer = "user_id"
rating = "stars"

# GBK, as Chinese Excel exports it; encoding "auto" detects it.
[[sources]]
name = "nps_survey"
path = "exports/{{batch}}/nps_survey.csv"
channel = "survey"
text = "意见"
id = "回复编号"
time = "提交时间"
customer = "会员号"
nps = "推荐意愿"
date_format = "%Y/%m/%d %H:%M"

[[sources]]
name = "csat_survey"
path = "exports/{{batch}}/csat_survey.xlsx"
sheet = "Responses"
channel = "survey"
text = "Comment"
id = "Response ID"
time = "Submitted"
customer = "Customer"
csat = "CSAT"

# twitter and weibo are aliases of the social channel.
[[sources]]
name = "social"
path = "exports/{{batch}}/social_posts.jsonl"
channel_column = "platform"
text = "content"
id = "post_id"
time = "posted_at"
customer = "author"
date_format = "%a %b %d %H:%M:%S %z %Y"

[[sources]]
name = "order_reviews"
path = "exports/{{batch}}/order_reviews.parquet"
channel = "review"
text = "review"
id = "review_id"
time = "reviewed_at"
customer = "buyer_id"
rating = "rating"
"""
