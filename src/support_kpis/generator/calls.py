"""Phone call legs: the calls of phone tickets, other inbound calls, outbound calls, repeats."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from support_kpis.generator.people import AgentRoster, CustomerRegistry
from support_kpis.generator.period import Period
from support_kpis.generator.schema import Row
from support_kpis.generator.tickets import TEAM_NAMES, TEAM_WEIGHTS, TicketPlan
from support_kpis.generator.timefmt import HOUR, TextFormatter

WEEK = 7 * 86_400
STANDALONE_INBOUND_PER_TICKET = 0.47  # + the calls of phone tickets: ~0.6 per ticket
OUTBOUND_PER_TICKET = 0.03
ABANDON_SHARE = 0.12
NEVER_ROUTED_SHARE = 0.4  # of abandoned calls
UNKNOWN_CALLER_SHARE = 0.05
REPEAT_EXACT_WEEK_SHARE = 0.02
REPEAT_WEEK_PLUS_SECOND_SHARE = 0.01


@dataclass(slots=True)
class CallPlan:
    """One call leg before formatting."""

    customer: int | None
    agent: int | None
    ticket_id: str | None
    queue: str
    direction: str
    offered: int
    answered: int | None
    ended: int
    talk: int
    hold: int
    wrap_up: int
    transferred: bool
    resolved: bool | None
    call_id: str = ""


class CallMaker:
    """Draws call legs for one chunk of tickets."""

    def __init__(self, period: Period, roster: AgentRoster, customers: CustomerRegistry) -> None:
        self.period = period
        self.roster = roster
        self.customers = customers

    def call(
        self,
        rng: random.Random,
        queue: str,
        direction: str,
        offered: int,
        customer: int | None,
        ticket_id: str | None = None,
        agent: int | None = None,
    ) -> CallPlan:
        """A call entering `queue` at `offered`; answered by `agent` when given."""
        abandoned = rng.random() < (ABANDON_SHARE if direction == "inbound" else 0.2)
        if abandoned:
            routed = (
                None
                if rng.random() < NEVER_ROUTED_SHARE
                else (agent if agent is not None else self.roster.pick(rng, queue, offered))
            )
            ended = offered + rng.randint(3, 240)
            return CallPlan(
                customer,
                routed,
                ticket_id,
                queue,
                direction,
                offered,
                None,
                ended,
                0,
                0,
                0,
                False,
                None,
            )
        if agent is None:
            agent = self.roster.pick(rng, queue, offered)
        if direction == "inbound":
            draw = rng.random()
            if draw < 0.04:
                wait = 20
            elif draw < 0.08:
                wait = 21
            else:
                wait = min(900, int(rng.expovariate(1 / 22)))
        else:
            wait = rng.randint(3, 30)
        answered = offered + wait
        talk = max(15, int(rng.lognormvariate(math.log(240), 0.7)))
        hold = 0 if rng.random() < 0.65 else rng.randint(5, 240)
        draw = rng.random()
        resolved = True if draw < 0.65 else (False if draw < 0.93 else None)
        return CallPlan(
            customer,
            agent,
            ticket_id,
            queue,
            direction,
            offered,
            answered,
            answered + talk + hold,
            talk,
            hold,
            rng.randint(0, 180),
            rng.random() < 0.08,
            resolved,
        )

    def for_chunk(
        self, rng: random.Random, plans: list[TicketPlan], ticket_ids: list[str], first: bool
    ) -> list[CallPlan]:
        """All calls of a chunk of tickets, ordered by `offered_at`."""
        calls: list[CallPlan] = []
        for plan, ticket_id in zip(plans, ticket_ids, strict=True):
            if plan.channel != "phone":
                continue
            queue = plan.team or rng.choices(TEAM_NAMES, TEAM_WEIGHTS)[0]
            first_agent = next((e.target for e in plan.events if e.kind == "assignment"), None)
            calls.append(
                self.call(
                    rng, queue, plan.direction, plan.created, plan.customer, ticket_id, first_agent
                )
            )
        lo, hi = self.period.start, self.period.end - 1
        for _ in range(round(STANDALONE_INBOUND_PER_TICKET * len(plans))):
            anchor = rng.randrange(len(plans))
            offered = min(hi, max(lo, plans[anchor].created + rng.randint(-3 * HOUR, 3 * HOUR)))
            queue = rng.choices(TEAM_NAMES, TEAM_WEIGHTS)[0]
            draw = rng.random()
            if draw < UNKNOWN_CALLER_SHARE:
                calls.append(self.call(rng, queue, "inbound", offered, None))
            elif draw < 0.15 and offered >= plans[anchor].created:  # about an open ticket
                calls.append(
                    self.call(
                        rng,
                        plans[anchor].team or queue,
                        "inbound",
                        offered,
                        plans[anchor].customer,
                        ticket_ids[anchor],
                    )
                )
            else:
                customer = self.customers.pick(rng, offered)
                calls.append(self.call(rng, queue, "inbound", offered, customer))
        for _ in range(round(OUTBOUND_PER_TICKET * len(plans))):
            offered = min(
                hi,
                max(
                    lo, plans[rng.randrange(len(plans))].created + rng.randint(-3 * HOUR, 3 * HOUR)
                ),
            )
            queue = rng.choices(TEAM_NAMES, TEAM_WEIGHTS)[0]
            customer = self.customers.pick(rng, offered)
            calls.append(self.call(rng, queue, "outbound", offered, customer))
        calls.extend(self._repeats(rng, calls, first))
        if first:
            self._force_answer_edges(calls)
        calls.sort(key=lambda c: c.offered)
        return calls

    def _repeats(self, rng: random.Random, calls: list[CallPlan], first: bool) -> list[CallPlan]:
        """Calls from the same customer exactly 7 days, or 7 days and 1 s, after another."""
        repeats: list[CallPlan] = []
        forced = [WEEK, WEEK + 1] if first else []
        for call in calls:
            if call.direction != "inbound" or call.customer is None:
                continue
            if forced:
                gap = forced.pop(0)
            else:
                draw = rng.random()
                if draw < REPEAT_EXACT_WEEK_SHARE:
                    gap = WEEK
                elif draw < REPEAT_EXACT_WEEK_SHARE + REPEAT_WEEK_PLUS_SECOND_SHARE:
                    gap = WEEK + 1
                else:
                    continue
            if call.offered + gap < self.period.end:
                repeats.append(
                    self.call(rng, call.queue, "inbound", call.offered + gap, call.customer)
                )
        return repeats

    @staticmethod
    def _force_answer_edges(calls: list[CallPlan]) -> None:
        """Make sure the first chunk has answers after exactly 20 s and exactly 21 s."""
        waits = iter((20, 21))
        for call in calls:
            if call.direction != "inbound" or call.answered is None:
                continue
            wait = next(waits, None)
            if wait is None:
                return
            shift = call.offered + wait - call.answered
            call.answered += shift
            call.ended += shift


def call_row(
    call: CallPlan, roster: AgentRoster, customers: CustomerRegistry, fmt: TextFormatter
) -> Row:
    """The `calls` row."""
    return [
        call.call_id,
        None if call.customer is None else customers.customer_id(call.customer),
        None if call.agent is None else roster.agents[call.agent].agent_id,
        call.ticket_id,
        call.queue,
        call.direction,
        fmt.ts(call.offered),
        fmt.opt_ts(call.answered),
        fmt.ts(call.ended),
        str(call.talk),
        str(call.hold),
        str(call.wrap_up),
        fmt.boolean(call.transferred),
        fmt.opt_boolean(call.resolved),
    ]
