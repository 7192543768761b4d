"""The project's full build against the plain pandas baseline (a benchmark, not a test).

For each size (tickets) it generates a delivery (`support-kpis generate`, with
invalid rows as in the bundled sample), then, on the same files:

- the pandas baseline (bench/pandas_baseline.py: read, validate, all KPIs by
  month, one CSV), in a child process: wall time, CPU time, peak RSS;
- the project's full build (`dbt build`: models, data tests and unit tests,
  on a fresh DuckDB warehouse under the work folder, as bench/scale.py runs
  it, so through the safe-build plugin, which then gates the delivery,
  publishes bi.* and a BI copy and swaps the file in): wall time, CPU time,
  peak RSS, and the wall time split into dbt's start-up and parse, its run
  and the publication after it;

and prints both side by side with their ratios (the whole build, and the
build without the publication, which the baseline does not do). Then (not
timed) it queries every KPI by month with `mf query` on the built warehouse
and compares them with the baseline's CSV, so that a fast baseline is also a
right one. The results are written as JSON to the work folder. See
docs/benchmarks.md.

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
from datetime import datetime
from pathlib import Path

from scale import (
    BIN,
    Breakdown,
    add_run_options,
    breakdown,
    dbt_env,
    drop_deliveries,
    drop_warehouses,
    fmt,
    label,
    log,
    machine,
    run_dbt,
    run_timed,
    shadow_project,
    sizes_and_root,
    write_results,
)

BASELINE = Path(__file__).resolve().with_name("pandas_baseline.py")
SEED = 20250101
TOLERANCE = 1e-9
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
class SizeResult:
    """Everything measured for one size."""

    tickets: int
    invalid_rate: float
    delivered_rows: int = 0
    generate_s: float = math.nan
    baseline_s: float = math.nan
    baseline_cpu_s: float = math.nan
    baseline_peak_mb: float = math.nan
    baseline_validate_s: float = math.nan
    baseline_kpis_s: float = math.nan
    build_s: float = math.nan
    build_cpu_s: float = math.nan
    build_peak_mb: float = math.nan
    build_breakdown: Breakdown | None = None
    # The build's wall time split: dbt start-up and parse, dbt's run (models, tests), and what
    # the process does after it (the safe-build plugin's gate, bi.* publication, BI copy, swap).
    build_startup_s: float = math.nan
    build_executing_s: float = math.nan
    build_publication_s: float = math.nan
    load_average: list[float] = field(default_factory=list)
    checked_values: int = 0
    equal_values: int = 0
    differing: dict[str, list[str]] = field(default_factory=dict)
    max_relative_difference: float = 0.0
    check_s: float = math.nan

    @property
    def ratio(self) -> float:
        return self.build_s / self.baseline_s

    @property
    def cpu_ratio(self) -> float:
        return self.build_cpu_s / self.baseline_cpu_s

    @property
    def unpublished_ratio(self) -> float:
        return (self.build_s - self.build_publication_s) / self.baseline_s


def generate(size: int, invalid_rate: float, raw: Path, work: Path) -> float:
    """Generate the delivery and return the time it took; a delivery of the same size, seed and
    invalid rate already in `raw` is reused (and the time of its generation)."""
    timing = work / "generate_seconds.txt"
    if (raw / "_manifest.json").exists():
        manifest = json.loads((raw / "_manifest.json").read_text())["generator"]
        if (manifest["tickets"], manifest["seed"], manifest["invalid_rate"]) == (
            size,
            SEED,
            invalid_rate,
        ):
            log(f"reusing the delivery in {raw}")
            return float(timing.read_text()) if timing.exists() else math.nan
    args = [
        str(BIN / "support-kpis"),
        "generate",
        str(raw),
        "--tickets",
        str(size),
        "--seed",
        str(SEED),
        "--invalid-rate",
        str(invalid_rate),
        "--overwrite",
    ]
    result = run_timed(args, work / "generate.log")
    if result.returncode != 0:
        raise RuntimeError(f"generate failed, log {result.log}")
    timing.write_text(f"{result.seconds:.3f}")
    return result.seconds


def delivered_rows(raw: Path) -> int:
    manifest = json.loads((raw / "_manifest.json").read_text())
    return sum(int(table["delivered"]) for table in manifest["tables"].values())


def run_baseline(raw: Path, work: Path, as_of: str, result: SizeResult) -> Path:
    out = work / "baseline.csv"
    args = [sys.executable, str(BASELINE), str(raw), "--out", str(out), "--as-of", as_of]
    run = run_timed(args, work / "baseline.log")
    if run.returncode != 0:
        raise RuntimeError(
            f"the baseline failed, log {run.log}:\n{Path(run.log).read_text()[-3000:]}"
        )
    result.baseline_s, result.baseline_cpu_s, result.baseline_peak_mb = (
        run.seconds,
        run.cpu_s,
        run.peak_mb,
    )
    text = Path(run.log).read_text()
    validated = re.search(r"read and validated in ([0-9.]+) s", text)
    total = re.search(r"written to .* in ([0-9.]+) s", text)
    if validated and total:
        result.baseline_validate_s = float(validated.group(1))
        result.baseline_kpis_s = float(total.group(1)) - result.baseline_validate_s
    return out


def mf_values(work: Path, database: Path) -> dict[tuple[str, str], float]:
    """Every KPI by month from `mf query` on the build's warehouse (run from a shadow project
    whose target/ is the build's, so mf reads its semantic manifest)."""
    shadow = shadow_project(work)
    env = dbt_env(database)
    env["DBT_PROJECT_DIR"] = str(shadow)
    env["DBT_PROFILES_DIR"] = str(shadow)
    values: dict[tuple[str, str], float] = {}
    for group, metrics in KPI_GROUPS.items():
        out = work / f"mf_{group}.csv"
        args = [
            str(BIN / "mf"),
            "query",
            "--metrics",
            ",".join(metrics),
            "--group-by",
            "metric_time__month",
            "--csv",
            str(out),
        ]
        run = run_timed(args, work / f"mf_{group}.log", env, cwd=shadow)
        if run.returncode != 0 or not out.exists():
            raise RuntimeError(f"mf query failed, log {run.log}")
        with out.open(newline="") as handle:
            for record in csv.DictReader(handle):
                month = record["metric_time__month"][:7]
                for name in metrics:
                    if record[name] not in ("", None):
                        values[(name, month)] = float(record[name])
    return values


def compare(baseline_csv: Path, semantic: dict[tuple[str, str], float], result: SizeResult) -> None:
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


def bench_size(
    size: int, root: Path, invalid_rate: float, threads: int | None, check: bool
) -> SizeResult:
    result = SizeResult(tickets=size, invalid_rate=invalid_rate)
    result.load_average.append(os.getloadavg()[0])
    work = root / f"t{size}"
    raw = work / "raw"
    work.mkdir(parents=True, exist_ok=True)

    log(f"{size:,} tickets: generating into {raw} (invalid rate {invalid_rate})")
    result.generate_s = generate(size, invalid_rate, raw, work)
    result.delivered_rows = delivered_rows(raw)
    log(f"generated in {result.generate_s:.1f} s: {result.delivered_rows:,} rows")

    as_of = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime())
    log("pandas baseline")
    baseline_csv = run_baseline(raw, work, as_of, result)
    log(f"baseline {result.baseline_s:.1f} s, peak {result.baseline_peak_mb:,.0f} MB")

    for database in work.glob("*.duckdb*"):
        database.unlink()
    log("full build (fresh warehouse)")
    database = work / "full.duckdb"
    started = time.time()
    build = run_dbt(["build"], work / "full", database, raw, "full_build", threads)
    ended = time.time()
    run_results = json.loads((work / "full" / "target" / "run_results.json").read_text())
    run_ended = datetime.fromisoformat(run_results["metadata"]["generated_at"]).timestamp()
    result.build_executing_s = float(run_results["elapsed_time"])
    result.build_startup_s = run_ended - result.build_executing_s - started
    result.build_publication_s = ended - run_ended
    result.build_s, result.build_cpu_s, result.build_peak_mb = (
        build.seconds,
        build.cpu_s,
        build.peak_mb,
    )
    result.build_breakdown = breakdown(work / "full" / "target", build.seconds)
    # bench/scale.py's breakdown counts all but dbt's run as start-up; keep them apart here.
    result.build_breakdown.startup_parse_s = result.build_startup_s
    log(f"full build {build.seconds:.1f} s, peak {build.peak_mb:,.0f} MB")
    result.load_average.append(os.getloadavg()[0])

    if check:
        log("checking every KPI by month: mf query on the warehouse vs the baseline's CSV")
        start = time.perf_counter()
        compare(baseline_csv, mf_values(work / "full", database), result)
        result.check_s = time.perf_counter() - start
    return result


def report(results: list[SizeResult]) -> None:
    rows: list[tuple[str, list[str]]] = [
        ("rows delivered (10 tables)", [f"{r.delivered_rows:,}" for r in results]),
        ("invalid rate", [f"{r.invalid_rate:g}" for r in results]),
        ("generate s (not in any ratio)", [fmt(r.generate_s) for r in results]),
        ("pandas baseline s", [fmt(r.baseline_s) for r in results]),
        ("  read + validate s", [fmt(r.baseline_validate_s) for r in results]),
        ("  KPIs + CSV s", [fmt(r.baseline_kpis_s) for r in results]),
        ("pandas baseline cpu s", [fmt(r.baseline_cpu_s) for r in results]),
        ("pandas baseline peak MB", [fmt(r.baseline_peak_mb, 0) for r in results]),
        ("full build s (dbt build)", [fmt(r.build_s) for r in results]),
        ("full build cpu s", [fmt(r.build_cpu_s) for r in results]),
        ("  dbt start-up + parse s", [fmt(r.build_startup_s) for r in results]),
        ("  dbt run s (models, tests)", [fmt(r.build_executing_s) for r in results]),
        ("  publication s (gate, bi.*, copy)", [fmt(r.build_publication_s) for r in results]),
        ("full build peak MB", [fmt(r.build_peak_mb, 0) for r in results]),
        ("full build / baseline (wall)", [fmt(r.ratio, 2) for r in results]),
        ("full build / baseline (cpu)", [fmt(r.cpu_ratio, 2) for r in results]),
        ("  without the publication (wall)", [fmt(r.unpublished_ratio, 2) for r in results]),
        (
            "load average (1 min) before, after",
            ["/".join(f"{v:.1f}" for v in r.load_average) for r in results],
        ),
    ]
    width = max(len(name) for name, _ in rows) + 2
    info = machine()
    print(
        f"\nmachine: {info['cpus']} cpus, {info['memory_gb']} GB, duckdb {info['duckdb']}, "
        f"dbt memory_limit {info['duckdb_memory_limit']}; wall times on a shared machine are "
        "noisy: compare cpu s and the load averages"
    )
    print()
    print(f"{'tickets':<{width}}" + "".join(f"{label(r.tickets):>14}" for r in results))
    for name, values in rows:
        print(f"{name:<{width}}" + "".join(f"{v:>14}" for v in values))

    print("\nwhere dbt's run goes (s; node times summed over the threads)")
    for r in results:
        parts = r.build_breakdown
        if parts is None:
            continue
        spent = ", ".join(f"{kind} {value:.1f}" for kind, value in sorted(parts.node_s.items()))
        slowest = ", ".join(f"{name} {value}" for name, value in parts.slowest)
        print(f"  {label(r.tickets)}: {spent}; slowest: {slowest}")

    print("\nKPI values: baseline CSV vs mf query on the built warehouse (every KPI by month)")
    for r in results:
        if not r.checked_values:
            print(f"  {label(r.tickets)}: not checked (--no-check)")
            continue
        verdict = "agree" if not r.differing else "DIFFER <<<<<<<<<<<<<<<<"
        print(
            f"  {label(r.tickets)}: {verdict}: {r.equal_values:,} of {r.checked_values:,} "
            f"(KPI, month) values equal within {TOLERANCE:g} (largest relative difference "
            f"{r.max_relative_difference:.1e}; mf queries {r.check_s:.0f} s, not timed)"
        )
        for name, examples in sorted(r.differing.items()):
            print(f"    {name}: {len(examples)} months, e.g. {'; '.join(examples[:3])}")


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
