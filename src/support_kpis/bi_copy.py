"""The BI copy: what BI tools open, readable by DuckDB 1.x as well as 2.x.

The published warehouse is written by DuckDB 2.0, whose storage format
DuckDB 1.x cannot read, while most BI tools embed DuckDB 1.x. Beside the
published file `<stem>.duckdb` a build therefore writes:

- `<stem>_bi.duckdb`: every table and view of the schemas `bi` and `marts`,
  as tables with their comments, in the v1.0.0 storage format (DuckDB 1.0 and
  later read it). Staging, quarantine and raw PII stay in the main file, for
  data stewards;
- `<stem>_parquet/bi/<table>.parquet`: every `bi` table, for tools that read files.

Both are written into a staging folder beside the published file first and
then moved into place (`os.replace` for the file; rename the old folder away
and the new one in for the Parquet folder), so a reader never sees a
half-written copy, and a reader holding the old file open keeps reading it.

A publication stages the copy in two steps: the marts (most of the work: 3.4
million agent state rows at 200k tickets) while MetricFlow answers the saved
queries (`start_bi_copy`, both only read the work copy), then bi.* once it is
written (`complete_bi_copy`).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import duckdb

SCHEMAS = ("bi", "marts")
PARQUET_SCHEMA = "bi"
STORAGE_VERSION = "v1.0.0"  # the oldest format DuckDB 2.x writes; DuckDB >= 1.0 reads it
TARGET = "bi_copy"  # the catalog name of the copy while it is written


class BiCopyError(RuntimeError):
    """The BI copy could not be written; nothing was replaced."""


@dataclass(frozen=True)
class BiCopy:
    """A BI copy: the DuckDB file, the Parquet folder and the relations it holds."""

    database: Path
    parquet: Path
    relations: tuple[str, ...]


@dataclass(frozen=True)
class StagedBiCopy:
    """A BI copy written into `folder`, not yet moved into place; it holds the
    relations of `schemas` so far."""

    folder: Path
    staged: BiCopy
    published: BiCopy
    schemas: tuple[str, ...] = SCHEMAS


def bi_copy_paths(published: Path) -> tuple[Path, Path]:
    """(`<stem>_bi.duckdb`, `<stem>_parquet`) beside the published file."""
    return (
        published.with_name(f"{published.stem}_bi.duckdb"),
        published.with_name(f"{published.stem}_parquet"),
    )


def _identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _in(schemas: Sequence[str]) -> str:
    return "in (" + ", ".join(_literal(schema) for schema in schemas) + ")"


def _relations(
    connection: duckdb.DuckDBPyConnection, catalog: str, schemas: Sequence[str] = SCHEMAS
) -> list[tuple[str, str]]:
    """(schema, name) of every table and view of `schemas` in `catalog`."""
    rows = connection.execute(
        "select table_schema, table_name from information_schema.tables "
        f"where table_catalog = ? and table_schema {_in(schemas)} order by 1, 2",
        [catalog],
    ).fetchall()
    return [(str(schema), str(name)) for schema, name in rows]


def _comment_statements(
    connection: duckdb.DuckDBPyConnection, catalog: str, schemas: Sequence[str] = SCHEMAS
) -> list[str]:
    """COMMENT ON statements that give the copy the tables' and columns' descriptions."""
    within = _in(schemas)
    relations = connection.execute(
        "select schema_name, table_name, comment from duckdb_tables() "
        f"where database_name = ? and schema_name {within} and comment is not null "
        "union all select schema_name, view_name, comment from duckdb_views() "
        f"where database_name = ? and schema_name {within} and comment is not null",
        [catalog, catalog],
    ).fetchall()
    columns = connection.execute(
        "select schema_name, table_name, column_name, comment from duckdb_columns() "
        f"where database_name = ? and schema_name {within} and comment is not null",
        [catalog],
    ).fetchall()
    target = _identifier(TARGET)
    return [
        f"comment on table {target}.{_identifier(schema)}.{_identifier(name)} "
        f"is {_literal(comment)}"
        for schema, name, comment in relations
    ] + [
        f"comment on column {target}.{_identifier(schema)}.{_identifier(name)}"
        f".{_identifier(column)} is {_literal(comment)}"
        for schema, name, column, comment in columns
    ]


def _copy_relations(
    connection: duckdb.DuckDBPyConnection,
    catalog: str,
    relations: list[tuple[str, str]],
    schemas: Sequence[str],
) -> None:
    target = _identifier(TARGET)
    for schema in schemas:
        connection.execute(f"create schema if not exists {target}.{_identifier(schema)}")
    for schema, name in relations:
        relation = f"{_identifier(schema)}.{_identifier(name)}"
        connection.execute(
            f"create table {target}.{relation} as select * from {_identifier(catalog)}.{relation}"
        )


def _write_database(
    connection: duckdb.DuckDBPyConnection,
    catalog: str,
    schemas: Sequence[str],
    database: Path,
    create: bool,
) -> list[tuple[str, str]]:
    """Copy the relations of `schemas` into `database` (a new file when `create`);
    returns them."""
    version = f" (storage_version {_literal(STORAGE_VERSION)})" if create else ""
    connection.execute(f"attach {_literal(str(database))} as {_identifier(TARGET)}{version}")
    relations = _relations(connection, catalog, schemas) if schemas else []
    _copy_relations(connection, catalog, relations, schemas)
    for statement in _comment_statements(connection, catalog, schemas) if schemas else []:
        connection.execute(statement)
    connection.execute(f"checkpoint {_identifier(TARGET)}")
    connection.execute(f"detach {_identifier(TARGET)}")
    return relations


def _write_parquet(
    connection: duckdb.DuckDBPyConnection,
    catalog: str,
    relations: list[tuple[str, str]],
    folder: Path,
) -> None:
    schema_folder = folder / PARQUET_SCHEMA
    schema_folder.mkdir(parents=True)
    for schema, name in relations:
        if schema == PARQUET_SCHEMA:
            relation = f"{_identifier(catalog)}.{_identifier(schema)}.{_identifier(name)}"
            target = _literal(str(schema_folder / f"{name}.parquet"))
            connection.execute(f"copy (select * from {relation}) to {target} (format parquet)")


def _stage(
    staged: StagedBiCopy, source: Path, schemas: Sequence[str], create: bool, parquet: bool
) -> StagedBiCopy:
    """Copy the relations of `schemas` of the warehouse `source` (opened read-only) into
    the staged copy, and write the Parquet files when `parquet`."""
    catalog = source.stem
    try:
        with duckdb.connect() as connection:
            connection.execute(
                f"attach {_literal(str(source))} as {_identifier(catalog)} (read_only)"
            )
            relations = _write_database(
                connection, catalog, schemas, staged.staged.database, create
            )
            if parquet:
                _write_parquet(
                    connection,
                    catalog,
                    _relations(connection, catalog, SCHEMAS),
                    staged.staged.parquet,
                )
    except (duckdb.Error, OSError) as error:
        shutil.rmtree(staged.folder, ignore_errors=True)
        raise BiCopyError(f"writing the BI copy of {source} failed: {error}") from error
    names = staged.staged.relations + tuple(f"{schema}.{name}" for schema, name in relations)
    return replace(
        staged,
        staged=replace(staged.staged, relations=names),
        published=replace(staged.published, relations=names),
    )


def start_bi_copy(
    source: Path,
    published: Path,
    work_dir: Path | None = None,
    schemas: Sequence[str] = SCHEMAS,
) -> StagedBiCopy:
    """Start the BI copy of the warehouse `source` in a new folder under `work_dir`
    (default: beside `published`, so that the moves into place are renames) with the
    relations of `schemas`; `complete_bi_copy` adds the rest and the Parquet files."""
    unknown = set(schemas) - set(SCHEMAS)
    if unknown:
        raise ValueError(f"the BI copy holds the schemas {SCHEMAS}, not {sorted(unknown)}")
    database, parquet = bi_copy_paths(published)
    parent = work_dir or published.parent
    parent.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=".bi_copy-", dir=parent))
    empty = StagedBiCopy(
        folder=folder,
        staged=BiCopy(folder / database.name, folder / parquet.name, ()),
        published=BiCopy(database, parquet, ()),
        schemas=tuple(schemas),
    )
    return _stage(empty, source, schemas, create=True, parquet=False)


def complete_bi_copy(staged: StagedBiCopy, source: Path) -> StagedBiCopy:
    """Add the schemas `start_bi_copy` left out and write the Parquet files of bi.*
    (`source` is the same warehouse, possibly written to since)."""
    rest = [schema for schema in SCHEMAS if schema not in staged.schemas]
    completed = _stage(staged, source, rest, create=False, parquet=True)
    return replace(completed, schemas=SCHEMAS)


def stage_bi_copy(source: Path, published: Path, work_dir: Path | None = None) -> StagedBiCopy:
    """Write the BI copy of the warehouse `source` into a new folder under `work_dir`
    (default: beside `published`, so that the moves into place are renames)."""
    return complete_bi_copy(start_bi_copy(source, published, work_dir, ()), source)


def _replace_folder(new: Path, published: Path, scratch: Path) -> None:
    """Rename `new` to `published`, moving an existing `published` away first."""
    old = scratch / f"{published.name}.old"
    if published.exists():
        published.rename(old)
    new.rename(published)
    shutil.rmtree(old, ignore_errors=True)


def install_bi_copy(staged: StagedBiCopy) -> BiCopy:
    """Move a staged BI copy into place and remove its staging folder."""
    published = staged.published
    os.replace(staged.staged.database, published.database)
    stale_wal = Path(f"{published.database}.wal")
    if stale_wal.exists():
        stale_wal.unlink()
    _replace_folder(staged.staged.parquet, published.parquet, staged.folder)
    shutil.rmtree(staged.folder, ignore_errors=True)
    return published


def discard_bi_copy(staged: StagedBiCopy) -> None:
    """Remove a staged BI copy that will not be installed."""
    shutil.rmtree(staged.folder, ignore_errors=True)


def write_bi_copy(source: Path, published: Path) -> BiCopy:
    """Write the BI copy of `source` beside `published` and move it into place."""
    return install_bi_copy(stage_bi_copy(source, published))
