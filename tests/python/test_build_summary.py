"""The per-table build summary (support_kpis.build_summary): its counts on the hand-made
fixture tests/fixtures/raw_invalid (every figure below counted by hand from the
fixture's `expected_outcome` column, as test_quarantine.py asserts them row by row),
its plain-text table, and the publication gate's sentences on hand-made summaries."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from support_kpis.build_summary import (
    BuildSummary,
    TableSummary,
    format_summary,
    gate_problems,
    read_summary,
)
from support_kpis.generator.schema import TABLES

# table: (delivered, staged, collapsed, quarantined, {reason: rows}), from the fixture.
FIXTURE_COUNTS: dict[str, tuple[int, int, int, int, dict[str, int]]] = {
    "customers": (
        13,
        4,
        1,
        8,
        {
            "invalid_format": 3,
            "duplicate_key": 2,
            "missing_value": 1,
            "null_key": 1,
            "unknown_value": 1,
        },
    ),
    "agents": (6, 3, 0, 3, {"invalid_format": 1, "missing_value": 1, "timestamp_order": 1}),
    "agent_shifts": (
        7,
        2,
        0,
        5,
        {
            "dangling_reference": 1,
            "invalid_parent": 1,
            "missing_value": 1,
            "out_of_range": 1,
            "timestamp_order": 1,
        },
    ),
    "agent_states": (
        17,
        3,
        1,
        13,
        {
            "duplicate_key": 2,
            "invalid_format": 2,
            "out_of_range": 2,
            "unknown_value": 2,
            "dangling_reference": 1,
            "invalid_parent": 1,
            "missing_value": 1,
            "null_key": 1,
            "timestamp_order": 1,
        },
    ),
    "tickets": (
        11,
        3,
        0,
        8,
        {
            "invalid_parent": 2,
            "unknown_value": 2,
            "dangling_reference": 1,
            "missing_value": 1,
            "out_of_range": 1,
            "timestamp_order": 1,
        },
    ),
    "ticket_events": (
        9,
        4,
        0,
        5,
        {"unknown_value": 2, "invalid_parent": 1, "missing_value": 1, "timestamp_order": 1},
    ),
    "ticket_messages": (
        12,
        3,
        0,
        9,
        {
            "inconsistent_value": 2,
            "invalid_parent": 2,
            "dangling_reference": 1,
            "invalid_format": 1,
            "missing_value": 1,
            "timestamp_order": 1,
            "unknown_value": 1,
        },
    ),
    "calls": (
        13,
        4,
        0,
        9,
        {
            "inconsistent_value": 2,
            "timestamp_order": 2,
            "dangling_reference": 1,
            "invalid_format": 1,
            "missing_value": 1,
            "out_of_range": 1,
            "unknown_value": 1,
        },
    ),
    "survey_responses": (
        12,
        4,
        0,
        8,
        {
            "inconsistent_value": 2,
            "out_of_range": 2,
            "dangling_reference": 1,
            "invalid_format": 1,
            "timestamp_order": 1,
            "unknown_value": 1,
        },
    ),
    "orders": (
        8,
        2,
        1,
        5,
        {"invalid_format": 2, "dangling_reference": 1, "missing_value": 1, "out_of_range": 1},
    ),
}


def _table(
    name: str,
    delivered: int,
    staged: int,
    collapsed: int = 0,
    copies: int | None = None,
    superseded: int = 0,
) -> TableSummary:
    """A hand-made table: what is neither staged, superseded nor collapsed is quarantined
    (with its exact copies: `copies` delivered rows, by default one per quarantined row)."""
    quarantined = delivered - staged - collapsed - superseded
    return TableSummary(
        table_name=name,
        delivered=delivered,
        staged=staged,
        collapsed=collapsed,
        quarantined=quarantined,
        quarantined_copies=quarantined if copies is None else copies,
        reasons={"invalid_format": quarantined} if quarantined else {},
        superseded=superseded,
    )


def _summary(*tables: TableSummary) -> BuildSummary:
    """Every contract table, empty unless given."""
    given = {table.table_name: table for table in tables}
    return BuildSummary(tuple(given.get(name, _table(name, 0, 0)) for name in TABLES))


def test_the_summary_of_the_fixture(fixture_warehouse: Path) -> None:
    summary = read_summary(fixture_warehouse)
    assert summary is not None
    assert [table.table_name for table in summary.tables] == list(TABLES)
    for table in summary.tables:
        delivered, staged, collapsed, quarantined, reasons = FIXTURE_COUNTS[table.table_name]
        assert (table.delivered, table.staged, table.collapsed, table.quarantined) == (
            delivered,
            staged,
            collapsed,
            quarantined,
        ), table.table_name
        # One load per table: nothing superseded.
        assert table.superseded == 0, table.table_name
        # The fixture's collapsed rows (C3, AS2, O1) are all valid: no quarantined copy.
        assert table.quarantined_copies == quarantined, table.table_name
        # Most frequent reason first, then by name.
        assert list(table.reasons.items()) == list(reasons.items()), table.table_name
    assert summary.delivered == 108
    assert summary.quarantined == 73


def test_the_fixture_summary_as_text(fixture_warehouse: Path) -> None:
    summary = read_summary(fixture_warehouse)
    assert summary is not None
    lines = format_summary(summary).splitlines()
    assert len(lines) == 1 + 10 + 1
    assert lines[0] == (
        "table             delivered     staged  superseded  collapsed  quarantined  reasons"
    )
    assert lines[1] == (
        "customers                13          4           0          1            8  "
        "invalid_format 3, duplicate_key 2, missing_value 1, null_key 1, unknown_value 1"
    )
    assert lines[2] == (
        "agents                    6          3           0          0            3  "
        "invalid_format 1, missing_value 1, timestamp_order 1"
    )
    assert lines[-1] == "73 rows quarantined in 10 tables (quarantine.quarantine_support__reasons)"


def test_the_copies_of_quarantined_rows_count_in_their_share() -> None:
    # A warehouse reduced to the relations the summary reads: 6 customers delivered,
    # 1 staged; a row delivered 3 times (2 collapsed) and a single row, both invalid.
    with duckdb.connect() as connection:
        connection.execute("create schema quarantine")
        connection.execute(
            "create table quarantine.quarantine_support__summary as select 'customers' as "
            "table_name, 'files' as raw_source, 6 as count_delivered_rows, "
            "2 as count_collapsed_rows, 1 as count_staged_rows, 2 as count_quarantined_rows, "
            "0 as count_superseded_rows"
        )
        connection.execute(
            "create table quarantine.quarantine_support__customers as "
            "select * from (values ('C9', 'invalid_format', 3), (null, 'null_key', 1)) "
            "as t(customer_id, reason_code, count_copies)"
        )
        summary = read_summary(connection)
    assert summary is not None
    (customers,) = summary.tables
    assert (customers.quarantined, customers.quarantined_copies) == (2, 4)
    assert dict(customers.reasons) == {"invalid_format": 1, "null_key": 1}
    assert gate_problems(summary, 0.5) == [
        "customers: 4 of 6 delivered rows quarantined (66.7%), more than the 50% allowed"
    ]


def test_a_warehouse_without_a_build_has_no_summary(tmp_path: Path) -> None:
    database = tmp_path / "seeded.duckdb"
    with duckdb.connect(str(database)) as connection:
        connection.execute("create schema reference")
        connection.execute("create table reference.kpi_targets (kpi_name varchar)")
    assert read_summary(database) is None


def test_a_table_entirely_quarantined_closes_the_gate() -> None:
    summary = _summary(_table("customers", 20, 20), _table("tickets", 412, 0))
    assert gate_problems(summary, 0.10) == [
        "tickets: 412 of 412 delivered rows quarantined (100%), more than the 10% allowed"
    ]


def test_an_empty_delivery_passes_the_gate() -> None:
    summary = _summary()
    assert gate_problems(summary, 0.10) == []
    assert gate_problems(summary, 0.0) == []
    assert format_summary(summary).splitlines()[-1] == "nothing quarantined"


def test_the_quarantined_share_may_reach_the_limit_but_not_pass_it() -> None:
    assert gate_problems(_summary(_table("calls", 100, 90)), 0.10) == []
    assert gate_problems(_summary(_table("calls", 100, 89)), 0.10) == [
        "calls: 11 of 100 delivered rows quarantined (11%), more than the 10% allowed"
    ]
    # A share just past the limit is written with the decimals that tell them apart.
    assert gate_problems(_summary(_table("orders", 10_000, 8_996)), 0.10) == [
        "orders: 1,004 of 10,000 delivered rows quarantined (10.04%), more than the 10% allowed"
    ]
    # Collapsed copies of valid rows are not quarantined.
    assert gate_problems(_summary(_table("orders", 100, 50, collapsed=45)), 0.10) == []


def test_a_required_table_with_no_staged_row_closes_the_gate() -> None:
    # With the share check disabled (1.0), a delivered table left without any staged row
    # is still a problem; an empty table or the optional agent_states is not.
    summary = _summary(
        _table("tickets", 6, 0, collapsed=2, copies=6),
        _table("agent_states", 5, 0),
        _table("calls", 3, 3),
    )
    assert gate_problems(summary, 1.0) == [
        "tickets: 6 delivered rows and none staged (4 quarantined, 2 collapsed copies)"
    ]
    assert gate_problems(summary, 0.10) == [
        "agent_states: 5 of 5 delivered rows quarantined (100%), more than the 10% allowed",
        "tickets: 6 of 6 delivered rows quarantined (100%), more than the 10% allowed",
    ]


def test_the_allowed_share_is_a_fraction() -> None:
    with pytest.raises(ValueError, match="between 0 and 1"):
        gate_problems(_summary(), 10)


def test_superseded_versions_are_printed_and_not_quarantined() -> None:
    # 10 tickets delivered in two loads: 4 current, 5 superseded by load 2, 1 quarantined.
    tickets = _table("tickets", 10, 4, superseded=5)
    assert (tickets.quarantined, tickets.quarantined_copies) == (1, 1)
    summary = _summary(tickets)
    lines = format_summary(summary).splitlines()
    assert lines[5] == (
        "tickets                  10          4           5          0            1  "
        "invalid_format 1"
    )
    # The share is quarantined over delivered: 1 of 10 is within 10%, superseded rows
    # count in the delivered rows only.
    assert gate_problems(summary, 0.10) == []
    assert gate_problems(summary, 0.09) == [
        "tickets: 1 of 10 delivered rows quarantined (10%), more than the 9% allowed"
    ]
