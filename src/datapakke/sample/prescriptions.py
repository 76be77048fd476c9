"""recepter (Lægemiddelstatistikregisteret): regular drugs that accumulate with age, and one-offs.

A person's regular drugs are drawn from a weighted pool with keys fixed for
life (the Gumbel top-k trick), so the same drugs recur year after year and new
ones join as the person ages; chronic diseases bring their own drugs.
"""

from __future__ import annotations

import numpy as np
import polars as pl
from scipy.stats import poisson

from datapakke.sample.chunk import DAY, Chunk, choose, correlated_uniform
from datapakke.sample.code_pools import (
    DISEASE_DRUGS,
    MEN_ONLY,
    ONE_OFF_POOL,
    REGULAR_DRUG_POOL,
    WOMEN_ONLY,
)
from datapakke.sample.levels import (
    DISPENSINGS,
    ONE_OFF_DRUGS,
    REGULAR_DRUGS,
    REGULAR_DRUGS_FRAILTY_CORRELATION,
)

BATCH = 400_000  # person-years ranked at a time, to bound memory


def _log_weights() -> np.ndarray:
    """Log weights of the pool: [age group (<40, 40-64, 65+), sex (man, woman), drug]."""
    weights = np.array([row[1:] for row in REGULAR_DRUG_POOL], dtype=float).T
    codes = [row[0] for row in REGULAR_DRUG_POOL]
    by_sex = np.stack([weights, weights])  # [sex, group, drug]
    for j, code in enumerate(codes):
        if code in WOMEN_ONLY:
            by_sex[0, :, j] = 0
        if code in MEN_ONLY:
            by_sex[1, :, j] = 0
    with np.errstate(divide="ignore"):
        result: np.ndarray = np.log(by_sex.transpose(1, 0, 2))
    return result


def recepter(rng: np.random.Generator, chunk: Chunk, debuts: dict[str, np.ndarray]) -> pl.DataFrame:
    """Dispensings of the chunk's person-years, with ``_bopael`` (residence that year)."""
    codes = np.array([row[0] for row in REGULAR_DRUG_POOL])
    log_weights = _log_weights()
    keys = rng.gumbel(size=(len(chunk.male), len(codes))).astype(np.float32)
    quantile = correlated_uniform(rng, chunk.frailty, REGULAR_DRUGS_FRAILTY_CORRELATION)
    second_drug = rng.random(len(chunk.male)) < 0.4
    male = chunk.person_male()
    mean = REGULAR_DRUGS.at(chunk.age, male) * chunk.profile.medication
    count = poisson.ppf(np.clip(quantile[chunk.person], 1e-9, 1 - 1e-9), mean).astype(np.int64)
    group = np.digitize(chunk.age, [40, 65])
    sex = np.where(male, 0, 1)
    rows_parts, drug_parts = [], []
    for first in range(0, len(chunk.age), BATCH):
        part = slice(first, first + BATCH)
        score = log_weights[group[part], sex[part]] + keys[chunk.person[part]]
        order = np.argsort(-score, axis=1, kind="stable")
        possible = np.isfinite(score).sum(axis=1)
        take = np.arange(len(codes))[None, :] < np.minimum(count[part], possible)[:, None]
        rows, ranks = np.nonzero(take)
        rows_parts.append(rows + first)
        drug_parts.append(codes[order[rows, ranks]])
    rows = np.concatenate(rows_parts)
    drugs = np.concatenate(drug_parts)
    for disease, disease_codes in DISEASE_DRUGS.items():
        debut = debuts[disease][chunk.person]
        has = np.flatnonzero(~np.isnat(debut) & (debut < chunk.start))
        for k, code in enumerate(disease_codes):
            users = has if k == 0 else has[second_drug[chunk.person[has]]]
            rows = np.concatenate([rows, users])
            drugs = np.concatenate([drugs, np.full(len(users), code)])
    observed = (chunk.end - chunk.start)[rows].astype(np.int64) / 365.25
    times = rng.choice(len(DISPENSINGS), size=len(rows), p=DISPENSINGS) + 1
    times = np.maximum(np.rint(times * observed), 1).astype(np.int64)
    rows = np.repeat(rows, times)
    drugs = np.repeat(drugs, times)
    one_off_rate = ONE_OFF_DRUGS.at(chunk.age, male) * chunk.profile.medication
    one_off_rows = np.repeat(np.arange(len(chunk.age)), rng.poisson(one_off_rate))
    rows = np.concatenate([rows, one_off_rows])
    drugs = np.concatenate([drugs, choose(rng, ONE_OFF_POOL, len(one_off_rows))])
    span = np.maximum((chunk.end[rows] - chunk.start[rows]).astype(np.int64), 1)
    day = chunk.start[rows] + (rng.random(len(rows)) * span).astype(np.int64) * DAY
    return pl.DataFrame(
        {
            "pnr": chunk.pnr.gather(chunk.person[rows]),
            "udlevering_dato": day,
            "atc": drugs,
            "_bopael": chunk.kommune[rows],
        }
    ).sort("pnr", "udlevering_dato", "atc")
