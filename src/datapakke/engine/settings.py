"""The choices a computation is run with: standard population, disclosure threshold, level.

A leaf (it imports nothing), so the command line can read the defaults without
loading the engine.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final, Literal

Standard = Literal["national", "esp2013"]
DEFAULT_MIN_COUNT: Final = 5
DEFAULT_LEVEL: Final = 0.95
# Below this threshold the protection is too weak to publish without thinking twice.
WEAK_MIN_COUNT: Final = 3
# The trend test's default level (as Fingertips): chi-square 9.5495 with 1 degree of freedom.
TREND_LEVEL: Final = 0.998


_STANDARD = re.compile(r"^(national)(?::(\d{4}))?$|^(esp2013)$")


def parse_standard(text: str) -> tuple[Standard, int | None] | None:
    """``national``, ``national:2022`` or ``esp2013`` as (standard, year); None otherwise."""
    match = _STANDARD.match(text.strip().lower())
    if match is None:
        return None
    if match.group(3):
        return "esp2013", None
    return "national", int(match.group(2)) if match.group(2) else None


@dataclass(frozen=True)
class ComputeSettings:
    """How the IndicatorTable is computed.

    ``standard``: ``national`` (the country's population of one year, ``standard_year``,
    by age band and sex, for every year; None: the latest data year) or ``esp2013``
    (European Standard Population 2013, age only); ``national:2022`` is read as
    ``national`` with ``standard_year`` 2022 (the form of the --standard setting).
    ``min_count``: the disclosure threshold; counts 1 .. min_count - 1 are never shown.
    ``level``: the confidence level of every interval; ``trend_level``: the level at
    which the trend test calls a development rising or falling (default 99.8 %).
    """

    standard: Standard = "national"
    standard_year: int | None = None
    min_count: int = DEFAULT_MIN_COUNT
    level: float = DEFAULT_LEVEL
    trend_level: float = TREND_LEVEL

    def __post_init__(self) -> None:
        parsed = parse_standard(self.standard)
        if parsed is None:
            raise ValueError(f"unknown standard '{self.standard}'")
        if parsed[1] is not None:
            if self.standard_year not in (None, parsed[1]):
                raise ValueError(f"'{self.standard}' and standard_year {self.standard_year}")
            object.__setattr__(self, "standard_year", parsed[1])
        object.__setattr__(self, "standard", parsed[0])
        if self.standard == "esp2013" and self.standard_year is not None:
            raise ValueError("the European standard population has no year to choose")
        if self.min_count < 1:
            raise ValueError("min_count must be at least 1")
        if not (0.0 < self.level < 1.0 and 0.0 < self.trend_level < 1.0):
            raise ValueError("a confidence level must lie between 0 and 1")


def protection_warning(min_count: int) -> str | None:
    """What to tell the user who asks for a threshold too low to protect anyone (1 or 2)."""
    if min_count == 1:
        return (
            "--min-count 1 turns disclosure control off: counts of 1 to "
            f"{DEFAULT_MIN_COUNT - 1} persons are shown and single persons can be recognised. "
            "Do not publish these packs or this export."
        )
    if min_count < WEAK_MIN_COUNT:
        return (
            f"--min-count {min_count} protects weakly: only counts below {min_count} are "
            f"hidden, counts of {min_count} to {DEFAULT_MIN_COUNT - 1} persons are shown "
            f"(the default hides counts below {DEFAULT_MIN_COUNT}). The packs say so on "
            "their front page."
        )
    return None
