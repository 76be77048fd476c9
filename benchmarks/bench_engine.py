"""Time the engine against a pandas baseline and the I/O floor, paired, in one run.

Five whole processes, in turn, ``--repeats`` times (the order rotates each round):
``datapakke export`` of the five indicators of issue 13 (a catalogue of just
them), the same five in ``pandas_baseline.py``, ``export`` of the whole
catalogue, the I/O floor (every table read with Polars), and ``datapakke
validate`` (reading with every check ``export`` makes before it computes: the
floor a tool that must check its input cannot go below). Each process
reports its import time, its work time and its peak memory; its CPU time is
taken from here. The ratios are taken within a round and their median printed,
so a busy machine slows both sides of a ratio alike. Then the five indicators of
both are compared number by number.
With ``--baseline`` (a git ref or a ``src`` folder, see ``baseline.py``) the two
``export`` runs of that version join the rotation, and the ratios of the baseline
to this version are printed too, with whether both give the same table.

    make bench                                   # scale 0.1, generated once and cached
    python benchmarks/bench_engine.py --national # scale 1 (5.9 million persons)
    python benchmarks/bench_engine.py --data DIR --repeats 5 --baseline main
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import polars as pl
from baseline import baseline_src, compiled, temporary_folder

import datapakke
from datapakke.engine.catalogue import CATALOGUE_FILE
from datapakke.geography import load_geography

FIVE = (
    "folketal",
    "prev_type2_diabetes",
    "forebyggelige_indl_65",
    "genindl_30d_65",
    "polyfarmaci_65",
)
AIMS = {"pandas / five at scale 0.1": 5.0, "pandas / five at scale 1": 10.0}
AIM_FLOOR_RATIO = 3.0
HERE = Path(__file__).parent

# Runs the CLI in-process after timing the imports; prints what it measured as JSON.
# The import time includes the modules ``export`` imports only when it runs (the engine,
# scipy, the readers), so that the work is the work alone; the Parquet decode child is
# started before them, as the commands start it (a version without ``warm_up`` skips it).
_TIMED_CLI = """
import json, resource, sys, time
started = time.perf_counter()
from datapakke.cli import app
from datapakke.inputs import integrity
getattr(integrity, "warm_up", lambda: None)()
import datapakke.run.export, datapakke.run.load
imported = time.perf_counter()
try:
    app(sys.argv[1:], standalone_mode=False)
finally:
    done = time.perf_counter()
    who = (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    peak = max(resource.getrusage(w).ru_maxrss for w in who)
    print(json.dumps({"import_seconds": imported - started, "work_seconds": done - imported,
                      "peak_mb": peak / 1024}))
"""
_IO_FLOOR = """
import json, resource, sys, time
from pathlib import Path
started = time.perf_counter()
import polars as pl
imported = time.perf_counter()
rows = sum(pl.read_parquet(p).height for p in sorted(Path(sys.argv[1]).glob("*.parquet")))
done = time.perf_counter()
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"import_seconds": imported - started, "work_seconds": done - imported,
                  "peak_mb": peak / 1024, "rows": rows}))
"""


def sample_folder(scale: float) -> Path:
    """A synthetic extract at ``scale``, generated once into the user's cache."""
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    folder = cache / "datapakke-bench" / f"scale-{scale:g}"
    if not (folder / "hjemmepleje.parquet").is_file():
        print(f"Generating the scale {scale:g} extract into {folder} (once) ...", flush=True)
        command = [
            sys.executable,
            "-m",
            "datapakke",
            "sample",
            "--out",
            str(folder),
            "--scale",
            str(scale),
        ]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return folder


def scale_of(data: Path) -> float | None:
    """The scale ``datapakke sample`` wrote ``data`` at (None: not a sample, or unknown)."""
    try:
        written = json.loads((data / "datapakke-sample.json").read_text(encoding="utf-8"))
        return float(written["scale"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def five_catalogue(target: Path) -> Path:
    """The bundled catalogue with only the five benchmark indicators."""
    text = CATALOGUE_FILE.read_text(encoding="utf-8")
    head, *entries = re.split(r"(?m)^(?=\[\[indicator\]\])", text)
    kept = [e for e in entries if re.search(r'^id = "([^"]+)"', e, re.M)[1] in FIVE]  # type: ignore[index]
    target.write_text(head + "".join(kept), encoding="utf-8")
    return target


def measure(command: list[str]) -> dict[str, float]:
    """Run one process; its own report plus the wall time seen from here and the CPU time
    (user + system) of the process and the children it waited for (the decode child).

    The CPU time is the steadier measure on a loaded machine: waiting for a core
    lengthens the wall time, not the CPU time."""
    before = _cpu_of_children()
    started = _now()
    child = subprocess.run(command, capture_output=True, text=True, check=False)
    wall = _now() - started
    if child.returncode != 0:
        sys.exit(f"failed: {' '.join(command)}\n{child.stdout}\n{child.stderr}")
    report: dict[str, float] = json.loads(child.stdout.strip().splitlines()[-1])
    return {**report, "wall_seconds": wall, "cpu_seconds": _cpu_of_children() - before}


def _cpu_of_children() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def _now() -> float:
    import time

    return time.perf_counter()


def compare(datapakke: Path, pandas: Path) -> pl.DataFrame:
    """Per indicator: published rows, differing counts and the largest relative differences."""
    ours = pl.read_parquet(datapakke).filter(pl.col("flag") == "ok")
    theirs = pl.read_parquet(pandas).with_columns(
        pl.col("year").cast(pl.Int32), pl.col("numerator", "denominator").cast(pl.Int64)
    )
    joined = ours.join(
        theirs, on=["indicator_id", "area_level", "area_code", "year"], how="left", suffix="_pandas"
    )

    def relative(column: str) -> pl.Expr:
        difference = (pl.col(column) - pl.col(f"{column}_pandas")).abs() / pl.col(column).abs()
        return difference.max().alias(f"max_rel_{column}")

    return (
        joined.group_by("indicator_id")
        .agg(
            pl.len().alias("rows"),
            pl.col("value_pandas").is_null().sum().alias("missing"),
            (pl.col("numerator") != pl.col("numerator_pandas")).sum().alias("numerators_differ"),
            (
                pl.col("denominator").is_not_null()
                & (pl.col("denominator") != pl.col("denominator_pandas"))
            )
            .sum()
            .alias("denominators_differ"),
            *(relative(c) for c in ("value", "lower", "upper")),
        )
        .sort("indicator_id")
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, help="an extract to use (default: generated)")
    parser.add_argument("--scale", type=float, default=0.1)
    parser.add_argument("--national", action="store_true", help="scale 1 (national size)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--baseline", help="a git ref or src folder of a version to compare")
    arguments = parser.parse_args()
    generated = 1.0 if arguments.national else arguments.scale
    data = arguments.data or sample_folder(generated)
    scale = scale_of(data) if arguments.data else generated
    with (
        tempfile.TemporaryDirectory(prefix="datapakke-bench-engine-") as folder,
        temporary_folder() as exported,
    ):
        work = Path(folder)
        compiled(Path(datapakke.__file__).parent)
        five = five_catalogue(work / "five.toml")
        load_geography().membership().write_csv(work / "membership.csv")
        cli = [sys.executable, "-c", _TIMED_CLI]
        runs = {
            "five (datapakke)": [
                *cli,
                "export",
                "--data",
                str(data),
                "--catalogue",
                str(five),
                "--out",
                str(work / "five.parquet"),
            ],
            "five (pandas)": [
                sys.executable,
                str(HERE / "pandas_baseline.py"),
                "--data",
                str(data),
                "--membership",
                str(work / "membership.csv"),
                "--out",
                str(work / "pandas.parquet"),
            ],
            "catalogue (datapakke)": [
                *cli,
                "export",
                "--data",
                str(data),
                "--out",
                str(work / "all.parquet"),
            ],
            "I/O floor (polars)": [sys.executable, "-c", _IO_FLOOR, str(data)],
            "read and validate (datapakke)": [*cli, "validate", "--data", str(data)],
        }
        if arguments.baseline:
            source = compiled(baseline_src(arguments.baseline, Path(exported)))
            for name in ("five", "catalogue"):
                ours = runs[f"{name} (datapakke)"]
                out = str(work / f"baseline-{name}.parquet")
                runs[f"{name} (baseline)"] = [*_with_path(source), *ours[3:-1], out]
        results: dict[str, list[dict[str, float]]] = {name: [] for name in runs}
        names = list(runs)
        for round_number in range(arguments.repeats):
            shift = round_number % len(names)
            for name in names[shift:] + names[:shift]:
                results[name].append(measure(runs[name]))
                print(
                    f"  round {round_number + 1}: {name}: "
                    f"{results[name][-1]['wall_seconds']:.2f} s",
                    flush=True,
                )
        agreement = compare(work / "five.parquet", work / "pandas.parquet")
        same = {
            name: pl.read_parquet(work / f"baseline-{name}.parquet").equals(
                pl.read_parquet(work / f"{'all' if name == 'catalogue' else name}.parquet"),
                null_equal=True,
            )
            for name in ("five", "catalogue")
            if arguments.baseline
        }
    report(data, scale, results, agreement, same)


def _with_path(source: Path) -> list[str]:
    """The interpreter, importing the package from ``source`` before this checkout's."""
    inject = f"import sys; sys.path.insert(0, {str(source)!r}); "
    return [sys.executable, "-c", inject + _TIMED_CLI]


def report(
    data: Path,
    scale: float | None,
    results: dict[str, list[dict[str, float]]],
    agreement: pl.DataFrame,
    same: dict[str, bool],
) -> None:
    """Print the Markdown tables, the paired ratios and the aims."""
    load = os.getloadavg()
    size = "scale unknown: not a datapakke sample" if scale is None else f"scale {scale:g}"
    print(
        f"\nEngine benchmark on {data} ({size}), {len(results['five (pandas)'])} "
        f"rounds, load average {load[0]:.1f} / {load[1]:.1f}\n"
    )
    print("| process | wall s | import s | work s | CPU s | peak MB |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, runs in results.items():
        medians = {k: statistics.median(r[k] for r in runs) for k in runs[0] if k != "rows"}
        print(
            f"| {name} | {medians['wall_seconds']:.2f} | {medians['import_seconds']:.2f} | "
            f"{medians['work_seconds']:.2f} | {medians['cpu_seconds']:.2f} | "
            f"{medians['peak_mb']:,.0f} |"
        )

    def ratio(top: str, bottom: str, key: str) -> float:
        pairs = zip(results[top], results[bottom], strict=True)
        return statistics.median(a[key] / b[key] for a, b in pairs)

    speedup = ratio("five (pandas)", "five (datapakke)", "wall_seconds")
    floor = ratio("catalogue (datapakke)", "I/O floor (polars)", "work_seconds")
    aim = None
    if scale is not None:
        aim = AIMS["pandas / five at scale 1" if scale >= 1 else "pandas / five at scale 0.1"]
    verdict = (
        "no aim at this size"
        if aim is None
        else f"aim >= {aim:g}x: " + ("met" if speedup >= aim else "NOT met")
    )
    print(f"\npandas / datapakke, five indicators, whole processes: {speedup:.2f}x ({verdict})")
    verdict = "met" if floor <= AIM_FLOOR_RATIO else "NOT met"
    print(
        f"whole catalogue / I/O floor, import excluded: {floor:.2f}x "
        f"(aim <= {AIM_FLOOR_RATIO:g}x: {verdict})"
    )
    checked = ratio("catalogue (datapakke)", "read and validate (datapakke)", "work_seconds")
    print(f"whole catalogue / read and validate, import excluded: {checked:.2f}x")
    cpu = ratio("five (pandas)", "five (datapakke)", "cpu_seconds")
    print(f"pandas / datapakke, five indicators, CPU time: {cpu:.2f}x")
    for name, equal in same.items():
        wall, work, cpu = (
            ratio(f"{name} (baseline)", f"{name} (datapakke)", key)
            for key in ("wall_seconds", "work_seconds", "cpu_seconds")
        )
        print(
            f"baseline / this version, {name}: {wall:.2f}x wall, {work:.2f}x work, "
            f"{cpu:.2f}x CPU ({'the same table' if equal else 'the tables DIFFER'})"
        )
    print("\nThe five indicators, datapakke's published rows against pandas:\n")
    with pl.Config(tbl_rows=10, tbl_cols=10, tbl_width_chars=140):
        print(agreement)
    disagree = agreement.filter(
        (pl.col("missing") > 0)
        | (pl.col("numerators_differ") > 0)
        | (pl.col("denominators_differ") > 0)
        | (pl.col("max_rel_value").fill_null(0) > 1e-9)
    )
    if not disagree.is_empty():
        sys.exit("pandas and datapakke disagree: " + ", ".join(disagree["indicator_id"]))


if __name__ == "__main__":
    main()
