"""The three report kinds as a person sees them: rendered by headless Chromium
(Debian's package, installed here when missing), without console errors,
showing the semantic layer's numbers for the month with their labels and units
(a count without decimals, a duration in hours and minutes, a rate in %), every
chart with axis titles, and no colleague's figure on a scorecard of the bundled
sample's two-agent Billing team."""

from __future__ import annotations

import csv
import json
import math
import re
import subprocess
from html import escape, unescape
from pathlib import Path

import pytest

from support_kpis.report.build import MIN_SAMPLE
from support_kpis.report.data import HEADLINE_KPIS as HEADLINE

from browser_helpers import CHROMIUM_ARGS, chromium_path
from conftest import REPORT_MONTH
from dbt_helpers import query, run_mf, work_project

MONTH = REPORT_MONTH
CHROMIUM_FLAGS = ["--headless", *CHROMIUM_ARGS, "--enable-logging=stderr", "--v=0"]


def _chromium() -> str:
    return chromium_path()


@pytest.fixture(scope="module")
def reports(sample_reports: Path) -> Path:
    return sample_reports


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


def _text(dom: str, key: str) -> str:
    """The visible text of the table cell of data-kpi `key`."""
    found = re.search(rf'data-kpi="{key}" data-value="[^"]*">(.*?)</td>', dom)
    assert found, key
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", found.group(1))).split())


def _labels(database: Path) -> dict[str, str]:
    """The metrics' labels in the semantic manifest of the project mf reads."""
    manifest = json.loads((work_project() / "target" / "semantic_manifest.json").read_text())
    return {metric["name"]: metric["label"] for metric in manifest["metrics"]}


def _assert_charts_have_axes(dom: str) -> None:
    charts = re.findall(r"<svg.*?</svg>", dom, re.DOTALL)
    assert charts
    for svg in charts:
        assert 'class="axis-title' in svg
        # labelled ticks (the heat map's: its hours and weekdays)
        assert re.search(r'class="(tick|hour-label)[^"]*"[^>]*>[^<]+<', svg)


def test_management_report_shows_the_semantic_layer_headline(
    reports: Path, sample_warehouse: Path, tmp_path: Path
) -> None:
    dom = _assert_clean_render(reports / "management.html", tmp_path)
    assert "<svg" in dom and "Largest changes" in dom
    expected = _semantic_layer(sample_warehouse, tmp_path, None, HEADLINE)[None]
    _assert_equal(_shown(dom), expected)
    # Labels of the semantic layer (a bracketed unit the value shows is dropped).
    labels = _labels(sample_warehouse)
    assert labels["csat_rate"] == "CSAT (top-2-box)"
    for kpi in HEADLINE:
        label = labels[kpi].removesuffix(" (minutes)").removesuffix(" (seconds)")
        assert f'<td class="kpi">{escape(label)}<span class="unit">' in dom, kpi
        assert f">{kpi}<" not in dom  # no snake_case name shown
    # A count has no decimals, a duration reads in hours and minutes, a rate in %.
    tickets = expected["tickets_created"]
    assert tickets is not None and _text(dom, "tickets_created") == f"{round(tickets):,}"
    reply = round(expected["first_reply_minutes"] or 0)
    assert reply >= 60  # the sample's first reply takes hours
    assert _text(dom, "first_reply_minutes") == f"{reply // 60} h {reply % 60:02d} min"
    assert re.fullmatch(r"\d+ h \d\d min", _text(dom, "resolution_minutes"))
    csat = expected["csat_rate"] or 0.0
    assert _text(dom, "csat_rate") == f"{csat * 100:.1f}%"
    # Sample sizes come from the semantic layer's denominator metrics.
    parts = _semantic_layer(sample_warehouse, tmp_path, None, ("csat_responses", "nps_responses"))[
        None
    ]
    assert _text(dom, "csat_rate__sample") == f"{parts['csat_responses']:.0f} CSAT responses"
    nps_responses = parts["nps_responses"] or 0.0
    assert nps_responses < MIN_SAMPLE  # the sample's November has few NPS responses
    assert "too few" in _text(dom, "nps")
    _assert_charts_have_axes(dom)
    assert dom.count('<g class="target">') >= 8  # every KPI with a target: labelled line


def test_team_report_shows_the_semantic_layer_values(
    reports: Path, sample_warehouse: Path, tmp_path: Path
) -> None:
    dom = _assert_clean_render(reports / "team-billing.html", tmp_path)
    metrics = ("tickets_created", "first_reply_minutes", "csat_rate", "service_level_rate")
    expected = _semantic_layer(sample_warehouse, tmp_path, "team", metrics)["Billing"]
    _assert_equal(_shown(dom), expected)
    assert expected["service_level_rate"] is not None
    assert _text(dom, "service_level_rate") == f"{expected['service_level_rate'] * 100:.1f}%"
    assert "on target" in dom and "off target" in dom  # the status legend
    # Tickets without a team are "Unrouted".
    assert (reports / "team-unrouted.html").exists()
    assert not (reports / "team-none.html").exists()
    assert "(none)" not in (reports / "index.html").read_text()


def test_agent_scorecard_shows_the_semantic_layer_values_and_no_colleague(
    reports: Path, sample_warehouse: Path, tmp_path: Path
) -> None:
    page = sorted(reports.glob("agent-*.html"))[0]
    dom = _assert_clean_render(page, tmp_path)
    metrics = ("csat_rate", "first_reply_minutes", "tickets_per_agent", "solved_per_shift_hour")
    values = _semantic_layer(sample_warehouse, tmp_path, "agent", metrics)
    agent = page.stem.removeprefix("agent-").upper()
    _assert_equal(_shown(dom), values[agent])
    assert "Group mean" in dom and "Your rank" in dom
    assert sum(1 for name in values if name and name != agent and name in dom) == 0
    _assert_charts_have_axes(dom)


def test_a_two_agent_team_scorecard_shows_no_team_mean(
    reports: Path, sample_warehouse: Path, tmp_path: Path
) -> None:
    """Billing has two agents with November figures in the bundled sample: each one's
    scorecard compares with all agents, never with the team's mean."""
    billing = [
        agent
        for (agent,) in query(
            sample_warehouse, "select agent_id from marts.dim_agents where team = 'Billing'"
        )
    ]
    metrics = ("first_reply_minutes", "tickets_per_agent", "solved_per_shift_hour")
    values = _semantic_layer(sample_warehouse, tmp_path, "agent", metrics)
    present = [agent for agent in billing if agent in values]
    assert len(present) == 2, present
    for agent, colleague in (present, present[::-1]):
        dom = _render(reports / f"agent-{agent.lower()}.html", tmp_path)[0]
        assert "__team_mean" not in dom and "Team mean" not in dom
        shown = _shown(dom)
        for kpi in metrics:
            theirs = values[colleague][kpi]
            assert theirs is not None and f"{kpi}__all_agents_mean" in shown
            assert all(v != theirs for k, v in shown.items() if k.startswith(kpi)), kpi
