"""Contact-centre operations (docs/spec/kpis.md, "Contact-centre operations" and
"Staffing by interval"), computed in Python from the spec text only: the
independent check of the operations KPIs.

The algorithms differ on purpose from the SQL ones:
- State overlaps are resolved by a sweep over every boundary of an agent's
  intervals: each elementary segment belongs to the covering interval that
  started latest (equal starts: the larger `agent_state_id`).
- Erlang C uses the Erlang B recursion B(k) = A B(k-1) / (k + A B(k-1)) and
  C = N B / (N - A (1 - B)), not Poisson terms in log space.

Readings fixed here (docs/decisions.md, D18): shift-based KPIs count only the
dates from the first to the last UTC date of the delivery's state data; the
required agents are 1 for a zero load; a queue that never answered a call
has no known handle time, so its intervals are left out of the staffing KPIs;
calls without a queue have no staffing interval.
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import pairwise

PRODUCTIVE = frozenset({"available", "on_contact", "after_contact_work"})
HANDLING = frozenset({"on_contact", "after_contact_work"})
HOUR = timedelta(hours=1)


@dataclass(frozen=True, slots=True)
class StateRow:
    agent_state_id: str
    agent_id: str
    state: str
    started_at: datetime
    ended_at: datetime


Segment = tuple[datetime, datetime]


def owned_segments(states: Iterable[StateRow]) -> list[tuple[StateRow, datetime, datetime]]:
    """Every stretch of state time with the interval it counts for (the overlap rule)."""
    by_agent: dict[str, list[StateRow]] = defaultdict(list)
    for row in states:
        by_agent[row.agent_id].append(row)
    owned: list[tuple[StateRow, datetime, datetime]] = []
    for rows in by_agent.values():
        ranked = sorted(rows, key=lambda r: (r.started_at, r.agent_state_id))
        points = sorted({p for r in ranked for p in (r.started_at, r.ended_at)})
        active: list[int] = []  # max-heap of ranks (negated)
        next_start = 0
        for left, right in pairwise(points):
            while next_start < len(ranked) and ranked[next_start].started_at <= left:
                heapq.heappush(active, -next_start)
                next_start += 1
            while active and ranked[-active[0]].ended_at <= left:
                heapq.heappop(active)
            if active:
                owned.append((ranked[-active[0]], left, right))
    return owned


def by_utc_date(start: datetime, end: datetime) -> list[tuple[date, datetime, datetime]]:
    """[start, end) cut at UTC midnight."""
    pieces = []
    while start < end:
        midnight = datetime.combine(start.date() + timedelta(days=1), datetime.min.time())
        stop = min(end, midnight)
        pieces.append((start.date(), start, stop))
        start = stop
    return pieces


def merged(intervals: Iterable[Segment]) -> list[Segment]:
    """The union of intervals, as disjoint sorted intervals (touching ones joined)."""
    result: list[list[datetime]] = []
    for start, end in sorted(intervals):
        if result and start <= result[-1][1]:
            result[-1][1] = max(result[-1][1], end)
        else:
            result.append([start, end])
    return [(start, end) for start, end in result]


def _overlap_seconds(start: datetime, end: datetime, spans: Sequence[Segment]) -> float:
    return sum(
        (min(end, span_end) - max(start, span_start)).total_seconds()
        for span_start, span_end in spans
        if span_start < end and start < span_end
    )


@dataclass
class AgentDay:
    """Minutes of one agent on one UTC date."""

    productive: float = 0.0
    handling: float = 0.0
    shift: float = 0.0
    handling_in_shift: float = 0.0
    productive_in_shift: float = 0.0
    logged_in_in_shift: float = 0.0


def agent_days(
    states: Sequence[StateRow], shifts: Iterable[tuple[str, datetime, datetime]]
) -> tuple[dict[tuple[str, date], AgentDay], tuple[date, date] | None]:
    """Per (agent, UTC date): state and shift minutes; and the state data's date range."""
    shift_spans: dict[str, list[Segment]] = defaultdict(list)
    for agent_id, start, end in shifts:
        shift_spans[agent_id].append((start, end))
    shift_pieces: dict[tuple[str, date], list[Segment]] = defaultdict(list)
    for agent_id, spans in shift_spans.items():
        for start, end in merged(spans):
            for day, left, right in by_utc_date(start, end):
                shift_pieces[(agent_id, day)].append((left, right))
    days: dict[tuple[str, date], AgentDay] = defaultdict(AgentDay)
    for key, spans in shift_pieces.items():
        days[key].shift = sum((e - s).total_seconds() for s, e in spans) / 60
    state_dates: list[date] = []
    for row, start, end in owned_segments(states):
        for day, left, right in by_utc_date(start, end):
            state_dates.append(day)
            minutes = (right - left).total_seconds() / 60
            inside = _overlap_seconds(left, right, shift_pieces.get((row.agent_id, day), [])) / 60
            entry = days[(row.agent_id, day)]
            if row.state in PRODUCTIVE:
                entry.productive += minutes
                entry.productive_in_shift += inside
            if row.state in HANDLING:
                entry.handling += minutes
                entry.handling_in_shift += inside
            if row.state != "offline":
                entry.logged_in_in_shift += inside
    state_range = (min(state_dates), max(state_dates)) if state_dates else None
    return dict(days), state_range


# --- Erlang C ---


def erlang_c_wait_probability(agents: int, load: float) -> float:
    """C(N, A): the probability that a call waits, by the Erlang B recursion."""
    blocking = 1.0
    for k in range(1, agents + 1):
        blocking = load * blocking / (k + load * blocking)
    return agents * blocking / (agents - load * (1 - blocking))


def erlang_c_service_level(agents: int, load: float, target_seconds: float, handle: float) -> float:
    return 1 - erlang_c_wait_probability(agents, load) * math.exp(
        -(agents - load) * target_seconds / handle
    )


def required_agents(load: float, target_seconds: float, handle: float, target: float) -> int:
    """The smallest whole N > A whose Erlang C service level reaches the target."""
    if load == 0:
        return 1
    agents = math.floor(load) + 1
    while erlang_c_service_level(agents, load, target_seconds, handle) < target:
        agents += 1
    return agents


@dataclass(frozen=True, slots=True)
class StaffingInterval:
    queue: str
    hour: datetime
    offered: int
    load: float | None
    required: int | None
    staffed: float


def staffing_intervals(
    calls: Iterable[tuple[str | None, str, datetime, bool, float | None]],
    shifts: Iterable[tuple[str, datetime, datetime]],
    teams: dict[str, str],
    *,
    target_seconds: float = 20,
    target: float = 0.80,
) -> list[StaffingInterval]:
    """Per hour and queue with offered inbound calls.

    `calls`: (queue, direction, offered_at, answered, handle seconds when answered).
    """
    offered: dict[tuple[str, datetime], int] = defaultdict(int)
    handles: dict[tuple[str, datetime], list[float]] = defaultdict(list)
    queue_handles: dict[str, list[float]] = defaultdict(list)
    for queue, direction, offered_at, answered, handle in calls:
        if direction != "inbound" or queue is None:
            continue
        key = (queue, offered_at.replace(minute=0, second=0, microsecond=0))
        offered[key] += 1
        if answered:
            handles[key].append(float(handle or 0))
            queue_handles[queue].append(float(handle or 0))
    spans: dict[str, list[Segment]] = defaultdict(list)
    for agent_id, start, end in shifts:
        spans[agent_id].append((start, end))
    covered: dict[tuple[str, datetime], float] = defaultdict(float)
    for agent_id, agent_spans in spans.items():
        for start, end in merged(agent_spans):
            hour = start.replace(minute=0, second=0, microsecond=0)
            while hour < end:
                seconds = (min(end, hour + HOUR) - max(start, hour)).total_seconds()
                covered[(teams[agent_id], hour)] += seconds / 3600
                hour += HOUR
    intervals = []
    for (queue, hour), count in offered.items():
        answered_handles = handles.get((queue, hour)) or queue_handles.get(queue)
        staffed = covered[(queue, hour)]
        if not answered_handles:
            intervals.append(StaffingInterval(queue, hour, count, None, None, staffed))
            continue
        handle = sum(answered_handles) / len(answered_handles)
        load = count * handle / 3600
        needed = required_agents(load, target_seconds, handle, target)
        intervals.append(StaffingInterval(queue, hour, count, load, needed, staffed))
    return intervals
