"""How admissions are defined for the data at hand, and whom the policies left out, in Danish.

The only place that says it for readers: the methods appendix of the pack and the
export's definitions sheet both print these sentences. An admission is a stay
built from LPR3 contacts, an LPR2 admission, or the ``kontakttype`` of a table an
analyst prepared, depending on where ``kontakter`` came from (``Provenance``).
"""

from __future__ import annotations

from datapakke.inputs.provenance import CONTRACT, LPR2, STAYS, Provenance
from datapakke.numbers import heltal


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
        hidden = 0 < item.persons < threshold
        count = f"<{threshold}" if hidden else heltal(item.persons)
        noun = "person" if item.persons == 1 and not hidden else "personer"
        sentences.append(f"{count} {noun} {item.danish} indgår ikke i tallene.")
    return tuple(sentences)
