"""Run the suites against a built warehouse with Great Expectations and write
its Data Docs (HTML).

The tables are read from DuckDB into pandas and validated by GX's pandas
engine: GX's SQL data source returned empty metrics on DuckDB (its
connection closed before rows were fetched), which would make every
expectation pass unseen; pandas evaluates for real (a test proves a violated
expectation fails).

Raw suites read their relation through suites.RAW_SQL (exact duplicates
collapsed) and are named by their raw table in failures (`tickets.channel`);
every failure names the offending values (support_kpis.quality.messages)."""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

import duckdb

from support_kpis.quality.messages import RESULT_FORMAT, failure, observed
from support_kpis.quality.offline_docs import make_offline
from support_kpis.quality.suites import (
    FLAG_SUITES,
    MART_SUITES,
    QUERY_SUITES,
    RAW_SQL,
    RAW_SUITES,
    Suite,
    raw_table,
)

DOCS_INDEX = Path("gx") / "uncommitted" / "data_docs" / "local_site" / "index.html"


@dataclass
class ValidationSummary:
    docs_index: Path
    evaluated: int = 0
    failures: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    # (suite, expectation, column, outcome: met / FAILED / flagged, observed):
    # observed as in the failures ("1 row with a value outside the contract: 'fax'").
    rows: list[tuple[str, str, str, str, str]] = field(default_factory=list)

    @property
    def success(self) -> bool:
        return not self.failures


@dataclass(frozen=True)
class _Job:
    name: str  # the GX data asset, suite and validation definition
    label: str  # what failures call the data: the raw table, the relation or the query
    table: str  # the relation that must exist
    sql: str
    build: Callable[[], Suite]
    is_raw: bool = False
    is_flag: bool = False


def _jobs() -> list[_Job]:
    jobs = [
        _Job(name, raw_table(name), name, RAW_SQL.format(relation=name), build, is_raw=True)
        for name, build in RAW_SUITES.items()
    ]
    jobs += [
        _Job(name, name, name, f"select * from {name}", build)
        for name, build in MART_SUITES.items()
    ]
    jobs += [_Job(name, name, "bi.kpi_monthly", sql, build) for name, sql, build in QUERY_SUITES]
    jobs += [
        _Job(name, name, table, sql, build, is_flag=True) for name, table, sql, build in FLAG_SUITES
    ]
    return jobs


def validate_warehouse(database: Path, output_dir: Path) -> ValidationSummary:
    """Validate every suite; (re)write the GX project and Data Docs in output_dir."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    if output_dir.exists():
        shutil.rmtree(output_dir)
    output_dir.mkdir(parents=True)
    context = gx.get_context(mode="file", project_root_dir=str(output_dir))
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    source = context.data_sources.add_pandas(name="warehouse")
    frames = {}
    definitions = []
    missing: list[str] = []
    jobs = {job.name: job for job in _jobs()}
    with duckdb.connect(str(database), read_only=True) as connection:
        present = {
            f"{schema}.{table}"
            for schema, table in connection.sql(
                "select table_schema, table_name from information_schema.tables"
            ).fetchall()
        }
        for job in jobs.values():
            if job.table not in present:
                missing.append(job.name)
                continue
            frames[job.name] = connection.sql(job.sql).df()
            asset = source.add_dataframe_asset(name=job.name)
            batch = asset.add_batch_definition_whole_dataframe("all_rows")
            suite = context.suites.add(gx.ExpectationSuite(name=job.name))
            for expectation in job.build():
                suite.add_expectation(expectation)
            definitions.append(
                context.validation_definitions.add(
                    gx.ValidationDefinition(name=job.name, data=batch, suite=suite)
                )
            )
    summary = ValidationSummary(docs_index=output_dir / DOCS_INDEX)
    summary.failures += [f"{name}: table missing (build and publish first)" for name in missing]
    for definition in definitions:
        job = jobs[definition.name]
        result = definition.run(
            batch_parameters={"dataframe": frames[definition.name]},
            result_format=dict(RESULT_FORMAT),
        )
        for outcome in result.results:
            summary.evaluated += 1
            config = outcome.expectation_config
            columns = config.kwargs.get("column_list") or []
            column = config.kwargs.get("column") or ", ".join(columns)
            found = observed(
                config.type, config.kwargs, outcome.result, job.is_raw, outcome.exception_info
            )
            verdict = "met" if outcome.success else ("flagged" if job.is_flag else "FAILED")
            rows = (config.meta or {}).get("rows")
            shown_column = f"{column} ({rows})" if column and rows else column or ""
            summary.rows.append((definition.name, config.type, shown_column, verdict, found))
            if not outcome.success and job.is_flag:
                flagged = frames[definition.name].iloc[:, 0].astype(str).tolist()
                summary.flags.append(
                    f"{definition.name}: {len(flagged)}: "
                    + ", ".join(flagged[:20])
                    + (", ..." if len(flagged) > 20 else "")
                )
            elif not outcome.success:
                summary.failures.append(
                    failure(
                        job.label,
                        config.type,
                        config.kwargs,
                        outcome.result,
                        job.is_raw,
                        config.meta,
                        outcome.exception_info,
                    )
                )
    context.build_data_docs()
    # GX's pages load their scripts and styles from CDNs: serve local copies.
    make_offline(summary.docs_index.parent)
    write_summary_page(summary, output_dir / "summary.html")
    return summary


def write_summary_page(summary: ValidationSummary, path: Path) -> None:
    """A self-contained page of every expectation and its outcome, one table
    (GX's Data Docs spread them over a page per suite)."""
    rows = "".join(
        f'<tr class="{"ok" if verdict == "met" else verdict.lower()}"><td>{escape(suite)}</td>'
        f"<td>{escape(kind)}</td><td>{escape(column)}</td>"
        f"<td>{verdict}</td><td>{escape(found)}</td></tr>"
        for suite, kind, column, verdict, found in summary.rows
    )
    headline = "All expectations met." if summary.success else f"{len(summary.failures)} failed."
    failures = "".join(f"<li>{escape(line)}</li>" for line in summary.failures)
    if failures:
        failures = f'<ul class="failures">{failures}</ul>'
    flags = "".join(f"<li>{escape(flag)}</li>" for flag in summary.flags)
    if flags:
        flags = f"<p>Flagged for review (not failures):</p><ul>{flags}</ul>"
    path.write_text(
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Data quality</title>'
        "<style>body{font-family:sans-serif;margin:2em}td,th{border:1px solid #ccc;padding:3px 6px}"
        "table{border-collapse:collapse}td{overflow-wrap:anywhere}"
        ".failed{background:#fadbd8}.flagged{background:#fdebd0}"
        "</style></head><body>"
        f"<h1>Data quality</h1><p>{summary.evaluated} expectations evaluated. {headline}</p>"
        f"{failures}{flags}"
        f'<p>Great Expectations Data Docs: <a href="{DOCS_INDEX.as_posix()}">index.html</a></p>'
        "<table><tr><th>Suite</th><th>Expectation</th><th>Column</th>"
        f"<th>Outcome</th><th>Observed</th></tr>{rows}</table></body></html>",
        encoding="utf-8",
    )
