"""`generate(..., loads=K)`: a delivery in K daily loads whose current state is the
single-file delivery with the same arguments (spec/sources.md, "Deliveries in loads").

The small delivery here: 200 tickets over one month (2024-10-01 to 2024-10-31), 5 loads:
load 1 is the history up to 2024-10-27, loads 2-5 the days 2024-10-28 to 2024-10-31.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from support_kpis.generator import generate
from support_kpis.generator.loads import LoadPlan
from support_kpis.generator.schema import TABLE_COLUMNS, TABLES

NAMES = ["2024-10-27", "2024-10-28", "2024-10-29", "2024-10-30", "2024-10-31"]
ARGS = {"tickets": 200, "seed": 3, "months": 1}
CLI = Path(sys.executable).with_name("support-kpis")

Row = tuple[str, ...]


def _csv_rows(path: Path, table: str) -> list[Row]:
    """The rows of a CSV file (null is the empty text), after checking its header."""
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        assert tuple(next(reader)) == TABLE_COLUMNS[table], path
        return [tuple(row) for row in reader]


def _loads(folder: Path, table: str) -> list[list[Row]]:
    """The rows of each load of a table, in load order."""
    return [_csv_rows(folder / table / f"{name}.csv", table) for name in NAMES]


def _column(table: str, name: str) -> int:
    return TABLE_COLUMNS[table].index(name)


@pytest.fixture(scope="module")
def delivery(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(the delivery in 5 loads, the single-file delivery with the same arguments)."""
    root = tmp_path_factory.mktemp("loads")
    generate(root / "loads", loads=5, **ARGS)  # type: ignore[arg-type]
    generate(root / "single", **ARGS)  # type: ignore[arg-type]
    return root / "loads", root / "single"


def test_every_table_is_a_folder_of_daily_loads(delivery: tuple[Path, Path]) -> None:
    loads, _single = delivery
    assert sorted(p.name for p in loads.iterdir()) == sorted(
        [*TABLES, "_invalid_rows.csv", "_manifest.json"]
    )
    for table in TABLES:
        assert sorted(p.name for p in (loads / table).iterdir()) == [f"{n}.csv" for n in NAMES]
        for name in NAMES:
            first = (loads / table / f"{name}.csv").read_bytes().split(b"\r\n", 1)[0]
            assert first.decode() == ",".join(TABLE_COLUMNS[table])
    # Customers and agents have no day of their own: all in the history, the daily
    # files of those tables hold their header only.
    for table in ("customers", "agents"):
        rows = _loads(loads, table)
        assert rows[0] and not any(rows[1:]), table
    # No invalid rows in a delivery in loads: the log is its header.
    assert (loads / "_invalid_rows.csv").read_bytes() == b"table,key,reason_code,detail\r\n"


def test_the_latest_version_of_every_key_is_the_single_file_row(
    delivery: tuple[Path, Path],
) -> None:
    loads, single = delivery
    for table in TABLES:
        latest: dict[str, Row] = {}
        for rows in _loads(loads, table):
            keys = [row[0] for row in rows]
            assert len(keys) == len(set(keys)), f"{table}: a key twice in one load"
            latest.update((row[0], row) for row in rows)
        expected = _csv_rows(single / f"{table}.csv", table)
        assert Counter(latest.values()) == Counter(expected), table
        assert len(latest) == len(expected) > 0, table


def test_no_row_arrives_before_its_day(delivery: tuple[Path, Path]) -> None:
    """Every row is in the load of its own day or later (the last load takes the days
    after the period), and a row delivered later than its day is one of the designed
    cases: an update, or a late message, event or ticket (at most one load late)."""
    loads, _single = delivery
    plan = LoadPlan(tuple(NAMES))
    dated = {
        "agent_shifts": "shift_start",
        "agent_states": "started_at",
        "tickets": "created_at",
        "ticket_events": "event_at",
        "ticket_messages": "sent_at",
        "calls": "offered_at",
        "orders": "ordered_at",
    }
    for table, column in dated.items():
        at = _column(table, column)
        for load, rows in enumerate(_loads(loads, table)):
            for row in rows:
                own = plan.load_of(row[at][:10])
                assert load >= own, (table, row)
                if table in ("agent_shifts", "agent_states", "orders"):
                    assert load == own, (table, row)
                if table in ("ticket_events", "ticket_messages"):
                    assert load in (own, plan.load_after(row[at][:10])), (table, row)


@pytest.fixture(scope="module")
def versions(delivery: tuple[Path, Path]) -> dict[str, dict[str, list[tuple[int, Row]]]]:
    """Per table and key: its (load, row) versions, in load order."""
    loads, _single = delivery
    found: dict[str, dict[str, list[tuple[int, Row]]]] = {}
    for table in TABLES:
        keys: dict[str, list[tuple[int, Row]]] = {}
        for load, rows in enumerate(_loads(loads, table)):
            for row in rows:
                keys.setdefault(row[0], []).append((load, row))
        found[table] = keys
    return found


def test_tickets_are_updated_in_a_later_load(
    versions: dict[str, dict[str, list[tuple[int, Row]]]],
) -> None:
    status, updated, created = (
        _column("tickets", c) for c in ("status", "updated_at", "created_at")
    )
    assignee = _column("tickets", "assignee_agent_id")
    updated_tickets = {k: v for k, v in versions["tickets"].items() if len(v) > 1}
    assert len(updated_tickets) >= 10
    for key, rows in updated_tickets.items():
        assert len(rows) == 2, key
        (early_load, early), (final_load, final) = rows
        assert early_load < final_load
        # The earlier version: new (open when assigned), not updated since its creation;
        # the final one arrives in the load of its updated_at.
        assert early[status] == ("open" if early[assignee] else "new"), key
        assert early[updated] == early[created] == final[created], key
        assert final_load == LoadPlan(tuple(NAMES)).load_of(final[updated][:10]), key
        assert (
            early[:status] + early[status + 1 : updated]
            == final[:status] + final[status + 1 : updated]
        ), key
    # Tickets delivered new or open in the history, solved or closed on a daily load's day.
    assert any(
        rows[0][0] == 0 and rows[1][1][status] in ("solved", "closed")
        for rows in updated_tickets.values()
    )


def test_calls_are_redelivered_with_their_after_call_work(
    versions: dict[str, dict[str, list[tuple[int, Row]]]],
) -> None:
    work = _column("calls", "after_call_work_seconds")
    redelivered = {k: v for k, v in versions["calls"].items() if len(v) > 1}
    assert redelivered
    for key, rows in redelivered.items():
        (early_load, early), (final_load, final) = rows
        assert final_load == early_load + 1, key
        assert early[work] == "0" and int(final[work]) > 0, key
        assert early[:work] + early[work + 1 :] == final[:work] + final[work + 1 :], key
    # Every other table delivers each key once.
    for table in TABLES:
        if table not in ("tickets", "calls"):
            assert all(len(v) == 1 for v in versions[table].values()), table


def test_late_messages_and_late_arriving_tickets(
    versions: dict[str, dict[str, list[tuple[int, Row]]]],
) -> None:
    plan = LoadPlan(tuple(NAMES))
    sent, ticket = _column("ticket_messages", "sent_at"), _column("ticket_messages", "ticket_id")
    late_messages = [
        (load, row)
        for ((load, row),) in versions["ticket_messages"].values()
        if load > plan.load_of(row[sent][:10])
    ]
    assert late_messages
    event_at = _column("ticket_events", "event_at")
    assert any(
        load > plan.load_of(row[event_at][:10])
        for ((load, row),) in versions["ticket_events"].values()
    )
    # A late-arriving ticket: its first message came a load earlier, without its ticket
    # (dangling_reference until the ticket's load).
    first_message_load: dict[str, int] = {}
    for ((load, row),) in versions["ticket_messages"].values():
        tid = row[ticket]
        first_message_load[tid] = min(load, first_message_load.get(tid, load))
    late_tickets = [
        key
        for key, rows in versions["tickets"].items()
        if key in first_message_load and rows[0][0] == first_message_load[key] + 1
    ]
    assert late_tickets
    # No other ticket arrives after its first message's load (the ordinary case).
    on_time = [
        key
        for key, rows in versions["tickets"].items()
        if key in first_message_load and key not in late_tickets
    ]
    assert on_time
    assert all(versions["tickets"][key][0][0] <= first_message_load[key] for key in on_time)


def test_the_manifest_counts_the_earlier_versions(
    delivery: tuple[Path, Path],
    versions: dict[str, dict[str, list[tuple[int, Row]]]],
) -> None:
    loads, single = delivery
    manifest = json.loads((loads / "_manifest.json").read_text())
    assert manifest["generator"]["loads"] == 5
    assert manifest["loads"]["count"] == 5
    assert manifest["loads"]["names"] == NAMES
    single_tables = json.loads((single / "_manifest.json").read_text())["tables"]
    for table in TABLES:
        earlier = sum(len(v) - 1 for v in versions[table].values())
        counts = manifest["tables"][table]
        assert manifest["loads"]["superseded"][table] == counts["superseded"] == earlier, table
        per_load = [len(rows) for rows in _loads(loads, table)]
        assert manifest["loads"]["rows_per_load"][table] == per_load, table
        # delivered = staged + superseded (no invalid rows); staged as the single file.
        assert counts["delivered"] == sum(per_load) == counts["staged"] + earlier, table
        assert counts["staged"] == single_tables[table]["staged"], table
    assert manifest["loads"]["superseded"]["tickets"] > 0
    assert manifest["loads"]["superseded"]["calls"] > 0


def test_same_arguments_give_identical_load_files(
    delivery: tuple[Path, Path], tmp_path: Path
) -> None:
    loads, _single = delivery
    generate(tmp_path / "again", loads=5, **ARGS)  # type: ignore[arg-type]
    files = sorted(p.relative_to(loads) for p in loads.rglob("*") if p.is_file())
    assert len(files) == 10 * 5 + 2
    for name in files:
        assert (tmp_path / "again" / name).read_bytes() == (loads / name).read_bytes(), name


def test_parquet_loads_hold_the_same_rows(delivery: tuple[Path, Path], tmp_path: Path) -> None:
    loads, _single = delivery
    generate(tmp_path / "pq", loads=5, fmt="parquet", **ARGS)  # type: ignore[arg-type]
    for table in TABLES:
        for name in NAMES:
            table_rows = pq.read_table(tmp_path / "pq" / table / f"{name}.parquet").to_pylist()
            as_text = [tuple("" if v is None else v for v in row.values()) for row in table_rows]
            assert as_text == _csv_rows(loads / table / f"{name}.csv", table), (table, name)


def test_loads_are_refused_with_invalid_rows_or_too_few(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="invalid_rate must be 0"):
        generate(tmp_path / "a", tickets=10, seed=1, invalid_rate=0.05, loads=3)
    with pytest.raises(ValueError, match="loads must be between 2 and the period's 31 days"):
        generate(tmp_path / "b", tickets=10, seed=1, months=1, loads=1)
    with pytest.raises(ValueError, match="loads must be between 2 and the period's 31 days"):
        generate(tmp_path / "c", tickets=10, seed=1, months=1, loads=32)
    for extra in (["--invalid-rate", "0.05"], ["--shape", "zendesk-fivetran"], []):
        loads = "1" if not extra else "3"
        result = subprocess.run(
            [
                str(CLI),
                "generate",
                str(tmp_path / "cli"),
                "--tickets",
                "10",
                "--loads",
                loads,
                *extra,
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 2, extra
        assert "--loads needs K >= 2 and writes valid rows only" in result.stderr
    assert not (tmp_path / "cli").exists()


def test_the_cli_writes_loads(tmp_path: Path) -> None:
    result = subprocess.run(
        [str(CLI), "generate", str(tmp_path / "raw"), "--tickets", "50", "--loads", "3"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "3 loads: 2025-12-29 (history) to 2025-12-31" in result.stdout
    assert sorted(p.name for p in (tmp_path / "raw" / "tickets").iterdir()) == [
        "2025-12-29.csv",
        "2025-12-30.csv",
        "2025-12-31.csv",
    ]
