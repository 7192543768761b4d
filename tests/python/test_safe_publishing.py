"""Safe publishing (D33): plain `dbt build` and `support-kpis build` build a work copy,
publish marts, bi.* and the BI copy together only when everything passed and the
delivery passed the gate, are not blocked by read-only readers, refuse a second build
of the same file at once, and leave no process or work copy behind when killed."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import duckdb
import pytest

from support_kpis.safe_build import lock_path, work_folder

from conftest import SAMPLE_RAW
from dbt_helpers import (
    AS_OF,
    CLI,
    DBT,
    PROJECT_DIR,
    cli_build_command,
    run_dbt,
    run_mf,
    work_project,
)

SMALL = PROJECT_DIR / "tests" / "fixtures" / "report_small"  # 10 valid tickets
TINY = PROJECT_DIR / "tests" / "fixtures" / "plausible_base"  # 2 valid tickets


def _variables(raw: Path) -> dict[str, object]:
    return {"raw_path": str(raw), "as_of_at": AS_OF}


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _count(database: Path, sql: str) -> object:
    with duckdb.connect(str(database), read_only=True) as connection:
        return connection.sql(sql).fetchall()[0][0]


@pytest.fixture(scope="module")
def first_publication(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with a warehouse published by plain `dbt build` of the small delivery."""
    folder = tmp_path_factory.mktemp("plain_first")
    database = folder / "warehouse.duckdb"
    built = run_dbt(["build"], database, _variables(SMALL), check=False, safe=True)
    assert built.returncode == 0, built.stdout[-4000:] + built.stderr[-4000:]
    return folder


def _cli_build(
    published: Path, raw: Path, publish_anyway: bool = False
) -> subprocess.CompletedProcess[str]:
    variables = {**_variables(raw), "publish_anyway": publish_anyway}
    command = cli_build_command(published, variables)
    return subprocess.run(command, capture_output=True, text=True, check=False)


def _published(first_publication: Path, folder: Path) -> Path:
    shutil.copytree(first_publication, folder, ignore=shutil.ignore_patterns("target", "logs"))
    return folder / "warehouse.duckdb"


def test_plain_dbt_build_publishes_marts_bi_and_the_bi_copy(first_publication: Path) -> None:
    database = first_publication / "warehouse.duckdb"
    assert _count(database, "select count(*) from marts.fct_tickets") == 10
    assert _count(database, "select count(*) from bi.kpi_monthly") > 0
    assert (first_publication / "warehouse_bi.duckdb").is_file()
    parquet = first_publication / "warehouse_parquet" / "bi"
    assert sorted(path.name for path in parquet.iterdir()) == [
        "agent_scorecard_monthly.parquet",
        "kpi_monthly.parquet",
    ]
    assert not work_folder(database).exists()
    assert lock_path(database).read_text(encoding="utf-8") == ""  # released


def test_a_missing_raw_file_names_it_and_leaves_the_warehouse(
    first_publication: Path, tmp_path: Path
) -> None:
    published = _published(first_publication, tmp_path / "published")
    before = _digest(published)
    delivery = tmp_path / "delivery"
    shutil.copytree(SMALL, delivery)
    (delivery / "orders.csv").unlink()
    failed = run_dbt(["build"], published, _variables(delivery), check=False, safe=True)
    output = failed.stdout + failed.stderr
    assert failed.returncode != 0
    assert "orders" in output and str(delivery) in output
    assert f"{published} is unchanged" in output
    assert _digest(published) == before
    assert not work_folder(published).exists()


def _bi_overall(database: Path) -> dict[tuple[str, str], float | None]:
    with duckdb.connect(str(database), read_only=True) as connection:
        rows = connection.sql(
            "select strftime(month_start_date, '%Y-%m'), kpi_name, kpi_value "
            "from bi.kpi_monthly where team = 'all teams'"
        ).fetchall()
    return {(month, kpi): value for month, kpi, value in rows}


def test_a_reader_stays_connected_and_bi_follows_the_new_delivery(
    first_publication: Path, tmp_path: Path
) -> None:
    published = _published(first_publication, tmp_path / "published")
    with duckdb.connect(str(published), read_only=True) as reader:
        assert reader.sql("select count(*) from marts.fct_tickets").fetchall()[0][0] == 10
        built = run_dbt(["build"], published, _variables(TINY), check=False, safe=True)
        assert built.returncode == 0, built.stdout[-4000:] + built.stderr[-4000:]
        # The reader keeps the file it opened.
        assert reader.sql("select count(*) from marts.fct_tickets").fetchall()[0][0] == 10
    assert _count(published, "select count(*) from marts.fct_tickets") == 2
    # bi.* is the semantic layer on the new marts, value for value.
    out = tmp_path / "overall.csv"
    queried = run_mf(
        ["query", "--saved-query", "kpi_monthly_overall", "--csv", str(out)], published
    )
    assert queried.returncode == 0, queried.stdout + queried.stderr
    expected: dict[tuple[str, str], float | None] = {}
    with out.open(newline="") as handle:
        for row in csv.DictReader(handle):
            month = row.pop("metric_time__month")[:7]
            for kpi, text in row.items():
                expected[(month, kpi)] = float(text) if text else None
    published_values = _bi_overall(published)
    assert published_values
    for key, value in published_values.items():
        assert value == pytest.approx(expected[key]), key


def _wait_for_lock(published: Path, timeout: float = 120.0) -> str:
    """The lock file's text once a build holds it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        path = lock_path(published)
        if path.is_file() and path.read_text(encoding="utf-8").startswith("pid "):
            return path.read_text(encoding="utf-8")
        time.sleep(0.2)
    raise AssertionError("no build took the lock")


def _dbt_build_process(published: Path, raw: Path, log_dir: Path) -> subprocess.Popen[str]:
    env = dict(os.environ, DBT_DUCKDB_PATH=str(published), DBT_SEND_ANONYMOUS_USAGE_STATS="False")
    env.pop("SUPPORT_KPIS_SAFE_BUILD", None)
    return subprocess.Popen(
        [
            str(DBT),
            "build",
            "--project-dir",
            str(work_project()),
            "--target-path",
            str(log_dir / "target"),
            "--log-path",
            str(log_dir / "logs"),
            "--vars",
            json.dumps(_variables(raw)),
        ],
        cwd=work_project(),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def test_a_second_build_at_the_same_time_is_refused_at_once(
    first_publication: Path, tmp_path: Path
) -> None:
    published = _published(first_publication, tmp_path / "published")
    first = _dbt_build_process(published, TINY, tmp_path / "first")
    holder = _wait_for_lock(published)
    second = run_dbt(["build"], published, _variables(SMALL), check=False, safe=True)
    first_output, _ = first.communicate(timeout=600)
    assert first.returncode == 0, first_output[-4000:]
    assert second.returncode != 0
    assert f"another build of {published} is running ({holder})" in second.stdout + second.stderr
    assert _count(published, "select count(*) from marts.fct_tickets") == 2  # the first's
    assert sorted(
        path.name for path in published.parent.iterdir() if path.name not in ("target", "logs")
    ) == [
        ".warehouse.duckdb.lock",
        "warehouse.duckdb",
        "warehouse_bi.duckdb",
        "warehouse_parquet",
    ]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/status")
    return not (status.is_file() and "State:\tZ" in status.read_text())


def test_killing_the_parent_stops_dbt_and_leaves_the_warehouse(
    first_publication: Path, tmp_path: Path
) -> None:
    published = _published(first_publication, tmp_path / "published")
    before = _digest(published)
    parent = subprocess.Popen(
        cli_build_command(published, _variables(SAMPLE_RAW)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    holder = _wait_for_lock(published)
    dbt_pid = int(holder.split(",")[0].removeprefix("pid "))
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 60
    while _alive(dbt_pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _alive(dbt_pid), "dbt kept running after its parent was killed"
    assert _digest(published) == before
    assert not work_folder(published).exists()
    assert lock_path(published).read_text(encoding="utf-8") == ""


def test_publish_and_report_work_while_a_reader_is_connected(
    first_publication: Path, tmp_path: Path
) -> None:
    published = _published(first_publication, tmp_path / "published")
    with duckdb.connect(str(published), read_only=True) as reader:
        before = reader.sql("select count(*) from bi.kpi_monthly").fetchall()[0][0]
        project = ("--project-dir", str(work_project()), "--database", str(published))
        published_run = subprocess.run(
            [str(CLI), "publish", *project], capture_output=True, text=True, check=False
        )
        assert published_run.returncode == 0, published_run.stdout + published_run.stderr
        assert f"published {published}" in published_run.stdout
        reported = subprocess.run(
            [str(CLI), "report", "--month", "2025-10", str(tmp_path / "reports"), *project],
            capture_output=True,
            text=True,
            check=False,
        )
        assert reported.returncode == 0, reported.stdout + reported.stderr
        assert (tmp_path / "reports" / "management.html").is_file()
        assert reader.sql("select count(*) from bi.kpi_monthly").fetchall()[0][0] == before
    assert _count(published, "select count(*) from bi.kpi_monthly") == before
    assert not work_folder(published).exists()


def _tickets_with_offsets(folder: Path) -> None:
    """Every ticket timestamp written with a +02:00 offset (the contract wants UTC, Z)."""
    tickets = folder / "tickets.csv"
    tickets.write_text(tickets.read_text(encoding="utf-8").replace(":00Z", ":00+02:00"))


def test_the_gate_refuses_a_delivery_whose_tickets_are_all_invalid(
    first_publication: Path, tmp_path: Path
) -> None:
    published = _published(first_publication, tmp_path / "published")
    before = _digest(published)
    broken = tmp_path / "broken"
    shutil.copytree(SMALL, broken)
    _tickets_with_offsets(broken)
    refused = _cli_build(published, broken)
    assert refused.returncode == 1
    assert "the publication gate is closed" in refused.stderr
    assert (
        "tickets: 10 of 10 delivered rows quarantined (100%), more than the 10% allowed"
        in refused.stderr
    )
    assert f"{published} is unchanged" in refused.stderr
    assert _digest(published) == before
    assert not work_folder(published).exists()


def test_publish_anyway_overrides_the_gate_and_the_summary_is_printed(
    first_publication: Path, tmp_path: Path
) -> None:
    published = _published(first_publication, tmp_path / "published")
    broken = tmp_path / "broken"
    shutil.copytree(SMALL, broken)
    _tickets_with_offsets(broken)
    forced = _cli_build(published, broken, publish_anyway=True)
    assert forced.returncode == 0, forced.stdout[-3000:] + forced.stderr[-3000:]
    lines = forced.stdout.splitlines()
    tickets = next(line for line in lines if line.startswith("tickets "))
    # delivered, staged, superseded, collapsed, quarantined, reasons
    assert tickets.split()[1:7] == ["10", "0", "0", "0", "10", "invalid_format"]
    assert any(line.startswith("published despite the gate: tickets: 10 of 10") for line in lines)
    with duckdb.connect(str(published), read_only=True) as reader:
        assert reader.sql("select count(*) from marts.fct_tickets").fetchall()[0][0] == 0


def test_a_partial_first_build_publishes_without_bi(tmp_path: Path) -> None:
    """`--select` on a fresh warehouse builds only part of the marts: the build is
    published, bi.* and the BI copy are left out and the output says why."""
    database = tmp_path / "warehouse.duckdb"
    built = run_dbt(
        ["run", "--select", "+stg_support__tickets"], database, _variables(TINY), safe=True
    )
    assert (
        "bi.* and the BI copy not refreshed: the semantic layer reads marts.dim_agents, "
        "marts.dim_channels, marts.dim_customers and " in built.stdout + built.stderr
    )
    assert "which this warehouse does not have yet (a build without --select creates them)" in (
        built.stdout + built.stderr
    )
    assert _count(database, "select count(*) from staging.stg_support__tickets") == 2
    assert (
        _count(
            database,
            "select count(*) from information_schema.tables where table_schema in ('bi', 'marts')",
        )
        == 0
    )
    assert not work_folder(database).exists()
