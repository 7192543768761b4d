"""Independent Python reference implementation of parts of docs/spec/kpis.md.

Written from the specification text only (never from the project's SQL), so
that the test suite can check the dbt models against it.
"""

from __future__ import annotations

from .business_hours import (
    Schedule,
    Window,
    build_schedules,
    business_minutes,
    read_seed,
    read_seed_schedules,
)
from .rows import EventRow, MessageRow, SlaPolicy, TicketRow
from .tickets import TICKET_KEYS, TicketReference, compute_reference, load_reference

__all__ = [
    "TICKET_KEYS",
    "EventRow",
    "MessageRow",
    "Schedule",
    "SlaPolicy",
    "TicketReference",
    "TicketRow",
    "Window",
    "build_schedules",
    "business_minutes",
    "compute_reference",
    "load_reference",
    "read_seed",
    "read_seed_schedules",
]
