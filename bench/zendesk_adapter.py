"""Benchmark of the Zendesk adapter (a benchmark, not a test).

For each size (tickets) it generates a delivery in the shape Fivetran's
Zendesk connector lands (`support-kpis generate --shape zendesk-fivetran`),
which also writes the same rows as a contract folder, then times a full
`dbt build` of each on a fresh warehouse (wall time, CPU time, peak RSS) and
prints the adapter's overhead over the contract path. See docs/benchmarks.md.

    .venv/bin/python bench/zendesk_adapter.py [--sizes 100000,1000000] [--workdir DIR] [--keep]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

from benchlib import BIN, PROJECT_DIR, Run, log, run_dbt, run_timed

from support_kpis.generator.zendesk_shape import TIER_GROUPS


def build(work: Path, name: str, variables: dict[str, object]) -> Run:
    """A full `dbt build` (the safe path a user's build takes) on a fresh warehouse."""
    return run_dbt(["build"], work / name, work / name / "warehouse.duckdb", variables, name)


def bench_size(size: int, root: Path) -> dict[str, object]:
    work = root / f"zendesk_{size}"
    landing = work / "landing"
    log(f"{size:,} tickets: generating the Zendesk-shaped delivery")
    generated = run_timed(
        [
            str(BIN / "support-kpis"),
            "generate",
            str(landing),
            "--tickets",
            str(size),
            "--seed",
            "20250101",
            "--shape",
            "zendesk-fivetran",
            "--seeds",
            str(PROJECT_DIR / "seeds"),
        ],
        work / "generate.log",
    )
    log(f"{size:,} tickets: contract path")
    contract = build(work, "contract", {"raw_path": str(landing / "_contract")})
    log(f"{size:,} tickets: Zendesk adapter path")
    adapter = build(
        work,
        "adapter",
        {
            "raw_source": "zendesk_fivetran",
            "zendesk_path": str(landing),
            "zendesk_group_tiers": TIER_GROUPS,
        },
    )
    return {
        "tickets": size,
        "generate_s": generated.seconds,
        "contract_s": contract.seconds,
        "contract_peak_mb": contract.peak_mb,
        "adapter_s": adapter.seconds,
        "adapter_peak_mb": adapter.peak_mb,
        "adapter_over_contract": adapter.seconds / contract.seconds,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    args = parser.parse_args(argv)
    root = args.workdir or Path(tempfile.mkdtemp(prefix="zendesk_bench_"))
    root.mkdir(parents=True, exist_ok=True)
    try:
        results = [bench_size(int(size), root) for size in args.sizes.split(",")]
    finally:
        if not args.keep and not args.workdir:
            shutil.rmtree(root, ignore_errors=True)
    print(
        f"\n{'tickets':>10} {'contract s':>11} {'peak MB':>8} {'adapter s':>10} "
        f"{'peak MB':>8} {'adapter/contract':>17}"
    )
    for row in results:
        print(
            f"{row['tickets']:>10,} {row['contract_s']:>11.1f} {row['contract_peak_mb']:>8.0f} "
            f"{row['adapter_s']:>10.1f} {row['adapter_peak_mb']:>8.0f} "
            f"{row['adapter_over_contract']:>17.2f}"
        )
    (root / "zendesk_results.json").write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
