"""Build and publish the warehouse without ever exposing a half-built file.

BI tools read the published DuckDB file. A build writes a copy in a work
folder beside it (same file name, so the DuckDB catalog name and the views
that name it stay valid), runs `dbt build` (models and their tests) and the
BI publication there, and only when both succeeded replaces the published
file in one atomic rename. A failed build leaves the published file as it was.
The BI copy (bi_copy.py: bi and marts, readable by DuckDB 1.x, and Parquet) is
written from the work copy before the swap and moved into place right after it,
so it always matches the published file.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import duckdb

from support_kpis.bi_copy import BiCopyError, install_bi_copy, stage_bi_copy
from support_kpis.publish import PublishError, publish

WORK_FOLDER = ".building"


class BuildError(RuntimeError):
    """The build or its tests failed; nothing was published."""


def work_path(published: Path) -> Path:
    return published.parent / WORK_FOLDER / published.name


def safe_build(project_dir: Path, published: Path, dbt_args: Sequence[str] = ()) -> Path:
    """Build into the work copy, test, publish the BI tables, then swap it in."""
    work = work_path(published)
    if work.parent.exists():
        shutil.rmtree(work.parent)
    work.parent.mkdir(parents=True)
    env = dict(os.environ, DBT_DUCKDB_PATH=str(work), DBT_SEND_ANONYMOUS_USAGE_STATS="False")
    dbt = Path(sys.executable).with_name("dbt")
    result = subprocess.run([str(dbt), "build", *dbt_args], cwd=project_dir, env=env, check=False)
    if result.returncode != 0:
        shutil.rmtree(work.parent, ignore_errors=True)
        raise BuildError(f"dbt build failed (exit {result.returncode}); {published} is unchanged")
    try:
        publish(project_dir, work)
    except PublishError as error:
        shutil.rmtree(work.parent, ignore_errors=True)
        raise BuildError(f"{error}\n{published} is unchanged") from error
    with duckdb.connect(str(work)) as connection:
        connection.execute("checkpoint")
    try:
        bi_copy = stage_bi_copy(work, published, work.parent)
    except BiCopyError as error:
        shutil.rmtree(work.parent, ignore_errors=True)
        raise BuildError(f"{error}\n{published} is unchanged") from error
    published.parent.mkdir(parents=True, exist_ok=True)
    os.replace(work, published)
    install_bi_copy(bi_copy)
    stale_wal = Path(f"{published}.wal")
    if stale_wal.exists():
        stale_wal.unlink()
    shutil.rmtree(work.parent, ignore_errors=True)
    return published
