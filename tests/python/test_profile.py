"""The duckdb target of profiles.yml takes its settings from the environment."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from dbt_helpers import run_dbt


def _memory_limit(tmp_path: Path, extra_env: dict[str, str]) -> str:
    result = run_dbt(
        [
            "show",
            "--inline",
            "select current_setting('memory_limit') as memory_limit",
            "--output",
            "json",
            "--log-format",
            "json",
        ],
        tmp_path / "warehouse.duckdb",
        extra_env=extra_env,
    )
    for line in result.stdout.splitlines():
        event = json.loads(line)
        preview = event.get("data", {}).get("preview")
        if preview:
            return str(json.loads(preview)[0]["memory_limit"])
    raise AssertionError(f"no preview in dbt show's output:\n{result.stdout[-3000:]}")


def test_memory_limit_comes_from_the_environment(tmp_path: Path) -> None:
    # DuckDB counts 1GB as 10^9 bytes and shows it in MiB: 10^9 / 2^20 = 953.67.
    assert _memory_limit(tmp_path, {"DBT_DUCKDB_MEMORY_LIMIT": "1GB"}) == "953.6 MiB"


def test_memory_limit_defaults_to_duckdbs_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DBT_DUCKDB_MEMORY_LIMIT", raising=False)
    default = duckdb.connect().execute("select current_setting('memory_limit')").fetchone()
    assert default is not None
    assert _memory_limit(tmp_path, {}) == default[0]


def _threads(tmp_path: Path, extra_env: dict[str, str]) -> int:
    """The dbt threads a run uses, from its 'Concurrency: N threads' line."""
    result = run_dbt(["run", "--select", "dim_channels"], tmp_path / "warehouse.duckdb", None,
                     extra_env=extra_env)  # fmt: skip
    for line in result.stdout.splitlines():
        if "Concurrency:" in line:
            return int(line.split("Concurrency:")[1].split()[0])
    raise AssertionError(f"no concurrency line:\n{result.stdout[-3000:]}")


def test_threads_are_one_under_a_memory_cap_else_two_or_as_told(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DBT_DUCKDB_MEMORY_LIMIT", raising=False)
    monkeypatch.delenv("DBT_THREADS", raising=False)
    assert _threads(tmp_path, {}) == 2
    assert _threads(tmp_path, {"DBT_DUCKDB_MEMORY_LIMIT": "4GB"}) == 1
    assert _threads(tmp_path, {"DBT_DUCKDB_MEMORY_LIMIT": "4GB", "DBT_THREADS": "2"}) == 2
