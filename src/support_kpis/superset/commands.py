"""`support-kpis bi superset install|start|stop|status|import|add-agent`."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path
from typing import Any

from support_kpis.superset import SupersetError
from support_kpis.superset.paths import DEFAULT_PORT, HOME_ENV, SupersetPaths

AGENT_PASSWORD_ENV = "SUPPORT_KPIS_AGENT_PASSWORD"


def add_bi_commands(commands: Any) -> None:
    """Add `bi superset ...` to the subcommands of `support-kpis`."""
    bi = commands.add_parser("bi", help="run a BI tool on the warehouse's BI copy")
    tools = bi.add_subparsers(dest="bi_tool", required=True)
    superset = tools.add_parser(
        "superset",
        help="Apache Superset with the support KPIs dashboard, on 127.0.0.1",
        description=(
            "Install Apache Superset in .venv-superset, start it on 127.0.0.1 with the "
            "dashboard of bi/superset/bundle on the BI copy of the warehouse (read-only), "
            "add agent logins that see only their own scorecard, and stop it."
        ),
    )
    steps = superset.add_subparsers(dest="superset_command", required=True)

    def common(parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--project-dir", type=Path, default=Path("."), help="the project (default: .)"
        )
        parser.add_argument(
            "--home",
            type=Path,
            default=None,
            help=f"Superset's metadata, config and logs (default: ${HOME_ENV} or "
            "warehouse/superset)",
        )

    def warehouse(parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--database",
            type=Path,
            default=None,
            help="the published warehouse, whose BI copy <stem>_bi.duckdb Superset reads "
            "(default: $DBT_DUCKDB_PATH or warehouse/support_kpis.duckdb)",
        )

    install = steps.add_parser("install", help="create .venv-superset with the pinned packages")
    common(install)
    install.add_argument("--force", action="store_true", help="reinstall even when up to date")
    start = steps.add_parser(
        "start", help="start Superset in the background and import the dashboard"
    )
    common(start)
    warehouse(start)
    start.add_argument("--port", type=int, default=DEFAULT_PORT, help="port on 127.0.0.1")
    start.add_argument(
        "--no-import", action="store_true", help="start only; do not (re)import the dashboard"
    )
    for name, text in (("stop", "stop Superset"), ("status", "is Superset running?")):
        common(steps.add_parser(name, help=text))
    load = steps.add_parser(
        "import", help="(re)import the dashboard bundle, pointing at the warehouse"
    )
    common(load)
    warehouse(load)
    agent = steps.add_parser(
        "add-agent",
        help="create a login for an agent, who sees only their own scorecard rows",
    )
    common(agent)
    agent.add_argument("agent_id", help="the agent's agent_id (as in marts.dim_agents)")
    agent.add_argument("--username", help="the login (default: the agent id, lower case)")
    agent.add_argument(
        "--password",
        help=f"the password (default: ${AGENT_PASSWORD_ENV}, else asked for)",
    )
    bi.set_defaults(handler=run)


def _database(args: argparse.Namespace) -> Path:
    return Path(args.database or os.environ.get("DBT_DUCKDB_PATH", "warehouse/support_kpis.duckdb"))


def _admin_api(paths: SupersetPaths) -> Any:
    from support_kpis.superset.api import SupersetApi
    from support_kpis.superset.server import ADMIN, admin_password, running

    server = running(paths)
    if server is None:
        raise SupersetError(
            f"Superset is not running from {paths.home}: run `support-kpis bi superset start`"
        )
    return SupersetApi(server.url, ADMIN, admin_password(paths))


def _import(paths: SupersetPaths, args: argparse.Namespace) -> None:
    from support_kpis.superset.bundle import import_bundle
    from support_kpis.superset.database import require_bi_copy, warehouse_uri

    bi_copy = require_bi_copy(_database(args))
    found = import_bundle(_admin_api(paths), paths.bundle, warehouse_uri(bi_copy))
    print(
        f"imported the dashboard ({len(found['chart'])} charts, {len(found['dataset'])} "
        f"datasets) on {bi_copy} (read-only)"
    )


def _run(args: argparse.Namespace) -> int:
    from support_kpis.superset import install, server

    paths = SupersetPaths.of(args.project_dir, args.home)
    command = args.superset_command
    if command == "install":
        seconds = install.install(paths, force=args.force)
        print(
            f"{paths.venv}: Superset {install.SUPERSET_VERSION} "
            + (f"installed in {seconds:.0f}s" if seconds else "already installed")
        )
        return 0
    if command == "start":
        if not args.no_import:
            from support_kpis.superset.database import require_bi_copy

            require_bi_copy(_database(args))
        started = server.start(paths, args.port)
        print(f"Superset runs at {started.url} (pid {started.pid}, log {paths.log})")
        print(f"log in as {server.ADMIN}, password in {paths.admin_password}")
        if not args.no_import:
            _import(paths, args)
            print(f"dashboard: {started.url}/superset/dashboard/support-kpis/")
        return 0
    if command == "stop":
        stopped = server.stop(paths)
        print(f"stopped Superset (pid {stopped.pid})" if stopped else "Superset was not running")
        return 0
    if command == "status":
        current = server.running(paths)
        if current is None:
            print(f"Superset is not running from {paths.home}")
            return 1
        health = "healthy" if server.healthy(current.port) else "not answering /health"
        print(f"Superset runs at {current.url} (pid {current.pid}), {health}")
        return 0 if health == "healthy" else 1
    if command == "import":
        _import(paths, args)
        return 0
    if command == "add-agent":
        from support_kpis.superset.agents import add_agent

        password = args.password or os.environ.get(AGENT_PASSWORD_ENV)
        if not password:
            password = getpass.getpass(f"password for agent {args.agent_id}: ")
        username = args.username or args.agent_id.lower()
        add_agent(_admin_api(paths), args.agent_id, username, password)
        print(f"login {username!r} sees the dashboard with agent {args.agent_id}'s scorecard only")
        return 0
    raise AssertionError(f"unhandled command {command}")


def run(args: argparse.Namespace) -> int:
    try:
        return _run(args)
    except SupersetError as error:
        print(f"support-kpis bi superset {args.superset_command}: {error}", file=sys.stderr)
        return 1
