"""A generated delivery in 30 daily loads (20,000 tickets; `generate(..., loads=30)`),
built three ways (spec/sources.md, "Deliveries in loads"; docs/decisions.md D34):

- A: all 30 loads at once, into a fresh warehouse;
- B: load by load into one warehouse, from a raw folder that grows by one file per table
  per step (`dbt run` of the models that keep state between builds for steps 1-29,
  `dbt build` of everything for the last);
- C: the single-file delivery with the same arguments (the loads' current state).

A and B have the same staging, quarantine and marts tables row for row and the same KPIs
by month; A and C have the same staged rows, marts and KPIs. The counts the generator's
manifest predicts (superseded versions per table, rows per load, no quarantined row) and
the late-arriving tickets (their messages and events `dangling_reference` until the
ticket's load, counted from the files) are checked on the warehouses.
"""

from __future__ import annotations

import csv
import json
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from support_kpis.generator import generate
from support_kpis.generator.schema import TABLES

from dbt_helpers import query, run_dbt
from manifest_check import manifest_counts, warehouse_counts
from semantic_helpers import by_month, differences, mf_csv, spec_kpi_names

pytestmark = pytest.mark.scale

TICKETS = 20_000
SEED = 21
LOADS = 30
# Delivered after the last generated timestamp (children spill over the period's end).
VARIABLES = {"as_of_at": "2026-07-01 00:00:00"}
TICKET_CHILDREN = {"ticket_messages": "message_id", "ticket_events": "event_id"}
SCHEMAS = ("staging", "quarantine", "marts")
STEP_TIMES: dict[str, float] = {}
# Steps 1-29 run the incremental models and everything upstream of them: those are the
# models whose state carries from one build to the next (the intake reads only new loads,
# the incremental facts add partitions). Every other model is a table rebuilt from its
# inputs by the last step's `dbt build`, so running it in between would change nothing
# but the time (about half of each step).
STEP_SELECT = ["--select", "+config.materialized:incremental"]


def _vars(raw: Path) -> dict[str, str]:
    return {"raw_path": str(raw), **VARIABLES}


def _timed(label: str, command: list[str], database: Path, raw: Path) -> None:
    started = time.monotonic()
    run_dbt(command, database, _vars(raw))
    STEP_TIMES[label] = STEP_TIMES.get(label, 0.0) + time.monotonic() - started


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    folder = tmp_path_factory.mktemp("generated_loads")
    yield folder
    # The measured times, shown with `-s` (and kept beside the warehouses).
    (folder / "times.json").write_text(json.dumps(STEP_TIMES, indent=2))
    print("\ntest_generated_loads times (s):", json.dumps(STEP_TIMES, indent=2))


@pytest.fixture(scope="module")
def deliveries(work: Path) -> tuple[Path, Path]:
    """(the delivery in loads, the single-file delivery with the same arguments)."""
    started = time.monotonic()
    generate(work / "loads", tickets=TICKETS, seed=SEED, loads=LOADS)
    STEP_TIMES["generate loads"] = time.monotonic() - started
    generate(work / "single", tickets=TICKETS, seed=SEED)
    return work / "loads", work / "single"


@pytest.fixture(scope="module")
def manifest(deliveries: tuple[Path, Path]) -> dict[str, object]:
    return json.loads((deliveries[0] / "_manifest.json").read_text())


@pytest.fixture(scope="module")
def at_once(deliveries: tuple[Path, Path], work: Path) -> Path:
    """A: every load at once."""
    database = work / "a" / "warehouse.duckdb"
    database.parent.mkdir()
    _timed("A: build, 30 loads at once", ["build"], database, deliveries[0])
    return database


@pytest.fixture(scope="module")
def single_file(deliveries: tuple[Path, Path], work: Path) -> Path:
    """C: the single-file delivery."""
    database = work / "c" / "warehouse.duckdb"
    database.parent.mkdir()
    _timed("C: build, single files", ["build"], database, deliveries[1])
    return database


def _dangling_counts(database: Path) -> dict[str, int]:
    counts = {}
    for table in TICKET_CHILDREN:
        ((count,),) = query(
            database,
            f"select count(*) from staging.base_support__{table}_checked "
            "where reason_code = 'dangling_reference'",
        )
        if count:
            counts[table] = int(count)  # type: ignore[call-overload]
    return counts


@pytest.fixture(scope="module")
def one_by_one(
    deliveries: tuple[Path, Path], manifest: dict[str, object], work: Path
) -> tuple[Path, list[dict[str, int]]]:
    """B: the loads one by one into one warehouse; per step, the dangling_reference rows
    of messages and events after it."""
    loads = deliveries[0]
    names: list[str] = manifest["loads"]["names"]  # type: ignore[index]
    raw = work / "b_raw"
    database = work / "b" / "warehouse.duckdb"
    database.parent.mkdir()
    dangling: list[dict[str, int]] = []
    for step, name in enumerate(names, start=1):
        for table in TABLES:
            (raw / table).mkdir(parents=True, exist_ok=True)
            shutil.copy(loads / table / f"{name}.csv", raw / table / f"{name}.csv")
        if step == 1:
            _timed("B: seed", ["seed"], database, raw)
        last = step == len(names)
        _timed(
            "B: build, last load" if last else "B: run, loads 1-29",
            ["build"] if last else ["run", *STEP_SELECT],
            database,
            raw,
        )
        dangling.append(_dangling_counts(database))
    return database, dangling


def _ids_up_to(loads: Path, names: list[str], table: str, column: str) -> list[set[str]]:
    """Per step: the values of a column in the loads up to that step."""
    seen: set[str] = set()
    steps: list[set[str]] = []
    for name in names:
        with (loads / table / f"{name}.csv").open(newline="", encoding="utf-8") as handle:
            seen |= {row[column] for row in csv.DictReader(handle)}
        steps.append(set(seen))
    return steps


def test_late_arriving_tickets_revive_their_messages(
    deliveries: tuple[Path, Path],
    manifest: dict[str, object],
    one_by_one: tuple[Path, list[dict[str, int]]],
) -> None:
    """After each load, the messages and events whose ticket has not arrived yet (counted
    from the files) are exactly the quarantine's dangling_reference rows; none is left
    after the last load."""
    loads = deliveries[0]
    names: list[str] = manifest["loads"]["names"]  # type: ignore[index]
    tickets = _ids_up_to(loads, names, "tickets", "ticket_id")
    expected: list[dict[str, int]] = [{} for _ in names]
    for table in TICKET_CHILDREN:
        seen: list[str] = []
        for step, name in enumerate(names):
            with (loads / table / f"{name}.csv").open(newline="", encoding="utf-8") as handle:
                seen.extend(row["ticket_id"] for row in csv.DictReader(handle))
            missing = sum(ticket not in tickets[step] for ticket in seen)
            if missing:
                expected[step][table] = missing
    _database, dangling = one_by_one
    assert dangling == expected
    assert sum(1 for step in expected if step.get("ticket_messages")) >= 5
    assert expected[-1] == {}


def _relations(database: Path) -> list[str]:
    return [
        str(name)
        for (name,) in query(
            database,
            "select table_schema || '.' || table_name from information_schema.tables "
            f"where table_schema in {SCHEMAS} and table_type = 'BASE TABLE' order by 1",
        )
    ]


def _unequal(left: Path, right: Path, relations: list[str]) -> list[tuple[str, int, int]]:
    """Relations whose rows differ (as multisets): (name, rows only left, rows only right)."""
    found = []
    with duckdb.connect() as connection:
        connection.execute(f"attach '{left}' as l (read_only)")
        connection.execute(f"attach '{right}' as r (read_only)")
        for name in relations:
            only_left, only_right = (
                connection.execute(
                    f"select count(*) from (select * from {a}.{name} except all "
                    f"select * from {b}.{name})"
                ).fetchall()[0][0]
                for a, b in (("l", "r"), ("r", "l"))
            )
            if only_left or only_right:
                found.append((name, only_left, only_right))
    return found


def _kpis(database: Path, tmp_path: Path) -> dict[str, dict[object, float | None]]:
    metrics = ("--metrics", ",".join(spec_kpi_names()), "--group-by", "metric_time__month")
    return by_month(mf_csv(database, tmp_path, *metrics))  # type: ignore[return-value]


def test_one_by_one_equals_all_at_once(
    at_once: Path, one_by_one: tuple[Path, list[dict[str, int]]], tmp_path: Path
) -> None:
    stepwise = one_by_one[0]
    relations = _relations(at_once)
    assert relations == _relations(stepwise)
    assert {
        "staging.stg_support__tickets",
        "staging.base_support__tickets_checked",
        "quarantine.quarantine_support__superseded_versions",
        "quarantine.quarantine_support__load_summary",
        "marts.fct_ticket_messages",
    } <= set(relations)
    assert len([name for name in relations if name.startswith("marts.")]) >= 10
    assert _unequal(at_once, stepwise, relations) == []
    expected = _kpis(at_once, tmp_path)
    assert len([kpi for kpi, months in expected.items() if months]) >= 40
    assert differences(expected, _kpis(stepwise, tmp_path))[:20] == []


def test_the_current_state_is_the_single_file_delivery(
    at_once: Path, single_file: Path, tmp_path: Path
) -> None:
    # Staged rows and marts are the same; the checked rows and the quarantine's
    # accounting differ (load names, superseded versions).
    same = [name for name in _relations(at_once) if name.startswith(("staging.stg_", "marts."))]
    assert len(same) >= 20
    assert _unequal(at_once, single_file, same) == []
    assert differences(_kpis(single_file, tmp_path), _kpis(at_once, tmp_path))[:20] == []


def test_the_manifest_counts_hold(
    deliveries: tuple[Path, Path], manifest: dict[str, object], at_once: Path
) -> None:
    loads = deliveries[0]
    # Delivered (earlier versions included), staged, collapsed, quarantined per table.
    assert warehouse_counts(at_once) == manifest_counts(loads)
    assert query(
        at_once,
        "select sum(count_quarantined_rows), sum(count_collapsed_rows) "
        "from quarantine.quarantine_support__summary",
    ) == [(0, 0)]
    superseded = {
        str(table): int(count)  # type: ignore[call-overload]
        for table, count in query(
            at_once,
            "select table_name, count(*) from quarantine.quarantine_support__superseded_versions "
            "group by table_name",
        )
    }
    predicted: dict[str, int] = manifest["loads"]["superseded"]  # type: ignore[index]
    assert superseded == {table: n for table, n in predicted.items() if n}
    assert set(superseded) == {"tickets", "calls"}
    assert superseded["tickets"] > 500 and superseded["calls"] > 100
    # Rows per load, as the manifest says, in load order.
    names: list[str] = manifest["loads"]["names"]  # type: ignore[index]
    per_load: dict[str, list[int]] = {}
    for table, load_id, rank, delivered in query(
        at_once,
        "select table_name, load_id, load_rank, count_delivered_rows "
        "from quarantine.quarantine_support__load_summary order by 1, 3",
    ):
        assert load_id == f"{names[int(rank) - 1]}.csv"  # type: ignore[call-overload]
        per_load.setdefault(str(table), []).append(int(delivered))  # type: ignore[call-overload]
    rows_per_load: dict[str, list[int]] = manifest["loads"]["rows_per_load"]  # type: ignore[index]
    for table in TABLES:
        # A header-only load file delivers nothing and may have no summary row.
        assert [n for n in per_load.get(table, []) if n] == [
            n for n in rows_per_load[table] if n
        ], table
