"""The registry of kinds: each catalogue ``kind`` and everything about it, in one ``KindSpec``.

Adding an indicator of an existing kind is an edit of the catalogue only; a new
kind is a function returning ``Counts`` plus one entry here. No names are
evaluated: the catalogue's ``kind`` string is only ever a key of ``KINDS``. The
computations see an indicator through ``IndicatorView``, so this module does not
import the catalogue, and the catalogue validates its entries against it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from datapakke.engine import events, population_counts, prevalence, readmissions, shares
from datapakke.engine.params import (
    AdmissionsAmongParams,
    AdmissionsParams,
    AggregateCountParams,
    ChangeParams,
    ContactPersonsParams,
    LifeExpectancyParams,
    MultimorbidityParams,
    NoParams,
    Params,
    PolypharmacyParams,
    PrevalenceParams,
    ProjectionParams,
    ReadmissionsParams,
    SurveyParams,
)
from datapakke.engine.sources import Counts, IndicatorView, Sources, given_counts

RATES = frozenset({"rate_standardised", "rate_crude"})
RATES_AND_SHARE = RATES | {"share"}


@dataclass(frozen=True)
class KindSpec:
    """One kind: its parameters model, the methods it can be computed with, the tables it
    reads (parameters may add more: ``Params.extra_tables``) and its computation.

    ``sensitive_denominator``: the denominator counts persons or events from a health
    register (persons with KOL, index admissions), so disclosure control protects it
    like a numerator; population denominators are public.
    """

    params: type[Params]
    methods: frozenset[str]
    tables: frozenset[str]
    # None: the kind's rows are published values, not counts (``published.survey_rows``).
    counts: Callable[[Sources, IndicatorView], Counts] | None
    sensitive_denominator: bool = False


def _reads(*tables: str) -> frozenset[str]:
    return frozenset({"befolkning", *tables})


KINDS: Mapping[str, KindSpec] = {
    "population_count": KindSpec(
        NoParams, frozenset({"count"}), _reads(), population_counts.population_count
    ),
    # The development of the same count, as a per cent change.
    "population_change": KindSpec(
        ChangeParams, frozenset({"change"}), _reads(), population_counts.population_count
    ),
    "population_share": KindSpec(
        NoParams, frozenset({"share_full"}), _reads(), population_counts.population_share
    ),
    "deaths": KindSpec(NoParams, RATES, _reads("doedsfald"), events.deaths),
    # Life expectancy is built from the same deaths and population, in life-table bands.
    "life_expectancy": KindSpec(
        LifeExpectancyParams, frozenset({"life_expectancy"}), _reads("doedsfald"), events.deaths
    ),
    "admissions": KindSpec(AdmissionsParams, RATES, _reads("kontakter"), events.admissions),
    "contact_persons": KindSpec(
        ContactPersonsParams, RATES_AND_SHARE, _reads("kontakter"), events.contact_persons
    ),
    "admissions_among": KindSpec(
        AdmissionsAmongParams,
        RATES,
        _reads("kontakter"),
        events.admissions_among,
        sensitive_denominator=True,
    ),
    "prevalence": KindSpec(
        PrevalenceParams, RATES_AND_SHARE, _reads("kroniske"), prevalence.prevalence
    ),
    "multimorbidity": KindSpec(
        MultimorbidityParams, RATES_AND_SHARE, _reads("kroniske"), prevalence.multimorbidity
    ),
    "readmissions": KindSpec(
        ReadmissionsParams,
        frozenset({"share", "rate_standardised"}),
        _reads("kontakter"),
        readmissions.readmissions,
        sensitive_denominator=True,
    ),
    "polypharmacy": KindSpec(
        PolypharmacyParams, RATES_AND_SHARE, _reads("recepter"), shares.polypharmacy
    ),
    "home_care": KindSpec(NoParams, RATES_AND_SHARE, _reads("hjemmepleje"), shares.home_care),
    # Aggregate inputs (``published``): the registers give only the areas, years and, for
    # the survey's areas without a published value, the population weights.
    "survey": KindSpec(SurveyParams, frozenset({"survey"}), _reads(), None),
    "aggregate_counts": KindSpec(
        AggregateCountParams,
        frozenset({"share", "rate_crude"}),
        _reads(),
        given_counts,
        sensitive_denominator=True,
    ),
    "projection": KindSpec(ProjectionParams, frozenset({"count"}), _reads(), given_counts),
}
