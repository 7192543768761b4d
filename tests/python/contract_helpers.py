"""The raw contract as the tests read it: each table's key, and the reason
codes of docs/decisions.md (D2)."""

from __future__ import annotations

KEYS = {
    "customers": "customer_id",
    "agents": "agent_id",
    "agent_shifts": "shift_id",
    "agent_states": "agent_state_id",
    "tickets": "ticket_id",
    "ticket_events": "event_id",
    "ticket_messages": "message_id",
    "calls": "call_id",
    "survey_responses": "response_id",
    "orders": "order_id",
}

REASON_CODES = {
    "null_key",
    "duplicate_key",
    "missing_value",
    "invalid_format",
    "unknown_value",
    "out_of_range",
    "timestamp_order",
    "inconsistent_value",
    "dangling_reference",
}
