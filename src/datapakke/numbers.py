"""Danish number and date format for everything a reader sees: 1.234,5 and 23. november 2026."""

from __future__ import annotations

import datetime as dt
import math

from babel.dates import format_date
from babel.numbers import format_decimal

LOCALE = "da_DK"
MISSING = "–"  # en dash: no value
NBSP = "\u00a0"

UNIT_LABELS = {
    "persons": "personer",
    "percent": "pct.",
    "per_1000": "pr. 1.000",
    "years": "år",
}


def tal(value: float | None, decimals: int = 1, *, signed: bool = False) -> str:
    """Format a number Danish style (``1.234,5``); ``None`` and NaN become an en dash."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    rounded = round(float(value), decimals)
    if rounded == 0:
        rounded = 0.0  # never show "-0,0"
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    text = format_decimal(rounded, format=pattern, locale=LOCALE)
    return f"+{text}" if signed and rounded > 0 else text


def heltal(value: float | None) -> str:
    """Format a whole number with thousands separators (``12.345``)."""
    return tal(value, 0)


def med_enhed(value: float | None, unit: str, decimals: int = 1) -> str:
    """A value with its unit, e.g. ``12,3 pct.``, ``38,1 pr. 1.000``, ``81,2 år``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    if unit == "persons":
        return heltal(value)
    return f"{tal(value, decimals)}{NBSP}{UNIT_LABELS.get(unit, unit)}"


def niveau(level: float) -> str:
    """A confidence level as a reader sees it: ``95 %``, ``99,5 %``."""
    percent = 100 * level
    return f"{tal(percent, 0 if percent == round(percent) else 1)}{NBSP}%"


def dato(day: dt.date) -> str:
    """A date as ``23. november 2026``."""
    return str(format_date(day, format="d. MMMM y", locale=LOCALE))


def aar_interval(years: tuple[int, ...] | list[int]) -> str:
    """Years as a span: ``2020-2024`` (or one year)."""
    if not years:
        return MISSING
    first, last = min(years), max(years)
    return str(first) if first == last else f"{first}–{last}"
