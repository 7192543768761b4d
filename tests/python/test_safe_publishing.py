"""Safe publishing: BI tools read a published warehouse file that a build
replaces atomically, and only when the build, its tests and the BI tables
all succeeded. A build that fails midway leaves it readable and unchanged."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest

from support_kpis.safe_build import work_folder

from dbt_helpers import AS_OF, PROJECT_DIR, cli_build_command

SMALL = PROJECT_DIR / "tests" / "fixtures" / "report_small"  # 10 valid tickets


def _build(
    published: Path, raw: Path, publish_anyway: bool = False
) -> subprocess.CompletedProcess[str]:
    variables = {"raw_path": str(raw), "as_of_at": AS_OF, "publish_anyway": publish_anyway}
    command = cli_build_command(published, variables)
    return subprocess.run(command, capture_output=True, text=True, check=False)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def first_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding a warehouse published by `support-kpis build` (with its
    BI copy), which each test copies before building over it."""
    folder = tmp_path_factory.mktemp("first_build")
    built = _build(folder / "warehouse.duckdb", SMALL)
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    return folder


def _published_copy(first_build: Path, folder: Path) -> Path:
    shutil.copytree(first_build, folder)
    return folder / "warehouse.duckdb"


def test_the_build_publishes_the_file_and_its_bi_copy(first_build: Path) -> None:
    published = first_build / "warehouse.duckdb"
    assert not work_folder(published).exists()
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
    shutil.copytree(SMALL, broken)
    (broken / "orders.csv").unlink()  # the build fails midway, at the orders
    failed = _build(published, broken)
    assert failed.returncode == 1
    assert "is unchanged" in failed.stderr
    assert _digest(published) == before
    assert not work_folder(published).exists()
    with duckdb.connect(str(published), read_only=True) as reader:
        assert reader.sql("select count(*) from marts.fct_tickets").fetchall() == tickets_before


def _tickets_with_offsets(folder: Path) -> None:
    """Every ticket timestamp written with a +02:00 offset (the contract wants UTC, Z)."""
    tickets = folder / "tickets.csv"
    tickets.write_text(tickets.read_text(encoding="utf-8").replace(":00Z", ":00+02:00"))


def test_the_gate_refuses_a_delivery_whose_tickets_are_all_invalid(
    first_build: Path, tmp_path: Path
) -> None:
    published = _published_copy(first_build, tmp_path / "published")
    before = _digest(published)
    broken = tmp_path / "broken"
    shutil.copytree(SMALL, broken)
    _tickets_with_offsets(broken)
    refused = _build(published, broken)
    assert refused.returncode == 1
    assert "the publication gate is closed" in refused.stderr
    assert (
        "tickets: 10 of 10 delivered rows quarantined (100%), more than the 10% allowed"
        in refused.stderr
    )
    assert f"{published} is unchanged" in refused.stderr
    assert _digest(published) == before
    assert not work_folder(published).exists()


def test_publish_anyway_overrides_the_gate_and_the_summary_is_printed(
    first_build: Path, tmp_path: Path
) -> None:
    published = _published_copy(first_build, tmp_path / "published")
    broken = tmp_path / "broken"
    shutil.copytree(SMALL, broken)
    _tickets_with_offsets(broken)
    forced = _build(published, broken, publish_anyway=True)
    assert forced.returncode == 0, forced.stdout[-3000:] + forced.stderr[-3000:]
    lines = forced.stdout.splitlines()
    tickets = next(line for line in lines if line.startswith("tickets "))
    # delivered, staged, collapsed, quarantined, reasons
    assert tickets.split()[1:6] == ["10", "0", "0", "10", "invalid_format"]
    assert any(line.startswith("published despite the gate: tickets: 10 of 10") for line in lines)
    with duckdb.connect(str(published), read_only=True) as reader:
        assert reader.sql("select count(*) from marts.fct_tickets").fetchall()[0][0] == 0
