"""US federal holidays (observed dates), for the `standard` schedule's holiday seed."""

from __future__ import annotations

from datetime import date, timedelta

MONDAY, THURSDAY = 0, 3


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    """The n-th (1-based) given weekday of a month."""
    first = date(year, month, 1)
    offset = (weekday - first.weekday()) % 7
    return first + timedelta(days=offset + 7 * (n - 1))


def _last_weekday(year: int, month: int, weekday: int) -> date:
    """The last given weekday of a month."""
    next_month = date(year + month // 12, month % 12 + 1, 1)
    last = next_month - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def _observed(day: date) -> date:
    """A fixed-date holiday on Saturday is observed on Friday, on Sunday on Monday."""
    if day.weekday() == 5:
        return day - timedelta(days=1)
    if day.weekday() == 6:
        return day + timedelta(days=1)
    return day


def us_federal_holidays(year: int) -> list[tuple[date, str]]:
    """The eleven US federal holidays of a year, on the dates they are observed.

    A New Year's Day falling on a Saturday is observed on the Friday before,
    which lies in the previous year; it is returned with that previous year's
    list, as the day the office is closed.
    """
    holidays = [
        (_observed(date(year, 1, 1)), "New Year's Day"),
        (_nth_weekday(year, 1, MONDAY, 3), "Birthday of Martin Luther King, Jr."),
        (_nth_weekday(year, 2, MONDAY, 3), "Washington's Birthday"),
        (_last_weekday(year, 5, MONDAY), "Memorial Day"),
        (_observed(date(year, 6, 19)), "Juneteenth National Independence Day"),
        (_observed(date(year, 7, 4)), "Independence Day"),
        (_nth_weekday(year, 9, MONDAY, 1), "Labor Day"),
        (_nth_weekday(year, 10, MONDAY, 2), "Columbus Day"),
        (_observed(date(year, 11, 11)), "Veterans Day"),
        (_nth_weekday(year, 11, THURSDAY, 4), "Thanksgiving Day"),
        (_observed(date(year, 12, 25)), "Christmas Day"),
    ]
    next_new_year = date(year + 1, 1, 1)
    if next_new_year.weekday() == 5:
        holidays.append((next_new_year - timedelta(days=1), "New Year's Day"))
    return [(day, name) for day, name in holidays if day.year == year]
