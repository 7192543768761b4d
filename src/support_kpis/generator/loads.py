"""A delivery in loads (spec/sources.md, "Deliveries in loads"): every table as a folder
`<table>/` of one file per load, named by its day (`2025-12-31.csv`).

The rows are exactly those of the single-file delivery with the same arguments; a load
sink only decides which load each row goes to, and writes an earlier version of some
rows into an earlier load:

- load 1 is the history, every row dated up to the day before the first daily load
  (and the tables without a date of their own: customers, agents); it is named by its
  last day. Loads 2..K are the last K-1 days of the period, one per day; the last load
  also takes every row dated after the period (children and survey responses that
  spill over its end).
- a row's day is the UTC date of its own timestamp (the first 10 characters of its
  ISO-8601 text): tickets `created_at`, events `event_at`, messages `sent_at`, calls
  `offered_at`, survey invitations `responded_at` (else `sent_at`), orders `ordered_at`,
  shifts `shift_start`, agent states `started_at`.
- updates: a ticket whose final `updated_at` falls in a later load than the one it
  arrives in is delivered first as an earlier version (status `new`, or `open` when it
  has an assignee; `updated_at` = `created_at`), then with its final row in the load of
  its `updated_at`. An answered call with after-call work whose next day is a later load
  is delivered first without it (`after_call_work_seconds` 0), then whole a day later.
- late rows: a fixed share of messages and events (chosen by a hash of their key) arrive
  in the load of the day after their own day; a fixed share of tickets with messages
  arrive in the load of the day after their first message (late-arriving parents: the
  messages are `dangling_reference` for a load). Both only where that day's load is a
  later one (the history's last day and the daily loads but the last).

Every row reaches a load no later than the last one, so the last load leaves the single
delivery's current state. The choice of rows depends on keys and texts only, never on
the random streams, so the single-file delivery does not change by a byte.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from support_kpis.generator.schema import TABLE_COLUMNS, Row, column_index
from support_kpis.generator.sinks import CsvSink, Format, ParquetSink, RowSink

# Shares chosen by a hash of the key (per mille): deterministic, independent of the seed.
LATE_ROW_PER_MILLE = 50  # messages and events arriving a load after their day
LATE_TICKET_PER_MILLE = 50  # tickets arriving a load after their first message
# Smaller Parquet row groups when a table is split into many files (memory stays flat).
LOAD_PARQUET_ROWS = 20_000


def _hashed_share(key: str | None, per_mille: int) -> bool:
    if key is None:
        return False
    digest = hashlib.blake2b(key.encode("utf-8"), digest_size=4).digest()
    return int.from_bytes(digest, "big") % 1000 < per_mille


@dataclass(frozen=True)
class LoadPlan:
    """The K loads of a period: their names (days, `YYYY-MM-DD`) and the load of a day."""

    names: tuple[str, ...]
    _index: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_index", {name: i for i, name in enumerate(self.names)})

    @classmethod
    def ending(cls, last_day: date, count: int) -> LoadPlan:
        """K loads whose last daily load is `last_day` (load 1 is named K-1 days before)."""
        if count < 2:
            raise ValueError("a delivery in loads has at least 2 loads")
        first = last_day - timedelta(days=count - 1)
        return cls(tuple((first + timedelta(days=i)).isoformat() for i in range(count)))

    @property
    def count(self) -> int:
        """Number of loads."""
        return len(self.names)

    def load_of(self, day: str) -> int:
        """0-based load of a row dated `day` (the history up to names[0], the last load
        from names[-1] on)."""
        if day <= self.names[0]:
            return 0
        if day >= self.names[-1]:
            return len(self.names) - 1
        return self._index[day]

    def load_after(self, day: str) -> int:
        """The load of the day after `day`."""
        if day < self.names[0]:
            return 0
        if day >= self.names[-1]:
            return len(self.names) - 1
        return self._index[day] + 1


def _day(text: str | None) -> str:
    if text is None:
        raise ValueError("a row of a delivery in loads needs its timestamp")
    return text[:10]


Route = Callable[["LoadSink", Row], None]


class LoadSink:
    """A table's load folder: K files opened at once (a day without rows is a file with
    its header only), each row written to the load(s) its route picks."""

    def __init__(self, outdir: Path, table: str, fmt: Format, plan: LoadPlan) -> None:
        folder = outdir / table
        folder.mkdir(parents=True, exist_ok=True)
        columns = TABLE_COLUMNS[table]
        sinks: list[RowSink] = []
        for name in plan.names:
            if fmt == "csv":
                sinks.append(CsvSink(folder / f"{name}.csv", columns))
            else:
                sinks.append(ParquetSink(folder / f"{name}.parquet", columns, LOAD_PARQUET_ROWS))
        self.table = table
        self.plan = plan
        self._sinks = sinks
        self._route = ROUTES[table]
        self._columns = column_index(table)
        self.rows_written = 0  # every row of every load, earlier versions included
        self.superseded = 0  # earlier versions written
        self.late = 0  # rows delivered a load after their own day's load
        self.rows_per_load = [0] * plan.count
        # tickets: ticket_id -> day of its first message, for the chunk being written
        self.first_message_day: dict[str, str] = {}

    def column(self, row: Row, name: str) -> str | None:
        """A value of the row by column name."""
        return row[self._columns[name]]

    def replaced(self, row: Row, **values: str | None) -> Row:
        """A copy of the row with some columns replaced."""
        copy = list(row)
        for name, value in values.items():
            copy[self._columns[name]] = value
        return copy

    def emit(self, load: int, row: Row, earlier_version: bool = False) -> None:
        """Write a row into a load."""
        self._sinks[load].write(row)
        self.rows_written += 1
        self.rows_per_load[load] += 1
        self.superseded += earlier_version

    def write(self, row: Row) -> None:
        """Route one row of the single-file delivery."""
        self._route(self, row)

    def close(self) -> None:
        """Close every load file."""
        for sink in self._sinks:
            sink.close()


def _route_first(sink: LoadSink, row: Row) -> None:
    sink.emit(0, row)


def _route_by(column: str, fallback: str | None = None) -> Route:
    def route(sink: LoadSink, row: Row) -> None:
        value = sink.column(row, column)
        if value is None and fallback is not None:
            value = sink.column(row, fallback)
        sink.emit(sink.plan.load_of(_day(value)), row)

    return route


def _route_child(column: str, key: str) -> Route:
    """Messages and events: by their day, a hashed share a load later (the next day's)."""

    def route(sink: LoadSink, row: Row) -> None:
        day = _day(sink.column(row, column))
        plan = sink.plan
        load = plan.load_of(day)
        later = plan.load_after(day)
        if later > load and _hashed_share(sink.column(row, key), LATE_ROW_PER_MILLE):
            sink.late += 1
            load = later
        sink.emit(load, row)

    return route


def _route_ticket(sink: LoadSink, row: Row) -> None:
    plan = sink.plan
    ticket_id = sink.column(row, "ticket_id")
    arrives = plan.load_of(_day(sink.column(row, "created_at")))
    first_message = sink.first_message_day.pop(ticket_id or "", None)
    if first_message is not None:
        late = plan.load_after(first_message)
        if late > arrives and _hashed_share(ticket_id, LATE_TICKET_PER_MILLE):
            sink.late += 1
            arrives = late
    final = max(arrives, plan.load_of(_day(sink.column(row, "updated_at"))))
    if final > arrives:
        earlier = sink.replaced(
            row,
            status="new" if sink.column(row, "assignee_agent_id") is None else "open",
            updated_at=sink.column(row, "created_at"),
        )
        sink.emit(arrives, earlier, earlier_version=True)
    sink.emit(final, row)


def _route_call(sink: LoadSink, row: Row) -> None:
    plan = sink.plan
    day = _day(sink.column(row, "offered_at"))
    load = plan.load_of(day)
    later = plan.load_after(day)
    work = sink.column(row, "after_call_work_seconds")
    if later > load and sink.column(row, "answered_at") is not None and work not in (None, "0"):
        earlier = sink.replaced(row, after_call_work_seconds="0")
        sink.emit(load, earlier, earlier_version=True)
        load = later
    sink.emit(load, row)


ROUTES: dict[str, Route] = {
    "customers": _route_first,
    "agents": _route_first,
    "agent_shifts": _route_by("shift_start"),
    "agent_states": _route_by("started_at"),
    "tickets": _route_ticket,
    "ticket_events": _route_child("event_at", "event_id"),
    "ticket_messages": _route_child("sent_at", "message_id"),
    "calls": _route_call,
    "survey_responses": _route_by("responded_at", "sent_at"),
    "orders": _route_by("ordered_at"),
}
