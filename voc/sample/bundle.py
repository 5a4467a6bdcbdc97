"""The generated sample in memory: one SampleRecord per row, message, line or conversation."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from voc.records import Channel, RejectReason
from voc.sample.batchplan import RecordPlan
from voc.sample.shapes import Built

SAMPLE_SEED = 2026


@dataclass(frozen=True)
class SourceFile:
    """One export file of a batch and how voc.toml describes it."""

    name: str  # source name in voc.toml
    file: str  # file name inside exports/<batch>/
    channel: Channel


SOURCE_FILES: dict[str, SourceFile] = {
    "calls": SourceFile("calls", "call_transcripts.jsonl", Channel.CALL),
    "chats": SourceFile("chats", "chat_sessions.json", Channel.CHAT),
    "complaint_mail": SourceFile("complaint_mail", "complaints.mbox", Channel.EMAIL),
    "app_reviews": SourceFile("app_reviews", "app_reviews.csv", Channel.APP_REVIEW),
    "nps_survey": SourceFile("nps_survey", "nps_survey.csv", Channel.SURVEY),
    "csat_survey": SourceFile("csat_survey", "csat_survey.xlsx", Channel.SURVEY),
    "social": SourceFile("social", "social_posts.jsonl", Channel.SOCIAL),
    "order_reviews": SourceFile("order_reviews", "order_reviews.parquet", Channel.REVIEW),
}


@dataclass
class SampleRecord:
    """A record as written, with the truth about it."""

    plan: RecordPlan
    record_id: str | None  # None when the row cannot be parsed (a malformed JSON line)
    built: Built
    when: datetime  # local time of this copy (a re-sent e-mail is later than the original)
    duplicate_of: str | None = None
    pii_value: str | None = None

    @property
    def batch(self) -> str:
        return self.plan.batch

    @property
    def source(self) -> str:
        return self.plan.source

    @property
    def issue(self) -> str | None:
        return None if self.reject_reason else self.plan.issue

    @property
    def reject_reason(self) -> RejectReason | None:
        return self.plan.reject

    @property
    def text(self) -> str:
        return self.built.text

    @property
    def lang(self) -> str:
        return self.built.lang

    @property
    def counted(self) -> bool:
        """Accepted and not a duplicate: what an analysis of the batch should count."""
        return self.reject_reason is None and self.duplicate_of is None


@dataclass
class Sample:
    seed: int
    records: list[SampleRecord] = field(default_factory=list)

    def of(self, batch: str, source: str) -> list[SampleRecord]:
        """Records of one file, in file order."""
        return [r for r in self.records if r.batch == batch and r.source == source]
