"""The Zendesk adapter (raw_source: zendesk_fivetran) on landed tables in the
shape Fivetran's Zendesk connector writes.

The hand-made landing tests/fixtures/zendesk_fivetran holds the cases the
sample lacks. Schedules: 100 (the account default, created first) is around
the clock in UTC; 200 is New York, Monday to Friday 09:00-17:00, with a
holiday on Monday 2025-03-10 (the day after the switch to daylight time).
Every expected figure below is computed by hand from those rows:

- 1001 (schedule 200): created Fri 2025-03-07 21:00 UTC (16:00 EST). A
  trigger's public comment (via rule) and an internal note are no replies;
  the first public agent reply is Tue 2025-03-11 14:00 UTC (10:00 EDT):
  5,340 calendar minutes, 60 (Fri 16-17 EST) + 0 (weekend, holiday) + 60
  (Tue 09-10 EDT) = 120 business minutes. Solved Tue 14:05 (125 business
  minutes), closed by an automation on the 15th: an archive, not a
  resolution, so solved_at stays Tue 14:05.
- 1002: its schedule changed mid-ticket from 100 to 200; it is measured in
  its current one (200): created Wed 20:00 UTC (16:00 EDT), replied Thu
  14:00 UTC (10:00 EDT): 1,080 calendar, 60 + 60 = 120 business minutes
  (around the clock it would be 1,080); solved 30 s after the reply.
- 1003 (no schedule: the default, around the clock): reply after 60
  minutes; solved, reopened by the customer, solved again (one reopen, two
  public agent replies, solved_at the second solve, 1,205 minutes).
- 1004, closed by a merge into 1003 after 30 minutes: a resolution (new ->
  closed), no public agent reply (the merge note is internal).
- 1005 is deleted (not delivered, nor its comment and history); 1006 has an
  unknown via channel (quarantined); a comment of ticket 9999, which is not
  landed, is quarantined; 1007 is an outbound call an agent logged.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from dbt_helpers import AS_OF, PROJECT_DIR, query, run_dbt, work_project

FIXTURE = PROJECT_DIR / "tests" / "fixtures" / "zendesk_fivetran"
SAMPLE = PROJECT_DIR / "data" / "zendesk_fivetran_sample"


def _zendesk_vars(folder: Path) -> dict[str, object]:
    return {"raw_source": "zendesk_fivetran", "zendesk_path": str(folder), "as_of_at": AS_OF}


@pytest.fixture(scope="module")
def zendesk_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    database = tmp_path_factory.mktemp("zendesk") / "warehouse.duckdb"
    run_dbt(["build"], database, _zendesk_vars(FIXTURE))
    return database


def test_ticket_measures_equal_the_hand_computation(zendesk_warehouse: Path) -> None:
    rows = query(
        zendesk_warehouse,
        "select ticket_id, first_reply_calendar_minutes, first_reply_business_minutes, "
        "is_solved, solved_at, resolution_calendar_minutes, resolution_business_minutes, "
        "count_reopens, count_public_agent_messages from marts.fct_tickets order by ticket_id",
    )
    at = datetime.fromisoformat
    assert rows == [
        ("1001", 5340.0, 120.0, True, at("2025-03-11 14:05:00"), 5345.0, 125.0, 0, 1),
        ("1002", 1080.0, 120.0, True, at("2025-03-13 14:00:30"), 1080.5, 120.5, 0, 1),
        ("1003", 60.0, 60.0, True, at("2025-03-18 10:05:00"), 1205.0, 1205.0, 1, 2),
        ("1004", None, None, True, at("2025-03-18 14:30:00"), 30.0, 30.0, 0, 0),
        ("1007", 0.0, 0.0, False, None, None, None, 0, 1),
    ]


def test_tickets_users_and_ratings_are_mapped(zendesk_warehouse: Path) -> None:
    assert query(
        zendesk_warehouse,
        "select ticket_id, channel, direction, priority, status, team, assignee_agent_id "
        "from staging.stg_support__tickets order by ticket_id",
    ) == [
        ("1001", "email", "inbound", "high", "closed", "Tier 1", "2"),
        # No priority in Zendesk: var zendesk_default_priority.
        ("1002", "web_form", "inbound", "normal", "solved", "Tier 1", "2"),
        ("1003", "chat", "inbound", "normal", "solved", "Tier 2", "3"),
        ("1004", "email", "inbound", "low", "closed", "Tier 2", "3"),
        ("1007", "phone", "outbound", "urgent", "pending", "Tier 1", "2"),
    ]
    # An end-user who was assigned a ticket is an agent who left (terminated on
    # the user's last update); the deleted user is neither.
    assert query(
        zendesk_warehouse,
        "select agent_id, team, hired_date::varchar, terminated_date::varchar "
        "from staging.stg_support__agents order by agent_id",
    ) == [
        ("2", "Tier 1", "2023-05-01", None),
        ("3", "Tier 2", "2022-02-01", None),
        ("4", "Unassigned", "2021-03-01", "2025-03-17"),
    ]
    assert query(
        zendesk_warehouse,
        "select customer_id, segment from staging.stg_support__customers order by 1",
    ) == [("1", "smb"), ("4", "consumer")]
    # good -> 5, bad -> 1, offered -> an unanswered invitation, unoffered -> none.
    assert query(
        zendesk_warehouse,
        "select response_id, score, responded_at is not null "
        "from staging.stg_support__survey_responses order by 1",
    ) == [("7001", 5, True), ("7002", None, False), ("7004", 1, True)]
    assert query(
        zendesk_warehouse,
        "select message_id, author_type, is_public from staging.stg_support__ticket_messages "
        "where message_id in ('2', '3', '16') order by 1",
    ) == [("16", "system", False), ("2", "system", True), ("3", "agent", False)]


def test_business_hours_come_from_zendesk(zendesk_warehouse: Path) -> None:
    hours = query(
        zendesk_warehouse,
        "select schedule_id, time_zone, day_of_week, open_time, close_time "
        "from staging.base_zendesk_fivetran__business_hours order by 1, 3",
    )
    assert hours[:7] == [("standard", "Etc/UTC", day, "00:00", "24:00") for day in range(1, 8)]
    # The deleted Friday evening interval is not there.
    assert hours[7:] == [
        ("zendesk_200", "America/New_York", day, "09:00", "17:00") for day in range(1, 6)
    ]
    assert query(
        zendesk_warehouse,
        "select schedule_id, holiday_date::varchar from staging.base_zendesk_fivetran__holidays",
    ) == [("zendesk_200", "2025-03-10")]


def test_sla_targets_come_from_the_policy_of_most_tickets(zendesk_warehouse: Path) -> None:
    # Policy 501 (three tickets) in its 2025 version: business-hours first
    # reply targets for urgent and high and a resolution target for high; its
    # normal target is in calendar hours, so the seed's stays (as for low).
    assert query(
        zendesk_warehouse,
        "select priority, first_reply_target_minutes, resolution_target_minutes "
        "from staging.base_zendesk_fivetran__sla_policies order by 2",
    ) == [("urgent", 30, 480), ("high", 60, 200), ("normal", 480, 2880), ("low", 1440, 5760)]
    # 1001 (high): replied after 120 business minutes (target 60: breached),
    # solved after 125 (target 200: met).
    assert query(
        zendesk_warehouse,
        "select is_first_reply_sla_met, is_resolution_sla_met from marts.fct_tickets "
        "where ticket_id = '1001'",
    ) == [(False, True)]


def test_every_landed_row_is_accounted_for(zendesk_warehouse: Path) -> None:
    summary = query(
        zendesk_warehouse,
        "select landed_table, count_landed_rows, count_mapped_rows, count_not_mapped_rows "
        "from quarantine.quarantine_zendesk_fivetran__landed_summary order by 1",
    )
    assert summary == [
        ("group", 2, 2, 0),
        ("satisfaction_rating", 4, 3, 1),
        ("schedule", 13, 12, 1),
        ("schedule_holiday", 2, 1, 1),
        ("sla_policy_metric_history", 7, 3, 4),
        ("ticket", 7, 6, 1),
        ("ticket_comment", 16, 15, 1),
        ("ticket_field_history", 26, 16, 10),
        ("ticket_schedule", 3, 2, 1),
        ("ticket_sla_policy", 4, 4, 0),
        ("user", 5, 4, 1),
    ]
    reasons = dict(
        ((table, reason), count)
        for table, reason, count in query(
            zendesk_warehouse,
            "select landed_table, not_mapped_reason, count_rows "
            "from quarantine.quarantine_zendesk_fivetran__landed_rows where outcome = 'not_mapped'",
        )
    )
    assert reasons == {
        ("satisfaction_rating", "unoffered"): 1,
        ("schedule", "deleted_schedule_interval"): 1,
        ("schedule_holiday", "schedule_not_landed"): 1,
        ("ticket", "deleted_ticket"): 1,
        ("ticket_comment", "comment_of_deleted_ticket"): 1,
        # Four first statuses of new, two group changes without tiers, two
        # repeated rows, the requester field, the deleted ticket's status.
        ("ticket_field_history", "no_change"): 4,
        ("ticket_field_history", "group_without_tier_rise"): 2,
        ("ticket_field_history", "exact_duplicate"): 2,
        ("ticket_field_history", "field_not_mapped"): 1,
        ("ticket_field_history", "history_of_deleted_ticket"): 1,
        ("ticket_schedule", "superseded_schedule"): 1,
        ("user", "deleted_user"): 1,
        ("sla_policy_metric_history", "superseded_sla_version"): 1,
        ("sla_policy_metric_history", "calendar_hours_target"): 1,
        ("sla_policy_metric_history", "sla_metric_not_mapped"): 1,
        ("sla_policy_metric_history", "other_sla_policy"): 1,
    }
    # What was mapped is staged or quarantined with its reason, as any delivery.
    assert query(
        zendesk_warehouse,
        "select table_name, reason_code, reason_column, count_rows "
        "from quarantine.quarantine_support__reasons order by 1",
    ) == [
        ("ticket_messages", "dangling_reference", "ticket_id", 1),
        ("tickets", "unknown_value", "channel", 1),
    ]


def test_an_unknown_time_zone_stops_the_build(tmp_path: Path) -> None:
    landing = tmp_path / "landing"
    shutil.copytree(FIXTURE, landing)
    schedule = landing / "schedule.csv"
    schedule.write_text(schedule.read_text().replace("Eastern Time (US & Canada)", "Atlantis"))
    result = run_dbt(["build"], tmp_path / "warehouse.duckdb", _zendesk_vars(landing), check=False)
    assert result.returncode != 0
    assert (
        "Zendesk schedule 200 has the time zone 'Atlantis', which is not in "
        "seeds/zendesk_time_zones.csv" in result.stdout
    )


def test_the_bundled_sample_builds_publishes_and_reports(tmp_path: Path) -> None:
    """The sample through the adapter end to end, as a user runs it: the safe
    build (dbt build, then the BI tables), then the reports. Most of the sample's
    tickets reference users it does not include, so the gate needs publish_anyway."""
    database = tmp_path / "warehouse.duckdb"
    cli = str(Path(sys.executable).with_name("support-kpis"))
    built = subprocess.run(
        [cli, "build", "--project-dir", str(work_project()), "--database", str(database),
         "--", "--vars", json.dumps({**_zendesk_vars(SAMPLE), "publish_anyway": True})],
        capture_output=True, text=True, check=False, cwd=work_project(),
    )  # fmt: skip
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    assert query(
        database,
        "select kpi_value from bi.kpi_monthly where team = 'all teams' "
        "and kpi_name = 'tickets_solved' and month_start_date = '2020-11-01'",
    ) == [(1.0,)]
    reported = subprocess.run(
        [cli, "report", "--month", "2020-11", str(tmp_path / "reports"), "--database",
         str(database), "--project-dir", str(work_project())],
        capture_output=True, text=True, check=False, cwd=work_project(),
    )  # fmt: skip
    assert reported.returncode == 0, reported.stdout[-3000:] + reported.stderr[-3000:]
    assert (tmp_path / "reports" / "management.html").is_file()
    summary = query(
        database,
        "select landed_table, count_landed_rows, count_mapped_rows + count_not_mapped_rows "
        "from quarantine.quarantine_zendesk_fivetran__landed_summary where count_landed_rows > 0",
    )
    assert summary and all(landed == accounted for _, landed, accounted in summary)
    # Ticket 11071 is the one sample ticket whose requester is landed. Created
    # Fri 2020-08-28 18:06:36 UTC; its history opens it, moves it through
    # pending and on-hold, solves it on 2020-11-14 11:01:27 and closes it
    # the next day (an archive). No comment of it is landed. Its schedule
    # row names schedule 3600, which is not landed, so it is measured in the
    # account's one schedule, SupportCA (Pacific, Mon-Fri 08:00-20:00):
    # Fri 11:06:36-20:00 PDT (533.4 minutes) + 55 whole weekdays of 720
    # minutes to Fri 11-13; the solve falls on a Saturday: 40,133.4 business
    # minutes; calendar: 77 days 16:54:51 = 111,894.85 minutes.
    assert query(
        database,
        "select ticket_id, channel, status, is_solved, solved_at::varchar, "
        "resolution_calendar_minutes, resolution_business_minutes, count_reopens, "
        "count_public_agent_messages, first_reply_calendar_minutes from marts.fct_tickets",
    ) == [("11071", "email", "closed", True, "2020-11-14 11:01:27", 111894.85, 40133.4, 0, 0, None)]
    assert query(
        database,
        "select distinct time_zone from staging.base_zendesk_fivetran__business_hours",
    ) == [("America/Los_Angeles",)]


def test_two_accounts_build_together_with_their_ids_apart(tmp_path: Path) -> None:
    accounts = [{"prefix": "us:", "path": str(FIXTURE)}, {"prefix": "eu:", "path": str(FIXTURE)}]
    database = tmp_path / "warehouse.duckdb"
    run_dbt(
        ["build"],
        database,
        {"raw_source": "zendesk_fivetran", "zendesk_accounts": accounts, "as_of_at": AS_OF},
    )
    rows = query(
        database,
        "select ticket_id, first_reply_business_minutes, resolution_business_minutes, "
        "count_reopens from marts.fct_tickets order by ticket_id",
    )
    # Each account's tickets measured in its own schedules, as when alone.
    single = [
        ("1001", 120.0, 125.0, 0),
        ("1002", 120.0, 120.5, 0),
        ("1003", 60.0, 1205.0, 1),
        ("1004", None, 30.0, 0),
        ("1007", 0.0, None, 0),
    ]
    assert rows == [(p + t, *rest) for p in ("eu:", "us:") for t, *rest in single]
    assert query(
        database,
        "select schedule_id from intermediate.int_schedules_listed order by 1",
    ) == [("eu:standard",), ("us:standard",), ("zendesk_eu:200",), ("zendesk_us:200",)]
    assert query(
        database,
        "select count_landed_rows from quarantine.quarantine_zendesk_fivetran__landed_summary "
        "where landed_table = 'ticket'",
    ) == [(14,)]


def test_accounts_need_distinct_prefixes(tmp_path: Path) -> None:
    accounts = [{"prefix": "a:", "path": str(FIXTURE)}, {"prefix": "a:", "path": str(SAMPLE)}]
    result = run_dbt(
        ["parse"],
        tmp_path / "warehouse.duckdb",
        {"raw_source": "zendesk_fivetran", "zendesk_accounts": accounts},
        check=False,
    )
    assert result.returncode != 0
    assert "var zendesk_accounts: every account needs its own non-empty prefix" in result.stdout


@pytest.mark.scale
def test_a_generated_zendesk_delivery_gives_the_kpis_of_its_contract_twin(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """20,000 generated tickets written in the landed Zendesk shape and, the
    same rows, as a contract folder: every KPI by month is equal (the ones
    Zendesk has no data for, calls, orders and shifts, are empty in both)."""
    from support_kpis.generator import generate
    from support_kpis.generator.zendesk_shape import TIER_GROUPS, write_zendesk_landing

    from semantic_helpers import by_month, differences, mf_csv, spec_kpi_names

    work = tmp_path_factory.mktemp("zendesk_generated")
    contract = work / "generated"
    generate(contract, tickets=20_000, seed=5, omit_invalid=True)
    landing = work / "landing"
    write_zendesk_landing(contract, landing, PROJECT_DIR / "seeds")
    through_adapter = work / "adapter" / "warehouse.duckdb"
    through_adapter.parent.mkdir()
    # Delivered after its last timestamp: the generated tickets' activity goes on
    # into the months after the period (and must be plausible, D32).
    delivered_at = {"as_of_at": "2026-07-01 00:00:00"}
    run_dbt(
        ["build"],
        through_adapter,
        {**_zendesk_vars(landing), "zendesk_group_tiers": TIER_GROUPS, **delivered_at},
    )
    as_contract = work / "contract" / "warehouse.duckdb"
    as_contract.parent.mkdir()
    run_dbt(["build"], as_contract, {"raw_path": str(landing / "_contract"), **delivered_at})
    metrics = ("--metrics", ",".join(spec_kpi_names()), "--group-by", "metric_time__month")
    expected = by_month(mf_csv(as_contract, work, *metrics))
    got = by_month(mf_csv(through_adapter, work, *metrics))
    assert len([kpi for kpi, months in expected.items() if months]) >= 40
    assert differences(expected, got)[:20] == []
    # Every generated row is valid, and the adapter delivered it as such; a
    # contract event that repeats a field's value (an assignment to the
    # agent already assigned) has no field-history row, so no event.
    staged_sql = (
        "select table_name, count_staged_rows, count_quarantined_rows "
        "from quarantine.quarantine_support__summary order by 1"
    )
    adapter_counts = {row[0]: row[1:] for row in query(through_adapter, staged_sql)}
    contract_counts = {row[0]: row[1:] for row in query(as_contract, staged_sql)}
    events_adapter, events_contract = (
        adapter_counts.pop("ticket_events"),
        contract_counts.pop("ticket_events"),
    )
    assert adapter_counts == contract_counts
    assert (
        events_adapter[1] == 0
        and 0.98 * events_contract[0] < events_adapter[0] <= events_contract[0]
    )
