"""Everything a data steward reviews is documented: every model and every
column it really has, every seed and its columns, every source and its
columns, every metric and saved query. Groups and owners are set, and the
exposures declare the reports and the BI tables."""

from __future__ import annotations

import json
from pathlib import Path

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
