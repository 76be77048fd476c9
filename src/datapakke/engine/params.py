"""Kind-specific parameters of catalogue indicators, validated when the catalogue loads.

Each ``kind`` of the catalogue has a model here; ``engine.registry`` pairs it with
the kind's methods, tables and computation. This module imports nothing of the
engine.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from datapakke.codes import expand_codes
from datapakke.inputs.schema import Sygdom

Omraade = Literal["somatik", "psykiatri"]
Prioritet = Literal["akut", "planlagt"]
Kontakttype = Literal["indlaeggelse", "ambulant"]


class Params(BaseModel):
    """Base of every kind's parameters: frozen, unknown fields refused."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    def extra_tables(self) -> frozenset[str]:
        """Tables these parameters make the computation read, beyond the kind's own."""
        return frozenset()

    def series(self, indicator_id: str) -> str | None:
        """The ``indikator`` of the aggregate rows the indicator reads (None: registers only)."""
        return None


class NoParams(Params):
    """A kind without parameters."""


class ChangeParams(Params):
    """``population_change``: per cent change over at most ``max_years`` years."""

    max_years: int = Field(default=10, ge=2, le=50)


class LifeExpectancyParams(Params):
    """``life_expectancy``: years pooled, and the fewest pooled deaths and person-years
    (of the table's population: both sexes, or the one sex) that are published."""

    pool_years: int = Field(default=5, ge=1, le=10)
    min_deaths: int = Field(default=50, ge=1)
    min_person_years: int = Field(default=5000, ge=0)


class ContactFilter(Params):
    """Which ``kontakter`` rows count: area, priority, type and main-diagnosis code lists.

    ``diagnoses`` maps a label to SKS prefixes or ranges (``"DJ12-DJ18"``); a contact
    matches when its ``aktionsdiagnose`` starts with any of them. Empty: any diagnosis.
    """

    omraade: Omraade | None = None
    prioritet: Prioritet | None = None
    kontakttype: Kontakttype | None = None
    diagnoses: dict[str, list[str]] = Field(default_factory=dict)

    @field_validator("diagnoses")
    @classmethod
    def _codes_are_valid(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        for label, codes in value.items():
            if not codes:
                raise ValueError(f"'{label}' has no codes")
            expand_codes(codes)
        return value

    @property
    def prefixes(self) -> tuple[str, ...]:
        """Every diagnosis prefix of every label, expanded."""
        return expand_codes([code for codes in self.diagnoses.values() for code in codes])


class AdmissionsParams(ContactFilter):
    """``admissions``: contacts (events) per person in the population group."""


class ContactPersonsParams(ContactFilter):
    """``contact_persons``: persons with at least one matching contact in the year."""


class AdmissionsAmongParams(ContactFilter):
    """``admissions_among``: matching contacts among a sub-population, per its persons.

    ``population`` is ``diseases`` (persons with any of ``diseases`` before 1 January)
    or ``psychiatric_contact`` (persons with a psychiatric contact in the year).
    """

    population: Literal["diseases", "psychiatric_contact"]
    diseases: tuple[Sygdom, ...] = ()

    def extra_tables(self) -> frozenset[str]:
        """``kroniske`` when the sub-population is defined by diseases."""
        return frozenset({"kroniske"}) if self.population == "diseases" else frozenset()

    @model_validator(mode="after")
    def _diseases_when_needed(self) -> AdmissionsAmongParams:
        if self.population == "diseases" and not self.diseases:
            raise ValueError("population 'diseases' needs a non-empty 'diseases' list")
        return self


class PrevalenceParams(Params):
    """``prevalence``: persons with any of ``diseases`` before 1 January of the year."""

    diseases: tuple[Sygdom, ...] = Field(min_length=1)


class MultimorbidityParams(Params):
    """``multimorbidity``: persons with at least ``min_diseases`` of ``diseases``."""

    diseases: tuple[Sygdom, ...] = Field(min_length=2)
    min_diseases: int = Field(default=2, ge=1)

    @model_validator(mode="after")
    def _reachable(self) -> MultimorbidityParams:
        if self.min_diseases > len(self.diseases):
            raise ValueError("min_diseases exceeds the number of diseases listed")
        return self


class ReadmissionsParams(Params):
    """``readmissions``: share of index admissions followed by an acute readmission.

    Index: admissions (any priority) in ``index_omraade`` ending in the year. Counted: an
    acute admission in ``readmission_omraade`` starting after the index end and at most
    ``window_days`` later, whose main diagnosis does not start with ``exclude_diagnoses``.
    With ``require_alive_days`` the person must be alive that many days after the end.
    """

    index_omraade: Omraade
    readmission_omraade: Omraade
    window_days: int = Field(default=30, ge=1, le=365)
    require_alive_days: int | None = Field(default=None, ge=1, le=365)
    exclude_diagnoses: tuple[str, ...] = ()

    @field_validator("exclude_diagnoses")
    @classmethod
    def _codes_are_valid(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return expand_codes(list(value))

    def extra_tables(self) -> frozenset[str]:
        """``doedsfald`` when the person must be alive after discharge."""
        return frozenset({"doedsfald"}) if self.require_alive_days else frozenset()


class PolypharmacyParams(Params):
    """``polypharmacy``: at least ``min_drugs`` ATC codes, each dispensed ``min_dispensings``."""

    min_drugs: int = Field(default=5, ge=1)
    min_dispensings: int = Field(default=2, ge=1)
    atc_length: int = Field(default=7, ge=1, le=7)


_SERIES = r"^[a-z0-9_]+$"


class SurveyParams(Params):
    """``survey``: estimates others publish per area with their intervals (Den Nationale
    Sundhedsprofil), read from the aggregate rows whose ``indikator`` is ``series``
    (default: the indicator's id)."""

    series_id: str | None = Field(default=None, alias="series", pattern=_SERIES)

    def series(self, indicator_id: str) -> str | None:
        """``series``, or the indicator's own id."""
        return self.series_id or indicator_id


class AggregateCountParams(SurveyParams):
    """``aggregate_counts``: a user's counts per municipality (``antal`` of ``grundlag``),
    summed to every area and estimated like the registers' counts."""


class ProjectionParams(Params):
    """``projection``: persons in the group ``horizon`` years after the last year of the
    data, from the population projection's aggregate rows (``series``)."""

    series_id: str = Field(default="befolkningsfremskrivning", alias="series", pattern=_SERIES)
    horizon: int = Field(ge=1, le=30)

    def series(self, indicator_id: str) -> str | None:
        """The projection's rows."""
        return self.series_id
