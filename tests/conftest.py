"""Shared fixtures: small generated inputs with planted answers, temporary stores."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from voc.config import IngestSettings, ProjectSettings, Settings, SourceConfig

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"

REVIEWS_CSV = (
    "review_id,created,user_id,stars,title,body,app_version\n"
    "r1,2026-10-03 14:05:00,u1,1,Late,\"Delivery was late again, call me on 138-1234-5678\",5.1\n"
    "r2,not a date,u2,5,Great,Love it,5.1\n"
    "r3,2026-10-04 09:00:00,u3,9,Meh,ok,5.1\n"
    "r4,2026-10-04 10:00:00,u4,2,,,5.1\n"
    "r5,2026-10-05 11:00:00,u5,1,Refund,\"Refund never arrived after three weeks of waiting "
    "for my money back\",5.2\n"
    "r6,2026-10-05 12:00:00,u6,1,Refund,\"Refund never arrived after three weeks of waiting "
    "for my money back!!\",5.2\n"
    "r7,2026-10-06 08:30:00,u7,2,退款,\"退款一直沒到賬，\n服務態度很差\",5.2\n"
    "r8,2026-10-06 08:31:00,u8,4,Nice,\"Good app, but login is slow\",5.2,extra\n"
)
# r2 bad date, r3 bad score, r4 empty, r6 near-dup of r5, r8 ragged → 3 accepted, 1 dup, 4 rej.
REVIEWS_EXPECTED = {"input_rows": 8, "accepted": 3, "duplicates": 1, "rejected": 4}

SURVEY_ROWS = [
    ("回复编号", "提交时间", "会员号", "推荐意愿", "意见"),
    ("s1", "2026/10/3 14:05", "C001", "2", "配送太慢了，等了五天才到"),
    ("s2", "2026/10/4 9:00", "C002", "10", "很好"),
    ("s3", "2026/10/4 9:30", "C003", "10", "很好"),
    ("s4", "2026/10/5 9:30", "C004", "11", "打分有误"),
]
SURVEY_EXPECTED = {"input_rows": 4, "accepted": 3, "duplicates": 0, "rejected": 1}

CHATS = [
    {"session_id": "c1", "created_at": "2026-10-03T06:00:00Z", "user_id": "C001",
     "messages": [{"role": "agent", "content": "您好，请问有什么可以帮您？"},
                  {"role": "user", "content": "我的退款申请一周了还没处理"},
                  {"role": "agent", "content": "抱歉，我帮您催一下"},
                  {"role": "user", "content": "请尽快，电话是13912345678"}]},
    {"session_id": "c2", "created_at": "2026-10-04T06:00:00Z", "user_id": "C009",
     "messages": [{"role": "user", "content": "App keeps crashing when I log in"},
                  {"role": "agent", "content": "Sorry, please update to 5.2.1"}]},
]
CHATS_EXPECTED = {"input_rows": 2, "accepted": 2, "duplicates": 0, "rejected": 0}


def write_fixture_project(root: Path, batch: str = "2026-10") -> Settings:
    """Three sources (UTF-8 CSV, GBK CSV, chat JSON) for one batch, and their Settings."""
    folder = root / "exports" / batch
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "reviews.csv").write_text(REVIEWS_CSV, encoding="utf-8")
    survey = "\r\n".join(",".join(row) for row in SURVEY_ROWS) + "\r\n"
    (folder / "nps.csv").write_bytes(survey.encode("gbk"))
    (folder / "chats.json").write_text(json.dumps(CHATS, ensure_ascii=False), encoding="utf-8")
    return Settings(
        project=ProjectSettings(timezone="Asia/Shanghai", seed=7),
        ingest=IngestSettings(customer_salt="test-salt", lock_timeout_seconds=5),
        sources=[
            SourceConfig(name="reviews", path="exports/{batch}/reviews.csv", channel="app_review",
                         text=["title", "body"], id="review_id", time="created",
                         customer="user_id", rating="stars"),
            SourceConfig(name="nps", path="exports/{batch}/nps.csv", channel="survey",
                         text=["意见"], id="回复编号", time="提交时间", customer="会员号",
                         nps="推荐意愿"),
            SourceConfig(name="chats", path="exports/{batch}/chats.json", channel="chat"),
        ],
        base_dir=root,
    )


@pytest.fixture
def project(tmp_path: Path) -> Settings:
    return write_fixture_project(tmp_path)


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "store" / "voc.duckdb"


def settings_toml(settings: Settings) -> str:
    """Render Settings as voc.toml text (for CLI tests)."""
    lines = [f'store = "{settings.store}"', "", "[project]",
             f'timezone = "{settings.project.timezone}"', f"seed = {settings.project.seed}", "",
             "[ingest]", f'customer_salt = "{settings.ingest.customer_salt}"',
             f"lock_timeout_seconds = {settings.ingest.lock_timeout_seconds}"]
    for source in settings.sources:
        lines += ["", "[[sources]]"]
        for key, value in source.model_dump(exclude_defaults=True).items():
            lines.append(f"{key} = {json.dumps(value, ensure_ascii=False)}")
    return "\n".join(lines) + "\n"
