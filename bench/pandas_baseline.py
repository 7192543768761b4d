"""The plain pandas baseline: the one script an analyst would write instead of this project.

It reads the nine raw tables of a delivery (ten with the optional
`agent_states`) with pandas, keeps the rows that are valid under the raw
contract (docs/spec/sources.md) and computes the KPI catalogue
(docs/spec/kpis.md) by calendar month, written as a long CSV
`month,kpi_name,value` (kpi_name = the semantic layer's metric names; a row
for each month in which the KPI has a value: a ratio whose denominator is 0
has none). It is
the competitor of `dbt build` in bench/baseline_vs_build.py, so it is written
as efficient, vectorised pandas (no row loops), but it does the work honestly:

    .venv/bin/python bench/pandas_baseline.py <raw folder> [--out results.csv]
        [--as-of "2026-01-01 00:00:00"] [--seeds seeds/]

Validation (every rule of the contract, first failing rule counted per table):
values trimmed, blank = null; rows identical in every contract column
collapsed to one; a null key, or a key on two differing rows (every such row),
is invalid; required columns not null; timestamps ISO-8601 UTC (`Z`, `+00`,
`+00:00`, `+0000` or no zone; any other offset is invalid), dates
`YYYY-MM-DD`, booleans `true`/`false` in any case, integers and decimals
(up to 6 places), country/currency shapes; value sets (case-sensitive);
ranges (negative seconds or amounts, survey scores, shifts and states longer
than 16 h, `tickets.created_at` and `agent_states.started_at` later than the
delivery time `--as-of`, default now, as the project's `as_of_at`); the
row's own timestamp order; the
contract's consistency rules (author ids by author type, abandoned calls,
scores of unanswered surveys); references to a *valid* parent row (so
invalidity cascades: the messages of an invalid ticket are invalid), message
authors by type; messages and events not before their ticket's `created_at`.
Not done: the project's plausibility bounds for the other timestamp columns
(before 1970 or more than 24 h after the delivery, docs/decisions.md D32,
not in the contract), and the project's CSV file checks (D30: a line with a
wrong field count stops this script with pyarrow's parse error; mixed line
endings or a NUL byte are not looked for).

KPIs: all 62 of the semantic layer (the 47 of the catalogue's tickets, calls,
surveys and customers tables, and the 15 contact-centre, agent-state and
staffing ones), with the catalogue's anchors, by UTC calendar month.
Simplifications, said plainly:
- Business minutes (first_reply_business_minutes, first_reply_sla_rate,
  resolution_business_minutes, resolution_sla_rate) use a simplified
  calendar built from the same reference files (seeds/business_hours.csv,
  holidays.csv, team_schedules.csv, sla_policies.csv): each timestamp is
  converted to the schedule's local wall-clock time and the open minutes of
  the local dates in between are counted. This equals the project's UTC
  window arithmetic unless an opening window contains a daylight-saving
  switch (the shipped schedules open 09:00-18:00 or 24x7 in UTC, so never)
  or a day's windows overlap (they are not merged here). A ticket's team is
  matched to team_schedules.csv as delivered (the project first masks
  contact details in team names, D31).
- Staffing (understaffed_interval_rate, staffing_gap_agents) uses the Erlang
  B recursion for Erlang C (the project sums Poisson terms in log space):
  the same numbers except at floating-point ties with the 80% target.
- csat_rate_change is exact at month grain (as the semantic layer's metric).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

PROJECT_SEEDS = Path(__file__).resolve().parents[1] / "seeds"

# --- the raw contract (docs/spec/sources.md) ---------------------------------------------------

# table: (key, columns in contract order, optional columns)
CONTRACT: dict[str, tuple[str, list[str], list[str]]] = {
    table: (key, columns.split(), optional.split())
    for table, key, columns, optional in [
        (
            "customers",
            "customer_id",
            "customer_id full_name email phone segment country signed_up_at",
            "phone country",
        ),
        ("agents", "agent_id", "agent_id full_name email team hired_at terminated_at", ""),
        ("agent_shifts", "shift_id", "shift_id agent_id shift_start shift_end", ""),
        ("agent_states", "agent_state_id", "agent_state_id agent_id state started_at ended_at", ""),
        (
            "tickets",
            "ticket_id",
            "ticket_id customer_id channel direction category priority status team "
            "assignee_agent_id created_at updated_at",
            "category",
        ),
        (
            "ticket_events",
            "event_id",
            "event_id ticket_id event_at event_type from_value to_value actor_agent_id",
            "",
        ),
        (
            "ticket_messages",
            "message_id",
            "message_id ticket_id author_type author_id is_public sent_at",
            "",
        ),
        (
            "calls",
            "call_id",
            "call_id customer_id agent_id ticket_id queue direction offered_at answered_at "
            "ended_at talk_seconds hold_seconds after_call_work_seconds transferred is_resolved",
            "ticket_id",
        ),
        (
            "survey_responses",
            "response_id",
            "response_id survey_type customer_id ticket_id call_id sent_at responded_at score "
            "comment",
            "comment",
        ),
        ("orders", "order_id", "order_id customer_id ordered_at amount currency", ""),
    ]
}
OPTIONAL_TABLES = {"agent_states"}

STATUSES = ["new", "open", "pending", "on_hold", "solved", "closed"]
SOLVED = ["solved", "closed"]
UNSOLVED = ["new", "open", "pending", "on_hold"]
CHANNELS = ["email", "chat", "phone", "sms", "whatsapp", "social", "web_form"]
LIVE_CHANNELS = ["chat", "whatsapp", "phone"]
AGENT_STATES = [
    "available",
    "on_contact",
    "after_contact_work",
    "break",
    "meeting",
    "training",
    "offline",
]
PRODUCTIVE = ["available", "on_contact", "after_contact_work"]
HANDLING = ["on_contact", "after_contact_work"]

# KPI parameters the catalogue fixes.
REPLY_WITHIN_S = 12 * 3600
COLLISION_S = 5 * 60
SERVICE_LEVEL_S = 20
SERVICE_LEVEL_TARGET = 0.80
SHORT_ABANDON_S = 5
FOLLOW_UP = np.timedelta64(7, "D")
MAX_SPAN = np.timedelta64(16, "h")
DEFAULT_SCHEDULE = "standard"

TIMESTAMP = (
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:[.][0-9]{1,6})?)?"
    r"(?:[Zz]|[+-]00(?::?00)?)?"
)
ZONE_SUFFIX = r"(?:Z|[+-]00(?::?00)?)$"
DATE = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
INTEGER = r"[+-]?[0-9]{1,18}"
DECIMAL = r"[+-]?[0-9]{1,18}(?:[.][0-9]{1,6})?"
US = np.timedelta64(1, "us")
DAY = np.timedelta64(1, "D")
HOUR = np.timedelta64(1, "h")
Mask = np.ndarray


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --- reading -----------------------------------------------------------------------------------


def required_table(folder: Path, table: str) -> pd.DataFrame:
    frame = read_table(folder, table)
    if frame is None:
        raise SystemExit(f"raw table {table}: no {table}.csv or {table}.parquet in {folder}")
    return frame


def read_table(folder: Path, table: str) -> pd.DataFrame | None:
    """The contract columns of <folder>/<table>.csv[.gz]|.parquet as trimmed text, blank = null;
    None for a missing optional table."""
    _, columns, optional = CONTRACT[table]
    found = [folder / f"{table}{ext}" for ext in (".csv", ".csv.gz", ".parquet")]
    found = [path for path in found if path.exists()]
    if not found:
        if table in OPTIONAL_TABLES:
            return None
        raise SystemExit(f"raw table {table}: no {table}.csv or {table}.parquet in {folder}")
    if len(found) > 1:
        raise SystemExit(f"raw table {table}: more than one file: {found}")
    path = found[0]
    if path.suffix == ".parquet":
        frame = pd.read_parquet(path).astype("str")
    else:
        frame = pd.read_csv(
            path, dtype=str, engine="pyarrow", keep_default_na=False, na_values=[""]
        )
    missing = [c for c in columns if c not in frame.columns and c not in optional]
    if missing:
        raise SystemExit(f"raw table {table} ({path}): required columns missing: {missing}")
    text: dict[str, pd.Series] = {}
    for column in columns:
        if column not in frame.columns:
            text[column] = pd.Series(np.nan, index=frame.index, dtype="str")
            continue
        values = frame[column].str.strip()
        text[column] = values.where(values != "")
    return pd.DataFrame(text)


# --- strict parsers: (typed values, malformed mask) -------------------------------------------


def as_mask(values: pd.Series | np.ndarray) -> Mask:
    if isinstance(values, pd.Series):
        values = values.fillna(False) if values.dtype == object else values
        return values.to_numpy(dtype=bool, na_value=False)
    return np.asarray(values, dtype=bool)


def parse_timestamp(text: pd.Series) -> tuple[pd.Series, Mask]:
    """UTC timestamps as naive datetime64[us]; malformed = not null and not in the contract's
    format (or not a real date and time)."""
    shaped = text.str.fullmatch(TIMESTAMP).to_numpy(dtype=bool, na_value=False)
    cleaned = text.where(shaped).str.upper().str.replace(ZONE_SUFFIX, "", regex=True)
    parsed = pd.to_datetime(cleaned, format="ISO8601", errors="coerce").astype("datetime64[us]")
    present = text.notna().to_numpy()
    return parsed, present & parsed.isna().to_numpy()


def parse_date(text: pd.Series) -> tuple[pd.Series, Mask]:
    shaped = text.str.fullmatch(DATE).to_numpy(dtype=bool, na_value=False)
    parsed = pd.to_datetime(text.where(shaped), format="%Y-%m-%d", errors="coerce").astype(
        "datetime64[us]"
    )
    return parsed, text.notna().to_numpy() & parsed.isna().to_numpy()


def parse_boolean(text: pd.Series) -> tuple[pd.Series, Mask]:
    lowered = text.str.lower()
    parsed = lowered.map({"true": True, "false": False})
    return parsed, text.notna().to_numpy() & parsed.isna().to_numpy()


def parse_number(text: pd.Series, pattern: str) -> tuple[pd.Series, Mask]:
    shaped = text.str.fullmatch(pattern).to_numpy(dtype=bool, na_value=False)
    parsed = pd.to_numeric(text.where(shaped), errors="coerce").astype("float64")
    return parsed, text.notna().to_numpy() & parsed.isna().to_numpy()


# --- validation --------------------------------------------------------------------------------


PARSERS: dict[str, Callable[[pd.Series], tuple[pd.Series, Mask]]] = {
    "timestamp": parse_timestamp,
    "date": parse_date,
    "boolean": parse_boolean,
    "integer": lambda text: parse_number(text, INTEGER),
    "decimal": lambda text: parse_number(text, DECIMAL),
}


@dataclass
class TableCheck:
    """The rules of one table, applied in precedence order; a row keeps the first rule it breaks.
    `frame` holds the distinct delivered rows as text, `typed` the parsed columns."""

    table: str
    frame: pd.DataFrame
    delivered: int
    collapsed: int
    invalid: Mask = field(init=False)
    typed: dict[str, pd.Series] = field(default_factory=dict)
    reasons: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.invalid = np.zeros(len(self.frame), dtype=bool)

    def __getitem__(self, column: str) -> pd.Series:
        return self.typed[column] if column in self.typed else self.frame[column]

    def rule(self, reason: str, broken: pd.Series | np.ndarray) -> None:
        broken = as_mask(broken)
        first = broken & ~self.invalid
        count = int(first.sum())
        if count:
            self.reasons[reason] = self.reasons.get(reason, 0) + count
        self.invalid |= broken

    def required(self, columns: str) -> None:
        for column in columns.split():
            self.rule("missing_value", self.frame[column].isna())

    def parse(self, kind: str, columns: str) -> None:
        for column in columns.split():
            self.typed[column], malformed = PARSERS[kind](self.frame[column])
            self.rule("invalid_format", malformed)

    def shape(self, column: str, pattern: str) -> None:
        text = self.frame[column]
        self.rule("invalid_format", text.notna() & ~text.str.fullmatch(pattern))

    def allowed(self, column: str, values: list[str]) -> None:
        text = self.frame[column]
        self.rule("unknown_value", text.notna() & ~text.isin(values))

    def reference(self, column: str, parent: ParentKeys, applies: Mask | None = None) -> None:
        """A "references X" column: dangling when no delivered row of X has the id, invalid
        parent when X's row is invalid; a null is not checked here."""
        ids = self.frame[column]
        present = ids.notna().to_numpy()
        if applies is not None:
            present = present & applies
        valid = parent.valid.get_indexer(ids) >= 0
        delivered = parent.delivered.get_indexer(ids) >= 0
        self.rule("dangling_reference", present & ~delivered)
        self.rule("invalid_parent", present & delivered & ~valid)

    def keys(self) -> ParentKeys:
        ids = self.frame[CONTRACT[self.table][0]]
        return ParentKeys(
            delivered=pd.Index(ids.dropna().unique()),
            valid=pd.Index(ids[~self.invalid].unique()),
        )

    def valid_rows(self, columns: str) -> pd.DataFrame:
        typed = pd.DataFrame({column: self[column] for column in columns.split()})
        return typed.loc[~self.invalid].reset_index(drop=True)

    def summary(self) -> str:
        reasons = ", ".join(f"{k} {v:,}" for k, v in self.reasons.items()) or "none"
        return (
            f"{self.table:<17} delivered {self.delivered:>11,}  collapsed {self.collapsed:>9,}  "
            f"invalid {int(self.invalid.sum()):>9,}  valid {int((~self.invalid).sum()):>11,}  "
            f"({reasons})"
        )


@dataclass
class ParentKeys:
    delivered: pd.Index
    valid: pd.Index


def start_check(table: str, frame: pd.DataFrame) -> TableCheck:
    """Collapse exact duplicates, then the key rules: null key, and a key on two or more
    distinct rows makes every row of that key invalid. Only rows whose key is null or repeated
    can be exact duplicates, so the all-column comparison runs on those alone."""
    key = CONTRACT[table][0]
    delivered = len(frame)
    codes = pd.factorize(frame[key])[0]
    rows_per_key = np.bincount(codes[codes >= 0], minlength=codes.max(initial=-1) + 1)
    candidates = (codes < 0) | (rows_per_key[codes] > 1)
    copies = np.zeros(len(frame), dtype=bool)
    copies[candidates] = frame.loc[candidates].duplicated().to_numpy()
    frame = frame.loc[~copies].reset_index(drop=True)
    codes = codes[~copies]
    rows_per_key = np.bincount(codes[codes >= 0], minlength=rows_per_key.size)
    check = TableCheck(table, frame, delivered, delivered - len(frame))
    check.rule("null_key", codes < 0)
    check.rule("duplicate_key", (codes >= 0) & (rows_per_key[codes] > 1))
    return check


@dataclass
class Delivery:
    """The valid rows of every table, typed."""

    customers: pd.DataFrame
    agents: pd.DataFrame
    shifts: pd.DataFrame
    states: pd.DataFrame
    tickets: pd.DataFrame
    events: pd.DataFrame
    messages: pd.DataFrame
    calls: pd.DataFrame
    surveys: pd.DataFrame
    orders: pd.DataFrame
    summaries: list[str]  # per table: delivered, collapsed, invalid (by first reason), valid


def validate(folder: Path, as_of: np.datetime64) -> Delivery:
    """Every table's valid rows (parents before children, so that references see valid rows)."""
    summaries: list[str] = []

    def table(name: str) -> TableCheck:
        return start_check(name, required_table(folder, name))

    def finish(check: TableCheck, columns: str) -> pd.DataFrame:
        """The valid rows; the table's text is let go (only its counts are kept)."""
        valid = check.valid_rows(columns)
        summaries.append(check.summary())
        check.frame, check.typed = check.frame.iloc[:0], {}
        return valid

    customer = table("customers")
    customer.required("segment signed_up_at")
    customer.parse("timestamp", "signed_up_at")
    customer.shape("country", r"[A-Z]{2}")
    customer.allowed("segment", ["enterprise", "smb", "consumer"])
    customer_keys = customer.keys()
    customers = finish(customer, "customer_id segment signed_up_at")

    agent = table("agents")
    agent.required("team hired_at")
    agent.parse("date", "hired_at terminated_at")
    agent.rule("timestamp_order", agent["terminated_at"] < agent["hired_at"])
    agent_keys = agent.keys()
    agents = finish(agent, "agent_id team hired_at terminated_at")

    ticket = table("tickets")
    ticket.required("customer_id channel direction priority status created_at updated_at")
    ticket.parse("timestamp", "created_at updated_at")
    ticket.allowed("channel", CHANNELS)
    ticket.allowed("direction", ["inbound", "outbound"])
    ticket.allowed("priority", ["low", "normal", "high", "urgent"])
    ticket.allowed("status", STATUSES)
    ticket.rule("out_of_range", ticket["created_at"] > as_of)
    ticket.rule("timestamp_order", ticket["updated_at"] < ticket["created_at"])
    ticket.reference("customer_id", customer_keys)
    ticket.reference("assignee_agent_id", agent_keys)
    ticket_keys = ticket.keys()
    tickets = finish(
        ticket,
        "ticket_id customer_id channel direction category priority status team "
        "assignee_agent_id created_at updated_at",
    )
    ticket_index = pd.Index(tickets["ticket_id"])
    ticket_created = np.append(tickets["created_at"].to_numpy(), np.datetime64("NaT", "us"))

    def ticket_created_at(ids: pd.Series) -> np.ndarray:
        """The created_at of each id's valid ticket (NaT when there is none)."""
        return ticket_created[ticket_index.get_indexer(ids)]

    event = table("ticket_events")
    status_change = (event["event_type"] == "status_change").to_numpy(dtype=bool, na_value=False)
    event.required("ticket_id event_at event_type")
    event.rule("missing_value", status_change & event["to_value"].isna().to_numpy())
    event.parse("timestamp", "event_at")
    event.allowed("event_type", ["status_change", "assignment", "priority_change", "escalation"])
    to_value = event["to_value"]
    event.rule("unknown_value", status_change & (to_value.notna() & ~to_value.isin(STATUSES)))
    event.reference("ticket_id", ticket_keys)
    event.rule("timestamp_order", event["event_at"] < ticket_created_at(event["ticket_id"]))
    events = finish(event, "event_id ticket_id event_type from_value to_value event_at")

    message = table("ticket_messages")
    message.required("ticket_id author_type is_public sent_at")
    message.parse("boolean", "is_public")
    message.parse("timestamp", "sent_at")
    message.allowed("author_type", ["customer", "agent", "bot", "system"])
    author_type = message["author_type"]
    has_author = message["author_id"].notna()
    message.rule("inconsistent_value", author_type.isin(["customer", "agent"]) & ~has_author)
    message.rule("inconsistent_value", author_type.isin(["bot", "system"]) & has_author)
    message.reference("ticket_id", ticket_keys)
    message.reference("author_id", agent_keys, as_mask(author_type == "agent"))
    message.reference("author_id", customer_keys, as_mask(author_type == "customer"))
    message.rule("timestamp_order", message["sent_at"] < ticket_created_at(message["ticket_id"]))
    messages = finish(message, "message_id ticket_id author_type author_id is_public sent_at")

    call = table("calls")
    call.required(
        "direction offered_at ended_at talk_seconds hold_seconds after_call_work_seconds "
        "transferred"
    )
    call.parse("timestamp", "offered_at answered_at ended_at")
    call.parse("integer", "talk_seconds hold_seconds after_call_work_seconds")
    call.parse("boolean", "transferred is_resolved")
    call.allowed("direction", ["inbound", "outbound"])
    for seconds in ("talk_seconds", "hold_seconds", "after_call_work_seconds"):
        call.rule("out_of_range", call[seconds] < 0)
    call.rule("timestamp_order", call["answered_at"] < call["offered_at"])
    call.rule("timestamp_order", call["ended_at"] < call["answered_at"].fillna(call["offered_at"]))
    abandoned = call["answered_at"].isna()
    call.rule("inconsistent_value", abandoned & call["is_resolved"].notna())
    call.rule("inconsistent_value", abandoned & (call["talk_seconds"] != 0))
    call.reference("customer_id", customer_keys)
    call.reference("agent_id", agent_keys)
    calls = finish(
        call,
        "call_id customer_id agent_id queue direction offered_at answered_at ended_at "
        "talk_seconds hold_seconds after_call_work_seconds transferred is_resolved",
    )
    calls["is_resolved"] = calls["is_resolved"].fillna(False).astype(bool)

    survey = table("survey_responses")
    survey.required("survey_type customer_id sent_at")
    survey.parse("timestamp", "sent_at responded_at")
    survey.parse("integer", "score")
    survey.allowed("survey_type", ["csat", "nps", "ces"])
    kind, score = survey["survey_type"], survey["score"]
    lowest = np.where(kind == "nps", 0, 1)
    highest = np.select([kind == "csat", kind == "nps"], [5, 10], 7)
    survey.rule("out_of_range", (score < lowest) | (score > highest))
    survey.rule("timestamp_order", survey["responded_at"] < survey["sent_at"])
    answered, scored = survey["responded_at"].notna(), survey["score"].notna()
    survey.rule("inconsistent_value", answered & ~scored)
    survey.rule("inconsistent_value", ~answered & scored)
    survey.reference("customer_id", customer_keys)
    surveys = finish(survey, "response_id survey_type customer_id sent_at responded_at score")

    order = table("orders")
    order.required("customer_id ordered_at amount currency")
    order.parse("timestamp", "ordered_at")
    order.parse("decimal", "amount")
    order.shape("currency", r"[A-Z]{3}")
    order.rule("out_of_range", order["amount"] < 0)
    order.reference("customer_id", customer_keys)
    orders = finish(order, "order_id customer_id ordered_at amount")

    shift = table("agent_shifts")
    shift.required("agent_id shift_start shift_end")
    shift.parse("timestamp", "shift_start shift_end")
    shift.rule("out_of_range", shift["shift_end"] > shift["shift_start"] + MAX_SPAN)
    shift.rule("timestamp_order", shift["shift_end"] <= shift["shift_start"])
    shift.reference("agent_id", agent_keys)
    shifts = finish(shift, "shift_id agent_id shift_start shift_end")

    raw_states = read_table(folder, "agent_states")  # optional table: none means no states
    if raw_states is None:
        raw_states = pd.DataFrame({c: pd.Series(dtype="str") for c in CONTRACT["agent_states"][1]})
    state = start_check("agent_states", raw_states)
    state.required("agent_id state started_at ended_at")
    state.parse("timestamp", "started_at ended_at")
    state.allowed("state", AGENT_STATES)
    state.rule("out_of_range", state["started_at"] > as_of)
    state.rule("out_of_range", state["ended_at"] > state["started_at"] + MAX_SPAN)
    state.rule("timestamp_order", state["ended_at"] <= state["started_at"])
    state.reference("agent_id", agent_keys)
    states = finish(state, "agent_state_id agent_id state started_at ended_at")

    return Delivery(
        customers,
        agents,
        shifts,
        states,
        tickets,
        events,
        messages,
        calls,
        surveys,
        orders,
        summaries,
    )


# --- KPI helpers -------------------------------------------------------------------------------


def months(values: pd.Series | np.ndarray) -> np.ndarray:
    """Months since 1970-01 (int64) of timestamps; NaT gives a sentinel (filter first)."""
    return np.asarray(values, dtype="datetime64[us]").astype("datetime64[M]").astype(np.int64)


def seconds_between(start: pd.Series | np.ndarray, end: pd.Series | np.ndarray) -> np.ndarray:
    delta = np.asarray(end, dtype="datetime64[us]") - np.asarray(start, dtype="datetime64[us]")
    out = delta.astype(np.int64) / 1e6
    out[np.isnat(delta)] = np.nan
    return out


class Results:
    """The long output: one row per month and KPI."""

    def __init__(self) -> None:
        self.parts: list[pd.DataFrame] = []

    def add(self, name: str, by_month: pd.Series) -> None:
        values = by_month.astype("float64").replace([np.inf, -np.inf], np.nan).dropna()
        self.parts.append(
            pd.DataFrame(
                {
                    "month": values.index.to_numpy(np.int64),
                    "kpi_name": name,
                    "value": values.to_numpy(),
                }
            )
        )

    def count(self, name: str, month: np.ndarray, counted: np.ndarray | None = None) -> None:
        """Sum of `counted` (default 1 per row) per month, for the months with rows."""
        weights = np.ones(len(month)) if counted is None else np.asarray(counted, dtype="float64")
        self.add(name, pd.Series(weights).groupby(month).sum())

    def ratio(
        self,
        name: str,
        month: np.ndarray,
        numerator: np.ndarray,
        denominator: np.ndarray,
    ) -> None:
        """Sum of numerator / sum of denominator per month; null when the denominator is 0."""
        sums = (
            pd.DataFrame(
                {
                    "numerator": np.asarray(numerator, dtype="float64"),
                    "denominator": np.asarray(denominator, dtype="float64"),
                }
            )
            .groupby(month)
            .sum()
        )
        self.add(name, sums["numerator"] / sums["denominator"].where(sums["denominator"] != 0))

    def frame(self) -> pd.DataFrame:
        out = pd.concat(self.parts, ignore_index=True)
        month = out["month"].to_numpy().astype("datetime64[M]")
        out["month"] = np.datetime_as_string(month, unit="M")
        return out.sort_values(["kpi_name", "month"], ignore_index=True)


def month_sums(month: np.ndarray, values: np.ndarray) -> pd.Series:
    return pd.Series(np.asarray(values, dtype="float64")).groupby(month).sum()


def within_follow_up(
    earlier: pd.DataFrame,
    later: pd.DataFrame,
    earlier_at: str,
    later_at: str,
) -> np.ndarray:
    """For each row of `earlier` (customer_id, earlier_at): whether `later` has a row of the same
    customer with later_at in (earlier_at, earlier_at + 7 days]. Result in `earlier`'s order."""
    left = pd.DataFrame(
        {"customer_id": earlier["customer_id"].to_numpy(), "at": earlier[earlier_at].to_numpy()}
    )
    left["row"] = np.arange(len(left))
    right = pd.DataFrame(
        {"customer_id": later["customer_id"].to_numpy(), "next_at": later[later_at].to_numpy()}
    )
    right["at"] = right["next_at"]
    found = pd.merge_asof(
        left.sort_values("at"),
        right.sort_values("at"),
        on="at",
        by="customer_id",
        direction="forward",
        allow_exact_matches=False,
    )
    hit = (found["next_at"] <= found["at"] + FOLLOW_UP).to_numpy(dtype=bool, na_value=False)
    out = np.zeros(len(left), dtype=bool)
    out[found["row"].to_numpy()] = hit
    return out


def split_by_day(
    keys: dict[str, np.ndarray], start: np.ndarray, end: np.ndarray
) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray, np.ndarray]:
    """Cut intervals [start, end) at UTC midnight: (keys repeated, date, piece start, piece end)."""
    first_day = start.astype("datetime64[D]")
    last_day = (end - US).astype("datetime64[D]")
    days = (last_day - first_day).astype(np.int64) + 1
    row = np.repeat(np.arange(len(start)), days)
    offset = np.arange(len(row)) - np.repeat(np.cumsum(days) - days, days)
    date = first_day[row] + offset.astype("timedelta64[D]")
    day_start = date.astype("datetime64[us]")
    piece_start = np.maximum(start[row], day_start)
    piece_end = np.minimum(end[row], day_start + DAY)
    return {k: v[row] for k, v in keys.items()}, date, piece_start, piece_end


# --- business minutes (simplified calendar, see the docstring) --------------------------------


@dataclass
class Schedule:
    time_zone: str
    windows: dict[int, list[tuple[float, float]]]  # ISO weekday -> [(open, close)] minutes
    holidays: set[np.datetime64]


def read_schedules(
    seeds: Path,
) -> tuple[dict[str, Schedule], dict[str, str], dict[str, tuple[float, float]]]:
    hours = pd.read_csv(seeds / "business_hours.csv", dtype=str)
    holidays = pd.read_csv(seeds / "holidays.csv", dtype=str)
    teams = pd.read_csv(seeds / "team_schedules.csv", dtype=str)
    sla = pd.read_csv(seeds / "sla_policies.csv", dtype=str)

    def minutes_of(text: str) -> float:
        hour, minute = text.split(":")
        return int(hour) * 60 + int(minute)

    schedules: dict[str, Schedule] = {}
    for schedule_id, rows in hours.groupby("schedule_id"):
        windows: dict[int, list[tuple[float, float]]] = {}
        for row in rows.itertuples():
            windows.setdefault(int(row.day_of_week), []).append(
                (minutes_of(str(row.open_time)), minutes_of(str(row.close_time)))
            )
        closed = holidays.loc[holidays["schedule_id"] == schedule_id, "holiday_date"]
        schedules[str(schedule_id)] = Schedule(
            time_zone=str(rows["time_zone"].iloc[0]),
            windows=windows,
            holidays={np.datetime64(day, "D") for day in closed},
        )
    team_schedule = dict(zip(teams["team"], teams["schedule_id"], strict=True))
    targets = {
        row.priority: (float(row.first_reply_target_minutes), float(row.resolution_target_minutes))
        for row in sla.itertuples()
    }
    return schedules, team_schedule, targets


def business_clock(moments: np.ndarray, schedule: Schedule) -> np.ndarray:
    """Business minutes of the schedule from an origin to each moment (naive UTC): the
    open minutes of every earlier local date plus those of the moment's date up to its local
    wall-clock time. The origin is the local date before the earliest moment of this call,
    so clocks are comparable within one call only: business minutes of [a, b) =
    clock(b) - clock(a) with a and b in the same call."""
    out = np.full(len(moments), np.nan)
    present = ~np.isnat(moments)
    if not present.any():
        return out
    utc = pd.DatetimeIndex(moments[present]).tz_localize("UTC")
    local = utc.tz_convert(schedule.time_zone).tz_localize(None).to_numpy()
    local_day = local.astype("datetime64[D]")
    minute_of_day = (local - local_day.astype("datetime64[us]")).astype(np.int64) / 6e7
    first = local_day.min() - 1
    days = np.arange(first, local_day.max() + 2)
    weekday = (days.astype(np.int64) + 3) % 7 + 1  # 1970-01-01 was a Thursday (4)
    is_holiday = np.isin(days, np.array(sorted(schedule.holidays), dtype="datetime64[D]"))
    slots = max((len(w) for w in schedule.windows.values()), default=0)
    opens = np.zeros((slots, len(days)))
    closes = np.zeros((slots, len(days)))
    for iso_day, windows in schedule.windows.items():
        on_day = (weekday == iso_day) & ~is_holiday
        for slot, (open_minute, close_minute) in enumerate(windows):
            opens[slot, on_day] = open_minute
            closes[slot, on_day] = close_minute
    open_per_day = (closes - opens).sum(axis=0)
    before_day = np.concatenate([[0.0], np.cumsum(open_per_day)[:-1]])
    index = (local_day - first).astype(np.int64)
    today = np.zeros(len(index))
    for slot in range(slots):
        length = closes[slot, index] - opens[slot, index]
        today += np.clip(minute_of_day - opens[slot, index], 0, length)
    out[present] = before_day[index] + today
    return out


def business_minutes(
    schedule_of: np.ndarray,
    start: np.ndarray,
    end: np.ndarray,
    schedules: dict[str, Schedule],
) -> np.ndarray:
    out = np.full(len(start), np.nan)
    for schedule_id, schedule in schedules.items():
        rows = schedule_of == schedule_id
        if rows.any():
            # One call for both ends: one origin (a start without an end gives NaN).
            count = int(rows.sum())
            clock = business_clock(np.concatenate([start[rows], end[rows]]), schedule)
            out[rows] = clock[count:] - clock[:count]
    return out


# --- KPIs --------------------------------------------------------------------------------------


def ticket_kpis(
    data: Delivery,
    results: Results,
    seeds: Path,
) -> pd.DataFrame:
    """The ticket and message KPIs; returns the per-ticket frame (later KPIs use it)."""
    tickets = data.tickets
    ticket_index = pd.Index(tickets["ticket_id"])
    n = len(tickets)
    created = tickets["created_at"].to_numpy()

    # The conversation: customer and public agent messages, by sent_at, agents first on ties.
    messages = data.messages
    conversation = messages.loc[
        messages["is_public"].to_numpy(dtype=bool)
        & messages["author_type"].isin(["customer", "agent"]).to_numpy(),
        ["message_id", "ticket_id", "author_type", "author_id", "sent_at"],
    ].copy()
    conversation["ticket"] = ticket_index.get_indexer(conversation["ticket_id"])
    conversation["is_customer"] = (conversation["author_type"] == "customer").to_numpy()
    conversation = conversation.sort_values(
        ["ticket", "sent_at", "is_customer", "message_id"], ignore_index=True
    )
    ticket = conversation["ticket"].to_numpy()
    sent = conversation["sent_at"].to_numpy()
    is_agent = ~conversation["is_customer"].to_numpy()
    author = conversation["author_id"].to_numpy()
    same_ticket = np.zeros(len(ticket), dtype=bool)
    same_ticket[1:] = ticket[1:] == ticket[:-1]
    previous_agent = np.zeros(len(ticket), dtype=bool)
    previous_agent[1:] = is_agent[:-1]
    previous_agent &= same_ticket
    gap = np.full(len(ticket), np.inf)
    gap[1:] = seconds_between(sent[:-1], sent[1:])
    different_author = np.zeros(len(ticket), dtype=bool)
    different_author[1:] = author[1:] != author[:-1]
    collision = is_agent & previous_agent & different_author & (gap <= COLLISION_S)

    # The next public agent message after each message of the conversation (strictly later:
    # on equal times agent messages sort first).
    agent_sent = pd.Series(np.where(is_agent, sent, np.datetime64("NaT")).astype("datetime64[us]"))
    next_agent_at = agent_sent.groupby(ticket).bfill().to_numpy()
    next_agent_at = np.where(is_agent, np.datetime64("NaT"), next_agent_at)  # only customer rows

    agent_rows = is_agent & (sent >= created[ticket])
    first_reply = (
        pd.Series(sent[agent_rows]).groupby(ticket[agent_rows]).min().reindex(range(n)).to_numpy()
    )
    agent_messages = np.bincount(ticket[is_agent], minlength=n)
    has_collision = np.bincount(ticket[collision], minlength=n) > 0

    customer = ~is_agent
    customer_month = months(sent[customer])
    replied = ~np.isnat(next_agent_at[customer])
    results.count("messages_received", customer_month)
    results.ratio("reply_rate", customer_month, replied, np.ones(len(customer_month)))

    # Customer turns: a customer message first in its conversation or right after an agent one.
    turn = customer & (~same_ticket | previous_agent)
    turn_wait = seconds_between(sent[turn], next_agent_at[turn]) / 60
    turn_replied = ~np.isnan(turn_wait)
    results.ratio("reply_wait_minutes", months(sent[turn]), np.nan_to_num(turn_wait), turn_replied)

    # Tickets per agent: distinct (agent, ticket) pairs / distinct agents, by month of sent_at.
    activity = pd.DataFrame(
        {"month": months(sent[is_agent]), "agent": author[is_agent], "ticket": ticket[is_agent]}
    ).drop_duplicates()
    per_month = activity.groupby("month").agg(pairs=("ticket", "size"), agents=("agent", "nunique"))
    results.add("tickets_per_agent", per_month["pairs"] / per_month["agents"])

    # Status changes: resolutions (into solved/closed from an unresolved status), reopens.
    events = data.events
    event_ticket = ticket_index.get_indexer(events["ticket_id"])
    event_type = events["event_type"].to_numpy()
    from_value = events["from_value"]
    to_value = events["to_value"]
    status_change = event_type == "status_change"
    resolution = (
        status_change & to_value.isin(SOLVED).to_numpy() & ~from_value.isin(SOLVED).to_numpy()
    )
    reopen = status_change & from_value.isin(SOLVED).to_numpy() & to_value.isin(UNSOLVED).to_numpy()
    event_at = events["event_at"].to_numpy()
    resolutions = pd.Series(event_at[resolution]).groupby(event_ticket[resolution])
    first_solved = resolutions.min().reindex(range(n)).to_numpy()
    last_resolution = resolutions.max().reindex(range(n)).to_numpy()
    reopens = np.bincount(event_ticket[reopen], minlength=n)
    escalation = event_type == "escalation"
    escalations = np.bincount(event_ticket[escalation], minlength=n)
    status_solved = tickets["status"].isin(SOLVED).to_numpy()
    is_solved = status_solved & ~np.isnat(first_solved)
    solved_at = np.where(is_solved, last_resolution, np.datetime64("NaT")).astype("datetime64[us]")

    # Business minutes on the ticket's schedule (its team's, else the default one).
    schedules, team_schedule, targets = read_schedules(seeds)
    schedule_of = tickets["team"].map(team_schedule).fillna(DEFAULT_SCHEDULE).to_numpy()
    first_reply_business = business_minutes(schedule_of, created, first_reply, schedules)
    resolution_business = business_minutes(schedule_of, created, solved_at, schedules)
    priority = tickets["priority"]
    first_reply_target = priority.map({k: v[0] for k, v in targets.items()}).to_numpy(dtype=float)
    resolution_target = priority.map({k: v[1] for k, v in targets.items()}).to_numpy(dtype=float)

    inbound = (tickets["direction"] == "inbound").to_numpy()
    first_reply_minutes = seconds_between(created, first_reply) / 60
    replied_ticket = ~np.isnat(first_reply)
    created_month = months(created)
    ones = np.ones(n)
    results.count("tickets_created", created_month)
    results.ratio(
        "first_reply_minutes",
        created_month,
        np.where(inbound & replied_ticket, first_reply_minutes, 0),
        inbound & replied_ticket,
    )
    results.ratio(
        "first_reply_business_minutes",
        created_month,
        np.where(inbound & replied_ticket, first_reply_business, 0),
        inbound & replied_ticket,
    )
    results.ratio(
        "replied_within_12h_rate",
        created_month,
        inbound & (first_reply_minutes * 60 <= REPLY_WITHIN_S),
        inbound,
    )
    results.ratio(
        "first_reply_sla_rate",
        created_month,
        inbound & (first_reply_business <= first_reply_target),
        inbound,
    )
    results.ratio("resolution_rate", created_month, is_solved, ones)
    results.ratio("escalation_rate", created_month, escalations > 0, ones)
    results.ratio(
        "live_channel_share", created_month, tickets["channel"].isin(LIVE_CHANNELS).to_numpy(), ones
    )
    results.ratio("collision_rate", created_month, has_collision, agent_messages > 0)

    solved = np.flatnonzero(is_solved)
    solved_month = months(solved_at[solved])
    resolution_minutes = seconds_between(created[solved], solved_at[solved]) / 60
    results.count("tickets_solved", solved_month)
    solved_ones = np.ones(len(solved))
    results.ratio("resolution_minutes", solved_month, resolution_minutes, solved_ones)
    results.ratio(
        "resolution_business_minutes", solved_month, resolution_business[solved], solved_ones
    )
    results.ratio(
        "resolution_sla_rate",
        solved_month,
        resolution_business[solved] <= resolution_target[solved],
        solved_ones,
    )
    results.ratio(
        "first_contact_resolution_rate",
        solved_month,
        (agent_messages[solved] == 1) & (reopens[solved] == 0),
        solved_ones,
    )
    results.ratio("replies_per_resolution", solved_month, agent_messages[solved], solved_ones)
    results.ratio("reopen_rate", solved_month, reopens[solved] > 0, solved_ones)

    first = np.flatnonzero(~np.isnat(first_solved))
    results.ratio(
        "first_resolution_minutes",
        months(first_solved[first]),
        seconds_between(created[first], first_solved[first]) / 60,
        np.ones(len(first)),
    )

    # Escalation events by month, per 1,000 customers signed up by the month's last day.
    escalation_month = months(event_at[escalation])
    per_month_escalations = month_sums(escalation_month, np.ones(len(escalation_month)))
    signed_up = np.sort(months(data.customers["signed_up_at"].to_numpy()))
    customers_by_month_end = np.searchsorted(
        signed_up, per_month_escalations.index.to_numpy(), side="right"
    )
    results.add(
        "escalations_per_1000_customers",
        per_month_escalations
        * 1000.0
        / np.where(customers_by_month_end > 0, customers_by_month_end, np.nan),
    )

    # Open backlog: tickets whose status at the end of the day is not solved/closed, replaying
    # status changes (event_at, event_id order; `new` from created_at); a month's value is its
    # last day's (the last day of the data for the last month).
    changes = pd.DataFrame(
        {
            "ticket": event_ticket[status_change],
            "at": event_at[status_change],
            "event_id": events["event_id"].to_numpy()[status_change],
            "status": to_value.to_numpy()[status_change],
        }
    ).sort_values(["ticket", "at", "event_id"], ignore_index=True)
    change_ticket = changes["ticket"].to_numpy()
    change_at = changes["at"].to_numpy()
    is_first_change = np.ones(len(changes), dtype=bool)
    is_first_change[1:] = change_ticket[1:] != change_ticket[:-1]
    next_at = np.full(len(changes), np.datetime64("NaT"), dtype="datetime64[us]")
    next_at[:-1] = np.where(~is_first_change[1:], change_at[1:], np.datetime64("NaT"))
    first_change_at = np.full(n, np.datetime64("NaT"), dtype="datetime64[us]")
    first_change_at[change_ticket[is_first_change]] = change_at[is_first_change]
    segment_from = np.concatenate([created, change_at])
    segment_to = np.concatenate([first_change_at, next_at])
    segment_open = np.concatenate(
        [np.ones(n, dtype=bool), ~changes["status"].isin(SOLVED).to_numpy()]
    )
    bounds = data_dates(data)
    month_ends = backlog_days(*bounds) if bounds else np.array([], dtype="datetime64[D]")
    cut = (month_ends + 1).astype("datetime64[us]")  # the end of each month's last day
    never = np.datetime64("9999-12-31", "us")
    open_from = segment_from[segment_open]
    open_to = np.where(np.isnat(segment_to[segment_open]), never, segment_to[segment_open])
    # A segment is open at cut c when from < c <= to.
    begin = np.searchsorted(cut, open_from, side="right")
    end = np.searchsorted(cut, open_to, side="right")
    delta = np.bincount(begin, minlength=len(cut) + 1) - np.bincount(end, minlength=len(cut) + 1)
    open_at_cut = np.cumsum(delta)[: len(cut)]
    results.add(
        "open_backlog",
        pd.Series(open_at_cut, index=months(month_ends.astype("datetime64[us]"))),
    )

    return pd.DataFrame(
        {
            "ticket_id": tickets["ticket_id"].to_numpy(),
            "customer_id": tickets["customer_id"].to_numpy(),
            "created_at": created,
            "inbound": inbound,
            "is_solved": is_solved,
            "solved_at": solved_at,
            "assigned": tickets["assignee_agent_id"].notna().to_numpy(),
        }
    )


def data_dates(data: Delivery) -> tuple[np.datetime64, np.datetime64] | None:
    """The first and last UTC date with any timestamp of the valid data (the project's date
    spine: tickets created..updated, events, messages, calls offered..ended, surveys
    sent..responded, orders, shifts start..end)."""
    firsts = [
        data.tickets["created_at"].min(),
        data.events["event_at"].min(),
        data.messages["sent_at"].min(),
        data.calls["offered_at"].min(),
        data.surveys["sent_at"].min(),
        data.orders["ordered_at"].min(),
        data.shifts["shift_start"].min(),
    ]
    lasts = [
        data.tickets["updated_at"].max(),
        data.events["event_at"].max(),
        data.messages["sent_at"].max(),
        data.calls["ended_at"].max(),
        data.surveys["responded_at"].fillna(data.surveys["sent_at"]).max(),
        data.orders["ordered_at"].max(),
        data.shifts["shift_end"].max(),
    ]
    firsts = [pd.Timestamp(v) for v in firsts if not pd.isna(v)]
    lasts = [pd.Timestamp(v) for v in lasts if not pd.isna(v)]
    if not firsts:
        return None  # no dated valid row: no months of data
    return np.datetime64(min(firsts).date(), "D"), np.datetime64(max(lasts).date(), "D")


def backlog_days(first: np.datetime64, last: np.datetime64) -> np.ndarray:
    """The last day of every month from first to last (the last date itself for its month)."""
    month_starts = np.arange(first.astype("datetime64[M]"), last.astype("datetime64[M]") + 1)
    ends = (month_starts + 1).astype("datetime64[D]") - 1
    return np.minimum(ends, last)


def call_kpis(data: Delivery, results: Results) -> pd.DataFrame:
    """The call KPIs (inbound calls, anchor offered_at); returns the inbound calls."""
    calls = data.calls
    inbound_calls = calls.loc[(calls["direction"] == "inbound").to_numpy()].reset_index(drop=True)
    offered = inbound_calls["offered_at"].to_numpy()
    answered_at = inbound_calls["answered_at"].to_numpy()
    ended = inbound_calls["ended_at"].to_numpy()
    answered = ~np.isnat(answered_at)
    speed = seconds_between(offered, answered_at)
    wait = np.where(answered, speed, seconds_between(offered, ended))
    short = ~answered & (wait <= SHORT_ABANDON_S)
    within = answered & (speed <= SERVICE_LEVEL_S)
    talk = inbound_calls["talk_seconds"].to_numpy()
    hold = inbound_calls["hold_seconds"].to_numpy()
    acw = inbound_calls["after_call_work_seconds"].to_numpy()
    resolved = answered & inbound_calls["is_resolved"].to_numpy()
    known = inbound_calls["customer_id"].notna().to_numpy()
    repeated = (
        within_follow_up(inbound_calls, inbound_calls.loc[known], "offered_at", "offered_at")
        & known
    )
    month = months(offered)
    ones = np.ones(len(month))

    results.count("calls_offered", month)
    results.count("calls_answered", month, answered)
    results.ratio("abandonment_rate", month, ~answered, ones)
    results.ratio("average_speed_of_answer_seconds", month, np.where(answered, speed, 0), answered)
    results.ratio("service_level_rate", month, within, ones)
    results.ratio("average_wait_seconds", month, wait, ones)
    results.ratio(
        "average_handle_seconds", month, np.where(answered, talk + hold + acw, 0), answered
    )
    results.ratio("average_talk_seconds", month, np.where(answered, talk, 0), answered)
    results.ratio("call_resolution_rate", month, resolved, answered)
    results.ratio(
        "call_first_contact_resolution_rate",
        month,
        resolved & known & ~repeated,
        answered & known,
    )
    results.ratio(
        "transfer_rate",
        month,
        answered & inbound_calls["transferred"].to_numpy(dtype=bool),
        answered,
    )
    results.count("short_abandons", month, short)
    results.ratio("abandonment_rate_excl_short", month, ~answered & ~short, ~short)
    results.ratio("service_level_rate_excl_short", month, within, ~short)
    results.ratio("average_abandon_seconds", month, np.where(answered, 0, wait), ~answered)
    results.add("longest_wait_seconds", pd.Series(wait).groupby(month).max())
    results.ratio("average_hold_seconds", month, np.where(answered, hold, 0), answered)
    results.ratio("hold_rate", month, answered & (hold > 0), answered)
    results.ratio("average_after_call_work_seconds", month, np.where(answered, acw, 0), answered)
    results.ratio("repeat_call_rate", month, repeated, known)

    return inbound_calls.assign(
        answered=answered, handle=np.where(answered, talk + hold + acw, np.nan)
    )


def merged_shifts(shifts: pd.DataFrame) -> pd.DataFrame:
    """Each agent's shifts merged where they overlap or touch (a minute in two shifts is one)."""
    ordered = shifts.sort_values(["agent_id", "shift_start", "shift_end"], ignore_index=True)
    agent = ordered["agent_id"].to_numpy()
    start = ordered["shift_start"].to_numpy()
    end = ordered["shift_end"].to_numpy()
    reach = pd.Series(end).groupby(agent).cummax().to_numpy()
    new_agent = np.ones(len(agent), dtype=bool)
    new_agent[1:] = agent[1:] != agent[:-1]
    starts_island = new_agent.copy()
    starts_island[1:] |= start[1:] > reach[:-1]
    island = np.cumsum(starts_island)
    merged = (
        pd.DataFrame({"island": island, "agent_id": agent, "start": start, "end": end})
        .groupby("island")
        .agg(agent_id=("agent_id", "first"), start=("start", "min"), end=("end", "max"))
    )
    return merged.reset_index(drop=True)


def erlang_c_required(load: np.ndarray, handle: np.ndarray) -> np.ndarray:
    """The smallest N > A whose Erlang C service level reaches the target, for every interval
    at once (Erlang B recursion, then C from B)."""
    required = np.full(len(load), np.nan)
    if len(load) == 0:
        return required
    blocking = np.ones(len(load))
    top = int(np.max(np.floor(load + 10 * np.sqrt(load)))) + 30
    for agents in range(1, top + 1):
        blocking = load * blocking / (agents + load * blocking)
        eligible = (agents > load) & np.isnan(required)
        if not eligible.any():
            continue
        with np.errstate(divide="ignore", invalid="ignore"):
            wait = agents * blocking / (agents - load * (1 - blocking))
            level = 1 - wait * np.exp(-(agents - load) * SERVICE_LEVEL_S / handle)
        required[eligible & (level >= SERVICE_LEVEL_TARGET)] = agents
    return required


def staffing_kpis(
    data: Delivery, inbound_calls: pd.DataFrame, islands: pd.DataFrame, results: Results
) -> None:
    queued = inbound_calls.loc[inbound_calls["queue"].notna().to_numpy()]
    hour = queued["offered_at"].to_numpy().astype("datetime64[h]")
    frame = pd.DataFrame(
        {
            "queue": queued["queue"].to_numpy(),
            "hour": hour,
            "handle": np.where(queued["answered"].to_numpy(), queued["handle"].to_numpy(), np.nan),
        }
    )
    if frame.empty:
        return
    queue_handle = frame.groupby("queue")["handle"].mean()
    intervals = frame.groupby(["queue", "hour"], as_index=False).agg(
        offered=("handle", "size"), handle=("handle", "mean")
    )
    handle = intervals["handle"].fillna(intervals["queue"].map(queue_handle)).to_numpy(dtype=float)
    load = intervals["offered"].to_numpy() * handle / 3600.0
    required = np.full(len(load), np.nan)
    positive = load > 0
    required[positive] = erlang_c_required(load[positive], handle[positive])
    required[load == 0] = 1

    # Staffed agents: each agent of the queue's team counted by the share of the hour their
    # (merged) shifts cover.
    team = islands["agent_id"].map(data.agents.set_index("agent_id")["team"]).to_numpy()
    start = islands["start"].to_numpy()
    end = islands["end"].to_numpy()
    first_hour = start.astype("datetime64[h]")
    hours = ((end - US).astype("datetime64[h]") - first_hour).astype(np.int64) + 1
    row = np.repeat(np.arange(len(start)), hours)
    offset = np.arange(len(row)) - np.repeat(np.cumsum(hours) - hours, hours)
    hour_of = first_hour[row] + offset.astype("timedelta64[h]")
    hour_start = hour_of.astype("datetime64[us]")
    covered = (np.minimum(end[row], hour_start + HOUR) - np.maximum(start[row], hour_start)).astype(
        np.int64
    ) / 3.6e9
    staffed = (
        pd.DataFrame({"queue": team[row], "hour": hour_of, "staffed": covered})
        .groupby(["queue", "hour"], as_index=False)["staffed"]
        .sum()
    )
    staffed_agents = (
        intervals[["queue", "hour"]]
        .merge(staffed, on=["queue", "hour"], how="left")["staffed"]
        .fillna(0.0)
        .to_numpy(dtype=float)
    )
    judged = ~np.isnan(required)
    month = months(intervals["hour"].to_numpy())
    results.ratio(
        "understaffed_interval_rate",
        month,
        judged & (staffed_agents < np.nan_to_num(required)),
        judged,
    )
    results.ratio(
        "staffing_gap_agents",
        month,
        np.where(judged, staffed_agents - np.nan_to_num(required), 0),
        judged,
    )


def survey_kpis(data: Delivery, results: Results) -> None:
    surveys = data.surveys
    survey_type = surveys["survey_type"].to_numpy()
    responded = surveys["responded_at"].to_numpy()
    answered = ~np.isnat(responded)
    score = surveys["score"].to_numpy()
    results.ratio(
        "survey_response_rate",
        months(surveys["sent_at"].to_numpy()),
        answered,
        np.ones(len(surveys)),
    )

    def by_type(kind: str) -> tuple[np.ndarray, np.ndarray]:
        rows = answered & (survey_type == kind)
        return months(responded[rows]), score[rows]

    month, csat = by_type("csat")
    results.ratio("csat_rate", month, csat >= 4, np.ones(len(csat)))
    results.ratio("csat_average", month, csat, np.ones(len(csat)))
    satisfied = month_sums(month, csat >= 4) / month_sums(month, np.ones(len(csat)))
    previous = satisfied.copy()
    previous.index = previous.index + 1
    results.add("csat_rate_change", (satisfied - previous.reindex(satisfied.index)).dropna())
    month, nps = by_type("nps")
    results.ratio(
        "nps", month, np.select([nps >= 9, nps <= 6], [100.0, -100.0], 0.0), np.ones(len(nps))
    )
    month, ces = by_type("ces")
    results.ratio("ces_average", month, ces, np.ones(len(ces)))
    results.ratio("low_effort_rate", month, ces >= 5, np.ones(len(ces)))


def customer_kpis(
    data: Delivery, ticket_facts: pd.DataFrame, inbound_calls: pd.DataFrame, results: Results
) -> None:
    orders = data.orders
    known_calls = inbound_calls.loc[inbound_calls["customer_id"].notna().to_numpy()]
    inbound_tickets = ticket_facts.loc[ticket_facts["inbound"].to_numpy()]
    contacts = pd.concat(
        [
            pd.DataFrame(
                {
                    "customer_id": inbound_tickets["customer_id"].to_numpy(),
                    "at": inbound_tickets["created_at"].to_numpy(),
                }
            ),
            pd.DataFrame(
                {
                    "customer_id": known_calls["customer_id"].to_numpy(),
                    "at": known_calls["offered_at"].to_numpy(),
                }
            ),
        ],
        ignore_index=True,
    )
    converted = within_follow_up(contacts, orders, "at", "ordered_at")
    contact_month = months(contacts["at"].to_numpy())
    results.ratio("post_contact_conversion_rate", contact_month, converted, np.ones(len(contacts)))

    # An order follows a contact of its customer in [ordered_at - 7 days, ordered_at).
    left = pd.DataFrame(
        {
            "customer_id": orders["customer_id"].to_numpy(),
            "at": orders["ordered_at"].to_numpy(),
            "row": np.arange(len(orders)),
        }
    ).sort_values("at")
    right = contacts.assign(contact_at=contacts["at"]).sort_values("at")
    found = pd.merge_asof(
        left, right, on="at", by="customer_id", direction="backward", allow_exact_matches=False
    )
    post_contact = np.zeros(len(orders), dtype=bool)
    post_contact[found["row"].to_numpy()] = (
        found["contact_at"] >= found["at"] - FOLLOW_UP
    ).to_numpy(dtype=bool, na_value=False)
    results.count(
        "post_contact_revenue",
        months(orders["ordered_at"].to_numpy()),
        np.where(post_contact, orders["amount"].to_numpy(), 0.0),
    )

    # Retention: customers ordering in M-1 who order again in M, up to the last order month.
    order_months = pd.DataFrame(
        {
            "customer_id": orders["customer_id"].to_numpy(),
            "month": months(orders["ordered_at"].to_numpy()),
        }
    ).drop_duplicates()
    last_month = order_months["month"].max()
    candidates = order_months.loc[order_months["month"] < last_month].assign(
        month=lambda frame: frame["month"] + 1
    )
    retained = candidates.merge(
        order_months, on=["customer_id", "month"], how="left", indicator=True
    )
    results.ratio(
        "customer_retention_rate",
        retained["month"].to_numpy(),
        (retained["_merge"] == "both").to_numpy(),
        np.ones(len(retained)),
    )


def workforce_kpis(
    data: Delivery, ticket_facts: pd.DataFrame, islands: pd.DataFrame, results: Results
) -> None:
    shifts = data.shifts
    shift_month = months(shifts["shift_start"].to_numpy())
    shift_hours = (
        seconds_between(shifts["shift_start"].to_numpy(), shifts["shift_end"].to_numpy()) / 3600
    )
    results.add(
        "active_agents",
        pd.Series(shifts["agent_id"].to_numpy()).groupby(shift_month).nunique(),
    )
    solved = ticket_facts.loc[ticket_facts["is_solved"].to_numpy()]
    solved_assigned = month_sums(
        months(solved["solved_at"].to_numpy()), solved["assigned"].to_numpy()
    )
    hours = month_sums(shift_month, shift_hours)
    per_hour = solved_assigned / hours.where(hours != 0)
    results.add("solved_per_shift_hour", per_hour.dropna())

    state_kpis(data, islands, results)
    bounds = data_dates(data)
    if bounds is not None:
        turnover_kpi(data, *bounds, results)


def turnover_kpi(
    data: Delivery, first: np.datetime64, last: np.datetime64, results: Results
) -> None:
    """Terminations in the month / mean headcount of its first and last day, for every month of
    the data (headcount on day D: hired_at <= D and not terminated on or before D)."""
    month_starts = np.arange(first.astype("datetime64[M]"), last.astype("datetime64[M]") + 1)
    first_day = month_starts.astype("datetime64[D]")
    last_day = (month_starts + 1).astype("datetime64[D]") - 1
    hired = data.agents["hired_at"].to_numpy().astype("datetime64[D]")[:, None]
    terminated = data.agents["terminated_at"].to_numpy().astype("datetime64[D]")[:, None]
    still = np.isnat(terminated)

    def headcount(day: np.ndarray) -> np.ndarray:
        return ((hired <= day) & (still | (terminated > day))).sum(axis=0)

    terminations = (~still & (terminated >= first_day) & (terminated <= last_day)).sum(axis=0)
    mean_headcount = (headcount(first_day) + headcount(last_day)) / 2
    results.add(
        "agent_turnover_rate",
        pd.Series(
            terminations / np.where(mean_headcount > 0, mean_headcount, np.nan),
            index=month_starts.astype(np.int64),
        ),
    )


def resolved_states(
    states: pd.DataFrame, agent_code: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Each agent's timeline with overlaps resolved: at every instant the state of the covering
    interval that started last (equal starts: the larger agent_state_id), so an interval that
    holds a later one resumes after it. Returns (agent code, state code, start, end) pieces."""
    # Sorted by agent and start (numbers), then rows with equal agent and start by id.
    start = states["started_at"].to_numpy()
    order = np.lexsort((start, agent_code))
    tied = (agent_code[order][1:] == agent_code[order][:-1]) & (
        start[order][1:] == start[order][:-1]
    )
    if tied.any():
        in_tie = np.zeros(len(order), dtype=bool)
        in_tie[1:] |= tied
        in_tie[:-1] |= tied
        positions = np.flatnonzero(in_tie)
        ties = pd.DataFrame(
            {
                "agent": agent_code[order[positions]],
                "start": start[order[positions]],
                "id": states["agent_state_id"].to_numpy()[order[positions]],
            }
        )
        order[positions] = order[positions][ties.sort_values(["agent", "start", "id"]).index]
    ordered = pd.DataFrame(
        {
            "agent": agent_code[order],
            "state": pd.Categorical(states["state"], categories=AGENT_STATES).codes[order],
            "start": start[order],
            "end": states["ended_at"].to_numpy()[order],
        }
    )
    agent = ordered["agent"].to_numpy().astype(np.int64)
    start = ordered["start"].to_numpy()
    end = ordered["end"].to_numpy()
    origin = start.min()
    span = int((end.max() - origin) / US) + 2
    if (int(agent.max()) + 1) * span >= 2**62:
        raise SystemExit("agent_states: too many agents for the timeline key")

    def key(at: np.ndarray) -> np.ndarray:
        return agent * span + ((at - origin) / US).astype(np.int64)

    start_key = key(start)
    reach = pd.Series(end).groupby(agent).cummax().to_numpy()
    # Elementary segments: between consecutive distinct boundaries of one agent.
    points = np.sort(np.concatenate([start_key, key(end)]))
    points = points[np.concatenate([[True], points[1:] != points[:-1]])]
    same = points[:-1] // span == points[1:] // span
    segment_start, segment_end = points[:-1][same], points[1:][same]
    # The latest-started interval covering each segment start: walk back from the last one that
    # started at or before it, stopping when no earlier interval reaches past it.
    candidate = np.searchsorted(start_key, segment_start, side="right") - 1
    segment_agent = segment_start // span
    at = origin + (segment_start % span) * US
    owner = np.full(len(segment_start), -1)
    pending = np.arange(len(segment_start))
    while len(pending):
        k = np.maximum(candidate[pending], 0)
        alive = (
            (candidate[pending] >= 0)
            & (agent[k] == segment_agent[pending])
            & (reach[k] > at[pending])
        )
        covers = alive & (end[k] > at[pending])
        owner[pending[covers]] = k[covers]
        pending = pending[alive & ~covers]
        candidate[pending] -= 1
    covered = owner >= 0
    return (
        agent[owner[covered]],
        ordered["state"].to_numpy()[owner[covered]],
        at[covered],
        origin + (segment_end[covered] % span) * US,
    )


def state_kpis(data: Delivery, islands: pd.DataFrame, results: Results) -> None:
    if data.states.empty:
        return
    agents = pd.Index(data.agents["agent_id"])
    agent, state, start, end = resolved_states(
        data.states, agents.get_indexer(data.states["agent_id"])
    )
    keys, state_date, state_start, state_end = split_by_day(
        {"agent": agent, "state": state}, start, end
    )
    state = keys["state"]
    productive = np.isin(state, [AGENT_STATES.index(name) for name in PRODUCTIVE])
    handling = np.isin(state, [AGENT_STATES.index(name) for name in HANDLING])
    offline = state == AGENT_STATES.index("offline")
    minutes = (state_end - state_start).astype(np.int64) / 6e7
    month = months(state_date)
    results.ratio(
        "occupancy_rate", month, np.where(handling, minutes, 0), np.where(productive, minutes, 0)
    )

    # Shift-based KPIs, on the dates from the first to the last date of the state data.
    shift_keys, shift_date, shift_start, shift_end = split_by_day(
        {"agent": agents.get_indexer(islands["agent_id"])},
        islands["start"].to_numpy(),
        islands["end"].to_numpy(),
    )
    judged = (shift_date >= state_date.min()) & (shift_date <= state_date.max())
    shift_minutes = (shift_end - shift_start).astype(np.int64) / 6e7
    shift_total = month_sums(months(shift_date[judged]), shift_minutes[judged])

    # The part of each state piece inside the agent's (merged) shifts of that date.
    def agent_day(agent_codes: np.ndarray, dates: np.ndarray) -> np.ndarray:
        return agent_codes.astype(np.int64) * 1_000_000 + dates.astype(np.int64)

    pieces = pd.DataFrame(
        {"day": agent_day(keys["agent"], state_date), "row": np.arange(len(state_date))}
    )
    shift_pieces = pd.DataFrame(
        {
            "day": agent_day(shift_keys["agent"][judged], shift_date[judged]),
            "shift_start": shift_start[judged],
            "shift_end": shift_end[judged],
        }
    )
    both = pieces.merge(shift_pieces, on="day")
    row = both["row"].to_numpy()
    inside = (
        np.minimum(state_end[row], both["shift_end"].to_numpy())
        - np.maximum(state_start[row], both["shift_start"].to_numpy())
    ).astype(np.int64) / 6e7
    inside = np.maximum(inside, 0)
    in_month = month[row]
    handling_inside = month_sums(in_month, np.where(handling[row], inside, 0))
    logged_in = month_sums(in_month, np.where(~offline[row], inside, 0))
    productive_inside = month_sums(in_month, np.where(productive[row], inside, 0))
    denominator = shift_total.where(shift_total != 0)

    def over_shift(numerator: pd.Series) -> pd.Series:
        return numerator.reindex(shift_total.index, fill_value=0.0) / denominator

    results.add("utilization_rate", over_shift(handling_inside))
    results.add("login_adherence_rate", over_shift(logged_in))
    results.add(
        "shrinkage_rate",
        (shift_total - productive_inside.reindex(shift_total.index, fill_value=0.0)) / denominator,
    )


# --- main --------------------------------------------------------------------------------------


def compute(folder: Path, as_of: np.datetime64, seeds: Path) -> tuple[pd.DataFrame, Delivery]:
    started = time.perf_counter()
    data = validate(folder, as_of)
    log(f"read and validated in {time.perf_counter() - started:.1f} s")
    for summary in data.summaries:
        log("  " + summary)
    results = Results()
    step = time.perf_counter()
    ticket_facts = ticket_kpis(data, results, seeds)
    log(f"ticket KPIs in {time.perf_counter() - step:.1f} s")
    step = time.perf_counter()
    inbound_calls = call_kpis(data, results)
    islands = merged_shifts(data.shifts)
    staffing_kpis(data, inbound_calls, islands, results)
    survey_kpis(data, results)
    customer_kpis(data, ticket_facts, inbound_calls, results)
    workforce_kpis(data, ticket_facts, islands, results)
    log(f"call, survey, customer and workforce KPIs in {time.perf_counter() - step:.1f} s")
    return results.frame(), data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("raw", type=Path, help="the delivery folder (<table>.csv, ...)")
    parser.add_argument("--out", type=Path, default=Path("results.csv"), help="output CSV")
    parser.add_argument(
        "--as-of",
        default=None,
        help="the delivery time (UTC, default now): later created_at/started_at are invalid",
    )
    parser.add_argument(
        "--seeds",
        type=Path,
        default=PROJECT_SEEDS,
        help="folder with business_hours.csv, holidays.csv, team_schedules.csv, sla_policies.csv",
    )
    args = parser.parse_args(argv)
    as_of = (
        np.datetime64(pd.Timestamp(args.as_of).tz_localize(None), "us")
        if args.as_of
        else np.datetime64(pd.Timestamp.now(tz="UTC").tz_localize(None), "us")
    )
    started = time.perf_counter()
    frame, _ = compute(args.raw, as_of, args.seeds)
    frame.to_csv(args.out, index=False)
    log(
        f"{len(frame):,} values of {frame['kpi_name'].nunique()} KPIs written to {args.out} "
        f"in {time.perf_counter() - started:.1f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
