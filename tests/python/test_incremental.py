"""Idempotence and incremental correctness of the incremental facts
(fct_ticket_messages, fct_ticket_escalations, fct_calls): a second build on
the same data changes nothing, and a build after a day of new rows arrives
(late rows for tickets of earlier days included) gives exactly the marts of
a full build of the same data."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

from conftest import SAMPLE_RAW
from dbt_helpers import query, run_dbt

LATE_DAY = "2025-12-15"
# The append-only tables and the timestamp that puts a row on a day.
APPENDED = {"ticket_messages": "sent_at", "ticket_events": "event_at", "calls": "offered_at"}


def _marts(database: Path) -> dict[str, list[tuple[object, ...]]]:
    tables = [
        str(row[0])
        for row in query(
            database,
            "select table_name from information_schema.tables where table_schema = 'marts' "
            "and table_type = 'BASE TABLE' order by 1",
        )
    ]
    return {
        table: sorted(query(database, f"select * from marts.{table}"), key=repr) for table in tables
    }


def _without_day(source: Path, target: Path, day: str) -> int:
    shutil.copytree(source, target)
    removed = 0
    for table, column in APPENDED.items():
        with (source / f"{table}.csv").open(newline="") as handle:
            reader = csv.DictReader(handle)
            fields = reader.fieldnames or []
            rows = list(reader)
        kept = [row for row in rows if not (row[column] or "").startswith(day)]
        removed += len(rows) - len(kept)
        with (target / f"{table}.csv").open("w", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
            writer.writeheader()
            writer.writerows(kept)
    return removed


# The data tests of these builds add nothing here: the sample's are run by its own build.
BUILD_WITHOUT_TESTS = ["build", "--exclude-resource-type", "test", "unit_test"]


def test_incremental_build_equals_full_refresh(sample_warehouse: Path, tmp_path: Path) -> None:
    """Build without a day of rows, build again (nothing changes), add the day and build
    incrementally: the marts equal the session's full build of the whole sample."""
    before = tmp_path / "before"
    assert _without_day(SAMPLE_RAW, before, LATE_DAY) > 50
    incremental = tmp_path / "incremental" / "warehouse.duckdb"
    incremental.parent.mkdir()
    run_dbt(BUILD_WITHOUT_TESTS, incremental, {"raw_path": str(before)})
    first = _marts(incremental)
    assert first["fct_ticket_messages"] and first["fct_calls"]

    run_dbt(BUILD_WITHOUT_TESTS, incremental, {"raw_path": str(before)})
    assert _marts(incremental) == first

    run_dbt(BUILD_WITHOUT_TESTS, incremental, {"raw_path": str(SAMPLE_RAW)})
    after, expected = _marts(incremental), _marts(sample_warehouse)
    assert set(after) == set(expected)
    for table in expected:
        assert after[table] == expected[table], table
    assert after["fct_ticket_messages"] != first["fct_ticket_messages"]
