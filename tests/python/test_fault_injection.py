"""Fault injection: a delivery with invalid rows of every kind builds, its
quarantine matches the generator's manifest, and every KPI equals the KPI of
the same delivery with the invalid rows (and exact duplicates) removed."""

from __future__ import annotations

from pathlib import Path

import pytest

from support_kpis.generator import generate

from dbt_helpers import query, run_dbt
from manifest_check import manifest_counts, warehouse_counts
from semantic_helpers import by_month, differences, mf_csv, spec_kpi_names


@pytest.mark.scale
def test_kpis_ignore_invalid_rows(
    generated_raw: Path, generated_warehouse: Path, tmp_path: Path
) -> None:
    clean = tmp_path / "clean"
    clean.mkdir()
    generate(clean, tickets=20_000, seed=11, invalid_rate=0.03, omit_invalid=True)
    clean_database = tmp_path / "warehouse.duckdb"
    run_dbt(["build"], clean_database, {"raw_path": str(clean)})

    faulty = manifest_counts(generated_raw)
    assert warehouse_counts(generated_warehouse) == faulty
    assert all(sum(counts["quarantined"].values()) > 0 for counts in faulty.values())  # type: ignore[attr-defined]
    assert query(
        clean_database,
        "select sum(count_quarantined_rows + count_collapsed_rows) "
        "from quarantine.quarantine_support__summary",
    ) == [(0,)]
    for table, counts in manifest_counts(clean).items():
        assert counts["staged"] == faulty[table]["staged"], table

    metrics = ("--metrics", ",".join(spec_kpi_names()), "--group-by", "metric_time__month")
    with_faults = by_month(mf_csv(generated_warehouse, tmp_path, *metrics))
    without = by_month(mf_csv(clean_database, tmp_path, *metrics))
    assert differences(without, with_faults)[:20] == []
