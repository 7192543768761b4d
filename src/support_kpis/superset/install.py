"""Install Apache Superset into `.venv-superset`, with pinned versions from PyPI."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import time
from pathlib import Path

from support_kpis.superset import SupersetError
from support_kpis.superset.paths import SupersetPaths

SUPERSET_VERSION = "6.1.0"
# The direct requirements; every other package is pinned by bi/superset/constraints.txt.
REQUIREMENTS = (
    f"apache-superset=={SUPERSET_VERSION}",
    "duckdb-engine==0.17.0",
    # The BI copy is written in DuckDB's v1.0.0 storage format; duckdb-engine needs duckdb<2.
    "duckdb==1.5.6",
    # Imported by Superset 6.1.0 (`superset` command, engine specs) but not declared by it.
    "rich==15.0.0",
    "cachetools==8.0.2",
    # flask-caching 2.4+ passes an argument Superset 6.1.0's metastore cache does not take.
    "flask-caching==2.3.1",
)
STAMP = ".installed"
# Superset's front end on PyPI is built with its telemetry pixel on (an <img> of
# apachesuperset.gateway.scarf.sh on every page; building from source with
# SCARF_ANALYTICS=false leaves it out). We point it at an empty inline image instead,
# so a dashboard never asks for anything outside the machine (the rest of the pixel's
# address becomes the fragment of the inline image, which is ignored).
TELEMETRY_PIXEL = b"https://apachesuperset.gateway.scarf.sh/pixel/"
EMPTY_IMAGE = b"data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7#"


def _fingerprint(constraints: Path) -> str:
    text = constraints.read_bytes() + "\n".join(REQUIREMENTS).encode()
    return hashlib.sha256(text).hexdigest()


def is_installed(paths: SupersetPaths) -> bool:
    stamp = paths.venv / STAMP
    return (
        stamp.is_file()
        and paths.bin("superset").is_file()
        and stamp.read_text(encoding="utf-8").strip() == _fingerprint(paths.constraints)
    )


def _run(command: list[str], what: str) -> None:
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SupersetError(f"{what} failed ({result.returncode}):\n{result.stderr[-4000:]}")


def install(paths: SupersetPaths, python: str | None = None, force: bool = False) -> float:
    """Create the venv and install the pinned packages; return the seconds it took
    (0 when the venv already holds exactly these pins)."""
    if not paths.constraints.is_file():
        raise SupersetError(f"no {paths.constraints}: is {paths.project_dir} the project?")
    if is_installed(paths) and not force:
        remove_telemetry_pixel(paths)  # also in a venv installed before it was removed
        return 0.0
    started = time.monotonic()
    interpreter = python or sys.executable
    if not paths.bin("python").is_file():
        _run([interpreter, "-m", "venv", str(paths.venv)], f"creating {paths.venv}")
    pip = [str(paths.bin("python")), "-m", "pip", "--disable-pip-version-check"]
    _run([*pip, "install", "--quiet", "--upgrade", "pip>=24"], "upgrading pip")
    _run(
        [*pip, "install", "--quiet", "-c", str(paths.constraints), *REQUIREMENTS],
        f"pip install {' '.join(REQUIREMENTS)}",
    )
    remove_telemetry_pixel(paths)
    (paths.venv / STAMP).write_text(_fingerprint(paths.constraints) + "\n", encoding="utf-8")
    return time.monotonic() - started


def remove_telemetry_pixel(paths: SupersetPaths) -> int:
    """Replace the telemetry pixel's address in Superset's front-end bundles; return
    how many files were changed. An error when no bundle holds it (a Superset whose
    front end changed: check the pixel before pinning it)."""
    found = sorted(paths.venv.glob("lib/python*/site-packages/superset/static/assets/*.js"))
    changed = 0
    for script in found:
        content = script.read_bytes()
        if TELEMETRY_PIXEL in content:
            script.write_bytes(content.replace(TELEMETRY_PIXEL, EMPTY_IMAGE))
            changed += 1
    if changed == 0 and not any(EMPTY_IMAGE in script.read_bytes() for script in found):
        raise SupersetError(
            f"the telemetry pixel of Superset {SUPERSET_VERSION} was not found in "
            f"{paths.venv}: its front end differs from the one this project pins"
        )
    return changed


def require_installed(paths: SupersetPaths) -> None:
    if not is_installed(paths):
        raise SupersetError(
            f"Superset is not installed in {paths.venv} (or its pins changed): "
            "run `support-kpis bi superset install`"
        )
