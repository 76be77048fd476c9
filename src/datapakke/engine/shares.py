"""Shares of the population group with a property in the year: polypharmacy, home care."""

from __future__ import annotations

import polars as pl

from datapakke.engine.params import PolypharmacyParams
from datapakke.engine.sources import Counts, IndicatorView, Sources, count_rows, in_group, params_of


def polypharmacy(sources: Sources, indicator: IndicatorView) -> Counts:
    """Persons dispensed at least ``min_drugs`` ATC codes, each at least ``min_dispensings`` times.

    Only codes of full length (``atc_length`` characters, the substance level at 7) count:
    a shorter code does not name one drug.
    """
    settings = params_of(indicator, PolypharmacyParams)
    users = (
        sources.drug_counts(settings)
        .lazy()
        .filter(pl.col("drugs") >= settings.min_drugs, in_group(indicator))
    )
    return Counts(numerator=count_rows(users, "x"), denominator=sources.population_in(indicator))


def home_care(sources: Sources, indicator: IndicatorView) -> Counts:
    """Persons with any ``hjemmepleje`` row for the year."""
    people = sources.home_care_years.lazy().filter(in_group(indicator))
    return Counts(numerator=count_rows(people, "x"), denominator=sources.population_in(indicator))
