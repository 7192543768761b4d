"""The published bi.* values are reproducible to the last digit, so that their display
strings are too (support_kpis.publish.reproducible), and the publication gate's default
share lives in dbt_project.yml only (support_kpis.safe_build)."""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path

import pytest

from support_kpis.publish import ALL_TEAMS, _kpi_monthly_rows, _long_rows, reproducible
from support_kpis.report.formats import value_text
from support_kpis.report.semantic import Kind, KpiInfo, SemanticLayer
from support_kpis.safe_build import (
    BuildError,
    GateSettings,
    project_max_quarantine_share,
)

from dbt_helpers import PROJECT_DIR

FIRST_REPLY = KpiInfo(
    name="first_reply_minutes",
    label="First reply time (minutes)",
    unit="calendar minutes",
    kind=Kind.MINUTES,
)
SEMANTIC = SemanticLayer(kpis={FIRST_REPLY.name: FIRST_REPLY})


def _published_display(value: float) -> tuple[float | None, str]:
    """(kpi_value, kpi_value_display) of bi.kpi_monthly for a saved query's answer
    `value`, written as text as MetricFlow writes it."""
    answer = [{"metric_time__month": "2025-11-01 00:00:00", FIRST_REPLY.name: repr(value)}]
    rows = _long_rows(answer, None)
    assert [row[:3] for row in rows] == [(date(2025, 11, 1), ALL_TEAMS, FIRST_REPLY.name)]
    (published,) = _kpi_monthly_rows(rows, SEMANTIC, {})
    return published[5], published[6]  # type: ignore[return-value]


def test_a_last_digit_difference_at_a_half_minute_keeps_the_display() -> None:
    # 906.5 minutes = 15 h 06.5 min: the display rounds to whole minutes (half to even).
    exact = 906.5
    below, above = math.nextafter(exact, 0.0), math.nextafter(exact, math.inf)
    # One ulp apart, as two summation orders can leave a sum: unrounded, the display flips.
    assert value_text(FIRST_REPLY, below) == "15 h 06 min"
    assert value_text(FIRST_REPLY, above) == "15 h 07 min"
    assert {_published_display(value) for value in (below, exact, above)} == {
        (906.5, "15 h 06 min")
    }


def test_values_that_two_duckdb_threads_summed_differently_are_published_the_same() -> None:
    # Seen at 200k tickets: the same query on the same file, two threads, two answers.
    assert reproducible(546.8639311618919) == reproducible(546.8639311618883) == 546.863931162
    assert reproducible(569.4440400000004) == reproducible(569.4440399999982) == 569.44404


def test_twelve_significant_digits_are_kept() -> None:
    assert reproducible(0.123456789012345678) == 0.123456789012
    assert reproducible(1234567.891234567) == 1234567.89123
    assert reproducible(-0.000012345678901234) == -0.0000123456789012
    assert reproducible(42.0) == 42.0
    assert reproducible(None) is None


def test_the_gate_default_share_is_the_projects_var(tmp_path: Path) -> None:
    assert GateSettings().max_quarantine_share is None  # no default of its own
    assert project_max_quarantine_share(PROJECT_DIR) == 0.10  # dbt_project.yml's
    (tmp_path / "dbt_project.yml").write_text(
        "name: p\nvars:\n  publish_max_quarantine_share: 0.25\n", encoding="utf-8"
    )
    assert project_max_quarantine_share(tmp_path) == 0.25


def test_a_project_without_the_gate_var_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "dbt_project.yml").write_text("name: p\nvars:\n  other: 1\n", encoding="utf-8")
    with pytest.raises(BuildError) as raised:
        project_max_quarantine_share(tmp_path)
    message = str(raised.value)
    assert str(tmp_path / "dbt_project.yml") in message
    assert "sets no var publish_max_quarantine_share" in message
