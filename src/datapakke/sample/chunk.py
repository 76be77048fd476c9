"""One municipality's simulated people as NumPy arrays, and tools the table generators share."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import polars as pl
from scipy.special import ndtr

from datapakke.sample.cohorts import Cohort
from datapakke.sample.profiles import KommuneProfile

DAY = np.timedelta64(1, "D")


@dataclass(frozen=True)
class Chunk:
    """Persons (indexed 0..n-1) and person-years of one municipality's cohort.

    Person-year arrays (``year``, ``age``...) are aligned; ``person`` indexes the
    person arrays. ``end`` is the day after the last day the person is observed
    in the year (the day after death, or 1 January of the next year).
    """

    profile: KommuneProfile
    years: range
    pnr: pl.Series
    birth: np.ndarray
    male: np.ndarray
    frailty: np.ndarray
    person: np.ndarray
    year: np.ndarray
    age: np.ndarray
    kommune: np.ndarray
    death: np.ndarray
    start: np.ndarray
    end: np.ndarray

    @property
    def last_day(self) -> np.datetime64:
        """31 December of the last year: nothing happens after it."""
        return np.datetime64(f"{self.years.stop - 1}-12-31")

    def person_male(self) -> np.ndarray:
        """Sex of each person-year."""
        return self.male[self.person]  # type: ignore[no-any-return]

    def person_frailty(self) -> np.ndarray:
        """Frailty of each person-year."""
        return self.frailty[self.person]  # type: ignore[no-any-return]


def chunk_of(cohort: Cohort, profile: KommuneProfile, years: range) -> Chunk:
    """The arrays of ``cohort`` (persons ordered by id, person-years by pnr and year)."""
    persons = cohort.persons.sort("id")
    py = cohort.person_years
    year = py["aar"].to_numpy()
    start = (year - 1970).astype("datetime64[Y]").astype("datetime64[D]")
    death = py["doed_dato"].to_numpy().astype("datetime64[D]")
    end = np.where(np.isnat(death), start + np.timedelta64(366, "D"), death + DAY)
    end = np.minimum(end, (year + 1 - 1970).astype("datetime64[Y]").astype("datetime64[D]"))
    return Chunk(
        profile=profile,
        years=years,
        pnr=persons["pnr"],
        birth=persons["foed_dato"].to_numpy().astype("datetime64[D]"),
        male=persons["male"].to_numpy(),
        frailty=persons["frailty"].to_numpy(),
        person=py["id"].to_numpy().astype(np.int64),
        year=year.astype(np.int32),
        age=py["alder"].to_numpy().astype(np.int32),
        kommune=py["kommunekode"].to_numpy().astype(np.int32),
        death=death,
        start=start,
        end=end,
    )


def correlated_uniform(
    rng: np.random.Generator, frailty: np.ndarray, correlation: float
) -> np.ndarray:
    """Uniform numbers that lean towards 0 for frail persons (a Gaussian copula).

    A person with high frailty is then more likely to fall under a threshold
    (to have a disease, to receive care), while the share under any threshold
    in the whole population is unchanged.
    """
    noise = rng.standard_normal(len(frailty))
    latent = -correlation * frailty + np.sqrt(1 - correlation**2) * noise
    result: np.ndarray = ndtr(latent)
    return result


def choose(rng: np.random.Generator, options: Sequence[tuple[str, float]], size: int) -> np.ndarray:
    """Draw ``size`` codes from weighted ``options``."""
    codes = np.array([c for c, _ in options])
    weights = np.array([w for _, w in options], dtype=float)
    result: np.ndarray = codes[rng.choice(len(codes), size=size, p=weights / weights.sum())]
    return result


def random_times(
    rng: np.random.Generator,
    start: np.ndarray,
    end: np.ndarray,
    *,
    hours: tuple[int, int],
    slot: int = 1,
) -> np.ndarray:
    """A random day in [start, end) at a random time between ``hours`` (as datetime64[m]).

    ``slot`` rounds the time to whole slots of minutes, as booked appointments are.
    """
    span = np.maximum((end - start).astype(np.int64), 1)
    day = start + (rng.random(len(start)) * span).astype(np.int64).astype("timedelta64[D]")
    minutes = rng.integers(hours[0] * 60 // slot, hours[1] * 60 // slot, size=len(start)) * slot
    result: np.ndarray = day.astype("datetime64[m]") + minutes.astype("timedelta64[m]")
    return result


def poisson_events(
    rng: np.random.Generator, chunk: Chunk, rate: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Events at ``rate`` per person-year, scaled by the time observed in the year.

    Returns the person-year index of each event and its day.
    """
    observed = (chunk.end - chunk.start).astype(np.int64) / 365.25
    counts = rng.poisson(rate * observed)
    rows = np.repeat(np.arange(len(rate)), counts)
    span = np.maximum((chunk.end[rows] - chunk.start[rows]).astype(np.int64), 1)
    days = chunk.start[rows] + (rng.random(len(rows)) * span).astype(np.int64).astype(
        "timedelta64[D]"
    )
    return rows, days
