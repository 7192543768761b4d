"""Every KPI of docs/spec/kpis.md per calendar month, computed in Python from
the staged (valid) rows and the row-level reference facts: the independent
check of the semantic layer. A KPI has a value for a month when its anchor
population has a row in it; a ratio with a zero denominator is None."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import duckdb

from .contact_centre import load_contact_centre_reference
from .operations import StateRow, agent_days, staffing_intervals
from .tickets import load_reference

Monthly = dict[date, float | None]


def month_of(moment: datetime | date) -> date:
    return date(moment.year, moment.month, 1)


def next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def previous_month(month: date) -> date:
    return date(month.year - (month.month == 1), (month.month - 2) % 12 + 1, 1)


def month_end(month: date) -> date:
    return date.fromordinal(next_month(month).toordinal() - 1)


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _rate(hits: int, population: int) -> float | None:
    return hits / population if population else None


def _per_month(
    rows: Iterable[tuple[date, object]], aggregate: Callable[[list[object]], float | None]
) -> Monthly:
    grouped: dict[date, list[object]] = defaultdict(list)
    for month, value in rows:
        grouped[month].append(value)
    return {month: aggregate(values) for month, values in grouped.items()}


def _count(values: list[object]) -> float:
    return float(len(values))


def _sum(values: list[object]) -> float:
    return float(sum(values))  # type: ignore[arg-type]


def _mean_of(values: list[object]) -> float | None:
    present = [float(v) for v in values if v is not None]  # type: ignore[arg-type]
    return _mean(present)


def _share(values: list[object]) -> float | None:
    return _rate(sum(1 for v in values if v), len(values))


def monthly_kpis(database: Path) -> dict[str, Monthly]:
    tickets = load_reference(database)
    centre = load_contact_centre_reference(database)
    with duckdb.connect(str(database), read_only=True) as connection:

        def rows(sql: str) -> list[tuple]:  # type: ignore[type-arg]
            return connection.sql(sql).fetchall()

        staged_tickets = {
            r[0]: r[1:]
            for r in rows(
                "select ticket_id, created_at, direction, assignee_agent_id, channel "
                "from staging.stg_support__tickets"
            )
        }
        messages = rows(
            "select message_id, ticket_id, author_type, author_id, is_public, sent_at "
            "from staging.stg_support__ticket_messages"
        )
        escalations = rows(
            "select event_at from staging.stg_support__ticket_events "
            "where event_type = 'escalation'"
        )
        sign_ups = [r[0] for r in rows("select signed_up_at from staging.stg_support__customers")]
        calls = {
            r[0]: r[1] for r in rows("select call_id, offered_at from staging.stg_support__calls")
        }
        surveys = {
            r[0]: r[1:]
            for r in rows(
                "select response_id, survey_type, score, sent_at, responded_at "
                "from staging.stg_support__survey_responses"
            )
        }
        orders = {
            r[0]: r[1] for r in rows("select order_id, ordered_at from staging.stg_support__orders")
        }
        agents = rows(
            "select agent_id, hired_date, terminated_date from staging.stg_support__agents"
        )
        shifts = rows(
            "select agent_id, shift_started_at, shift_ended_at "
            "from staging.stg_support__agent_shifts"
        )

    kpi: dict[str, Monthly] = {}
    facts = tickets.tickets
    created = {t: month_of(staged_tickets[t][0]) for t in facts}
    inbound = [t for t in facts if facts[t]["is_inbound"]]
    solved = [t for t in facts if facts[t]["is_solved"]]

    def by_created(ids: Iterable[str], value: Callable[[str], object]) -> list[tuple[date, object]]:
        return [(created[t], value(t)) for t in ids]

    def by_solved(value: Callable[[str], object]) -> list[tuple[date, object]]:
        return [(month_of(facts[t]["solved_at"]), value(t)) for t in solved]  # type: ignore[arg-type]

    kpi["tickets_created"] = _per_month(by_created(facts, lambda t: 1), _count)
    kpi["tickets_solved"] = _per_month(by_solved(lambda t: 1), _count)
    kpi["first_reply_minutes"] = _per_month(
        by_created(inbound, lambda t: facts[t]["first_reply_calendar_minutes"]), _mean_of
    )
    kpi["first_reply_business_minutes"] = _per_month(
        by_created(inbound, lambda t: facts[t]["first_reply_business_minutes"]), _mean_of
    )
    kpi["replied_within_12h_rate"] = _per_month(
        by_created(inbound, lambda t: facts[t]["is_replied_within_12h"]), _share
    )
    kpi["first_reply_sla_rate"] = _per_month(
        by_created(inbound, lambda t: facts[t]["is_first_reply_sla_met"]), _share
    )
    kpi["resolution_minutes"] = _per_month(
        by_solved(lambda t: facts[t]["resolution_calendar_minutes"]), _mean_of
    )
    kpi["resolution_business_minutes"] = _per_month(
        by_solved(lambda t: facts[t]["resolution_business_minutes"]), _mean_of
    )
    kpi["first_resolution_minutes"] = _per_month(
        [
            (month_of(f["first_solved_at"]), f["first_resolution_calendar_minutes"])  # type: ignore[arg-type]
            for f in facts.values()
            if f["first_solved_at"] is not None
        ],
        _mean_of,
    )
    kpi["resolution_sla_rate"] = _per_month(
        by_solved(lambda t: facts[t]["is_resolution_sla_met"]), _share
    )
    kpi["resolution_rate"] = _per_month(by_created(facts, lambda t: facts[t]["is_solved"]), _share)
    kpi["first_contact_resolution_rate"] = _per_month(
        by_solved(lambda t: facts[t]["is_first_contact_resolved"]), _share
    )
    kpi["replies_per_resolution"] = _per_month(
        by_solved(lambda t: facts[t]["count_public_agent_messages"]), _mean_of
    )
    kpi["reopen_rate"] = _per_month(by_solved(lambda t: facts[t]["is_reopened"]), _share)
    kpi["escalation_rate"] = _per_month(
        by_created(facts, lambda t: facts[t]["is_escalated"]), _share
    )
    with_agent_message = [t for t in facts if facts[t]["count_public_agent_messages"]]
    kpi["collision_rate"] = _per_month(
        by_created(with_agent_message, lambda t: facts[t]["has_collision"]), _share
    )
    kpi["live_channel_share"] = _per_month(
        by_created(facts, lambda t: facts[t]["is_live_channel"]), _share
    )

    # Backlog: the value on the last day of each month that has days in the data.
    last_day: dict[date, date] = {}
    for day in tickets.backlog:
        month = month_of(day)
        last_day[month] = max(last_day.get(month, day), day)
    kpi["open_backlog"] = {month: float(tickets.backlog[day]) for month, day in last_day.items()}

    sent = {m[0]: m[5] for m in messages}
    kpi["messages_received"] = _per_month(
        [(month_of(sent[m]), 1) for m in tickets.customer_messages], _count
    )
    kpi["reply_rate"] = _per_month(
        [(month_of(sent[m]), replied) for m, replied in tickets.customer_messages.items()], _share
    )
    kpi["reply_wait_minutes"] = _per_month(
        [
            (month_of(turn["turn_started_at"]), turn["reply_wait_calendar_minutes"])
            for turn in tickets.turns.values()
        ],  # type: ignore[arg-type]
        _mean_of,
    )

    pairs: dict[date, set[tuple[str, str]]] = defaultdict(set)
    for _, ticket_id, author_type, author_id, is_public, sent_at in messages:
        if author_type == "agent" and is_public:
            pairs[month_of(sent_at)].add((author_id, ticket_id))
    kpi["tickets_per_agent"] = {
        month: len(p) / len({agent for agent, _ in p}) for month, p in pairs.items()
    }

    hours: dict[date, float] = defaultdict(float)
    for _, started, ended in shifts:
        hours[month_of(started)] += (ended - started).total_seconds() / 3600
    solved_assigned: dict[date, int] = defaultdict(int)
    for t in solved:
        if staged_tickets[t][2] is not None:
            solved_assigned[month_of(facts[t]["solved_at"])] += 1  # type: ignore[arg-type]
    kpi["solved_per_shift_hour"] = {
        month: (solved_assigned.get(month, 0) / hours[month] if hours.get(month) else None)
        for month in set(solved_assigned) | set(hours)
        if month in solved_assigned or hours.get(month)
    }

    escalation_months = [month_of(r[0]) for r in escalations]
    kpi["escalations_per_1000_customers"] = {}
    for month in set(escalation_months):
        base = sum(1 for s in sign_ups if s.date() <= month_end(month))
        events = escalation_months.count(month)
        kpi["escalations_per_1000_customers"][month] = events * 1000 / base if base else None

    call_facts = centre.calls
    inbound_calls = [c for c in call_facts if call_facts[c]["is_inbound"]]
    answered = [c for c in inbound_calls if call_facts[c]["is_answered"]]
    known = [c for c in answered if call_facts[c]["has_known_customer"]]

    def by_offered(ids: Iterable[str], key: str) -> list[tuple[date, object]]:
        return [(month_of(calls[c]), call_facts[c][key]) for c in ids]

    kpi["calls_offered"] = _per_month(by_offered(inbound_calls, "is_inbound"), _count)
    kpi["calls_answered"] = _per_month(by_offered(answered, "is_answered"), _count)
    kpi["abandonment_rate"] = _per_month(by_offered(inbound_calls, "is_abandoned"), _share)
    kpi["average_speed_of_answer_seconds"] = _per_month(
        by_offered(answered, "speed_of_answer_seconds"), _mean_of
    )
    kpi["service_level_rate"] = _per_month(
        by_offered(inbound_calls, "is_within_service_level"), _share
    )
    kpi["average_wait_seconds"] = _per_month(
        by_offered(inbound_calls, "queue_wait_seconds"), _mean_of
    )
    kpi["average_handle_seconds"] = _per_month(by_offered(answered, "handle_seconds"), _mean_of)
    with duckdb.connect(str(database), read_only=True) as connection:
        talk = dict(
            connection.sql(
                "select call_id, talk_seconds from staging.stg_support__calls"
            ).fetchall()
        )
    kpi["average_talk_seconds"] = _per_month(
        [(month_of(calls[c]), talk[c]) for c in answered], _mean_of
    )
    kpi["call_resolution_rate"] = _per_month(by_offered(answered, "is_resolved_call"), _share)
    kpi["call_first_contact_resolution_rate"] = _per_month(
        by_offered(known, "is_first_contact_resolved"), _share
    )
    kpi["transfer_rate"] = _per_month(by_offered(answered, "is_transferred"), _share)

    _operations_kpis(database, kpi)

    answered_surveys = {r: v for r, v in surveys.items() if v[3] is not None}

    def scores(kind: str) -> list[tuple[date, int]]:
        return [(month_of(v[3]), v[1]) for v in answered_surveys.values() if v[0] == kind]

    kpi["csat_rate"] = _per_month([(m, s >= 4) for m, s in scores("csat")], _share)
    kpi["csat_average"] = _per_month(scores("csat"), _mean_of)
    kpi["nps"] = _per_month(
        [(m, 100 if s >= 9 else (-100 if s <= 6 else 0)) for m, s in scores("nps")], _mean_of
    )
    kpi["ces_average"] = _per_month(scores("ces"), _mean_of)
    kpi["low_effort_rate"] = _per_month([(m, s >= 5) for m, s in scores("ces")], _share)
    kpi["survey_response_rate"] = _per_month(
        [(month_of(v[2]), v[3] is not None) for v in surveys.values()], _share
    )
    kpi["csat_rate_change"] = {
        month: value - kpi["csat_rate"][previous_month(month)]  # type: ignore[operator]
        for month, value in kpi["csat_rate"].items()
        if value is not None and kpi["csat_rate"].get(previous_month(month)) is not None
    }

    contact_months = [
        (month_of(c["contact_at"]), c["is_converted"]) for c in centre.contacts.values()
    ]  # type: ignore[arg-type]
    kpi["post_contact_conversion_rate"] = _per_month(contact_months, _share)
    revenue: dict[date, Decimal] = defaultdict(Decimal)
    for order_id, fact in centre.orders.items():
        month = month_of(orders[order_id])
        revenue[month] += fact["amount"] if fact["is_post_contact"] else Decimal(0)  # type: ignore[operator]
    kpi["post_contact_revenue"] = {month: float(value) for month, value in revenue.items()}
    kpi["customer_retention_rate"] = {
        month: _rate(len(r["customers_retained"]), len(r["customers_previous"]))  # type: ignore[arg-type]
        for month, r in centre.retention.items()
        if r["customers_previous"]
    }

    # Workforce: every month from the first to the last month of the data.
    with duckdb.connect(str(database), read_only=True) as connection:
        first, last = connection.sql(
            "select min(d), max(d) from ("
            "select created_at as d from staging.stg_support__tickets union all "
            "select updated_at from staging.stg_support__tickets union all "
            "select event_at from staging.stg_support__ticket_events union all "
            "select sent_at from staging.stg_support__ticket_messages union all "
            "select offered_at from staging.stg_support__calls union all "
            "select ended_at from staging.stg_support__calls union all "
            "select sent_at from staging.stg_support__survey_responses union all "
            "select responded_at from staging.stg_support__survey_responses union all "
            "select ordered_at from staging.stg_support__orders union all "
            "select shift_started_at from staging.stg_support__agent_shifts union all "
            "select shift_ended_at from staging.stg_support__agent_shifts)"
        ).fetchall()[0]
    months = []
    month = month_of(first)
    while month <= month_of(last):
        months.append(month)
        month = next_month(month)

    def headcount(day: date) -> int:
        return sum(
            1 for _, hired, ended in agents if hired <= day and (ended is None or ended > day)
        )

    kpi["agent_turnover_rate"] = {}
    kpi["active_agents"] = {}
    for month in months:
        leavers = sum(
            1 for _, _, ended in agents if ended is not None and month <= ended <= month_end(month)
        )
        mean_headcount = (headcount(month) + headcount(month_end(month))) / 2
        kpi["agent_turnover_rate"][month] = leavers / mean_headcount if mean_headcount else None
        active = {agent for agent, started, _ in shifts if month_of(started) == month}
        if active:
            kpi["active_agents"][month] = float(len(active))
    return kpi


SHORT_ABANDON_SECONDS = 5
REPEAT_WINDOW = timedelta(days=7)


def _operations_kpis(database: Path, kpi: dict[str, Monthly]) -> None:
    """The contact-centre operations KPIs (docs/spec/kpis.md), from the staged rows."""
    with duckdb.connect(str(database), read_only=True) as connection:
        calls = connection.sql(
            "select call_id, customer_id, queue, direction, offered_at, answered_at, ended_at, "
            "talk_seconds, hold_seconds, after_call_work_seconds "
            "from staging.stg_support__calls"
        ).fetchall()
        states = [
            StateRow(*row)
            for row in connection.sql(
                "select agent_state_id, agent_id, state, started_at, ended_at "
                "from staging.stg_support__agent_states"
            ).fetchall()
        ]
        shifts = connection.sql(
            "select agent_id, shift_started_at, shift_ended_at "
            "from staging.stg_support__agent_shifts"
        ).fetchall()
        teams = dict(
            connection.sql("select agent_id, team from staging.stg_support__agents").fetchall()
        )

    inbound = [c for c in calls if c[3] == "inbound"]
    answered = [c for c in inbound if c[5] is not None]
    abandoned = [c for c in inbound if c[5] is None]

    def wait(call: tuple) -> float:  # type: ignore[type-arg]
        return ((call[5] or call[6]) - call[4]).total_seconds()

    short = {c[0] for c in abandoned if wait(c) <= SHORT_ABANDON_SECONDS}
    kpi["short_abandons"] = _per_month([(month_of(c[4]), c[0] in short) for c in inbound], _sum)
    kpi["abandonment_rate_excl_short"] = _per_month(
        [(month_of(c[4]), c[5] is None) for c in inbound if c[0] not in short], _share
    )
    kpi["service_level_rate_excl_short"] = _per_month(
        [
            (month_of(c[4]), c[5] is not None and wait(c) <= 20)
            for c in inbound
            if c[0] not in short
        ],
        _share,
    )
    kpi["average_abandon_seconds"] = _per_month(
        [(month_of(c[4]), wait(c)) for c in abandoned], _mean_of
    )
    kpi["longest_wait_seconds"] = _per_month(
        [(month_of(c[4]), wait(c)) for c in inbound],
        lambda values: float(max(values)),  # type: ignore[type-var, arg-type]
    )
    kpi["average_hold_seconds"] = _per_month([(month_of(c[4]), c[8]) for c in answered], _mean_of)
    kpi["hold_rate"] = _per_month([(month_of(c[4]), c[8] > 0) for c in answered], _share)
    kpi["average_after_call_work_seconds"] = _per_month(
        [(month_of(c[4]), c[9]) for c in answered], _mean_of
    )
    offered_by_customer: dict[str, list[datetime]] = defaultdict(list)
    for call in inbound:
        if call[1] is not None:
            offered_by_customer[call[1]].append(call[4])
    kpi["repeat_call_rate"] = _per_month(
        [
            (
                month_of(c[4]),
                any(c[4] < t <= c[4] + REPEAT_WINDOW for t in offered_by_customer[c[1]]),
            )
            for c in inbound
            if c[1] is not None
        ],
        _share,
    )

    days, state_range = agent_days(states, shifts)
    occupancy: dict[date, list[float]] = defaultdict(lambda: [0.0, 0.0])
    in_shift: dict[date, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0, 0.0])
    for (_, day), entry in days.items():
        if entry.productive or entry.handling:
            occupancy[month_of(day)][0] += entry.handling
            occupancy[month_of(day)][1] += entry.productive
        if state_range is not None and state_range[0] <= day <= state_range[1]:
            totals = in_shift[month_of(day)]
            totals[0] += entry.shift
            totals[1] += entry.handling_in_shift
            totals[2] += entry.logged_in_in_shift
            totals[3] += entry.shift - entry.productive_in_shift
    kpi["occupancy_rate"] = {m: _ratio(h, p) for m, (h, p) in occupancy.items()}
    kpi["utilization_rate"] = {m: _ratio(t[1], t[0]) for m, t in in_shift.items()}
    kpi["login_adherence_rate"] = {m: _ratio(t[2], t[0]) for m, t in in_shift.items()}
    kpi["shrinkage_rate"] = {m: _ratio(t[3], t[0]) for m, t in in_shift.items()}

    handled = [
        (
            c[2],
            c[3],
            c[4],
            c[5] is not None,
            c[7] + c[8] + c[9] if c[5] is not None else None,
        )
        for c in calls
    ]
    judged = [i for i in staffing_intervals(handled, shifts, teams) if i.required is not None]
    kpi["understaffed_interval_rate"] = _per_month(
        [(month_of(i.hour), i.staffed < i.required) for i in judged],  # type: ignore[operator]
        _share,
    )
    kpi["staffing_gap_agents"] = _per_month(
        [(month_of(i.hour), i.staffed - i.required) for i in judged],  # type: ignore[operator]
        _mean_of,
    )


def _ratio(numerator: float, denominator: float) -> float | None:
    return numerator / denominator if denominator else None
