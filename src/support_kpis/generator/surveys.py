"""Survey invitations and responses: csat and ces after solved tickets, nps after calls and
as relationship surveys."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from support_kpis.generator.calls import CallPlan
from support_kpis.generator.names import survey_comment
from support_kpis.generator.people import CustomerRegistry
from support_kpis.generator.period import Period
from support_kpis.generator.schema import Row
from support_kpis.generator.tickets import TicketPlan
from support_kpis.generator.timefmt import DAY, HOUR, TextFormatter

CSAT_SHARE = 0.40  # of solved tickets
CES_SHARE = 0.15
CALL_NPS_SHARE = 0.10  # of answered inbound calls from known customers
RELATIONSHIP_NPS_PER_TICKET = 0.08
RESPONSE_RATE = 0.35
COMMENT_SHARE = 0.35  # of answered invitations
SCORES = {
    "csat": (range(1, 6), (5, 7, 12, 30, 46)),
    "ces": (range(1, 8), (3, 4, 8, 12, 20, 28, 25)),
    "nps": (range(11), (2, 1, 2, 3, 3, 5, 7, 12, 20, 22, 23)),
}


@dataclass(slots=True)
class SurveyPlan:
    """One invitation before formatting."""

    survey_type: str
    customer: int
    ticket_id: str | None
    call_id: str | None
    sent: int
    responded: int | None
    score: int | None
    comment: str | None


def _invite(
    rng: random.Random,
    horizon: int,
    survey_type: str,
    customer: int,
    ticket_id: str | None,
    call_id: str | None,
    sent: int,
) -> SurveyPlan:
    responded: int | None = None
    if rng.random() < RESPONSE_RATE:
        delay = min(14 * DAY, int(rng.lognormvariate(math.log(6 * HOUR), 1.2)))
        responded = sent + delay if sent + delay <= horizon else None
    if responded is None:
        return SurveyPlan(survey_type, customer, ticket_id, call_id, sent, None, None, None)
    values, weights = SCORES[survey_type]
    score = rng.choices(values, weights)[0]
    comment = survey_comment(rng) if rng.random() < COMMENT_SHARE else None
    return SurveyPlan(survey_type, customer, ticket_id, call_id, sent, responded, score, comment)


def surveys_for_chunk(
    rng: random.Random,
    period: Period,
    customers: CustomerRegistry,
    plans: list[TicketPlan],
    ticket_ids: list[str],
    calls: list[CallPlan],
) -> list[SurveyPlan]:
    """All invitations of a chunk, ordered by `sent_at`."""
    horizon = period.horizon
    surveys: list[SurveyPlan] = []
    for plan, ticket_id in zip(plans, ticket_ids, strict=True):
        if plan.first_solved is None:
            continue
        if rng.random() < CSAT_SHARE:
            sent = plan.first_solved + rng.randint(60, HOUR)
            if sent <= horizon:
                surveys.append(_invite(rng, horizon, "csat", plan.customer, ticket_id, None, sent))
        if rng.random() < CES_SHARE:
            sent = plan.first_solved + rng.randint(60, 2 * HOUR)
            if sent <= horizon:
                surveys.append(_invite(rng, horizon, "ces", plan.customer, ticket_id, None, sent))
    for call in calls:
        if (
            call.direction == "inbound"
            and call.answered is not None
            and call.customer is not None
            and rng.random() < CALL_NPS_SHARE
        ):
            sent = call.ended + rng.randint(60, 600)
            if sent <= horizon:
                surveys.append(
                    _invite(rng, horizon, "nps", call.customer, None, call.call_id, sent)
                )
    lo, hi = plans[0].created, max(plan.created for plan in plans)
    for _ in range(round(RELATIONSHIP_NPS_PER_TICKET * len(plans))):
        sent = rng.randint(lo, hi)
        customer = customers.pick(rng, sent)
        surveys.append(_invite(rng, horizon, "nps", customer, None, None, sent))
    surveys.sort(key=lambda s: s.sent)
    return surveys


def survey_row(
    survey: SurveyPlan, response_id: str, customers: CustomerRegistry, fmt: TextFormatter
) -> Row:
    """The `survey_responses` row."""
    return [
        response_id,
        survey.survey_type,
        customers.customer_id(survey.customer),
        survey.ticket_id,
        survey.call_id,
        fmt.ts(survey.sent),
        fmt.opt_ts(survey.responded),
        None if survey.score is None else str(survey.score),
        survey.comment,
    ]
