"""Every KPI's column-level lineage reaches the raw contract's columns,
generated from the project itself (compiled SQL, semantic manifest)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from support_kpis.lineage import KpiLineage, trace_kpis

from dbt_helpers import PROJECT_DIR
from semantic_helpers import spec_kpi_names


@pytest.fixture(scope="module")
def document(sample_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("lineage") / "lineage.html"
    result = subprocess.run(
        [
            str(Path(sys.executable).with_name("support-kpis")),
            "lineage",
            str(path),
            "--database",
            str(sample_warehouse),
            "--project-dir",
            str(PROJECT_DIR),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return path


@pytest.fixture(scope="module")
def traced(document: Path, sample_warehouse: Path) -> dict[str, KpiLineage]:
    kpis = trace_kpis(PROJECT_DIR / "target", sample_warehouse, spec_kpi_names())
    return {kpi.kpi: kpi for kpi in kpis}


def test_every_kpi_reaches_a_raw_column(traced: dict[str, KpiLineage], document: Path) -> None:
    assert set(traced) == set(spec_kpi_names())
    assert [name for name, kpi in traced.items() if not kpi.raw_columns] == []
    html = document.read_text()
    assert all(f'id="{name}"' in html for name in traced)


def test_lineage_names_the_columns_a_reader_expects(traced: dict[str, KpiLineage]) -> None:
    assert {
        ("support.survey_responses", "score"),
        ("support.survey_responses", "survey_type"),
        ("support.survey_responses", "responded_at"),
    } <= traced["nps"].raw_columns
    assert {
        ("support.calls", "offered_at"),
        ("support.calls", "answered_at"),
        ("support.calls", "direction"),
    } <= traced["service_level_rate"].raw_columns
    assert {
        ("support.calls", "talk_seconds"),
        ("support.calls", "hold_seconds"),
        ("support.calls", "after_call_work_seconds"),
    } <= traced["average_handle_seconds"].raw_columns
    business = traced["first_reply_business_minutes"]
    assert {
        ("support.tickets", "created_at"),
        ("support.ticket_messages", "sent_at"),
    } <= business.raw_columns
    assert {
        ("business_hours", "open_time"),
        ("business_hours", "time_zone"),
    } <= business.seed_columns
    assert ("fct_tickets", "first_reply_business_minutes") in business.mart_columns
    assert traced["customer_retention_rate"].raw_columns == {
        ("support.orders", "customer_id"),
        ("support.orders", "ordered_at"),
    }
