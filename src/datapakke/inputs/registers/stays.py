"""Hospital stays from LPR3 contacts: chain a person's physical contacts, vectorised.

The national definition: a stay (sygehusophold) chains a person's physical
contacts in order of start while the next starts less than ``gap`` after the
latest end so far (so overlapping and nested contacts chain too); a stay of at
least ``admission`` is an admission, a shorter one an outpatient stay. Stays are
chained within one area (somatics or psychiatry), as the catalogue's indicators
and LPR2's separate psychiatric register count them. Of a stay's contacts the
first (by start) gives the stay's id, priority and action diagnosis (the next
contact's if the first has none): the reason the person came.

One sort, then running sums: ``new`` marks a contact that starts a stay (the
first of a person and area, or one starting at least ``gap`` after the latest
end so far), and the cumulative sum of ``new`` numbers the stays. The latest end
so far within a person and area is a cumulative maximum over the whole sorted
frame of ``group * 2**34 + end``: since group numbers increase, a group's keys
exceed every earlier group's, so no maximum leaks across persons.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

EPOCH = dt.datetime(1900, 1, 1)
_GROUP_SHIFT = 2**34  # more seconds than 1900-2444 holds
# The order of a person's contacts: by start, then end, then id (so ties are decided).
ORDER = ["start", "slut", "kontakt"]


def _seconds(column: str) -> pl.Expr:
    return (pl.col(column) - pl.lit(EPOCH)).dt.total_seconds().cast(pl.Int64)


def chain_stays(physical: pl.LazyFrame, gap_hours: float, admission_hours: float) -> pl.LazyFrame:
    """Stays (the contract's kontakter rows) from physical contacts.

    ``physical`` has ``pnr``, ``omraade``, ``kontakt`` (id), ``start``, ``slut``,
    ``prioritet`` and ``aktionsdiagnose`` (may be null). The stay's id is
    ``kontakt`` of its first contact.
    """
    ordered = physical.sort("pnr", "omraade", *ORDER)
    first_of_group = (
        (pl.col("pnr") != pl.col("pnr").shift(1))
        | (pl.col("omraade") != pl.col("omraade").shift(1))
    ).fill_null(value=True)
    group = first_of_group.cum_sum().cast(pl.Int64)
    running_end = (group * _GROUP_SHIFT + _seconds("slut")).cum_max().shift(1)
    latest_end = running_end - group * _GROUP_SHIFT
    gap = int(gap_hours * 3600)
    new = first_of_group | ((_seconds("start") - latest_end) >= gap)
    numbered = ordered.with_row_index("__row").with_columns(__stay=new.cum_sum())
    length = int(admission_hours * 3600)
    first = pl.col("__row").arg_min()
    return (
        numbered.group_by("__stay")
        .agg(
            # The first contact is the one of the lowest row number (in ORDER), stated
            # rather than assumed from the order of rows within a group.
            pl.col("kontakt").get(first).alias("kontakt_id"),
            pl.col("pnr").first(),
            pl.col("start").min(),
            pl.col("slut").max(),
            pl.col("omraade").first(),
            pl.col("prioritet").get(first),
            pl.col("aktionsdiagnose").sort_by("__row").drop_nulls().first(),
            pl.len().alias("__contacts"),
        )
        .with_columns(
            kontakttype=pl.when((pl.col("slut") - pl.col("start")).dt.total_seconds() >= length)
            .then(pl.lit("indlaeggelse"))
            .otherwise(pl.lit("ambulant"))
        )
        .drop("__stay")
    )
