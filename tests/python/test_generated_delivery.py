"""A generator folder of 20,000 tickets with 3% invalid rows builds, and the
quarantine counts by reason equal the generator's manifest for every table."""

from __future__ import annotations

from pathlib import Path

import pytest

from manifest_check import manifest_counts, warehouse_counts


@pytest.mark.slow
def test_generated_folder_quarantine_equals_manifest(
    generated_raw: Path, generated_warehouse: Path
) -> None:
    expected = manifest_counts(generated_raw)
    built = warehouse_counts(generated_warehouse)
    assert set(built) == set(expected)
    for table in expected:
        assert built[table] == expected[table], table
