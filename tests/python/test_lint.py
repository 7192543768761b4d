"""Style is enforced: sqlfluff on every SQL file dbt runs, ruff on the Python, one
indentation style on the dbt YAML."""

from __future__ import annotations

import re
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


# The dbt project's YAML: properties, sources, metrics, seeds, profiles and the project.
DBT_YAML_GLOBS = (
    "dbt_project.yml",
    "profiles.yml",
    "models/**/*.y*ml",
    "seeds/**/*.y*ml",
    "analyses/**/*.y*ml",
    "macros/**/*.y*ml",
    "snapshots/**/*.y*ml",
    "tests/generic/**/*.y*ml",
)
# `key: |`, `key: >-`, `- |`: the lines after it that are indented past the key are text.
BLOCK_SCALAR = re.compile(r"(?:^-|:)\s+[|>][-+0-9]*\s*(?:#.*)?$")
# `key:` with nothing after it but a comment: a mapping or a list follows.
BARE_KEY = re.compile(r"^[^#\s][^#]*:\s*(?:#.*)?$")


def yaml_style_problems(path: Path) -> list[str]:
    """Where a YAML file leaves dbt's style: 2 spaces a level, list items under their key."""
    problems = []
    parent_key_column = None  # column of the `key:` on the last line, when it was bare
    text_above_column = None  # inside a block scalar indented past this column
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        content = line.lstrip(" ")
        indent = len(line) - len(content)
        if not content:
            continue
        if text_above_column is not None and indent > text_above_column:
            continue
        text_above_column = None
        if indent % 2:
            problems.append(f"{path}:{number}: indented {indent} spaces, not a multiple of 2")
        if content.startswith("#"):
            continue
        if re.match(r"-( |$)", content) and indent == parent_key_column:
            problems.append(f"{path}:{number}: list item not indented under its key")
        key = content
        while key.startswith("- "):
            key = key[2:]
        key_column = indent + len(content) - len(key)
        parent_key_column = key_column if BARE_KEY.match(key) else None
        if BLOCK_SCALAR.search(content):
            text_above_column = key_column
    return problems


def dbt_yaml_files() -> list[Path]:
    return sorted({path for pattern in DBT_YAML_GLOBS for path in PROJECT_DIR.glob(pattern)})


def test_dbt_yaml_indents_list_items_under_their_key_by_two_spaces() -> None:
    files = dbt_yaml_files()
    assert PROJECT_DIR / "dbt_project.yml" in files and len(files) > 40
    problems = [problem for path in files for problem in yaml_style_problems(path)]
    assert problems == [], "\n".join(problems)


def test_yaml_style_check_flags_dump_like_lists_and_odd_indents(tmp_path: Path) -> None:
    path = tmp_path / "dump_like.yml"
    path.write_text(
        "models:\n"
        "- name: orders  # line 2: at the column of `models:`\n"
        "  description: |\n"
        "    - text, not a list item\n"
        "     odd text indentation is text too\n"
        "  columns:\n"
        "    - name: order_id\n"
        "      data_tests:\n"
        "      - unique  # line 9: at the column of `data_tests:`\n"
        "   # line 10: 3 spaces\n"
    )
    assert yaml_style_problems(path) == [
        f"{path}:2: list item not indented under its key",
        f"{path}:9: list item not indented under its key",
        f"{path}:10: indented 3 spaces, not a multiple of 2",
    ]
    path.write_text("models:\n  - name: orders\n    columns:\n      - name: order_id\n")
    assert yaml_style_problems(path) == []
