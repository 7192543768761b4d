"""Scale benchmark of the support_kpis project (a benchmark, not a test).

For each size (tickets) it generates a delivery, then measures in one run:

- the floor: one hand-written DuckDB query (bench/floor.sql) computing the headline
  ticket KPIs straight from the raw CSV files;
- the pandas baseline (bench/pandas_baseline.py, timed and checked with the functions
  of bench/baseline_vs_build.py);
- the full `dbt build` (whole project, tests included, the safe path a user's build
  takes) on a fresh warehouse: wall time, CPU time, peak RSS;
- the headline path: `dbt build --select` of the ancestors of the headline ticket
  KPIs plus the `mf query` that reads them;
- a one-day load: the same delivery in two loads (docs/spec/sources.md, "Deliveries in
  loads"): load 1 built on a fresh warehouse, then load 2 (the last day) added and
  `dbt build` run again, as a user's daily run;
- with --memory-limit (automatic at 5M tickets and more): the full build again under
  DBT_DUCKDB_MEMORY_LIMIT;

and prints the figures side by side, the goals (each ratio, its goal, met or not), the
growth between the smallest and the largest size, and writes them as JSON to the work
folder. See docs/benchmarks.md.

    .venv/bin/python bench/scale.py [--sizes 100000,1000000] [--workdir DIR] [--keep]
        [--threads N] [--memory-limit 4GB] [--no-check]
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import shutil
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import duckdb
from baseline_vs_build import (
    PANDAS_GOALS,
    Baseline,
    KpiCheck,
    check_kpis,
    kpi_check_line,
    pandas_goal_line,
    run_baseline,
)
from benchlib import (
    MEMORY_LIMIT_ENV,
    Breakdown,
    add_run_options,
    breakdown,
    count_rows,
    csv_reader,
    drop_deliveries,
    drop_warehouses,
    fmt,
    generate,
    generator_supports,
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
    sizes_and_root,
    warehouses,
    write_results,
)

FLOOR_SQL = Path(__file__).resolve().with_name("floor.sql")
HEADLINE_METRICS = ("tickets_created", "first_reply_minutes", "resolution_minutes", "reply_rate")
HEADLINE_SELECT = [f"+metric:{name}" for name in HEADLINE_METRICS]
# Only the tests whose every parent is selected (a relationships test from a
# selected model to an unselected one would read a table this build never made).
HEADLINE_BUILD = ["build", "--select", *HEADLINE_SELECT, "--indirect-selection", "cautious"]
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
LOAD_SUFFIXES = (".csv", ".csv.gz", ".parquet")
# The goals (docs/benchmarks.md, "The goals"): the size each is set for, and its limit.
GOAL_ONE_DAY = (1_000_000, 0.10, "<= 0.10")
GOAL_HEADLINE = (1_000_000, 10.0, "<= 10")
GOAL_MEMORY = (5_000_000, 1.5, "<= 1.5")
# --memory-limit's default: a memory-limited full build from this size on, under this cap.
AUTO_MEMORY_SIZE, AUTO_MEMORY_LIMIT = 5_000_000, "4GB"
TOLERANCE = 1e-9


@dataclass
class SizeResult:
    """Everything measured for one size."""

    tickets: int
    generate_s: float = math.nan
    # The delivery in loads: how it was made ("support-kpis generate --loads 2", or the
    # single-file delivery split at its last day), its loads, and its rows per table.
    loads_source: str = ""
    loads_s: float = math.nan
    load_names: list[str] = field(default_factory=list)
    last_day: str = ""
    last_load_rows: dict[str, int] = field(default_factory=dict)
    loads_rows: dict[str, int] = field(default_factory=dict)
    floor_s: float = math.nan
    floor_cpu_s: float = math.nan
    floor_peak_mb: float = math.nan
    baseline: Baseline = field(default_factory=Baseline)
    kpi_check: KpiCheck | None = None
    full_build_s: float = math.nan
    full_cpu_s: float = math.nan
    full_peak_mb: float = math.nan
    headline_build_s: float = math.nan
    headline_peak_mb: float = math.nan
    mf_query_s: float = math.nan
    headline_path_s: float = math.nan
    headline_path_cpu_s: float = math.nan
    max_relative_difference: dict[str, float] = field(default_factory=dict)
    floor_agrees: bool = False
    first_load_build_s: float = math.nan
    first_load_quarantined_rows: int = -1
    one_day_s: float = math.nan
    one_day_cpu_s: float = math.nan
    one_day_peak_mb: float = math.nan
    one_day_matches_full: bool = False
    one_day_mismatches: list[str] = field(default_factory=list)
    memory_limit: str = ""
    limited_build_s: float = math.nan
    limited_cpu_s: float = math.nan
    limited_peak_mb: float = math.nan
    limited_matches_full: bool | None = None
    full_warehouse_mb: float = math.nan
    one_day_warehouse_mb: float = math.nan
    load_average: list[float] = field(default_factory=list)
    # Where the time of each timed dbt run went (from its run_results.json).
    breakdown: dict[str, Breakdown] = field(default_factory=dict)

    @property
    def one_day_ratio(self) -> float:
        return self.one_day_s / self.full_build_s

    @property
    def pandas_ratio(self) -> float:
        return self.full_build_s / self.baseline.seconds

    @property
    def headline_ratio(self) -> float:
        return self.headline_path_s / self.floor_s

    @property
    def full_ratio(self) -> float:
        return self.full_build_s / self.floor_s

    @property
    def memory_ratio(self) -> float:
        return self.limited_build_s / self.full_build_s


# --- the delivery in loads ----------------------------------------------------------------


def write_loads(raw: Path, loads: Path, result: SizeResult) -> None:
    """The single-file delivery `raw` as two loads: loads/<table>/0001.csv holds it as it
    stood before its last day, loads/<table>/0002.csv the rest. The last day is the last
    date tickets were created on; load 1 drops every row dated on or after it, and every
    row whose ticket or call was dropped (customers and agents stay whole, in load 1).
    Rows are streamed by DuckDB, text kept as is."""
    shutil.rmtree(loads, ignore_errors=True)
    with duckdb.connect() as con:
        tickets = csv_reader(raw / "tickets.csv")
        last_day = con.execute(f"select max(left(created_at, 10)) from {tickets}").fetchall()
        assert last_day and last_day[0][0] is not None
        day = str(last_day[0][0])
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
            folder = loads / table
            folder.mkdir(parents=True)
            if table in WHOLE_TABLES:
                link_or_copy(source, folder / "0001.csv")
                continue
            kept = [dated("t." + DAY_COLUMNS[table])]
            if table in ("ticket_messages", "ticket_events", "calls", "survey_responses"):
                kept.append(
                    "not exists (select 1 from dropped_tickets d where d.ticket_id = t.ticket_id)"
                )
            if table == "survey_responses":
                kept.append(
                    "not exists (select 1 from dropped_calls k where k.call_id = t.call_id)"
                )
                kept.append(dated("t.responded_at"))
            keep = " and ".join(kept)
            for name, where in (("0001.csv", keep), ("0002.csv", f"not ({keep})")):
                query = f"select t.* from {csv_reader(source)} t where {where}"
                target = str(folder / name).replace("'", "''")
                con.sql(f"copy ({query}) to '{target}' (header true, delimiter ',', quote '\"')")
    (loads / "_split.json").write_text(json.dumps({"tickets": result.tickets, "day": day}))


def link_or_copy(source: Path, target: Path) -> None:
    """A hard link (the same file, as a user's folder holds it), else a copy."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


@dataclass
class Loads:
    """A delivery in loads as found on disk: per table, the files of its folder <table>/
    in load order (names sorted byte by byte; names starting with . or _ skipped, as the
    project does), or its single file (one load, read whole by every build)."""

    folders: dict[str, list[Path]]
    singles: dict[str, Path]

    @classmethod
    def find(cls, loads: Path) -> Loads:
        folders: dict[str, list[Path]] = {}
        singles: dict[str, Path] = {}
        for entry in sorted(loads.iterdir()):
            if entry.name.startswith((".", "_")):
                continue
            if entry.is_dir():
                files = sorted(
                    (
                        f
                        for f in entry.iterdir()
                        if f.is_file() and not f.name.startswith((".", "_"))
                    ),
                    key=lambda f: f.name.encode(),
                )
                if files:
                    folders[entry.name] = files
            elif entry.name.endswith(LOAD_SUFFIXES):
                singles[entry.name.split(".")[0]] = entry
        if not folders:
            raise RuntimeError(f"{loads} holds no load folder <table>/")
        return cls(folders, singles)

    @property
    def names(self) -> list[str]:
        """Every load's name, in load order."""
        return sorted({f.name for files in self.folders.values() for f in files}, key=str.encode)

    def stage(self, live: Path, with_last: bool) -> None:
        """The delivery folder a user's build reads (`raw_path`): every load before the last
        one (and the last one too when `with_last`), each file hard-linked from here."""
        last = self.names[-1]
        live.mkdir(parents=True, exist_ok=True)
        for single in self.singles.values():
            if not (live / single.name).exists():
                link_or_copy(single, live / single.name)
        for table, files in self.folders.items():
            (live / table).mkdir(exist_ok=True)
            for file in files:
                target = live / table / file.name
                if (with_last or file.name != last) and not target.exists():
                    link_or_copy(file, target)


def make_loads(size: int, raw: Path, work: Path, result: SizeResult, from_generator: bool) -> Path:
    """The delivery in loads (work/raw_loads): `support-kpis generate --loads 2` (a history
    load and one daily load, with updates of earlier records) when the generator has it,
    else the single-file delivery split at its last day. Counts its rows."""
    loads = work / "raw_loads"
    start = time.perf_counter()
    if from_generator:
        result.loads_source = "support-kpis generate --loads 2"
        result.loads_s = generate(size, loads, work, 0.0, ["--loads", "2"], "generate_loads")
    else:
        result.loads_source = "the single-file delivery split at its last day"
        split = loads / "_split.json"
        if split.exists() and json.loads(split.read_text()).get("tickets") == size:
            result.last_day = json.loads(split.read_text())["day"]
            log(f"reusing the delivery in loads in {loads}")
        else:
            write_loads(raw, loads, result)
        result.loads_s = time.perf_counter() - start
    found = Loads.find(loads)
    result.load_names = found.names
    last = found.names[-1]
    manifest = loads / "_manifest.json"
    per_load = (
        json.loads(manifest.read_text()).get("loads", {}).get("rows_per_load")
        if manifest.exists()
        else None
    )
    if per_load:  # the generator's count of each load's rows (the files are not read again)
        for table, rows in per_load.items():
            result.loads_rows[table] = sum(int(n) for n in rows)
            result.last_load_rows[table] = int(rows[-1]) if len(rows) == len(found.names) else 0
        return loads
    for table, files in found.folders.items():
        result.loads_rows[table] = sum(count_rows(f) for f in files)
        result.last_load_rows[table] = sum(count_rows(f) for f in files if f.name == last)
    for table, single in found.singles.items():
        result.loads_rows[table] = count_rows(single)
    return loads


# --- the floor ------------------------------------------------------------------------------


def raw_vars(raw: Path) -> dict[str, object]:
    return {"raw_path": str(raw)}


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
                relative_difference(None if left is None else float(str(left)), right),
            )
        result.max_relative_difference[name] = worst
    result.floor_agrees = all(v <= TOLERANCE for v in result.max_relative_difference.values())


# --- warehouses -----------------------------------------------------------------------------


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


def mismatches(left: dict[str, tuple[int, int]], right: dict[str, tuple[int, int]]) -> list[str]:
    return sorted(name for name in set(left) | set(right) if left.get(name) != right.get(name))


# --- one size -------------------------------------------------------------------------------


def bench_size(
    size: int,
    root: Path,
    threads: int | None,
    memory_limit: str | None,
    check: bool,
    generator_loads: bool,
) -> SizeResult:
    result = SizeResult(tickets=size)
    result.load_average.append(os.getloadavg()[0])
    work = root / f"t{size}"
    raw = work / "raw"
    dbs = warehouses(root, size)
    work.mkdir(parents=True, exist_ok=True)
    drop_warehouses(root, size)

    log(f"{size:,} tickets: generating into {raw}")
    result.generate_s = generate(size, raw, work)
    log(f"generated in {result.generate_s:.1f} s")

    log("the delivery in loads")
    loads = make_loads(size, raw, work, result, generator_loads)
    log(
        f"{result.loads_source}: loads {', '.join(result.load_names)} in "
        f"{result.loads_s:.1f} s; the last load holds {sum(result.last_load_rows.values()):,} rows"
    )

    log("floor query")
    result.floor_s, result.floor_cpu_s, result.floor_peak_mb, floor_rows = run_floor(raw, work)
    log(f"floor {result.floor_s:.2f} s")

    log("pandas baseline")
    as_of = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime())
    result.baseline = run_baseline(raw, work, as_of)
    log(f"baseline {result.baseline.seconds:.1f} s, peak {result.baseline.peak_mb:,.0f} MB")

    log("full build (fresh warehouse, safe path)")
    full_db = dbs / "full.duckdb"
    full = run_dbt(["build"], work / "full", full_db, raw_vars(raw), "full_build", threads)
    result.full_build_s, result.full_peak_mb = full.seconds, full.peak_mb
    result.full_cpu_s = full.cpu_s
    result.breakdown["full build"] = breakdown(work / "full" / "target", full)
    result.full_warehouse_mb = full_db.stat().st_size / 2**20
    full_marts = mart_fingerprints(full_db)
    log(f"full build {full.seconds:.1f} s, peak {full.peak_mb:.0f} MB")
    if check:
        result.kpi_check = check_kpis(result.baseline, work / "full", full_db)

    log("headline path: dbt " + " ".join(HEADLINE_BUILD) + " (in place)")
    headline_db = dbs / "headline.duckdb"
    # In place: on the safe path the publication refreshes bi.* from every mart, which a
    # --select build on a fresh warehouse does not build.
    headline = run_dbt(
        HEADLINE_BUILD, work / "headline", headline_db, raw_vars(raw), "build", threads, safe=False
    )
    mf_csv = work / "headline" / "mf_query.csv"
    mf = run_mf(work / "headline", headline_db, HEADLINE_METRICS, mf_csv)
    result.headline_build_s, result.headline_peak_mb = headline.seconds, headline.peak_mb
    result.mf_query_s = mf.seconds
    result.headline_path_s = headline.seconds + mf.seconds
    result.headline_path_cpu_s = headline.cpu_s + mf.cpu_s
    result.breakdown["headline build"] = breakdown(work / "headline" / "target", headline)
    log(f"headline build {headline.seconds:.1f} s + mf query {mf.seconds:.1f} s")
    compare_floor(floor_rows, mf_csv, result)

    log("one-day load: build load 1 on a fresh warehouse, then add load 2 and build again")
    one_day_db = dbs / "one_day.duckdb"
    live = work / "raw_live"
    shutil.rmtree(live, ignore_errors=True)
    found = Loads.find(loads)
    found.stage(live, with_last=False)
    first = run_dbt(
        ["build"], work / "one_day", one_day_db, raw_vars(live), "first_load_build", threads
    )
    result.first_load_build_s = first.seconds
    result.first_load_quarantined_rows = quarantined_rows(one_day_db)
    found.stage(live, with_last=True)
    second = run_dbt(
        ["build"], work / "one_day", one_day_db, raw_vars(live), "one_day_build", threads
    )
    result.one_day_s, result.one_day_peak_mb = second.seconds, second.peak_mb
    result.one_day_cpu_s = second.cpu_s
    result.breakdown["one-day load build"] = breakdown(work / "one_day" / "target", second)
    result.one_day_warehouse_mb = one_day_db.stat().st_size / 2**20
    result.one_day_mismatches = mismatches(full_marts, mart_fingerprints(one_day_db))
    result.one_day_matches_full = not result.one_day_mismatches
    log(f"one-day load build {second.seconds:.1f} s")

    if memory_limit:
        log(f"full build under {MEMORY_LIMIT_ENV}={memory_limit} (the profile's threads)")
        limited_db = dbs / "limited.duckdb"
        limited = run_dbt(
            ["build"],
            work / "limited",
            limited_db,
            raw_vars(raw),
            "limited_build",
            memory_limit=memory_limit,
        )
        result.memory_limit = memory_limit
        result.limited_build_s, result.limited_peak_mb = limited.seconds, limited.peak_mb
        result.limited_cpu_s = limited.cpu_s
        result.breakdown[f"full build, memory_limit {memory_limit}"] = breakdown(
            work / "limited" / "target", limited
        )
        result.limited_matches_full = not mismatches(full_marts, mart_fingerprints(limited_db))
        log(f"memory-limited full build {limited.seconds:.1f} s, peak {limited.peak_mb:.0f} MB")

    result.load_average.append(os.getloadavg()[0])
    return result


# --- the report -----------------------------------------------------------------------------


def size_goals(r: SizeResult) -> list[str]:
    """One size's ratios against the goals (each goal is set for one size, named when it
    is another)."""

    def note(goal_size: int) -> str:
        return "" if goal_size == r.tickets else f"the goal is set for {label(goal_size)}"

    name = label(r.tickets)
    marts = "yes" if r.one_day_matches_full else "NO"
    lines = [
        goal_line(
            f"{name}: one-day load build / full build",
            fmt(r.one_day_ratio, 2),
            GOAL_ONE_DAY[2],
            meets(r.one_day_ratio, GOAL_ONE_DAY[1]),
            note(GOAL_ONE_DAY[0]),
        ),
        goal_line(
            f"{name}: one-day load marts == full build marts",
            marts,
            "yes",
            r.one_day_matches_full,
            "" if r.one_day_matches_full else ", ".join(r.one_day_mismatches),
        ),
        pandas_goal_line(r.tickets, r.pandas_ratio),
        goal_line(
            f"{name}: headline path / floor",
            fmt(r.headline_ratio, 1),
            GOAL_HEADLINE[2],
            meets(r.headline_ratio, GOAL_HEADLINE[1]),
            note(GOAL_HEADLINE[0]),
        ),
    ]
    if r.memory_limit:
        lines.append(
            goal_line(
                f"{name}: full build {r.memory_limit} limit / unlimited",
                fmt(r.memory_ratio, 2),
                GOAL_MEMORY[2],
                meets(r.memory_ratio, GOAL_MEMORY[1]),
                note(GOAL_MEMORY[0]),
            )
        )
    return lines


def goals_block(results: list[SizeResult]) -> list[dict[str, object]]:
    """Each goal at the size it is set for: its ratio and verdict, or how to measure it."""
    by_size = {r.tickets: r for r in results}
    goals: list[dict[str, object]] = []

    def add(
        name: str, size: int, value: float | None, text: str, met: bool | None, how: str
    ) -> None:
        measured = size in by_size and value is not None and not math.isnan(value)
        goals.append({"goal": f"{name} {text} at {label(size)}", "measured": value, "met": met})
        print(
            goal_line(
                f"{name} at {label(size)}",
                fmt(value, 2) if measured else "-",
                text,
                met if measured else None,
                "" if measured else how,
            )
        )

    print("\nGOALS (each at the size it is set for)")
    one_day = by_size.get(GOAL_ONE_DAY[0])
    add(
        "one-day load build / full build",
        GOAL_ONE_DAY[0],
        one_day.one_day_ratio if one_day else None,
        GOAL_ONE_DAY[2],
        meets(one_day.one_day_ratio, GOAL_ONE_DAY[1]) if one_day else None,
        f"run --sizes {GOAL_ONE_DAY[0]}",
    )
    matches = one_day.one_day_matches_full if one_day else None
    goals.append(
        {
            "goal": f"one-day load marts == full build marts at {label(GOAL_ONE_DAY[0])}",
            "measured": matches,
            "met": matches,
        }
    )
    print(
        goal_line(
            f"one-day load marts == full build at {label(GOAL_ONE_DAY[0])}",
            "-" if matches is None else ("yes" if matches else "NO"),
            "yes",
            matches,
            "" if one_day else f"run --sizes {GOAL_ONE_DAY[0]}",
        )
    )
    for goal_size, limit, text, strict in PANDAS_GOALS:
        at = by_size.get(goal_size)
        add(
            "full build / pandas baseline",
            goal_size,
            at.pandas_ratio if at else None,
            text,
            meets(at.pandas_ratio, limit, strict) if at else None,
            f"run --sizes {goal_size}",
        )
    at = by_size.get(GOAL_HEADLINE[0])
    add(
        "headline path / floor",
        GOAL_HEADLINE[0],
        at.headline_ratio if at else None,
        GOAL_HEADLINE[2],
        meets(at.headline_ratio, GOAL_HEADLINE[1]) if at else None,
        f"run --sizes {GOAL_HEADLINE[0]}",
    )
    at = by_size.get(GOAL_MEMORY[0])
    add(
        "full build memory-limited / unlimited",
        GOAL_MEMORY[0],
        at.memory_ratio if at and at.memory_limit else None,
        GOAL_MEMORY[2],
        meets(at.memory_ratio, GOAL_MEMORY[1]) if at and at.memory_limit else None,
        f"opt-in: run --sizes {GOAL_MEMORY[0]} (a {AUTO_MEMORY_LIMIT} limit by default)",
    )
    return goals


def report(results: list[SizeResult]) -> dict[str, object]:
    """Print the side-by-side table, checks, goals and growth; return them for the JSON."""
    rows: list[tuple[str, list[str]]] = [
        ("generate s (not in any ratio)", [fmt(r.generate_s) for r in results]),
        ("delivery in loads s (not in any ratio)", [fmt(r.loads_s) for r in results]),
        ("floor s (one DuckDB query)", [fmt(r.floor_s, 2) for r in results]),
        ("floor cpu s", [fmt(r.floor_cpu_s, 2) for r in results]),
        ("pandas baseline s", [fmt(r.baseline.seconds) for r in results]),
        ("pandas baseline cpu s", [fmt(r.baseline.cpu_s) for r in results]),
        ("pandas baseline peak MB", [fmt(r.baseline.peak_mb, 0) for r in results]),
        ("full build s (safe path, tests)", [fmt(r.full_build_s) for r in results]),
        ("full build cpu s", [fmt(r.full_cpu_s) for r in results]),
        ("full build peak MB", [fmt(r.full_peak_mb, 0) for r in results]),
        (
            "  of which publication s",
            [fmt(r.breakdown["full build"].publication_s) for r in results],
        ),
        ("one-day load build s (safe path)", [fmt(r.one_day_s) for r in results]),
        ("one-day load build cpu s", [fmt(r.one_day_cpu_s) for r in results]),
        ("headline build s (in place)", [fmt(r.headline_build_s) for r in results]),
        ("mf query s", [fmt(r.mf_query_s) for r in results]),
        ("headline path s (build + mf)", [fmt(r.headline_path_s) for r in results]),
        ("headline path cpu s", [fmt(r.headline_path_cpu_s) for r in results]),
        ("one-day load build / full build", [fmt(r.one_day_ratio, 2) for r in results]),
        ("full build / pandas baseline", [fmt(r.pandas_ratio, 2) for r in results]),
        ("headline path / floor", [fmt(r.headline_ratio) for r in results]),
        ("full build / floor", [fmt(r.full_ratio) for r in results]),
        ("warehouse MB after full build", [fmt(r.full_warehouse_mb, 0) for r in results]),
        ("warehouse MB after one-day load", [fmt(r.one_day_warehouse_mb, 0) for r in results]),
        ("load average (1 min) before, after", [load_averages(r.load_average) for r in results]),
    ]
    if any(r.memory_limit for r in results):
        rows[11:11] = [
            ("memory_limit of the extra full build", [r.memory_limit or "-" for r in results]),
            ("  its full build s", [fmt(r.limited_build_s) for r in results]),
            ("  its cpu s", [fmt(r.limited_cpu_s) for r in results]),
            ("  its peak MB", [fmt(r.limited_peak_mb, 0) for r in results]),
            ("  limited / unlimited", [fmt(r.memory_ratio, 2) for r in results]),
        ]
    print_machine(" for every build but the memory-limited one")
    width = print_table([r.tickets for r in results], rows)
    print(
        "every build is a plain `dbt build` on the safe path (work copy, gate, publication, "
        "record of processed loads), but the headline build, which runs in place "
        "(SUPPORT_KPIS_SAFE_BUILD=0): the publication needs every mart"
    )

    print("\nchecks")
    for r in results:
        last = sum(r.last_load_rows.values())
        total = sum(r.loads_rows.values())
        day = f", the rows dated {r.last_day} or later" if r.last_day else ""
        print(
            f"  {label(r.tickets)}: delivery in loads from {r.loads_source}: "
            f"load {r.load_names[-1] if r.load_names else '?'}{day}: {last:,} of {total:,} rows "
            f"({last / total if total else math.nan:.2%}); the build of the earlier loads "
            f"quarantined {r.first_load_quarantined_rows} rows; one-day load marts == full "
            f"build marts: {'yes' if r.one_day_matches_full else 'NO ' + str(r.one_day_mismatches)}"
        )
        if r.memory_limit:
            print(
                f"  {label(r.tickets)}: memory-limited full build marts == full build marts: "
                f"{'yes' if r.limited_matches_full else 'NO'}"
            )
        verdict = "agree" if r.floor_agrees else "DISAGREE <<<<<<<<<<<<<<<<"
        diffs = ", ".join(f"{k} {v:.1e}" for k, v in r.max_relative_difference.items())
        print(
            f"  {label(r.tickets)}: floor vs mf query {verdict} (max relative difference: {diffs})"
        )
    print("\nKPI values: pandas baseline CSV vs mf query on the full build (every KPI by month)")
    for r in results:
        print("\n".join(kpi_check_line(r.tickets, r.kpi_check)))

    print_breakdowns(
        [
            (f"{label(r.tickets)} {name}", parts)
            for r in results
            for name, parts in r.breakdown.items()
        ]
    )
    print(
        "  headline path = dbt "
        + " ".join(HEADLINE_BUILD)
        + " + mf query; no dbt parse is needed: the build writes semantic_manifest.json"
    )

    print("\ngoals, per size (ratio, goal, verdict)")
    for r in results:
        print("\n".join(size_goals(r)))
    goals = goals_block(results)

    growth: dict[str, float] = {}
    small, large = results[0], results[-1]
    print("\ninformation (not goals)")
    for r in results:
        print(f"  {label(r.tickets)}: full build peak MB {fmt(r.full_peak_mb, 0)}")
    if len(results) > 1:
        factor = large.tickets / small.tickets
        growth = {
            "full build time": large.full_build_s / small.full_build_s / factor,
            "headline path time": large.headline_path_s / small.headline_path_s / factor,
            "one-day load build time": large.one_day_s / small.one_day_s / factor,
            "floor time": large.floor_s / small.floor_s / factor,
            "pandas baseline time": large.baseline.seconds / small.baseline.seconds / factor,
            "full build cpu time": large.full_cpu_s / small.full_cpu_s / factor,
            "headline path cpu time": large.headline_path_cpu_s
            / small.headline_path_cpu_s
            / factor,
            "full build peak memory": large.full_peak_mb / small.full_peak_mb / factor,
        }
        print(
            f"  growth {label(small.tickets)} -> {label(large.tickets)} "
            f"(ratio / {factor:g}; <= 1.0 is linear or better)"
        )
        for name, value in growth.items():
            print(f"    {name:<{width - 4}}{value:>12.2f}")
    return {"growth": growth, "goals": goals}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_run_options(
        parser,
        "100000,1000000",
        "comma-separated ticket counts (default 100000,1000000; 200000 measures the "
        "baseline goal set for it; 5000000 is opt-in)",
        Path("/tmp/support_kpis_bench"),
    )
    parser.add_argument(
        "--memory-limit",
        help=f"also run the full build under {MEMORY_LIMIT_ENV}=LIMIT (e.g. 4GB) with the "
        f"profile's threads, at every size (default: {AUTO_MEMORY_LIMIT} at "
        f"{label(AUTO_MEMORY_SIZE)} tickets and more; 'none': never)",
    )
    parser.add_argument(
        "--no-check",
        action="store_true",
        help="skip comparing every KPI of the full build with the pandas baseline's",
    )
    parser.add_argument("--floor-child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.floor_child:
        run_floor_child(args.floor_child)
        return 0

    sizes, root = sizes_and_root(args, parser)
    generator_loads = generator_supports("--loads")
    print(
        f"dbt threads: {args.threads or 'as in profiles.yml'}; delivery in loads: "
        + ("support-kpis generate --loads 2" if generator_loads else "split of the delivery"),
        flush=True,
    )
    results: list[SizeResult] = []
    try:
        for size in sizes:
            if args.memory_limit:
                limit = None if args.memory_limit.lower() == "none" else args.memory_limit
            else:
                limit = AUTO_MEMORY_LIMIT if size >= AUTO_MEMORY_SIZE else None
            results.append(
                bench_size(size, root, args.threads, limit, not args.no_check, generator_loads)
            )
            if not args.keep:
                drop_warehouses(root, size)
    finally:
        if results:
            summary = report(results)
            entries = [
                {
                    **asdict(r),
                    "one_day_ratio": r.one_day_ratio,
                    "pandas_ratio": r.pandas_ratio,
                    "headline_ratio": r.headline_ratio,
                    "full_ratio": r.full_ratio,
                    "memory_ratio": r.memory_ratio,
                }
                for r in results
            ]
            write_results(root, "results.json", args.threads, entries, **summary)
        if not args.keep:
            drop_deliveries(root, sizes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
