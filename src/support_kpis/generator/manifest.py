"""The run's manifest: what was asked for, and what every table delivered."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from support_kpis.generator.schema import REASON_ORDER

MANIFEST_FILE = "_manifest.json"


@dataclass
class TableCounts:
    """Rows of one table: delivered = staged + sum(quarantined) + collapsed (+ superseded:
    the earlier versions of a delivery in loads)."""

    delivered: int = 0
    collapsed: int = 0
    staged: int = 0
    quarantined: dict[str, int] = field(default_factory=dict)
    superseded: int = 0

    def quarantine(self, reason: str, rows: int = 1) -> None:
        """Count quarantined rows under a reason code."""
        self.quarantined[reason] = self.quarantined.get(reason, 0) + rows

    @property
    def quarantined_total(self) -> int:
        """All quarantined rows."""
        return sum(self.quarantined.values())

    def balanced(self) -> bool:
        """The conservation rule holds."""
        return self.delivered == (
            self.staged + self.quarantined_total + self.collapsed + self.superseded
        )

    def to_dict(self, in_loads: bool = False) -> dict[str, Any]:
        """JSON form; reason codes in D2 order, only those that occur. `superseded` only
        for a delivery in loads."""
        reasons = {r: self.quarantined[r] for r in REASON_ORDER if self.quarantined.get(r)}
        return {
            "delivered": self.delivered,
            "collapsed": self.collapsed,
            "staged": self.staged,
            **({"superseded": self.superseded} if in_loads else {}),
            "quarantined": reasons,
        }


@dataclass(frozen=True)
class LoadsInfo:
    """A delivery in loads: the load names (days) and, per table, the earlier versions
    written (superseded in an all-at-once build), the rows delivered a load after their
    day's load, and the rows of each load."""

    names: tuple[str, ...]
    superseded: dict[str, int]
    late: dict[str, int]
    rows: dict[str, tuple[int, ...]]

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "count": len(self.names),
            "names": list(self.names),
            "superseded": self.superseded,
            "late": self.late,
            "rows_per_load": {table: list(rows) for table, rows in self.rows.items()},
        }


@dataclass(frozen=True)
class GeneratorParams:
    """The arguments of the run."""

    tickets: int
    seed: int
    invalid_rate: float
    format: str
    start: str
    months: int


@dataclass(frozen=True)
class Manifest:
    """Content of `_manifest.json`."""

    generator: GeneratorParams
    tables: dict[str, TableCounts]
    omit_invalid: bool = False
    loads: LoadsInfo | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        params = self.generator
        return {
            "generator": {
                "tickets": params.tickets,
                "seed": params.seed,
                "invalid_rate": params.invalid_rate,
                "format": params.format,
                "start": params.start,
                "months": params.months,
                **({"omit_invalid": True} if self.omit_invalid else {}),
                **({"loads": len(self.loads.names)} if self.loads else {}),
            },
            **({"loads": self.loads.to_dict()} if self.loads else {}),
            "tables": {
                name: counts.to_dict(self.loads is not None) for name, counts in self.tables.items()
            },
        }

    def write(self, outdir: Path) -> Path:
        """Write `_manifest.json` (after checking the conservation rule of every table)."""
        for name, counts in self.tables.items():
            if not counts.balanced():
                raise AssertionError(f"{name}: delivered rows do not add up: {counts}")
        path = outdir / MANIFEST_FILE
        path.write_text(json.dumps(self.to_dict(), indent=2) + "\n", encoding="utf-8")
        return path
