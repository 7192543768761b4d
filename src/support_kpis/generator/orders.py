"""Orders: each active customer's own orders, plus orders exactly 7 days (and 7 days + 1 s)
after a contact, so that the 7-day conversion window's edge is exercised."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from support_kpis.generator.calls import WEEK, CallPlan
from support_kpis.generator.people import ANCHOR_CUSTOMERS, CustomerRegistry
from support_kpis.generator.period import Period
from support_kpis.generator.schema import Row
from support_kpis.generator.tickets import TicketPlan
from support_kpis.generator.timefmt import TextFormatter

ORDERS_PER_CUSTOMER = ((0, 1, 2, 3, 4, 6), (0.15, 0.30, 0.25, 0.15, 0.10, 0.05))
CURRENCIES = (("EUR", "USD", "GBP", "CHF"), (0.55, 0.40, 0.03, 0.02))
AFTER_TICKET = ((WEEK, 0.015), (WEEK + 1, 0.010))
AFTER_CALL = ((WEEK, 0.010), (WEEK + 1, 0.005))


@dataclass(slots=True)
class OrderPlan:
    """One order before formatting."""

    customer: int
    ordered: int
    cents: int
    currency: str


def _order(rng: random.Random, customer: int, ordered: int) -> OrderPlan:
    cents = 0 if rng.random() < 0.01 else max(1, int(rng.lognormvariate(math.log(6000), 0.9)))
    currency = rng.choices(*CURRENCIES)[0]
    return OrderPlan(customer, ordered, cents, currency)


def customer_orders(
    rng: random.Random, period: Period, customers: CustomerRegistry, lo: int, hi: int
) -> list[OrderPlan]:
    """Orders of customers [lo, hi) at random times between sign-up and the period's end."""
    orders: list[OrderPlan] = []
    for position in range(lo, hi):
        if customers.dormant[position]:
            continue
        count = rng.choices(*ORDERS_PER_CUSTOMER)[0]
        if position < ANCHOR_CUSTOMERS:
            count = max(1, count)
        first = max(period.start, customers.signup_epoch(position) + 60)
        if first >= period.end:
            continue
        times = sorted(rng.randrange(first, period.end) for _ in range(count))
        orders.extend(_order(rng, position, ordered) for ordered in times)
    return orders


def contact_orders(
    rng: random.Random,
    period: Period,
    plans: list[TicketPlan],
    calls: list[CallPlan],
    first: bool,
) -> list[OrderPlan]:
    """Orders exactly 7 days, or 7 days + 1 s, after inbound tickets and calls."""
    orders: list[OrderPlan] = []
    forced = [WEEK, WEEK + 1] if first else []
    contacts = [
        (plan.customer, plan.created)
        for plan in plans
        if plan.direction == "inbound" and plan.customer >= ANCHOR_CUSTOMERS
    ]
    for customer, at in contacts:
        gap = forced.pop(0) if forced else _draw_gap(rng, AFTER_TICKET)
        if gap is not None and at + gap <= period.horizon:
            orders.append(_order(rng, customer, at + gap))
    for call in calls:
        if call.direction != "inbound" or call.customer is None:
            continue
        gap = _draw_gap(rng, AFTER_CALL)
        if gap is not None and call.offered + gap <= period.horizon:
            orders.append(_order(rng, call.customer, call.offered + gap))
    orders.sort(key=lambda order: order.ordered)
    return orders


def _draw_gap(rng: random.Random, options: tuple[tuple[int, float], ...]) -> int | None:
    draw = rng.random()
    for gap, share in options:
        if draw < share:
            return gap
        draw -= share
    return None


def order_row(
    order: OrderPlan, order_id: str, customers: CustomerRegistry, fmt: TextFormatter
) -> Row:
    """The `orders` row (amount as a decimal with two places)."""
    amount = f"{order.cents // 100}.{order.cents % 100:02d}"
    return [
        order_id,
        customers.customer_id(order.customer),
        fmt.ts(order.ordered),
        amount,
        order.currency,
    ]
