"""Write a synthetic register extract: one municipality at a time, lean and deterministic."""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

from datapakke import __version__
from datapakke.extracts.read import SYNTHETIC_MARKER
from datapakke.extracts.schema import TABLES
from datapakke.files import ensure_folder, write_text
from datapakke.geography import Geography, load_geography
from datapakke.sample.population import Cohort, Destinations, simulate_cohort
from datapakke.sample.profiles import KommuneProfile, kommune_profiles

DEFAULT_SCALE = 0.05
DEFAULT_SEED = 2027
DEFAULT_YEARS = range(2020, 2025)


@dataclass(frozen=True)
class SampleSummary:
    """What was written: files and their row counts."""

    folder: Path
    rows: dict[str, int]


def _destinations(profiles: list[KommuneProfile]) -> Destinations:
    # Movers go to large municipalities and cities more than to small ones.
    weights = np.array([p.size * np.exp(0.5 * p.age_tilt) for p in profiles], dtype=float)
    return Destinations(
        codes=np.array([p.kode for p in profiles], dtype=np.int32),
        probabilities=weights / weights.sum(),
    )


def _tables_of(cohort: Cohort) -> dict[str, pl.DataFrame]:
    return {
        "befolkning": cohort.person_years.select(TABLES["befolkning"].schema.names()),
        "doedsfald": cohort.deaths,
    }


def generate_sample(
    out: Path,
    *,
    scale: float = DEFAULT_SCALE,
    seed: int = DEFAULT_SEED,
    years: range = DEFAULT_YEARS,
    geography: Geography | None = None,
    progress: Callable[[str], None] | None = None,
) -> SampleSummary:
    """Generate a synthetic extract into ``out`` (one Parquet file per table).

    Each municipality is simulated from its own seed, so the result does not
    depend on the order of work, and written as a part file; the parts are then
    streamed into one file per table. The same arguments give the same bytes.
    """
    geography = geography or load_geography()
    profiles = [p for p in kommune_profiles(geography, scale, seed) if p.size > 0]
    destinations = _destinations(profiles)
    ensure_folder(out)
    rows: dict[str, int] = {}
    with tempfile.TemporaryDirectory(prefix=".datapakke-sample-", dir=out) as parts_dir:
        parts = Path(parts_dir)
        for profile in profiles:
            rng = np.random.default_rng(np.random.SeedSequence([seed, 2, profile.kode]))
            cohort = simulate_cohort(profile, years, destinations, rng)
            for table, frame in _tables_of(cohort).items():
                frame.write_parquet(parts / f"{table}-{profile.kode:03d}.parquet")
            if progress:
                progress(f"{geography.kommuner[profile.kode].navn}: {profile.size} persons")
        for table in _tables_of(cohort):
            target = out / f"{table}.parquet"
            staged = parts / f"{table}.parquet"
            pl.scan_parquet(sorted(parts.glob(f"{table}-*.parquet"))).sink_parquet(staged)
            rows[table] = pl.scan_parquet(staged).select(pl.len()).collect().item()
            shutil.move(staged, target)
    settings = {"scale": scale, "seed": seed, "years": [years.start, years.stop - 1]}
    write_text(
        out / SYNTHETIC_MARKER,
        json.dumps({"generator": f"datapakke {__version__}", **settings, "rows": rows}, indent=2)
        + "\n",
    )
    return SampleSummary(folder=out, rows=rows)
