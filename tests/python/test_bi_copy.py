"""The BI copy: `support-kpis build` writes beside the published warehouse a
copy of bi.* and marts.* that DuckDB 1.x reads (BI tools embed 1.x; the main
file is in DuckDB 2.0's format), and bi.* as Parquet, both moved into place
atomically."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from support_kpis.bi_copy import (
    BiCopyError,
    bi_copy_paths,
    complete_bi_copy,
    install_bi_copy,
    start_bi_copy,
    write_bi_copy,
)
from support_kpis.publish import AGENT_SCORECARD_COLUMNS, KPI_MONTHLY_COLUMNS

from dbt_helpers import PROJECT_DIR, query, work_project

# The latest DuckDB 1.x on the registry (1.5.6, checked 2026-11-30): what BI tools
# embed today. A throwaway venv holds it, apart from the project's DuckDB 2.x.
DUCKDB1_VERSION = "1.5.6"
DUCKDB1_VENV = PROJECT_DIR / ".venv-duckdb1"

COUNT_SCRIPT = """
import json, sys
import duckdb
with duckdb.connect(sys.argv[1], read_only=True) as connection:
    relations = connection.execute(
        "select table_schema, table_name from information_schema.tables "
        "where table_catalog = current_database()"
    ).fetchall()
    counts = {
        f"{schema}.{name}": connection.execute(
            f'select count(*) from "{schema}"."{name}"'
        ).fetchone()[0]
        for schema, name in relations
    }
print(json.dumps({"version": duckdb.__version__, "counts": counts}))
"""


def _duckdb1_python() -> Path:
    """The python of a venv with DuckDB DUCKDB1_VERSION, created once and kept."""
    python = DUCKDB1_VENV / "bin" / "python"
    check = [str(python), "-c", "import duckdb; print(duckdb.__version__)"]
    if python.exists():
        found = subprocess.run(check, capture_output=True, text=True, check=False)
        if found.stdout.strip() == DUCKDB1_VERSION:
            return python
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(DUCKDB1_VENV)], check=True)
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", f"duckdb=={DUCKDB1_VERSION}"],
        check=True,
        timeout=600,
    )
    return python


def _counts_with_duckdb1(database: Path) -> dict[str, object]:
    result = subprocess.run(
        [str(_duckdb1_python()), "-c", COUNT_SCRIPT, str(database)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout)


def _bi_and_mart_counts(database: Path) -> dict[str, int]:
    relations = query(
        database,
        "select table_schema, table_name from information_schema.tables "
        "where table_schema in ('bi', 'marts')",
    )
    return {
        f"{schema}.{name}": int(query(database, f'select count(*) from {schema}."{name}"')[0][0])
        for schema, name in relations
    }


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def published(published_sample: Path) -> Path:
    """The bundled sample with its BI tables published and its BI copy written, as
    `support-kpis build` leaves it (the session's; the build itself, its work copy and
    swap: test_safe_publishing.py)."""
    return published_sample


def test_the_bi_copy_and_parquet_stand_beside_the_published_file(published: Path) -> None:
    database, parquet = bi_copy_paths(published)
    assert database == published.with_name("warehouse_bi.duckdb")
    assert database.is_file()
    assert not Path(f"{database}.wal").exists()
    assert parquet == published.with_name("warehouse_parquet")
    assert (parquet / "bi").is_dir()
    assert sorted(path.name for path in published.parent.iterdir()) == [
        "warehouse.duckdb",
        "warehouse_bi.duckdb",
        "warehouse_parquet",
    ]


def test_duckdb1_reads_every_bi_and_mart_row_of_the_bi_copy(published: Path) -> None:
    database, _ = bi_copy_paths(published)
    read = _counts_with_duckdb1(database)
    assert str(read["version"]) == DUCKDB1_VERSION
    expected = _bi_and_mart_counts(published)
    assert {"bi.kpi_monthly", "bi.agent_scorecard_monthly", "marts.fct_tickets"} <= set(expected)
    assert read["counts"] == expected
    assert all(count > 0 for name, count in expected.items() if name.startswith("bi."))


def test_the_bi_copy_holds_no_staging_quarantine_or_other_schema(published: Path) -> None:
    database, _ = bi_copy_paths(published)
    main_schemas = {
        row[0] for row in query(published, "select table_schema from information_schema.tables")
    }
    assert {"staging", "quarantine"} <= main_schemas  # ...which the main file keeps for stewards
    copy_schemas = {
        row[0] for row in query(database, "select table_schema from information_schema.tables")
    }
    assert copy_schemas == {"bi", "marts"}
    assert query(
        database, "select count(*) from information_schema.tables where table_type = 'VIEW'"
    ) == [(0,)]


def test_the_bi_copy_keeps_the_descriptions_of_the_columns(published: Path) -> None:
    database, _ = bi_copy_paths(published)
    sql = (
        "select table_name, column_name, comment from duckdb_columns() "
        "where schema_name in ('bi', 'marts') and comment is not null order by 1, 2"
    )
    described = query(published, sql)
    assert described, "the marts have no column descriptions to copy"
    assert query(database, sql) == described


def test_the_bi_tables_of_the_copy_describe_themselves(published: Path) -> None:
    """Labels, units and display strings beside the numbers, every column described."""
    database, _ = bi_copy_paths(published)
    for table, columns in (
        ("kpi_monthly", KPI_MONTHLY_COLUMNS),
        ("agent_scorecard_monthly", AGENT_SCORECARD_COLUMNS),
    ):
        described = query(
            database,
            "select column_name, data_type, comment from duckdb_columns() "
            f"where schema_name = 'bi' and table_name = '{table}' order by column_index",
        )
        assert described == [(name, kind.upper(), text) for name, kind, text in columns], table
        assert {"kpi_label", "kpi_unit", "kpi_value", "kpi_value_display"} <= {
            row[0] for row in described
        }
        (comment,) = query(
            database,
            "select comment from duckdb_tables() "
            f"where schema_name = 'bi' and table_name = '{table}'",
        )[0]
        assert comment, table
    kpi_columns = {name for name, _, _ in KPI_MONTHLY_COLUMNS}
    assert {"change_display", "target_value_display", "benchmark_value_display"} <= kpi_columns


def test_every_bi_table_has_a_parquet_file_with_its_rows(published: Path) -> None:
    _, parquet = bi_copy_paths(published)
    tables = sorted(
        str(row[0])
        for row in query(
            published, "select table_name from information_schema.tables where table_schema = 'bi'"
        )
    )
    assert sorted(path.stem for path in (parquet / "bi").glob("*.parquet")) == tables
    assert sorted(path.name for path in parquet.iterdir()) == ["bi"]
    for table in tables:
        file = str(parquet / "bi" / f"{table}.parquet").replace("'", "''")
        table_rows, file_rows, different = query(
            published,
            f"""
            select
                (select count(*) from bi.{table}),
                (select count(*) from read_parquet('{file}')),
                (select count(*) from (
                    (select * from bi.{table} except all select * from read_parquet('{file}'))
                    union all
                    (select * from read_parquet('{file}') except all select * from bi.{table})
                ))
            """,
        )[0]
        assert table_rows == file_rows
        assert different == 0, table


def test_a_reader_of_the_old_bi_copy_keeps_reading_after_a_new_one_replaced_it(
    published: Path, tmp_path: Path
) -> None:
    target = tmp_path / "warehouse.duckdb"
    first = write_bi_copy(published, target)
    inode = first.database.stat().st_ino
    with duckdb.connect(str(first.database), read_only=True) as reader:
        before = reader.sql("select count(*) from marts.fct_tickets").fetchall()
        second = write_bi_copy(published, target)
        assert second.database.stat().st_ino != inode  # replaced, not rewritten in place
        assert reader.sql("select count(*) from marts.fct_tickets").fetchall() == before
    assert query(second.database, "select count(*) from marts.fct_tickets") == before
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        "warehouse_bi.duckdb",
        "warehouse_parquet",
    ]
    assert sorted(path.name for path in (second.parquet / "bi").iterdir()) == [
        "agent_scorecard_monthly.parquet",
        "kpi_monthly.parquet",
    ]


def test_a_copy_staged_marts_first_then_bi_is_whole_and_duckdb1_reads_it(
    published: Path, tmp_path: Path
) -> None:
    """A publication copies the marts while MetricFlow answers, and bi.* once written."""
    target = tmp_path / "warehouse.duckdb"
    marts = start_bi_copy(published, target, tmp_path, ["marts"])
    expected = _bi_and_mart_counts(published)
    assert sorted(marts.staged.relations) == sorted(
        name for name in expected if name.startswith("marts.")
    )
    assert not marts.staged.parquet.exists()
    copy = install_bi_copy(complete_bi_copy(marts, published))
    assert sorted(copy.relations) == sorted(expected)
    assert _counts_with_duckdb1(copy.database)["counts"] == expected
    sql = (
        "select table_name, column_name, comment from duckdb_columns() "
        "where schema_name in ('bi', 'marts') and comment is not null order by 1, 2"
    )
    assert query(copy.database, sql) == query(published, sql)
    assert sorted(path.name for path in (copy.parquet / "bi").iterdir()) == [
        "agent_scorecard_monthly.parquet",
        "kpi_monthly.parquet",
    ]
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        "warehouse_bi.duckdb",
        "warehouse_parquet",
    ]


def test_a_failed_bi_copy_replaces_nothing(published: Path, tmp_path: Path) -> None:
    target = tmp_path / "warehouse.duckdb"
    copy = write_bi_copy(published, target)
    before = _digest(copy.database)
    with pytest.raises(BiCopyError, match="writing the BI copy"):
        write_bi_copy(tmp_path / "missing" / "warehouse.duckdb", target)
    assert _digest(copy.database) == before
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        "warehouse_bi.duckdb",
        "warehouse_parquet",
    ]


def test_publish_alone_refreshes_the_bi_copy(published: Path, tmp_path: Path) -> None:
    """`support-kpis publish` on a built warehouse without a BI copy writes one whose
    bi.* rows are the main file's."""
    database = tmp_path / "warehouse.duckdb"
    shutil.copy(published, database)
    with duckdb.connect(str(database)) as connection:
        connection.execute("drop table bi.agent_scorecard_monthly")
    published_run = subprocess.run(
        [
            str(Path(sys.executable).with_name("support-kpis")),
            "publish",
            "--project-dir",
            str(work_project()),
            "--database",
            str(database),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert published_run.returncode == 0, published_run.stdout + published_run.stderr
    copy, parquet = bi_copy_paths(database)
    assert f"BI copy: {copy}" in published_run.stdout
    for table in ("kpi_monthly", "agent_scorecard_monthly"):
        expected = query(published, f"select count(*) from bi.{table}")
        assert expected[0][0] > 0
        assert query(copy, f"select count(*) from bi.{table}") == expected
        assert query(database, f"select count(*) from '{parquet}/bi/{table}.parquet'") == expected
