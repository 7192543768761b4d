"""Style is enforced: sqlfluff on every SQL file dbt runs, ruff on the Python."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from dbt_helpers import PROJECT_DIR

BIN = Path(sys.executable).parent


def test_sqlfluff_lint_is_clean() -> None:
    result = subprocess.run(
        [str(BIN / "sqlfluff"), "lint", "models", "tests", "analyses", "--disable-progress-bar"],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-8000:] + result.stderr[-2000:]


def test_ruff_is_clean() -> None:
    result = subprocess.run(
        [str(BIN / "ruff"), "check", "src", "tests/python", "lint", "examples", "bench"],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-8000:]
