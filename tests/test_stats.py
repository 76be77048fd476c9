"""The statistics of methods.md against numbers worked out by hand (derivations in comments)."""

from __future__ import annotations

import math

import polars as pl
import pytest

from datapakke.engine import stats

Z = 1.959963984540054


def _evaluate(frame: pl.DataFrame, *exprs: pl.Expr) -> list[tuple[float, ...]]:
    return frame.select(*(e.alias(f"c{i}") for i, e in enumerate(exprs))).rows()


def test_z_for_95_and_99_8_per_cent() -> None:
    assert stats.z_value() == Z
    # 99.8 %: the 0.999 quantile of the normal distribution is 3.0902.
    assert stats.z_value(0.998) == pytest.approx(3.090232, abs=1e-6)
    with pytest.raises(ValueError, match="between 0 and 1"):
        stats.z_value(95)


def test_byar_interval_from_ten_events() -> None:
    # x = 20: lower = 20 (1 - 1/180 - z / (3 sqrt 20))^3 = 20 * 0.8483574^3 = 12.21143;
    #         upper = 21 (1 - 1/189 + z / (3 sqrt 21))^3 = 21 * 1.1372754^3 = 30.88988.
    # (The exact interval is 12.217-30.888: Byar is close, as intended.)
    frame = pl.DataFrame({"x": [20]})
    [(lower, upper)] = _evaluate(frame, *stats.poisson_limits(pl.col("x")))
    assert lower == pytest.approx(20 * 0.8483573543**3, rel=1e-9)
    assert lower == pytest.approx(12.21143, abs=1e-5)
    assert upper == pytest.approx(30.88988, abs=1e-5)


def test_exact_poisson_interval_below_ten_events() -> None:
    # With 2 degrees of freedom the chi-square is exponential: chi2_q(p, 2) / 2 = -ln(1 - p).
    # x = 0: lower 0; upper = chi2(0.975, 2) / 2 = -ln(0.025) = 3.688879.
    # x = 1: lower = chi2(0.025, 2) / 2 = -ln(0.975) = 0.0253178;
    #        upper = mu with P(Poisson(mu) <= 1) = exp(-mu)(1 + mu) = 0.025: mu = 5.571643.
    frame = pl.DataFrame({"x": [0, 1, 9]})
    rows = _evaluate(frame, *stats.poisson_limits(pl.col("x")))
    assert rows[0] == (0.0, pytest.approx(-math.log(0.025), rel=1e-9))
    assert rows[1][0] == pytest.approx(-math.log(0.975), rel=1e-9)
    assert rows[1][1] == pytest.approx(5.571643, abs=1e-6)
    # x = 9: tabulated exact limits 4.1154 and 17.0848.
    assert rows[2] == (pytest.approx(4.1154, abs=1e-4), pytest.approx(17.0848, abs=1e-4))


def test_crude_rate_scales_the_count_interval() -> None:
    # 1 event in 400 persons per 1,000: 2.5, limits 1000 * (0.0253178, 5.571643) / 400.
    frame = pl.DataFrame({"x": [1, 3], "n": [400, 0]})
    rows = _evaluate(frame, *stats.crude_rate(pl.col("x"), pl.col("n"), 1000.0))
    assert rows[0] == (
        pytest.approx(2.5),
        pytest.approx(1000 * 0.0253178 / 400, rel=1e-5),
        pytest.approx(1000 * 5.571643 / 400, rel=1e-6),
    )
    assert rows[1] == (None, None, None)  # no persons: no rate


def test_wilson_interval_for_a_share() -> None:
    # x = 3, n = 10: centre 2x + z^2 = 9.841459, spread z sqrt(z^2 + 4x(1 - x/n)) = 4.899...,
    # denominator 2 (n + z^2) = 27.682918: (0.1077913, 0.6032219) -> 10.78 % to 60.32 %.
    frame = pl.DataFrame({"x": [3, 0, 10], "n": [10, 10, 10]})
    rows = _evaluate(frame, *stats.wilson_share(pl.col("x"), pl.col("n")))
    assert rows[0] == (
        pytest.approx(30.0),
        pytest.approx(10.779127, abs=1e-6),
        pytest.approx(60.322185, abs=1e-6),
    )
    # 0 of 10: lower exactly 0; 10 of 10: upper exactly 100.
    assert rows[1][1] == pytest.approx(0.0, abs=1e-12)
    assert rows[2][2] == pytest.approx(100.0)


def test_dsr_and_dobson_interval() -> None:
    # Two strata: x = (10, 20) events among n = (1000, 2000), standard weights w = (3000, 1000).
    # DSR = 1000 (3000 * 10/1000 + 1000 * 20/2000) / 4000 = 1000 * 40 / 4000 = 10.0
    # var = 1000^2 (10 * (3000/1000)^2 + 20 * (1000/2000)^2) / 4000^2 = 1e6 * 95 / 1.6e7 = 5.9375
    # O = 30, Byar: (20.236939, 42.828372); lower = 10 + sqrt(5.9375/30) (20.236939 - 30)
    # = 10 - 0.444878 * 9.763061 = 5.656626; upper = 10 + 0.444878 * 12.828372 = 15.707064.
    strata = pl.DataFrame({"x": [10, 20], "n": [1000, 2000], "w": [3000.0, 1000.0]})
    a, b = stats.dsr_sums(pl.col("x"), pl.col("n"), pl.col("w"))
    sums = strata.select(a=a, b=b, o=pl.col("x").sum())
    [(value, lower, upper)] = _evaluate(
        sums, *stats.dobson_dsr(pl.col("a"), pl.col("b"), pl.lit(4000.0), pl.col("o"), 1000.0)
    )
    assert value == pytest.approx(10.0)
    assert lower == pytest.approx(5.656626, abs=1e-6)
    assert upper == pytest.approx(15.707064, abs=1e-6)


def test_a_stratum_without_persons_adds_nothing() -> None:
    # The empty stratum keeps its weight in W (4000), but adds nothing to the sums:
    # DSR = 1000 * (3000 * 10/1000) / 4000 = 7.5.
    strata = pl.DataFrame({"x": [10, 0], "n": [1000, 0], "w": [3000.0, 1000.0]})
    a, b = stats.dsr_sums(pl.col("x"), pl.col("n"), pl.col("w"))
    sums = strata.select(a=a, b=b, o=pl.col("x").sum())
    [(value, _, _)] = _evaluate(
        sums, *stats.dobson_dsr(pl.col("a"), pl.col("b"), pl.lit(4000.0), pl.col("o"), 1000.0)
    )
    assert value == pytest.approx(7.5)


def _trend(values: list[float], half_width: float) -> tuple[float, float, str]:
    # Interval value -/+ z * SE with SE = half_width, so SE = (upper - lower) / (2z) = half_width.
    frame = pl.DataFrame(
        {
            "year": [2020, 2021, 2022, 2023, 2024],
            "value": values,
            "lower": [v - Z * half_width for v in values],
            "upper": [v + Z * half_width for v in values],
        }
    )
    slope, chi = stats.trend_statistics(
        pl.col("year"), pl.col("value"), pl.col("lower"), pl.col("upper")
    )
    summary = frame.select(slope=slope, chi=chi)
    marker = summary.select(
        stats.trend_marker(pl.col("slope"), pl.col("chi"), pl.lit(value=True))
    ).item()
    return summary["slope"][0], summary["chi"][0], marker


def test_trend_test_by_weighted_least_squares() -> None:
    # y = 10 + (t - 2020) with SE 1: weights 1, slope 1, sum w (t - 2022)^2 = 4+1+0+1+4 = 10,
    # var(slope) = 1/10, statistic = 1^2 / (1/10) = 10 > 9.5495: rising.
    slope, chi, marker = _trend([10, 11, 12, 13, 14], 1.0)
    assert (slope, chi, marker) == (pytest.approx(1.0), pytest.approx(10.0), "rising")
    # SE 1.1: weights 1/1.21, statistic 10 / 1.21 = 8.264 < 9.5495: no significant change.
    slope, chi, marker = _trend([10, 11, 12, 13, 14], 1.1)
    assert chi == pytest.approx(10 / 1.21)
    assert marker == "no_significant_change"
    # Falling by 2 a year with SE 1: statistic 4 * 10 = 40: falling.
    assert _trend([20, 18, 16, 14, 12], 1.0)[2] == "falling"


def test_critical_value_is_the_chi_square_quantile_of_the_trend_level() -> None:
    from scipy.stats import chi2

    assert stats.trend_critical() == pytest.approx(9.5495, abs=1e-4)
    for level in (0.95, 0.99, 0.998):
        assert stats.trend_critical(level) == pytest.approx(chi2.ppf(level, 1), rel=1e-12)
    # The statistic 8.264 of a rise with SE 1.1 is significant at 99 % but not at 99.8 %.
    frame = pl.DataFrame({"slope": [1.0], "chi": [10 / 1.21]})
    markers = [
        frame.select(
            stats.trend_marker(pl.col("slope"), pl.col("chi"), pl.lit(value=True), level)
        ).item()
        for level in (0.99, 0.998)
    ]
    assert markers == ["rising", "no_significant_change"]


@pytest.mark.parametrize(
    ("lower", "upper", "polarity", "expected"),
    [
        (9.0, 11.0, "lower_better", "similar"),  # the interval holds 10
        (11.0, 12.0, "lower_better", "worse"),
        (11.0, 12.0, "higher_better", "better"),
        (8.0, 9.0, "lower_better", "better"),
        (8.0, 9.0, "higher_better", "worse"),
        (11.0, 12.0, "none", "higher"),
        (8.0, 9.0, "none", "lower"),
        (10.0, 12.0, "lower_better", "similar"),  # touching counts as containing
    ],
)
def test_comparison_with_a_reference_worded_by_polarity(
    lower: float, upper: float, polarity: str, expected: str
) -> None:
    frame = pl.DataFrame(
        {"value": [(lower + upper) / 2], "lower": [lower], "upper": [upper], "polarity": [polarity]}
    )
    word = frame.select(
        stats.comparison(
            pl.col("value"),
            pl.col("lower"),
            pl.col("upper"),
            pl.lit(10.0),
            pl.col("polarity"),
            pl.lit(value=True),
        )
    ).item()
    assert word == expected


def test_unpublished_or_uncompared_values_are_not_compared() -> None:
    frame = pl.DataFrame(
        {
            "value": [None, 5.0],
            "lower": [None, 4.0],
            "upper": [None, 6.0],
            "compared": [True, False],
        }
    )
    words = frame.select(
        stats.comparison(
            pl.col("value"),
            pl.col("lower"),
            pl.col("upper"),
            pl.lit(10.0),
            pl.lit("lower_better"),
            pl.col("compared"),
        )
    ).to_series()
    assert words.to_list() == ["not_compared", "not_compared"]
