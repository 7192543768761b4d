"""The reference seeds hold exactly what spec/kpis.md says they ship."""

from __future__ import annotations

import csv
from datetime import date

from support_kpis.catalogue import kpi_names as spec_kpi_names
from support_kpis.us_holidays import us_federal_holidays

from dbt_helpers import PROJECT_DIR

SEEDS = PROJECT_DIR / "seeds"
SPEC = PROJECT_DIR / "docs" / "spec"


def _rows(name: str) -> list[dict[str, str]]:
    with (SEEDS / f"{name}.csv").open(newline="") as handle:
        return list(csv.DictReader(handle))


def test_seed_columns_are_exactly_the_spec_ones() -> None:
    expected = {
        "business_hours": ["schedule_id", "time_zone", "day_of_week", "open_time", "close_time"],
        "holidays": ["schedule_id", "holiday_date", "holiday_name"],
        "team_schedules": ["team", "schedule_id"],
        "sla_policies": ["priority", "first_reply_target_minutes", "resolution_target_minutes"],
    }
    for name, columns in expected.items():
        with (SEEDS / f"{name}.csv").open(newline="") as handle:
            assert next(csv.reader(handle)) == columns, name


def test_business_hours_ship_standard_and_24x7() -> None:
    windows = {
        (r["schedule_id"], r["time_zone"], int(r["day_of_week"]), r["open_time"], r["close_time"])
        for r in _rows("business_hours")
    }
    standard = {("standard", "America/New_York", day, "09:00", "18:00") for day in range(1, 6)}
    always = {("24x7", "UTC", day, "00:00", "24:00") for day in range(1, 8)}
    assert windows == standard | always


def test_sla_policies_are_the_spec_table() -> None:
    rows = {
        r["priority"]: (int(r["first_reply_target_minutes"]), int(r["resolution_target_minutes"]))
        for r in _rows("sla_policies")
    }
    assert rows == {
        "urgent": (60, 480),
        "high": (240, 1440),
        "normal": (480, 2880),
        "low": (1440, 5760),
    }


def test_us_federal_holidays_known_dates() -> None:
    holidays_2025 = dict(us_federal_holidays(2025))
    assert holidays_2025[date(2025, 11, 27)] == "Thanksgiving Day"
    assert holidays_2025[date(2025, 1, 20)] == "Birthday of Martin Luther King, Jr."
    assert holidays_2025[date(2025, 5, 26)] == "Memorial Day"
    assert len(holidays_2025) == 11
    # Fixed dates on a weekend move to the nearest weekday.
    assert date(2023, 11, 10) in dict(us_federal_holidays(2023))  # Sat 11 Nov -> Fri
    assert date(2022, 12, 26) in dict(us_federal_holidays(2022))  # Sun 25 Dec -> Mon
    # New Year's Day 2028 is a Saturday: observed Friday 2027-12-31.
    assert dict(us_federal_holidays(2027))[date(2027, 12, 31)] == "New Year's Day"
    assert date(2028, 1, 1) not in dict(us_federal_holidays(2028))


def test_holiday_seed_is_the_calendar_for_2023_to_2027() -> None:
    seeded = [(r["schedule_id"], r["holiday_date"], r["holiday_name"]) for r in _rows("holidays")]
    computed = [
        ("standard", day.isoformat(), name)
        for year in range(2023, 2028)
        for day, name in us_federal_holidays(year)
    ]
    assert seeded == computed


def test_kpi_targets_cover_every_kpi_with_the_spec_benchmarks() -> None:
    kpi_names = set(spec_kpi_names(PROJECT_DIR))
    targets = {r["kpi_name"]: r for r in _rows("kpi_targets")}
    assert len(kpi_names) == 62
    assert set(targets) == kpi_names
    assert float(targets["nps"]["benchmark_value"]) == 50
    assert targets["nps"]["better_direction"] == "higher"
    assert float(targets["replied_within_12h_rate"]["benchmark_value"]) == 0.57
    assert float(targets["service_level_rate"]["target_value"]) == 0.80
    assert float(targets["service_level_rate"]["benchmark_value"]) == 0.80
    for row in targets.values():
        assert row["better_direction"] in {"", "higher", "lower"}
