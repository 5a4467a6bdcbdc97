"""Write each source file of a batch, byte for byte the same on every run.

Nothing here reads the clock: e-mail dates, mbox "From " lines, workbook properties and the
zip entries inside the .xlsx all carry fixed times.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime
from email.charset import QP, Charset
from email.generator import BytesGenerator
from email.header import Header
from email.mime.text import MIMEText
from email.utils import format_datetime, formataddr
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from openpyxl import Workbook
from openpyxl.writer.excel import ExcelWriter

from voc.records import RejectReason
from voc.sample.bundle import SampleRecord
from voc.sample.shapes import email_html
from voc.sample.world import BRAND_EN, SUPPORT_ADDRESS

APP_REVIEW_COLUMNS = ("review_id", "created", "user_id", "stars", "title", "body", "app_version",
                      "platform")
NPS_COLUMNS = ("回复编号", "提交时间", "会员号", "推荐意愿", "意见", "门店")
CSAT_COLUMNS = ("Response ID", "Submitted", "Customer", "CSAT", "Comment", "Region")
CSAT_SHEET = "Responses"
INVALID_GBK = b"\xff\xfe"  # neither GBK nor GB18030 can start a character with 0xFF
# Workbook properties and zip entry times of the .xlsx (openpyxl would stamp "now").
XLSX_TIME = datetime(2026, 11, 1, 9, 0, 0)
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _json_line(row: object) -> str:
    return json.dumps(row, ensure_ascii=False)


def write_jsonl(path: Path, records: list[SampleRecord]) -> None:
    """One JSON object a line; a malformed-row record is written cut off mid-object."""
    lines = []
    for record in records:
        line = _json_line(record.built.row)
        if record.reject_reason == RejectReason.MALFORMED_ROW:
            line = line[: len(line) // 2]
        lines.append(line + "\n")
    path.write_text("".join(lines), encoding="utf-8")


def write_json_array(path: Path, records: list[SampleRecord]) -> None:
    rows = [record.built.row for record in records]
    path.write_text(json.dumps(rows, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


# --- mbox ----------------------------------------------------------------------------------
def _header(value: str, charset: str) -> str | Header:
    return value if value.isascii() else Header(value, charset)


def _mime(row: dict) -> MIMEText:
    charset = row["charset"]
    encoding = Charset(charset)
    if charset == "utf-8" and row["quoted_printable"]:
        encoding.body_encoding = QP
    if row["html"]:
        message = MIMEText(email_html(row["body"]), "html", encoding)  # type: ignore[arg-type]
    else:
        message = MIMEText(row["body"], "plain", encoding)  # type: ignore[arg-type]
    message["From"] = formataddr((row["from_name"], row["from_addr"]), charset=charset)
    message["To"] = formataddr((f"{BRAND_EN} Support", SUPPORT_ADDRESS))
    message["Subject"] = _header(row["subject"], charset)
    message["Date"] = format_datetime(row["date"])
    message["Message-ID"] = f"<{row['message_id']}>"
    return message


def _from_line(address: str, sent: datetime) -> bytes:
    t = sent.astimezone(UTC)
    stamp = f"{_DAYS[t.weekday()]} {_MONTHS[t.month - 1]} {t.day:2d} {t:%H:%M:%S} {t.year}"
    return f"From {address} {stamp}\n".encode("ascii")


def write_mbox(path: Path, records: list[SampleRecord]) -> None:
    """Messages in mbox format, written with the stdlib email package (no mailbox clock)."""
    out = io.BytesIO()
    for record in records:
        row = record.built.row
        out.write(_from_line(row["from_addr"], row["date"]))
        BytesGenerator(out, mangle_from_=True).flatten(_mime(row))
        out.write(b"\n")
    path.write_bytes(out.getvalue())


# --- delimited text ------------------------------------------------------------------------------
def write_app_reviews(path: Path, records: list[SampleRecord]) -> None:
    """UTF-8 CSV; bodies with line breaks are quoted, a ragged row has one field too many."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(APP_REVIEW_COLUMNS)
        writer.writerows(record.built.row for record in records)


def _csv_line(row: list[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(row)
    return buffer.getvalue()


def write_nps(path: Path, records: list[SampleRecord]) -> None:
    """GBK CSV with CRLF line ends, as Chinese Excel saves it; one line carries invalid bytes."""
    out = [_csv_line(list(NPS_COLUMNS)).encode("gbk")]
    for record in records:
        row = record.built.row
        line = _csv_line(row)
        if record.reject_reason == RejectReason.UNDECODABLE:
            cut = line.index(row[4]) + len(row[4]) // 2
            out.append(line[:cut].encode("gbk") + INVALID_GBK + line[cut:].encode("gbk"))
        else:
            out.append(line.encode("gbk"))
    path.write_bytes(b"".join(out))


# --- spreadsheets and columnar -------------------------------------------------------------
def write_csat(path: Path, records: list[SampleRecord]) -> None:
    """An .xlsx whose bytes depend only on its rows: fixed properties and zip entry times."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = CSAT_SHEET
    sheet.append(CSAT_COLUMNS)
    for record in records:
        sheet.append(record.built.row)
    for (cell,) in sheet.iter_rows(min_row=2, min_col=2, max_col=2):
        cell.number_format = "yyyy-mm-dd hh:mm:ss"
    props = workbook.properties
    props.creator = props.lastModifiedBy = "voc sample"
    props.created = props.modified = XLSX_TIME
    raw = io.BytesIO()
    ExcelWriter(workbook, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED)).save()
    path.write_bytes(_fixed_zip_times(raw.getvalue()))


def _fixed_zip_times(data: bytes) -> bytes:
    """Re-pack a zip with every entry stamped XLSX_TIME (zipfile stamps the current time)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=XLSX_TIME.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


def write_order_reviews(path: Path, records: list[SampleRecord]) -> None:
    rows = [record.built.row for record in records]
    table = pa.table({
        "review_id": pa.array([r["review_id"] for r in rows], pa.string()),
        "order_id": pa.array([r["order_id"] for r in rows], pa.string()),
        "reviewed_at": pa.array([r["reviewed_at"] for r in rows], pa.timestamp("s")),
        "buyer_id": pa.array([r["buyer_id"] for r in rows], pa.string()),
        "rating": pa.array([r["rating"] for r in rows], pa.int8()),
        "review": pa.array([r["review"] for r in rows], pa.string()),
    })
    pq.write_table(table, path, compression="snappy")


WRITERS: dict[str, Callable[[Path, list[SampleRecord]], None]] = {
    "calls": write_jsonl,
    "chats": write_json_array,
    "complaint_mail": write_mbox,
    "app_reviews": write_app_reviews,
    "nps_survey": write_nps,
    "csat_survey": write_csat,
    "social": write_jsonl,
    "order_reviews": write_order_reviews,
}
