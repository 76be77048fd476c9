"""The choices a computation is run with: standard population, disclosure threshold, level.

A leaf (it imports nothing), so the command line can read the defaults without
loading the engine.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

Standard = Literal["national", "esp2013"]
DEFAULT_MIN_COUNT: Final = 5
DEFAULT_LEVEL: Final = 0.95
# Below this threshold the protection is too weak to publish without thinking twice.
WEAK_MIN_COUNT: Final = 3


@dataclass(frozen=True)
class ComputeSettings:
    """How the IndicatorTable is computed.

    ``standard``: ``national`` (the country's population of the same year, by age band
    and sex) or ``esp2013`` (European Standard Population 2013, age only).
    ``min_count``: the disclosure threshold; counts 1 .. min_count - 1 are never shown.
    ``level``: the confidence level of every interval.
    """

    standard: Standard = "national"
    min_count: int = DEFAULT_MIN_COUNT
    level: float = DEFAULT_LEVEL

    def __post_init__(self) -> None:
        if self.standard not in ("national", "esp2013"):
            raise ValueError(f"unknown standard '{self.standard}'")
        if self.min_count < 1:
            raise ValueError("min_count must be at least 1")
        if not 0.0 < self.level < 1.0:
            raise ValueError("the confidence level must lie between 0 and 1")


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
