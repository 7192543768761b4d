"""Fault menus: for each table, the D2 reason codes it can be given and how a valid row is
mutated so that it breaks exactly that rule (and no rule earlier in the D2 order)."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from support_kpis.generator.schema import AGENT_STATES, Row, column_index
from support_kpis.generator.timefmt import DAY, HOUR, epoch_of, parse_ts, ts_text


@dataclass(frozen=True, slots=True)
class FaultContext:
    """What a mutation may need beyond the row itself."""

    rng: random.Random
    parent_created: int | None  # the ticket's created_at, for events and messages
    valid_agent_id: str


# A mutation returns the rows to deliver instead of the valid row, and a human detail.
Mutation = Callable[[Row, FaultContext], tuple[list[Row], str]]
Preference = Callable[[Row], bool]


@dataclass(frozen=True, slots=True)
class Variant:
    """One way of breaking a rule; `prefers` picks rows it fits best (None: any row)."""

    mutate: Mutation
    prefers: Preference | None = None


@dataclass(frozen=True, slots=True)
class Fault:
    """A reason code and the variants that produce it, used in turn."""

    reason: str
    variants: tuple[Variant, ...]


def _copy(row: Row) -> Row:
    return list(row)


def _shift(text: str | None, seconds: int) -> str:
    return ts_text(parse_ts(text or "") + seconds)


# -- generic mutations ------------------------------------------------------------------------
def _null_key(key: str) -> Fault:
    def empty(row: Row, _ctx: FaultContext) -> tuple[list[Row], str]:
        out = _copy(row)
        out[0] = None
        return [out], f"{key} is empty"

    def blank(row: Row, _ctx: FaultContext) -> tuple[list[Row], str]:
        out = _copy(row)
        out[0] = "  "
        return [out], f"{key} is blank"

    return Fault("null_key", (Variant(empty), Variant(blank), Variant(empty)))


def _duplicate_key(key: str, column: str, change: Callable[[Row, int], str | None]) -> Fault:
    """The row, and a second row with the same key and another value in `column`."""
    position = _position(key, column)

    def mutate(row: Row, _ctx: FaultContext) -> tuple[list[Row], str]:
        second = _copy(row)
        second[position] = change(row, position)
        return [_copy(row), second], f"{key} {row[0]} arrives twice, differing in {column}"

    return Fault("duplicate_key", (Variant(mutate),))


_TABLE_OF_KEY = {
    "customer_id": "customers",
    "agent_id": "agents",
    "shift_id": "agent_shifts",
    "agent_state_id": "agent_states",
    "ticket_id": "tickets",
    "event_id": "ticket_events",
    "message_id": "ticket_messages",
    "call_id": "calls",
    "response_id": "survey_responses",
    "order_id": "orders",
}


def _position(key: str, column: str) -> int:
    return column_index(_TABLE_OF_KEY[key])[column]


def _set(table: str, values: dict[str, str | None], detail: str) -> Mutation:
    columns = column_index(table)

    def mutate(row: Row, _ctx: FaultContext) -> tuple[list[Row], str]:
        out = _copy(row)
        for column, value in values.items():
            out[columns[column]] = value
        return [out], detail

    return mutate


def _one(reason: str, *mutations: Mutation) -> Fault:
    return Fault(reason, tuple(Variant(m) for m in mutations))


def _cycle(options: tuple[str, ...]) -> Callable[[Row, int], str | None]:
    def change(row: Row, position: int) -> str | None:
        value = row[position]
        return (
            options[(options.index(value) + 1) % len(options)] if value in options else (options[0])
        )

    return change


def _timestamp_before(table: str, column: str, seconds: int) -> Mutation:
    """`column` set `seconds` before the parent ticket's created_at."""
    position = column_index(table)[column]

    def mutate(row: Row, ctx: FaultContext) -> tuple[list[Row], str]:
        if ctx.parent_created is None:
            raise ValueError(f"{table}.{column}: the parent ticket's created_at is needed")
        out = _copy(row)
        out[position] = ts_text(ctx.parent_created - seconds)
        return [out], f"{column} before the ticket's created_at"

    return mutate


# -- per table --------------------------------------------------------------------------------
def _customers() -> tuple[Fault, ...]:
    t = "customers"
    return (
        _null_key("customer_id"),
        _duplicate_key("customer_id", "segment", _cycle(("consumer", "smb", "enterprise"))),
        _one(
            "missing_value",
            _set(t, {"signed_up_at": None}, "signed_up_at is empty"),
            _set(t, {"segment": None}, "segment is empty"),
        ),
        _one("unknown_value", _set(t, {"segment": "vip"}, "segment 'vip' is not a segment")),
        _one(
            "invalid_format",
            _set(t, {"country": "usa"}, "country 'usa' is not alpha-2"),
            _set(t, {"signed_up_at": "yesterday"}, "signed_up_at 'yesterday'"),
        ),
    )


def _agents() -> tuple[Fault, ...]:
    t = "agents"
    columns = column_index(t)

    def as_timestamp(row: Row, _ctx: FaultContext) -> tuple[list[Row], str]:
        out = _copy(row)
        out[columns["hired_at"]] = f"{row[columns['hired_at']]}T09:00:00Z"
        return [out], "hired_at is a timestamp, not a date"

    def left_before_hired(row: Row, ctx: FaultContext) -> tuple[list[Row], str]:
        out = _copy(row)
        hired = date.fromisoformat(row[columns["hired_at"]] or "")
        out[columns["terminated_at"]] = (hired - timedelta(days=ctx.rng.randint(1, 60))).isoformat()
        return [out], "terminated_at before hired_at"

    return (
        _null_key("agent_id"),
        _duplicate_key(
            "agent_id", "team", _cycle(("Billing", "Technical Support", "Sales", "Accounts"))
        ),
        _one("missing_value", _set(t, {"team": None}, "team is empty")),
        _one("invalid_format", as_timestamp),
        _one("timestamp_order", left_before_hired),
    )


def _agent_shifts() -> tuple[Fault, ...]:
    t = "agent_shifts"
    columns = column_index(t)

    def end_at(offset: int, reason: str) -> Mutation:
        def mutate(row: Row, _ctx: FaultContext) -> tuple[list[Row], str]:
            out = _copy(row)
            out[columns["shift_end"]] = _shift(row[columns["shift_start"]], offset)
            return [out], reason

        return mutate

    return (
        _null_key("shift_id"),
        _duplicate_key("shift_id", "shift_end", lambda row, position: _shift(row[position], 1800)),
        _one(
            "dangling_reference",
            _set(t, {"agent_id": "A_missing"}, "agent_id 'A_missing' is not an agent"),
        ),
        _one(
            "timestamp_order",
            end_at(0, "shift_end equals shift_start"),
            end_at(-HOUR, "shift_end before shift_start"),
        ),
        _one("out_of_range", end_at(17 * HOUR, "a 17-hour shift")),
    )


def _agent_states() -> tuple[Fault, ...]:
    """The D2 rules of agent_states, in order: key, required values, timestamp formats, the
    state's set (trimmed, case-sensitive), not in the future and at most 16 h, ended_at after
    started_at, the agent reference."""
    t = "agent_states"
    columns = column_index(t)
    started, ended = columns["started_at"], columns["ended_at"]

    def shifted(offset_started: int, offset_ended: int, detail: str) -> Mutation:
        def mutate(row: Row, _ctx: FaultContext) -> tuple[list[Row], str]:
            out = _copy(row)
            out[started] = _shift(row[started], offset_started)
            out[ended] = _shift(row[started], offset_ended)
            return [out], detail

        return mutate

    def other_offset(row: Row, _ctx: FaultContext) -> tuple[list[Row], str]:
        out = _copy(row)
        out[ended] = ts_text(parse_ts(row[ended] or ""))[:-1] + "+02:00"
        return [out], f"ended_at '{out[ended]}' is not UTC"

    def date_only(row: Row, _ctx: FaultContext) -> tuple[list[Row], str]:
        out = _copy(row)
        out[started] = ts_text(parse_ts(row[started] or ""))[:10]
        return [out], f"started_at '{out[started]}' is a date, not a timestamp"

    def future(row: Row, _ctx: FaultContext) -> tuple[list[Row], str]:
        out = _copy(row)
        year = int(ts_text(parse_ts(row[started] or ""))[:4])
        offset = epoch_of(date(2099, 1, 1)) - epoch_of(date(year, 1, 1))
        out[started] = _shift(row[started], offset)
        out[ended] = _shift(row[ended], offset)
        return [out], "started_at in 2099"

    return (
        _null_key("agent_state_id"),
        _duplicate_key("agent_state_id", "state", _cycle(AGENT_STATES)),
        _one(
            "missing_value",
            _set(t, {"state": None}, "state is empty"),
            _set(t, {"ended_at": None}, "ended_at is empty"),
            _set(t, {"agent_id": None}, "agent_id is empty"),
            _set(t, {"started_at": None}, "started_at is empty"),
        ),
        _one(
            "invalid_format",
            _set(t, {"started_at": "not a time"}, "started_at 'not a time'"),
            other_offset,
            date_only,
        ),
        _one(
            "unknown_value",
            _set(t, {"state": "lunch"}, "state 'lunch'"),
            _set(t, {"state": "AVAILABLE"}, "state 'AVAILABLE' (states are case-sensitive)"),
            _set(t, {"state": " Break "}, "state ' Break ' (trims to 'Break')"),
        ),
        _one("out_of_range", future, shifted(0, 17 * HOUR, "a 17-hour state")),
        _one(
            "timestamp_order",
            shifted(0, 0, "ended_at equals started_at"),
            shifted(0, -5 * 60, "ended_at before started_at"),
        ),
        _one(
            "dangling_reference",
            _set(t, {"agent_id": "A_missing"}, "agent_id 'A_missing' is not an agent"),
        ),
    )


def _tickets() -> tuple[Fault, ...]:
    t = "tickets"
    columns = column_index(t)

    def future(row: Row, _ctx: FaultContext) -> tuple[list[Row], str]:
        out = _copy(row)
        created = parse_ts(row[columns["created_at"]] or "")
        year = int((row[columns["created_at"]] or "")[:4])
        offset = epoch_of(date(2099, 1, 1)) - epoch_of(date(year, 1, 1))
        out[columns["created_at"]] = ts_text(created + offset)
        out[columns["updated_at"]] = _shift(row[columns["updated_at"]], offset)
        return [out], "created_at in 2099"

    def updated_before(row: Row, ctx: FaultContext) -> tuple[list[Row], str]:
        out = _copy(row)
        out[columns["updated_at"]] = _shift(row[columns["created_at"]], -ctx.rng.randint(HOUR, DAY))
        return [out], "updated_at before created_at"

    return (
        _null_key("ticket_id"),
        _duplicate_key("ticket_id", "priority", _cycle(("low", "normal", "high", "urgent"))),
        _one("missing_value", _set(t, {"direction": None}, "direction is empty")),
        _one(
            "unknown_value",
            _set(t, {"channel": "fax"}, "channel 'fax'"),
            _set(t, {"priority": "p1"}, "priority 'p1'"),
        ),
        _one("out_of_range", future),
        _one("timestamp_order", updated_before),
        _one(
            "dangling_reference",
            _set(t, {"customer_id": "C_missing"}, "customer_id 'C_missing' is not a customer"),
        ),
    )


def _ticket_events() -> tuple[Fault, ...]:
    t = "ticket_events"
    columns = column_index(t)

    def is_status_change(row: Row) -> bool:
        return row[columns["event_type"]] == "status_change"

    return (
        _null_key("event_id"),
        _duplicate_key("event_id", "event_at", lambda row, position: _shift(row[position], 60)),
        Fault(
            "unknown_value",
            (
                Variant(_set(t, {"event_type": "merge"}, "event_type 'merge'")),
                Variant(
                    _set(
                        t,
                        {"event_type": "status_change", "to_value": "deleted"},
                        "status_change to 'deleted'",
                    ),
                    is_status_change,
                ),
            ),
        ),
        _one(
            "dangling_reference",
            _set(t, {"ticket_id": "T_missing"}, "ticket_id 'T_missing' is not a ticket"),
        ),
        _one("timestamp_order", _timestamp_before(t, "event_at", HOUR)),
    )


def _ticket_messages() -> tuple[Fault, ...]:
    t = "ticket_messages"
    columns = column_index(t)

    def bot_with_author(row: Row, ctx: FaultContext) -> tuple[list[Row], str]:
        out = _copy(row)
        out[columns["author_type"]] = "bot"
        out[columns["author_id"]] = ctx.valid_agent_id
        return [out], "bot message with an author_id"

    def is_bot(row: Row) -> bool:
        return row[columns["author_type"]] == "bot"

    return (
        _null_key("message_id"),
        _duplicate_key("message_id", "sent_at", lambda row, position: _shift(row[position], 60)),
        _one("missing_value", _set(t, {"is_public": None}, "is_public is empty")),
        _one("invalid_format", _set(t, {"sent_at": "not a time"}, "sent_at 'not a time'")),
        _one(
            "unknown_value",
            _set(t, {"author_type": "robot", "author_id": None}, "author_type 'robot'"),
        ),
        _one("timestamp_order", _timestamp_before(t, "sent_at", HOUR)),
        Fault("inconsistent_value", (Variant(bot_with_author, is_bot),)),
        _one(
            "dangling_reference",
            _set(t, {"ticket_id": "T_missing"}, "ticket_id 'T_missing' is not a ticket"),
        ),
    )


def _calls() -> tuple[Fault, ...]:
    t = "calls"
    columns = column_index(t)

    def answered(row: Row) -> bool:
        return row[columns["answered_at"]] is not None

    def abandoned(row: Row) -> bool:
        return row[columns["answered_at"]] is None

    def out_of_order(row: Row, _ctx: FaultContext) -> tuple[list[Row], str]:
        out = _copy(row)
        if row[columns["answered_at"]] is None:
            out[columns["ended_at"]] = _shift(row[columns["offered_at"]], -10)
            return [out], "ended_at before offered_at on an abandoned call"
        out[columns["answered_at"]] = _shift(row[columns["offered_at"]], -30)
        return [out], "answered_at before offered_at"

    def resolved_abandoned(row: Row, _ctx: FaultContext) -> tuple[list[Row], str]:
        out = _copy(row)
        for column, value in (
            ("answered_at", None),
            ("talk_seconds", "0"),
            ("hold_seconds", "0"),
            ("is_resolved", "true"),
        ):
            out[columns[column]] = value
        return [out], "abandoned call with is_resolved true"

    return (
        _null_key("call_id"),
        _duplicate_key(
            "call_id", "hold_seconds", lambda row, position: str(int(row[position] or "0") + 5)
        ),
        _one("missing_value", _set(t, {"offered_at": None}, "offered_at is empty")),
        _one("invalid_format", _set(t, {"transferred": "yes"}, "transferred 'yes'")),
        _one("unknown_value", _set(t, {"direction": "sideways"}, "direction 'sideways'")),
        Fault(
            "out_of_range", (Variant(_set(t, {"talk_seconds": "-5"}, "talk_seconds -5"), answered),)
        ),
        Fault("timestamp_order", (Variant(out_of_order, answered),)),
        Fault("inconsistent_value", (Variant(resolved_abandoned, abandoned),)),
        _one(
            "dangling_reference",
            _set(t, {"customer_id": "C_missing"}, "customer_id 'C_missing' is not a customer"),
        ),
    )


def _survey_responses() -> tuple[Fault, ...]:
    t = "survey_responses"
    columns = column_index(t)
    too_high = {"nps": "11", "csat": "0", "ces": "8"}

    def answered(row: Row) -> bool:
        return row[columns["responded_at"]] is not None

    def answer(out: Row, row: Row) -> None:
        if out[columns["responded_at"]] is None:
            out[columns["responded_at"]] = _shift(row[columns["sent_at"]], HOUR)
        if out[columns["score"]] is None:
            out[columns["score"]] = "3"

    def out_of_scale(row: Row, _ctx: FaultContext) -> tuple[list[Row], str]:
        out = _copy(row)
        answer(out, row)
        survey_type = row[columns["survey_type"]] or "nps"
        out[columns["score"]] = too_high[survey_type]
        return [out], f"{survey_type} score {too_high[survey_type]}"

    def responded_before_sent(row: Row, _ctx: FaultContext) -> tuple[list[Row], str]:
        out = _copy(row)
        answer(out, row)
        out[columns["responded_at"]] = _shift(row[columns["sent_at"]], -HOUR)
        return [out], "responded_at before sent_at"

    def score_missing(row: Row, _ctx: FaultContext) -> tuple[list[Row], str]:
        out = _copy(row)
        if row[columns["responded_at"]] is None:
            out[columns["responded_at"]] = _shift(row[columns["sent_at"]], HOUR)
            return [out], "responded_at set but no score"
        out[columns["score"]] = None
        out[columns["comment"]] = None
        return [out], "responded_at set but no score"

    return (
        _null_key("response_id"),
        _duplicate_key("response_id", "sent_at", lambda row, position: _shift(row[position], -60)),
        _one("unknown_value", _set(t, {"survey_type": "ces2"}, "survey_type 'ces2'")),
        Fault("out_of_range", (Variant(out_of_scale, answered),)),
        Fault("timestamp_order", (Variant(responded_before_sent, answered),)),
        Fault("inconsistent_value", (Variant(score_missing, answered),)),
        _one(
            "dangling_reference",
            _set(t, {"customer_id": "C_missing"}, "customer_id 'C_missing' is not a customer"),
        ),
    )


def _orders() -> tuple[Fault, ...]:
    t = "orders"
    columns = column_index(t)

    def comma_amount(row: Row, _ctx: FaultContext) -> tuple[list[Row], str]:
        out = _copy(row)
        out[columns["amount"]] = (row[columns["amount"]] or "0.00").replace(".", ",")
        return [out], f"amount '{out[columns['amount']]}' uses a decimal comma"

    return (
        _null_key("order_id"),
        _duplicate_key(
            "order_id", "amount", lambda row, position: str(Decimal(row[position] or "0") + 1)
        ),
        _one("invalid_format", _set(t, {"currency": "euro"}, "currency 'euro'"), comma_amount),
        _one("out_of_range", _set(t, {"amount": "-1.00"}, "amount -1.00")),
        _one(
            "dangling_reference",
            _set(t, {"customer_id": "C_missing"}, "customer_id 'C_missing' is not a customer"),
        ),
    )


MENUS: dict[str, tuple[Fault, ...]] = {
    "customers": _customers(),
    "agents": _agents(),
    "agent_shifts": _agent_shifts(),
    "agent_states": _agent_states(),
    "tickets": _tickets(),
    "ticket_events": _ticket_events(),
    "ticket_messages": _ticket_messages(),
    "calls": _calls(),
    "survey_responses": _survey_responses(),
    "orders": _orders(),
}
