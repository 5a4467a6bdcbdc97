"""Encoding detection on byte fixtures written to tmp_path: UTF-8, BOMs, GBK, broken bytes."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from voc.ingest.encoding import (
    SAMPLE_BYTES,
    detect_encoding,
    detect_encoding_of_bytes,
    normalise_encoding_name,
)

ZH_CSV = ("订单号,评论\n"
          "1001,配送太慢了，等了五天才到\n"
          "1002,客服态度很好，退款很快\n"
          "1003,包装破损，商品有划痕\n")


def _write(tmp_path: Path, data: bytes, name: str = "export.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_encoding_utf8_detected(tmp_path: Path) -> None:
    path = _write(tmp_path, ZH_CSV.encode("utf-8"))
    assert detect_encoding(path) == "utf-8"
    assert path.read_text(encoding=detect_encoding(path)) == ZH_CSV


def test_encoding_ascii_and_empty_are_utf8(tmp_path: Path) -> None:
    assert detect_encoding(_write(tmp_path, b"id,text\n1,great app\n")) == "utf-8"
    assert detect_encoding(_write(tmp_path, b"", "empty.csv")) == "utf-8"


def test_encoding_utf8_bom_detected_as_utf8_sig(tmp_path: Path) -> None:
    path = _write(tmp_path, ZH_CSV.encode("utf-8-sig"))
    encoding = detect_encoding(path)
    assert encoding == "utf-8-sig"
    # The BOM must not end up in the first header name.
    assert path.read_text(encoding=encoding).startswith("订单号")


@pytest.mark.parametrize("codec", ["gbk", "gb18030", "gb2312"])
def test_encoding_gbk_family_detected_as_gb18030(tmp_path: Path, codec: str) -> None:
    path = _write(tmp_path, ZH_CSV.encode(codec))
    encoding = detect_encoding(path)
    assert encoding == "gb18030"
    assert path.read_text(encoding=encoding) == ZH_CSV


@pytest.mark.parametrize(("bom", "codec"), [(codecs.BOM_UTF16_LE, "utf-16-le"),
                                             (codecs.BOM_UTF16_BE, "utf-16-be")])
def test_encoding_utf16_with_bom_detected(tmp_path: Path, bom: bytes, codec: str) -> None:
    path = _write(tmp_path, bom + ZH_CSV.encode(codec))
    encoding = detect_encoding(path)
    assert encoding == "utf-16"
    assert path.read_text(encoding=encoding) == ZH_CSV


def test_encoding_mostly_gbk_with_one_broken_sequence_is_gb18030(tmp_path: Path) -> None:
    good = (ZH_CSV * 20).encode("gbk")
    broken = b"2001,\xff\xfe\x80 broken bytes\n"
    data = good + broken + good
    with pytest.raises(UnicodeDecodeError):
        data.decode("gb18030")  # really broken: strict decoding fails
    assert detect_encoding(_write(tmp_path, data)) == "gb18030"


def test_encoding_truncated_character_at_sample_boundary_is_ignored(tmp_path: Path) -> None:
    line = "1,配送太慢了，等了五天才到\n".encode()
    data = line * (SAMPLE_BYTES // len(line) + 2)
    # The fixture must really split a three-byte character at the 1 MiB cut.
    with pytest.raises(UnicodeDecodeError):
        data[:SAMPLE_BYTES].decode("utf-8")
    assert detect_encoding(_write(tmp_path, data)) == "utf-8"


def test_encoding_truncated_sample_cut_at_last_newline() -> None:
    sample = "配送太慢了\n配送太慢了\n".encode()[:-2]  # ends inside the last character
    assert detect_encoding_of_bytes(sample, truncated=True) == "utf-8"
    gbk = "配送太慢了\n配送太慢了\n".encode("gbk")[:-2]
    assert detect_encoding_of_bytes(gbk, truncated=True) == "gb18030"


@pytest.mark.parametrize(("name", "expected"), [
    ("GBK", "gb18030"),
    ("gb2312", "gb18030"),
    ("GB_2312", "gb18030"),
    ("cp936", "gb18030"),
    ("GB18030", "gb18030"),
    ("UTF8-BOM", "utf-8-sig"),
    ("utf-8-bom", "utf-8-sig"),
    ("utf_8_sig", "utf-8-sig"),
    ("UTF-8", "utf-8"),
    (" utf-16 ", "utf-16"),
    ("Latin-1", "latin-1"),
])
def test_encoding_normalise_name_spellings(name: str, expected: str) -> None:
    normalised = normalise_encoding_name(name)
    assert normalised == expected
    codecs.lookup(normalised)  # Python can open files with it


@pytest.mark.parametrize("name", ["klingon", "utf-9", ""])
def test_encoding_normalise_unknown_name_raises_lookup_error(name: str) -> None:
    with pytest.raises(LookupError):
        normalise_encoding_name(name)


def test_encoding_small_utf8_file_with_one_broken_byte_stays_utf8(tmp_path: Path) -> None:
    # too small for the share of broken characters to decide: the valid multi-byte
    # sequences around the bad byte show it is UTF-8 (a guess read it as a Cyrillic code page)
    data = ("review_id,body,stars,created\n1,配送太慢了,1,2026-10-02\n2,ok but,5\n"
            "3,\x00 broken bytes,2,2026-10-03\n4,很好 但是 贵,4,not-a-date\n"
            "5,Great service!,x,2026-10-05\n").encode().replace(b"\x00", b"\x81")
    assert detect_encoding(_write(tmp_path, data)) == "utf-8"


def test_encoding_small_latin1_file_is_not_taken_for_utf8(tmp_path: Path) -> None:
    text = "id,comment\n1,café très bien, livraison rapide\n2,déçu du délai\n"
    # no valid multi-byte sequence: the UTF-8 evidence rule must not claim it
    encoding = detect_encoding(_write(tmp_path, text.encode("latin-1")))
    assert encoding != "utf-8"
    assert "\ufffd" not in text.encode("latin-1").decode(encoding, errors="replace")
