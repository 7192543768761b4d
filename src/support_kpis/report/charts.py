"""Small inline SVG charts (no script, no network): a trend line with its
target, and horizontal bars."""

from __future__ import annotations

from html import escape

WIDTH, HEIGHT, PAD = 560, 180, 36


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
