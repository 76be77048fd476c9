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


def flag_label(flag: str, threshold: int = DEFAULT_THRESHOLD) -> str:
    """What a table cell or a bar shows instead of a value that is not published."""
    return {
        "suppressed": f"<{threshold}",
        "too_few": "for få tilfælde",
        "not_available": "ikke opgjort",
    }.get(flag, "–")


def flag_footnote(flag: str, threshold: int = DEFAULT_THRESHOLD) -> str:
    """The footnote that explains a gap's label."""
    return {
        "suppressed": f"«<{threshold}»: tallet bygger på færre end {threshold} personer eller "
        "hændelser og vises ikke af hensyn til diskretionen. Enkelte større tal er også "
        "skjult, så et skjult tal ikke kan regnes ud fra en total.",
        "too_few": "«for få tilfælde»: under 10 hændelser (middellevetid: under 50 dødsfald); "
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
        return flag_label(row["flag"] if row["flag"] != "ok" else "not_available", threshold)
    return tal(row["value"], indicator.decimals)


def value_with_unit(value: float | None, indicator: Indicator) -> str:
    """A value with its short unit, e.g. '31,0 pr. 1.000', '12,5 pct.', '81,2 år'."""
    return med_enhed(value, indicator.unit, indicator.decimals)
