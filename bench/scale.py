"""Scale benchmark of the support_kpis project (a benchmark, not a test).

For each size (tickets) it generates a delivery, then measures in one run:

- the full `dbt build` (whole project) on a fresh warehouse: wall time, peak RSS;
- the incremental `dbt build` after one day of new data, on a warehouse built
  from the delivery without its last day;
- the headline path: `dbt build --select` of the ancestors of the headline
  ticket KPIs plus the `mf query` that reads them;
- the floor: one hand-written DuckDB query (bench/floor.sql) computing the same
  KPIs straight from the raw CSV files;

and prints the figures side by side, their ratios, the growth between the
smallest and the largest size, and the goals of the benchmark. The results are
also written as JSON to the work folder. See docs/benchmarks.md.

    .venv/bin/python bench/scale.py [--sizes 100000,1000000] [--workdir DIR] [--keep]
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import platform
import shutil
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb

PROJECT_DIR = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
FLOOR_SQL = Path(__file__).resolve().with_name("floor.sql")
SEED = 20250101
HEADLINE_METRICS = ("tickets_created", "first_reply_minutes", "resolution_minutes", "reply_rate")
HEADLINE_SELECT = [f"+metric:{name}" for name in HEADLINE_METRICS]
# Only the tests whose every parent is selected (a relationships test from a
# selected model to an unselected one would read a table this build never made).
HEADLINE_BUILD = ["build", "--select", *HEADLINE_SELECT, "--indirect-selection", "cautious"]
# Entries of the project a shadow project folder links to (mf reads
# <project>/target/semantic_manifest.json, and the real target/ is not ours).
PROJECT_ENTRIES = (
    "dbt_project.yml",
    "profiles.yml",
    "models",
    "macros",
    "seeds",
    "tests",
    "analyses",
)
# The timestamp that dates a row of each raw table (customers and agents stay whole).
DAY_COLUMNS = {
    "tickets": "created_at",
    "ticket_messages": "sent_at",
    "ticket_events": "event_at",
    "calls": "offered_at",
    "survey_responses": "sent_at",
    "orders": "ordered_at",
    "agent_shifts": "shift_start",
    "agent_states": "started_at",
}
WHOLE_TABLES = ("customers", "agents")
TABLES = (*WHOLE_TABLES, *DAY_COLUMNS)
GOAL_HEADLINE_RATIO = 3.0
GOAL_INCREMENTAL_RATIO = 0.10
GOAL_PEAK_MB = 4096.0
GOAL_GROWTH = 1.0
TOLERANCE = 1e-9


@dataclass
class Run:
    """One timed child process."""

    seconds: float
    cpu_s: float
    peak_mb: float
    returncode: int
    log: str
    # When the child started (seconds since the epoch), to place dbt's own timestamps.
    started_at: float = math.nan


@dataclass
class Breakdown:
    """Where the wall time of one dbt run went (from its run_results.json): dbt's
    start-up and parse, its run (models, tests), and what the process does after the
    run (the safe-build plugin's gate, bi.* publication, BI copy and swap)."""

    wall_s: float
    startup_parse_s: float
    executing_s: float
    node_s: dict[str, float]
    slowest: list[tuple[str, float]]
    publication_s: float = math.nan


@dataclass
class SizeResult:
    """Everything measured for one size."""

    tickets: int
    generate_s: float = math.nan
    before_copy_s: float = math.nan
    last_day: str = ""
    appended_rows: dict[str, int] = field(default_factory=dict)
    delivered_rows: dict[str, int] = field(default_factory=dict)
    full_build_s: float = math.nan
    full_cpu_s: float = math.nan
    full_peak_mb: float = math.nan
    before_build_s: float = math.nan
    before_quarantined_rows: int = -1
    incremental_s: float = math.nan
    incremental_cpu_s: float = math.nan
    incremental_peak_mb: float = math.nan
    incremental_matches_full: bool = False
    incremental_mismatches: list[str] = field(default_factory=list)
    headline_build_s: float = math.nan
    headline_peak_mb: float = math.nan
    mf_query_s: float = math.nan
    headline_path_s: float = math.nan
    headline_path_cpu_s: float = math.nan
    floor_s: float = math.nan
    floor_cpu_s: float = math.nan
    floor_peak_mb: float = math.nan
    load_average: list[float] = field(default_factory=list)
    full_warehouse_mb: float = math.nan
    incremental_warehouse_mb: float = math.nan
    max_relative_difference: dict[str, float] = field(default_factory=dict)
    floor_agrees: bool = False
    # Where the time of each timed dbt run went (from its run_results.json).
    breakdown: dict[str, Breakdown] = field(default_factory=dict)

    @property
    def incremental_ratio(self) -> float:
        return self.incremental_s / self.full_build_s

    @property
    def headline_ratio(self) -> float:
        return self.headline_path_s / self.floor_s

    @property
    def full_ratio(self) -> float:
        return self.full_build_s / self.floor_s


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def run_timed(
    args: list[str], log_path: Path, env: dict[str, str] | None = None, cwd: Path = PROJECT_DIR
) -> Run:
    """Run `args` as a child: wall time, CPU time (user + system) and peak RSS,
    all from os.wait4 of that child."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("w") as out:
        started_at = time.time()
        start = time.perf_counter()
        child = subprocess.Popen(args, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
    # Linux: ru_maxrss in KiB, the largest resident set of the child (or of a
    # descendant it waited for); dbt and DuckDB run in one process.
    return Run(
        seconds=seconds,
        cpu_s=usage.ru_utime + usage.ru_stime,
        peak_mb=usage.ru_maxrss / 1024,
        returncode=os.waitstatus_to_exitcode(status),
        log=str(log_path),
        started_at=started_at,
    )


def dbt_env(database: Path) -> dict[str, str]:
    return dict(
        os.environ,
        DBT_DUCKDB_PATH=str(database),
        DBT_SEND_ANONYMOUS_USAGE_STATS="False",
    )


def run_dbt(
    command: list[str],
    work: Path,
    database: Path,
    raw_path: Path,
    name: str,
    threads: int | None = None,
) -> Run:
    """`dbt <command>` on the project like users run it, writing to `database`;
    target/ and logs/ go to `work`; `threads` overrides the profile's."""
    args = [
        str(BIN / "dbt"),
        *command,
        "--project-dir",
        str(PROJECT_DIR),
        "--profiles-dir",
        str(PROJECT_DIR),
        "--target-path",
        str(work / "target"),
        "--log-path",
        str(work / "logs"),
        "--vars",
        json.dumps({"raw_path": str(raw_path)}),
        *(["--threads", str(threads)] if threads else []),
    ]
    result = run_timed(args, work / f"{name}.log", dbt_env(database))
    if result.returncode != 0:
        tail = Path(result.log).read_text()[-3000:]
        raise RuntimeError(f"dbt {' '.join(command)} failed ({name}), log {result.log}:\n{tail}")
    return result


def breakdown(target: Path, wall_s: float, started_at: float | None = None) -> Breakdown:
    """Wall time of a dbt run split into start-up + parse, dbt's run (its own elapsed
    time) and the publication after it, and node execution summed per kind (2 threads
    overlap). dbt writes run_results.json (its `generated_at`) when its run ends; the
    safe-build plugin publishes after that, in the same process. With `started_at` (the
    child's start, seconds since the epoch) the wall time is split at `generated_at`:
    start-up + parse is what precedes the run, the publication what follows it. Without
    it, everything but the run counts as start-up + parse (the publication is unknown)."""
    run_results = json.loads((target / "run_results.json").read_text())
    executing_s = float(run_results["elapsed_time"])
    startup_parse_s, publication_s = wall_s - executing_s, math.nan
    if started_at is not None and not math.isnan(started_at):
        run_ended = datetime.fromisoformat(run_results["metadata"]["generated_at"]).timestamp()
        startup_parse_s = run_ended - executing_s - started_at
        publication_s = started_at + wall_s - run_ended
    summed: dict[str, float] = {}
    for node in run_results["results"]:
        kind = node["unique_id"].split(".")[0]
        kind = "tests" if kind in ("test", "unit_test") else f"{kind}s"
        summed[kind] = summed.get(kind, 0.0) + float(node["execution_time"])
    slowest = sorted(run_results["results"], key=lambda node: -float(node["execution_time"]))
    return Breakdown(
        wall_s=wall_s,
        startup_parse_s=startup_parse_s,
        executing_s=executing_s,
        node_s=summed,
        slowest=[
            (node["unique_id"].split(".")[-1], round(float(node["execution_time"]), 2))
            for node in slowest[:5]
        ],
        publication_s=publication_s,
    )


def shadow_project(work: Path) -> Path:
    """A folder that looks like the project but whose target/ is work/target, so
    that `mf` reads the semantic manifest of our own build (no extra parse)."""
    shadow = work / "project"
    shadow.mkdir(parents=True, exist_ok=True)
    for entry in PROJECT_ENTRIES:
        if (PROJECT_DIR / entry).exists() and not (shadow / entry).exists():
            (shadow / entry).symlink_to(PROJECT_DIR / entry)
    if not (shadow / "target").exists():
        (shadow / "target").symlink_to(work / "target")
    return shadow


def run_mf(work: Path, database: Path, out_csv: Path) -> Run:
    shadow = shadow_project(work)
    env = dbt_env(database)
    env["DBT_PROJECT_DIR"] = str(shadow)
    env["DBT_PROFILES_DIR"] = str(shadow)
    args = [
        str(BIN / "mf"),
        "query",
        "--metrics",
        ",".join(HEADLINE_METRICS),
        "--group-by",
        "metric_time__month",
        "--csv",
        str(out_csv),
    ]
    result = run_timed(args, work / "mf_query.log", env, cwd=shadow)
    if result.returncode != 0 or not out_csv.exists():
        raise RuntimeError(
            f"mf query failed, log {result.log}:\n{Path(result.log).read_text()[-3000:]}"
        )
    return result


def generate(size: int, raw: Path, work: Path) -> float:
    """Generate the delivery and return the time it took; with --keep, a delivery
    of the same size and seed is reused (and the time of its generation)."""
    timing = work / "generate_seconds.txt"
    if (raw / "_manifest.json").exists():
        manifest = json.loads((raw / "_manifest.json").read_text())["generator"]
        if manifest["tickets"] == size and manifest["seed"] == SEED:
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
        "0",
        "--overwrite",
    ]
    result = run_timed(args, work / "generate.log")
    if result.returncode != 0:
        raise RuntimeError(f"generate failed, log {result.log}")
    timing.write_text(f"{result.seconds:.3f}")
    return result.seconds


def csv_reader(path: Path) -> str:
    quoted = str(path).replace("'", "''")
    return f"read_csv('{quoted}', header = true, all_varchar = true, quote = '\"', escape = '\"')"


def write_before(raw: Path, before: Path, result: SizeResult) -> None:
    """The delivery as it stood before its last day: every row dated on or after
    the last day tickets were created is dropped, and so is every row whose
    ticket or call was dropped. Rows are streamed by DuckDB, text kept as is."""
    before.mkdir(parents=True, exist_ok=True)
    with duckdb.connect() as con:
        tickets = csv_reader(raw / "tickets.csv")
        last_day = con.execute(f"select max(left(created_at, 10)) from {tickets}").fetchall()[0]
        assert last_day is not None and last_day[0] is not None
        day = str(last_day[0])
        result.last_day = day

        def dated(column: str) -> str:
            # ISO-8601 text: its first 10 characters are the UTC date.
            return f"coalesce(left({column}, 10) < '{day}', true)"

        con.sql(
            f"create temp table dropped_tickets as select distinct ticket_id from {tickets} "
            f"where not {dated('created_at')} and ticket_id is not null"
        )
        calls = csv_reader(raw / "calls.csv")
        con.sql(
            f"create temp table dropped_calls as select distinct call_id from {calls} c "
            f"where (not {dated('c.offered_at')} or c.ticket_id in "
            "(select ticket_id from dropped_tickets)) and c.call_id is not null"
        )
        for table in TABLES:
            source = raw / f"{table}.csv"
            target = before / f"{table}.csv"
            delivered = con.execute(f"select count(*) from {csv_reader(source)}").fetchall()[0]
            result.delivered_rows[table] = int(delivered[0]) if delivered else 0
            if table in WHOLE_TABLES:
                shutil.copyfile(source, target)
                result.appended_rows[table] = 0
                continue
            where = [dated("t." + DAY_COLUMNS[table])]
            joins = ""
            if table in ("ticket_messages", "ticket_events", "calls", "survey_responses"):
                joins += " anti join dropped_tickets d on d.ticket_id = t.ticket_id"
            if table == "survey_responses":
                joins += " anti join dropped_calls k on k.call_id = t.call_id"
                where.append(dated("t.responded_at"))
            query = f"select t.* from {csv_reader(source)} t{joins} where {' and '.join(where)}"
            quoted_target = str(target).replace("'", "''")
            con.sql(f"copy ({query}) to '{quoted_target}' (header true, delimiter ',', quote '\"')")
            kept = con.execute(f"select count(*) from {csv_reader(target)}").fetchall()[0]
            result.appended_rows[table] = result.delivered_rows[table] - (
                int(kept[0]) if kept else 0
            )


def link_delivery(source: Path, folder: Path) -> None:
    """Point folder/<table>.csv at source/<table>.csv (a delivery replaced in place)."""
    folder.mkdir(parents=True, exist_ok=True)
    for table in TABLES:
        link = folder / f"{table}.csv"
        if link.is_symlink() or link.exists():
            link.unlink()
        link.symlink_to(source / f"{table}.csv")


def quarantined_rows(database: Path) -> int:
    with duckdb.connect(str(database), read_only=True) as con:
        row = con.execute(
            "select sum(count_quarantined_rows) from quarantine.quarantine_support__summary"
        ).fetchall()[0]
    return int(row[0]) if row and row[0] is not None else 0


def mart_fingerprints(database: Path) -> dict[str, tuple[int, int]]:
    """Rows and an order-free content hash of every marts table."""
    with duckdb.connect(str(database), read_only=True) as con:
        names = [
            row[0]
            for row in con.sql(
                "select table_name from information_schema.tables "
                "where table_schema = 'marts' order by 1"
            ).fetchall()
        ]
        fingerprints: dict[str, tuple[int, int]] = {}
        for name in names:
            row = con.execute(
                f"select count(*), coalesce(sum(hash(t)), 0) from marts.{name} t"
            ).fetchall()[0]
            assert row is not None
            fingerprints[name] = (int(row[0]), int(row[1]))
    return fingerprints


def run_floor_child(raw: Path) -> None:
    """In a fresh process: run bench/floor.sql on a fresh connection, print JSON."""
    sql = FLOOR_SQL.read_text().replace("__RAW__", str(raw).replace("'", "''"))
    start, cpu_start = time.perf_counter(), time.process_time()
    with duckdb.connect() as con:
        con.execute("set TimeZone = 'UTC'")
        rows = con.execute(sql).fetchall()
    seconds, cpu_s = time.perf_counter() - start, time.process_time() - cpu_start
    print(json.dumps({"seconds": seconds, "cpu_s": cpu_s, "rows": rows}))


def run_floor(raw: Path, work: Path) -> tuple[float, float, float, list[list[object]]]:
    out = work / "floor.json"
    with out.open("w") as stdout:
        child = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "--floor-child", str(raw)],
            stdout=stdout,
        )
        _, status, usage = os.wait4(child.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError("the floor query failed")
    answer = json.loads(out.read_text())
    return (
        float(answer["seconds"]),
        float(answer["cpu_s"]),
        usage.ru_maxrss / 1024,
        answer["rows"],
    )


def relative_difference(left: float | None, right: float | None) -> float:
    if left is None and right is None:
        return 0.0
    if left is None or right is None:
        return math.inf
    scale = max(abs(left), abs(right))
    return 0.0 if scale == 0 else abs(left - right) / scale


def compare_floor(floor_rows: list[list[object]], mf_csv: Path, result: SizeResult) -> None:
    floor = {str(row[0]): row[1:] for row in floor_rows}
    semantic: dict[str, list[float | None]] = {}
    with mf_csv.open(newline="") as handle:
        for record in csv.DictReader(handle):
            month = record["metric_time__month"][:7]
            semantic[month] = [
                float(record[name]) if record[name] not in ("", None) else None
                for name in HEADLINE_METRICS
            ]
    months = sorted(set(floor) | set(semantic))
    for index, name in enumerate(HEADLINE_METRICS):
        worst = 0.0
        for month in months:
            left = floor.get(month, [None] * 4)[index]
            right = semantic.get(month, [None] * 4)[index]
            worst = max(
                worst,
                relative_difference(
                    None if left is None else float(str(left)),
                    right,
                ),
            )
        result.max_relative_difference[name] = worst
    result.floor_agrees = all(v <= TOLERANCE for v in result.max_relative_difference.values())


def bench_size(size: int, root: Path, threads: int | None = None) -> SizeResult:
    result = SizeResult(tickets=size)
    result.load_average.append(os.getloadavg()[0])
    work = root / f"t{size}"
    raw = work / "raw"
    before = work / "raw_before"
    work.mkdir(parents=True, exist_ok=True)

    log(f"{size:,} tickets: generating into {raw}")
    result.generate_s = generate(size, raw, work)
    log(f"generated in {result.generate_s:.1f} s")

    start = time.perf_counter()
    write_before(raw, before, result)
    result.before_copy_s = time.perf_counter() - start
    log(
        f"'before' delivery (rows dated before {result.last_day}) in "
        f"{result.before_copy_s:.1f} s; the last day adds {result.appended_rows}"
    )

    log("floor query")
    result.floor_s, result.floor_cpu_s, result.floor_peak_mb, floor_rows = run_floor(raw, work)
    log(f"floor {result.floor_s:.2f} s")

    for database in work.glob("*.duckdb*"):
        database.unlink()

    log("full build (fresh warehouse)")
    full_db = work / "full.duckdb"
    full = run_dbt(["build"], work / "full", full_db, raw, "full_build", threads)
    result.full_build_s, result.full_peak_mb = full.seconds, full.peak_mb
    result.full_cpu_s = full.cpu_s
    result.breakdown["full build"] = breakdown(
        work / "full" / "target", full.seconds, full.started_at
    )
    log(f"full build {full.seconds:.1f} s, peak {full.peak_mb:.0f} MB")

    log("headline path: dbt " + " ".join(HEADLINE_BUILD))
    headline_db = work / "headline.duckdb"
    headline = run_dbt(HEADLINE_BUILD, work / "headline", headline_db, raw, "build", threads)
    mf_csv = work / "headline" / "mf_query.csv"
    mf = run_mf(work / "headline", headline_db, mf_csv)
    result.headline_build_s, result.headline_peak_mb = headline.seconds, headline.peak_mb
    result.mf_query_s = mf.seconds
    result.headline_path_s = headline.seconds + mf.seconds
    result.headline_path_cpu_s = headline.cpu_s + mf.cpu_s
    result.breakdown["headline build"] = breakdown(
        work / "headline" / "target", headline.seconds, headline.started_at
    )
    log(f"headline build {headline.seconds:.1f} s + mf query {mf.seconds:.1f} s")
    compare_floor(floor_rows, mf_csv, result)

    log("incremental: build on the delivery without its last day, then on the whole one")
    incremental_db = work / "incremental.duckdb"
    live = work / "raw_live"
    link_delivery(before, live)
    first = run_dbt(["build"], work / "incremental", incremental_db, live, "before_build", threads)
    result.before_build_s = first.seconds
    result.before_quarantined_rows = quarantined_rows(incremental_db)
    link_delivery(raw, live)
    second = run_dbt(
        ["build"], work / "incremental", incremental_db, live, "incremental_build", threads
    )
    result.incremental_s, result.incremental_peak_mb = second.seconds, second.peak_mb
    result.incremental_cpu_s = second.cpu_s
    result.breakdown["incremental build"] = breakdown(
        work / "incremental" / "target", second.seconds, second.started_at
    )
    log(f"incremental build {second.seconds:.1f} s")

    result.full_warehouse_mb = full_db.stat().st_size / 2**20
    result.incremental_warehouse_mb = incremental_db.stat().st_size / 2**20
    full_marts = mart_fingerprints(full_db)
    incremental_marts = mart_fingerprints(incremental_db)
    result.incremental_mismatches = sorted(
        name
        for name in set(full_marts) | set(incremental_marts)
        if full_marts.get(name) != incremental_marts.get(name)
    )
    result.incremental_matches_full = not result.incremental_mismatches
    result.load_average.append(os.getloadavg()[0])
    return result


def label(size: int) -> str:
    if size % 1_000_000 == 0:
        return f"{size // 1_000_000}M"
    if size % 1_000 == 0:
        return f"{size // 1_000}k"
    return str(size)


def fmt(value: float, digits: int = 1) -> str:
    return "-" if value is None or math.isnan(value) else f"{value:,.{digits}f}"


def report(results: list[SizeResult]) -> dict[str, object]:
    """Print the side-by-side table, growth and goals; return them for the JSON."""
    rows: list[tuple[str, list[str]]] = [
        ("generate s (not in any ratio)", [fmt(r.generate_s) for r in results]),
        ("full build s", [fmt(r.full_build_s) for r in results]),
        ("full build cpu s", [fmt(r.full_cpu_s) for r in results]),
        ("full build peak MB", [fmt(r.full_peak_mb, 0) for r in results]),
        ("incremental build s (+1 day)", [fmt(r.incremental_s) for r in results]),
        ("incremental cpu s", [fmt(r.incremental_cpu_s) for r in results]),
        ("incremental / full", [fmt(r.incremental_ratio, 2) for r in results]),
        ("headline build s", [fmt(r.headline_build_s) for r in results]),
        ("mf query s", [fmt(r.mf_query_s) for r in results]),
        ("headline path s (build + mf)", [fmt(r.headline_path_s) for r in results]),
        ("headline path cpu s", [fmt(r.headline_path_cpu_s) for r in results]),
        ("floor s (one DuckDB query)", [fmt(r.floor_s, 2) for r in results]),
        ("floor cpu s", [fmt(r.floor_cpu_s, 2) for r in results]),
        ("headline path / floor", [fmt(r.headline_ratio) for r in results]),
        ("full build / floor", [fmt(r.full_ratio) for r in results]),
        ("warehouse MB after full build", [fmt(r.full_warehouse_mb, 0) for r in results]),
        ("warehouse MB after incremental", [fmt(r.incremental_warehouse_mb, 0) for r in results]),
        (
            "load average (1 min) before, after",
            ["/".join(f"{v:.1f}" for v in r.load_average) for r in results],
        ),
    ]
    width = max(len(name) for name, _ in rows) + 2
    info = machine()
    print(
        f"\nmachine: {info['cpus']} cpus, {info['memory_gb']} GB, duckdb {info['duckdb']}, "
        f"dbt memory_limit {info['duckdb_memory_limit']} (DBT_DUCKDB_MEMORY_LIMIT); "
        "wall times on a shared machine are noisy: compare cpu s and the load averages"
    )
    header = "".join(f"{label(r.tickets):>12}" for r in results)
    print()
    print(f"{'tickets':<{width}}{header}")
    for name, values in rows:
        print(f"{name:<{width}}" + "".join(f"{v:>12}" for v in values))

    print("\nchecks")
    for r in results:
        appended = sum(r.appended_rows.values())
        delivered = sum(r.delivered_rows.values())
        print(
            f"  {label(r.tickets)}: last day {r.last_day} adds {appended:,} of {delivered:,} rows "
            f"({appended / delivered:.2%}); 'before' build quarantined "
            f"{r.before_quarantined_rows} rows; incremental marts == full marts: "
            f"{'yes' if r.incremental_matches_full else 'NO ' + str(r.incremental_mismatches)}"
        )
        verdict = "agree" if r.floor_agrees else "DISAGREE <<<<<<<<<<<<<<<<"
        diffs = ", ".join(f"{k} {v:.1e}" for k, v in r.max_relative_difference.items())
        print(
            f"  {label(r.tickets)}: floor vs mf query {verdict} (max relative difference: {diffs})"
        )
    print("\nwhere the dbt time goes (s; node times summed over 2 threads)")
    for r in results:
        for run, parts in r.breakdown.items():
            spent = ", ".join(f"{kind} {value:.1f}" for kind, value in sorted(parts.node_s.items()))
            slowest = ", ".join(f"{name} {value}" for name, value in parts.slowest)
            print(
                f"  {label(r.tickets)} {run}: startup+parse {parts.startup_parse_s:.1f}, "
                f"executing {parts.executing_s:.1f} ({spent}), "
                f"publication {fmt(parts.publication_s)}; slowest: {slowest}"
            )
    print(
        "  headline path = dbt "
        + " ".join(HEADLINE_BUILD)
        + " + mf query; no dbt parse is needed: the build writes semantic_manifest.json"
    )

    growth: dict[str, float] = {}
    small, large = results[0], results[-1]
    if len(results) > 1:
        factor = large.tickets / small.tickets
        growth = {
            "full build time": large.full_build_s / small.full_build_s / factor,
            "headline path time": large.headline_path_s / small.headline_path_s / factor,
            "incremental build time": large.incremental_s / small.incremental_s / factor,
            "floor time": large.floor_s / small.floor_s / factor,
            "full build cpu time": large.full_cpu_s / small.full_cpu_s / factor,
            "headline path cpu time": large.headline_path_cpu_s
            / small.headline_path_cpu_s
            / factor,
            "full build peak memory": large.full_peak_mb / small.full_peak_mb / factor,
        }
        print(
            f"\ngrowth {label(small.tickets)} -> {label(large.tickets)} "
            f"(ratio / {factor:g}; <= 1.0 is linear or better)"
        )
        for name, value in growth.items():
            print(f"  {name:<{width - 2}}{value:>12.2f}")

    at = large
    note = (
        "" if at.tickets >= 1_000_000 else f" (goals are for 1M; measured at {label(at.tickets)})"
    )
    goals = [
        (
            f"headline path / floor <= {GOAL_HEADLINE_RATIO:g} at 1M",
            at.headline_ratio,
            at.headline_ratio <= GOAL_HEADLINE_RATIO,
        ),
        (
            f"incremental / full <= {GOAL_INCREMENTAL_RATIO:g}",
            at.incremental_ratio,
            at.incremental_ratio <= GOAL_INCREMENTAL_RATIO,
        ),
        (
            f"full build peak MB < {GOAL_PEAK_MB:g}",
            at.full_peak_mb,
            at.full_peak_mb < GOAL_PEAK_MB,
        ),
    ]
    if "full build time" in growth:
        goals.append(
            (
                f"full build time growth <= {GOAL_GROWTH:g} (linear)",
                growth["full build time"],
                growth["full build time"] <= GOAL_GROWTH,
            )
        )
        goals.append(
            (
                f"headline path time growth <= {GOAL_GROWTH:g} (linear)",
                growth["headline path time"],
                growth["headline path time"] <= GOAL_GROWTH,
            )
        )
    print(f"\nGOALS at {label(at.tickets)} tickets{note}")
    for name, value, met in goals:
        print(f"  {name:<44}{value:>12.2f}   {'met' if met else 'NOT MET'}")
    return {
        "growth": growth,
        "goals": [{"goal": n, "measured": v, "met": m} for n, v, m in goals],
        "goals_measured_at": at.tickets,
    }


def without_nan(value: object) -> object:
    """JSON has no NaN: a figure that was not measured is null."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {key: without_nan(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [without_nan(item) for item in value]
    return value


def machine() -> dict[str, object]:
    memory_kb = 0
    with Path("/proc/meminfo").open() as handle:
        for line in handle:
            if line.startswith("MemTotal:"):
                memory_kb = int(line.split()[1])
    return {
        "cpus": os.cpu_count(),
        "memory_gb": round(memory_kb / 1024 / 1024, 1),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "duckdb_memory_limit": os.environ.get("DBT_DUCKDB_MEMORY_LIMIT", "80% (default)"),
    }


def add_run_options(
    parser: argparse.ArgumentParser, sizes: str, sizes_help: str, workdir: Path
) -> None:
    """The options every benchmark takes: --sizes, --workdir, --keep, --threads."""
    parser.add_argument("--sizes", default=sizes, help=sizes_help)
    parser.add_argument(
        "--workdir",
        type=Path,
        default=workdir,
        help=f"scratch folder for deliveries, warehouses and logs (default {workdir})",
    )
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep deliveries and warehouses (and reuse a delivery of the same size next time)",
    )
    parser.add_argument(
        "--threads",
        type=int,
        help="dbt threads for every build (default: the profile's: 1 under "
        "DBT_DUCKDB_MEMORY_LIMIT, else 2)",
    )


def sizes_and_root(
    args: argparse.Namespace, parser: argparse.ArgumentParser
) -> tuple[list[int], Path]:
    """The ticket counts, smallest first, and the scratch folder (created; never inside
    the project)."""
    sizes = sorted(int(size.replace("_", "")) for size in args.sizes.split(","))
    root: Path = args.workdir.resolve()
    if PROJECT_DIR in (root, *root.parents):
        parser.error("--workdir must be outside the project")
    root.mkdir(parents=True, exist_ok=True)
    return sizes, root


def drop_warehouses(root: Path, size: int) -> None:
    """Delete one size's warehouse files (its delivery stays until the end)."""
    for path in (root / f"t{size}").glob("*.duckdb*"):
        path.unlink()


def write_results(
    root: Path, name: str, threads: int | None, sizes: list[dict[str, object]], **extra: object
) -> None:
    """Write root/<name>: the machine, the threads, one entry per size, and `extra`."""
    payload = {
        "machine": machine(),
        "dbt_threads": threads or "as in profiles.yml",
        "sizes": sizes,
        **extra,
    }
    out = root / name
    out.write_text(json.dumps(without_nan(payload), indent=2, default=str, allow_nan=False))
    print(f"\nresults: {out}")


def drop_deliveries(root: Path, sizes: list[int]) -> None:
    for size in sizes:
        shutil.rmtree(root / f"t{size}", ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_run_options(
        parser,
        "100000,1000000",
        "comma-separated ticket counts (default 100000,1000000; 5000000 is opt-in)",
        Path("/tmp/support_kpis_bench"),
    )
    parser.add_argument("--floor-child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.floor_child:
        run_floor_child(args.floor_child)
        return 0

    sizes, root = sizes_and_root(args, parser)
    print(f"dbt threads: {args.threads or 'as in profiles.yml'}", flush=True)
    results: list[SizeResult] = []
    try:
        for size in sizes:
            results.append(bench_size(size, root, args.threads))
            if not args.keep:
                drop_warehouses(root, size)
    finally:
        if results:
            summary = report(results)
            entries = [
                {
                    **asdict(r),
                    "incremental_ratio": r.incremental_ratio,
                    "headline_ratio": r.headline_ratio,
                    "full_ratio": r.full_ratio,
                }
                for r in results
            ]
            write_results(root, "results.json", args.threads, entries, **summary)
        if not args.keep:
            drop_deliveries(root, sizes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
