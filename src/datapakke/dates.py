"""Dates: the build date (what packs are dated, and what picks the area set in force) and
age on 1 January, the registers' age."""

from __future__ import annotations

import datetime as dt
import os
from typing import TYPE_CHECKING

from datapakke.errors import UsageError, excerpt

if TYPE_CHECKING:
    import polars as pl


def build_date() -> dt.date:
    """The date printed on packs: ``SOURCE_DATE_EPOCH`` if set (reproducible builds), else today."""
    pinned = pinned_build_date()
    return pinned if pinned is not None else dt.date.today()


def pinned_build_date() -> dt.date | None:
    """The date ``SOURCE_DATE_EPOCH`` pins, or None when it is not set (or empty).

    A value that is not a whole number of seconds since 1970, or out of the
    calendar's range, is a UsageError: a reproducible build must not quietly
    fall back to today.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return None
    hint = (
        "Set SOURCE_DATE_EPOCH to the build time in seconds since 1970-01-01 UTC "
        "(e.g. 1767312000 for 2 January 2026), or unset it to date the packs today."
    )
    if not epoch.isascii() or not epoch.isdigit():
        raise UsageError(
            f"SOURCE_DATE_EPOCH={excerpt(epoch)} is not a whole, non-negative number of seconds.",
            hint=hint,
        )
    try:
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
    except (OverflowError, OSError, ValueError):
        raise UsageError(
            f"SOURCE_DATE_EPOCH={excerpt(epoch)} is out of range (after the year 9999).",
            hint=hint,
        ) from None


# Polars' first date (-262143-01-01, as days since 1970): the day before it has no year.
FIRST_DAY = -96_465_292
FIRST_YEAR = -262_143


def age_on_january_first(birth: pl.Expr, year: pl.Expr) -> pl.Expr:
    """Whole years of age on 1 January of ``year`` for a person born on ``birth`` (Int32).

    A birthday on 1 January has been reached on 1 January; any later one is still to come.
    So the age is ``year`` less the year of the first 1 January on or after the birth, which
    is the year of the day before the birth plus one: one date-to-year conversion a row
    instead of two (year and day of the year), half the time on 30 M rows.
    """
    import polars as pl  # here, so that the build date needs no Polars

    days = birth.cast(pl.Int32)
    first = (
        pl.when(days == FIRST_DAY)  # the day before has no year
        .then(pl.lit(FIRST_YEAR, dtype=pl.Int32))
        .otherwise((days - 1).cast(pl.Date).dt.year() + 1)
    )
    return (year - first).cast(pl.Int32)
