"""Areas: kommuner, klynger (health clusters), regioner and the country.

The geography is data (``data/kommuner.csv``, ``data/regioner.csv``,
``data/klynger.csv``): correcting a cluster's membership is an edit of a file,
never of code. Files are validated when loaded.
"""

from __future__ import annotations

import csv
import difflib
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal, TypeVar

import polars as pl
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from datapakke.errors import InputError, UnknownAreaError
from datapakke.paths import DATA_DIR

AreaLevel = Literal["kommune", "klynge", "region", "land"]
AREA_LEVELS: tuple[AreaLevel, ...] = ("kommune", "klynge", "region", "land")
COUNTRY_CODE = "DK"
COUNTRY_NAME = "Hele landet"


class _Row(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


M = TypeVar("M", bound=_Row)


class Kommune(_Row):
    """A municipality: official 3-digit code, name, region code."""

    kode: int = Field(ge=101, le=999)
    navn: str = Field(min_length=1)
    regionskode: int
    folketal_ca: int = Field(ge=0, description="rounded population, for sizing synthetic data")


class Region(_Row):
    """One of the five regions."""

    kode: int = Field(ge=1081, le=1085)
    navn: str = Field(min_length=1, description="short name, e.g. 'Hovedstaden'")
    fulde_navn: str = Field(min_length=1, description="e.g. 'Region Hovedstaden'")


class Klynge(_Row):
    """A health cluster (sundhedsklynge) around one acute hospital."""

    id: str = Field(pattern=r"^[a-z0-9-]+$")
    navn: str = Field(min_length=1)
    aliaser: tuple[str, ...]
    regionskode: int
    akuthospital: str = Field(min_length=1)
    kommunekoder: tuple[int, ...] = Field(min_length=1)
    kilde_sikkerhed: str
    afgraensning: str = Field(
        default="", description="for readers, in Danish: where the edge differs from reality"
    )

    @field_validator("aliaser", mode="before")
    @classmethod
    def _split_aliases(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(a.strip() for a in value.split(";") if a.strip())
        return value

    @field_validator("afgraensning", mode="before")
    @classmethod
    def _optional_note(cls, value: object) -> object:
        return "" if value is None else value  # the column may be left out

    @field_validator("kommunekoder", mode="before")
    @classmethod
    def _split_codes(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(value.split())
        return value

    @property
    def bekraeftet(self) -> bool:
        """Whether the membership is confirmed by the region or hospital's own source."""
        return self.kilde_sikkerhed.startswith("bekræftet")


def fold_name(name: str) -> str:
    """Normalise a name for lookup: case, æøå spelled ae/oe/aa, accents and separators dropped.

    >>> fold_name("Århusklyngen") == fold_name("aarhusklyngen")
    True
    """
    text = name.casefold().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", text)


@dataclass(frozen=True)
class Geography:
    """The municipalities, regions and clusters, with lookups and membership tables."""

    kommuner: Mapping[int, Kommune]
    regioner: Mapping[int, Region]
    klynger: Mapping[str, Klynge]

    def klynge_of(self, kommunekode: int) -> Klynge:
        """The cluster a municipality belongs to."""
        return next(k for k in self.klynger.values() if kommunekode in k.kommunekoder)

    def region_of(self, klynge: Klynge) -> Region:
        """The region a cluster lies in."""
        return self.regioner[klynge.regionskode]

    def find_klynge(self, name: str) -> Klynge:
        """Find a cluster by id, name or alias, tolerant of case, æøå and separators."""
        keys = self._lookup_keys()
        key = fold_name(name)
        if key in keys:
            return self.klynger[keys[key]]
        # Names that contain what was typed ("nord" -> the Nord clusters) or are contained
        # in it ("odense klynge" -> Fynsklyngen) come first, then close spellings
        # ("horsenklyngen" -> Horsensklyngen).
        partial = [k for k in keys if (len(key) >= 3 and key in k) or (len(k) >= 4 and k in key)]
        close = difflib.get_close_matches(key, list(keys), n=5, cutoff=0.75)
        suggestions = list(dict.fromkeys(self.klynger[keys[c]].navn for c in partial + close))
        hint = "Run 'datapakke klynger' to list every cluster with its id."
        if suggestions:
            hint = f"Did you mean: {', '.join(suggestions)}?\n{hint}"
        raise UnknownAreaError(f"No health cluster is called '{name}'.", hint=hint)

    def _lookup_keys(self) -> dict[str, str]:
        keys: dict[str, str] = {}
        for klynge in self.klynger.values():
            for spelling in (klynge.id, klynge.navn, *klynge.aliaser):
                keys[fold_name(spelling)] = klynge.id
        return keys

    def area_name(self, level: AreaLevel, code: str) -> str:
        """The Danish display name of an area."""
        match level:
            case "kommune":
                return self.kommuner[int(code)].navn
            case "klynge":
                return self.klynger[code].navn
            case "region":
                return self.regioner[int(code)].fulde_navn
            case "land":
                return COUNTRY_NAME

    def membership(self) -> pl.DataFrame:
        """One row per municipality and area containing it (kommune, klynge, region, land).

        Joining per-municipality aggregates to this table and summing by area rolls
        every number up to every level in one query.
        """
        rows: list[tuple[int, str, str, str]] = []
        for kode, kommune in sorted(self.kommuner.items()):
            klynge = self.klynge_of(kode)
            region = self.regioner[kommune.regionskode]
            rows += [
                (kode, "kommune", str(kode), kommune.navn),
                (kode, "klynge", klynge.id, klynge.navn),
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


def load_geography(folder: Path | None = None) -> Geography:
    """Load and validate the geography files from ``folder`` (default: the bundled ones)."""
    if folder is None:
        return _bundled_geography()
    return _load(folder)


@cache
def _bundled_geography() -> Geography:
    return _load(DATA_DIR)


def _load(folder: Path) -> Geography:
    regioner = {
        r.kode: r
        for r in _read_rows(
            folder / "regioner.csv",
            Region,
            {"kode": "regionskode", "navn": "region", "fulde_navn": "navn"},
        )
    }
    kommuner = {
        k.kode: k
        for k in _read_rows(
            folder / "kommuner.csv",
            Kommune,
            {
                "kode": "kommunekode",
                "navn": "kommune",
                "regionskode": "regionskode",
                "folketal_ca": "folketal_ca",
            },
        )
    }
    region_by_name = {r.navn: r.kode for r in regioner.values()}
    klynge_file = folder / "klynger.csv"
    klynge_rows = _read_csv(klynge_file)
    for line, row in klynge_rows:
        if row.get("region") not in region_by_name:
            raise InputError(
                f"{klynge_file}:{line}: region: unknown region '{row.get('region')}'",
                hint=f"Use one of: {', '.join(region_by_name)}.",
            )
        row["regionskode"] = str(region_by_name[row.pop("region")])
    klynger = {
        k.id: k
        for k in _validate_rows(
            klynge_file,
            klynge_rows,
            Klynge,
            {
                "id": "klynge_id",
                "navn": "navn",
                "aliaser": "aliaser",
                "regionskode": "regionskode",
                "akuthospital": "akuthospital",
                "kommunekoder": "kommunekoder",
                "kilde_sikkerhed": "kilde_sikkerhed",
                "afgraensning": "afgraensning",
            },
        )
    }
    geography = Geography(kommuner=kommuner, regioner=regioner, klynger=klynger)
    _check_consistency(geography, folder)
    return geography


def _read_csv(path: Path) -> list[tuple[int, dict[str, str]]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return [(i + 2, dict(row)) for i, row in enumerate(csv.DictReader(handle))]
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"{path}: cannot read the geography file ({error}).") from error


def _read_rows(path: Path, model: type[M], columns: Mapping[str, str]) -> list[M]:
    return _validate_rows(path, _read_csv(path), model, columns)


def _validate_rows(
    path: Path,
    rows: Sequence[tuple[int, dict[str, str]]],
    model: type[M],
    columns: Mapping[str, str],
) -> list[M]:
    result: list[M] = []
    problems: list[str] = []
    for line, row in rows:
        try:
            result.append(model.model_validate({f: row.get(c) for f, c in columns.items()}))
        except ValidationError as error:
            for e in error.errors():
                field = columns.get(str(e["loc"][0]), str(e["loc"][0])) if e["loc"] else ""
                problems.append(f"{path}:{line}: {field}: {e['msg']}")
    if problems:
        raise InputError("\n".join(problems), hint="Correct the geography file and run again.")
    return result


def _check_consistency(geography: Geography, folder: Path) -> None:
    problems: list[str] = []
    placed: dict[int, list[str]] = {}
    seen_keys: dict[str, str] = {}
    for klynge in geography.klynger.values():
        for kode in klynge.kommunekoder:
            placed.setdefault(kode, []).append(klynge.id)
            kommune = geography.kommuner.get(kode)
            if kommune is None:
                problems.append(f"klynger.csv: {klynge.id}: unknown municipality code {kode}")
            elif kommune.regionskode != klynge.regionskode:
                problems.append(
                    f"klynger.csv: {klynge.id}: {kommune.navn} ({kode}) lies in another region"
                )
        for spelling in (klynge.id, klynge.navn, *klynge.aliaser):
            owner = seen_keys.setdefault(fold_name(spelling), klynge.id)
            if owner != klynge.id:
                problems.append(
                    f"klynger.csv: {klynge.id}: name or alias '{spelling}' is also used by {owner}"
                )
    for kode, kommune in geography.kommuner.items():
        if kommune.regionskode not in geography.regioner:
            problems.append(f"kommuner.csv: {kode}: unknown region code {kommune.regionskode}")
        owners = placed.get(kode, [])
        if len(owners) != 1:
            where = ", ".join(owners) if owners else "no cluster"
            problems.append(
                f"klynger.csv: {kommune.navn} ({kode}) must be in exactly one cluster, "
                f"is in {where}"
            )
    if problems:
        raise InputError(
            f"The geography in {folder} is inconsistent:\n" + "\n".join(problems),
            hint="Every municipality must belong to exactly one cluster in its own region.",
        )
