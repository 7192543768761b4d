"""The dbt-duckdb plugin that makes plain `dbt build` as safe as `support-kpis build`.

profiles.yml lists this module under the DuckDB output's `plugins`, so dbt-duckdb
loads it in every dbt (and mf) process that opens the warehouse:

- **Writing commands** (`build`, `run`, `seed`, `snapshot`, `retry`, `clone`) are
  sent to a work copy: the plugin starts a `BuildSession` (lock, work copy; see
  support_kpis.safe_build) and points the connection at the copy. When dbt
  reports the command completed, the plugin closes the copy and, if every node
  passed, runs the gate, refreshes bi.* and swaps the copy in; otherwise it
  removes the copy. The published file is left as it was on any failure, and
  the command exits 1 when the publication fails.
- **Reading commands** (`show`, `compile`, `test` without stored failures,
  `docs`, `list`, `parse`, and MetricFlow's `mf`) open an existing published
  file read-only, so they never take the write lock a BI reader would block.
- `SUPPORT_KPIS_SAFE_BUILD=0` builds in place: for throwaway warehouses (the
  test suite's) where nobody reads and no publication is wanted.
"""

from __future__ import annotations

import atexit
import os
import signal
import sys
import threading
from pathlib import Path
from typing import Any

import yaml
from dbt.adapters.duckdb.plugins import BasePlugin

from support_kpis.publish import WORK_COPY_ENV
from support_kpis.safe_build import BuildError, BuildSession, GateSettings

WRITING_COMMANDS = frozenset({"build", "run", "seed", "snapshot", "retry", "clone"})
READING_COMMANDS = frozenset(
    # mf runs `dbt debug` in its process first, so its queries come as "debug".
    {"show", "compile", "test", "docs", "list", "ls", "parse", "debug", None}
)
SAFE_BUILD_ENV = "SUPPORT_KPIS_SAFE_BUILD"


def _flags() -> Any:
    try:
        from dbt.flags import get_flags

        return get_flags()
    except Exception:  # not inside a dbt command (e.g. a library use of the adapter)
        return None


def _command(flags: Any) -> str | None:
    return getattr(flags, "WHICH", None) if flags is not None else None


def _project_dir(flags: Any) -> Path:
    return Path(getattr(flags, "PROJECT_DIR", None) or os.getcwd()).resolve()


def _variables(flags: Any, project_dir: Path) -> dict[str, Any]:
    """The project's vars (dbt_project.yml), then --vars."""
    variables: dict[str, Any] = {}
    project_file = project_dir / "dbt_project.yml"
    if project_file.is_file():
        variables.update(
            (yaml.safe_load(project_file.read_text(encoding="utf-8")) or {}).get("vars", {}) or {}
        )
    variables.update(getattr(flags, "VARS", None) or {})
    return variables


def _raw_folder(flags: Any, project_dir: Path) -> Path | None:
    """The delivery folder (var raw_path, relative to the project) when it exists: its
    load folders are recorded (support_kpis.load_registry)."""
    raw_path = _variables(flags, project_dir).get("raw_path")
    if not raw_path:
        return None
    folder = project_dir / str(raw_path)
    return folder if folder.is_dir() else None


def _gate_settings(flags: Any, project_dir: Path) -> GateSettings:
    """publish_max_quarantine_share and publish_anyway: the project's vars, then --vars
    (without the share, safe_build reads dbt_project.yml's and says if it is missing)."""
    variables = _variables(flags, project_dir)
    share = variables.get("publish_max_quarantine_share")
    return GateSettings(
        max_quarantine_share=None if share is None else float(share),
        publish_anyway=str(variables.get("publish_anyway", False)).lower() in ("true", "1", "yes"),
    )


def _publication_env(flags: Any) -> dict[str, str]:
    """The environment of the publication's mf (and its dbt parse, when the build wrote no
    semantic manifest): same profiles folder and target as the build."""
    env = dict(os.environ)
    for flag, variable in (
        ("PROFILES_DIR", "DBT_PROFILES_DIR"),
        ("TARGET", "DBT_TARGET"),
    ):
        value = getattr(flags, flag, None)
        if value:
            env[variable] = str(value)
    return env


def _stop_on_sigterm() -> None:
    """Treat SIGTERM (a killed parent, `kill`) as Ctrl-C: dbt cancels its queries and
    completes the command as failed, so the work copy is removed on the way out."""

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    in_main_thread = threading.current_thread() is threading.main_thread()
    if in_main_thread and signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, interrupt)


def _close_duckdb() -> None:
    """Close dbt-duckdb's database handle, so that the work copy can be read and moved."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    environment = DuckDBConnectionManager._ENV
    DuckDBConnectionManager.close_all_connections()
    if environment is not None:
        environment.close()


class Plugin(BasePlugin):
    """See the module's docstring."""

    def initialize(self, plugin_config: dict[str, Any]) -> None:
        self.session: BuildSession | None = None
        self.read_only = False
        credentials = self.creds
        if credentials is None or os.environ.get(WORK_COPY_ENV):
            return
        path = str(credentials.path or "")
        if path in ("", ":memory:") or credentials.is_motherduck:
            return
        flags = _flags()
        command = _command(flags)
        if command in WRITING_COMMANDS and os.environ.get(SAFE_BUILD_ENV, "1") != "0":
            project_dir = _project_dir(flags)
            # Until the work copy is ready, the connection points at an in-memory database:
            # a build interrupted while it starts (Ctrl-C, a killed parent) or refused never
            # opens a file.
            credentials.path = ":memory:"
            try:
                self.session = BuildSession.start(
                    Path(path),
                    f"dbt {command}",
                    raw_folder=_raw_folder(flags, project_dir),
                    full_refresh=bool(getattr(flags, "FULL_REFRESH", False)),
                )
            except BuildError as error:
                print(f"support_kpis: {error}", file=sys.stderr, flush=True)
                raise
            credentials.path = str(self.session.work)
            _stop_on_sigterm()
            self.flags = flags
            from dbt_common.events.event_manager_client import add_callback_to_manager

            add_callback_to_manager(self._on_event)
            # A command that ends without dbt's completion event leaves nothing behind.
            atexit.register(self.session.discard)
        elif command in READING_COMMANDS and Path(path).is_file():
            store_failures = getattr(flags, "STORE_FAILURES", False)
            self.read_only = not (command == "test" and store_failures)

    def update_connection_config(self, creds: Any, config: dict[str, Any]) -> None:
        if self.read_only:
            config["access_mode"] = "read_only"

    def _on_event(self, message: Any) -> None:
        session = self.session
        if message.info.name != "CommandCompleted" or session is None or session.finished:
            return
        _close_duckdb()
        if not message.data.success:
            session.discard()
            print(f"support_kpis: {session.published} is unchanged", file=sys.stderr, flush=True)
            return
        project_dir = _project_dir(self.flags)
        try:
            lines = session.publish(
                project_dir,
                _publication_env(self.flags),
                _gate_settings(self.flags, project_dir),
            )
        except BuildError as error:
            print(f"support_kpis: {error}", file=sys.stderr, flush=True)
            raise SystemExit(1) from None
        except Exception as error:  # a fault of ours: still say what is left as it was
            session.discard()
            print(
                f"support_kpis: the publication failed ({error!r}); "
                f"{session.published} is unchanged",
                file=sys.stderr,
                flush=True,
            )
            raise SystemExit(1) from None
        print("\n".join(lines), flush=True)
