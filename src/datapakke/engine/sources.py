"""The shared pass: each intermediate that several kinds draw on, built once per run and kept.

The person-year base, the hospital stays with their person-year attributes, the
disease status per person-year, the drug counts per person-year and the
person-years of death and of home care are materialised DataFrames, built on
first use and reused by every indicator. They
are not left to Polars' common-subplan elimination: the per-method filters of the
old single query were pushed down through its cache nodes, so a five-indicator
catalogue ran every kind once per method (three times over); a kept frame is
computed once, provably, and has a known size. Every kind's own plan then only
filters these frames and counts rows down to municipality, year, age and sex.

Two rules of the registers are applied here, once: a person-year is a
``befolkning`` row (age on 1 January), and a contact belongs to the person's
municipality and age in the year it starts.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Protocol, TypeVar

import polars as pl

from datapakke.dates import age_on_january_first
from datapakke.engine.params import ContactFilter, Params, PolypharmacyParams
from datapakke.engine.strata import SEXES
from datapakke.inputs.person_key import person_year
from datapakke.inputs.read import Extract
from datapakke.inputs.schema import KONTAKTER, SYGDOMME

if TYPE_CHECKING:
    from polars._typing import JoinStrategy

P = TypeVar("P", bound=Params)

# The columns of a count frame: per municipality, year, single year of age and sex.
COUNT_KEYS = ("kommunekode", "year", "alder", "koen")
# A person-year's attributes beside its keys (pnr, year).
ATTRIBUTES = ("kommunekode", "alder", "koen")
# Short string columns held as enums in the kept frames (1 byte a row instead of 16).
SEX = pl.Enum(SEXES)
# Room for every category code (32 bits) beside a person-year's index in one integer.
_DRUG_CODES = 1 << 32
# The integer person-year key's column while a join runs (``Sources.in_person_years``).
_PERSON_YEAR = "__person_year"
_CONTACT_ENUMS = {
    name: pl.Enum(KONTAKTER.column(name).allowed or ())
    for name in ("omraade", "prioritet", "kontakttype")
}


class IndicatorView(Protocol):
    """What a kind's computation reads of a catalogue indicator (``catalogue.Indicator``)."""

    @property
    def id(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def age_min(self) -> int | None: ...
    @property
    def age_max(self) -> int | None: ...
    @property
    def sex(self) -> str | None: ...
    @property
    def settings(self) -> Params: ...


@dataclass(frozen=True)
class Counts:
    """One indicator's per-municipality counts at single years of age.

    ``numerator`` has ``COUNT_KEYS`` and ``x``; ``denominator`` has ``COUNT_KEYS`` and ``n``
    (None for a plain count). Ages are already restricted to the indicator's group.
    """

    numerator: pl.LazyFrame
    denominator: pl.LazyFrame | None


def params_of(indicator: IndicatorView, model: type[P]) -> P:
    """The indicator's validated params as ``model`` (the registry guarantees the kind)."""
    settings = indicator.settings
    if not isinstance(settings, model):  # pragma: no cover - a registry bug
        raise TypeError(f"{indicator.id}: params are {type(settings).__name__}, not {model}")
    return settings


def in_group(indicator: IndicatorView) -> pl.Expr:
    """Whether a person-year (``alder``, ``koen``) is in the indicator's population group."""
    condition = pl.lit(value=True)
    if indicator.age_min is not None:
        condition &= pl.col("alder") >= indicator.age_min
    if indicator.age_max is not None:
        condition &= pl.col("alder") <= indicator.age_max
    if indicator.sex is not None:
        condition &= pl.col("koen") == indicator.sex
    return condition


def starts_with_any(column: pl.Expr, prefixes: tuple[str, ...]) -> pl.Expr:
    """Whether an SKS code starts with any of ``prefixes`` (case-insensitive).

    One anchored regular expression, so a long code list is one pass over the column.
    """
    if not prefixes:
        return pl.lit(value=False)
    alternatives = "|".join(re.escape(prefix.upper()) for prefix in prefixes)
    return column.str.contains(f"(?i)^(?:{alternatives})")


def count_rows(frame: pl.LazyFrame, column: str) -> pl.LazyFrame:
    """Rows per ``COUNT_KEYS``, as the integer column ``column`` (sex as a string)."""
    return (
        frame.group_by(*COUNT_KEYS)
        .agg(pl.len().cast(pl.Int64).alias(column))
        .with_columns(pl.col("koen").cast(pl.String))
    )


def disease_mask(diseases: Sequence[str]) -> int:
    """The bits of ``diseases`` in ``Sources.disease_years``' ``sygdomme_bits``."""
    return sum(1 << SYGDOMME.index(disease) for disease in set(diseases))


@dataclass(frozen=True)
class Sources:
    """The extract's tables as the shared frames the kinds are built from.

    ``indicators`` are the ones this run computes; a frame built for a few of them
    (the drug counts) is restricted to the person-years those can count.
    """

    extract: Extract
    indicators: Sequence[IndicatorView] = ()
    # The counts read from the aggregate inputs (``published.Published.counts``).
    given: pl.DataFrame | None = None
    _drug_counts: dict[tuple[int, int], pl.DataFrame] = field(
        default_factory=dict, repr=False, compare=False
    )
    _diagnoses: dict[tuple[str, ...], pl.Series] = field(
        default_factory=dict, repr=False, compare=False
    )

    def has(self, table: str) -> bool:
        """Whether the extract holds ``table``."""
        return self.extract.has(table)

    def in_person_years(
        self, rows: pl.LazyFrame, person_years: pl.LazyFrame, how: JoinStrategy = "inner"
    ) -> pl.LazyFrame:
        """``rows`` joined on ``pnr`` and ``year`` to ``person_years``' other columns.

        With an integer person key (``Extract.person_key``) the join is on one integer per
        person-year (``person_year``), which is much cheaper than on the pair; the rows and
        columns are the same.
        """
        if self.extract.person_key is None:
            return rows.join(person_years, on=["pnr", "year"], how=how)
        key = person_year(pl.col("pnr"), pl.col("year")).alias(_PERSON_YEAR)
        return (
            rows.with_columns(key)
            .join(person_years.with_columns(key).drop("pnr", "year"), on=_PERSON_YEAR, how=how)
            .drop(_PERSON_YEAR)
        )

    @cached_property
    def persons(self) -> pl.DataFrame:
        """The person-year base: pnr, year, kommunekode, koen, alder (age on 1 January)."""
        return (
            self.extract.keyed("befolkning")
            .select(
                "pnr",
                year=pl.col("aar"),
                kommunekode=pl.col("kommunekode"),
                koen=pl.col("koen").cast(SEX),
                alder=age_on_january_first(pl.col("foed_dato"), pl.col("aar")).cast(pl.Int16),
            )
            .filter(pl.col("alder") >= 0)
            .collect()
        )

    @cached_property
    def population(self) -> pl.DataFrame:
        """Persons per municipality, year, single year of age and sex (column ``n``)."""
        return count_rows(self.persons.lazy(), "n").collect()

    def population_in(self, indicator: IndicatorView) -> pl.LazyFrame:
        """The population of the indicator's group, as a denominator (column ``n``)."""
        return self.population.lazy().filter(in_group(indicator))

    @cached_property
    def stays(self) -> pl.DataFrame:
        """Every ``kontakter`` row with ``year`` (of start) and the person's attributes then.

        The attributes are null for a person not in ``befolkning`` the year the contact
        starts: such a contact belongs to no area (``contacts``), but it can still be a
        readmission.
        """
        return (
            self.in_person_years(
                self.extract.keyed("kontakter").select(
                    "pnr",
                    "start",
                    "slut",
                    *(pl.col(name).cast(dtype) for name, dtype in _CONTACT_ENUMS.items()),
                    "aktionsdiagnose",
                    year=pl.col("start").dt.year().cast(pl.Int32),
                ),
                self.persons.lazy(),
                how="left",
            )
        ).collect()

    def diagnosed(self, prefixes: tuple[str, ...]) -> pl.Expr:
        """Whether a stay's ``aktionsdiagnose`` starts with any of ``prefixes``
        (``starts_with_any``), tested once per distinct code of the stays, not once per row."""
        if not prefixes:
            return pl.lit(value=False)
        if prefixes not in self._diagnoses:
            codes = self.diagnosis_codes.to_frame()
            matching = codes.filter(starts_with_any(pl.col("aktionsdiagnose"), prefixes))
            self._diagnoses[prefixes] = matching.to_series()
        return pl.col("aktionsdiagnose").is_in(self._diagnoses[prefixes].implode())

    @cached_property
    def diagnosis_codes(self) -> pl.Series:
        """The distinct main diagnoses of the stays (found once: at national size each
        search over the 9 M stays' codes took 0.3 s, and a dozen code lists ask)."""
        return (
            self.stays.lazy()
            .select(pl.col("aktionsdiagnose").unique().drop_nulls())
            .collect()["aktionsdiagnose"]
        )

    def contact_matches(self, settings: ContactFilter) -> pl.Expr:
        """Whether a stay passes the area, priority, type and diagnosis filters."""
        condition = pl.lit(value=True)
        for column in ("omraade", "prioritet", "kontakttype"):
            wanted = getattr(settings, column)
            if wanted is not None:
                condition &= pl.col(column) == wanted
        if settings.diagnoses:
            condition &= self.diagnosed(settings.prefixes)
        return condition

    @property
    def contacts(self) -> pl.LazyFrame:
        """The stays of persons in ``befolkning`` the year they start (they belong to an area)."""
        return self.stays.lazy().filter(pl.col("kommunekode").is_not_null())

    @cached_property
    def deaths(self) -> pl.DataFrame:
        """One date of death per person (the first, should an extract repeat a person)."""
        return (
            self.extract.keyed("doedsfald").group_by("pnr").agg(pl.col("doed_dato").min()).collect()
        )

    @cached_property
    def death_years(self) -> pl.DataFrame:
        """Person-years in which the person died: pnr, year and the attributes (on 1 January)."""
        return (
            self.deaths.lazy()
            .join(self.persons.lazy(), on="pnr", how="inner")
            .filter(pl.col("doed_dato").dt.year() == pl.col("year"))
            .select("pnr", "year", *ATTRIBUTES)
            .collect()
        )

    @cached_property
    def home_care_years(self) -> pl.DataFrame:
        """Person-years with any ``hjemmepleje`` row for the year: pnr, year, the attributes."""
        receivers = self.extract.keyed("hjemmepleje").select("pnr", year=pl.col("aar")).unique()
        return self.in_person_years(receivers, self.persons.lazy()).collect()

    @cached_property
    def disease_years(self) -> pl.DataFrame:
        """Person-years with a chronic disease: pnr, year, the attributes, ``sygdomme_bits``.

        A person has a disease in year Y when ``debut_dato`` is before 1 January of Y and
        the person is in ``befolkning`` for Y; bit i of ``sygdomme_bits`` is ``SYGDOMME[i]``.
        """
        onset = (
            self.extract.keyed("kroniske")
            .group_by("pnr", "sygdom")
            .agg(pl.col("debut_dato").min())
            .select(
                "pnr",
                "debut_dato",
                bit=pl.col("sygdom").replace_strict(
                    list(SYGDOMME), [1 << i for i in range(len(SYGDOMME))], return_dtype=pl.Int32
                ),
            )
        )
        return (
            self.persons.lazy()
            .join(onset, on="pnr", how="inner")
            .filter(pl.col("debut_dato") < pl.date(pl.col("year"), 1, 1))
            # One row per person and disease, so the sum of the bits is their union.
            .group_by("pnr", "year", *ATTRIBUTES)
            .agg(sygdomme_bits=pl.col("bit").sum())
            .collect()
        )

    def persons_with_diseases(self, diseases: Sequence[str]) -> pl.LazyFrame:
        """Person-years with any of ``diseases``: pnr, year, the attributes, and ``sygdomme``
        (how many of ``diseases`` they have)."""
        held = pl.col("sygdomme_bits") & disease_mask(diseases)
        return (
            self.disease_years.lazy()
            .filter(held != 0)
            .select("pnr", "year", *ATTRIBUTES, sygdomme=held.bitwise_count_ones().cast(pl.Int32))
        )

    @cached_property
    def psychiatric_contact_persons(self) -> pl.DataFrame:
        """Person-years with at least one psychiatric contact starting in the year: pnr, year
        and the attributes (a contact carries its person-year's: ``stays``)."""
        return (
            self.contacts.filter(pl.col("omraade") == "psykiatri")
            .select("pnr", "year", *ATTRIBUTES)
            .unique()
            .collect()
        )

    def drug_counts(self, settings: PolypharmacyParams) -> pl.DataFrame:
        """Person-years with how many drugs were dispensed to them at least
        ``min_dispensings`` times: year, the attributes and ``drugs``.

        A drug is an ATC code cut to ``atc_length`` characters; shorter codes name no drug
        and do not count. Only person-years some polypharmacy indicator of the run can
        count are looked at, which keeps the large group-by small.
        """
        key = (settings.atc_length, settings.min_dispensings)
        if key not in self._drug_counts:
            self._drug_counts[key] = self._count_drugs(*key)
        return self._drug_counts[key]

    def _count_drugs(self, atc_length: int, min_dispensings: int) -> pl.DataFrame:
        groups = [
            in_group(i)
            for i in self.indicators
            if i.kind == "polypharmacy"
            and isinstance(i.settings, PolypharmacyParams)
            and (i.settings.atc_length, i.settings.min_dispensings) == (atc_length, min_dispensings)
        ]
        counted = self.persons.with_row_index("person_year")
        index = counted.schema["person_year"]
        if groups:
            counted = counted.filter(pl.any_horizontal(groups))
        # The codes are cut after the join, which keeps only the counted person-years'
        # dispensings. Validated codes are ASCII (schema.ATC_CODE), so bytes are characters.
        dispensed = self.in_person_years(
            self.extract.keyed("recepter").select(
                "pnr", "atc", year=pl.col("udlevering_dato").dt.year().cast(pl.Int32)
            ),
            counted.lazy().select("pnr", "year", "person_year"),
        ).filter(pl.col("atc").str.len_bytes() >= atc_length)
        # One integer per person-year and drug (the drug's category code in the low 32
        # bits): sorted, each run is one drug of one person-year and its length the
        # dispensings, which is cheaper than grouping by a string.
        drug = pl.col("atc").str.slice(0, atc_length).cast(pl.Categorical)
        key = pl.col("person_year").cast(pl.UInt64) * _DRUG_CODES + drug.to_physical().cast(
            pl.UInt64
        )
        per_person_year = (
            dispensed.select(key.sort().rle().alias("run"))
            .unnest("run")
            .filter(pl.col("len") >= min_dispensings)
            .group_by(person_year=(pl.col("value") // _DRUG_CODES).cast(index))
            .agg(drugs=pl.len().cast(pl.Int32))
        )
        return (
            per_person_year.join(
                counted.lazy().select("person_year", "year", *ATTRIBUTES), on="person_year"
            )
            .select("year", *ATTRIBUTES, "drugs")
            .collect()
        )


def given_counts(sources: Sources, indicator: IndicatorView) -> Counts:
    """Counts read from the aggregate inputs (a user's counts, the projection): ``x`` and
    ``n`` per municipality and year, as one stratum (no age or sex)."""
    if sources.given is None:  # pragma: no cover - compute always passes them
        raise ValueError(f"{indicator.id}: no aggregate counts were prepared")
    frame = sources.given.lazy().filter(pl.col("indicator_id") == indicator.id)
    keys = {"kommunekode": pl.col("kommunekode"), "year": pl.col("year"),
            "alder": pl.lit(0, dtype=pl.Int16), "koen": pl.lit("alle")}  # fmt: skip
    numerator = frame.select(**keys, x=pl.col("x"))
    has_denominator = sources.given.filter(
        pl.col("indicator_id") == indicator.id, pl.col("n").is_not_null()
    ).height
    return Counts(numerator, frame.select(**keys, n=pl.col("n")) if has_denominator else None)
