"""The support-kpis command line: generate, and clear errors on bad arguments."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from pathlib import Path

from dbt_helpers import PROJECT_DIR

CLI = Path(sys.executable).with_name("support-kpis")


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(CLI), *args], capture_output=True, text=True, check=False)


def test_generate_writes_the_ten_tables_and_a_manifest(tmp_path: Path) -> None:
    out = tmp_path / "raw"
    result = _run("generate", str(out), "--tickets", "200", "--seed", "3", "--invalid-rate", "0.05")
    assert result.returncode == 0, result.stderr
    names = {path.name for path in out.iterdir()}
    assert {f"{table}.csv" for table in ("tickets", "calls", "orders", "agent_states")} <= names
    assert {"_manifest.json", "_invalid_rows.csv"} <= names
    assert len([name for name in names if name.endswith(".csv") and not name.startswith("_")]) == 10
    manifest = json.loads((out / "_manifest.json").read_text())
    assert manifest["generator"]["tickets"] == 200
    assert f"wrote {out}" in result.stdout


def test_generate_parquet(tmp_path: Path) -> None:
    out = tmp_path / "raw"
    result = _run("generate", str(out), "--tickets", "50", "--format", "parquet")
    assert result.returncode == 0, result.stderr
    assert (out / "tickets.parquet").is_file()


def test_generate_refuses_a_non_empty_folder_without_overwrite(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("mine")
    result = _run("generate", str(tmp_path), "--tickets", "10")
    assert result.returncode == 2
    assert "is not empty; pass --overwrite" in result.stderr
    assert (tmp_path / "keep.txt").read_text() == "mine"


def test_bad_arguments_are_named(tmp_path: Path) -> None:
    result = _run("generate", str(tmp_path / "x"), "--tickets", "0")
    assert result.returncode == 2
    assert "--tickets: must be a positive integer, got 0" in result.stderr
    result = _run("generate", str(tmp_path / "x"), "--tickets", "10", "--invalid-rate", "0.9")
    assert result.returncode == 2
    assert "--invalid-rate: must be between 0 and 0.5, got 0.9" in result.stderr


def test_version_is_the_packaged_one() -> None:
    version = tomllib.loads((PROJECT_DIR / "pyproject.toml").read_text())["project"]["version"]
    result = _run("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"support-kpis {version}"


def test_the_shared_options_read_the_same_everywhere() -> None:
    """--project-dir and --database are defined once: every command that takes
    them says the same about them."""
    for command in ("publish", "report", "build", "lineage"):
        text = " ".join(_run(command, "--help").stdout.split())
        assert "--project-dir PROJECT_DIR the dbt project (default: .)" in text, command
        assert "(default: $DBT_DUCKDB_PATH or warehouse/support_kpis.duckdb)" in text, command
