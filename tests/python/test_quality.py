"""Great Expectations really evaluates the warehouse: the suites pass on the
sample, a violated expectation fails the run with a clear summary, and the
Data Docs are written."""

from __future__ import annotations

import shutil
import subprocess
import sys
from html import escape
from pathlib import Path

import duckdb
import pytest

from support_kpis.quality import validate_warehouse
from support_kpis.quality.messages import RESULT_FORMAT
from support_kpis.quality.offline_docs import OfflineDocsError, make_offline


def test_the_sample_meets_every_expectation(published_sample: Path, tmp_path: Path) -> None:
    result = subprocess.run(
        [
            str(Path(sys.executable).with_name("support-kpis")),
            "validate",
            "--database",
            str(published_sample),
            "--output-dir",
            str(tmp_path / "quality"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "all expectations met" in result.stdout
    # The sample's agents with overlapping state intervals are flagged, not failed.
    overlapping = [
        agent
        for (agent,) in duckdb.connect(str(published_sample), read_only=True)
        .sql("select distinct agent_id from marts.fct_agent_states where is_overlapping order by 1")
        .fetchall()
    ]
    assert overlapping
    assert (
        f"flagged for review: agents_with_overlapping_states: {len(overlapping)}: "
        + ", ".join(overlapping)
        in result.stdout
    )
    docs = tmp_path / "quality" / "gx" / "uncommitted" / "data_docs" / "local_site" / "index.html"
    assert docs.is_file()
    assert "marts.fct_calls" in docs.read_text()
    page = (tmp_path / "quality" / "summary.html").read_text()
    assert "All expectations met." in page and "FAILED" not in page


def test_a_violated_expectation_fails_and_is_named(published_sample: Path, tmp_path: Path) -> None:
    broken = tmp_path / "warehouse.duckdb"
    shutil.copy(published_sample, broken)
    with duckdb.connect(str(broken)) as connection:
        connection.execute(
            "update marts.fct_calls set speed_of_answer_seconds = -5 "
            "where call_id = (select min(call_id) from marts.fct_calls where is_answered)"
        )
        connection.execute(
            "update bi.kpi_monthly set kpi_value = 1.5 where kpi_name = 'reply_rate'"
        )
        [(reply_rate_rows,)] = connection.sql(
            "select count(*) from bi.kpi_monthly where kpi_name = 'reply_rate'"
        ).fetchall()
    # Every offending row is listed by GX (SUMMARY), so the count per value is exact.
    assert 1 < reply_rate_rows <= RESULT_FORMAT["partial_unexpected_count"]
    summary = validate_warehouse(broken, tmp_path / "quality")
    assert not summary.success
    expected = [
        "marts.fct_calls.speed_of_answer_seconds: 1 row with a value below 0: -5",
        f"kpi_rates.kpi_value: {reply_rate_rows} rows with a value outside 0 to 1: "
        f"1.5 ({reply_rate_rows} rows)",
    ]
    assert summary.failures == expected
    page = (tmp_path / "quality" / "summary.html").read_text()
    assert page.count("FAILED") == 2
    assert all(f"<li>{escape(failure)}</li>" in page for failure in expected)


def _site(tmp_path: Path, head: str) -> Path:
    site = tmp_path / "site"
    (site / "static" / "images").mkdir(parents=True)
    (site / "static" / "images" / "logo-long.png").write_bytes(b"png")
    page = site / "validations" / "marts" / "fct_calls" / "run" / "page.html"
    page.parent.mkdir(parents=True)
    page.write_text(f"<html><head>{head}</head><body><p>ok</p></body></html>", encoding="utf-8")
    return page


def test_data_docs_pages_are_pointed_at_local_copies(tmp_path: Path) -> None:
    page = _site(
        tmp_path,
        '<script src="https://code.jquery.com/jquery-3.7.1.min.js"></script>'
        '<script src="https://stackpath.bootstrapcdn.com/bootstrap/4.3.1/js/bootstrap.min.js" '
        'integrity="sha384-x" crossorigin="anonymous"></script>'
        '<script src="https://cdnjs.cloudflare.com/ajax/libs/popper.js/1.12.9/umd/popper.min.js">'
        "</script>"
        '<link rel="shortcut icon" href="../../../static/images/favicon.ico"/>'
        '<img src="https://great-expectations-web-assets.s3.us-east-2.amazonaws.com/'
        'logo-long.png?d=1&dataContextId=2" alt="GX">',
    )
    make_offline(tmp_path / "site")
    up = "../../../../"  # page.html is four folders below the site's root
    assert page.read_text(encoding="utf-8") == (
        f'<html><head><script src="{up}static/vendor/jquery/jquery.min.js"></script>'
        f'<script src="{up}static/vendor/bootstrap/bootstrap.bundle.min.js"></script>'
        f'<link rel="shortcut icon" href="{up}static/images/favicon.ico"/>'
        f'<img src="{up}static/images/logo-long.png" alt="GX"></head><body><p>ok</p></body></html>'
    )
    jquery = tmp_path / "site" / "static" / "vendor" / "jquery" / "jquery.min.js"
    assert jquery.read_bytes().startswith(b"/*! jQuery v3.7.1 |")


def test_an_unknown_external_asset_stops_the_docs(tmp_path: Path) -> None:
    _site(tmp_path, '<script src="https://cdn.example.org/new-widget.js"></script>')
    with pytest.raises(OfflineDocsError, match=r"new-widget\.js, which has no local copy"):
        make_offline(tmp_path / "site")
