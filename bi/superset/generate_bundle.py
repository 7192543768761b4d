"""Write the Superset dashboard bundle of bi/superset/bundle/ (run after editing this file).

    .venv/bin/python bi/superset/generate_bundle.py

The bundle is Superset's asset export format (metadata.yaml, databases/,
datasets/, charts/, dashboards/); `support-kpis bi superset import` zips it
with the user's warehouse URI and imports it. Every chart reads `bi.*` (and
`marts.dim_agents` for agent names) through four SQL datasets; each chart
carries its query context, so Superset's chart-data API answers for it.

The reporting month is the latest month of bi.kpi_monthly in which tickets
were created (all teams): a build whose data ends early in a month still shows
that month. Trends cover the reporting month and the 12 before it.
"""

from __future__ import annotations

import json
import sys
import uuid
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
BUNDLE = HERE / "bundle"
sys.path.insert(0, str(HERE.parents[1] / "src"))

from support_kpis.report.data import HEADLINE_KPIS, SCORECARD_KPIS  # noqa: E402

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
TITLES = {
    "tickets_created": "Tickets created",
    "first_reply_minutes": "First reply time (minutes)",
    "replied_within_12h_rate": "Replied within 12 h",
    "resolution_minutes": "Resolution time (minutes)",
    "csat_rate": "CSAT",
    "nps": "NPS",
    "service_level_rate": "Service level",
}


def _uuid(kind: str, name: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{kind}/{name}"))


def _fmt(kpi: str) -> str:
    if kpi.endswith("_rate"):
        return ".1%"
    if kpi.startswith(("tickets_", "calls_", "open_")):
        return ",d"
    return ",.1f"


def _in_list(names: tuple[str, ...]) -> str:
    return ", ".join(f"'{name}'" for name in names)


REPORTING = """\
with reporting as (
    select max(month_start_date) as month_start_date
    from bi.kpi_monthly
    where team = 'all teams' and kpi_name = 'tickets_created' and kpi_value is not null
)"""

MONTH_OVER_MONTH = """\
select
    k.month_start_date,
    {team}k.kpi_name,
    list_position([{order}], k.kpi_name) as kpi_order,
    k.kpi_value,
    p.kpi_value as previous_value,
    k.kpi_value - p.kpi_value as change,
    k.target_value,
    k.warning_value,
    k.benchmark_value,
    k.better_direction,
    k.target_status
from bi.kpi_monthly as k
inner join reporting on k.month_start_date = reporting.month_start_date
left join bi.kpi_monthly as p
    on p.team = k.team
    and p.kpi_name = k.kpi_name
    and p.month_start_date = cast(k.month_start_date - interval 1 month as date)
where {where} and k.kpi_name in ({order})"""

DATASETS: dict[str, dict[str, Any]] = {
    "kpi_headline": {
        "description": "Headline KPIs of the reporting month, all teams, with target status "
        "and the previous month.",
        "sql": REPORTING
        + "\n"
        + MONTH_OVER_MONTH.format(
            team="", order=_in_list(HEADLINE_KPIS), where="k.team = 'all teams'"
        ),
        "columns": {
            "month_start_date": "DATE",
            "kpi_name": "VARCHAR",
            "kpi_order": "INTEGER",
            "kpi_value": "DOUBLE",
            "previous_value": "DOUBLE",
            "change": "DOUBLE",
            "target_value": "DOUBLE",
            "warning_value": "DOUBLE",
            "benchmark_value": "DOUBLE",
            "better_direction": "VARCHAR",
            "target_status": "VARCHAR",
        },
    },
    "kpi_trend_13_months": {
        "description": "Every KPI, all teams, the reporting month and the 12 before it, with "
        "target, warning and benchmark.",
        "sql": REPORTING
        + """
select
    k.month_start_date,
    k.kpi_name,
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
        "columns": {
            "month_start_date": "DATE",
            "kpi_name": "VARCHAR",
            "kpi_value": "DOUBLE",
            "target_value": "DOUBLE",
            "warning_value": "DOUBLE",
            "benchmark_value": "DOUBLE",
            "target_status": "VARCHAR",
        },
    },
    "team_kpis_month_over_month": {
        "description": "Headline KPIs per team in the reporting month, with the previous "
        "month and the change.",
        "sql": REPORTING
        + "\n"
        + MONTH_OVER_MONTH.format(
            team="k.team,\n    ", order=_in_list(HEADLINE_KPIS), where="k.team <> 'all teams'"
        ),
        "columns": {
            "month_start_date": "DATE",
            "team": "VARCHAR",
            "kpi_name": "VARCHAR",
            "kpi_order": "INTEGER",
            "kpi_value": "DOUBLE",
            "previous_value": "DOUBLE",
            "change": "DOUBLE",
            "target_value": "DOUBLE",
            "warning_value": "DOUBLE",
            "benchmark_value": "DOUBLE",
            "better_direction": "VARCHAR",
            "target_status": "VARCHAR",
        },
    },
    "agent_scorecard": {
        "description": "The agent scorecard, one row per month and agent, the reporting month "
        "and the 12 before it. Agent logins see their own rows only (row-level security on "
        "agent_id).",
        "sql": REPORTING
        + """
select
    s.month_start_date,
    s.agent_id,
    a.agent_name,
    a.team,
"""
        + ",\n".join(
            f"    max(s.kpi_value) filter (where s.kpi_name = '{kpi}') as {kpi}"
            for kpi in SCORECARD_KPIS
        )
        + """
from bi.agent_scorecard_monthly as s
inner join reporting
    on s.month_start_date
    between cast(reporting.month_start_date - interval 12 month as date)
    and reporting.month_start_date
left join marts.dim_agents as a on a.agent_id = s.agent_id
group by s.month_start_date, s.agent_id, a.agent_name, a.team""",
        "columns": {
            "month_start_date": "DATE",
            "agent_id": "VARCHAR",
            "agent_name": "VARCHAR",
            "team": "VARCHAR",
            **dict.fromkeys(SCORECARD_KPIS, "DOUBLE"),
        },
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
                "verbose_name": None,
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
            for column, kind in spec["columns"].items()
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


def _chart(name: str, title: str, dataset: str, form: dict[str, Any], query: str) -> dict:
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


def _table(name: str, title: str, dataset: str, columns: list[str], order: list) -> dict:
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
        "table_timestamp_format": "%Y-%m-%d",
        "column_config": {
            column: {"d3NumberFormat": ",.3~f"}
            for column in columns
            if column not in ("month_start_date", "kpi_name", "team", "target_status")
            and not column.startswith(("agent_",))
        },
        "conditional_formatting": [],
        "extra_form_data": {},
        "dashboards": [],
    }
    # Raw records: no metrics at all (an empty list would make Superset group by the columns).
    query = _query(form, columns=columns, metrics=None, orderby=[list(item) for item in order])
    return _chart(name, title, dataset, form, query)


def _big_number(kpi: str) -> dict:
    metric = _metric(kpi, "MAX(kpi_value)")
    form = {
        "viz_type": "big_number_total",
        "datasource": "0__table",
        "metric": metric,
        "adhoc_filters": [NO_TIME_FILTER, _kpi_filter(kpi)],
        "header_font_size": 0.4,
        "subheader_font_size": 0.15,
        "subheader": "reporting month, all teams",
        "y_axis_format": _fmt(kpi),
        "time_format": "smart_date",
        "extra_form_data": {},
        "dashboards": [],
    }
    query = _query(form, metrics=[metric], row_limit=10)
    return _chart(f"big_number/{kpi}", TITLES[kpi], "kpi_headline", form, query)


def _trend(kpi: str, benchmark: bool) -> dict:
    metrics = [_metric("value", "MAX(kpi_value)"), _metric("target", "MAX(target_value)")]
    if benchmark:
        metrics.append(_metric("benchmark", "MAX(benchmark_value)"))
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
        "y_axis_format": _fmt(kpi),
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
    title = f"{TITLES[kpi]}: 13 months against target" + (" and benchmark" if benchmark else "")
    return _chart(f"trend/{kpi}", title, "kpi_trend_13_months", form, query)


TREND_BENCHMARKS = {"replied_within_12h_rate", "nps", "service_level_rate"}


def charts() -> list[dict]:
    found = [_big_number(kpi) for kpi in BIG_NUMBERS]
    found.append(
        _table(
            "table/headline",
            "Headline KPIs: reporting month against target",
            "kpi_headline",
            [
                "month_start_date",
                "kpi_name",
                "kpi_value",
                "target_value",
                "target_status",
                "previous_value",
                "change",
                "benchmark_value",
            ],
            [["kpi_order", True]],
        )
    )
    found.extend(_trend(kpi, kpi in TREND_BENCHMARKS) for kpi in TRENDS)
    found.append(
        _table(
            "table/teams",
            "Teams: reporting month and change from the month before",
            "team_kpis_month_over_month",
            [
                "kpi_name",
                "team",
                "kpi_value",
                "previous_value",
                "change",
                "target_value",
                "target_status",
            ],
            [["kpi_order", True], ["team", True]],
        )
    )
    found.append(
        _table(
            "table/agent_scorecard",
            "Agent scorecard: 13 months",
            "agent_scorecard",
            ["month_start_date", "agent_id", "agent_name", "team", *SCORECARD_KPIS],
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


def dashboard(all_charts: list[dict]) -> dict[str, Any]:
    by_name = {chart["slice_name"]: chart for chart in all_charts}
    big = [by_name[TITLES[kpi]] for kpi in BIG_NUMBERS]
    trends = [chart for chart in all_charts if chart["viz_type"] == "echarts_timeseries_line"]
    tables = [chart for chart in all_charts if chart["viz_type"] == "table"]
    rows = [
        ("Reporting month", [(chart, 3, 28) for chart in big]),
        (None, [(tables[0], 12, 62)]),
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
    for name, spec in DATASETS.items():
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
