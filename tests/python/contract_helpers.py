"""The raw contract as the tests read it: each table's key (its first column)
and the reason codes of docs/decisions.md (D2), from the package's one
description of the contract (support_kpis.generator.schema)."""

from __future__ import annotations

from support_kpis.generator.schema import REASON_ORDER, TABLE_COLUMNS

KEYS = {table: columns[0] for table, columns in TABLE_COLUMNS.items()}

REASON_CODES = set(REASON_ORDER)
