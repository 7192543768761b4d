"""Shared warehouses, built once per test session."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from support_kpis.generator import generate

from dbt_helpers import AS_OF, PROJECT_DIR, run_dbt, work_project

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


REPORT_MONTH = date(2025, 11, 1)


@pytest.fixture(scope="session")
def published_sample(sample_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the sample build with its BI tables published and its BI copy beside it,
    as `support-kpis build` leaves the published file (its work copy and swap are tested
    in test_safe_publishing.py). Read it; never write to it."""
    from support_kpis.bi_copy import write_bi_copy
    from support_kpis.publish import publish

    database = tmp_path_factory.mktemp("published") / "warehouse.duckdb"
    shutil.copy(sample_warehouse, database)
    publish(work_project(), database)
    write_bi_copy(database, database)
    return database


@pytest.fixture(scope="session")
def sample_reports(published_sample: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The three report kinds of REPORT_MONTH for the published sample (read only)."""
    from support_kpis.report import write_reports

    outdir = tmp_path_factory.mktemp("reports")
    write_reports(work_project(), published_sample, REPORT_MONTH, outdir)
    return outdir


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
