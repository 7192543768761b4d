"""docs/semantic_layer.osi.json: the semantic layer in the Open Semantic Interchange format,
up to date, right on hand-checked metrics, and equal to MetricFlow's own answers when its
expressions are run as plain SQL on the warehouse."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import duckdb
import pytest

from support_kpis.cli import main
from support_kpis.osi import Loss, export_semantic_layer

from dbt_helpers import PROJECT_DIR
from semantic_helpers import mf_csv

COMMITTED = PROJECT_DIR / "docs" / "semantic_layer.osi.json"
_QUALIFIER = re.compile(r"\b([a-z_][a-z0-9_]*)\.[a-z_]")


@pytest.fixture(scope="module")
def manifest(sample_warehouse: Path) -> Path:
    """The semantic manifest the sample build wrote (run_dbt keeps target/ beside it)."""
    return sample_warehouse.parent / "target" / "semantic_manifest.json"


@pytest.fixture(scope="module")
def document(manifest: Path) -> dict:
    return export_semantic_layer(manifest).document


def _metrics(document: dict) -> dict[str, dict]:
    return {metric["name"]: metric for metric in document["semantic_model"][0]["metrics"]}


def _sql(metric: dict) -> str:
    (dialect,) = metric["expression"]["dialects"]
    assert dialect["dialect"] == "ANSI_SQL"
    return dialect["expression"]


def test_the_committed_export_is_up_to_date(manifest: Path) -> None:
    expected = export_semantic_layer(manifest).to_json()
    assert COMMITTED.read_text(encoding="utf-8") == expected, (
        "docs/semantic_layer.osi.json is stale: run .venv/bin/dbt parse && "
        ".venv/bin/support-kpis osi docs/semantic_layer.osi.json"
    )
    assert main(["osi", "--manifest", str(manifest), "--check", str(COMMITTED)]) == 0


def test_check_fails_on_a_stale_file_and_writes_nothing(manifest: Path, tmp_path: Path) -> None:
    stale = tmp_path / "osi.json"
    stale.write_text("{}\n", encoding="utf-8")
    assert main(["osi", "--manifest", str(manifest), "--check", str(stale)]) == 1
    assert stale.read_text(encoding="utf-8") == "{}\n"
    assert main(["osi", "--project-dir", str(tmp_path), str(tmp_path / "x.json")]) == 2


def test_every_metric_dataset_and_relationship_is_exported(manifest: Path, document: dict) -> None:
    raw = json.loads(manifest.read_text(encoding="utf-8"))
    model = document["semantic_model"][0]
    assert document["version"] == "0.1.1"
    assert sorted(_metrics(document)) == sorted(metric["name"] for metric in raw["metrics"])
    assert sorted(dataset["name"] for dataset in model["datasets"]) == sorted(
        semantic_model["name"] for semantic_model in raw["semantic_models"]
    )
    sources = {dataset["name"]: dataset["source"] for dataset in model["datasets"]}
    assert sources["tickets"] == "marts.fct_tickets"
    assert sources["survey_responses"] == "marts.fct_survey_responses"
    tickets = next(dataset for dataset in model["datasets"] if dataset["name"] == "tickets")
    assert tickets["primary_key"] == ["ticket_id"]
    fields = {field["name"]: field for field in tickets["fields"]}
    assert fields["solved_date"]["dimension"] == {"is_time": True}
    assert fields["priority"]["dimension"] == {"is_time": False}
    assert fields["ticket"]["expression"]["dialects"][0]["expression"] == "ticket_id"
    pairs = {(rel["from"], rel["to"]) for rel in model["relationships"]}
    assert ("ticket_messages", "tickets") in pairs


def test_hand_checked_metrics(document: dict) -> None:
    metrics = _metrics(document)
    # The catalogue: csat_rate = csat responses with score >= 4 / csat responses, answered only.
    # The metric filter Dimension('survey_response__is_answered') resolves to the column of the
    # dataset whose primary entity is survey_response.
    assert _sql(metrics["csat_rate"]) == (
        "(SUM(CASE WHEN survey_responses.is_answered THEN case when is_satisfied then 1 else 0 "
        "end END)) / (SUM(CASE WHEN survey_responses.is_answered THEN case when survey_type = "
        "'csat' and is_answered then 1 else 0 end END))"
    )
    extension = json.loads(metrics["csat_rate"]["custom_extensions"][0]["data"])
    assert extension == {
        "agg_time_dimensions": ["survey_responses.responded_date"],
        "label": "CSAT (top-2-box)",
        "type": "ratio",
    }
    productivity = json.loads(metrics["solved_per_shift_hour"]["custom_extensions"][0]["data"])
    assert productivity["agg_time_dimensions"] == [
        "agent_shifts.shift_started_date",
        "tickets.solved_date",
    ]
    assert "__" not in json.dumps([_sql(metric) for metric in metrics.values()])


def test_what_osi_cannot_carry_is_listed(manifest: Path, document: dict) -> None:
    assert export_semantic_layer(manifest).losses == [
        Loss("csat_rate_change", "offset", "csat_rate: 1 month"),
        Loss("customers_signed_up_to_date", "cumulative", "running total (all time)"),
        Loss("open_backlog", "semi_additive", "open_tickets: the last backlog_date of the period"),
    ]
    change = json.loads(_metrics(document)["csat_rate_change"]["custom_extensions"][0]["data"])
    assert change["offsets"] == ["csat_rate: 1 month"]


def test_single_dataset_expressions_equal_metricflow_all_time(
    sample_warehouse: Path, manifest: Path, document: dict, tmp_path: Path
) -> None:
    """Run each metric's OSI expression as plain SQL over its one dataset and compare it
    with `mf query` for the same metric over all time (no group by)."""
    model = document["semantic_model"][0]
    sources = {dataset["name"]: dataset["source"] for dataset in model["datasets"]}
    skipped = {loss.metric for loss in export_semantic_layer(manifest).losses}
    checked: dict[str, float | None] = {}
    with duckdb.connect(str(sample_warehouse), read_only=True) as connection:
        for name, metric in sorted(_metrics(document).items()):
            extension = json.loads(metric["custom_extensions"][0]["data"])
            datasets = {anchor.split(".")[0] for anchor in extension["agg_time_dimensions"]}
            sql = _sql(metric)
            if name in skipped or len(datasets) != 1:
                continue
            (dataset,) = datasets
            if set(_QUALIFIER.findall(sql)) - {dataset}:
                continue
            ((value,),) = connection.sql(
                f"select ({sql})::double from {sources[dataset]} as {dataset}"
            ).fetchall()
            checked[name] = value
    assert len(checked) >= 100, f"only {len(checked)} single-dataset metrics checked"
    rows = mf_csv(sample_warehouse, tmp_path, "--metrics", ",".join(sorted(checked)))
    assert len(rows) == 1
    for name, value in checked.items():
        expected = rows[0][name]
        if expected == "" or value is None:
            assert expected == "" and value is None, name
        else:
            assert math.isclose(float(expected), value, rel_tol=1e-9, abs_tol=1e-9), (
                name,
                expected,
                value,
            )
