"""Levels for the synthetic Denmark: the national age structure and per-municipality profiles.

Every level is documented in ``docs/sample-data.md``. Municipality profiles are
seeded, stable differences (age structure, health, care) so that packs built on
synthetic data show real contrasts between areas.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from datapakke.geography import Geography

# Share of Denmark's population by 5-year age band on 1 January (bands 0-4 ... 95-99,
# 100-104), rounded from Statistics Denmark's FOLK1A around 2024.
NATIONAL_AGE_SHARES_5Y = np.array(
    [
        5.2,
        5.6,
        5.8,
        5.9,
        6.4,
        6.9,
        6.5,
        5.9,
        5.8,
        6.3,
        6.9,
        6.9,
        6.2,
        5.6,
        5.3,
        5.0,
        3.2,
        1.6,
        0.7,
        0.2,
        0.02,
    ]
)

# How a municipality's age structure leans: positive (cities) adds young adults and
# removes elderly; negative (islands, periphery) the reverse. Indexed by 5-year band.
AGE_TILT_5Y = np.array(
    [
        0.05,
        -0.05,
        -0.1,
        -0.05,
        0.45,
        0.6,
        0.35,
        0.1,
        0.0,
        -0.05,
        -0.1,
        -0.2,
        -0.3,
        -0.35,
        -0.4,
        -0.4,
        -0.35,
        -0.3,
        -0.3,
        -0.3,
        -0.3,
    ]
)

CITIES = {101: 1.0, 147: 1.0, 751: 0.8, 461: 0.7, 851: 0.6}
ISLANDS_AND_PERIPHERY = {825: -1.0, 741: -1.0, 563: -0.7, 492: -1.0, 400: -0.9, 482: -1.0}


@dataclass(frozen=True)
class KommuneProfile:
    """Stable synthetic traits of one municipality.

    ``age_tilt`` shapes the age structure; the other factors multiply national
    rates (1.0 is the national level).
    """

    kode: int
    size: int
    age_tilt: float
    mortality: float
    morbidity: float
    care: float
    psychiatry: float
    hospital: float = 1.0
    medication: float = 1.0


def single_year_age_weights(age_tilt: float) -> np.ndarray:
    """Probabilities of ages 0..104 on 1 January for a municipality with this tilt."""
    band_weights = NATIONAL_AGE_SHARES_5Y * np.exp(age_tilt * AGE_TILT_5Y)
    weights: np.ndarray = np.repeat(band_weights / 5.0, 5)
    probabilities: np.ndarray = weights / weights.sum()
    return probabilities


def kommune_profiles(geography: Geography, scale: float, seed: int) -> list[KommuneProfile]:
    """One profile per municipality, sized by ``folketal_ca * scale``, seeded by ``seed``."""
    rng = np.random.default_rng(np.random.SeedSequence([seed, 1]))
    profiles = []
    for kode in sorted(geography.kommuner):
        kommune = geography.kommuner[kode]
        noise = rng.normal(0.0, 1.0, size=7)
        if kode in CITIES:
            tilt = CITIES[kode]
        elif kode in ISLANDS_AND_PERIPHERY:
            tilt = ISLANDS_AND_PERIPHERY[kode]
        else:
            tilt = float(np.clip(0.45 * (math.log10(kommune.folketal_ca) - 4.7), -0.8, 0.5))
            tilt += 0.15 * noise[0]
        # Older, more peripheral municipalities have somewhat worse health in Denmark;
        # the lognormal noise adds stable differences on top of that.
        deprivation = -0.08 * tilt
        profiles.append(
            KommuneProfile(
                kode=kode,
                size=round(kommune.folketal_ca * scale),
                age_tilt=tilt,
                mortality=float(math.exp(deprivation + 0.08 * noise[1])),
                morbidity=float(math.exp(deprivation + 0.12 * noise[2])),
                care=float(math.exp(0.15 * noise[3])),
                psychiatry=float(math.exp(0.15 * noise[4] + 0.1 * max(tilt, 0.0))),
                hospital=float(math.exp(1.5 * deprivation + 0.12 * noise[5])),
                medication=float(math.exp(0.1 * noise[6])),
            )
        )
    return profiles
