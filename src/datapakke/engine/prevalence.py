"""Persons living with chronic diseases (RUKS): prevalence and multimorbidity.

A person has a disease in year Y when ``debut_dato`` is before 1 January of Y and
the person is in ``befolkning`` for Y (``Sources.disease_years``).
"""

from __future__ import annotations

import polars as pl

from datapakke.engine.params import MultimorbidityParams, PrevalenceParams
from datapakke.engine.sources import Counts, IndicatorView, Sources, count_rows, in_group, params_of


def prevalence(sources: Sources, indicator: IndicatorView) -> Counts:
    """Persons with any of the listed diseases, per person in the group."""
    settings = params_of(indicator, PrevalenceParams)
    people = sources.persons_with_diseases(settings.diseases).filter(in_group(indicator))
    return Counts(numerator=count_rows(people, "x"), denominator=sources.population_in(indicator))


def multimorbidity(sources: Sources, indicator: IndicatorView) -> Counts:
    """Persons with at least ``min_diseases`` of the listed diseases, per person in the group."""
    settings = params_of(indicator, MultimorbidityParams)
    people = sources.persons_with_diseases(settings.diseases).filter(
        pl.col("sygdomme") >= settings.min_diseases, in_group(indicator)
    )
    return Counts(numerator=count_rows(people, "x"), denominator=sources.population_in(indicator))
