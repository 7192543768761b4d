"""The Intercom adapter (raw_source: intercom_fivetran) on landed tables in the
shape Fivetran's Intercom connector writes.

One build reads two workspaces (var intercom_accounts): the bundled sample
(data/intercom_fivetran_sample, prefix `sample:`) and the hand-made landing
tests/fixtures/intercom_fivetran (prefix `fixture:`), which holds the cases
the sample lacks. Every expected figure below is computed by hand from
their rows.

The sample's two conversations were started by contact
5f7295ca37f0d717d37dfddb, who is not landed: a customer known only from the
conversations (consumer, signed up at the first, 2020-10-28 23:59:37). Its
nine parts belong to conversations that are not landed (quarantined as
dangling references), so each conversation has only its source message (the
customer's: no reply, no reopen) and its versions; both are open Messenger
conversations (chat, customer_initiated: inbound; not_priority: normal; no
team: Unassigned; admin 4077639 assigned) closed in their latest version,
which is the one reconciling status change open -> solved at that update:
- 156643300001311: created 2020-10-28 23:59:37, latest version 2020-11-02
  14:17:59 closed: solved then, 4 d 14 h 18 min 22 s = 6,618.37 minutes.
- 156643300001372: created 2020-11-04 03:12:03, latest version (by
  updated_at, not by file order) 2020-11-06 13:55:01 closed: 2 d 10 h 42 min
  58 s = 3,522.97 minutes.

The fixture:

- 9001 (chat, customer_initiated, priority -> high, team t1 Billing): created
  Mon 2025-03-03 09:00. Fin's comment at 09:02 is a bot message, no reply;
  the first public agent reply is part 103 at 09:30 (its later version,
  same created_at): 30 minutes. Note 104 is internal; the second assignment
  to a1 (109) is no change. Closed at 10:00 (open -> solved); the
  customer's comment at 08:00 the next day reopens it (solved -> open: one
  reopen); a1 replies at 08:30 and closes at 09:00: solved_at 2025-03-04
  09:00, 24 h = 1,440 minutes; two public agent replies (103, 107). Rated 5
  at 09:05: a csat response sent at the last close (09:00).
- 9002 (email, not_priority -> normal, no team -> Unassigned; legacy
  assignee_id): created Wed 2025-03-05 12:00; a2 replies at 12:20 (20
  minutes) and snoozes (open -> pending); the timer unsnoozes it the next
  day (pending -> open: not a reopen); Fin closes it at 13:00 (open ->
  solved); a2 reopens it on the 7th at 10:00 (solved -> open: one reopen)
  and closes it at 11:00 with a message (a reply and a resolution):
  solved_at 2025-03-07 11:00, 47 h = 2,820 minutes; two replies (201, 206).
  Its rating was asked but not given: an unanswered invitation.
- 9003 (email, admin_initiated: outbound): the admin's source message is a
  public agent message at creation (first_reply 0; the first-reply KPIs
  count inbound tickets only); its customer is c1, the first contact of the
  conversation's latest version in conversation_contact_history; snoozed
  now, with no snooze part landed: one reconciling status change open ->
  pending at its last update. Not solved, no reopen.
- 9004 has an unknown source type (carrier_pigeon): the ticket is
  quarantined (unknown_value, channel), not dropped.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from dbt_helpers import AS_OF, PROJECT_DIR, query, run_dbt

FIXTURE = PROJECT_DIR / "tests" / "fixtures" / "intercom_fivetran"
SAMPLE = PROJECT_DIR / "data" / "intercom_fivetran_sample"


@pytest.fixture(scope="module")
def intercom_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    database = tmp_path_factory.mktemp("intercom") / "warehouse.duckdb"
    accounts = [
        {"prefix": "sample:", "path": str(SAMPLE)},
        {"prefix": "fixture:", "path": str(FIXTURE)},
    ]
    run_dbt(
        ["build"],
        database,
        {"raw_source": "intercom_fivetran", "intercom_accounts": accounts, "as_of_at": AS_OF},
    )
    return database


def test_ticket_measures_equal_the_hand_computation(intercom_warehouse: Path) -> None:
    rows = query(
        intercom_warehouse,
        "select ticket_id, first_reply_calendar_minutes, is_solved, solved_at, "
        "resolution_calendar_minutes, count_reopens, count_public_agent_messages "
        "from marts.fct_tickets order by ticket_id",
    )
    at = datetime.fromisoformat
    assert rows == [
        ("fixture:9001", 30.0, True, at("2025-03-04 09:00:00"), 1440.0, 1, 2),
        ("fixture:9002", 20.0, True, at("2025-03-07 11:00:00"), 2820.0, 1, 2),
        ("fixture:9003", 0.0, False, None, None, 0, 1),
        ("sample:156643300001311", None, True, at("2020-11-02 14:17:59"),
         pytest.approx(6618 + 22 / 60), 0, 0),
        ("sample:156643300001372", None, True, at("2020-11-06 13:55:01"),
         pytest.approx(3522 + 58 / 60), 0, 0),
    ]  # fmt: skip


def test_conversations_are_mapped_to_tickets(intercom_warehouse: Path) -> None:
    assert query(
        intercom_warehouse,
        "select ticket_id, customer_id, channel, direction, priority, status, team, "
        "assignee_agent_id from staging.stg_support__tickets order by ticket_id",
    ) == [
        ("fixture:9001", "fixture:c1", "chat", "inbound", "high", "solved", "Billing",
         "fixture:a1"),
        ("fixture:9002", "fixture:c2", "email", "inbound", "normal", "solved", "Unassigned",
         "fixture:a2"),
        ("fixture:9003", "fixture:c1", "email", "outbound", "normal", "pending", "Tier 2",
         "fixture:a1"),
        ("sample:156643300001311", "sample:5f7295ca37f0d717d37dfddb", "chat", "inbound",
         "normal", "solved", "Unassigned", "sample:4077639"),
        ("sample:156643300001372", "sample:5f7295ca37f0d717d37dfddb", "chat", "inbound",
         "normal", "solved", "Unassigned", "sample:4077639"),
    ]  # fmt: skip
    assert query(
        intercom_warehouse,
        "select event_id, from_value, to_value from staging.stg_support__ticket_events "
        "where ticket_id = 'fixture:9003' order by event_at",
    ) == [("fixture:9003:opened", "new", "open"), ("fixture:9003:state", "open", "pending")]


def test_a_bot_part_is_a_bot_message_and_notes_are_internal(intercom_warehouse: Path) -> None:
    assert query(
        intercom_warehouse,
        "select message_id, author_type, author_id, is_public "
        "from staging.stg_support__ticket_messages where ticket_id = 'fixture:9001' "
        "order by sent_at",
    ) == [
        ("fixture:9001:source", "customer", "fixture:c1", True),
        ("fixture:101", "bot", None, True),
        ("fixture:103", "agent", "fixture:a1", True),
        ("fixture:104", "agent", "fixture:a1", False),
        ("fixture:106", "customer", "fixture:c1", True),
        ("fixture:107", "agent", "fixture:a1", True),
    ]


def test_contacts_admins_and_ratings_are_mapped(intercom_warehouse: Path) -> None:
    assert query(
        intercom_warehouse,
        "select customer_id, segment, country_code, signed_up_at::varchar "
        "from staging.stg_support__customers where customer_id like 'fixture:%' order by 1",
    ) == [
        ("fixture:c1", "smb", "FR", "2024-06-01 12:00:00"),
        ("fixture:c2", "consumer", None, "2025-03-01 09:00:00"),
    ]
    assert query(
        intercom_warehouse,
        "select customer_id, full_name, segment, signed_up_at::varchar "
        "from staging.stg_support__customers where customer_id = 'sample:5f7295ca37f0d717d37dfddb'",
    ) == [("sample:5f7295ca37f0d717d37dfddb", None, "consumer", "2020-10-28 23:59:37")]
    assert query(
        intercom_warehouse,
        "select agent_id, team, hired_date::varchar, terminated_date::varchar "
        "from staging.stg_support__agents where agent_id like 'fixture:%' order by 1",
    ) == [
        ("fixture:a1", "Billing", "2025-03-03", None),
        ("fixture:a2", "Billing", "2025-03-05", "2025-03-12"),
    ]
    assert query(
        intercom_warehouse,
        "select response_id, sent_at::varchar, responded_at::varchar, score, comment "
        "from staging.stg_support__survey_responses order by 1",
    ) == [
        ("fixture:9001:rating", "2025-03-04 09:00:00", "2025-03-04 09:05:00", 5, "Quick and kind"),
        ("fixture:9002:rating", "2025-03-07 11:00:00", None, None, None),
    ]


def test_every_landed_row_is_accounted_for(intercom_warehouse: Path) -> None:
    summary = query(
        intercom_warehouse,
        "select landed_table, count_landed_rows, count_mapped_rows, count_not_mapped_rows "
        "from quarantine.quarantine_intercom_fivetran__landed_summary order by 1",
    )
    # Sample + fixture rows.
    assert summary == [
        ("admin", 6, 6, 0),
        ("contact_company_history", 11, 10, 1),
        ("contact_history", 12, 11, 1),
        ("conversation_contact_history", 13, 2, 11),
        ("conversation_history", 15, 6, 9),
        ("conversation_part_history", 27, 20, 7),
        ("team", 5, 5, 0),
        ("team_admin", 8, 6, 2),
    ]
    assert all(landed == mapped + not_mapped for _, landed, mapped, not_mapped in summary)
    reasons = {
        (table, reason): count
        for table, reason, count in query(
            intercom_warehouse,
            "select landed_table, not_mapped_reason, count_rows "
            "from quarantine.quarantine_intercom_fivetran__landed_rows "
            "where outcome = 'not_mapped'",
        )
    }
    assert reasons == {
        # Older versions: c1's first version and company link, 9003's first
        # contacts, part 103's first version, seven sample and two fixture
        # conversation versions.
        ("contact_company_history", "superseded_version"): 1,
        ("contact_history", "superseded_version"): 1,
        ("conversation_contact_history", "superseded_version"): 1,
        ("conversation_contact_history", "other_participant"): 1,
        ("conversation_contact_history", "conversation_not_landed"): 9,
        ("conversation_history", "superseded_version"): 9,
        ("conversation_part_history", "superseded_version"): 1,
        # 109 (a1 again) and three repeated sample closes.
        ("conversation_part_history", "no_change"): 4,
        ("conversation_part_history", "team_assignment"): 1,
        ("conversation_part_history", "part_type_not_mapped"): 1,
        ("team_admin", "other_team_of_admin"): 1,
        ("team_admin", "deleted_membership"): 1,
    }
    # What was mapped is staged or quarantined with its reason, as any delivery:
    # the five status changes and the note of the sample's unlanded
    # conversations (dangling); 9004 (unknown source type), and its opening and
    # source message with it (invalid_parent, D32).
    assert query(
        intercom_warehouse,
        "select table_name, reason_code, reason_column, count_rows "
        "from quarantine.quarantine_support__reasons order by 1, 2",
    ) == [
        ("ticket_events", "dangling_reference", "ticket_id", 5),
        ("ticket_events", "invalid_parent", "ticket_id", 1),
        ("ticket_messages", "dangling_reference", "ticket_id", 1),
        ("ticket_messages", "invalid_parent", "ticket_id", 1),
        ("tickets", "unknown_value", "channel", 1),
    ]
