"""Implausible timestamps are quarantined `out_of_range` and never stretch a spine
(docs/decisions.md, D32); a row whose parent is quarantined is `invalid_parent`.

tests/fixtures/plausible_base is a small valid delivery (2025-03-03 to 2025-03-06, built
with the delivery time 2025-03-06 12:00); tests/fixtures/plausible_implausible holds the
rows added to it for the second build: timestamps in year 1, 1899, 1900, 1969 and 9999,
a shift and an order 25 hours after the delivery time, a termination more than a year
after it, and rows referencing those rows or a missing ticket. Both builds write the same
warehouse file, one after the other (the second reuses the first's parse).
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from dbt_helpers import PROJECT_DIR, query, run_dbt

FIXTURES = PROJECT_DIR / "tests" / "fixtures"
BASE = FIXTURES / "plausible_base"
IMPLAUSIBLE = FIXTURES / "plausible_implausible"
DELIVERY_TIME = "2025-03-06 12:00:00"
# Only what the assertions read (no data tests: the full build is tested elsewhere).
SELECT = [
    "+fct_ticket_backlog_daily",
    "+time_spine_daily",
    "+dim_dates",
    "+quarantine_support__summary",
]
KEYS = {
    "customers": "customer_id",
    "agents": "agent_id",
    "agent_shifts": "shift_id",
    "tickets": "ticket_id",
    "ticket_events": "event_id",
    "ticket_messages": "message_id",
    "calls": "call_id",
    "survey_responses": "response_id",
    "orders": "order_id",
}
# Hand-computed from the base delivery. Backlog (one ticket slice): T1 open from
# 2025-03-03 until solved on 2025-03-05; T2 new from 2025-03-04 on.
BACKLOG = [
    (dt.date(2025, 3, 3), 1),
    (dt.date(2025, 3, 4), 2),
    (dt.date(2025, 3, 5), 1),
    (dt.date(2025, 3, 6), 1),
]
# The MetricFlow time spine: the data's dates, 366 days either side.
TIME_SPINE = (dt.date(2024, 3, 2), dt.date(2026, 3, 7), 4 + 2 * 366)


def _measure(database: Path) -> dict[str, object]:
    return {
        "backlog": query(
            database,
            "select backlog_date, count_open_tickets from marts.fct_ticket_backlog_daily "
            "order by backlog_date",
        ),
        "months": query(database, "select distinct month_start_date from marts.dim_dates"),
        "time_spine": query(
            database, "select min(date_day), max(date_day), count(*) from marts.time_spine_daily"
        )[0],
        "quarantine": {
            table: set(
                query(
                    database,
                    f"select {key}, reason_code, reason_column, parent_reason_code "
                    f"from quarantine.quarantine_support__{table}",
                )
            )
            for table, key in KEYS.items()
        },
        "staged": {
            table: {
                row[0] for row in query(database, f"select {key} from staging.stg_support__{table}")
            }
            for table, key in KEYS.items()
        },
    }


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, object]]:
    """The base delivery's measures, then those of the base plus the implausible rows."""
    work = tmp_path_factory.mktemp("plausible")
    raw = work / "raw"
    shutil.copytree(BASE, raw)
    database = work / "warehouse.duckdb"
    variables = {"raw_path": str(raw), "as_of_at": DELIVERY_TIME}
    command = ["build", "--select", *SELECT, "--exclude-resource-type", "test", "unit_test"]
    run_dbt(command, database, variables)
    measured = {"without": _measure(database)}
    for extra in sorted(IMPLAUSIBLE.glob("*.csv")):
        lines = extra.read_text().splitlines(keepends=True)
        with (raw / extra.name).open("a") as handle:
            handle.writelines(lines[1:])
    run_dbt(command, database, variables)
    measured["with"] = _measure(database)
    return measured


def test_the_base_delivery_is_all_valid(builds: dict[str, dict[str, object]]) -> None:
    assert builds["without"]["quarantine"] == {table: set() for table in KEYS}


def test_implausible_timestamps_are_out_of_range_on_their_column(
    builds: dict[str, dict[str, object]],
) -> None:
    assert builds["with"]["quarantine"] == {
        "customers": {("C9", "out_of_range", "signed_up_at", None)},  # year 1
        "agents": {
            ("A8", "out_of_range", "terminated_at", None),  # more than 366 days ahead
            ("A9", "out_of_range", "hired_at", None),  # 1899
        },
        "agent_shifts": {
            ("SH8", "invalid_parent", "agent_id", "out_of_range"),  # A9's shift
            ("SH9", "out_of_range", "shift_start", None),  # starts 25 h after the delivery
        },
        "tickets": {
            ("T8", "out_of_range", "created_at", None),  # created 1900
            ("T9", "out_of_range", "updated_at", None),  # updated 1900 (before its creation)
        },
        "ticket_events": {("E9", "invalid_parent", "ticket_id", "out_of_range")},
        "ticket_messages": {
            ("M8", "invalid_parent", "ticket_id", "out_of_range"),  # T8 is quarantined
            ("M9", "dangling_reference", "ticket_id", None),  # T404 was never delivered
        },
        "calls": {("CL9", "out_of_range", "offered_at", None)},  # 1969
        "survey_responses": {("S9", "out_of_range", "responded_at", None)},  # 9999
        "orders": {
            ("O7", "invalid_parent", "customer_id", "out_of_range"),  # C9's order
            ("O8", "out_of_range", "ordered_at", None),  # 25 h after the delivery
            ("O9", "out_of_range", "ordered_at", None),  # 9999-12-31
        },
    }


def test_values_within_their_margin_after_the_delivery_are_valid(
    builds: dict[str, dict[str, object]],
) -> None:
    # SH2 ends 8 h after the delivery time (a shift in progress), O2 is 8 h after it
    # (clock skew), A2's termination is dated nine months ahead.
    staged = builds["with"]["staged"]
    assert staged == builds["without"]["staged"]
    assert "SH2" in staged["agent_shifts"]  # type: ignore[index]
    assert "O2" in staged["orders"]  # type: ignore[index]
    assert "A2" in staged["agents"]  # type: ignore[index]


def test_spines_follow_the_valid_rows_only(builds: dict[str, dict[str, object]]) -> None:
    for name in ("without", "with"):
        measured = builds[name]
        assert measured["backlog"] == BACKLOG, name
        assert measured["months"] == [(dt.date(2025, 3, 1),)], name
        assert measured["time_spine"] == TIME_SPINE, name
