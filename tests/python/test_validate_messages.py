"""`support-kpis validate` names the offending values of a failed expectation,
and its raw suites follow the raw contract (spec/sources.md, "Invalid rows"):
exact duplicates are one row, a key delivered in differing rows fails.

tests/fixtures/quality_faults is tests/fixtures/plausible_base with:
- tickets: T2 delivered twice, identical (an exact duplicate), and T3, T4 and
  T5 added, T5 on channel 'fax': 6 rows delivered, 5 distinct, 1 of them
  (20%) outside the contract's channels;
- customers: C3 added, delivered three times, twice as `smb` and once as
  `consumer` (a key conflict): 5 rows delivered, 4 distinct, 2 of them (50%)
  with a key delivered in differing rows.
The warehouse is a copy of the published sample whose raw delivery tables
(staging.base_support__*, what the raw suites read) are rebuilt from that
folder; its marts stay the sample's, which meet every expectation.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from html import escape
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from support_kpis.quality.messages import RESULT_FORMAT, failure
from support_kpis.quality.suites import HEALTHY_SHARE, RAW_SUITES

from dbt_helpers import AS_OF, PROJECT_DIR, query, run_dbt

FAULTS = PROJECT_DIR / "tests" / "fixtures" / "quality_faults"
RAW_MODELS = [relation.split(".")[1] for relation in RAW_SUITES]
FAX = (
    "tickets.channel: 1 row with a value outside the contract: 'fax'; "
    "20% of 5 rows, more than the 10% a healthy delivery may have"
)
C3 = (
    "customers.customer_id: 2 rows with a key delivered in differing rows of one load: "
    "'C3' in load 'customers.csv' (2 rows); "
    "50% of 4 rows, more than the 10% a healthy delivery may have"
)


@pytest.fixture(scope="module")
def faulty_warehouse(published_sample: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    database = tmp_path_factory.mktemp("quality_faults") / "warehouse.duckdb"
    shutil.copy(published_sample, database)
    run_dbt(
        ["run", "--select", *RAW_MODELS], database, {"raw_path": str(FAULTS), "as_of_at": AS_OF}
    )
    return database


@pytest.fixture(scope="module")
def validated(
    faulty_warehouse: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[subprocess.CompletedProcess[str], str]:
    """`support-kpis validate` on the faulty warehouse: the process and its summary.html."""
    output = tmp_path_factory.mktemp("quality_faults_validated")
    result = subprocess.run(
        [
            str(Path(sys.executable).with_name("support-kpis")),
            "validate",
            "--database",
            str(faulty_warehouse),
            "--output-dir",
            str(output),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    return result, (output / "summary.html").read_text(encoding="utf-8")


def test_the_fixture_reaches_the_raw_suites(faulty_warehouse: Path) -> None:
    assert query(
        faulty_warehouse,
        "select count(*), count(distinct ticket_id) from staging.base_support__tickets",
    ) == [(6, 5)]
    assert query(
        faulty_warehouse,
        "select count(*) from staging.base_support__customers where customer_id = 'C3'",
    ) == [(3,)]


def test_an_unknown_channel_fails_and_names_the_value(
    validated: tuple[subprocess.CompletedProcess[str], str],
) -> None:
    result, page = validated
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"  - {FAX}\n" in result.stderr
    assert f"<li>{escape(FAX)}</li>" in page


def test_an_exact_duplicate_is_one_row(
    validated: tuple[subprocess.CompletedProcess[str], str],
) -> None:
    result, page = validated
    assert "tickets.ticket_id" not in result.stderr
    # 6 delivered rows, 5 distinct: T2's two identical rows are one.
    assert (
        '<tr class="ok"><td>staging.base_support__tickets</td>'
        "<td>expect_compound_columns_to_be_unique</td><td>load_id, ticket_id</td><td>met</td>"
        "<td>0 of 5 rows</td></tr>"
    ) in page


def test_a_key_in_differing_rows_fails_and_names_the_key(
    validated: tuple[subprocess.CompletedProcess[str], str],
) -> None:
    result, page = validated
    assert f"  - {C3}\n" in result.stderr
    assert f"<li>{escape(C3)}</li>" in page
    # Nothing else failed: the sample's marts and the fixture's other tables are healthy.
    assert result.stderr.endswith(f"2 expectation(s) failed:\n  - {FAX}\n  - {C3}\n")


def _outcomes(
    frame: pd.DataFrame, expectations: list[Any], result_format: dict[str, Any] | None = None
) -> list[Any]:
    """Great Expectations' results of `expectations` on `frame` (an in-memory context)."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    import great_expectations as gx

    context = gx.get_context(mode="ephemeral")
    batch = (
        context.data_sources.add_pandas(name="frames")
        .add_dataframe_asset(name="frame")
        .add_batch_definition_whole_dataframe("all_rows")
    )
    suite = context.suites.add(gx.ExpectationSuite(name="suite"))
    for expectation in expectations:
        suite.add_expectation(expectation)
    definition = context.validation_definitions.add(
        gx.ValidationDefinition(name="check", data=batch, suite=suite)
    )
    return definition.run(
        batch_parameters={"dataframe": frame}, result_format=result_format or dict(RESULT_FORMAT)
    ).results


def _failures(label: str, outcomes: list[Any], raw: bool) -> list[str]:
    return [
        failure(
            label,
            outcome.expectation_config.type,
            outcome.expectation_config.kwargs,
            outcome.result,
            raw,
            outcome.expectation_config.meta,
            outcome.exception_info,
        )
        for outcome in outcomes
        if not outcome.success
    ]


CHANNELS = pd.DataFrame(
    {
        "channel": [
            *("email", "email", "fax", "fax", "fax", "telex", "telex"),
            *("carrier", "drum", "pigeon", "semaphore", "smoke"),
        ]
    }
)


def _channel_check() -> list[Any]:
    import great_expectations.expectations as gxe

    return [
        gxe.ExpectColumnValuesToBeInSet(column="channel", value_set=["email"], mostly=HEALTHY_SHARE)
    ]


def test_a_long_list_of_values_is_capped() -> None:
    # 10 of 12 rows outside the set, 7 distinct values: the most frequent first, then by value.
    assert _failures("tickets", _outcomes(CHANNELS, _channel_check()), raw=True) == [
        "tickets.channel: 10 rows with a value outside the contract: 'fax' (3 rows), "
        "'telex' (2 rows), 'carrier', 'drum', 'pigeon' and 2 more values; "
        "83.3% of 12 rows, more than the 10% a healthy delivery may have"
    ]


def test_values_of_the_first_rows_only_are_named_as_such() -> None:
    # GX lists the first 3 offending rows only (all 'fax'): the others' values are unknown.
    outcomes = _outcomes(
        CHANNELS,
        _channel_check(),
        {"result_format": "SUMMARY", "partial_unexpected_count": 3},
    )
    assert _failures("tickets", outcomes, raw=True) == [
        "tickets.channel: 10 rows with a value outside the contract, among them 'fax' "
        "(seen in the first 3); 83.3% of 12 rows, more than the 10% a healthy delivery may have"
    ]


def test_a_mart_failure_names_its_values_and_bounds() -> None:
    import great_expectations.expectations as gxe

    frame = pd.DataFrame({"kpi_value": [0.5, 1.5, -2.0, None, 1.5]})
    outcomes = _outcomes(
        frame,
        [
            gxe.ExpectColumnValuesToBeBetween(column="kpi_value", min_value=0, max_value=1),
            gxe.ExpectColumnMeanToBeBetween(column="kpi_value", min_value=0.5, max_value=1),
        ],
    )
    # Mean of the four values: (0.5 + 1.5 - 2 + 1.5) / 4 = 0.375.
    assert _failures("kpi_rates", outcomes, raw=False) == [
        "kpi_rates.kpi_value: 3 rows with a value outside 0 to 1: 1.5 (2 rows), -2",
        "kpi_rates.kpi_value: mean 0.375, expected between 0.5 and 1",
    ]


def test_status_change_events_need_a_status() -> None:
    # The contract: to_value of a status_change event is one of the statuses; other
    # events' to_value is free. 3 status_change events: one to 'archived', one to null.
    events = pd.DataFrame(
        {
            "event_id": ["E1", "E2", "E3", "E4"],
            "ticket_id": ["T1"] * 4,
            "event_at": ["2025-03-03T11:00:00Z"] * 4,
            "event_type": ["status_change", "status_change", "assignment", "status_change"],
            "from_value": ["new", "open", None, "open"],
            "to_value": ["open", "archived", "A1", None],
            "actor_agent_id": ["A1"] * 4,
            "load_id": ["ticket_events.csv"] * 4,
        }
    )
    outcomes = _outcomes(events, RAW_SUITES["staging.base_support__ticket_events"]())
    assert _failures("ticket_events", outcomes, raw=True) == [
        "ticket_events.to_value (status_change events): 1 row with no value; "
        "33.3% of 3 rows, more than the 10% a healthy delivery may have",
        "ticket_events.to_value (status_change events): 1 row with a value outside the "
        "contract: 'archived'; 50% of 2 rows, more than the 10% a healthy delivery may have",
    ]
