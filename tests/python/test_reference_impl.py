"""Hand-computed cases for the independent reference implementation (no dbt needed)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pytest

from dbt_helpers import PROJECT_DIR
from reference import (
    TICKET_KEYS,
    EventRow,
    MessageRow,
    Schedule,
    SlaPolicy,
    TicketRow,
    Window,
    business_minutes,
    compute_reference,
    load_reference,
    read_seed_schedules,
)
from reference.business_hours import build_schedules

SCHEDULES = read_seed_schedules(PROJECT_DIR / "seeds")
STANDARD = SCHEDULES["standard"]
ALWAYS = SCHEDULES["24x7"]
NEW_YORK = ZoneInfo("America/New_York")


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text)


def minutes(start: str, end: str, schedule: Schedule) -> float:
    return business_minutes(utc(start), utc(end), schedule)


def new_york(windows: dict[int, list[tuple[int, int]]]) -> Schedule:
    """A custom America/New_York schedule; windows in (open, close) minutes after midnight."""
    return Schedule(
        "custom",
        "America/New_York",
        {day: tuple(Window(o * 60, c * 60) for o, c in found) for day, found in windows.items()},
    )


# --- business minutes, shipped schedules --------------------------------------------------------


def test_shipped_schedules_are_the_spec_ones():
    assert STANDARD.time_zone == "America/New_York"
    assert set(STANDARD.windows) == {1, 2, 3, 4, 5}
    assert all(w == (Window(9 * 3600, 18 * 3600),) for w in STANDARD.windows.values())
    assert date(2025, 11, 27) in STANDARD.holidays
    assert ALWAYS.time_zone == "UTC"
    assert all(w == (Window(0, 86400),) for w in ALWAYS.windows.values())


def test_plain_weekday():
    # Tue 2025-03-04, EST (UTC-5): 10:00-14:30:30 local.
    assert minutes("2025-03-04 15:00:00", "2025-03-04 19:30:30", STANDARD) == 270.5
    # 07:00-10:00 local: only 09:00-10:00 is open.
    assert minutes("2025-03-04 12:00", "2025-03-04 15:00", STANDARD) == 60
    # 17:00-20:00 local: only 17:00-18:00.
    assert minutes("2025-03-04 22:00", "2025-03-05 01:00", STANDARD) == 60


def test_empty_and_reversed_intervals():
    assert minutes("2025-03-04 15:00", "2025-03-04 15:00", STANDARD) == 0
    assert minutes("2025-03-04 16:00", "2025-03-04 15:00", STANDARD) == 0
    assert minutes("2025-03-04 16:00", "2025-03-04 15:00", ALWAYS) == 0


def test_over_a_weekend():
    # Fri 2025-03-14 17:00 EDT (21:00 UTC) -> Mon 2025-03-17 10:00 EDT (14:00 UTC).
    assert minutes("2025-03-14 21:00", "2025-03-17 14:00", STANDARD) == 60 + 60
    # Saturday and Sunday only.
    assert minutes("2025-03-15 00:00", "2025-03-17 04:00", STANDARD) == 0


def test_across_thanksgiving():
    # Wed 2025-11-26 17:00 EST (22:00 UTC) -> Fri 2025-11-28 10:00 EST (15:00 UTC); Thu closed.
    assert minutes("2025-11-26 22:00", "2025-11-28 15:00", STANDARD) == 60 + 60
    # The same shape a week before, no holiday: Thursday counts 540.
    assert minutes("2025-11-19 22:00", "2025-11-21 15:00", STANDARD) == 60 + 540 + 60


def test_holidays_are_local_dates():
    tokyo = Schedule(
        "tokyo",
        "Asia/Tokyo",
        {day: (Window(9 * 3600, 18 * 3600),) for day in range(1, 6)},
        frozenset({date(2025, 3, 4)}),
    )
    # Tokyo is UTC+9: 00:00-09:00 UTC is 09:00-18:00 local on the same date.
    assert minutes("2025-03-03 00:00", "2025-03-03 09:00", tokyo) == 540
    assert minutes("2025-03-04 00:00", "2025-03-04 09:00", tokyo) == 0  # local holiday
    # UTC 2025-03-04 15:00 .. 2025-03-05 09:00 is local Wed 00:00-18:00: open 540.
    assert minutes("2025-03-04 15:00", "2025-03-05 09:00", tokyo) == 540


def test_across_spring_forward():
    # Fri 2025-03-07 17:00 EST (22:00 UTC) -> Mon 2025-03-10 10:00 EDT (14:00 UTC).
    assert minutes("2025-03-07 22:00", "2025-03-10 14:00", STANDARD) == 120
    # Monday after the switch opens at 09:00 EDT = 13:00 UTC (not 14:00 UTC).
    assert minutes("2025-03-10 13:00", "2025-03-10 14:00", STANDARD) == 60
    assert minutes("2025-03-10 12:00", "2025-03-10 13:00", STANDARD) == 0
    assert minutes("2025-03-10 00:00", "2025-03-11 00:00", STANDARD) == 540
    # Friday before the switch: 09:00-18:00 EST = 14:00-23:00 UTC.
    assert minutes("2025-03-07 13:00", "2025-03-07 14:00", STANDARD) == 0


def test_across_fall_back():
    # Fri 2025-10-31 17:00 EDT (21:00 UTC) -> Mon 2025-11-03 10:00 EST (15:00 UTC).
    assert minutes("2025-10-31 21:00", "2025-11-03 15:00", STANDARD) == 120
    # Monday after the switch opens at 09:00 EST = 14:00 UTC.
    assert minutes("2025-11-03 13:00", "2025-11-03 14:00", STANDARD) == 0
    assert minutes("2025-11-03 14:00", "2025-11-03 15:00", STANDARD) == 60


def test_crossing_midnight_utc():
    # Tue 2025-03-04 17:30 EST (22:30 UTC) -> Wed 09:30 EST (14:30 UTC): 30 + 30.
    assert minutes("2025-03-04 22:30", "2025-03-05 14:30", STANDARD) == 60
    # Fri 18:30 EST is already Saturday in UTC; Saturday local is closed.
    assert minutes("2025-03-07 23:30", "2025-03-08 15:00", STANDARD) == 0
    # Fri 2025-03-07 17:00 EST = 22:00 UTC to Sat 00:00 UTC (19:00 EST): 60.
    assert minutes("2025-03-07 22:00", "2025-03-08 00:00", STANDARD) == 60
    assert minutes("2025-03-04 23:00", "2025-03-05 01:00", ALWAYS) == 120


def test_24x7_is_calendar_minutes():
    assert minutes("2025-03-09 00:00", "2025-03-10 00:00", ALWAYS) == 1440
    assert minutes("2025-11-02 05:00:30", "2025-11-02 07:15:00", ALWAYS) == 134.5
    assert minutes("2025-11-26 10:00", "2025-12-03 10:00", ALWAYS) == 7 * 1440
    # A 24x7 schedule in a DST zone also tiles time exactly: 23 h and 25 h local days.
    around_the_clock = new_york({day: [(0, 24 * 60)] for day in range(1, 8)})
    assert minutes("2025-03-09 05:00", "2025-03-10 04:00", around_the_clock) == 23 * 60
    assert minutes("2025-11-02 04:00", "2025-11-03 05:00", around_the_clock) == 25 * 60
    for start, end in [
        ("2025-03-08 03:17:10", "2025-03-11 22:01:05"),
        ("2025-11-01 23:59:59", "2025-11-02 06:30:01"),
    ]:
        calendar = (utc(end) - utc(start)).total_seconds() / 60
        assert minutes(start, end, around_the_clock) == calendar


def test_fold_zero_is_the_offset_before_the_switch():
    # Gap: 2025-03-09 02:00 EST jumps to 03:00 EDT. Before the switch the offset was -5 h.
    gap = datetime(2025, 3, 9, 2, 30, tzinfo=NEW_YORK, fold=0)
    assert gap.utcoffset() == timedelta(hours=-5)
    assert gap.astimezone(UTC).replace(tzinfo=None) == utc("2025-03-09 07:30")
    assert datetime(2025, 3, 9, 2, 30, tzinfo=NEW_YORK, fold=1).utcoffset() == timedelta(hours=-4)
    # Overlap: 2025-11-02 02:00 EDT falls back to 01:00 EST. Before the switch: -4 h.
    overlap = datetime(2025, 11, 2, 1, 30, tzinfo=NEW_YORK, fold=0)
    assert overlap.utcoffset() == timedelta(hours=-4)
    assert overlap.astimezone(UTC).replace(tzinfo=None) == utc("2025-11-02 05:30")
    assert datetime(2025, 11, 2, 1, 30, tzinfo=NEW_YORK, fold=1).utcoffset() == timedelta(hours=-5)


def test_window_edge_in_the_dst_gap():
    # Sunday 02:30-04:00 on 2025-03-09: 02:30 takes EST -> 07:30 UTC; 04:00 EDT = 08:00 UTC.
    sunday = new_york({7: [(150, 240)]})
    assert minutes("2025-03-09 00:00", "2025-03-10 00:00", sunday) == 30
    assert minutes("2025-03-09 07:00", "2025-03-09 07:45", sunday) == 15
    # An ordinary (EDT) Sunday: the full 90 minutes.
    assert minutes("2025-03-16 00:00", "2025-03-17 00:00", sunday) == 90
    # Closing in the gap: 01:00 EST (06:00 UTC) - 02:30 taken as EST (07:30 UTC) = 90.
    closing = new_york({7: [(60, 150)]})
    assert minutes("2025-03-09 00:00", "2025-03-10 00:00", closing) == 90


def test_window_edge_in_the_dst_overlap():
    # Sunday 01:30-03:00 on 2025-11-02: 01:30 takes EDT -> 05:30 UTC; 03:00 EST = 08:00 UTC.
    sunday = new_york({7: [(90, 180)]})
    assert minutes("2025-11-02 00:00", "2025-11-03 00:00", sunday) == 150
    assert minutes("2025-11-02 05:00", "2025-11-02 06:00", sunday) == 30
    # An ordinary (EST) Sunday: the full 90 minutes.
    assert minutes("2025-11-09 00:00", "2025-11-10 00:00", sunday) == 90
    # Closing in the overlap: 00:00 EDT (04:00 UTC) - 01:30 taken as EDT (05:30 UTC) = 90.
    closing = new_york({7: [(0, 90)]})
    assert minutes("2025-11-02 00:00", "2025-11-03 00:00", closing) == 90


def test_overlapping_windows_count_once():
    # Monday 09:00-12:00 and 11:00-14:00 and 10:00-11:00 EST: 09:00-14:00 = 300, not 480.
    monday = new_york({1: [(540, 720), (660, 840), (600, 660)]})
    assert minutes("2025-03-03 00:00", "2025-03-04 00:00", monday) == 300
    # On the fall-back Sunday: 01:30-03:00 (05:30-08:00 UTC) and 02:30-04:00 (07:30-09:00 UTC).
    sunday = new_york({7: [(90, 180), (150, 240)]})
    assert minutes("2025-11-02 00:00", "2025-11-03 00:00", sunday) == 210


def test_close_at_24_00_is_the_midnight_ending_the_day():
    # Monday 22:00-24:00 New York: Mon 2025-03-03 22:00 EST = Tue 03:00 UTC .. 05:00 UTC.
    late = build_schedules(
        [
            {
                "schedule_id": "late",
                "time_zone": "America/New_York",
                "day_of_week": "1",
                "open_time": "22:00",
                "close_time": "24:00",
            }
        ]
    )["late"]
    assert minutes("2025-03-04 02:00", "2025-03-04 06:00", late) == 120
    assert minutes("2025-03-03 00:00", "2025-03-04 03:00", late) == 0


def test_aware_datetimes_are_refused():
    with pytest.raises(ValueError):
        business_minutes(datetime(2025, 1, 1, tzinfo=UTC), datetime(2025, 1, 2), STANDARD)


# --- tickets -----------------------------------------------------------------------------------

T0 = datetime(2025, 3, 4, 13, 0)  # Tue 08:00 EST
POLICIES = {
    "urgent": SlaPolicy(60, 480),
    "high": SlaPolicy(240, 1440),
    "normal": SlaPolicy(480, 2880),
    "low": SlaPolicy(1440, 5760),
}
TEAMS = {"Billing": "standard", "Technical Support": "24x7"}


def ticket(
    ticket_id: str = "T",
    *,
    created_at: datetime = T0,
    status: str = "open",
    priority: str = "normal",
    team: str | None = "Billing",
    channel: str = "email",
    direction: str = "inbound",
) -> TicketRow:
    return TicketRow(ticket_id, channel, direction, priority, status, team, created_at)


def status(event_id: str, at: datetime, old: str | None, new: str, ticket_id: str = "T"):
    return EventRow(event_id, ticket_id, at, "status_change", old, new)


def message(
    message_id: str,
    at: datetime,
    author_type: str = "agent",
    author_id: str | None = "A1",
    *,
    is_public: bool = True,
    ticket_id: str = "T",
) -> MessageRow:
    return MessageRow(message_id, ticket_id, author_type, author_id, is_public, at)


def customer(message_id: str, at: datetime, ticket_id: str = "T") -> MessageRow:
    return message(message_id, at, "customer", "C1", ticket_id=ticket_id)


def run(tickets, events=(), messages=(), **options):
    return compute_reference(
        tickets,
        events,
        messages,
        schedules=SCHEDULES,
        team_schedules=TEAMS,
        sla_policies=POLICIES,
        **options,
    )


def minute(n: float) -> datetime:
    return T0 + timedelta(minutes=n)


def test_ticket_keys_and_schedule():
    result = run(
        [
            ticket("A", team="Technical Support", channel="chat"),
            ticket("B", team=None, channel="whatsapp", direction="outbound"),
            ticket("C", team="Unlisted", channel="phone"),
            ticket("D", channel="sms"),
        ]
    )
    for facts in result.tickets.values():
        assert tuple(facts) == TICKET_KEYS
    assert result.tickets["A"]["schedule_id"] == "24x7"
    assert result.tickets["B"]["schedule_id"] == "standard"
    assert result.tickets["C"]["schedule_id"] == "standard"
    assert [result.tickets[t]["is_live_channel"] for t in "ABCD"] == [True, True, True, False]
    assert [result.tickets[t]["is_inbound"] for t in "ABCD"] == [True, False, True, True]


def test_first_reply_and_sla():
    # Created Tue 08:00 EST; opening at 09:00, so 60 business minutes by 10:00 EST.
    result = run(
        [ticket("met", priority="urgent"), ticket("late", priority="urgent"), ticket("none")],
        messages=[
            message("early", minute(-1), ticket_id="met"),  # before created_at: not a reply
            message("note", minute(30), is_public=False, ticket_id="met"),  # internal note
            message("bot", minute(31), "bot", None, ticket_id="met"),
            message("m1", minute(120), ticket_id="met"),
            message("l1", minute(120) + timedelta(seconds=1), ticket_id="late"),
            customer("c1", minute(5), ticket_id="none"),
        ],
    )
    met, late, none = (result.tickets[t] for t in ("met", "late", "none"))
    assert met["first_reply_at"] == minute(120)
    assert met["first_reply_calendar_minutes"] == 120
    assert met["first_reply_business_minutes"] == 60
    assert met["first_reply_target_minutes"] == 60
    assert met["is_first_reply_sla_met"] is True
    assert met["count_public_agent_messages"] == 2  # "early" counts as an agent message
    assert late["first_reply_business_minutes"] == pytest.approx(60 + 1 / 60)
    assert late["is_first_reply_sla_met"] is False
    assert none["first_reply_at"] is None
    assert none["first_reply_calendar_minutes"] is None
    assert none["first_reply_business_minutes"] is None
    assert none["is_first_reply_sla_met"] is False
    assert none["is_replied_within_12h"] is False


def test_replied_within_12_hours_includes_the_limit():
    result = run(
        [ticket("exact"), ticket("over")],
        messages=[
            message("e", minute(12 * 60), ticket_id="exact"),
            message("o", minute(12 * 60) + timedelta(seconds=1), ticket_id="over"),
        ],
    )
    assert result.tickets["exact"]["is_replied_within_12h"] is True
    assert result.tickets["over"]["is_replied_within_12h"] is False
    shorter = run(
        [ticket("exact")],
        messages=[message("e", minute(60), ticket_id="exact")],
        reply_within_hours=0.5,
    )
    assert shorter.tickets["exact"]["is_replied_within_12h"] is False


def test_reopens_and_solved_times():
    events = [
        status("e1", minute(10), "new", "open"),
        status("e2", minute(60), "open", "solved"),  # first solve
        status("e3", minute(70), "solved", "open"),  # reopen 1
        status("e4", minute(80), "open", "solved"),
        status("e5", minute(90), "solved", "closed"),  # not a reopen
        status("e6", minute(100), "closed", "pending"),  # reopen 2
        status("e7", minute(110), "pending", "on_hold"),
        status("e8", minute(120), "on_hold", "closed"),  # last solve
        EventRow("x1", "T", minute(30), "escalation", "tier1", "tier2"),
        EventRow("x2", "T", minute(40), "escalation", "tier2", "tier3"),
        EventRow("p1", "T", minute(50), "priority_change", "solved", "open"),  # not a status
    ]
    facts = run([ticket(status="closed")], events, [message("m", minute(50))]).tickets["T"]
    assert facts["count_reopens"] == 2
    assert facts["is_reopened"] is True
    assert facts["count_escalations"] == 2
    assert facts["is_escalated"] is True
    assert facts["is_solved"] is True
    assert facts["first_solved_at"] == minute(60)
    assert facts["solved_at"] == minute(120)
    assert facts["resolution_calendar_minutes"] == 120
    assert facts["first_resolution_calendar_minutes"] == 60
    assert facts["resolution_business_minutes"] == 60  # 09:00-10:00 EST
    assert facts["resolution_target_minutes"] == 2880
    assert facts["is_resolution_sla_met"] is True
    assert facts["is_first_contact_resolved"] is False  # one agent message, but reopened


def test_solved_needs_status_and_event():
    result = run(
        [
            ticket("no_event", status="solved"),
            ticket("reopened", status="open"),
            ticket("fcr", status="solved"),
            ticket("two_replies", status="closed"),
        ],
        [
            status("a", minute(10), "open", "solved", "reopened"),
            status("b", minute(20), "solved", "open", "reopened"),
            status("c", minute(30), "open", "solved", "fcr"),
            status("d", minute(30), "open", "closed", "two_replies"),
        ],
        [
            message("f1", minute(5), ticket_id="fcr"),
            customer("f2", minute(6), ticket_id="fcr"),
            message("f3", minute(7), is_public=False, ticket_id="fcr"),
            message("t1", minute(5), ticket_id="two_replies"),
            message("t2", minute(6), "agent", "A2", ticket_id="two_replies"),
        ],
    )
    no_event, reopened, fcr, two = (
        result.tickets[t] for t in ("no_event", "reopened", "fcr", "two_replies")
    )
    assert no_event["is_solved"] is False
    assert no_event["solved_at"] is None
    assert no_event["first_solved_at"] is None
    assert no_event["is_resolution_sla_met"] is None
    assert reopened["is_solved"] is False
    assert reopened["solved_at"] is None
    assert reopened["first_solved_at"] == minute(10)
    assert reopened["first_resolution_calendar_minutes"] == 10
    assert reopened["resolution_calendar_minutes"] is None
    assert reopened["resolution_business_minutes"] is None
    assert reopened["is_resolution_sla_met"] is None
    assert reopened["is_first_contact_resolved"] is False
    assert fcr["is_first_contact_resolved"] is True
    assert fcr["resolution_business_minutes"] == 0  # 08:00-08:30 EST, before opening
    assert fcr["is_resolution_sla_met"] is True
    assert two["is_solved"] is True
    assert two["is_first_contact_resolved"] is False


def test_collision_limit_is_inclusive():
    result = run(
        [ticket("exact"), ticket("over"), ticket("same"), ticket("between"), ticket("bots")],
        messages=[
            message("e1", minute(10), "agent", "A1", ticket_id="exact"),
            message("e2", minute(15), "agent", "A2", ticket_id="exact"),
            message("o1", minute(10), "agent", "A1", ticket_id="over"),
            message("o2", minute(15) + timedelta(seconds=1), "agent", "A2", ticket_id="over"),
            message("s1", minute(10), "agent", "A1", ticket_id="same"),
            message("s2", minute(11), "agent", "A1", ticket_id="same"),
            message("b1", minute(10), "agent", "A1", ticket_id="between"),
            customer("b2", minute(11), ticket_id="between"),
            message("b3", minute(12), "agent", "A2", ticket_id="between"),
            # Bots, system messages and internal notes are not in the conversation.
            message("n1", minute(10), "agent", "A1", ticket_id="bots"),
            message("n2", minute(11), "bot", None, ticket_id="bots"),
            message("n3", minute(12), "agent", "A3", is_public=False, ticket_id="bots"),
            message("n4", minute(13), "agent", "A2", ticket_id="bots"),
        ],
    )
    assert result.tickets["exact"]["has_collision"] is True
    assert result.tickets["over"]["has_collision"] is False
    assert result.tickets["same"]["has_collision"] is False
    assert result.tickets["between"]["has_collision"] is False
    assert result.tickets["bots"]["has_collision"] is True
    wider = run(
        [ticket("over")],
        messages=[
            message("o1", minute(10), "agent", "A1", ticket_id="over"),
            message("o2", minute(15) + timedelta(seconds=1), "agent", "A2", ticket_id="over"),
        ],
        collision_minutes=6,
    )
    assert wider.tickets["over"]["has_collision"] is True


def test_equal_times_put_the_agent_first():
    # A1 and the customer at the same instant: conversation A1, customer, A2. A1 and A2 are
    # not adjacent (no collision); the customer message starts a turn; its reply must be
    # strictly later (A2), and the first reply is A1 at created_at itself.
    result = run(
        [ticket()],
        messages=[
            customer("c", minute(0)),
            message("a1", minute(0), "agent", "A1"),
            message("a2", minute(2), "agent", "A2"),
        ],
    )
    facts = result.tickets["T"]
    assert facts["has_collision"] is False
    assert facts["first_reply_at"] == minute(0)
    assert facts["first_reply_calendar_minutes"] == 0
    assert result.customer_messages == {"c": True}
    assert result.turns == {
        "c": {
            "ticket_id": "T",
            "turn_started_at": minute(0),
            "replied_at": minute(2),
            "reply_wait_calendar_minutes": 2.0,
        }
    }
    alone = run([ticket()], messages=[customer("c", minute(0)), message("a", minute(0))])
    assert alone.customer_messages == {"c": False}
    assert alone.turns["c"]["replied_at"] is None
    assert alone.turns["c"]["reply_wait_calendar_minutes"] is None


def test_equal_times_and_type_order_by_message_id():
    # Two customer messages at one instant after an agent: only the lower id starts the turn.
    result = run(
        [ticket()],
        messages=[message("a", minute(0)), customer("c2", minute(1)), customer("c1", minute(1))],
    )
    assert set(result.turns) == {"c1"}


def test_turns_and_reply_rate():
    result = run(
        [ticket(), ticket("U")],
        messages=[
            customer("c1", minute(0)),
            message("note", minute(5), "agent", "A1", is_public=False),
            message("bot", minute(6), "bot", None),
            customer("c2", minute(8)),
            message("a1", minute(10)),
            customer("c3", minute(20)),
            customer("c4", minute(30)),
            message("a2", minute(40)),
            message("a3", minute(45), "agent", "A2"),
            customer("c5", minute(50)),
            message("hidden", minute(51), "customer", "C1", is_public=False),
            message("u1", minute(0), ticket_id="U"),  # a ticket that starts with the agent
            customer("u2", minute(1), ticket_id="U"),
        ],
    )
    assert result.customer_messages == {
        "c1": True,
        "c2": True,
        "c3": True,
        "c4": True,
        "c5": False,
        "u2": False,
    }
    waits = {
        key: (turn["ticket_id"], turn["replied_at"], turn["reply_wait_calendar_minutes"])
        for key, turn in result.turns.items()
    }
    assert waits == {
        "c1": ("T", minute(10), 10.0),
        "c3": ("T", minute(40), 20.0),
        "c5": ("T", None, None),
        "u2": ("U", None, None),
    }
    assert result.turns["c3"]["turn_started_at"] == minute(20)


def test_backlog_across_a_reopen():
    day = datetime(2025, 3, 3, 10, 0)
    result = run(
        [
            ticket("T", created_at=day, status="open"),
            ticket("U", created_at=day + timedelta(days=2), status="new"),
            ticket("V", created_at=day, status="open"),
            ticket("W", created_at=day, status="solved"),
        ],
        [
            status("e1", day + timedelta(hours=1), "new", "open"),
            status("e2", day + timedelta(days=1), "open", "solved"),
            status("e3", day + timedelta(days=3), "solved", "open"),
            status("e4", day + timedelta(days=3, hours=1), "open", "solved"),
            status("e5", day + timedelta(days=5), "solved", "open"),
            # Equal times order by event_id: V ends open, W ends solved.
            status("v2", day + timedelta(hours=2), "solved", "open", "V"),
            status("v1", day + timedelta(hours=2), "new", "solved", "V"),
            status("w1", day + timedelta(hours=2), "new", "open", "W"),
            status("w2", day + timedelta(hours=2), "open", "solved", "W"),
            EventRow("x", "U", day + timedelta(days=6), "escalation", "tier1", "tier2"),
        ],
    )
    # T: open 3/3, solved 3/4, reopened and solved again 3/6, reopened 3/8.
    # U: new from 3/5. V: open throughout. W: solved from its first day.
    assert result.backlog == {
        date(2025, 3, 3): 2,
        date(2025, 3, 4): 1,
        date(2025, 3, 5): 2,
        date(2025, 3, 6): 2,
        date(2025, 3, 7): 2,
        date(2025, 3, 8): 3,
        date(2025, 3, 9): 3,
    }
    assert result.tickets["T"]["count_reopens"] == 2
    assert result.tickets["W"]["is_solved"] is True


def test_backlog_of_nothing_is_empty():
    assert run([]).backlog == {}


def test_rows_on_unknown_tickets_are_refused():
    with pytest.raises(ValueError):
        run([ticket()], messages=[customer("c", minute(0), ticket_id="nope")])


def test_load_reference_reads_the_warehouse(tmp_path: Path):
    database = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(database)) as con:
        con.execute("create schema staging; create schema reference")
        con.execute(
            "create table staging.stg_support__tickets as select * from (values"
            " ('T1', 'C1', 'chat', 'inbound', null, 'urgent', 'solved', 'Billing', 'A1',"
            "  timestamp '2025-03-04 13:00', timestamp '2025-03-04 16:00'))"
            " t(ticket_id, customer_id, channel, direction, category, priority, status, team,"
            "   assignee_agent_id, created_at, updated_at)"
        )
        con.execute(
            "create table staging.stg_support__ticket_events as select * from (values"
            " ('E1', 'T1', timestamp '2025-03-04 16:00', 'status_change', 'open', 'solved',"
            "  'A1')) t(event_id, ticket_id, event_at, event_type, from_value, to_value,"
            "  actor_agent_id)"
        )
        con.execute(
            "create table staging.stg_support__ticket_messages as select * from (values"
            " ('M1', 'T1', 'customer', 'C1', true, timestamp '2025-03-04 13:00'),"
            " ('M2', 'T1', 'agent', 'A1', true, timestamp '2025-03-04 15:00'))"
            " t(message_id, ticket_id, author_type, author_id, is_public, sent_at)"
        )
        seeds = PROJECT_DIR / "seeds"
        for name in ("business_hours", "holidays", "team_schedules", "sla_policies"):
            con.execute(
                f"create table reference.{name} as select * from read_csv(?, all_varchar=true)",
                [str(seeds / f"{name}.csv")],
            )
    result = load_reference(database)
    facts = result.tickets["T1"]
    assert facts["first_reply_business_minutes"] == 60
    assert facts["is_first_reply_sla_met"] is True
    assert facts["resolution_business_minutes"] == 120
    assert facts["is_resolution_sla_met"] is True
    assert facts["is_first_contact_resolved"] is True
    assert result.customer_messages == {"M1": True}
    assert result.backlog == {date(2025, 3, 4): 0}
