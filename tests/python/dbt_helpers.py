"""Run dbt on the project from the tests, each run with its own warehouse file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

import duckdb

PROJECT_DIR = Path(__file__).resolve().parents[2]
DBT = Path(sys.executable).with_name("dbt")
AS_OF = "2026-01-01 00:00:00"


def run_dbt(
    command: Sequence[str],
    database: Path,
    variables: Mapping[str, object] | None = None,
    check: bool = True,
    target: str | None = None,
    extra_env: Mapping[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run `dbt <command>` in the project, writing to `database`.

    target/ and logs/ go beside the database so that parallel or failed runs
    leave the work tree alone.
    """
    work = database.parent
    env = dict(os.environ)
    env["DBT_DUCKDB_PATH"] = str(database)
    env.update(extra_env or {})
    env["DBT_SEND_ANONYMOUS_USAGE_STATS"] = "False"
    args = [
        str(DBT),
        *command,
        "--project-dir",
        str(PROJECT_DIR),
        "--profiles-dir",
        str(PROJECT_DIR),
        "--target-path",
        str(work / "target"),
        "--log-path",
        str(work / "logs"),
    ]
    if variables:
        args += ["--vars", json.dumps(dict(variables))]
    if target:
        args += ["--target", target]
    result = subprocess.run(
        args, cwd=PROJECT_DIR, env=env, capture_output=True, text=True, check=False
    )
    if check and result.returncode != 0:
        raise AssertionError(
            f"dbt {' '.join(command)} failed ({result.returncode}):\n{result.stdout[-6000:]}"
        )
    return result


_PARSED_FOR: list[Path] = []


def run_mf(args: Sequence[str], database: Path) -> subprocess.CompletedProcess[str]:
    """Run the MetricFlow CLI (`mf`) on the project against `database`.

    mf reads target/semantic_manifest.json of the project, whose relations
    name the DuckDB catalog (the file's stem): parse for this database first.
    """
    if not _PARSED_FOR or _PARSED_FOR[-1] != database:
        env = dict(
            os.environ, DBT_DUCKDB_PATH=str(database), DBT_SEND_ANONYMOUS_USAGE_STATS="False"
        )
        subprocess.run(
            [str(DBT), "parse", "--quiet"],
            cwd=PROJECT_DIR,
            env=env,
            check=True,
            capture_output=True,
        )
        _PARSED_FOR.append(database)
    env = dict(os.environ)
    env["DBT_DUCKDB_PATH"] = str(database)
    env["DBT_SEND_ANONYMOUS_USAGE_STATS"] = "False"
    return subprocess.run(
        [str(DBT.with_name("mf")), *args],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def query(database: Path, sql: str) -> list[tuple[object, ...]]:
    with duckdb.connect(str(database), read_only=True) as connection:
        return connection.sql(sql).fetchall()
