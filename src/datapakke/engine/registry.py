"""The registry of kinds: each catalogue ``kind`` mapped to its parameters and computation.

Adding an indicator of an existing kind is an edit of the catalogue only; a new
kind is a function returning ``Counts`` plus one entry here. No names are
evaluated: the catalogue's ``kind`` string is only ever a key of ``KINDS``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from datapakke.engine import events, population_counts, prevalence, readmissions, shares
from datapakke.engine.catalogue import Indicator
from datapakke.engine.params import PARAMS_BY_KIND, Params
from datapakke.engine.sources import Counts, Sources


@dataclass(frozen=True)
class Kind:
    """How one kind is computed: its parameters model and its counts.

    ``sensitive_denominator``: the denominator counts persons or events from a health
    register (persons with KOL, index admissions), so disclosure control protects it
    like a numerator; population denominators are public.
    """

    params: type[Params]
    counts: Callable[[Sources, Indicator], Counts]
    sensitive_denominator: bool = False


_COMPUTATIONS: tuple[tuple[str, Callable[[Sources, Indicator], Counts], bool], ...] = (
    ("population_count", population_counts.population_count, False),
    ("population_change", population_counts.population_count, False),
    ("population_share", population_counts.population_share, False),
    ("deaths", events.deaths, False),
    # Life expectancy is built from the same deaths and population, in life-table bands.
    ("life_expectancy", events.deaths, False),
    ("admissions", events.admissions, False),
    ("contact_persons", events.contact_persons, False),
    ("admissions_among", events.admissions_among, True),
    ("prevalence", prevalence.prevalence, False),
    ("multimorbidity", prevalence.multimorbidity, False),
    ("readmissions", readmissions.readmissions, True),
    ("polypharmacy", shares.polypharmacy, False),
    ("home_care", shares.home_care, False),
)

KINDS: Mapping[str, Kind] = {
    name: Kind(PARAMS_BY_KIND[name], counts, sensitive) for name, counts, sensitive in _COMPUTATIONS
}
