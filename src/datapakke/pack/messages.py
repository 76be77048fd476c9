"""Key messages: plain-Danish sentences generated from the statistics.

Only statistically significant differences are called differences: a sentence is
written for an area only when its comparison with the country is better, worse,
higher or lower, and for a trend only when it is rising or falling. Sentences
come in catalogue order inside fixed groups, so the same table always gives the
same text.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from datapakke.engine.catalogue import Indicator
from datapakke.numbers import med_enhed, tal
from datapakke.pack.context import AreaKey, PackContext
from datapakke.pack.labels import SIGNIFICANT
from datapakke.pack.model import Message, MessageGroup
from datapakke.pack.phrases import comparative, phrase_for
from datapakke.pack.text import lower_first, sentence, upper_first

TREND_WINDOW = 5  # the trend test looks at the last up to five years (methods.md)

# Headings with '{area}' for the pack's area in words ('klyngen', 'rådet', 'kommunen').
GROUPS: tuple[tuple[str, frozenset[str], str], ...] = (
    ("Her ligger {area} dårligere end landet", frozenset({"worse"}), "worse"),
    ("Her ligger {area} bedre end landet", frozenset({"better"}), "better"),
    (
        "Her ligger {area} højere eller lavere end landet (uden at det er bedre eller dårligere)",
        frozenset({"higher", "lower"}),
        "higher",
    ),
    ("Udviklingen i de øvrige nøgletal", frozenset({"rising", "falling"}), "trend"),
)


def is_higher(row: dict[str, Any], indicator: Indicator, national: float | None) -> bool:
    """Whether a significantly different value lies above the country's."""
    comparison = row["comparison"]
    if comparison in ("higher", "lower"):
        return bool(comparison == "higher")
    if comparison in ("better", "worse") and indicator.polarity != "none":
        return bool((comparison == "better") == (indicator.polarity == "higher_better"))
    return national is not None and row["value"] is not None and row["value"] > national


def comparison_message(
    ctx: PackContext, indicator: Indicator, area: AreaKey, subject: str
) -> Message | None:
    """'Klyngen har signifikant færre ... end landet: 31,0 mod 38,0 pr. 1.000.' or None."""
    row = ctx.row(indicator.id, area)
    if row is None or row["comparison"] not in SIGNIFICANT or row["value"] is None:
        return None
    national = ctx.value(indicator.id, ctx.country)
    if national is None:
        return None
    higher = is_higher(row, indicator, national)
    text = sentence(
        f"{subject} har {comparative(indicator, higher)} end landet: "
        f"{tal(row['value'], indicator.decimals)} mod "
        f"{med_enhed(national, indicator.unit, indicator.decimals)}"
    )
    return Message(indicator.id, text, row["comparison"], "comparison")


def _trend_start(
    ctx: PackContext, indicator: Indicator, area: AreaKey
) -> tuple[dict[str, Any], int, float] | None:
    """The last year's row and the first year and value of a significant trend, or None."""
    row = ctx.row(indicator.id, area)
    if row is None or row["trend"] not in ("rising", "falling") or row["value"] is None:
        return None
    years = [y for y in ctx.indicator_years(indicator.id) if y <= ctx.last_year][-TREND_WINDOW:]
    for year in years:
        value = ctx.value(indicator.id, area, year)
        if value is not None:
            return (row, year, value) if year != ctx.last_year else None
    return None


def _judgement(indicator: Indicator, trend: str) -> tuple[str, str]:
    """('better', ' Det er en forbedring.') for a trend in the good direction; empty if none."""
    if indicator.polarity == "none":
        return "", ""
    improving = (trend == "rising") == (indicator.polarity == "higher_better")
    return (
        ("better", " Det er en forbedring.") if improving else ("worse", " Det er en forværring.")
    )


def trend_message(ctx: PackContext, indicator: Indicator, area: AreaKey) -> Message | None:
    """'Antallet af ... er steget signifikant i klyngen fra 2020 til 2024: fra 28,0 til ...'."""
    start = _trend_start(ctx, indicator, area)
    if start is None:
        return None
    row, first_year, first_value = start
    verb = "steget" if row["trend"] == "rising" else "faldet"
    where = f"i {ctx.words.bestemt}" if area == ctx.area else f"i {area.name}"
    subject = phrase_for(indicator).subject
    subject += "," if ", der " in subject else ""  # close the relative clause
    text = sentence(
        f"{subject} er {verb} signifikant {where} fra {first_year} til "
        f"{ctx.last_year}: fra {tal(first_value, indicator.decimals)} til "
        f"{med_enhed(row['value'], indicator.unit, indicator.decimals)}"
    )
    judgement, verdict = _judgement(indicator, row["trend"])
    return Message(indicator.id, text + verdict, row["trend"], "trend", judgement, row["trend"])


def _with_trend(ctx: PackContext, indicator: Indicator, message: Message) -> Message:
    """A comparison message with its significant trend added as one short sentence."""
    start = _trend_start(ctx, indicator, ctx.area)
    if start is None:
        return message
    row, first_year, first_value = start
    verb = "steget" if row["trend"] == "rising" else "faldet"
    _judged, verdict = _judgement(indicator, row["trend"])
    text = (
        f"{message.text} Tallet er {verb} signifikant siden {first_year} "
        f"(fra {tal(first_value, indicator.decimals)}).{verdict}"
    )
    return Message(message.indicator_id, text, message.tone, message.kind, trend=row["trend"])


def area_messages(ctx: PackContext, indicators: Iterable[Indicator]) -> tuple[Message, ...]:
    """Every significant comparison of the area (with its trend, if significant too),
    then every significant trend of an indicator that is not significantly different."""
    chosen = [i for i in indicators if i.compared]
    comparisons: list[Message] = []
    trends: list[Message] = []
    for indicator in chosen:
        message = comparison_message(ctx, indicator, ctx.area, upper_first(ctx.words.bestemt))
        if message is not None:
            comparisons.append(_with_trend(ctx, indicator, message))
        elif (trend := trend_message(ctx, indicator, ctx.area)) is not None:
            trends.append(trend)
    return (*comparisons, *trends)


def no_findings(ctx: PackContext) -> str:
    """What a theme says when none of its indicators differs or changes significantly."""
    return (
        f"{upper_first(ctx.words.bestemt)} adskiller sig ikke signifikant fra landet på temaets "
        "indikatorer, og ingen af dem har en signifikant udvikling."
    )


def key_messages(ctx: PackContext) -> tuple[tuple[MessageGroup, ...], str]:
    """The 'Hovedbudskaber' page: the headline indicators' significant findings, grouped."""
    headline = [i for i in ctx.catalogue.indicators if i.headline]
    messages = area_messages(ctx, headline)
    groups = tuple(
        MessageGroup(
            title.format(area=ctx.words.bestemt),
            tone,
            tuple(m for m in messages if m.tone in tones),
        )
        for title, tones, tone in GROUPS
    )
    return tuple(g for g in groups if g.messages), _summary(ctx, headline)


def _summary(ctx: PackContext, headline: list[Indicator]) -> str:
    compared = [i for i in headline if i.compared]
    rows = [ctx.row(i.id, ctx.area) for i in compared]
    significant = sum(1 for r in rows if r is not None and r["comparison"] in SIGNIFICANT)
    similar = sum(1 for r in rows if r is not None and r["comparison"] == "similar")
    unknown = len(compared) - significant - similar
    text = (
        f"Af de {len(compared)} nøgletal, der kan sammenlignes med landet, adskiller "
        f"{ctx.words.bestemt} sig "
        f"signifikant fra landet på {significant} og ligger som landet på {similar}"
    )
    if unknown:
        text += (
            f", mens {unknown} ikke kan sammenlignes, fordi der er for få tilfælde, "
            "eller fordi data mangler"
        )
    return (
        text + ". Forskelle, der ikke er statistisk signifikante, omtales ikke som forskelle. "
        "Temaafsnittene nævner også forskelle for temaernes øvrige indikatorer"
        + (f" og for {ctx.part_words.flertal_bestemt}." if ctx.parts else ".")
    )


def kommune_messages(ctx: PackContext) -> tuple[str, ...]:
    """Per part (municipality, or a region's cluster): the headline indicators on which it is
    significantly worse or better than the country (those with a polarity; a mayor asks
    where his municipality stands)."""
    if not ctx.parts:
        return ()
    judged = [i for i in ctx.catalogue.indicators if i.headline and i.compared]
    judged = [i for i in judged if i.polarity != "none"]
    sentences = []
    for kommune in ctx.parts:
        found: dict[str, list[str]] = {"worse": [], "better": []}
        for indicator in judged:
            row = ctx.row(indicator.id, kommune)
            if row is not None and row["value"] is not None and row["comparison"] in found:
                found[row["comparison"]].append(lower_first(indicator.display_title))
        # Short titles may hold a comma ("Hjemmehjælp, 65+"): list them with semicolons.
        parts = [
            f"{word} på {len(names)} nøgletal ({'; '.join(names)})"
            for key, word in (("worse", "dårligere end landet"), ("better", "bedre"))
            if (names := found[key])
        ]
        if parts:
            sentences.append(f"{kommune.name}: signifikant {' og '.join(parts)}.")
    return tuple(sentences)
