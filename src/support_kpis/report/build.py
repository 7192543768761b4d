"""Write the three report kinds for one month as static, self-contained HTML.

Every number is the semantic layer's (saved queries, and the KPIs' own
denominator metrics for sample sizes); this module only formats, compares with
the targets, and decides what may be shown:
- a value resting on fewer than MIN_SAMPLE observations is greyed and marked
  "too few", not judged against its target, and left out of month-over-month
  changes;
- an agent's scorecard compares with the team only when at least
  MIN_OTHER_AGENTS colleagues have a value for the KPI, else with all agents
  (same rule), else with nobody: a small team's mean would give a colleague's
  figure away.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from html import escape
from pathlib import Path

from support_kpis.report.charts import (
    STATUS_COLOURS,
    WEEKDAYS,
    Point,
    bars_svg,
    heatmap_svg,
    trend_svg,
)
from support_kpis.report.data import (
    HEADLINE_KPIS,
    SCORECARD_KPIS,
    UNROUTED,
    HourOfWeek,
    ReportData,
    Target,
    Values,
    load_report_data,
)
from support_kpis.report.formats import MISSING, change_text, count_text, value_text
from support_kpis.report.semantic import Kind, KpiInfo
from support_kpis.targets import target_status

# A rate or mean resting on fewer observations than this is "too few": with under
# 10, one observation moves a rate by more than 10 percentage points (an NPS by
# more than 10 points), more than the gap between a target and its warning level.
MIN_SAMPLE = 10
# An agent is compared with a group only when at least this many *other* agents of
# the group have a value: the mean then hides each colleague among three or more.
MIN_OTHER_AGENTS = 3

STYLE = """
body { font-family: sans-serif; margin: 1.5em; color: #222; max-width: 1100px; }
h1 { font-size: 1.6em; } h2 { font-size: 1.25em; margin-top: 1.6em; }
h3 { font-size: 1.05em; margin: 1.4em 0 0.2em; }
.table-wrap { overflow-x: auto; max-width: 100%; }
table { border-collapse: collapse; margin: 0.6em 0; }
th, td { border: 1px solid #ccc; padding: 4px 8px; text-align: right; vertical-align: top; }
td[data-kpi], td.target { white-space: nowrap; }
th { background: #f4f4f4; }
th:first-child, td:first-child { text-align: left; }
td.compared { text-align: left; }
td.kpi .unit { display: block; color: #666; font-size: 0.85em; }
.on_target { background: #d5f5e3; } .warning { background: #fdebd0; }
.off_target { background: #fadbd8; }
.too-few { color: #8a8a8a; background: #f3f3f3; }
.too-few-marker { display: inline-block; margin-left: 0.4em; padding: 0 0.35em;
  border: 1px dashed #8a8a8a; border-radius: 3px; font-size: 0.8em; color: #666; }
.muted, .empty { color: #777; }
.legend { border: 1px solid #ddd; padding: 0.4em 0.8em; background: #fafafa; }
.legend span.swatch { display: inline-block; padding: 0 0.5em; margin-right: 0.3em;
  border: 1px solid #ccc; }
.callout { border-left: 4px solid #2c6fbb; padding: 0 1em; }
svg { max-width: 100%; height: auto; }
"""
LEVEL, UNDERSTAFFED = "service_level_rate", "understaffed_interval_rate"
STATUS_SYMBOL = {"on_target": "\u2713", "warning": "!", "off_target": "\u2717"}
# Tick steps of the chart axes: durations on round minutes or seconds.
MINUTE_STEPS = (1, 2, 5, 10, 15, 30, 60, 120, 180, 240, 360, 480, 720, 1440, 2880, 4320, 10080)
SECOND_STEPS = (1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200)
WHOLE_STEPS = tuple(m * 10**k for k in range(8) for m in (1, 2, 5))


def month_shift(month: date, months: int) -> date:
    index = month.year * 12 + month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def percent(value: float | None) -> str:
    return MISSING if value is None else f"{value * 100:.1f}%"


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "none"


def page(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head>"
        f"<body><h1>{escape(title)}</h1>{body}</body></html>"
    )


def table(head: Sequence[str], rows: Sequence[str]) -> str:
    header = "".join(f"<th>{escape(name)}</th>" for name in head)
    return f'<div class="table-wrap"><table><tr>{header}</tr>{"".join(rows)}</table></div>'


@dataclass(frozen=True)
class Judged:
    """One KPI value of one month, as the report shows it."""

    info: KpiInfo
    value: float | None
    sample: float | None  # observations behind it; None when the KPI has no sample metric
    too_few: bool
    status: str  # target status, "" when not judged (no target, no value, too few)


def judge(
    info: KpiInfo,
    series: dict[date, Values],
    samples: dict[date, Values],
    month: date,
    target: Target | None,
) -> Judged:
    value = series.get(month, {}).get(info.name)
    metric = info.sample_metric
    if metric is None:
        return Judged(info, value, None, False, (target_status(target, value) or ""))
    counts = [samples.get(month_shift(month, -o), {}).get(metric) for o in info.sample_offsets]
    too_few = value is not None and any(n is None or n < MIN_SAMPLE for n in counts)
    status = "" if too_few else (target_status(target, value) or "")
    return Judged(info, value, samples.get(month, {}).get(metric) or 0.0, too_few, status)


def too_few_marker(judged: Judged) -> str:
    noun = judged.info.sample_noun
    return (
        f'<span class="too-few-marker" title="fewer than {MIN_SAMPLE} {escape(noun)}: '
        f'not judged against the target and not compared">too few</span>'
    )


def value_cell(judged: Judged, key: str, colour: bool = True) -> str:
    """A table cell with the formatted value; data-kpi/data-value carry the exact number.
    Coloured by target status only when `colour` (a value compared with its target)."""
    raw = "" if judged.value is None else repr(judged.value)
    text = escape(value_text(judged.info, judged.value))
    if judged.too_few:
        css, text = "too-few", text + too_few_marker(judged)
    else:
        css = judged.status if colour else ""
    return f'<td class="{css}" data-kpi="{escape(key)}" data-value="{raw}">{text}</td>'


def sample_cell(judged: Judged, key: str) -> str:
    if judged.sample is None:
        return f'<td class="muted">{MISSING}</td>'
    css = "too-few" if judged.too_few else ""
    return (
        f'<td class="{css}" data-kpi="{escape(key)}__sample" data-value="{judged.sample!r}">'
        f"{escape(count_text(judged.sample, judged.info.sample_noun))}</td>"
    )


def kpi_cell(info: KpiInfo) -> str:
    return (
        f'<td class="kpi">{escape(info.display_label)}'
        f'<span class="unit">{escape(info.unit_text)}</span></td>'
    )


def target_text(info: KpiInfo, target: Target | None) -> str:
    if target is None or target.target is None:
        return "no target"
    sign = {"higher": "\u2265 ", "lower": "\u2264 "}.get(target.better or "", "")
    return sign + value_text(info, target.target)


def status_text(judged: Judged, target: Target | None) -> str:
    if judged.value is None:
        return MISSING
    if judged.too_few:
        return "not judged (too few)"
    if not judged.status:
        return "no target" if target is None or target.target is None else MISSING
    return f"{STATUS_SYMBOL[judged.status]} {STATUS_COLOURS[judged.status][1]}"


def legend_html() -> str:
    swatches = "".join(
        f'<span class="swatch {status}">{STATUS_SYMBOL[status]} {words}</span>'
        for status, (_, words) in STATUS_COLOURS.items()
    )
    return (
        f'<div class="legend"><p><strong>Target status</strong> (colours mean this and '
        f"nothing else): {swatches}<br>on target: the value meets its target; warning: it "
        "misses the target but is within the warning level; off target: it is beyond the "
        "warning level. Values without a target are not coloured. In charts: circle on "
        "target, triangle warning, square off target, blue circle no target; the dashed "
        "line is the target.</p>"
        f'<p><span class="too-few-marker">too few</span> a rate or average resting on fewer '
        f"than {MIN_SAMPLE} observations (the count is shown beside it): greyed, not judged "
        "against its target, not used for month-over-month changes; hollow grey point in "
        "charts.</p></div>"
    )


def chart_steps(info: KpiInfo) -> Sequence[float] | None:
    if info.kind is Kind.MINUTES:
        return MINUTE_STEPS
    if info.kind is Kind.SECONDS:
        return SECOND_STEPS
    if info.kind in (Kind.COUNT, Kind.NPS):
        return WHOLE_STEPS
    return None


@dataclass(frozen=True)
class Comparison:
    """The group an agent's value is compared with, for one KPI."""

    scope: str  # "team", "all_agents" or "" (not shown)
    values: list[float]  # the group's values, the agent's own included
    reason: str  # why this group, in the reader's words


def comparison_group(data: ReportData, agent: str, kpi: str, month: date) -> Comparison:
    """The team when at least MIN_OTHER_AGENTS colleagues of the team have a value for
    the KPI this month, else all agents (same rule), else nobody."""
    team = data.agent_teams.get(agent)

    def values(members: list[str]) -> list[float]:
        found = [data.agents[a].get(month, {}).get(kpi) for a in members]
        return [v for v in found if v is not None]

    # Agents of dim_agents with figures this month (not the no-agent group).
    everyone = [a for a in data.agents if month in data.agents[a] and a in data.agent_names]
    colleagues = [a for a in everyone if a != agent and data.agent_teams.get(a) == team]
    others = [a for a in everyone if a != agent]
    mine = [data.agents[agent][month].get(kpi)]
    own = [v for v in mine if v is not None]
    if team is not None and len(values(colleagues)) >= MIN_OTHER_AGENTS:
        group = values(colleagues) + own
        return Comparison("team", group, f"your team, {team} ({len(group)} agents)")
    if len(values(others)) >= MIN_OTHER_AGENTS:
        group = values(others) + own
        why = f"all agents ({len(group)} agents)"
        if team is not None:
            why += f"; fewer than {MIN_OTHER_AGENTS} colleagues of your team have a value"
        return Comparison("all_agents", group, why)
    return Comparison("", [], f"not shown: fewer than {MIN_OTHER_AGENTS + 1} agents have a value")


def agent_page(data: ReportData, agent: str, month: date) -> str:
    team = data.agent_teams.get(agent)
    samples = data.agent_samples.get(agent, {})
    rows = []
    charts = []
    for kpi in SCORECARD_KPIS:
        info = data.semantic.info(kpi)
        target = data.targets.get(kpi)
        mine = judge(info, data.agents[agent], samples, month, target)
        group = comparison_group(data, agent, kpi, month)
        mean = sum(group.values) / len(group.values) if group.values else None
        mean_judged = Judged(info, mean, None, False, "")
        higher = target is None or target.better != "lower"
        if group.scope and mine.value is not None and not mine.too_few:
            better = [v for v in group.values if (v > mine.value if higher else v < mine.value)]
            rank = f"{len(better) + 1} of {len(group.values)}"
        elif mine.too_few:
            rank = "not ranked (too few)"
        else:
            rank = MISSING
        mean_cell = (
            value_cell(mean_judged, f"{kpi}__{group.scope}_mean", colour=False)
            if group.scope
            else f'<td class="muted">{MISSING}</td>'
        )
        rows.append(
            f"<tr>{kpi_cell(info)}{value_cell(mine, kpi)}{sample_cell(mine, kpi)}"
            f'<td class="target">{escape(target_text(info, target))}</td>'
            f"<td>{escape(status_text(mine, target))}</td>"
            f'<td class="compared">{escape(group.reason)}</td>{mean_cell}'
            f"<td>{escape(rank)}</td></tr>"
        )
        mean_label = {"team": "Team mean", "all_agents": "All agents' mean"}.get(group.scope)
        bars = [Point("You", mine.value, mine.status or "no_target", mine.too_few)]
        if mean_label:
            bars.append(Point(mean_label, mean))
        charts.append(
            f"<h3>{escape(info.display_label)}</h3>"
            + bars_svg(
                bars,
                target.target if target else None,
                info.display_label,
                lambda v, i=info: value_text(i, v),
                info.unit_text,
                chart_steps(info),
                MIN_SAMPLE,
            )
        )
    name = data.agent_names.get(agent, agent)
    team_text = escape(team) if team else "no team"
    body = (
        f"<p>Private scorecard for {escape(name)} ({escape(agent)}), team {team_text}, "
        f"{month:%B %Y}. Your figures are compared with your team's mean only when at least "
        f"{MIN_OTHER_AGENTS} colleagues of the team have a value for the KPI, otherwise with "
        "all agents' mean, so that no colleague's own figure can be worked out from it; "
        "the rank is within the same group. No colleague's own figure is shown.</p>"
        + legend_html()
        + table(
            (
                "KPI",
                "You",
                "Based on",
                "Target",
                "Status",
                "Compared with",
                "Group mean",
                "Your rank",
            ),
            rows,
        )
        + "".join(charts)
    )
    return page(f"Scorecard {name}: {month:%B %Y}", body)


def comparison_table(
    series: dict[date, Values],
    samples: dict[date, Values],
    kpis: Sequence[str],
    month: date,
    data: ReportData,
) -> str:
    rows = []
    for kpi in kpis:
        info = data.semantic.info(kpi)
        target = data.targets.get(kpi)
        now = judge(info, series, samples, month, target)
        before = judge(info, series, samples, month_shift(month, -1), target)
        year_ago = judge(info, series, samples, month_shift(month, -12), target)
        if now.too_few or before.too_few:
            change = '<td class="muted" title="too few observations">not compared</td>'
        else:
            change = f"<td>{escape(change_text(info, before.value, now.value))}</td>"
        rows.append(
            f"<tr>{kpi_cell(info)}{value_cell(now, kpi)}{sample_cell(now, kpi)}"
            f"{value_cell(before, f'{kpi}__previous_month', colour=False)}{change}"
            f"{value_cell(year_ago, f'{kpi}__year_before', colour=False)}"
            f'<td class="target">{escape(target_text(info, target))}</td>'
            f"<td>{escape(status_text(now, target))}</td></tr>"
        )
    return table(
        (
            "KPI",
            "This month",
            "Based on",
            "Previous month",
            "Change",
            "Same month a year before",
            "Target",
            "Status",
        ),
        rows,
    )


def team_title(team: str) -> str:
    return "Unrouted tickets (no team)" if team == UNROUTED else f"Team {team}"


def team_page(data: ReportData, team: str, month: date) -> str:
    series = data.teams[team]
    present = {kpi for values in series.values() for kpi in values}
    order = data.semantic.saved_query_metrics.get("team_monthly") or sorted(present)
    kpis = [kpi for kpi in order if kpi in present]
    intro = (
        "Tickets that were never routed to a team, and their surveys"
        if team == UNROUTED
        else f"Team {escape(team)}"
    )
    body = (
        f"<p>{intro}: every KPI of {month:%B %Y} against the previous month and the same "
        "month a year before, with its target status.</p>"
        + legend_html()
        + comparison_table(series, data.team_samples.get(team, {}), kpis, month, data)
    )
    return page(f"{team_title(team)}: {month:%B %Y}", body)


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
        f"{hour_label(hour)} ({percent(staffing.get(hour, {}).get(UNDERSTAFFED))} "
        f"understaffed, service level {percent(service[hour].get(LEVEL))})"
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
        f"{percent(goal)}), grey when no calls were offered; an outline marks "
        "hours in which at least half of the queue intervals were understaffed. Hover a cell "
        "for its figures.</p>"
        + heatmap_svg(service, staffing, goal, title)
        + f'<p class="callout staff-up">{sentence}</p></section>'
    )


def largest_changes(data: ReportData, month: date, limit: int = 3) -> tuple[list[str], list[str]]:
    """The headline KPIs with the largest relative change from the previous month (both
    months resting on enough observations), as sentences; and the KPIs left out as
    resting on too few."""
    changes = []
    left_out = []
    for kpi in HEADLINE_KPIS:
        info = data.semantic.info(kpi)
        target = data.targets.get(kpi)
        now = judge(info, data.overall, data.overall_samples, month, target)
        before = judge(info, data.overall, data.overall_samples, month_shift(month, -1), target)
        if now.too_few or before.too_few:
            left_out.append(info.display_label)
            continue
        if now.value is not None and before.value:
            size = abs(now.value - before.value) / abs(before.value)
            changes.append((size, kpi, before.value, now.value))
    changes.sort(key=lambda change: (-change[0], change[1]))
    sentences = []
    for _, kpi, before_value, now_value in changes[:limit]:
        info = data.semantic.info(kpi)
        sentences.append(
            f"{info.display_label}: {value_text(info, before_value)} \u2192 "
            f"{value_text(info, now_value)} ({change_text(info, before_value, now_value)})"
        )
    return sentences, left_out


def management_page(data: ReportData, month: date) -> str:
    months = [m for m in sorted(data.overall) if m <= month][-13:]
    sentences, left_out = largest_changes(data, month)
    callouts = "".join(f"<li>{escape(sentence)}</li>" for sentence in sentences)
    skipped = (
        f'<p class="muted">Not compared (too few observations in {month:%B} or the month '
        f"before): {escape(', '.join(left_out))}.</p>"
        if left_out
        else ""
    )
    charts = []
    for kpi in HEADLINE_KPIS:
        info = data.semantic.info(kpi)
        target = data.targets.get(kpi)
        benchmark = (
            f" Benchmark {escape(value_text(info, target.benchmark))} "
            f"({escape(target.benchmark_source or '')})."
            if target and target.benchmark is not None
            else ""
        )
        points = []
        for i, m in enumerate(months):
            judged = judge(info, data.overall, data.overall_samples, m, target)
            points.append(
                Point(
                    f"{m:%b}",
                    judged.value,
                    judged.status,
                    judged.too_few,
                    f"{m:%Y}" if i == 0 or m.month == 1 else "",
                )
            )
        charts.append(
            f"<h3>{escape(info.display_label)}</h3><p>{escape(info.unit_text)}; target "
            f"{escape(target_text(info, target))}.{benchmark}</p>"
            + trend_svg(
                points,
                target.target if target else None,
                info.display_label,
                lambda v, i=info: value_text(i, v),
                info.unit_text,
                chart_steps(info),
                MIN_SAMPLE,
            )
        )
    body = (
        f"<p>Headline KPIs over the {len(months)} months to {month:%B %Y}, all teams "
        "together, against their targets and benchmarks.</p>"
        + legend_html()
        + '<div class="callout"><h2>Largest changes from the previous month</h2>'
        f"<ul>{callouts or '<li>none to compare</li>'}</ul>{skipped}</div>"
        + comparison_table(data.overall, data.overall_samples, HEADLINE_KPIS, month, data)
        + hour_of_week_section(data, month)
        + "<h2>Trends</h2>"
        + "".join(charts)
    )
    return page(f"Management trends: {month:%B %Y}", body)


def write_reports(project_dir: Path, database: Path, month: date, outdir: Path) -> list[Path]:
    """Write index.html, management.html, team-<team>.html and agent-<agent>.html."""
    data = load_report_data(project_dir, database)
    return write_pages(data, month, outdir)


def write_pages(data: ReportData, month: date, outdir: Path) -> list[Path]:
    if month not in data.overall:
        known = ", ".join(f"{m:%Y-%m}" for m in sorted(data.overall))
        raise ValueError(f"no KPI values for {month:%Y-%m}; months with data: {known}")
    outdir.mkdir(parents=True, exist_ok=True)
    written: dict[str, tuple[str, str]] = {
        "management.html": ("Management trends", management_page(data, month))
    }
    for team, series in sorted(data.teams.items()):
        if month in series:
            written[f"team-{slug(team)}.html"] = (team_title(team), team_page(data, team, month))
    for agent, series in sorted(data.agents.items()):
        if month in series and agent in data.agent_names:
            name = f"Scorecard {data.agent_names[agent]} ({agent}), private"
            written[f"agent-{slug(agent)}.html"] = (name, agent_page(data, agent, month))
    links = "".join(
        f'<li><a href="{file}">{escape(title)}</a></li>' for file, (title, _) in written.items()
    )
    index = page(f"Support KPI reports: {month:%B %Y}", f"<ul>{links}</ul>")
    paths = []
    for file, html in [*((f, h) for f, (_, h) in written.items()), ("index.html", index)]:
        path = outdir / file
        path.write_text(html, encoding="utf-8")
        paths.append(path)
    return paths
