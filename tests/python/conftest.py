"""Shared warehouses, built once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from dbt_helpers import AS_OF, PROJECT_DIR, run_dbt

FIXTURE_RAW = PROJECT_DIR / "tests" / "fixtures" / "raw_invalid"
SAMPLE_RAW = PROJECT_DIR / "data" / "sample"


@pytest.fixture(scope="session")
def fixture_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hand-made raw folder (one row per kind of invalid row) built with `dbt build`."""
    database = tmp_path_factory.mktemp("fixture") / "warehouse.duckdb"
    run_dbt(["build"], database, {"raw_path": str(FIXTURE_RAW), "as_of_at": AS_OF})
    return database


@pytest.fixture(scope="session")
def sample_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled sample built exactly as the README's build command does (default vars)."""
    database = tmp_path_factory.mktemp("sample") / "warehouse.duckdb"
    run_dbt(["build"], database)
    return database
