"""Danish number and date format."""

from __future__ import annotations

import datetime as dt

import pytest

from datapakke.numbers import aar_interval, dato, heltal, med_enhed, tal


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (1234.5, 1, "1.234,5"),
        (1234567, 0, "1.234.567"),
        (0.04, 1, "0,0"),
        (-0.04, 1, "0,0"),  # never "-0,0"
        (-3.25, 1, "-3,2"),  # round half to even, as Python does
        (12.0, 2, "12,00"),
        (None, 1, "–"),
        (float("nan"), 1, "–"),
    ],
)
def test_tal(value: float | None, decimals: int, expected: str) -> None:
    assert tal(value, decimals) == expected


def test_signed_and_whole_numbers() -> None:
    assert tal(2.2, signed=True) == "+2,2"
    assert tal(-2.2, signed=True) == "-2,2"
    assert tal(0.0, signed=True) == "0,0"
    assert heltal(245612.4) == "245.612"


def test_values_with_units() -> None:
    assert med_enhed(12.34, "percent") == "12,3\u00a0pct."
    assert med_enhed(38.06, "per_1000") == "38,1\u00a0pr. 1.000"
    assert med_enhed(245612, "persons") == "245.612"
    assert med_enhed(None, "years") == "–"


def test_dates_and_year_spans() -> None:
    assert dato(dt.date(2026, 11, 23)) == "23. november 2026"
    assert aar_interval((2020, 2021, 2024)) == "2020–2024"
    assert aar_interval([2024]) == "2024"
