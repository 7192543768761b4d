"""A delivery dbt cannot read fails with an error naming the table and the column or file."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURE_RAW
from dbt_helpers import run_dbt


def _copy_fixture(tmp_path: Path) -> Path:
    raw = tmp_path / "raw"
    shutil.copytree(FIXTURE_RAW, raw)
    return raw


def _drop_column(path: Path, column: str) -> None:
    with path.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    fields = [name for name in rows[0] if name != column]
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)


def _run_base(raw: Path, table: str, tmp_path: Path) -> str:
    result = run_dbt(
        ["run", "--select", f"base_support__{table}"],
        tmp_path / "warehouse.duckdb",
        {"raw_path": str(raw)},
        check=False,
    )
    assert result.returncode != 0, result.stdout[-3000:]
    return result.stdout


def test_missing_required_column_names_table_and_column(tmp_path: Path) -> None:
    raw = _copy_fixture(tmp_path)
    _drop_column(raw / "tickets.csv", "priority")
    output = _run_base(raw, "tickets", tmp_path)
    assert "raw table 'tickets'" in output
    assert "required column 'priority' missing" in output
    assert str(raw / "tickets.csv") in output


def test_missing_optional_column_is_fine(tmp_path: Path) -> None:
    raw = _copy_fixture(tmp_path)
    _drop_column(raw / "tickets.csv", "category")
    result = run_dbt(
        ["run", "--select", "base_support__tickets"],
        tmp_path / "warehouse.duckdb",
        {"raw_path": str(raw)},
    )
    assert result.returncode == 0


def test_file_that_is_not_csv_or_parquet_names_table_and_file(tmp_path: Path) -> None:
    raw = _copy_fixture(tmp_path)
    (raw / "orders.csv").rename(raw / "orders.xlsx")
    output = _run_base(raw, "orders", tmp_path)
    assert "raw table 'orders'" in output
    assert f"file {raw / 'orders.xlsx'} is not CSV or Parquet" in output


def test_corrupt_parquet_names_the_file(tmp_path: Path) -> None:
    raw = _copy_fixture(tmp_path)
    (raw / "orders.csv").unlink()
    (raw / "orders.parquet").write_text("order_id,customer_id\nO1,C1\n")
    output = _run_base(raw, "orders", tmp_path)
    assert str(raw / "orders.parquet") in output


def test_missing_table_file_names_table_and_folder(tmp_path: Path) -> None:
    raw = _copy_fixture(tmp_path)
    (raw / "calls.csv").unlink()
    output = _run_base(raw, "calls", tmp_path)
    assert f"raw table 'calls': no file calls.csv or calls.parquet in '{raw}'" in output


def test_two_files_for_one_table_is_ambiguous(tmp_path: Path) -> None:
    raw = _copy_fixture(tmp_path)
    shutil.copy(raw / "agents.csv", raw / "agents.parquet")
    output = _run_base(raw, "agents", tmp_path)
    assert "raw table 'agents': more than one file" in output


@pytest.mark.parametrize("folder", ["does-not-exist", "empty"])
def test_missing_or_empty_raw_folder(tmp_path: Path, folder: str) -> None:
    raw = tmp_path / folder
    if folder == "empty":
        raw.mkdir()
    output = _run_base(raw, "customers", tmp_path)
    assert f"the raw folder '{raw}' (var raw_path) does not exist or is empty" in output
