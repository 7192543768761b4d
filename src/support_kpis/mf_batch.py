"""Many MetricFlow queries in one process: what `mf query` answers, without starting
`mf` (dbt debug, the manifest, the adapter: about ten seconds) once per query.

Run as `python -m support_kpis.mf_batch PROJECT_DIR [SEMANTIC_MANIFEST]` with a JSON
list of requests on stdin, each {"saved_query": name} or {"metrics": [...],
"group_by": [...], "where": [...], "order": [...], "limit": n}; prints a JSON list of
results, each {"columns": [...], "rows": [[text or null, ...]]} or {"error": text}. The
numbers are MetricFlow's own (the engine `mf` runs), as text exactly as `mf query --csv`
writes them.

SEMANTIC_MANIFEST (default: PROJECT_DIR/target/semantic_manifest.json, the one `mf`
reads) lets a publication use the manifest its build just wrote under another target
path instead of parsing the project again.

The warehouse is opened read-only (a publication copies the marts into the BI copy
meanwhile: support_kpis.bi_copy) and with one DuckDB thread: DuckDB adds doubles in
the order its threads deliver them, so two threads can answer the same query on the
same file with a different last digit; one thread answers it the same every time.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

# DuckDB settings of the queries' connection (see the module's docstring).
CONNECTION_CONFIG = {"access_mode": "READ_ONLY", "threads": 1}


def _request(spec: dict[str, Any]) -> Any:
    from metricflow.engine.metricflow_engine import MetricFlowQueryRequest

    return MetricFlowQueryRequest.create(
        saved_query_name=spec.get("saved_query"),
        metric_names=spec.get("metrics"),
        group_by_names=spec.get("group_by"),
        limit=spec.get("limit"),
        where_constraints=spec.get("where") or None,
        order_by_names=spec.get("order"),
    )


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _reopen(adapter: Any) -> None:
    """Close the connection `dbt debug` opened (read-write, every thread) so that the
    first query opens the warehouse again with CONNECTION_CONFIG."""
    credentials = adapter.config.credentials
    if credentials.type != "duckdb":
        return
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    credentials.config_options = {**(credentials.config_options or {}), **CONNECTION_CONFIG}
    environment = DuckDBConnectionManager._ENV
    DuckDBConnectionManager.close_all_connections()
    if environment is not None:
        environment.close()
        DuckDBConnectionManager._ENV = None


def _engine(project_dir: Path, semantic_manifest: Path | None) -> Any:
    """MetricFlow's engine as `mf` sets it up, on `semantic_manifest` if given."""
    from dbt.adapters.factory import get_adapter_by_type
    from dbt_metricflow.cli.cli_configuration import CLIConfiguration
    from dbt_metricflow.cli.dbt_connectors.adapter_backed_client import AdapterBackedSqlClient
    from metricflow.engine.metricflow_engine import MetricFlowEngine
    from metricflow_semantics.model.dbt_manifest_parser import (
        parse_manifest_from_dbt_generated_manifest,
    )
    from metricflow_semantics.model.semantic_manifest_lookup import SemanticManifestLookup

    configuration = CLIConfiguration()
    configuration.setup(dbt_project_path=project_dir, configure_file_logging=False)
    if semantic_manifest is None:
        adapter = configuration.dbt_artifacts.adapter
        manifest = configuration.semantic_manifest
    else:
        metadata = configuration.dbt_project_metadata
        adapter = get_adapter_by_type(metadata.profile.credentials.type)
        manifest = parse_manifest_from_dbt_generated_manifest(
            manifest_json_string=semantic_manifest.read_text(encoding="utf-8")
        )
    _reopen(adapter)
    return MetricFlowEngine(
        semantic_manifest_lookup=SemanticManifestLookup(manifest),
        sql_client=AdapterBackedSqlClient(adapter),
    )


def run_requests(
    project_dir: Path, requests: list[dict[str, Any]], semantic_manifest: Path | None = None
) -> list[dict[str, Any]]:
    engine = _engine(project_dir, semantic_manifest)
    results: list[dict[str, Any]] = []
    for spec in requests:
        try:
            table = engine.query(mf_request=_request(spec)).result_df
        except Exception as error:  # reported per request, as `mf query` would print it
            results.append({"error": f"{type(error).__name__}: {error}"})
            continue
        rows = [] if table is None else [[_text(value) for value in row] for row in table.rows]
        columns = [] if table is None else list(table.column_names)
        results.append({"columns": columns, "rows": rows})
    return results


def main() -> int:
    project_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else Path.cwd()
    semantic_manifest = Path(sys.argv[2]).resolve() if len(sys.argv) > 2 else None
    requests = json.loads(sys.stdin.read())
    results = run_requests(project_dir.resolve(), requests, semantic_manifest)
    sys.stdout.write("\n" + json.dumps(results) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
