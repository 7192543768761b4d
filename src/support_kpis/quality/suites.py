"""What a data steward expects of the data, as Great Expectations suites.

Raw suites describe a healthy delivery (most values in their sets, keys
present): a delivery may break them without breaking the build, because the
quarantine catches each bad row; the suite tells the steward the delivery
got worse. They follow the raw contract (docs/spec/sources.md, "Invalid
rows"): each raw table is read as delivered with its exact duplicates
collapsed (RAW_SQL), because rows identical in every contract column are one
row; so a key fails uniqueness only when it arrives in rows that differ
within one load (a key conflict, which makes every row of that key in that
load invalid; across loads a later row is an update, "Deliveries in loads"),
and every share counts distinct rows, as the quarantine does. A column with a value set is
required by the contract, so its nulls are checked too (GX's in-set check
skips nulls).

Mart suites state what the project guarantees (keys, value sets, ranges) and
plausibility bounds of the KPIs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import great_expectations.expectations as gxe
from great_expectations.expectations.row_conditions import Column

from support_kpis.generator.schema import AGENT_STATES

Suite = list[gxe.Expectation]

CHANNELS = ["email", "chat", "phone", "sms", "whatsapp", "social", "web_form"]
PRIORITIES = ["low", "normal", "high", "urgent"]
STATUSES = ["new", "open", "pending", "on_hold", "solved", "closed"]
# A delivery is healthy when at least this share of its rows is valid.
HEALTHY_SHARE = 0.9
# The raw suites' relations are staging.base_support__<raw table>.
RAW_PREFIX = "staging.base_support__"
# How a raw suite reads its relation: exact duplicates collapsed, in a fixed
# order (so that the values a failure lists are the same on every run).
RAW_SQL = "select distinct * from {relation} order by all"
# Expectations on some rows only: GX's pandas row condition, and the rows'
# name in failure messages (meta "rows").
STATUS_CHANGES: dict[str, Any] = {
    "row_condition": Column("event_type") == "status_change",
    "meta": {"rows": "status_change events"},
}


def raw_table(relation: str) -> str:
    """The raw table a raw suite's relation holds: staging.base_support__tickets -> tickets."""
    return relation.removeprefix(RAW_PREFIX)


def _value_set(column: str, values: list[str], **only: Any) -> Suite:
    """A required column with a value set: not null, and in its set."""
    return [
        gxe.ExpectColumnValuesToNotBeNull(column=column, mostly=HEALTHY_SHARE, **only),
        gxe.ExpectColumnValuesToBeInSet(
            column=column, value_set=values, mostly=HEALTHY_SHARE, **only
        ),
    ]


def _raw(
    key: str, value_sets: dict[str, list[str]], extra: Callable[[], Suite] | None = None
) -> Callable[[], Suite]:
    def build() -> Suite:
        suite: Suite = [
            gxe.ExpectTableRowCountToBeBetween(min_value=1),
            gxe.ExpectColumnValuesToNotBeNull(column=key, mostly=HEALTHY_SHARE),
            # Unique within each load: across loads a later row is an update.
            gxe.ExpectCompoundColumnsToBeUnique(
                column_list=["load_id", key],
                mostly=HEALTHY_SHARE,
                ignore_row_if="any_value_is_missing",
            ),
        ]
        for column, values in value_sets.items():
            suite += _value_set(column, values)
        if extra is not None:
            suite += extra()
        return suite

    return build


def _optional_raw(key: str, value_sets: dict[str, list[str]]) -> Callable[[], Suite]:
    """An optional table's suite: it may be empty (not delivered)."""
    required = _raw(key, value_sets)

    def build() -> Suite:
        return [
            expectation
            for expectation in required()
            if not isinstance(expectation, gxe.ExpectTableRowCountToBeBetween)
        ]

    return build


def _status_changes() -> Suite:
    """The to_value of a status_change event is a status (spec: ticket_events)."""
    return _value_set("to_value", STATUSES, **STATUS_CHANGES)


RAW_SUITES: dict[str, Callable[[], Suite]] = {
    "staging.base_support__tickets": _raw(
        "ticket_id",
        {
            "channel": CHANNELS,
            "priority": PRIORITIES,
            "direction": ["inbound", "outbound"],
            "status": STATUSES,
        },
    ),
    "staging.base_support__ticket_messages": _raw(
        "message_id", {"author_type": ["customer", "agent", "bot", "system"]}
    ),
    "staging.base_support__ticket_events": _raw(
        "event_id",
        {"event_type": ["status_change", "assignment", "priority_change", "escalation"]},
        _status_changes,
    ),
    "staging.base_support__calls": _raw("call_id", {"direction": ["inbound", "outbound"]}),
    "staging.base_support__survey_responses": _raw(
        "response_id", {"survey_type": ["csat", "nps", "ces"]}
    ),
    "staging.base_support__customers": _raw(
        "customer_id", {"segment": ["enterprise", "smb", "consumer"]}
    ),
    "staging.base_support__agents": _raw("agent_id", {}),
    "staging.base_support__agent_shifts": _raw("shift_id", {}),
    "staging.base_support__agent_states": _optional_raw(
        "agent_state_id",
        {"state": list(AGENT_STATES)},
    ),
    "staging.base_support__orders": _raw("order_id", {}),
}


def _tickets() -> Suite:
    return [
        gxe.ExpectTableRowCountToBeBetween(min_value=1),
        gxe.ExpectColumnValuesToBeUnique(column="ticket_id"),
        gxe.ExpectColumnValuesToBeInSet(column="channel", value_set=CHANNELS),
        gxe.ExpectColumnValuesToBeInSet(column="priority", value_set=PRIORITIES),
        gxe.ExpectColumnValuesToBeBetween(column="first_reply_calendar_minutes", min_value=0),
        gxe.ExpectColumnValuesToBeBetween(column="first_reply_business_minutes", min_value=0),
        gxe.ExpectColumnValuesToBeBetween(column="resolution_calendar_minutes", min_value=0),
        gxe.ExpectColumnValuesToBeBetween(column="resolution_business_minutes", min_value=0),
        gxe.ExpectColumnValuesToNotBeNull(column="is_replied_within_12h"),
        # Plausibility: most tickets get an answer, few are escalated.
        gxe.ExpectColumnMeanToBeBetween(
            column="count_public_agent_messages", min_value=0.5, max_value=20
        ),
    ]


def _calls() -> Suite:
    return [
        gxe.ExpectTableRowCountToBeBetween(min_value=1),
        gxe.ExpectColumnValuesToBeUnique(column="call_id"),
        gxe.ExpectColumnValuesToBeBetween(column="speed_of_answer_seconds", min_value=0),
        gxe.ExpectColumnValuesToBeBetween(column="queue_wait_seconds", min_value=0),
        gxe.ExpectColumnValuesToBeBetween(column="handle_seconds", min_value=0),
        gxe.ExpectColumnValuesToNotBeNull(column="is_within_service_level"),
    ]


def _surveys() -> Suite:
    return [
        gxe.ExpectColumnValuesToBeUnique(column="response_id"),
        gxe.ExpectColumnValuesToBeInSet(column="survey_type", value_set=["csat", "nps", "ces"]),
        gxe.ExpectColumnValuesToBeBetween(column="score", min_value=0, max_value=10),
        gxe.ExpectColumnValuesToNotMatchRegex(
            column="comment_redacted", regex=r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"
        ),
    ]


def _kpi_monthly() -> Suite:
    return [
        gxe.ExpectTableRowCountToBeBetween(min_value=1),
        gxe.ExpectColumnValuesToNotBeNull(column="kpi_name"),
        gxe.ExpectColumnValuesToBeInSet(
            column="target_status", value_set=["on_target", "warning", "off_target"]
        ),
    ]


def _kpi_rates() -> Suite:
    # Every KPI named *_rate or *_share is a fraction (csat_rate_change is a
    # difference of fractions; the query leaves it out).
    return [gxe.ExpectColumnValuesToBeBetween(column="kpi_value", min_value=0, max_value=1)]


def _kpi_nps() -> Suite:
    return [gxe.ExpectColumnValuesToBeBetween(column="kpi_value", min_value=-100, max_value=100)]


MART_SUITES: dict[str, Callable[[], Suite]] = {
    "marts.fct_tickets": _tickets,
    "marts.fct_calls": _calls,
    "marts.fct_survey_responses": _surveys,
    "bi.kpi_monthly": _kpi_monthly,
}
# Suites over a query rather than a whole table: (name, SQL, suite).
QUERY_SUITES: list[tuple[str, str, Callable[[], Suite]]] = [
    (
        "kpi_rates",
        "select * from bi.kpi_monthly where (kpi_name like '%\\_rate' escape '\\' "
        "or kpi_name like '%\\_share' escape '\\') and kpi_name <> 'csat_rate_change'",
        _kpi_rates,
    ),
    ("kpi_nps", "select * from bi.kpi_monthly where kpi_name = 'nps'", _kpi_nps),
]


def _no_rows() -> Suite:
    return [gxe.ExpectTableRowCountToEqual(value=0)]


# Flags: what the steward should look at, without failing the validation (the
# data is usable as it is). (name, table, SQL whose first column names what is
# flagged, suite.) Agent state intervals may overlap (spec/sources.md); the
# overlap counts once, and the agents are flagged.
FLAG_SUITES: list[tuple[str, str, str, Callable[[], Suite]]] = [
    (
        "agents_with_overlapping_states",
        "marts.fct_agent_states",
        "select agent_id from marts.fct_agent_states where is_overlapping "
        "group by agent_id order by agent_id",
        _no_rows,
    ),
]
