"""An empty delivery (every raw table of the contract with its header and no row) builds
with every test passing: nothing is staged or quarantined, every mart built from the
data is empty, the build summary has no gate problem, and the BI tables are published
empty, with their descriptions."""

from __future__ import annotations

from pathlib import Path

import pytest

from support_kpis.build_summary import format_summary, gate_problems, read_summary
from support_kpis.generator.schema import TABLE_COLUMNS

from dbt_helpers import AS_OF, query, run_dbt, work_project

# Marts listing reference data (the channel list, the teams of seed team_schedules),
# not delivered rows: the only ones that are not empty.
REFERENCE_MARTS = {"dim_channels", "dim_teams"}


@pytest.fixture(scope="module")
def empty_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    raw = tmp_path_factory.mktemp("empty_delivery") / "raw"
    raw.mkdir()
    for table, columns in TABLE_COLUMNS.items():
        (raw / f"{table}.csv").write_text(",".join(columns) + "\n", encoding="utf-8")
    assert len(list(raw.iterdir())) == 10
    database = raw.parent / "warehouse.duckdb"
    result = run_dbt(["build"], database, {"raw_path": str(raw), "as_of_at": AS_OF})
    assert " ERROR=0 " in result.stdout and " SKIP=0 " in result.stdout
    return database


def _row_counts(database: Path, schema: str) -> dict[str, int]:
    tables = query(
        database,
        "select table_name from information_schema.tables "
        f"where table_schema = '{schema}' and table_type = 'BASE TABLE'",
    )
    return {
        str(name): int(query(database, f'select count(*) from {schema}."{name}"')[0][0])
        for (name,) in tables
    }


def test_nothing_is_staged_or_quarantined(empty_warehouse: Path) -> None:
    staging = _row_counts(empty_warehouse, "staging")
    assert {f"stg_support__{table}" for table in TABLE_COLUMNS} <= set(staging)
    assert set(staging.values()) == {0}
    quarantine = _row_counts(empty_warehouse, "quarantine")
    assert "quarantine_support__collapsed_duplicates" in quarantine
    assert {name: rows for name, rows in quarantine.items() if rows} == {
        "quarantine_support__summary": 10
    }
    assert query(
        empty_warehouse,
        "select distinct count_delivered_rows, count_collapsed_rows, count_staged_rows, "
        "count_quarantined_rows from quarantine.quarantine_support__summary",
    ) == [(0, 0, 0, 0)]


def test_the_marts_are_empty(empty_warehouse: Path) -> None:
    marts = _row_counts(empty_warehouse, "marts")
    assert {"fct_tickets", "fct_calls", "dim_dates", "time_spine_daily"} <= set(marts)
    assert {name for name, rows in marts.items() if rows} == REFERENCE_MARTS
    # The date bounds are null when no valid row has a date (the spines are empty).
    assert query(
        empty_warehouse,
        "select first_date, last_date, count_dated_rows from intermediate.int_data_dates_bounded",
    ) == [(None, None, 0)]


def test_the_build_summary_sees_an_empty_delivery(empty_warehouse: Path) -> None:
    summary = read_summary(empty_warehouse)
    assert summary is not None
    assert [table.table_name for table in summary.tables] == list(TABLE_COLUMNS)
    assert {(t.delivered, t.staged, t.collapsed, t.quarantined) for t in summary.tables} == {
        (0, 0, 0, 0)
    }
    assert gate_problems(summary, 0.10) == []
    assert gate_problems(summary, 0.0) == []
    assert format_summary(summary).splitlines()[-1] == "nothing quarantined"


def test_publish_writes_empty_bi_tables(empty_warehouse: Path) -> None:
    from support_kpis.publish import (
        AGENT_SCORECARD_COLUMNS,
        KPI_MONTHLY_COLUMNS,
        TABLE_DESCRIPTIONS,
        publish,
    )

    counts = publish(work_project(), empty_warehouse)
    assert counts == {"bi.kpi_monthly": 0, "bi.agent_scorecard_monthly": 0}
    for table, columns in (
        ("kpi_monthly", KPI_MONTHLY_COLUMNS),
        ("agent_scorecard_monthly", AGENT_SCORECARD_COLUMNS),
    ):
        assert query(empty_warehouse, f"select count(*) from bi.{table}") == [(0,)]
        assert query(
            empty_warehouse,
            "select column_name, data_type, comment from duckdb_columns() "
            f"where schema_name = 'bi' and table_name = '{table}' order by column_index",
        ) == [(name, kind.upper(), description) for name, kind, description in columns]
        assert query(
            empty_warehouse,
            f"select comment from duckdb_tables() where schema_name = 'bi' "
            f"and table_name = '{table}'",
        ) == [(TABLE_DESCRIPTIONS[table],)]
