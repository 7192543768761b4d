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
    """Rows of one table: delivered = staged + sum(quarantined) + collapsed."""

    delivered: int = 0
    collapsed: int = 0
    staged: int = 0
    quarantined: dict[str, int] = field(default_factory=dict)

    def quarantine(self, reason: str, rows: int = 1) -> None:
        """Count quarantined rows under a reason code."""
        self.quarantined[reason] = self.quarantined.get(reason, 0) + rows

    @property
    def quarantined_total(self) -> int:
        """All quarantined rows."""
        return sum(self.quarantined.values())

    def balanced(self) -> bool:
        """The conservation rule holds."""
        return self.delivered == self.staged + self.quarantined_total + self.collapsed

    def to_dict(self) -> dict[str, Any]:
        """JSON form; reason codes in D2 order, only those that occur."""
        reasons = {r: self.quarantined[r] for r in REASON_ORDER if self.quarantined.get(r)}
        return {
            "delivered": self.delivered,
            "collapsed": self.collapsed,
            "staged": self.staged,
            "quarantined": reasons,
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
            },
            "tables": {name: counts.to_dict() for name, counts in self.tables.items()},
        }

    def write(self, outdir: Path) -> Path:
        """Write `_manifest.json` (after checking the conservation rule of every table)."""
        for name, counts in self.tables.items():
            if not counts.balanced():
                raise AssertionError(f"{name}: delivered rows do not add up: {counts}")
        path = outdir / MANIFEST_FILE
        path.write_text(json.dumps(self.to_dict(), indent=2) + "\n", encoding="utf-8")
        return path
