"""Write a synthetic register extract: one municipality at a time, lean and deterministic."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import polars as pl

from datapakke import __version__
from datapakke.errors import InputError, OutputError
from datapakke.files import ensure_folder, write_text
from datapakke.geography import Geography, load_geography
from datapakke.inputs.read import SYNTHETIC_MARKER
from datapakke.inputs.registers.detect import data_stem
from datapakke.inputs.schema import TABLES
from datapakke.sample.care import hjemmepleje
from datapakke.sample.chronic import debut_dates, kroniske, last_residence, onset_ages
from datapakke.sample.chunk import Chunk, chunk_of
from datapakke.sample.cohorts import Destinations, simulate_cohort
from datapakke.sample.contacts import kontakter
from datapakke.sample.dst import write_dst
from datapakke.sample.prescriptions import recepter
from datapakke.sample.profiles import KommuneProfile, kommune_profiles

DEFAULT_SCALE = 0.05
DEFAULT_SEED = 2027
DEFAULT_YEARS = range(2020, 2025)
# zstd levels: small extracts are committed and shipped, so they get the strongest (slow)
# compression; large ones a fast level, or writing would take longer than simulating.
SMALL_EXTRACT_SCALE = 0.1
STRONG_COMPRESSION, FAST_COMPRESSION = 22, 6

Layout = Literal["national", "per-cluster", "dst"]
FileFormat = Literal["parquet", "csv"]
RESIDENCE = "_bopael"  # the municipality a row belongs to, for per-cluster folders


@dataclass(frozen=True)
class SampleSummary:
    """What was written: files and their row counts."""

    folder: Path
    rows: dict[str, int]
    files: tuple[Path, ...] = ()


def _destinations(profiles: list[KommuneProfile]) -> Destinations:
    # Movers go to large municipalities and cities more than to small ones.
    weights = np.array([p.size * np.exp(0.5 * p.age_tilt) for p in profiles], dtype=float)
    return Destinations(
        codes=np.array([p.kode for p in profiles], dtype=np.int32),
        probabilities=weights / weights.sum(),
    )


def _stream(seed: int, table: int, kode: int) -> np.random.Generator:
    # One stream per table and municipality: a table's rows never depend on another's draws.
    return np.random.default_rng(np.random.SeedSequence([seed, table, kode]))


def simulate_tables(chunk: Chunk, seed: int, deaths: pl.DataFrame) -> dict[str, pl.DataFrame]:
    """All six tables of one municipality's cohort, each with the residence column."""
    kode = chunk.profile.kode
    onsets = onset_ages(_stream(seed, 3, kode), chunk)
    debuts = debut_dates(chunk, onsets)
    residence = last_residence(chunk)
    persons = pl.DataFrame({"pnr": chunk.pnr, RESIDENCE: residence})
    befolkning = pl.DataFrame(
        {
            "pnr": chunk.pnr.gather(chunk.person),
            "aar": chunk.year,
            "koen": np.where(chunk.person_male(), "M", "K"),
            "foed_dato": chunk.birth[chunk.person],
            "kommunekode": chunk.kommune,
        }
    ).with_columns(pl.col("kommunekode").alias(RESIDENCE))
    return {
        "befolkning": befolkning,
        "doedsfald": deaths.join(persons, on="pnr", how="left").sort("pnr"),
        "kontakter": kontakter(_stream(seed, 6, kode), chunk, debuts),
        "recepter": recepter(_stream(seed, 5, kode), chunk, debuts),
        "kroniske": kroniske(chunk, debuts),
        "hjemmepleje": hjemmepleje(_stream(seed, 4, kode), chunk, debuts["demens"]),
    }


def generate_sample(
    out: Path,
    *,
    scale: float = DEFAULT_SCALE,
    seed: int = DEFAULT_SEED,
    years: range = DEFAULT_YEARS,
    layout: Layout = "national",
    file_format: FileFormat = "parquet",
    geography: Geography | None = None,
    progress: Callable[[str], None] | None = None,
) -> SampleSummary:
    """Generate a synthetic extract of all six tables into ``out`` (``dst``: as delivered).

    Each municipality is simulated from its own seeds, so the result does not
    depend on the order of work, and written as part files; the parts are then
    streamed into one file per table (per cluster with ``per-cluster``). The same
    arguments give the same bytes. Nothing replaces ``out``'s files until all
    tables are complete.
    """
    if years.stop - 1 >= dt.date.today().year:
        raise InputError(
            f"--years {years.start}-{years.stop - 1}: the last year must be over, since a "
            "year's contacts and prescriptions run to its 31 December.",
            hint=f"Use years up to {dt.date.today().year - 1}.",
        )
    geography = geography or load_geography()
    profiles = [p for p in kommune_profiles(geography, scale, seed) if p.size > 0]
    destinations = _destinations(profiles)
    klynge_of = {kode: geography.area_of(kode).id for kode in geography.kommuner}
    ensure_folder(out)
    previous = _previous_tables(out)
    # The DST layouts are written from the national contract tables.
    tables_layout: Layout = "national" if layout == "dst" else layout
    rows = dict.fromkeys(TABLES, 0)
    with tempfile.TemporaryDirectory(prefix=".datapakke-sample-", dir=out) as work:
        parts = Path(work) / "parts"
        for profile in profiles:
            cohort = simulate_cohort(profile, years, destinations, _stream(seed, 2, profile.kode))
            chunk = chunk_of(cohort, profile, years)
            for table, frame in simulate_tables(chunk, seed, cohort.deaths).items():
                _write_part(parts, table, profile.kode, frame, tables_layout, klynge_of)
                rows[table] += frame.height
            if progress:
                progress(f"{geography.kommuner[profile.kode].navn}: {profile.size:,} persons")
        staged = Path(work) / "staged"
        level = STRONG_COMPRESSION if scale <= SMALL_EXTRACT_SCALE else FAST_COMPRESSION
        written = _merge(
            parts, staged, "national" if layout == "dst" else layout, file_format, level
        )
        if layout == "dst":
            delivered = Path(work) / "delivered"
            delivered.mkdir()
            written = write_dst(staged, delivered, level)
            staged = delivered
        for path in previous:
            path.unlink()
            if path.parent != out and not any(path.parent.iterdir()):
                path.parent.rmdir()
        files = []
        for path in written:
            target = out / path.relative_to(staged)
            ensure_folder(target.parent)
            shutil.move(path, target)
            files.append(target)
    settings = {
        "scale": scale,
        "seed": seed,
        "years": [years.start, years.stop - 1],
        "layout": layout,
        "format": file_format,
    }
    write_text(
        out / SYNTHETIC_MARKER,
        json.dumps({"generator": f"datapakke {__version__}", **settings, "rows": rows}, indent=2)
        + "\n",
    )
    return SampleSummary(folder=out, rows=rows, files=tuple(files))


def _previous_tables(out: Path) -> list[Path]:
    """Table files already in ``out``: replaced if an earlier sample wrote them, else refused."""
    found = [
        p
        for p in out.rglob("*")
        if p.is_file() and data_stem(p) and ".datapakke-" not in str(p.relative_to(out))
    ]
    if found and not (out / SYNTHETIC_MARKER).is_file():
        raise OutputError(
            f"{out} already holds register tables ({found[0].name}...) not made by "
            "'datapakke sample'.",
            hint="Write the synthetic extract to an empty folder.",
        )
    return found


def _write_part(
    parts: Path,
    table: str,
    kode: int,
    frame: pl.DataFrame,
    layout: Layout,
    klynge_of: dict[int, str],
) -> None:
    columns = TABLES[table].schema.names()
    typed = frame.select(pl.col(c).cast(TABLES[table].schema[c]) for c in columns)
    if layout == "national":
        folder = parts / table
        folder.mkdir(parents=True, exist_ok=True)
        typed.write_parquet(folder / f"{kode:03d}.parquet", compression="lz4")
        return
    klynge = frame[RESIDENCE].replace_strict(klynge_of, return_dtype=pl.String)
    for (name,), group in (
        typed.with_columns(_klynge=klynge)
        .partition_by("_klynge", as_dict=True, maintain_order=True)
        .items()
    ):
        folder = parts / table / str(name)
        folder.mkdir(parents=True, exist_ok=True)
        group.drop("_klynge").write_parquet(folder / f"{kode:03d}.parquet", compression="lz4")


def _merge(
    parts: Path, staged: Path, layout: Layout, file_format: FileFormat, level: int
) -> list[Path]:
    """Stream the part files into one file per table (and cluster); return the files."""
    written = []
    for table in TABLES:
        root = parts / table
        groups = [root] if layout == "national" else sorted(p for p in root.iterdir())
        for group in groups:
            sources = sorted(group.glob("*.parquet"))
            folder = staged if layout == "national" else staged / group.name
            folder.mkdir(parents=True, exist_ok=True)
            scan = pl.scan_parquet(sources)
            if file_format == "parquet":
                target = folder / f"{table}.parquet"
                scan.sink_parquet(target, compression="zstd", compression_level=level)
            else:
                target = folder / f"{table}.csv"
                scan.sink_csv(target, date_format="%Y-%m-%d", datetime_format="%Y-%m-%d %H:%M:%S")
            written.append(target)
    return written
