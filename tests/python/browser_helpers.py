"""Headless Chromium for browser tests, offline.

Debian's `chromium` (installed with apt-get when missing; never a browser
download), driven by Playwright. `offline_context` opens pages with the
network switched off and every request that is not a local file aborted and
recorded; `PageLog` collects failed requests, console errors and uncaught
exceptions; `overflowing_elements` finds what runs off the right edge.
"""

from __future__ import annotations

import fcntl
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Request,
    Route,
    sync_playwright,
)
from playwright.sync_api import Error as PlaywrightError

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 900}
LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")


def chromium_path() -> str:
    """Debian's Chromium, installed with apt-get when it is missing (one installer at a
    time: test processes running side by side wait for each other)."""
    found = shutil.which("chromium")
    if found is not None:
        return found
    lock = Path(tempfile.gettempdir()) / "support_kpis_chromium_install.lock"
    with lock.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        found = shutil.which("chromium")
        if found is None:
            subprocess.run(["apt-get", "update", "-qq"], check=True, capture_output=True)
            subprocess.run(
                ["apt-get", "install", "-y", "-qq", "chromium"],
                check=True,
                capture_output=True,
                env={"DEBIAN_FRONTEND": "noninteractive", "PATH": "/usr/sbin:/usr/bin:/sbin:/bin"},
            )
            found = shutil.which("chromium")
    assert found, "chromium could not be installed"
    return found


@contextmanager
def chromium() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class PageLog:
    """What went wrong while a page loaded."""

    external: list[str] = field(default_factory=list)  # requests that left the machine
    failed: list[str] = field(default_factory=list)  # requestfailed events
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)  # uncaught exceptions

    def problems(self) -> list[str]:
        return (
            [f"non-file request: {url}" for url in self.external]
            + [f"request failed: {entry}" for entry in self.failed]
            + [f"console error: {entry}" for entry in self.console_errors]
            + [f"uncaught exception: {entry}" for entry in self.page_errors]
        )


@contextmanager
def offline_context(browser: Browser) -> Iterator[BrowserContext]:
    """A 1280-pixel-wide context with networking off; every non-file request is aborted."""
    context = browser.new_context(offline=True, viewport=VIEWPORT)  # type: ignore[arg-type]
    try:
        yield context
    finally:
        context.close()


def open_page(context: BrowserContext, path: Path) -> tuple[Page, PageLog]:
    """Load a local HTML file; return the page (fonts loaded) and its log."""
    log = PageLog()
    page = context.new_page()

    def abort(route: Route) -> None:
        log.external.append(route.request.url)
        route.abort()

    def failed(request: Request) -> None:
        log.failed.append(f"{request.url} ({request.failure})")

    def console(message: ConsoleMessage) -> None:
        if message.type == "error":
            log.console_errors.append(f"{message.text} at {message.location}")

    page.route(lambda url: not url.startswith(LOCAL_SCHEMES), abort)
    page.on("requestfailed", failed)
    page.on("console", console)
    page.on("pageerror", lambda error: log.page_errors.append(str(error)))
    try:
        page.goto(path.as_uri(), wait_until="load")
    except PlaywrightError as error:
        log.failed.append(f"{path}: {error}")
    page.evaluate("document.fonts.ready.then(() => true)")
    return page, log


# Every element must end within the viewport, unless it sits in a container
# that scrolls or clips it horizontally (a wide table in a scroll box).
_OVERFLOW_JS = """
() => {
  const limit = document.documentElement.clientWidth + 1;
  const contained = (element) => {
    for (let up = element.parentElement; up && up !== document.body; up = up.parentElement) {
      if (['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(up).overflowX)) {
        return true;
      }
    }
    return false;
  };
  const describe = (element) => element.tagName.toLowerCase()
    + (element.id ? '#' + element.id : '')
    + [...element.classList].map((name) => '.' + name).join('');
  const found = [];
  for (const element of document.body.querySelectorAll('*')) {
    const right = element.getBoundingClientRect().right;
    if (right > limit && !contained(element)) {
      found.push(describe(element) + ' (right edge ' + Math.round(right) + 'px)');
    }
  }
  return {width: limit - 1, found};
}
"""


def overflowing_elements(page: Page) -> list[str]:
    """The elements whose right edge is beyond the viewport, as tag#id.class (right edge)."""
    result = page.evaluate(_OVERFLOW_JS)
    return [f"{entry} > viewport {result['width']}px" for entry in result["found"]]
