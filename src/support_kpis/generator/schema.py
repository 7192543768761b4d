"""The raw source contract's tables and columns, and the D2 reason codes, in order.

`agent_states` is the contract's optional tenth table; the generator always writes it.
"""

from __future__ import annotations

from typing import Final

Row = list[str | None]

TABLE_COLUMNS: Final[dict[str, tuple[str, ...]]] = {
    "customers": (
        "customer_id",
        "full_name",
        "email",
        "phone",
        "segment",
        "country",
        "signed_up_at",
    ),
    "agents": ("agent_id", "full_name", "email", "team", "hired_at", "terminated_at"),
    "agent_shifts": ("shift_id", "agent_id", "shift_start", "shift_end"),
    "agent_states": ("agent_state_id", "agent_id", "state", "started_at", "ended_at"),
    "tickets": (
        "ticket_id",
        "customer_id",
        "channel",
        "direction",
        "category",
        "priority",
        "status",
        "team",
        "assignee_agent_id",
        "created_at",
        "updated_at",
    ),
    "ticket_events": (
        "event_id",
        "ticket_id",
        "event_at",
        "event_type",
        "from_value",
        "to_value",
        "actor_agent_id",
    ),
    "ticket_messages": (
        "message_id",
        "ticket_id",
        "author_type",
        "author_id",
        "is_public",
        "sent_at",
    ),
    "calls": (
        "call_id",
        "customer_id",
        "agent_id",
        "ticket_id",
        "queue",
        "direction",
        "offered_at",
        "answered_at",
        "ended_at",
        "talk_seconds",
        "hold_seconds",
        "after_call_work_seconds",
        "transferred",
        "is_resolved",
    ),
    "survey_responses": (
        "response_id",
        "survey_type",
        "customer_id",
        "ticket_id",
        "call_id",
        "sent_at",
        "responded_at",
        "score",
        "comment",
    ),
    "orders": ("order_id", "customer_id", "ordered_at", "amount", "currency"),
}

TABLES: Final[tuple[str, ...]] = tuple(TABLE_COLUMNS)

AGENT_STATES: Final[tuple[str, ...]] = (
    "available",
    "on_contact",
    "after_contact_work",
    "break",
    "meeting",
    "training",
    "offline",
)

# D2 order (docs/decisions.md); `timestamp_order` appears once although it has two ranks, and
# `invalid_parent` shares the rank of `dangling_reference` (D32).
REASON_ORDER: Final[tuple[str, ...]] = (
    "null_key",
    "duplicate_key",
    "missing_value",
    "invalid_format",
    "unknown_value",
    "out_of_range",
    "timestamp_order",
    "inconsistent_value",
    "dangling_reference",
    "invalid_parent",
)


def column_index(table: str) -> dict[str, int]:
    """Column name -> position in the contract's column order."""
    return {name: pos for pos, name in enumerate(TABLE_COLUMNS[table])}
