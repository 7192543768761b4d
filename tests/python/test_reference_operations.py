"""The independent reference of the contact-centre operations KPIs, pinned on
hand-computed values: the overlap rule, midnight and month-end cuts, state
minutes inside and outside shifts, and Erlang C staffing against a worked
example and at the edges."""

from __future__ import annotations

import math
from datetime import date, datetime

import pytest

from reference.operations import (
    StateRow,
    agent_days,
    erlang_c_service_level,
    erlang_c_wait_probability,
    owned_segments,
    required_agents,
    staffing_intervals,
)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def state(state_id: str, agent: str, kind: str, start: str, end: str) -> StateRow:
    return StateRow(state_id, agent, kind, at(start), at(end))


def test_overlaps_count_once_for_the_interval_that_started_later() -> None:
    states = [
        state("s2", "b", "available", "2025-03-03 10:00", "2025-03-03 12:00"),
        state("s3", "b", "on_contact", "2025-03-03 10:30", "2025-03-03 11:00"),
        state("s4", "b", "break", "2025-03-03 11:45", "2025-03-03 12:15"),
        state("s5", "b", "meeting", "2025-03-03 13:00", "2025-03-03 14:00"),
        state("s6", "b", "training", "2025-03-03 13:00", "2025-03-03 13:30"),
    ]
    minutes: dict[str, float] = {}
    for row, start, end in owned_segments(states):
        minutes[row.agent_state_id] = (
            minutes.get(row.agent_state_id, 0) + (end - start).total_seconds() / 60
        )
    # s2 keeps 10:00-10:30 and 11:00-11:45; equal starts go to the larger id (s6).
    assert minutes == {"s2": 75, "s3": 30, "s4": 30, "s5": 30, "s6": 30}


def test_a_month_end_crossing_counts_on_each_date_and_shift_minutes_count_once() -> None:
    states = [
        state("s1", "a", "available", "2025-01-31 22:00", "2025-02-01 02:00"),
        state("s2", "a", "on_contact", "2025-01-31 21:50", "2025-01-31 22:00"),
    ]
    shifts = [
        ("a", at("2025-01-31 22:00"), at("2025-02-01 01:00")),
        ("a", at("2025-01-31 23:00"), at("2025-02-01 00:30")),  # inside the first
    ]
    days, state_range = agent_days(states, shifts)
    assert state_range == (date(2025, 1, 31), date(2025, 2, 1))
    january, february = days[("a", date(2025, 1, 31))], days[("a", date(2025, 2, 1))]
    assert (january.productive, january.handling, january.shift) == (130, 10, 120)
    # 21:50-22:00 on_contact lies before the shift: occupancy only.
    assert (january.handling_in_shift, january.productive_in_shift) == (0, 120)
    assert (february.productive, february.shift, february.productive_in_shift) == (120, 60, 60)


def test_a_shift_minute_without_a_state_is_not_logged_in() -> None:
    states = [state("s1", "a", "offline", "2025-03-03 09:00", "2025-03-03 09:30")]
    days, _ = agent_days(states, [("a", at("2025-03-03 09:00"), at("2025-03-03 10:00"))])
    day = days[("a", date(2025, 3, 3))]
    assert (day.shift, day.logged_in_in_shift, day.productive_in_shift) == (60, 0, 0)


def _closed_form_wait_probability(agents: int, load: float) -> float:
    top = load**agents / math.factorial(agents) * agents / (agents - load)
    return top / (sum(load**k / math.factorial(k) for k in range(agents)) + top)


def test_erlang_c_worked_example_100_calls_180_seconds_80_in_20() -> None:
    # 100 calls x 180 s in an hour = 5 erlangs.
    assert erlang_c_wait_probability(8, 5.0) == pytest.approx(
        _closed_form_wait_probability(8, 5.0), rel=1e-12
    )
    assert erlang_c_service_level(7, 5.0, 20, 180) == pytest.approx(0.7404, abs=1e-4)
    assert erlang_c_service_level(8, 5.0, 20, 180) == pytest.approx(0.8801, abs=1e-4)
    assert required_agents(5.0, 20, 180, 0.80) == 8


def test_erlang_c_at_the_edges() -> None:
    assert required_agents(0.0, 20, 180, 0.80) == 1
    assert required_agents(60 / 3600, 20, 60, 0.80) == 1  # one short call
    assert required_agents(1.0, 20, 180, 0.80) == 3  # N must exceed A: 2 gives 0.70
    assert required_agents(1000.0, 20, 3600, 0.80) == 1031


def test_staffing_intervals_use_the_queue_mean_when_no_call_was_answered() -> None:
    calls = [("C", "inbound", at("2025-03-03 10:20"), False, None) for _ in range(10)]
    calls += [
        ("C", "inbound", at("2025-03-03 11:00"), True, 300.0),
        (None, "inbound", at("2025-03-03 10:00"), True, 100.0),
        ("C", "outbound", at("2025-03-03 10:00"), True, 100.0),
    ]
    shifts = [("a1", at("2025-03-03 10:30"), at("2025-03-03 11:15"))]
    intervals = {(i.queue, i.hour.hour): i for i in staffing_intervals(calls, shifts, {"a1": "C"})}
    assert set(intervals) == {("C", 10), ("C", 11)}
    ten = intervals[("C", 10)]
    assert (ten.offered, ten.required, ten.staffed) == (10, 3, 0.5)
    assert ten.load == pytest.approx(10 * 300 / 3600)
    assert (intervals[("C", 11)].required, intervals[("C", 11)].staffed) == (1, 0.25)
