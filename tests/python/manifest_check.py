"""Compare a built warehouse's quarantine with a generator manifest."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

from dbt_helpers import query


def warehouse_counts(database: Path) -> dict[str, dict[str, object]]:
    """Per table: delivered, staged, collapsed and quarantined-by-reason, from the warehouse."""
    counts: dict[str, dict[str, object]] = {}
    for table, delivered, staged, collapsed in query(
        database,
        "select table_name, count_delivered_rows, count_staged_rows, count_collapsed_rows "
        "from quarantine.quarantine_support__summary",
    ):
        counts[str(table)] = {
            "delivered": delivered,
            "staged": staged,
            "collapsed": collapsed,
            "quarantined": {},
        }
    by_reason: dict[str, dict[str, int]] = defaultdict(dict)
    for table, reason, count in query(
        database,
        "select table_name, reason_code, sum(count_rows) "
        "from quarantine.quarantine_support__reasons "
        "group by table_name, reason_code",
    ):
        by_reason[str(table)][str(reason)] = int(count)  # type: ignore[call-overload]
    for table, reasons in by_reason.items():
        counts[table]["quarantined"] = reasons
    return counts


def manifest_counts(raw: Path) -> dict[str, dict[str, object]]:
    manifest = json.loads((raw / "_manifest.json").read_text())
    return {
        table: {
            "delivered": entry["delivered"],
            "staged": entry["staged"],
            "collapsed": entry["collapsed"],
            "quarantined": {reason: n for reason, n in entry["quarantined"].items() if n},
        }
        for table, entry in manifest["tables"].items()
    }
