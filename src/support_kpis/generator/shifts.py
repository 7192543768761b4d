"""Worked shifts: 4-10 h on each agent's working days while employed, New York hours."""

from __future__ import annotations

import random
from datetime import date, timedelta

from support_kpis.generator.people import Agent
from support_kpis.generator.period import Period, ny_local_to_utc
from support_kpis.generator.schema import Row
from support_kpis.generator.timefmt import TextFormatter, epoch_of

WEEKDAYS = frozenset(range(5))
ROTATIONS = (
    frozenset({2, 3, 4, 5, 6}),  # Wednesday to Sunday
    frozenset({5, 6, 0, 1, 2}),  # Saturday to Wednesday
)
DAY_OFF_SHARE = 0.05


def shift_id_width(period: Period, working_agents: int) -> int:
    """Digits of shift ids: enough for one shift per agent and day."""
    days = (period.end_date - period.start_date).days + 1
    return max(6, len(str(working_agents * days)))


def agent_shifts(
    agent: Agent, period: Period, rng: random.Random, fmt: TextFormatter
) -> list[tuple[int, int, Row]]:
    """(shift start, shift end, row without id) for every shift the agent worked in the period."""
    first = max(agent.hired, period.start_date)
    last = period.end_date - timedelta(days=1)
    if agent.terminated is not None:
        last = min(last, agent.terminated - timedelta(days=1))
    workdays = WEEKDAYS if rng.random() < 0.8 else rng.choice(ROTATIONS)
    late_worker = rng.random() < 0.3
    part_time = rng.random() < 0.15
    shifts: list[tuple[int, int, Row]] = []
    day = first
    while day <= last:
        if _works(day, workdays, period, rng):
            start, end = _shift_times(day, late_worker, part_time, rng)
            shifts.append((start, end, [None, agent.agent_id, fmt.ts(start), fmt.ts(end)]))
        day += timedelta(days=1)
    return shifts


def _works(day: date, workdays: frozenset[int], period: Period, rng: random.Random) -> bool:
    if day.weekday() not in workdays:
        return False
    if period.is_holiday(day) and (workdays is WEEKDAYS or rng.random() < 0.5):
        return False
    return rng.random() >= DAY_OFF_SHARE


def _shift_times(
    day: date, late_worker: bool, part_time: bool, rng: random.Random
) -> tuple[int, int]:
    late = late_worker != (rng.random() < 0.1)
    if late:
        start_minutes = rng.randrange(14 * 60, 16 * 60 + 1, 15)
    else:
        start_minutes = rng.randrange(7 * 60, 10 * 60 + 31, 15)
    if part_time:
        length = rng.randrange(4 * 60, 6 * 60 + 1, 15)
    else:
        length = rng.choices((8 * 60, rng.randrange(7 * 60, 10 * 60 + 1, 15)), (0.7, 0.3))[0]
    start = ny_local_to_utc(epoch_of(day) + start_minutes * 60)
    return start, start + length * 60
