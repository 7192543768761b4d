"""A delivery dbt cannot read fails with an error naming the table and the column or file."""

from __future__ import annotations

import csv
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import FIXTURE_RAW
from dbt_helpers import query, run_dbt


def _copy_fixture(tmp_path: Path) -> Path:
    raw = tmp_path / "raw"
    shutil.copytree(FIXTURE_RAW, raw)
    return raw


def _drop_column(path: Path, column: str) -> None:
    with path.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    fields = [name for name in rows[0] if name != column]
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)


def _run_base(raw: Path, table: str, tmp_path: Path) -> str:
    result = run_dbt(
        ["run", "--select", f"base_support__{table}"],
        tmp_path / "warehouse.duckdb",
        {"raw_path": str(raw)},
        check=False,
    )
    assert result.returncode != 0, result.stdout[-3000:]
    return result.stdout


def test_missing_required_column_names_table_and_column(tmp_path: Path) -> None:
    raw = _copy_fixture(tmp_path)
    _drop_column(raw / "tickets.csv", "priority")
    output = _run_base(raw, "tickets", tmp_path)
    assert "raw table 'tickets'" in output
    assert "required column 'priority' missing" in output
    assert str(raw / "tickets.csv") in output


def test_missing_optional_column_is_fine(tmp_path: Path) -> None:
    raw = _copy_fixture(tmp_path)
    _drop_column(raw / "tickets.csv", "category")
    result = run_dbt(
        ["run", "--select", "base_support__tickets"],
        tmp_path / "warehouse.duckdb",
        {"raw_path": str(raw)},
    )
    assert result.returncode == 0


def test_file_that_is_not_csv_or_parquet_names_table_and_file(tmp_path: Path) -> None:
    raw = _copy_fixture(tmp_path)
    (raw / "orders.csv").rename(raw / "orders.xlsx")
    output = _run_base(raw, "orders", tmp_path)
    assert "raw table 'orders'" in output
    assert f"file {raw / 'orders.xlsx'} is not CSV or Parquet" in output


def test_corrupt_parquet_names_the_file(tmp_path: Path) -> None:
    raw = _copy_fixture(tmp_path)
    (raw / "orders.csv").unlink()
    (raw / "orders.parquet").write_text("order_id,customer_id\nO1,C1\n")
    output = _run_base(raw, "orders", tmp_path)
    assert str(raw / "orders.parquet") in output


def test_missing_table_file_names_table_and_folder(tmp_path: Path) -> None:
    raw = _copy_fixture(tmp_path)
    (raw / "calls.csv").unlink()
    output = _run_base(raw, "calls", tmp_path)
    assert f"raw table 'calls': no file calls.csv or calls.parquet in '{raw}'" in output


def test_two_files_for_one_table_is_ambiguous(tmp_path: Path) -> None:
    raw = _copy_fixture(tmp_path)
    shutil.copy(raw / "agents.csv", raw / "agents.parquet")
    output = _run_base(raw, "agents", tmp_path)
    assert "raw table 'agents': more than one file" in output


@pytest.mark.parametrize("folder", ["does-not-exist", "empty"])
def test_missing_or_empty_raw_folder(tmp_path: Path, folder: str) -> None:
    raw = tmp_path / folder
    if folder == "empty":
        raw.mkdir()
    output = _run_base(raw, "customers", tmp_path)
    assert f"the raw folder '{raw}' (var raw_path) does not exist or is empty" in output


# One delivery with a differently broken file per table, read by one dbt run:
# each table's base model stops with its own message naming the file and line.
# Its folder has glob characters in its name and a sibling folder that the
# pattern raw[1] would match, holding the unbroken fixture: every message (and
# the survey_responses read) must come from the bracketed folder itself.
BIG_COMMENT_BYTES = 5 * 1024 * 1024


def _edit_line(path: Path, number: int, edit: Callable[[bytes], bytes]) -> None:
    lines = path.read_bytes().split(b"\n")
    lines[number - 1] = edit(lines[number - 1])
    path.write_bytes(b"\n".join(lines))


@pytest.fixture(scope="module")
def broken_delivery(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, Path]:
    work = tmp_path_factory.mktemp("broken")
    shutil.copytree(FIXTURE_RAW, work / "raw1")
    raw = work / "raw[1]"
    shutil.copytree(FIXTURE_RAW, raw)
    # orders: an extra column whose value on line 2 spans three lines, then
    # line 5 (the second record) lacks its last field.
    _edit_line(raw / "orders.csv", 1, lambda line: line + b",note")
    _edit_line(raw / "orders.csv", 2, lambda line: line + b',"multi\nline\nnote"')
    _edit_line(raw / "orders.csv", 5, lambda line: line.rsplit(b",", 1)[0])
    # agents: a Latin-1 byte (e-acute) on line 3.
    _edit_line(raw / "agents.csv", 3, lambda line: line.replace(b",", b"\xe9,", 1))
    # agent_shifts: LF endings, then CRLF from line 4 on.
    lines = (raw / "agent_shifts.csv").read_bytes().split(b"\n")
    lines[3:-1] = [line + b"\r" for line in lines[3:-1]]
    (raw / "agent_shifts.csv").write_bytes(b"\n".join(lines))
    # customers: a NUL byte on line 4.
    _edit_line(raw / "customers.csv", 4, lambda line: line.replace(b",", b"\x00,", 1))
    # ticket_events: a quote opened on line 2 and never closed.
    _edit_line(raw / "ticket_events.csv", 2, lambda line: line.replace(b",", b',"', 1))
    # tickets: a second status column, first in the header.
    lines = (raw / "tickets.csv").read_bytes().split(b"\n")
    (raw / "tickets.csv").write_bytes(
        b"\n".join(b"status," + line if line else line for line in lines)
    )
    # survey_responses: a 5 MB comment (quoted, with commas and line breaks) on S1.
    ending = "end\nnext line"
    padding = BIG_COMMENT_BYTES - len(ending)
    comment = (("word, " * (padding // 6 + 1))[:padding] + ending).encode()
    _edit_line(
        raw / "survey_responses.csv",
        2,
        lambda line: line.replace(b'"Great, thanks"', b'"' + comment + b'"'),
    )
    database = work / "warehouse.duckdb"
    tables = [
        "orders",
        "agents",
        "agent_shifts",
        "customers",
        "ticket_events",
        "tickets",
        "survey_responses",
    ]
    result = run_dbt(
        ["run", "--select", *[f"base_support__{table}" for table in tables]],
        database,
        {"raw_path": str(raw)},
        check=False,
    )
    assert result.returncode != 0, result.stdout[-3000:]
    return raw, result.stdout, database


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ("orders", "line 5: wrong field count: 5 fields, the header has 7"),
        (
            "agents",
            "line 3 (counting a quoted value that spans lines as one line): the text is not UTF-8",
        ),
        ("agent_shifts", "line 4: mixed line endings: this line ends with CRLF, line 1 with LF"),
        ("customers", "line 4: a NUL byte (character 0) in a value"),
        ("ticket_events", "line 2: a quoted value is never closed (unterminated double quote)"),
        ("tickets", "line 1 (header): column 'status' appears twice (columns 1 and 8)"),
    ],
)
def test_malformed_csv_names_file_line_and_problem(
    broken_delivery: tuple[Path, str, Path], table: str, message: str
) -> None:
    raw, output, _ = broken_delivery
    assert f"Compilation Error in model base_support__{table} " in output
    assert f"file {raw / table}.csv, {message}" in output
    assert "not possible to automatically detect" not in output


def test_bracketed_raw_path_reads_its_own_files_and_long_values(
    broken_delivery: tuple[Path, str, Path],
) -> None:
    _, output, database = broken_delivery
    assert "PASS=1 WARN=0 ERROR=6 " in output
    rows = query(
        database,
        "select response_id, strlen(comment), right(comment, 9)"
        " from staging.base_support__survey_responses"
        " where response_id in ('S1', 'S6') order by response_id",
    )
    assert rows == [("S1", BIG_COMMENT_BYTES, "next line"), ("S6", 25, "ample.com")]
