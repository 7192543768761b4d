"""Plain input rows of the contact-centre reference (valid staged rows, naive UTC times)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class CallRow:
    call_id: str
    customer_id: str | None
    agent_id: str | None
    ticket_id: str | None
    queue: str | None
    direction: str
    offered_at: datetime
    answered_at: datetime | None
    ended_at: datetime
    talk_seconds: int
    hold_seconds: int
    after_call_work_seconds: int
    is_transferred: bool
    is_resolved: bool | None


@dataclass(frozen=True, slots=True)
class SurveyRow:
    response_id: str
    survey_type: str
    customer_id: str
    ticket_id: str | None
    call_id: str | None
    sent_at: datetime
    responded_at: datetime | None
    score: int | None


@dataclass(frozen=True, slots=True)
class ContactTicketRow:
    """The ticket columns the contact-centre KPIs need (the current state of the ticket)."""

    ticket_id: str
    customer_id: str
    channel: str
    direction: str
    team: str | None
    assignee_agent_id: str | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class OrderRow:
    order_id: str
    customer_id: str
    ordered_at: datetime
    amount: Decimal


@dataclass(frozen=True, slots=True)
class AgentRow:
    agent_id: str
    team: str
    hired_date: date
    terminated_date: date | None


@dataclass(frozen=True, slots=True)
class ShiftRow:
    shift_id: str
    agent_id: str
    shift_started_at: datetime
    shift_ended_at: datetime
