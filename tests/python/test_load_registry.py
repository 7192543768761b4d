"""The record of processed loads (D35): a load that changed or disappeared after a build
processed it stops the next build with what to do; --full-refresh starts a new record."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest

from support_kpis.load_registry import LoadRegistryError, check, read_recorded, record
from support_kpis.safe_build import work_folder

from dbt_helpers import AS_OF, PROJECT_DIR, query, run_dbt

LOADS = PROJECT_DIR / "tests" / "fixtures" / "loads_basic"


def _delivery(tmp_path: Path) -> Path:
    folder = tmp_path / "delivery"
    shutil.copytree(LOADS, folder)
    return folder


def test_a_recorded_folder_checks_and_a_new_load_is_added(tmp_path: Path) -> None:
    delivery = _delivery(tmp_path)
    database = tmp_path / "w.duckdb"
    first = check(delivery, [])
    # In the contract's table order, each table's loads in name order.
    assert [(load.table_name, load.load_id) for load in first] == [
        ("tickets", "2025-03-03.csv"),
        ("tickets", "2025-03-04.csv"),
        ("tickets", "2025-03-05.csv"),
        ("ticket_messages", "2025-03-03.csv"),
        ("ticket_messages", "2025-03-04.csv"),
        ("ticket_messages", "2025-03-05.csv"),
        ("calls", "2025-03-03.csv"),
        ("calls", "2025-03-04.csv"),
    ]
    content = (delivery / "tickets" / "2025-03-04.csv").read_bytes()
    assert first[1].sha256 == hashlib.sha256(content).hexdigest()
    assert record(database, first) == 8
    recorded = read_recorded(database)
    assert sorted(load.sha256 for load in recorded) == sorted(load.sha256 for load in first)
    # A new load is no problem: it is processed and recorded with the others.
    shutil.copy(delivery / "tickets" / "2025-03-05.csv", delivery / "tickets" / "2025-03-06.csv")
    assert len(check(delivery, recorded)) == 9


def test_a_changed_or_missing_load_is_refused_with_what_to_do(tmp_path: Path) -> None:
    delivery = _delivery(tmp_path)
    database = tmp_path / "w.duckdb"
    record(database, check(delivery, []))
    recorded = read_recorded(database)
    changed = delivery / "tickets" / "2025-03-04.csv"
    changed.write_text(changed.read_text() + "\n", encoding="utf-8")
    (delivery / "calls" / "2025-03-03.csv").unlink()
    with pytest.raises(LoadRegistryError) as raised:
        check(delivery, recorded)
    message = str(raised.value)
    assert f"load {changed} (processed " in message and "has changed since (sha256" in message
    assert f"load {delivery / 'calls' / '2025-03-03.csv'} (processed " in message
    assert "is gone" in message
    assert "--full-refresh" in message and "new load" in message


def test_an_unchanged_file_is_not_read_again(tmp_path: Path) -> None:
    """Same size and modification time: the recorded checksum is kept (a build does not
    read the whole history to hash it); a touched file is hashed again."""
    delivery = _delivery(tmp_path)
    database = tmp_path / "w.duckdb"
    record(database, check(delivery, []))
    recorded = [
        load if load.load_id != "2025-03-03.csv" or load.table_name != "tickets"
        else type(load)(**{**load.__dict__, "sha256": "recorded"})
        for load in read_recorded(database)
    ]  # fmt: skip
    current = {(load.table_name, load.load_id): load for load in check(delivery, recorded)}
    assert current[("tickets", "2025-03-03.csv")].sha256 == "recorded"
    touched = delivery / "tickets" / "2025-03-03.csv"
    os.utime(touched, ns=(touched.stat().st_atime_ns, touched.stat().st_mtime_ns + 10**9))
    with pytest.raises(LoadRegistryError, match="has changed since"):
        check(delivery, recorded)


def test_a_build_records_its_loads_and_refuses_a_changed_one(tmp_path: Path) -> None:
    delivery = _delivery(tmp_path)
    database = tmp_path / "warehouse.duckdb"
    variables = {"raw_path": str(delivery), "as_of_at": AS_OF, "publish_anyway": True}
    built = run_dbt(["build"], database, variables, check=False, safe=True)
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    assert "meta.processed_loads" in built.stdout
    assert query(database, "select count(*) from meta.processed_loads") == [(8,)]
    before = database.read_bytes()

    changed = delivery / "ticket_messages" / "2025-03-03.csv"
    changed.write_text(changed.read_text() + "\n", encoding="utf-8")
    refused = run_dbt(["build"], database, variables, check=False, safe=True)
    output = refused.stdout + refused.stderr
    assert refused.returncode != 0
    assert f"load {changed} (processed " in output and "has changed since" in output
    assert database.read_bytes() == before
    assert not work_folder(database).exists()

    rebuilt = run_dbt(["build", "--full-refresh"], database, variables, check=False, safe=True)
    assert rebuilt.returncode == 0, rebuilt.stdout[-3000:] + rebuilt.stderr[-3000:]
    digest = hashlib.sha256(changed.read_bytes()).hexdigest()
    assert query(
        database,
        "select sha256 from meta.processed_loads "
        "where table_name = 'ticket_messages' and load_id = '2025-03-03.csv'",
    ) == [(digest,)]
