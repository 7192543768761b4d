"""One ticket's life: its row, its audit trail (events) and its messages.

The simulation works on integer epoch seconds and agent/customer positions; `to_rows`
turns a finished plan into contract rows. Anything that would happen after the
period's spill horizon is cut off, so tickets created late are still open.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import timedelta

from support_kpis.generator.people import TEAM_SHARE, AgentRoster, CustomerRegistry
from support_kpis.generator.period import Period, ny_local_to_utc, ny_offset
from support_kpis.generator.schema import Row
from support_kpis.generator.timefmt import DAY, HOUR, TextFormatter, day_of, epoch_of

CHANNELS = ("email", "chat", "phone", "web_form", "whatsapp", "sms", "social")
CHANNEL_WEIGHTS = (0.40, 0.20, 0.15, 0.10, 0.06, 0.04, 0.05)
OUTBOUND_SHARE = {
    "email": 0.12,
    "chat": 0.0,
    "phone": 0.20,
    "web_form": 0.0,
    "whatsapp": 0.10,
    "sms": 0.25,
    "social": 0.02,
}
LIVE_CHANNELS = frozenset({"chat", "whatsapp", "phone"})
BOT_CHANNELS = frozenset({"email", "web_form", "chat", "whatsapp", "social"})
PRIORITIES = ("low", "normal", "high", "urgent")
PRIORITY_WEIGHTS = (0.25, 0.50, 0.18, 0.07)
PRIORITY_SPEED = {"low": 1.5, "normal": 1.0, "high": 0.6, "urgent": 0.3}
CATEGORY_TEAM = {
    "billing": "Billing",
    "refund": "Billing",
    "technical_issue": "Technical Support",
    "bug_report": "Technical Support",
    "account_access": "Accounts",
    "cancellation": "Accounts",
    "product_question": "Sales",
    "order_status": "Sales",
}
CATEGORIES = tuple(CATEGORY_TEAM)
CATEGORY_WEIGHTS = (0.20, 0.10, 0.25, 0.10, 0.12, 0.08, 0.10, 0.05)
TEAM_NAMES = tuple(TEAM_SHARE)
TEAM_WEIGHTS = tuple(TEAM_SHARE.values())
# Median first-reply delay in seconds, by channel.
FIRST_REPLY_MEDIAN = {
    "chat": 120,
    "whatsapp": 600,
    "phone": 45,
    "social": 1800,
    "sms": 1800,
    "email": 4 * HOUR,
    "web_form": 5 * HOUR,
}
SOLVED_STATES = frozenset({"solved", "closed"})
# A round adds at most 4 messages and solving/reopening 3 more: at most 12 per ticket.
MAX_MESSAGES_BEFORE_ROUND = 6
SOLVE_SHARE = 0.92  # of tickets that got a reply; the others stall (open, pending, on hold)


@dataclass(slots=True)
class Event:
    """A `ticket_events` row before formatting (values already text)."""

    at: int
    seq: int
    kind: str
    from_value: str | None
    to_value: str | None
    actor: int | None  # agent position
    target: int | None = None  # assignment: the new assignee's position


@dataclass(slots=True)
class Message:
    """A `ticket_messages` row before formatting."""

    at: int
    seq: int
    author_type: str
    author: int | None  # customer position for customers, agent position for agents
    public: bool


@dataclass(slots=True)
class TicketPlan:
    """A simulated ticket."""

    customer: int
    created: int
    channel: str
    direction: str
    category: str | None
    priority: str
    team: str | None
    status: str = "new"
    assignee: int | None = None
    updated: int = 0
    first_solved: int | None = None
    events: list[Event] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)


class _Timeline:
    """Collects a ticket's events and messages while tracking its current state."""

    def __init__(self, plan: TicketPlan, roster: AgentRoster) -> None:
        self.plan = plan
        self.ids = roster.agents
        self.status = "new"
        self.priority = plan.priority
        self.assignee: int | None = None
        self.tier = 1
        self.seq = 0

    def _event(
        self,
        at: int,
        kind: str,
        old: str | None,
        new: str,
        actor: int | None,
        target: int | None = None,
    ) -> None:
        self.plan.events.append(Event(at, self.seq, kind, old, new, actor, target))
        self.seq += 1

    def status_to(self, at: int, new: str, actor: int | None) -> None:
        self._event(at, "status_change", self.status, new, actor)
        self.status = new

    def assign(self, at: int, agent: int, actor: int | None) -> None:
        old = None if self.assignee is None else self.ids[self.assignee].agent_id
        self._event(at, "assignment", old, self.ids[agent].agent_id, actor, agent)
        self.assignee = agent

    def reprioritise(self, at: int, new: str, actor: int | None) -> None:
        self._event(at, "priority_change", self.priority, new, actor)
        self.priority = new

    def escalate(self, at: int, actor: int | None) -> None:
        self._event(at, "escalation", f"tier{self.tier}", f"tier{self.tier + 1}", actor)
        self.tier += 1

    def message(self, at: int, author_type: str, author: int | None, public: bool = True) -> None:
        self.plan.messages.append(Message(at, self.seq, author_type, author, public))
        self.seq += 1

    @property
    def message_count(self) -> int:
        return len(self.plan.messages)


class TicketSimulator:
    """Draws tickets and plays their lives forward."""

    def __init__(self, period: Period, roster: AgentRoster, customers: CustomerRegistry) -> None:
        self.period = period
        self.roster = roster
        self.customers = customers

    # -- delays ---------------------------------------------------------------------------
    def _business_later(self, ts: int, rng: random.Random) -> int:
        """Defer an asynchronous reply written outside New York office hours, most times."""
        local = ts + ny_offset(ts)
        day = day_of(local)
        hour = (local % DAY) // HOUR
        open_day = day.weekday() < 5 and not self.period.is_holiday(day)
        if (open_day and 8 <= hour < 18) or rng.random() < 0.3:
            return ts
        if not (open_day and hour < 8):
            day += timedelta(days=1)
        while day.weekday() >= 5 or self.period.is_holiday(day):
            day += timedelta(days=1)
        return max(ts, ny_local_to_utc(epoch_of(day) + 9 * HOUR + rng.randrange(3 * HOUR)))

    def _agent_delay(self, ts: int, channel: str, priority: str, rng: random.Random) -> int:
        median = FIRST_REPLY_MEDIAN[channel] * PRIORITY_SPEED[priority]
        at = ts + max(1, int(rng.lognormvariate(math.log(median), 1.0)))
        return at if channel in LIVE_CHANNELS else self._business_later(at, rng)

    @staticmethod
    def _customer_delay(ts: int, channel: str, rng: random.Random) -> int:
        median = 90 if channel in LIVE_CHANNELS else 3 * HOUR
        return ts + max(1, int(rng.lognormvariate(math.log(median), 1.2)))

    # -- the ticket -----------------------------------------------------------------------
    def simulate(self, rng: random.Random, created: int, customer: int) -> TicketPlan:
        """A ticket created at `created` by (or for) `customer`, with its whole history."""
        channel = rng.choices(CHANNELS, CHANNEL_WEIGHTS)[0]
        direction = "outbound" if rng.random() < OUTBOUND_SHARE[channel] else "inbound"
        category = None if rng.random() < 0.05 else rng.choices(CATEGORIES, CATEGORY_WEIGHTS)[0]
        draw = rng.random()
        team: str | None
        if draw < 0.03 and direction == "inbound":
            team = None
        elif category is None or draw < 0.11:
            team = rng.choices(TEAM_NAMES, TEAM_WEIGHTS)[0]
        else:
            team = CATEGORY_TEAM[category]
        priority = rng.choices(PRIORITIES, PRIORITY_WEIGHTS)[0]
        plan = TicketPlan(customer, created, channel, direction, category, priority, team)
        line = _Timeline(plan, self.roster)
        if direction == "outbound":
            self._outbound(plan, line, rng)
        else:
            self._inbound(plan, line, rng)
        self._finish(plan, rng)
        return plan

    def _routing_team(self, plan: TicketPlan, rng: random.Random) -> str:
        return plan.team if plan.team is not None else rng.choices(TEAM_NAMES, TEAM_WEIGHTS)[0]

    def _inbound(self, plan: TicketPlan, line: _Timeline, rng: random.Random) -> None:
        t0 = plan.created
        line.message(t0, "customer", plan.customer)
        if plan.channel in BOT_CHANNELS and rng.random() < 0.6:
            line.message(t0 + rng.randint(1, 40), "bot", None)
        team = self._routing_team(plan, rng)
        assigned = plan.team is not None and rng.random() >= 0.025
        agent = self.roster.pick(rng, team, t0)
        if agent is None:
            self._no_reply(plan, line, None, rng)
            return
        self_assign = rng.random() < 0.3
        if assigned and not self_assign:
            routed = t0 if rng.random() < 0.1 else t0 + rng.randint(5, 900)
            line.assign(routed, agent, None)
        if rng.random() < (0.05 if assigned else 0.6):
            self._no_reply(plan, line, agent if assigned else None, rng)
            return
        reply = self._agent_delay(t0, plan.channel, plan.priority, rng)
        reply = max([reply, *(event.at for event in plan.events)])
        if assigned and self_assign:
            line.assign(reply, agent, agent)
        line.status_to(reply, "open", agent)
        line.message(reply, "agent", agent)
        if rng.random() < 0.02:
            line.message(reply, "customer", plan.customer)  # crossed in the post
        clock = reply
        if rng.random() < 0.035:
            other = self.roster.pick(rng, team, reply, exclude=agent)
            if other is not None:
                gap = rng.choice((300, 301, 0, rng.randint(1, 299), rng.randint(1, 299)))
                line.message(reply + gap, "agent", other)
                clock = reply + gap
        agent, clock = self._conversation(plan, line, team, agent, clock, rng)
        self._resolve(plan, line, agent, clock, rng)

    def _outbound(self, plan: TicketPlan, line: _Timeline, rng: random.Random) -> None:
        t0 = plan.created
        team = self._routing_team(plan, rng)
        agent = self.roster.pick(rng, team, t0)
        if agent is None:
            return
        line.assign(t0, agent, agent)
        line.status_to(t0, "pending", agent)
        line.message(t0, "agent", agent)
        if rng.random() < 0.6:
            answer = self._customer_delay(t0, plan.channel, rng)
            line.message(answer, "customer", plan.customer)
            line.status_to(answer, "open", None)
            reply = self._agent_delay(answer, plan.channel, plan.priority, rng)
            line.message(reply, "agent", agent)
            agent, clock = self._conversation(plan, line, team, agent, reply, rng, max_rounds=2)
            self._resolve(plan, line, agent, clock, rng)
        elif rng.random() < 0.5:
            line.status_to(t0 + rng.randint(2 * DAY, 5 * DAY), "solved", agent)

    def _no_reply(
        self, plan: TicketPlan, line: _Timeline, agent: int | None, rng: random.Random
    ) -> None:
        """No agent ever answers: the ticket waits, is closed by the system, or is solved."""
        t0 = plan.created
        draw = rng.random()
        if draw < 0.45:
            if rng.random() < 0.4:
                line.message(t0 + rng.randint(DAY, 3 * DAY), "customer", plan.customer)
        elif draw < 0.75 or agent is None:
            closed = t0 + rng.randint(3 * DAY, 10 * DAY)
            line.status_to(closed, "closed", None)
            line.message(closed, "system", None)
        else:
            solved = t0 + rng.randint(HOUR, 2 * DAY)
            line.message(solved - rng.randint(60, 600), "agent", agent, public=False)
            line.status_to(solved, "solved", agent)
            if rng.random() < 0.8:
                line.status_to(solved + rng.randint(3 * DAY, 7 * DAY), "closed", None)

    def _conversation(
        self,
        plan: TicketPlan,
        line: _Timeline,
        team: str,
        agent: int,
        clock: int,
        rng: random.Random,
        max_rounds: int = 5,
    ) -> tuple[int, int]:
        """Back-and-forth after the first reply; returns (current agent, time of last step)."""
        rounds = min(max_rounds, rng.choices(range(6), (35, 30, 18, 10, 5, 2))[0])
        escalate_at = rng.randrange(rounds + 1) if rng.random() < 0.06 else -1
        reprioritise_at = rng.randrange(rounds + 1) if rng.random() < 0.05 else -1
        for round_no in range(rounds + 1):
            if round_no == escalate_at:
                clock += rng.randint(60, 1800)
                line.escalate(clock, agent)
                if rng.random() < 0.7:
                    other = self.roster.pick(rng, team, clock, exclude=agent)
                    if other is not None:
                        line.assign(clock, other, agent)  # same instant as the escalation
                        agent = other
            if round_no == reprioritise_at:
                clock += rng.randint(60, 7200)
                options = [p for p in PRIORITIES if p != line.priority]
                line.reprioritise(clock, rng.choice(options), agent)
            if round_no == rounds or line.message_count >= MAX_MESSAGES_BEFORE_ROUND:
                break
            draw = rng.random()
            if draw < 0.6:
                line.status_to(
                    clock + (0 if rng.random() < 0.5 else rng.randint(1, 60)), "pending", agent
                )
            elif draw < 0.65:
                line.status_to(clock + rng.randint(60, 600), "on_hold", agent)
            answer = max(
                self._customer_delay(clock, plan.channel, rng),
                max(event.at for event in plan.events),
            )
            line.message(answer, "customer", plan.customer)
            if line.status in ("pending", "on_hold"):
                line.status_to(answer, "open", None)
            if rng.random() < 0.1:
                line.message(answer + rng.randint(60, 1800), "agent", agent, public=False)
            reply = self._agent_delay(answer, plan.channel, plan.priority, rng)
            author = agent
            if rng.random() < 0.1:
                author = self.roster.pick(rng, team, reply) or agent
            line.message(reply, "agent", author)
            if rng.random() < 0.01:
                line.message(reply, "customer", plan.customer)
            clock = reply
        return agent, clock

    def _resolve(
        self, plan: TicketPlan, line: _Timeline, agent: int, clock: int, rng: random.Random
    ) -> None:
        """Solve (most tickets), maybe reopen and solve again, then close after a few days."""
        if rng.random() >= SOLVE_SHARE:
            if rng.random() < 0.2 and line.status == "open":
                line.status_to(clock + rng.randint(60, DAY), "on_hold", agent)
            return
        solved = clock if rng.random() < 0.25 else clock + rng.randint(30, 7200)
        line.status_to(solved, "closed" if rng.random() < 0.03 else "solved", agent)
        if rng.random() < 0.2:
            line.message(solved, "system", None)
        if rng.random() < 0.08:  # reopened by the customer
            if line.status == "solved" and rng.random() < 0.3:
                closed = solved + rng.randint(DAY, 2 * DAY)
                line.status_to(closed, "closed", None)
                solved = closed
            back = solved + rng.randint(HOUR, 4 * DAY)
            line.message(back, "customer", plan.customer)
            line.status_to(back, "open", None)
            reply = max(self._agent_delay(back, plan.channel, plan.priority, rng), back + 1)
            line.message(reply, "agent", agent)
            if rng.random() >= 0.85:
                return
            solved = reply if rng.random() < 0.3 else reply + rng.randint(30, 3600)
            line.status_to(solved, "solved", agent)
        if line.status == "solved" and rng.random() < 0.8:
            line.status_to(solved + rng.randint(3 * DAY, 7 * DAY), "closed", None)

    # -- cut at the horizon and derive the current state ------------------------------------
    def _finish(self, plan: TicketPlan, rng: random.Random) -> None:
        horizon = self.period.horizon
        plan.events = sorted(
            (e for e in plan.events if e.at <= horizon), key=lambda e: (e.at, e.seq)
        )
        plan.messages = sorted(
            (m for m in plan.messages if m.at <= horizon), key=lambda m: (m.at, m.seq)
        )
        latest = plan.created
        for event in plan.events:
            latest = max(latest, event.at)
            if event.kind == "status_change":
                plan.status = event.to_value or plan.status
                if plan.first_solved is None and event.to_value in SOLVED_STATES:
                    plan.first_solved = event.at
            elif event.kind == "assignment":
                plan.assignee = event.target
            elif event.kind == "priority_change":
                plan.priority = event.to_value or plan.priority
        if plan.messages:
            latest = max(latest, plan.messages[-1].at)
        if plan.first_solved is None and plan.status != "new" and rng.random() < 0.04:
            plan.status = "solved"  # a help-desk glitch: solved without a solve event
        plan.updated = latest + (0 if rng.random() < 0.5 else rng.randint(1, 300))


def to_rows(
    plan: TicketPlan,
    ticket_id: str,
    roster: AgentRoster,
    customers: CustomerRegistry,
    fmt: TextFormatter,
) -> tuple[Row, list[Row], list[Row]]:
    """(ticket row, event rows, message rows); child rows carry no id yet (position 0)."""
    agents = roster.agents
    ticket: Row = [
        ticket_id,
        customers.customer_id(plan.customer),
        plan.channel,
        plan.direction,
        plan.category,
        plan.priority,
        plan.status,
        plan.team,
        None if plan.assignee is None else agents[plan.assignee].agent_id,
        fmt.ts(plan.created),
        fmt.ts(plan.updated),
    ]
    events: list[Row] = [
        [
            None,
            ticket_id,
            fmt.ts(e.at),
            e.kind,
            e.from_value,
            e.to_value,
            None if e.actor is None else agents[e.actor].agent_id,
        ]
        for e in plan.events
    ]
    messages: list[Row] = []
    for m in plan.messages:
        if m.author is None:
            author = None
        elif m.author_type == "customer":
            author = customers.customer_id(m.author)
        else:
            author = agents[m.author].agent_id
        messages.append(
            [None, ticket_id, m.author_type, author, fmt.boolean(m.public), fmt.ts(m.at)]
        )
    return ticket, events, messages
