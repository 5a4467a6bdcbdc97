"""Browser harness: open a self-contained HTML report in real headless Chromium and check it.

Debian's chromium (/usr/bin/chromium) is driven through Playwright's sync API; Playwright never
downloads a browser of its own. One browser is started per test session (about 0.6 s); every
report gets a fresh context, so nothing leaks between tests.

Usage in a test under tests/report/::

    def test_report_is_self_contained(open_report, tmp_path):
        report = write_the_report(tmp_path)                       # the generator under test
        with open_report(report, tmp_path / "report.png") as check:
            assert check.console_errors == []
            assert check.page_errors == []
            assert check.requests == []                           # nothing fetched at all
            assert check.executed_scripts() == 0                  # no injected script ran
            assert check.cjk_rendering("h1").ok, check.cjk_rendering("h1")
            assert check.page.locator("table tr").count() > 1     # any Playwright query

`check.page` is a live Playwright Page until the with-block ends. Reports under test that embed
customer text can be probed for script injection by planting `<script>window.__xss.push(1)
</script>` (or an `onerror=` handler doing the same) in the input: `window.__xss` is created by an
init script before the report's own code runs, so `executed_scripts()` counts payloads that ran.
alert()/confirm()/prompt() dialogs are dismissed and recorded in `check.dialogs` as well.

Without /usr/bin/chromium or the playwright package these tests skip; with CI set in the
environment they fail instead, so CI cannot pass by skipping them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Playwright

CHROMIUM = Path("/usr/bin/chromium")
# Known good here. Without the background-networking/component-update/sync switches Chromium
# tries to reach Google services on its own, and those attempts are refused on this network.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
NOT_INSTALLED = (
    "headless Chromium not installed: .ci/run installs it from Debian "
    "(apt-get install chromium fonts-noto-cjk)"
)
# URL schemes that never leave the document: anything else (http, https, ws, another file://
# path...) is recorded as a request.
LOCAL_SCHEMES = ("data:", "about:", "blob:")
INIT_SCRIPT = "window.__xss = [];"

# Is CJK text drawn with real glyphs? `document.fonts.check('16px "Noto Sans CJK SC"')` cannot
# tell: Chromium answers true for any family name, installed or not (system fonts are not in the
# FontFaceSet, and the spec makes check() true when no face in the set matches). What does
# tell is drawing: when no installed font covers a character, Chromium draws the primary font's
# .notdef glyph ("tofu"), the same box for every character. So each distinct Han character of the
# element is drawn on a canvas in the element's computed font, and the pixels are hashed: with a
# CJK font every character gives its own image; without one they all give the .notdef image,
# which is also what an unassigned code point (U+0378) gives. Measured on this machine: with
# fonts-noto-cjk 13 characters gave 13 distinct images (32 px advance each); with fontconfig
# limited to DejaVu all 13 were identical to U+0378's. test_browser_harness.py checks both cases.
CJK_GLYPHS_JS = r"""
(el) => {
  const style = getComputedStyle(el);
  const chars = [...new Set([...el.textContent].filter(c => /\p{Script=Han}/u.test(c)))];
  const canvas = document.createElement('canvas');
  canvas.width = 48; canvas.height = 48;
  const ctx = canvas.getContext('2d', {willReadFrequently: true});
  ctx.font = `${style.fontStyle} ${style.fontWeight} 32px ${style.fontFamily}`;
  ctx.textBaseline = 'top';
  const draw = (c) => {
    ctx.clearRect(0, 0, 48, 48);
    ctx.fillText(c, 4, 4);
    const d = ctx.getImageData(0, 0, 48, 48).data;
    let h = 0, ink = 0;
    for (let i = 3; i < d.length; i += 4) { h = (Math.imul(h, 31) + d[i]) >>> 0; ink += d[i]; }
    return `${h}:${ink}`;
  };
  return {font: ctx.font, chars: chars.join(''), tofu: draw('\u0378'), images: chars.map(draw)};
}
"""


@dataclass(frozen=True)
class CjkRendering:
    """How the Han characters of one element were drawn (see CJK_GLYPHS_JS)."""

    chars: str  # the distinct Han characters found in the element's text
    distinct_images: int  # how many different glyph images they produced
    tofu_like: int  # how many look exactly like the glyph of an unassigned code point
    fonts: tuple[str, ...]  # platform font families Chromium used for the element's text

    @property
    def ok(self) -> bool:
        """Every Han character drew a glyph of its own (needs at least one Han character)."""
        return bool(self.chars) and self.tofu_like == 0 and self.distinct_images == len(self.chars)


@dataclass
class BrowserCheck:
    """What happened while a report was open; `page` stays live inside `open_report`'s block."""

    page: Page
    url: str
    screenshot: Path | None = None
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def evaluate(self, expression: str, arg: Any = None) -> Any:
        return self.page.evaluate(expression, arg)

    def executed_scripts(self) -> int:
        """How many times planted `window.__xss.push(...)` payloads ran."""
        return int(self.page.evaluate("window.__xss ? window.__xss.length : 0"))

    def cjk_rendering(self, selector: str = "body") -> CjkRendering:
        """Check that the Han text of the first element matching `selector` renders as glyphs."""
        element = self.page.locator(selector).first
        drawn = element.evaluate(CJK_GLYPHS_JS)
        images = drawn["images"]
        return CjkRendering(
            chars=drawn["chars"],
            distinct_images=len(set(images)),
            tofu_like=sum(image == drawn["tofu"] for image in images),
            fonts=self._platform_fonts(selector),
        )

    def _platform_fonts(self, selector: str) -> tuple[str, ...]:
        """Font families Chromium actually used for the element (DevTools CSS domain)."""
        session = self.page.context.new_cdp_session(self.page)
        try:
            session.send("DOM.enable")
            session.send("CSS.enable")
            root = session.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
            node = session.send("DOM.querySelector", {"nodeId": root, "selector": selector})
            if not node.get("nodeId"):
                return ()
            fonts = session.send("CSS.getPlatformFontsForNode", {"nodeId": node["nodeId"]})
            return tuple(font["familyName"] for font in fonts["fonts"])
        finally:
            session.detach()


def _strip_fragment(url: str) -> str:
    return url.split("#", 1)[0]


@contextmanager
def open_report_in(browser: Browser, path: Path,
                   screenshot: Path | None = None) -> Iterator[BrowserCheck]:
    """Open `path` in a fresh context of `browser`, wait for load, screenshot, yield the check.

    Any http(s) request is recorded and then aborted, so a report can neither reach the network
    nor hang the test waiting for it.
    """
    url = path.resolve().as_uri()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        context.add_init_script(INIT_SCRIPT)
        context.route(lambda u: u.startswith(("http:", "https:")),
                      lambda route: route.abort("blockedbyclient"))
        page = context.new_page()
        check = BrowserCheck(page=page, url=url, screenshot=screenshot)

        def on_request(request: Any) -> None:
            if request.url.startswith(LOCAL_SCHEMES) or _strip_fragment(request.url) == url:
                return
            check.requests.append(request.url)

        def on_console(message: Any) -> None:
            if message.type == "error":
                check.console_errors.append(message.text)

        def on_dialog(dialog: Any) -> None:
            check.dialogs.append(f"{dialog.type}: {dialog.message}")
            dialog.dismiss()

        context.on("request", on_request)
        page.on("console", on_console)
        page.on("pageerror", lambda error: check.page_errors.append(str(error)))
        page.on("dialog", on_dialog)
        page.on("websocket", lambda ws: check.requests.append(ws.url))
        page.goto(url, wait_until="load")
        page.evaluate("document.fonts.ready.then(() => true)")
        if screenshot is not None:
            screenshot.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(screenshot), full_page=True)
        yield check
    finally:
        context.close()


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set, so this fails instead of skipping)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def playwright_session() -> Iterator[Playwright]:
    """Playwright's driver, or skip (fail under CI) when Chromium or playwright is missing."""
    if not CHROMIUM.exists():
        _unavailable(f"{NOT_INSTALLED}; {CHROMIUM} is missing")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable(f"{NOT_INSTALLED}; the playwright package is missing "
                     "(pip install -e '.[test]')")
    manager = sync_playwright().start()
    try:
        yield manager
    finally:
        manager.stop()


@pytest.fixture(scope="session")
def launch_chromium(playwright_session: Playwright) -> Callable[..., Browser]:
    """launch(env=None) → a new headless Debian Chromium; the caller closes it."""

    def launch(env: dict[str, str] | None = None) -> Browser:
        return playwright_session.chromium.launch(
            headless=True, executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, env=env)

    return launch


@pytest.fixture(scope="session")
def chromium(launch_chromium: Callable[..., Browser]) -> Iterator[Browser]:
    """The session's one shared browser."""
    browser = launch_chromium()
    try:
        yield browser
    finally:
        browser.close()


@pytest.fixture
def open_report(
    chromium: Browser,
) -> Callable[[Path, Path | None], AbstractContextManager[BrowserCheck]]:
    """open_report(path, screenshot=None) → context manager yielding a BrowserCheck."""

    def opener(path: Path, screenshot: Path | None = None) -> AbstractContextManager[BrowserCheck]:
        return open_report_in(chromium, path, screenshot)

    return opener


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The bundled sample after `voc demo`'s two months: month 1, items to Do, month 2."""
    from voc.demo import run_demo

    return run_demo(tmp_path_factory.mktemp("report-demo"))


@pytest.fixture(scope="session")
def report_data(demo_run: Any) -> Any:
    """ReportData of the demo's second month (with Check verdicts), read from its store."""
    from voc.report.data import load_report_data
    from voc.store import open_store
    from voc.topics.taxonomy import load_taxonomy

    with open_store(demo_run.store_path, read_only=True) as store:
        return load_report_data(store, "2026-10", load_taxonomy())


@pytest.fixture(scope="module")
def con(demo_run: Any) -> Iterator[Any]:
    """A read-only connection to the demo store, to compare report numbers with SQL."""
    import duckdb

    connection = duckdb.connect(str(demo_run.store_path), read_only=True)
    try:
        yield connection
    finally:
        connection.close()
