"""The project's full build against the plain pandas baseline (a benchmark, not a test).

For each size (tickets) it generates a delivery (`support-kpis generate`, with
invalid rows as in the bundled sample), then, on the same files:

- the pandas baseline (bench/pandas_baseline.py: read, validate, all KPIs by
  month, one CSV), in a child process: wall time, CPU time, peak RSS;
- the project's full build (`dbt build`: models, data tests and unit tests,
  on a fresh DuckDB warehouse under the work folder, through the safe path a
  user's build takes, which then gates the delivery, publishes bi.* and a BI
  copy and swaps the file in): wall time, CPU time, peak RSS, and the wall
  time split into dbt's start-up and parse, its run and the publication after it;

and prints both side by side with their ratios (the whole build, and the
build without the publication, which the baseline does not do). Then (not
timed) it queries every KPI by month with `mf query` on the built warehouse
and compares them with the baseline's CSV, so that a fast baseline is also a
right one. The results are written as JSON to the work folder.
bench/scale.py runs the same baseline and check at each of its sizes (with the
functions of this module). See docs/benchmarks.md.

    .venv/bin/python bench/baseline_vs_build.py [--sizes 200000,1000000] [--workdir DIR]
        [--keep] [--threads N] [--invalid-rate 0.02] [--no-check]
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import re
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from benchlib import (
    Breakdown,
    add_run_options,
    breakdown,
    drop_deliveries,
    drop_warehouses,
    fmt,
    generate,
    goal_line,
    label,
    load_averages,
    log,
    meets,
    print_breakdowns,
    print_machine,
    print_table,
    run_dbt,
    run_mf,
    run_timed,
    sizes_and_root,
    warehouses,
    write_results,
)

BASELINE = Path(__file__).resolve().with_name("pandas_baseline.py")
TOLERANCE = 1e-9
# The goals of the full build (tests included) against the baseline, wall time
# (docs/benchmarks.md): (size the goal is set for, limit, as printed, strict <).
PANDAS_GOALS: tuple[tuple[int, float, str, bool], ...] = (
    (200_000, 1.0, "< 1", True),
    (1_000_000, 1 / 3, "<= 1/3", False),
)
# Every KPI of the semantic layer, in mf queries of metrics that share their time anchors.
KPI_GROUPS: dict[str, list[str]] = {
    "tickets_created_at": [
        "tickets_created",
        "open_backlog",
        "first_reply_minutes",
        "first_reply_business_minutes",
        "replied_within_12h_rate",
        "first_reply_sla_rate",
        "resolution_rate",
        "escalation_rate",
        "collision_rate",
        "live_channel_share",
    ],
    "tickets_solved_at": [
        "tickets_solved",
        "resolution_minutes",
        "resolution_business_minutes",
        "first_resolution_minutes",
        "resolution_sla_rate",
        "first_contact_resolution_rate",
        "replies_per_resolution",
        "reopen_rate",
    ],
    "messages": ["reply_wait_minutes", "messages_received", "reply_rate", "tickets_per_agent"],
    "cross_model": ["escalations_per_1000_customers", "solved_per_shift_hour"],
    "calls": [
        "calls_offered",
        "calls_answered",
        "abandonment_rate",
        "average_speed_of_answer_seconds",
        "service_level_rate",
        "average_wait_seconds",
        "average_handle_seconds",
        "average_talk_seconds",
        "call_resolution_rate",
        "call_first_contact_resolution_rate",
        "transfer_rate",
    ],
    "contact_centre": [
        "short_abandons",
        "abandonment_rate_excl_short",
        "service_level_rate_excl_short",
        "average_abandon_seconds",
        "longest_wait_seconds",
        "average_hold_seconds",
        "hold_rate",
        "average_after_call_work_seconds",
        "repeat_call_rate",
        "understaffed_interval_rate",
        "staffing_gap_agents",
    ],
    "customers": [
        "post_contact_conversion_rate",
        "post_contact_revenue",
        "customer_retention_rate",
    ],
    "workforce": [
        "occupancy_rate",
        "utilization_rate",
        "login_adherence_rate",
        "shrinkage_rate",
        "agent_turnover_rate",
        "active_agents",
    ],
    "surveys": [
        "csat_rate",
        "csat_average",
        "nps",
        "ces_average",
        "low_effort_rate",
        "survey_response_rate",
        "csat_rate_change",
    ],
}


@dataclass
class Baseline:
    """One timed run of the pandas baseline."""

    seconds: float = math.nan
    cpu_s: float = math.nan
    peak_mb: float = math.nan
    # Its own split (from its log): reading + validating the delivery, then the KPIs + CSV.
    validate_s: float = math.nan
    kpis_s: float = math.nan
    csv: str = ""


@dataclass
class KpiCheck:
    """Every KPI by month: the baseline's CSV against `mf query` on a built warehouse."""

    checked_values: int = 0
    equal_values: int = 0
    differing: dict[str, list[str]] = field(default_factory=dict)
    max_relative_difference: float = 0.0
    check_s: float = math.nan

    @property
    def agrees(self) -> bool:
        return self.checked_values > 0 and not self.differing


def run_baseline(raw: Path, work: Path, as_of: str) -> Baseline:
    """bench/pandas_baseline.py on the delivery `raw`, timed in a child process; its CSV
    goes to work/baseline.csv."""
    out = work / "baseline.csv"
    args = [sys.executable, str(BASELINE), str(raw), "--out", str(out), "--as-of", as_of]
    run = run_timed(args, work / "baseline.log")
    if run.returncode != 0:
        raise RuntimeError(
            f"the baseline failed, log {run.log}:\n{Path(run.log).read_text()[-3000:]}"
        )
    result = Baseline(seconds=run.seconds, cpu_s=run.cpu_s, peak_mb=run.peak_mb, csv=str(out))
    text = Path(run.log).read_text()
    validated = re.search(r"read and validated in ([0-9.]+) s", text)
    total = re.search(r"written to .* in ([0-9.]+) s", text)
    if validated and total:
        result.validate_s = float(validated.group(1))
        result.kpis_s = float(total.group(1)) - result.validate_s
    return result


def mf_values(work: Path, database: Path) -> dict[tuple[str, str], float]:
    """Every KPI by month from `mf query` on the build's warehouse (run from the shadow
    project of the build's work folder, so mf reads its semantic manifest)."""
    values: dict[tuple[str, str], float] = {}
    for group, metrics in KPI_GROUPS.items():
        out = work / f"mf_{group}.csv"
        run_mf(work, database, metrics, out, f"mf_{group}")
        with out.open(newline="") as handle:
            for record in csv.DictReader(handle):
                month = record["metric_time__month"][:7]
                for name in metrics:
                    if record[name] not in ("", None):
                        values[(name, month)] = float(record[name])
    return values


def compare(baseline_csv: Path, semantic: dict[tuple[str, str], float]) -> KpiCheck:
    result = KpiCheck()
    baseline: dict[tuple[str, str], float] = {}
    with baseline_csv.open(newline="") as handle:
        for record in csv.DictReader(handle):
            baseline[(record["kpi_name"], record["month"])] = float(record["value"])
    for key in sorted(set(baseline) | set(semantic)):
        left, right = baseline.get(key), semantic.get(key)
        result.checked_values += 1
        if left is None or right is None:
            result.differing.setdefault(key[0], []).append(f"{key[1]} baseline {left} mf {right}")
            continue
        scale = max(abs(left), abs(right))
        relative = 0.0 if scale == 0 else abs(left - right) / scale
        result.max_relative_difference = max(result.max_relative_difference, relative)
        if relative <= TOLERANCE:
            result.equal_values += 1
        else:
            result.differing.setdefault(key[0], []).append(
                f"{key[1]} baseline {left:.6g} mf {right:.6g}"
            )
    return result


def check_kpis(baseline: Baseline, work: Path, database: Path) -> KpiCheck:
    """Compare every KPI by month of the warehouse with the baseline's CSV (not timed in
    any ratio; its own time is kept)."""
    log("checking every KPI by month: mf query on the warehouse vs the baseline's CSV")
    start = time.perf_counter()
    result = compare(Path(baseline.csv), mf_values(work, database))
    result.check_s = time.perf_counter() - start
    return result


def kpi_check_line(size: int, check: KpiCheck | None) -> list[str]:
    """The report's lines for one size's KPI check."""
    if check is None or not check.checked_values:
        return [f"  {label(size)}: not checked (--no-check)"]
    verdict = "agree" if check.agrees else "DIFFER <<<<<<<<<<<<<<<<"
    lines = [
        f"  {label(size)}: {verdict}: {check.equal_values:,} of {check.checked_values:,} "
        f"(KPI, month) values equal within {TOLERANCE:g} (largest relative difference "
        f"{check.max_relative_difference:.1e}; mf queries {check.check_s:.0f} s, not timed)"
    ]
    for name, examples in sorted(check.differing.items()):
        lines.append(f"    {name}: {len(examples)} months, e.g. {'; '.join(examples[:3])}")
    return lines


def pandas_goal(size: int) -> tuple[int, float, str, bool]:
    """The baseline goal a size is judged against: the one set for the largest goal size
    not above it (the smallest goal below every goal size)."""
    below = [goal for goal in PANDAS_GOALS if goal[0] <= size]
    return below[-1] if below else PANDAS_GOALS[0]


def pandas_goal_line(size: int, ratio: float) -> str:
    """`full build / pandas baseline` of one size against its goal."""
    goal_size, limit, text, strict = pandas_goal(size)
    note = "" if goal_size == size else f"the goal is set for {label(goal_size)}"
    return goal_line(
        f"{label(size)}: full build / pandas baseline",
        fmt(ratio, 2),
        text,
        meets(ratio, limit, strict),
        note,
    )


def delivered_rows(raw: Path) -> int:
    manifest = json.loads((raw / "_manifest.json").read_text())
    return sum(int(table["delivered"]) for table in manifest["tables"].values())


@dataclass
class SizeResult:
    """Everything measured for one size."""

    tickets: int
    invalid_rate: float
    delivered_rows: int = 0
    generate_s: float = math.nan
    baseline: Baseline = field(default_factory=Baseline)
    build_s: float = math.nan
    build_cpu_s: float = math.nan
    build_peak_mb: float = math.nan
    # The build's wall time split: dbt start-up and parse, dbt's run (models, tests), and what
    # the process does after it (the safe path's gate, bi.* publication, BI copy, swap).
    build_breakdown: Breakdown | None = None
    load_average: list[float] = field(default_factory=list)
    check: KpiCheck | None = None

    @property
    def ratio(self) -> float:
        return self.build_s / self.baseline.seconds

    @property
    def cpu_ratio(self) -> float:
        return self.build_cpu_s / self.baseline.cpu_s

    @property
    def unpublished_ratio(self) -> float:
        publication = self.build_breakdown.publication_s if self.build_breakdown else math.nan
        return (self.build_s - publication) / self.baseline.seconds


def bench_size(
    size: int, root: Path, invalid_rate: float, threads: int | None, check: bool
) -> SizeResult:
    result = SizeResult(tickets=size, invalid_rate=invalid_rate)
    result.load_average.append(os.getloadavg()[0])
    work = root / f"t{size}"
    raw = work / "raw"
    work.mkdir(parents=True, exist_ok=True)

    log(f"{size:,} tickets: generating into {raw} (invalid rate {invalid_rate})")
    result.generate_s = generate(size, raw, work, invalid_rate)
    result.delivered_rows = delivered_rows(raw)
    log(f"generated in {result.generate_s:.1f} s: {result.delivered_rows:,} rows")

    as_of = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime())
    log("pandas baseline")
    result.baseline = run_baseline(raw, work, as_of)
    log(f"baseline {result.baseline.seconds:.1f} s, peak {result.baseline.peak_mb:,.0f} MB")

    drop_warehouses(root, size)
    log("full build (fresh warehouse, safe path)")
    database = warehouses(root, size) / "full.duckdb"
    build = run_dbt(
        ["build"], work / "full", database, {"raw_path": str(raw)}, "full_build", threads
    )
    result.build_s, result.build_cpu_s, result.build_peak_mb = (
        build.seconds,
        build.cpu_s,
        build.peak_mb,
    )
    result.build_breakdown = breakdown(work / "full" / "target", build)
    log(f"full build {build.seconds:.1f} s, peak {build.peak_mb:,.0f} MB")
    result.load_average.append(os.getloadavg()[0])

    if check:
        result.check = check_kpis(result.baseline, work / "full", database)
    return result


def report(results: list[SizeResult]) -> None:
    def split(attribute: str) -> list[str]:
        return [
            fmt(getattr(r.build_breakdown, attribute) if r.build_breakdown else math.nan)
            for r in results
        ]

    rows: list[tuple[str, list[str]]] = [
        ("rows delivered (10 tables)", [f"{r.delivered_rows:,}" for r in results]),
        ("invalid rate", [f"{r.invalid_rate:g}" for r in results]),
        ("generate s (not in any ratio)", [fmt(r.generate_s) for r in results]),
        ("pandas baseline s", [fmt(r.baseline.seconds) for r in results]),
        ("  read + validate s", [fmt(r.baseline.validate_s) for r in results]),
        ("  KPIs + CSV s", [fmt(r.baseline.kpis_s) for r in results]),
        ("pandas baseline cpu s", [fmt(r.baseline.cpu_s) for r in results]),
        ("pandas baseline peak MB", [fmt(r.baseline.peak_mb, 0) for r in results]),
        ("full build s (dbt build)", [fmt(r.build_s) for r in results]),
        ("full build cpu s", [fmt(r.build_cpu_s) for r in results]),
        ("  dbt start-up + parse s", split("startup_parse_s")),
        ("  dbt run s (models, tests)", split("executing_s")),
        ("  publication s (gate, bi.*, copy)", split("publication_s")),
        ("full build peak MB", [fmt(r.build_peak_mb, 0) for r in results]),
        ("full build / baseline (wall)", [fmt(r.ratio, 2) for r in results]),
        ("full build / baseline (cpu)", [fmt(r.cpu_ratio, 2) for r in results]),
        ("  without the publication (wall)", [fmt(r.unpublished_ratio, 2) for r in results]),
        ("load average (1 min) before, after", [load_averages(r.load_average) for r in results]),
    ]
    print_machine()
    print_table([r.tickets for r in results], rows)
    print_breakdowns(
        [
            (f"{label(r.tickets)} full build", r.build_breakdown)
            for r in results
            if r.build_breakdown is not None
        ]
    )
    print("\nKPI values: baseline CSV vs mf query on the built warehouse (every KPI by month)")
    for r in results:
        print("\n".join(kpi_check_line(r.tickets, r.check)))
    print("\ngoals (wall time)")
    for r in results:
        print(pandas_goal_line(r.tickets, r.ratio))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_run_options(
        parser,
        "200000",
        "comma-separated ticket counts (default 200000)",
        Path("/tmp/support_kpis_baseline"),
    )
    parser.add_argument(
        "--invalid-rate",
        type=float,
        default=0.02,
        help="share of generated rows given a contract fault (default 0.02, as the sample)",
    )
    parser.add_argument(
        "--no-check", action="store_true", help="skip the mf query comparison of the KPI values"
    )
    args = parser.parse_args(argv)
    sizes, root = sizes_and_root(args, parser)
    results: list[SizeResult] = []
    try:
        for size in sizes:
            results.append(
                bench_size(size, root, args.invalid_rate, args.threads, not args.no_check)
            )
            if not args.keep:
                drop_warehouses(root, size)
    finally:
        if results:
            report(results)
            entries = [
                {
                    **asdict(r),
                    "ratio": r.ratio,
                    "cpu_ratio": r.cpu_ratio,
                    "unpublished_ratio": r.unpublished_ratio,
                }
                for r in results
            ]
            write_results(root, "baseline_vs_build.json", args.threads, entries)
        if not args.keep:
            drop_deliveries(root, sizes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
