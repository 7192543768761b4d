"""The semantic layer as the tests read it: the catalogue's KPI names, and
KPIs by month from MetricFlow, compared with a tolerance."""

from __future__ import annotations

import csv
import math
from datetime import date
from pathlib import Path

from support_kpis.catalogue import kpi_names

from dbt_helpers import PROJECT_DIR, run_mf


def spec_kpi_names() -> list[str]:
    return kpi_names(PROJECT_DIR)


def mf_csv(database: Path, tmp_path: Path, *args: str) -> list[dict[str, str]]:
    out = tmp_path / "result.csv"
    result = run_mf(["query", *args, "--csv", str(out), "--quiet"], database)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    with out.open(newline="") as handle:
        return list(csv.DictReader(handle))


def by_month(rows: list[dict[str, str]]) -> dict[str, dict[date, float | None]]:
    values: dict[str, dict[date, float | None]] = {}
    for row in rows:
        month_text = row.pop("metric_time__month")
        if not month_text:
            assert all(value == "" for value in row.values()), row
            continue
        month = date.fromisoformat(month_text[:10])
        for name, value in row.items():
            values.setdefault(name, {})[month] = float(value) if value != "" else None
    return values


def differences(
    expected: dict[str, dict[date, float | None]], actual: dict[str, dict[date, float | None]]
) -> list[tuple[str, date, float | None, float | None]]:
    found = []
    for name, months in expected.items():
        got = actual[name]
        for month in sorted(set(months) | {m for m, v in got.items() if v is not None}):
            left, right = months.get(month), got.get(month)
            if left is None and right is None:
                continue
            if (
                left is None
                or right is None
                or not math.isclose(left, right, rel_tol=1e-9, abs_tol=1e-12)
            ):
                found.append((name, month, left, right))
    return found
