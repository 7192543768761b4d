"""The same project on Apache Spark (dbt-spark, `session` method, local
pyspark): `dbt build` of the bundled sample passes on Spark, every mart and
quarantine table equals the DuckDB build's row for row, and every KPI of the
semantic layer by month, computed over the Spark-built marts, equals the
DuckDB build's.

Own marker (`spark`): `make test-spark` runs it; CI runs it after `make test`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path

import duckdb
import pytest

from comparison import same_value
from conftest import SAMPLE_RAW
from dbt_helpers import AS_OF, run_dbt
from semantic_helpers import by_month, differences, mf_csv, spec_kpi_names

pytestmark = pytest.mark.spark

VARIABLES = {"raw_path": str(SAMPLE_RAW.resolve()), "as_of_at": AS_OF}


@pytest.fixture(scope="module")
def spark_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample built with `dbt build --target spark` (tests included)."""
    return spark_build(tmp_path_factory.mktemp("spark"), VARIABLES)


def spark_build(home: Path, variables: Mapping[str, object]) -> Path:
    """`dbt build --target spark` (tests included) with its warehouse under `home`."""
    result = run_dbt(
        ["build"],
        home / "unused.duckdb",
        variables,
        target="spark",
        extra_env={"DBT_SPARK_HOME": str(home), "SPARK_LOCAL_IP": "127.0.0.1"},
    )
    assert "ERROR=0" in result.stdout and "WARN=0" in result.stdout, result.stdout[-3000:]
    return home


@pytest.fixture(scope="module")
def duckdb_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same sample and delivery time built on DuckDB."""
    database = tmp_path_factory.mktemp("duckdb") / "warehouse.duckdb"
    run_dbt(["build"], database, VARIABLES)
    return database


@pytest.fixture(scope="module")
def spark_marts(spark_home: Path, duckdb_warehouse: Path) -> Path:
    return copy_spark_marts(spark_home, duckdb_warehouse)


# The schemas compared: the marts, and the quarantine (same rows set aside,
# with the same reasons, on both engines).
COMPARED_SCHEMAS = ("marts", "quarantine")


def _tables(database: Path) -> list[tuple[str, str]]:
    with duckdb.connect(str(database), read_only=True) as connection:
        rows = connection.sql(
            "select table_schema, table_name from information_schema.tables "
            f"where table_schema in {COMPARED_SCHEMAS} and table_type = 'BASE TABLE' "
            "order by 1, 2"
        ).fetchall()
    return [(str(schema), str(table)) for schema, table in rows]


def copy_spark_marts(spark_home: Path, duckdb_warehouse: Path) -> Path:
    """The Spark-built marts and quarantine (parquet) copied into a DuckDB
    file, so that the one semantic layer can be queried over them. Spark's
    parquet marks its timestamps as UTC instants, which DuckDB reads as
    `timestamptz`: each column is cast to the type of the DuckDB build's
    column (both builds enforce the same contract types)."""
    with duckdb.connect(str(duckdb_warehouse), read_only=True) as connection:
        columns = connection.sql(
            "select table_schema, table_name, column_name, data_type "
            "from information_schema.columns "
            f"where table_schema in {COMPARED_SCHEMAS} "
            "order by table_schema, table_name, ordinal_position"
        ).fetchall()
    select_lists: dict[tuple[str, str], list[str]] = {}
    for schema, table, column, data_type in columns:
        select_lists.setdefault((str(schema), str(table)), []).append(
            f'cast("{column}" as {data_type}) as "{column}"'
        )
    database = spark_home / "copy" / "warehouse.duckdb"
    database.parent.mkdir()
    with duckdb.connect(str(database)) as connection:
        connection.execute("set TimeZone = 'UTC'")
        for schema in COMPARED_SCHEMAS:
            connection.execute(f"create schema {schema}")
        for schema, table in _tables(duckdb_warehouse):
            folder = spark_home / "tables" / f"{schema}.db" / table
            assert folder.is_dir(), f"Spark did not build {schema}.{table}"
            connection.execute(
                f"create table {schema}.{table} as select "
                f"{', '.join(select_lists[(schema, table)])} from read_parquet(?)",
                [str(folder / "*.parquet")],
            )
    return database


# A technical column of the incremental facts (D15): a sum of row hashes, and
# each engine has its own 64-bit hash. Both builds must have it; its values differ.
ENGINE_SPECIFIC = "partition_fingerprint"


def _rows(database: Path, table: str) -> tuple[list[str], list[tuple[object, ...]]]:
    with duckdb.connect(str(database), read_only=True) as connection:
        relation = connection.sql(f"select * from {table}")
        columns = list(relation.columns)
        if ENGINE_SPECIFIC in columns:
            relation = connection.sql(f"select * exclude ({ENGINE_SPECIFIC}) from {table}")
        return columns, sorted(relation.fetchall(), key=repr)


# Relations that a delivery of one load per table (the sample) leaves empty (D34).
EMPTY_ON_ONE_LOAD = {"quarantine.quarantine_support__superseded_versions"}


def test_every_mart_and_quarantine_table_equals_the_duckdb_build(
    duckdb_warehouse: Path, spark_marts: Path
) -> None:
    tables = [f"{schema}.{table}" for schema, table in _tables(duckdb_warehouse)]
    assert {
        "marts.fct_tickets",
        "marts.fct_calls",
        "quarantine.quarantine_support__reasons",
    } <= set(tables)
    for table in tables:
        if table in EMPTY_ON_ONE_LOAD:
            # The sample is one load per table: nothing is superseded, on either engine.
            assert _rows(spark_marts, table) == _rows(duckdb_warehouse, table), table
            assert _rows(duckdb_warehouse, table)[1] == [], table
            continue
        assert_same_rows(table, duckdb_warehouse, spark_marts)


def assert_same_rows(table: str, expected_database: Path, actual_database: Path) -> None:
    """The table has rows, and the same ones (floats to 1e-12) in both files."""
    expected_columns, expected = _rows(expected_database, table)
    actual_columns, actual = _rows(actual_database, table)
    assert actual_columns == expected_columns, table
    assert len(actual) == len(expected), table
    assert expected, table
    mismatches = [
        (want, got)
        for want, got in zip(expected, actual, strict=True)
        if not all(
            same_value(a, b, rel_tol=1e-12, abs_tol=1e-9) for a, b in zip(want, got, strict=True)
        )
    ]
    assert mismatches[:3] == [], table


def test_every_kpi_by_month_equals_the_duckdb_build(
    duckdb_warehouse: Path, spark_marts: Path, tmp_path: Path
) -> None:
    arguments = ("--metrics", ",".join(spec_kpi_names()), "--group-by", "metric_time__month")
    expected = by_month(mf_csv(duckdb_warehouse, tmp_path, *arguments))
    actual = by_month(mf_csv(spark_marts, tmp_path, *arguments))
    assert set(expected) == set(spec_kpi_names())
    months_with_values = {month for values in expected.values() for month in values}
    assert len(months_with_values) >= 12 and date(2025, 11, 1) in months_with_values
    assert differences(expected, actual)[:20] == []


ZENDESK_FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "zendesk_fivetran"
ZENDESK_VARIABLES = {
    "raw_source": "zendesk_fivetran",
    "zendesk_path": str(ZENDESK_FIXTURE),
    "as_of_at": AS_OF,
}
ZENDESK_TABLES = (
    "marts.fct_tickets",
    "marts.fct_ticket_messages",
    "marts.dim_agents",
    "quarantine.quarantine_support__reasons",
    "quarantine.quarantine_zendesk_fivetran__landed_summary",
)


def test_the_zendesk_adapter_builds_on_spark_as_on_duckdb(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """The hand-made Zendesk landing (tests/fixtures/zendesk_fivetran) through
    the adapter on Spark: its ticket facts, messages, agents and accounting
    equal the DuckDB build's, business minutes across a DST switch included."""
    home = spark_build(tmp_path_factory.mktemp("spark_zendesk"), ZENDESK_VARIABLES)
    duckdb_build = tmp_path_factory.mktemp("duckdb_zendesk") / "warehouse.duckdb"
    run_dbt(["build"], duckdb_build, ZENDESK_VARIABLES)
    spark_copy = copy_spark_marts(home, duckdb_build)
    for table in ZENDESK_TABLES:
        assert_same_rows(table, duckdb_build, spark_copy)
