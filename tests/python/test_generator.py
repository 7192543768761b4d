"""The synthetic raw generator (`support_kpis.generator`).

The checks read the written files only. `_classify` below is a second, independent
implementation of the contract and of the D2 reason order, so that the manifest's counts
are verified row by row rather than trusted.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from collections import Counter, defaultdict
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from support_kpis.generator import Manifest, generate
from support_kpis.generator import api as generator_api

from conftest import SAMPLE_RAW

TABLES = (
    "customers",
    "agents",
    "agent_shifts",
    "agent_states",
    "tickets",
    "ticket_events",
    "ticket_messages",
    "calls",
    "survey_responses",
    "orders",
)
MENUS = {
    "customers": {"null_key", "duplicate_key", "missing_value", "unknown_value", "invalid_format"},
    "agents": {"null_key", "duplicate_key", "missing_value", "invalid_format", "timestamp_order"},
    "agent_shifts": {
        "null_key",
        "duplicate_key",
        "dangling_reference",
        "timestamp_order",
        "out_of_range",
    },
    "agent_states": {
        "null_key",
        "duplicate_key",
        "missing_value",
        "invalid_format",
        "unknown_value",
        "out_of_range",
        "timestamp_order",
        "dangling_reference",
    },
    "tickets": {
        "null_key",
        "duplicate_key",
        "missing_value",
        "unknown_value",
        "out_of_range",
        "timestamp_order",
        "dangling_reference",
    },
    "ticket_events": {
        "null_key",
        "duplicate_key",
        "unknown_value",
        "dangling_reference",
        "timestamp_order",
    },
    "ticket_messages": {
        "null_key",
        "duplicate_key",
        "missing_value",
        "unknown_value",
        "invalid_format",
        "inconsistent_value",
        "dangling_reference",
        "timestamp_order",
    },
    "calls": {
        "null_key",
        "duplicate_key",
        "missing_value",
        "invalid_format",
        "unknown_value",
        "out_of_range",
        "timestamp_order",
        "inconsistent_value",
        "dangling_reference",
    },
    "survey_responses": {
        "null_key",
        "duplicate_key",
        "unknown_value",
        "out_of_range",
        "timestamp_order",
        "inconsistent_value",
        "dangling_reference",
    },
    "orders": {"null_key", "duplicate_key", "invalid_format", "out_of_range", "dangling_reference"},
}
PERIOD_START = datetime(2024, 10, 1, tzinfo=UTC).timestamp()
PERIOD_END = datetime(2026, 1, 1, tzinfo=UTC).timestamp()
LATEST = datetime(2026, 6, 30, tzinfo=UTC).timestamp()


# -- an independent reading of the contract ----------------------------------------------------
TS = re.compile(
    r"^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|\+00:00|\+0000|-00:00)?$"
)
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
INTEGER = re.compile(r"^[+-]?\d+$")
DECIMAL = re.compile(r"^[+-]?\d+(\.\d{1,6})?$")
STATUSES = {"new", "open", "pending", "on_hold", "solved", "closed"}
AGENT_STATES = {
    "available",
    "on_contact",
    "after_contact_work",
    "break",
    "meeting",
    "training",
    "offline",
}
SCALES = {"csat": (1, 5), "nps": (0, 10), "ces": (1, 7)}


def _ts(value: str) -> float | None:
    match = TS.match(value)
    if not match:
        return None
    day, hour, minute, second = match.group(1, 2, 3, 4)
    try:
        stamp = datetime.fromisoformat(f"{day}T{hour}:{minute}:{second or '00'}")
    except ValueError:
        return None
    return stamp.replace(tzinfo=UTC).timestamp()


def _date(value: str) -> date | None:
    if not DATE.match(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _bool(value: str) -> bool | None:
    return {"true": True, "false": False}.get(value.lower())


REQUIRED = {
    "customers": ("segment", "signed_up_at"),
    "agents": ("team", "hired_at"),
    "agent_shifts": ("agent_id", "shift_start", "shift_end"),
    "agent_states": ("agent_id", "state", "started_at", "ended_at"),
    "tickets": (
        "customer_id",
        "channel",
        "direction",
        "priority",
        "status",
        "created_at",
        "updated_at",
    ),
    "ticket_events": ("ticket_id", "event_at", "event_type"),
    "ticket_messages": ("ticket_id", "author_type", "is_public", "sent_at"),
    "calls": (
        "queue",
        "direction",
        "offered_at",
        "ended_at",
        "talk_seconds",
        "hold_seconds",
        "after_call_work_seconds",
        "transferred",
    ),
    "survey_responses": ("survey_type", "customer_id", "sent_at"),
    "orders": ("customer_id", "ordered_at", "amount", "currency"),
}
FORMATS = {
    "customers": {"signed_up_at": "ts", "country": "country"},
    "agents": {"hired_at": "date", "terminated_at": "date"},
    "agent_shifts": {"shift_start": "ts", "shift_end": "ts"},
    "agent_states": {"started_at": "ts", "ended_at": "ts"},
    "tickets": {"created_at": "ts", "updated_at": "ts"},
    "ticket_events": {"event_at": "ts"},
    "ticket_messages": {"is_public": "bool", "sent_at": "ts"},
    "calls": {
        "offered_at": "ts",
        "answered_at": "ts",
        "ended_at": "ts",
        "talk_seconds": "int",
        "hold_seconds": "int",
        "after_call_work_seconds": "int",
        "transferred": "bool",
        "is_resolved": "bool",
    },
    "survey_responses": {"sent_at": "ts", "responded_at": "ts", "score": "int"},
    "orders": {"ordered_at": "ts", "amount": "decimal", "currency": "currency"},
}
SETS = {
    "customers": {"segment": {"enterprise", "smb", "consumer"}},
    "agent_states": {"state": AGENT_STATES},  # trimmed by `_read`, case-sensitive
    "tickets": {
        "channel": {"email", "chat", "phone", "sms", "whatsapp", "social", "web_form"},
        "direction": {"inbound", "outbound"},
        "priority": {"low", "normal", "high", "urgent"},
        "status": STATUSES,
    },
    "ticket_events": {
        "event_type": {"status_change", "assignment", "priority_change", "escalation"}
    },
    "ticket_messages": {"author_type": {"customer", "agent", "bot", "system"}},
    "calls": {"direction": {"inbound", "outbound"}},
    "survey_responses": {"survey_type": set(SCALES)},
}


def _format_ok(kind: str, value: str) -> bool:
    checks = {
        "ts": lambda v: _ts(v) is not None,
        "date": lambda v: _date(v) is not None,
        "bool": lambda v: _bool(v) is not None,
        "int": lambda v: INTEGER.match(v) is not None,
        "decimal": lambda v: DECIMAL.match(v) is not None,
        "country": lambda v: re.match(r"^[A-Z]{2}$", v) is not None,
        "currency": lambda v: re.match(r"^[A-Z]{3}$", v) is not None,
    }
    return checks[kind](value)


def _row_reason(table: str, row: dict[str, str | None], now: float) -> str | None:
    """Reasons 3-8 of D2 for one row (key problems are handled by the caller)."""
    if any(row[column] is None for column in REQUIRED[table]):
        return "missing_value"
    if (
        table == "ticket_events"
        and row["event_type"] == "status_change"
        and (row["to_value"] is None)
    ):
        return "missing_value"
    for column, kind in FORMATS[table].items():
        value = row[column]
        if value is not None and not _format_ok(kind, value):
            return "invalid_format"
    for column, allowed in SETS.get(table, {}).items():
        if row[column] not in allowed:
            return "unknown_value"
    if (
        table == "ticket_events"
        and row["event_type"] == "status_change"
        and row["to_value"] not in STATUSES
    ):
        return "unknown_value"

    def ts(column: str) -> float:
        value = _ts(row[column] or "")
        assert value is not None
        return value

    if table == "agent_shifts" and ts("shift_end") - ts("shift_start") > 16 * 3600:
        return "out_of_range"
    if table == "agent_states" and (
        ts("started_at") > now or ts("ended_at") - ts("started_at") > 16 * 3600
    ):
        return "out_of_range"
    if table == "tickets" and ts("created_at") > now:
        return "out_of_range"
    if table == "calls" and any(
        int(row[c] or "0") < 0 for c in ("talk_seconds", "hold_seconds", "after_call_work_seconds")
    ):
        return "out_of_range"
    if table == "orders" and float(row["amount"] or "0") < 0:
        return "out_of_range"
    if table == "survey_responses" and row["score"] is not None:
        low, high = SCALES[row["survey_type"] or ""]
        if not low <= int(row["score"]) <= high:
            return "out_of_range"
    if table == "tickets" and ts("updated_at") < ts("created_at"):
        return "timestamp_order"
    if (
        table == "agents"
        and row["terminated_at"] is not None
        and ((_date(row["terminated_at"]) or date.max) < (_date(row["hired_at"] or "") or date.min))
    ):
        return "timestamp_order"
    if table == "agent_shifts" and ts("shift_end") <= ts("shift_start"):
        return "timestamp_order"
    if table == "agent_states" and ts("ended_at") <= ts("started_at"):
        return "timestamp_order"
    if table == "calls":
        if row["answered_at"] is not None and (
            ts("answered_at") < ts("offered_at") or ts("ended_at") < ts("answered_at")
        ):
            return "timestamp_order"
        if row["answered_at"] is None and ts("ended_at") < ts("offered_at"):
            return "timestamp_order"
    if (
        table == "survey_responses"
        and row["responded_at"] is not None
        and ts("responded_at") < ts("sent_at")
    ):
        return "timestamp_order"
    if table == "survey_responses" and (row["score"] is None) != (row["responded_at"] is None):
        return "inconsistent_value"
    if (
        table == "calls"
        and row["answered_at"] is None
        and (row["is_resolved"] is not None or int(row["talk_seconds"] or "0") > 0)
    ):
        return "inconsistent_value"
    if table == "ticket_messages":
        needs_author = row["author_type"] in ("customer", "agent")
        if needs_author != (row["author_id"] is not None):
            return "inconsistent_value"
    return None


def _read(folder: Path, table: str) -> list[dict[str, str | None]]:
    with (folder / f"{table}.csv").open(newline="", encoding="utf-8") as handle:
        return [
            {k: (v.strip() or None) for k, v in record.items()} for record in csv.DictReader(handle)
        ]


def _classify(
    folder: Path, valid_rows: dict[str, list[dict[str, str | None]]] | None = None
) -> dict[str, dict[str, object]]:
    """Per table: delivered, collapsed, staged and quarantined counts, by the contract.

    With `valid_rows`, also the valid rows of every table (one per key) are put there.
    """
    now = datetime.now(UTC).timestamp()
    valid_keys: dict[str, set[str]] = {}
    delivered_keys: dict[str, set[str]] = {}
    created: dict[str, float] = {}
    result: dict[str, dict[str, object]] = {}
    for table in TABLES:
        rows = _read(folder, table)
        key = next(iter(rows[0])) if rows else ""
        unique: dict[tuple[str | None, ...], dict[str, str | None]] = {}
        for row in rows:
            unique.setdefault(tuple(row.values()), row)
        key_counts = Counter(row[key] for row in unique.values() if row[key] is not None)
        reasons: Counter[str] = Counter()
        valid: set[str] = set()
        for row in unique.values():
            if row[key] is None:
                reason: str | None = "null_key"
            elif key_counts[row[key]] > 1:
                reason = "duplicate_key"
            else:
                reason = _row_reason(table, row, now) or _reference_reason(
                    table, row, valid_keys, delivered_keys
                )
            if reason is None and table in ("ticket_events", "ticket_messages"):
                at = _ts(row["event_at" if table == "ticket_events" else "sent_at"] or "")
                if at is not None and at < created[row["ticket_id"] or ""]:
                    reason = "timestamp_order"
            if reason is None:
                valid.add(row[key] or "")
                if valid_rows is not None:
                    valid_rows.setdefault(table, []).append(row)
                if table == "tickets":
                    created[row[key] or ""] = _ts(row["created_at"] or "") or 0.0
            else:
                reasons[reason] += 1
        valid_keys[table] = valid
        delivered_keys[table] = set(key_counts)
        result[table] = {
            "delivered": len(rows),
            "collapsed": len(rows) - len(unique),
            "staged": len(valid),
            "quarantined": dict(reasons),
        }
    return result


def _reference_reason(
    table: str,
    row: dict[str, str | None],
    valid: dict[str, set[str]],
    delivered: dict[str, set[str]],
) -> str | None:
    refs: list[tuple[str, str]] = {
        "agent_shifts": [("agent_id", "agents")],
        "agent_states": [("agent_id", "agents")],
        "tickets": [("customer_id", "customers"), ("assignee_agent_id", "agents")],
        "ticket_events": [("ticket_id", "tickets")],
        "ticket_messages": [("ticket_id", "tickets")],
        "calls": [("customer_id", "customers"), ("agent_id", "agents")],
        "survey_responses": [("customer_id", "customers")],
        "orders": [("customer_id", "customers")],
    }.get(table, [])
    if table == "ticket_messages" and row["author_type"] in ("customer", "agent"):
        refs.append(("author_id", "customers" if row["author_type"] == "customer" else "agents"))
    for column, target in refs:
        if row[column] is not None and row[column] not in valid[target]:
            # A delivered (quarantined) parent: invalid_parent; no row with the id: dangling.
            return "invalid_parent" if row[column] in delivered[target] else "dangling_reference"
    return None


def _manifest_tables(folder: Path) -> dict[str, dict[str, object]]:
    return json.loads((folder / "_manifest.json").read_text())["tables"]


# -- fixtures ------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("clean")
    generate(folder, tickets=1500, seed=7)
    return folder


@pytest.fixture(scope="module")
def faulty(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Manifest]:
    folder = tmp_path_factory.mktemp("faulty")
    manifest = generate(folder, tickets=1000, seed=3, invalid_rate=0.05)
    return folder, manifest


@pytest.fixture
def sql(clean: Path) -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect()
    connection.sql("set TimeZone = 'UTC'")
    for table in TABLES:
        connection.sql(
            f"create view {table} as select * from read_csv('{clean / table}.csv', "
            "all_varchar = true, header = true)"
        )
    return connection


def _one(connection: duckdb.DuckDBPyConnection, query: str) -> object:
    return connection.execute(query).fetchall()[0][0]


# -- determinism, files, manifest ---------------------------------------------------------------
def test_same_arguments_give_identical_bytes(tmp_path: Path) -> None:
    for name in ("a", "b"):
        generate(tmp_path / name, tickets=400, seed=42, invalid_rate=0.05)
    files = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert files == sorted([f"{t}.csv" for t in TABLES] + ["_invalid_rows.csv", "_manifest.json"])
    for name in files:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    generate(tmp_path / "c", tickets=400, seed=43, invalid_rate=0.05)
    assert (tmp_path / "a" / "tickets.csv").read_bytes() != (
        tmp_path / "c" / "tickets.csv"
    ).read_bytes()


def test_headers_are_the_contract_columns(clean: Path) -> None:
    expected = {
        "customers": "customer_id,full_name,email,phone,segment,country,signed_up_at",
        "agents": "agent_id,full_name,email,team,hired_at,terminated_at",
        "agent_shifts": "shift_id,agent_id,shift_start,shift_end",
        "agent_states": "agent_state_id,agent_id,state,started_at,ended_at",
        "tickets": "ticket_id,customer_id,channel,direction,category,priority,status,team,"
        "assignee_agent_id,created_at,updated_at",
        "ticket_events": "event_id,ticket_id,event_at,event_type,from_value,to_value,"
        "actor_agent_id",
        "ticket_messages": "message_id,ticket_id,author_type,author_id,is_public,sent_at",
        "calls": "call_id,customer_id,agent_id,ticket_id,queue,direction,offered_at,answered_at,"
        "ended_at,talk_seconds,hold_seconds,after_call_work_seconds,transferred,"
        "is_resolved",
        "survey_responses": "response_id,survey_type,customer_id,ticket_id,call_id,sent_at,"
        "responded_at,score,comment",
        "orders": "order_id,customer_id,ordered_at,amount,currency",
    }
    for table, header in expected.items():
        first_line = (clean / f"{table}.csv").read_bytes().split(b"\r\n", 1)[0]
        assert first_line.decode() == header


def test_manifest_conserves_rows_and_matches_the_return_value(
    faulty: tuple[Path, Manifest],
) -> None:
    folder, manifest = faulty
    on_disk = json.loads((folder / "_manifest.json").read_text())
    assert on_disk == manifest.to_dict()
    assert on_disk["generator"] == {
        "tickets": 1000,
        "seed": 3,
        "invalid_rate": 0.05,
        "format": "csv",
        "start": "2024-10-01",
        "months": 15,
    }
    for table, counts in on_disk["tables"].items():
        assert counts["delivered"] == (
            counts["staged"] + sum(counts["quarantined"].values()) + counts["collapsed"]
        ), table
        assert counts["delivered"] == len(_read(folder, table)), table
    # one row per ticket, plus second rows of conflicting keys and exact copies
    ids = [row["ticket_id"] for row in _read(folder, "tickets")]
    tickets = on_disk["tables"]["tickets"]
    assert len({i for i in ids if i}) == 1000 - tickets["quarantined"]["null_key"]
    assert len(ids) == 1000 + tickets["quarantined"]["duplicate_key"] // 2 + tickets["collapsed"]


def test_invalid_row_log_matches_the_manifest(faulty: tuple[Path, Manifest]) -> None:
    folder, manifest = faulty
    with (folder / "_invalid_rows.csv").open(newline="", encoding="utf-8") as handle:
        log = list(csv.DictReader(handle))
    assert list(log[0]) == ["table", "key", "reason_code", "detail"]
    logged = Counter((row["table"], row["reason_code"]) for row in log)
    expected = Counter(
        {
            (table, reason): n
            for table, counts in manifest.tables.items()
            for reason, n in counts.quarantined.items()
        }
    )
    assert logged == expected
    assert all(row["key"] == "" for row in log if row["reason_code"] == "null_key")


# -- validity --------------------------------------------------------------------------------
def test_clean_delivery_is_entirely_valid(clean: Path) -> None:
    classified = _classify(clean)
    for table, counts in _manifest_tables(clean).items():
        assert counts["quarantined"] == {} and counts["collapsed"] == 0, table
        assert classified[table] == counts, table
        assert counts["staged"] > 0, table
    assert not (clean / "_invalid_rows.csv").read_text().strip().count("\n")


def test_faulty_delivery_is_classified_as_the_manifest_says(
    faulty: tuple[Path, Manifest],
) -> None:
    folder, _ = faulty
    assert _classify(folder) == _manifest_tables(folder)


def test_every_reason_of_each_menu_appears(faulty: tuple[Path, Manifest]) -> None:
    _, manifest = faulty
    for table, counts in manifest.tables.items():
        if counts.delivered >= 50:
            # cascades (invalid_parent) come on top of the table's own faults
            assert set(counts.quarantined) - {"invalid_parent"} == MENUS[table], table
            assert counts.collapsed > 0, table
        # about 5 % of the rows carry their own fault
        own = sum(
            n
            for r, n in counts.quarantined.items()
            if r not in ("dangling_reference", "invalid_parent")
        )
        assert own <= max(12, 0.12 * counts.delivered), table


def test_cascades_happen_and_are_counted(faulty: tuple[Path, Manifest]) -> None:
    folder, manifest = faulty
    with (folder / "_invalid_rows.csv").open(newline="", encoding="utf-8") as handle:
        log = list(csv.DictReader(handle))
    # A cascade is invalid_parent, or dangling_reference when the parent's row came without
    # its key (null_key: no row has the id).
    cascades = [
        row
        for row in log
        if row["detail"].endswith(("is quarantined", "was delivered without its key"))
    ]
    assert {(row["reason_code"], row["detail"].endswith("is quarantined")) for row in cascades} == {
        ("invalid_parent", True),
        ("dangling_reference", False),
    }
    details = Counter((row["table"], row["detail"].split(" ")[0]) for row in cascades)
    assert details[("tickets", "customer")] >= 2  # tickets of the quarantined anchor customers
    assert details[("ticket_events", "ticket")] > 0
    assert details[("ticket_messages", "ticket")] > 0
    assert details[("orders", "customer")] >= 2
    assert details[("agent_shifts", "agent")] > 0  # shifts of the quarantined late hire
    assert details[("agent_states", "agent")] > 0  # and its states
    invalid_customers = manifest.tables["customers"].quarantined_total
    assert invalid_customers < 0.1 * manifest.tables["customers"].delivered


def test_contract_rules_hold_on_clean_data(sql: duckdb.DuckDBPyConnection) -> None:
    for table, key in (
        ("customers", "customer_id"),
        ("agents", "agent_id"),
        ("tickets", "ticket_id"),
        ("ticket_events", "event_id"),
        ("ticket_messages", "message_id"),
        ("calls", "call_id"),
        ("survey_responses", "response_id"),
        ("orders", "order_id"),
        ("agent_shifts", "shift_id"),
        ("agent_states", "agent_state_id"),
    ):
        assert _one(sql, f"select count(*) - count(distinct {key}) from {table}") == 0
    assert (
        _one(
            sql,
            """select count(*) from tickets t
        where not exists (select 1 from customers c where c.customer_id = t.customer_id)""",
        )
        == 0
    )
    assert (
        _one(
            sql,
            """select count(*) from ticket_messages m
        where author_type = 'agent'
          and not exists (select 1 from agents a where a.agent_id = m.author_id)""",
        )
        == 0
    )
    # the first status is `new`; tickets.status is the last status_change's to_value
    mismatched = sql.sql("""
        with last as (
            select ticket_id, to_value, from_value, row_number() over (
                partition by ticket_id order by event_at::timestamptz desc, event_id desc) as rn
            from ticket_events where event_type = 'status_change')
        select t.ticket_id, t.status, last.to_value from tickets t
        left join last on last.ticket_id = t.ticket_id and last.rn = 1
        where t.status <> coalesce(last.to_value, 'new')""").fetchall()
    assert mismatched, "a few tickets say solved without a solve event"
    assert {status for _, status, _ in mismatched} == {"solved"}
    assert {last for _, _, last in mismatched} <= {"open", "pending", "on_hold", "new", None}
    tickets = _one(sql, "select count(*) from tickets")
    assert 0.002 * tickets <= len(mismatched) <= 0.012 * tickets
    # from_value of every status change is the previous to_value (new first)
    assert (
        _one(
            sql,
            """
        with chain as (select from_value, lag(to_value, 1, 'new') over (
            partition by ticket_id order by event_at::timestamptz, event_id) as previous
            from ticket_events where event_type = 'status_change')
        select count(*) from chain where from_value <> previous""",
        )
        == 0
    )
    # assignee = last assignment; priority = last priority change
    assert (
        _one(
            sql,
            """
        with last as (select ticket_id, arg_max(to_value, (event_at::timestamptz, event_id)) v
            from ticket_events where event_type = 'assignment' group by ticket_id)
        select count(*) from tickets t left join last using (ticket_id)
        where t.assignee_agent_id is distinct from last.v""",
        )
        == 0
    )
    assert (
        _one(
            sql,
            """
        with last as (select ticket_id, arg_max(to_value, (event_at::timestamptz, event_id)) v
            from ticket_events where event_type = 'priority_change' group by ticket_id)
        select count(*) from tickets t join last using (ticket_id) where t.priority <> last.v
        """,
        )
        == 0
    )
    # updated_at is at or after every event and message of the ticket
    assert (
        _one(
            sql,
            """
        select count(*) from tickets t join (
            select ticket_id, max(event_at::timestamptz) ts_at from ticket_events group by 1
            union all
            select ticket_id, max(sent_at::timestamptz) from ticket_messages group by 1) x
        using (ticket_id) where x.ts_at > t.updated_at::timestamptz""",
        )
        == 0
    )
    # abandoned calls
    assert (
        _one(
            sql,
            """select count(*) from calls where answered_at is null
        and (talk_seconds <> '0' or is_resolved is not null)""",
        )
        == 0
    )


def test_clean_data_shape(sql: duckdb.DuckDBPyConnection) -> None:
    tickets = _one(sql, "select count(*) from tickets")
    assert tickets == 1500
    assert _one(sql, "select count(*) from customers") == 600
    assert (
        _one(
            sql,
            "select count(*) from agents where terminated_at is null "
            "or terminated_at > '2024-10-01'",
        )
        >= 12
    )
    assert _one(sql, "select count(distinct agent_id) from agent_shifts") >= 12
    assert _one(sql, "select count(distinct team) from agents") == 4
    channel = dict(sql.sql("select channel, count(*) from tickets group by 1").fetchall())
    assert set(channel) == {"email", "chat", "phone", "web_form", "whatsapp", "sms", "social"}
    assert 0.33 < channel["email"] / tickets < 0.47
    inbound = _one(sql, "select avg((direction = 'inbound')::int) from tickets")
    assert 0.85 < inbound < 0.95  # type: ignore[operator]
    assert 0.01 < _one(sql, "select avg((team is null)::int) from tickets") < 0.06  # type: ignore[operator]
    reopened = _one(
        sql,
        """select count(distinct ticket_id) from ticket_events
        where event_type = 'status_change' and from_value in ('solved', 'closed')
          and to_value in ('new', 'open', 'pending', 'on_hold')""",
    )
    assert 0.03 * tickets < reopened < 0.12 * tickets  # type: ignore[operator]
    escalated = _one(
        sql, "select count(distinct ticket_id) from ticket_events where event_type = 'escalation'"
    )
    assert 0.02 * tickets < escalated < 0.10 * tickets  # type: ignore[operator]
    still_open = _one(
        sql, "select count(*) from tickets where status in ('new', 'open', 'pending', 'on_hold')"
    )
    assert still_open > 0
    abandoned = _one(
        sql, "select avg((answered_at is null)::int) from calls where direction = 'inbound'"
    )
    assert 0.08 < abandoned < 0.17  # type: ignore[operator]
    calls_per_ticket = _one(sql, "select count(*) from calls where direction = 'inbound'")
    assert 0.5 * tickets < calls_per_ticket < 0.7 * tickets  # type: ignore[operator]
    answered = _one(sql, "select avg((responded_at is not null)::int) from survey_responses")
    assert 0.28 < answered < 0.42  # type: ignore[operator]
    # timestamps: inside the period; children a few days after at most
    for table, column in (
        ("tickets", "created_at"),
        ("calls", "offered_at"),
        ("agent_shifts", "shift_start"),
    ):
        low, high = sql.execute(
            f"select min(epoch({column}::timestamptz)), "
            f"max(epoch({column}::timestamptz)) from {table}"
        ).fetchall()[0]
        assert low >= PERIOD_START and high < PERIOD_END, table
    for table, column in (
        ("ticket_events", "event_at"),
        ("ticket_messages", "sent_at"),
        ("survey_responses", "responded_at"),
        ("orders", "ordered_at"),
        ("tickets", "updated_at"),
    ):
        high = _one(sql, f"select max(epoch({column}::timestamptz)) from {table}")
        assert high < LATEST, table  # type: ignore[operator]


def test_text_spellings(clean: Path) -> None:
    text = (clean / "ticket_messages.csv").read_bytes().decode("utf-8")
    assert re.search(r",\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\r\n", text)
    assert re.search(r",\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\r\n", text)
    assert re.search(r",\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00\r\n", text)
    assert ",TRUE," in text or ",False," in text
    customers = (clean / "customers.csv").read_text(encoding="utf-8")
    assert re.search(r"^C\d{6},", customers, re.MULTILINE)
    assert "Müller" in customers or "Zoë" in customers or "Łukasz" in customers
    surveys = _read(clean, "survey_responses")
    comments = [row["comment"] for row in surveys if row["comment"]]
    assert any("@" in c for c in comments) and any("\n" in c for c in comments)


# -- KPI edge cases ------------------------------------------------------------------------------
def test_call_edges(sql: duckdb.DuckDBPyConnection) -> None:
    waits = dict(
        sql.sql("""select epoch(answered_at::timestamptz - offered_at::timestamptz)::int,
        count(*) from calls where answered_at is not null and direction = 'inbound'
        group by 1""").fetchall()
    )
    assert waits.get(20, 0) > 0 and waits.get(21, 0) > 0
    assert sum(n for w, n in waits.items() if w <= 20) > 0.5 * sum(waits.values())
    gaps = {
        row[0]
        for row in sql.sql("""
        select epoch(b.offered_at::timestamptz - a.offered_at::timestamptz)::int
        from calls a join calls b on a.customer_id = b.customer_id and a.call_id <> b.call_id
        where a.direction = 'inbound' and b.direction = 'inbound'""").fetchall()
    }
    assert {604800, 604801} <= gaps
    assert _one(sql, "select count(*) from calls where customer_id is null") > 0
    assert (
        _one(sql, "select count(*) from calls where answered_at is null and agent_id is null") > 0
    )
    assert (
        _one(
            sql, "select count(*) from calls where answered_at is not null and is_resolved is null"
        )
        > 0
    )
    assert (
        _one(
            sql,
            "select count(*) from calls c join tickets t using (ticket_id) "
            "where t.channel = 'phone'",
        )
        > 0
    )


def test_order_edges(sql: duckdb.DuckDBPyConnection) -> None:
    gaps = {
        row[0]
        for row in sql.sql("""
        with contacts as (
            select customer_id, created_at::timestamptz ts_at from tickets
            where direction = 'inbound'
            union all
            select customer_id, offered_at::timestamptz from calls
            where direction = 'inbound' and customer_id is not null)
        select distinct epoch(o.ordered_at::timestamptz - c.ts_at)::int
        from orders o join contacts c using (customer_id)""").fetchall()
    }
    assert {604800, 604801} <= gaps
    currencies = {row[0] for row in sql.sql("select distinct currency from orders").fetchall()}
    assert {"EUR", "USD"} <= currencies
    assert (
        _one(
            sql, "select count(*) from orders where not regexp_full_match(amount, '\\d+\\.\\d{2}')"
        )
        == 0
    )


def test_message_edges(sql: duckdb.DuckDBPyConnection) -> None:
    collisions = {
        row[0]
        for row in sql.sql("""
        with conversation as (
            select ticket_id, author_type, author_id, sent_at::timestamptz ts_at,
                   lag(author_type) over w as previous_type, lag(author_id) over w as previous,
                   lag(sent_at::timestamptz) over w as previous_at
            from ticket_messages
            where author_type = 'customer'
               or (author_type = 'agent' and lower(is_public) = 'true')
            window w as (partition by ticket_id order by sent_at::timestamptz,
                         author_type = 'customer', message_id))
        select epoch(ts_at - previous_at)::int from conversation
        where author_type = 'agent' and previous_type = 'agent' and author_id <> previous
        """).fetchall()
    }
    assert {300, 301} <= collisions and min(collisions) < 300
    assert (
        _one(
            sql,
            """select count(*) from ticket_messages a join ticket_messages b
        using (ticket_id, sent_at) where a.author_type = 'agent'
        and b.author_type = 'customer'""",
        )
        > 0
    )
    assert (
        _one(
            sql,
            """select count(*) from tickets t where not exists (
        select 1 from ticket_messages m where m.ticket_id = t.ticket_id
        and m.author_type = 'agent' and lower(m.is_public) = 'true')""",
        )
        > 0
    )
    assert (
        _one(
            sql,
            "select count(*) from ticket_messages where author_type = 'bot' and author_id is null",
        )
        > 0
    )
    assert (
        _one(
            sql,
            "select count(*) from ticket_messages where author_type = 'agent' "
            "and lower(is_public) = 'false'",
        )
        > 0
    )
    first_authors = {
        row[0]
        for row in sql.sql("""
        select arg_min(m.author_type, (m.sent_at::timestamptz, m.message_id))
        from ticket_messages m join tickets t using (ticket_id)
        where t.direction = 'outbound' group by m.ticket_id""").fetchall()
    }
    assert first_authors == {"agent"}
    assert (
        _one(
            sql,
            """select count(*) from (select ticket_id, event_at from ticket_events
        group by all having count(*) > 1)""",
        )
        > 0
    )
    assert (
        _one(sql, "select max(n) from (select count(*) n from ticket_messages group by ticket_id)")
        <= 12
    )  # type: ignore[operator]


def test_creation_time_edges(sql: duckdb.DuckDBPyConnection) -> None:
    created = [
        row[0]
        for row in sql.sql("select epoch(created_at::timestamptz)::bigint from tickets").fetchall()
    ]
    dst_switches = (1730613600, 1741503600, 1762063200)  # 2024-11-03, 2025-03-09, 2025-11-02
    for switch in dst_switches:
        assert any(abs(t - switch) <= 7200 for t in created), switch
    assert any(t % 86400 == 0 for t in created) and any(t % 86400 == 86399 for t in created)
    weekend = _one(sql, "select count(*) from tickets where isodow(created_at::timestamptz) >= 6")
    assert 0 < weekend < 0.25 * len(created)  # type: ignore[operator]
    thanksgiving = _one(
        sql, "select count(*) from tickets where created_at::timestamptz::date = date '2024-11-28'"
    )
    assert thanksgiving > 0  # type: ignore[operator]
    assert created == sorted(created)  # ticket ids rise with created_at
    terminated = [
        row[0]
        for row in sql.sql(
            "select terminated_at::date from agents where terminated_at >= '2024-10-01'"
        ).fetchall()
    ]
    assert any(d.day == 1 for d in terminated)  # on a month's first day
    assert any(date.fromordinal(d.toordinal() + 1).day == 1 for d in terminated)  # last day
    assert _one(sql, "select count(*) from agents where hired_at >= '2024-10-01'") >= 2
    assert (
        _one(
            sql,
            """select count(*) from agent_shifts
        where shift_start::timestamptz::date <> shift_end::timestamptz::date""",
        )
        > 0
    )


# -- agent states ------------------------------------------------------------------------------
DAY = 86_400
SLACK = 30 * 60  # a state may start or end this long outside its shift
# sha256 of generate(tickets=300, seed=5, invalid_rate=0.05, months=3), without and with
# omit_invalid, recorded with the generator as it was before it wrote agent_states: the other
# nine tables must not change by a byte. The manifest and the invalid-row log are compared
# without their agent_states entries, and with cascades under the one reason they had then
# (dangling_reference; now invalid_parent when the parent row was delivered, D32).
BEFORE_AGENT_STATES = {
    "faulty": {
        "_invalid_rows.csv": "6a380ebed5c2ef150971b4b624418b1d8654b6722bbe3d53ac42c73e60cc841c",
        "_manifest.json": "3ee6acb1c475e7a88af8a1aec0f969e26d46e5d5c697da274b3644ee2dab2ec5",
        "agent_shifts": "160e89ce652b4b00f15beb8e8f0ed500b895fd895f2def2096e2967faedffa62",
        "agents": "a7e725f758c4f6dfdfbea591bfae5382463e0b4b1f82a8f1f4bb5909573bf991",
        "calls": "72dacd526740e294193b35f464909da47cdbb97b5b98b1c45b7e12cb762a15bf",
        "customers": "d95e372acc75fd53efabf2bf1d970fc1829ae759bf6582dd516deb1ec6bf8dbc",
        "orders": "dfed93d4f3788fc81a1b0d81df93e78c4dd7c2694e02ceefe1382c1a76b7f4fd",
        "survey_responses": "a9d5cba947c56de11ca22253ded3dee321b6db46760bb6e0dd26de1313dc556c",
        "ticket_events": "e818b7a0cd35c576be98e1195fd986c544b25cf66ae5edc27bffed00964263e8",
        "ticket_messages": "d33a2bb2457afc06c00b371aac8617378e44ce9cfb96eec6cfc17aeb3d5d54f8",
        "tickets": "2a6cb566ec21bdacd1a05319e0d3dcf7054bd28a33949004d17afd88f5c2d11c",
    },
    "omit_invalid": {
        "_invalid_rows.csv": "1b888e8d3fb54d029bafa8841519a1dc82bfee1437417ccb4308626cabfb8412",
        "_manifest.json": "d3a543b19cdf050c96439ebd78bbb493dcb527563a82a0704c6548d6740a131d",
        "agent_shifts": "e1ea69ae8f14365833ac973ffddeb8feb6f266e5ba663604c7540cad43432865",
        "agents": "5fd8f2694dd22e7df5c63a9725a50703bf851e6eec04e9480b1f032f28db6b7b",
        "calls": "11c754895ed0fde95a2eef6cb24245d1497e4a02ee60765a041b8e96c700c184",
        "customers": "a3b280335179ea18a613122b39832758dfe989f41e6d0012a1df0eabd53b9dea",
        "orders": "c2689e6847949b76c1a497cacbe336a2e06df842821a3ba7d425decd97f1e28b",
        "survey_responses": "e2187bbe8f30ecf1cda3942290d84dd83f94414d3901e2555334ace2013f959b",
        "ticket_events": "bd119aad075b5f792cff69a9cd8ab1d10d5da06ba4401e02a3b2525a09c3241c",
        "ticket_messages": "e170e7faa330694f9f70f4361d597df2f8c24b2b5d0bdb516b5309511e6896bc",
        "tickets": "a1bb39b65d6d0db08b1ad1edef194022f92d1bbdc1e5870cd06af7018e7b55e4",
    },
}

Interval = tuple[int, int, str]


def _epoch(value: str | None) -> int:
    stamp = _ts(value or "")
    assert stamp is not None, value
    return int(stamp)


def _by_agent(rows: list[dict[str, str | None]], start: str, end: str) -> dict[str, list[Interval]]:
    """Per agent_id: (start, end, state or '') of the rows, by start."""
    intervals: dict[str, list[Interval]] = defaultdict(list)
    for row in rows:
        intervals[row["agent_id"] or ""].append(
            (_epoch(row[start]), _epoch(row[end]), row.get("state") or "")
        )
    for values in intervals.values():
        values.sort()
    return intervals


def _next_month_start(ts: int) -> int:
    day = datetime.fromtimestamp(ts, UTC).date()
    first = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return int(datetime(first.year, first.month, 1, tzinfo=UTC).timestamp())


def _edge_cases(
    states: list[dict[str, str | None]], shifts: list[dict[str, str | None]]
) -> Counter[str]:
    """How many state rows are of each deliberate edge case."""
    shifts_of = _by_agent(shifts, "shift_start", "shift_end")
    cases: Counter[str] = Counter()
    for agent, intervals in _by_agent(states, "started_at", "ended_at").items():
        agent_shifts = shifts_of.get(agent, [])
        starts = {shift_start for shift_start, _, _ in agent_shifts}
        latest_end = None
        for started, ended, state in intervals:
            if started < (started // DAY + 1) * DAY < ended:
                cases["midnight"] += 1
            if started < _next_month_start(started) < ended:
                cases["month_end"] += 1
            if latest_end is not None and started < latest_end:
                cases["overlap"] += 1
            latest_end = ended if latest_end is None else max(latest_end, ended)
            if not any(s < ended and e > started for s, e, _ in agent_shifts):
                cases["outside_every_shift"] += 1
                if ended in starts and state == "available" and 300 <= ended - started <= 900:
                    cases["early_login"] += 1
    return cases


@pytest.fixture(scope="module")
def sample_valid() -> dict[str, list[dict[str, str | None]]]:
    """The valid rows of the bundled sample, by the independent classifier."""
    valid: dict[str, list[dict[str, str | None]]] = {}
    assert _classify(SAMPLE_RAW, valid) == _manifest_tables(SAMPLE_RAW)
    return valid


@pytest.fixture(scope="module")
def quarter(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Three months, 5 % invalid rows, and its clean twin (omit_invalid)."""
    folder = tmp_path_factory.mktemp("quarter")
    generate(folder / "faulty", tickets=300, seed=5, invalid_rate=0.05, months=3)
    generate(folder / "twin", tickets=300, seed=5, invalid_rate=0.05, months=3, omit_invalid=True)
    return folder / "faulty", folder / "twin"


def test_other_tables_are_unchanged_by_agent_states(quarter: tuple[Path, Path]) -> None:
    for name, folder in zip(("faulty", "omit_invalid"), quarter, strict=True):
        expected = BEFORE_AGENT_STATES[name]

        def digest(data: bytes) -> str:
            return hashlib.sha256(data).hexdigest()

        for table in TABLES:
            if table != "agent_states":
                assert digest((folder / f"{table}.csv").read_bytes()) == expected[table], table
        manifest = json.loads((folder / "_manifest.json").read_text())
        assert list(manifest["tables"]) == list(TABLES)
        del manifest["tables"]["agent_states"]
        for counts in manifest["tables"].values():  # cascades were dangling_reference then
            if "invalid_parent" in counts["quarantined"]:
                cascaded = counts["quarantined"].pop("invalid_parent")
                dangling = counts["quarantined"].get("dangling_reference", 0)
                counts["quarantined"]["dangling_reference"] = dangling + cascaded
        assert digest(json.dumps(manifest, indent=2).encode() + b"\n") == expected["_manifest.json"]
        log = (folder / "_invalid_rows.csv").read_bytes()
        log = log.replace(b",invalid_parent,", b",dangling_reference,")
        log = log.replace(b" was delivered without its key", b" is quarantined")
        lines = log.split(b"\r\n")
        ours = [i for i, line in enumerate(lines) if line.startswith(b"agent_states,")]
        assert ours == list(range(len(lines) - 1 - len(ours), len(lines) - 1))  # appended last
        others = b"\r\n".join(line for line in lines if not line.startswith(b"agent_states,"))
        assert digest(others) == expected["_invalid_rows.csv"]
        assert (name == "faulty") == bool(ours)


def test_omit_invalid_twin_holds_exactly_the_valid_agent_states(
    quarter: tuple[Path, Path],
) -> None:
    faulty, twin = quarter
    valid: dict[str, list[dict[str, str | None]]] = {}
    classified = _classify(faulty, valid)
    assert classified == _manifest_tables(faulty)
    twin_rows = _read(twin, "agent_states")
    assert sorted(tuple(row.values()) for row in twin_rows) == sorted(
        tuple(row.values()) for row in valid["agent_states"]
    )
    counts = _manifest_tables(twin)["agent_states"]
    assert counts == {
        "delivered": len(twin_rows),
        "collapsed": 0,
        "staged": classified["agent_states"]["staged"],
        "quarantined": {},
    }
    assert _classify(twin)["agent_states"] == counts


def test_sample_has_agent_states_of_every_state_and_every_edge_case(
    sample_valid: dict[str, list[dict[str, str | None]]],
) -> None:
    manifest = _manifest_tables(SAMPLE_RAW)["agent_states"]
    assert set(manifest["quarantined"]) == MENUS["agent_states"]  # type: ignore[call-overload]
    assert manifest["collapsed"] > 0  # type: ignore[operator]
    states = sample_valid["agent_states"]
    assert {row["state"] for row in states} == AGENT_STATES
    ids = [row["agent_state_id"] or "" for row in states]
    assert all(re.fullmatch(r"AS\d{6}", i) for i in ids) and "AS000001" in ids
    cases = _edge_cases(states, sample_valid["agent_shifts"])
    for case in ("midnight", "month_end", "overlap", "outside_every_shift", "early_login"):
        assert cases[case] > 0, case
    shifts = len(sample_valid["agent_shifts"])
    assert 10 * shifts < len(states) < 40 * shifts


@pytest.mark.parametrize("delivery", ["clean", "faulty"])
def test_generated_agent_states_have_every_edge_case(
    delivery: str, request: pytest.FixtureRequest
) -> None:
    fixture = request.getfixturevalue(delivery)
    folder = fixture if delivery == "clean" else fixture[0]
    valid: dict[str, list[dict[str, str | None]]] = {}
    _classify(folder, valid)
    assert {row["state"] for row in valid["agent_states"]} == AGENT_STATES
    cases = _edge_cases(valid["agent_states"], valid["agent_shifts"])
    for case in ("midnight", "month_end", "overlap", "outside_every_shift", "early_login"):
        assert cases[case] > 0, (delivery, case)


def test_agent_states_cover_their_agents_shifts(clean: Path) -> None:
    shifts_of = _by_agent(_read(clean, "agent_shifts"), "shift_start", "shift_end")
    states = _by_agent(_read(clean, "agent_states"), "started_at", "ended_at")
    assert set(states) == set(shifts_of)  # every working agent, and only them
    rows = sum(len(intervals) for intervals in states.values())
    per_shift: Counter[tuple[str, int]] = Counter()
    covered: Counter[tuple[str, int]] = Counter()
    outside: list[tuple[str, Interval]] = []
    for agent, intervals in states.items():
        shifts = shifts_of[agent]
        reach = 0  # how far the states of the current shift cover it already
        for started, ended, state in intervals:
            home = [
                n
                for n, (s, e, _) in enumerate(shifts)
                if s - SLACK <= started and ended <= e + SLACK
            ]
            if not home:
                outside.append((agent, (started, ended, state)))
                continue
            key = (agent, home[0])
            shift_start, shift_end, _ = shifts[home[0]]
            if per_shift[key] == 0:
                reach = shift_start
            per_shift[key] += 1
            lo, hi = max(started, reach), min(ended, shift_end)
            if hi > lo:
                covered[key] += hi - lo
            reach = max(reach, min(ended, shift_end))
    shift_count = sum(len(shifts) for shifts in shifts_of.values())
    assert len(per_shift) == shift_count  # every shift has states
    assert 10 <= rows / shift_count <= 40
    assert min(per_shift.values()) >= 4 and max(per_shift.values()) <= 60
    coverage = [
        covered[(agent, n)] / (e - s)
        for agent, shifts in shifts_of.items()
        for n, (s, e, _) in enumerate(shifts)
    ]
    assert min(coverage) >= 0.95  # only a late login leaves a few minutes without a state
    assert sum(coverage) / len(coverage) > 0.99
    # the deliberate sessions outside every shift: few, far from any shift, across a month end
    assert 0 < len(outside) <= 0.001 * rows
    for agent, (started, ended, _state) in outside:
        assert not any(s < ended + 7200 and e > started - 7200 for s, e, _ in shifts_of[agent])
    assert any(started < _next_month_start(started) < ended for _, (started, ended, _) in outside)


def test_answered_calls_in_a_shift_become_on_contact_then_after_contact_work(
    clean: Path,
) -> None:
    shifts_of = _by_agent(_read(clean, "agent_shifts"), "shift_start", "shift_end")
    states = {
        agent: set(intervals)
        for agent, intervals in _by_agent(
            _read(clean, "agent_states"), "started_at", "ended_at"
        ).items()
    }
    in_shift = matched = 0
    for call in _read(clean, "calls"):
        if call["answered_at"] is None or call["agent_id"] is None:
            continue
        answered, ended = _epoch(call["answered_at"]), _epoch(call["ended_at"])
        if not any(s <= answered < e for s, e, _ in shifts_of[call["agent_id"]]):
            continue
        in_shift += 1
        agent_states = states[call["agent_id"]]
        wrap_up = int(call["after_call_work_seconds"] or "0")
        if (answered, ended, "on_contact") in agent_states and (
            wrap_up == 0 or (ended, ended + wrap_up, "after_contact_work") in agent_states
        ):
            matched += 1
    assert in_shift >= 50
    assert matched >= 0.9 * in_shift


def test_agent_state_faults_are_the_contract_rules(faulty: tuple[Path, Manifest]) -> None:
    folder, manifest = faulty
    assert set(manifest.tables["agent_states"].quarantined) == MENUS["agent_states"]
    with (folder / "_invalid_rows.csv").open(newline="", encoding="utf-8") as handle:
        reasons: dict[str, set[str]] = defaultdict(set)
        for entry in csv.DictReader(handle):
            if entry["table"] == "agent_states":
                reasons[entry["key"]].add(entry["reason_code"])
    with (folder / "agent_states.csv").open(newline="", encoding="utf-8") as handle:
        raw = list(csv.DictReader(handle))
    seen: Counter[str] = Counter()
    for row in raw:
        key = row["agent_state_id"].strip()
        if row["state"] in ("lunch", "AVAILABLE", " Break "):  # trimmed, case-sensitive
            assert reasons[key] == {"unknown_value"}, row
            seen["unknown_value"] += 1
        if row["started_at"].startswith("2099-"):
            assert reasons[key] == {"out_of_range"}, row
            seen["future"] += 1
        if row["agent_id"] == "A_missing":
            assert reasons[key] == {"dangling_reference"}, row
            seen["dangling"] += 1
        if row["ended_at"].endswith("+02:00"):
            assert reasons[key] == {"invalid_format"}, row
            seen["offset"] += 1
    assert seen["unknown_value"] >= 3 and min(seen.values()) > 0 and len(seen) == 4


# -- formats and API ---------------------------------------------------------------------------
def test_parquet_holds_the_csv_rows(tmp_path: Path) -> None:
    generate(tmp_path / "csv", tickets=300, seed=5, invalid_rate=0.05)
    manifest = generate(tmp_path / "pq", tickets=300, seed=5, invalid_rate=0.05, fmt="parquet")
    assert manifest.generator.format == "parquet"
    for table in TABLES:
        with (tmp_path / "csv" / f"{table}.csv").open(newline="", encoding="utf-8") as handle:
            reader = csv.reader(handle)
            header = next(reader)
            csv_rows = [tuple(v if v != "" else None for v in row) for row in reader]
        parquet = pq.read_table(tmp_path / "pq" / f"{table}.parquet")
        assert parquet.column_names == header
        assert {str(field.type) for field in parquet.schema} == {"string"}
        assert [tuple(r.values()) for r in parquet.to_pylist()] == csv_rows, table
    assert (tmp_path / "pq" / "_invalid_rows.csv").read_bytes() == (
        tmp_path / "csv" / "_invalid_rows.csv"
    ).read_bytes()
    again = generate(tmp_path / "pq2", tickets=300, seed=5, invalid_rate=0.05, fmt="parquet")
    assert again.to_dict() == manifest.to_dict()
    for table in TABLES:
        assert (tmp_path / "pq" / f"{table}.parquet").read_bytes() == (
            tmp_path / "pq2" / f"{table}.parquet"
        ).read_bytes()


def test_progress_is_reported_per_chunk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(generator_api, "TICKETS_PER_CHUNK", 120)
    calls: list[tuple[int, int]] = []
    manifest = generate(
        tmp_path,
        tickets=300,
        seed=1,
        invalid_rate=0.02,
        progress=lambda done, total: calls.append((done, total)),
    )
    assert calls == [(120, 300), (240, 300), (300, 300)]
    assert all(counts.balanced() for counts in manifest.tables.values())
    assert _classify(tmp_path) == _manifest_tables(tmp_path)
    ids = [row["ticket_id"] for row in _read(tmp_path, "tickets") if row["ticket_id"]]
    assert len(set(ids)) >= 300 - 10


def test_rejects_bad_arguments(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        generate(tmp_path, tickets=0, seed=1)
    with pytest.raises(ValueError):
        generate(tmp_path, tickets=10, seed=1, invalid_rate=0.9)
    with pytest.raises(ValueError):
        generate(tmp_path, tickets=10, seed=1, fmt="xlsx")  # type: ignore[arg-type]
