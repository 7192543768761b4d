"""Agent states: the contact-centre platform's status intervals of every working agent.

Each shift of `agent_shifts` is covered by a chain of intervals (`available`, `on_contact`,
`after_contact_work`, `break`, `meeting`, `training`, `offline`), built around the agent's
answered calls:

- Calls are drawn in the tickets phase, after the shifts, so that phase hands every
  answered call with an agent to `AnsweredCalls`: three integers per call (answered_at,
  ended_at, after-call work seconds) in one `array('q')` per agent, 24 bytes a call
  (about 60 MB for a 5M-ticket run). The states are written in a final phase. Shifts are
  not stored: that phase replays the shift phase's own random stream (a fresh
  `random.Random` with the same seed, so nothing already written changes).
- Mapping of a call (calls.py: `ended_at = answered_at + talk + hold`, and the after-call
  work follows `ended_at`): `on_contact` from `answered_at` to `ended_at` (talk and hold:
  the caller is on the line), then `after_contact_work` for `after_call_work_seconds`
  when it is not 0. A call is used when it is answered inside one of the agent's shifts
  and its after-call work ends at most `CALL_OVERRUN` after the shift; a call that overlaps
  the previous used call of the agent is skipped (calls are routed to an agent without
  looking at the shifts, so only some of them fall in a shift).
- Around the calls: one or two breaks (one of 30 minutes now and then), sometimes a
  meeting, a training or a few minutes `offline`; the rest is the agent's other contact
  work (chats, emails: long `on_contact` sessions, sometimes with after-contact work)
  separated by `available` time, so that occupancy is realistic (about 0.72) although
  the generated agents answer few calls per shift. About 16 rows per shift (5-95 %:
  12-22).

Valid edge cases (not faults), kept away from faults by the batch's `preferred` flags
when they are deliberate: the intervals of late New York shifts cross UTC midnight; a few
agents log in some minutes before their shift (an interval outside every shift); a few
intervals overlap the next one of the same agent, or an `offline` interval lies inside an
`available` one; the first agents of the run get, once each, a short session outside
every shift that crosses a UTC month end (`month_end_session`); the first valid agent's
first shift gets an early login and an overlap. States follow the shifts as generated,
also when a shift row is then quarantined (its states then lie outside every valid shift).
"""

from __future__ import annotations

import math
import random
from array import array
from bisect import insort
from collections.abc import Iterable, Sequence

from support_kpis.generator.period import Period
from support_kpis.generator.timefmt import HOUR

MINUTE = 60
CALL_OVERRUN = 20 * MINUTE  # a call answered in the shift may end this long after it
EARLY_LOGIN_SHARE = 0.03  # of shifts: available from 5-15 minutes before the shift
LATE_LOGIN_SHARE = 0.06  # of shifts: the first state starts 1-5 minutes after the start
MEETING_SHARE = 0.12
TRAINING_SHARE = 0.06
OFFLINE_SHARE = 0.10
OVERLAP_SHARE = 0.01  # of shifts: one interval ends after the next one started
NESTED_SHARE = 0.005  # of shifts: an `offline` interval inside an `available` one
AVAILABLE_MEAN = 25 * MINUTE
CONTACT_MEDIAN = 90 * MINUTE  # a session of chat or email work
CONTACT_WRAP_UP_SHARE = 0.4
SESSION_CLEARANCE = 3 * HOUR  # no shift of the agent this close to a month-end session
MAX_ROWS_PER_AGENT_DAY = 60  # an upper bound, for the id width

# (started_at, ended_at, state)
Span = tuple[int, int, str]


def state_id_width(period: Period, working_agents: int) -> int:
    """Digits of agent_state ids: enough for `MAX_ROWS_PER_AGENT_DAY` per agent and day."""
    days = (period.end_date - period.start_date).days + 1
    return max(6, len(str(working_agents * days * MAX_ROWS_PER_AGENT_DAY)))


class AnsweredCalls:
    """Per agent position: (answered_at, ended_at, after-call work seconds) of answered calls."""

    def __init__(self, agents: int) -> None:
        self._by_agent: list[array[int] | None] = [None] * agents

    def add(self, agent: int, answered: int, ended: int, wrap_up: int) -> None:
        """Record one answered call of the agent."""
        calls = self._by_agent[agent]
        if calls is None:
            calls = self._by_agent[agent] = array("q")
        calls.extend((answered, ended, wrap_up))

    def of(self, agent: int) -> list[tuple[int, int, int]]:
        """The agent's calls, by answered_at."""
        calls = self._by_agent[agent]
        if calls is None:
            return []
        return sorted(zip(calls[0::3], calls[1::3], calls[2::3], strict=True))

    def forget(self, agent: int) -> None:
        """Free an agent's calls once its states are written."""
        self._by_agent[agent] = None


def agent_spans(
    rng: random.Random,
    shifts: Sequence[tuple[int, int]],
    calls: Sequence[tuple[int, int, int]],
    forced: bool = False,
) -> tuple[list[Span], int]:
    """The state intervals of one agent over all its shifts (given in time order), ordered by
    started_at, and how many of the first ones belong to the `forced` first shift."""
    spans: list[Span] = []
    protected = 0
    k = 0
    for number, (start, end) in enumerate(shifts):
        while k < len(calls) and calls[k][0] < start:
            k += 1
        inside: list[tuple[int, int, int]] = []
        while k < len(calls) and calls[k][0] < end:
            inside.append(calls[k])
            k += 1
        spans.extend(shift_spans(rng, start, end, inside, forced and number == 0))
        if forced and number == 0:
            protected = len(spans)
    return spans, protected


# An item of a shift's timeline: (from, to, its intervals); calls and planned activities.
_Item = tuple[int, int, list[Span]]


def shift_spans(
    rng: random.Random,
    start: int,
    end: int,
    calls: Iterable[tuple[int, int, int]],
    forced: bool = False,
) -> list[Span]:
    """The intervals of one shift [start, end), ordered by started_at.

    `forced`: give this shift an early login and an overlapping pair of intervals.
    """
    items: list[_Item] = []
    last = start
    for answered, ended, wrap_up in calls:
        finish = ended + wrap_up
        if answered < last or finish > end + CALL_OVERRUN or ended <= answered:
            continue
        parts = [(answered, ended, "on_contact")]
        if wrap_up > 0:
            parts.append((ended, finish, "after_contact_work"))
        items.append((answered, finish, parts))
        last = finish
    begin = start
    late = rng.random() < LATE_LOGIN_SHARE and not forced
    if late:
        begin = start + rng.randint(60, 300)
        if items:
            begin = min(begin, items[0][0])
    for at, duration, state in _planned(rng, begin, end):
        slot = _free_slot(items, at, duration, begin, end)
        if slot is not None:
            insort(items, (slot, slot + duration, [(slot, slot + duration, state)]))
    spans: list[Span] = []
    cursor = begin
    for first, finish, parts in items:
        if first > cursor:
            spans.extend(_contact_work(rng, cursor, first))
        spans.extend(parts)
        cursor = max(cursor, finish)
    if cursor < end:
        spans.extend(_contact_work(rng, cursor, end))
    if rng.random() < NESTED_SHARE:
        _nest_offline(rng, spans)
    if forced or rng.random() < OVERLAP_SHARE:
        _overlap(rng, spans)
    if not late and (forced or rng.random() < EARLY_LOGIN_SHARE):
        spans.insert(0, (start - rng.randint(5 * MINUTE, 15 * MINUTE), start, "available"))
    return spans


def _planned(rng: random.Random, begin: int, end: int) -> list[tuple[int, int, str]]:
    """(wanted start, duration, state) of the shift's breaks, meeting, training, offline."""
    length = end - begin
    breaks = 1 if length < 6 * HOUR else 2
    lunch = rng.randrange(breaks) if breaks == 2 and rng.random() < 0.5 else -1
    wanted: list[tuple[int, int, str]] = []
    for n in range(breaks):
        at = begin + length * (n + 1) // (breaks + 1) + rng.randint(-20 * MINUTE, 20 * MINUTE)
        minutes = 30 if n == lunch else 15
        wanted.append((at, minutes * MINUTE + rng.randint(-60, 120), "break"))
    if rng.random() < MEETING_SHARE:
        duration = rng.choice((30, 60)) * MINUTE
        wanted.append((rng.randint(begin, end - duration), duration, "meeting"))
    if rng.random() < TRAINING_SHARE:
        duration = rng.randint(60, 120) * MINUTE
        wanted.append((rng.randint(begin, end - duration), duration, "training"))
    if rng.random() < OFFLINE_SHARE:
        duration = rng.randint(2 * MINUTE, 12 * MINUTE)
        wanted.append((rng.randint(begin, end - duration), duration, "offline"))
    return wanted


def _free_slot(items: list[_Item], at: int, duration: int, lo: int, hi: int) -> int | None:
    """The first start from `at` (else from `lo`) where `duration` fits between the items."""
    at = min(max(at, lo), hi - duration)
    if at < lo:
        return None
    candidates = [at, *(f for _, f, _ in items if f > at), lo, *(f for _, f, _ in items)]
    for candidate in candidates:
        if candidate < lo or candidate + duration > hi:
            continue
        if all(f <= candidate or b >= candidate + duration for b, f, _ in items):
            return candidate
    return None


def _contact_work(rng: random.Random, lo: int, hi: int) -> list[Span]:
    """[lo, hi) filled with `available` time and sessions of other contact work.

    Ends with `available` whenever there is room for it: a call is only routed to an
    available agent.
    """
    spans: list[Span] = []
    t = lo
    while t < hi:
        gap = max(30, int(rng.expovariate(1 / AVAILABLE_MEAN)))
        if hi - t - gap < 4 * MINUTE:
            spans.append((t, hi, "available"))
            break
        spans.append((t, t + gap, "available"))
        t += gap
        work = max(3 * MINUTE, int(rng.lognormvariate(math.log(CONTACT_MEDIAN), 0.6)))
        work = min(work, hi - t - MINUTE)
        spans.append((t, t + work, "on_contact"))
        t += work
        if rng.random() < CONTACT_WRAP_UP_SHARE and hi - t > 6 * MINUTE:
            wrap_up = rng.randint(30, 300)
            spans.append((t, t + wrap_up, "after_contact_work"))
            t += wrap_up
    return spans


def _overlap(rng: random.Random, spans: list[Span]) -> None:
    """Let one interval end 30 s to 10 min after the next one started (a late state event)."""
    candidates = [
        i for i in range(len(spans) - 1) if spans[i + 1][1] - spans[i + 1][0] > 2 * MINUTE
    ]
    if not candidates:
        return
    i = candidates[rng.randrange(len(candidates))]
    following = spans[i + 1][1] - spans[i + 1][0]
    started, ended, state = spans[i]
    spans[i] = (started, ended + rng.randint(30, min(10 * MINUTE, following - MINUTE)), state)


def _nest_offline(rng: random.Random, spans: list[Span]) -> None:
    """Put a short `offline` interval inside a long `available` one (not split by the platform)."""
    candidates = [
        i
        for i, (started, ended, state) in enumerate(spans)
        if state == "available" and ended - started >= 10 * MINUTE
    ]
    if not candidates:
        return
    i = candidates[rng.randrange(len(candidates))]
    started, ended, _ = spans[i]
    at = rng.randint(started + MINUTE, ended - 6 * MINUTE)
    spans.insert(i + 1, (at, at + rng.randint(MINUTE, 5 * MINUTE), "offline"))


def month_end_session(
    rng: random.Random, shifts: Sequence[tuple[int, int]], month_ends: Sequence[int]
) -> list[Span]:
    """A short session outside every shift of the agent that crosses a UTC month end.

    The first month end inside the agent's working time with no shift of the agent within
    `SESSION_CLEARANCE`; none when there is no such month end.
    """
    if not shifts:
        return []
    for boundary in month_ends:
        if not shifts[0][0] < boundary < shifts[-1][1]:
            continue
        if any(
            s < boundary + SESSION_CLEARANCE and e > boundary - SESSION_CLEARANCE for s, e in shifts
        ):
            continue
        login = boundary - 25 * MINUTE + rng.randrange(MINUTE)
        answered = boundary - 10 * MINUTE + rng.randrange(MINUTE)
        ended = boundary + 12 * MINUTE + rng.randrange(MINUTE)
        return [
            (login, answered, "available"),
            (answered, ended, "on_contact"),
            (ended, ended + rng.randint(60, 180), "after_contact_work"),
        ]
    return []
