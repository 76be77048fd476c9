"""How each indicator is named inside a generated Danish sentence.

A title such as "Dødelighed" cannot simply be dropped into "Klyngen har signifikant
flere ..."; each indicator needs a noun phrase and the right comparative
(flere/færre for events, "en højere forekomst af" for persons with a condition,
højere/lavere for levels and shares, længere/kortere for life expectancy). The
phrases are catalogue data (``[indicator.phrase]``); an indicator without one (a
user's own) gets a phrasing built from its title and unit that is always grammatical.
"""

from __future__ import annotations

from datapakke.engine.catalogue import Indicator, Phrase, PhraseKind
from datapakke.pack.text import lower_first

COMPARATIVES: dict[PhraseKind, tuple[str, str]] = {
    "count": ("signifikant flere", "signifikant færre"),
    "prevalence": ("en signifikant højere forekomst af", "en signifikant lavere forekomst af"),
    "share": ("en signifikant højere andel", "en signifikant lavere andel"),
    "level": ("en signifikant højere", "en signifikant lavere"),
    "length": ("en signifikant længere", "en signifikant kortere"),
}
SUBJECTS: dict[PhraseKind, str] = {
    "count": "Antallet af {noun}",
    "prevalence": "Forekomsten af {noun}",
    "share": "Andelen af {noun}",
}


def phrase_for(indicator: Indicator) -> Phrase:
    """The indicator's phrase from the catalogue, or one built from its title."""
    if indicator.phrase is not None:
        return indicator.phrase
    name = lower_first(indicator.title)
    if indicator.unit == "years":
        return Phrase(kind="length", noun=name, subject=indicator.title)
    return Phrase(kind="level", noun=f"værdi for {name}", subject=f"Værdien for {name}")


def subject(indicator: Indicator) -> str:
    """The phrase that opens a sentence about the indicator: 'Andelen af 65+ årige, der ...,'."""
    phrase = phrase_for(indicator)
    text = phrase.subject or SUBJECTS[phrase.kind].format(noun=phrase.noun)
    return text + _closing(text)


def comparative(indicator: Indicator, higher: bool) -> str:
    """'signifikant flere forebyggelige indlæggelser ...', 'en signifikant lavere dødelighed'."""
    phrase = phrase_for(indicator)
    more, less = COMPARATIVES[phrase.kind]
    return f"{more if higher else less} {phrase.noun}{_closing(phrase.noun)}"


def _closing(text: str) -> str:
    # A relative clause ("65+ årige, der modtager hjemmehjælp") is closed by a comma
    # before the sentence goes on.
    return "," if ", der " in text else ""
