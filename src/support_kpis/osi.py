"""The semantic layer in the Open Semantic Interchange (OSI) format, for consumers outside dbt.

MetricFlow ships the converter (`metricflow.converters.msi_to_osi`); this module feeds it the
project's semantic manifest (target/semantic_manifest.json, written by `dbt parse`), makes the
document portable and deterministic, and lists what OSI cannot carry:

- each dataset's `source` is `schema.table` (the manifest holds the database name of the
  warehouse file it was parsed against, which differs between machines);
- every metric keeps its label, type and time anchor (`agg_time_dimension`) in a `DBT`
  custom extension, since an OSI metric is only an aggregate expression;
- a metric filter on `Dimension('entity__dimension')` is written by the converter as that
  bare name; here it becomes the dimension's column qualified by the dataset whose primary
  entity it is (`tickets.is_solved`), which the OSI relationships let a consumer join;
- a cumulative metric becomes its plain aggregate (the running window is lost) and a derived
  metric with an `offset_window` or `offset_to_grain` input becomes the same expression on
  the current period (the offset is lost), and a semi-additive measure (one with a
  `non_additive_dimension`, such as the backlog: the value on the period's last day) becomes
  a plain sum over every day. Those metrics are listed in `losses`; a dimension reference
  that cannot be resolved is listed too.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from metricflow.converters.converter_issues import ConverterIssueType
from metricflow.converters.models import OSICustomExtension, OSIVendor
from metricflow.converters.msi_to_osi import MSIToOSIConverter
from metricflow_semantic_interfaces.implementations.semantic_manifest import (
    PydanticSemanticManifest,
)

JsonDict = dict[str, Any]

MODEL_NAME = "support_kpis"
REGENERATE = "support-kpis osi docs/semantic_layer.osi.json"
_JOINED_DIMENSION = re.compile(r"\b[a-z][a-z0-9_]*__[a-z][a-z0-9_]*\b")
_QUOTED = re.compile(r'^(?:"[^"]*"\.)?"([^"]*)"\."([^"]*)"$')


@dataclass(frozen=True, order=True)
class Loss:
    """A metric whose OSI expression does not carry all of its meaning."""

    metric: str
    kind: str  # cumulative | offset | semi_additive | unresolved_dimension | dropped
    detail: str


@dataclass(frozen=True)
class Export:
    document: JsonDict
    losses: list[Loss]

    def to_json(self) -> str:
        return json.dumps(self.document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _portable_source(source: str) -> str:
    """`"db"."schema"."table"` -> `schema.table` (the database is the reader's own)."""
    match = _QUOTED.match(source)
    return f"{match.group(1)}.{match.group(2)}" if match else source


def _metric_extension(
    metric: JsonDict, anchors: list[str], semi_additive: list[str]
) -> OSICustomExtension:
    params = metric.get("type_params") or {}
    data = {
        "label": metric.get("label"),
        "type": metric["type"],
        "agg_time_dimensions": anchors,
        "semi_additive": semi_additive,
        "offsets": _offsets(metric),
        "window": (params.get("cumulative_type_params") or {}).get("window"),
        "grain_to_date": (params.get("cumulative_type_params") or {}).get("grain_to_date"),
    }
    data = {key: value for key, value in data.items() if value not in (None, [])}
    return OSICustomExtension(vendor_name=OSIVendor.DBT, data=json.dumps(data, sort_keys=True))


def _offsets(metric: JsonDict) -> list[str]:
    found = []
    for metric_input in (metric.get("type_params") or {}).get("metrics") or []:
        window = metric_input.get("offset_window")
        grain = metric_input.get("offset_to_grain")
        if window:
            found.append(f"{metric_input['name']}: {window['count']} {window['granularity']}")
        if grain:
            found.append(f"{metric_input['name']}: to {grain}")
    return found


def _measure_anchors(raw: JsonDict) -> dict[str, str]:
    """measure name -> `semantic_model.time_dimension` it is aggregated by."""
    anchors = {}
    for model in raw["semantic_models"]:
        default = (model.get("defaults") or {}).get("agg_time_dimension")
        for measure in model.get("measures") or []:
            anchor = measure.get("agg_time_dimension") or default
            anchors[measure["name"]] = f"{model['name']}.{anchor}"
    return anchors


def _semi_additive(raw: JsonDict) -> dict[str, str]:
    """measure name -> how it is taken along its non-additive dimension."""
    found = {}
    for model in raw["semantic_models"]:
        for measure in model.get("measures") or []:
            dimension = measure.get("non_additive_dimension")
            if dimension:
                choice = "last" if dimension["window_choice"] == "max" else "first"
                found[measure["name"]] = (
                    f"{measure['name']}: the {choice} {dimension['name']} of the period"
                )
    return found


def _dimension_columns(raw: JsonDict) -> dict[str, str]:
    """`entity__dimension` -> the SQL of that dimension, qualified by its dataset."""
    columns = {}
    for model in raw["semantic_models"]:
        primary = {model.get("primary_entity")} | {
            entity["name"]
            for entity in model.get("entities") or []
            if entity["type"] in ("primary", "unique")
        }
        for dimension in model.get("dimensions") or []:
            expr = dimension.get("expr") or dimension["name"]
            sql = f"{model['name']}.{expr}" if expr.isidentifier() else f"({expr})"
            for entity in primary - {None}:
                columns[f"{entity}__{dimension['name']}"] = sql
    return columns


def _resolve_dimensions(expression: str, columns: dict[str, str]) -> tuple[str, list[str]]:
    unresolved = []

    def replace(match: re.Match[str]) -> str:
        name = match.group(0)
        if name in columns:
            return columns[name]
        unresolved.append(name)
        return name

    return _JOINED_DIMENSION.sub(replace, expression), unresolved


def export_semantic_layer(manifest_path: Path) -> Export:
    """Convert a semantic manifest to an OSI document, with the list of what it loses."""
    raw: JsonDict = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest = PydanticSemanticManifest.parse_obj(raw)
    result = MSIToOSIConverter().convert(manifest, MODEL_NAME)
    metrics_by_name = {metric["name"]: metric for metric in raw["metrics"]}
    losses: list[Loss] = []
    for issue in result.issues:
        if issue.issue_type is ConverterIssueType.CUMULATIVE_SEMANTICS_LOSS:
            metric = metrics_by_name[issue.element_name]
            window = (metric["type_params"].get("cumulative_type_params") or {}).get("window")
            detail = f"running window {window}" if window else "running total (all time)"
            losses.append(Loss(issue.element_name, "cumulative", detail))
        else:
            losses.append(Loss(issue.element_name, "dropped", issue.issue_type.value))

    document = result.output
    semantic_model = document.semantic_model[0]
    datasets = [
        dataset.copy(update={"source": _portable_source(dataset.source)})
        for dataset in semantic_model.datasets
    ]
    measure_anchors = _measure_anchors(raw)
    semi_additive = _semi_additive(raw)
    columns = _dimension_columns(raw)
    metrics = []
    for metric in semantic_model.metrics or []:
        definition = metrics_by_name[metric.name]
        for offset in _offsets(definition):
            losses.append(Loss(metric.name, "offset", offset))
        dialects = []
        for dialect in metric.expression.dialects:
            sql, unresolved = _resolve_dimensions(dialect.expression, columns)
            dialects.append(dialect.copy(update={"expression": sql}))
            for name in sorted(set(unresolved)):
                losses.append(Loss(metric.name, "unresolved_dimension", name))
        input_measures = [
            measure["name"] for measure in definition["type_params"].get("input_measures") or []
        ]
        anchors = sorted({measure_anchors[measure] for measure in input_measures})
        last_values = [
            semi_additive[name] for name in sorted(set(input_measures) & set(semi_additive))
        ]
        losses += [Loss(metric.name, "semi_additive", detail) for detail in last_values]
        metrics.append(
            metric.copy(
                update={
                    "expression": metric.expression.copy(update={"dialects": dialects}),
                    "custom_extensions": [_metric_extension(definition, anchors, last_values)],
                }
            )
        )
    semantic_model = semantic_model.copy(
        update={
            "datasets": sorted(datasets, key=lambda dataset: dataset.name),
            "metrics": sorted(metrics, key=lambda metric: metric.name),
            "relationships": sorted(
                semantic_model.relationships or [], key=lambda relationship: relationship.name
            ),
            "description": (
                "Customer-service KPIs of support_kpis (metrics, dimensions and entities of its "
                f"MetricFlow semantic layer). Regenerate with `{REGENERATE}`."
            ),
        }
    )
    document = document.copy(update={"semantic_model": [semantic_model]})
    return Export(json.loads(document.to_osi_json()), sorted(losses))
