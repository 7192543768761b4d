"""Every per-ticket measure of the ticket marts equals the independent Python
computation of spec/kpis.md (tests/python/reference), on the hand-made
fixture, the bundled sample and a 20,000-ticket generator folder."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest

from comparison import same_value
from dbt_helpers import query
from reference import TICKET_KEYS, TicketReference, load_reference

WAREHOUSES = ["fixture_warehouse", "sample_warehouse", "generated_warehouse"]


def _mart_rows(
    database: Path, relation: str, key: str, columns: list[str]
) -> dict[str, dict[str, object]]:
    rows = query(database, f"select {key}, {', '.join(columns)} from {relation}")
    return {str(row[0]): dict(zip(columns, row[1:], strict=True)) for row in rows}


@pytest.fixture(scope="module", params=WAREHOUSES)
def built(request: pytest.FixtureRequest) -> tuple[Path, TicketReference]:
    database: Path = request.getfixturevalue(request.param)
    return database, load_reference(database)


def test_every_ticket_measure_equals_the_reference(built: tuple[Path, TicketReference]) -> None:
    database, reference = built
    mart = _mart_rows(database, "marts.fct_tickets", "ticket_id", list(TICKET_KEYS))
    assert set(mart) == set(reference.tickets)
    mismatches = [
        (ticket_id, column, mart[ticket_id][column], expected[column])
        for ticket_id, expected in reference.tickets.items()
        for column in TICKET_KEYS
        if not same_value(mart[ticket_id][column], expected[column])
    ]
    assert mismatches[:20] == []


def test_reply_flags_of_customer_messages_equal_the_reference(
    built: tuple[Path, TicketReference],
) -> None:
    database, reference = built
    rows = dict(query(database, "select message_id, is_replied from marts.fct_ticket_messages"))
    assert rows == reference.customer_messages


def test_customer_turns_equal_the_reference(built: tuple[Path, TicketReference]) -> None:
    database, reference = built
    columns = ["ticket_id", "turn_started_at", "replied_at", "reply_wait_calendar_minutes"]
    mart = _mart_rows(database, "marts.fct_customer_turns", "turn_id", columns)
    assert set(mart) == set(reference.turns)
    mismatches = [
        (turn_id, column)
        for turn_id, expected in reference.turns.items()
        for column in columns
        if not same_value(mart[turn_id][column], expected[column])
    ]
    assert mismatches[:20] == []


def test_daily_backlog_equals_the_reference(built: tuple[Path, TicketReference]) -> None:
    database, reference = built
    totals: dict[date, int] = defaultdict(int)
    for day, count in query(
        database,
        "select backlog_date, sum(count_open_tickets) "
        "from marts.fct_ticket_backlog_daily group by 1",
    ):
        totals[day] = int(count)  # type: ignore[call-overload]
    assert reference.backlog
    assert {day: totals[day] for day in reference.backlog} == reference.backlog
