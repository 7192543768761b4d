"""Business minutes of an interval under an opening-hours schedule.

Written from docs/spec/kpis.md ("Conventions", "Business minutes") only:
the minutes of [start, end) that fall inside the schedule's opening windows,
in the schedule's own time zone with its daylight-saving rules, leaving out
its holidays (local dates). A window edge in a DST gap or overlap takes the
UTC offset in force just before the switch, which is what zoneinfo does with
fold=0. Overlapping windows count once (the union of the instants covered).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

SECONDS_PER_DAY = 24 * 60 * 60

Interval = tuple[datetime, datetime]


def parse_clock(text: str, *, is_close: bool) -> int:
    """`HH:MM` (or `HH:MM:SS`) local time -> seconds after midnight; `24:00` only as a close."""
    parts = [int(part) for part in str(text).strip().split(":")]
    if len(parts) not in (2, 3):
        raise ValueError(f"not a HH:MM time: {text!r}")
    hours, minutes, seconds = (*parts, 0) if len(parts) == 2 else parts
    value = hours * 3600 + minutes * 60 + seconds
    limit = SECONDS_PER_DAY if is_close else SECONDS_PER_DAY - 1
    if not (0 <= minutes < 60 and 0 <= seconds < 60 and 0 <= value <= limit):
        raise ValueError(f"time out of range: {text!r}")
    return value


@dataclass(frozen=True)
class Window:
    """One opening window of a weekday, in seconds after local midnight (86400 = 24:00)."""

    open_seconds: int
    close_seconds: int

    def __post_init__(self) -> None:
        if not 0 <= self.open_seconds < self.close_seconds <= SECONDS_PER_DAY:
            raise ValueError(f"window must have 0 <= open < close <= 24:00: {self}")


@dataclass(frozen=True, eq=False)
class Schedule:
    """Opening hours: an IANA zone, windows per ISO weekday (1 = Monday), holidays (local dates)."""

    schedule_id: str
    time_zone: str
    windows: Mapping[int, tuple[Window, ...]]
    holidays: frozenset[date] = frozenset()
    _days: dict[date, tuple[Interval, ...]] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        ZoneInfo(self.time_zone)  # fails early on an unknown zone
        if any(day not in range(1, 8) for day in self.windows):
            raise ValueError(f"day_of_week must be 1..7 in schedule {self.schedule_id!r}")

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    def day_intervals(self, day: date) -> tuple[Interval, ...]:
        """The naive-UTC instants open on local date `day` (one per window, empty ones dropped)."""
        cached = self._days.get(day)
        if cached is None:
            cached = ()
            if day not in self.holidays:
                cached = tuple(
                    (opens, closes)
                    for window in self.windows.get(day.isoweekday(), ())
                    for opens, closes in [
                        (
                            local_to_utc(day, window.open_seconds, self.zone),
                            local_to_utc(day, window.close_seconds, self.zone),
                        )
                    ]
                    if closes > opens
                )
            self._days[day] = cached
        return cached


def local_to_utc(day: date, seconds: int, zone: ZoneInfo) -> datetime:
    """Local wall time `seconds` after midnight of `day` (86400 = next midnight) -> naive UTC.

    fold=0: a wall time in a gap or an overlap uses the offset in force before the switch.
    """
    wall = datetime.combine(day, time()) + timedelta(seconds=seconds)
    return wall.replace(tzinfo=zone, fold=0).astimezone(UTC).replace(tzinfo=None)


def utc_to_local_date(instant: datetime, zone: ZoneInfo) -> date:
    return instant.replace(tzinfo=UTC).astimezone(zone).date()


def merge(intervals: Iterable[Interval]) -> list[Interval]:
    """Union of half-open intervals, as sorted disjoint intervals."""
    merged: list[Interval] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def business_minutes(start: datetime, end: datetime, schedule: Schedule) -> float:
    """Minutes of [start, end) (naive UTC) inside the schedule's opening hours.

    0 when end <= start.
    """
    if start.tzinfo is not None or end.tzinfo is not None:
        raise ValueError("business_minutes takes naive UTC datetimes")
    if end <= start:
        return 0.0
    zone = schedule.zone
    # A window of local date D lies within local D 00:00 .. D+1 00:00, so one spare
    # day on each side covers every window that can touch [start, end).
    day = utc_to_local_date(start, zone) - timedelta(days=1)
    last = utc_to_local_date(end, zone) + timedelta(days=1)
    intervals: list[Interval] = []
    while day <= last:
        intervals.extend(schedule.day_intervals(day))
        day += timedelta(days=1)
    total = timedelta(0)
    for opens, closes in merge(intervals):
        lower, upper = max(opens, start), min(closes, end)
        if upper > lower:
            total += upper - lower
    return total.total_seconds() / 60


def build_schedules(
    business_hours: Iterable[Mapping[str, object]],
    holidays: Iterable[Mapping[str, object]] = (),
) -> dict[str, Schedule]:
    """Schedules from rows shaped like seeds/business_hours.csv and seeds/holidays.csv.

    A holiday of a schedule that has no opening windows is ignored (it has nothing to close).
    """
    zones: dict[str, str] = {}
    windows: dict[str, dict[int, list[Window]]] = {}
    for row in business_hours:
        schedule_id = str(row["schedule_id"])
        time_zone = str(row["time_zone"])
        if zones.setdefault(schedule_id, time_zone) != time_zone:
            raise ValueError(f"schedule {schedule_id!r} has more than one time zone")
        window = Window(
            parse_clock(str(row["open_time"]), is_close=False),
            parse_clock(str(row["close_time"]), is_close=True),
        )
        by_day = windows.setdefault(schedule_id, {})
        by_day.setdefault(int(str(row["day_of_week"])), []).append(window)
    closed: dict[str, set[date]] = {}
    for row in holidays:
        value = row["holiday_date"]
        holiday = value if isinstance(value, date) else date.fromisoformat(str(value))
        closed.setdefault(str(row["schedule_id"]), set()).add(holiday)
    return {
        schedule_id: Schedule(
            schedule_id=schedule_id,
            time_zone=zones[schedule_id],
            windows={day: tuple(found) for day, found in by_day.items()},
            holidays=frozenset(closed.get(schedule_id, set())),
        )
        for schedule_id, by_day in windows.items()
    }


def read_seed(seeds_dir: Path, name: str) -> list[dict[str, str]]:
    """The rows of seeds/<name>.csv as strings."""
    with (seeds_dir / f"{name}.csv").open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def read_seed_schedules(seeds_dir: Path) -> dict[str, Schedule]:
    """The schedules of seeds/business_hours.csv and seeds/holidays.csv."""
    return build_schedules(read_seed(seeds_dir, "business_hours"), read_seed(seeds_dir, "holidays"))
