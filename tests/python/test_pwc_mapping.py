"""The public call-centre export, mapped by the YAML mapping file
examples/pwc_call_centre/mapping.yml (raw_source: mapping), and the mapping
file's own errors.

The small export below is read in Europe/Zurich (the mapping file's
time_zone, changed for this test): on 2021-03-28 the clocks went from 02:00
CET (UTC+1) to 03:00 CEST (UTC+2). So, by hand:
- ID1, offered 01:30 local = 00:30 UTC; answered 20 s later (00:30:20);
  talk 00:02:03 = 123 s, so it ends at 00:32:23; resolved; rated 4.
- ID2, offered 03:00 local (CEST) = 01:00 UTC; not answered: no answer, no
  talk, ends when offered, is_resolved null; not rated (no survey row).
- ID3, offered Wednesday 2021-03-31 11:00 local = 09:00 UTC; answered after
  45 s, talk 10 minutes, ends 09:10:45; not resolved; not rated.
- ID4, offered 2021-03-31 12:00 local = 10:00 UTC, answered after 5 s,
  talk 1 s (ends 10:00:06); rated 2.
Agents: Diane (ID1, ID3), Greg (ID2, ID4): two rows, however many calls.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from dbt_helpers import AS_OF, PROJECT_DIR, query, run_dbt

MAPPING = PROJECT_DIR / "examples" / "pwc_call_centre" / "mapping.yml"
DATASET = PROJECT_DIR.parent / "shared" / "datasets" / "pwc_call_centre" / "call_centre_trends.csv"
HEADER = (
    "Call Id,Agent,Date,Time,Topic,Answered (Y/N),Resolved,Speed of answer in seconds,"
    "AvgTalkDuration,Satisfaction rating\n"
)
SMALL_EXPORT = (
    HEADER
    + "ID1,Diane,2021-03-28,01:30:00,Streaming,Y,Y,20,00:02:03,4\n"
    + "ID2,Greg,2021-03-28,03:00:00,Admin Support,N,N,,,\n"
    + "ID3,Diane,2021-03-31,11:00:00,Streaming,Y,N,45,00:10:00,\n"
    + "ID4,Greg,2021-03-31,12:00:00,Streaming,Y,Y,5,00:00:01,2\n"
)


def _mapping_vars(mapping: Path) -> dict[str, object]:
    return {"raw_source": "mapping", "raw_mapping": str(mapping), "as_of_at": AS_OF}


def _export_folder(folder: Path, export: str, time_zone: str = "UTC") -> Path:
    """The example mapping file beside an export, in another time zone if asked."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "call_centre_trends.csv").write_text(export)
    text = MAPPING.read_text()
    assert text.count("time_zone: UTC") == 2
    mapping = folder / "mapping.yml"
    mapping.write_text(text.replace("time_zone: UTC", f"time_zone: {time_zone}"))
    return mapping


@pytest.fixture(scope="module")
def small_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("pwc")
    mapping = _export_folder(folder / "export", SMALL_EXPORT, "Europe/Zurich")
    database = folder / "warehouse.duckdb"
    run_dbt(["build"], database, _mapping_vars(mapping))
    return database


def test_calls_are_mapped_as_documented(small_warehouse: Path) -> None:
    assert query(
        small_warehouse,
        "select call_id, agent_id, queue, direction, offered_at::varchar, answered_at::varchar,"
        " ended_at::varchar, talk_seconds, hold_seconds, after_call_work_seconds,"
        " is_transferred, is_resolved_call, customer_id"
        " from marts.fct_calls order by call_id",
    ) == [
        ("ID1", "Diane", "Streaming", "inbound", "2021-03-28 00:30:00", "2021-03-28 00:30:20",
         "2021-03-28 00:32:23", 123, 0, 0, False, True, None),
        ("ID2", "Greg", "Admin Support", "inbound", "2021-03-28 01:00:00", None,
         "2021-03-28 01:00:00", 0, 0, 0, False, False, None),
        ("ID3", "Diane", "Streaming", "inbound", "2021-03-31 09:00:00", "2021-03-31 09:00:45",
         "2021-03-31 09:10:45", 600, 0, 0, False, False, None),
        ("ID4", "Greg", "Streaming", "inbound", "2021-03-31 10:00:00", "2021-03-31 10:00:05",
         "2021-03-31 10:00:06", 1, 0, 0, False, True, None),
    ]  # fmt: skip


def test_surveys_agents_and_the_placeholder_customer(small_warehouse: Path) -> None:
    assert query(
        small_warehouse,
        "select response_id, survey_type, customer_id, call_id, sent_at::varchar,"
        " responded_at::varchar, score from marts.fct_survey_responses order by 1",
    ) == [
        ("csat_ID1", "csat", "pwc_unknown_caller", "ID1", "2021-03-28 00:32:23",
         "2021-03-28 00:32:23", 4),
        ("csat_ID4", "csat", "pwc_unknown_caller", "ID4", "2021-03-31 10:00:06",
         "2021-03-31 10:00:06", 2),
    ]  # fmt: skip
    assert query(
        small_warehouse,
        "select agent_id, full_name, team, hired_date::varchar from staging.stg_support__agents"
        " order by 1",
    ) == [
        ("Diane", "Diane", "Call Centre", "2021-01-01"),
        ("Greg", "Greg", "Call Centre", "2021-01-01"),
    ]
    assert query(
        small_warehouse,
        "select customer_id, segment, signed_up_at::varchar from staging.stg_support__customers",
    ) == [("pwc_unknown_caller", "consumer", "2021-01-01 00:00:00")]


def test_a_telephony_only_delivery_builds_with_nothing_lost(small_warehouse: Path) -> None:
    """The tables the mapping has no block for are empty; nothing is
    quarantined; the ticket calendar is empty while the date spine covers the
    calls; no agent_states: no date is judged against states."""
    assert query(
        small_warehouse,
        "select table_name, raw_source, count_delivered_rows, count_staged_rows,"
        " count_quarantined_rows from quarantine.quarantine_support__summary"
        " where count_delivered_rows > 0 order by 1",
    ) == [
        ("agents", "mapping", 2, 2, 0),
        ("calls", "mapping", 4, 4, 0),
        ("customers", "mapping", 1, 1, 0),
        ("survey_responses", "mapping", 2, 2, 0),
    ]
    # Every row of the export is accounted for: agents are merged by
    # `distinct`, unrated calls skipped for survey_responses.
    assert query(
        small_warehouse,
        "select landed_table, count_landed_rows, count_skipped_rows, count_merged_rows,"
        " count_delivered_rows from quarantine.quarantine_mapping__landed_summary order by 1",
    ) == [
        ("agents", 4, 0, 2, 2),
        ("calls", 4, 0, 0, 4),
        ("customers", 1, 0, 0, 1),
        ("survey_responses", 4, 2, 0, 2),
    ]
    assert query(small_warehouse, "select count(*) from marts.fct_tickets") == [(0,)]
    assert query(
        small_warehouse, "select first_date, last_date from intermediate.int_ticket_dates_bounded"
    ) == [(None, None)]
    assert query(
        small_warehouse,
        "select min(first_date)::varchar, max(last_date)::varchar"
        " from intermediate.int_data_dates_bounded",
    ) == [("2021-03-28", "2021-03-31")]
    assert query(
        small_warehouse, "select count(*) from marts.fct_agent_state_days where has_state_data"
    ) == [(0,)]


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            ("      queue: Topic", "      queue: Topc"),
            "table 'calls' (file {folder}/call_centre_trends.csv): columns.queue.from: "
            "the export has no column 'Topc'",
        ),
        (
            ("      direction: {constant: inbound}\n", ""),
            "table 'calls': columns.direction: required column not mapped",
        ),
    ],
)
def test_a_mapping_mistake_names_the_file_the_table_and_the_key(
    tmp_path: Path, edit: tuple[str, str], message: str
) -> None:
    mapping = _export_folder(tmp_path / "export", SMALL_EXPORT)
    text = mapping.read_text()
    assert edit[0] in text
    mapping.write_text(text.replace(edit[0], edit[1], 1))
    result = run_dbt(
        ["compile", "--select", "base_support__calls"],
        tmp_path / "warehouse.duckdb",
        _mapping_vars(mapping),
        check=False,
    )
    assert result.returncode != 0
    expected = f"mapping file {mapping}: " + message.format(folder=mapping.parent)
    assert expected in " ".join(result.stdout.split())


@pytest.mark.skipif(not DATASET.is_file(), reason="the public export is not beside this clone")
def test_the_public_export_gives_the_independently_computed_figures(tmp_path: Path) -> None:
    """Every call staged, and the call and CSAT figures equal a computation
    in Python straight from the export."""
    folder = tmp_path / "export"
    folder.mkdir()
    shutil.copy(DATASET, folder / "call_centre_trends.csv")
    shutil.copy(MAPPING, folder / "mapping.yml")
    database = tmp_path / "warehouse.duckdb"
    run_dbt(["build"], database, _mapping_vars(folder / "mapping.yml"))
    with DATASET.open(newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    answered = [row for row in rows if row["Answered (Y/N)"] == "Y"]
    talk = [
        sum(
            int(part) * unit
            for part, unit in zip(row["AvgTalkDuration"].split(":"), (3600, 60, 1), strict=True)
        )
        for row in answered
    ]
    rated = [int(row["Satisfaction rating"]) for row in rows if row["Satisfaction rating"]]
    assert query(
        database, "select sum(count_quarantined_rows) from quarantine.quarantine_support__summary"
    ) == [(0,)]
    assert query(
        database,
        "select count(*), count_if(is_answered), count_if(is_abandoned), sum(talk_seconds),"
        " sum(speed_of_answer_seconds)::bigint, count_if(is_resolved_call) from marts.fct_calls",
    ) == [
        (
            len(rows),
            len(answered),
            len(rows) - len(answered),
            sum(talk),
            sum(int(row["Speed of answer in seconds"]) for row in answered),
            sum(row["Resolved"] == "Y" for row in answered),
        )
    ]
    assert query(
        database,
        "select count(*), sum(score), count_if(is_satisfied) from marts.fct_survey_responses",
    ) == [(len(rated), sum(rated), sum(score >= 4 for score in rated))]
