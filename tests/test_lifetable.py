"""Life expectancy as England's calculator computes it: Chiang II, Silcocks' open-band
variance, q capped at 1, publication rules, and rolling windows of one length."""

from __future__ import annotations

import math

import polars as pl
import pytest

from datapakke.engine import stats
from datapakke.engine.catalogue import load_catalogue
from datapakke.engine.lifetable import life_expectancy, pooling_windows

Z = 1.959963984540054
# The 20-band example PHEindicatormethods documents for phe_life_expectancy (one area),
# with its published answer at birth (computed with z = 1.96).
PHE_PERSONS = [7060, 35059, 46974, 48489, 43219, 38561, 46009, 57208, 61435, 55601, 50209,
               56416, 46411, 39820, 37978, 37039, 33288, 23306, 11936, 11936]  # fmt: skip
PHE_DEATHS = [17, 9, 4, 8, 20, 15, 24, 33, 50, 71, 100, 163, 263, 304, 536, 872, 1390, 1605,
              1936, 1937]  # fmt: skip
PHE_ANSWER = (80.16960813, 79.88268548, 80.45653078)


def _by_hand(deaths: list[int], persons: list[int]) -> tuple[float, float, float]:
    """The calculator written out band by band: (e0, its variance, the open band's share)."""
    widths: list[float | None] = [1, 4, *[5] * 17, None]
    survivors, rows = 100000.0, []
    for i, (d, p, n) in enumerate(zip(deaths, persons, widths, strict=True)):
        m, a = d / p, (0.1 if i == 0 else 0.5)
        if n is None:
            rows.append((survivors, n, a, m, d, 1.0, survivors / m))
            break
        q = 1.0 if n * a * m > 1 else n * m / (1 + n * (1 - a) * m)
        died = survivors * q
        rows.append((survivors, n, a, m, d, q, n * (survivors - died + a * died)))
        survivors -= died
    total, expectancy = 0.0, [0.0] * len(rows)
    for i in reversed(range(len(rows))):
        total += rows[i][6]
        expectancy[i] = total / rows[i][0] if rows[i][0] > 0 else 0.0
    closed = 0.0
    for i, (l_i, n, a, _m, d, q, _years) in enumerate(rows[:-1]):
        if d > 0:
            closed += l_i**2 * ((1 - a) * n + expectancy[i + 1]) ** 2 * q**2 * (1 - q) / d
    l_w, _, _, m_w, d_w, _, _ = rows[-1]
    open_band = l_w**2 / (d_w * m_w**2)
    return expectancy[0], (closed + open_band) / 1e10, open_band / 1e10


def _frame(deaths: list[int], persons: list[int]) -> pl.LazyFrame:
    return pl.LazyFrame(
        {"area": ["a"] * 20, "band": list(range(20)), "deaths": deaths, "persons": persons},
        schema_overrides={"band": pl.Int8},
    )


def _engine(deaths: list[int], persons: list[int]) -> tuple[float, float]:
    result = stats.life_expectancy_at_birth(_frame(deaths, persons), ["area"]).collect()
    assert result["complete"][0] is True
    return result["e0"][0], result["e0_variance"][0]


def test_the_documented_example_by_hand_and_by_the_engine() -> None:
    e0, variance, open_band = _by_hand(PHE_DEATHS, PHE_PERSONS)
    se = math.sqrt(variance)
    # The hand computation reproduces the published answer (which used z = 1.96).
    assert (e0, e0 - 1.96 * se, e0 + 1.96 * se) == pytest.approx(PHE_ANSWER, abs=1e-8)
    engine_e0, engine_variance = _engine(PHE_DEATHS, PHE_PERSONS)
    assert engine_e0 == pytest.approx(e0, abs=1e-9)
    assert engine_variance == pytest.approx(variance, rel=1e-12)
    lower, upper = e0 - Z * se, e0 + Z * se
    assert (lower, upper) == pytest.approx((79.882690754, 80.456525510), abs=1e-6)
    # The open band's term: leaving it out, as before, made the interval too narrow.
    assert Z * (se - math.sqrt(variance - open_band)) == pytest.approx(0.00422, abs=1e-5)


def test_everyone_reaching_90_leaves_only_the_open_band_variance() -> None:
    # No deaths before 90: e0 = 90 + 1/m = 95 with m = 200/1000; the variance is the open
    # band's alone, l^2 / (D m^2) / l0^2 = 1 / (200 * 0.04) = 0.125.
    e0, variance = _engine([0] * 19 + [200], [1000] * 20)
    assert (e0, variance) == pytest.approx((95.0, 0.125))


def test_life_table_is_incomplete_without_persons_in_a_band() -> None:
    frame = _frame([1] * 20, [100] * 19 + [0])
    assert stats.life_expectancy_at_birth(frame, ["area"]).collect()["complete"][0] is False


def test_q_is_capped_at_1() -> None:
    # 50 deaths in 100 person-years at 85-89: n a m = 5 * 0.5 * 0.5 > 1, so q = 1 and nobody
    # reaches 90; the interval is finite, and the table agrees with the hand computation.
    deaths = [0] * 18 + [50, 1]
    persons = [10_000] * 18 + [100, 10]
    e0, variance, _ = _by_hand(deaths, persons)
    assert (e0, variance) == pytest.approx(_engine(deaths, persons), rel=1e-12)
    assert e0 == pytest.approx(85.0 + 2.5) and math.isfinite(variance)


def _strata(deaths: list[int], persons: list[int], years: tuple[int, ...]) -> pl.LazyFrame:
    """The same deaths and persons in every year, for the country."""
    rows = [
        {"indicator_id": "middellevetid", "area_level": "land", "area_code": "DK",
         "area_name": "Hele landet", "year": y, "stratum": band, "koen": "alle",
         "x": deaths[band], "n": persons[band]}
        for y in years
        for band in range(20)
    ]  # fmt: skip
    return pl.LazyFrame(rows, schema_overrides={"stratum": pl.Int8, "year": pl.Int32})


def _life_expectancy(deaths: list[int], persons: list[int], years: tuple[int, ...]) -> dict:  # type: ignore[type-arg]
    indicator = load_catalogue().get("middellevetid")
    frame = life_expectancy(
        _strata(deaths, persons, years),
        [indicator],
        pl.LazyFrame({"year": years}, schema={"year": pl.Int32}),
        0.95,
    ).collect()
    return {r["year"]: r for r in frame.iter_rows(named=True)}


def test_the_capped_table_is_published_with_finite_limits() -> None:
    rows = _life_expectancy([0] * 18 + [50, 1], [10_000] * 18 + [100, 10], (2024,))
    row = rows[2024]
    assert row["flag"] == "ok"
    assert math.isfinite(row["lower"]) and math.isfinite(row["upper"])
    assert row["numerator"] is None  # the pooled deaths are not published


@pytest.mark.parametrize(("persons", "flag"), [(4_999, "too_few"), (5_000, "ok")])
def test_a_life_expectancy_needs_5000_person_years(persons: int, flag: str) -> None:
    # 60 deaths in all, but the person-years decide: 5,000 is the calculator's minimum.
    spread = [persons // 20] * 19 + [persons - 19 * (persons // 20)]
    deaths = [0] * 15 + [5, 10, 10, 15, 20]
    assert _life_expectancy(deaths, spread, (2024,))[2024]["flag"] == flag


def test_a_very_wide_interval_is_not_published() -> None:
    # 50 deaths and 6,015 person-years, but 2 deaths among 15 children aged 5-9 make the
    # 95 % interval 82 years wide; England's calculator does not show it either.
    deaths = [0, 0, 2, *[0] * 16, 48]
    persons = [330, 330, 15, *[330] * 16, 60]
    row = _life_expectancy(deaths, persons, (2024,))[2024]
    assert row["value"] is None and row["flag"] == "too_few"


def test_every_value_pools_a_window_of_one_length() -> None:
    indicator = load_catalogue().get("middellevetid")
    long = pl.LazyFrame({"year": list(range(2016, 2025))}, schema={"year": pl.Int32})
    windows = pooling_windows([indicator], long).collect()
    spans = {y: sorted(g["pooled_year"].to_list()) for (y,), g in windows.group_by("year")}
    assert sorted(spans) == [2020, 2021, 2022, 2023, 2024]  # no value before a whole window
    assert all(span == list(range(y - 4, y + 1)) for y, span in spans.items())
    # Fewer data years than pool_years: one value, pooling all of them; no trend to draw.
    short = pl.LazyFrame({"year": [2022, 2023, 2024]}, schema={"year": pl.Int32})
    windows = pooling_windows([indicator], short).collect()
    assert set(windows["year"]) == {2024}
    assert sorted(windows["pooled_year"]) == [2022, 2023, 2024]
