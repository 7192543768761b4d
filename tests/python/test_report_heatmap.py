"""The management report's hour-of-week heat map (service level against
understaffed hours) and its "Hours to staff up" sentence, on a small hand-made
ReportData: no dbt, no mf, no browser."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date

import pytest

from support_kpis.report.build import hour_label, hours_to_staff_up, management_page
from support_kpis.report.charts import NO_CALLS_FILL, heatmap_svg
from support_kpis.report.data import ReportData, Target

MONTH = date(2025, 11, 1)
SVG = "{http://www.w3.org/2000/svg}"

# (ISO weekday, hour) -> values, as the saved queries would give them.
SERVICE = {
    (1, 9): {"calls_offered": 10.0, "service_level_rate": 0.4},
    (2, 10): {"calls_offered": 4.0, "service_level_rate": 0.625},
    (3, 14): {"calls_offered": 5.0, "service_level_rate": 0.9},
    (4, 8): {"calls_offered": 3.0, "service_level_rate": 0.2},
    (5, 17): {"calls_offered": 2.0, "service_level_rate": 1.0},
    (6, 3): {"calls_offered": 7.0, "service_level_rate": 0.5},
    (7, 23): {"calls_offered": 6.0, "service_level_rate": 0.3},
}
STAFFING = {
    (1, 9): {"understaffed_interval_rate": 1.0, "staffing_gap_agents": -2.0},
    (2, 10): {"understaffed_interval_rate": 1.0, "staffing_gap_agents": -1.0},
    (3, 14): {"understaffed_interval_rate": 0.5, "staffing_gap_agents": -0.5},
    (4, 8): {"understaffed_interval_rate": 0.25, "staffing_gap_agents": 0.5},
    (5, 17): {"understaffed_interval_rate": 0.0, "staffing_gap_agents": 1.0},
    (7, 23): {"understaffed_interval_rate": 0.75, "staffing_gap_agents": -1.25},
    # Understaffed but without calls in the service-level query: marked, never listed.
    (1, 2): {"understaffed_interval_rate": 1.0, "staffing_gap_agents": -1.0},
}
MARKED = {(1, 9), (2, 10), (3, 14), (7, 23), (1, 2)}
# Understaffed share descending, then service level ascending; Fri 17:00 meets the
# target and is not understaffed, Sat 03:00 (no staffing figure) ranks sixth.
STAFF_UP = ["Mon 09:00", "Tue 10:00", "Sun 23:00", "Wed 14:00", "Thu 08:00"]


@pytest.fixture
def data() -> ReportData:
    return ReportData(
        overall={
            date(2025, 10, 1): {"service_level_rate": 0.75},
            MONTH: {"service_level_rate": 0.7},
        },
        teams={},
        agents={},
        agent_names={},
        agent_teams={},
        targets={"service_level_rate": Target(0.8, "higher", 0.7, 0.8, "catalogue")},
        service_by_hour={
            MONTH: SERVICE,
            # Another month's figures must not leak into the report month.
            date(2025, 10, 1): {(1, 0): {"calls_offered": 9.0, "service_level_rate": 0.0}},
        },
        staffing_by_hour={
            MONTH: STAFFING,
            date(2025, 10, 1): {(1, 0): {"understaffed_interval_rate": 1.0}},
        },
    )


def _cells(svg: str) -> dict[tuple[int, int], ET.Element]:
    root = ET.fromstring(svg)
    return {
        (int(g.get("data-weekday", "0")), int(g.get("data-hour", "0"))): g
        for g in root.iter(f"{SVG}g")
        if "cell" in (g.get("class") or "").split()
    }


def test_heatmap_has_a_cell_per_hour_of_the_week_and_marks_understaffed_hours() -> None:
    svg = heatmap_svg(SERVICE, STAFFING, 0.8, "Service level by hour of the week")
    cells = _cells(svg)
    assert len(cells) == 168
    assert set(cells) == {(day, hour) for day in range(1, 8) for hour in range(24)}
    marked = {key for key, g in cells.items() if "understaffed" in g.get("class", "").split()}
    assert marked == MARKED
    # The marker is a visible outline drawn inside the cell.
    for key in MARKED:
        assert cells[key].find(f"{SVG}rect[@class='understaffed-mark']") is not None
    assert cells[(4, 8)].find(f"{SVG}rect[@class='understaffed-mark']") is None


def test_heatmap_tooltips_show_the_saved_query_values() -> None:
    cells = _cells(heatmap_svg(SERVICE, STAFFING, 0.8, "heat map"))
    title = cells[(2, 10)].findtext(f"{SVG}title") or ""
    assert "Tue 10:00" in title
    assert "62.5%" in title  # service level as given, as a percentage
    assert "4 calls offered" in title
    assert "100.0%" in title  # understaffed share
    assert "Sun 23:00" in (cells[(7, 23)].findtext(f"{SVG}title") or "")
    assert "75.0%" in (cells[(7, 23)].findtext(f"{SVG}title") or "")


def test_heatmap_leaves_hours_without_calls_blank() -> None:
    cells = _cells(heatmap_svg(SERVICE, STAFFING, 0.8, "heat map"))
    for key, g in cells.items():
        fill = g.find(f"{SVG}rect").get("fill")  # type: ignore[union-attr]
        if key in SERVICE:
            assert fill != NO_CALLS_FILL, key
            assert g.find(f"{SVG}text") is not None, key
        else:
            assert fill == NO_CALLS_FILL, key
            assert g.find(f"{SVG}text") is None, key  # no number in a blank cell
            assert "no calls offered" in (g.findtext(f"{SVG}title") or "")
    # Colours follow the service level: different levels, different colours.
    fills = {cells[key].find(f"{SVG}rect").get("fill") for key in SERVICE}  # type: ignore[union-attr]
    assert len(fills) == len({v["service_level_rate"] for v in SERVICE.values()})


def test_heatmap_has_axes_and_a_legend_with_the_target() -> None:
    svg = heatmap_svg(SERVICE, STAFFING, 0.8, "heat map")
    assert "Hour of day (UTC)" in svg and ">Weekday<" in svg
    for day in ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"):
        assert f">{day}</text>" in svg
    for hour in range(24):
        assert f">{hour:02d}</text>" in svg
    assert "target 80%" in svg
    assert "no calls offered" in svg and "understaffed" in svg
    assert "<script" not in svg


def test_hours_to_staff_up_are_ranked_from_the_saved_query_values(data: ReportData) -> None:
    assert [hour_label(hour) for hour in hours_to_staff_up(data, MONTH)] == STAFF_UP
    assert hours_to_staff_up(data, MONTH, limit=10)[-1] == (6, 3)
    assert (1, 2) not in hours_to_staff_up(data, MONTH, limit=10)  # no calls


def test_management_page_shows_the_heat_map_section(data: ReportData) -> None:
    html = management_page(data, MONTH)
    assert "<script" not in html
    assert "Service level by hour of the week, November 2025" in html
    assert "Hour of day (UTC)" in html and ">Weekday<" in html
    assert len(re.findall(r'<g class="cell[ "]', html)) == 168
    sentence = re.search(r'<p class="callout staff-up">(.*?)</p>', html)
    assert sentence is not None
    text = sentence.group(1)
    assert text.startswith("Hours to staff up: ")
    positions = [text.find(label) for label in STAFF_UP]
    assert all(p >= 0 for p in positions) and positions == sorted(positions), text
    assert "Sat 03:00" not in text and "Fri 17:00" not in text and "Mon 02:00" not in text
    assert "Mon 00:00" not in text  # October's figures
    assert "Mon 09:00 (100.0% understaffed, service level 40.0%)" in text
    # The headline table still carries the month's service level once, untouched.
    assert html.count('data-kpi="service_level_rate"') == 1


def test_management_page_without_hour_of_week_figures(data: ReportData) -> None:
    data.service_by_hour = {}
    data.staffing_by_hour = {}
    html = management_page(data, MONTH)
    assert "Hours to staff up: none" in html
    assert "<script" not in html


def test_saved_query_rows_become_hour_of_week_series() -> None:
    from support_kpis.report.data import _hour_of_week

    # As mf writes the CSV of staffing_by_hour_of_week (text, empty for null).
    rows = [
        {
            "metric_time__month": "2025-11-01 00:00:00",
            "staffing_interval__interval_weekday": "7",
            "staffing_interval__interval_hour": "4",
            "understaffed_interval_rate": "1.0",
            "staffing_gap_agents": "-2.0",
        },
        {
            "metric_time__month": "2025-10-01 00:00:00",
            "staffing_interval__interval_weekday": "1",
            "staffing_interval__interval_hour": "0",
            "understaffed_interval_rate": "0.0",
            "staffing_gap_agents": "",
        },
        {  # no values: left out, as saved_query_values does
            "metric_time__month": "2025-09-01 00:00:00",
            "staffing_interval__interval_weekday": "2",
            "staffing_interval__interval_hour": "5",
            "understaffed_interval_rate": "",
            "staffing_gap_agents": "",
        },
    ]
    series = _hour_of_week(
        rows, "staffing_interval__interval_weekday", "staffing_interval__interval_hour"
    )
    assert series == {
        MONTH: {(7, 4): {"understaffed_interval_rate": 1.0, "staffing_gap_agents": -2.0}},
        date(2025, 10, 1): {
            (1, 0): {"understaffed_interval_rate": 0.0, "staffing_gap_agents": None}
        },
    }


def test_ties_go_to_the_hour_with_more_calls(data: ReportData) -> None:
    data.service_by_hour[MONTH] = {
        (1, 5): {"calls_offered": 1.0, "service_level_rate": 0.0},
        (6, 5): {"calls_offered": 3.0, "service_level_rate": 0.0},
    }
    data.staffing_by_hour[MONTH] = {
        (1, 5): {"understaffed_interval_rate": 1.0},
        (6, 5): {"understaffed_interval_rate": 1.0},
    }
    assert hours_to_staff_up(data, MONTH) == [(6, 5), (1, 5)]
