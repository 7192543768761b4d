"""Synthetic raw deliveries in the shape of the source contract (ten tables).

`generate(outdir, tickets, seed, ...)` writes `<table>.csv` or `<table>.parquet` for the
ten raw tables (the optional `agent_states` included), `_invalid_rows.csv` (every row the
contract rejects, with its D2 reason) and `_manifest.json` (row counts: delivered = staged +
quarantined + collapsed). With `loads=K`, every table is a folder `<table>/` of K daily
load files instead, whose current state is the single-file delivery (loads.py).
"""

from support_kpis.generator.api import generate
from support_kpis.generator.manifest import GeneratorParams, Manifest, TableCounts

__all__ = ["GeneratorParams", "Manifest", "TableCounts", "generate"]
