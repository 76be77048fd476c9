"""How each indicator is named inside a generated Danish sentence.

A title such as "Dødelighed" cannot simply be dropped into "Klyngen har signifikant
flere ..."; each indicator needs a noun phrase and the right comparative
(flere/færre for things counted, højere/lavere for levels and shares,
længere/kortere for life expectancy). Indicators not listed here (a user's own
catalogue) get a phrasing built from their title and unit that is always grammatical.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from datapakke.engine.catalogue import Indicator
from datapakke.pack.text import lower_first

PhraseKind = Literal["count", "level", "length"]


@dataclass(frozen=True)
class Phrase:
    """``noun`` follows the comparative; ``subject`` opens a sentence about the trend."""

    kind: PhraseKind
    noun: str
    subject: str


def _count(noun: str) -> Phrase:
    return Phrase("count", noun, f"Antallet af {noun}")


def _share(noun: str) -> Phrase:
    return Phrase("level", f"andel {noun}", f"Andelen af {noun}")


PHRASES: dict[str, Phrase] = {
    "doedelighed": Phrase("level", "dødelighed", "Dødeligheden"),
    "middellevetid": Phrase("length", "middellevetid", "Middellevetiden"),
    "middellevetid_kvinder": Phrase(
        "length", "middellevetid for kvinder", "Middellevetiden for kvinder"
    ),
    "middellevetid_maend": Phrase("length", "middellevetid for mænd", "Middellevetiden for mænd"),
    "forebyggelige_indl_65": _count("forebyggelige indlæggelser blandt 65+ årige"),
    "akutte_indl_65": _count("akutte somatiske indlæggelser blandt 65+ årige"),
    "genindl_30d_65": _share("akutte genindlæggelser inden 30 dage blandt 65+ årige"),
    "hoftebrud_65": _count("hoftebrud blandt 65+ årige"),
    "polyfarmaci_65": _share("65+ årige med polyfarmaci"),
    "hjemmehjaelp_65": _share("65+ årige, der modtager hjemmehjælp"),
    "hjemmehjaelp_80": _share("80+ årige, der modtager hjemmehjælp"),
    "demens_65": _count("personer med demens blandt 65+ årige"),
    "prev_type2_diabetes": _count("personer med type 2-diabetes"),
    "prev_type1_diabetes": _count("personer med type 1-diabetes"),
    "prev_kol": _count("personer med KOL"),
    "prev_astma": _count("personer med astma"),
    "prev_leddegigt": _count("personer med leddegigt"),
    "prev_osteoporose": _count("personer med knogleskørhed"),
    "multisygdom": _share("voksne med to eller flere kroniske sygdomme"),
    "kol_akut_indl": _count("akutte indlæggelser for KOL blandt personer med KOL"),
    "diabetes_akut_indl": _count("akutte indlæggelser for diabetes blandt personer med diabetes"),
    "psyk_kontakt": _count("personer i kontakt med psykiatrien"),
    "psyk_kontakt_0_17": _count("børn og unge (0-17 år) i kontakt med psykiatrien"),
    "psyk_diag_skizofreni": _count("personer i kontakt med psykiatrien for skizofreni (F20-F29)"),
    "psyk_diag_bipolar": _count("personer i kontakt med psykiatrien for bipolar lidelse (F30-F31)"),
    "psyk_diag_depression": _count("personer i kontakt med psykiatrien for depression (F32-F33)"),
    "psyk_diag_angst": _count(
        "personer i kontakt med psykiatrien for angst og tilpasningsreaktioner (F40-F43)"
    ),
    "psyk_diag_adhd": _count("personer i kontakt med psykiatrien for ADHD (F90)"),
    "psyk_diag_misbrug": _count("personer i kontakt med psykiatrien for misbrug (F10-F19)"),
    "prev_skizofreni": _count("personer med skizofreni i registeret for kroniske sygdomme"),
    "psyk_indl": _count("psykiatriske indlæggelser"),
    "psyk_genindl_30d": _share("akutte psykiatriske genindlæggelser inden 30 dage"),
    "psyk_somatisk_akut": _count(
        "akutte somatiske indlæggelser blandt personer i kontakt med psykiatrien"
    ),
}

COMPARATIVES: dict[PhraseKind, tuple[str, str]] = {
    "count": ("signifikant flere", "signifikant færre"),
    "level": ("en signifikant højere", "en signifikant lavere"),
    "length": ("en signifikant længere", "en signifikant kortere"),
}


def phrase_for(indicator: Indicator) -> Phrase:
    """The indicator's phrase, or one built from its title (lower-cased first letter)."""
    if indicator.id in PHRASES:
        return PHRASES[indicator.id]
    name = lower_first(indicator.title)
    if indicator.unit == "years":
        return Phrase("length", name, indicator.title)
    return Phrase("level", f"værdi for {name}", f"Værdien for {name}")


def comparative(indicator: Indicator, higher: bool) -> str:
    """'signifikant flere forebyggelige indlæggelser ...', 'en signifikant lavere dødelighed'."""
    phrase = phrase_for(indicator)
    more, less = COMPARATIVES[phrase.kind]
    # A relative clause ("65+ årige, der modtager hjemmehjælp") is closed by a comma
    # before the sentence goes on with "end landet".
    closing = "," if ", der " in phrase.noun else ""
    return f"{more if higher else less} {phrase.noun}{closing}"
