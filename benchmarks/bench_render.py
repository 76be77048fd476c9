"""Time the rendering of one pack, stage by stage, in one process.

Indicators are computed once (not timed as a stage); then each repeat renders the
pack exactly as ``datapakke build`` does (``build.render_pack``) and reads the
seconds of each stage (model, charts, html, workbook, pdf) from its result. The
best of ``--repeat`` runs is shown per stage, because on a shared machine the
best run is the one least disturbed by other work. ``--profile`` writes a
cProfile of one more run per pack, for a finer split (SVG, layout, PDF writing).

    .venv/bin/python benchmarks/bench_render.py [--klynge Horsensklyngen Fynsklyngen]
        [--data sample_data] [--repeat 3] [--profile FILE]

Timings are printed, never asserted: a benchmark is not a test.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import logging
import tempfile
import time
from pathlib import Path

from datapakke.geography import load_geography
from datapakke.run.build import PackResult, render_pack
from datapakke.run.load import load_results
from datapakke.run.settings import Settings

STAGES = ("model", "charts", "html", "workbook", "pdf")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--klynge", nargs="+", default=["Horsensklyngen", "Fynsklyngen"])
    parser.add_argument("--data", type=Path, default=Path("sample_data"))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", type=Path, help="write a cProfile of one run to this file")
    arguments = parser.parse_args()
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)

    geography = load_geography("klynger-2022")  # --klynge names 2022 clusters
    started = time.perf_counter()
    _, results = load_results(Settings(arguments.data), geography)
    print(f"compute (once): {time.perf_counter() - started:.1f} s\n")
    print("| pack | pages | " + " | ".join(STAGES) + " | total |")
    print("|---" * (len(STAGES) + 3) + "|")
    day = dt.date(2026, 1, 2)
    with tempfile.TemporaryDirectory(prefix="datapakke-bench-") as folder:
        settings = Settings(data=arguments.data, out=Path(folder))
        for name in arguments.klynge:
            klynge = geography.key_of(geography.find_area(name))

            def render() -> PackResult:
                return render_pack(results, geography, klynge, settings, day=day)  # noqa: B023

            if arguments.profile:
                profiler = cProfile.Profile()
                profiler.runcall(render)
                profiler.dump_stats(arguments.profile.with_suffix(f".{klynge.slug}.prof"))
            runs = [render() for _ in range(arguments.repeat)]
            best = {stage: min(run.stages.get(stage, 0.0) for run in runs) for stage in STAGES}
            total = min(run.seconds for run in runs)
            cells = " | ".join(f"{best[stage]:.2f}" for stage in STAGES)
            print(f"| {klynge.name} | {runs[0].pages} | {cells} | {total:.2f} |", flush=True)


if __name__ == "__main__":
    main()
