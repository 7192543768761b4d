"""UTC epoch-second helpers: text spellings of timestamps, dates and booleans.

Everything inside the generator is an integer count of seconds since 1970-01-01 UTC;
text is produced only when a row is written.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

DAY = 86_400
HOUR = 3_600
EPOCH_ORDINAL = date(1970, 1, 1).toordinal()

# Share of timestamps written in one of the other spellings the contract allows.
ALT_SPELLING_SHARE = 0.03
# Share of booleans written in another letter case (`TRUE`, `False`).
ALT_BOOL_SHARE = 0.01


def epoch_of(day: date) -> int:
    """Midnight UTC of a date, in epoch seconds."""
    return (day.toordinal() - EPOCH_ORDINAL) * DAY


def day_of(ts: int) -> date:
    """The UTC calendar date of an epoch second."""
    return date.fromordinal(ts // DAY + EPOCH_ORDINAL)


@lru_cache(maxsize=8192)
def _day_text(epoch_day: int) -> str:
    return date.fromordinal(epoch_day + EPOCH_ORDINAL).isoformat()


def ts_text(ts: int, style: int = 0) -> str:
    """`2025-03-04T09:15:00Z` (style 0), `2025-03-04 09:15:00` (1), `...T09:15:00+00:00` (2)."""
    epoch_day, rem = divmod(ts, DAY)
    hour, rem = divmod(rem, HOUR)
    minute, second = divmod(rem, 60)
    day = _day_text(epoch_day)
    if style == 0:
        return f"{day}T{hour:02d}:{minute:02d}:{second:02d}Z"
    if style == 1:
        return f"{day} {hour:02d}:{minute:02d}:{second:02d}"
    return f"{day}T{hour:02d}:{minute:02d}:{second:02d}+00:00"


def date_text(day: date) -> str:
    """`YYYY-MM-DD`."""
    return day.isoformat()


def parse_ts(text: str) -> int:
    """Epoch seconds of a timestamp written by `ts_text` (any style)."""
    stamp = datetime.fromisoformat(text.strip())
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=UTC)
    return int(stamp.timestamp())


def add_months(day: date, months: int) -> date:
    """The same day of the month `months` later (clamped to the month's last day)."""
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    first_of_next = date(year + (month + 1) // 12, (month + 1) % 12 + 1, 1)
    last_day = (first_of_next - timedelta(days=1)).day
    return date(year, month + 1, min(day.day, last_day))


class TextFormatter:
    """Writes values as text, now and then in an alternative (still valid) spelling."""

    def __init__(self, rng: random.Random) -> None:
        self._random = rng.random

    def ts(self, ts: int) -> str:
        """A timestamp, mostly `...Z`, on a few percent of values another spelling."""
        draw = self._random()
        if draw >= ALT_SPELLING_SHARE:
            return ts_text(ts, 0)
        return ts_text(ts, 1 if draw < ALT_SPELLING_SHARE / 2 else 2)

    def opt_ts(self, ts: int | None) -> str | None:
        """A timestamp or null."""
        return None if ts is None else self.ts(ts)

    def boolean(self, value: bool) -> str:
        """`true`/`false`, rarely `TRUE`/`False`."""
        if self._random() < ALT_BOOL_SHARE:
            return "TRUE" if value else "False"
        return "true" if value else "false"

    def opt_boolean(self, value: bool | None) -> str | None:
        """A boolean or null."""
        return None if value is None else self.boolean(value)
