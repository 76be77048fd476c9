"""Where the tables came from and what the policies left out: travels with the extract.

``engine/reader_texts.py`` says it in Danish for the packs and the export.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

# How the contract table kontakter was made, by source.
CONTRACT = "contract"
STAYS = "lpr3-stays"
LPR2 = "lpr2"


@dataclass(frozen=True)
class LeftOut:
    """Rows a policy left out of a table: what (English, for the report; Danish, for packs)."""

    table: str
    what: str
    danish: str
    rows: int
    persons: int


@dataclass(frozen=True)
class Provenance:
    """Which layout each table came from, how admissions are defined, what policies left out.

    ``layouts`` maps a contract table to the layout it was read from (``contract``,
    ``BEF``, ``LPR_A``..., or ``mapping <file>``); ``contacts`` lists the sources of
    ``kontakter`` (``CONTRACT``, ``STAYS``, ``LPR2``); ``chain_gap_hours`` and
    ``admission_hours`` are the stay settings in force.
    """

    layouts: Mapping[str, str] = field(default_factory=dict)
    contacts: tuple[str, ...] = ()
    left_out: tuple[LeftOut, ...] = ()
    chain_gap_hours: float = 4.0
    admission_hours: float = 12.0

    def describe(self) -> tuple[str, ...]:
        """One line per table for the report: table <- layout."""
        return tuple(f"{table}: {layout}" for table, layout in self.layouts.items())
