"""The documented mapping of the public call-centre export onto the raw contract."""

from __future__ import annotations

import csv
import importlib.util
from pathlib import Path
from types import ModuleType
from zoneinfo import ZoneInfo

import pytest

from dbt_helpers import PROJECT_DIR, query, run_dbt

SCRIPT = PROJECT_DIR / "examples" / "pwc_call_centre" / "map_to_raw.py"
DATASET = PROJECT_DIR.parent / "shared" / "datasets" / "pwc_call_centre" / "call_centre_trends.csv"
HEADER = (
    "Call Id,Agent,Date,Time,Topic,Answered (Y/N),Resolved,Speed of answer in seconds,"
    "AvgTalkDuration,Satisfaction rating\n"
)


def _module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("map_to_raw", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


def _build_mapped(source: Path, tmp_path: Path) -> Path:
    """Maps an export, builds it (dbt build must pass) and checks nothing is quarantined."""
    raw = tmp_path / "raw"
    _module().write_raw_folder(source, raw, ZoneInfo("UTC"))
    database = tmp_path / "warehouse.duckdb"
    run_dbt(["build"], database, {"raw_path": str(raw)})
    assert query(
        database, "select sum(count_quarantined_rows) from quarantine.quarantine_support__summary"
    ) == [(0,)]
    return database


def _call_counts(database: Path) -> list[tuple[object, ...]]:
    return query(
        database,
        "select count(*), sum(is_answered::int), sum(is_abandoned::int) from marts.fct_calls",
    )


def test_rows_are_mapped_as_documented(tmp_path: Path) -> None:
    source = tmp_path / "calls.csv"
    source.write_text(
        HEADER
        + "ID1,Diane,2021-03-28,01:30:00,Streaming,Y,Y,20,00:02:03,4\n"
        + "ID2,Greg,2021-03-28,02:00:00,Admin Support,N,N,,,\n"
    )
    counts = _module().write_raw_folder(source, tmp_path / "raw", ZoneInfo("Europe/Zurich"))
    assert counts["calls"] == 2 and counts["survey_responses"] == 1 and counts["tickets"] == 0
    calls = _rows(tmp_path / "raw" / "calls.csv")
    # 01:30 in Zurich on 2021-03-28 is CET (UTC+1), before the 02:00 switch.
    assert calls[0]["offered_at"] == "2021-03-28T00:30:00Z"
    assert calls[0]["answered_at"] == "2021-03-28T00:30:20Z"
    assert calls[0]["ended_at"] == "2021-03-28T00:32:23Z"
    assert (calls[0]["talk_seconds"], calls[0]["is_resolved"], calls[0]["queue"]) == (
        "123",
        "true",
        "Streaming",
    )
    assert (calls[1]["answered_at"], calls[1]["is_resolved"], calls[1]["talk_seconds"]) == (
        "",
        "",
        "0",
    )
    assert calls[1]["ended_at"] == calls[1]["offered_at"]
    survey = _rows(tmp_path / "raw" / "survey_responses.csv")
    assert survey == [
        {
            "response_id": "csat_ID1",
            "survey_type": "csat",
            "customer_id": "pwc_unknown_caller",
            "ticket_id": "",
            "call_id": "ID1",
            "sent_at": "2021-03-28T00:32:23Z",
            "responded_at": "2021-03-28T00:32:23Z",
            "score": "4",
            "comment": "",
        }
    ]


def test_a_wrong_export_is_refused_with_the_missing_columns(tmp_path: Path) -> None:
    source = tmp_path / "calls.csv"
    source.write_text("Call Id,Agent\nID1,Diane\n")
    with pytest.raises(ValueError, match="missing column"):
        _module().write_raw_folder(source, tmp_path / "raw", ZoneInfo("UTC"))


def test_a_delivery_without_tickets_builds(tmp_path: Path) -> None:
    """A telephony-only delivery (no ticket data at all) builds, tests green.

    The ticket tables are empty, so the business-time calendar is empty too
    (int_ticket_dates_bounded has null bounds), while the date spine covers
    the calls. This runs without the public export beside the clone.
    """
    source = tmp_path / "calls.csv"
    source.write_text(
        HEADER
        + "ID1,Diane,2021-03-01,09:00:00,Streaming,Y,Y,20,00:02:03,4\n"
        + "ID2,Greg,2021-03-01,10:00:00,Admin Support,N,N,,,\n"
        + "ID3,Diane,2021-03-03,11:00:00,Streaming,Y,N,45,00:10:00,\n"
    )
    database = _build_mapped(source, tmp_path)
    assert _call_counts(database) == [(3, 2, 1)]
    assert query(database, "select count(*) from marts.fct_tickets") == [(0,)]
    assert query(
        database, "select first_date, last_date from intermediate.int_ticket_dates_bounded"
    ) == [(None, None)]
    assert query(database, "select count(*) from intermediate.int_opening_windows_expanded") == [
        (0,)
    ]
    assert query(
        database,
        "select min(first_date)::varchar, max(last_date)::varchar"
        " from intermediate.int_data_dates_bounded",
    ) == [("2021-03-01", "2021-03-03")]
    # No agent_states file: an empty table, and no date is judged against states.
    assert query(
        database,
        "select count_delivered_rows, count_staged_rows from quarantine.quarantine_support__summary"
        " where table_name = 'agent_states'",
    ) == [(0, 0)]
    assert query(database, "select count(*) from marts.fct_agent_states") == [(0,)]
    assert query(
        database, "select count(*) from marts.fct_agent_state_days where has_state_data"
    ) == [(0,)]


@pytest.mark.skipif(not DATASET.is_file(), reason="the public export is not beside this clone")
def test_the_public_export_builds_without_quarantine(tmp_path: Path) -> None:
    database = _build_mapped(DATASET, tmp_path)
    assert _call_counts(database) == [(5000, 4054, 946)]
