"""The Danish words the pack uses for comparisons, trends, gaps and units, in one place."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from datapakke.engine.catalogue import SAMPLED_METHODS, Catalogue, Indicator
from datapakke.engine.lifetable import MAX_INTERVAL_YEARS
from datapakke.engine.params import LifeExpectancyParams
from datapakke.engine.registry import KINDS
from datapakke.engine.stats import DSR_MIN_EVENTS
from datapakke.numbers import heltal, med_enhed
from datapakke.pack.text import sentence

# Default threshold of statistical disclosure control (methods.md); the engine may use another.
DEFAULT_THRESHOLD = 5

# Short verdicts beside a value (charts, tables) and the long form for sentences.
VERDICT: Mapping[str, str] = {
    "better": "bedre",
    "worse": "dårligere",
    "similar": "som landet",
    "higher": "højere",
    "lower": "lavere",
    "not_compared": "ikke sml.",
}
VERDICT_LONG: Mapping[str, str] = {
    "better": "signifikant bedre end landet",
    "worse": "signifikant dårligere end landet",
    "similar": "ikke signifikant forskellig fra landet",
    "higher": "signifikant højere end landet",
    "lower": "signifikant lavere end landet",
    "not_compared": "ikke sammenlignet med landet",
}
SIGNIFICANT: frozenset[str] = frozenset({"better", "worse", "higher", "lower"})

# Trend markers: a symbol and a word, so the marker reads without colour.
TREND_SYMBOL: Mapping[str, str] = {
    "rising": "↗",
    "falling": "↘",
    "no_significant_change": "",  # no arrow: an arrow would draw a flat line the test did not find
    "not_computed": "",
}
TREND_WORD: Mapping[str, str] = {
    "rising": "stiger",
    "falling": "falder",
    "no_significant_change": "ingen sikker ændring",
    "not_computed": "ikke beregnet",
}
TREND_LONG: Mapping[str, str] = {
    "rising": "en signifikant stigning",
    "falling": "et signifikant fald",
    "no_significant_change": "ingen sikker ændring",
    "not_computed": "udviklingen er ikke testet",
}


# The mark of a hidden value: every rate, share and bar of a hidden row, and the count of
# a row hidden to protect another's small count. Only a count of 1-4 says "<5".
HIDDEN = "skjult"


def flag_label(flag: str, threshold: int = DEFAULT_THRESHOLD) -> str:
    """What a count cell shows instead of a count that is not published."""
    return {
        "suppressed_small": f"<{threshold}",
        "suppressed_complementary": HIDDEN,
        "too_few": "for få tilfælde",
        "not_available": "ikke opgjort",
    }.get(flag, "–")


def value_label(flag: str, threshold: int = DEFAULT_THRESHOLD) -> str:
    """What a value cell (rate, share, years), a bar or a sentence shows instead of a value:
    never "<5", which would read as a rate under 5."""
    return HIDDEN if flag.startswith("suppressed") else flag_label(flag, threshold)


def flag_footnote(flag: str, threshold: int = DEFAULT_THRESHOLD, too_few: str = "") -> str:
    """The footnote that explains a gap's label; ``too_few`` is the catalogue's rule."""
    if flag == "too_few":
        return sentence(too_few) if too_few else ""
    return {
        "suppressed_small": f"«<{threshold}»: antallet er mellem 1 og {threshold - 1} personer "
        "eller hændelser og vises ikke af hensyn til diskretionen; raten eller andelen er "
        f"derfor også «{HIDDEN}».",
        "suppressed_complementary": f"«{HIDDEN}» (uden «<{threshold}»): tallet er ikke selv "
        f"under {threshold}, men er skjult, så et tal under {threshold} et andet sted (en anden "
        "kommunes, et andet køns, en del af aldersgruppen eller nævneren) ikke kan regnes ud "
        "ved at trække de viste tal fra hinanden.",
        "not_available": "«ikke opgjort»: tallet kunne ikke beregnes ud fra udtrækket.",
    }.get(flag, "")


def hidden_reason(row: Mapping[str, Any] | None) -> str:
    """Why a value is not shown, as a phrase for running text."""
    flag = row["flag"] if row is not None else "not_available"
    if flag.startswith("suppressed"):
        return "skjult af hensyn til diskretionen"
    return "for få tilfælde" if flag == "too_few" else "ikke beregnet"


def unit_label(indicator: Indicator) -> str:
    """The unit as the reader sees it: 'pr. 1.000 65+ årige', 'pct.', 'år', 'personer'."""
    if indicator.unit == "per_1000":
        group = indicator.age_group
        if indicator.method == "rate_crude" or KINDS[indicator.kind].sensitive_denominator:
            return "pr. 1.000"  # per 1,000 of a sub-population, named in the title
        if group is None:
            return "pr. 1.000 indbyggere"
        return f"pr. 1.000 {group.removesuffix(' år')}-årige".replace("+-", "+ ")
    if indicator.unit == "percent":
        return "pct."
    if indicator.unit == "years":
        return "år"
    return "personer"


def shown_value(row: Mapping[str, Any] | None, threshold: int) -> float | str:
    """A row's value as a number (the render stage formats it), or the label of why there
    is none ("<5", "for få tilfælde", "ikke opgjort")."""
    if row is None:
        return flag_label("not_available")
    if row["value"] is None:
        return value_label(row["flag"] if row["flag"] != "ok" else "not_available", threshold)
    return float(row["value"])


def value_with_unit(value: float | None, indicator: Indicator) -> str:
    """A value with its short unit, e.g. '31,0 pr. 1.000', '12,5 pct.', '81,2 år'."""
    return med_enhed(value, indicator.unit, indicator.decimals)


# Methods whose numerator is a count of persons or events worth printing beside the value.
COUNTED_METHODS: frozenset[str] = frozenset(
    {"share", "share_full", "rate_standardised", "rate_crude"}
)
ADJUSTED = "aldersjusteret"
NOT_ADJUSTED = "ikke aldersjusteret"
AGE_ADJUSTMENT_NOTE = (
    "Aldersjusterede tal (køns- og aldersstandardiserede rater og middellevetid) har taget "
    "forskelle i alder og køn mellem områderne ud, så områderne kan sammenlignes direkte. "
    "Andele og rater, der ikke er aldersjusteret, afspejler også områdets "
    "alderssammensætning: et område med mange ældre har flere med sygdom, uden at sundheden "
    "er dårligere. Nøgletalssiden siger i kolonnen «Aldersjusteret», hvilke tal der er det."
)


def age_adjustment(indicator: Indicator) -> str:
    """'aldersjusteret', 'ikke aldersjusteret', or '' for a full count (no sampling)."""
    if indicator.age_adjusted:
        return ADJUSTED
    return NOT_ADJUSTED if indicator.method in SAMPLED_METHODS else ""


def too_few_rule(catalogue: Catalogue) -> str:
    """When a value is 'for få tilfælde', from the engine's and the catalogue's rules."""
    parts = []
    if any(i.method == "rate_standardised" for i in catalogue.indicators):
        parts.append(f"standardiserede rater med under {DSR_MIN_EVENTS} hændelser")
    tables = [s for i in catalogue.indicators if isinstance(s := i.settings, LifeExpectancyParams)]
    if tables:
        deaths = " eller ".join(heltal(d) for d in sorted({t.min_deaths for t in tables}))
        years = " eller ".join(heltal(p) for p in sorted({t.min_person_years for t in tables}))
        parts.append(
            f"middellevetider med under {deaths} dødsfald eller {years} personår eller et "
            f"95\u00a0%-konfidensinterval bredere end {heltal(MAX_INTERVAL_YEARS)} år"
        )
    if not parts:
        return ""
    return f"«for få tilfælde» står ved {' og '.join(parts)}, fordi de er for usikre"


def trend_guide(years: int, level: str) -> str:
    """What the trend markers mean, for the reading guides."""
    return (
        f"↗ stiger og ↘ falder betyder en signifikant udvikling over de seneste {years} år "
        f"(testet på {level}-niveau). «Ingen sikker ændring» betyder, at testen ikke fandt en "
        "sikker stigning eller et sikkert fald: tallet kan godt have ændret sig, men ikke mere "
        "end tilfældige udsving kan forklare. «Ikke beregnet» betyder, at udviklingen ikke er "
        "testet (for få år med tal, et år i perioden uden vist tal, eller en indikator, der "
        "ikke testes)."
    )


def trend_legend(years: int, level: str) -> str:
    """The trend markers in one line, for the key-figures page."""
    return (
        f"Udvikling: ↗ stiger eller ↘ falder signifikant over de seneste {years} år (vægtet "
        f"lineær regression, {level}-niveau); «ingen sikker ændring»: ingen sikker stigning "
        "eller fald, men tallet kan godt have ændret sig; «ikke beregnet»: for få år med tal, "
        "eller ikke testet."
    )


def trend_method(years: int, level: str) -> str:
    """How the trend is tested, for the methods appendix."""
    return (
        f"Udviklingen er testet med en vægtet lineær regression af de seneste {years} års "
        "værdier på årstallet (vægt: 1/variansen, udledt af konfidensintervallet). Udviklingen "
        f"kaldes en stigning eller et fald, når hældningen er signifikant på {level}-niveau "
        "(chi²-test); det strenge niveau gør, at tilfældige udsving sjældent kaldes en "
        "udvikling. Er testen ikke signifikant, står der «ingen sikker ændring»: tallet kan "
        "godt have ændret sig, men ændringen kan ikke skelnes fra tilfældige udsving."
    )


SPINE_GUIDE = (
    "Bjælken på nøgletalssiden viser, hvor {area} ligger blandt de {peers}, der har et tal: "
    "den lyse bjælke går fra den ene yderste til den anden, den mørke del rummer den midterste "
    "halvdel (25.-75. percentil). Den lodrette streg er hele landet; bjælken er lagt, så landet "
    "står i midten, og jo længere fra midten, jo længere fra landet. Prikken er {area}, i "
    "farven for sammenligningen med landet. Tallene ved enderne er de yderste {peers}. Har et "
    "nøgletal en retning (lavere eller højere er bedre), ligger det bedste altid til højre, og "
    "enderne hedder «dårligst» og «bedst»; ellers ligger det laveste tal til venstre («lavest» "
    "og «højest»). Folketal har ingen landsstreg: landets folketal er en sum, ikke et niveau, "
    "og bjælken går fra den mindste til den største."
)
