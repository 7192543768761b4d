"""Parquet deliveries: as text they give exactly the CSV outcome; native types are read too,
as are the float columns pandas writes (an integer column with a null becomes float64)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from conftest import FIXTURE_RAW
from contract_helpers import KEYS
from dbt_helpers import AS_OF, query, run_dbt

# Native Parquet types for the valid rows of two tables (booleans, integers,
# timestamps): a warehouse export rather than a text dump.
TYPED_TABLES = {
    "calls": """
        select
            call_id, customer_id, agent_id, ticket_id, queue, direction,
            cast(offered_at as timestamp) as offered_at,
            cast(answered_at as timestamp) as answered_at,
            cast(ended_at as timestamp) as ended_at,
            cast(talk_seconds as integer) as talk_seconds,
            cast(hold_seconds as integer) as hold_seconds,
            cast(after_call_work_seconds as integer) as after_call_work_seconds,
            cast(transferred as boolean) as transferred,
            cast(is_resolved as boolean) as is_resolved
        from read_csv('{path}', all_varchar = true)
        where expected_outcome = 'staged'
    """,
    "ticket_messages": """
        select
            message_id, ticket_id, author_type, author_id,
            cast(is_public as boolean) as is_public,
            cast(sent_at as timestamptz) as sent_at
        from read_csv('{path}', all_varchar = true)
        where expected_outcome = 'staged'
    """,
}


# Tables written by pandas, with their numeric columns as float64 (blank -> NaN),
# each with the rows kept (pandas cannot hold the text of the other rows).
# survey_responses keeps every row: its scores 5.0, 11.0 ... are exact
# integers, and 4.5 stays invalid_format, as in the CSV; NaN is null.
PANDAS_TABLES = {
    "survey_responses": (["score"], lambda frame: frame),
    "orders": (["amount"], lambda frame: frame[frame["expected_outcome"] == "staged"]),
}


def _write_with_pandas(table: str, path: Path) -> None:
    columns, rows = PANDAS_TABLES[table]
    frame = rows(pd.read_csv(FIXTURE_RAW / f"{table}.csv", dtype=str, keep_default_na=False))
    frame = frame.replace("", None)
    for column in columns:
        frame[column] = frame[column].astype("float64")
    frame.to_parquet(path, index=False)


@pytest.fixture(scope="module")
def parquet_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("parquet")
    raw = work / "raw"
    raw.mkdir()
    with duckdb.connect() as connection:
        connection.sql("set TimeZone = 'UTC'")
        for table in KEYS:
            source = FIXTURE_RAW / f"{table}.csv"
            if table in PANDAS_TABLES:
                _write_with_pandas(table, raw / f"{table}.parquet")
                continue
            if table in TYPED_TABLES:
                select = TYPED_TABLES[table].format(path=source)
            else:
                select = f"select * from read_csv('{source}', all_varchar = true)"
            connection.sql(f"copy ({select}) to '{raw / table}.parquet' (format parquet)")
    database = work / "warehouse.duckdb"
    run_dbt(["build"], database, {"raw_path": str(raw), "as_of_at": AS_OF})
    return database


@pytest.mark.parametrize("table", sorted(set(KEYS) - set(TYPED_TABLES) - {"orders"}))
def test_text_parquet_gives_the_csv_outcome(
    parquet_warehouse: Path, fixture_warehouse: Path, table: str
) -> None:
    staged = f"select * from staging.stg_support__{table}"
    assert Counter(query(parquet_warehouse, staged)) == Counter(query(fixture_warehouse, staged))
    # The quarantine names each row's load: the file it came from (D34).
    quarantined = f"select * exclude (load_id) from quarantine.quarantine_support__{table}"
    assert Counter(query(parquet_warehouse, quarantined)) == Counter(
        query(fixture_warehouse, quarantined)
    )
    loads = f"select distinct load_id from quarantine.quarantine_support__{table}"
    assert query(parquet_warehouse, loads) == [(f"{table}.parquet",)]
    assert query(fixture_warehouse, loads) == [(f"{table}.csv",)]


@pytest.mark.parametrize("table", [*sorted(TYPED_TABLES), "orders"])
def test_typed_parquet_stages_the_same_values(
    parquet_warehouse: Path, fixture_warehouse: Path, table: str
) -> None:
    sql = f"select * from staging.stg_support__{table} order by 1"
    assert query(parquet_warehouse, sql) == query(fixture_warehouse, sql)
    assert query(
        parquet_warehouse, f"select count(*) from quarantine.quarantine_support__{table}"
    ) == [(0,)]


def test_pandas_floats_are_read_as_exact_numbers(parquet_warehouse: Path) -> None:
    """5.0 stages as the integer 5, 11.0 is out of range as '11', 4.5 is not an integer."""
    assert query(
        parquet_warehouse,
        "select response_id, score from staging.stg_support__survey_responses"
        " where response_id in ('S1', 'S2') order by response_id",
    ) == [("S1", 5), ("S2", None)]
    assert query(
        parquet_warehouse,
        "select response_id, score, reason_code"
        " from quarantine.quarantine_support__survey_responses"
        " where response_id in ('S3', 'S12') order by response_id",
    ) == [("S12", "4.5", "invalid_format"), ("S3", "11", "out_of_range")]
