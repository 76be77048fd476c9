"""The Danish words the pack uses for comparisons, trends, gaps and units, in one place."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from datapakke.engine.catalogue import Indicator
from datapakke.numbers import med_enhed, tal

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
    "no_change": "→",
    "not_computed": "–",
}
TREND_WORD: Mapping[str, str] = {
    "rising": "stiger",
    "falling": "falder",
    "no_change": "uændret",
    "not_computed": "ikke beregnet",
}
TREND_LONG: Mapping[str, str] = {
    "rising": "en signifikant stigning",
    "falling": "et signifikant fald",
    "no_change": "ingen sikker ændring",
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


def flag_footnote(flag: str, threshold: int = DEFAULT_THRESHOLD) -> str:
    """The footnote that explains a gap's label."""
    return {
        "suppressed_small": f"«<{threshold}»: antallet er mellem 1 og {threshold - 1} personer "
        "eller hændelser og vises ikke af hensyn til diskretionen; raten eller andelen er "
        f"derfor også «{HIDDEN}».",
        "suppressed_complementary": f"«{HIDDEN}» (uden «<{threshold}»): tallet er ikke selv "
        f"under {threshold}, men er skjult, så et tal under {threshold} et andet sted (en anden "
        "kommunes, et andet køns, en del af aldersgruppen eller nævneren) ikke kan regnes ud "
        "ved at trække de viste tal fra hinanden.",
        "too_few": "«for få tilfælde»: under 10 hændelser (middellevetid: under 50 dødsfald "
        "eller 5.000 personår, eller et 95\u00a0%-interval bredere end 20 år); "
        "tallet er for usikkert til at blive vist.",
        "not_available": "«ikke opgjort»: tallet kunne ikke beregnes ud fra udtrækket.",
    }.get(flag, "")


def unit_label(indicator: Indicator) -> str:
    """The unit as the reader sees it: 'pr. 1.000 65+ årige', 'pct.', 'år', 'personer'."""
    if indicator.unit == "per_1000":
        group = indicator.age_group
        if indicator.method == "rate_crude":
            return "pr. 1.000"
        if group is None:
            return "pr. 1.000 indbyggere"
        return f"pr. 1.000 {group.removesuffix(' år')}-årige".replace("+-", "+ ")
    if indicator.unit == "percent":
        return "pct."
    if indicator.unit == "years":
        return "år"
    return "personer"


def value_text(row: Mapping[str, Any] | None, indicator: Indicator, threshold: int) -> str:
    """A value in Danish with its decimals, or the label of why there is none."""
    if row is None:
        return flag_label("not_available")
    if row["value"] is None:
        return value_label(row["flag"] if row["flag"] != "ok" else "not_available", threshold)
    return tal(row["value"], indicator.decimals)


def value_with_unit(value: float | None, indicator: Indicator) -> str:
    """A value with its short unit, e.g. '31,0 pr. 1.000', '12,5 pct.', '81,2 år'."""
    return med_enhed(value, indicator.unit, indicator.decimals)
