"""Write the Superset dashboard bundle of bi/superset/bundle/ (run after editing this file).

    .venv/bin/python bi/superset/generate_bundle.py

The bundle is Superset's asset export format (metadata.yaml, databases/,
datasets/, charts/, dashboards/); `support-kpis bi superset import` zips it
with the user's warehouse URI and imports it. Every chart reads `bi.*` (and
`marts.dim_agents` for agent names) through four SQL datasets; each chart
carries its query context, so Superset's chart-data API answers for it.

Readers see the semantic layer's labels (chart titles, column headers) and the
display strings that `support-kpis publish` writes into bi.* with the reports'
formatting code; charts plot the exact values in the KPI's unit (percent axes
for rates, hours for durations in minutes: a unit conversion, not a formula).
The labels and units are read from the semantic manifest of a `dbt parse` into
a temporary folder, so the bundle follows the semantic layer (a test keeps the
committed bundle equal to this script's output).

The reporting month is the latest month of bi.kpi_monthly in which tickets
were created (all teams): a build whose data ends early in a month still shows
that month. Trends cover the reporting month and the 12 before it.
"""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
BUNDLE = HERE / "bundle"
PROJECT = HERE.parents[1]
sys.path.insert(0, str(PROJECT / "src"))

from support_kpis.report.data import HEADLINE_KPIS, SCORECARD_KPIS  # noqa: E402
from support_kpis.report.formats import MISSING  # noqa: E402
from support_kpis.report.semantic import (  # noqa: E402
    Kind,
    KpiInfo,
    SemanticLayer,
    read_semantic_layer,
)

NAMESPACE = uuid.UUID("5b1f0c36-8d0e-4f5e-9a51-3a0f2c7d9e10")
DATABASE = "support_kpis"
PLACEHOLDER_URI = "duckdb:///warehouse/support_kpis_bi.duckdb?access_mode=read_only"
BIG_NUMBERS = ("tickets_created", "first_reply_minutes", "csat_rate", "service_level_rate")
TRENDS = (
    "first_reply_minutes",
    "replied_within_12h_rate",
    "resolution_minutes",
    "csat_rate",
    "nps",
    "service_level_rate",
)
TREND_BENCHMARKS = {"replied_within_12h_rate", "nps", "service_level_rate"}
MINUTES_PER_HOUR = 60


@functools.cache
def semantic_layer() -> SemanticLayer:
    """The KPIs' labels and units: the semantic manifest of `dbt parse`, written into a
    temporary folder (the project's target/ and logs/ are left alone)."""
    with tempfile.TemporaryDirectory(prefix="support_kpis_bundle_") as work:
        folder = Path(work)
        env = dict(
            os.environ,
            DBT_DUCKDB_PATH=str(folder / "parse.duckdb"),  # parse opens no database
            DBT_SEND_ANONYMOUS_USAGE_STATS="False",
        )
        parsed = subprocess.run(
            [
                str(Path(sys.executable).with_name("dbt")),
                "parse",
                "--quiet",
                "--target-path",
                str(folder / "target"),
                "--log-path",
                str(folder / "logs"),
            ],
            cwd=PROJECT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if parsed.returncode != 0:
            raise SystemExit(f"dbt parse failed:\n{parsed.stdout}{parsed.stderr}")
        return read_semantic_layer(folder / "target" / "semantic_manifest.json")


def info(kpi: str) -> KpiInfo:
    return semantic_layer().info(kpi)


def in_hours(kpi: str) -> bool:
    """Durations in minutes are charted in hours."""
    return info(kpi).kind is Kind.MINUTES


def scaled(kpi: str, column: str) -> str:
    """The SQL of a value column in the unit the charts show."""
    return f"{column} / {MINUTES_PER_HOUR}" if in_hours(kpi) else column


def number_format(kpi: str) -> str:
    """The d3 format of a KPI's charted value (percent for rates)."""
    kind = info(kpi).kind
    if kind is Kind.RATE:
        return ".1%"
    if kind is Kind.COUNT:
        return ",d"
    if kind is Kind.NPS:
        return ",.0f"
    if kind is Kind.MINUTES:
        return ",.1f"
    return ",.2f"


def axis_format(kpi: str) -> str:
    """The d3 format of a trend's axis and tooltip: as number_format, without trailing
    zeros (ticks 30%, 60%, 90%; 68.7% in the tooltip)."""
    found = number_format(kpi)
    return found[:-1] + "~" + found[-1] if "." in found else found


def unit_title(kpi: str) -> str:
    """The y-axis title: the unit a reader sees."""
    found = info(kpi)
    if in_hours(kpi):
        return "business hours" if found.unit.startswith("business") else "hours"
    return found.unit_text


def big_number_title(kpi: str) -> str:
    return info(kpi).display_label + (" (hours)" if in_hours(kpi) else "")


def trend_title(kpi: str) -> str:
    benchmark = " and benchmark" if kpi in TREND_BENCHMARKS else ""
    return f"{info(kpi).display_label}: 13 months against target{benchmark}"


def _uuid(kind: str, name: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{kind}/{name}"))


def _in_list(names: tuple[str, ...]) -> str:
    return ", ".join(f"'{name}'" for name in names)


REPORTING = """\
with reporting as (
    select max(month_start_date) as month_start_date
    from bi.kpi_monthly
    where team = 'all teams' and kpi_name = 'tickets_created' and kpi_value is not null
)"""

MONTH_OVER_MONTH = f"""\
select
    k.month_start_date,
    {{team}}k.kpi_name,
    k.kpi_label,
    list_position([{{order}}], k.kpi_name) as kpi_order,
    k.kpi_value,
    k.kpi_value_display,
    p.kpi_value as previous_value,
    coalesce(p.kpi_value_display, '{MISSING}') as previous_value_display,
    k.kpi_value - p.kpi_value as change,
    k.change_display,
    k.target_value,
    k.target_value_display,
    k.warning_value,
    k.benchmark_value,
    k.benchmark_value_display,
    k.better_direction,
    k.target_status,
    case
        when k.kpi_value is null then '{MISSING}'
        when k.target_value is null then 'no target'
        else coalesce(replace(k.target_status, '_', ' '), '{MISSING}')
    end as status
from bi.kpi_monthly as k
inner join reporting on k.month_start_date = reporting.month_start_date
left join bi.kpi_monthly as p
    on p.team = k.team
    and p.kpi_name = k.kpi_name
    and p.month_start_date = cast(k.month_start_date - interval 1 month as date)
where {{where}} and k.kpi_name in ({{order}})"""

# (column, type, the header readers see or None).
Columns = list[tuple[str, str, str | None]]
MONTH_OVER_MONTH_COLUMNS: Columns = [
    ("kpi_name", "VARCHAR", None),
    ("kpi_label", "VARCHAR", "KPI"),
    ("kpi_order", "INTEGER", None),
    ("kpi_value", "DOUBLE", None),
    ("kpi_value_display", "VARCHAR", "Value"),
    ("previous_value", "DOUBLE", None),
    ("previous_value_display", "VARCHAR", "Previous month"),
    ("change", "DOUBLE", None),
    ("change_display", "VARCHAR", "Change"),
    ("target_value", "DOUBLE", None),
    ("target_value_display", "VARCHAR", "Target"),
    ("warning_value", "DOUBLE", None),
    ("benchmark_value", "DOUBLE", None),
    ("benchmark_value_display", "VARCHAR", "Benchmark"),
    ("better_direction", "VARCHAR", None),
    ("target_status", "VARCHAR", None),
    ("status", "VARCHAR", "Status"),
]
MONTH: Columns = [("month_start_date", "DATE", "Month")]


def _scorecard_sql() -> str:
    values = [
        f"    max(s.kpi_value) filter (where s.kpi_name = '{kpi}') as {kpi},\n"
        f"    coalesce(max(s.kpi_value_display) filter (where s.kpi_name = '{kpi}'), "
        f"'{MISSING}') as {kpi}_display"
        for kpi in SCORECARD_KPIS
    ]
    return (
        REPORTING
        + f"""
select
    s.month_start_date,
    s.agent_id,
    coalesce(a.agent_name, s.agent_id) as agent_name,
    coalesce(a.team, '{MISSING}') as team,
"""
        + ",\n".join(values)
        + """
from bi.agent_scorecard_monthly as s
inner join reporting
    on s.month_start_date
    between cast(reporting.month_start_date - interval 12 month as date)
    and reporting.month_start_date
left join marts.dim_agents as a on a.agent_id = s.agent_id
group by all"""
    )


def datasets() -> dict[str, dict[str, Any]]:
    return {
        "kpi_headline": {
            "description": "Headline KPIs of the reporting month, all teams, with target status "
            "and the previous month.",
            "sql": REPORTING
            + "\n"
            + MONTH_OVER_MONTH.format(
                team="", order=_in_list(HEADLINE_KPIS), where="k.team = 'all teams'"
            ),
            "columns": MONTH + MONTH_OVER_MONTH_COLUMNS,
        },
        "kpi_trend_13_months": {
            "description": "Every KPI, all teams, the reporting month and the 12 before it, "
            "with target, warning and benchmark.",
            "sql": REPORTING
            + """
select
    k.month_start_date,
    k.kpi_name,
    k.kpi_label,
    k.kpi_unit,
    k.kpi_value,
    k.target_value,
    k.warning_value,
    k.benchmark_value,
    k.target_status
from bi.kpi_monthly as k
inner join reporting
    on k.month_start_date
    between cast(reporting.month_start_date - interval 12 month as date)
    and reporting.month_start_date
where k.team = 'all teams'""",
            "columns": [
                *MONTH,
                ("kpi_name", "VARCHAR", None),
                ("kpi_label", "VARCHAR", "KPI"),
                ("kpi_unit", "VARCHAR", None),
                ("kpi_value", "DOUBLE", None),
                ("target_value", "DOUBLE", None),
                ("warning_value", "DOUBLE", None),
                ("benchmark_value", "DOUBLE", None),
                ("target_status", "VARCHAR", None),
            ],
        },
        "team_kpis_month_over_month": {
            "description": "Headline KPIs per team in the reporting month, with the previous "
            "month and the change.",
            "sql": REPORTING
            + "\n"
            + MONTH_OVER_MONTH.format(
                team="k.team,\n    ",
                order=_in_list(HEADLINE_KPIS),
                where="k.team <> 'all teams'",
            ),
            "columns": [*MONTH, ("team", "VARCHAR", "Team"), *MONTH_OVER_MONTH_COLUMNS],
        },
        "agent_scorecard": {
            "description": "The agent scorecard, one row per month and agent, the reporting "
            "month and the 12 before it. Agent logins see their own rows only (row-level "
            "security on agent_id).",
            "sql": _scorecard_sql(),
            "columns": MONTH
            + [
                ("agent_id", "VARCHAR", "Agent ID"),
                ("agent_name", "VARCHAR", "Agent"),
                ("team", "VARCHAR", "Team"),
            ]
            + [
                column
                for kpi in SCORECARD_KPIS
                for column in (
                    (kpi, "DOUBLE", None),
                    (f"{kpi}_display", "VARCHAR", info(kpi).display_label),
                )
            ],
        },
    }


def _dataset(name: str, spec: dict[str, Any]) -> dict[str, Any]:
    return {
        "table_name": name,
        "main_dttm_col": "month_start_date",
        "description": spec["description"],
        "default_endpoint": None,
        "offset": 0,
        "cache_timeout": None,
        "catalog": None,
        "schema": None,
        "sql": spec["sql"] + "\n",
        "params": None,
        "template_params": None,
        "filter_select_enabled": True,
        "fetch_values_predicate": None,
        "extra": None,
        "normalize_columns": False,
        "always_filter_main_dttm": False,
        "uuid": _uuid("dataset", name),
        "metrics": [
            {
                "metric_name": "count",
                "verbose_name": "COUNT(*)",
                "metric_type": "count",
                "expression": "COUNT(*)",
                "description": None,
                "d3format": None,
                "currency": None,
                "extra": None,
                "warning_text": None,
            }
        ],
        "columns": [
            {
                "column_name": column,
                "verbose_name": verbose,
                "is_dttm": column == "month_start_date",
                "is_active": True,
                "type": kind,
                "advanced_data_type": None,
                "groupby": True,
                "filterable": True,
                "expression": None,
                "description": None,
                "python_date_format": None,
                "extra": None,
            }
            for column, kind, verbose in spec["columns"]
        ],
        "version": "1.0.0",
        "database_uuid": _uuid("database", DATABASE),
    }


def _metric(label: str, expression: str) -> dict[str, Any]:
    return {
        "expressionType": "SQL",
        "sqlExpression": expression,
        "label": label,
        "hasCustomLabel": True,
        "optionName": f"metric_{label}",
    }


def _kpi_filter(kpi: str) -> dict[str, Any]:
    return {
        "clause": "WHERE",
        "expressionType": "SIMPLE",
        "subject": "kpi_name",
        "operator": "==",
        "comparator": kpi,
        "filterOptionName": f"filter_kpi_{kpi}",
        "isExtra": False,
        "isNew": False,
    }


NO_TIME_FILTER = {
    "clause": "WHERE",
    "expressionType": "SIMPLE",
    "subject": "month_start_date",
    "operator": "TEMPORAL_RANGE",
    "comparator": "No filter",
    "filterOptionName": "filter_month_no_filter",
    "isExtra": False,
    "isNew": False,
}


def _query(form: dict[str, Any], **query: Any) -> str:
    filters = [
        {"col": item["subject"], "op": item["operator"], "val": item["comparator"]}
        for item in form.get("adhoc_filters", [])
    ]
    base = {
        "filters": filters,
        "extras": {"having": "", "where": ""},
        "applied_time_extras": {},
        "columns": [],
        "metrics": [],
        "orderby": [],
        "annotation_layers": [],
        "row_limit": form.get("row_limit", 1000),
        "series_limit": 0,
        "order_desc": True,
        "url_params": {},
        "custom_params": {},
        "custom_form_data": {},
        "post_processing": [],
    }
    base.update(query)
    context = {
        "datasource": {"id": 0, "type": "table"},
        "force": False,
        "queries": [base],
        "form_data": form,
        "result_format": "json",
        "result_type": "full",
    }
    return json.dumps(context, sort_keys=True)


def _chart(name: str, title: str, dataset: str, form: dict[str, Any], query: str) -> dict[str, Any]:
    return {
        "slice_name": title,
        "description": None,
        "certified_by": None,
        "certification_details": None,
        "viz_type": form["viz_type"],
        "params": form,
        "query_context": query,
        "cache_timeout": None,
        "uuid": _uuid("chart", name),
        "version": "1.0.0",
        "dataset_uuid": _uuid("dataset", dataset),
    }


def _table(
    name: str, title: str, dataset: str, columns: list[str], order: list[list[Any]]
) -> dict[str, Any]:
    form = {
        "viz_type": "table",
        "datasource": "0__table",
        "query_mode": "raw",
        "all_columns": columns,
        "groupby": [],
        "metrics": [],
        "percent_metrics": [],
        "order_by_cols": [json.dumps(item) for item in order],
        "adhoc_filters": [NO_TIME_FILTER],
        "row_limit": 1000,
        "server_page_length": 10,
        "server_pagination": False,
        "page_length": 0,
        "include_search": False,
        "show_cell_bars": False,
        "color_pn": True,
        "allow_rearrange_columns": False,
        "table_timestamp_format": "%b %Y",
        # Values (display strings) right-aligned like numbers.
        "column_config": {
            column: {"horizontalAlign": "right"}
            for column in columns
            if column.endswith("_display")
        },
        "conditional_formatting": [],
        "extra_form_data": {},
        "dashboards": [],
    }
    # Raw records: no metrics at all (an empty list would make Superset group by the columns).
    query = _query(form, columns=columns, metrics=None, orderby=[list(item) for item in order])
    return _chart(name, title, dataset, form, query)


def _big_number(kpi: str) -> dict[str, Any]:
    metric = _metric("hours" if in_hours(kpi) else "value", f"MAX({scaled(kpi, 'kpi_value')})")
    form = {
        "viz_type": "big_number_total",
        "datasource": "0__table",
        "metric": metric,
        "adhoc_filters": [NO_TIME_FILTER, _kpi_filter(kpi)],
        "header_font_size": 0.4,
        "subheader_font_size": 0.15,
        "subheader": "reporting month, all teams",
        "y_axis_format": number_format(kpi),
        "time_format": "smart_date",
        "extra_form_data": {},
        "dashboards": [],
    }
    query = _query(form, metrics=[metric], row_limit=10)
    return _chart(f"big_number/{kpi}", big_number_title(kpi), "kpi_headline", form, query)


def _trend(kpi: str) -> dict[str, Any]:
    metrics = [
        _metric("value", f"MAX({scaled(kpi, 'kpi_value')})"),
        _metric("target", f"MAX({scaled(kpi, 'target_value')})"),
    ]
    if kpi in TREND_BENCHMARKS:
        metrics.append(_metric("benchmark", f"MAX({scaled(kpi, 'benchmark_value')})"))
    form = {
        "viz_type": "echarts_timeseries_line",
        "datasource": "0__table",
        "x_axis": "month_start_date",
        "time_grain_sqla": "P1M",
        "x_axis_sort_asc": True,
        "metrics": metrics,
        "groupby": [],
        "adhoc_filters": [NO_TIME_FILTER, _kpi_filter(kpi)],
        "row_limit": 100,
        "truncate_metric": True,
        "show_legend": True,
        "legendType": "scroll",
        "legendOrientation": "top",
        "rich_tooltip": True,
        "markerEnabled": True,
        "markerSize": 6,
        "y_axis_format": axis_format(kpi),
        "y_axis_title": unit_title(kpi),
        "y_axis_title_margin": 50,
        "y_axis_title_position": "Left",
        "x_axis_time_format": "%b %Y",
        "tooltipTimeFormat": "%b %Y",
        "truncateYAxis": False,
        "y_axis_bounds": [None, None],
        "comparison_type": "values",
        "annotation_layers": [],
        "extra_form_data": {},
        "dashboards": [],
    }
    labels = [metric["label"] for metric in metrics]
    query = _query(
        form,
        columns=[
            {
                "timeGrain": "P1M",
                "columnType": "BASE_AXIS",
                "sqlExpression": "month_start_date",
                "label": "month_start_date",
                "expressionType": "SQL",
            }
        ],
        metrics=metrics,
        orderby=[[metrics[0], False]],
        series_columns=[],
        time_offsets=[],
        post_processing=[
            {
                "operation": "pivot",
                "options": {
                    "index": ["month_start_date"],
                    "columns": [],
                    "aggregates": {label: {"operator": "mean"} for label in labels},
                    "drop_missing_columns": False,
                },
            },
            {"operation": "flatten"},
        ],
    )
    return _chart(f"trend/{kpi}", trend_title(kpi), "kpi_trend_13_months", form, query)


HEADLINE_TITLE = "Headline KPIs: reporting month against target"
TEAMS_TITLE = "Teams: reporting month and change from the month before"
SCORECARD_TITLE = "Agent scorecard: 13 months"
HEADLINE_COLUMNS = [
    "month_start_date",
    "kpi_label",
    "kpi_value_display",
    "target_value_display",
    "status",
    "previous_value_display",
    "change_display",
    "benchmark_value_display",
]
TEAMS_COLUMNS = [
    "kpi_label",
    "team",
    "kpi_value_display",
    "previous_value_display",
    "change_display",
    "target_value_display",
    "status",
]
SCORECARD_COLUMNS = [
    "month_start_date",
    "agent_name",
    "agent_id",
    "team",
    *(f"{kpi}_display" for kpi in SCORECARD_KPIS),
]


def charts() -> list[dict[str, Any]]:
    found = [_big_number(kpi) for kpi in BIG_NUMBERS]
    found.append(
        _table(
            "table/headline",
            HEADLINE_TITLE,
            "kpi_headline",
            HEADLINE_COLUMNS,
            [["kpi_order", True]],
        )
    )
    found.extend(_trend(kpi) for kpi in TRENDS)
    found.append(
        _table(
            "table/teams",
            TEAMS_TITLE,
            "team_kpis_month_over_month",
            TEAMS_COLUMNS,
            [["kpi_order", True], ["team", True]],
        )
    )
    found.append(
        _table(
            "table/agent_scorecard",
            SCORECARD_TITLE,
            "agent_scorecard",
            SCORECARD_COLUMNS,
            [["month_start_date", False], ["agent_id", True]],
        )
    )
    return found


def _position(rows: list[tuple[str | None, list[tuple[dict, int, int]]]]) -> dict[str, Any]:
    position: dict[str, Any] = {
        "DASHBOARD_VERSION_KEY": "v2",
        "ROOT_ID": {"id": "ROOT_ID", "type": "ROOT", "children": ["GRID_ID"]},
        "GRID_ID": {"id": "GRID_ID", "type": "GRID", "children": [], "parents": ["ROOT_ID"]},
        "HEADER_ID": {"id": "HEADER_ID", "type": "HEADER", "meta": {"text": "Support KPIs"}},
    }
    for number, (header, cells) in enumerate(rows):
        if header:
            key = f"HEADER-{number}"
            position[key] = {
                "id": key,
                "type": "HEADER",
                "children": [],
                "parents": ["ROOT_ID", "GRID_ID"],
                "meta": {
                    "text": header,
                    "headerSize": "MEDIUM_HEADER",
                    "background": "BACKGROUND_TRANSPARENT",
                },
            }
            position["GRID_ID"]["children"].append(key)
        row = f"ROW-{number}"
        position[row] = {
            "id": row,
            "type": "ROW",
            "children": [],
            "parents": ["ROOT_ID", "GRID_ID"],
            "meta": {"background": "BACKGROUND_TRANSPARENT"},
        }
        position["GRID_ID"]["children"].append(row)
        for chart, width, height in cells:
            key = "CHART-" + chart["uuid"][:12]
            position[key] = {
                "id": key,
                "type": "CHART",
                "children": [],
                "parents": ["ROOT_ID", "GRID_ID", row],
                "meta": {
                    "chartId": 0,
                    "uuid": chart["uuid"],
                    "sliceName": chart["slice_name"],
                    "width": width,
                    "height": height,
                },
            }
            position[row]["children"].append(key)
    return position


def dashboard(all_charts: list[dict[str, Any]]) -> dict[str, Any]:
    big = [chart for chart in all_charts if chart["viz_type"] == "big_number_total"]
    trends = [chart for chart in all_charts if chart["viz_type"] == "echarts_timeseries_line"]
    tables = [chart for chart in all_charts if chart["viz_type"] == "table"]
    rows = [
        ("Reporting month", [(chart, 3, 28) for chart in big]),
        (None, [(tables[0], 12, 50)]),
        ("13-month trends", [(chart, 4, 50) for chart in trends[:3]]),
        (None, [(chart, 4, 50) for chart in trends[3:]]),
        ("Teams", [(tables[1], 12, 90)]),
        ("Agents", [(tables[2], 12, 90)]),
    ]
    return {
        "dashboard_title": "Support KPIs",
        "description": None,
        "css": "",
        "slug": "support-kpis",
        "certified_by": None,
        "certification_details": None,
        "published": True,
        "uuid": _uuid("dashboard", "support_kpis"),
        "position": _position(rows),
        "metadata": {
            "color_scheme": "supersetColors",
            "refresh_frequency": 0,
            "expanded_slices": {},
            "label_colors": {},
            "shared_label_colors": [],
            "color_scheme_domain": [],
            "timed_refresh_immune_slices": [],
            "cross_filters_enabled": False,
            "default_filters": "{}",
            "chart_configuration": {},
            "global_chart_configuration": {"scope": {"rootPath": ["ROOT_ID"], "excluded": []}},
            "native_filter_configuration": [],
        },
        "version": "1.0.0",
    }


def database() -> dict[str, Any]:
    return {
        "database_name": DATABASE,
        "sqlalchemy_uri": PLACEHOLDER_URI,
        "cache_timeout": None,
        "expose_in_sqllab": True,
        "allow_run_async": False,
        "allow_ctas": False,
        "allow_cvas": False,
        "allow_dml": False,
        "allow_file_upload": False,
        "extra": {
            "allows_virtual_table_explore": True,
            "metadata_params": {},
            "engine_params": {},
            "schemas_allowed_for_file_upload": [],
        },
        "uuid": _uuid("database", DATABASE),
        "version": "1.0.0",
    }


def _slug(text: str) -> str:
    return "".join(ch if ch.isalnum() else "_" for ch in text).strip("_")


def render() -> dict[str, str]:
    """Relative path -> YAML text of every file of the bundle."""

    def dump(value: Any) -> str:
        return yaml.safe_dump(value, sort_keys=True, allow_unicode=True, width=100)

    all_charts = charts()
    files = {
        "metadata.yaml": dump(
            {"version": "1.0.0", "type": "assets", "timestamp": "2026-01-01T00:00:00+00:00"}
        ),
        f"databases/{DATABASE}.yaml": dump(database()),
        "dashboards/support_kpis.yaml": dump(dashboard(all_charts)),
    }
    for name, spec in datasets().items():
        files[f"datasets/{DATABASE}/{name}.yaml"] = dump(_dataset(name, spec))
    for chart in all_charts:
        files[f"charts/{_slug(chart['slice_name'])}.yaml"] = dump(chart)
    return files


def main() -> None:
    files = render()
    for old in BUNDLE.rglob("*.yaml"):
        if str(old.relative_to(BUNDLE)) not in files:
            old.unlink()
    for relative, text in files.items():
        path = BUNDLE / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    print(f"wrote {len(files)} files to {BUNDLE}")


if __name__ == "__main__":
    main()
