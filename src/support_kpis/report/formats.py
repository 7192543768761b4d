"""How the reports write a KPI value for a reader: counts as whole numbers,
rates as percentages, durations in hours and minutes (or minutes and seconds),
NPS in points. The exact number stays in the page's data-value attributes."""

from __future__ import annotations

from support_kpis.report.semantic import Kind, KpiInfo

MISSING = "\u2013"  # en dash: no value


def minutes_text(minutes: float) -> str:
    """A duration in minutes as `2 h 05 min`, `45 min`, or `40 s` under a minute."""
    sign = "-" if minutes < 0 else ""
    minutes = abs(minutes)
    if 0 < minutes < 1:
        return f"{sign}{round(minutes * 60)} s"
    total = round(minutes)
    if total < 60:
        return f"{sign}{total} min"
    return f"{sign}{total // 60} h {total % 60:02d} min"


def seconds_text(seconds: float) -> str:
    """A duration in seconds as `35 s`, `4 min 05 s`, or `1 h 02 min` from an hour."""
    sign = "-" if seconds < 0 else ""
    total = round(abs(seconds))
    if total < 60:
        return f"{sign}{total} s"
    if total < 3600:
        return f"{sign}{total // 60} min {total % 60:02d} s"
    return sign + minutes_text(total / 60)


def value_text(info: KpiInfo, value: float | None) -> str:
    """The value as a reader sees it; an en dash when there is none."""
    if value is None:
        return MISSING
    kind = info.kind
    if kind is Kind.COUNT:
        return f"{value:,.0f}"
    if kind is Kind.RATE:
        return f"{value * 100:.1f}%"
    if kind is Kind.RATE_CHANGE:
        return f"{value * 100:+.1f} pp"
    if kind is Kind.MINUTES:
        return minutes_text(value)
    if kind is Kind.SECONDS:
        return seconds_text(value)
    if kind is Kind.NPS:
        return f"{value:.0f}"
    if kind is Kind.SCORE or kind is Kind.AMOUNT:
        return f"{value:,.2f}"
    return f"{value:,.2f}" if abs(value) < 10 else f"{value:,.1f}"


def change_text(info: KpiInfo, before: float | None, now: float | None) -> str:
    """The change from `before` to `now`: percentage points for rates, points for
    NPS, else relative (+12%); an en dash when it cannot be computed."""
    if before is None or now is None:
        return MISSING
    if info.kind in (Kind.RATE, Kind.RATE_CHANGE):
        return f"{(now - before) * 100:+.1f} pp"
    if info.kind is Kind.NPS:
        return f"{now - before:+.0f} points"
    if before == 0:
        return MISSING
    return f"{(now - before) / abs(before) * 100:+.0f}%"


def count_text(count: float | None, noun: str) -> str:
    """A sample size: `12 CSAT responses`, `1 CSAT response`."""
    count = count or 0.0
    if round(count) == 1:
        words = noun.split()
        for i, word in enumerate(words):
            if word.endswith("s") and not word.endswith("ss"):
                words[i] = word[:-1]
                break
        noun = " ".join(words)
    return f"{count:,.0f} {noun}"
