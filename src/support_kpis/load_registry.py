"""Which loads a warehouse has processed, by name and content checksum (D35).

A delivery in loads (docs/spec/sources.md, "Deliveries in loads") only grows:
each new load is a new file in `<raw_path>/<table>/`. A build records every
load file it processed in the published warehouse (`meta.processed_loads`:
table, load, size, modification time, sha256). The next build checks the
folder against that record before it starts: a processed load that changed or
disappeared stops the build with what to do, instead of being silently
re-read (a rewritten history) or skipped. `--full-refresh` accepts the folder
as it is and starts a new record. A table delivered as one file is a full
export, replaced by every delivery, and is not recorded.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from support_kpis.generator.schema import TABLES

SCHEMA = "meta"
TABLE = "processed_loads"
_READABLE = (".csv", ".csv.gz", ".parquet")


@dataclass(frozen=True)
class LoadFile:
    """One load file of a table, as found or as recorded."""

    table_name: str
    load_id: str
    size_bytes: int
    modified_ns: int
    sha256: str
    processed_at: datetime | None = None


class LoadRegistryError(RuntimeError):
    """A processed load changed or disappeared."""


def _load_paths(raw_folder: Path, tables: Iterable[str]) -> list[tuple[str, Path]]:
    """(table, file) of every load file in `<raw_folder>/<table>/`, as the raw reader
    reads them: CSV, CSV.gz or Parquet, names starting with '.' or '_' skipped."""
    found: list[tuple[str, Path]] = []
    for table in tables:
        folder = raw_folder / table
        if not folder.is_dir():
            continue
        for path in sorted(folder.iterdir()):
            name = path.name
            if (
                path.is_file()
                and not name.startswith((".", "_"))
                and name.lower().endswith(_READABLE)
            ):
                found.append((table, path))
    return found


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def scan(
    raw_folder: Path, recorded: Sequence[LoadFile] = (), tables: Iterable[str] = TABLES
) -> list[LoadFile]:
    """The load files now in `raw_folder`, with their checksums. A file whose size and
    modification time equal its record keeps the recorded checksum (not re-read)."""
    known = {(load.table_name, load.load_id): load for load in recorded}
    files = []
    for table, path in _load_paths(raw_folder, tables):
        status = path.stat()
        before = known.get((table, path.name))
        unchanged = (
            before is not None
            and before.size_bytes == status.st_size
            and before.modified_ns == status.st_mtime_ns
        )
        checksum = before.sha256 if before is not None and unchanged else _sha256(path)
        files.append(LoadFile(table, path.name, status.st_size, status.st_mtime_ns, checksum))
    return files


def read_recorded(database: Path) -> list[LoadFile]:
    """The loads recorded in a warehouse file; none when it has no record (yet)."""
    if not database.is_file():
        return []
    with duckdb.connect(str(database), read_only=True) as connection:
        exists = connection.execute(
            "select count(*) from information_schema.tables "
            "where table_schema = ? and table_name = ?",
            [SCHEMA, TABLE],
        ).fetchone()
        if not exists or not exists[0]:
            return []
        rows = connection.execute(
            f"select table_name, load_id, size_bytes, modified_ns, sha256, processed_at "
            f"from {SCHEMA}.{TABLE} order by table_name, load_id"
        ).fetchall()
    return [LoadFile(*row) for row in rows]


def problems(
    recorded: Sequence[LoadFile], current: Sequence[LoadFile], raw_folder: Path
) -> list[str]:
    """One sentence per processed load that changed or is gone."""
    now = {(load.table_name, load.load_id): load for load in current}
    found = []
    for load in recorded:
        where = f"{raw_folder / load.table_name / load.load_id}"
        when = (
            f"processed {load.processed_at:%Y-%m-%d %H:%M} UTC"
            if load.processed_at
            else "processed"
        )
        after = now.get((load.table_name, load.load_id))
        if after is None:
            found.append(f"load {where} ({when}) is gone")
        elif after.sha256 != load.sha256:
            found.append(
                f"load {where} ({when}) has changed since "
                f"(sha256 {load.sha256[:12]}… is now {after.sha256[:12]}…)"
            )
    return found


def check(raw_folder: Path, recorded: Sequence[LoadFile]) -> list[LoadFile]:
    """The load files now in `raw_folder`; LoadRegistryError when a recorded one changed
    or is gone."""
    current = scan(raw_folder, recorded)
    found = problems(recorded, current, raw_folder)
    if found:
        listed = "\n".join(f"  - {problem}" for problem in found)
        raise LoadRegistryError(
            f"processed loads changed:\n{listed}\n"
            "Loads are append-only: restore the file as it was and deliver the correction as "
            "a new load (a later valid row replaces the earlier one), or rebuild everything "
            "from the files as they are now with --full-refresh."
        )
    return current


def record(database: Path, current: Sequence[LoadFile], recorded: Sequence[LoadFile] = ()) -> int:
    """Write the record of `database`: every current load file, with the time it was first
    processed (kept from `recorded`, else now). Returns the number of loads recorded."""
    if not current and not recorded:  # no delivery in loads: nothing to record
        return 0
    first = {(load.table_name, load.load_id): load.processed_at for load in recorded}
    now = datetime.now(UTC).replace(tzinfo=None)
    rows = [
        (
            load.table_name,
            load.load_id,
            load.size_bytes,
            load.modified_ns,
            load.sha256,
            first.get((load.table_name, load.load_id)) or now,
        )
        for load in current
    ]
    with duckdb.connect(str(database)) as connection:
        connection.execute(f"create schema if not exists {SCHEMA}")
        connection.execute(
            f"create or replace table {SCHEMA}.{TABLE} (table_name varchar, load_id varchar, "
            "size_bytes bigint, modified_ns bigint, sha256 varchar, processed_at timestamp)"
        )
        if rows:
            connection.executemany(f"insert into {SCHEMA}.{TABLE} values (?, ?, ?, ?, ?, ?)", rows)
        connection.execute(
            f"comment on table {SCHEMA}.{TABLE} is 'Every load file of a delivery in loads "
            "this warehouse processed: name, size, modification time, sha256 and when it was "
            "first processed (support_kpis.load_registry).'"
        )
    return len(rows)
