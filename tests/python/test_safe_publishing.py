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

from support_kpis.safe_build import work_path

from conftest import FIXTURE_RAW
from dbt_helpers import AS_OF, PROJECT_DIR

CLI = Path(sys.executable).with_name("support-kpis")


def _build(published: Path, raw: Path) -> subprocess.CompletedProcess[str]:
    variables = json.dumps({"raw_path": str(raw), "as_of_at": AS_OF})
    return subprocess.run(
        [
            str(CLI),
            "build",
            "--project-dir",
            str(PROJECT_DIR),
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


def test_a_failed_build_leaves_the_published_file_unchanged(tmp_path: Path) -> None:
    published = tmp_path / "published" / "warehouse.duckdb"
    built = _build(published, FIXTURE_RAW)
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    assert not work_path(published).exists()
    before = _digest(published)
    with duckdb.connect(str(published), read_only=True) as reader:
        tickets_before = reader.sql("select count(*) from marts.fct_tickets").fetchall()
        assert reader.sql("select count(*) from bi.kpi_monthly").fetchall()[0][0] > 0

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


def test_a_reader_keeps_reading_while_a_build_replaces_the_file(tmp_path: Path) -> None:
    published = tmp_path / "warehouse.duckdb"
    assert _build(published, FIXTURE_RAW).returncode == 0
    # The build wrote the BI copy and its Parquet beside the file (test_bi_copy.py).
    assert (tmp_path / "warehouse_bi.duckdb").is_file()
    assert sorted(path.name for path in (tmp_path / "warehouse_parquet" / "bi").iterdir()) == [
        "agent_scorecard_monthly.parquet",
        "kpi_monthly.parquet",
    ]
    assert not work_path(published).parent.exists()
    with duckdb.connect(str(published), read_only=True) as reader:
        before = reader.sql("select count(*) from marts.fct_tickets").fetchall()
        assert _build(published, FIXTURE_RAW).returncode == 0
        assert reader.sql("select count(*) from marts.fct_tickets").fetchall() == before
    with duckdb.connect(str(published), read_only=True) as reader:
        assert reader.sql("select count(*) from marts.fct_tickets").fetchall() == before
