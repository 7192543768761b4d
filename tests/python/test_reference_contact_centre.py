"""Hand-computed cases for the contact-centre reference implementation (no dbt needed)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from reference.contact_centre import (
    AGENT_MONTH_KEYS,
    CALL_KEYS,
    CONTACT_KEYS,
    ORDER_KEYS,
    RETENTION_KEYS,
    SURVEY_KEYS,
    ContactCentreReference,
    compute_contact_centre_reference,
    load_contact_centre_reference,
)
from reference.rows_contact import (
    AgentRow,
    CallRow,
    ContactTicketRow,
    OrderRow,
    ShiftRow,
    SurveyRow,
)

T0 = datetime(2025, 3, 4, 9, 0, 0)
WEEK = timedelta(days=7)
SECOND = timedelta(seconds=1)


def at(seconds: float = 0, days: float = 0) -> datetime:
    return T0 + timedelta(days=days, seconds=seconds)


def call(
    call_id: str = "K1",
    *,
    offered_at: datetime = T0,
    answer_after: float | None = 10,
    duration: float = 300,
    customer_id: str | None = "C1",
    direction: str = "inbound",
    agent_id: str | None = "A1",
    queue: str | None = "Billing",
    is_resolved: bool | None = True,
    is_transferred: bool = False,
    talk: int = 200,
    hold: int = 30,
    acw: int = 40,
) -> CallRow:
    answered_at = None if answer_after is None else offered_at + timedelta(seconds=answer_after)
    return CallRow(
        call_id=call_id,
        customer_id=customer_id,
        agent_id=agent_id,
        ticket_id=None,
        queue=queue,
        direction=direction,
        offered_at=offered_at,
        answered_at=answered_at,
        ended_at=offered_at + timedelta(seconds=duration),
        talk_seconds=talk if answered_at is not None else 0,
        hold_seconds=hold if answered_at is not None else 0,
        after_call_work_seconds=acw if answered_at is not None else 0,
        is_transferred=is_transferred,
        is_resolved=is_resolved if answered_at is not None else None,
    )


def abandoned(call_id: str, *, offered_at: datetime = T0, **kwargs: object) -> CallRow:
    return call(call_id, offered_at=offered_at, answer_after=None, **kwargs)


def ticket(
    ticket_id: str = "T1",
    *,
    customer_id: str = "C1",
    created_at: datetime = T0,
    direction: str = "inbound",
    channel: str = "email",
    team: str | None = "Support",
    assignee: str | None = "A9",
) -> ContactTicketRow:
    return ContactTicketRow(ticket_id, customer_id, channel, direction, team, assignee, created_at)


def survey(
    response_id: str,
    survey_type: str,
    score: int | None,
    *,
    ticket_id: str | None = None,
    call_id: str | None = None,
) -> SurveyRow:
    responded_at = None if score is None else at(days=1)
    return SurveyRow(response_id, survey_type, "C1", ticket_id, call_id, T0, responded_at, score)


def order(
    order_id: str, ordered_at: datetime, customer_id: str = "C1", amount: str = "10.00"
) -> OrderRow:
    return OrderRow(order_id, customer_id, ordered_at, Decimal(amount))


def agent(agent_id: str, hired: date, terminated: date | None = None) -> AgentRow:
    return AgentRow(agent_id, "Billing", hired, terminated)


def shift(shift_id: str, agent_id: str, start: datetime, hours: float) -> ShiftRow:
    return ShiftRow(shift_id, agent_id, start, start + timedelta(hours=hours))


def run(**kwargs: object) -> ContactCentreReference:
    return compute_contact_centre_reference(**kwargs)


# --- calls ---


def test_call_facts_of_every_kind_of_call():
    result = run(
        calls=[
            call("in", answer_after=12.5, talk=200, hold=30, acw=40, is_transferred=True),
            abandoned("gone", duration=95),
            call("out", direction="outbound", answer_after=4, customer_id=None),
            abandoned("out-missed", direction="outbound", duration=30),
        ]
    )
    assert result.calls["in"] == {
        "is_inbound": True,
        "is_answered": True,
        "is_abandoned": False,
        "speed_of_answer_seconds": 12.5,
        "queue_wait_seconds": 12.5,
        "handle_seconds": 270,
        "is_within_service_level": True,
        "is_resolved_call": True,
        "has_known_customer": True,
        "is_first_contact_resolved": True,
        "is_transferred": True,
    }
    assert result.calls["gone"] == {
        "is_inbound": True,
        "is_answered": False,
        "is_abandoned": True,
        "speed_of_answer_seconds": None,
        "queue_wait_seconds": 95.0,
        "handle_seconds": None,
        "is_within_service_level": False,
        "is_resolved_call": False,
        "has_known_customer": True,
        "is_first_contact_resolved": False,
        "is_transferred": False,
    }
    out = result.calls["out"]
    assert out["is_inbound"] is False
    assert out["is_abandoned"] is False
    assert out["has_known_customer"] is False
    assert out["is_first_contact_resolved"] is False
    assert out["speed_of_answer_seconds"] == 4.0
    missed = result.calls["out-missed"]
    assert missed["is_abandoned"] is False
    assert missed["is_answered"] is False
    assert missed["queue_wait_seconds"] == 30.0
    assert all(tuple(facts) == CALL_KEYS for facts in result.calls.values())


def test_service_level_includes_the_limit():
    result = run(
        calls=[
            call("at20", answer_after=20),
            call("at20.5", answer_after=20.5),
            call("at21", answer_after=21),
            call("at0", answer_after=0),
        ]
    )
    within = {k: v["is_within_service_level"] for k, v in result.calls.items()}
    assert within == {"at20": True, "at20.5": False, "at21": False, "at0": True}
    wider = run(calls=[call("at21", answer_after=21)], service_level_seconds=21)
    assert wider.calls["at21"]["is_within_service_level"] is True


def test_null_is_resolved_on_an_answered_call_is_not_resolved():
    facts = run(calls=[call("k", is_resolved=None)]).calls["k"]
    assert facts["is_resolved_call"] is False
    assert facts["is_first_contact_resolved"] is False
    assert run(calls=[call("k", is_resolved=False)]).calls["k"]["is_resolved_call"] is False


def fcr(*calls: CallRow, within_days: int = 7) -> bool:
    return run(calls=list(calls), within_days=within_days).calls["first"][
        "is_first_contact_resolved"
    ]


def test_repeat_call_at_exactly_seven_days_breaks_first_contact_resolution():
    first = call("first")
    assert fcr(first) is True
    assert fcr(first, call("again", offered_at=T0 + WEEK)) is False
    assert fcr(first, call("again", offered_at=T0 + WEEK + SECOND)) is True
    assert fcr(first, call("again", offered_at=T0 + timedelta(minutes=5))) is False


def test_an_abandoned_inbound_repeat_counts_an_outbound_one_does_not():
    first = call("first")
    assert fcr(first, abandoned("again", offered_at=at(3600))) is False
    assert fcr(first, call("again", offered_at=at(3600), direction="outbound")) is True
    assert fcr(first, abandoned("again", offered_at=at(3600), direction="outbound")) is True


def test_only_later_calls_of_the_same_customer_are_repeats():
    first = call("first")
    assert fcr(first, call("before", offered_at=at(-3600))) is True
    assert fcr(first, call("same-time", offered_at=T0)) is True
    assert fcr(first, call("other", offered_at=at(3600), customer_id="C2")) is True
    assert fcr(first, call("anon", offered_at=at(3600), customer_id=None)) is True


def test_first_contact_resolution_needs_a_known_customer_and_follows_the_window():
    assert fcr(call("first", customer_id=None)) is False
    assert fcr(call("first"), call("again", offered_at=T0 + WEEK), within_days=6) is True
    assert fcr(call("first"), call("again", offered_at=T0 + WEEK), within_days=8) is False


# --- surveys ---


def test_nps_buckets():
    scores = [0, 6, 7, 8, 9, 10]
    result = run(surveys=[survey(f"n{s}", "nps", s) for s in scores])
    buckets = {
        s: (
            result.surveys[f"n{s}"]["is_promoter"],
            result.surveys[f"n{s}"]["is_passive"],
            result.surveys[f"n{s}"]["is_detractor"],
        )
        for s in scores
    }
    assert buckets == {
        0: (False, False, True),
        6: (False, False, True),
        7: (False, True, False),
        8: (False, True, False),
        9: (True, False, False),
        10: (True, False, False),
    }
    assert all(result.surveys[f"n{s}"]["is_satisfied"] is None for s in scores)
    assert all(result.surveys[f"n{s}"]["is_low_effort"] is None for s in scores)


def test_csat_and_ces_thresholds():
    result = run(
        surveys=[
            survey("c3", "csat", 3),
            survey("c4", "csat", 4),
            survey("c5", "csat", 5),
            survey("e4", "ces", 4),
            survey("e5", "ces", 5),
        ]
    )
    facts = result.surveys
    assert [facts[k]["is_satisfied"] for k in ("c3", "c4", "c5")] == [False, True, True]
    assert [facts[k]["is_low_effort"] for k in ("e4", "e5")] == [False, True]
    assert facts["c4"]["is_low_effort"] is None
    assert facts["c4"]["is_promoter"] is None
    assert facts["e5"]["is_satisfied"] is None
    assert facts["e5"]["is_detractor"] is None
    assert all(f["is_answered"] is True for f in facts.values())
    assert all(tuple(f) == SURVEY_KEYS for f in facts.values())


def test_an_unanswered_invitation_has_no_score_facts():
    result = run(surveys=[survey(f"u-{kind}", kind, None) for kind in ("csat", "nps", "ces")])
    for facts in result.surveys.values():
        assert facts["is_answered"] is False
        for key in ("is_satisfied", "is_promoter", "is_passive", "is_detractor", "is_low_effort"):
            assert facts[key] is None


def test_survey_attribution():
    tickets = [
        ticket("T-assigned", channel="chat", team="Billing", assignee="A9"),
        ticket("T-unassigned", channel="email", team="Support", assignee=None),
        ticket("T-unrouted", channel="sms", team=None, assignee=None),
    ]
    calls = [call("K-routed", agent_id="A1", queue="Tech"), call("K-unrouted", agent_id=None)]
    surveys = [
        survey("s1", "csat", 5, ticket_id="T-assigned", call_id="K-routed"),
        survey("s2", "csat", 5, ticket_id="T-unassigned", call_id="K-routed"),
        survey("s3", "csat", 5, ticket_id="T-unassigned"),
        survey("s4", "nps", 9, ticket_id="T-missing", call_id="K-routed"),
        survey("s5", "nps", 9, call_id="K-unrouted"),
        survey("s6", "nps", 9, call_id="K-missing"),
        survey("s7", "nps", 9),
        survey("s8", "csat", None, ticket_id="T-unrouted", call_id="K-routed"),
    ]
    result = run(calls=calls, tickets=tickets, surveys=surveys)
    attributed = {
        rid: (f["attributed_agent_id"], f["attributed_channel"], f["attributed_team"])
        for rid, f in result.surveys.items()
    }
    assert attributed == {
        "s1": ("A9", "chat", "Billing"),
        # Ticket without an assignee: the call's agent; channel and team stay the ticket's.
        "s2": ("A1", "email", "Support"),
        "s3": (None, "email", "Support"),
        # A ticket id that is not a valid ticket falls through to the call.
        "s4": ("A1", "phone", "Tech"),
        "s5": (None, "phone", "Billing"),
        "s6": (None, None, None),
        "s7": (None, None, None),
        # An unrouted ticket keeps its null team.
        "s8": ("A1", "sms", None),
    }


# --- contacts and conversion ---


def test_contacts_are_inbound_tickets_and_inbound_calls_of_known_customers():
    result = run(
        tickets=[ticket("T1"), ticket("T2", direction="outbound")],
        calls=[
            call("K1"),
            abandoned("K2"),
            call("K3", customer_id=None),
            call("K4", direction="outbound"),
        ],
    )
    assert set(result.contacts) == {"ticket:T1", "call:K1", "call:K2"}
    assert result.contacts["ticket:T1"] == {
        "customer_id": "C1",
        "contact_at": T0,
        "is_converted": False,
    }
    assert all(tuple(f) == CONTACT_KEYS for f in result.contacts.values())


def converted(*orders: OrderRow, within_days: int = 7) -> bool:
    result = run(tickets=[ticket("T1")], orders=list(orders), within_days=within_days)
    return result.contacts["ticket:T1"]["is_converted"]


def test_conversion_window_is_open_at_the_start_and_closed_at_the_end():
    assert converted(order("O", T0)) is False
    assert converted(order("O", T0 + SECOND)) is True
    assert converted(order("O", T0 + WEEK)) is True
    assert converted(order("O", T0 + WEEK + SECOND)) is False
    assert converted(order("O", T0 - SECOND)) is False
    assert converted(order("O", T0 + timedelta(days=1), customer_id="C2")) is False
    assert converted(order("O", T0 + WEEK + SECOND), within_days=8) is True


def test_a_call_contact_converts_on_its_offered_time():
    result = run(calls=[abandoned("K1")], orders=[order("O", T0 + WEEK)])
    assert result.contacts["call:K1"]["is_converted"] is True


# --- orders and post-contact revenue --------------------------------------------------------------


def post_contact(contact_at: datetime, *, direction: str = "inbound") -> bool:
    result = run(
        tickets=[ticket("T1", created_at=contact_at, direction=direction)],
        orders=[order("O", T0, amount="12.34")],
    )
    assert result.orders["O"]["amount"] == Decimal("12.34")
    assert tuple(result.orders["O"]) == ORDER_KEYS
    return result.orders["O"]["is_post_contact"]


def test_post_contact_window_is_closed_at_the_start_and_open_at_the_end():
    assert post_contact(T0 - WEEK) is True
    assert post_contact(T0 - WEEK - SECOND) is False
    assert post_contact(T0 - SECOND) is True
    assert post_contact(T0) is False
    assert post_contact(T0 + SECOND) is False
    assert post_contact(T0 - SECOND, direction="outbound") is False


def test_post_contact_counts_call_contacts_and_each_order_once():
    result = run(
        calls=[call("K1", offered_at=T0 - timedelta(days=2)), call("K2", offered_at=T0 - SECOND)],
        tickets=[ticket("T1", created_at=T0 - timedelta(days=1))],
        orders=[order("O", T0), order("P", T0, customer_id="C2")],
    )
    assert result.orders == {
        "O": {"is_post_contact": True, "amount": Decimal("10.00")},
        "P": {"is_post_contact": False, "amount": Decimal("10.00")},
    }
    anonymous = run(
        calls=[call("K", offered_at=T0 - SECOND, customer_id=None)], orders=[order("O", T0)]
    )
    assert anonymous.orders["O"]["is_post_contact"] is False


# --- retention ---


def test_retention_by_month():
    feb, mar, apr = datetime(2025, 2, 28, 23), datetime(2025, 3, 1), datetime(2025, 4, 30, 23)
    result = run(
        orders=[
            order("a1", feb, "A"),
            order("a2", mar, "A"),
            order("b1", feb, "B"),
            order("c1", mar, "C"),
            order("c2", datetime(2025, 6, 2), "C"),
            order("d0", datetime(2025, 1, 31), "D"),
        ],
        tickets=[
            ticket("T1", customer_id="A", created_at=datetime(2025, 2, 1)),
            ticket("T2", customer_id="B", created_at=datetime(2025, 3, 5)),
            ticket("T3", customer_id="E", created_at=datetime(2025, 2, 10)),
            ticket("T4", customer_id="B", created_at=datetime(2025, 2, 3), direction="outbound"),
        ],
        calls=[call("K1", customer_id="C", offered_at=apr)],
    )
    assert list(result.retention) == [
        date(2025, 2, 1),
        date(2025, 3, 1),
        date(2025, 4, 1),
        date(2025, 5, 1),
        date(2025, 6, 1),
    ]
    assert result.retention[date(2025, 3, 1)] == {
        "customers_previous": {"A", "B"},
        "customers_retained": {"A"},
        "contacted_previous": {"A", "E"},
    }
    assert result.retention[date(2025, 2, 1)] == {
        "customers_previous": {"D"},
        "customers_retained": set(),
        "contacted_previous": set(),
    }
    assert result.retention[date(2025, 4, 1)]["customers_previous"] == {"A", "C"}
    assert result.retention[date(2025, 4, 1)]["customers_retained"] == set()
    assert result.retention[date(2025, 4, 1)]["contacted_previous"] == {"B"}
    assert result.retention[date(2025, 5, 1)]["contacted_previous"] == {"C"}
    assert result.retention[date(2025, 6, 1)]["customers_previous"] == set()
    assert all(tuple(f) == RETENTION_KEYS for f in result.retention.values())


def test_retention_of_no_orders_is_empty():
    assert run(tickets=[ticket()]).retention == {}
    assert run(orders=[order("O", T0)]).retention == {}


# --- workforce ---


def test_terminations_on_the_first_and_last_day_of_a_month():
    agents = [
        agent("stays", date(2024, 1, 1)),
        agent("first-day", date(2024, 1, 1), date(2025, 3, 1)),
        agent("last-day", date(2024, 1, 1), date(2025, 3, 31)),
        agent("hired-mid", date(2025, 3, 15)),
        agent("hired-last-day", date(2025, 3, 31), date(2025, 4, 1)),
        agent("left-before", date(2024, 1, 1), date(2025, 2, 28)),
    ]
    result = run(
        agents=agents,
        orders=[order("O1", datetime(2025, 2, 1)), order("O2", datetime(2025, 4, 30, 23, 59))],
    )
    assert list(result.agent_months) == [date(2025, 2, 1), date(2025, 3, 1), date(2025, 4, 1)]
    march = result.agent_months[date(2025, 3, 1)]
    # 1 March: stays, last-day ("first-day" left that day). 31 March: stays, hired-mid,
    # hired-last-day ("last-day" left that day).
    assert march["terminated"] == {"first-day", "last-day"}
    assert march["headcount_first_day"] == 2
    assert march["headcount_last_day"] == 3
    assert march["turnover_rate"] == 2 / 2.5
    february = result.agent_months[date(2025, 2, 1)]
    # 1 Feb: stays, first-day, last-day, left-before. 28 Feb: left-before is gone.
    assert february["terminated"] == {"left-before"}
    assert (february["headcount_first_day"], february["headcount_last_day"]) == (4, 3)
    assert february["turnover_rate"] == 1 / 3.5
    april = result.agent_months[date(2025, 4, 1)]
    assert april["terminated"] == {"hired-last-day"}
    assert (april["headcount_first_day"], april["headcount_last_day"]) == (2, 2)
    assert all(tuple(f) == AGENT_MONTH_KEYS for f in result.agent_months.values())


def test_turnover_without_headcount_is_null():
    result = run(agents=[agent("later", date(2025, 6, 1))], orders=[order("O", T0)])
    march = result.agent_months[date(2025, 3, 1)]
    assert march["terminated"] == set()
    assert march["headcount_first_day"] == march["headcount_last_day"] == 0
    assert march["turnover_rate"] is None


def test_shifts_count_in_the_month_they_start():
    agents = [agent("A1", date(2024, 1, 1)), agent("A2", date(2024, 1, 1))]
    shifts = [
        ShiftRow("s1", "A1", datetime(2025, 3, 31, 20), datetime(2025, 4, 1, 4, 30)),
        ShiftRow("s2", "A1", datetime(2025, 3, 3, 9), datetime(2025, 3, 3, 9, 20, 20)),
        ShiftRow("s3", "A2", datetime(2025, 4, 1, 0), datetime(2025, 4, 1, 8)),
        ShiftRow("s4", "A2", datetime(2025, 5, 31, 23, 59, 59), datetime(2025, 6, 1, 1)),
    ]
    result = run(agents=agents, shifts=shifts)
    assert list(result.agent_months) == [date(2025, 3, 1), date(2025, 4, 1), date(2025, 5, 1)]
    march = result.agent_months[date(2025, 3, 1)]
    assert march["active_agents"] == {"A1"}
    assert march["shift_hours"] == {"A1": (8.5 * 3600 + 20 * 60 + 20) / 3600}
    assert result.agent_months[date(2025, 4, 1)]["active_agents"] == {"A2"}
    assert result.agent_months[date(2025, 4, 1)]["shift_hours"] == {"A2": 8.0}
    assert result.agent_months[date(2025, 5, 1)]["shift_hours"] == {"A2": 3601 / 3600}


JAN_END, MAR_START = datetime(2025, 1, 31, 23, 59, 59), datetime(2025, 3, 1)
SOURCES = {
    "calls": [call("K1", offered_at=JAN_END), call("K2", offered_at=MAR_START)],
    "tickets": [ticket("T1", created_at=JAN_END), ticket("T2", created_at=MAR_START)],
    "orders": [order("O1", JAN_END), order("O2", MAR_START)],
    "surveys": [
        SurveyRow("R1", "csat", "C1", None, None, JAN_END, None, None),
        SurveyRow("R2", "csat", "C1", None, None, MAR_START, None, None),
    ],
    "shifts": [shift("S1", "A1", JAN_END, 8), shift("S2", "A1", MAR_START, 8)],
}


@pytest.mark.parametrize("source", sorted(SOURCES))
def test_data_months_span_every_source(source: str):
    agents = [agent("A1", date(2024, 1, 1))]
    assert run(agents=agents).agent_months == {}
    result = run(agents=agents, **{source: SOURCES[source]})
    # The first to the last month, February (no row) included.
    assert list(result.agent_months) == [date(2025, 1, 1), date(2025, 2, 1), date(2025, 3, 1)]
    february = result.agent_months[date(2025, 2, 1)]
    assert february["active_agents"] == set()
    assert february["shift_hours"] == {}
    assert february["turnover_rate"] == 0.0


# --- input checks and the warehouse loader ---


def test_duplicate_keys_and_unknown_agents_are_refused():
    with pytest.raises(ValueError):
        run(calls=[call("K"), call("K")])
    with pytest.raises(ValueError):
        run(orders=[order("O", T0), order("O", T0)])
    with pytest.raises(ValueError):
        run(agents=[agent("A1", date(2024, 1, 1))], shifts=[shift("s", "A2", T0, 8)])


def test_load_reads_the_staged_tables(tmp_path: Path):
    database = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(database)) as con:
        con.execute("create schema staging")
        con.execute(
            "create table staging.stg_support__calls as select * from (values"
            " ('K1', 'C1', 'A1', null, 'Billing', 'inbound', timestamp '2025-03-04 09:00:00',"
            "  timestamp '2025-03-04 09:00:20', timestamp '2025-03-04 09:05:00', 200, 30, 40,"
            "  false, true),"
            " ('K2', 'C1', null, null, 'Billing', 'inbound', timestamp '2025-03-11 09:00:01',"
            "  null, timestamp '2025-03-11 09:01:00', 0, 0, 0, false, null))"
            " t(call_id, customer_id, agent_id, ticket_id, queue, direction, offered_at,"
            "   answered_at, ended_at, talk_seconds, hold_seconds, after_call_work_seconds,"
            "   is_transferred, is_resolved)"
        )
        con.execute(
            "create table staging.stg_support__survey_responses as select * from (values"
            " ('R1', 'csat', 'C1', 'T1', null, timestamp '2025-03-05 00:00',"
            "  timestamp '2025-03-05 01:00', 4, 'fine'))"
            " t(response_id, survey_type, customer_id, ticket_id, call_id, sent_at,"
            "   responded_at, score, comment)"
        )
        con.execute(
            "create table staging.stg_support__tickets as select * from (values"
            " ('T1', 'C1', 'chat', 'inbound', null, 'urgent', 'solved', 'Billing', null,"
            "  timestamp '2025-03-04 07:59:59', timestamp '2025-03-04 16:00'))"
            " t(ticket_id, customer_id, channel, direction, category, priority, status, team,"
            "   assignee_agent_id, created_at, updated_at)"
        )
        con.execute(
            "create table staging.stg_support__orders as select * from (values"
            " ('O1', 'C1', timestamp '2025-03-11 08:00', 19.990000::decimal(24, 6), 'EUR'))"
            " t(order_id, customer_id, ordered_at, amount, currency_code)"
        )
        con.execute(
            "create table staging.stg_support__agents as select * from (values"
            " ('A1', 'x', 'x@example.com', 'Billing', date '2024-01-01', date '2025-03-31'))"
            " t(agent_id, full_name, email, team, hired_date, terminated_date)"
        )
        con.execute(
            "create table staging.stg_support__agent_shifts as select * from (values"
            " ('S1', 'A1', timestamp '2025-03-04 08:00', timestamp '2025-03-04 16:30'))"
            " t(shift_id, agent_id, shift_started_at, shift_ended_at)"
        )
    result = load_contact_centre_reference(database)
    k1 = result.calls["K1"]
    assert k1["is_within_service_level"] is True
    assert k1["speed_of_answer_seconds"] == 20.0
    assert k1["handle_seconds"] == 270
    # K2 comes 7 days + 1 s later: not a repeat within the default 7 days, but within 8.
    assert k1["is_first_contact_resolved"] is True
    assert result.calls["K2"]["is_abandoned"] is True
    wider = load_contact_centre_reference(database, within_days=8)
    assert wider.calls["K1"]["is_first_contact_resolved"] is False
    assert wider.contacts["ticket:T1"]["is_converted"] is True
    stricter = load_contact_centre_reference(database, service_level_seconds=19)
    assert stricter.calls["K1"]["is_within_service_level"] is False
    assert result.surveys["R1"]["is_satisfied"] is True
    assert result.surveys["R1"]["attributed_agent_id"] is None
    assert result.surveys["R1"]["attributed_channel"] == "chat"
    # The order comes 7 days + 1 s after the ticket (not converted), 6 d 23 h after the call.
    assert result.contacts["ticket:T1"]["is_converted"] is False
    assert result.contacts["call:K1"]["is_converted"] is True
    assert result.orders["O1"] == {"is_post_contact": True, "amount": Decimal("19.99")}
    march = result.agent_months[date(2025, 3, 1)]
    assert march["terminated"] == {"A1"}
    assert march["turnover_rate"] == 1 / 0.5
    assert march["shift_hours"] == {"A1": 8.5}
