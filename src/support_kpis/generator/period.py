"""The generated period: its bounds, New York local time, holidays, and ticket arrival times.

Ticket arrival times follow an hourly weight curve (business hours in New York, lighter
nights, weekends and US federal holidays, a slow growth trend). Ticket `i` of `n` is
created at the inverse of that curve's distribution function at `(i + u) / n`, with `u`
uniform in [0, 1): creation times rise with the ticket id, and every chunk of tickets
can be drawn on its own.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

from support_kpis.generator.timefmt import DAY, HOUR, add_months, day_of, epoch_of
from support_kpis.us_holidays import us_federal_holidays

# Children (events, messages, surveys, orders) may happen this long after the period.
SPILL_SECONDS = 5 * DAY

EST, EDT = -5 * HOUR, -4 * HOUR

# Relative ticket volume by New York local hour of day.
HOUR_OF_DAY_WEIGHT = (
    0.15,
    0.10,
    0.08,
    0.07,
    0.08,
    0.15,
    0.35,
    0.70,
    1.20,
    1.70,
    1.90,
    1.90,
    1.70,
    1.80,
    1.85,
    1.75,
    1.50,
    1.20,
    0.90,
    0.75,
    0.60,
    0.45,
    0.35,
    0.22,
)
WEEKEND_FACTOR = 0.35
HOLIDAY_FACTOR = 0.30
GROWTH_OVER_PERIOD = 0.25
MONTH_FACTOR = {1: 1.10, 8: 0.90, 12: 1.15}


def _nth_sunday(year: int, month: int, n: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(6 - first.weekday()) % 7 + 7 * (n - 1))


@lru_cache(maxsize=64)
def dst_switches(year: int) -> tuple[int, int]:
    """US daylight saving time of a year in New York: (start, end) as UTC epoch seconds."""
    begin = epoch_of(_nth_sunday(year, 3, 2)) + 7 * HOUR  # 02:00 EST
    end = epoch_of(_nth_sunday(year, 11, 1)) + 6 * HOUR  # 02:00 EDT
    return begin, end


def ny_offset(ts: int) -> int:
    """New York's UTC offset in seconds at an instant."""
    begin, end = dst_switches(day_of(ts).year)
    return EDT if begin <= ts < end else EST


def ny_local_to_utc(local_ts: int) -> int:
    """UTC instant of a New York wall-clock time (given as if it were UTC).

    Only used for daytime hours, which never fall in a switch's gap or overlap.
    """
    return local_ts - ny_offset(local_ts - EST)


@dataclass(frozen=True)
class Period:
    """`months` calendar months from `start_date`, plus the spill window after them."""

    start_date: date
    months: int
    end_date: date = field(init=False)  # exclusive
    start: int = field(init=False)
    end: int = field(init=False)  # exclusive
    horizon: int = field(init=False)  # the last instant any row may carry
    holidays: frozenset[int] = field(init=False)  # local date ordinals

    def __post_init__(self) -> None:
        end_date = add_months(self.start_date, self.months)
        object.__setattr__(self, "end_date", end_date)
        object.__setattr__(self, "start", epoch_of(self.start_date))
        object.__setattr__(self, "end", epoch_of(end_date))
        object.__setattr__(self, "horizon", epoch_of(end_date) + SPILL_SECONDS)
        ordinals = {
            day.toordinal()
            for year in range(self.start_date.year - 1, end_date.year + 2)
            for day, _name in us_federal_holidays(year)
        }
        object.__setattr__(self, "holidays", frozenset(ordinals))

    def local_day(self, ts: int) -> date:
        """New York local date of an instant."""
        return day_of(ts + ny_offset(ts))

    def is_holiday(self, day: date) -> bool:
        """A US federal holiday (observed)."""
        return day.toordinal() in self.holidays

    def month_starts(self) -> list[date]:
        """First day of every month of the period."""
        return [add_months(self.start_date, k) for k in range(self.months)]


class ArrivalCurve:
    """Inverse distribution function of ticket creation times over the period."""

    def __init__(self, period: Period) -> None:
        self.period = period
        hours = (period.end - period.start) // HOUR
        weights: list[float] = []
        cumulative = [0.0]
        for h in range(hours):
            ts = period.start + h * HOUR
            local = ts + ny_offset(ts)
            local_day = day_of(local)
            weight = HOUR_OF_DAY_WEIGHT[(local % DAY) // HOUR]
            if local_day.weekday() >= 5:
                weight *= WEEKEND_FACTOR
            if period.is_holiday(local_day):
                weight *= HOLIDAY_FACTOR
            weight *= MONTH_FACTOR.get(local_day.month, 1.0)
            weight *= 1.0 + GROWTH_OVER_PERIOD * h / hours
            weights.append(weight)
            cumulative.append(cumulative[-1] + weight)
        self._weights = weights
        self._cumulative = cumulative

    def at(self, quantile: float) -> int:
        """The creation instant at a quantile in [0, 1): non-decreasing in the quantile."""
        x = quantile * self._cumulative[-1]
        h = min(bisect_right(self._cumulative, x) - 1, len(self._weights) - 1)
        within = (x - self._cumulative[h]) / self._weights[h]
        return self.period.start + h * HOUR + min(int(within * HOUR), HOUR - 1)


def special_instants(period: Period) -> list[int]:
    """Creation instants that exercise edge cases, interleaved by kind.

    Minutes around each daylight-saving switch, federal holidays (New York daytime),
    weekends, and the seconds around midnight UTC. Interleaving keeps a mix of kinds
    when a small run can use only the first few.
    """
    dst: list[int] = []
    for year in range(period.start_date.year, period.end_date.year + 1):
        for switch in dst_switches(year):
            for delta in (-7200, -1800, -1, 0, 1, 1800, 3600, 7200):
                dst.append(switch + delta)
    holiday: list[int] = []
    for ordinal in sorted(period.holidays):
        local_noon = epoch_of(date.fromordinal(ordinal)) + 10 * HOUR + 30 * 60
        holiday.extend((ny_local_to_utc(local_noon), ny_local_to_utc(local_noon + 4 * HOUR)))
    midnight: list[int] = []
    weekend: list[int] = []
    for first in period.month_starts():
        boundary = epoch_of(first)
        midnight.extend((boundary - 1, boundary, boundary + 1))
        saturday = first + timedelta(days=(5 - first.weekday()) % 7)
        weekend.append(ny_local_to_utc(epoch_of(saturday) + 11 * HOUR))
        weekend.append(ny_local_to_utc(epoch_of(saturday + timedelta(days=1)) + 15 * HOUR))
    kinds = [
        [t for t in kind if period.start <= t < period.end]
        for kind in (dst, midnight, holiday, weekend)
    ]
    mixed: list[int] = []
    for position in range(max(len(kind) for kind in kinds)):
        mixed.extend(kind[position] for kind in kinds if position < len(kind))
    return mixed
