"""No contact detail where BI tools look (docs/decisions.md, D31).

A hostile delivery (tests/fixtures/pii_hostile: international e-mail
addresses, phone numbers with no-break, narrow and zero-width spaces,
slashes and full-width digits, identifiers that are e-mail addresses or
phone numbers) is built once; its marts show [email], [phone] and stable
pseudonyms, keep order references, amounts, dates and times, and still
join. Every string column of the BI copy is scanned with a detector written
here in Python, independently of the SQL patterns, for the hostile build and
the published sample. Quarantine keeps the delivered values for stewards.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from support_kpis.bi_copy import bi_copy_paths, write_bi_copy

from dbt_helpers import AS_OF, PROJECT_DIR, query, run_dbt

HOSTILE_RAW = PROJECT_DIR / "tests" / "fixtures" / "pii_hostile"

# --- The independent detector -------------------------------------------
# Separators a phone number may show between digits: any white space (no-break,
# thin, narrow and ideographic spaces too), zero-width characters, dashes and
# minus signs, . / ( ) and their full-width forms. \d is any decimal digit.
_SEPARATOR = (
    r"[\s\u200b\u200c\u200d\u2060\ufeff\-\u2010-\u2015\u2212\uff0d./()\uff0e\uff0f\uff08\uff09]"
)
EMAIL = re.compile(r"[\w.%+-]+[@\uff20][\w-]+(?:[.\uff0e\u3002\uff61][\w-]+)+")
PHONE = re.compile(rf"\d(?:{_SEPARATOR}{{0,3}}\d){{6,}}")
# What may look like a phone number but is kept (D31), removed before PHONE
# is searched: numbers glued to a prefix (#1234567, ORD-1234567, ORD/1234567,
# €1234567, cust_<hex>), dates, and amounts with a decimal comma.
KEPT = re.compile(
    r"(?:#|[^\W\d]+[-/]?|[$€£¥])\d+"
    r"|(?<!\d)(?:19|20)\d\d[-./]\d{1,2}[-./]\d{1,2}(?!\d)"
    r"|(?<!\d)\d{1,2}[-./]\d{1,2}[-./](?:\d{4}|\d{2})(?!\d)"
    r"|(?<![\d.])(?:\d{1,3}(?:[.\s]\d{3})+|\d+),\d{1,2}(?!\d)"
)
# An identifier column may hold a system's plain number (no leading 0).
SYSTEM_NUMBER = re.compile(r"[1-9][0-9]*")


def contact_details(value: str, column: str = "") -> list[str]:
    """The e-mail addresses and phone numbers the detector finds in `value`."""
    if column.endswith("_id") and SYSTEM_NUMBER.fullmatch(value):
        return []
    found = EMAIL.findall(value)
    found += PHONE.findall(KEPT.sub(" ", EMAIL.sub(" ", value)))
    return found


def _leaks(database: Path, schemas: tuple[str, ...]) -> tuple[int, list[tuple[str, str, str]]]:
    """(string columns scanned, (relation, column, value) of every finding)."""
    in_schemas = ", ".join(f"'{schema}'" for schema in schemas)
    columns = query(
        database,
        "select table_schema, table_name, column_name from information_schema.columns "
        f"where table_schema in ({in_schemas}) and data_type = 'VARCHAR' order by all",
    )
    found = []
    for schema, table, column in columns:
        for (value,) in query(
            database,
            f'select distinct "{column}" from {schema}."{table}" where "{column}" is not null',
        ):
            if contact_details(str(value), str(column)):
                found.append((f"{schema}.{table}", str(column), str(value)))
    return len(columns), found


def pseudonym(prefix: str, identifier: str) -> str:
    return prefix + hashlib.sha256(identifier.encode()).hexdigest()[:16]


JUERGEN = pseudonym("cust_", "jürgen.müller@beispiel.de")
LEA = pseudonym("cust_", "+49 151 23456789")
BEN = pseudonym("agent_", "ben.müller@support.example")
CARLA = pseudonym("agent_", "0151/7654321")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hostile delivery built (seeds and models) with its BI copy beside it."""
    database = tmp_path_factory.mktemp("pii_hostile") / "warehouse.duckdb"
    run_dbt(
        ["build", "--resource-type", "seed", "--resource-type", "model"],
        database,
        {"raw_path": str(HOSTILE_RAW), "as_of_at": AS_OF},
    )
    write_bi_copy(database, database)
    return database


# --- The detector itself -----------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "anna@münchen.de",
        "jürgen.müller@beispiel.de",
        "张伟@例子.中国",
        "anna\uff20example.com",
        "+49\u00a030\u00a01234567",
        "030\u202f123\u202f45\u202f67",
        "030\u200b1234567",
        "030/1234567",
        "\uff10\uff13\uff10 \uff11\uff12\uff13\uff14\uff15\uff16\uff17",
        "5551234",
        "Ticket T2 0301234568",
        "#12345 0301234567",
    ],
)
def test_the_detector_finds_contact_details(text: str) -> None:
    assert contact_details(text)


def test_the_detector_passes_kept_numbers() -> None:
    kept = (
        "Order #1234567, ORD-1234567, ORD/1234567, ORD1234567, invoice 12345, 123 456, "
        "EUR 1.234,56, €1,234,567.89, 1 234 567,00 €, on 2025-03-04T09:15:00Z, "
        "04.03.2025 09:15, 3/4/2025, 2025/03/04, at 09:15, 12%, 1234567,5 €, €1234567, "
        f"score 10/10, v2.0.1, {JUERGEN}, {BEN}"
    )
    assert contact_details(kept) == []
    assert contact_details("4711", "customer_id") == []
    assert contact_details("12345678", "customer_id") == []
    assert contact_details("0151/7654321", "agent_id") == ["0151/7654321"]


# --- The hostile delivery ---------------------------------------------------


def test_free_text_is_redacted(hostile: Path) -> None:
    assert query(
        hostile, "select response_id, comment_redacted from marts.fct_survey_responses order by 1"
    ) == [
        ("S1", "Write to [email] or [email], call [phone] or [phone] or [phone]. "
               "Order #1234567 of 04.03.2025 09:15 for EUR 1.234,56 was fine."),
        ("S2", "Rückruf unter [phone], [phone] oder [phone]; Ticket #12345 vom 2025-03-04, "
               "3 Anrufe in 12 Tagen. Fax [phone],[phone]; Ticket T2 [phone]."),
        ("S3", "Order #1234567, ORD-1234567, ORD/1234567, ORD1234567, invoice 12345, 123 456, "
               "EUR 1.234,56, €1,234,567.89, 1 234 567,00 €, on 2025-03-04T09:15:00Z, "
               "04.03.2025 09:15, 3/4/2025, 2025/03/04, at 09:15, 12%, 1234567,5 €, €1234567, "
               "score 10/10, v2.0.1"),
        ("S4", "; ".join(["[email]"] * 4 + ["[phone]"] * 14 + ["Tel.[phone]"])),
    ]  # fmt: skip


def test_categorical_columns_are_redacted(hostile: Path) -> None:
    assert query(hostile, "select ticket_id, category, team from marts.fct_tickets order by 1") == [
        ("T1", "Refund for order #1234567 of 04.03.2025", "[email]"),
        ("T2", "Rückruf [phone]", "Billing"),
        ("T3", "billing", "Billing"),
        ("T4", "[phone]", "Team [phone]"),
    ]
    assert query(hostile, "select call_id, queue from marts.fct_calls order by 1") == [
        ("CL1", "[phone]"),
        ("CL2", "Billing"),
        ("CL3", "Hotline [phone]"),
    ]
    assert query(hostile, "select agent_name, team from marts.dim_agents order by 1") == [
        ("Ben Agent", "Billing"),
        ("Ben Müller", "Leitung: [email]"),
        ("Carla ([phone])", "[phone]"),
    ]
    assert query(hostile, "select from_tier, to_tier from marts.fct_ticket_escalations") == [
        ("tier1", "tier2 (ask [email])")
    ]


def test_contact_identifiers_are_pseudonymised_alike_everywhere(hostile: Path) -> None:
    assert query(hostile, "select customer_id from marts.dim_customers order by 1") == sorted(
        [("C000001",), ("4711",), (JUERGEN,), (LEA,)]
    )
    assert query(hostile, "select agent_id from marts.dim_agents order by 1") == sorted(
        [("A0001",), (BEN,), (CARLA,)]
    )
    assert query(
        hostile,
        "select ticket_id, customer_id, assignee_agent_id from marts.fct_tickets order by 1",
    ) == [
        ("T1", JUERGEN, BEN),
        ("T2", LEA, CARLA),
        ("T3", "C000001", "A0001"),
        ("T4", "4711", "A0001"),
    ]
    assert query(
        hostile, "select call_id, customer_id, agent_id from marts.fct_calls order by 1"
    ) == [
        ("CL1", LEA, CARLA),
        ("CL2", JUERGEN, BEN),
        ("CL3", None, None),
    ]
    assert query(hostile, "select order_id, customer_id from marts.fct_orders order by 1") == [
        ("O1", JUERGEN),
        ("O2", LEA),
    ]
    assert query(hostile, "select shift_id, agent_id from marts.fct_agent_shifts order by 1") == [
        ("SH1", BEN),
        ("SH2", CARLA),
        ("SH3", "A0001"),
    ]
    assert query(
        hostile,
        "select event_type, from_value, to_value, actor_agent_id "
        "from staging.stg_support__ticket_events where ticket_id = 'T2' order by event_at",
    ) == [("assignment", "A0001", CARLA, CARLA), ("status_change", "new", "solved", CARLA)]
    assert query(
        hostile, "select message_id, author_id from staging.stg_support__ticket_messages order by 1"
    ) == [
        ("M1", JUERGEN),
        ("M2", BEN),
        ("M3", LEA),
        ("M4", CARLA),
        ("M5", "C000001"),
        ("M6", "4711"),
    ]


@pytest.mark.parametrize(
    ("fact", "column", "dimension"),
    [
        ("fct_tickets", "customer_id", "dim_customers"),
        ("fct_calls", "customer_id", "dim_customers"),
        ("fct_orders", "customer_id", "dim_customers"),
        ("fct_survey_responses", "customer_id", "dim_customers"),
        ("fct_ticket_messages", "customer_id", "dim_customers"),
        ("fct_tickets", "assignee_agent_id", "dim_agents"),
        ("fct_calls", "agent_id", "dim_agents"),
        ("fct_agent_shifts", "agent_id", "dim_agents"),
        ("fct_agent_states", "agent_id", "dim_agents"),
    ],
)
def test_pseudonymised_identifiers_join(
    hostile: Path, fact: str, column: str, dimension: str
) -> None:
    key = "customer_id" if dimension == "dim_customers" else "agent_id"
    joined, unmatched = query(
        hostile,
        f"select count(fact.{column}), count(fact.{column}) - count(dimension.{key}) "
        f"from marts.{fact} as fact left join marts.{dimension} as dimension "
        f"on fact.{column} = dimension.{key}",
    )[0]
    assert joined > 0
    assert unmatched == 0


def test_quarantine_keeps_the_delivered_values(hostile: Path) -> None:
    # O3 breaks a rule (a negative amount); stewards see whom it concerns.
    assert query(
        hostile,
        "select order_id, customer_id, reason_code from quarantine.quarantine_support__orders",
    ) == [("O3", "jürgen.müller@beispiel.de", "out_of_range")]


def test_no_contact_detail_in_the_bi_copy_of_the_hostile_build(hostile: Path) -> None:
    bi_copy, _ = bi_copy_paths(hostile)
    scanned, found = _leaks(bi_copy, ("bi", "marts"))
    assert scanned > 50
    assert found == []


def test_no_contact_detail_in_the_bi_copy_of_the_published_sample(published_sample: Path) -> None:
    bi_copy, _ = bi_copy_paths(published_sample)
    scanned, found = _leaks(bi_copy, ("bi", "marts"))
    assert {schema for (schema,) in query(bi_copy, "select distinct table_schema from "
            "information_schema.columns")} >= {"bi", "marts"}  # fmt: skip
    assert scanned > 50
    assert found == []


def test_no_contact_detail_in_the_marts_of_the_invalid_rows_fixture(
    fixture_warehouse: Path,
) -> None:
    scanned, found = _leaks(fixture_warehouse, ("marts",))
    assert scanned > 50
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
    columns = query(
        sample_warehouse,
        "select table_name, column_name from information_schema.columns "
        "where table_schema = 'marts' and data_type = 'VARCHAR'",
    )
    found = []
    for table, column in columns:
        if (table, column) == ("dim_agents", "agent_name"):
            continue
        for (value,) in query(sample_warehouse, f'select distinct "{column}" from marts.{table}'):
            if value in names:
                found.append((table, column, value))
    assert found == []
