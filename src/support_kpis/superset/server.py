"""Initialise Superset's metadata database and run its web server on 127.0.0.1.

The server is gunicorn in the background (its own process group), with a pid
file and a log in the home folder; `start` returns once /health answers, `stop`
ends the whole process group and waits until the port is free.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from support_kpis.superset import SupersetError
from support_kpis.superset.config import write_config
from support_kpis.superset.install import SUPERSET_VERSION, require_installed
from support_kpis.superset.paths import HOST, SupersetPaths

ADMIN = "admin"


@dataclass(frozen=True)
class Server:
    pid: int
    port: int

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"


def superset_env(paths: SupersetPaths) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SUPERSET_", "FLASK_", "VIRTUAL_ENV", "PYTHONPATH"))
    }
    env.update(
        SUPERSET_CONFIG_PATH=str(paths.config),
        FLASK_APP="superset",
        SUPERSET_HOME=str(paths.home),
        PATH=f"{paths.venv / 'bin'}:{env.get('PATH', '/usr/bin:/bin')}",
        # Python's own network look-ups stay off; Superset reads local files only.
        NO_PROXY="*",
    )
    return env


def admin_password(paths: SupersetPaths) -> str:
    """The admin's password: generated once, kept in the home folder (mode 0600)."""
    path = paths.admin_password
    if not path.is_file():
        paths.home.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(secrets.token_urlsafe(18) + "\n")
    return path.read_text(encoding="utf-8").strip()


def _superset(paths: SupersetPaths, *args: str) -> str:
    result = subprocess.run(
        [str(paths.bin("superset")), *args],
        env=superset_env(paths),
        cwd=paths.home,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        output = (result.stdout + result.stderr)[-4000:]
        raise SupersetError(f"superset {args[0]} failed ({result.returncode}):\n{output}")
    return result.stdout + result.stderr


def initialize(paths: SupersetPaths, port: int) -> bool:
    """Write the config; on first use (or after an upgrade) create the metadata database,
    the admin user and the default roles. True when it initialised."""
    require_installed(paths)
    write_config(paths, port)
    stamp = paths.initialized
    if stamp.is_file() and stamp.read_text(encoding="utf-8").strip() == SUPERSET_VERSION:
        return False
    _superset(paths, "db", "upgrade")
    _superset(
        paths,
        "fab",
        "create-admin",
        "--username",
        ADMIN,
        "--firstname",
        "Superset",
        "--lastname",
        "Admin",
        "--email",
        "admin@localhost",
        "--password",
        admin_password(paths),
    )
    _superset(paths, "init")
    stamp.write_text(SUPERSET_VERSION + "\n", encoding="utf-8")
    return True


def _alive(pid: int) -> bool:
    """The pid runs and is this project's gunicorn (not a recycled pid)."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False
    if b"gunicorn" not in cmdline or b"superset" not in cmdline:
        return False
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def running(paths: SupersetPaths) -> Server | None:
    """The server started from this home folder, when it still runs."""
    try:
        pid = int(paths.pid.read_text().strip())
        port = int(paths.port_file.read_text().strip())
    except (OSError, ValueError):
        return None
    return Server(pid, port) if _alive(pid) else None


def healthy(port: int, timeout: float = 2.0) -> bool:
    try:
        with urllib.request.urlopen(f"http://{HOST}:{port}/health", timeout=timeout) as response:
            return response.status == 200 and response.read().strip() == b"OK"
    except (urllib.error.URLError, OSError):
        return False


def port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((HOST, port))
        except OSError:
            return False
    return True


def _log_tail(paths: SupersetPaths, lines: int = 40) -> str:
    try:
        return "\n".join(paths.log.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def start(paths: SupersetPaths, port: int, timeout: float = 180.0, workers: int = 1) -> Server:
    """Start gunicorn on 127.0.0.1:port in the background; return once /health answers."""
    current = running(paths)
    if current is not None:
        if current.port != port:
            raise SupersetError(
                f"Superset already runs from {paths.home} on port {current.port} "
                f"(pid {current.pid}): stop it first"
            )
        return current
    if not port_free(port):
        raise SupersetError(f"port {port} on {HOST} is in use: choose another with --port")
    initialize(paths, port)
    with paths.log.open("ab") as log:
        process = subprocess.Popen(
            [
                str(paths.bin("gunicorn")),
                "--bind",
                f"{HOST}:{port}",
                "--workers",
                str(workers),
                "--worker-class",
                "gthread",
                "--threads",
                "8",
                "--timeout",
                "120",
                "--no-control-socket",
                "--limit-request-line",
                "0",
                "--limit-request-field_size",
                "0",
                "superset.app:create_app()",
            ],
            cwd=paths.home,
            env=superset_env(paths),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    paths.pid.write_text(f"{process.pid}\n")
    paths.port_file.write_text(f"{port}\n")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            _forget(paths)
            raise SupersetError(
                f"Superset exited ({process.returncode}) while starting; log {paths.log}:\n"
                + _log_tail(paths)
            )
        if healthy(port):
            return Server(process.pid, port)
        time.sleep(1.0)
    stop(paths)
    raise SupersetError(
        f"Superset did not answer /health within {timeout:.0f}s; log {paths.log}:\n"
        + _log_tail(paths)
    )


def _forget(paths: SupersetPaths) -> None:
    for path in (paths.pid, paths.port_file):
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # Only zombies left (children of an exited parent) count as gone.
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().split(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            return True
    return False


def stop(paths: SupersetPaths, timeout: float = 30.0) -> Server | None:
    """End the server started from this home folder (its whole process group) and wait
    until it is gone and its port is free; None when nothing ran."""
    server = running(paths)
    if server is None:
        _forget(paths)
        return None
    pgid = server.pid  # started with start_new_session: the pid leads its group
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while _group_alive(pgid) and time.monotonic() < deadline:
        time.sleep(0.2)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(-pgid, os.WNOHANG)
    if _group_alive(pgid):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pgid, signal.SIGKILL)
        time.sleep(1.0)
    _forget(paths)
    deadline = time.monotonic() + timeout
    while not port_free(server.port) and time.monotonic() < deadline:
        time.sleep(0.2)
    if _group_alive(pgid) or not port_free(server.port):
        raise SupersetError(f"Superset (pid {server.pid}) did not stop; port {server.port}")
    return server
