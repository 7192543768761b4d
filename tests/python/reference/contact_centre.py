"""Row-level facts behind the calls, surveys, customer and workforce KPIs of docs/spec/kpis.md.

An independent reference written from the spec text only. The core,
`compute_contact_centre_reference`, takes plain rows (see `rows_contact.py`);
`load_contact_centre_reference` reads the staged tables of a built warehouse
and calls it.

Readings of the spec this module fixes (the test suite pins each one):
- Per-call facts are computed for every valid call, inbound or outbound; the
  KPIs filter on `is_inbound` themselves. Only `is_abandoned` needs the
  direction (an outbound call is never abandoned), and the repeat calls that
  break first contact resolution are inbound calls only.
- Survey attribution falls back field by field: the agent is the surveyed
  ticket's current assignee when the ticket is a valid ticket AND has an
  assignee, else the surveyed call's agent when the call is a valid call,
  else null. Channel and team come from the ticket whenever the ticket is
  valid (its team may be null: unrouted), else `phone` / the call's queue.
- The month range of the workforce facts is spanned by call `offered_at`,
  ticket `created_at`, `ordered_at`, survey `sent_at` and shift starts.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb

from .rows_contact import AgentRow, CallRow, ContactTicketRow, OrderRow, ShiftRow, SurveyRow

PHONE_CHANNEL = "phone"
INBOUND = "inbound"

CALL_KEYS = (
    "is_inbound",
    "is_answered",
    "is_abandoned",
    "speed_of_answer_seconds",
    "queue_wait_seconds",
    "handle_seconds",
    "is_within_service_level",
    "is_resolved_call",
    "has_known_customer",
    "is_first_contact_resolved",
    "is_transferred",
)
SURVEY_KEYS = (
    "is_answered",
    "is_satisfied",
    "is_promoter",
    "is_passive",
    "is_detractor",
    "is_low_effort",
    "attributed_agent_id",
    "attributed_channel",
    "attributed_team",
)
CONTACT_KEYS = ("customer_id", "contact_at", "is_converted")
ORDER_KEYS = ("is_post_contact", "amount")
RETENTION_KEYS = ("customers_previous", "customers_retained", "contacted_previous")
AGENT_MONTH_KEYS = (
    "terminated",
    "headcount_first_day",
    "headcount_last_day",
    "turnover_rate",
    "active_agents",
    "shift_hours",
)


@dataclass
class ContactCentreReference:
    """The reference facts: per call, survey invitation, contact, order, and month."""

    calls: dict[str, dict[str, object]]
    surveys: dict[str, dict[str, object]]
    contacts: dict[str, dict[str, object]]
    orders: dict[str, dict[str, object]]
    retention: dict[date, dict[str, object]]
    agent_months: dict[date, dict[str, object]]


# --- calendar helpers ---


def month_start(moment: date | datetime) -> date:
    return date(moment.year, moment.month, 1)


def add_months(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def month_end(month: date) -> date:
    return add_months(month, 1) - timedelta(days=1)


def months_from_to(first: date, last: date) -> list[date]:
    """Month starts from `first`'s month to `last`'s month, both included."""
    months = []
    month = month_start(first)
    while month <= last:
        months.append(month)
        month = add_months(month, 1)
    return months


def _unique(rows: Sequence[object], key: str, kind: str) -> dict[str, object]:
    keyed = {getattr(row, key): row for row in rows}
    if len(keyed) != len(rows):
        raise ValueError(f"duplicate {kind} {key}")
    return keyed


def _has_time_in(times: Sequence[datetime], start: datetime, end: datetime) -> bool:
    """Some time of the sorted `times` is in the half-open interval (start, end]."""
    index = bisect_right(times, start)
    return index < len(times) and times[index] <= end


def _has_time_before(times: Sequence[datetime], start: datetime, end: datetime) -> bool:
    """Some time of the sorted `times` is in the half-open interval [start, end)."""
    index = bisect_left(times, start)
    return index < len(times) and times[index] < end


def _sorted_times(pairs: Iterable[tuple[str, datetime]]) -> dict[str, list[datetime]]:
    grouped: dict[str, list[datetime]] = defaultdict(list)
    for key, moment in pairs:
        grouped[key].append(moment)
    for times in grouped.values():
        times.sort()
    return grouped


# --- calls ---


def call_facts(
    calls: Sequence[CallRow], *, within: timedelta, service_level: timedelta
) -> dict[str, dict[str, object]]:
    inbound_times = _sorted_times(
        (c.customer_id, c.offered_at)
        for c in calls
        if c.direction == INBOUND and c.customer_id is not None
    )
    facts: dict[str, dict[str, object]] = {}
    for call in calls:
        is_inbound = call.direction == INBOUND
        answered = call.answered_at is not None
        wait = (call.answered_at if answered else call.ended_at) - call.offered_at
        known = call.customer_id is not None
        resolved = answered and call.is_resolved is True
        repeated = known and _has_time_in(
            inbound_times.get(call.customer_id, []), call.offered_at, call.offered_at + within
        )
        facts[call.call_id] = {
            "is_inbound": is_inbound,
            "is_answered": answered,
            "is_abandoned": is_inbound and not answered,
            "speed_of_answer_seconds": wait.total_seconds() if answered else None,
            "queue_wait_seconds": wait.total_seconds(),
            "handle_seconds": (
                call.talk_seconds + call.hold_seconds + call.after_call_work_seconds
                if answered
                else None
            ),
            "is_within_service_level": answered and wait <= service_level,
            "is_resolved_call": resolved,
            "has_known_customer": known,
            "is_first_contact_resolved": resolved and known and not repeated,
            "is_transferred": bool(call.is_transferred),
        }
    return facts


# --- surveys ---


def survey_facts(
    surveys: Sequence[SurveyRow],
    tickets: Mapping[str, ContactTicketRow],
    calls: Mapping[str, CallRow],
) -> dict[str, dict[str, object]]:
    facts: dict[str, dict[str, object]] = {}
    for survey in surveys:
        answered = survey.responded_at is not None
        score = survey.score
        # The survey type whose score KPIs this invitation feeds: answered ones only.
        scored = survey.survey_type if answered and score is not None else None
        nps = scored == "nps"
        ticket = tickets.get(survey.ticket_id) if survey.ticket_id is not None else None
        call = calls.get(survey.call_id) if survey.call_id is not None else None
        if ticket is not None and ticket.assignee_agent_id is not None:
            agent = ticket.assignee_agent_id
        elif call is not None:
            agent = call.agent_id
        else:
            agent = None
        if ticket is not None:
            channel, team = ticket.channel, ticket.team
        elif call is not None:
            channel, team = PHONE_CHANNEL, call.queue
        else:
            channel, team = None, None
        facts[survey.response_id] = {
            "is_answered": answered,
            "is_satisfied": score >= 4 if scored == "csat" else None,
            "is_promoter": score >= 9 if nps else None,
            "is_passive": 7 <= score <= 8 if nps else None,
            "is_detractor": score <= 6 if nps else None,
            "is_low_effort": score >= 5 if scored == "ces" else None,
            "attributed_agent_id": agent,
            "attributed_channel": channel,
            "attributed_team": team,
        }
    return facts


# --- contacts, orders, retention ---


def contact_rows(
    tickets: Iterable[ContactTicketRow], calls: Iterable[CallRow]
) -> dict[str, tuple[str, datetime]]:
    """Contact id -> (customer_id, contact_at): inbound tickets; inbound calls, known customer."""
    contacts: dict[str, tuple[str, datetime]] = {}
    for ticket in tickets:
        if ticket.direction == INBOUND:
            contacts["ticket:" + ticket.ticket_id] = (ticket.customer_id, ticket.created_at)
    for call in calls:
        if call.direction == INBOUND and call.customer_id is not None:
            contacts["call:" + call.call_id] = (call.customer_id, call.offered_at)
    return contacts


def retention_facts(
    orders: Sequence[OrderRow], contacts: Iterable[tuple[str, datetime]]
) -> dict[date, dict[str, object]]:
    if not orders:
        return {}
    ordering: dict[date, set[str]] = defaultdict(set)
    for order in orders:
        ordering[month_start(order.ordered_at)].add(order.customer_id)
    contacted: dict[date, set[str]] = defaultdict(set)
    for customer_id, contact_at in contacts:
        contacted[month_start(contact_at)].add(customer_id)
    first, last = min(ordering), max(ordering)
    retention: dict[date, dict[str, object]] = {}
    for month in months_from_to(add_months(first, 1), last):
        previous = add_months(month, -1)
        customers_previous = set(ordering.get(previous, set()))
        retention[month] = {
            "customers_previous": customers_previous,
            "customers_retained": customers_previous & ordering.get(month, set()),
            "contacted_previous": set(contacted.get(previous, set())),
        }
    return retention


# --- workforce ---


def headcount(agents: Iterable[AgentRow], day: date) -> int:
    return sum(
        1
        for a in agents
        if a.hired_date <= day and (a.terminated_date is None or a.terminated_date > day)
    )


def agent_month_facts(
    agents: Sequence[AgentRow], shifts: Sequence[ShiftRow], months: Sequence[date]
) -> dict[date, dict[str, object]]:
    shift_time: dict[date, dict[str, timedelta]] = defaultdict(lambda: defaultdict(timedelta))
    for shift in shifts:
        month = month_start(shift.shift_started_at)
        shift_time[month][shift.agent_id] += shift.shift_ended_at - shift.shift_started_at
    facts: dict[date, dict[str, object]] = {}
    for month in months:
        last_day = month_end(month)
        terminated = {
            a.agent_id
            for a in agents
            if a.terminated_date is not None and month <= a.terminated_date <= last_day
        }
        first_count = headcount(agents, month)
        last_count = headcount(agents, last_day)
        mean = (first_count + last_count) / 2
        worked = shift_time.get(month, {})
        facts[month] = {
            "terminated": terminated,
            "headcount_first_day": first_count,
            "headcount_last_day": last_count,
            "turnover_rate": None if mean == 0 else len(terminated) / mean,
            "active_agents": set(worked),
            "shift_hours": {agent: time.total_seconds() / 3600 for agent, time in worked.items()},
        }
    return facts


def data_months(
    calls: Iterable[CallRow],
    tickets: Iterable[ContactTicketRow],
    orders: Iterable[OrderRow],
    surveys: Iterable[SurveyRow],
    shifts: Iterable[ShiftRow],
) -> list[date]:
    moments = [
        *(c.offered_at for c in calls),
        *(t.created_at for t in tickets),
        *(o.ordered_at for o in orders),
        *(s.sent_at for s in surveys),
        *(s.shift_started_at for s in shifts),
    ]
    if not moments:
        return []
    return months_from_to(min(moments).date(), max(moments).date())


# --- entry points ---


def compute_contact_centre_reference(
    calls: Iterable[CallRow] = (),
    surveys: Iterable[SurveyRow] = (),
    tickets: Iterable[ContactTicketRow] = (),
    orders: Iterable[OrderRow] = (),
    agents: Iterable[AgentRow] = (),
    shifts: Iterable[ShiftRow] = (),
    *,
    within_days: int = 7,
    service_level_seconds: int = 20,
) -> ContactCentreReference:
    """The reference facts from plain rows (valid rows only; times naive UTC)."""
    call_rows, survey_rows, ticket_rows = list(calls), list(surveys), list(tickets)
    order_rows, agent_rows, shift_rows = list(orders), list(agents), list(shifts)
    calls_by_id = _unique(call_rows, "call_id", "call")
    tickets_by_id = _unique(ticket_rows, "ticket_id", "ticket")
    _unique(survey_rows, "response_id", "survey")
    _unique(order_rows, "order_id", "order")
    agent_ids = set(_unique(agent_rows, "agent_id", "agent"))
    _unique(shift_rows, "shift_id", "shift")
    for shift in shift_rows:
        if shift.agent_id not in agent_ids:
            raise ValueError(f"shift {shift.shift_id!r} of unknown agent {shift.agent_id!r}")
    within = timedelta(days=within_days)

    contacts = contact_rows(ticket_rows, call_rows)
    order_times = _sorted_times((o.customer_id, o.ordered_at) for o in order_rows)
    contact_times = _sorted_times(contacts.values())
    contact_facts = {
        contact_id: {
            "customer_id": customer_id,
            "contact_at": contact_at,
            "is_converted": _has_time_in(
                order_times.get(customer_id, []), contact_at, contact_at + within
            ),
        }
        for contact_id, (customer_id, contact_at) in contacts.items()
    }
    order_facts = {
        o.order_id: {
            "is_post_contact": _has_time_before(
                contact_times.get(o.customer_id, []), o.ordered_at - within, o.ordered_at
            ),
            "amount": o.amount,
        }
        for o in order_rows
    }
    months = data_months(call_rows, ticket_rows, order_rows, survey_rows, shift_rows)
    return ContactCentreReference(
        calls=call_facts(
            call_rows, within=within, service_level=timedelta(seconds=service_level_seconds)
        ),
        surveys=survey_facts(survey_rows, tickets_by_id, calls_by_id),
        contacts=contact_facts,
        orders=order_facts,
        retention=retention_facts(order_rows, contacts.values()),
        agent_months=agent_month_facts(agent_rows, shift_rows, months),
    )


def _records(connection: duckdb.DuckDBPyConnection, sql: str) -> list[dict[str, object]]:
    """Rows as column -> value; every timestamp must be naive (UTC)."""
    cursor = connection.execute(sql)
    names = [column[0] for column in cursor.description]
    records = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    for record in records:
        for value in record.values():
            if isinstance(value, datetime) and value.tzinfo is not None:
                raise ValueError(f"expected a naive UTC timestamp, got {value!r}")
    return records


def load_contact_centre_reference(
    database: Path, *, within_days: int = 7, service_level_seconds: int = 20
) -> ContactCentreReference:
    """The reference facts of a built warehouse (its staged, valid rows), read-only."""
    with duckdb.connect(str(database), read_only=True) as connection:

        def read(row_type: type, table: str) -> list:
            columns = ", ".join(row_type.__dataclass_fields__)
            return [
                row_type(**record)
                for record in _records(connection, f"select {columns} from staging.{table}")
            ]

        calls = read(CallRow, "stg_support__calls")
        surveys = read(SurveyRow, "stg_support__survey_responses")
        tickets = read(ContactTicketRow, "stg_support__tickets")
        orders = read(OrderRow, "stg_support__orders")
        agents = read(AgentRow, "stg_support__agents")
        shifts = read(ShiftRow, "stg_support__agent_shifts")
    return compute_contact_centre_reference(
        calls,
        surveys,
        tickets,
        orders,
        agents,
        shifts,
        within_days=within_days,
        service_level_seconds=service_level_seconds,
    )
