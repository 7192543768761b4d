"""Every HTML page the project writes works without internet: the Data Docs,
the KPI lineage and the three reports load in headless Chromium with the
network off, request nothing but local files, log no error, and fit a
1280-pixel-wide window."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from support_kpis.catalogue import kpi_names
from support_kpis.lineage import trace_kpis, write_document
from support_kpis.quality import validate_warehouse
from support_kpis.quality.validate import DOCS_INDEX

from browser_helpers import PageLog, chromium, offline_context, open_page, overflowing_elements
from dbt_helpers import PROJECT_DIR


@pytest.fixture(scope="module")
def quality(sample_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`support-kpis validate`'s output folder for the session's sample warehouse."""
    out = tmp_path_factory.mktemp("quality")
    validate_warehouse(sample_warehouse, out)
    return out


@pytest.fixture(scope="module")
def lineage(sample_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The KPI lineage page, traced from the sample build's own target/ (no recompile)."""
    kpis = trace_kpis(sample_warehouse.parent / "target", sample_warehouse, kpi_names(PROJECT_DIR))
    return write_document(kpis, tmp_path_factory.mktemp("lineage") / "kpi_lineage.html")


@pytest.fixture(scope="module")
def reports(sample_reports: Path) -> Path:
    return sample_reports


def _docs(quality: Path) -> Path:
    return quality / DOCS_INDEX.parent


PAGES: dict[str, tuple[str, Callable[[Path], Path]]] = {
    "summary": ("quality", lambda quality: quality / "summary.html"),
    "validation": (
        "quality",
        lambda quality: next(_docs(quality).glob("validations/marts/fct_calls/*/*/*.html")),
    ),
    "suite": ("quality", lambda quality: _docs(quality) / "expectations/marts/fct_calls.html"),
    "lineage": ("lineage", lambda lineage: lineage),
    "management": ("reports", lambda reports: reports / "management.html"),
    "team": ("reports", lambda reports: reports / "team-billing.html"),
    "agent": ("reports", lambda reports: sorted(reports.glob("agent-*.html"))[0]),
}


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    with offline_context(browser) as offline:
        yield offline


def _open_clean(context: BrowserContext, path: Path, screenshots: Path) -> tuple[Page, PageLog]:
    page, log = open_page(context, path)
    page.screenshot(path=str(screenshots / f"{path.stem}.png"), full_page=True)
    assert log.problems() == [], f"{path.name}: {log.problems()}"
    offenders = overflowing_elements(page)
    assert offenders == [], f"{path.name} is wider than the window: {offenders[:15]}"
    return page, log


@pytest.mark.parametrize("name", list(PAGES))
def test_page_loads_offline_cleanly_and_fits_the_window(
    request: pytest.FixtureRequest, context: BrowserContext, tmp_path: Path, name: str
) -> None:
    fixture, locate = PAGES[name]
    page, _ = _open_clean(context, locate(request.getfixturevalue(fixture)), tmp_path)
    assert page.locator("h1, h2, h3, h4").count() > 0


def test_data_docs_index_works_from_local_copies(
    quality: Path, context: BrowserContext, tmp_path: Path
) -> None:
    site = _docs(quality)
    page, _ = _open_clean(context, site / "index.html", tmp_path)
    # jQuery, Bootstrap's JS and vega came from the site's static folder.
    assert page.evaluate(
        "[typeof jQuery, typeof jQuery.fn.tab, typeof jQuery.fn.tooltip, typeof vega, "
        "typeof vegaLite, typeof vegaEmbed]"
    ) == ["function", "function", "function", "object", "object", "function"]
    # Bootstrap's styles and Font Awesome's icon font apply.
    assert page.evaluate("getComputedStyle(document.querySelector('nav.navbar')).display") == "flex"
    assert page.evaluate("document.fonts.check('900 16px \"Font Awesome 6 Free\"')") is True
    icon = page.locator(".ge-success-icon").first
    assert icon.evaluate("e => getComputedStyle(e, '::before').content") != "none"
    # Our stand-in for bootstrap-table lists one row per validation and per suite.
    validations = sorted(site.glob("validations/**/*.html"))
    suites = sorted(site.glob("expectations/**/*.html"))
    assert len(validations) >= 14 and len(suites) == len(validations)
    results = page.locator(".ge-index-page-validation-results-table tbody tr")
    assert results.count() == len(validations)
    page.get_by_role("tab", name="Expectation Suites").click()
    suite_rows = page.locator(".ge-index-page-expectation_suites-table tbody tr")
    suite_rows.first.wait_for(state="visible")
    assert suite_rows.count() == len(suites)
    assert overflowing_elements(page) == []
    # Sorted as GX asks (by name), and a click on the sorted header reverses it.
    names = sorted(
        path.relative_to(site / "expectations").with_suffix("").as_posix().replace("/", ".")
        for path in suites
    )
    header = page.locator(".ge-index-page-expectation_suites-table th", has_text="Expectation")
    assert [text.strip() for text in suite_rows.all_inner_texts()] == names
    header.click()
    assert [text.strip() for text in suite_rows.all_inner_texts()] == names[::-1]
    header.click()
    assert [text.strip() for text in suite_rows.all_inner_texts()] == names
    # Rows are links: a click opens the suite's page.
    link = suite_rows.first.get_attribute("data-href")
    assert link and link.startswith("expectations/")
    suite_rows.first.click()
    page.wait_for_url((site / link).as_uri())


def test_data_docs_request_nothing_from_the_internet(quality: Path) -> None:
    site = _docs(quality)
    for path in site.rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        for host in (
            "cdn.jsdelivr.net",
            "unpkg.com",
            "cdnjs.cloudflare.com",
            "code.jquery.com",
            "bootstrapcdn.com",
            "amazonaws.com",
        ):
            assert host not in html, f"{path.relative_to(site)} names {host}"
