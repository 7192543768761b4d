"""KPI targets (seed kpi_targets) and the one rule that judges a value
against its target: the BI tables and the reports both use it."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

ON_TARGET, WARNING, OFF_TARGET = "on_target", "warning", "off_target"


@dataclass(frozen=True)
class Target:
    target: float | None
    better: str | None  # "higher", "lower", or None for a volume without a target
    warning: float | None
    benchmark: float | None
    benchmark_source: str | None


def target_status(target: Target | None, value: float | None) -> str | None:
    """on_target when the value is at or beyond the target in the better
    direction; warning when it is not, but is at or beyond the warning value;
    off_target otherwise. None without a value, a target or a direction."""
    if target is None or value is None or target.target is None or target.better is None:
        return None
    higher = target.better == "higher"
    if value >= target.target if higher else value <= target.target:
        return ON_TARGET
    if target.warning is not None and (
        value >= target.warning if higher else value <= target.warning
    ):
        return WARNING
    return OFF_TARGET


def load_targets(connection: duckdb.DuckDBPyConnection) -> dict[str, Target]:
    """The targets of a built warehouse (reference.kpi_targets), by KPI name."""
    rows = connection.sql(
        "select kpi_name, target_value, better_direction, warning_value, benchmark_value, "
        "benchmark_source from reference.kpi_targets"
    ).fetchall()
    return {str(row[0]): Target(*row[1:]) for row in rows}
