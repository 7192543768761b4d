"""Row-level facts behind the "Tickets and messages" KPIs of docs/spec/kpis.md.

An independent reference written from the spec text only. The core,
`compute_reference`, takes plain rows (see `rows.py`); `load_reference`
reads the staged tables and seeds of a built warehouse and calls it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import pairwise
from pathlib import Path

import duckdb

from .business_hours import Schedule, build_schedules, business_minutes
from .rows import EventRow, MessageRow, SlaPolicy, TicketRow

SOLVED_STATUSES = frozenset({"solved", "closed"})
REOPENED_STATUSES = frozenset({"new", "open", "pending", "on_hold"})
LIVE_CHANNELS = frozenset({"chat", "whatsapp", "phone"})
DEFAULT_SCHEDULE_ID = "standard"
INITIAL_STATUS = "new"

TICKET_KEYS = (
    "schedule_id",
    "is_inbound",
    "is_live_channel",
    "first_reply_at",
    "first_reply_calendar_minutes",
    "first_reply_business_minutes",
    "is_replied_within_12h",
    "first_reply_target_minutes",
    "is_first_reply_sla_met",
    "is_solved",
    "solved_at",
    "first_solved_at",
    "resolution_calendar_minutes",
    "resolution_business_minutes",
    "first_resolution_calendar_minutes",
    "resolution_target_minutes",
    "is_resolution_sla_met",
    "count_public_agent_messages",
    "count_reopens",
    "is_reopened",
    "count_escalations",
    "is_escalated",
    "has_collision",
    "is_first_contact_resolved",
)


@dataclass
class TicketReference:
    """The reference facts: per ticket, per customer message, per customer turn, per UTC day."""

    tickets: dict[str, dict[str, object]]
    customer_messages: dict[str, bool]
    turns: dict[str, dict[str, object]]
    backlog: dict[date, int]


def minutes(delta: timedelta) -> float:
    return delta.total_seconds() / 60


def is_public_agent_message(message: MessageRow) -> bool:
    return message.author_type == "agent" and message.is_public


def is_customer_message(message: MessageRow) -> bool:
    return message.author_type == "customer" and message.is_public


def conversation(messages: Iterable[MessageRow]) -> list[MessageRow]:
    """Customer and public agent messages by sent_at, agents first on equal times, then by id."""
    kept = [m for m in messages if is_customer_message(m) or is_public_agent_message(m)]
    return sorted(
        kept, key=lambda m: (m.sent_at, 0 if m.author_type == "agent" else 1, m.message_id)
    )


def ordered_events(events: Iterable[EventRow]) -> list[EventRow]:
    return sorted(events, key=lambda e: (e.event_at, e.event_id))


def is_status_change(event: EventRow) -> bool:
    return event.event_type == "status_change"


def count_reopens(events: Iterable[EventRow]) -> int:
    return sum(
        1
        for e in events
        if is_status_change(e)
        and e.from_value in SOLVED_STATUSES
        and e.to_value in REOPENED_STATUSES
    )


def has_collision(talk: Sequence[MessageRow], limit: timedelta) -> bool:
    """Two adjacent public agent messages by different agents at most `limit` apart."""
    return any(
        is_public_agent_message(a)
        and is_public_agent_message(b)
        and a.author_id != b.author_id
        and b.sent_at - a.sent_at <= limit
        for a, b in pairwise(talk)
    )


def customer_turns(talk: Sequence[MessageRow]) -> dict[str, dict[str, object]]:
    """Turns keyed by the starting customer message: first in the talk or right after an agent."""
    agent_times = [m.sent_at for m in talk if is_public_agent_message(m)]
    turns: dict[str, dict[str, object]] = {}
    for index, message in enumerate(talk):
        if not is_customer_message(message):
            continue
        if index > 0 and not is_public_agent_message(talk[index - 1]):
            continue
        later = [t for t in agent_times if t > message.sent_at]
        replied_at = min(later) if later else None
        turns[message.message_id] = {
            "ticket_id": message.ticket_id,
            "turn_started_at": message.sent_at,
            "replied_at": replied_at,
            "reply_wait_calendar_minutes": (
                None if replied_at is None else minutes(replied_at - message.sent_at)
            ),
        }
    return turns


def open_backlog(
    tickets: Sequence[TicketRow], events_by_ticket: Mapping[str, Sequence[EventRow]]
) -> dict[date, int]:
    """Per UTC date: tickets created on or before it, not solved/closed at the end of that day."""
    if not tickets:
        return {}
    first = min(t.created_at.date() for t in tickets)
    last = max(
        [t.created_at.date() for t in tickets]
        + [e.event_at.date() for events in events_by_ticket.values() for e in events]
    )
    change: dict[date, int] = defaultdict(int)
    for ticket in tickets:
        end_of_day: dict[date, str | None] = {}
        for event in ordered_events(events_by_ticket.get(ticket.ticket_id, ())):
            if is_status_change(event):
                end_of_day[event.event_at.date()] = event.to_value
        created = ticket.created_at.date()
        status: str | None = INITIAL_STATUS
        later: list[tuple[date, str | None]] = []
        for day, value in sorted(end_of_day.items()):
            if day <= created:
                status = value
            else:
                later.append((day, value))
        is_open = status not in SOLVED_STATUSES
        if is_open:
            change[created] += 1
        for day, value in later:
            now_open = value not in SOLVED_STATUSES
            if now_open != is_open:
                change[day] += 1 if now_open else -1
                is_open = now_open
    backlog: dict[date, int] = {}
    running = 0
    day = first
    while day <= last:
        running += change.get(day, 0)
        backlog[day] = running
        day += timedelta(days=1)
    return backlog


def _group(rows: Iterable[EventRow | MessageRow], known: set[str], kind: str) -> dict[str, list]:
    grouped: dict[str, list] = defaultdict(list)
    for row in rows:
        if row.ticket_id not in known:
            raise ValueError(f"{kind} row on unknown ticket {row.ticket_id!r}")
        grouped[row.ticket_id].append(row)
    return grouped


def compute_reference(
    tickets: Iterable[TicketRow],
    events: Iterable[EventRow],
    messages: Iterable[MessageRow],
    *,
    schedules: Mapping[str, Schedule],
    team_schedules: Mapping[str, str],
    sla_policies: Mapping[str, SlaPolicy],
    reply_within_hours: float = 12,
    collision_minutes: float = 5,
) -> TicketReference:
    """The reference facts from plain rows (valid rows only; times naive UTC)."""
    ticket_rows = list(tickets)
    known = {t.ticket_id for t in ticket_rows}
    if len(known) != len(ticket_rows):
        raise ValueError("duplicate ticket_id")
    events_by_ticket: dict[str, list[EventRow]] = _group(events, known, "event")
    messages_by_ticket: dict[str, list[MessageRow]] = _group(messages, known, "message")
    reply_limit = timedelta(hours=reply_within_hours)
    collision_limit = timedelta(minutes=collision_minutes)

    facts: dict[str, dict[str, object]] = {}
    customer_messages: dict[str, bool] = {}
    turns: dict[str, dict[str, object]] = {}
    for ticket in ticket_rows:
        created = ticket.created_at
        schedule_id = (
            DEFAULT_SCHEDULE_ID
            if ticket.team is None
            else team_schedules.get(ticket.team, DEFAULT_SCHEDULE_ID)
        )
        # A schedule id without opening windows has no business minutes at all.
        schedule = schedules.get(schedule_id) or Schedule(schedule_id, "UTC", {})
        policy = sla_policies.get(ticket.priority)
        ticket_messages = messages_by_ticket.get(ticket.ticket_id, [])
        ticket_events = ordered_events(events_by_ticket.get(ticket.ticket_id, []))
        agent_messages = [m for m in ticket_messages if is_public_agent_message(m)]
        talk = conversation(ticket_messages)

        # First reply.
        replies = [m.sent_at for m in agent_messages if m.sent_at >= created]
        first_reply_at = min(replies) if replies else None
        first_reply_business = (
            None if first_reply_at is None else business_minutes(created, first_reply_at, schedule)
        )
        first_reply_target = None if policy is None else policy.first_reply_target_minutes

        # Solved: resolutions are changes into solved/closed from an unresolved status.
        solve_times = [
            e.event_at
            for e in ticket_events
            if is_status_change(e)
            and e.to_value in SOLVED_STATUSES
            and e.from_value not in SOLVED_STATUSES
        ]
        first_solved_at = solve_times[0] if solve_times else None
        is_solved = ticket.status in SOLVED_STATUSES and bool(solve_times)
        solved_at = solve_times[-1] if is_solved else None
        resolution_business = (
            None if solved_at is None else business_minutes(created, solved_at, schedule)
        )
        resolution_target = None if policy is None else policy.resolution_target_minutes

        reopens = count_reopens(ticket_events)
        escalations = sum(1 for e in ticket_events if e.event_type == "escalation")

        facts[ticket.ticket_id] = {
            "schedule_id": schedule_id,
            "is_inbound": ticket.direction == "inbound",
            "is_live_channel": ticket.channel in LIVE_CHANNELS,
            "first_reply_at": first_reply_at,
            "first_reply_calendar_minutes": (
                None if first_reply_at is None else minutes(first_reply_at - created)
            ),
            "first_reply_business_minutes": first_reply_business,
            "is_replied_within_12h": (
                first_reply_at is not None and first_reply_at - created <= reply_limit
            ),
            "first_reply_target_minutes": first_reply_target,
            "is_first_reply_sla_met": (
                first_reply_business is not None
                and first_reply_target is not None
                and first_reply_business <= first_reply_target
            ),
            "is_solved": is_solved,
            "solved_at": solved_at,
            "first_solved_at": first_solved_at,
            "resolution_calendar_minutes": (
                None if solved_at is None else minutes(solved_at - created)
            ),
            "resolution_business_minutes": resolution_business,
            "first_resolution_calendar_minutes": (
                None if first_solved_at is None else minutes(first_solved_at - created)
            ),
            "resolution_target_minutes": resolution_target,
            "is_resolution_sla_met": (
                None
                if resolution_business is None
                else resolution_target is not None and resolution_business <= resolution_target
            ),
            "count_public_agent_messages": len(agent_messages),
            "count_reopens": reopens,
            "is_reopened": reopens > 0,
            "count_escalations": escalations,
            "is_escalated": escalations > 0,
            "has_collision": has_collision(talk, collision_limit),
            "is_first_contact_resolved": is_solved and len(agent_messages) == 1 and reopens == 0,
        }

        agent_times = [m.sent_at for m in agent_messages]
        for message in ticket_messages:
            if is_customer_message(message):
                customer_messages[message.message_id] = any(
                    t > message.sent_at for t in agent_times
                )
        turns.update(customer_turns(talk))

    return TicketReference(
        tickets=facts,
        customer_messages=customer_messages,
        turns=turns,
        backlog=open_backlog(ticket_rows, events_by_ticket),
    )


def _rows(connection: duckdb.DuckDBPyConnection, sql: str) -> list[tuple]:
    return connection.execute(sql).fetchall()


def _records(connection: duckdb.DuckDBPyConnection, sql: str) -> list[dict[str, object]]:
    cursor = connection.execute(sql)
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _naive(value: datetime) -> datetime:
    if value.tzinfo is not None:
        raise ValueError(f"expected a naive UTC timestamp, got {value!r}")
    return value


def load_reference(
    database: Path, *, reply_within_hours: float = 12, collision_minutes: float = 5
) -> TicketReference:
    """The reference facts of a built warehouse (staged tables and reference seeds), read-only."""
    with duckdb.connect(str(database), read_only=True) as connection:
        tickets = [
            TicketRow(tid, channel, direction, priority, status, team, _naive(created))
            for tid, channel, direction, priority, status, team, created in _rows(
                connection,
                "select ticket_id, channel, direction, priority, status, team, created_at"
                " from staging.stg_support__tickets",
            )
        ]
        events = [
            EventRow(eid, tid, _naive(at), kind, before, after)
            for eid, tid, at, kind, before, after in _rows(
                connection,
                "select event_id, ticket_id, event_at, event_type, from_value, to_value"
                " from staging.stg_support__ticket_events",
            )
        ]
        messages = [
            MessageRow(mid, tid, author_type, author_id, bool(is_public), _naive(sent))
            for mid, tid, author_type, author_id, is_public, sent in _rows(
                connection,
                "select message_id, ticket_id, author_type, author_id, is_public, sent_at"
                " from staging.stg_support__ticket_messages",
            )
        ]
        schedules = build_schedules(
            _records(
                connection,
                "select schedule_id, time_zone, day_of_week, open_time, close_time"
                " from reference.business_hours",
            ),
            _records(connection, "select schedule_id, holiday_date from reference.holidays"),
        )
        team_schedules = {
            str(team): str(schedule_id)
            for team, schedule_id in _rows(
                connection, "select team, schedule_id from reference.team_schedules"
            )
        }
        sla_policies = {
            str(priority): SlaPolicy(int(first_reply), int(resolution))
            for priority, first_reply, resolution in _rows(
                connection,
                "select priority, first_reply_target_minutes, resolution_target_minutes"
                " from reference.sla_policies",
            )
        }
    return compute_reference(
        tickets,
        events,
        messages,
        schedules=schedules,
        team_schedules=team_schedules,
        sla_policies=sla_policies,
        reply_within_hours=reply_within_hours,
        collision_minutes=collision_minutes,
    )
