"""Trace each KPI's metric to the mart columns its measures read, then, through
the compiled SQL of every model (sqlglot's column lineage), down to the raw
contract's columns (the base models read them one to one) and the seeds.

Inputs are the project's own artifacts: target/manifest.json (compiled code,
from `dbt compile` or `dbt build`), target/semantic_manifest.json, and the
built warehouse's column list (to expand `select *`)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import sqlglot
from sqlglot import exp
from sqlglot.lineage import lineage

BASE_PREFIX = "base_support__"
Column = tuple[str, str]  # (relation name, column)


def is_delivery(relation: str) -> bool:
    """The base models that read a raw table, column for column (not the parse and the
    checks of its loads)."""
    return relation.startswith(BASE_PREFIX) and not relation.endswith(("_parsed", "_checked"))


@dataclass
class KpiLineage:
    kpi: str
    label: str
    metric_type: str
    measures: list[str] = field(default_factory=list)  # "semantic_model.measure = agg(expr)"
    mart_columns: set[Column] = field(default_factory=set)
    intermediate_columns: set[Column] = field(default_factory=set)
    raw_columns: set[Column] = field(default_factory=set)  # ("support.<table>", column)
    seed_columns: set[Column] = field(default_factory=set)


class ColumnTracer:
    """(model, column) -> upstream (model, column) pairs, memoised."""

    def __init__(self, manifest: dict, schema: dict) -> None:  # type: ignore[type-arg]
        self.nodes = {
            node["name"]: node
            for node in manifest["nodes"].values()
            if node["resource_type"] in {"model", "seed"}
        }
        self.by_relation = {
            (node["schema"], node.get("alias") or node["name"]): name
            for name, node in self.nodes.items()
        }
        self.schema = schema
        self.memo: dict[Column, set[Column]] = {}

    def upstream(self, column: Column) -> set[Column]:
        if column in self.memo:
            return self.memo[column]
        self.memo[column] = set()
        name, column_name = column
        node = self.nodes[name]
        if node["resource_type"] == "seed" or is_delivery(name):
            return set()
        sql = node.get("compiled_code") or ""
        found: set[Column] = set()
        try:
            root = lineage(column_name, sql, schema=self.schema, dialect="duckdb")
        except (sqlglot.errors.SqlglotError, ValueError, KeyError):
            root = None
        if root is not None:
            for leaf in root.walk():
                if leaf.downstream or not isinstance(leaf.source, exp.Table):
                    continue
                relation = self.by_relation.get((leaf.source.db, leaf.source.name))
                if relation is not None:
                    found.add((relation, leaf.name.split(".")[-1]))
        self.memo[column] = found
        return found

    def close(self, start: Iterable[Column]) -> set[Column]:
        """Every column reachable upstream from `start`, `start` included."""
        seen: set[Column] = set()
        todo = list(start)
        while todo:
            current = todo.pop()
            if current in seen or current[0] not in self.nodes:
                continue
            seen.add(current)
            todo.extend(self.upstream(current))
        return seen


def _columns_of(expression: str | None, fallback: str) -> set[str]:
    text = expression or fallback
    try:
        parsed = sqlglot.parse_one(text, dialect="duckdb")
    except sqlglot.errors.SqlglotError:
        return {fallback}
    return {column.name for column in parsed.find_all(exp.Column)}


def _warehouse_schema(database: Path) -> dict:  # type: ignore[type-arg]
    schema: dict = {}  # type: ignore[type-arg]
    with duckdb.connect(str(database), read_only=True) as connection:
        rows = connection.sql(
            "select table_catalog, table_schema, table_name, column_name, data_type "
            "from information_schema.columns"
        ).fetchall()
    for catalog, schema_name, table, column, data_type in rows:
        schema.setdefault(catalog, {}).setdefault(schema_name, {}).setdefault(table, {})[column] = (
            data_type
        )
    return schema


def trace_kpis(target_dir: Path, database: Path, kpi_names: Iterable[str]) -> list[KpiLineage]:
    manifest = json.loads((target_dir / "manifest.json").read_text())
    semantic = json.loads((target_dir / "semantic_manifest.json").read_text())
    tracer = ColumnTracer(manifest, _warehouse_schema(database))
    metrics = {metric["name"]: metric for metric in semantic["metrics"]}
    measures: dict[str, tuple[dict, dict]] = {}  # type: ignore[type-arg]
    dimensions: dict[tuple[str, str], tuple[dict, str]] = {}  # type: ignore[type-arg]
    for model in semantic["semantic_models"]:
        for measure in model.get("measures", []):
            measures[measure["name"]] = (model, measure)
        primary = model.get("primary_entity") or next(
            (e["name"] for e in model["entities"] if e["type"] == "primary"), model["name"]
        )
        for dimension in model.get("dimensions", []):
            dimensions[(primary, dimension["name"])] = (
                model,
                dimension.get("expr") or dimension["name"],
            )

    def mart_relation(model: dict) -> str:  # type: ignore[type-arg]
        return str(model["node_relation"]["alias"])

    results = []
    for name in kpi_names:
        metric = metrics[name]
        result = KpiLineage(name, metric.get("label") or name, metric["type"])
        todo = [metric]
        while todo:
            current = todo.pop()
            params = current["type_params"]
            for where in (current.get("filter") or {}).get("where_filters", []):
                for entity, dim in re.findall(
                    r"Dimension\('([a-z_]+)__([a-z_]+)'\)", where["where_sql_template"]
                ):
                    model, expr = dimensions[(entity, dim)]
                    for col in _columns_of(expr, dim):
                        result.mart_columns.add((mart_relation(model), col))
            measure_ref = params.get("measure")
            if measure_ref:
                model, measure = measures[measure_ref["name"]]
                expr = measure.get("expr") or measure["name"]
                result.measures.append(
                    f"{model['name']}.{measure['name']} = {measure['agg']}({expr})"
                )
                time_dim = (
                    measure.get("agg_time_dimension") or model["defaults"]["agg_time_dimension"]
                )
                for col in _columns_of(expr, measure["name"]) | {time_dim}:
                    result.mart_columns.add((mart_relation(model), col))
            for key in ("numerator", "denominator"):
                if params.get(key):
                    todo.append(metrics[params[key]["name"]])
            for input_metric in params.get("metrics") or []:
                todo.append(metrics[input_metric["name"]])
        for relation, column in tracer.close(result.mart_columns):
            node = tracer.nodes[relation]
            if node["resource_type"] == "seed":
                result.seed_columns.add((relation, column))
            elif is_delivery(relation):
                result.raw_columns.add((f"support.{relation.removeprefix(BASE_PREFIX)}", column))
            elif (relation, column) not in result.mart_columns:
                result.intermediate_columns.add((relation, column))
        results.append(result)
    return results
