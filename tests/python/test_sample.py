"""The bundled sample: regenerable, builds with defaults, quarantine as its manifest says."""

from __future__ import annotations

import filecmp
import json
from pathlib import Path

from support_kpis.generator import generate

from conftest import SAMPLE_RAW
from contract_helpers import KEYS, REASON_CODES
from dbt_helpers import query
from manifest_check import manifest_counts, warehouse_counts


def test_sample_is_the_generator_output(tmp_path: Path) -> None:
    settings = json.loads((SAMPLE_RAW / "_manifest.json").read_text())["generator"]
    assert settings["tickets"] == 3000
    generate(
        tmp_path,
        tickets=settings["tickets"],
        seed=settings["seed"],
        invalid_rate=settings["invalid_rate"],
    )
    names = sorted(path.name for path in SAMPLE_RAW.iterdir())
    assert names == sorted(path.name for path in tmp_path.iterdir())
    _, mismatch, errors = filecmp.cmpfiles(SAMPLE_RAW, tmp_path, names, shallow=False)
    assert mismatch == [] and errors == []


def test_sample_builds_every_staging_table(sample_warehouse: Path) -> None:
    for table in KEYS:
        assert (
            query(sample_warehouse, f"select count(*) from staging.stg_support__{table}")[0][0] > 0
        )


def test_sample_quarantine_equals_its_manifest(sample_warehouse: Path) -> None:
    assert warehouse_counts(sample_warehouse) == manifest_counts(SAMPLE_RAW)


def test_sample_has_invalid_rows_of_every_kind(sample_warehouse: Path) -> None:
    reasons = {
        row[0]
        for row in query(
            sample_warehouse, "select reason_code from quarantine.quarantine_support__reasons"
        )
    }
    assert reasons == REASON_CODES
