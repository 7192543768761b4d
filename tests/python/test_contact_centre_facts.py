"""The call, survey, contact, order, retention and workforce marts equal the
independent Python computation of spec/kpis.md (tests/python/reference/
contact_centre.py) on the fixture, the bundled sample and a generator folder."""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest

from comparison import same_value
from dbt_helpers import query
from reference.contact_centre import (
    CALL_KEYS,
    SURVEY_KEYS,
    ContactCentreReference,
    load_contact_centre_reference,
)

WAREHOUSES = ["fixture_warehouse", "sample_warehouse", "generated_warehouse"]
MART_CALL_COLUMNS = {key: key for key in CALL_KEYS}


def _rows(database: Path, sql: str, columns: tuple[str, ...]) -> dict[str, dict[str, object]]:
    return {str(row[0]): dict(zip(columns, row[1:], strict=True)) for row in query(database, sql)}


def _mismatches(
    mart: dict[str, dict[str, object]],
    expected: dict[str, dict[str, object]],
    keys: tuple[str, ...],
) -> list[tuple[str, str, object, object]]:
    return [
        (key, column, mart[key][column], values[column])
        for key, values in expected.items()
        for column in keys
        if not same_value(mart[key][column], values[column])
    ]


@pytest.fixture(scope="module", params=WAREHOUSES)
def built(request: pytest.FixtureRequest) -> tuple[Path, ContactCentreReference]:
    database: Path = request.getfixturevalue(request.param)
    return database, load_contact_centre_reference(database)


def test_every_call_measure_equals_the_reference(
    built: tuple[Path, ContactCentreReference],
) -> None:
    database, reference = built
    mart = _rows(
        database, f"select call_id, {', '.join(CALL_KEYS)} from marts.fct_calls", CALL_KEYS
    )
    assert set(mart) == set(reference.calls)
    assert _mismatches(mart, reference.calls, CALL_KEYS)[:20] == []


def test_every_survey_measure_equals_the_reference(
    built: tuple[Path, ContactCentreReference],
) -> None:
    database, reference = built
    mart = _rows(
        database,
        f"select response_id, {', '.join(SURVEY_KEYS)} from marts.fct_survey_responses",
        SURVEY_KEYS,
    )
    assert set(mart) == set(reference.surveys)
    assert _mismatches(mart, reference.surveys, SURVEY_KEYS)[:20] == []


def test_contacts_and_conversion_equal_the_reference(
    built: tuple[Path, ContactCentreReference],
) -> None:
    database, reference = built
    keys = ("customer_id", "contact_at", "is_converted")
    mart = _rows(database, f"select contact_id, {', '.join(keys)} from marts.fct_contacts", keys)
    assert set(mart) == set(reference.contacts)
    assert _mismatches(mart, reference.contacts, keys)[:20] == []


def test_post_contact_orders_equal_the_reference(
    built: tuple[Path, ContactCentreReference],
) -> None:
    database, reference = built
    keys = ("is_post_contact", "amount")
    mart = _rows(database, "select order_id, is_post_contact, amount from marts.fct_orders", keys)
    assert set(mart) == set(reference.orders)
    assert _mismatches(mart, reference.orders, keys)[:20] == []


def test_customer_months_equal_the_reference(built: tuple[Path, ContactCentreReference]) -> None:
    database, reference = built
    previous: dict[date, set[str]] = defaultdict(set)
    retained: dict[date, set[str]] = defaultdict(set)
    contacted: dict[date, set[str]] = defaultdict(set)
    for customer, month, has_order, had_contact in query(
        database,
        "select customer_id, month_start_date, has_order_in_month, had_contact_previous_month "
        "from marts.fct_customer_months",
    ):
        previous[month].add(customer)  # type: ignore[index]
        if has_order:
            retained[month].add(customer)  # type: ignore[index]
        if had_contact:
            contacted[month].add(customer)  # type: ignore[index]
    assert set(previous) <= set(reference.retention)
    for month, expected in reference.retention.items():
        assert previous[month] == expected["customers_previous"], month
        assert retained[month] == expected["customers_retained"], month
        assert contacted[month] == expected["contacted_previous"] & expected["customers_previous"]


def test_agent_months_equal_the_reference(built: tuple[Path, ContactCentreReference]) -> None:
    database, reference = built
    rows = query(
        database,
        "select month_start_date, agent_id, is_terminated_in_month, is_employed_first_day, "
        "is_employed_last_day, is_active, shift_hours from marts.fct_agent_months",
    )
    by_month: dict[object, list[tuple[object, ...]]] = defaultdict(list)
    for row in rows:
        by_month[row[0]].append(row[1:])
    assert reference.agent_months
    for month, expected in reference.agent_months.items():
        agents = by_month[month]
        assert {a for a, terminated, *_ in agents if terminated} == expected["terminated"], month
        assert sum(1 for a in agents if a[2]) == expected["headcount_first_day"], month
        assert sum(1 for a in agents if a[3]) == expected["headcount_last_day"], month
        assert {a[0] for a in agents if a[4]} == expected["active_agents"], month
        hours = {a[0]: a[5] for a in agents if a[5]}
        expected_hours = expected["shift_hours"]
        assert set(hours) == set(expected_hours), month  # type: ignore[arg-type]
        for agent, value in hours.items():
            assert math.isclose(value, expected_hours[agent], rel_tol=1e-9)  # type: ignore[index]
