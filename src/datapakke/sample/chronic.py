"""kroniske (RUKS): who has which chronic disease, and since when.

Each person's age at diagnosis is drawn so that the share diagnosed by each age
follows the national curve of ``levels.DISEASES``; frail persons are diagnosed
more often. The same draw holds for all years, so a disease, once there, stays.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from datapakke.sample.chunk import Chunk, correlated_uniform
from datapakke.sample.levels import DISEASES, RUKS_START

AGE_DAYS = 365.25


def onset_ages(rng: np.random.Generator, chunk: Chunk) -> dict[str, np.ndarray]:
    """Age at diagnosis of each person for each disease (NaN: never diagnosed)."""
    result: dict[str, np.ndarray] = {}
    for disease in DISEASES:
        curve = disease.cumulative
        ages = np.array(curve.ages, dtype=float)
        # A tiny ramp makes the knots strictly increasing, so the curve can be inverted.
        shares = np.array(curve.men, dtype=float) + ages * 1e-9
        u = correlated_uniform(rng, chunk.frailty, disease.frailty_correlation)
        factor = np.where(chunk.male, 1.0, curve.women_factor) * chunk.profile.morbidity
        scaled = u / factor
        result[disease.name] = np.where(
            scaled < shares[-1], np.interp(scaled, shares, ages), np.nan
        )
    return result


def debut_dates(chunk: Chunk, onsets: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The date each person meets the register's criteria (NaT: not by the last day)."""
    dates: dict[str, np.ndarray] = {}
    for name, onset in onsets.items():
        days = np.where(np.isnan(onset), 0, onset * AGE_DAYS).astype(np.int64)
        debut = chunk.birth + days.astype("timedelta64[D]")
        debut = np.maximum(debut, RUKS_START)
        dates[name] = np.where(
            np.isnan(onset) | (debut > chunk.last_day), np.datetime64("NaT"), debut
        )
    return dates


def last_residence(chunk: Chunk) -> np.ndarray:
    """Each person's municipality in the last year they are counted (-1: never counted)."""
    residence = np.full(len(chunk.male), -1, dtype=np.int32)
    # Person-years are sorted by person and year: the last row of each person wins.
    last = np.r_[chunk.person[1:] != chunk.person[:-1], True]
    residence[chunk.person[last]] = chunk.kommune[last]
    return residence


def kroniske(chunk: Chunk, debuts: dict[str, np.ndarray]) -> pl.DataFrame:
    """The kroniske rows of the chunk's persons, with ``_bopael`` (last residence)."""
    residence = last_residence(chunk)
    frames = []
    for name, debut in debuts.items():
        persons = np.flatnonzero(~np.isnat(debut) & (residence >= 0))
        frames.append(
            pl.DataFrame(
                {
                    "pnr": chunk.pnr.gather(persons),
                    "sygdom": np.full(len(persons), name),
                    "debut_dato": debut[persons],
                    "_bopael": residence[persons],
                }
            )
        )
    return pl.concat(frames).sort("pnr", "sygdom")
