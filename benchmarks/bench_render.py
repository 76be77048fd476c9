"""Time the rendering of one pack, stage by stage: model, charts, layout, write.

Indicators are computed once (not timed as a stage); then each repeat builds the
pack model, draws its charts, lays the HTML out with WeasyPrint and writes the PDF.
The best of ``--repeat`` runs is shown per stage, because on a shared machine the
best run is the one least disturbed by other work.

    .venv/bin/python benchmarks/bench_render.py [--klynge Horsensklyngen Fynsklyngen]
        [--data sample_data] [--repeat 3] [--profile FILE]

Timings are printed, never asserted: a benchmark is not a test.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import io
import logging
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from datapakke import render, workbook
from datapakke.build import load_results
from datapakke.geography import Geography, Klynge, load_geography
from datapakke.indicators.compute import Results
from datapakke.pack import build_pack

STAGES = ("model", "charts", "html", "layout", "write")
T = TypeVar("T")


def timed(clock: dict[str, float], stage: str, work: Callable[[], T]) -> T:
    """Run ``work`` and add its wall time to ``clock[stage]``."""
    started = time.perf_counter()
    result = work()
    clock[stage] = clock.get(stage, 0.0) + time.perf_counter() - started
    return result


def render_once(
    results: Results, geography: Geography, klynge: Klynge, out: Path
) -> dict[str, float]:
    """Render one pack as ``build`` does, timing each stage; return seconds per stage."""
    import weasyprint

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    clock: dict[str, float] = {}
    day = dt.date(2026, 1, 2)
    pack = timed(
        clock,
        "model",
        lambda: build_pack(results, geography, klynge, build_date=day, version="bench"),
    )
    svgs = timed(clock, "charts", lambda: render.draw_charts(pack))
    html = timed(
        clock, "html", lambda: render.render_html(pack, svgs, render.template_environment())
    )
    roots = (render.bundled_templates_dir(),)
    document = timed(
        clock,
        "layout",
        lambda: weasyprint.HTML(
            string=html,
            base_url=str(roots[0]) + "/",
            url_fetcher=render._only_bundled_assets(roots),
        ).render(pdf_variant="pdf/ua-1"),
    )
    numbers = workbook.pack_workbook(pack)
    attachment = weasyprint.Attachment(
        file_obj=io.BytesIO(numbers), name="tal.xlsx", relationship="Data"
    )
    timed(
        clock,
        "write",
        lambda: document.write_pdf(
            out / f"{klynge.id}.pdf",
            pdf_variant="pdf/ua-1",
            pdf_identifier=b"datapakke",
            attachments=[attachment],
        ),
    )
    clock["pages"] = len(document.pages)
    return clock


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--klynge", nargs="+", default=["Horsensklyngen", "Fynsklyngen"])
    parser.add_argument("--data", type=Path, default=Path("sample_data"))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", type=Path, help="write a cProfile of one run to this file")
    arguments = parser.parse_args()

    geography = load_geography()
    started = time.perf_counter()
    _, results = load_results(arguments.data, geography)
    print(f"compute (once): {time.perf_counter() - started:.1f} s\n")
    print("| pack | pages | " + " | ".join(STAGES) + " | total |")
    print("|---" * (len(STAGES) + 3) + "|")
    with tempfile.TemporaryDirectory(prefix="datapakke-bench-") as folder:
        for name in arguments.klynge:
            klynge = geography.find_klynge(name)
            if arguments.profile:
                profiler = cProfile.Profile()
                profiler.runcall(render_once, results, geography, klynge, Path(folder))
                profiler.dump_stats(arguments.profile.with_suffix(f".{klynge.id}.prof"))
            runs = [
                render_once(results, geography, klynge, Path(folder))
                for _ in range(arguments.repeat)
            ]
            best = {stage: min(run[stage] for run in runs) for stage in STAGES}
            total = min(sum(run[stage] for stage in STAGES) for run in runs)
            cells = " | ".join(f"{best[stage]:.2f}" for stage in STAGES)
            print(f"| {klynge.navn} | {runs[0]['pages']:.0f} | {cells} | {total:.2f} |", flush=True)


if __name__ == "__main__":
    main()
