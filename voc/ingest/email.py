"""E-mail readers: one .eml file or a .mbox archive → one raw row per message.

The body keeps only the sender's new words. Quoted replies, forwarded headers, signatures,
closings and legal disclaimers are cut, so an agent's earlier answer quoted in a customer's reply
is never scored as the customer's voice. Nothing else is interpreted here: dates stay raw header
strings and PII stays in place (the mapping, redaction and language steps do that work).

>>> extract_new_text("Still no refund.\\n\\nOn Mon, 3 Oct 2026, Support <s@x.com> wrote:\\n> Sorry")
'Still no refund.'
"""

from __future__ import annotations

import codecs
import mailbox
import re
from email.errors import HeaderParseError
from email.header import decode_header
from email.message import Message
from email.parser import BytesParser
from email.policy import compat32
from email.utils import getaddresses, parseaddr
from pathlib import Path
from typing import BinaryIO

import pandas as pd
from bs4 import BeautifulSoup, NavigableString

from voc.errors import InputError
from voc.records import ROW

# --- raw columns this reader produces, and how they map onto the unified record -------------
MESSAGE_ID = "message_id"
DATE = "date"
FROM = "from"
TO = "to"
SUBJECT = "subject"
BODY = "body"
IN_REPLY_TO = "in_reply_to"
HAS_ATTACHMENTS = "has_attachments"
EMAIL_COLUMNS: tuple[str, ...] = (
    MESSAGE_ID, DATE, FROM, TO, SUBJECT, BODY, IN_REPLY_TO, HAS_ATTACHMENTS,
)

EMAIL_MAPPING: dict[str, str | list[str]] = {
    "id": MESSAGE_ID,
    "time": DATE,
    "customer": FROM,
    "text": [SUBJECT, BODY],
}

# --- charsets ---------------------------------------------------------------------------------
# Declared charsets are often narrower than the bytes sent: GB2312 mail carries GBK/GB18030
# characters, Big5 mail carries HKSCS, ISO-8859-1 mail carries Windows-1252 quotes and
# US-ASCII mail carries UTF-8. Keyed by Python's canonical codec name, so every alias is covered.
_WIDER_CODEC = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "big5": "big5hkscs",
    "iso8859-1": "cp1252",
    "ascii": "utf-8",
    "euc_kr": "cp949",
}
_UNKNOWN_TO_PYTHON = {"x-gbk": "gbk", "x-big5": "big5"}


def _codec(charset: str | None) -> str | None:
    """The codec to decode a declared charset with, or None when it is unknown."""
    if not charset:
        return None
    name = charset.strip().strip("\"'").lower()
    try:
        canonical = codecs.lookup(_UNKNOWN_TO_PYTHON.get(name, name)).name
    except LookupError:
        return None
    return _WIDER_CODEC.get(canonical, canonical)


def _decode_bytes(data: bytes, charset: str | None) -> str:
    """Decode with the declared charset, then UTF-8, then GB18030; replace what still fails."""
    declared = _codec(charset)
    for encoding in dict.fromkeys(c for c in (declared, "utf-8", "gb18030") if c):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode(declared or "utf-8", errors="replace")


# --- headers ----------------------------------------------------------------------------------
_FOLD = re.compile(r"\r?\n(?=[ \t])")
_ANGLE_ID = re.compile(r"<([^<>\s]+)>")
_BARE_ADDRESS = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")


def _raw_header(message: Message, name: str) -> str | None:
    """The header as sent (compat32 would wrap 8-bit values in Header objects), unfolded."""
    wanted = name.lower()
    for key, value in message.raw_items():
        if key.lower() == wanted:
            text = str(value)
            try:
                text.encode("utf-8")
            except UnicodeEncodeError:  # raw 8-bit bytes, kept as surrogates by the parser
                text = _decode_bytes(text.encode("ascii", "surrogateescape"), None)
            return _FOLD.sub("", text).strip()
    return None


def _decode_words(raw: str) -> str:
    """Decode RFC 2047 encoded words (=?gb2312?b?...?=) with the lenient charset rules."""
    if "=?" not in raw:
        return raw
    try:
        parts = decode_header(raw)
    except (HeaderParseError, ValueError):
        return raw
    out = []
    for chunk, charset in parts:
        if isinstance(chunk, str):
            out.append(chunk)
        elif charset is None:  # decode_header returns plain runs as raw-unicode-escape bytes
            out.append(chunk.decode("raw-unicode-escape", errors="replace"))
        else:
            out.append(_decode_bytes(chunk, charset))
    return "".join(out).strip()


def _message_id(raw: str | None) -> str | None:
    if not raw:
        return None
    match = _ANGLE_ID.search(raw)
    value = match.group(1) if match else raw.strip("<> \t")
    return value or None


def _address(raw: str | None) -> str | None:
    """The bare sender address, lower-cased; parsed before decoding so names cannot break it."""
    if not raw:
        return None
    address = parseaddr(raw)[1]
    if "@" not in address:
        found = _BARE_ADDRESS.search(raw)
        address = found.group() if found else address
    return address.lower() or None


def _addresses(raw: str | None) -> str | None:
    if not raw:
        return None
    found = [addr.lower() for _, addr in getaddresses([raw]) if addr]
    return ", ".join(found) if found else _decode_words(raw)


# --- body parts -------------------------------------------------------------------------------
_META_CHARSET = re.compile(rb"""charset\s*=\s*["']?([\w.:-]+)""", re.IGNORECASE)


def _is_attachment(part: Message) -> bool:
    if part.get_content_disposition() == "attachment":
        return True
    if part.get_content_type() == "message/rfc822":  # a forwarded mail attached as a file
        return True
    return not part.is_multipart() and part.get_filename() is not None


def _part_text(part: Message) -> str:
    payload = part.get_payload(decode=True)  # undoes base64 and quoted-printable
    if not isinstance(payload, bytes):
        return ""
    charset = part.get_content_charset()
    if charset is None and part.get_content_type() == "text/html":
        declared = _META_CHARSET.search(payload[:4096])
        charset = declared.group(1).decode("ascii") if declared else None
    return _decode_bytes(payload, charset)


def _collect_parts(part: Message, plain: list[str], html: list[str]) -> bool:
    """Gather inline text/plain and text/html parts; True when an attachment was skipped."""
    if _is_attachment(part):
        return True
    if part.is_multipart():
        found = False
        for sub in part.get_payload():
            found = _collect_parts(sub, plain, html) or found
        return found
    content_type = part.get_content_type()
    if content_type == "text/plain":
        plain.append(_part_text(part))
    elif content_type == "text/html":
        html.append(_part_text(part))
    return False


# --- HTML -------------------------------------------------------------------------------------
_DROP_TAGS = ["script", "style", "head", "title", "noscript", "template", "object", "svg"]
_LINE_TAGS = frozenset({
    "div", "li", "tr", "dd", "dt", "dl", "section", "article", "header", "footer", "aside",
    "nav", "main", "address", "figure", "figcaption", "caption", "center", "form", "fieldset",
})
_PARA_TAGS = frozenset({
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "table", "ul", "ol", "hr",
})
_BLOCK_TAGS = sorted(_LINE_TAGS | _PARA_TAGS)
# Private-use characters mark breaks while HTML whitespace is collapsed; stripped from input.
_LINE, _PARA, _BR = "\ue000", "\ue001", "\ue002"
_MARKERS = str.maketrans("", "", _LINE + _PARA + _BR)
_WHITESPACE = re.compile(r"\s+")
_BREAK_RUN = re.compile(r"[ \ue000-\ue002]*[\ue000-\ue002][ \ue000-\ue002]*")


def _break(match: re.Match[str]) -> str:
    run = match.group()
    if _PARA in run:
        return "\n\n"
    # <div><br></div> is how webmail writes a blank line: a <br> inside a block adds one.
    return "\n" * min(2, run.count(_BR) + (_LINE in run))


def _soup_to_text(soup: BeautifulSoup) -> str:
    for tag in soup(_DROP_TAGS):
        tag.decompose()
    for pre in soup("pre"):
        for string in pre.find_all(string=True):
            if type(string) is NavigableString:  # not comments: they are invisible
                string.replace_with(string.replace("\n", _BR))
    for br in soup("br"):
        br.replace_with(_BR)
    for cell in soup(["td", "th"]):
        cell.append(" ")
    for tag in soup.find_all(_BLOCK_TAGS):
        mark = _PARA if tag.name in _PARA_TAGS else _LINE
        tag.insert_before(mark)
        tag.append(mark)
    text = _WHITESPACE.sub(" ", soup.get_text())
    return _BREAK_RUN.sub(_break, text).strip()


def html_to_text(html: str) -> str:
    """Visible text of an HTML document: blocks and <br> become line breaks, entities decoded.

    >>> html_to_text("<style>p{}</style><p>Hello&nbsp;<b>there</b></p><div>a<br>b</div>")
    'Hello there\\n\\na\\nb'
    """
    return _soup_to_text(BeautifulSoup(html.translate(_MARKERS), "html.parser"))


def _html_body_to_text(html: str) -> str:
    """Like html_to_text, but drops <blockquote>: in mail it always holds quoted history."""
    soup = BeautifulSoup(html.translate(_MARKERS), "html.parser")
    for quote in soup("blockquote"):
        quote.decompose()
    return _soup_to_text(soup)


# --- new text: quoted history ----------------------------------------------------------------
_ML = re.MULTILINE
_MLI = re.MULTILINE | re.IGNORECASE
# "On Mon, 3 Oct 2026 at 10:00, Name <a@b.com> wrote:" and "在 2026年10月3日 ... 写道：",
# possibly wrapped over two lines; or any line naming an address/date that ends in "wrote:".
_ATTRIBUTION = re.compile(
    r"^[ \t]*(?:On[ \t]|在)[^\n]{0,300}(?:\n[^\n]{0,300})?(?:wrote|写道)[ \t]*[:：][ \t]*$"
    r"|^[^\n>]{0,200}(?:<[^<>\n]+@[^<>\n]+>|\d{4}年|\d{4}-\d{1,2}-\d{1,2})[^\n]{0,200}"
    r"(?:wrote|写道)[ \t]*[:：][ \t]*$",
    _MLI,
)
_ORIGINAL = re.compile(
    r"^[ \t]*-{2,}[ \t]*(?:Original Message|原始邮件|邮件原文)[ \t]*-{2,}[ \t]*$", _MLI
)
_FORWARD = re.compile(
    r"^[ \t]*(?:-{2,}[ \t]*(?:Forwarded message|转发的邮件|转发邮件信息|转发邮件)[ \t]*-*"
    r"|Begin forwarded message:|以下为转发的邮件[:：]?)[ \t]*$",
    _MLI,
)
# Outlook / Foxmail / QQ header blocks: "From: ..." then "Sent:" / "发送时间:" within 4 lines,
# optionally after Outlook's line of underscores.
_HEADER_LABEL = r"[ \t]*\*?(?:{})\*?[ \t]*[:：]"
_HEADER_BLOCK = re.compile(
    r"^(?:[ \t]*_{10,}[ \t]*\n(?:[ \t]*\n)*)?"
    + _HEADER_LABEL.format("From|发件人|寄件者|寄件人")
    + r"[^\n]*\n(?:[^\n]*\n){0,3}?"
    + _HEADER_LABEL.format("Sent|Date|发送时间|日期|时间|寄件日期"),
    _MLI,
)
_FORWARD_SUBJECT = re.compile(
    _HEADER_LABEL.format("Subject|主题|主旨") + r"[ \t]*(?:FWD?|转发)[ \t]*[:：]", re.IGNORECASE
)
_HEADER_LINE = re.compile(
    r"(?:[ \t]*|[ \t]*_{10,}[ \t]*|"
    + _HEADER_LABEL.format(
        "From|Sent|Date|To|Cc|Subject|Reply-To|发件人|发送时间|日期|时间|收件人|抄送|主题|"
        "寄件者|寄件人|寄件日期|收件者|副本|主旨"
    )
    + r"[^\n]*)",
    re.IGNORECASE,
)
_NEW_WORDS = re.compile(r"^[ \t]*[^>\s]", _ML)
_STARTS_QUOTED = re.compile(r"\s*>")
_QUOTED_LINE = re.compile(r"^[ \t]*>[^\n]*(?:\n|\Z)", _ML)
_REPLY, _FORWARDED, _HISTORY = "reply", "forward", "history"
_MARKER_KINDS = ((_ATTRIBUTION, _REPLY), (_ORIGINAL, _HISTORY), (_FORWARD, _FORWARDED),
                 (_HEADER_BLOCK, _HISTORY))


def _first_marker(text: str) -> tuple[str, re.Match[str]] | None:
    found = [(m.start(), kind, m) for rx, kind in _MARKER_KINDS if (m := rx.search(text))]
    if not found:
        return None
    _, kind, match = min(found, key=lambda item: item[0])
    return kind, match


def _skip_header_lines(text: str) -> str:
    """Drop the From:/Date:/Subject: lines that open a forwarded message."""
    lines = text.split("\n")
    start = 0
    while start < len(lines) and _HEADER_LINE.fullmatch(lines[start]):
        start += 1
    return "\n".join(lines[start:])


def _cut_history(text: str) -> str:
    """Keep what the sender wrote above the first quoted-history marker.

    With nothing above it, a reply attribution followed by ">" lines means bottom-posting or
    inline answers (the quoted lines are removed later), and a forward with no comment keeps
    the forwarded message itself. Any other history with nothing above it leaves no new words.
    """
    while (found := _first_marker(text)) is not None:
        kind, match = found
        if _NEW_WORDS.search(text, 0, match.start()):
            return text[: match.start()]
        if kind == _REPLY and _STARTS_QUOTED.match(text, match.end()):
            text = text[match.end():]
        elif kind == _FORWARDED:
            text = _skip_header_lines(text[match.end():])
        elif kind == _HISTORY and _FORWARD_SUBJECT.search(text, match.start(),
                                                          match.end() + 600):
            text = _skip_header_lines(text[match.start():])
        else:
            return ""
    return text


# --- new text: signatures, disclaimers, closings ----------------------------------------------
_SIG_DASHES = re.compile(r"^--[ \t]?$", _ML)
_SENT_FROM = re.compile(
    r"^[ \t]*(?:Sent (?:from|with|via) \S[^\n]{0,45}|Get Outlook for \S[^\n]{0,30}"
    r"|(?:发自|来自|发送自)[ \t]*(?:我的|网易|QQ|手机|移动|Windows|iPhone|iPad|Android|华为|HUAWEI"
    r"|小米|荣耀|OPPO|vivo|三星|Samsung|Foxmail|阿里|腾讯)[^\n]{0,30})[ \t]*$",
    _MLI,
)
_DISCLAIMER = re.compile(
    r"^[ \t]*(?:(?:(?:CONFIDENTIALITY|IMPORTANT|LEGAL) NOTICE|DISCLAIMER)[ \t]*[:：]"
    r"|This (?:e-?mail|message|communication)\b[^\n]{0,80}\bconfidential"
    r"|The information (?:contained )?in this (?:e-?mail|message)[^\n]{0,80}confidential"
    r"|(?:本|此)(?:邮件|电子邮件|郵件)[^\n]{0,30}(?:保密|机密|機密)"
    r"|(?:免责声明|保密声明)[ \t]*[:：]?)",
    _MLI,
)
_CLOSING = re.compile(
    r"^[ \t]*(?:(?:best|kind|warm|warmest|many)?[ \t]*regards|best(?: wishes)?|cheers"
    r"|sincerely|yours (?:sincerely|truly|faithfully)|br"
    r"|(?:many )?thanks(?: again| in advance| a lot| so much| for (?:your|the) [^\n]{1,30})?"
    r"|thank you(?: again| in advance| so much| very much| for (?:your|the) [^\n]{1,30})?"
    r"|此致(?:敬礼)?|盼复|望回复|期待回复|谢谢(?:您|你)?|多谢|感谢|祝好|顺祝商祺|顺颂商祺|祝商祺|敬礼)"
    r"[ \t]*[,.!，。！~]*[ \t]*$",
    _MLI,
)
_MAX_CLOSING_TAIL_LINES = 4  # name, title, company, phone
_MAX_CLOSING_TAIL_CHARS = 60


def _short_tail(tail: str, max_lines: int, max_chars: int) -> bool:
    lines = [line for line in tail.split("\n") if line.strip()]
    return len(lines) <= max_lines and all(len(line.strip()) <= max_chars for line in lines)


def _cut_signature(text: str) -> str:
    dashes = _SIG_DASHES.search(text)
    if dashes:
        text = text[: dashes.start()]
    # "Sent from ..." is only a signature near the end; mid-letter it is the customer's words.
    for match in reversed(list(_SENT_FROM.finditer(text))):
        if _short_tail(text[match.end():], 3, 200):
            return text[: match.start()]
    return text


def _cut_disclaimer(text: str) -> str:
    """Cut a legal footer; one that opens the message is the sender's own words, kept."""
    match = _DISCLAIMER.search(text)
    if match is None or not text[: match.start()].strip():
        return text
    return text[: match.start()]


def _cut_closing(text: str) -> str:
    """Strip "Best regards,\\nJohn" only when a few short lines follow and words precede it."""
    for match in _CLOSING.finditer(text):
        tail = text[match.end():]
        if _short_tail(tail, _MAX_CLOSING_TAIL_LINES, _MAX_CLOSING_TAIL_CHARS):
            head = text[: match.start()]
            return head if head.strip() else text
    return text


_TRAILING_SPACE = re.compile(r"[ \t]+$", _ML)
_BLANK_RUN = re.compile(r"\n{3,}")


def extract_new_text(body: str) -> str:
    """The sender's new words: quoted replies, forwarded headers, signatures, closings and
    legal disclaimers removed; runs of blank lines collapsed.

    >>> extract_new_text("退款还没到账。\\n\\n谢谢！\\n王先生\\n\\n发自我的iPhone")
    '退款还没到账。'
    """
    text = body.replace("\r\n", "\n").replace("\r", "\n")
    text = _cut_history(text)
    text = _QUOTED_LINE.sub("", text)
    text = _cut_signature(text)
    text = _cut_disclaimer(text)
    text = _TRAILING_SPACE.sub("", text)
    text = _cut_closing(text)
    return _BLANK_RUN.sub("\n\n", text).strip()


# --- messages → rows --------------------------------------------------------------------------
_MBOX_FROM_ESCAPE = re.compile(r"^>(>*From )", _ML)


def _body(message: Message, from_escaped: bool) -> tuple[str, bool]:
    plain: list[str] = []
    html: list[str] = []
    has_attachments = _collect_parts(message, plain, html)
    texts = plain or [_html_body_to_text(part) for part in html]  # text/plain preferred
    text = "\n\n".join(texts)
    if from_escaped:  # mbox writers turn body lines "From ..." into ">From ..."
        text = _MBOX_FROM_ESCAPE.sub(r"\1", text)
    return extract_new_text(text), has_attachments


def _message_row(message: Message, row: int, from_escaped: bool) -> dict[str, object]:
    body, has_attachments = _body(message, from_escaped)
    subject = _raw_header(message, "Subject")
    return {
        MESSAGE_ID: _message_id(_raw_header(message, "Message-ID")),
        DATE: _raw_header(message, "Date") or None,
        FROM: _address(_raw_header(message, "From")),
        TO: _addresses(_raw_header(message, "To")),
        SUBJECT: _decode_words(subject) if subject is not None else None,
        BODY: body,
        IN_REPLY_TO: _message_id(_raw_header(message, "In-Reply-To")),
        HAS_ATTACHMENTS: "true" if has_attachments else "false",
        ROW: row,
    }


def _frame(rows: list[dict[str, object]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=[*EMAIL_COLUMNS, ROW])
    frame[ROW] = frame[ROW].astype("int64")
    return frame


def _parse(fp: BinaryIO) -> Message:
    return BytesParser(policy=compat32).parse(fp)


def read_eml(path: Path) -> pd.DataFrame:
    """One .eml message → a one-row frame of EMAIL_COLUMNS plus ROW (= 1).

    >>> read_eml(Path("complaint.eml"))[["from", "body"]]  # doctest: +SKIP
    """
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(path, f"cannot read e-mail file: {exc.strerror or exc}") from exc
    message = BytesParser(policy=compat32).parsebytes(data)
    return _frame([_message_row(message, 1, from_escaped=False)])


def read_mbox(path: Path) -> pd.DataFrame:
    """Every message of an mbox archive → one row each; ROW is the 1-based message index.

    >>> read_mbox(Path("inbox.mbox"))[["message_id", "subject"]]  # doctest: +SKIP
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(path, "mbox file not found")
    try:
        box = mailbox.mbox(path, factory=_parse, create=False)
        try:
            rows = [_message_row(msg, i, from_escaped=True) for i, msg in enumerate(box, 1)]
        finally:
            box.close()
    except OSError as exc:
        raise InputError(path, f"cannot read mbox file: {exc.strerror or exc}") from exc
    if not rows and path.stat().st_size > 0:
        raise InputError(path, "no messages found (each mbox message starts with a 'From ' line)")
    return _frame(rows)
