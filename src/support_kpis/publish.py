"""Publish the semantic layer's saved queries as plain tables for BI tools
that do not speak MetricFlow.

Every number comes from `mf query --saved-query` (one definition per KPI);
this module only reshapes the results into long tables and adds the target
status from the `kpi_targets` seed:
- bi.kpi_monthly: month x team ('all teams' for the whole organisation) x KPI;
- bi.agent_scorecard_monthly: month x agent x scorecard KPI.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Mapping
from datetime import date
from pathlib import Path

import duckdb

from support_kpis.targets import load_targets, target_status

ALL_TEAMS = "all teams"
SAVED_QUERIES = ("kpi_monthly_overall", "team_monthly", "agent_scorecard")


class PublishError(RuntimeError):
    """A saved query could not be run."""


def parse_project(project_dir: Path, env: Mapping[str, str]) -> None:
    """`dbt parse` for the warehouse in env: mf reads target/semantic_manifest.json,
    whose relations name the warehouse the parse was made for."""
    parsed = subprocess.run(
        [str(Path(sys.executable).with_name("dbt")), "parse", "--quiet"],
        cwd=project_dir,
        env=dict(env),
        capture_output=True,
        text=True,
        check=False,
    )
    if parsed.returncode != 0:
        raise PublishError(f"dbt parse failed:\n{parsed.stdout}{parsed.stderr}")


def run_saved_query(name: str, project_dir: Path, env: Mapping[str, str]) -> list[dict[str, str]]:
    """Rows of a saved query, as mf returns them (text)."""
    mf = Path(sys.executable).with_name("mf")
    with tempfile.TemporaryDirectory() as work:
        out = Path(work) / f"{name}.csv"
        result = subprocess.run(
            [str(mf), "query", "--saved-query", name, "--csv", str(out), "--quiet"],
            cwd=project_dir,
            env=dict(env),
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode == 0 and not out.is_file():
            # mf succeeds without writing the CSV when the result is empty (a
            # delivery without calls has no hour-of-week service level).
            return []
        if result.returncode != 0 or not out.is_file():
            raise PublishError(
                f"mf query --saved-query {name} failed:\n{result.stdout}{result.stderr}"
            )
        with out.open(newline="") as handle:
            return list(csv.DictReader(handle))


def _number(text: str) -> float | None:
    return float(text) if text not in ("", None) else None


def saved_query_values(
    rows: list[dict[str, str]], key: str | None
) -> Iterator[tuple[date, str, dict[str, float | None]]]:
    """(month, key value or "", {metric: value}) of every row of a saved query that has a
    month and at least one value (the cumulative customer base reaches over the whole
    time spine, where every other KPI is empty)."""
    for row in rows:
        values = dict(row)
        month = values.pop("metric_time__month")
        label = values.pop(key) if key else ""
        numbers = {name: _number(value) for name, value in values.items()}
        if month and any(number is not None for number in numbers.values()):
            yield date.fromisoformat(month[:10]), label or "", numbers


def _long_rows(
    rows: list[dict[str, str]], key: str | None
) -> list[tuple[date, str, str, float | None]]:
    """(month, key value, kpi, value) for every metric of every row with values."""
    return [
        (month, (label or "(no team)") if key else ALL_TEAMS, kpi, value)
        for month, label, numbers in saved_query_values(rows, key)
        for kpi, value in numbers.items()
    ]


def publish(project_dir: Path, database: Path) -> dict[str, int]:
    """Run the saved queries and (re)write the bi schema of `database`."""
    env = dict(os.environ)
    env["DBT_DUCKDB_PATH"] = str(database)
    env["DBT_SEND_ANONYMOUS_USAGE_STATS"] = "False"
    parse_project(project_dir, env)
    results = {name: run_saved_query(name, project_dir, env) for name in SAVED_QUERIES}
    kpi_rows = _long_rows(results["kpi_monthly_overall"], None) + _long_rows(
        results["team_monthly"], "team"
    )
    agent_rows = _long_rows(results["agent_scorecard"], "agent")
    with duckdb.connect(str(database)) as connection:
        targets = load_targets(connection)
        judged_rows = [(*row, target_status(targets.get(row[2]), row[3])) for row in kpi_rows]
        connection.execute("create schema if not exists bi")
        connection.execute(
            "create or replace temporary table kpi_values (month_start_date date, "
            "team varchar, kpi_name varchar, kpi_value double, target_status varchar)"
        )
        connection.executemany("insert into kpi_values values (?, ?, ?, ?, ?)", judged_rows)
        connection.execute(
            """
            create or replace table bi.kpi_monthly as
            select
                kpi_values.month_start_date,
                kpi_values.team,
                kpi_values.kpi_name,
                kpi_values.kpi_value,
                kpi_targets.target_value,
                kpi_targets.better_direction,
                kpi_targets.warning_value,
                kpi_targets.benchmark_value,
                kpi_targets.benchmark_source,
                kpi_values.target_status
            from kpi_values
            left join reference.kpi_targets
                on kpi_values.kpi_name = kpi_targets.kpi_name
            order by 1, 2, 3
            """
        )
        connection.execute(
            "create or replace table bi.agent_scorecard_monthly "
            "(month_start_date date, agent_id varchar, kpi_name varchar, kpi_value double)"
        )
        connection.executemany(
            "insert into bi.agent_scorecard_monthly values (?, ?, ?, ?)", agent_rows
        )
    return {"bi.kpi_monthly": len(kpi_rows), "bi.agent_scorecard_monthly": len(agent_rows)}
