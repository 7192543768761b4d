"""The contact-centre operations KPIs on the hand-made fixture, through the
semantic layer, against values computed by hand from its rows
(tests/fixtures/raw_invalid: calls.csv, agent_states.csv, agent_shifts.csv).

March 2025, inbound calls with a valid row: CL1 (Billing, answered after 20 s;
talk 260, hold 10, after-call work 30) and CL2 (Billing, abandoned after
60 s, no customer). Agent states: A1 available 13:00-14:00 overlapped by
on_contact 13:30-14:30 (the later one wins: 30 + 60 minutes), A6 after-contact
work 23:50-00:20 across midnight (10 + 20 minutes); A1's shifts: 13:00-21:00
on the 3rd and 08:00-24:00 on the 4th, the two dates of state data.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

from dbt_helpers import run_mf

EXPECTED_MARCH_2025 = {
    "calls_offered": 2,
    "short_abandons": 0,  # CL2 waited 60 s
    "abandonment_rate_excl_short": 1 / 2,
    "service_level_rate_excl_short": 1 / 2,  # CL1 at exactly 20 s
    "average_abandon_seconds": 60,
    "longest_wait_seconds": 60,
    "average_hold_seconds": 10,
    "hold_rate": 1.0,
    "average_after_call_work_seconds": 30,
    "repeat_call_rate": 0.0,  # CL1's customer C1 calls no more
    # Handling 60 + 30, productive 30 + 60 + 30.
    "occupancy_rate": 90 / 120,
    # Shift minutes 480 + 960; A1 handled 60 and was logged in 90 of them.
    "utilization_rate": 60 / 1440,
    "login_adherence_rate": 90 / 1440,
    "shrinkage_rate": (1440 - 90) / 1440,
    # Billing 10:00: 2 offered, 1 answered of 300 s: 0.167 erlangs, 1 agent
    # (service level 0.842); A1, the one valid Billing agent, starts at 13:00.
    "understaffed_interval_rate": 1.0,
    "staffing_gap_agents": -1.0,
}


def test_operations_kpis_on_the_fixture(fixture_warehouse: Path, tmp_path: Path) -> None:
    out = tmp_path / "operations.csv"
    result = run_mf(
        [
            "query",
            "--metrics",
            ",".join(EXPECTED_MARCH_2025),
            "--group-by",
            "metric_time__month",
            "--csv",
            str(out),
            "--quiet",
        ],
        fixture_warehouse,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    with out.open(newline="") as handle:
        rows = {row["metric_time__month"][:10]: row for row in csv.DictReader(handle)}
    march = rows["2025-03-01"]
    got = {name: float(march[name]) for name in EXPECTED_MARCH_2025}
    assert all(
        math.isclose(got[name], value, rel_tol=1e-9, abs_tol=1e-12)
        for name, value in EXPECTED_MARCH_2025.items()
    ), got


def test_call_and_staffing_kpis_answer_by_hour(fixture_warehouse: Path, tmp_path: Path) -> None:
    # Both inbound Billing calls were offered at 10:00 on 2025-03-03; the
    # outbound calls at 11:00 and 12:00 are no inbound calls.
    out = tmp_path / "hourly.csv"
    metrics = "calls_offered,service_level_rate,short_abandons,understaffed_interval_rate"
    result = run_mf(
        [
            "query",
            "--metrics",
            metrics,
            "--group-by",
            "metric_time__hour",
            "--csv",
            str(out),
            "--quiet",
        ],
        fixture_warehouse,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    with out.open(newline="") as handle:
        rows = {
            row["metric_time__hour"][:16].replace(" ", "T"): row
            for row in csv.DictReader(handle)
            if any(row[name] for name in metrics.split(","))
        }
    ten = rows["2025-03-03T10:00"]
    assert (float(ten["calls_offered"]), float(ten["service_level_rate"])) == (2.0, 0.5)
    assert (float(ten["short_abandons"]), float(ten["understaffed_interval_rate"])) == (0.0, 1.0)
    assert float(rows["2025-03-03T11:00"]["calls_offered"]) == 0.0
