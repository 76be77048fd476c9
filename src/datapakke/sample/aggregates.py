"""Synthetic aggregate inputs: survey estimates and a population projection, marked as such.

Both are written in the long format of ``docs/aggregates.md`` to the extract's
``aggregater/`` folder, and every row's ``kilde`` says it is synthetic:

- ``sundhedsprofil``: the five survey indicators per municipality, region and the
  country, for the survey years that fall in the extract's years. A municipality's
  true share leans with its synthetic health (``KommuneProfile.morbidity``) plus a
  stable seeded difference; the estimate is a binomial draw among as many
  respondents as the real survey has there (about 4 % of adults, at least 400), with
  Wilson's 95 % interval. Regions and the country are the adult-population weighted
  means of their municipalities, as the publisher's would be.
- ``befolkningsfremskrivning``: the extract's last year's population per municipality,
  sex and age, aged year by year with survival from a Gompertz mortality curve and as
  many births each year as infants in the last year, for the next ten years, in 5-year
  age groups (0-4 ... 90-94, 95+).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import polars as pl

from datapakke.geography import COUNTRY_CODE, Geography
from datapakke.sample.profiles import KommuneProfile

SURVEY_SOURCE = "syntetiske data lavet af datapakke sample (ikke Den Nationale Sundhedsprofil)"
PROJECTION_SOURCE = (
    "syntetiske data lavet af datapakke sample (ikke Danmarks Statistiks befolkningsfremskrivning)"
)
PROJECTION_SERIES = "befolkningsfremskrivning"
# The aggregate files a sample writes (and a later sample into the same folder replaces).
SAMPLE_AGGREGATES = ("sundhedsprofil", PROJECTION_SERIES)
# National levels (per cent of adults 16+) in the last survey year, and the change a year.
SURVEY_LEVELS = {
    "daglig_rygning": (11.5, -0.5),
    "alkohol_over_anbefaling": (16.0, -0.2),
    "svaer_overvaegt": (18.5, 0.3),
    "lav_fysisk_aktivitet": (28.0, 0.2),
    "daarligt_mentalt_helbred": (15.5, 0.4),
}
SURVEY_YEARS = (2010, 2013, 2017, 2021, 2023)
ADULT_SHARE = 0.8  # persons 16+ of all, for the respondents and the regions' weights
RESPONDENT_SHARE, MIN_RESPONDENTS = 0.04, 400
PROJECTION_YEARS = 10
OPEN_BAND = 95
Z95 = 1.959963984540054


def survey_years(years: range) -> tuple[int, ...]:
    """The survey years within ``years``, or its last year when none is."""
    found = tuple(y for y in SURVEY_YEARS if y in years)
    return found or (years.stop - 1,)


def survey_rows(
    profiles: list[KommuneProfile], geography: Geography, years: range, seed: int
) -> pl.DataFrame:
    """The survey's estimates per municipality, region and the country."""
    rows = []
    chosen = survey_years(years)
    for number, (indicator, (level, change)) in enumerate(SURVEY_LEVELS.items()):
        for year in chosen:
            national = level + change * (year - chosen[-1])
            estimates = {}
            for profile in profiles:
                rng = np.random.default_rng(
                    np.random.SeedSequence([seed, 20, number, profile.kode])
                )
                lean = 0.8 * math.log(profile.morbidity) + rng.normal(0.0, 0.12)
                # The same stable difference every year: draw it first, then the year's sample.
                sample = np.random.default_rng(
                    np.random.SeedSequence([seed, 21, number, profile.kode, year])
                )
                adults = geography.kommuner[profile.kode].folketal_ca * ADULT_SHARE
                n = max(MIN_RESPONDENTS, round(RESPONDENT_SHARE * adults))
                true = _expit(_logit(national / 100) + lean)
                x = int(sample.binomial(n, true))
                estimates[profile.kode] = (adults, *_wilson(x, n))
                rows.append(
                    _row(
                        indicator,
                        "kommune",
                        str(profile.kode),
                        year,
                        estimates[profile.kode][1:],
                        n,
                    )
                )
            for level_name, code, members in _wider_areas(geography, estimates):
                rows.append(_row(indicator, level_name, code, year, _weighted(members), None))
    return pl.DataFrame(rows, schema=_SCHEMA, orient="row")


_SCHEMA = {
    "indikator": pl.String,
    "niveau": pl.String,
    "kode": pl.String,
    "periode": pl.String,
    "koen": pl.String,
    "alder": pl.String,
    "vaerdi": pl.Float64,
    "nedre": pl.Float64,
    "oevre": pl.Float64,
    "antal": pl.Int64,
    "grundlag": pl.Int64,
    "kilde": pl.String,
}


def _row(
    indicator: str,
    level: str,
    code: str,
    year: int,
    estimate: tuple[float, float, float],
    respondents: int | None,
) -> tuple[object, ...]:
    value, lower, upper = (round(v, 1) for v in estimate)
    return (indicator, level, code, str(year), None, "16+", value, lower, upper, None,
            respondents, SURVEY_SOURCE)  # fmt: skip


def _wider_areas(
    geography: Geography, estimates: dict[int, tuple[float, float, float, float]]
) -> list[tuple[str, str, list[tuple[float, float, float, float]]]]:
    region = {k: geography.region_of_kommune(k).kode for k in estimates}
    found = [
        ("region", str(r), [e for k, e in estimates.items() if region[k] == r])
        for r in sorted(set(region.values()))
    ]
    return [*found, ("land", COUNTRY_CODE, list(estimates.values()))]


def _weighted(members: list[tuple[float, float, float, float]]) -> tuple[float, float, float]:
    """The adult-weighted mean of the members' estimates, with its 95 % interval."""
    total = sum(w for w, *_ in members)
    value = sum(w * v for w, v, _lo, _hi in members) / total
    se = math.sqrt(
        sum((w / total) ** 2 * ((hi - lo) / (2 * Z95)) ** 2 for w, _v, lo, hi in members)
    )
    return value, max(0.0, value - Z95 * se), min(100.0, value + Z95 * se)


def _wilson(x: int, n: int) -> tuple[float, float, float]:
    centre = (2 * x + Z95**2) / (2 * (n + Z95**2))
    half = Z95 * math.sqrt(Z95**2 + 4 * x * (1 - x / n)) / (2 * (n + Z95**2))
    return 100 * x / n, 100 * (centre - half), 100 * (centre + half)


def _logit(p: float) -> float:
    return math.log(p / (1 - p))


def _expit(v: float) -> float:
    return 1 / (1 + math.exp(-v))


def _annual_survival(age: np.ndarray, male: bool) -> np.ndarray:
    """Gompertz mortality near Denmark's: 3 in 1,000 a year at 50, 5 in 100 at 80 (women;
    men 30 % more)."""
    hazard = 0.003 * np.exp(0.095 * (age - 50.0)) * (1.15 if male else 0.88)
    survival: np.ndarray = np.exp(-np.clip(hazard, 0.0, 5.0))
    return survival


def projection_rows(population: pl.DataFrame, base: int) -> pl.DataFrame:
    """``population`` (``kommunekode, koen, alder, n`` on 1 January ``base``) projected
    ``PROJECTION_YEARS`` years ahead, in 5-year age groups."""
    # A municipality's persons may come from several chunks of the sample (movers): sum.
    summed = population.group_by("kommunekode", "koen", "alder").agg(pl.col("n").sum())
    oldest = summed.select(pl.col("alder").max()).item() + PROJECTION_YEARS + 1
    ages = np.arange(oldest)
    rows = []
    for (kode, sex), group in summed.sort("kommunekode", "koen", "alder").group_by(
        "kommunekode", "koen", maintain_order=True
    ):
        persons = np.zeros(oldest)
        persons[group["alder"].to_numpy()] = group["n"].to_numpy()
        births = persons[0]
        survival = _annual_survival(ages, male=sex == "M")
        for step in range(1, PROJECTION_YEARS + 1):
            persons = np.concatenate(([births], persons[:-1] * survival[:-1]))
            for low in range(0, OPEN_BAND + 1, 5):
                band = persons[low:] if low == OPEN_BAND else persons[low : low + 5]
                label = f"{low}+" if low == OPEN_BAND else f"{low}-{low + 4}"
                rows.append((PROJECTION_SERIES, "kommune", str(kode), str(base + step), sex,
                             label, float(round(band.sum())), None, None, None, None,
                             PROJECTION_SOURCE))  # fmt: skip
    return pl.DataFrame(rows, schema=_SCHEMA, orient="row")


def population_on(befolkning: pl.DataFrame, year: int) -> pl.DataFrame:
    """Persons per ``kommunekode, koen, alder`` (age on 1 January ``year``)."""
    born = pl.col("foed_dato")
    after_new_year = ((born.dt.month() > 1) | (born.dt.day() > 1)).cast(pl.Int32)
    return (
        befolkning.filter(pl.col("aar") == year)
        .group_by("kommunekode", "koen", alder=year - born.dt.year() - after_new_year)
        .agg(n=pl.len())
    )


def write_aggregates(
    folder: Path,
    profiles: list[KommuneProfile],
    geography: Geography,
    years: range,
    seed: int,
    population: pl.DataFrame,
    suffix: str,
) -> dict[Path, int]:
    """Write the survey and the projection into ``folder``; return each file's rows."""
    folder.mkdir(parents=True, exist_ok=True)
    survey, projection = SAMPLE_AGGREGATES
    frames = {
        survey: survey_rows(profiles, geography, years, seed),
        projection: projection_rows(population, years.stop - 1),
    }
    written = {}
    for name, frame in frames.items():
        target = folder / f"{name}{suffix}"
        if suffix == ".csv":
            frame.write_csv(target)
        else:
            frame.write_parquet(target, compression="zstd", compression_level=22)
        written[target] = frame.height
    return written
