"""Raw PII never reaches a mart: no email address or phone number in any
string column of any mart, and no customer or agent name outside dim_agents."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dbt_helpers import query

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
PHONE = re.compile(r"(?<![A-Za-z0-9])\+?[0-9][0-9 ().-]{7,}[0-9]")


def _string_columns(database: Path) -> list[tuple[str, str]]:
    return [
        (str(table), str(column))
        for table, column in query(
            database,
            "select table_name, column_name from information_schema.columns "
            "where table_schema = 'marts' and data_type = 'VARCHAR'",
        )
    ]


@pytest.mark.parametrize("warehouse", ["fixture_warehouse", "sample_warehouse"])
def test_no_email_or_phone_in_any_mart(request: pytest.FixtureRequest, warehouse: str) -> None:
    database: Path = request.getfixturevalue(warehouse)
    columns = _string_columns(database)
    assert columns, "no mart string columns found"
    found = []
    for table, column in columns:
        for (value,) in query(database, f'select distinct "{column}" from marts.{table}'):
            if value is not None and (EMAIL.search(str(value)) or PHONE.search(str(value))):
                found.append((table, column, value))
    assert found == []


def test_names_appear_only_in_dim_agents(sample_warehouse: Path) -> None:
    names = {
        str(name)
        for (name,) in query(
            sample_warehouse,
            "select full_name from staging.stg_support__customers where full_name is not null "
            "union select full_name from staging.stg_support__agents where full_name is not null",
        )
    }
    assert names
    found = []
    for table, column in _string_columns(sample_warehouse):
        if (table, column) == ("dim_agents", "agent_name"):
            continue
        for (value,) in query(sample_warehouse, f'select distinct "{column}" from marts.{table}'):
            if value in names:
                found.append((table, column, value))
    assert found == []
