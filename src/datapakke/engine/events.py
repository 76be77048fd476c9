"""Event and person counts over the population: deaths, admissions, contact persons.

Events count in the year they happen (a contact: the year it starts) for the
person's municipality and age on 1 January of that year; the denominator is the
population of the group, or, for ``admissions_among``, the sub-population.
"""

from __future__ import annotations

from datapakke.engine.params import (
    AdmissionsAmongParams,
    AdmissionsParams,
    ContactPersonsParams,
)
from datapakke.engine.sources import (
    COUNT_KEYS,
    Counts,
    IndicatorView,
    Sources,
    count_rows,
    in_group,
    params_of,
)


def deaths(sources: Sources, indicator: IndicatorView) -> Counts:
    """Deaths during the year among the persons living in the area on 1 January."""
    died = sources.death_years.lazy().filter(in_group(indicator))
    return Counts(numerator=count_rows(died, "x"), denominator=sources.population_in(indicator))


def admissions(sources: Sources, indicator: IndicatorView) -> Counts:
    """Matching contacts (events, not persons) per person in the group."""
    settings = params_of(indicator, AdmissionsParams)
    events = sources.contacts.filter(sources.contact_matches(settings), in_group(indicator))
    return Counts(numerator=count_rows(events, "x"), denominator=sources.population_in(indicator))


def contact_persons(sources: Sources, indicator: IndicatorView) -> Counts:
    """Persons with at least one matching contact starting in the year."""
    settings = params_of(indicator, ContactPersonsParams)
    people = (
        sources.contacts.filter(sources.contact_matches(settings), in_group(indicator))
        .select("pnr", *COUNT_KEYS)
        .unique(subset=["pnr", "year"])
    )
    return Counts(numerator=count_rows(people, "x"), denominator=sources.population_in(indicator))


def admissions_among(sources: Sources, indicator: IndicatorView) -> Counts:
    """Matching contacts of a sub-population's persons, per person of the sub-population.

    The sub-population is persons with a listed disease before 1 January, or persons
    with a psychiatric contact in the year; both counted where they live on 1 January.
    """
    settings = params_of(indicator, AdmissionsAmongParams)
    if settings.population == "diseases":
        people = sources.persons_with_diseases(settings.diseases).filter(in_group(indicator))
    else:
        people = sources.psychiatric_contact_persons.lazy().filter(in_group(indicator))
    events = sources.contacts.filter(sources.contact_matches(settings), in_group(indicator)).join(
        people.select("pnr", "year"), on=["pnr", "year"], how="semi"
    )
    return Counts(numerator=count_rows(events, "x"), denominator=count_rows(people, "n"))
