"""The synthetic population of one municipality, followed over the years.

Persons age by one year, die, emigrate, move to other municipalities; births
and immigrants enter. Everything is vectorised with NumPy per municipality so
that a whole country is generated in chunks without holding it in memory.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from datapakke.sample.levels import FRAILTY_MORTALITY
from datapakke.sample.profiles import KommuneProfile, single_year_age_weights

MAX_AGE = 104
# Persons get ids "P" + 10 digits; the municipality code leads so chunks never collide.
ID_BLOCK = 10_000_000


@dataclass(frozen=True)
class Destinations:
    """Where movers go: municipality codes and the probability of each."""

    codes: np.ndarray
    probabilities: np.ndarray


@dataclass(frozen=True)
class Cohort:
    """Everyone who lived in one municipality's chunk during the years.

    ``person_years`` is the ``befolkning`` table plus ``id`` (the person's index in
    ``persons``), ``alder`` (age on 1 January) and ``doed_dato`` (death date when
    the person dies that year), which the generators of the other tables use.
    ``persons`` holds one row per person: ``id``, ``pnr``, ``male``, ``foed_dato``
    and ``frailty`` (a lasting proneness to illness, standard normal).
    """

    person_years: pl.DataFrame
    deaths: pl.DataFrame
    persons: pl.DataFrame


def death_probability(age: np.ndarray, male: np.ndarray) -> np.ndarray:
    """Annual probability of death by age and sex (Gompertz-Makeham, Danish level ~2023).

    Gives a life expectancy at birth of about 79.7 years for men and 83.4 for women
    (Statistics Denmark, 2023: 79.6 and 83.3).
    """
    q = 0.00012 + np.exp(-12.0 + 0.11 * age)
    q = np.where(male, q * np.where(age < 85, 1.55, 1.15), q)
    q = np.where(age == 0, 0.0032, q)
    return np.minimum(q, 0.7)


def _move_probability(age: np.ndarray) -> np.ndarray:
    return 0.015 + 0.07 * np.exp(-(((age - 24.0) / 7.0) ** 2))


def _emigration_probability(age: np.ndarray) -> np.ndarray:
    return 0.003 + 0.02 * np.exp(-(((age - 28.0) / 8.0) ** 2))


IMMIGRATION_RATE = 0.0115  # immigrants per resident and year, mostly young adults
FERTILITY_15_49 = 0.046  # births per woman aged 15-49 and year (TFR about 1.6)
MALE_SHARE_AT_BIRTH = 0.513


def _age_on_jan1(birth: np.ndarray, year: int) -> np.ndarray:
    birth_year = birth.astype("datetime64[Y]").astype(int) + 1970
    jan1 = birth.astype("datetime64[Y]").astype("datetime64[D]")
    ages: np.ndarray = (year - birth_year - (birth != jan1)).astype(np.int32)
    return ages


def _random_days_in_year(rng: np.random.Generator, years: np.ndarray) -> np.ndarray:
    starts = (years - 1970).astype("datetime64[Y]").astype("datetime64[D]")
    lengths = np.where((years % 4 == 0) & ((years % 100 != 0) | (years % 400 == 0)), 366, 365)
    days: np.ndarray = starts + (rng.random(len(years)) * lengths).astype("timedelta64[D]")
    return days


def simulate_cohort(
    profile: KommuneProfile,
    years: range,
    destinations: Destinations,
    rng: np.random.Generator,
) -> Cohort:
    """Follow one municipality's population from 1 January of the first year to the last."""
    first = years.start
    n = profile.size
    ages = rng.choice(MAX_AGE + 1, size=n, p=single_year_age_weights(profile.age_tilt))
    # Male share falls with age (women live longer): about 51% below 50, 35% at 90+.
    male = rng.random(n) < np.clip(0.51 - 0.004 * np.maximum(ages - 50, 0), 0.33, 0.51)
    # Born between 2 January and 31 December so that age on 1 January is exactly `ages`.
    birth = _random_days_in_year(rng, first - ages - 1)
    birth = np.where(
        birth.astype("datetime64[Y]").astype("datetime64[D]") == birth,
        birth + np.timedelta64(1, "D"),
        birth,
    )
    kommune = np.full(n, profile.kode, dtype=np.int32)
    ids = np.arange(n, dtype=np.int64)
    present = np.ones(n, dtype=bool)
    death = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    frailty = rng.standard_normal(n)
    # Frail persons die sooner; the factor averages 1 so that life expectancy holds.
    s = FRAILTY_MORTALITY

    frames: list[pl.DataFrame] = []
    for year in years:
        idx = np.flatnonzero(present)
        age = _age_on_jan1(birth[idx], year)
        excess = np.exp(s * frailty[idx] - s * s / 2)
        q = death_probability(age, male[idx]) * profile.mortality * excess
        dies = rng.random(len(idx)) < np.minimum(q, 0.9)
        death_dates = np.full(len(idx), np.datetime64("NaT"), dtype="datetime64[D]")
        death_dates[dies] = _random_days_in_year(rng, np.full(int(dies.sum()), year))
        death[idx[dies]] = death_dates[dies]
        frames.append(
            pl.DataFrame(
                {
                    "id": ids[idx],
                    "aar": np.full(len(idx), year, dtype=np.int32),
                    "male": male[idx],
                    "foed_dato": birth[idx],
                    "kommunekode": kommune[idx],
                    "alder": age,
                    "doed_dato": death_dates,
                }
            )
        )
        # Changes during the year take effect on 1 January of the next.
        alive = idx[~dies]
        alive_age = age[~dies]
        leaves = rng.random(len(alive)) < _emigration_probability(alive_age)
        present[alive[leaves]] = False
        present[idx[dies]] = False
        stays = alive[~leaves]
        moves = rng.random(len(stays)) < _move_probability(age[~dies][~leaves])
        kommune[stays[moves]] = rng.choice(
            destinations.codes, size=int(moves.sum()), p=destinations.probabilities
        )

        women_15_49 = int(np.sum(~male[idx] & (age >= 15) & (age <= 49)))
        births = rng.poisson(FERTILITY_15_49 * women_15_49)
        immigrants = rng.poisson(IMMIGRATION_RATE * len(idx))
        new_ages = np.concatenate(
            [
                np.zeros(births, dtype=np.int64),
                np.clip(rng.normal(29.0, 9.0, immigrants), 0, 85).astype(np.int64),
            ]
        )
        new_birth = _random_days_in_year(rng, year - new_ages)
        new_male = np.concatenate(
            [rng.random(births) < MALE_SHARE_AT_BIRTH, rng.random(immigrants) < 0.5]
        )
        k = len(new_ages)
        ids = np.concatenate([ids, np.arange(len(ids), len(ids) + k)])
        male = np.concatenate([male, new_male])
        birth = np.concatenate([birth, new_birth])
        kommune = np.concatenate([kommune, np.full(k, profile.kode, dtype=np.int32)])
        present = np.concatenate([present, np.ones(k, dtype=bool)])
        death = np.concatenate([death, np.full(k, np.datetime64("NaT"), dtype="datetime64[D]")])
        frailty = np.concatenate([frailty, rng.standard_normal(k)])

    person_years = (
        pl.concat(frames)
        .with_columns(
            pnr=_pnr(profile.kode, pl.col("id")),
            koen=pl.when(pl.col("male")).then(pl.lit("M")).otherwise(pl.lit("K")),
        )
        .select("pnr", "aar", "koen", "foed_dato", "kommunekode", "id", "alder", "doed_dato")
        .sort("pnr", "aar")
    )
    deaths = person_years.filter(pl.col("doed_dato").is_not_null()).select("pnr", "doed_dato")
    persons = pl.DataFrame(
        {"id": ids, "male": male, "foed_dato": birth, "frailty": frailty}
    ).with_columns(pnr=_pnr(profile.kode, pl.col("id")))
    return Cohort(person_years=person_years, deaths=deaths, persons=persons)


def _pnr(kode: int, serial: pl.Expr) -> pl.Expr:
    return pl.format("P{}", (serial + kode * ID_BLOCK).cast(pl.String).str.zfill(10))
