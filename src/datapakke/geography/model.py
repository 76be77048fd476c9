"""The rows of the geography files (municipalities, regions, areas) and an area set.

Each model validates one CSV row; ``files.py`` reads the files and checks that the
rows fit together.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator

from datapakke.geography.words import AreaWords

Certainty = Literal["bekræftet", "ubekræftet", "omstridt"]


class _Row(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


def _tokens(value: object) -> object:
    """'101 147', '101;147' or '101, 147' as a tuple of its parts."""
    if isinstance(value, str):
        return tuple(t for t in value.replace(";", " ").replace(",", " ").split() if t)
    return value


# Municipality codes separated by spaces (or ';' or ',').
Codes = Annotated[tuple[int, ...], BeforeValidator(_tokens), Field(min_length=1)]


class Kommune(_Row):
    """A municipality: official 3-digit code and name (the same in every area set)."""

    kode: int = Field(ge=101, le=999)
    navn: str = Field(min_length=1)
    folketal_ca: int = Field(ge=0, description="rounded population, for sizing synthetic data")


class Region(_Row):
    """A region of an area set, with the municipalities it holds."""

    kode: int = Field(ge=1, description="e.g. 1082; see the set's regioner.csv")
    navn: str = Field(min_length=1, description="short name, e.g. 'Midtjylland'")
    fulde_navn: str = Field(min_length=1, description="e.g. 'Region Midtjylland'")
    kommunekoder: Codes
    note: str = ""


class Area(_Row):
    """An area of a set (a cluster, a council, a district of one's own) and its municipalities."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    navn: str = Field(min_length=1)
    aliaser: tuple[str, ...] = ()
    regionskode: int
    akuthospital: str = ""
    kommunekoder: Codes
    sikkerhed: Certainty = "bekræftet"
    kilde: str = ""
    forbehold: str = Field(
        default="", description="for readers, in Danish: why the membership is not confirmed"
    )
    afgraensning: str = Field(
        default="", description="for readers, in Danish: where the edge differs from reality"
    )

    @field_validator("aliaser", mode="before")
    @classmethod
    def _split_aliases(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(a.strip() for a in value.split(";") if a.strip())
        return value

    @property
    def bekraeftet(self) -> bool:
        """Whether an official source confirms the membership."""
        return self.sikkerhed == "bekræftet"


@dataclass(frozen=True)
class AreaSet:
    """One way of dividing the country into areas (an *inddeling*), with its own regions.

    ``source`` is how a user names it again: the id of a shipped set, or the path of
    their own. ``files`` are the files it was read from (the manifest hashes them).
    """

    id: str
    navn: str
    words: AreaWords
    areas: Mapping[str, Area]
    regioner: Mapping[int, Region]
    source: str
    files: tuple[Path, ...]
    shipped: bool
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    kilde: str = ""
    replaced_note: str = ""

    @property
    def option(self) -> str:
        """The command-line option that chooses this set again."""
        return f"--inddeling {self.source}" if self.shipped else f"--geografi {self.source}"

    def replaced_on(self, day: dt.date) -> str | None:
        """The note that the set is out of date, for a pack built on ``day`` after its end."""
        if self.valid_until is not None and day > self.valid_until and self.replaced_note:
            return self.replaced_note
        return None
