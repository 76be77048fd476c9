"""Invariants of the engine on random extracts (hypothesis draws sizes and a seed).

- With the national standard, the country's standardised rate equals its crude rate in
  the standard's own year.
- Every interval contains its estimate.
- Before suppression, municipality counts add up to their cluster's, clusters' to their
  region's and regions' to the country's.

Disclosure control has its own exact audit (``test_disclosure*.py``).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from datapakke.engine.catalogue import SAMPLED_METHODS
from datapakke.engine.compute import Results, compute
from datapakke.engine.equations import nested_areas
from datapakke.engine.settings import ComputeSettings
from datapakke.geography import load_geography
from datapakke.inputs.read import Extract
from datapakke.inputs.schema import TABLES

# Horsensklyngen complete (Horsens, Hedensted, Odder, Skanderborg), Aarhus, and two
# municipalities of Region Hovedstaden.
KOMMUNER = (615, 766, 727, 746, 751, 101, 147)
YEARS = (2022, 2023, 2024)
DIAGNOSES = ("DJ189", "DE86", "DS720", "DJ441", "DE119", "DF200", "DF320", "DI21", "DF900")
DISEASES = ("type1_diabetes", "type2_diabetes", "kol", "astma", "leddegigt", "demens")
GEOGRAPHY = load_geography()


def random_extract(sizes: list[int], seed: int) -> Extract:
    """Persons in each municipality of ``KOMMUNER`` with contacts, drugs, diseases, deaths."""
    rng = np.random.default_rng(seed)
    people = [
        (f"R{kommune}{i:04d}", kommune, "MK"[i % 2], int(rng.integers(0, 100)))
        for kommune, size in zip(KOMMUNER, sizes, strict=True)
        for i in range(size)
    ]
    befolkning, contacts, prescriptions, chronic, home_care, deaths = [], [], [], [], [], []
    for pnr, kommune, sex, age in people:
        born = dt.date(2021 - age, 1 + age % 12, 1 + age % 28)
        for year in YEARS:
            home = KOMMUNER[int(rng.integers(0, len(KOMMUNER)))] if rng.random() < 0.05 else kommune
            befolkning.append(
                {"pnr": pnr, "aar": year, "koen": sex, "foed_dato": born, "kommunekode": home}
            )
            if rng.random() < 0.2 + age / 150:
                start = dt.datetime(year, 1, 1) + dt.timedelta(days=int(rng.integers(0, 365)))
                contacts.append(
                    {
                        "kontakt_id": f"{pnr}-{year}-{len(contacts)}",
                        "pnr": pnr,
                        "start": start,
                        "slut": start + dt.timedelta(days=int(rng.integers(0, 20))),
                        "omraade": "psykiatri" if rng.random() < 0.25 else "somatik",
                        "prioritet": "akut" if rng.random() < 0.7 else "planlagt",
                        "kontakttype": "indlaeggelse" if rng.random() < 0.7 else "ambulant",
                        "aktionsdiagnose": str(rng.choice(DIAGNOSES)),
                    }
                )
            if age > 60 and rng.random() < 0.3:
                home_care.append(
                    {"pnr": pnr, "aar": year, "ydelse": "praktisk_hjaelp", "timer_pr_uge": 1.0}
                )
            for drug in ("C10AA05", "N02BE01", "C07AB02", "A02BC02", "B01AC06", "C09AA05"):
                if age > 55 and rng.random() < 0.5:
                    day = dt.date(year, 3, 1)
                    prescriptions += [{"pnr": pnr, "udlevering_dato": day, "atc": drug}] * 2
        chronic += [
            {"pnr": pnr, "sygdom": d, "debut_dato": dt.date(2018 + int(rng.integers(0, 6)), 6, 1)}
            for d in DISEASES
            if rng.random() < 0.1 + age / 400
        ]
        if rng.random() < 0.01 + age / 2000:
            deaths.append({"pnr": pnr, "doed_dato": dt.date(int(rng.choice(YEARS)), 7, 1)})
    tables = {
        "befolkning": befolkning,
        "doedsfald": deaths,
        "kontakter": contacts,
        "recepter": prescriptions,
        "kroniske": chronic,
        "hjemmepleje": home_care,
    }
    return Extract(
        folder=Path(),
        tables={n: pl.DataFrame(r, schema=TABLES[n].schema).lazy() for n, r in tables.items()},
        files={},
    )


EXTRACTS = st.tuples(st.lists(st.integers(0, 120), min_size=7, max_size=7), st.integers(0, 10**6))
SETTINGS = settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _children_sums(table: pl.DataFrame, column: str) -> pl.DataFrame:
    edges = nested_areas(GEOGRAPHY.membership())
    parts = (
        table.join(
            edges, left_on=["area_level", "area_code"], right_on=["child_level", "child_code"]
        )
        .group_by("indicator_id", "year", "parent_level", "parent_code", child_level="area_level")
        .agg(pl.col(column).sum().alias("parts"))
    )
    return parts.join(
        table.select("indicator_id", "year", "area_level", "area_code", column),
        left_on=["indicator_id", "year", "parent_level", "parent_code"],
        right_on=["indicator_id", "year", "area_level", "area_code"],
    )


@SETTINGS
@given(drawn=EXTRACTS)
def test_invariants_before_suppression(drawn: tuple[list[int], int]) -> None:
    sizes, seed = drawn
    if sum(sizes) == 0:
        return
    results = compute(random_extract(sizes, seed), GEOGRAPHY, settings=ComputeSettings(min_count=1))
    table = results.indicators
    # Parts add up to totals, for numerators and denominators (life expectancy has none).
    for column in ("numerator", "denominator"):
        sums = _children_sums(table.filter(pl.col(column).is_not_null()), column)
        mismatched = sums.filter(pl.col("parts") != pl.col(column))
        assert mismatched.is_empty(), mismatched
    _assert_intervals_contain_estimates(results)
    # In the national standard's own year the country's DSR is its crude rate k O / N.
    multiplier = {
        i.id: i.multiplier for i in results.catalogue.indicators if i.method == "rate_standardised"
    }
    country = table.filter(
        pl.col("indicator_id").is_in(list(multiplier)),
        area_level="land",
        flag="ok",
        year=results.settings.standard_year,
    )
    crude = (
        country["indicator_id"].replace_strict(multiplier, return_dtype=pl.Float64)
        * country["numerator"]
        / country["denominator"]
    )
    assert np.allclose(country["value"].to_numpy(), crude.to_numpy(), rtol=1e-10)


def _assert_intervals_contain_estimates(results: Results) -> None:
    sampled = [i.id for i in results.catalogue.indicators if i.method in SAMPLED_METHODS]
    published = results.indicators.filter(pl.col("indicator_id").is_in(sampled), flag="ok")
    # Every published sampled value has its interval, and the interval holds it.
    assert published.filter(pl.col("lower").is_null() | pl.col("upper").is_null()).is_empty()
    outside = published.filter(
        (pl.col("lower") > pl.col("value") + 1e-9) | (pl.col("value") > pl.col("upper") + 1e-9)
    )
    assert outside.is_empty(), outside


@SETTINGS
@given(drawn=EXTRACTS)
def test_intervals_hold_with_the_european_standard(drawn: tuple[list[int], int]) -> None:
    sizes, seed = drawn
    if sum(sizes) == 0:
        return
    settings_ = ComputeSettings(standard="esp2013", min_count=1)
    _assert_intervals_contain_estimates(
        compute(random_extract(sizes, seed), GEOGRAPHY, settings=settings_)
    )


@pytest.mark.parametrize("standard", ["national", "esp2013"])
def test_every_indicator_at_every_level_and_year(standard: str) -> None:
    results = compute(
        random_extract([30, 20, 0, 10, 40, 25, 15], 1),
        GEOGRAPHY,
        settings=ComputeSettings(standard=standard),  # type: ignore[arg-type]
    )
    table = results.indicators
    expected = len(results.catalogue.indicators) * len(results.years)
    per_area = table.group_by("area_level", "area_code").len()
    assert set(per_area["len"]) == {expected}
    assert set(table["area_level"]) == {"kommune", "klynge", "region", "land"}
    # Hjørring (860) has nobody in this extract: it has no rows at all, and neither has
    # its cluster; the coverage says the data are not the whole country.
    assert table.filter(area_code="860").is_empty()
    assert table.filter(area_code="nordjylland-nord").is_empty()
    assert results.coverage is not None
    assert not results.coverage.complete
