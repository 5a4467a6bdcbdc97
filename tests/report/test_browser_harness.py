"""The browser harness itself (tests/report/conftest.py), on tiny hand-written HTML files.

No voc module is tested here; tests/test_layout.py maps modules to test files, not the reverse.
"""

from __future__ import annotations

import os
from pathlib import Path

from tests.report.conftest import open_report_in

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
ZH = "退款一直没到账，服务态度很差"


def write_page(folder: Path, body: str, name: str = "report.html") -> Path:
    path = folder / name
    path.write_text(
        "<!doctype html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
        f"<title>harness</title></head>\n<body>\n{body}\n</body></html>\n",
        encoding="utf-8",
    )
    return path


CLEAN_BODY = f"""
<h1 id="zh" style="font-family: sans-serif">{ZH}</h1>
<p>Delivery was late again.</p>
<svg width="120" height="40" viewBox="0 0 120 40" role="img" aria-label="bar">
  <rect x="0" y="0" width="90" height="40" fill="#36c"></rect>
</svg>
<a href="#zh">back to top</a>
"""


def test_clean_page_has_no_errors_requests_or_tofu(open_report, tmp_path: Path) -> None:
    report = write_page(tmp_path, CLEAN_BODY)
    shot = tmp_path / "shots" / "clean.png"
    with open_report(report, shot) as check:
        assert check.console_errors == []
        assert check.page_errors == []
        assert check.requests == []
        assert check.dialogs == []
        assert check.executed_scripts() == 0
        box = check.page.locator("svg rect").bounding_box()
        assert box is not None and box["width"] == 90
        assert check.page.locator("#zh").inner_text() == ZH
        cjk = check.cjk_rendering("#zh")
        assert cjk.ok, cjk
        assert any("CJK" in family for family in cjk.fonts), cjk
    data = shot.read_bytes()
    assert data.startswith(PNG_MAGIC) and len(data) > 1000


def test_cjk_check_sees_tofu_without_a_cjk_font(launch_chromium, tmp_path: Path) -> None:
    # Same page, but Chromium's fontconfig only knows DejaVu (no CJK coverage): the check
    # must fail, which is what it would do on a machine without fonts-noto-cjk.
    cache = tmp_path / "fc-cache"
    config = tmp_path / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>'
        f"<dir>/usr/share/fonts/truetype/dejavu</dir><cachedir>{cache}</cachedir></fontconfig>\n",
        encoding="utf-8",
    )
    browser = launch_chromium(env={**os.environ, "FONTCONFIG_FILE": str(config)})
    try:
        with open_report_in(browser, write_page(tmp_path, CLEAN_BODY)) as check:
            cjk = check.cjk_rendering("#zh")
    finally:
        browser.close()
    assert not cjk.ok, cjk
    assert cjk.distinct_images == 1 and cjk.tofu_like == len(cjk.chars), cjk
    assert not any("CJK" in family for family in cjk.fonts), cjk


def test_external_image_is_reported_as_request(open_report, tmp_path: Path) -> None:
    report = write_page(tmp_path, '<p>hi</p><img src="https://example.com/x.png" alt="x">')
    with open_report(report, tmp_path / "img.png") as check:
        assert check.requests == ["https://example.com/x.png"]
        assert check.page_errors == []


def test_other_local_file_is_reported_as_request(open_report, tmp_path: Path) -> None:
    (tmp_path / "style.css").write_text("p { color: red }", encoding="utf-8")
    report = write_page(tmp_path, '<link rel="stylesheet" href="style.css"><p>hi</p>'
                                  '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">')
    with open_report(report) as check:
        assert check.requests == [(tmp_path / "style.css").resolve().as_uri()]


def test_console_error_is_reported(open_report, tmp_path: Path) -> None:
    report = write_page(tmp_path, '<script>console.error("boom")</script>')
    with open_report(report) as check:
        assert check.console_errors == ["boom"]
        assert check.requests == []


def test_uncaught_exception_is_reported(open_report, tmp_path: Path) -> None:
    report = write_page(tmp_path, '<script>throw new Error("kaput")</script>')
    with open_report(report) as check:
        assert len(check.page_errors) == 1 and "kaput" in check.page_errors[0]


def test_executed_script_is_detected(open_report, tmp_path: Path) -> None:
    escaped = "&lt;script&gt;window.__xss.push(1)&lt;/script&gt;"
    report = write_page(tmp_path, f"<p>{escaped}</p><script>window.__xss.push(1)</script>"
                                  '<img src="data:," onerror="window.__xss.push(2)">'
                                  "<script>alert('hi')</script>")
    with open_report(report) as check:
        assert check.evaluate("window.__xss") == [1, 2]
        assert check.executed_scripts() == 2
        assert check.dialogs == ["alert: hi"]
        assert check.console_errors == []
        assert check.requests == []


def test_escaped_payload_does_not_count(open_report, tmp_path: Path) -> None:
    report = write_page(tmp_path, "<p>&lt;script&gt;window.__xss.push(1)&lt;/script&gt;</p>")
    with open_report(report) as check:
        assert check.executed_scripts() == 0
        assert check.page.locator("p").inner_text() == "<script>window.__xss.push(1)</script>"
