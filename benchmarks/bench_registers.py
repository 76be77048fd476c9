"""Read the registers as delivered against the contract layout: ``export`` time and peak memory.

Writes the same synthetic Denmark twice (``sample`` and ``sample --layout dst``, same
seed, scale and years), then times ``datapakke export`` on each, paired and
alternating, and reports medians, ratios (aim: within 1.5x in time and memory)
and the row counts of the registers read. National scale is heavy: the make target
takes the shared lock (run the script directly under
``flock /tmp/datapakke-heavy.lock``).

    make bench-registers                          # scale 0.05
    make bench-registers SCALE=1
    python benchmarks/bench_registers.py --scale 1 --runs 3 --work /big/disk
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

AIM_RATIO = 1.5
# Runs the CLI in this process and prints its peak resident memory (KiB, with any children).
_MEASURED = """
import resource, sys
from datapakke.cli import main
sys.argv = ["datapakke", *sys.argv[1:]]
try:
    main()
except SystemExit as done:
    code = done.code or 0
else:
    code = 0
peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
           resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
print(f"PEAK_KIB {peak}", file=sys.stderr)
sys.exit(code)
"""


def measured(*args: str) -> tuple[float, float]:
    """Run ``datapakke ARGS`` in a fresh process: (seconds, peak GiB)."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _MEASURED, *args], capture_output=True, text=True, check=False
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"datapakke {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    peak = next(int(line.split()[1]) for line in done.stderr.splitlines() if "PEAK_KIB" in line)
    return seconds, peak / 2**20


def make_samples(work: Path, scale: float, years: str) -> dict[str, Path]:
    """The two layouts of one synthetic Denmark (reused when already written with these)."""
    folders = {"contract": work / "contract", "dst": work / "dst"}
    for layout, folder in folders.items():
        marker = folder / "datapakke-sample.json"
        if marker.is_file():
            settings = json.loads(marker.read_text(encoding="utf-8"))
            if settings["scale"] == scale and settings["layout"] == (
                "national" if layout == "contract" else "dst"
            ):
                continue
        seconds, peak = measured("sample", "--out", str(folder), "--scale", str(scale),
                                 "--years", years, "--layout",
                                 "national" if layout == "contract" else "dst")  # fmt: skip
        print(f"sample {layout}: {seconds:.0f} s, {peak:.1f} GiB peak", flush=True)
    return folders


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=0.05)
    parser.add_argument("--years", default="2020-2024")
    parser.add_argument("--runs", type=int, default=3)  # pairs of runs
    parser.add_argument("--work", type=Path, default=None, help="Keep the samples here.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="datapakke-bench-registers-") as scratch:
        work = args.work or Path(scratch)
        folders = make_samples(work, args.scale, args.years)
        times: dict[str, list[float]] = {name: [] for name in folders}
        peaks: dict[str, list[float]] = {name: [] for name in folders}
        for run in range(args.runs):
            # Alternate the order, so that neither layout always runs on a warm cache.
            order = list(folders) if run % 2 == 0 else list(reversed(folders))
            for name in order:
                out = work / f"export-{name}.parquet"
                seconds, peak = measured("export", "--data", str(folders[name]), "--out", str(out))
                times[name].append(seconds)
                peaks[name].append(peak)
                print(f"run {run + 1} {name}: {seconds:.1f} s, {peak:.2f} GiB", flush=True)
    median_time = {name: statistics.median(values) for name, values in times.items()}
    median_peak = {name: statistics.median(values) for name, values in peaks.items()}
    time_ratio = median_time["dst"] / median_time["contract"]
    peak_ratio = median_peak["dst"] / median_peak["contract"]
    print(f"\n`datapakke export` at scale {args.scale:g}, years {args.years}, "
          f"median of {args.runs} paired runs:\n")  # fmt: skip
    print("| layout | time (s) | peak memory (GiB) |\n|---|---|---|")
    for name in folders:
        print(f"| {name} | {median_time[name]:.1f} | {median_peak[name]:.2f} |")
    print(f"| ratio dst/contract | {time_ratio:.2f}x | {peak_ratio:.2f}x |")
    pairs = [d / c for d, c in zip(times["dst"], times["contract"], strict=True)]
    print("\ntime ratio of each pair: " + ", ".join(f"{r:.2f}x" for r in pairs))
    verdict = "within" if max(time_ratio, peak_ratio) <= AIM_RATIO else "over"
    print(f"\n{verdict} the aim of {AIM_RATIO}x in time and memory")


if __name__ == "__main__":
    main()
