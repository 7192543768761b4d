"""Where every delivered row went, per raw table, for the terminal and the publication gate.

`read_summary` reads a built warehouse: per raw table of the contract, the rows
delivered, staged (the current version of each key), superseded (replaced by a
later load: docs/decisions.md D34), collapsed (extra copies of exact duplicates)
and quarantined,
with the quarantined rows by reason code (quarantine.quarantine_support__summary
and the quarantine_support__<table> relations). `format_summary` writes it as a
short plain-text table; `gate_problems` says, in sentences, why it should not be
published: a required table delivered with rows of which none was staged, or a
table quarantined beyond the allowed share of its delivered rows. A delivery
whose tables are all empty is no problem: it builds empty marts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from support_kpis.generator.schema import TABLES

# The raw tables of the contract, in its order (support_kpis.generator.schema); a table
# the summary names beyond these is listed after them.
CONTRACT_TABLES = TABLES
# Tables a delivery may leave out (macros/raw/support_raw_contract.sql, optional_table):
# having no staged row is no gate problem for them (their quarantined share still is).
OPTIONAL_TABLES = frozenset({"agent_states"})

SUMMARY_RELATION = "quarantine.quarantine_support__summary"


@dataclass(frozen=True)
class TableSummary:
    """One raw table of a build. delivered = staged + superseded + collapsed + quarantined."""

    table_name: str
    delivered: int
    staged: int
    collapsed: int
    # Distinct quarantined rows (as quarantine_support__summary counts them).
    quarantined: int
    # The delivered rows those stand for, their exact copies included
    # (at least `quarantined`): the quarantined share of the delivery.
    quarantined_copies: int
    # Distinct quarantined rows per reason code.
    reasons: Mapping[str, int] = field(default_factory=dict)
    # Valid rows replaced by a valid row of their key in a later load (D34): neither
    # staged nor quarantined, and not in the quarantined share.
    superseded: int = 0

    @property
    def quarantined_share(self) -> float:
        """The share of the delivered rows that ended in quarantine; 0 when none was."""
        return self.quarantined_copies / self.delivered if self.delivered else 0.0


@dataclass(frozen=True)
class BuildSummary:
    """Every raw table of a build, in contract order."""

    tables: tuple[TableSummary, ...]

    @property
    def quarantined(self) -> int:
        return sum(table.quarantined for table in self.tables)

    @property
    def delivered(self) -> int:
        return sum(table.delivered for table in self.tables)


def _table_order(table_name: str) -> tuple[int, str]:
    if table_name in CONTRACT_TABLES:
        return CONTRACT_TABLES.index(table_name), table_name
    return len(CONTRACT_TABLES), table_name


def _has_summary(connection: duckdb.DuckDBPyConnection) -> bool:
    schema, name = SUMMARY_RELATION.split(".")
    found = connection.execute(
        "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
        [schema, name],
    ).fetchall()
    return bool(found[0][0])


def _read(connection: duckdb.DuckDBPyConnection) -> BuildSummary | None:
    if not _has_summary(connection):
        return None
    rows = connection.sql(
        "select table_name, count_delivered_rows, count_staged_rows, count_collapsed_rows, "
        f"count_quarantined_rows, count_superseded_rows from {SUMMARY_RELATION}"
    ).fetchall()
    tables = []
    for table_name, delivered, staged, collapsed, quarantined, superseded in rows:
        by_reason = connection.sql(
            "select reason_code, count(*), sum(count_copies) "
            f"from quarantine.quarantine_support__{table_name} group by reason_code"
        ).fetchall()
        reasons = {
            str(reason): int(count)
            for reason, count, _ in sorted(by_reason, key=lambda row: (-row[1], str(row[0])))
        }
        tables.append(
            TableSummary(
                table_name=str(table_name),
                delivered=int(delivered),
                staged=int(staged),
                collapsed=int(collapsed),
                quarantined=int(quarantined),
                quarantined_copies=sum(int(copies) for _, _, copies in by_reason),
                reasons=reasons,
                superseded=int(superseded),
            )
        )
    tables.sort(key=lambda table: _table_order(table.table_name))
    return BuildSummary(tables=tuple(tables))


def read_summary(warehouse: Path | str | duckdb.DuckDBPyConnection) -> BuildSummary | None:
    """The per-table summary of a built warehouse (a connection, or the path of a DuckDB
    file, opened read-only); None when it holds no build of a delivery yet (no
    quarantine_support__summary, e.g. after `dbt seed` alone)."""
    if isinstance(warehouse, duckdb.DuckDBPyConnection):
        return _read(warehouse)
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return _read(connection)


def _reasons_text(reasons: Mapping[str, int]) -> str:
    return ", ".join(f"{reason} {count:,}" for reason, count in reasons.items())


def format_summary(summary: BuildSummary) -> str:
    """A short plain-text table, one line per raw table, then whether anything was
    quarantined, e.g.

        table             delivered     staged  superseded  collapsed  quarantined  reasons
        tickets                 412        408           0          0            4  invalid_format 3
        ...
        4 rows quarantined in 1 table (quarantine.quarantine_support__reasons)
    """
    width = max([len("table"), *(len(table.table_name) for table in summary.tables)])
    lines = [
        f"{'table':<{width}}  {'delivered':>9}  {'staged':>9}  {'superseded':>10}  "
        f"{'collapsed':>9}  {'quarantined':>11}  reasons"
    ]
    for table in summary.tables:
        line = (
            f"{table.table_name:<{width}}  {table.delivered:>9,}  {table.staged:>9,}  "
            f"{table.superseded:>10,}  {table.collapsed:>9,}  {table.quarantined:>11,}  "
            f"{_reasons_text(table.reasons)}"
        )
        lines.append(line.rstrip())
    quarantined = summary.quarantined
    if quarantined:
        tables = sum(1 for table in summary.tables if table.quarantined)
        lines.append(
            f"{quarantined:,} {'row' if quarantined == 1 else 'rows'} quarantined in {tables} "
            f"{'table' if tables == 1 else 'tables'} (quarantine.quarantine_support__reasons)"
        )
    else:
        lines.append("nothing quarantined")
    return "\n".join(lines)


def _percent(share: float, differ_from: float | None = None) -> str:
    """A share as a percentage with at most one decimal ('100%', '12.5%'), or more
    decimals when needed to tell it apart from `differ_from` ('10.04%' against 10%)."""
    for decimals in range(1, 5):
        text = f"{share * 100:.{decimals}f}".rstrip("0").rstrip(".")
        other = None if differ_from is None else f"{differ_from * 100:.{decimals}f}"
        if other is None or text != other.rstrip("0").rstrip("."):
            return f"{text}%"
    return f"{share * 100}%"


def gate_problems(summary: BuildSummary, max_quarantine_share: float) -> list[str]:
    """Why this build should not be published, one sentence per table; empty when nothing
    stands in the way. A table is a problem when the share of its delivered rows that was
    quarantined exceeds `max_quarantine_share` (0..1), or when it is a required table (not
    the optional agent_states) delivered with rows of which none was staged. An empty
    table (and so an empty delivery) is no problem."""
    if not 0 <= max_quarantine_share <= 1:
        raise ValueError(
            f"max_quarantine_share must be between 0 and 1, not {max_quarantine_share}"
        )
    problems = []
    for table in summary.tables:
        if not table.delivered:
            continue
        if table.quarantined_share > max_quarantine_share:
            problems.append(
                f"{table.table_name}: {table.quarantined_copies:,} of {table.delivered:,} "
                f"delivered rows quarantined "
                f"({_percent(table.quarantined_share, max_quarantine_share)}), "
                f"more than the {_percent(max_quarantine_share)} allowed"
            )
        elif table.staged == 0 and table.table_name not in OPTIONAL_TABLES:
            problems.append(
                f"{table.table_name}: {table.delivered:,} delivered "
                f"{'row' if table.delivered == 1 else 'rows'} and none staged "
                f"({table.quarantined:,} quarantined, {table.collapsed:,} collapsed copies)"
            )
    return problems
