"""CPU-seconds of rendering one pack, stage by stage, against a baseline in the same run.

Each round renders every chosen pack once per version, in a fresh process per version
(the versions alternate, so a busy spell on the shared machine hits both); the median
of the rounds is shown. A stage's time is the CPU time of the process (all its
threads), not the wall clock, so other work on the machine barely moves it. The
indicators are computed once per version and kept for the later rounds; they are not
part of any stage. The total is the CPU time of the whole render: the stages, writing
the files and the cycle collection that follows each pack (``collect``), which a batch
pays too.

    .venv/bin/python benchmarks/bench_render.py [--klynge Horsensklyngen Bornholm]
        [--data sample_data] [--rounds 3] [--baseline main] [--profile DIR]

Each version renders one pack untimed first, so that what loads once per process
(imports, fonts, templates) is not counted, as it is not per pack in a batch. Both
documents are timed, the full pack (``fuld``) and the four-page profile (``kort``),
where the version has ``--profil``. ``--baseline`` is a git ref (exported, see
``baseline.py``) or another checkout's ``src`` folder: its packs are timed beside this
one's, stage by stage, and the ratio of the totals printed (below 1: this one is
faster). ``--profile DIR`` writes a cProfile of one render of each pack (this version)
to DIR. Timings are printed, never asserted: a benchmark is not a
test.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from baseline import baseline_src, temporary_folder

STAGES = ("model", "charts", "html", "workbook", "pdf")
HERE = Path(__file__).resolve().parent.parent / "src"
# What a child process runs: render each pack once and print its CPU seconds as JSON.
CHILD = r"""
import cProfile, datetime as dt, json, logging, pickle, resource, sys, time, types
from pathlib import Path
from datapakke.geography import load_geography
from datapakke.run import build
from datapakke.run.load import load_results
from datapakke.run.settings import Settings

data, cache, out, profile_dir = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4]
packs = json.loads(sys.argv[5])
logging.getLogger("weasyprint").setLevel(logging.ERROR)
logging.getLogger("fontTools").setLevel(logging.ERROR)
geography = load_geography("klynger-2022")  # --klynge names 2022 clusters
if cache.exists():
    results = pickle.loads(cache.read_bytes())
else:
    _, results = load_results(Settings(data), geography)
    cache.write_bytes(pickle.dumps(results))
# The stage clock reads time.perf_counter: give it the process's CPU clock instead.
build.time = types.SimpleNamespace(perf_counter=time.process_time)
day = dt.date(2026, 1, 2)


def settings_for(kind):
    # A version with the four-page profile builds either document (--profil); one
    # without it has the full pack only.
    try:
        return Settings(data=data, out=out, profil=kind)
    except TypeError:
        return Settings(data=data, out=out) if kind == "fuld" else None


found = {}
warm = False
for name, kind in packs:
    area = geography.key_of(geography.find_area(name))
    settings = settings_for(kind)
    if settings is None:
        continue
    def run():
        return build.render_pack(results, geography, area, settings, day=day)
    if profile_dir:
        profiler = cProfile.Profile()
        profiler.runcall(run)
        profiler.dump_stats(str(Path(profile_dir) / f"{area.slug}-{kind}.prof"))
    elif not warm:  # imports, fonts and templates load once per process, as in a batch
        run()
    warm = True
    # The total is the process's CPU time around the whole render, so it counts the cycle
    # collection that follows each pack (render_pack runs it) and the stages do not.
    before = time.process_time()
    result = run()
    total = time.process_time() - before
    found[f"{name}|{kind}"] = {
        "pages": result.pages, "collect": total - result.seconds, "total": total, **result.stages
    }
found["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(found))
"""


def render_once(
    src: Path, data: Path, cache: Path, packs: list[tuple[str, str]], profile: Path | None
) -> dict[str, dict[str, float] | float]:
    """Render ``packs`` once with the datapakke in ``src``, in a process of its own."""
    with tempfile.TemporaryDirectory(prefix="datapakke-bench-") as out:
        env = {**os.environ, "PYTHONPATH": str(src)}
        finished = subprocess.run(
            [sys.executable, "-c", CHILD, str(data), str(cache), out, str(profile or ""),
             json.dumps(packs)],
            capture_output=True, text=True, env=env, check=False,
        )  # fmt: skip
    if finished.returncode != 0:
        sys.exit(f"rendering with {src} failed:\n{finished.stderr}")
    found: dict[str, dict[str, float] | float] = json.loads(finished.stdout.splitlines()[-1])
    return found


def median_runs(runs: list[dict[str, dict[str, float] | float]], key: str) -> dict[str, float]:
    """The median of each stage (and the total) over the rounds."""
    rows = [run[key] for run in runs if key in run]
    return {
        name: statistics.median(float(row[name]) for row in rows if isinstance(row, dict))
        for name in ("pages", "total", "collect", *STAGES)
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--klynge", nargs="+", default=["Horsensklyngen", "Bornholm"])
    parser.add_argument("--data", type=Path, default=Path("sample_data"))
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--baseline", help="a git ref or src folder of a version to compare")
    parser.add_argument("--profile", type=Path, help="write a cProfile of each pack here")
    arguments = parser.parse_args()
    packs = [(name, kind) for name in arguments.klynge for kind in ("fuld", "kort")]
    versions = {"this": HERE}
    runs: dict[str, list[dict[str, dict[str, float] | float]]] = {"this": []}
    with (
        tempfile.TemporaryDirectory(prefix="datapakke-bench-results-") as caches,
        temporary_folder() as exported,
    ):
        if arguments.baseline:
            versions["baseline"] = baseline_src(arguments.baseline, Path(exported))
            runs["baseline"] = []
        for round_number in range(arguments.rounds):
            for version, src in versions.items():
                print(f"  round {round_number + 1}: {version} ...", file=sys.stderr, flush=True)
                profile = arguments.profile if version == "this" and round_number == 0 else None
                if profile:
                    profile.mkdir(parents=True, exist_ok=True)
                cache = Path(caches) / f"{version}.pickle"
                runs[version].append(render_once(src, arguments.data, cache, packs, profile))
    print(f"Render CPU-seconds, median of {arguments.rounds} rounds ({arguments.data}):\n")
    header = "| pack | | version | pages | " + " | ".join(STAGES) + " | collect | total | ratio |"
    print(header)
    print("|---" * (header.count("|") - 1) + "|")
    for name, kind in packs:
        key = f"{name}|{kind}"
        medians = {
            version: median_runs(found, key)
            for version, found in runs.items()
            if any(key in run for run in found)
        }
        if "this" not in medians:
            continue
        for version, median in medians.items():
            cells = " | ".join(f"{median[stage]:.2f}" for stage in (*STAGES, "collect"))
            ratio = (
                f"{median['total'] / medians['baseline']['total']:.2f}"
                if version == "this" and "baseline" in medians
                else ""
            )
            print(
                f"| {name} | {kind} | {version} | {median['pages']:.0f} | {cells} "
                f"| {median['total']:.2f} | {ratio} |"
            )
    for version, found in runs.items():
        peak = max(float(run["peak_mb"]) for run in found if isinstance(run["peak_mb"], float))
        print(f"\nPeak memory of a {version} process (compute included): {peak:.0f} MB")


if __name__ == "__main__":
    main()
