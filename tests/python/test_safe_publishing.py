"""Safe publishing: BI tools read a published warehouse file that a build
replaces atomically, and only when the build, its tests and the BI tables
all succeeded. A build that fails midway leaves it readable and unchanged."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from support_kpis.safe_build import work_path

from conftest import FIXTURE_RAW
from dbt_helpers import AS_OF, work_project

CLI = Path(sys.executable).with_name("support-kpis")


def _build(published: Path, raw: Path) -> subprocess.CompletedProcess[str]:
    variables = json.dumps({"raw_path": str(raw), "as_of_at": AS_OF})
    return subprocess.run(
        [
            str(CLI),
            "build",
            "--project-dir",
            str(work_project()),
            "--database",
            str(published),
            "--",
            "--vars",
            variables,
        ],
        capture_output=True,
        text=True,
        check=False,
    )


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def first_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding a warehouse published by `support-kpis build` (with its
    BI copy), which each test copies before building over it."""
    folder = tmp_path_factory.mktemp("first_build")
    built = _build(folder / "warehouse.duckdb", FIXTURE_RAW)
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    return folder


def _published_copy(first_build: Path, folder: Path) -> Path:
    shutil.copytree(first_build, folder)
    return folder / "warehouse.duckdb"


def test_the_build_publishes_the_file_and_its_bi_copy(first_build: Path) -> None:
    published = first_build / "warehouse.duckdb"
    assert not work_path(published).parent.exists()
    # The BI copy and its Parquet stand beside the file (test_bi_copy.py).
    assert (first_build / "warehouse_bi.duckdb").is_file()
    assert sorted(path.name for path in (first_build / "warehouse_parquet" / "bi").iterdir()) == [
        "agent_scorecard_monthly.parquet",
        "kpi_monthly.parquet",
    ]
    with duckdb.connect(str(published), read_only=True) as reader:
        assert reader.sql("select count(*) from bi.kpi_monthly").fetchall()[0][0] > 0


def test_a_failed_build_leaves_the_published_file_unchanged(
    first_build: Path, tmp_path: Path
) -> None:
    published = _published_copy(first_build, tmp_path / "published")
    before = _digest(published)
    with duckdb.connect(str(published), read_only=True) as reader:
        tickets_before = reader.sql("select count(*) from marts.fct_tickets").fetchall()

    broken = tmp_path / "broken"
    shutil.copytree(FIXTURE_RAW, broken)
    (broken / "orders.csv").unlink()  # the build fails midway, at the orders
    failed = _build(published, broken)
    assert failed.returncode == 1
    assert "is unchanged" in failed.stderr
    assert _digest(published) == before
    assert not work_path(published).parent.exists()
    with duckdb.connect(str(published), read_only=True) as reader:
        assert reader.sql("select count(*) from marts.fct_tickets").fetchall() == tickets_before


def test_a_reader_keeps_reading_while_a_build_replaces_the_file(
    first_build: Path, tmp_path: Path
) -> None:
    published = _published_copy(first_build, tmp_path / "published")
    with duckdb.connect(str(published), read_only=True) as reader:
        before = reader.sql("select count(*) from marts.fct_tickets").fetchall()
        assert _build(published, FIXTURE_RAW).returncode == 0
        assert reader.sql("select count(*) from marts.fct_tickets").fetchall() == before
    with duckdb.connect(str(published), read_only=True) as reader:
        assert reader.sql("select count(*) from marts.fct_tickets").fetchall() == before
