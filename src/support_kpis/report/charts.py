"""Small inline SVG charts (no script, no network): a trend line with its
target, horizontal bars, and an hour-of-week heat map. Every chart has axis
titles, labelled ticks, its values written out and its target line labelled."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from html import escape
from itertools import pairwise

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")  # ISO 1..7
# A weekday-hour is marked when at least this share of its queue intervals is understaffed.
UNDERSTAFFED_MARK = 0.5
# Heat map geometry (px): fits a ~700 px wide page column.
HEAT_WIDTH, HEAT_LEFT, HEAT_TOP, CELL_W, CELL_H = 700, 64, 44, 25, 24
HEAT_LEGEND_TOP = HEAT_TOP + 7 * CELL_H + 22
HEAT_HEIGHT = HEAT_LEGEND_TOP + 58
LEGEND_BAR_X, LEGEND_BAR_W = HEAT_LEFT + 85, 200
NO_CALLS_FILL = "#eeeeee"
# Sequential scale (ColorBrewer YlOrRd, reversed): 0% dark red .. 100% pale yellow.
SCALE = ((0.0, (128, 0, 38)), (0.5, (253, 141, 60)), (1.0, (255, 255, 204)))

# Target status: (marker and bar colour, words). Colour means target status and
# nothing else; a value without a target is drawn in NEUTRAL, one resting on too
# few observations hollow in TOO_FEW.
STATUS_COLOURS = {
    "on_target": ("#1e8449", "on target"),
    "warning": ("#b9770e", "warning"),
    "off_target": ("#c0392b", "off target"),
}
NEUTRAL, TOO_FEW, COMPARISON, TARGET_INK = "#2c6fbb", "#9a9a9a", "#7f8c8d", "#000000"
FONT = 'font-family="sans-serif"'
Formatter = Callable[[float], str]


@dataclass(frozen=True)
class Point:
    """One value of a chart: its label (a month, "You"), value, target status
    ("on_target", "warning", "off_target" or "" when not judged) and whether it
    rests on too few observations."""

    label: str
    value: float | None
    status: str = ""
    too_few: bool = False
    sublabel: str = ""  # a second label line (the year under a month)


def nice_ticks(low: float, high: float, steps: Sequence[float] | None = None) -> list[float]:
    """Four to seven evenly spaced round ticks covering [low, high]; `steps` are the
    allowed step sizes (minutes: 15, 30, 60, ...), else 1, 2, 2.5 or 5 times a power of ten."""
    if high <= low:
        high = low + (abs(low) or 1.0)
    raw = (high - low) / 5
    if steps:
        step = next((s for s in steps if s >= raw), steps[-1])
        while (high - low) / step > 8:
            step *= 2
    else:
        power = 10 ** math.floor(math.log10(raw))
        step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    first = math.floor(low / step) * step
    last = math.ceil(high / step) * step
    count = round((last - first) / step)
    return [first + i * step for i in range(count + 1)]


def _text_width(text: str, size: float) -> float:
    return len(text) * size * 0.56


def _point_marker(x: float, y: float, status: str, too_few: bool, tip: str) -> str:
    """A point's marker: its shape and colour give the target status (circle on
    target, triangle warning, square off target; blue circle: no target), a
    hollow grey circle a value resting on too few observations."""
    title = f"<title>{escape(tip)}</title>"
    if too_few:
        return (
            f'<g class="point too-few">{title}<circle cx="{x:.1f}" cy="{y:.1f}" r="4.5" '
            f'fill="#ffffff" stroke="{TOO_FEW}" stroke-width="2"/></g>'
        )
    colour = STATUS_COLOURS.get(status, (NEUTRAL, ""))[0]
    css = f"point {status}".strip()
    if status == "warning":
        shape = (
            f'<path d="M{x:.1f},{y - 5.5:.1f} L{x + 5.5:.1f},{y + 4.5:.1f} '
            f'L{x - 5.5:.1f},{y + 4.5:.1f} Z" fill="{colour}"/>'
        )
    elif status == "off_target":
        shape = f'<rect x="{x - 4.5:.1f}" y="{y - 4.5:.1f}" width="9" height="9" fill="{colour}"/>'
    else:
        shape = f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4.5" fill="{colour}"/>'
    return f'<g class="{css}">{title}{shape}</g>'


def legend_svg(
    x: float,
    y: float,
    with_status: bool,
    with_target: bool,
    min_sample: int,
    comparison: str = "",
    right: float = 10_000,
) -> tuple[str, float]:
    """The legend, wrapped at `right`: the marker shapes and colours, a comparison
    bar's meaning (grey, never judged), and the target line; with the y of its last row."""
    items: list[tuple[str, str]] = []
    if with_status:
        items += [(s, words) for s, (_, words) in STATUS_COLOURS.items()]
    else:
        items.append(("", "value (no target)"))
    items.append(("too_few", f"too few (under {min_sample} observations)"))
    parts = [f'<g class="legend" {FONT} font-size="11">']
    left = x
    entries: list[tuple[str, str]] = [(status, words) for status, words in items]
    if comparison:
        entries.append(("comparison", comparison))
    if with_target:
        entries.append(("target", "target"))
    for status, words in entries:
        offset = 27 if status == "target" else 14  # where the words start
        width = offset + _text_width(words, 11) + 12
        if x > left and x + width > right:
            x, y = left, y + 16
        if status == "comparison":
            parts.append(
                f'<rect x="{x:.1f}" y="{y - 9:.1f}" width="10" height="10" fill="{COMPARISON}"/>'
            )
        elif status == "target":
            parts.append(
                f'<line x1="{x:.1f}" x2="{x + 22:.1f}" y1="{y - 4:.1f}" y2="{y - 4:.1f}" '
                f'stroke="{TARGET_INK}" stroke-width="1.5" stroke-dasharray="5,3"/>'
            )
        else:
            parts.append(_point_marker(x + 5, y - 4, status, status == "too_few", words))
        parts.append(f'<text x="{x + offset:.1f}" y="{y:.1f}">{escape(words)}</text>')
        x += width
    parts.append("</g>")
    return "".join(parts), y


TREND_WIDTH, TREND_HEIGHT = 900, 300
TREND_LEFT, TREND_RIGHT, TREND_TOP, TREND_BOTTOM = 100, 120, 24, 88
TREND_INSET = 36  # space between the y axis and the first month


def trend_svg(
    points: list[Point],
    target: float | None,
    title: str,
    fmt: Formatter,
    axis_title: str,
    steps: Sequence[float] | None = None,
    min_sample: int = 0,
) -> str:
    """A KPI per month: labelled y axis in the KPI's unit, months on the x axis,
    every value written beside its point, the target as a labelled dashed line."""
    values = [p.value for p in points if p.value is not None]
    if not values:
        return f'<p class="empty">No data for {escape(title)}.</p>'
    scale = values + ([target] if target is not None else [])
    ticks = nice_ticks(min(scale), max(scale), steps)
    low, high = ticks[0], ticks[-1]
    plot_w = TREND_WIDTH - TREND_LEFT - TREND_RIGHT
    plot_b = TREND_HEIGHT - TREND_BOTTOM
    step = (plot_w - 2 * TREND_INSET) / max(len(points) - 1, 1)

    def x(i: int) -> float:
        return TREND_LEFT + TREND_INSET + (i * step if len(points) > 1 else plot_w / 2)

    def y(value: float) -> float:
        return plot_b - (value - low) / (high - low) * (plot_b - TREND_TOP)

    parts = [
        f'<svg class="chart trend" role="img" aria-label="{escape(title)}" '
        f'viewBox="0 0 {TREND_WIDTH} {TREND_HEIGHT}" width="{TREND_WIDTH}" '
        f'height="{TREND_HEIGHT}" xmlns="http://www.w3.org/2000/svg" {FONT}>',
        f'<rect x="0" y="0" width="{TREND_WIDTH}" height="{TREND_HEIGHT}" fill="#ffffff"/>',
    ]
    for tick in ticks:
        parts.append(
            f'<line x1="{TREND_LEFT}" x2="{TREND_WIDTH - TREND_RIGHT}" y1="{y(tick):.1f}" '
            f'y2="{y(tick):.1f}" stroke="#e5e5e5"/>'
            f'<text class="tick y" x="{TREND_LEFT - 6}" y="{y(tick) + 4:.1f}" font-size="10" '
            f'text-anchor="end">{escape(fmt(tick))}</text>'
        )
    parts.append(
        f'<line x1="{TREND_LEFT}" x2="{TREND_LEFT}" y1="{TREND_TOP}" y2="{plot_b}" stroke="#555"/>'
        f'<line x1="{TREND_LEFT}" x2="{TREND_WIDTH - TREND_RIGHT}" y1="{plot_b}" y2="{plot_b}" '
        'stroke="#555"/>'
        f'<text class="axis-title y" x="14" y="{(TREND_TOP + plot_b) / 2:.0f}" font-size="11" '
        f'text-anchor="middle" transform="rotate(-90 14 {(TREND_TOP + plot_b) / 2:.0f})">'
        f"{escape(axis_title)}</text>"
        f'<text class="axis-title x" x="{TREND_LEFT + plot_w / 2:.0f}" y="{plot_b + 44}" '
        'font-size="11" text-anchor="middle">Month</text>'
    )
    if target is not None:
        parts.append(
            f'<g class="target"><line x1="{TREND_LEFT}" x2="{TREND_WIDTH - TREND_RIGHT}" '
            f'y1="{y(target):.1f}" y2="{y(target):.1f}" stroke="{TARGET_INK}" '
            'stroke-width="1.5" stroke-dasharray="5,3"/>'
            f'<text x="{TREND_WIDTH - TREND_RIGHT + 6}" y="{y(target) + 4:.1f}" font-size="11">'
            f"target {escape(fmt(target))}</text></g>"
        )
    segments: list[list[str]] = [[]]
    for i, point in enumerate(points):
        if point.value is None:
            segments.append([])
        else:
            segments[-1].append(f"{x(i):.1f},{y(point.value):.1f}")
    for segment in segments:
        if len(segment) > 1:
            parts.append(
                f'<polyline points="{" ".join(segment)}" fill="none" stroke="#8aa4c0" '
                'stroke-width="2"/>'
            )
    crowded = any(_text_width(fmt(p.value), 10) > step * 0.9 for p in points if p.value is not None)
    for i, point in enumerate(points):
        parts.append(
            f'<text class="tick x" x="{x(i):.1f}" y="{plot_b + 15}" font-size="10" '
            f'text-anchor="middle">{escape(point.label)}</text>'
        )
        if point.sublabel:
            parts.append(
                f'<text x="{x(i):.1f}" y="{plot_b + 27}" font-size="10" '
                f'text-anchor="middle">{escape(point.sublabel)}</text>'
            )
        if point.value is None:
            continue
        text = fmt(point.value)
        words = STATUS_COLOURS.get(point.status, ("", ""))[1]
        note = "too few observations" if point.too_few else words
        tip = (
            f"{point.label} {point.sublabel}".strip() + f": {text}" + (f" ({note})" if note else "")
        )
        parts.append(_point_marker(x(i), y(point.value), point.status, point.too_few, tip))
        below = crowded and i % 2 == 1
        ink = TOO_FEW if point.too_few else "#222222"
        parts.append(
            f'<text class="value" x="{x(i):.1f}" y="{y(point.value) + (16 if below else -9):.1f}" '
            f'font-size="10" text-anchor="middle" fill="{ink}">{escape(text)}</text>'
        )
    parts.append(
        legend_svg(
            TREND_LEFT, TREND_HEIGHT - 10, target is not None, target is not None, min_sample
        )[0]
    )
    parts.append("</svg>")
    return "".join(parts)


BARS_WIDTH, BARS_LEFT, BARS_RIGHT, BAR_ROW = 640, 170, 130, 30


def bars_svg(
    rows: list[Point],
    target: float | None,
    title: str,
    fmt: Formatter,
    axis_title: str,
    steps: Sequence[float] | None = None,
    min_sample: int = 0,
) -> str:
    """Horizontal bars from zero (the agent's value, the comparison group's mean),
    each labelled with its value; a labelled tick axis in the KPI's unit and the
    target as a labelled dashed line. A bar's colour is its target status; a
    comparison mean (status "") is grey."""
    values = [max(p.value, 0.0) for p in rows if p.value is not None]
    if not values:
        return f'<p class="empty">No data for {escape(title)}.</p>'
    ticks = nice_ticks(0.0, max(values + ([target] if target is not None else [])) or 1.0, steps)
    high = ticks[-1]
    top = 26
    axis_y = top + BAR_ROW * len(rows) + 4
    compared = "group mean (not judged)" if any(not p.status for p in rows) else ""
    legend, last_row = legend_svg(
        8,
        axis_y + 56,
        target is not None,
        target is not None,
        min_sample,
        compared,
        right=BARS_WIDTH - 8,
    )
    height = last_row + 10
    plot_w = BARS_WIDTH - BARS_LEFT - BARS_RIGHT

    def x(value: float) -> float:
        return BARS_LEFT + max(value, 0.0) / high * plot_w

    parts = [
        f'<svg class="chart bars" role="img" aria-label="{escape(title)}" '
        f'viewBox="0 0 {BARS_WIDTH} {height}" width="{BARS_WIDTH}" height="{height}" '
        f'xmlns="http://www.w3.org/2000/svg" {FONT}>',
        f'<rect x="0" y="0" width="{BARS_WIDTH}" height="{height}" fill="#ffffff"/>',
    ]
    for tick in ticks:
        parts.append(
            f'<line x1="{x(tick):.1f}" x2="{x(tick):.1f}" y1="{top - 4}" y2="{axis_y}" '
            'stroke="#e5e5e5"/>'
            f'<text class="tick x" x="{x(tick):.1f}" y="{axis_y + 14}" font-size="10" '
            f'text-anchor="middle">{escape(fmt(tick))}</text>'
        )
    parts.append(
        f'<line x1="{BARS_LEFT}" x2="{BARS_LEFT + plot_w}" y1="{axis_y}" y2="{axis_y}" '
        'stroke="#555"/>'
        f'<text class="axis-title x" x="{BARS_LEFT + plot_w / 2:.0f}" y="{axis_y + 32}" '
        f'font-size="11" text-anchor="middle">{escape(axis_title)}</text>'
    )
    for i, row in enumerate(rows):
        y = top + i * BAR_ROW
        parts.append(
            f'<text class="tick y" x="{BARS_LEFT - 8}" y="{y + 16}" font-size="12" '
            f'text-anchor="end">{escape(row.label)}</text>'
        )
        if row.value is None:
            parts.append(
                f'<text x="{BARS_LEFT + 4}" y="{y + 16}" font-size="11" fill="#666">no value</text>'
            )
            continue
        if row.too_few:
            fill, extra = "#ffffff", f' stroke="{TOO_FEW}" stroke-width="2" stroke-dasharray="4,2"'
        else:
            fill = STATUS_COLOURS.get(row.status, (COMPARISON, ""))[0]
            fill = NEUTRAL if row.status == "no_target" else fill
            extra = ""
        text = fmt(row.value) + (" (too few)" if row.too_few else "")
        parts.append(
            f'<rect x="{BARS_LEFT}" y="{y + 3}" width="{x(row.value) - BARS_LEFT:.1f}" height="20" '
            f'fill="{fill}"{extra}><title>{escape(row.label)}: {escape(text)}</title></rect>'
            f'<text class="value" x="{x(row.value) + 6:.1f}" y="{y + 17}" font-size="11" '
            f'fill="{TOO_FEW if row.too_few else "#222222"}">{escape(text)}</text>'
        )
    if target is not None:
        parts.append(
            f'<g class="target"><line x1="{x(target):.1f}" x2="{x(target):.1f}" y1="{top - 6}" '
            f'y2="{axis_y}" stroke="{TARGET_INK}" stroke-width="1.5" stroke-dasharray="5,3"/>'
            f'<text x="{x(target):.1f}" y="{top - 10}" font-size="11" text-anchor="middle">'
            f"target {escape(fmt(target))}</text></g>"
        )
    parts.append(legend)
    parts.append("</svg>")
    return "".join(parts)


def level_colour(rate: float) -> str:
    """The heat map colour of a service level (0..1, clamped)."""
    rate = min(max(rate, 0.0), 1.0)
    for (low, low_rgb), (high, high_rgb) in pairwise(SCALE):
        if rate <= high:
            share = (rate - low) / (high - low)
            rgb = (round(a + (b - a) * share) for a, b in zip(low_rgb, high_rgb, strict=True))
            return "#{:02x}{:02x}{:02x}".format(*rgb)
    return "#{:02x}{:02x}{:02x}".format(*SCALE[-1][1])


def _percent(value: float | None) -> str:
    return "n/a" if value is None else f"{value * 100:.1f}%"


def _cell_title(
    weekday: int,
    hour: int,
    service: Mapping[str, float | None],
    staffing: Mapping[str, float | None],
) -> str:
    calls = service.get("calls_offered")
    understaffed = staffing.get("understaffed_interval_rate")
    gap = staffing.get("staffing_gap_agents")
    if calls:
        details = [
            f"service level {_percent(service.get('service_level_rate'))}",
            f"{calls:,.0f} {'call' if calls == 1 else 'calls'} offered",
        ]
    else:
        details = ["no calls offered"]
    if understaffed is None:
        details.append("no staffing intervals judged")
    else:
        details.append(f"understaffed share {_percent(understaffed)} of queue intervals")
    if gap is not None:
        details.append(f"mean staffing gap {gap:+.2f} agents (negative = short)")
    return f"{WEEKDAYS[weekday - 1]} {hour:02d}:00 UTC: " + ", ".join(details)


def heatmap_svg(
    service: Mapping[tuple[int, int], Mapping[str, float | None]],
    staffing: Mapping[tuple[int, int], Mapping[str, float | None]],
    target: float | None,
    title: str,
) -> str:
    """Hour-of-week heat map: 7 weekday rows x 24 hour columns (UTC), each cell
    coloured by the service level of the calls offered in it (grey: no calls) and
    outlined when at least UNDERSTAFFED_MARK of its queue intervals were understaffed.
    `service` maps (ISO weekday, hour) to calls_offered and service_level_rate,
    `staffing` to understaffed_interval_rate and staffing_gap_agents; every value
    is shown as given (the semantic layer's), none is computed here."""
    if not service and not staffing:
        return f'<p class="empty">No data for {escape(title)}.</p>'
    grid_right = HEAT_LEFT + 24 * CELL_W
    grid_bottom = HEAT_TOP + 7 * CELL_H
    parts = [
        f'<svg role="img" aria-label="{escape(title)}" viewBox="0 0 {HEAT_WIDTH} {HEAT_HEIGHT}" '
        f'width="{HEAT_WIDTH}" height="{HEAT_HEIGHT}" xmlns="http://www.w3.org/2000/svg" '
        'font-family="sans-serif">',
        f'<rect x="0" y="0" width="{HEAT_WIDTH}" height="{HEAT_HEIGHT}" fill="#ffffff"/>',
        f'<text class="axis-title" x="{(HEAT_LEFT + grid_right) / 2:.0f}" y="14" font-size="12" '
        'font-weight="bold" text-anchor="middle">Hour of day (UTC)</text>',
        f'<text class="axis-title" x="14" y="{(HEAT_TOP + grid_bottom) / 2:.0f}" font-size="12" '
        f'font-weight="bold" text-anchor="middle" '
        f'transform="rotate(-90 14 {(HEAT_TOP + grid_bottom) / 2:.0f})">Weekday</text>',
    ]
    for hour in range(24):
        parts.append(
            f'<text class="hour-label" x="{HEAT_LEFT + hour * CELL_W + (CELL_W - 2) / 2:.1f}" '
            f'y="{HEAT_TOP - 8}" font-size="10" text-anchor="middle">{hour:02d}</text>'
        )
    for row, name in enumerate(WEEKDAYS):
        parts.append(
            f'<text class="weekday-label" x="{HEAT_LEFT - 6}" '
            f'y="{HEAT_TOP + row * CELL_H + CELL_H / 2 + 3:.1f}" font-size="11" '
            f'text-anchor="end">{name}</text>'
        )
    for row in range(7):
        weekday = row + 1
        for hour in range(24):
            calls_values = service.get((weekday, hour), {})
            staff_values = staffing.get((weekday, hour), {})
            level = calls_values.get("service_level_rate")
            has_calls = bool(calls_values.get("calls_offered")) and level is not None
            understaffed = staff_values.get("understaffed_interval_rate")
            marked = understaffed is not None and understaffed >= UNDERSTAFFED_MARK
            x, y = HEAT_LEFT + hour * CELL_W, HEAT_TOP + row * CELL_H
            css = "cell" + (" has-calls" if has_calls else " no-calls")
            css += " understaffed" if marked else ""
            fill = level_colour(level) if has_calls and level is not None else NO_CALLS_FILL
            cell = [
                f'<g class="{css}" data-weekday="{weekday}" data-hour="{hour}">'
                f"<title>{escape(_cell_title(weekday, hour, calls_values, staff_values))}</title>"
                f'<rect x="{x}" y="{y}" width="{CELL_W - 2}" height="{CELL_H - 2}" '
                f'fill="{fill}"/>'
            ]
            if has_calls and level is not None:
                ink = "#ffffff" if level < 0.45 else "#222222"
                cell.append(
                    f'<text x="{x + (CELL_W - 2) / 2:.1f}" y="{y + CELL_H / 2 + 2:.1f}" '
                    f'font-size="9" text-anchor="middle" fill="{ink}">{level * 100:.0f}</text>'
                )
            if marked:
                cell.append(_marker(x, y))
            cell.append("</g>")
            parts.append("".join(cell))
    parts.append(_heat_legend(target))
    parts.append("</svg>")
    return "".join(parts)


def _marker(x: float, y: float) -> str:
    """The understaffed marker: a black outline with a white inner edge, visible on
    every colour of the scale."""
    return (
        f'<rect class="understaffed-mark" x="{x + 1}" y="{y + 1}" width="{CELL_W - 4}" '
        f'height="{CELL_H - 4}" fill="none" stroke="#111111" stroke-width="2"/>'
        f'<rect x="{x + 2.5}" y="{y + 2.5}" width="{CELL_W - 7}" height="{CELL_H - 7}" '
        'fill="none" stroke="#ffffff" stroke-width="1"/>'
    )


def _heat_legend(target: float | None) -> str:
    top = HEAT_LEGEND_TOP
    steps = 20
    parts = [
        f'<g class="legend"><text x="{HEAT_LEFT}" y="{top + 12}" font-size="11">'
        "Service level</text>"
    ]
    for step in range(steps):
        parts.append(
            f'<rect x="{LEGEND_BAR_X + step * LEGEND_BAR_W / steps:.1f}" y="{top + 2}" '
            f'width="{LEGEND_BAR_W / steps + 0.5:.1f}" height="14" '
            f'fill="{level_colour((step + 0.5) / steps)}"/>'
        )
    for share, anchor in ((0.0, "start"), (0.5, "middle"), (1.0, "end")):
        parts.append(
            f'<text x="{LEGEND_BAR_X + share * LEGEND_BAR_W:.1f}" y="{top + 28}" font-size="10" '
            f'text-anchor="{anchor}">{share * 100:.0f}%</text>'
        )
    if target is not None:
        x = LEGEND_BAR_X + min(max(target, 0.0), 1.0) * LEGEND_BAR_W
        parts.append(
            f'<line class="target" x1="{x:.1f}" x2="{x:.1f}" y1="{top - 2}" y2="{top + 20}" '
            'stroke="#000000" stroke-width="2"/>'
            f'<text x="{x:.1f}" y="{top - 5}" font-size="10" text-anchor="middle">'
            f"target {target * 100:.0f}%</text>"
        )
    swatch_x = LEGEND_BAR_X + LEGEND_BAR_W + 24
    parts.append(
        f'<rect x="{swatch_x}" y="{top + 2}" width="{CELL_W - 2}" height="14" '
        f'fill="{NO_CALLS_FILL}"/>'
        f'<text x="{swatch_x + CELL_W + 4}" y="{top + 13}" font-size="11">'
        "no calls offered (numbers in cells: service level %)</text>"
    )
    row_two = top + 36
    parts.append(
        f'<rect x="{HEAT_LEFT}" y="{row_two}" width="{CELL_W - 2}" height="{CELL_H - 2}" '
        f'fill="{level_colour(0.75)}"/>'
        + _marker(HEAT_LEFT, row_two)
        + f'<text x="{HEAT_LEFT + CELL_W + 6}" y="{row_two + 15}" font-size="11">'
        f"outlined: at least {UNDERSTAFFED_MARK * 100:.0f}% of the hour's queue intervals "
        "understaffed (staffed agents fewer than required)</text></g>"
    )
    return "".join(parts)
