"""Where ``datapakke export`` spends its time: each stage timed inside one process.

The stages (import, reading and checking the extract with its parts, each shared frame of
the engine, the counting of every indicator, the roll-up, disclosure control, the
comparisons and trends, writing) are timed by wrapping the functions that run them, so
nothing in the package changes. A stage inside another is indented under it; a shared
frame built inside another (``population`` builds ``persons``) includes it. One run on a
shared machine is noisy: compare stages within a run, and repeat.

    python benchmarks/engine_stages.py --data DIR [--catalogue FILE]
"""

from __future__ import annotations

import argparse
import functools
import resource
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

STARTED = time.perf_counter()
from datapakke.cli import app  # noqa: E402  (timed: the import is a stage)

SPENT: defaultdict[str, float] = defaultdict(float)
CALLS: Counter[str] = Counter()


def _timed(label: str, function: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(function)
    def timed(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            SPENT[label] += time.perf_counter() - started
            CALLS[label] += 1

    return timed


def _wrap(owner: Any, name: str, label: str) -> None:
    setattr(owner, name, _timed(label, getattr(owner, name)))


def _wrap_cached(owner: type, name: str, label: str) -> None:
    prop = owner.__dict__[name]
    timed = functools.cached_property(_timed(label, prop.func))
    timed.__set_name__(owner, name)
    setattr(owner, name, timed)


def instrument() -> None:
    """Wrap every stage (fails loudly when a stage's function has moved)."""
    import polars as pl

    from datapakke.engine import compute, sources
    from datapakke.inputs import integrity, read, validate
    from datapakke.run import export

    SPENT["import (the export path)"] = time.perf_counter() - STARTED
    _wrap(read, "validate_extract", "reading and checking (total)")
    _wrap(validate, "check_source", "  counting pass of each file")
    _wrap(integrity.DecodeGuard, "verdict", "  waiting for the decode child")
    _wrap(validate, "read_deliveries", "  registers as delivered")
    _wrap(validate, "read_aggregates", "  aggregate files")
    _wrap(validate, "_persons_without_population", "  persons without population")
    _wrap(compute, "compute", "compute (total)")
    _wrap(compute, "published_for", "  aggregate inputs")
    for name in ("persons", "population", "stays", "deaths", "disease_years"):
        _wrap_cached(sources.Sources, name, f"  shared frame: {name}")
    _wrap(sources.Sources, "_count_drugs", "  shared frame: drug counts")
    # The engine counts every indicator in one collect_all (this process runs nothing else).
    pl.collect_all = _timed("  counting every indicator (collect_all)", pl.collect_all)
    _wrap(compute, "roll_up_strata", "  roll-up to areas")
    _wrap(compute, "suppress", "  disclosure control")
    _wrap(compute, "add_comparisons", "  comparisons")
    _wrap(compute, "add_trends", "  trends")
    _wrap(export, "export_results", "writing")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--catalogue", type=Path)
    arguments = parser.parse_args()
    instrument()
    chosen = ["--catalogue", str(arguments.catalogue)] if arguments.catalogue else []
    with tempfile.TemporaryDirectory(prefix="datapakke-stages-") as folder:
        command = ["export", "--data", str(arguments.data), *chosen]
        started = time.perf_counter()
        app([*command, "--out", str(Path(folder) / "out.parquet")], standalone_mode=False)
        SPENT["work (all but import)"] = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("\n| stage | s | calls |\n|---|---:|---:|")
    for label, seconds in SPENT.items():
        print(f"| {label} | {seconds:.2f} | {CALLS[label] or 1} |")
    print(f"\npeak {peak:,.0f} MB")


if __name__ == "__main__":
    main()
