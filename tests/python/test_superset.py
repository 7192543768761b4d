"""Apache Superset, provisioned as code, shows the semantic layer's numbers.

Installs Superset into .venv-superset when missing (`support-kpis bi superset
install`), builds the sample with `support-kpis build`, starts Superset on
127.0.0.1 (free port, temporary home) with the dashboard bundle, and then:
every chart's data (Superset's chart-data API, the saved query context)
equals `mf query` or the bi.* rows that publish wrote from the semantic layer
(durations charted in hours: the value divided by 60; display strings equal to
the reports' formatting code applied to those values; labels the semantic
layer's);
an agent login sees only that agent's scorecard rows; the dashboard renders in
headless Chromium without console errors or error boxes (screenshot in
docs/images/superset-dashboard.png); stopping leaves no process and a free port.
"""

from __future__ import annotations

import csv
import importlib.util
import math
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from support_kpis.report.data import HEADLINE_KPIS, SCORECARD_KPIS, UNROUTED
from support_kpis.report.formats import MISSING, change_text, value_text
from support_kpis.report.semantic import Kind, KpiInfo, SemanticLayer, read_semantic_layer
from support_kpis.superset.api import SupersetApi
from support_kpis.superset.install import is_installed
from support_kpis.superset.paths import SupersetPaths
from support_kpis.superset.server import ADMIN, admin_password, port_free, running

from browser_helpers import CHROMIUM_ARGS, chromium_path
from dbt_helpers import PROJECT_DIR, query, run_mf, work_project

pytestmark = pytest.mark.superset

CLI = Path(sys.executable).with_name("support-kpis")
SCREENSHOT = PROJECT_DIR / "docs" / "images" / "superset-dashboard.png"
AGENT = "A0007"
TIMINGS: dict[str, float] = {}
# Every trend has its canvas and every headline number its figure.
CHARTS_DRAWN = (
    "() => document.querySelectorAll('[data-test=chart-grid-component] canvas').length >= 6"
    " && document.querySelectorAll('.header-line').length >= 4"
)


def _chromium() -> str:
    return chromium_path()


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "generate_bundle", PROJECT_DIR / "bi" / "superset" / "generate_bundle.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


BUNDLE = _generator()


def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(CLI), *args],
        capture_output=True,
        text=True,
        check=False,
        env=dict(os.environ, DBT_SEND_ANONYMOUS_USAGE_STATS="False", **(env or {})),
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Site:
    url: str
    paths: SupersetPaths
    database: Path
    bi_copy: Path
    admin: SupersetApi
    charts: dict[str, int]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    started = time.monotonic()
    work = tmp_path_factory.mktemp("superset")
    paths = SupersetPaths.of(PROJECT_DIR, work / "home")
    fresh = not is_installed(paths)
    began = time.monotonic()
    # Always: when the venv is there, install only checks it and the telemetry pixel.
    installed = _cli("bi", "superset", "install", "--project-dir", str(PROJECT_DIR))
    assert installed.returncode == 0, installed.stderr
    if fresh:
        TIMINGS["install"] = time.monotonic() - began
    _chromium()
    database = work / "support_kpis.duckdb"
    built = _cli("build", "--project-dir", str(work_project()), "--database", str(database))
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    port = _free_port()
    home = ("--project-dir", str(PROJECT_DIR), "--home", str(paths.home))
    began = time.monotonic()
    start = _cli("bi", "superset", "start", *home, "--port", str(port), "--database", str(database))
    TIMINGS["start"] = time.monotonic() - began
    server = running(paths)
    try:
        assert start.returncode == 0, start.stderr + (paths.log.read_text()[-5000:])
        assert server is not None and server.port == port
        url = f"http://127.0.0.1:{port}"
        admin = SupersetApi(url, ADMIN, admin_password(paths))
        charts = {
            row["slice_name"]: row["id"]
            for row in admin.all("/api/v1/chart/", columns=["id", "slice_name"])
        }
        yield Site(url, paths, database, work / "support_kpis_bi.duckdb", admin, charts)
    finally:
        stopped = _cli("bi", "superset", "stop", *home)
        assert stopped.returncode == 0, stopped.stderr
        if server is not None:
            assert not Path(f"/proc/{server.pid}").exists() or (
                Path(f"/proc/{server.pid}/stat").read_text().split(")")[1].split()[0] == "Z"
            ), "Superset still runs after stop"
            assert port_free(server.port), f"port {server.port} still in use after stop"
        assert running(paths) is None
        TIMINGS["module"] = time.monotonic() - started
        print(f"\nsuperset timings (s): {TIMINGS}")


# --- expected values -----------------------------------------------------------------


def _number(text: str) -> float | None:
    return float(text) if text not in ("", None) else None


@pytest.fixture(scope="module")
def semantic_layer(site: Site, tmp_path_factory: pytest.TempPathFactory) -> dict[date, dict]:  # type: ignore[type-arg]
    """month -> {headline KPI: value}, straight from `mf query`."""
    out = tmp_path_factory.mktemp("mf") / "headline.csv"
    result = run_mf(
        [
            "query",
            "--metrics",
            ",".join(HEADLINE_KPIS),
            "--group-by",
            "metric_time__month",
            "--csv",
            str(out),
            "--quiet",
        ],
        site.database,
    )
    assert result.returncode == 0, result.stdout[-3000:]
    values: dict[date, dict] = {}  # type: ignore[type-arg]
    with out.open(newline="") as handle:
        for row in csv.DictReader(handle):
            month = date.fromisoformat(row["metric_time__month"][:10])
            values[month] = {kpi: _number(row[kpi]) for kpi in HEADLINE_KPIS}
    return values


@pytest.fixture(scope="module")
def kpis(semantic_layer: dict[date, dict]) -> SemanticLayer:  # type: ignore[type-arg]
    """Labels and units of the KPIs, from the semantic manifest that `mf query` read."""
    return read_semantic_layer(work_project() / "target" / "semantic_manifest.json")


def _charted(info: KpiInfo, value: float | None) -> float | None:
    """A value in the unit the charts show: durations in minutes as hours."""
    if value is None or info.kind is not Kind.MINUTES:
        return value
    return value / 60


def _status(published: dict[str, Any]) -> str:
    """The status column of a bi.kpi_monthly row: written out, "no target" without one."""
    if published["kpi_value"] is None:
        return MISSING
    if published["target_value"] is None:
        return "no target"
    return (
        MISSING
        if published["target_status"] is None
        else published["target_status"].replace("_", " ")
    )


def _reporting_month(semantic_layer: dict[date, dict]) -> date:  # type: ignore[type-arg]
    return max(month for month, row in semantic_layer.items() if row["tickets_created"] is not None)


def _shift(month: date, months: int) -> date:
    index = month.year * 12 + month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _kpi_rows(site: Site) -> dict[tuple[date, str, str], dict[str, Any]]:
    rows = query(
        site.bi_copy,
        "select month_start_date, team, kpi_name, kpi_value, target_value, benchmark_value, "
        "target_status, kpi_label from bi.kpi_monthly",
    )
    return {
        (row[0], row[1], row[2]): dict(
            zip(
                ("kpi_value", "target_value", "benchmark_value", "target_status", "kpi_label"),
                row[3:],
                strict=True,
            )
        )
        for row in rows
    }  # type: ignore[misc]


def _month(value: Any) -> date:
    """A month as Superset's JSON gives it (epoch milliseconds) or as text."""
    if isinstance(value, int | float):
        return datetime.fromtimestamp(value / 1000, tz=UTC).date()
    return date.fromisoformat(str(value)[:10])


def _close(shown: Any, expected: Any) -> bool:
    if expected is None or shown is None:
        return shown is None and expected is None
    if isinstance(expected, str):
        return shown == expected
    return math.isclose(float(shown), float(expected), rel_tol=1e-9, abs_tol=1e-9)


def _data(api: SupersetApi, chart: int) -> list[dict[str, Any]]:
    answer = api.get(f"/api/v1/chart/{chart}/data/")
    (result,) = answer["result"]
    assert result.get("error") is None, result
    return list(result["data"])


# --- the tests -----------------------------------------------------------------------


def test_the_bundle_in_the_repository_is_what_its_generator_writes() -> None:
    files = BUNDLE.render()
    folder = PROJECT_DIR / "bi" / "superset" / "bundle"
    on_disk = {str(path.relative_to(folder)): path for path in folder.rglob("*.yaml")}
    assert set(on_disk) == set(files), "run .venv/bin/python bi/superset/generate_bundle.py"
    for name, text in files.items():
        assert on_disk[name].read_text(encoding="utf-8") == text, name


def test_the_warehouse_is_registered_read_only(site: Site) -> None:
    (database,) = [
        row
        for row in site.admin.all("/api/v1/database/", columns=["id", "database_name"])
        if row["database_name"] == "support_kpis"
    ]
    connection = site.admin.get(f"/api/v1/database/{database['id']}/connection")["result"]
    assert connection["sqlalchemy_uri"] == f"duckdb:///{site.bi_copy}?access_mode=read_only"
    assert connection["allow_dml"] is False


def test_every_chart_equals_the_semantic_layer(
    site: Site,
    semantic_layer: dict[date, dict],  # type: ignore[type-arg]
    kpis: SemanticLayer,
) -> None:
    month = _reporting_month(semantic_layer)
    bi = _kpi_rows(site)
    checked: set[str] = set()
    # The BI tables name tickets without a team as the reports do.
    assert {team for _, team, _ in bi} >= {"all teams", UNROUTED}
    assert "(no team)" not in {team for _, team, _ in bi}

    # Big numbers: the reporting month's value, all teams (durations in hours).
    titles = {}
    for kpi in BUNDLE.BIG_NUMBERS:
        info = kpis.info(kpi)
        title = info.display_label + (" (hours)" if info.kind is Kind.MINUTES else "")
        titles[kpi] = title
        (row,) = _data(site.admin, site.charts[title])
        label = "hours" if info.kind is Kind.MINUTES else "value"
        assert _close(row[label], _charted(info, semantic_layer[month][kpi])), title
        checked.add(title)
    assert titles["first_reply_minutes"] == "First reply time (hours)"  # by hand

    # Headline table: labels (semantic layer); value and previous month (mf) written by
    # the reports' formats; target, benchmark and status (bi.kpi_monthly).
    title = "Headline KPIs: reporting month against target"
    rows = _data(site.admin, site.charts[title])
    assert [row["kpi_label"] for row in rows] == [kpis.info(k).display_label for k in HEADLINE_KPIS]
    assert rows[HEADLINE_KPIS.index("csat_rate")]["kpi_label"] == "CSAT (top-2-box)"  # by hand
    assert "kpi_value" not in rows[0] and "kpi_name" not in rows[0]  # readers see text only
    assert rows[HEADLINE_KPIS.index("tickets_created")]["status"] == "no target"  # by hand
    previous = _shift(month, -1)
    for kpi, row in zip(HEADLINE_KPIS, rows, strict=True):
        info = kpis.info(kpi)
        now, before = semantic_layer[month][kpi], semantic_layer[previous][kpi]
        published = bi[(month, "all teams", kpi)]
        assert _month(row["month_start_date"]) == month
        assert row["kpi_value_display"] == value_text(info, now), kpi
        assert row["previous_value_display"] == value_text(info, before), kpi
        assert row["change_display"] == change_text(info, before, now), kpi
        assert row["target_value_display"] == value_text(info, published["target_value"]), kpi
        assert row["benchmark_value_display"] == value_text(info, published["benchmark_value"])
        assert row["status"] == _status(published), kpi
    checked.add(title)

    # Trends: 13 months, value (mf), target and benchmark (bi.kpi_monthly), in the unit
    # the axis shows.
    months = [_shift(month, offset) for offset in range(-12, 1)]
    for kpi in BUNDLE.TRENDS:
        info = kpis.info(kpi)
        title = next(name for name in site.charts if name.startswith(info.display_label + ":"))
        rows = _data(site.admin, site.charts[title])
        assert [_month(row["month_start_date"]) for row in rows] == months, title
        for row in rows:
            shown = _month(row["month_start_date"])
            published = bi[(shown, "all teams", kpi)]
            assert _close(row["value"], _charted(info, semantic_layer[shown][kpi])), (title, shown)
            assert _close(row["target"], _charted(info, published["target_value"])), title
            if kpi in BUNDLE.TREND_BENCHMARKS:
                expected = published["benchmark_value"]
                assert expected is not None, title
                assert _close(row["benchmark"], _charted(info, expected)), title
        checked.add(title)

    # Teams: every team's headline KPIs, with the change from the month before.
    title = "Teams: reporting month and change from the month before"
    rows = _data(site.admin, site.charts[title])
    by_label = {kpis.info(kpi).display_label: kpi for kpi in HEADLINE_KPIS}
    expected_teams = {
        (team, kpi): values
        for (shown, team, kpi), values in bi.items()
        if shown == month and team != "all teams" and kpi in HEADLINE_KPIS
    }
    assert {(row["team"], by_label[row["kpi_label"]]) for row in rows} == set(expected_teams)
    assert len(rows) == len(expected_teams)
    assert UNROUTED in {row["team"] for row in rows}
    for row in rows:
        kpi = by_label[row["kpi_label"]]
        key = (row["team"], kpi)
        info = kpis.info(kpi)
        now = expected_teams[key]["kpi_value"]
        before = bi.get((previous, row["team"], kpi), {}).get("kpi_value")
        assert row["kpi_value_display"] == value_text(info, now), key
        assert row["previous_value_display"] == value_text(info, before), key
        assert row["change_display"] == change_text(info, before, now), key
        target = expected_teams[key]["target_value"]
        assert row["target_value_display"] == value_text(info, target), key
        assert row["status"] == _status(expected_teams[key]), key
    checked.add(title)

    # Agent scorecard (admin): every agent, 13 months.
    title = "Agent scorecard: 13 months"
    rows = _data(site.admin, site.charts[title])
    assert _scorecard(rows) == _expected_scorecard(site, kpis, month, None)
    assert len({row["agent_id"] for row in rows}) > 2
    checked.add(title)

    assert checked == set(site.charts), f"charts not compared: {set(site.charts) - checked}"


def _scorecard(rows: list[dict[str, Any]]) -> dict[tuple[date, str], dict[str, Any]]:
    return {
        (_month(row["month_start_date"]), row["agent_id"]): {
            kpi: row[f"{kpi}_display"] for kpi in SCORECARD_KPIS
        }
        for row in rows
    }


def _expected_scorecard(
    site: Site, kpis: SemanticLayer, month: date, agent: str | None
) -> dict[tuple[date, str], dict[str, Any]]:
    """bi.agent_scorecard_monthly's values as the reports' formats write them."""
    expected: dict[tuple[date, str], dict[str, Any]] = {}
    first = _shift(month, -12)
    for shown, agent_id, kpi, value in query(
        site.bi_copy,
        "select month_start_date, agent_id, kpi_name, kpi_value from bi.agent_scorecard_monthly",
    ):
        if not first <= shown <= month or (agent and agent_id != agent):  # type: ignore[operator]
            continue
        row = expected.setdefault((shown, agent_id), dict.fromkeys(SCORECARD_KPIS, MISSING))  # type: ignore[arg-type]
        row[kpi] = value_text(kpis.info(str(kpi)), value)  # type: ignore[arg-type]
    return expected


def test_an_agent_sees_only_their_own_scorecard_rows(
    site: Site,
    semantic_layer: dict[date, dict],  # type: ignore[type-arg]
    kpis: SemanticLayer,
) -> None:
    home = ("--project-dir", str(PROJECT_DIR), "--home", str(site.paths.home))
    password = "agent-password-7"
    added = _cli(
        "bi", "superset", "add-agent", AGENT, *home, env={"SUPPORT_KPIS_AGENT_PASSWORD": password}
    )
    assert added.returncode == 0, added.stderr
    agent = SupersetApi(site.url, AGENT.lower(), password)
    rows = _data(agent, site.charts["Agent scorecard: 13 months"])
    assert rows and {row["agent_id"] for row in rows} == {AGENT}
    month = _reporting_month(semantic_layer)
    assert _scorecard(rows) == _expected_scorecard(site, kpis, month, AGENT)
    # The rest of the dashboard is the organisation's, the same for the agent.
    headline = _data(agent, site.charts["Headline KPIs: reporting month against target"])
    assert len(headline) == len(HEADLINE_KPIS)
    # Adding the same agent again updates the login instead of failing.
    again = _cli(
        "bi", "superset", "add-agent", AGENT, *home, env={"SUPPORT_KPIS_AGENT_PASSWORD": password}
    )
    assert again.returncode == 0, again.stderr


def _format(info: KpiInfo, value: float) -> str:
    """A big number as the dashboard writes it: a percentage for rates, whole counts,
    hours with one decimal for durations in minutes."""
    if info.kind is Kind.RATE:
        return f"{value * 100:.1f}%"
    if info.kind is Kind.COUNT:
        return f"{round(value):,}"
    assert info.kind is Kind.MINUTES, info
    return f"{value / 60:,.1f}"


def test_the_dashboard_renders_in_chromium(
    site: Site,
    semantic_layer: dict[date, dict],  # type: ignore[type-arg]
    kpis: SemanticLayer,
) -> None:
    from playwright.sync_api import sync_playwright

    month = _reporting_month(semantic_layer)
    console: list[tuple[str, str]] = []
    failed: list[tuple[str, str]] = []
    requested: list[str] = []
    chart_data: list[int] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=_chromium(), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 1000})
            page.on("console", lambda message: console.append((message.type, message.text)))
            page.on("pageerror", lambda error: console.append(("pageerror", str(error))))
            page.on("request", lambda request: requested.append(request.url))
            page.on(
                "requestfailed",
                lambda request: failed.append((request.url, str(request.failure))),
            )
            page.on(
                "response",
                lambda response: (
                    chart_data.append(response.status)
                    if "/api/v1/chart/data" in response.url
                    else None
                ),
            )
            page.goto(site.url + "/login/")
            page.fill("#username", ADMIN)
            page.fill("#password", admin_password(site.paths))
            page.click("[data-test=login-button]")
            page.wait_for_url("**/superset/welcome/**")
            page.wait_for_load_state("networkidle")
            page.goto(site.url + "/superset/dashboard/support-kpis/")
            page.wait_for_load_state("networkidle")
            charts = page.locator("[data-test=chart-grid-component]")
            assert charts.count() == len(site.charts)
            page.wait_for_function(CHARTS_DRAWN, timeout=60_000)
            assert page.locator("[data-test=loading-indicator], .loading").count() == 0
            errors = page.locator(
                "[data-test=chart-error], .ant-alert-error, [data-test=error-message]"
            )
            assert errors.count() == 0, errors.all_inner_texts()
            # Every chart drew something: a canvas (trends), a table or a big number.
            for index in range(charts.count()):
                chart = charts.nth(index)
                drawn = chart.locator("canvas, table tbody tr, .header-line").count()
                assert drawn > 0, chart.get_attribute("data-test-chart-name")
            shown = page.locator(".header-line").all_inner_texts()
            expected = [
                _format(kpis.info(kpi), semantic_layer[month][kpi]) for kpi in BUNDLE.BIG_NUMBERS
            ]
            assert shown == expected
            # The whole dashboard in one window (a full-page capture resizes the window,
            # and Superset draws its charts again): grow the window, wait, then capture.
            height = page.evaluate("document.documentElement.scrollHeight")
            page.set_viewport_size({"width": 1280, "height": height})
            page.wait_for_load_state("networkidle")
            page.wait_for_function(CHARTS_DRAWN, timeout=60_000)
            page.wait_for_timeout(1_000)  # the charts' draw-in animation
            SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOT))
        finally:
            browser.close()
    assert chart_data and all(status == 200 for status in chart_data)
    assert len(chart_data) >= len(site.charts)
    # Nothing is logged as an error (the install replaced Superset's telemetry pixel with
    # an inline image), and nothing is asked of anywhere but this Superset.
    assert [(kind, text) for kind, text in console if kind in ("error", "pageerror")] == []
    # Superset's own requests cancelled by a navigation or a newer query are not failures.
    assert [
        (url, why)
        for url, why in failed
        if not (url.startswith(site.url + "/") and why == "net::ERR_ABORTED")
    ] == []
    outside = {url for url in requested if not url.startswith((site.url + "/", "data:", "blob:"))}
    assert outside == set()
    assert SCREENSHOT.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert 50_000 < SCREENSHOT.stat().st_size < 1_500_000
