"""Shared warehouses, built once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from support_kpis.generator import generate

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


@pytest.fixture(scope="session")
def generated_raw(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generator folder: 20,000 tickets, 3% invalid rows of every kind."""
    raw = tmp_path_factory.mktemp("generated") / "raw"
    raw.mkdir()
    generate(raw, tickets=20_000, seed=11, invalid_rate=0.03)
    return raw


@pytest.fixture(scope="session")
def generated_warehouse(generated_raw: Path) -> Path:
    """The generator folder built with `dbt build --vars '{raw_path: ...}'`."""
    database = generated_raw.parent / "warehouse.duckdb"
    run_dbt(["build"], database, {"raw_path": str(generated_raw)})
    return database
