"""Agents (the HR roster, with who works in which team when) and customers."""

from __future__ import annotations

import random
from array import array
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, timedelta

from support_kpis.generator.names import (
    agent_email,
    customer_email,
    person_name,
    phone_number,
)
from support_kpis.generator.period import Period
from support_kpis.generator.schema import Row
from support_kpis.generator.timefmt import DAY, TextFormatter, add_months, date_text, day_of

TEAMS = ("Billing", "Technical Support", "Sales", "Accounts")
TEAM_SHARE = {"Technical Support": 0.35, "Billing": 0.30, "Accounts": 0.20, "Sales": 0.15}
CORE_AGENTS_PER_TEAM = 2
FAR_FUTURE = date(9999, 12, 31).toordinal()

SEGMENTS = ("consumer", "smb", "enterprise")
SEGMENT_WEIGHTS = (0.60, 0.30, 0.10)
COUNTRIES = ("US", "CA", "GB", "DE", "FR", "NL", "ES", "IT", "SE", "PL", "IE")
COUNTRY_WEIGHTS = (0.40, 0.06, 0.10, 0.12, 0.08, 0.05, 0.05, 0.05, 0.03, 0.03, 0.03)
DORMANT_SHARE = 0.08  # customers who never contact support nor order
SIGNED_UP_BEFORE_SHARE = 0.65  # customers who signed up before the period
SIGNUP_HISTORY_DAYS = 3 * 365
ANCHOR_CUSTOMERS = 3  # customers 0..2: active, and the first tickets go to them
FREQUENT_EVERY = 20  # every 20th customer (offset 7) contacts support a lot


def agent_count(tickets: int) -> int:
    """Agents who work during the period."""
    return max(12, round(tickets / 250))


def customer_count(tickets: int) -> int:
    """Customers in the delivery."""
    return max(50, round(tickets / 2.5))


def id_width(count: int, minimum: int) -> int:
    """Digits of a zero-padded id so that `count` ids fit."""
    return max(minimum, len(str(count)))


@dataclass(frozen=True, slots=True)
class Agent:
    """One row of the HR roster."""

    agent_id: str
    full_name: str
    email: str
    team: str
    hired: date
    terminated: date | None
    former: bool  # left before the period: no shifts, tickets or calls
    hired_in_period: bool

    def row(self) -> Row:
        """The `agents` row."""
        return [
            self.agent_id,
            self.full_name,
            self.email,
            self.team,
            date_text(self.hired),
            None if self.terminated is None else date_text(self.terminated),
        ]


def _team_sizes(total: int) -> dict[str, int]:
    raw = {team: total * share for team, share in TEAM_SHARE.items()}
    sizes = {team: max(CORE_AGENTS_PER_TEAM, int(value)) for team, value in raw.items()}
    by_remainder = sorted(raw, key=lambda team: (raw[team] - int(raw[team]), team), reverse=True)
    position = 0
    while sum(sizes.values()) < total:
        sizes[by_remainder[position % len(by_remainder)]] += 1
        position += 1
    return sizes


class AgentRoster:
    """All agents, and which of them a ticket or call of a team can be routed to on a day."""

    def __init__(self, period: Period, tickets: int, rng: random.Random) -> None:
        self.period = period
        active = agent_count(tickets)
        former = max(3, round(0.15 * active))
        drafts = self._draft_active(active, rng) + self._draft_former(former, rng)
        drafts.sort(key=lambda draft: (draft[1], draft[0]))  # ids rise with the hire date
        width = id_width(len(drafts), 4)
        self.agents: list[Agent] = []
        for number, (team, hired, terminated, is_former, in_period) in enumerate(drafts, 1):
            first, last = person_name(rng)
            self.agents.append(
                Agent(
                    agent_id=f"A{number:0{width}d}",
                    full_name=f"{first} {last}",
                    email=agent_email(first, last, number),
                    team=team,
                    hired=hired,
                    terminated=terminated,
                    former=is_former,
                    hired_in_period=in_period,
                )
            )
        self.invalid = [0] * len(self.agents)  # batch.VALID, QUARANTINED or KEYLESS
        self._hired = [agent.hired.toordinal() for agent in self.agents]
        self._left = [
            FAR_FUTURE if agent.terminated is None else agent.terminated.toordinal()
            for agent in self.agents
        ]
        self._by_team_month = self._index_by_team_month()

    def _draft_active(
        self, count: int, rng: random.Random
    ) -> list[tuple[str, date, date | None, bool, bool]]:
        period = self.period
        start, end = period.start_date, period.end_date
        span = (end - start).days
        slots: list[str] = []
        flexible: list[str] = []
        for team, size in _team_sizes(count).items():
            slots.extend([team] * CORE_AGENTS_PER_TEAM)
            flexible.extend([team] * (size - CORE_AGENTS_PER_TEAM))
        rng.shuffle(flexible)
        drafts: list[tuple[str, date, date | None, bool, bool]] = [
            (team, start - timedelta(days=rng.randint(30, 6 * 365)), None, False, False)
            for team in slots
        ]
        hires = max(2, round(0.08 * count))
        leavers = max(2, round(0.08 * count))
        month_starts = period.month_starts()
        for position, team in enumerate(flexible):
            if position < hires:
                if position == hires - 1:  # the latest hire: late in the period
                    hired = end - timedelta(days=rng.randint(45, 75))
                else:
                    offset = span * (position + 1) // (hires + 1) + rng.randint(-10, 10)
                    hired = start + timedelta(days=min(max(offset, 0), span - 1))
                drafts.append((team, max(hired, start), None, False, True))
                continue
            hired = start - timedelta(days=rng.randint(30, 6 * 365))
            terminated: date | None = None
            leaver = position - hires
            if leaver < leavers and len(month_starts) > 2:
                month = month_starts[rng.randrange(1, len(month_starts) - 1)]
                if leaver == 0:  # on a month's first day
                    terminated = month
                elif leaver == 1:  # on a month's last day
                    terminated = month_starts[month_starts.index(month) + 1] - timedelta(days=1)
                else:
                    terminated = start + timedelta(days=rng.randint(1, span - 1))
            drafts.append((team, hired, terminated, False, False))
        return drafts

    def _draft_former(
        self, count: int, rng: random.Random
    ) -> list[tuple[str, date, date | None, bool, bool]]:
        start = self.period.start_date
        drafts: list[tuple[str, date, date | None, bool, bool]] = []
        for _ in range(count):
            team = rng.choice(TEAMS)
            hired = start - timedelta(days=rng.randint(3 * 365, 8 * 365))
            left = min(
                hired + timedelta(days=rng.randint(180, 2 * 365)),
                start - timedelta(days=rng.randint(30, 400)),
            )
            drafts.append((team, hired, max(left, hired + timedelta(days=1)), True, False))
        return drafts

    def _month_of(self, day: date) -> int:
        first = self.period.start_date
        return (day.year - first.year) * 12 + day.month - first.month

    def _index_by_team_month(self) -> dict[tuple[str, int], list[int]]:
        last_month = self._month_of(day_of(self.period.horizon))
        first_day = self.period.start_date.replace(day=1)
        index: dict[tuple[str, int], list[int]] = {}
        for month in range(last_month + 1):
            lo = add_months(first_day, month).toordinal()
            hi = add_months(first_day, month + 1).toordinal()
            for position, agent in enumerate(self.agents):
                if self._hired[position] < hi and self._left[position] > lo:
                    index.setdefault((agent.team, month), []).append(position)
        return index

    def employed(self, position: int, ts: int) -> bool:
        """The agent is employed on the UTC date of `ts`."""
        ordinal = ts // DAY + 719_163  # date(1970, 1, 1).toordinal()
        return self._hired[position] <= ordinal < self._left[position]

    def pick(
        self, rng: random.Random, team: str, ts: int, exclude: int | None = None
    ) -> int | None:
        """A random agent of the team employed on that day (not `exclude`), or None."""
        candidates = self._by_team_month.get((team, self._month_of(day_of(ts))), [])
        if not candidates:
            return None
        for _ in range(8):
            position = candidates[rng.randrange(len(candidates))]
            if position != exclude and self.employed(position, ts):
                return position
        for position in candidates:
            if position != exclude and self.employed(position, ts):
                return position
        return None

    def working_agents(self) -> list[int]:
        """Positions of agents employed at some time in the period."""
        return [position for position, agent in enumerate(self.agents) if not agent.former]

    def former_agents(self) -> list[int]:
        """Positions of agents who left before the period."""
        return [position for position, agent in enumerate(self.agents) if agent.former]

    def latest_hire(self) -> int | None:
        """The agent hired last during the period (little activity): a cascade candidate."""
        hires = [p for p, agent in enumerate(self.agents) if agent.hired_in_period]
        return max(hires, key=lambda p: (self.agents[p].hired, p)) if hires else None

    def any_valid_agent_id(self) -> str:
        """The id of some valid working agent (for faults that need an agent id)."""
        for position in self.working_agents():
            if not self.invalid[position]:
                return self.agents[position].agent_id
        return self.agents[0].agent_id


class CustomerRegistry:
    """Customers by position: ids, sign-up times (rising with the position), state flags."""

    def __init__(self, period: Period, tickets: int) -> None:
        self.period = period
        self.count = customer_count(tickets)
        self.width = id_width(self.count, 6)
        self.before = max(ANCHOR_CUSTOMERS + 1, round(SIGNED_UP_BEFORE_SHARE * self.count))
        self.signup = array("q", bytes(8 * self.count))
        self.dormant = bytearray(self.count)
        self.invalid = bytearray(self.count)  # batch.VALID, QUARANTINED or KEYLESS

    def customer_id(self, position: int) -> str:
        """`C000123`-style id."""
        return f"C{position + 1:0{self.width}d}"

    def _signup_slot(self, position: int) -> tuple[int, int]:
        period = self.period
        if position < self.before:
            lo = period.start - SIGNUP_HISTORY_DAYS * DAY
            step = (period.start - lo) / self.before
            offset = position
        else:
            lo = period.start
            step = (period.end - DAY - period.start) / max(1, self.count - self.before)
            offset = position - self.before
        return int(lo + offset * step), max(1, int(step))

    def generate_rows(self, lo: int, hi: int, rng: random.Random, fmt: TextFormatter) -> list[Row]:
        """Rows of customers [lo, hi); records their sign-up times and dormancy."""
        rows: list[Row] = []
        for position in range(lo, hi):
            begin, width = self._signup_slot(position)
            signed_up = begin + rng.randrange(width)
            self.signup[position] = signed_up
            protected = position < ANCHOR_CUSTOMERS or self.is_frequent(position)
            self.dormant[position] = int(not protected and rng.random() < DORMANT_SHARE)
            first, last = person_name(rng)
            phone = phone_number(rng) if rng.random() < 0.7 else None
            segment = rng.choices(SEGMENTS, SEGMENT_WEIGHTS)[0]
            country = rng.choices(COUNTRIES, COUNTRY_WEIGHTS)[0] if rng.random() < 0.92 else None
            rows.append(
                [
                    self.customer_id(position),
                    f"{first} {last}",
                    customer_email(first, last, position + 1),
                    phone,
                    segment,
                    country,
                    fmt.ts(signed_up),
                ]
            )
        return rows

    @staticmethod
    def is_frequent(position: int) -> bool:
        """One customer in twenty contacts support far more often than the others."""
        return position % FREQUENT_EVERY == 7

    def pick(self, rng: random.Random, ts: int) -> int:
        """A random active customer who signed up at least an hour before `ts`."""
        known = max(1, bisect_right(self.signup, ts - 3600))
        position = 0
        for _ in range(10):
            if rng.random() < 0.25 and known > 7:
                position = 7 + FREQUENT_EVERY * rng.randrange((known - 8) // FREQUENT_EVERY + 1)
            else:
                position = rng.randrange(known)
            if not self.dormant[position]:
                return position
        while position > 0 and self.dormant[position]:
            position -= 1
        return position

    def signup_epoch(self, position: int) -> int:
        """Sign-up instant of a generated customer."""
        return self.signup[position]
