"""The same delivery in the shape Fivetran's Zendesk connector lands.

`write_zendesk_landing` reads a generated contract folder (valid rows only:
generate it with `omit_invalid`) and writes, for the rows Zendesk Support
can hold (tickets, their events and messages, customers, agents, CSAT
surveys of tickets), the landed tables the project's Zendesk adapter reads,
and beside them `_contract/`: the same rows as a contract folder (no calls,
orders, shifts or agent states: Zendesk has none). Building both gives the
same KPIs by month: the test of the adapter at scale.

The business hours of the project's seeds become Zendesk schedules: the
default schedule first (Zendesk's default is the earliest), the others after,
with their holidays; a ticket whose team uses another schedule gets a
ticket_schedule row. Escalations become group changes between one group per
tier (build with var zendesk_group_tiers = `TIER_GROUPS`).
"""

from __future__ import annotations

import csv
import shutil
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path

from support_kpis.generator.schema import TABLE_COLUMNS

CHANNEL_VIA = {
    "email": "email",
    "chat": "chat",
    "phone": "voice",
    "sms": "sms",
    "whatsapp": "whatsapp",
    "social": "twitter",
    "web_form": "web",
}
IANA_ZENDESK = {"America/New_York": "Eastern Time (US & Canada)", "UTC": "UTC"}
TIERS = ("tier1", "tier2", "tier3", "tier4")
# The var zendesk_group_tiers a build of the landing uses.
TIER_GROUPS = [
    {"group_id": f"group-{tier}", "tier": tier, "tier_rank": rank}
    for rank, tier in enumerate(TIERS, start=1)
]
SYSTEM_USER = "-1"
EMPTY_TABLES = ("agent_shifts", "calls", "orders")


def _rows(path: Path) -> Iterator[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        yield from csv.DictReader(handle)


def _write(path: Path, columns: Iterable[str], rows: Iterable[Iterable[object]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(rows)


def _ts(text: str | None) -> str:
    """A contract timestamp as Fivetran lands it: `YYYY-MM-DD HH:MM:SS` (UTC)."""
    if not text:
        return ""
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment.replace(tzinfo=None).isoformat(sep=" ")


def _bool(text: str | None) -> str:
    return "TRUE" if (text or "").lower() == "true" else "FALSE"


def _group_id(team: str) -> str:
    return "group-" + "-".join(team.lower().split())


def write_zendesk_landing(contract: Path, outdir: Path, seeds: Path) -> None:
    """Write the landed Zendesk tables of `contract` into `outdir`, and
    `outdir/_contract/` with the same rows as a contract folder."""
    outdir.mkdir(parents=True, exist_ok=True)
    twin = outdir / "_contract"
    twin.mkdir(exist_ok=True)
    for table in ("customers", "agents", "tickets", "ticket_events", "ticket_messages"):
        shutil.copyfile(contract / f"{table}.csv", twin / f"{table}.csv")
    for table in EMPTY_TABLES:
        _write(twin / f"{table}.csv", TABLE_COLUMNS[table], [])

    tickets = {row["ticket_id"]: row for row in _rows(contract / "tickets.csv")}
    schedules = _schedules(seeds, outdir)
    _users(contract, outdir)
    _tickets(tickets, contract, outdir, schedules)
    _history(tickets, contract, outdir)
    _comments(contract, outdir)
    _ratings(tickets, contract, outdir, twin)


def _schedules(seeds: Path, outdir: Path) -> dict[str, str]:
    """Zendesk schedules from the seeds; team -> schedule id for non-default teams."""
    hours = list(_rows(seeds / "business_hours.csv"))
    names = sorted({row["schedule_id"] for row in hours}, key=lambda name: name != "standard")
    ids = {name: str(number) for number, name in enumerate(names, start=1)}
    rows = []
    for row in hours:
        day = int(row["day_of_week"]) % 7  # Zendesk: 0 = Sunday
        open_h, open_m = map(int, row["open_time"].split(":"))
        close_h, close_m = map(int, row["close_time"].split(":"))
        created = f"20{10 + int(ids[row['schedule_id']])}-01-01 00:00:00"
        rows.append(
            [
                ids[row["schedule_id"]],
                row["schedule_id"],
                IANA_ZENDESK[row["time_zone"]],
                created,
                day * 1440 + open_h * 60 + open_m,
                day * 1440 + close_h * 60 + close_m,
                "FALSE",
            ]
        )
    _write(
        outdir / "schedule.csv",
        ["id", "name", "time_zone", "created_at", "start_time", "end_time", "_fivetran_deleted"],
        rows,
    )
    _write(
        outdir / "schedule_holiday.csv",
        ["id", "schedule_id", "name", "start_date", "end_date", "_fivetran_deleted"],
        (
            [number, ids[row["schedule_id"]], row["holiday_name"], date, date, "FALSE"]
            for number, row in enumerate(_rows(seeds / "holidays.csv"), start=1)
            if row["schedule_id"] in ids
            for date in [row["holiday_date"]]
        ),
    )
    return {
        row["team"]: ids[row["schedule_id"]]
        for row in _rows(seeds / "team_schedules.csv")
        if row["schedule_id"] != "standard"
    }


def _users(contract: Path, outdir: Path) -> None:
    columns = [
        "id", "name", "email", "phone", "role", "organization_id", "created_at", "updated_at",
        "active", "suspended", "_fivetran_deleted",
    ]  # fmt: skip
    rows = []
    for row in _rows(contract / "customers.csv"):
        organization = "" if row["segment"] == "consumer" else f"org-{row['segment']}"
        signed_up = _ts(row["signed_up_at"])
        rows.append(
            [row["customer_id"], row["full_name"], row["email"], row["phone"], "end-user",
             organization, signed_up, signed_up, "TRUE", "FALSE", "FALSE"]
        )  # fmt: skip
    for row in _rows(contract / "agents.csv"):
        hired = f"{row['hired_at']} 00:00:00"
        left = row["terminated_at"]
        rows.append(
            [row["agent_id"], row["full_name"], row["email"], "", "agent", "", hired,
             f"{left} 00:00:00" if left else hired, "TRUE", "TRUE" if left else "FALSE", "FALSE"]
        )  # fmt: skip
    _write(outdir / "user.csv", columns, rows)


def _tickets(
    tickets: dict[str, dict[str, str]], contract: Path, outdir: Path, schedules: dict[str, str]
) -> None:
    agents = [row["agent_id"] for row in _rows(contract / "agents.csv")]
    columns = [
        "id", "created_at", "updated_at", "status", "priority", "type", "requester_id",
        "submitter_id", "assignee_id", "group_id", "via_channel", "via_source_rel",
        "_fivetran_deleted",
    ]  # fmt: skip
    rows, groups, ticket_schedules = [], {}, []
    for ticket_id, row in tickets.items():
        outbound = row["direction"] == "outbound"
        submitter = (row["assignee_agent_id"] or agents[0]) if outbound else row["customer_id"]
        team = row["team"]
        if team:
            groups[_group_id(team)] = team
        rows.append(
            [ticket_id, _ts(row["created_at"]), _ts(row["updated_at"]),
             "hold" if row["status"] == "on_hold" else row["status"], row["priority"],
             row["category"], row["customer_id"], submitter, row["assignee_agent_id"],
             _group_id(team) if team else "", CHANNEL_VIA[row["channel"]],
             "outbound" if outbound else "", "FALSE"]
        )  # fmt: skip
        if team in schedules:
            ticket_schedules.append([ticket_id, schedules[team], _ts(row["created_at"])])
    _write(outdir / "ticket.csv", columns, rows)
    groups.update({tier["group_id"]: f"Tier {tier['tier_rank']}" for tier in TIER_GROUPS})
    _write(
        outdir / "group.csv",
        ["id", "name", "_fivetran_deleted"],
        ([key, name, "FALSE"] for key, name in sorted(groups.items())),
    )
    _write(
        outdir / "ticket_schedule.csv", ["ticket_id", "schedule_id", "created_at"], ticket_schedules
    )


def _history(tickets: dict[str, dict[str, str]], contract: Path, outdir: Path) -> None:
    """Field history: a first status of new, then one row per event's new value."""
    field = {"status_change": "status", "assignment": "assignee_id", "priority_change": "priority"}
    rows = [
        [ticket_id, "status", _ts(row["created_at"]), "new", ""]
        for ticket_id, row in tickets.items()
    ]
    first_tier: dict[str, tuple[str, str]] = {}
    for event in _rows(contract / "ticket_events.csv"):
        ticket_id, kind, at = event["ticket_id"], event["event_type"], _ts(event["event_at"])
        actor = event["actor_agent_id"] or ""
        if kind == "escalation":
            first_tier.setdefault(
                ticket_id, (event["from_value"], _ts(tickets[ticket_id]["created_at"]))
            )
            rows.append([ticket_id, "group_id", at, f"group-{event['to_value']}", actor])
        elif kind in field:
            value = event["to_value"] or ""
            if kind == "status_change" and value == "on_hold":
                value = "hold"
            rows.append([ticket_id, field[kind], at, value, actor])
    rows += [
        [ticket_id, "group_id", created, f"group-{tier}", ""]
        for ticket_id, (tier, created) in first_tier.items()
    ]
    _write(
        outdir / "ticket_field_history.csv",
        ["ticket_id", "field_name", "updated", "value", "user_id"],
        rows,
    )


def _comments(contract: Path, outdir: Path) -> None:
    rows = []
    for row in _rows(contract / "ticket_messages.csv"):
        author = row["author_type"]
        if author == "system":
            user, via = SYSTEM_USER, ""
        elif author == "bot":
            user, via = "", "api"
        else:
            user, via = row["author_id"], "web"
        rows.append(
            [row["message_id"], row["ticket_id"], user, _ts(row["sent_at"]),
             _bool(row["is_public"]), via, "FALSE"]
        )  # fmt: skip
    _write(
        outdir / "ticket_comment.csv",
        ["id", "ticket_id", "user_id", "created", "public", "via_channel", "_fivetran_deleted"],
        rows,
    )


def _ratings(tickets: dict[str, dict[str, str]], contract: Path, outdir: Path, twin: Path) -> None:
    """CSAT surveys of tickets: numeric 1-5 ratings (offered when unanswered)."""
    columns = TABLE_COLUMNS["survey_responses"]
    kept, rows = [], []
    for row in _rows(contract / "survey_responses.csv"):
        if row["survey_type"] != "csat" or row["call_id"] or row["ticket_id"] not in tickets:
            continue
        kept.append([row[column] for column in columns])
        answered = bool(row["responded_at"])
        rows.append(
            [row["response_id"], row["ticket_id"], row["customer_id"],
             row["score"] if answered else "offered", row["comment"], _ts(row["sent_at"]),
             _ts(row["responded_at"] if answered else row["sent_at"])]
        )  # fmt: skip
    _write(twin / "survey_responses.csv", columns, kept)
    _write(
        outdir / "satisfaction_rating.csv",
        ["id", "ticket_id", "requester_id", "score", "comment", "created_at", "updated_at"],
        rows,
    )
