"""Classifying a chunk's rows: cascaded (parent invalid), given a fault, duplicated, or staged.

Every delivered row is counted exactly once, in the same place the dbt side puts it
(staged, quarantined with one reason, or collapsed as an exact duplicate).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field

from support_kpis.generator.faults import MENUS, Fault, FaultContext, Variant
from support_kpis.generator.manifest import TableCounts
from support_kpis.generator.schema import Row
from support_kpis.generator.sinks import InvalidRowLog, RowSink

MIN_ROWS_FOR_FULL_MENU = 50
MIN_RATE_FOR_FULL_MENU = 0.01
PICK_TRIES = 30

# What became of a delivered row, as its children see it (deliver's result).
VALID = 0
QUARANTINED = 1  # quarantined, its key delivered: children are invalid_parent
KEYLESS = 2  # quarantined with a null key: nothing has its id, children are dangling_reference


@dataclass(frozen=True, slots=True)
class Cascade:
    """Why a row is invalid because of a row it references (docs/decisions.md, D32)."""

    reason: str
    detail: str


def cascade(state: int, parent: str) -> Cascade | None:
    """What the state of a referenced row (`parent`, e.g. "customer C000123") does to the
    row: nothing when valid; `invalid_parent` when it was delivered and quarantined;
    `dangling_reference` when it was delivered without its key (no row has the id)."""
    if state == VALID:
        return None
    if state == KEYLESS:
        return Cascade("dangling_reference", f"{parent} was delivered without its key")
    return Cascade("invalid_parent", f"{parent} is quarantined")


class FaultPlanner:
    """Per table: how many rows of a chunk get a fault, and which fault, in turn."""

    def __init__(self, table: str, rate: float) -> None:
        self.menu: tuple[Fault, ...] = MENUS[table]
        self.rate = rate
        self.rows_seen = 0
        self.faults_given = 0
        self._variant_uses = [0] * len(self.menu)

    def quota(self, rows: int, forced: int = 0) -> int:
        """Faults for a chunk of `rows` rows: about rate * rows, and the whole menu early."""
        self.rows_seen += rows
        if self.rate <= 0:
            return 0
        count = int(self.rate * rows + 0.5)
        missing = len(self.menu) - self.faults_given
        if (
            missing > 0
            and self.rate >= MIN_RATE_FOR_FULL_MENU
            and self.rows_seen >= MIN_ROWS_FOR_FULL_MENU
        ):
            count = max(count, missing)
        return max(count, forced)

    def duplicates(self, rows: int) -> int:
        """Exact extra copies for a chunk: about rate / 3 of the rows."""
        return int(self.rate / 3 * rows + 0.5) if self.rate > 0 else 0

    def next_fault(self) -> tuple[Fault, Variant]:
        """The fault whose turn it is (round robin over the menu, then over its variants)."""
        slot = self.faults_given % len(self.menu)
        fault = self.menu[slot]
        return fault, fault.variants[self._variant_uses[slot] % len(fault.variants)]

    def commit(self) -> None:
        """The fault whose turn it was has been given."""
        self._variant_uses[self.faults_given % len(self.menu)] += 1
        self.faults_given += 1


@dataclass
class Batch:
    """Rows of one table from one chunk, before classification."""

    table: str
    rows: list[Row] = field(default_factory=list)
    cascade: list[Cascade | None] = field(default_factory=list)  # set when a parent is invalid
    parent_created: list[int | None] = field(default_factory=list)
    preferred: list[bool] | None = None  # rows to give faults to first (little activity)

    def add(
        self, row: Row, cascade: Cascade | None = None, parent_created: int | None = None
    ) -> None:
        """Append a row; `cascade` set when a referenced row is invalid."""
        self.rows.append(row)
        self.cascade.append(cascade)
        self.parent_created.append(parent_created)


class TableWriter:
    """Delivers a table's rows to its sink, counting each in its place."""

    def __init__(
        self, table: str, sink: RowSink, log: InvalidRowLog, rate: float, omit_invalid: bool = False
    ) -> None:
        self.table = table
        self.sink = sink
        self.log = log
        self.counts = TableCounts()
        self.planner = FaultPlanner(table, rate)
        # When set, invalid rows and exact duplicates are decided (the random
        # streams stay the same) but not written: the same delivery, cleaned.
        self.omit_invalid = omit_invalid

    def stage(self, row: Row) -> None:
        """A valid row."""
        self.sink.write(row)
        self.counts.staged += 1

    def quarantine(self, row: Row, reason: str, detail: str) -> None:
        """An invalid row, logged with its reason."""
        if self.omit_invalid:
            return
        self.sink.write(row)
        self.counts.quarantine(reason)
        self.log.record(self.table, row[0], reason, detail)

    def collapse(self, row: Row) -> None:
        """An exact extra copy of a valid row."""
        if self.omit_invalid:
            return
        self.sink.write(row)
        self.counts.collapsed += 1

    def close(self) -> None:
        """Close the sink and record what it delivered."""
        self.sink.close()
        self.counts.delivered = self.sink.rows_written

    def deliver(
        self,
        batch: Batch,
        rng: random.Random,
        valid_agent_id: str,
        forced: Sequence[int] = (),
    ) -> list[int]:
        """Write a batch: cascades, faults, staged rows, then exact duplicates at the end.

        Returns, per row of the batch, what became of it for its children: VALID,
        QUARANTINED or KEYLESS.
        """
        rows = batch.rows
        eligible = [i for i, why in enumerate(batch.cascade) if why is None]
        forced = [i for i in forced if batch.cascade[i] is None]
        quota = min(self.planner.quota(len(rows), len(forced)), len(eligible))
        chosen: dict[int, tuple[Fault, Variant]] = {}
        for i in forced:
            chosen[i] = self.planner.next_fault()
            self.planner.commit()
        while len(chosen) < quota:
            fault, variant = self.planner.next_fault()
            picked = _pick(rng, eligible, chosen, batch, variant)
            if picked is None:
                break
            chosen[picked] = (fault, variant)
            self.planner.commit()
        spare = [i for i in eligible if i not in chosen]
        copies = sorted(rng.sample(spare, min(self.planner.duplicates(len(rows)), len(spare))))
        invalid = [VALID] * len(rows)
        for i, row in enumerate(rows):
            why = batch.cascade[i]
            if why is not None:
                self.quarantine(row, why.reason, why.detail)
                invalid[i] = QUARANTINED
            elif i in chosen:
                fault, variant = chosen[i]
                context = FaultContext(rng, batch.parent_created[i], valid_agent_id)
                delivered, detail = variant.mutate(row, context)
                for out in delivered:
                    self.quarantine(out, fault.reason, detail)
                invalid[i] = KEYLESS if fault.reason == "null_key" else QUARANTINED
            else:
                self.stage(row)
        for i in copies:
            self.collapse(list(rows[i]))
        return invalid


def _pick(
    rng: random.Random,
    eligible: list[int],
    chosen: dict[int, tuple[Fault, Variant]],
    batch: Batch,
    variant: Variant,
) -> int | None:
    """A row for the next fault: random, preferring rows the variant fits and preferred rows."""
    if len(chosen) >= len(eligible):
        return None
    rows, preferred, prefers = batch.rows, batch.preferred, variant.prefers

    def fits(i: int, strict: bool) -> bool:
        if i in chosen or (prefers is not None and not prefers(rows[i])):
            return False
        return not (strict and preferred is not None and not preferred[i])

    for _ in range(PICK_TRIES):
        i = eligible[rng.randrange(len(eligible))]
        if fits(i, strict=True):
            return i
    for strict in (True, False):
        candidates = [i for i in eligible if fits(i, strict)]
        if candidates:
            return candidates[rng.randrange(len(candidates))]
    candidates = [i for i in eligible if i not in chosen]
    return candidates[rng.randrange(len(candidates))] if candidates else None
