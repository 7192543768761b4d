"""`generate`: write the ten raw tables, the invalid-row log and the manifest."""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path

from support_kpis.generator.agent_states import (
    AnsweredCalls,
    Span,
    agent_spans,
    month_end_session,
    state_id_width,
)
from support_kpis.generator.batch import Batch, Cascade, TableWriter, cascade
from support_kpis.generator.calls import CallMaker, call_row
from support_kpis.generator.loads import LoadPlan, LoadSink
from support_kpis.generator.manifest import GeneratorParams, LoadsInfo, Manifest
from support_kpis.generator.orders import OrderPlan, contact_orders, customer_orders, order_row
from support_kpis.generator.people import ANCHOR_CUSTOMERS, AgentRoster, CustomerRegistry, id_width
from support_kpis.generator.period import ArrivalCurve, Period, special_instants
from support_kpis.generator.rng import derive_rng
from support_kpis.generator.schema import TABLE_COLUMNS, TABLES, Row
from support_kpis.generator.shifts import agent_shifts, shift_id_width
from support_kpis.generator.sinks import Format, InvalidRowLog, open_sink
from support_kpis.generator.surveys import survey_row, surveys_for_chunk
from support_kpis.generator.tickets import TicketPlan, TicketSimulator, to_rows
from support_kpis.generator.timefmt import TextFormatter, epoch_of

TICKETS_PER_CHUNK = 5_000
CUSTOMERS_PER_CHUNK = 20_000
AGENTS_PER_SHIFT_CHUNK = 100
AGENTS_PER_STATE_BATCH = 10
MONTH_END_SESSIONS = 2  # agents given a session outside their shifts across a month end
SPECIALS_SHARE_CAP = 0.10  # at most this share of a chunk's tickets sits on an edge instant

Progress = Callable[[int, int], None]


class IdSequence:
    """`<prefix><zero-padded counter>` ids, numbered from 1 across all chunks."""

    def __init__(self, prefix: str, width: int) -> None:
        self.prefix = prefix
        self.width = width
        self.issued = 0

    def next(self) -> str:
        """The next id."""
        self.issued += 1
        return f"{self.prefix}{self.issued:0{self.width}d}"


def generate(
    outdir: Path,
    tickets: int,
    seed: int,
    invalid_rate: float = 0.0,
    fmt: Format = "csv",
    start: date = date(2024, 10, 1),
    months: int = 15,
    progress: Progress | None = None,
    omit_invalid: bool = False,
    loads: int | None = None,
) -> Manifest:
    """Generate a raw delivery of `tickets` tickets into `outdir`.

    Deterministic: the same arguments give byte-identical files. About `invalid_rate`
    of each table's rows get exactly one fault (see docs/decisions.md D2), and about
    `invalid_rate / 3` of the valid rows are delivered twice. `progress(done, total)`
    is called after each chunk of tickets (the agent states are written after the last
    one). With `omit_invalid`, the same delivery is generated but its invalid rows (and
    their cascades) and exact duplicates are not written: the clean twin of the faulty
    folder, for fault-injection tests. With `loads` (K >= 2), every table is a folder of
    K load files named by their day (see loads.py): the history up to the day before the
    period's last K-1 days, then one load per day; the latest version of every row over
    the loads is the single-file delivery's row. Not with invalid rows.
    """
    if tickets < 1:
        raise ValueError("tickets must be at least 1")
    if not 0.0 <= invalid_rate <= 0.5:
        raise ValueError("invalid_rate must be between 0 and 0.5")
    if fmt not in ("csv", "parquet"):
        raise ValueError("fmt must be 'csv' or 'parquet'")
    if months < 1:
        raise ValueError("months must be at least 1")
    period = Period(start, months)
    plan: LoadPlan | None = None
    if loads is not None:
        days = (period.end_date - period.start_date).days
        if not 2 <= loads <= days:
            raise ValueError(f"loads must be between 2 and the period's {days} days")
        if invalid_rate > 0:
            raise ValueError("a delivery in loads has no invalid rows (invalid_rate must be 0)")
        plan = LoadPlan.ending(period.end_date - timedelta(days=1), loads)
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    run = _Run(outdir, tickets, seed, invalid_rate, fmt, period, omit_invalid, plan)
    try:
        run.agents()
        run.shifts()
        run.customers_and_orders()
        run.tickets(progress)
        run.agent_states()
    finally:
        run.close()
    counts = {table: run.writers[table].counts for table in TABLES}
    loads_info: LoadsInfo | None = None
    if plan is not None:
        for table, sink in run.load_sinks.items():
            counts[table].superseded = sink.superseded
        loads_info = LoadsInfo(
            names=plan.names,
            superseded={table: sink.superseded for table, sink in run.load_sinks.items()},
            late={table: sink.late for table, sink in run.load_sinks.items()},
            rows={table: tuple(sink.rows_per_load) for table, sink in run.load_sinks.items()},
        )
    manifest = Manifest(
        GeneratorParams(tickets, seed, float(invalid_rate), fmt, start.isoformat(), months),
        counts,
        omit_invalid=omit_invalid,
        loads=loads_info,
    )
    manifest.write(outdir)
    return manifest


class _Run:
    """State of one generation run, phase by phase."""

    def __init__(
        self,
        outdir: Path,
        tickets: int,
        seed: int,
        rate: float,
        fmt: Format,
        period: Period,
        omit_invalid: bool = False,
        plan: LoadPlan | None = None,
    ) -> None:
        self.tickets_total = tickets
        self.seed = seed
        self.rate = rate
        self.period = period
        self.log = InvalidRowLog(outdir)
        self.load_sinks: dict[str, LoadSink] = {}
        if plan is not None:
            self.load_sinks = {table: LoadSink(outdir, table, fmt, plan) for table in TABLES}
        self.writers = {
            table: TableWriter(
                table,
                self.load_sinks.get(table) or open_sink(outdir, table, TABLE_COLUMNS[table], fmt),
                self.log,
                rate,
                omit_invalid,
            )
            for table in TABLES
        }
        self.roster = AgentRoster(period, tickets, derive_rng(seed, "agents"))
        self.customers = CustomerRegistry(period, tickets)
        self.valid_agent_id = ""
        working = len(self.roster.working_agents())
        self.ids = {
            "agent_shifts": IdSequence("SH", shift_id_width(period, working)),
            "agent_states": IdSequence("AS", state_id_width(period, working)),
            "tickets": IdSequence("T", id_width(tickets, 7)),
            "ticket_events": IdSequence("E", id_width(tickets * 25, 8)),
            "ticket_messages": IdSequence("M", id_width(tickets * 16, 8)),
            "calls": IdSequence("CL", id_width(tickets * 2, 7)),
            "survey_responses": IdSequence("S", id_width(tickets * 2, 7)),
            "orders": IdSequence("O", id_width(self.customers.count * 8 + tickets, 7)),
        }
        self.answered_calls = AnsweredCalls(len(self.roster.agents))

    def close(self) -> None:
        for writer in self.writers.values():
            writer.close()
        self.log.close()

    def _faults(self, *parts: str | int) -> random.Random:
        """The fault stream of a phase and chunk (independent of the data stream)."""
        return derive_rng(self.seed, "faults", *parts)

    # -- phases ---------------------------------------------------------------------------
    def agents(self) -> None:
        roster = self.roster
        batch = Batch("agents", preferred=[agent.former for agent in roster.agents])
        for agent in roster.agents:
            batch.add(agent.row())
        latest = roster.latest_hire()
        forced = [latest] if latest is not None and self.rate >= 0.01 else []
        invalid = self.writers["agents"].deliver(batch, self._faults("agents"), "", forced)
        roster.invalid = invalid
        self.valid_agent_id = roster.any_valid_agent_id()

    def _shift_chunks(self) -> Iterator[tuple[int, list[tuple[int, list[tuple[int, int, Row]]]]]]:
        """Per chunk of working agents: (chunk, [(agent position, its shifts)]).

        Each call draws the same shifts: a chunk's stream is derived afresh every time.
        """
        roster = self.roster
        working = roster.working_agents()
        for chunk, lo in enumerate(range(0, len(working), AGENTS_PER_SHIFT_CHUNK)):
            rng = derive_rng(self.seed, "agent_shifts", chunk)
            fmt = TextFormatter(rng)
            yield (
                chunk,
                [
                    (position, agent_shifts(roster.agents[position], self.period, rng, fmt))
                    for position in working[lo : lo + AGENTS_PER_SHIFT_CHUNK]
                ],
            )

    def _agent_is_quarantined(self, position: int) -> Cascade | None:
        return cascade(
            self.roster.invalid[position], f"agent {self.roster.agents[position].agent_id}"
        )

    def shifts(self) -> None:
        ids = self.ids["agent_shifts"]
        for chunk, members in self._shift_chunks():
            batch = Batch("agent_shifts")
            for position, shifts in members:
                why = self._agent_is_quarantined(position)
                for _start, _end, row in shifts:
                    row[0] = ids.next()
                    batch.add(row, why)
            self.writers["agent_shifts"].deliver(
                batch, self._faults("agent_shifts", chunk), self.valid_agent_id
            )

    def agent_states(self) -> None:
        """The states of every working agent over its shifts (see agent_states.py)."""
        roster, answered = self.roster, self.answered_calls
        ids = self.ids["agent_states"]
        month_ends = [epoch_of(first) for first in self.period.month_starts()[1:]]
        sessions_left = MONTH_END_SESSIONS
        forced_left = 1
        number = 0
        for _chunk, members in self._shift_chunks():
            for lo in range(0, len(members), AGENTS_PER_STATE_BATCH):
                rng = derive_rng(self.seed, "agent_states", number)
                fmt = TextFormatter(rng)
                preferred: list[bool] = []  # False: a deliberate edge case, kept valid
                batch = Batch("agent_states", preferred=preferred)
                for position, shifts in members[lo : lo + AGENTS_PER_STATE_BATCH]:
                    times = [(start, end) for start, end, _row in shifts]
                    why = self._agent_is_quarantined(position)
                    forced = forced_left > 0 and why is None and bool(times)
                    spans, protected = agent_spans(rng, times, answered.of(position), forced)
                    answered.forget(position)
                    forced_left -= forced
                    rows: list[tuple[Span, bool]] = [
                        (span, i >= protected) for i, span in enumerate(spans)
                    ]
                    if sessions_left > 0 and why is None:
                        session = month_end_session(rng, times, month_ends)
                        sessions_left -= bool(session)
                        rows.extend((span, False) for span in session)
                        rows.sort(key=lambda pair: pair[0][0])
                    agent_id = roster.agents[position].agent_id
                    for (started, ended, state), ordinary in rows:
                        row: Row = [ids.next(), agent_id, state, fmt.ts(started), fmt.ts(ended)]
                        batch.add(row, why)
                        preferred.append(ordinary)
                self.writers["agent_states"].deliver(
                    batch, self._faults("agent_states", number), self.valid_agent_id
                )
                number += 1

    def customers_and_orders(self) -> None:
        registry = self.customers
        for chunk, lo in enumerate(range(0, registry.count, CUSTOMERS_PER_CHUNK)):
            hi = min(registry.count, lo + CUSTOMERS_PER_CHUNK)
            rng = derive_rng(self.seed, "customers", chunk)
            rows = registry.generate_rows(lo, hi, rng, TextFormatter(rng))
            batch = Batch("customers", preferred=[bool(registry.dormant[p]) for p in range(lo, hi)])
            for row in rows:
                batch.add(row)
            forced = list(range(2)) if chunk == 0 and self.rate >= 0.01 else []
            invalid = self.writers["customers"].deliver(
                batch,
                self._faults("customers", chunk),
                self.valid_agent_id,
                forced,
            )
            for offset, state in enumerate(invalid):
                registry.invalid[lo + offset] = state
            order_rng = derive_rng(self.seed, "orders", chunk)
            orders = customer_orders(order_rng, self.period, registry, lo, hi)
            self._deliver_orders(orders, TextFormatter(order_rng), self._faults("orders", chunk))

    def _deliver_orders(
        self, orders: list[OrderPlan], fmt: TextFormatter, faults: random.Random
    ) -> None:
        registry = self.customers
        batch = Batch("orders")
        for order in orders:
            row = order_row(order, self.ids["orders"].next(), registry, fmt)
            batch.add(row, self._customer_cascade(order.customer))
        self.writers["orders"].deliver(batch, faults, self.valid_agent_id)

    def _customer_cascade(self, customer: int | None) -> Cascade | None:
        if customer is None:
            return None
        return cascade(
            self.customers.invalid[customer], f"customer {self.customers.customer_id(customer)}"
        )

    def _agent_cascade(self, agent: int | None, role: str) -> Cascade | None:
        if agent is None:
            return None
        return cascade(self.roster.invalid[agent], f"{role} {self.roster.agents[agent].agent_id}")

    def tickets(self, progress: Progress | None) -> None:
        total = self.tickets_total
        curve = ArrivalCurve(self.period)
        specials = special_instants(self.period)
        simulator = TicketSimulator(self.period, self.roster, self.customers)
        call_maker = CallMaker(self.period, self.roster, self.customers)
        for chunk in range(math.ceil(total / TICKETS_PER_CHUNK)):
            lo = chunk * TICKETS_PER_CHUNK
            hi = min(total, lo + TICKETS_PER_CHUNK)
            rng = derive_rng(self.seed, "tickets", chunk)
            fmt = TextFormatter(rng)
            times = [curve.at((i + rng.random()) / total) for i in range(lo, hi)]
            window = (curve.at(lo / total), curve.at(hi / total) if hi < total else self.period.end)
            edge = [t for t in specials if window[0] <= t < window[1]]
            edge = edge[: int(SPECIALS_SHARE_CAP * len(times))]
            for slot, instant in zip(rng.sample(range(len(times)), len(edge)), edge, strict=True):
                times[slot] = instant
            times.sort()
            plans: list[TicketPlan] = []
            for offset, created in enumerate(times):
                if chunk == 0 and offset < ANCHOR_CUSTOMERS:
                    customer = offset
                else:
                    customer = self.customers.pick(rng, created)
                plans.append(simulator.simulate(rng, created, customer))
            ticket_ids = [self.ids["tickets"].next() for _ in plans]
            self._deliver_ticket_chunk(chunk, rng, fmt, plans, ticket_ids, call_maker)
            if progress is not None:
                progress(hi, total)

    def _deliver_ticket_chunk(
        self,
        chunk: int,
        rng: random.Random,
        fmt: TextFormatter,
        plans: list[TicketPlan],
        ticket_ids: list[str],
        call_maker: CallMaker,
    ) -> None:
        """Tickets, then their events and messages, calls, surveys and contact orders."""
        roster, registry = self.roster, self.customers
        rows = [
            to_rows(plan, tid, roster, registry, fmt)
            for plan, tid in zip(plans, ticket_ids, strict=True)
        ]
        if self.load_sinks:
            # A ticket may arrive a load after its first message (loads.py).
            first_messages = self.load_sinks["tickets"].first_message_day
            for tid, (_ticket, _events, message_rows) in zip(ticket_ids, rows, strict=True):
                days = [str(row[5])[:10] for row in message_rows if row[5] is not None]
                if days:
                    first_messages[tid] = min(days)
        tickets = Batch("tickets")
        for plan, (ticket, _events, _messages) in zip(plans, rows, strict=True):
            tickets.add(
                ticket,
                self._customer_cascade(plan.customer)
                or self._agent_cascade(plan.assignee, "assignee agent"),
            )
        invalid = self.writers["tickets"].deliver(
            tickets, self._faults("tickets", chunk), self.valid_agent_id
        )
        events, messages = Batch("ticket_events"), Batch("ticket_messages")
        event_ids, message_ids = self.ids["ticket_events"], self.ids["ticket_messages"]
        for j, (plan, (_ticket, event_rows, message_rows)) in enumerate(
            zip(plans, rows, strict=True)
        ):
            ticket_why = cascade(invalid[j], f"ticket {ticket_ids[j]}")
            for row in event_rows:
                row[0] = event_ids.next()
                events.add(row, ticket_why, plan.created)
            for message, row in zip(plan.messages, message_rows, strict=True):
                row[0] = message_ids.next()
                why = ticket_why
                if why is None and message.author_type == "agent":
                    why = self._agent_cascade(message.author, "author agent")
                elif why is None and message.author_type == "customer":
                    why = self._customer_cascade(message.author)
                messages.add(row, why, plan.created)
        self.writers["ticket_events"].deliver(
            events, self._faults("ticket_events", chunk), self.valid_agent_id
        )
        self.writers["ticket_messages"].deliver(
            messages, self._faults("ticket_messages", chunk), self.valid_agent_id
        )
        calls = call_maker.for_chunk(rng, plans, ticket_ids, chunk == 0)
        for call in calls:
            if call.answered is not None and call.agent is not None:
                self.answered_calls.add(call.agent, call.answered, call.ended, call.wrap_up)
        call_batch = Batch("calls")
        for call in calls:
            call.call_id = self.ids["calls"].next()
            call_batch.add(
                call_row(call, roster, registry, fmt),
                self._customer_cascade(call.customer) or self._agent_cascade(call.agent, "agent"),
            )
        self.writers["calls"].deliver(call_batch, self._faults("calls", chunk), self.valid_agent_id)
        surveys = surveys_for_chunk(rng, self.period, registry, plans, ticket_ids, calls)
        survey_batch = Batch("survey_responses")
        for survey in surveys:
            row = survey_row(survey, self.ids["survey_responses"].next(), registry, fmt)
            survey_batch.add(row, self._customer_cascade(survey.customer))
        self.writers["survey_responses"].deliver(
            survey_batch, self._faults("survey_responses", chunk), self.valid_agent_id
        )
        orders = contact_orders(rng, self.period, plans, calls, chunk == 0)
        self._deliver_orders(orders, fmt, self._faults("orders", "tickets", chunk))
