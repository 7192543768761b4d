"""Everything a data steward reviews is documented: every model and every
column it really has, every seed and its columns, every source and its
columns, every metric and saved query, every macro and generic test and
their arguments. Groups and owners are set, and the exposures declare the
reports and the BI tables."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jinja2
import jinja2.nodes
import pytest

from dbt_helpers import query, run_dbt


@pytest.fixture(scope="module")
def manifest(sample_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:  # type: ignore[type-arg]
    database = tmp_path_factory.mktemp("docs") / "warehouse.duckdb"
    run_dbt(["parse"], database)
    return json.loads((database.parent / "target" / "manifest.json").read_text())  # type: ignore[no-any-return]


def _relation_columns(database: Path) -> dict[tuple[str, str], set[str]]:
    columns: dict[tuple[str, str], set[str]] = {}
    for schema, table, column in query(
        database,
        "select table_schema, table_name, column_name from information_schema.columns",
    ):
        columns.setdefault((str(schema), str(table)), set()).add(str(column))
    return columns


def test_every_model_and_seed_and_each_of_its_columns_is_documented(
    manifest: dict,
    sample_warehouse: Path,  # type: ignore[type-arg]
) -> None:
    built = _relation_columns(sample_warehouse)
    undocumented = []
    for node in manifest["nodes"].values():
        if node["resource_type"] not in {"model", "seed"}:
            continue
        if not node["description"].strip():
            undocumented.append(node["name"])
        real = built.get((node["schema"], node["alias"]), set())
        assert real, f"{node['name']} was not built"
        for column in sorted(real):
            documented = node["columns"].get(column, {}).get("description", "").strip()
            if not documented:
                undocumented.append(f"{node['name']}.{column}")
    assert undocumented == [], "\n".join(undocumented)


def test_every_source_metric_and_saved_query_is_documented(manifest: dict) -> None:  # type: ignore[type-arg]
    undocumented = []
    for source in manifest["sources"].values():
        if not source["description"].strip():
            undocumented.append(source["name"])
        undocumented += [
            f"{source['name']}.{name}"
            for name, column in source["columns"].items()
            if not column["description"].strip()
        ]
    for kind in ("metrics", "saved_queries", "semantic_models"):
        undocumented += [
            node["name"]
            for node in manifest[kind].values()
            if not (node.get("description") or "").strip()
        ]
    assert undocumented == [], "\n".join(undocumented)


def test_every_model_has_a_group_with_an_owner(manifest: dict) -> None:  # type: ignore[type-arg]
    groups = {group["name"]: group for group in manifest["groups"].values()}
    assert all(
        group["owner"].get("name") and group["owner"].get("email") for group in groups.values()
    )
    ungrouped = [
        node["name"]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["group"] not in groups
    ]
    assert ungrouped == []


def test_exposures_declare_the_reports_and_the_bi_tables(manifest: dict) -> None:  # type: ignore[type-arg]
    exposures = {exposure["name"]: exposure for exposure in manifest["exposures"].values()}
    assert set(exposures) == {
        "bi_kpi_tables",
        "agent_scorecard_report",
        "team_monthly_report",
        "management_trends_report",
    }
    for exposure in exposures.values():
        assert exposure["description"].strip() and exposure["owner"]["email"]
        assert exposure["depends_on"]["nodes"], exposure["name"]


def test_raw_sources_have_freshness(manifest: dict) -> None:  # type: ignore[type-arg]
    sources = {source["name"]: source for source in manifest["sources"].values()}
    stale = [
        name
        for name in ("tickets", "ticket_events", "ticket_messages", "calls", "orders")
        if not (
            sources[name]["loaded_at_field"] and sources[name]["freshness"]["error_after"]["count"]
        )
    ]
    assert stale == []


# `{% macro name(a, b=...) %}`, `{% test name(model, ...) %}`: the header of a macro.
MACRO_HEADER = re.compile(r"\{%-?\s*(?:macro|test|data_test)\s+(\w+\s*\(.*?\))\s*-?%\}", re.DOTALL)
# The adapter implementations of a dispatched macro, documented under its public name.
DISPATCHED_IMPLEMENTATION = re.compile(r"^(?:default|duckdb|spark)__(\w+)$")


def macro_parameters(macro_sql: str) -> list[str]:
    """The parameter names of the macro (or generic test) defined by `macro_sql`."""
    header = MACRO_HEADER.search(macro_sql)
    assert header, f"no macro header in {macro_sql[:200]!r}"
    template = jinja2.Environment().parse("{% macro " + header.group(1) + " %}{% endmacro %}")
    (macro,) = template.find_all(jinja2.nodes.Macro)
    return [argument.name for argument in macro.args]


def macro_documentation_problems(manifest: dict) -> list[str]:  # type: ignore[type-arg]
    """Why each macro of the project (generic tests included) is not documented in dbt.

    The default__/duckdb__/spark__ implementations of a macro dispatched in the
    project are documented under the dispatching macro, so they are left out;
    an adapter override without a dispatcher here (spark__load_csv_rows) is not.
    """
    macros = {
        macro["name"]: macro
        for macro in manifest["macros"].values()
        if macro["package_name"] == "support_kpis"
    }
    problems = []
    for name, macro in sorted(macros.items()):
        implementation = DISPATCHED_IMPLEMENTATION.match(name)
        if implementation and implementation.group(1) in macros:
            continue
        where = f"{name} ({macro['original_file_path']})"
        if not macro["description"].strip():
            problems.append(f"{where}: no description")
        documented = [argument["name"] for argument in macro["arguments"]]
        parameters = macro_parameters(macro["macro_sql"])
        problems += [
            f"{where}: argument {parameter} is not documented"
            for parameter in parameters
            if parameter not in documented
        ]
        problems += [
            f"{where}: documented argument {argument} is not in its signature"
            for argument in documented
            if argument not in parameters
        ]
        problems += [
            f"{where}: argument {argument['name']} has no type or no description"
            for argument in macro["arguments"]
            if not ((argument.get("type") or "").strip() and argument["description"].strip())
        ]
    return problems


def test_every_macro_and_generic_test_and_its_arguments_is_documented(manifest: dict) -> None:  # type: ignore[type-arg]
    assert "macro.support_kpis.test_expression_is_true" in manifest["macros"]
    problems = macro_documentation_problems(manifest)
    assert problems == [], "\n".join(problems)


def test_macro_parameters_are_read_from_the_header() -> None:
    assert macro_parameters(
        "{% macro text_columns_select(columns, optional,\n    fold_case=false) %}x{% endmacro %}"
    ) == ["columns", "optional", "fold_case"]
    assert macro_parameters("{%- macro delivery_time() -%}x{%- endmacro %}") == []
    assert macro_parameters(
        "{% test expression_is_true(model, expression, column_name=none) %}x{% endtest %}"
    ) == ["model", "expression", "column_name"]
    assert macro_parameters("{% macro f(a=g(1, ')'), b={'k': [2]}) %}x{% endmacro %}") == ["a", "b"]
