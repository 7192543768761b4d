"""Publish the semantic layer's saved queries as plain tables for BI tools
that do not speak MetricFlow.

Every number comes from the saved queries of the semantic layer, answered by
MetricFlow (support_kpis.mf_batch: the engine `mf query` runs; one definition per
KPI); this module only reshapes the results into long tables and adds the target
status from the `kpi_targets` seed:
- bi.kpi_monthly: month x team ('all teams' for the whole organisation) x KPI;
- bi.agent_scorecard_monthly: month x agent x scorecard KPI.

The tables describe themselves for any BI tool: each KPI's label and unit from
the semantic manifest (support_kpis.report.semantic) and its values written as
the reports write them (support_kpis.report.formats), beside the exact numbers.

Two publications of the same warehouse write the same values to the last digit:
MetricFlow answers with one DuckDB thread (support_kpis.mf_batch), and every value
is rounded to SIGNIFICANT_DIGITS before its display string is written, so that a
last-digit difference (another summation order) cannot turn "15 h 06 min" into
"15 h 07 min".
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import pyarrow

from support_kpis.processes import run_child
from support_kpis.targets import Target, load_targets, target_status

if TYPE_CHECKING:
    from support_kpis.report.semantic import SemanticLayer

ALL_TEAMS = "all teams"
# The agent of scorecard rows without one (tickets and surveys no agent handled). Rows
# without a team are "Unrouted", as the reports call them (support_kpis.report.data).
UNASSIGNED = "Unassigned"
SAVED_QUERIES = ("kpi_monthly_overall", "team_monthly", "agent_scorecard")
# The significant digits of a published value: far below any display string's
# precision and any comparison's tolerance (1e-9), far above a double's last digits.
SIGNIFICANT_DIGITS = 12
# Set for the dbt and mf processes of a publication (support_kpis.dbt_plugin).
WORK_COPY_ENV = "SUPPORT_KPIS_WORK_COPY"


class PublishError(RuntimeError):
    """A saved query could not be run."""


def parse_project(project_dir: Path, env: Mapping[str, str]) -> None:
    """`dbt parse` for the warehouse in env: mf reads target/semantic_manifest.json,
    whose relations name the warehouse the parse was made for."""
    parsed = run_child(
        [str(Path(sys.executable).with_name("dbt")), "parse", "--quiet"],
        cwd=project_dir,
        env=dict(env),
        capture_output=True,
        text=True,
        check=False,
    )
    if parsed.returncode != 0:
        raise PublishError(f"dbt parse failed:\n{parsed.stdout}{parsed.stderr}")


def run_mf_requests(
    requests: Sequence[Mapping[str, object]],
    project_dir: Path,
    env: Mapping[str, str],
    semantic_manifest: Path | None = None,
) -> list[list[dict[str, str]]]:
    """Rows (text, as `mf query --csv` writes them) of several MetricFlow queries, answered
    by MetricFlow's engine in one process (support_kpis.mf_batch) instead of one `mf` each;
    a request is {"saved_query": name} or {"metrics": [...], "group_by": [...]}. The
    semantic manifest is PROJECT_DIR/target/semantic_manifest.json (what `mf` reads)
    unless `semantic_manifest` names another."""
    manifest = [] if semantic_manifest is None else [str(semantic_manifest)]
    result = run_child(
        [sys.executable, "-m", "support_kpis.mf_batch", str(project_dir), *manifest],
        cwd=project_dir,
        env=dict(env),
        input=json.dumps(list(requests)),
        capture_output=True,
        text=True,
        check=False,
    )
    lines = result.stdout.strip().splitlines()
    if result.returncode != 0 or not lines:
        raise PublishError(f"the MetricFlow queries failed:\n{result.stdout}{result.stderr}")
    answers: list[list[dict[str, str]]] = []
    for request, answer in zip(requests, json.loads(lines[-1]), strict=True):
        if "error" in answer:
            raise PublishError(f"mf query {json.dumps(request)} failed:\n{answer['error']}")
        columns = answer["columns"]
        answers.append(
            [
                {
                    name: "" if value is None else value
                    for name, value in zip(columns, row, strict=True)
                }
                for row in answer["rows"]
            ]
        )
    return answers


def run_saved_queries(
    names: Sequence[str],
    project_dir: Path,
    env: Mapping[str, str],
    semantic_manifest: Path | None = None,
) -> dict[str, list[dict[str, str]]]:
    """Rows of several saved queries (run_mf_requests)."""
    requests = [{"saved_query": name} for name in names]
    answers = run_mf_requests(requests, project_dir, env, semantic_manifest)
    return dict(zip(names, answers, strict=True))


def reproducible(value: float | None) -> float | None:
    """`value` rounded to SIGNIFICANT_DIGITS: the same number whichever order DuckDB
    added it up in (unless it lies within a last-digit difference of a rounding boundary
    of the 12th digit)."""
    return None if value is None else float(f"{value:.{SIGNIFICANT_DIGITS}g}")


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


KpiRow = tuple[date, str, str, float | None]


def _long_rows(rows: list[dict[str, str]], key: str | None, missing: str = "") -> list[KpiRow]:
    """(month, key value, kpi, value rounded: `reproducible`) for every metric of every
    row with values; a row without a key value (no team, no agent) is published under
    `missing`."""
    return [
        (month, (label or missing) if key else ALL_TEAMS, kpi, reproducible(value))
        for month, label, numbers in saved_query_values(rows, key)
        for kpi, value in numbers.items()
    ]


# (name, type, description) of every column, in order. The descriptions become the
# column comments, which the BI copy keeps (support_kpis.bi_copy).
_LABEL = (
    "The KPI's label from the semantic layer (e.g. 'CSAT (top-2-box)'), as the reports show "
    "it: a bracketed unit that the display strings already show is left out ('First reply "
    "time (minutes)' is 'First reply time')."
)
_UNIT = (
    "The unit of kpi_value, as the semantic layer's description states it (fraction, calendar "
    "minutes, seconds, tickets, NPS points (-100..100), ...)."
)
_DISPLAY = (
    "kpi_value as the reports write it: counts as whole numbers "
    "(1,234), rates as percentages (68.7%), durations as '2 h 05 min' or '4 min 05 s', NPS in "
    "points; an en dash when there is no value."
)
KPI_MONTHLY_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("month_start_date", "date", "First day of the calendar month."),
    (
        "team",
        "varchar",
        f"The team; '{ALL_TEAMS}' for the whole organisation, 'Unrouted' for tickets (and "
        "their surveys) never routed to a team.",
    ),
    ("kpi_name", "varchar", "The KPI's metric name in the semantic layer (e.g. csat_rate)."),
    ("kpi_label", "varchar", _LABEL),
    ("kpi_unit", "varchar", _UNIT),
    ("kpi_value", "double", "The KPI's value, as the semantic layer computes it, in kpi_unit."),
    ("kpi_value_display", "varchar", _DISPLAY),
    (
        "change_display",
        "varchar",
        "The change from the previous month's kpi_value of the same team and KPI, as the "
        "reports write it: percentage points for rates ('-9.1 pp'), points for NPS ('+6 "
        "points'), relative otherwise ('+12%'); an en dash when either month has no value "
        "or the previous one is 0.",
    ),
    (
        "target_value",
        "double",
        "The target (seed kpi_targets), in kpi_unit; null for a KPI without a target.",
    ),
    ("target_value_display", "varchar", "target_value written as kpi_value_display is."),
    ("better_direction", "varchar", "higher or lower: which side of the target is better."),
    (
        "warning_value",
        "double",
        "Past this value (in the worse direction) the KPI is off target rather than a warning.",
    ),
    ("warning_value_display", "varchar", "warning_value written as kpi_value_display is."),
    ("benchmark_value", "double", "A published benchmark, in kpi_unit, when there is one."),
    ("benchmark_value_display", "varchar", "benchmark_value written as kpi_value_display is."),
    ("benchmark_source", "varchar", "Where the benchmark comes from."),
    (
        "target_status",
        "varchar",
        "on_target, warning or off_target; null without a value or a target.",
    ),
)
AGENT_SCORECARD_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("month_start_date", "date", "First day of the calendar month."),
    (
        "agent_id",
        "varchar",
        f"The agent (marts.dim_agents); '{UNASSIGNED}' for tickets and surveys without an agent.",
    ),
    ("kpi_name", "varchar", "The KPI's metric name in the semantic layer (e.g. csat_rate)."),
    ("kpi_label", "varchar", _LABEL),
    ("kpi_unit", "varchar", _UNIT),
    ("kpi_value", "double", "The KPI's value, as the semantic layer computes it, in kpi_unit."),
    ("kpi_value_display", "varchar", _DISPLAY),
)
TABLE_DESCRIPTIONS = {
    "kpi_monthly": "Every KPI per month, for the whole organisation ('all teams') and per "
    "team, from the semantic layer's saved queries kpi_monthly_overall and team_monthly, "
    "with its label, unit, display strings, target and target status.",
    "agent_scorecard_monthly": "The agent scorecard KPIs per month and agent, from the "
    "semantic layer's saved query agent_scorecard, with label, unit and display string.",
}


def _previous_month(month: date) -> date:
    return date(month.year - 1, 12, 1) if month.month == 1 else date(month.year, month.month - 1, 1)


def _kpi_monthly_rows(
    rows: list[KpiRow], semantic: SemanticLayer, targets: dict[str, Target]
) -> list[tuple[object, ...]]:
    """The rows of bi.kpi_monthly, in KPI_MONTHLY_COLUMNS order."""
    from support_kpis.report.formats import change_text, value_text

    values = {(team, kpi, month): value for month, team, kpi, value in rows}
    published: list[tuple[object, ...]] = []
    for month, team, kpi, value in rows:
        info = semantic.info(kpi)
        target = targets.get(kpi) or Target(None, None, None, None, None)
        before = values.get((team, kpi, _previous_month(month)))
        published.append(
            (
                month,
                team,
                kpi,
                info.display_label,
                info.unit,
                value,
                value_text(info, value),
                change_text(info, before, value),
                target.target,
                value_text(info, target.target),
                target.better,
                target.warning,
                value_text(info, target.warning),
                target.benchmark,
                value_text(info, target.benchmark),
                target.benchmark_source,
                target_status(targets.get(kpi), value),
            )
        )
    return published


def _agent_rows(rows: list[KpiRow], semantic: SemanticLayer) -> list[tuple[object, ...]]:
    """The rows of bi.agent_scorecard_monthly, in AGENT_SCORECARD_COLUMNS order."""
    from support_kpis.report.formats import value_text

    return [
        (month, agent, kpi, info.display_label, info.unit, value, value_text(info, value))
        for month, agent, kpi, value in rows
        for info in (semantic.info(kpi),)
    ]


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _write_table(
    connection: duckdb.DuckDBPyConnection,
    table: str,
    columns: tuple[tuple[str, str, str], ...],
    rows: list[tuple[object, ...]],
) -> None:
    """(Re)write bi.<table> with `rows`, sorted by its first three columns, and its
    table and column descriptions. No rows (an empty delivery) write an empty table
    with the same columns and descriptions."""
    definition = ", ".join(f"{name} {kind}" for name, kind, _ in columns)
    connection.execute(f"create or replace temporary table publish_rows ({definition})")
    if rows:
        # One Arrow table in a single insert (executemany binds row by row: 8 s for the
        # 56k scorecard rows at 200k tickets, against 0.25 s); the insert casts each
        # Arrow column (a column of only None is Arrow's null type) to the declared type.
        publish_arrow = pyarrow.table(
            {name: [row[index] for row in rows] for index, (name, _, _) in enumerate(columns)}
        )
        connection.register("publish_arrow", publish_arrow)
        connection.execute("insert into publish_rows select * from publish_arrow")
        connection.unregister("publish_arrow")
    connection.execute(
        f"create or replace table bi.{table} as select * from publish_rows order by 1, 2, 3"
    )
    connection.execute("drop table publish_rows")
    connection.execute(f"comment on table bi.{table} is {_literal(TABLE_DESCRIPTIONS[table])}")
    for name, _, description in columns:
        connection.execute(f"comment on column bi.{table}.{name} is {_literal(description)}")


@dataclass(frozen=True)
class SavedQueryRows:
    """The saved queries' answers, as the rows of the bi tables (before display strings)."""

    semantic: SemanticLayer
    kpi_rows: list[KpiRow]
    agent_rows: list[KpiRow]


def _publication_env(database: Path, env: Mapping[str, str] | None) -> dict[str, str]:
    env = dict(os.environ if env is None else env)
    env["DBT_DUCKDB_PATH"] = str(database)
    env["DBT_SEND_ANONYMOUS_USAGE_STATS"] = "False"
    # The publication's own dbt and mf open the work copy as they are told (D33).
    env[WORK_COPY_ENV] = "1"
    # mf reads PROJECT_DIR/target/semantic_manifest.json whatever the target path: parse there.
    env.pop("DBT_TARGET_PATH", None)
    return env


def query_saved_queries(
    project_dir: Path,
    database: Path,
    env: Mapping[str, str] | None = None,
    semantic_manifest: Path | None = None,
) -> SavedQueryRows:
    """Run the saved queries of bi.* on `database` (only read; dbt and mf run with `env`,
    default this process's environment). `semantic_manifest`: the one the build of
    `database` just wrote for this project; without it, `dbt parse` writes
    PROJECT_DIR/target/semantic_manifest.json first (its relations name the warehouse
    the parse was made for)."""
    # Imported here: support_kpis.report imports this module.
    from support_kpis.report.data import UNROUTED
    from support_kpis.report.semantic import read_semantic_layer

    env = _publication_env(database, env)
    if semantic_manifest is None:
        parse_project(project_dir, env)
    manifest = semantic_manifest or project_dir / "target" / "semantic_manifest.json"
    semantic = read_semantic_layer(manifest)
    results = run_saved_queries(SAVED_QUERIES, project_dir, env, semantic_manifest)
    return SavedQueryRows(
        semantic=semantic,
        kpi_rows=_long_rows(results["kpi_monthly_overall"], None)
        + _long_rows(results["team_monthly"], "team", UNROUTED),
        agent_rows=_long_rows(results["agent_scorecard"], "agent", UNASSIGNED),
    )


def write_bi_tables(database: Path, rows: SavedQueryRows) -> dict[str, int]:
    """(Re)write the bi schema of `database` from the saved queries' rows."""
    with duckdb.connect(str(database)) as connection:
        targets = load_targets(connection)
        connection.execute("create schema if not exists bi")
        _write_table(
            connection,
            "kpi_monthly",
            KPI_MONTHLY_COLUMNS,
            _kpi_monthly_rows(rows.kpi_rows, rows.semantic, targets),
        )
        _write_table(
            connection,
            "agent_scorecard_monthly",
            AGENT_SCORECARD_COLUMNS,
            _agent_rows(rows.agent_rows, rows.semantic),
        )
    return {
        "bi.kpi_monthly": len(rows.kpi_rows),
        "bi.agent_scorecard_monthly": len(rows.agent_rows),
    }


def publish(
    project_dir: Path,
    database: Path,
    env: Mapping[str, str] | None = None,
    semantic_manifest: Path | None = None,
) -> dict[str, int]:
    """Run the saved queries and (re)write the bi schema of `database` (dbt and mf run
    with `env`, default this process's environment; `semantic_manifest`: see
    query_saved_queries)."""
    rows = query_saved_queries(project_dir, database, env, semantic_manifest)
    return write_bi_tables(database, rows)
