"""The registry of statistical methods: each catalogue ``method`` mapped to its estimator.

An estimator turns the rolled-up strata of the indicators computed with that
method into area rows (``estimates.ESTIMATE_SCHEMA``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import polars as pl

from datapakke.engine import estimates, lifetable
from datapakke.engine.catalogue import Indicator
from datapakke.engine.params import ChangeParams
from datapakke.engine.settings import ComputeSettings
from datapakke.engine.sources import params_of


@dataclass(frozen=True)
class MethodInput:
    """What an estimator gets: the strata of its indicators and the run's settings.

    ``standard_strata``: the single years' strata the national standard is taken from,
    when ``strata`` are not those (pooled years); None: ``strata`` themselves.
    """

    strata: pl.LazyFrame
    indicators: list[Indicator]
    settings: ComputeSettings
    years: pl.LazyFrame
    standard_strata: pl.LazyFrame | None = None

    @property
    def multipliers(self) -> pl.DataFrame:
        """``indicator_id, multiplier`` (k of the unit) of the indicators."""
        return pl.DataFrame(
            {
                "indicator_id": [i.id for i in self.indicators],
                "multiplier": [i.multiplier for i in self.indicators],
            },
            schema={"indicator_id": pl.String, "multiplier": pl.Float64},
        )


def _changes(given: MethodInput) -> pl.LazyFrame:
    windows = pl.DataFrame(
        {
            "indicator_id": [i.id for i in given.indicators],
            "max_years": [params_of(i, ChangeParams).max_years for i in given.indicators],
        },
        schema={"indicator_id": pl.String, "max_years": pl.Int32},
    )
    return estimates.changes(given.strata, windows)


ESTIMATORS: Mapping[str, Callable[[MethodInput], pl.LazyFrame]] = {
    "count": lambda given: estimates.counts(given.strata),
    "share_full": lambda given: estimates.full_shares(given.strata),
    "change": _changes,
    "share": lambda given: estimates.shares(given.strata, given.settings.level),
    "rate_crude": lambda given: estimates.crude_rates(
        given.strata, given.multipliers, given.settings.level
    ),
    "rate_standardised": lambda given: estimates.standardised_rates(
        given.strata, given.indicators, given.multipliers, given.settings, given.standard_strata
    ),
    "life_expectancy": lambda given: lifetable.life_expectancy(
        given.strata, given.indicators, given.years, given.settings.level
    ),
}
