"""The three report kinds as a person sees them: rendered by headless Chromium
(Debian's package, installed here when missing), without console errors, and
showing the semantic layer's numbers for the month."""

from __future__ import annotations

import csv
import math
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from support_kpis.report.data import HEADLINE_KPIS as HEADLINE

from dbt_helpers import PROJECT_DIR, run_mf

MONTH = date(2025, 11, 1)
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--enable-logging=stderr",
    "--v=0",
]


def _chromium() -> str:
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


@pytest.fixture(scope="module")
def reports(sample_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from support_kpis.report import write_reports

    outdir = tmp_path_factory.mktemp("reports")
    write_reports(PROJECT_DIR, sample_warehouse, MONTH, outdir)
    return outdir


def _render(page: Path, work: Path) -> tuple[str, str]:
    """The DOM Chromium rendered, and what it logged; plus a screenshot beside the page."""
    chromium = _chromium()
    profile = work / f"profile-{page.stem}"
    dom = subprocess.run(
        [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--dump-dom", page.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    subprocess.run(
        [
            chromium,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={profile}",
            "--window-size=1100,1400",
            f"--screenshot={work / (page.stem + '.png')}",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return dom.stdout, dom.stderr


def _shown(dom: str) -> dict[str, float | None]:
    return {
        key: (float(value) if value else None)
        for key, value in re.findall(r'data-kpi="([a-z0-9_]+)" data-value="([^"]*)"', dom)
    }


def _semantic_layer(
    database: Path, tmp_path: Path, group_by: str | None, metrics: tuple[str, ...]
) -> dict:  # type: ignore[type-arg]
    out = tmp_path / "values.csv"
    group = "metric_time__month" + (f",{group_by}" if group_by else "")
    result = run_mf(
        [
            "query",
            "--metrics",
            ",".join(metrics),
            "--group-by",
            group,
            "--csv",
            str(out),
            "--quiet",
        ],
        database,
    )
    assert result.returncode == 0, result.stdout[-3000:]
    values: dict = {}  # type: ignore[type-arg]
    with out.open(newline="") as handle:
        for row in csv.DictReader(handle):
            if row["metric_time__month"][:10] != MONTH.isoformat():
                continue
            key = row.get(group_by) if group_by else None
            values[key] = {m: (float(row[m]) if row[m] else None) for m in metrics}
    return values


def _assert_equal(shown: dict[str, float | None], expected: dict[str, float | None]) -> None:
    for kpi, value in expected.items():
        assert kpi in shown, kpi
        if value is None:
            assert shown[kpi] is None, kpi
        else:
            assert shown[kpi] is not None and math.isclose(shown[kpi], value, rel_tol=1e-9), kpi  # type: ignore[arg-type]


def _assert_clean_render(page: Path, tmp_path: Path) -> str:
    dom, log = _render(page, tmp_path)
    # The pages carry no script, so the console must stay silent: any message
    # (console.error, an uncaught exception) is a defect.
    console = [line for line in log.splitlines() if ":CONSOLE" in line]
    assert console == []
    assert "<script" not in dom
    screenshot = tmp_path / f"{page.stem}.png"
    assert screenshot.stat().st_size > 10_000
    assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    return dom


def test_management_report_shows_the_semantic_layer_headline(
    reports: Path, sample_warehouse: Path, tmp_path: Path
) -> None:
    dom = _assert_clean_render(reports / "management.html", tmp_path)
    assert "<svg" in dom and "Largest changes" in dom
    expected = _semantic_layer(sample_warehouse, tmp_path, None, HEADLINE)[None]
    _assert_equal(_shown(dom), expected)


def test_team_report_shows_the_semantic_layer_values(
    reports: Path, sample_warehouse: Path, tmp_path: Path
) -> None:
    dom = _assert_clean_render(reports / "team-billing.html", tmp_path)
    metrics = ("tickets_created", "first_reply_minutes", "csat_rate", "service_level_rate")
    expected = _semantic_layer(sample_warehouse, tmp_path, "team", metrics)["Billing"]
    _assert_equal(_shown(dom), expected)


def test_agent_scorecard_shows_the_semantic_layer_values_and_no_colleague(
    reports: Path, sample_warehouse: Path, tmp_path: Path
) -> None:
    page = sorted(reports.glob("agent-*.html"))[0]
    dom = _assert_clean_render(page, tmp_path)
    metrics = ("csat_rate", "first_reply_minutes", "tickets_per_agent", "solved_per_shift_hour")
    values = _semantic_layer(sample_warehouse, tmp_path, "agent", metrics)
    agent = page.stem.removeprefix("agent-").upper()
    _assert_equal(_shown(dom), values[agent])
    assert "Team mean" in dom and "Rank" in dom
    assert sum(1 for name in values if name and name != agent and name in dom) == 0
