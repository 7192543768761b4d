"""One build mixing sources (var raw_sources): conversations, customers,
agents and surveys from the Intercom adapter, calls from the Amazon Connect
adapter, orders and shifts from contract files; identities matched across
systems.

The landings are the Intercom and the Amazon Connect fixtures, with two
edits so that the systems share people, as they would in one company: the
Connect agent `mgarcia` logs in as GRACE@EXAMPLE.COM, the e-mail Intercom
knows for admin a1, and Intercom contact c1 gets the phone of the caller
+44 20 7183 8750 (written with spaces). So, by hand:
- mgarcia's calls (C1, T1, OB, MN) are agent a1's (matched by e-mail,
  whatever the case);
- C1, T1 and MA come from +442071838750: customer c1 (matched by phone
  digits); the other callers match no customer: unknown callers (null);
- Priya's calls (T2, RD) and Tom's (CB1, by Connect agent id) name agents
  Intercom does not have: quarantined as dangling references, never
  dropped.

Then the same data is delivered as one contract folder (the adapters'
outputs, identities replaced as above, computed here in Python, and the same
files), and every mart equals the mixed build's.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import duckdb
import pytest

from dbt_helpers import AS_OF, PROJECT_DIR, query, run_dbt

INTERCOM = PROJECT_DIR / "tests" / "fixtures" / "intercom_fivetran"
CONNECT = PROJECT_DIR / "tests" / "fixtures" / "amazon_connect"
ADMIN = "a1"
ADMIN_EMAIL = "grace@example.com"
CONTACT = "c1"
PHONE = "+44 20 7183 8750"
FROM_INTERCOM = [
    "customers",
    "agents",
    "tickets",
    "ticket_events",
    "ticket_messages",
    "survey_responses",
]
FILES = {
    "orders.csv": (
        "order_id,customer_id,ordered_at,amount,currency\n"
        f"O-1,{CONTACT},2025-03-05T12:00:00Z,120.00,EUR\n"
    ),
    "agent_shifts.csv": (
        f"shift_id,agent_id,shift_start,shift_end\nS-1,{ADMIN},2025-03-03T08:00:00Z,2025-03-03T16:00:00Z\n"
    ),
}


def _landings(work: Path) -> tuple[Path, Path, Path]:
    intercom = work / "intercom"
    shutil.copytree(INTERCOM, intercom)
    contacts = intercom / "contact_history.csv"
    with contacts.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert any(row["id"] == CONTACT for row in rows)
    for row in rows:
        row["phone"] = PHONE if row["id"] == CONTACT else ""
    with contacts.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    connect = work / "amazon_connect"
    connect.mkdir()
    for record_file in CONNECT.iterdir():
        text = record_file.read_text()
        (connect / record_file.name).write_text(
            text.replace('"Username":"mgarcia"', f'"Username":"{ADMIN_EMAIL.upper()}"')
        )
    files = work / "files"
    files.mkdir()
    for name, text in FILES.items():
        (files / name).write_text(text)
    return intercom, connect, files


@pytest.fixture(scope="module")
def mixed_builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The mixed build, and the build of the same data as one contract folder."""
    work = tmp_path_factory.mktemp("mixed")
    intercom, connect, files = _landings(work)
    mixed = work / "mixed" / "warehouse.duckdb"
    mixed.parent.mkdir()
    run_dbt(
        ["build"],
        mixed,
        {
            "raw_path": str(files),
            "raw_sources": {
                **{table: "intercom_fivetran" for table in FROM_INTERCOM},
                "calls": "amazon_connect",
            },
            "intercom_path": str(intercom),
            "amazon_connect_path": str(connect),
            "as_of_at": AS_OF,
        },
    )
    contract = work / "contract"
    shutil.copytree(files, contract)
    with duckdb.connect(str(mixed), read_only=True) as connection:
        for table in FROM_INTERCOM:
            connection.sql(f"select * from staging.base_intercom_fivetran__{table}").write_csv(
                str(contract / f"{table}.csv")
            )
        agents_by_email = dict(
            connection.sql(
                "select lower(email), agent_id from staging.base_intercom_fivetran__agents"
                " where email is not null"
            ).fetchall()
        )
        customers_by_phone = dict(
            connection.sql(
                "select regexp_replace(phone, '[^0-9]', '', 'g'), customer_id"
                " from staging.base_intercom_fivetran__customers where phone is not null"
            ).fetchall()
        )
        calls = connection.sql("select * from staging.base_amazon_connect__calls")
        columns = calls.columns
        call_rows = [dict(zip(columns, row, strict=True)) for row in calls.fetchall()]
    for row in call_rows:
        agent = row["agent_id"]
        row["agent_id"] = agents_by_email.get(agent.lower(), agent) if agent else None
        caller = row["customer_id"]
        row["customer_id"] = (
            customers_by_phone.get("".join(filter(str.isdigit, caller))) if caller else None
        )
    with (contract / "calls.csv").open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(call_rows)
    as_contract = work / "contract_build" / "warehouse.duckdb"
    as_contract.parent.mkdir()
    run_dbt(["build"], as_contract, {"raw_path": str(contract), "as_of_at": AS_OF})
    return mixed, as_contract


def test_identities_are_matched_across_systems(mixed_builds: tuple[Path, Path]) -> None:
    mixed, _ = mixed_builds
    assert query(
        mixed,
        "select left(call_id, 8), agent_id, customer_id from marts.fct_calls order by 1",
    ) == [
        ("a1f3c2d4", ADMIN, CONTACT),
        ("a7b9c1d3", ADMIN, None),
        ("b2e4d6f8", None, None),
        ("c3d5e7f9", ADMIN, CONTACT),
        ("c9d1e3f5", None, CONTACT),
        ("e1f3a5b7", ADMIN, None),
    ]
    assert query(
        mixed,
        "select left(call_id, 8), reason_code, reason_column"
        " from quarantine.quarantine_support__calls order by 1",
    ) == [
        ("b8c0d2e4", "dangling_reference", "agent_id"),
        ("d4e6f8a0", "dangling_reference", "agent_id"),
        ("f6a8b0c2", "dangling_reference", "agent_id"),
    ]


def test_the_summary_says_where_each_table_came_from(mixed_builds: tuple[Path, Path]) -> None:
    mixed, _ = mixed_builds
    sources = dict(
        query(mixed, "select table_name, raw_source from quarantine.quarantine_support__summary")
    )
    assert sources == {
        **{table: "intercom_fivetran" for table in FROM_INTERCOM},
        "calls": "amazon_connect",
        "orders": "files",
        "agent_shifts": "files",
        "agent_states": "files",
    }
    assert query(
        mixed,
        "select sum(count_delivered_rows) - sum(count_staged_rows + count_quarantined_rows"
        " + count_collapsed_rows) from quarantine.quarantine_support__summary",
    ) == [(0,)]


def test_every_mart_equals_the_same_data_as_one_contract_folder(
    mixed_builds: tuple[Path, Path],
) -> None:
    mixed, as_contract = mixed_builds
    marts = [
        row[0]
        for row in query(
            mixed,
            "select table_name from information_schema.tables"
            " where table_schema = 'marts' order by 1",
        )
    ]
    assert "fct_calls" in marts and "fct_tickets" in marts
    for mart in marts:
        sql = f"select * from marts.{mart} order by all"
        assert query(mixed, sql) == query(as_contract, sql), mart
    assert query(mixed, "select count(*) from marts.fct_tickets") != [(0,)]
