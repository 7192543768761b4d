"""Synthetic raw deliveries in the shape of the source contract (ten tables).

`generate(outdir, tickets, seed, ...)` writes `<table>.csv` or `<table>.parquet` for the
ten raw tables (the optional `agent_states` included), `_invalid_rows.csv` (every row the
contract rejects, with its D2 reason) and `_manifest.json` (row counts: delivered = staged +
quarantined + collapsed).
"""

from support_kpis.generator.api import generate
from support_kpis.generator.manifest import GeneratorParams, Manifest, TableCounts

__all__ = ["GeneratorParams", "Manifest", "TableCounts", "generate"]
