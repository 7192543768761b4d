"""The `support-kpis` command line."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from support_kpis.progress import ProgressPrinter
from support_kpis.superset.commands import add_bi_commands


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("support-kpis")
    except PackageNotFoundError:
        return "unknown (not installed)"


def _positive_int(text: str) -> int:
    value = int(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {text}")
    return value


def _rate(text: str) -> float:
    value = float(text)
    if not 0.0 <= value <= 0.5:
        raise argparse.ArgumentTypeError(f"must be between 0 and 0.5, got {text}")
    return value


def _add_project_dir_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--project-dir", type=Path, default=Path("."), help="the dbt project (default: .)"
    )


def _add_generated_file_options(parser: argparse.ArgumentParser, outfile_help: str) -> None:
    """OUT, --project-dir, --manifest and --check of a file generated from the semantic layer."""
    parser.add_argument("outfile", type=Path, help=outfile_help)
    _add_project_dir_option(parser)
    parser.add_argument(
        "--manifest",
        type=Path,
        default=None,
        help="the semantic manifest (default: PROJECT_DIR/target/semantic_manifest.json)",
    )
    parser.add_argument(
        "--check", action="store_true", help="exit 1 when OUT differs; write nothing"
    )


def _write_generated_file(out: Path, text: str, check: bool, regenerate: str) -> int:
    """Write OUT, or with --check compare it with `text` and exit 1 when it is stale."""
    if check:
        if not out.is_file() or out.read_text(encoding="utf-8") != text:
            print(f"{out} is stale: run `{regenerate}`", file=sys.stderr)
            return 1
        print(f"{out} is up to date")
        return 0
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    print(f"wrote {out}")
    return 0


def _add_database_option(
    parser: argparse.ArgumentParser, described: str = "the DuckDB warehouse"
) -> None:
    parser.add_argument(
        "--database",
        type=Path,
        default=None,
        help=f"{described} (default: $DBT_DUCKDB_PATH or warehouse/support_kpis.duckdb)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="support-kpis",
        description="Customer-service KPI warehouse: tools around the dbt project.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    commands = parser.add_subparsers(dest="command", required=True)
    generate = commands.add_parser(
        "generate",
        help="write a synthetic raw delivery (the ten tables of the raw contract)",
        description=(
            "Write the ten raw tables of spec/sources.md to OUTDIR, with realistic volumes, "
            "the edge cases the KPI definitions care about, and optionally invalid rows of "
            "every kind, listed in OUTDIR/_manifest.json and OUTDIR/_invalid_rows.csv."
        ),
    )
    generate.add_argument("outdir", type=Path, help="folder to write (created if missing)")
    generate.add_argument("--tickets", type=_positive_int, required=True, help="number of tickets")
    generate.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    generate.add_argument(
        "--invalid-rate",
        type=_rate,
        default=0.0,
        help="share of rows per table given one contract fault (0 to 0.5, default 0)",
    )
    generate.add_argument("--format", choices=["csv", "parquet"], default="csv")
    generate.add_argument(
        "--loads",
        type=_positive_int,
        metavar="K",
        help="write a delivery in K >= 2 daily loads: every table as a folder "
        "OUTDIR/<table>/<YYYY-MM-DD>.<csv|parquet>, load 1 the history up to the day before "
        "the period's last K-1 days, then one load per day, with updates (earlier versions "
        "of tickets and calls) and late rows; the latest version of every row is the "
        "single-file delivery's (no --invalid-rate, contract shape only)",
    )
    generate.add_argument(
        "--omit-invalid",
        action="store_true",
        help="write the same delivery without its invalid rows and exact duplicates",
    )
    generate.add_argument(
        "--overwrite",
        action="store_true",
        help="write into OUTDIR even when it already holds files",
    )
    generate.add_argument(
        "--shape",
        choices=["contract", "zendesk-fivetran"],
        default="contract",
        help="contract: the raw contract's tables (default); zendesk-fivetran: the tables "
        "Fivetran's Zendesk connector lands (valid rows only), with the same rows as a "
        "contract folder in OUTDIR/_contract",
    )
    generate.add_argument(
        "--seeds",
        type=Path,
        default=Path("seeds"),
        help="the project's seeds folder, whose business hours become Zendesk schedules "
        "(--shape zendesk-fivetran; default ./seeds)",
    )
    publish = commands.add_parser(
        "publish",
        help="publish the semantic layer's saved queries as bi.* tables for BI tools",
        description=(
            "Run the saved queries of the semantic layer (mf) against the built warehouse, "
            "write bi.kpi_monthly and bi.agent_scorecard_monthly, with target status, and "
            "refresh the BI copy beside it (<stem>_bi.duckdb and <stem>_parquet/)."
        ),
    )
    _add_project_dir_option(publish)
    _add_database_option(publish)
    report = commands.add_parser(
        "report",
        help="write the agent, team and management reports of a month as static HTML",
        description=(
            "Write static, self-contained HTML (inline SVG charts, no script, no network) for "
            "the three audiences of the KPI catalogue, from the semantic layer's numbers."
        ),
    )
    report.add_argument("--month", required=True, help="the report month, YYYY-MM")
    report.add_argument("outdir", type=Path, help="folder to write the pages to")
    _add_project_dir_option(report)
    _add_database_option(report)
    build = commands.add_parser(
        "build",
        help="dbt build into a work copy, publish the BI tables, then swap it in atomically",
        description=(
            "Build the warehouse without exposing a half-built file: dbt build (models and "
            "tests) and the BI publication run on a work copy, which replaces the published "
            "DuckDB file in one rename only when all passed and the delivery passed the "
            "publication gate (a plain dbt build does the same). Arguments after -- go to dbt, "
            "e.g. -- --vars '{raw_path: /data/export}'."
        ),
    )
    _add_project_dir_option(build)
    _add_database_option(build, "the published DuckDB file")
    build.add_argument("dbt_args", nargs="*", help="extra dbt build arguments (after --)")
    validate = commands.add_parser(
        "validate",
        help="run the Great Expectations suites on the built warehouse and write Data Docs",
        description=(
            "Validate the raw deliveries and the marts of the built warehouse with Great "
            "Expectations; write the HTML Data Docs; exit 1 with a summary when an "
            "expectation fails."
        ),
    )
    _add_database_option(validate)
    validate.add_argument(
        "--output-dir",
        type=Path,
        default=Path("warehouse/quality"),
        help="GX project and Data Docs folder (default warehouse/quality)",
    )
    lineage = commands.add_parser(
        "lineage",
        help="write the column-level lineage of every KPI as one HTML document",
        description=(
            "Compile the project (dbt compile) against the built warehouse, then trace every "
            "KPI of docs/spec/kpis.md from its metric down to the raw contract's columns."
        ),
    )
    lineage.add_argument("outfile", type=Path, help="the HTML file to write")
    _add_project_dir_option(lineage)
    _add_database_option(lineage)
    kpi_index = commands.add_parser(
        "kpi-index",
        help="write the KPI index: every KPI's formula, metric file, mart columns, tests, lineage",
        description=(
            "Write a Markdown index of every KPI of docs/spec/kpis.md from the semantic layer "
            "(target/semantic_manifest.json and target/manifest.json, written by dbt parse). "
            "With --check, write nothing and exit 1 when OUT is stale."
        ),
    )
    _add_generated_file_options(kpi_index, "the Markdown file (docs/kpi_index.md)")
    osi = commands.add_parser(
        "osi",
        help="export the semantic layer in the Open Semantic Interchange (OSI) format",
        description=(
            "Write the metrics, dimensions, entities and relationships of the semantic layer "
            "(target/semantic_manifest.json, written by dbt parse) as an OSI JSON document, "
            "and list the metrics whose meaning OSI cannot carry (offsets, running windows). "
            "With --check, write nothing and exit 1 when OUT is stale."
        ),
    )
    _add_generated_file_options(osi, "the JSON file (docs/semantic_layer.osi.json)")
    add_bi_commands(commands)  # `bi superset ...`: src/support_kpis/superset/commands.py
    return parser


def _osi(args: argparse.Namespace) -> int:
    from support_kpis.osi import REGENERATE, export_semantic_layer

    manifest = args.manifest or args.project_dir / "target" / "semantic_manifest.json"
    if not manifest.is_file():
        print(f"support-kpis osi: no {manifest}; run dbt parse first", file=sys.stderr)
        return 2
    export = export_semantic_layer(manifest)
    written = _write_generated_file(args.outfile, export.to_json(), args.check, REGENERATE)
    if args.check:
        return written
    metrics = export.document["semantic_model"][0].get("metrics", [])
    print(f"{len(metrics)} metrics")
    for loss in export.losses:
        print(f"  not carried by OSI: {loss.metric}: {loss.kind} ({loss.detail})")
    return 0


def _lineage(args: argparse.Namespace) -> int:
    from support_kpis.catalogue import kpi_names
    from support_kpis.lineage import trace_kpis, write_document
    from support_kpis.processes import run_child

    database = _database(args).resolve()
    if not database.is_file():
        print(f"support-kpis lineage: no warehouse at {database}; run make build", file=sys.stderr)
        return 2
    project_dir = args.project_dir.resolve()
    env = dict(os.environ, DBT_DUCKDB_PATH=str(database), DBT_SEND_ANONYMOUS_USAGE_STATS="False")
    compiled = run_child(
        [str(Path(sys.executable).with_name("dbt")), "compile", "--quiet"],
        cwd=project_dir,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if compiled.returncode != 0:
        print(f"support-kpis lineage: dbt compile failed:\n{compiled.stdout}", file=sys.stderr)
        return 1
    kpis = trace_kpis(project_dir / "target", database, kpi_names(project_dir))
    path = write_document(kpis, args.outfile)
    unreached = [kpi.kpi for kpi in kpis if not kpi.raw_columns]
    print(f"wrote {path}: {len(kpis)} KPIs, {len(unreached)} without a raw column")
    return 1 if unreached else 0


def _kpi_index(args: argparse.Namespace) -> int:
    from support_kpis.kpi_index import render_index

    manifest = args.manifest or args.project_dir / "target" / "semantic_manifest.json"
    if not manifest.is_file():
        print(f"support-kpis kpi-index: no {manifest}; run dbt parse first", file=sys.stderr)
        return 2
    out: Path = args.outfile
    text = render_index(manifest, args.project_dir, out.parent)
    return _write_generated_file(out, text, args.check, f"support-kpis kpi-index {out}")


def _build(args: argparse.Namespace) -> int:
    """`dbt build` on the published file: the project's dbt-duckdb plugin builds a work
    copy, gates, publishes bi.* and swaps it in (support_kpis.safe_build)."""
    from support_kpis.processes import run_child

    published = _database(args).resolve()
    env = dict(os.environ, DBT_DUCKDB_PATH=str(published), DBT_SEND_ANONYMOUS_USAGE_STATS="False")
    env.pop("SUPPORT_KPIS_SAFE_BUILD", None)
    dbt = Path(sys.executable).with_name("dbt")
    result = run_child([str(dbt), "build", *args.dbt_args], cwd=args.project_dir, env=env)
    return 0 if result.returncode == 0 else 1


def _validate(args: argparse.Namespace) -> int:
    from support_kpis.quality import validate_warehouse

    database = _database(args).resolve()
    if not database.is_file():
        print(f"support-kpis validate: no warehouse at {database}; run make build", file=sys.stderr)
        return 2
    summary = validate_warehouse(database, args.output_dir.resolve())
    print(f"{summary.evaluated} expectations evaluated; Data Docs: {summary.docs_index}")
    for flag in summary.flags:
        print(f"flagged for review: {flag}")
    if summary.success:
        print("all expectations met")
        return 0
    print(f"{len(summary.failures)} expectation(s) failed:", file=sys.stderr)
    for failure in summary.failures:
        print(f"  - {failure}", file=sys.stderr)
    return 1


def _database(args: argparse.Namespace) -> Path:
    return Path(args.database or os.environ.get("DBT_DUCKDB_PATH", "warehouse/support_kpis.duckdb"))


def _report(args: argparse.Namespace) -> int:
    from datetime import date

    from support_kpis.publish import PublishError
    from support_kpis.report import write_reports

    try:
        month = date.fromisoformat(f"{args.month}-01")
    except ValueError:
        print(f"support-kpis report: --month must be YYYY-MM, got {args.month!r}", file=sys.stderr)
        return 2
    database = _database(args)
    if not database.is_file():
        print(f"support-kpis report: no warehouse at {database}; run make build", file=sys.stderr)
        return 2
    try:
        paths = write_reports(args.project_dir.resolve(), database.resolve(), month, args.outdir)
    except (PublishError, ValueError) as error:
        print(f"support-kpis report: {error}", file=sys.stderr)
        return 1
    print(f"wrote {len(paths)} pages to {args.outdir} (open {args.outdir / 'index.html'})")
    return 0


def _publish(args: argparse.Namespace) -> int:
    """Refresh bi.* and the BI copy through a work copy swapped in (readers stay connected)."""
    from support_kpis.safe_build import BuildError, publish_safely

    database = _database(args)
    if not database.is_file():
        print(
            f"support-kpis publish: no warehouse at {database}; run dbt build first",
            file=sys.stderr,
        )
        return 2
    try:
        lines = publish_safely(args.project_dir.resolve(), database.resolve())
    except BuildError as error:
        print(f"support-kpis publish: {error}", file=sys.stderr)
        return 1
    print("\n".join(lines))
    return 0


def _generate(args: argparse.Namespace) -> int:
    from support_kpis.generator import generate

    outdir: Path = args.outdir
    if args.loads is not None and (args.loads < 2 or args.invalid_rate or args.shape != "contract"):
        print(
            "support-kpis generate: --loads needs K >= 2 and writes valid rows only in the "
            "contract shape (no --invalid-rate, no --shape zendesk-fivetran)",
            file=sys.stderr,
        )
        return 2
    if outdir.exists() and not outdir.is_dir():
        print(f"support-kpis generate: {outdir} exists and is not a folder", file=sys.stderr)
        return 2
    if outdir.is_dir() and any(outdir.iterdir()) and not args.overwrite:
        print(
            f"support-kpis generate: {outdir} is not empty; pass --overwrite to write into it",
            file=sys.stderr,
        )
        return 2
    outdir.mkdir(parents=True, exist_ok=True)
    if args.shape == "zendesk-fivetran":
        return _generate_zendesk(args, outdir)
    progress = ProgressPrinter(sys.stderr, label="tickets")
    manifest = generate(
        outdir,
        tickets=args.tickets,
        seed=args.seed,
        invalid_rate=args.invalid_rate,
        fmt=args.format,
        progress=progress,
        omit_invalid=args.omit_invalid,
        loads=args.loads,
    )
    progress.finish()
    for table, counts in manifest.tables.items():
        superseded = f"  superseded {counts.superseded:>7,}" if manifest.loads else ""
        print(
            f"{table:<17} delivered {counts.delivered:>10,}  staged {counts.staged:>10,}  "
            f"quarantined {counts.quarantined_total:>8,}  collapsed {counts.collapsed:>7,}"
            f"{superseded}"
        )
    if manifest.loads:
        names = manifest.loads.names
        print(f"{len(names)} loads: {names[0]} (history) to {names[-1]}")
    print(f"wrote {outdir}")
    return 0


def _generate_zendesk(args: argparse.Namespace, outdir: Path) -> int:
    import tempfile

    from support_kpis.generator import generate
    from support_kpis.generator.zendesk_shape import write_zendesk_landing

    if args.format != "csv" or args.invalid_rate:
        print(
            "support-kpis generate: --shape zendesk-fivetran writes CSV of valid rows only "
            "(no --format parquet, no --invalid-rate)",
            file=sys.stderr,
        )
        return 2
    if not (args.seeds / "business_hours.csv").is_file():
        print(
            f"support-kpis generate: no business_hours.csv in {args.seeds} (--seeds)",
            file=sys.stderr,
        )
        return 2
    with tempfile.TemporaryDirectory() as work:
        progress = ProgressPrinter(sys.stderr, label="tickets")
        generate(
            Path(work), tickets=args.tickets, seed=args.seed, progress=progress, omit_invalid=True
        )
        progress.finish()
        write_zendesk_landing(Path(work), outdir, args.seeds)
    print(f"wrote {outdir} (landed Zendesk tables) and {outdir / '_contract'} (the same rows)")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "bi":
        return int(args.handler(args))
    if args.command == "generate":
        return _generate(args)
    if args.command == "publish":
        return _publish(args)
    if args.command == "report":
        return _report(args)
    if args.command == "lineage":
        return _lineage(args)
    if args.command == "kpi-index":
        return _kpi_index(args)
    if args.command == "osi":
        return _osi(args)
    if args.command == "build":
        return _build(args)
    if args.command == "validate":
        return _validate(args)
    raise AssertionError(f"unhandled command {args.command}")


if __name__ == "__main__":
    sys.exit(main())
