"""The synthetic extract: deterministic, sized per municipality, plausible."""

from __future__ import annotations

import hashlib
from pathlib import Path

import polars as pl
import pytest

from datapakke.geography import load_geography
from datapakke.sample.cohorts import death_probability
from datapakke.sample.generate import generate_sample
from tests.conftest import TINY_SAMPLE


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_same_seed_gives_the_same_bytes(tiny_sample: Path, tmp_path: Path) -> None:
    # The session's tiny sample, made in another process or earlier, is the first run.
    generate_sample(tmp_path / "b", **TINY_SAMPLE)
    assert _digest(tmp_path / "b") == _digest(tiny_sample)  # the marker's row counts too
    other_seed = {**TINY_SAMPLE, "seed": 12}
    third = generate_sample(tmp_path / "c", **other_seed)
    assert (
        _digest(tmp_path / "c")["befolkning.parquet"] != _digest(tiny_sample)["befolkning.parquet"]
    )
    assert third.rows["befolkning"] > 0


def test_municipality_sizes_follow_the_geography(small_sample: Path) -> None:
    geography = load_geography()
    first_year = pl.read_parquet(small_sample / "befolkning.parquet").filter(
        pl.col("aar") == pl.col("aar").min()
    )
    sizes = dict(first_year.group_by("kommunekode").len().iter_rows())
    # In the first year everyone still lives where they were generated: folketal_ca * 0.01.
    for kode in (101, 615, 825):
        assert sizes[kode] == round(geography.kommuner[kode].folketal_ca * 0.01)


def test_levels_are_plausible_for_denmark(small_sample: Path) -> None:
    befolkning = pl.read_parquet(small_sample / "befolkning.parquet")
    deaths = pl.read_parquet(small_sample / "doedsfald.parquet")
    persons = befolkning.filter(pl.col("aar") == 2022).height
    deaths_2022 = deaths.filter(pl.col("doed_dato").dt.year() == 2022).height
    # Denmark: about 57,000 deaths a year in 5.9 million, i.e. 9-10.5 per 1,000.
    assert 8.5 <= 1000 * deaths_2022 / persons <= 11.5
    women = befolkning.filter(pl.col("aar") == 2022)["koen"].eq("K").mean()
    assert 0.49 <= float(women) <= 0.52  # type: ignore[arg-type]


def test_life_expectancy_of_the_mortality_model() -> None:
    import numpy as np

    ages = np.arange(0, 105)
    for male, expected in ((True, 79.7), (False, 83.4)):
        q = death_probability(ages, np.full(len(ages), male))
        survivors = np.cumprod(np.concatenate([[1.0], 1 - q[:-1]]))
        # Deaths mid-year on average: e0 = sum of person-years lived.
        e0 = float(np.sum(survivors * (1 - q / 2)))
        assert e0 == pytest.approx(expected, abs=0.3)
