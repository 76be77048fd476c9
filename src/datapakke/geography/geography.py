"""The geography a computation uses: the 98 municipalities and one area set.

Levels, in order: ``kommune``, the set's own level (``klynge`` for the 2022 clusters,
``sundhedsraad`` for the 2027 councils, or a user set's), ``region`` (the set's
regions) and ``land``. The membership table rolls every number up to all of them in
one query.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import polars as pl

from datapakke.dates import build_date
from datapakke.geography.load import default_area_set, load_area_set, load_kommuner
from datapakke.geography.lookup import Lookup
from datapakke.geography.model import Area, AreaSet, Kommune, Region
from datapakke.geography.words import KOMMUNE_WORDS, REGION_WORDS, AreaWords

COUNTRY_CODE = "DK"
COUNTRY_NAME = "Hele landet"


@dataclass(frozen=True)
class AreaKey:
    """An area at one level, as it appears in the IndicatorTable (and as a pack is about)."""

    level: str
    code: str
    name: str

    @property
    def slug(self) -> str:
        """The name of the area's files: the area id, or 'kommune-odder', 'region-midtjylland'.

        Municipalities and regions get their level in front, so 'Horsens' the council and
        'Horsens' the municipality never write the same file.
        """
        if self.level in ("kommune", "region"):
            text = self.name.removeprefix("Region ").casefold()
            text = text.replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
            return f"{self.level}-" + re.sub(r"[^a-z0-9]+", "-", text).strip("-")
        return self.code


@dataclass(frozen=True)
class Geography:
    """The municipalities and one area set, with lookups and the membership table."""

    kommuner: Mapping[int, Kommune]
    area_set: AreaSet

    @property
    def areas(self) -> Mapping[str, Area]:
        """The set's areas by id, in file order."""
        return self.area_set.areas

    @property
    def regioner(self) -> Mapping[int, Region]:
        """The set's regions by code."""
        return self.area_set.regioner

    @property
    def level(self) -> str:
        """The set's own level in the IndicatorTable, e.g. ``klynge`` or ``sundhedsraad``."""
        return self.area_set.words.niveau

    @property
    def levels(self) -> tuple[str, ...]:
        """Every level, smallest first: kommune, the set's level, region, land."""
        return ("kommune", self.level, "region", "land")

    def words(self, level: str) -> AreaWords:
        """The Danish words for an area of ``level`` (not the country)."""
        if level == "kommune":
            return KOMMUNE_WORDS
        if level == "region":
            return REGION_WORDS
        if level == self.level:
            return self.area_set.words
        raise KeyError(level)

    @cached_property
    def _area_by_kommune(self) -> dict[int, Area]:
        return {code: a for a in self.areas.values() for code in a.kommunekoder}

    @cached_property
    def _region_by_kommune(self) -> dict[int, Region]:
        return {code: r for r in self.regioner.values() for code in r.kommunekoder}

    def area_of(self, kommunekode: int) -> Area:
        """The area a municipality belongs to."""
        return self._area_by_kommune[kommunekode]

    def region_of(self, area: Area) -> Region:
        """The region an area lies in."""
        return self.regioner[area.regionskode]

    def region_of_kommune(self, kommunekode: int) -> Region:
        """The region a municipality lies in (in this set)."""
        return self._region_by_kommune[kommunekode]

    def areas_in(self, region: Region) -> tuple[Area, ...]:
        """The region's areas, in file order."""
        return tuple(a for a in self.areas.values() if a.regionskode == region.kode)

    def find_area(self, name: str) -> Area:
        """An area of the set by id, name or alias, tolerant of case, æøå and separators."""
        lookup = Lookup((a.id, a.navn, (a.id, *a.aliaser)) for a in self.areas.values())
        hint = f"Run 'datapakke omraader {self.area_set.option}' to list them with their ids."
        return self.areas[lookup.find(name, what=f"area of {self.area_set.id}", hint=hint)]

    def find_kommune(self, name: str) -> Kommune:
        """A municipality by code or name ('727', 'Odder', 'odder')."""
        lookup = Lookup(
            (k.kode, k.navn, (str(k.kode), f"{k.kode:04d}")) for k in self.kommuner.values()
        )
        hint = "Run 'datapakke omraader' to list every area with its municipalities."
        return self.kommuner[lookup.find(name, what="municipality", hint=hint)]

    def find_region(self, name: str) -> Region:
        """A region of the set by code, short or full name ('Midtjylland', 'Region Midtjylland')."""
        lookup = Lookup(
            (r.kode, r.fulde_navn, (str(r.kode), r.navn)) for r in self.regioner.values()
        )
        names = ", ".join(r.navn for r in self.regioner.values())
        hint = f"The regions of {self.area_set.id} are: {names}."
        return self.regioner[lookup.find(name, what=f"region of {self.area_set.id}", hint=hint)]

    def key(self, level: str, code: str) -> AreaKey:
        """The key of an area by level and code."""
        return AreaKey(level, code, self.area_name(level, code))

    def key_of(self, area: Area | Kommune | Region) -> AreaKey:
        """The key of an area of the set, a municipality or a region."""
        if isinstance(area, Kommune):
            return self.key("kommune", str(area.kode))
        if isinstance(area, Region):
            return self.key("region", str(area.kode))
        return self.key(self.level, area.id)

    def area_name(self, level: str, code: str) -> str:
        """The Danish display name of an area."""
        if level == "kommune":
            return self.kommuner[int(code)].navn
        if level == "region":
            return self.regioner[int(code)].fulde_navn
        if level == "land":
            return COUNTRY_NAME
        return self.areas[code].navn

    def membership(self) -> pl.DataFrame:
        """One row per municipality and area containing it, at every level.

        Joining per-municipality aggregates to this table and summing by area rolls
        every number up to every level in one query.
        """
        rows: list[tuple[int, str, str, str]] = []
        for kode, kommune in sorted(self.kommuner.items()):
            area = self.area_of(kode)
            region = self.region_of_kommune(kode)
            rows += [
                (kode, "kommune", str(kode), kommune.navn),
                (kode, self.level, area.id, area.navn),
                (kode, "region", str(region.kode), region.fulde_navn),
                (kode, "land", COUNTRY_CODE, COUNTRY_NAME),
            ]
        return pl.DataFrame(
            rows,
            schema={
                "kommunekode": pl.Int32,
                "area_level": pl.String,
                "area_code": pl.String,
                "area_name": pl.String,
            },
            orient="row",
        )


def load_geography(area_set: str | Path | None = None, *, day: dt.date | None = None) -> Geography:
    """The municipalities with an area set: a shipped set's id, a user's folder or file.

    Without ``area_set``, the shipped set in force on ``day`` (default: the build date,
    ``SOURCE_DATE_EPOCH`` or today): ``klynger-2022`` until 31 December 2026,
    ``sundhedsraad-2027`` from 1 January 2027.
    """
    day = day or build_date()
    chosen = load_area_set(area_set if area_set is not None else default_area_set(day), day)
    return Geography(kommuner=load_kommuner(), area_set=chosen)
