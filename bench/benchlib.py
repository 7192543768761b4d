"""What the benchmarks in bench/ share (a helper module, not a benchmark).

Running children and timing them (`run_timed`: wall time, CPU time and peak RSS
from os.wait4), running dbt and mf the way a user does but with every file a run
writes in the benchmark's own work folder (`run_dbt`, `run_mf`, `shadow_project`),
generating deliveries, splitting a dbt run's wall time (`breakdown`), the common
command-line options and results file, and the report's formatting (`print_table`,
`print_breakdowns`, `goal_line`). See docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import shutil
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

PROJECT_DIR = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SEED = 20250101
# What a run writes or a developer keeps locally: never linked into a shadow project.
NOT_LINKED = {
    "target",
    "logs",
    "warehouse",
    "dbt_packages",
    "reports",
    ".git",
    ".pytest_cache",
    ".ruff_cache",
}
SAFE_BUILD_ENV = "SUPPORT_KPIS_SAFE_BUILD"
MEMORY_LIMIT_ENV = "DBT_DUCKDB_MEMORY_LIMIT"


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


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


def dbt_env(database: Path, safe: bool = True, memory_limit: str | None = None) -> dict[str, str]:
    """The environment of a dbt or mf child writing to (or reading) `database`. `safe`:
    builds take the safe path a user's plain `dbt build` takes (work copy, gate,
    publication, record of processed loads; D33), whatever this process's environment
    says; otherwise they build in place (SUPPORT_KPIS_SAFE_BUILD=0). `memory_limit` sets
    DBT_DUCKDB_MEMORY_LIMIT; without it the environment's value (if any) is kept."""
    env = dict(os.environ)
    env["DBT_DUCKDB_PATH"] = str(database)
    env["DBT_SEND_ANONYMOUS_USAGE_STATS"] = "False"
    if safe:
        env.pop(SAFE_BUILD_ENV, None)
    else:
        env[SAFE_BUILD_ENV] = "0"
    if memory_limit:
        env[MEMORY_LIMIT_ENV] = memory_limit
    return env


def shadow_project(work: Path) -> Path:
    """work/project: symbolic links to the project's files (dbt_project.yml, models/, ...,
    .dbtignore) with target/ and logs/ pointing at work/target and work/logs. dbt and mf
    run from there: mf reads <project>/target/semantic_manifest.json (so it reads the one
    of our own build, without an extra parse), and the safe path's publication runs
    `dbt parse` in the project folder: neither touches the project's own target/ or logs/."""
    shadow = work / "project"
    shadow.mkdir(parents=True, exist_ok=True)
    for entry in PROJECT_DIR.iterdir():
        if entry.name in NOT_LINKED or entry.name.startswith(".venv"):
            continue
        if not (shadow / entry.name).is_symlink():
            (shadow / entry.name).symlink_to(entry)
    for name in ("target", "logs"):
        (work / name).mkdir(parents=True, exist_ok=True)
        if not (shadow / name).is_symlink():
            (shadow / name).symlink_to(work / name)
    return shadow


def run_dbt(
    command: list[str],
    work: Path,
    database: Path,
    variables: Mapping[str, object],
    name: str,
    threads: int | None = None,
    safe: bool = True,
    memory_limit: str | None = None,
) -> Run:
    """`dbt <command>` on the project like users run it (the safe path unless `safe` is
    False), writing to `database`, with dbt `--vars` `variables` (e.g. raw_path); target/
    and logs/ go to `work`; `threads` overrides the profile's; `memory_limit` sets
    DBT_DUCKDB_MEMORY_LIMIT."""
    shadow = shadow_project(work)
    args = [
        str(BIN / "dbt"),
        *command,
        "--project-dir",
        str(shadow),
        "--profiles-dir",
        str(shadow),
        "--target-path",
        str(work / "target"),
        "--log-path",
        str(work / "logs"),
        "--vars",
        json.dumps(dict(variables)),
        *(["--threads", str(threads)] if threads else []),
    ]
    database.parent.mkdir(parents=True, exist_ok=True)
    env = dbt_env(database, safe=safe, memory_limit=memory_limit)
    result = run_timed(args, work / f"{name}.log", env, cwd=shadow)
    if result.returncode != 0:
        tail = Path(result.log).read_text()[-3000:]
        raise RuntimeError(f"dbt {' '.join(command)} failed ({name}), log {result.log}:\n{tail}")
    return result


def run_mf(
    work: Path, database: Path, metrics: Sequence[str], out_csv: Path, name: str = "mf_query"
) -> Run:
    """`mf query --metrics ... --group-by metric_time__month --csv out_csv` on `database`,
    from work's shadow project (so mf reads the semantic manifest of the build in work)."""
    shadow = shadow_project(work)
    env = dbt_env(database)
    env["DBT_PROJECT_DIR"] = str(shadow)
    env["DBT_PROFILES_DIR"] = str(shadow)
    args = [
        str(BIN / "mf"),
        "query",
        "--metrics",
        ",".join(metrics),
        "--group-by",
        "metric_time__month",
        "--csv",
        str(out_csv),
    ]
    result = run_timed(args, work / f"{name}.log", env, cwd=shadow)
    if result.returncode != 0 or not out_csv.exists():
        raise RuntimeError(
            f"mf query failed, log {result.log}:\n{Path(result.log).read_text()[-3000:]}"
        )
    return result


@dataclass
class Breakdown:
    """Where the wall time of one dbt run went (from its run_results.json): dbt's
    start-up and parse, its run (models, tests), and what the process does after the
    run (the safe path's gate, bi.* publication, BI copy and swap)."""

    wall_s: float
    startup_parse_s: float
    executing_s: float
    node_s: dict[str, float]
    slowest: list[tuple[str, float]]
    publication_s: float = math.nan


def breakdown(target: Path, run: Run) -> Breakdown:
    """The wall time of `run` (a dbt run whose target folder is `target`) split into
    start-up + parse, dbt's run (its own elapsed time) and the publication after it, and
    node execution summed per kind (threads overlap). dbt writes run_results.json (its
    `generated_at`) when its run ends; the safe path publishes after that, in the same
    process: start-up + parse is what precedes the run, the publication what follows."""
    run_results = json.loads((target / "run_results.json").read_text())
    executing_s = float(run_results["elapsed_time"])
    run_ended = datetime.fromisoformat(run_results["metadata"]["generated_at"]).timestamp()
    summed: dict[str, float] = {}
    for node in run_results["results"]:
        kind = node["unique_id"].split(".")[0]
        kind = "tests" if kind in ("test", "unit_test") else f"{kind}s"
        summed[kind] = summed.get(kind, 0.0) + float(node["execution_time"])
    slowest = sorted(run_results["results"], key=lambda node: -float(node["execution_time"]))
    return Breakdown(
        wall_s=run.seconds,
        startup_parse_s=run_ended - executing_s - run.started_at,
        executing_s=executing_s,
        node_s=summed,
        slowest=[
            (node["unique_id"].split(".")[-1], round(float(node["execution_time"]), 2))
            for node in slowest[:5]
        ],
        publication_s=run.started_at + run.seconds - run_ended,
    )


def generate(
    size: int,
    raw: Path,
    work: Path,
    invalid_rate: float = 0.0,
    extra: Sequence[str] = (),
    name: str = "generate",
) -> float:
    """`support-kpis generate raw --tickets size --seed SEED --invalid-rate ... *extra`;
    returns the time it took. A delivery already in `raw` made with the same arguments
    (work/<name>.json) is reused, with the time of its generation."""
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
        *extra,
        "--overwrite",
    ]
    made = work / f"{name}.json"
    if made.exists() and raw.is_dir():
        previous = json.loads(made.read_text())
        if previous.get("args") == args[2:]:
            log(f"reusing the delivery in {raw}")
            return float(previous["seconds"])
    result = run_timed(args, work / f"{name}.log")
    if result.returncode != 0:
        raise RuntimeError(f"generate failed, log {result.log}")
    made.write_text(json.dumps({"args": args[2:], "seconds": result.seconds}))
    return result.seconds


def generator_supports(option: str) -> bool:
    """Whether `support-kpis generate` knows `option` (e.g. --loads)."""
    helped = subprocess.run(
        [str(BIN / "support-kpis"), "generate", "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    return option in helped.stdout


def csv_reader(path: Path) -> str:
    """DuckDB's reader of one delivered CSV file, every value as its text."""
    quoted = str(path).replace("'", "''")
    return f"read_csv('{quoted}', header = true, all_varchar = true, quote = '\"', escape = '\"')"


def count_rows(path: Path) -> int:
    """Rows of one delivered file (CSV, gzipped CSV or Parquet)."""
    quoted = str(path).replace("'", "''")
    reader = f"read_parquet('{quoted}')" if path.suffix == ".parquet" else csv_reader(path)
    with duckdb.connect() as con:
        rows = con.execute(f"select count(*) from {reader}").fetchall()
    return int(rows[0][0]) if rows else 0


# --- the report --------------------------------------------------------------------------


def label(size: int) -> str:
    if size % 1_000_000 == 0:
        return f"{size // 1_000_000}M"
    if size % 1_000 == 0:
        return f"{size // 1_000}k"
    return str(size)


def fmt(value: float | None, digits: int = 1) -> str:
    return "-" if value is None or math.isnan(value) else f"{value:,.{digits}f}"


def print_machine(memory_note: str = "") -> None:
    info = machine()
    print(
        f"\nmachine: {info['cpus']} cpus, {info['memory_gb']} GB, duckdb {info['duckdb']}, "
        f"dbt memory_limit {info['duckdb_memory_limit']} ({MEMORY_LIMIT_ENV}){memory_note}; "
        "wall times on a shared machine are noisy: compare cpu s and the load averages"
    )


def print_table(sizes: Sequence[int], rows: Sequence[tuple[str, Sequence[str]]]) -> int:
    """One row per figure, one column per size; returns the width of the names column."""
    width = max(len(name) for name, _ in rows) + 2
    column = max(12, *(len(value) + 2 for _, values in rows for value in values))
    print()
    print(f"{'tickets':<{width}}" + "".join(f"{label(size):>{column}}" for size in sizes))
    for name, values in rows:
        print(f"{name:<{width}}" + "".join(f"{value:>{column}}" for value in values))
    return width


def load_averages(values: Sequence[float]) -> str:
    return "/".join(f"{value:.1f}" for value in values)


def print_breakdowns(runs: Sequence[tuple[str, Breakdown]]) -> None:
    """Where the time of each timed dbt run went, one line each."""
    print("\nwhere the dbt time goes (s; node times summed over the threads)")
    for name, parts in runs:
        spent = ", ".join(f"{kind} {value:.1f}" for kind, value in sorted(parts.node_s.items()))
        slowest = ", ".join(f"{node} {value}" for node, value in parts.slowest)
        print(
            f"  {name}: startup+parse {parts.startup_parse_s:.1f}, "
            f"executing {parts.executing_s:.1f} ({spent}), "
            f"publication {fmt(parts.publication_s)}; slowest: {slowest}"
        )


def meets(value: float, limit: float, strict: bool = False) -> bool | None:
    """Whether a measured ratio meets its goal (`strict`: < rather than <=); None when it was
    not measured."""
    if value is None or math.isnan(value):
        return None
    return value < limit if strict else value <= limit


def goal_line(name: str, measured: str, goal: str, met: bool | None, note: str = "") -> str:
    """`  <name>  <measured>   <goal>  met | NOT MET | not measured  (<note>)`."""
    verdict = {True: "met", False: "NOT MET", None: "not measured"}[met]
    return f"  {name:<46}{measured:>9}   {goal:<9}{verdict}" + (f"  ({note})" if note else "")


# --- options, scratch folder and results file ---------------------------------------------


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
        "duckdb_memory_limit": os.environ.get(MEMORY_LIMIT_ENV, "80% (default)"),
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
        f"{MEMORY_LIMIT_ENV}, else 2)",
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


def warehouses(root: Path, size: int) -> Path:
    """The folder of one size's warehouse files (with their BI copies, locks, work copies)."""
    return root / f"t{size}" / "warehouses"


def drop_warehouses(root: Path, size: int) -> None:
    """Delete one size's warehouse files (its deliveries stay until the end)."""
    shutil.rmtree(warehouses(root, size), ignore_errors=True)


def drop_deliveries(root: Path, sizes: list[int]) -> None:
    for size in sizes:
        shutil.rmtree(root / f"t{size}", ignore_errors=True)


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
