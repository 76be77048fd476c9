"""The Danish words for each type of area: "klyngen", "rådet", "kommunen", "regionen".

Pack text names an area by its type (``Klyngen har ...``, ``blandt alle 17 sundhedsråd``),
so every type carries the forms of its noun. Municipalities and regions are the same in
every area set; the set's own type comes from its ``inddeling.toml``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

RESERVED_LEVELS = frozenset({"kommune", "region", "land"})


def possessive(word: str) -> str:
    """The Danish genitive: 'klyngen' -> 'klyngens', 'rådet' -> 'rådets', 'Aarhus' -> "Aarhus'"."""
    return f"{word}'" if word[-1:].lower() in ("s", "x", "z") else f"{word}s"


class AreaWords(BaseModel):
    """The forms of the noun that names one type of area, and its level in the tables."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    niveau: str = Field(
        pattern=r"^[a-z][a-z0-9_]*$", description="area_level in the IndicatorTable and exports"
    )
    ental: str = Field(min_length=1, description="'klynge', 'sundhedsråd'")
    flertal: str = Field(min_length=1, description="'klynger', 'sundhedsråd'")
    bestemt: str = Field(min_length=1, description="'klyngen', 'rådet'")
    flertal_bestemt: str = Field(min_length=1, description="'klyngerne', 'rådene'")
    titel: str = Field(min_length=1, description="'sundhedsklyngen': 'Datapakke for ...'")
    artikel: Literal["den", "det"] = Field(
        default="den", description="before an adjective: 'den laveste klynge', 'det laveste råd'"
    )

    @property
    def genitiv(self) -> str:
        """'klyngens', 'rådets'."""
        return possessive(self.bestemt)

    @property
    def flertal_genitiv(self) -> str:
        """'klyngernes', 'rådenes'."""
        return possessive(self.flertal_bestemt)


KOMMUNE_WORDS = AreaWords(
    niveau="kommune", ental="kommune", flertal="kommuner", bestemt="kommunen",
    flertal_bestemt="kommunerne", titel="kommunen", artikel="den",
)  # fmt: skip
REGION_WORDS = AreaWords(
    niveau="region", ental="region", flertal="regioner", bestemt="regionen",
    flertal_bestemt="regionerne", titel="regionen", artikel="den",
)  # fmt: skip
# The type of area of a user's own set that does not name one (inddeling.toml, [ord]).
GENERIC_WORDS = AreaWords(
    niveau="omraade", ental="område", flertal="områder", bestemt="området",
    flertal_bestemt="områderne", titel="området", artikel="det",
)  # fmt: skip
