"""Shared lazy building blocks over the extract: persons, their contacts, diseases and deaths.

Every kind draws on these frames; they are cached nodes of the one query, so a
frame used by many indicators is computed once. Two rules of the registers are
applied here, once: a person-year is a ``befolkning`` row (age on 1 January), and
a contact belongs to the person's municipality and age in the year it starts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import TypeVar

import polars as pl

from datapakke.engine.catalogue import Indicator
from datapakke.engine.params import ContactFilter, Params
from datapakke.engine.strata import age_on_january_first
from datapakke.inputs.read import Extract

P = TypeVar("P", bound=Params)

# The columns of a count frame: per municipality, year, single year of age and sex.
COUNT_KEYS = ("kommunekode", "year", "alder", "koen")


@dataclass(frozen=True)
class Counts:
    """One indicator's per-municipality counts at single years of age.

    ``numerator`` has ``COUNT_KEYS`` and ``x``; ``denominator`` has ``COUNT_KEYS`` and ``n``
    (None for a plain count). Ages are already restricted to the indicator's group.
    """

    numerator: pl.LazyFrame
    denominator: pl.LazyFrame | None


def params_of(indicator: Indicator, model: type[P]) -> P:
    """The indicator's validated params as ``model`` (the registry guarantees the kind)."""
    settings = indicator.settings
    if not isinstance(settings, model):  # pragma: no cover - a registry bug
        raise TypeError(f"{indicator.id}: params are {type(settings).__name__}, not {model}")
    return settings


def in_group(indicator: Indicator) -> pl.Expr:
    """Whether a person-year (``alder``, ``koen``) is in the indicator's population group."""
    condition = pl.lit(value=True)
    if indicator.age_min is not None:
        condition &= pl.col("alder") >= indicator.age_min
    if indicator.age_max is not None:
        condition &= pl.col("alder") <= indicator.age_max
    if indicator.sex is not None:
        condition &= pl.col("koen") == indicator.sex
    return condition


def contact_matches(settings: ContactFilter) -> pl.Expr:
    """Whether a ``kontakter`` row passes the area, priority, type and diagnosis filters."""
    condition = pl.lit(value=True)
    for column in ("omraade", "prioritet", "kontakttype"):
        wanted = getattr(settings, column)
        if wanted is not None:
            condition &= pl.col(column) == wanted
    if settings.diagnoses:
        condition &= starts_with_any(pl.col("aktionsdiagnose"), settings.prefixes)
    return condition


def starts_with_any(column: pl.Expr, prefixes: tuple[str, ...]) -> pl.Expr:
    """Whether an SKS code starts with any of ``prefixes`` (case-insensitive).

    One anchored regular expression, so a long code list is one pass over the column.
    """
    if not prefixes:
        return pl.lit(value=False)
    alternatives = "|".join(re.escape(prefix.upper()) for prefix in prefixes)
    return column.str.contains(f"(?i)^(?:{alternatives})")


def count_rows(frame: pl.LazyFrame, column: str, weight: pl.Expr | None = None) -> pl.LazyFrame:
    """Rows (or the sum of ``weight``) per ``COUNT_KEYS``, as column ``column``."""
    measure = pl.len() if weight is None else weight.sum()
    return frame.group_by(*COUNT_KEYS).agg(measure.cast(pl.Int64).alias(column))


@dataclass(frozen=True)
class Sources:
    """The extract's tables as the shared frames the kinds are built from."""

    extract: Extract

    def has(self, table: str) -> bool:
        """Whether the extract holds ``table``."""
        return self.extract.has(table)

    @cached_property
    def persons(self) -> pl.LazyFrame:
        """One row per person-year: pnr, year, kommunekode, koen, alder (age on 1 January)."""
        return (
            self.extract.table("befolkning")
            .select(
                "pnr",
                "kommunekode",
                "koen",
                year=pl.col("aar"),
                alder=age_on_january_first(pl.col("foed_dato"), pl.col("aar")),
            )
            .filter(pl.col("alder") >= 0)
            .cache()
        )

    @cached_property
    def population(self) -> pl.LazyFrame:
        """Persons per municipality, year, single year of age and sex."""
        return count_rows(self.persons, "n").cache()

    def population_in(self, indicator: Indicator) -> pl.LazyFrame:
        """The population of the indicator's group, as a denominator (column ``n``)."""
        return self.population.filter(in_group(indicator))

    @cached_property
    def contacts(self) -> pl.LazyFrame:
        """``kontakter`` with ``year`` (of start) and the person's municipality, sex and age then.

        Contacts of persons not in ``befolkning`` the year they start belong to no area.
        """
        return (
            self.extract.table("kontakter")
            .with_columns(year=pl.col("start").dt.year().cast(pl.Int32))
            .join(self.persons, on=["pnr", "year"], how="inner")
            .cache()
        )

    @cached_property
    def deaths(self) -> pl.LazyFrame:
        """One date of death per person (the first, should an extract repeat a person)."""
        return (
            self.extract.table("doedsfald").group_by("pnr").agg(pl.col("doed_dato").min()).cache()
        )

    def persons_with_diseases(self, diseases: tuple[str, ...]) -> pl.LazyFrame:
        """Person-years (pnr, year) with ``sygdomme``: how many of ``diseases`` they have.

        A person has a disease in year Y when ``debut_dato`` is before 1 January of Y
        and the person is in ``befolkning`` for Y.
        """
        onset = (
            self.extract.table("kroniske")
            .filter(pl.col("sygdom").is_in(list(diseases)))
            .group_by("pnr", "sygdom")
            .agg(pl.col("debut_dato").min())
        )
        return (
            self.persons.select("pnr", "year")
            .join(onset, on="pnr", how="inner")
            .filter(pl.col("debut_dato") < pl.date(pl.col("year"), 1, 1))
            .group_by("pnr", "year")
            .agg(sygdomme=pl.len().cast(pl.Int32))
        )

    @cached_property
    def psychiatric_contact_persons(self) -> pl.LazyFrame:
        """Person-years (pnr, year) with at least one psychiatric contact starting in the year."""
        return (
            self.contacts.filter(pl.col("omraade") == "psykiatri")
            .select("pnr", "year")
            .unique()
            .cache()
        )

    def person_years(self, people: pl.LazyFrame, indicator: Indicator) -> pl.LazyFrame:
        """``people`` (pnr, year) as person-years with municipality, sex and age, in the group."""
        return people.join(self.persons, on=["pnr", "year"], how="inner").filter(
            in_group(indicator)
        )
