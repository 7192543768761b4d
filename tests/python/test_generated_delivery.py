"""A generator folder of 20,000 tickets with 3% invalid rows builds, and the
quarantine counts by reason equal the generator's manifest for every table."""

from __future__ import annotations

from pathlib import Path

import pytest

from support_kpis.generator import generate

from dbt_helpers import run_dbt
from manifest_check import manifest_counts, warehouse_counts


@pytest.mark.slow
def test_generated_folder_quarantine_equals_manifest(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    generate(raw, tickets=20_000, seed=11, invalid_rate=0.03)
    database = tmp_path / "warehouse.duckdb"
    run_dbt(["build"], database, {"raw_path": str(raw)})
    expected = manifest_counts(raw)
    built = warehouse_counts(database)
    assert set(built) == set(expected)
    for table in expected:
        assert built[table] == expected[table], table
