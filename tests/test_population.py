"""Population figures on a tiny hand-made extract, against numbers worked out by hand."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from datapakke.dates import FIRST_DAY, FIRST_YEAR, age_on_january_first
from datapakke.engine.compute import Results, compute
from datapakke.engine.strata import age_band
from datapakke.geography import load_geography
from datapakke.inputs.read import read_extract
from tests.helpers import person_rows, write_extract

D = dt.date


def test_age_is_whole_years_on_the_first_of_january() -> None:
    births = pl.Series(
        [D(1958, 1, 1), D(1958, 1, 2), D(1957, 12, 31), D(2023, 6, 1), D(1960, 2, 29),
         D(2020, 12, 31), D(2023, 1, 1)]
    )  # fmt: skip
    frame = pl.DataFrame({"born": births}).select(
        age=age_on_january_first(pl.col("born"), pl.lit(2023))
    )
    # Born 1 Jan 1958: turns 65 on 1 Jan 2023. Born 2 Jan 1958: still 64.
    # Born 31 Dec 1957: turned 65 the day before. Born in 2023: not yet born (-1), but
    # born on 1 Jan 2023: 0. Leap days and the last day of a leap year count as any other.
    assert frame["age"].to_list() == [65, 64, 65, -1, 62, 2, 0]


def test_age_is_the_birth_years_age_less_one_unless_born_on_the_first_of_january() -> None:
    # The definition, by year and day of the year, against ``age_on_january_first`` (the
    # year of the day before the birth) on every day of 1890-2030 and at the ends of the
    # dates Polars has a year for (its first date has no day before).
    days = [*range(-29_220, 21_915), *range(FIRST_DAY - 3, FIRST_DAY + 400), 95_874_000, None]
    frame = pl.DataFrame({"born": pl.Series(days, dtype=pl.Int32).cast(pl.Date)})
    for year in (1900, 2023, 2030):
        ages = frame.select(
            defined=pl.lit(year, pl.Int32)
            - pl.col("born").dt.year()
            - (pl.col("born").dt.ordinal_day() > 1).cast(pl.Int32),
            computed=age_on_january_first(pl.col("born"), pl.lit(year, pl.Int32)),
        )
        assert ages["computed"].dtype == pl.Int32
        assert ages["computed"].equals(ages["defined"].cast(pl.Int32).rename("computed"))
    assert frame.filter(pl.col("born").cast(pl.Int32) == FIRST_DAY).select(
        first=pl.col("born").dt.year(),
        before=(pl.col("born").cast(pl.Int32) - 1).cast(pl.Date).dt.year(),
    ).row(0) == (FIRST_YEAR, None)


def test_age_bands_are_five_years_with_an_open_band_at_90() -> None:
    ages = pl.DataFrame({"age": [0, 4, 5, 64, 65, 89, 90, 104]})
    assert ages.select(age_band(pl.col("age")))["age"].to_list() == [0, 0, 1, 12, 13, 17, 18, 18]


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> Results:
    """Horsens (615): 10 persons in 2022, 12 in 2023; Hedensted (766): 5; Aarhus (751): 3."""
    horsens_2022 = [
        ("M", D(1950, 5, 1)),  # 71
        ("K", D(1940, 3, 3)),  # 81
        ("K", D(1941, 1, 1)),  # 81 (born 1 Jan)
        ("M", D(1957, 1, 2)),  # 64 on 1 Jan 2022
        *[("K", D(1990, 6, 15))] * 3,
        *[("M", D(2000, 2, 2))] * 3,
    ]
    horsens_2023 = [*horsens_2022, ("K", D(2022, 8, 8)), ("M", D(1930, 4, 4))]  # + newborn, + 92
    hedensted = [("K", D(1955, 7, 7)), ("M", D(1980, 1, 1)), *[("K", D(2010, 9, 9))] * 3]
    aarhus = [("M", D(1945, 2, 2)), ("K", D(1999, 9, 9)), ("K", D(2001, 1, 1))]
    rows = (
        person_rows(615, 2022, horsens_2022, "H")
        + person_rows(615, 2023, horsens_2023, "H")
        + person_rows(766, 2022, hedensted, "E")
        + person_rows(766, 2023, hedensted, "E")
        + person_rows(751, 2022, aarhus, "A")
        + person_rows(751, 2023, aarhus, "A")
    )
    folder = write_extract(tmp_path_factory.mktemp("tiny"), {"befolkning": rows})
    return compute(read_extract(folder), load_geography())


def _value(results: Results, indicator: str, level: str, code: str, year: int) -> tuple:  # type: ignore[type-arg]
    row = results.indicators.filter(
        indicator_id=indicator, area_level=level, area_code=code, year=year
    )
    assert row.height == 1, (indicator, level, code, year)
    return row.select("numerator", "denominator", "value").row(0)


def test_folketal_per_area(results: Results) -> None:
    assert _value(results, "folketal", "kommune", "615", 2023) == (12, None, 12.0)
    assert _value(results, "folketal", "kommune", "766", 2023) == (5, None, 5.0)
    # Horsensklyngen = Horsens + Hedensted (+ Odder and Skanderborg, empty here).
    assert _value(results, "folketal", "klynge", "horsensklyngen", 2023) == (17, None, 17.0)
    # Region Midtjylland and the country add Aarhus.
    assert _value(results, "folketal", "region", "1082", 2023) == (20, None, 20.0)
    assert _value(results, "folketal", "land", "DK", 2022) == (18, None, 18.0)


def test_shares_of_65_and_80_plus(results: Results) -> None:
    # Horsens 2022: 71, 81, 81 are 65+ (the person born 2 Jan 1957 is 64); 81, 81 are 80+.
    assert _value(results, "andel_65plus", "kommune", "615", 2022) == (3, 10, 30.0)
    assert _value(results, "andel_80plus", "kommune", "615", 2022) == (2, 10, 20.0)
    # 2023: everyone a year older (64 -> 65) and a 92-year-old moved in: 5 of 12 are 65+.
    numerator, denominator, value = _value(results, "andel_65plus", "kommune", "615", 2023)
    assert (numerator, denominator) == (5, 12)
    assert value == pytest.approx(100 * 5 / 12)
    # Country 2022: Horsens 3 + Hedensted 1 (born 1955) + Aarhus 1 (born 1945) of 18.
    assert _value(results, "andel_65plus", "land", "DK", 2022)[:2] == (5, 18)


def test_population_development_from_first_to_last_year(results: Results) -> None:
    numerator, denominator, value = _value(results, "folketal_udvikling", "kommune", "615", 2023)
    assert (numerator, denominator) == (2, 10)
    assert value == pytest.approx(20.0)
    assert _value(results, "folketal_udvikling", "kommune", "766", 2023) == (0, 5, 0.0)


def test_population_structure_counts_by_band_and_sex(results: Results) -> None:
    horsens = results.population.filter(area_code="615", year=2022)
    by_stratum = {
        (r["aldersgruppe"], r["koen"]): r["personer"] for r in horsens.iter_rows(named=True)
    }
    # 1990-born women are 31 on 1 Jan 2022 (band 30-34 = 6); 2000-born men are 21 (band 4).
    assert by_stratum[(6, "K")] == 3
    assert by_stratum[(4, "M")] == 3
    assert by_stratum[(16, "K")] == 2  # the two 81-year-old women
    assert sum(by_stratum.values()) == 10


def test_results_know_their_years(results: Results) -> None:
    assert results.years == (2022, 2023)
