"""hjemmepleje (Ældredokumentationen): home care by age, dementia and municipality."""

from __future__ import annotations

import numpy as np
import polars as pl

from datapakke.sample.chunk import Chunk, correlated_uniform
from datapakke.sample.levels import (
    HOME_CARE,
    HOME_CARE_DEMENTIA,
    HOME_CARE_FRAILTY_CORRELATION,
    HOME_CARE_MEDIAN_HOURS,
    HOME_CARE_SERVICES,
)


def hjemmepleje(rng: np.random.Generator, chunk: Chunk, dementia: np.ndarray) -> pl.DataFrame:
    """Home care rows: persons whose lasting need passes their age's threshold each year.

    ``dementia`` is the debut date of dementia per person (NaT: none). A person's
    need is drawn once, so care, once started, goes on as the person ages.
    """
    need = correlated_uniform(rng, chunk.frailty, HOME_CARE_FRAILTY_CORRELATION)
    service_draw = rng.random(len(chunk.male))
    debut = dementia[chunk.person]
    demented = ~np.isnat(debut) & (debut < chunk.start)
    chance = HOME_CARE.at(chunk.age, chunk.person_male()) * chunk.profile.care
    chance = np.minimum(np.where(demented, chance * HOME_CARE_DEMENTIA, chance), 0.95)
    receives = np.flatnonzero(need[chunk.person] < chance)
    service = service_draw[chunk.person[receives]]
    practical_only, both, _ = HOME_CARE_SERVICES
    frames = []
    for ydelse, rows in (
        ("praktisk_hjaelp", receives[service < practical_only + both]),
        ("personlig_pleje", receives[service >= practical_only]),
    ):
        older = np.clip(chunk.age[rows] - 80, 0, 20) * 0.03
        hours = HOME_CARE_MEDIAN_HOURS[ydelse] * np.exp(0.6 * rng.standard_normal(len(rows)))
        frames.append(
            pl.DataFrame(
                {
                    "pnr": chunk.pnr.gather(chunk.person[rows]),
                    "aar": chunk.year[rows],
                    "ydelse": np.full(len(rows), ydelse),
                    "timer_pr_uge": np.maximum(np.round(hours * (1 + older), 1), 0.1),
                    "_bopael": chunk.kommune[rows],
                }
            )
        )
    return pl.concat(frames).sort("pnr", "aar", "ydelse")
