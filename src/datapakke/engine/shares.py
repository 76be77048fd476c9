"""Shares of the population group with a property in the year: polypharmacy, home care."""

from __future__ import annotations

import polars as pl

from datapakke.engine.catalogue import Indicator
from datapakke.engine.params import PolypharmacyParams
from datapakke.engine.sources import Counts, Sources, count_rows, in_group, params_of


def polypharmacy(sources: Sources, indicator: Indicator) -> Counts:
    """Persons dispensed at least ``min_drugs`` ATC codes, each at least ``min_dispensings`` times.

    Only codes of full length (``atc_length`` characters, the substance level at 7) count:
    a shorter code does not name one drug.
    """
    settings = params_of(indicator, PolypharmacyParams)
    drug = pl.col("atc").str.strip_chars().str.to_uppercase()
    # Only the group's person-years can count: drop the rest before the large group-by.
    in_group_years = sources.persons.filter(in_group(indicator)).select("pnr", "year")
    users = (
        sources.extract.table("recepter")
        .filter(drug.str.len_chars() >= settings.atc_length)
        .select(
            "pnr",
            year=pl.col("udlevering_dato").dt.year().cast(pl.Int32),
            drug=drug.str.slice(0, settings.atc_length),
        )
        .join(in_group_years, on=["pnr", "year"], how="semi")
        .group_by("pnr", "year", "drug")
        .agg(dispensings=pl.len())
        .filter(pl.col("dispensings") >= settings.min_dispensings)
        .group_by("pnr", "year")
        .agg(drugs=pl.len())
        .filter(pl.col("drugs") >= settings.min_drugs)
        .select("pnr", "year")
    )
    people = sources.person_years(users, indicator)
    return Counts(numerator=count_rows(people, "x"), denominator=sources.population_in(indicator))


def home_care(sources: Sources, indicator: Indicator) -> Counts:
    """Persons with any ``hjemmepleje`` row for the year."""
    receivers = sources.extract.table("hjemmepleje").select("pnr", year=pl.col("aar")).unique()
    people = sources.person_years(receivers, indicator)
    return Counts(numerator=count_rows(people, "x"), denominator=sources.population_in(indicator))
