"""The Amazon Connect adapter (raw_sources: {calls: amazon_connect}) on contact
records (CTRs) in the shape Amazon Connect streams them: one JSON object per
line, field names of the "Contact records data model".

The hand-made records in tests/fixtures/amazon_connect (README, "Amazon
Connect"), 13 lines in 5 files; one file is gzipped for the build, to read
.gz too. The other contract tables come from a small contract folder written
below (CONTRACT): agents mgarcia, A-102 (e-mail Priya.Shah@example.com) and
7d9e2f40-... (Connect's agent id), customers C-001 (phone +44 20 7183 8750)
and C-002 (+49 151 12345678), every other table empty. The build sets var
amazon_connect_resolved_attribute to Resolved. Every expected figure below is
computed by hand from those records:

- C1 (a1f3c2d4), answered inbound: enqueued in Billing 09:00:40, connected to
  mgarcia 09:01:05 (speed of answer 25 s), 420 s interaction, 65 s hold, 90 s
  after-contact work, disconnected 09:09:10 (= 09:01:05 + 420 + 65 s);
  caller +442071838750 = C-001; attribute Resolved "true". Delivered twice,
  identical (the second copy, in a later file, is kept; the first is an
  exact duplicate).
- C2 (b2e4d6f8), abandoned in queue: Agent null; enqueued 10:15:30,
  disconnected 10:17:10 (100 s wait); unknown caller; 0 s everywhere.
- T1 (c3d5e7f9) -> T2 (d4e6f8a0), a transfer: T1 is inbound, answered by
  mgarcia after 30 s, NextContactId T2; T2 is a TRANSFER leg (its initial
  contact T1 is INBOUND, so inbound) in queue Tier 2, answered by
  priya.shah@example.com (agent A-102 by e-mail) after 20 s. mgarcia entered
  after-contact work at 14:06:50, before Priya (14:15:50): T1 was
  transferred, T2 was not.
- CB0 (e5f7a9b1) -> CB1 (f6a8b0c2), a queued callback: CB0 left the Billing
  queue for a callback without reaching an agent (not mapped:
  callback_requested); CB1 (CALLBACK, inbound) waited in Billing Callbacks
  from 11:02:00 to 11:20:00 (1,080 s), its agent has no Username: the id at
  the end of Agent.ARN (7d9e2f40-...); caller C-002.
- OB (a7b9c1d3), outbound: offered = InitiationTimestamp 15:30:00 (the
  outbound queue has no EnqueueTimestamp), answered 15:30:00; never
  abandoned (outbound).
- RD (b8c0d2e4), re-delivered: the copy of 08:16:30 (LastUpdateTimestamp)
  has the after-contact work, 255 s; the older copy of 08:12:00, without it,
  lands in a later file and is superseded. Counted once, with 255 s.
- MA (c9d1e3f5): no Agent key at all, queue Technical Support: 3 s in
  queue, an abandon, a short one (<= 5 s).
- CH (d0e2f4a6): a CHAT contact, not mapped (not_voice).
- MN (e1f3a5b7): enqueued 23:58:30 on 2025-03-06, answered 23:59:10,
  disconnected 00:06:40 on 2025-03-07 (420 + 30 s later); offered that 6th.

Landed: 13 lines = 9 mapped + 4 not mapped (exact_duplicate, superseded_version,
callback_requested, not_voice); all 9 calls are valid (none quarantined).
"""

from __future__ import annotations

import gzip
import shutil
from datetime import datetime
from pathlib import Path

import pytest

from dbt_helpers import AS_OF, PROJECT_DIR, query, run_dbt

FIXTURE = PROJECT_DIR / "tests" / "fixtures" / "amazon_connect"
GZIPPED = "ctr-2025-03-04-23-59-02.jsonl"

# The contract tables other than calls. Written at test time, not kept under
# tests/fixtures: dbt reads every CSV there as a unit-test fixture, and these
# names are taken by tests/fixtures/raw_invalid.
CONTRACT = {
    "agents.csv": (
        "agent_id,full_name,email,team,hired_at,terminated_at\n"
        "mgarcia,Marta Garcia,marta.garcia@example.com,Billing,2023-01-09,\n"
        "A-102,Priya Shah,Priya.Shah@example.com,Technical Support,2022-06-01,\n"
        "7d9e2f40-5b6a-4c8d-9e1f-3a2b4c6d8e0f,Tom Okafor,tom.okafor@example.com,"
        "Billing,2024-02-12,\n"
    ),
    "customers.csv": (
        "customer_id,full_name,email,phone,segment,country,signed_up_at\n"
        "C-001,Ada Lovelace,ada.lovelace@example.com,+44 20 7183 8750,smb,GB,"
        "2024-05-01T10:00:00Z\n"
        "C-002,Jonas Weber,jonas.weber@example.com,+49 151 12345678,consumer,DE,"
        "2024-07-15T08:30:00Z\n"
    ),
    "agent_shifts.csv": "shift_id,agent_id,shift_start,shift_end\n",
    "tickets.csv": (
        "ticket_id,customer_id,channel,direction,category,priority,status,team,"
        "assignee_agent_id,created_at,updated_at\n"
    ),
    "ticket_events.csv": (
        "event_id,ticket_id,event_at,event_type,from_value,to_value,actor_agent_id\n"
    ),
    "ticket_messages.csv": "message_id,ticket_id,author_type,author_id,is_public,sent_at\n",
    "survey_responses.csv": (
        "response_id,survey_type,customer_id,ticket_id,call_id,sent_at,responded_at,score,comment\n"
    ),
    "orders.csv": "order_id,customer_id,ordered_at,amount,currency\n",
}


def _landing(work: Path) -> tuple[Path, Path]:
    """The fixture's records (one file gzipped) and the contract folder. The records'
    folder name holds glob characters and has a sibling it would match as a pattern
    (holding a line that is not JSON): paths are read literally."""
    records = work / "amazon_connect[1]"
    shutil.copytree(FIXTURE, records)
    decoy = work / "amazon_connect1"
    decoy.mkdir()
    (decoy / "decoy.jsonl").write_text("not a contact record\n")
    plain = records / GZIPPED
    (records / f"{GZIPPED}.gz").write_bytes(gzip.compress(plain.read_bytes()))
    plain.unlink()
    contract = work / "contract"
    contract.mkdir()
    for name, text in CONTRACT.items():
        (contract / name).write_text(text)
    return records, contract


def _connect_vars(records: Path, contract: Path) -> dict[str, object]:
    return {
        "raw_path": str(contract),
        "raw_sources": {"calls": "amazon_connect"},
        "amazon_connect_path": str(records),
        "amazon_connect_resolved_attribute": "Resolved",
        "as_of_at": AS_OF,
    }


@pytest.fixture(scope="module")
def connect_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("amazon_connect")
    database = work / "warehouse.duckdb"
    run_dbt(["build"], database, _connect_vars(*_landing(work)))
    return database


def test_calls_equal_the_hand_computation(connect_warehouse: Path) -> None:
    rows = query(
        connect_warehouse,
        "select left(call_id, 8), customer_id, agent_id, queue, direction, offered_at, "
        "answered_at, ended_at, talk_seconds, hold_seconds, after_call_work_seconds, "
        "is_transferred, is_abandoned, speed_of_answer_seconds, is_resolved_call "
        "from marts.fct_calls order by offered_at",
    )

    def at(day_and_time: str) -> datetime:
        return datetime.fromisoformat(f"2025-03-{day_and_time}")

    agent_arn_id = "7d9e2f40-5b6a-4c8d-9e1f-3a2b4c6d8e0f"
    assert rows == [
        ("a1f3c2d4", "C-001", "mgarcia", "Billing", "inbound", at("03 09:00:40"),
         at("03 09:01:05"), at("03 09:09:10"), 420, 65, 90, False, False, 25.0, True),
        ("b2e4d6f8", None, None, "Billing", "inbound", at("03 10:15:30"),
         None, at("03 10:17:10"), 0, 0, 0, False, True, None, False),
        ("c3d5e7f9", "C-001", "mgarcia", "Technical Support", "inbound", at("04 14:00:20"),
         at("04 14:00:50"), at("04 14:06:50"), 300, 60, 30, True, False, 30.0, False),
        ("d4e6f8a0", "C-001", "A-102", "Tier 2", "inbound", at("04 14:05:30"),
         at("04 14:05:50"), at("04 14:15:50"), 600, 0, 120, False, False, 20.0, False),
        ("f6a8b0c2", "C-002", agent_arn_id, "Billing Callbacks", "inbound", at("05 11:02:00"),
         at("05 11:20:00"), at("05 11:24:12"), 240, 0, 45, False, False, 1080.0, False),
        ("a7b9c1d3", "C-002", "mgarcia", "Billing", "outbound", at("05 15:30:00"),
         at("05 15:30:00"), at("05 15:33:18"), 180, 0, 20, False, False, 0.0, False),
        ("b8c0d2e4", None, "A-102", "Technical Support", "inbound", at("06 08:00:15"),
         at("06 08:01:15"), at("06 08:11:15"), 600, 0, 255, False, False, 60.0, False),
        ("c9d1e3f5", "C-001", None, "Technical Support", "inbound", at("06 12:00:10"),
         None, at("06 12:00:13"), 0, 0, 0, False, True, None, False),
        ("e1f3a5b7", None, "mgarcia", "Billing", "inbound", at("06 23:58:30"),
         at("06 23:59:10"), at("07 00:06:40"), 420, 30, 60, False, False, 40.0, False),
    ]  # fmt: skip
    # The short abandon (3 s in queue), and the call across midnight is
    # offered on the 6th.
    assert query(
        connect_warehouse,
        "select left(call_id, 8), is_short_abandon, offered_date::varchar from marts.fct_calls "
        "where is_abandoned or ended_at::date > offered_date order by 1",
    ) == [
        ("b2e4d6f8", False, "2025-03-03"),
        ("c9d1e3f5", True, "2025-03-06"),
        ("e1f3a5b7", False, "2025-03-06"),
    ]


def test_the_adapter_delivers_text_in_contract_shape(connect_warehouse: Path) -> None:
    # The re-delivered contact once, with its later copy; is_resolved from the
    # attribute, null on the abandoned calls and where the attribute is not set.
    assert query(
        connect_warehouse,
        "select left(call_id, 8), offered_at, after_call_work_seconds, transferred, is_resolved "
        "from staging.base_amazon_connect__calls "
        "where left(call_id, 8) in ('a1f3c2d4', 'b2e4d6f8', 'b8c0d2e4', 'c3d5e7f9') order by 1",
    ) == [
        ("a1f3c2d4", "2025-03-03T09:00:40Z", "90", "false", "true"),
        ("b2e4d6f8", "2025-03-03T10:15:30Z", "0", "false", None),
        ("b8c0d2e4", "2025-03-06T08:00:15Z", "255", "false", None),
        ("c3d5e7f9", "2025-03-04T14:00:20Z", "30", "true", "false"),
    ]
    # Every delivered call is valid; the routing is recorded.
    assert query(
        connect_warehouse,
        "select raw_source, count_delivered_rows, count_staged_rows, count_quarantined_rows "
        "from quarantine.quarantine_support__summary where table_name = 'calls'",
    ) == [("amazon_connect", 9, 9, 0)]


def test_every_landed_line_is_accounted_for(connect_warehouse: Path) -> None:
    assert query(
        connect_warehouse,
        "select landed_table, count_landed_rows, count_mapped_rows, count_not_mapped_rows "
        "from quarantine.quarantine_amazon_connect__landed_summary",
    ) == [("contact_records", 13, 9, 4)]
    rows = query(
        connect_warehouse,
        "select regexp_extract(file_name, '[^/]+$'), line_number, left(contact_id, 8), "
        "not_mapped_reason from quarantine.quarantine_amazon_connect__landed_rows "
        "where outcome = 'not_mapped' order by 1, 2",
    )
    assert rows == [
        ("ctr-2025-03-03-23-59-01.jsonl", 1, "a1f3c2d4", "exact_duplicate"),
        ("ctr-2025-03-05-23-59-03.json", 1, "e5f7a9b1", "callback_requested"),
        ("ctr-2025-03-06-23-59-04.jsonl", 3, "d0e2f4a6", "not_voice"),
        ("ctr-2025-03-07-23-59-05.jsonl", 2, "b8c0d2e4", "superseded_version"),
    ]
    # The gzipped file was read too.
    assert query(
        connect_warehouse,
        "select count(*) from quarantine.quarantine_amazon_connect__landed_rows "
        "where file_name like '%.jsonl.gz' and outcome = 'mapped'",
    ) == [(2,)]


def test_a_line_that_is_not_json_stops_the_build(tmp_path: Path) -> None:
    records, contract = _landing(tmp_path)
    bad = records / "ctr-2025-03-08-23-59-06.jsonl"
    not_json = '{"ContactId": "f0e1d2c3-0000-4000-8000-000000000013", "Channel": VOICE}'
    bad.write_text(
        '{"ContactId": "f0e1d2c3-0000-4000-8000-000000000012", "Channel": "VOICE"}\n\n'
        + not_json
        + "\n"
    )
    result = run_dbt(
        ["run", "--select", "base_amazon_connect__contact_records"],
        tmp_path / "warehouse.duckdb",
        _connect_vars(records, contract),
        check=False,
    )
    assert result.returncode != 0
    assert (
        f"Amazon Connect contact records: file {bad} line 3 is not JSON: {not_json}"
        in result.stdout
    )
