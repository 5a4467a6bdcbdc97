"""voc.sample.serialise: files are byte-stable and carry the planted encoding faults."""

from __future__ import annotations

import csv
import mailbox
import zipfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pandas as pd

from voc.records import RejectReason
from voc.sample.batchplan import RecordPlan
from voc.sample.bundle import SampleRecord
from voc.sample.serialise import (
    INVALID_GBK,
    XLSX_TIME,
    write_app_reviews,
    write_csat,
    write_jsonl,
    write_mbox,
    write_nps,
)
from voc.sample.shapes import Built

WHEN = datetime(2026, 9, 3, 14, 5)


def _record(row: object, reject: RejectReason | None = None, text: str = "") -> SampleRecord:
    plan = RecordPlan("2026-09", "x", "praise", "zh", WHEN, "C1", reject=reject)
    return SampleRecord(plan, "id", Built(row, text, text, "zh"), WHEN)


def test_serialise_nps_is_gbk_with_one_broken_line(tmp_path: Path) -> None:
    rows = [["260900001", "2026/9/3 14:05", "C1", "9", "配送很快，包装也好", "上海"],
            ["260900002", "2026/9/3 15:00", "C2", "3", "退款一直不到账", "北京"]]
    path = tmp_path / "nps.csv"
    write_nps(path, [_record(rows[0]), _record(rows[1], RejectReason.UNDECODABLE)])
    lines = path.read_bytes().split(b"\r\n")
    assert lines[0].decode("gbk").startswith("回复编号,提交时间")
    assert lines[1].decode("gbk") == ",".join(rows[0])
    assert INVALID_GBK in lines[2] and lines[2].startswith(b"260900002,")
    assert lines[2].replace(INVALID_GBK, b"").decode("gbk") == ",".join(rows[1])
    assert lines[3] == b""


def test_serialise_app_reviews_quote_line_breaks_and_keep_ragged_rows(tmp_path: Path) -> None:
    path = tmp_path / "app.csv"
    good = ["AR1", "2026-09-03 14:05:00", "C1", "5", "Great", "Fast,\nfriendly", "5.1.2", "iOS"]
    write_app_reviews(path, [_record(good), _record([*good[:7], "iOS", "N/A"])])
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[1] == good and len(rows[2]) == 9


def test_serialise_jsonl_cuts_the_malformed_line(tmp_path: Path) -> None:
    path = tmp_path / "posts.jsonl"
    write_jsonl(path, [_record({"a": "好"}), _record({"b": "x" * 20}, RejectReason.MALFORMED_ROW)])
    first, second = path.read_text(encoding="utf-8").splitlines()
    assert first == '{"a": "好"}' and second == '{"b": "xxxxxxx'  # half of the 29 characters


def test_serialise_csat_xlsx_has_fixed_times_and_dates(tmp_path: Path) -> None:
    rows = [["R_1", WHEN, "C1", 5, "Great", "APAC"], ["R_2", WHEN, "C2", 1, "Slow", "UK"]]
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    write_csat(first, [_record(r) for r in rows])
    write_csat(second, [_record(r) for r in rows])
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as archive:
        assert {i.date_time for i in archive.infolist()} == {XLSX_TIME.timetuple()[:6]}
    frame = pd.read_excel(first, engine="openpyxl", sheet_name="Responses")
    assert frame["Submitted"].tolist() == [pd.Timestamp(WHEN)] * 2


def test_serialise_mbox_round_trips(tmp_path: Path) -> None:
    sent = WHEN.replace(tzinfo=timezone(timedelta(hours=8)))
    rows = [{"message_id": "1.a@mail.example.com", "date": sent, "from_name": "王芳",
             "from_addr": "wang.fang@example.com", "subject": "退款没到", "charset": "gbk",
             "body": "您好，\nFrom now on I wait.\n\n谢谢", "html": False,
             "quoted_printable": False},
            {"message_id": "2.b@mail.example.com", "date": sent, "from_name": "Tom Ward",
             "from_addr": "tom@example.net", "subject": "Hi", "charset": "utf-8",
             "body": "Hi,\nFrom here.", "html": True, "quoted_printable": True}]
    path = tmp_path / "m.mbox"
    write_mbox(path, [_record(r) for r in rows])
    assert path.read_bytes().startswith(b"From wang.fang@example.com Thu Sep  3 06:05:00 2026\n")
    messages = list(mailbox.mbox(path))
    assert [m["Message-ID"] for m in messages] == ["<1.a@mail.example.com>",
                                                   "<2.b@mail.example.com>"]
    assert messages[0]["Subject"].startswith("=?gbk?")
    assert messages[0].get_payload(decode=True).decode("gbk") == rows[0]["body"]
    assert messages[1].get_content_type() == "text/html"
    assert messages[1]["Content-Transfer-Encoding"] == "quoted-printable"
