"""Many MetricFlow queries in one process: what `mf query` answers, without starting
`mf` (dbt debug, the manifest, the adapter: about ten seconds) once per query.

Run as `python -m support_kpis.mf_batch PROJECT_DIR` with a JSON list of requests on
stdin, each {"saved_query": name} or {"metrics": [...], "group_by": [...], "where":
[...], "order": [...], "limit": n}; prints a JSON list of results, each {"columns":
[...], "rows": [[text or null, ...]]} or {"error": text}. The numbers are MetricFlow's
own (the engine `mf` runs), as text exactly as `mf query --csv` writes them.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any


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


def run_requests(project_dir: Path, requests: list[dict[str, Any]]) -> list[dict[str, Any]]:
    from dbt_metricflow.cli.cli_configuration import CLIConfiguration

    configuration = CLIConfiguration()
    configuration.setup(dbt_project_path=project_dir, configure_file_logging=False)
    results: list[dict[str, Any]] = []
    for spec in requests:
        try:
            table = configuration.mf.query(mf_request=_request(spec)).result_df
        except Exception as error:  # reported per request, as `mf query` would print it
            results.append({"error": f"{type(error).__name__}: {error}"})
            continue
        rows = [] if table is None else [[_text(value) for value in row] for row in table.rows]
        columns = [] if table is None else list(table.column_names)
        results.append({"columns": columns, "rows": rows})
    return results


def main() -> int:
    project_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else Path.cwd()
    requests = json.loads(sys.stdin.read())
    results = run_requests(project_dir.resolve(), requests)
    sys.stdout.write("\n" + json.dumps(results) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
