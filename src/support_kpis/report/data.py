"""The numbers of the reports: the semantic layer's saved queries, read once,
and the sample sizes behind them (the KPIs' own denominator metrics)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb

from support_kpis.publish import parse_project, run_mf_requests, saved_query_values
from support_kpis.report.semantic import SemanticLayer, read_semantic_layer
from support_kpis.targets import Target, load_targets

HEADLINE_KPIS = (
    "tickets_created",
    "first_reply_minutes",
    "replied_within_12h_rate",
    "resolution_minutes",
    "first_contact_resolution_rate",
    "csat_rate",
    "nps",
    "service_level_rate",
    "abandonment_rate",
    "open_backlog",
)
SCORECARD_KPIS = (
    "csat_rate",
    "first_reply_minutes",
    "tickets_per_agent",
    "solved_per_shift_hour",
    "first_contact_resolution_rate",
)

Values = dict[str, float | None]
NO_KEY = "(none)"
# Tickets (and their surveys) without a team were never routed to one.
UNROUTED = "Unrouted"
# (ISO weekday 1 = Monday .. 7 = Sunday, hour 0-23), both UTC.
HourOfWeek = tuple[int, int]
HourlySeries = dict[date, dict[HourOfWeek, Values]]


@dataclass
class ReportData:
    overall: dict[date, Values]
    teams: dict[str, dict[date, Values]]
    agents: dict[str, dict[date, Values]]
    agent_names: dict[str, str]
    agent_teams: dict[str, str | None]
    targets: dict[str, Target]
    # Saved query service_level_by_hour_of_week: calls_offered, service_level_rate.
    service_by_hour: HourlySeries = field(default_factory=dict)
    # Saved query staffing_by_hour_of_week: understaffed_interval_rate, staffing_gap_agents.
    staffing_by_hour: HourlySeries = field(default_factory=dict)
    # Labels, units and sample metrics of the KPIs (target/semantic_manifest.json).
    semantic: SemanticLayer = field(default_factory=SemanticLayer)
    # The sample-size metrics (e.g. csat_responses) per month: all teams, per team,
    # per agent; same keys as overall, teams and agents.
    overall_samples: dict[date, Values] = field(default_factory=dict)
    team_samples: dict[str, dict[date, Values]] = field(default_factory=dict)
    agent_samples: dict[str, dict[date, Values]] = field(default_factory=dict)


def _split(
    rows: list[dict[str, str]], key: str | None, missing: str = NO_KEY
) -> dict[str, dict[date, Values]]:
    result: dict[str, dict[date, Values]] = {}
    for month, label, values in saved_query_values(rows, key):
        result.setdefault(label or missing, {})[month] = values
    return result


def _hour_of_week(rows: list[dict[str, str]], weekday: str, hour: str) -> HourlySeries:
    """month -> {(weekday, hour): {metric: value}} of a saved query grouped by month,
    weekday and hour: the two dimensions are joined into one key so that
    `saved_query_values` parses the months and numbers."""
    keyed = [
        {name: text for name, text in row.items() if name != hour}
        | {weekday: f"{row[weekday]} {row[hour]}" if row[weekday] and row[hour] else ""}
        for row in rows
    ]
    result: HourlySeries = {}
    for month, label, values in saved_query_values(keyed, weekday):
        if label:
            day, hour_of_day = label.split(" ")
            result.setdefault(month, {})[(int(float(day)), int(float(hour_of_day)))] = values
    return result


def load_report_data(project_dir: Path, database: Path) -> ReportData:
    env = dict(os.environ, DBT_DUCKDB_PATH=str(database), DBT_SEND_ANONYMOUS_USAGE_STATS="False")
    parse_project(project_dir, env)
    semantic = read_semantic_layer(project_dir / "target" / "semantic_manifest.json")

    # Every query of the reports in one MetricFlow process (run_mf_requests).
    saved = [
        "kpi_monthly_overall",
        "team_monthly",
        "agent_scorecard",
        "service_level_by_hour_of_week",
        "staffing_by_hour_of_week",
    ]
    sample_groups = {
        "kpi_monthly_overall": None,
        "team_monthly": "team",
        "agent_scorecard": "agent",
    }
    sample_metrics = {
        name: semantic.sample_metrics(semantic.saved_query_metrics.get(name, []))
        for name in sample_groups
    }
    requests: list[dict[str, object]] = [{"saved_query": name} for name in saved]
    requests += [
        {
            "metrics": sample_metrics[name],
            "group_by": ["metric_time__month", *([group] if group else [])],
        }
        for name, group in sample_groups.items()
        if sample_metrics[name]
    ]
    answers = iter(run_mf_requests(requests, project_dir, env))
    rows = {name: next(answers) for name in saved}
    sample_rows = {name: next(answers) if sample_metrics[name] else [] for name in sample_groups}
    overall = _split(rows["kpi_monthly_overall"], None).get(NO_KEY, {})
    teams = _split(rows["team_monthly"], "team", UNROUTED)
    agents = _split(rows["agent_scorecard"], "agent")
    service_by_hour = _hour_of_week(
        rows["service_level_by_hour_of_week"], "call__offered_weekday", "call__offered_hour"
    )
    staffing_by_hour = _hour_of_week(
        rows["staffing_by_hour_of_week"],
        "staffing_interval__interval_weekday",
        "staffing_interval__interval_hour",
    )
    with duckdb.connect(str(database), read_only=True) as connection:
        names = connection.sql("select agent_id, agent_name, team from marts.dim_agents").fetchall()
        targets = load_targets(connection)
    return ReportData(
        overall=overall,
        teams=teams,
        agents=agents,
        agent_names={agent: name or agent for agent, name, _ in names},
        agent_teams={agent: team for agent, _, team in names},
        targets=targets,
        service_by_hour=service_by_hour,
        staffing_by_hour=staffing_by_hour,
        semantic=semantic,
        overall_samples=_split(sample_rows["kpi_monthly_overall"], None).get(NO_KEY, {}),
        team_samples=_split(sample_rows["team_monthly"], "team", UNROUTED),
        agent_samples=_split(sample_rows["agent_scorecard"], "agent"),
    )
