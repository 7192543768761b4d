"""The warehouse as Superset sees it: the BI copy, opened read-only.

duckdb-engine passes the URI's query parameters to DuckDB as configuration, so
`access_mode=read_only` opens the file without a write lock: a build can keep
replacing the BI copy (one atomic rename) while Superset runs, and Superset
can never change it. Superset opens a new connection per query (no pool), so
it reads the newest copy after each build.
"""

from __future__ import annotations

from pathlib import Path

from support_kpis.bi_copy import bi_copy_paths
from support_kpis.superset import SupersetError

DATABASE_NAME = "support_kpis"


def bi_copy_of(warehouse: Path) -> Path:
    """`<stem>_bi.duckdb` of a published warehouse, or the path itself if it is a BI copy."""
    if warehouse.name.endswith("_bi.duckdb"):
        return warehouse
    return bi_copy_paths(warehouse)[0]


def require_bi_copy(warehouse: Path) -> Path:
    path = bi_copy_of(warehouse).resolve()
    if not path.is_file():
        raise SupersetError(
            f"no BI copy of the warehouse at {path}: run `make build` "
            "(or `support-kpis build --database ...`) first"
        )
    return path


def warehouse_uri(bi_copy: Path) -> str:
    """The SQLAlchemy URI of the BI copy, read-only (duckdb-engine)."""
    return f"duckdb:///{bi_copy.resolve()}?access_mode=read_only"
