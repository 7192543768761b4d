"""Run dbt on the project from the tests, each run with its own warehouse file."""

from __future__ import annotations

import atexit
import functools
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

import duckdb

PROJECT_DIR = Path(__file__).resolve().parents[2]
# What a run writes or a developer keeps locally: never linked into the work project.
_NOT_LINKED = {"target", "logs", "warehouse", "dbt_packages", "reports", ".git", ".pytest_cache"}


@functools.cache
def work_project() -> Path:
    """The project as dbt, mf and the CLI see it in the tests: a temporary folder of symbolic
    links to the source tree, with its own target/ and logs/ (which mf always reads from the
    project folder), so that tests never touch the developer's target/, logs/ or warehouse/,
    and test processes running side by side do not share them. Removed at exit."""
    root = Path(tempfile.mkdtemp(prefix="support_kpis_project_"))
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    for entry in PROJECT_DIR.iterdir():
        if entry.name in _NOT_LINKED or entry.name.startswith(".venv"):
            continue
        (root / entry.name).symlink_to(entry)
    return root


DBT = Path(sys.executable).with_name("dbt")
CLI = Path(sys.executable).with_name("support-kpis")
AS_OF = "2026-01-01 00:00:00"


def run_dbt(
    command: Sequence[str],
    database: Path,
    variables: Mapping[str, object] | None = None,
    check: bool = True,
    target: str | None = None,
    extra_env: Mapping[str, str] | None = None,
    safe: bool = False,
) -> subprocess.CompletedProcess[str]:
    """Run `dbt <command>` in the project, writing to `database`.

    target/ and logs/ go beside the database so that parallel or failed runs
    leave the work tree alone. Builds write `database` in place (throwaway
    warehouses, nobody reads them), unless `safe`: then they go through the
    work copy, the gate and the publication as a user's build does (D33).
    """
    work = database.parent
    env = dict(os.environ)
    env["DBT_DUCKDB_PATH"] = str(database)
    if safe:
        env.pop("SUPPORT_KPIS_SAFE_BUILD", None)
    else:
        env["SUPPORT_KPIS_SAFE_BUILD"] = "0"
    env.update(extra_env or {})
    env["DBT_SEND_ANONYMOUS_USAGE_STATS"] = "False"
    args = [
        str(DBT),
        *command,
        "--project-dir",
        str(work_project()),
        "--profiles-dir",
        str(work_project()),
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
        args, cwd=work_project(), env=env, capture_output=True, text=True, check=False
    )
    if check and result.returncode != 0:
        raise AssertionError(
            f"dbt {' '.join(command)} failed ({result.returncode}):\n{result.stdout[-6000:]}"
        )
    return result


_PARSED_FOR: list[Path] = []


def run_mf(args: Sequence[str], database: Path) -> subprocess.CompletedProcess[str]:
    """Run the MetricFlow CLI (`mf`) on the project against `database`.

    mf reads target/semantic_manifest.json of the project folder (the work project
    here), whose relations name the DuckDB catalog (the file's stem): parse for this
    database first.
    """
    if not _PARSED_FOR or _PARSED_FOR[-1] != database:
        env = dict(
            os.environ, DBT_DUCKDB_PATH=str(database), DBT_SEND_ANONYMOUS_USAGE_STATS="False"
        )
        subprocess.run(
            [str(DBT), "parse", "--quiet"],
            cwd=work_project(),
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
        cwd=work_project(),
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def query(database: Path, sql: str) -> list[tuple[object, ...]]:
    with duckdb.connect(str(database), read_only=True) as connection:
        return connection.sql(sql).fetchall()


def cli_build_command(published: Path, variables: Mapping[str, object]) -> list[str]:
    """`support-kpis build` of the work project into `published`, with dbt `--vars`."""
    return [
        str(CLI),
        "build",
        "--project-dir",
        str(work_project()),
        "--database",
        str(published),
        "--",
        "--vars",
        json.dumps(dict(variables)),
    ]
