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
