"""Readmissions: the share of index admissions followed by an acute readmission.

An index admission counts in the year its ``slut`` falls in, for the person's
municipality and age in the year it started (the register rule for contacts).
"""

from __future__ import annotations

import polars as pl

from datapakke.engine.params import ReadmissionsParams
from datapakke.engine.sources import (
    COUNT_KEYS,
    Counts,
    IndicatorView,
    Sources,
    in_group,
    params_of,
)


def readmissions(sources: Sources, indicator: IndicatorView) -> Counts:
    """Index admissions (denominator) and those readmitted within the window (numerator)."""
    settings = params_of(indicator, ReadmissionsParams)
    index = sources.contacts.filter(
        pl.col("omraade") == settings.index_omraade,
        pl.col("kontakttype") == "indlaeggelse",
        in_group(indicator),
    ).with_columns(year=pl.col("slut").dt.year().cast(pl.Int32))
    if settings.require_alive_days is not None:
        alive_until = pl.col("slut").dt.date() + pl.duration(days=settings.require_alive_days)
        index = index.join(sources.deaths.lazy(), on="pnr", how="left").filter(
            pl.col("doed_dato").is_null() | (pl.col("doed_dato") > alive_until)
        )
    # Any admission can be a readmission, also one of a person not in befolkning that year.
    candidates = sources.stays.lazy().filter(
        pl.col("omraade") == settings.readmission_omraade,
        pl.col("prioritet") == "akut",
        pl.col("kontakttype") == "indlaeggelse",
    )
    if settings.exclude_diagnoses:
        candidates = candidates.filter(~sources.diagnosed(settings.exclude_diagnoses))
    # The first eligible admission starting strictly after the index ends, per person.
    followed = index.sort("slut").join_asof(
        candidates.select("pnr", readmitted_at=pl.col("start")).sort("readmitted_at"),
        left_on="slut",
        right_on="readmitted_at",
        by="pnr",
        strategy="forward",
        allow_exact_matches=False,
        check_sortedness=False,  # both sides are sorted just above
    )
    window = pl.duration(days=settings.window_days)
    readmitted = pl.col("readmitted_at").is_not_null() & (
        pl.col("readmitted_at") <= pl.col("slut") + window
    )
    per_stratum = (
        followed.group_by(*COUNT_KEYS)
        .agg(x=readmitted.sum().cast(pl.Int64), n=pl.len().cast(pl.Int64))
        .with_columns(pl.col("koen").cast(pl.String))
    )
    return Counts(
        numerator=per_stratum.select(*COUNT_KEYS, "x"),
        denominator=per_stratum.select(*COUNT_KEYS, "n"),
    )
