"""Small inline SVG charts (no script, no network): a trend line with its
target, horizontal bars, and an hour-of-week heat map."""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from itertools import pairwise

WIDTH, HEIGHT, PAD = 560, 180, 36

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


def trend_svg(points: list[tuple[str, float | None]], target: float | None, title: str) -> str:
    values = [v for _, v in points if v is not None] + ([target] if target is not None else [])
    if not values:
        return f'<p class="empty">No data for {escape(title)}.</p>'
    low, high = min(values), max(values)
    span = (high - low) or abs(high) or 1.0
    low, high = low - span * 0.1, high + span * 0.1
    step = (WIDTH - 2 * PAD) / max(len(points) - 1, 1)

    def y(value: float) -> float:
        return HEIGHT - PAD - (value - low) / (high - low) * (HEIGHT - 2 * PAD)

    path = " ".join(
        f"{'M' if i == 0 else 'L'}{PAD + i * step:.1f},{y(v):.1f}"
        for i, (_, v) in enumerate(points)
        if v is not None
    )
    parts = [
        f'<svg role="img" aria-label="{escape(title)}" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" xmlns="http://www.w3.org/2000/svg">',
        f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>',
    ]
    if target is not None:
        parts.append(
            f'<line x1="{PAD}" x2="{WIDTH - PAD}" y1="{y(target):.1f}" y2="{y(target):.1f}" '
            'stroke="#c0392b" stroke-dasharray="5,4"/>'
        )
    parts.append(f'<path d="{path}" fill="none" stroke="#2c6fbb" stroke-width="2"/>')
    for i, (label, v) in enumerate(points):
        if v is not None:
            parts.append(
                f'<circle cx="{PAD + i * step:.1f}" cy="{y(v):.1f}" r="3" fill="#2c6fbb"/>'
            )
        if i % 3 == 0 or i == len(points) - 1:
            parts.append(
                f'<text x="{PAD + i * step:.1f}" y="{HEIGHT - 8}" font-size="10" '
                f'text-anchor="middle">{escape(label)}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def bars_svg(rows: list[tuple[str, float | None]], title: str, highlight: str) -> str:
    values = [abs(v) for _, v in rows if v is not None]
    if not values:
        return f'<p class="empty">No data for {escape(title)}.</p>'
    top = max(values) or 1.0
    height = 22 * len(rows) + 10
    parts = [
        f'<svg role="img" aria-label="{escape(title)}" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" xmlns="http://www.w3.org/2000/svg">'
    ]
    for i, (label, v) in enumerate(rows):
        width = 0 if v is None else abs(v) / top * (WIDTH - 220)
        colour = "#e67e22" if label == highlight else "#95a5a6"
        parts.append(
            f'<text x="0" y="{22 * i + 16}" font-size="12">{escape(label)}</text>'
            f'<rect x="150" y="{22 * i + 4}" width="{width:.1f}" height="16" fill="{colour}"/>'
        )
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
