"""Map the public "Call Centre Trends" export onto the raw source contract.

Usage:
    python examples/pwc_call_centre/map_to_raw.py INPUT.csv OUTDIR [--time-zone ZONE]

INPUT.csv has the columns `Call Id, Agent, Date, Time, Topic, Answered (Y/N),
Resolved, Speed of answer in seconds, AvgTalkDuration, Satisfaction rating`
(one row per inbound call). OUTDIR receives the nine raw tables as CSV; the
tables the export has nothing for are written with their header only. Every
assumption is listed in README.md beside this script. Run it with the
project's Python (.venv/bin/python), which has the support_kpis package.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from support_kpis.generator.schema import TABLE_COLUMNS

# The raw contract's tables and columns, as the package defines them once.
CONTRACT_COLUMNS = {name: list(columns) for name, columns in TABLE_COLUMNS.items()}
UNKNOWN_CALLER = "pwc_unknown_caller"
TEAM = "Call Centre"
EXPECTED_COLUMNS = [
    "Call Id",
    "Agent",
    "Date",
    "Time",
    "Topic",
    "Answered (Y/N)",
    "Resolved",
    "Speed of answer in seconds",
    "AvgTalkDuration",
    "Satisfaction rating",
]


class MappingError(ValueError):
    """The export does not have the expected shape."""


def _utc_text(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _seconds(duration: str) -> int:
    hours, minutes, seconds = (int(part) for part in duration.split(":"))
    return hours * 3600 + minutes * 60 + seconds


def map_calls(
    rows: Iterable[dict[str, str]], zone: ZoneInfo
) -> tuple[list[list[str]], list[list[str]], set[str], str]:
    """Calls and CSAT responses of the export, its agent names and first date."""
    calls: list[list[str]] = []
    responses: list[list[str]] = []
    agents: set[str] = set()
    first_date = ""
    for line, row in enumerate(rows, start=2):
        try:
            offered = datetime.fromisoformat(f"{row['Date']}T{row['Time']}").replace(tzinfo=zone)
            answered_flag = row["Answered (Y/N)"].strip().upper()
            if answered_flag not in {"Y", "N"}:
                raise MappingError(f"Answered (Y/N) is {row['Answered (Y/N)']!r}")
            agents.add(row["Agent"])
            first_date = min(first_date or row["Date"], row["Date"])
            if answered_flag == "Y":
                answered = offered + timedelta(seconds=int(row["Speed of answer in seconds"]))
                talk = _seconds(row["AvgTalkDuration"])
                ended = answered + timedelta(seconds=talk)
                resolved = "true" if row["Resolved"].strip().upper() == "Y" else "false"
                calls.append(
                    [
                        row["Call Id"],
                        "",
                        row["Agent"],
                        "",
                        row["Topic"],
                        "inbound",
                        _utc_text(offered),
                        _utc_text(answered),
                        _utc_text(ended),
                        str(talk),
                        "0",
                        "0",
                        "false",
                        resolved,
                    ]
                )
                if row["Satisfaction rating"].strip():
                    responses.append(
                        [
                            f"csat_{row['Call Id']}",
                            "csat",
                            UNKNOWN_CALLER,
                            "",
                            row["Call Id"],
                            _utc_text(ended),
                            _utc_text(ended),
                            row["Satisfaction rating"].strip(),
                            "",
                        ]
                    )
            else:
                calls.append(
                    [
                        row["Call Id"],
                        "",
                        row["Agent"],
                        "",
                        row["Topic"],
                        "inbound",
                        _utc_text(offered),
                        "",
                        _utc_text(offered),
                        "0",
                        "0",
                        "0",
                        "false",
                        "",
                    ]
                )
        except (KeyError, ValueError) as error:
            raise MappingError(f"line {line}: {error}") from error
    return calls, responses, agents, first_date


def write_raw_folder(source: Path, outdir: Path, zone: ZoneInfo) -> dict[str, int]:
    """Write the nine raw tables for the export; returns rows written per table."""
    with source.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = [column for column in EXPECTED_COLUMNS if column not in (reader.fieldnames or [])]
        if missing:
            raise MappingError(f"{source}: missing column(s) {', '.join(missing)}")
        calls, responses, agents, first_date = map_calls(reader, zone)
    start = f"{first_date}T00:00:00Z"
    tables: dict[str, list[list[str]]] = {name: [] for name in CONTRACT_COLUMNS}
    tables["calls"] = calls
    tables["survey_responses"] = responses
    tables["agents"] = [[name, name, "", TEAM, first_date, ""] for name in sorted(agents)]
    if responses:
        tables["customers"] = [[UNKNOWN_CALLER, "", "", "", "consumer", "", start]]
    outdir.mkdir(parents=True, exist_ok=True)
    for name, columns in CONTRACT_COLUMNS.items():
        with (outdir / f"{name}.csv").open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(columns)
            writer.writerows(tables[name])
    return {name: len(rows) for name, rows in tables.items()}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", type=Path, help="call_centre_trends.csv")
    parser.add_argument("outdir", type=Path, help="raw folder to write")
    parser.add_argument(
        "--time-zone",
        default="UTC",
        help="IANA zone of the export's local Date/Time (default UTC: unknown in the export)",
    )
    args = parser.parse_args(argv)
    try:
        counts = write_raw_folder(args.source, args.outdir, ZoneInfo(args.time_zone))
    except MappingError as error:
        print(f"map_to_raw: {error}", file=sys.stderr)
        return 2
    for name, count in counts.items():
        print(f"{name:<17} {count:>6} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
