"""Deliveries in loads (spec/sources.md, "Deliveries in loads"; docs/decisions.md D34) on
the hand-made fixture tests/fixtures/loads_basic: tickets, ticket_messages and calls
arrive as load folders (one file per load, names in load order), every other table as
one file (one load). Every figure below is counted by hand from the fixture:

tickets/2025-03-03.csv  T1 open; T2 open, delivered twice (one copy collapsed)
tickets/2025-03-04.csv  T1 solved (an update); T2 with status `done` (invalid);
                        T3 (the parent of M3); T4 in two differing rows (duplicate_key)
tickets/2025-03-05.csv  T1 solved again, identical (re-delivered); T4 once, valid
ticket_messages/2025-03-03.csv  M1 on T1; M3 on T3, whose ticket arrives a load later
ticket_messages/2025-03-04.csv  M2 on T1; M5 on T4 (quarantined until load 3)
ticket_messages/2025-03-05.csv  M6 on T2
calls/2025-03-03.csv    CL1 without after-call work
calls/2025-03-04.csv    CL1 with 45 s of after-call work (an update); CL2 abandoned with
                        is_resolved set (inconsistent_value)
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from dbt_helpers import AS_OF, PROJECT_DIR, query, run_dbt
from semantic_helpers import mf_csv

LOADS_RAW = PROJECT_DIR / "tests" / "fixtures" / "loads_basic"
LOAD_FOLDERS = ("tickets", "ticket_messages", "calls")
# The data tests run with every build here: they prove conservation (per load and in
# total) on each step. Unit tests do not depend on the delivery.
BUILD = ["build", "--exclude-resource-type", "unit_test"]


def _loads_up_to(target: Path, count: int) -> Path:
    """The fixture as it stands after `count` loads: the single files, and the first
    `count` files of each load folder."""
    target.mkdir(parents=True)
    for entry in LOADS_RAW.iterdir():
        if entry.is_file():
            shutil.copy(entry, target / entry.name)
    for folder in LOAD_FOLDERS:
        (target / folder).mkdir()
        for load in sorted((LOADS_RAW / folder).iterdir())[:count]:
            shutil.copy(load, target / folder / load.name)
    return target


@pytest.fixture(scope="module")
def full_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """All loads at once, into a fresh warehouse."""
    database = tmp_path_factory.mktemp("loads_full") / "warehouse.duckdb"
    run_dbt(BUILD, database, {"raw_path": str(LOADS_RAW), "as_of_at": AS_OF})
    return database


@pytest.fixture(scope="module")
def stepwise_builds(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Path]:
    """The loads one by one into the SAME warehouse (so the incremental facts run
    incrementally): a copy of the warehouse after each of the three steps; the last one
    is the warehouse itself."""
    work = tmp_path_factory.mktemp("loads_stepwise")
    database = work / "warehouse" / "warehouse.duckdb"
    database.parent.mkdir()
    snapshots: dict[int, Path] = {}
    for step in (1, 2, 3):
        raw = _loads_up_to(work / f"raw_{step}", step)
        run_dbt(BUILD, database, {"raw_path": str(raw), "as_of_at": AS_OF})
        if step < 3:
            snapshots[step] = work / f"after_{step}" / "warehouse.duckdb"
            snapshots[step].parent.mkdir()
            shutil.copy(database, snapshots[step])
    snapshots[3] = database
    return snapshots


def test_an_update_supersedes_the_earlier_version(full_build: Path) -> None:
    assert query(
        full_build,
        "select ticket_id, status, cast(updated_at as varchar) from staging.stg_support__tickets "
        "where ticket_id = 'T1'",
    ) == [("T1", "solved", "2025-03-04 09:00:00")]
    # Every version of T1 stays in the checked relation with its load.
    assert query(
        full_build,
        "select load_id, load_rank, status, superseded_by_load_id, is_current "
        "from staging.base_support__tickets_checked where ticket_id = 'T1' order by load_rank",
    ) == [
        ("2025-03-03.csv", 1, "open", "2025-03-04.csv", False),
        ("2025-03-04.csv", 2, "solved", "2025-03-05.csv", False),
        ("2025-03-05.csv", 3, "solved", None, True),
    ]
    assert query(
        full_build,
        "select table_name, key_column, key_value, load_id, load_rank, superseded_by_load_id "
        "from quarantine.quarantine_support__superseded_versions order by 1 desc, 3, 5",
    ) == [
        ("tickets", "ticket_id", "T1", "2025-03-03.csv", 1, "2025-03-04.csv"),
        ("tickets", "ticket_id", "T1", "2025-03-04.csv", 2, "2025-03-05.csv"),
        ("calls", "call_id", "CL1", "2025-03-03.csv", 1, "2025-03-04.csv"),
    ]
    # The re-delivered call record carries its after-call work; superseded is not invalid.
    assert query(
        full_build, "select call_id, after_call_work_seconds from staging.stg_support__calls"
    ) == [("CL1", 45)]
    assert query(full_build, "select count(*) from quarantine.quarantine_support__calls") == [(1,)]


def test_an_invalid_update_keeps_the_earlier_version(full_build: Path) -> None:
    # T2's load-2 row has an unknown status: the load-1 version stays current.
    assert query(
        full_build,
        "select status, cast(updated_at as varchar) from staging.stg_support__tickets "
        "where ticket_id = 'T2'",
    ) == [("open", "2025-03-03 12:30:00")]
    assert query(
        full_build,
        "select ticket_id, status, reason_code, reason_column, load_id, load_rank, count_copies "
        "from quarantine.quarantine_support__tickets order by ticket_id, priority",
    ) == [
        ("T2", "done", "unknown_value", "status", "2025-03-04.csv", 2, 1),
        # T4's two differing rows of load 2 are both duplicate_key; its one row of load 3
        # is valid and current.
        ("T4", "new", "duplicate_key", "ticket_id", "2025-03-04.csv", 2, 1),
        ("T4", "new", "duplicate_key", "ticket_id", "2025-03-04.csv", 2, 1),
    ]
    assert query(
        full_build,
        "select ticket_id, status, priority from staging.stg_support__tickets order by 1",
    ) == [
        ("T1", "solved", "normal"),
        ("T2", "open", "normal"),
        ("T3", "open", "high"),
        ("T4", "open", "high"),
    ]
    # The collapsed copy of T2 is collapsed within its load.
    assert query(
        full_build,
        "select table_name, key_value, load_id, count_copies, count_collapsed_rows, reason_code "
        "from quarantine.quarantine_support__collapsed_duplicates",
    ) == [("tickets", "T2", "2025-03-03.csv", 2, 1, None)]


def test_a_message_before_its_ticket_is_valid_once_the_ticket_arrives(
    stepwise_builds: dict[int, Path], full_build: Path
) -> None:
    after_1, after_2 = stepwise_builds[1], stepwise_builds[2]
    # Load 1 alone: M3's ticket T3 has not arrived.
    assert query(
        after_1,
        "select message_id, reason_code, reason_column, parent_reason_code, load_id "
        "from quarantine.quarantine_support__ticket_messages",
    ) == [("M3", "dangling_reference", "ticket_id", None, "2025-03-03.csv")]
    assert query(after_1, "select message_id from staging.stg_support__ticket_messages") == [
        ("M1",)
    ]
    # Load 2 brings T3: M3 is valid; M5's ticket T4 came as two differing rows.
    assert query(
        after_2,
        "select message_id, reason_code, parent_reason_code, load_id "
        "from quarantine.quarantine_support__ticket_messages",
    ) == [("M5", "invalid_parent", "duplicate_key", "2025-03-04.csv")]
    assert query(
        after_2, "select message_id from staging.stg_support__ticket_messages order by 1"
    ) == [("M1",), ("M2",), ("M3",)]
    # Load 3 delivers T4 once, valid: M5 is revived. The same holds built at once.
    for database in (stepwise_builds[3], full_build):
        assert query(
            database, "select message_id from staging.stg_support__ticket_messages order by 1"
        ) == [("M1",), ("M2",), ("M3",), ("M5",), ("M6",)]
        assert query(
            database, "select count(*) from quarantine.quarantine_support__ticket_messages"
        ) == [(0,)]


# table, load_id, load_rank, delivered, current, superseded, quarantined, collapsed
LOADS_OF_ALL = [
    ("calls", "2025-03-03.csv", 1, 1, 0, 1, 0, 0),
    ("calls", "2025-03-04.csv", 2, 2, 1, 0, 1, 0),
    ("ticket_messages", "2025-03-03.csv", 1, 2, 2, 0, 0, 0),
    ("ticket_messages", "2025-03-04.csv", 2, 2, 2, 0, 0, 0),
    ("ticket_messages", "2025-03-05.csv", 3, 1, 1, 0, 0, 0),
    ("tickets", "2025-03-03.csv", 1, 3, 1, 1, 0, 1),
    ("tickets", "2025-03-04.csv", 2, 5, 1, 1, 3, 0),
    ("tickets", "2025-03-05.csv", 3, 2, 2, 0, 0, 0),
]
LOAD_SUMMARY = (
    "select table_name, load_id, load_rank, count_delivered_rows, count_current_rows, "
    "count_superseded_rows, count_quarantined_rows, count_collapsed_rows "
    "from quarantine.quarantine_support__load_summary "
    "where table_name in ('tickets', 'ticket_messages', 'calls') order by 1, 3"
)


def test_conservation_per_load_and_in_total(
    full_build: Path, stepwise_builds: dict[int, Path]
) -> None:
    assert query(full_build, LOAD_SUMMARY) == LOADS_OF_ALL
    # Every other table is one load named after its file.
    assert query(
        full_build,
        "select table_name, load_id, load_rank, count_delivered_rows, count_current_rows "
        "from quarantine.quarantine_support__load_summary "
        "where table_name in ('customers', 'ticket_events') order by 1",
    ) == [("customers", "customers.csv", 1, 2, 2), ("ticket_events", "ticket_events.csv", 1, 2, 2)]
    # In total: delivered = staged + superseded + quarantined + collapsed.
    assert query(
        full_build,
        "select table_name, count_delivered_rows, count_staged_rows, count_superseded_rows, "
        "count_quarantined_rows, count_collapsed_rows from quarantine.quarantine_support__summary "
        "where table_name in ('tickets', 'ticket_messages', 'calls', 'agent_states') order by 1",
    ) == [
        ("agent_states", 0, 0, 0, 0, 0),
        ("calls", 3, 1, 1, 1, 0),
        ("ticket_messages", 5, 5, 0, 0, 0),
        ("tickets", 10, 4, 2, 3, 1),
    ]
    # After load 1 alone nothing is superseded yet: T1 and T2 are current.
    assert query(stepwise_builds[1], LOAD_SUMMARY) == [
        ("calls", "2025-03-03.csv", 1, 1, 1, 0, 0, 0),
        ("ticket_messages", "2025-03-03.csv", 1, 2, 1, 0, 1, 0),
        ("tickets", "2025-03-03.csv", 1, 3, 2, 0, 0, 1),
    ]


def _relations(database: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every table of the staging, quarantine and marts schemas, rows sorted."""
    names = query(
        database,
        "select table_schema || '.' || table_name from information_schema.tables "
        "where table_schema in ('staging', 'quarantine', 'marts') and table_type = 'BASE TABLE' "
        "order by 1",
    )
    return {
        str(name): sorted(query(database, f"select * from {name}"), key=repr) for (name,) in names
    }


def test_loads_one_by_one_equal_all_at_once(
    stepwise_builds: dict[int, Path], full_build: Path, tmp_path: Path
) -> None:
    stepwise, at_once = _relations(stepwise_builds[3]), _relations(full_build)
    assert set(stepwise) == set(at_once)
    assert {"staging.stg_support__tickets", "quarantine.quarantine_support__load_summary"} <= set(
        at_once
    )
    assert "marts.fct_ticket_messages" in at_once
    for relation in sorted(at_once):
        assert stepwise[relation] == at_once[relation], relation
    # The incremental facts did change between the steps (so they ran incrementally).
    after_1 = _relations(stepwise_builds[1])
    assert after_1["marts.fct_ticket_messages"] != at_once["marts.fct_ticket_messages"]
    # KPIs by month (mf's row order is not defined: compared by month).
    months = {
        name: {
            row["metric_time__month"]: row
            for row in mf_csv(database, tmp_path, "--saved-query", "kpi_monthly_overall")
        }
        for name, database in (("stepwise", stepwise_builds[3]), ("at_once", full_build))
    }
    assert months["stepwise"] == months["at_once"]
    march = months["at_once"]["2025-03-01 00:00:00"]
    # T1-T4 created, T1 solved (its load-2 update); CL1 with its re-delivered 45 s of
    # after-call work, CL2 quarantined.
    assert (march["tickets_created"], march["tickets_solved"]) == ("4", "1")
    assert (march["calls_offered"], march["average_after_call_work_seconds"]) == ("1", "45.0")


def test_a_build_reads_and_parses_only_the_loads_it_has_not_read(
    stepwise_builds: dict[int, Path],
) -> None:
    """The third step's build read only the third load files (D36): the compiled reader
    names no earlier load, and each load's rows were parsed once, by the build that read
    them (the intake models hold every load, in order)."""
    compiled = {
        path.name: path.read_text()
        for path in (stepwise_builds[3].parent / "target" / "compiled").rglob("base_support__*.sql")
    }
    for folder in LOAD_FOLDERS:
        reader = compiled[f"base_support__{folder}.sql"]
        assert "2025-03-05.csv" in reader or folder == "calls", folder
        assert "2025-03-03.csv" not in reader and "2025-03-04.csv" not in reader, folder
        # The parse step reads the loads after the last one it holds.
        assert (
            "load_rank > (select coalesce(max(load_rank), 0) from"
            in compiled[f"base_support__{folder}_parsed.sql"]
        )
    # A table delivered as one file is a full export: read whole, replacing the rows.
    assert "agents.csv" in compiled["base_support__agents.sql"]
    assert query(
        stepwise_builds[3],
        "select load_id, load_rank, count(*) from staging.base_support__tickets_parsed "
        "group by all order by load_rank",
    ) == [("2025-03-03.csv", 1, 2), ("2025-03-04.csv", 2, 5), ("2025-03-05.csv", 3, 2)]
    assert query(
        stepwise_builds[3],
        "select load_id, count(*) from staging.base_support__agents group by all",
    ) == [("agents.csv", 1)]


def test_a_processed_load_missing_from_the_folder_is_an_error(
    stepwise_builds: dict[int, Path], tmp_path: Path
) -> None:
    """A load the warehouse has read must stay the folder's load of that rank: a removed
    (or renamed, or preceded) load stops the build with what to do (D36)."""
    database = tmp_path / "warehouse.duckdb"
    shutil.copy(stepwise_builds[2], database)
    raw = _loads_up_to(tmp_path / "raw", 3)
    (raw / "tickets" / "2025-03-04.csv").unlink()
    output = " ".join(_failed_run(raw, tmp_path).split())
    assert (
        f"raw table 'tickets': the load folder '{raw}/tickets/' no longer holds the loads "
        "already processed in their places, in load order: processed load 2 is 2025-03-04.csv, "
        "the folder's file 2 is now 2025-03-05.csv." in output
    )
    assert "deliver a correction as a new load whose name sorts last" in output
    assert "dbt build --full-refresh" in output


def test_a_load_without_rows_keeps_its_place(
    stepwise_builds: dict[int, Path], tmp_path: Path
) -> None:
    """A header-only load leaves no row in the reader; the next load still gets the rank
    after it, and the build goes on (D36)."""
    database = tmp_path / "warehouse.duckdb"
    shutil.copy(stepwise_builds[1], database)
    raw = _loads_up_to(tmp_path / "raw", 1)
    header = (LOADS_RAW / "tickets" / "2025-03-03.csv").read_text().splitlines()[0]
    (raw / "tickets" / "2025-03-03b.csv").write_text(header + "\n")
    intake = ["run", "--select", "base_support__tickets", "base_support__tickets_parsed"]
    variables = {"raw_path": str(raw), "as_of_at": AS_OF}
    run_dbt(intake, database, variables)
    shutil.copy(LOADS_RAW / "tickets" / "2025-03-04.csv", raw / "tickets")
    run_dbt(intake, database, variables)
    assert query(
        database,
        "select load_id, load_rank, count(*) from staging.base_support__tickets_parsed "
        "group by all order by load_rank",
    ) == [("2025-03-03.csv", 1, 2), ("2025-03-04.csv", 3, 5)]


def _failed_run(raw: Path, tmp_path: Path) -> str:
    result = run_dbt(
        ["run", "--select", "base_support__tickets"],
        tmp_path / "warehouse.duckdb",
        {"raw_path": str(raw), "as_of_at": AS_OF},
        check=False,
    )
    assert result.returncode != 0
    return result.stdout


def test_a_file_and_a_load_folder_of_one_table_is_an_error(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    shutil.copytree(LOADS_RAW, raw)
    shutil.copy(LOADS_RAW / "tickets" / "2025-03-03.csv", raw / "tickets.csv")
    output = " ".join(_failed_run(raw, tmp_path).split())
    assert (
        f"raw table 'tickets': both a file ({raw}/tickets.csv) and a load folder "
        f"('{raw}/tickets/') in '{raw}'; keep one" in output
    )


def test_a_load_file_is_checked_and_named_in_errors(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    shutil.copytree(LOADS_RAW, raw)
    # Hidden files (names starting with . or _) in a load folder are no loads: skipped.
    (raw / "tickets" / ".DS_Store").write_bytes(b"\x00\x01")
    (raw / "tickets" / "_SUCCESS").write_text("")
    bad = raw / "tickets" / "2025-03-04.csv"
    lines = bad.read_text().splitlines()
    lines[2] += ",extra"
    bad.write_text("\n".join(lines) + "\n")
    output = " ".join(_failed_run(raw, tmp_path).split())
    assert f"file {bad}, line 3: wrong field count: 12 fields, the header has 11" in output
    # A file the project cannot read in a load folder.
    bad.unlink()
    (raw / "tickets" / "2025-03-04.txt").write_text("ticket_id\n")
    output = " ".join(_failed_run(raw, tmp_path).split())
    assert f"file {raw}/tickets/2025-03-04.txt in the load folder" in output
    assert "is not CSV or Parquet" in output


def test_warehouse_loads_by_loaded_at(full_build: Path, tmp_path: Path) -> None:
    """The same loads landed in warehouse tables with a `_loaded_at` column (each file's
    date as its load time; the single-file tables without the column, one load) give the
    same current state, quarantine and per-load counts as the files."""
    database = tmp_path / "landed" / "warehouse.duckdb"
    database.parent.mkdir()
    with duckdb.connect(str(database)) as connection:
        connection.execute("create schema raw")
        for entry in sorted(LOADS_RAW.iterdir()):
            if entry.is_file():
                connection.execute(
                    f"create table raw.{entry.stem} as "
                    "select * from read_csv(?, all_varchar = true)",
                    [str(entry)],
                )
        for folder in LOAD_FOLDERS:
            selects = [
                f"select *, timestamp '{load.stem} 06:00:00' as _loaded_at "
                f"from read_csv('{load}', all_varchar = true)"
                for load in sorted((LOADS_RAW / folder).iterdir())
            ]
            connection.execute(f"create table raw.{folder} as {' union all '.join(selects)}")
    run_dbt(
        ["run", "--select", "path:models/staging/support"],
        database,
        {"raw_source": "warehouse", "as_of_at": AS_OF},
    )
    landed, files = _relations(database), _relations(full_build)
    for relation in files:
        if relation.startswith("staging.stg_support__"):
            assert landed[relation] == files[relation], relation
    assert query(database, LOAD_SUMMARY) == [
        (table, f"{load_id[:10]} 06:00:00", *counts) for table, load_id, *counts in LOADS_OF_ALL
    ]
    assert query(
        database,
        "select load_id, load_rank from quarantine.quarantine_support__load_summary "
        "where table_name = 'customers'",
    ) == [("raw.customers", 1)]
    assert query(
        database,
        "select ticket_id, reason_code, load_id from quarantine.quarantine_support__tickets "
        "order by 1",
    ) == [
        ("T2", "unknown_value", "2025-03-04 06:00:00"),
        ("T4", "duplicate_key", "2025-03-04 06:00:00"),
        ("T4", "duplicate_key", "2025-03-04 06:00:00"),
    ]


def test_load_files_may_be_gzipped_csv_or_parquet(full_build: Path, tmp_path: Path) -> None:
    """A load folder may mix formats: the same loads as .csv.gz and .parquet files give the
    same current state and per-load counts, each load named after its file."""
    raw = tmp_path / "raw"
    shutil.copytree(LOADS_RAW, raw)
    tickets_2 = raw / "tickets" / "2025-03-04.csv"
    calls_2 = raw / "calls" / "2025-03-04.csv"
    with duckdb.connect() as connection:
        connection.execute(
            "copy (select * from read_csv(?, all_varchar = true)) to ? (format csv, header)",
            [str(tickets_2), str(tickets_2) + ".gz"],
        )
        connection.execute(
            "copy (select * from read_csv(?, all_varchar = true)) to ? (format parquet)",
            [str(calls_2), str(calls_2.with_suffix(".parquet"))],
        )
    tickets_2.unlink()
    calls_2.unlink()
    database = tmp_path / "formats" / "warehouse.duckdb"
    database.parent.mkdir()
    run_dbt(
        ["run", "--select", "path:models/staging/support"],
        database,
        {"raw_path": str(raw), "as_of_at": AS_OF},
    )
    mixed, files = _relations(database), _relations(full_build)
    for relation in files:
        if relation.startswith("staging.stg_support__"):
            assert mixed[relation] == files[relation], relation
    renamed = {
        ("tickets", "2025-03-04.csv"): "2025-03-04.csv.gz",
        ("calls", "2025-03-04.csv"): "2025-03-04.parquet",
    }
    assert query(database, LOAD_SUMMARY) == [
        (table, renamed.get((table, load_id), load_id), *counts)
        for table, load_id, *counts in LOADS_OF_ALL
    ]
