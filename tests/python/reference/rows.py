"""Plain input rows of the reference implementation (valid staged rows, naive UTC times)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class TicketRow:
    ticket_id: str
    channel: str
    direction: str
    priority: str
    status: str
    team: str | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class EventRow:
    event_id: str
    ticket_id: str
    event_at: datetime
    event_type: str
    from_value: str | None
    to_value: str | None


@dataclass(frozen=True, slots=True)
class MessageRow:
    message_id: str
    ticket_id: str
    author_type: str
    author_id: str | None
    is_public: bool
    sent_at: datetime


@dataclass(frozen=True, slots=True)
class SlaPolicy:
    first_reply_target_minutes: int
    resolution_target_minutes: int
