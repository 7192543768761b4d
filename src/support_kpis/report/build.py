"""Write the three report kinds for one month as static, self-contained HTML."""

from __future__ import annotations

import re
from datetime import date
from html import escape
from pathlib import Path

from support_kpis.report.charts import WEEKDAYS, bars_svg, heatmap_svg, trend_svg
from support_kpis.report.data import (
    HEADLINE_KPIS,
    SCORECARD_KPIS,
    HourOfWeek,
    ReportData,
    Target,
    Values,
    load_report_data,
)
from support_kpis.targets import target_status

STYLE = """
body { font-family: sans-serif; margin: 2em; color: #222; max-width: 1000px; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { border: 1px solid #ccc; padding: 4px 8px; text-align: right; }
th:first-child, td:first-child { text-align: left; }
.on_target { background: #d5f5e3; } .warning { background: #fdebd0; }
.off_target { background: #fadbd8; } .empty { color: #888; }
.callout { border-left: 4px solid #e67e22; padding: 0 1em; }
.hour-of-week svg { max-width: 100%; height: auto; }
"""
PERCENT_SUFFIXES = ("_rate", "_share")
LEVEL, UNDERSTAFFED = "service_level_rate", "understaffed_interval_rate"
MISSING = "&ndash;"


def month_shift(month: date, months: int) -> date:
    index = month.year * 12 + month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def fmt(kpi: str, value: float | None) -> str:
    if value is None:
        return MISSING
    if kpi.endswith(PERCENT_SUFFIXES) or kpi == "csat_rate_change":
        return f"{value * 100:.1f}%"
    return f"{value:,.2f}" if abs(value) < 1000 else f"{value:,.0f}"


def status(target: Target | None, value: float | None) -> str:
    """The target status (support_kpis.targets) as a CSS class; "" when none."""
    return target_status(target, value) or ""


def cell(kpi: str, value: float | None, css: str = "", role: str = "") -> str:
    """A table cell showing a KPI value; data-kpi/data-value carry the exact number."""
    raw = "" if value is None else repr(value)
    key = f"{kpi}__{role}" if role else kpi
    return f'<td class="{css}" data-kpi="{escape(key)}" data-value="{raw}">{fmt(kpi, value)}</td>'


def page(title: str, body: str) -> str:
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>'
        f"<style>{STYLE}</style></head><body><h1>{escape(title)}</h1>{body}</body></html>"
    )


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "none"


def agent_page(data: ReportData, agent: str, month: date) -> str:
    team = data.agent_teams.get(agent)
    peers = [
        a for a, t in data.agent_teams.items() if t == team and month in data.agents.get(a, {})
    ]
    mine = data.agents[agent][month]
    rows = []
    bars = []
    for kpi in SCORECARD_KPIS:
        peer_values = [(p, data.agents[p][month].get(kpi)) for p in peers]
        present = [v for _, v in peer_values if v is not None]
        mean = sum(present) / len(present) if present else None
        target = data.targets.get(kpi)
        higher = target is None or target.better != "lower"
        value = mine.get(kpi)
        better = (
            [v for v in present if (v > value if higher else v < value)]
            if value is not None
            else []
        )
        rank = len(better) + 1 if value is not None else None
        rank_text = f"{rank} of {len(present)}" if rank else MISSING
        rows.append(
            f"<tr><td>{escape(kpi)}</td>{cell(kpi, mine.get(kpi), status(target, mine.get(kpi)))}"
            f"{cell(kpi, mean, role='team_mean')}<td>{rank_text}</td></tr>"
        )
        # Private: the agent sees the team mean, never a colleague's own figure.
        bars.append(
            f"<h3>{escape(kpi)}</h3>"
            + bars_svg([("You", mine.get(kpi)), ("Team mean", mean)], kpi, "You")
        )
    name = data.agent_names.get(agent, agent)
    team_text = escape(team) if team else MISSING
    body = (
        f"<p>Private scorecard for {escape(name)} ({escape(agent)}), team {team_text}, "
        f"{month:%B %Y}.</p><table><tr><th>KPI</th><th>You</th><th>Team mean</th><th>Rank</th></tr>"
        + "".join(rows)
        + "</table>"
        + "".join(bars)
    )
    return page(f"Scorecard {name}: {month:%Y-%m}", body)


def comparison_table(
    series: dict[date, Values], kpis: list[str], month: date, targets: dict[str, Target]
) -> str:
    rows = []
    for kpi in kpis:
        now = series.get(month, {}).get(kpi)
        previous = series.get(month_shift(month, -1), {}).get(kpi)
        year_ago = series.get(month_shift(month, -12), {}).get(kpi)
        target = targets.get(kpi)
        rows.append(
            f"<tr><td>{escape(kpi)}</td>{cell(kpi, now, status(target, now))}"
            f"{cell(kpi, previous, role='previous_month')}{cell(kpi, year_ago, role='year_before')}"
            f"<td>{fmt(kpi, target.target if target else None)}</td>"
            f"<td>{status(target, now).replace('_', ' ') or MISSING}</td></tr>"
        )
    return (
        "<table><tr><th>KPI</th><th>This month</th><th>Previous month</th>"
        "<th>Same month a year before</th><th>Target</th><th>Status</th></tr>"
        + "".join(rows)
        + "</table>"
    )


def team_page(data: ReportData, team: str, month: date) -> str:
    series = data.teams[team]
    kpis = sorted({kpi for values in series.values() for kpi in values})
    body = f"<p>Team {escape(team)}, {month:%B %Y}.</p>" + comparison_table(
        series, kpis, month, data.targets
    )
    return page(f"Team report {team}: {month:%Y-%m}", body)


def hours_to_staff_up(data: ReportData, month: date, limit: int = 5) -> list[HourOfWeek]:
    """The (up to) `limit` weekday-hours of the month with calls offered, most
    understaffed first (understaffed_interval_rate descending), then lowest service
    level (service_level_rate ascending), then most calls offered; hours neither
    understaffed nor below the service-level target are left out. Values as the saved
    queries give them."""
    service = data.service_by_hour.get(month, {})
    staffing = data.staffing_by_hour.get(month, {})
    target = data.targets.get(LEVEL)
    goal = target.target if target else None
    ranked = []
    for hour, values in service.items():
        level = values.get(LEVEL)
        understaffed = staffing.get(hour, {}).get(UNDERSTAFFED)
        calls = values.get("calls_offered")
        if not calls or level is None:
            continue
        if not understaffed and (goal is None or level >= goal):
            continue
        key = (understaffed is None, -(understaffed or 0.0), level, -calls, hour)
        ranked.append((key, hour))
    return [hour for _, hour in sorted(ranked)[:limit]]


def hour_label(hour: HourOfWeek) -> str:
    return f"{WEEKDAYS[hour[0] - 1]} {hour[1]:02d}:00"


def hour_of_week_section(data: ReportData, month: date) -> str:
    """The heat map of service level against understaffed hours, and the hours to staff up."""
    service = data.service_by_hour.get(month, {})
    staffing = data.staffing_by_hour.get(month, {})
    target = data.targets.get(LEVEL)
    goal = target.target if target else None
    title = f"Service level by hour of the week, {month:%B %Y}"
    listed = ", ".join(
        f"{hour_label(hour)} ({fmt(UNDERSTAFFED, staffing.get(hour, {}).get(UNDERSTAFFED))} "
        f"understaffed, service level {fmt(LEVEL, service[hour].get(LEVEL))})"
        for hour in hours_to_staff_up(data, month)
    )
    sentence = (
        f"Hours to staff up: {listed}."
        if listed
        else "Hours to staff up: none; no weekday-hour with calls was understaffed or below "
        "the service-level target."
    )
    return (
        f'<section class="hour-of-week"><h2>{escape(title)}</h2>'
        "<p>Each cell is one weekday-hour (UTC) of the month: its colour and number are the "
        "service level of the calls offered in it (target "
        f"{fmt(LEVEL, goal)}), grey when no calls were offered; an outline marks "
        "hours in which at least half of the queue intervals were understaffed. Hover a cell "
        "for its figures.</p>"
        + heatmap_svg(service, staffing, goal, title)
        + f'<p class="callout staff-up">{sentence}</p></section>'
    )


def management_page(data: ReportData, month: date) -> str:
    months = [m for m in sorted(data.overall) if m <= month][-13:]
    changes = []
    for kpi in HEADLINE_KPIS:
        now = data.overall.get(month, {}).get(kpi)
        before = data.overall.get(month_shift(month, -1), {}).get(kpi)
        if now is not None and before:
            changes.append((abs(now - before) / abs(before), kpi, before, now))
    changes.sort(reverse=True)
    callouts = "".join(
        f"<li>{escape(kpi)}: {fmt(kpi, before)} &rarr; {fmt(kpi, now)} "
        f"({change * 100:.0f}% change in size)</li>"
        for change, kpi, before, now in changes[:3]
    )
    charts = []
    for kpi in HEADLINE_KPIS:
        target = data.targets.get(kpi)
        benchmark = (
            f" Benchmark {fmt(kpi, target.benchmark)} ({escape(target.benchmark_source or '')})."
            if target and target.benchmark is not None
            else ""
        )
        target_text = fmt(kpi, target.target if target else None)
        charts.append(
            f"<h3>{escape(kpi)}</h3><p>Target {target_text}.{benchmark}</p>"
            + trend_svg(
                [(f"{m:%Y-%m}", data.overall[m].get(kpi)) for m in months],
                target.target if target else None,
                kpi,
            )
        )
    body = (
        f"<p>Headline KPIs over the {len(months)} months to {month:%B %Y}, against targets "
        "(dashed red line) and benchmarks.</p>"
        '<div class="callout"><h2>Largest changes from the previous month</h2>'
        f"<ul>{callouts}</ul></div>"
        + comparison_table(data.overall, list(HEADLINE_KPIS), month, data.targets)
        + hour_of_week_section(data, month)
        + "".join(charts)
    )
    return page(f"Management trends: {month:%Y-%m}", body)


def write_reports(project_dir: Path, database: Path, month: date, outdir: Path) -> list[Path]:
    """Write index.html, management.html, team-<team>.html and agent-<agent>.html."""
    data = load_report_data(project_dir, database)
    if month not in data.overall:
        known = ", ".join(f"{m:%Y-%m}" for m in sorted(data.overall))
        raise ValueError(f"no KPI values for {month:%Y-%m}; months with data: {known}")
    outdir.mkdir(parents=True, exist_ok=True)
    written: dict[str, str] = {"management.html": management_page(data, month)}
    for team, series in sorted(data.teams.items()):
        if month in series:
            written[f"team-{slug(team)}.html"] = team_page(data, team, month)
    for agent, series in sorted(data.agents.items()):
        if month in series and agent in data.agent_names:
            written[f"agent-{slug(agent)}.html"] = agent_page(data, agent, month)
    links = "".join(f'<li><a href="{name}">{escape(name)}</a></li>' for name in written)
    written["index.html"] = page(f"Support KPI reports {month:%Y-%m}", f"<ul>{links}</ul>")
    paths = []
    for name, html in written.items():
        path = outdir / name
        path.write_text(html, encoding="utf-8")
        paths.append(path)
    return paths
