"""Where the tables came from and what was left out, and how a pack or an export says so.

The Danish sentences here are the only place that says, for readers, how an
admission is defined for the data at hand (stays built from LPR3 contacts, LPR2
admissions, or the contract's ``kontakttype``) and which persons the policies left
out; the methods appendix and the export's definitions sheet both print them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from datapakke.numbers import heltal

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


def _hours(value: float) -> str:
    return heltal(value) if float(value).is_integer() else f"{value:g}".replace(".", ",")


def admission_definition(provenance: Provenance | None) -> str | None:
    """How admissions (and contacts) are defined for these data, in Danish; None without LPR."""
    if provenance is None or not provenance.contacts:
        return None
    parts = []
    if STAYS in provenance.contacts:
        gap = _hours(provenance.chain_gap_hours)
        length = _hours(provenance.admission_hours)
        parts.append(
            "I LPR3 (fra 2019) er en kontakt et sygehusophold: en persons fysiske fremmøder "
            f"i samme område (somatik eller psykiatri) kædes sammen, når det næste begynder "
            f"mindre end {gap} timer efter, at det foregående sluttede. Et ophold på mindst "
            f"{length} timer er en indlæggelse, et kortere er ambulant; virtuelle kontakter er "
            "ambulante. Opholdet er akut, når dets første kontakt er akut, og dets "
            "aktionsdiagnose er den første kontakts. Psykiatri er kontakter med psykiatri "
            "eller børne- og ungdomspsykiatri som ansvarligt hovedspeciale."
        )
    if LPR2 in provenance.contacts:
        parts.append(
            "I LPR2 (før 2019) er en indlæggelse en kontakt med patienttype indlagt (heldøgn, "
            "deldøgn, dag- eller nattepatient); ambulante besøg og skadestuebesøg er ambulante. "
            "Psykiatri er kontakter i det psykiatriske register."
        )
    if CONTRACT in provenance.contacts:
        parts.append(
            "Indlæggelser og ambulante kontakter er opgjort efter kontakttypen i det "
            "leverede udtræk."
        )
    return " ".join(parts)


def left_out_sentences(provenance: Provenance | None, threshold: int) -> tuple[str, ...]:
    """What the policies left out, in Danish; counts under ``threshold`` are shown as <N."""
    if provenance is None:
        return ()
    sentences = []
    for item in provenance.left_out:
        count = f"<{threshold}" if 0 < item.persons < threshold else heltal(item.persons)
        noun = "person" if item.persons == 1 else "personer"
        sentences.append(f"{count} {noun} {item.danish} indgår ikke i tallene.")
    return tuple(sentences)
