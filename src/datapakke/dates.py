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


def age_on_january_first(birth: pl.Expr, year: pl.Expr) -> pl.Expr:
    """Whole years of age on 1 January of ``year`` for a person born on ``birth`` (Int32).

    A birthday on 1 January has been reached on 1 January; any later one is still to come.
    """
    import polars as pl  # here, so that the build date needs no Polars

    return (year - birth.dt.year() - (birth.dt.ordinal_day() > 1).cast(pl.Int32)).cast(pl.Int32)
