"""Every kind of invalid row lands in quarantine with its reason; no valid row does.

The hand-made folder tests/fixtures/raw_invalid holds one or more rows per
rule of spec/sources.md, each with an extra `expected_outcome` column (extra
columns are ignored by the contract): `staged`, `collapsed` (an exact
duplicate) or the expected reason code.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import FIXTURE_RAW
from contract_helpers import KEYS, REASON_CODES
from dbt_helpers import query


def _expected(table: str) -> tuple[Counter[tuple[str | None, str]], Counter[str | None], int]:
    quarantined: Counter[tuple[str | None, str]] = Counter()
    staged: Counter[str | None] = Counter()
    collapsed = 0
    with (FIXTURE_RAW / f"{table}.csv").open(newline="") as handle:
        for row in csv.DictReader(handle):
            key = row[KEYS[table]] or None
            outcome = row["expected_outcome"]
            if outcome == "staged":
                staged[key] += 1
            elif outcome == "collapsed":
                collapsed += 1
            else:
                quarantined[(key, outcome)] += 1
    return quarantined, staged, collapsed


@pytest.mark.parametrize("table", sorted(KEYS))
def test_each_row_lands_where_expected(fixture_warehouse: Path, table: str) -> None:
    expected_quarantined, expected_staged, expected_collapsed = _expected(table)
    key = KEYS[table]
    quarantined = Counter(
        query(
            fixture_warehouse,
            f"select {key}, reason_code from quarantine.quarantine_support__{table}",
        )
    )
    staged = Counter(
        row[0]
        for row in query(fixture_warehouse, f"select {key} from staging.stg_support__{table}")
    )
    assert quarantined == expected_quarantined
    assert staged == expected_staged
    summary = query(
        fixture_warehouse,
        "select count_delivered_rows, count_staged_rows, count_quarantined_rows, "
        "count_collapsed_rows from quarantine.quarantine_support__summary "
        f"where table_name = '{table}'",
    )
    delivered = (
        expected_collapsed + sum(expected_staged.values()) + sum(expected_quarantined.values())
    )
    assert summary == [
        (
            delivered,
            sum(expected_staged.values()),
            sum(expected_quarantined.values()),
            expected_collapsed,
        )
    ]


# docs/decisions.md, D2.


def test_every_reason_code_is_exercised_by_the_fixture() -> None:
    reasons = set()
    for table in KEYS:
        reasons |= {reason for _, reason in _expected(table)[0]}
    assert reasons == REASON_CODES


def test_quarantine_keeps_raw_values_and_names_the_column(fixture_warehouse: Path) -> None:
    rows = query(
        fixture_warehouse,
        "select segment, signed_up_at, reason_code, reason_column "
        "from quarantine.quarantine_support__customers where customer_id in ('C6', 'C9') "
        "order by customer_id",
    )
    assert rows == [
        ("vip", "2024-02-06T10:00:00Z", "unknown_value", "segment"),
        ("smb", "2024-02-09T10:00:00+02:00", "invalid_format", "signed_up_at"),
    ]


def test_staged_values_are_typed_and_renamed(fixture_warehouse: Path) -> None:
    customers = dict(
        (row[0], row[1:])
        for row in query(
            fixture_warehouse,
            "select customer_id, signed_up_at, country_code, phone "
            "from staging.stg_support__customers",
        )
    )
    # `phone` is optional and absent from the fixture's customers.csv: all null.
    assert customers["C2"] == (dt.datetime(2024, 2, 1, 10, 0), None, None)
    assert customers["C10"] == (dt.datetime(2024, 3, 1, 8, 0), "FR", None)
    call = query(
        fixture_warehouse,
        "select offered_at, answered_at, talk_seconds, is_transferred, is_resolved "
        "from staging.stg_support__calls where call_id = 'CL1'",
    )
    assert call == [
        (dt.datetime(2025, 3, 3, 10, 0), dt.datetime(2025, 3, 3, 10, 0, 20), 260, False, True)
    ]
    # An answered call with null is_resolved is valid (it means not resolved).
    assert query(
        fixture_warehouse,
        "select is_resolved from staging.stg_support__calls where call_id = 'CL10'",
    ) == [(None,)]
    assert query(
        fixture_warehouse,
        "select is_public from staging.stg_support__ticket_messages where message_id = 'M2'",
    ) == [(True,)]
    assert query(
        fixture_warehouse,
        "select hired_date, terminated_date from staging.stg_support__agents where agent_id = 'A6'",
    ) == [(dt.date(2024, 3, 1), dt.date(2024, 3, 1))]
    assert query(
        fixture_warehouse, "select amount from staging.stg_support__orders order by order_id"
    ) == [(Decimal("19.99"),), (Decimal("0"),)]


def test_a_cascade_names_its_parents_reason(fixture_warehouse: Path) -> None:
    # docs/decisions.md, D32: a reference to a quarantined row is invalid_parent, with that
    # row's reason; a reference to an id no row has is dangling_reference.
    references = {
        table: set(
            query(
                fixture_warehouse,
                f"select {KEYS[table]}, reason_code, reason_column, parent_reason_code "
                f"from quarantine.quarantine_support__{table} "
                "where reason_code in ('dangling_reference', 'invalid_parent')",
            )
        )
        for table in KEYS
    }
    assert references == {
        "customers": set(),
        "agents": set(),
        "tickets": {
            ("T3", "invalid_parent", "customer_id", "missing_value"),  # C5
            ("T7", "invalid_parent", "assignee_agent_id", "timestamp_order"),  # A5
            ("T9", "dangling_reference", "customer_id", None),  # C404
        },
        # T3 is quarantined itself as invalid_parent: the cascade goes on.
        "ticket_events": {("E3", "invalid_parent", "ticket_id", "invalid_parent")},
        "ticket_messages": {
            ("M6", "dangling_reference", "author_id", None),  # A404
            ("M7", "invalid_parent", "author_id", "unknown_value"),  # C6
            ("M11", "invalid_parent", "ticket_id", "invalid_parent"),  # T3
        },
        "agent_shifts": {
            ("SH5", "invalid_parent", "agent_id", "missing_value"),  # A3
            ("SH6", "dangling_reference", "agent_id", None),  # A99
        },
        "agent_states": {
            ("AS12", "invalid_parent", "agent_id", "missing_value"),  # A3
            ("AS13", "dangling_reference", "agent_id", None),  # A99
        },
        "calls": {("CL9", "dangling_reference", "customer_id", None)},
        "survey_responses": {("S11", "dangling_reference", "customer_id", None)},
        "orders": {("O5", "dangling_reference", "customer_id", None)},
    }
    for table in KEYS:
        assert query(
            fixture_warehouse,
            f"select count(*) from quarantine.quarantine_support__{table} "
            "where (reason_code = 'invalid_parent') <> (parent_reason_code is not null)",
        ) == [(0,)], table
    assert query(
        fixture_warehouse,
        "select count_rows from quarantine.quarantine_support__reasons "
        "where table_name = 'tickets' and reason_code = 'invalid_parent'",
    ) == [(1,), (1,)]  # one per column: customer_id and assignee_agent_id
