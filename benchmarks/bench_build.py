"""Time ``datapakke build --all`` on sample_data/ with --jobs 1 and --jobs 2.

Runs the real command line (as a user would), then reads the stage timings
(compute, model, charts, HTML, PDF) from the manifest each run writes. Prints a
Markdown table and the speed-up of two workers over one.

    make bench                 # or: python benchmarks/bench_build.py [--data DIR] [--jobs 1 2 4]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

STAGES = ("model", "charts", "html", "workbook", "pdf")
AIM_SECONDS = 60.0
AIM_SPEEDUP = 1.7


@dataclass(frozen=True)
class Run:
    """One timed ``build --all``."""

    jobs: int
    wall: float
    compute: float
    render: float
    stages: dict[str, float]
    packs: int
    built: int


def time_build(data: Path, jobs: int) -> Run:
    """Build every pack from scratch into a fresh folder with ``jobs`` workers."""
    with tempfile.TemporaryDirectory(prefix="datapakke-bench-") as folder:
        out = Path(folder)
        command = [sys.executable, "-m", "datapakke", "build", "--all", "--data", str(data),
                   "--out", str(out), "--jobs", str(jobs), "--force"]  # fmt: skip
        started = time.perf_counter()
        finished = subprocess.run(
            command, capture_output=True, text=True, env={**os.environ, "CI": "1"}, check=False
        )
        wall = time.perf_counter() - started
        if finished.returncode != 0:
            sys.exit(f"build --all --jobs {jobs} failed:\n{finished.stdout}\n{finished.stderr}")
        manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    packs = manifest["packs"].values()
    stages = {stage: sum(p["stages"].get(stage, 0.0) for p in packs) for stage in STAGES}
    run = manifest["run"]
    return Run(jobs, wall, run["compute_seconds"], run["render_seconds"], stages,
               len(manifest["packs"]), run["counts"].get("built", 0))  # fmt: skip


def spin(_: int = 0) -> float:
    """A fixed amount of pure-Python work; returns its seconds."""
    started = time.perf_counter()
    total = 0
    for i in range(20_000_000):
        total += i
    return time.perf_counter() - started


def machine_ceiling(processes: int) -> float:
    """The speed-up this machine gives right now for ``processes`` CPU-bound processes.

    The same work once in one process, then ``processes`` times at once: the ratio is
    the best any parallel build can hope for (shared or busy CPUs lower it).
    """
    alone = spin()
    with multiprocessing.get_context("spawn").Pool(processes) as pool:
        pool.map(abs, range(processes))  # the workers are up before the clock starts
        started = time.perf_counter()
        pool.map(spin, range(processes))
        together = time.perf_counter() - started
    return processes * alone / together


def report(runs: list[Run]) -> str:
    """A Markdown table of the runs, and the speed-ups over the first one."""
    lines = [
        "| jobs | packs | compute s | model s | charts s | HTML s | xlsx s | PDF s "
        "| render wall s | total wall s | render speed-up | total speed-up |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    base = runs[0]
    for run in runs:
        s = run.stages
        lines.append(
            f"| {run.jobs} | {run.built} | {run.compute:.2f} | {s['model']:.2f} "
            f"| {s['charts']:.2f} | {s['html']:.2f} | {s['workbook']:.2f} | {s['pdf']:.2f} "
            f"| {run.render:.1f} "
            f"| {run.wall:.1f} | {base.render / run.render:.2f}x | {base.wall / run.wall:.2f}x |"
        )
    lines.append("")
    lines.append(
        "Stage columns are summed over all packs (CPU-seconds spent in each stage, in whichever "
        "worker); wall columns are elapsed time. Total wall includes start-up of the CLI."
    )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("sample_data"))
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument(
        "--repeat",
        type=int,
        default=2,
        help="runs per --jobs value (interleaved; the fastest counts)",
    )
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    print(f"datapakke build --all on {args.data} ({os.cpu_count()} CPUs)", flush=True)
    tries: dict[int, list[Run]] = {jobs: [] for jobs in args.jobs}
    for attempt in range(1, args.repeat + 1):
        for jobs in args.jobs:  # interleaved, so a busy spell on the machine hits both
            print(f"  round {attempt}: --jobs {jobs} ...", flush=True)
            tries[jobs].append(time_build(args.data, jobs))
    # The fastest run is the one least disturbed by anything else on the machine.
    runs = [min(tries[jobs], key=lambda r: r.render) for jobs in args.jobs]
    print()
    print(report(runs))
    if len(runs) > 1:
        best = min(runs, key=lambda r: r.wall)
        speedup = runs[0].render / runs[1].render
        ceiling = machine_ceiling(runs[1].jobs)
        print()
        print(
            f"All {best.packs} packs in {best.wall:.1f} s with --jobs {best.jobs} "
            f"(aim: under {AIM_SECONDS:.0f} s). Render speed-up of --jobs {runs[1].jobs} "
            f"over --jobs {runs[0].jobs}: {speedup:.2f}x (aim: at least {AIM_SPEEDUP}x). "
            f"This machine's own ceiling for {runs[1].jobs} CPU-bound processes, "
            f"measured just now: {ceiling:.2f}x."
        )
    if args.json:
        args.json.write_text(json.dumps([r.__dict__ for r in runs], indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
