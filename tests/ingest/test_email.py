"""E-mail reader: .eml/.mbox files generated with the stdlib email package in tmp_path."""

from __future__ import annotations

import base64
import mailbox
from email.header import Header
from email.message import EmailMessage
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import formataddr
from pathlib import Path

import pandas as pd
import pytest

from voc.errors import InputError
from voc.ingest.email import (
    EMAIL_COLUMNS,
    EMAIL_MAPPING,
    extract_new_text,
    html_to_text,
    read_eml,
    read_mbox,
)
from voc.records import ROW

DATE = "Sat, 03 Oct 2026 10:00:00 +0800"


def _write(tmp_path: Path, message: EmailMessage | MIMEMultipart | MIMEText,
           name: str = "m.eml") -> Path:
    path = tmp_path / name
    path.write_bytes(message.as_bytes())
    return path


def _plain(body: str, subject: str = "Order 1001", **headers: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = headers.pop("sender", "Anna Lee <Anna.Lee@Example.COM>")
    message["To"] = "Support <help@shop.example>, ops@shop.example"
    message["Subject"] = subject
    message["Date"] = DATE
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(body)
    return message


def test_email_plain_eml_headers_and_columns(tmp_path: Path) -> None:
    message = _plain("The kettle leaks.", Message_ID="<abc.123@mail.example>",
                     In_Reply_To="<prev.9@shop.example>")
    frame = read_eml(_write(tmp_path, message))
    assert list(frame.columns) == [*EMAIL_COLUMNS, ROW]
    row = frame.iloc[0]
    assert row["message_id"] == "abc.123@mail.example"
    assert row["date"] == DATE
    assert row["from"] == "anna.lee@example.com"
    assert row["to"] == "help@shop.example, ops@shop.example"
    assert row["subject"] == "Order 1001"
    assert row["body"] == "The kettle leaks."
    assert row["in_reply_to"] == "prev.9@shop.example"
    assert row["has_attachments"] == "false"
    assert row[ROW] == 1
    assert EMAIL_MAPPING["text"] == ["subject", "body"]


def test_email_missing_message_id_is_none(tmp_path: Path) -> None:
    frame = read_eml(_write(tmp_path, _plain("Hello there")))
    assert pd.isna(frame.iloc[0]["message_id"])


def test_email_html_only_body_becomes_text(tmp_path: Path) -> None:
    message = _plain("placeholder")
    message.set_content(
        "<html><head><style>p {color: red}</style><title>Ticket</title></head><body>"
        "<p>Delivery was <b>late</b>&nbsp;&amp; the box was wet.</p>"
        "<div>Order 1001</div><div>Please call me.</div>"
        "<script>alert('x')</script></body></html>",
        subtype="html",
    )
    body = read_eml(_write(tmp_path, message)).iloc[0]["body"]
    assert body == "Delivery was late & the box was wet.\n\nOrder 1001\nPlease call me."


def test_email_html_blockquote_history_dropped(tmp_path: Path) -> None:
    message = _plain("placeholder")
    message.set_content(
        "<div>Still broken.</div><div class='gmail_quote'>"
        "<blockquote type='cite'>AGENT SAID restart the router</blockquote></div>",
        subtype="html",
    )
    assert read_eml(_write(tmp_path, message)).iloc[0]["body"] == "Still broken."


def test_email_multipart_alternative_prefers_plain(tmp_path: Path) -> None:
    message = _plain("Plain words win.")
    message.add_alternative("<p>HTML words lose.</p>", subtype="html")
    assert read_eml(_write(tmp_path, message)).iloc[0]["body"] == "Plain words win."


def test_email_gbk_body_labelled_gb2312_and_encoded_subject(tmp_path: Path) -> None:
    # Senders label GBK text as gb2312; 镕 and 啰 exist only in GBK.
    text = "朱镕先生：快递一直没到，客服啰嗦半天也没解决。"
    part = MIMEText(text, "plain", "gbk")
    part.set_param("charset", "gb2312")
    subject = base64.b64encode("投诉：朱镕的快递".encode("gbk")).decode("ascii")
    part["Subject"] = f"=?gb2312?b?{subject}?="
    part["From"] = formataddr((str(Header("王先生", "utf-8")), "Wang@QQ.com"))
    part["Date"] = DATE
    row = read_eml(_write(tmp_path, part)).iloc[0]
    assert row["subject"] == "投诉：朱镕的快递"
    assert row["body"] == text
    assert row["from"] == "wang@qq.com"


def test_email_utf8_b_encoded_subject(tmp_path: Path) -> None:
    message = _plain("body", subject="退款 refund 问题")
    assert "=?utf-8?" in message.as_string()
    assert read_eml(_write(tmp_path, message)).iloc[0]["subject"] == "退款 refund 问题"


@pytest.mark.parametrize("cte", ["base64", "quoted-printable"])
def test_email_transfer_encodings_decoded(tmp_path: Path, cte: str) -> None:
    text = "Ünïcode café — " + "a long line that must be soft-wrapped " * 4 + "退款"
    message = _plain("x")
    message.set_content(text, cte=cte)
    assert cte in message.as_string().lower()
    assert read_eml(_write(tmp_path, message)).iloc[0]["body"] == text.strip()


def test_email_attachment_ignored_but_flagged(tmp_path: Path) -> None:
    message = MIMEMultipart("mixed")
    message["From"] = "c@x.com"
    message["Subject"] = "photo"
    message.attach(MIMEText("The screen is cracked, photo attached.", "plain", "utf-8"))
    notes = MIMEText("ATTACHED NOTES must not be read", "plain", "utf-8")
    notes.add_header("Content-Disposition", "attachment", filename="notes.txt")
    message.attach(notes)
    pdf = MIMEApplication(b"%PDF-1.4 binary", "pdf")
    pdf.add_header("Content-Disposition", "attachment", filename="invoice.pdf")
    message.attach(pdf)
    row = read_eml(_write(tmp_path, message)).iloc[0]
    assert row["body"] == "The screen is cracked, photo attached."
    assert row["has_attachments"] == "true"


def test_email_mbox_rows_numbered_and_from_unescaped(tmp_path: Path) -> None:
    path = tmp_path / "inbox.mbox"
    box = mailbox.mbox(path)
    box.add(_plain("First complaint.", Message_ID="<m1@x>"))
    box.add(_plain("From the start the app crashed.", Message_ID="<m2@x>"))
    box.add(_plain("Third one.\n\nOn Mon, 3 Oct 2026, Support <s@x.com> wrote:\n> AGENT TEXT"))
    box.flush()
    box.close()
    frame = read_mbox(path)
    assert frame[ROW].tolist() == [1, 2, 3]
    assert frame["message_id"].tolist()[:2] == ["m1@x", "m2@x"]
    assert frame["body"].tolist() == [
        "First complaint.", "From the start the app crashed.", "Third one."]


def test_email_unreadable_inputs_raise_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        read_eml(tmp_path / "missing.eml")
    not_mbox = tmp_path / "x.mbox"
    not_mbox.write_text("Subject: hi\n\nno From_ line\n")
    with pytest.raises(InputError, match="no messages"):
        read_mbox(not_mbox)


# --- quoted history ---------------------------------------------------------------------------
NEW_EN = "The refund has still not arrived."
NEW_ZH = "退款还没有到账。"
AGENT = "AGENT REPLY we processed it"


@pytest.mark.parametrize(("body", "expected"), [
    (f"{NEW_EN}\n\n> {AGENT}\n> yesterday", NEW_EN),
    (f"{NEW_EN}\n\nOn Mon, 3 Oct 2026 at 10:00, Support <s@shop.com> wrote:\n{AGENT}", NEW_EN),
    (f"{NEW_EN}\n\nOn Mon, 3 Oct 2026 at 10:00, Support Team <support@shop.com>\nwrote:\n"
     f"> {AGENT}", NEW_EN),
    (f"{NEW_EN}\n\n-----Original Message-----\nFrom: Support\nSent: Monday\n\n{AGENT}", NEW_EN),
    (f"{NEW_EN}\n\n________________________________\nFrom: Support <s@shop.com>\n"
     f"Sent: Monday, October 3, 2026 10:00 AM\nTo: Anna\nSubject: RE: refund\n\n{AGENT}",
     NEW_EN),
    (f"{NEW_EN}\n\n---------- Forwarded message ---------\nFrom: a@b.com\n\n{AGENT}", NEW_EN),
    (f"{NEW_ZH}\n\n在 2026年10月3日 周一 10:00，张三 <a@b.com> 写道：\n{AGENT}", NEW_ZH),
    (f"{NEW_ZH}\n\n张三 <a@b.com> 于2026年10月3日周一 10:00写道：\n> {AGENT}", NEW_ZH),
    (f"{NEW_ZH}\n\n------------------ 原始邮件 ------------------\n发件人: \"客服\"<kf@x.com>;\n"
     f"发送时间: 2026年10月3日(星期一) 上午10:00\n收件人: 我\n主题: 回复：退款\n\n{AGENT}", NEW_ZH),
    (f"{NEW_ZH}\n\n发件人: 客服 <kf@x.com>\n发送时间: 2026-10-03 10:00\n收件人: 我\n主题: 退款\n\n"
     f"{AGENT}", NEW_ZH),
], ids=["gt", "on-wrote", "on-wrote-wrapped", "original-message", "outlook-header",
        "forwarded", "zh-xiedao", "zh-gmail", "zh-yuanshi", "zh-fajianren"])
def test_email_quoted_history_removed(body: str, expected: str) -> None:
    result = extract_new_text(body)
    assert result == expected
    assert "AGENT" not in result


def test_email_interleaved_reply_keeps_only_answers() -> None:
    body = ("On Mon, 3 Oct 2026, Support <s@x.com> wrote:\n> AGENT asks: did it work?\n\n"
            "No, it still fails.\n> AGENT asks: anything else?\nYes, the refund.")
    assert extract_new_text(body) == "No, it still fails.\nYes, the refund."


def test_email_attribution_without_new_words_or_quotes_returns_nothing() -> None:
    body = "On Mon, 3 Oct 2026, Support <s@x.com> wrote:\nAGENT text pasted without quotes"
    assert extract_new_text(body) == ""


def test_email_forward_without_comment_keeps_forwarded_message() -> None:
    body = ("---------- Forwarded message ---------\nFrom: Jane <jane@x.com>\n"
            "Date: Mon, 3 Oct 2026\nSubject: Broken kettle\nTo: <shop@x.com>\n\n"
            "My kettle broke after two days.")
    assert extract_new_text(body) == "My kettle broke after two days."


def test_email_html_reply_through_eml(tmp_path: Path) -> None:
    message = _plain("placeholder")
    message.set_content(
        "<div>Not fixed yet.</div><div><br></div><div>On Mon, 3 Oct 2026, Support "
        "&lt;s@x.com&gt; wrote:</div><div>AGENT: please restart</div>", subtype="html")
    assert read_eml(_write(tmp_path, message)).iloc[0]["body"] == "Not fixed yet."


# --- signatures, closings, disclaimers --------------------------------------------------------
@pytest.mark.parametrize(("tail", "expected"), [
    ("\n\n-- \nJohn Smith\nACME Corp\n+1 555 0100", NEW_EN),
    ("\n\nSent from my iPhone", NEW_EN),
    ("\n\nSent from Outlook", NEW_EN),
    ("\n\nBest regards,\nJohn Smith\nACME Corp", NEW_EN),
    ("\nThanks,\nAnna", NEW_EN),
    ("\n\nThank you for your help,\nAnna Lee\nACME Ltd.\n+1 555 0100", NEW_EN),
    ("\n\nThis e-mail and any attachments are confidential and may be privileged. If you are "
     "not the intended recipient, delete it.", NEW_EN),
], ids=["dashes", "iphone", "outlook", "best-regards", "thanks", "thanks-for", "disclaimer"])
def test_email_english_signatures_stripped(tail: str, expected: str) -> None:
    assert extract_new_text(NEW_EN + tail) == expected


@pytest.mark.parametrize("tail", [
    "\n\n发自我的iPhone",
    "\n\n发自网易邮箱大师",
    "\n\n此致\n敬礼\n王先生",
    "\n\n谢谢！\n王先生",
    "\n\n本邮件及其附件含有保密信息，仅限于发送给上述地址的个人或群组。",
    "\n\n谢谢！\n王先生\n\n\n\n发自我的iPhone",
], ids=["iphone", "netease", "cizhi", "xiexie", "disclaimer", "combined"])
def test_email_chinese_signatures_stripped(tail: str) -> None:
    assert extract_new_text(NEW_ZH + tail) == NEW_ZH


def test_email_long_body_with_thanks_not_cut(tmp_path: Path) -> None:
    body = ("Thanks,\nI want to report that the delivery was late again.\n"
            "The driver left the box outside in the rain, thanks to that it was soaked.\n"
            "The manual was ruined and a cable is missing.\nI need a replacement.\n"
            "Please call me back before Friday.\nMy order number is 1001.")
    assert extract_new_text(body) == body
    assert read_eml(_write(tmp_path, _plain(body))).iloc[0]["body"] == body


def test_email_text_starting_like_a_signature_phrase_kept() -> None:
    body = "发自内心地感谢你们的客服，问题解决了。\nSent from the warehouse late, but it arrived."
    assert extract_new_text(body + "\n\nSent from my iPhone") == body


def test_email_blank_line_runs_collapsed() -> None:
    assert extract_new_text("first\n\n\n\n\nsecond\r\n\r\n\r\n\r\nthird") == (
        "first\n\nsecond\n\nthird")


def test_email_only_closing_kept_as_the_message() -> None:
    assert extract_new_text("Thanks!") == "Thanks!"


# --- html_to_text -----------------------------------------------------------------------------
def test_email_html_to_text_blocks_breaks_and_entities() -> None:
    html = ("<html><head><title>T</title></head><body><div>Hi,</div><div><br></div>"
            "<div>a&lt;b &amp; c</div><ul><li>one</li><li>two</li></ul>"
            "<table><tr><td>x</td><td>y</td></tr></table>line<br>break"
            "<!-- hidden --><style>.c{}</style><script>var s;</script></body></html>")
    assert html_to_text(html) == "Hi,\n\na<b & c\n\none\ntwo\n\nx y\n\nline\nbreak"
