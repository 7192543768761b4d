"""One safe path for every build of the published warehouse (docs/decisions.md, D33).

BI tools and people read the published DuckDB file (and its BI copy). Whatever
starts a build — plain `dbt build`/`run`/`seed`, `support-kpis build` or
`support-kpis publish` — it goes through a `BuildSession`:

1. **Lock.** One build per published file at a time: the session takes an
   exclusive `flock` on `.<name>.lock` beside the file and refuses a second
   build at once, naming the process that holds it. The kernel releases the
   lock when the process ends, however it ends.
2. **Work copy.** The build writes into `.<name>.building/<name>` beside the
   file (same file name: DuckDB names its catalog after the file, and the
   views refer to it), which starts as a byte copy of the published file, so
   incremental models stay incremental and `--select` builds keep the rest.
   The published file is never opened for writing, so read-only readers never
   block a build. A work copy left by a killed build is removed by the next.
3. **Gate.** When the command succeeded, the delivery's per-table summary
   (support_kpis.build_summary) is printed, and a table left empty or
   quarantined beyond the allowed share stops the publication (var
   `publish_max_quarantine_share`, whose default dbt_project.yml holds;
   `publish_anyway: true` overrides).
4. **Publish.** MetricFlow answers the saved queries of bi.* on the work copy
   (on the semantic manifest the build just wrote, else after a `dbt parse`)
   while the marts are copied into the BI copy; then bi.* is written, the work
   copy checkpointed, bi.* added to the BI copy, and the work copy replaces the
   published file in one `os.replace` (the BI copy right after). A failed
   command, a closed gate or a failed publication leaves the published file
   byte-identical and removes the work copy.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import sys
import time
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import duckdb
import yaml

from support_kpis.bi_copy import BiCopyError, complete_bi_copy, install_bi_copy, start_bi_copy
from support_kpis.load_registry import LoadFile, LoadRegistryError, check, read_recorded, record
from support_kpis.publish import PublishError, query_saved_queries, write_bi_tables

# The var of the share of a table's delivered rows that may be quarantined before the
# gate stops a publication. Its default lives in dbt_project.yml only (D33).
MAX_QUARANTINE_SHARE_VAR = "publish_max_quarantine_share"


class BuildError(RuntimeError):
    """The build, its tests, the gate or the publication failed; nothing was published."""


class BuildBusyError(BuildError):
    """Another build of the same published file is running."""


def work_folder(published: Path) -> Path:
    return published.parent / f".{published.name}.building"


def work_path(published: Path) -> Path:
    return work_folder(published) / published.name


def lock_path(published: Path) -> Path:
    return published.parent / f".{published.name}.lock"


@dataclass(frozen=True)
class GateSettings:
    """The publication gate: the largest quarantined share of a table (None: the
    project's var MAX_QUARANTINE_SHARE_VAR, see project_max_quarantine_share), and the
    override."""

    max_quarantine_share: float | None = None
    publish_anyway: bool = False


def project_variables(project_dir: Path) -> dict[str, Any]:
    """The vars of the project's dbt_project.yml (none without the file)."""
    project_file = project_dir / "dbt_project.yml"
    if not project_file.is_file():
        return {}
    project = yaml.safe_load(project_file.read_text(encoding="utf-8")) or {}
    return dict(project.get("vars") or {})


def project_max_quarantine_share(project_dir: Path) -> float:
    """The default of the gate's share: var MAX_QUARANTINE_SHARE_VAR of dbt_project.yml."""
    variables = project_variables(project_dir)
    if variables.get(MAX_QUARANTINE_SHARE_VAR) is None:
        raise BuildError(
            f"{project_dir / 'dbt_project.yml'} sets no var {MAX_QUARANTINE_SHARE_VAR} "
            "(the largest share of a table's delivered rows that may be quarantined, e.g. "
            f"0.10); set it there, or pass it with --vars '{{{MAX_QUARANTINE_SHARE_VAR}: 0.10}}'"
        )
    return float(variables[MAX_QUARANTINE_SHARE_VAR])


def written_semantic_manifest() -> Path | None:
    """The semantic_manifest.json this dbt process wrote (a build writes it when it
    parses the project, into its target path), or None: not in a dbt process, or the
    process wrote none (`--no-write-json`)."""
    artifacts = sys.modules.get("dbt.utils.artifact_upload")
    written = getattr(artifacts, "PRODUCED_ARTIFACTS_PATHS", None) or ()
    for path in sorted(str(path) for path in written):
        if Path(path).name == "semantic_manifest.json" and Path(path).is_file():
            return Path(path).resolve()
    return None


class BuildLock:
    """An exclusive, non-blocking lock on one published file's builds."""

    def __init__(self, published: Path) -> None:
        self.path = lock_path(published)
        self.published = published
        self._handle: IO[str] | None = None

    def acquire(self, command: str) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = self.path.open("a+", encoding="utf-8")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            handle.close()
            raise BuildBusyError(
                f"another build of {self.published} is running ({holder}); this one stops "
                "without touching it. Wait for it to finish, or build into another file "
                "(DBT_DUCKDB_PATH)."
            ) from None
        handle.seek(0)
        handle.truncate()
        started = time.strftime("%Y-%m-%d %H:%M:%S %Z")
        handle.write(f"pid {os.getpid()}, {command}, started {started}")
        handle.flush()
        self._handle = handle

    def release(self) -> None:
        if self._handle is not None:
            self._handle.truncate(0)
            fcntl.flock(self._handle, fcntl.LOCK_UN)
            self._handle.close()
            self._handle = None


def _copy_published(published: Path, work: Path) -> None:
    """Start the work copy as a byte copy of the published file (and its WAL, if any)."""
    if published.is_file():
        shutil.copyfile(published, work)
        wal = Path(f"{published}.wal")
        if wal.is_file():
            shutil.copyfile(wal, Path(f"{work}.wal"))


def _checkpoint(database: Path) -> None:
    with duckdb.connect(str(database)) as connection:
        connection.execute("checkpoint")


def _gate(work: Path, gate: GateSettings, project_dir: Path) -> list[str]:
    """The delivery summary's lines; raises BuildError when the gate is closed."""
    from support_kpis.build_summary import format_summary, gate_problems, read_summary

    summary = read_summary(work)
    if summary is None:  # no delivery in this warehouse yet (e.g. `dbt seed` alone)
        return []
    lines = format_summary(summary).splitlines()
    share = gate.max_quarantine_share
    if share is None:
        share = project_max_quarantine_share(project_dir)
    problems = gate_problems(summary, share)
    if problems and not gate.publish_anyway:
        reasons = "\n".join(f"  - {problem}" for problem in problems)
        raise BuildError(
            "\n".join(lines) + f"\nthe publication gate is closed:\n{reasons}\n"
            "Fix the delivery, or publish it anyway with --vars '{publish_anyway: true}' "
            "(or raise publish_max_quarantine_share)."
        )
    return lines + [f"published despite the gate: {problem}" for problem in problems]


@dataclass
class BuildSession:
    """One build of `published` through its work copy (see the module's docstring)."""

    published: Path
    lock: BuildLock
    finished: bool = False
    # A delivery in loads: its folder, the loads recorded by the published file and the
    # load files found now (support_kpis.load_registry); None: nothing to record.
    raw_folder: Path | None = None
    recorded: tuple[LoadFile, ...] = ()
    current: tuple[LoadFile, ...] = ()

    @property
    def work(self) -> Path:
        return work_path(self.published)

    @classmethod
    def start(
        cls,
        published: Path,
        command: str,
        raw_folder: Path | None = None,
        full_refresh: bool = False,
    ) -> BuildSession:
        """Lock, check the processed loads of `raw_folder` (unless `full_refresh`), and
        start the work copy."""
        published = published.resolve()
        lock = BuildLock(published)
        lock.acquire(command)
        try:
            recorded: list[LoadFile] = []
            current: list[LoadFile] = []
            if raw_folder is not None:
                recorded = [] if full_refresh else read_recorded(published)
                try:
                    current = check(raw_folder, recorded)
                except LoadRegistryError as error:
                    raise BuildError(f"{error}\n{published} is unchanged") from None
            folder = work_folder(published)
            if folder.exists():  # left by a build that was killed: nobody holds the lock
                shutil.rmtree(folder)
            folder.mkdir(parents=True)
            _copy_published(published, work_path(published))
        except BaseException:
            shutil.rmtree(work_folder(published), ignore_errors=True)
            lock.release()
            raise
        return cls(
            published=published,
            lock=lock,
            raw_folder=raw_folder,
            recorded=tuple(recorded),
            current=tuple(current),
        )

    def discard(self) -> None:
        """Remove the work copy and release the lock; the published file stays as it was."""
        if not self.finished:
            self.finished = True
            shutil.rmtree(work_folder(self.published), ignore_errors=True)
            self.lock.release()

    def publish(
        self,
        project_dir: Path,
        env: Mapping[str, str] | None = None,
        gate: GateSettings | None = None,
        semantic_manifest: Path | None = None,
    ) -> list[str]:
        """Gate, refresh bi.*, then swap the work copy in. Returns the lines to print.
        Raises BuildError (with the published file unchanged) when a step fails.
        `semantic_manifest`: the project's, as the build wrote it (default: the one this
        dbt process wrote, if any); without one, the publication parses the project."""
        try:
            lines = _gate(self.work, gate or GateSettings(), project_dir)
            manifest = semantic_manifest or written_semantic_manifest()
            missing = _missing_semantic_tables(self.work, manifest)
            if missing:
                return self._publish_without_bi(lines, missing)
            with ThreadPoolExecutor(max_workers=1) as pool:
                # The marts of the BI copy while MetricFlow answers: both only read the
                # work copy (the saved queries take ~10 s at 200k tickets, the marts ~10 s).
                marts = pool.submit(
                    start_bi_copy, self.work, self.published, work_folder(self.published), ["marts"]
                )
                try:
                    saved = query_saved_queries(project_dir, self.work, env, manifest)
                except PublishError as error:
                    raise BuildError(str(error)) from error
                try:
                    staged = marts.result()
                except BiCopyError as error:
                    raise BuildError(str(error)) from error
            counts = write_bi_tables(self.work, saved)
            lines += [f"{table:<28} {rows:>8,} rows" for table, rows in counts.items()]
            lines += self._record_loads()
            _checkpoint(self.work)
            try:
                bi_copy = complete_bi_copy(staged, self.work)
            except BiCopyError as error:
                raise BuildError(str(error)) from error
            self._replace_published()
            installed = install_bi_copy(bi_copy)
            lines.append(f"BI copy: {installed.database} and {installed.parquet}")
            lines.append(f"published {self.published}")
            return lines
        except BuildError as error:
            raise BuildError(f"{error}\n{self.published} is unchanged") from error
        finally:
            self.discard()

    def _record_loads(self) -> list[str]:
        """Record the processed loads in the work copy (D35); the line to print, if any."""
        if self.raw_folder is None:
            return []
        loads = record(self.work, self.current, self.recorded)
        return [f"{'meta.processed_loads':<28} {loads:>8,} loads"] if loads else []

    def _replace_published(self) -> None:
        """Swap the checkpointed work copy in as the published file (one os.replace)."""
        self.published.parent.mkdir(parents=True, exist_ok=True)
        os.replace(self.work, self.published)
        stale_wal = Path(f"{self.published}.wal")
        if stale_wal.exists():
            stale_wal.unlink()

    def _publish_without_bi(self, lines: list[str], missing: list[str]) -> list[str]:
        """Swap in a warehouse the semantic layer cannot read yet (tables missing), with
        its processed loads recorded, without bi.* or a BI copy, saying why."""
        more = len(missing) - 3
        shown = ", ".join(missing[:3]) + (f" and {more} more" if more > 0 else "")
        lines.append(
            f"bi.* and the BI copy not refreshed: the semantic layer reads {shown}, which this "
            "warehouse does not have yet (a build without --select creates them)"
        )
        lines += self._record_loads()
        _checkpoint(self.work)
        self._replace_published()
        lines.append(f"published {self.published}")
        return lines


def _missing_semantic_tables(database: Path, manifest: Path | None) -> list[str]:
    """The tables the semantic layer reads (its semantic models' relations) that the
    warehouse does not have, as schema.table: a `--select` build of a fresh warehouse
    builds only part of them. Unknown (no manifest): none."""
    if manifest is None:
        return []
    models = json.loads(manifest.read_text(encoding="utf-8")).get("semantic_models", [])
    wanted = sorted(
        {
            f"{model['node_relation']['schema_name']}.{model['node_relation']['alias']}"
            for model in models
        }
    )
    with duckdb.connect(str(database), read_only=True) as connection:
        present = {
            f"{schema}.{table}"
            for schema, table in connection.execute(
                "select table_schema, table_name from information_schema.tables"
            ).fetchall()
        }
    return [name for name in wanted if name not in present]


def publish_safely(
    project_dir: Path, published: Path, env: Mapping[str, str] | None = None
) -> list[str]:
    """Refresh bi.* and the BI copy of an already built warehouse, through a work copy
    (`support-kpis publish`), so that readers connected to it are not in the way."""
    session = BuildSession.start(published, "support-kpis publish")
    return session.publish(project_dir, env, GateSettings(publish_anyway=True))
