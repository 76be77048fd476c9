"""Key messages: plain-Danish sentences generated from the statistics.

Only statistically significant differences are called differences: a sentence is
written for an area only when its comparison with the country is better, worse,
higher or lower, and for a trend only when it is rising or falling. A theme's
findings are the area's sentences and one line per part (municipality, or a region's
cluster or council) that differs;
the Hovedbudskaber page shows each theme's strongest findings. The same table
always gives the same text.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from datapakke.engine.catalogue import Indicator
from datapakke.engine.compare import TREND_YEARS
from datapakke.numbers import heltal, med_enhed, tal
from datapakke.pack.context import AreaKey, PackContext
from datapakke.pack.labels import SIGNIFICANT, hidden_reason
from datapakke.pack.model import Message, MessageGroup, Section
from datapakke.pack.phrases import comparative, phrase_for, subject
from datapakke.pack.text import join_names, lower_first, sentence, upper_first

# The area's sentences a theme shows on the Hovedbudskaber page (the theme's page has all).
KEY_MESSAGES_PER_THEME = 4
# Worse before better before a difference without a verdict: what a reader must act on first.
TONE_ORDER = ("worse", "better", "higher", "lower", "rising", "falling")
KOMMUNE_VERDICTS = (
    ("worse", "dårligere end landet"),
    ("better", "bedre end landet"),
    ("higher", "højere end landet"),
    ("lower", "lavere end landet"),
)


# '{whose}' is the area's genitive ('klyngens', 'rådets'), '{parts}' its parts ('kommuner').
NO_FINDINGS = (
    "Ingen af {whose} viste tal i temaet adskiller sig signifikant fra landet, og ingen af dem "
    "har en signifikant udvikling."
)
ONLY_KOMMUNER = (
    "Ingen af {whose} viste tal i temaet adskiller sig signifikant fra landet eller har en "
    "signifikant udvikling, men disse {parts} skiller sig ud:"
)
KOMMUNER_TOO = "{Parts}, der skiller sig ud:"


@dataclass(frozen=True)
class Findings:
    """What stands out in one theme: the area's sentences and its parts' lines."""

    cluster: tuple[Message, ...]
    kommuner: tuple[str, ...]
    note: str


def findings_note(ctx: PackContext, cluster: tuple[Message, ...], kommuner: tuple[str, ...]) -> str:
    """What introduces the parts' lines, or says that nothing stands out."""
    parts = ctx.part_words.flertal
    if not kommuner:
        return "" if cluster else NO_FINDINGS.format(whose=ctx.words.genitiv)
    template = KOMMUNER_TOO if cluster else ONLY_KOMMUNER
    return template.format(whose=ctx.words.genitiv, parts=parts, Parts=upper_first(parts))


def is_higher(row: dict[str, Any], indicator: Indicator, national: float | None) -> bool:
    """Whether a significantly different value lies above the country's."""
    comparison = row["comparison"]
    if comparison in ("higher", "lower"):
        return bool(comparison == "higher")
    if comparison in ("better", "worse") and indicator.polarity != "none":
        return bool((comparison == "better") == (indicator.polarity == "higher_better"))
    return national is not None and row["value"] is not None and row["value"] > national


def _count_beside(indicator: Indicator, row: dict[str, Any]) -> str:
    """' (115 borgere med demens)': the persons or events behind a rate, where published."""
    counted = phrase_for(indicator).counted
    if not counted or row["numerator"] is None or indicator.unit == "persons":
        return ""
    return f" ({heltal(row['numerator'])} {counted})"


def comparison_message(
    ctx: PackContext, indicator: Indicator, area: AreaKey, subject_word: str
) -> Message | None:
    """'Klyngen har signifikant færre ... end landet: 31,0 mod 38,0 pr. 1.000 (412 ...).'."""
    row = ctx.row(indicator.id, area)
    if (
        not indicator.compared
        or row is None
        or row["comparison"] not in SIGNIFICANT
        or row["value"] is None
    ):
        return None
    national = ctx.value(indicator.id, ctx.country)
    if national is None:
        return None
    higher = is_higher(row, indicator, national)
    text = sentence(
        f"{subject_word} har {comparative(indicator, higher)} end landet: "
        f"{tal(row['value'], indicator.decimals)} mod "
        f"{med_enhed(national, indicator.unit, indicator.decimals)}"
        f"{_count_beside(indicator, row)}"
    )
    return Message(indicator.id, text, row["comparison"], "comparison")


def _trend_start(
    ctx: PackContext, indicator: Indicator, area: AreaKey
) -> tuple[dict[str, Any], int, float] | None:
    """The last year's row and the first year and value of a significant trend, or None."""
    row = ctx.row(indicator.id, area)
    if row is None or row["trend"] not in ("rising", "falling") or row["value"] is None:
        return None
    years = [y for y in ctx.indicator_years(indicator.id) if y <= ctx.last_year][-TREND_YEARS:]
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
    """'Antallet af ... er steget signifikant i klyngen fra 2020 til 2024: fra 28,0 til ...'
    (in the words of the area: 'i rådet', 'i kommunen')."""
    start = _trend_start(ctx, indicator, area)
    if start is None or not indicator.compared:
        return None
    row, first_year, first_value = start
    verb = "steget" if row["trend"] == "rising" else "faldet"
    where = f"i {ctx.words.bestemt}" if area == ctx.area else f"i {area.name}"
    text = sentence(
        f"{subject(indicator)} er {verb} signifikant {where} fra {first_year} til "
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


def cluster_messages(ctx: PackContext, indicators: Iterable[Indicator]) -> tuple[Message, ...]:
    """Every significant comparison of the pack's area (with its trend, if significant too),
    then every significant trend of an indicator that is not significantly different."""
    comparisons: list[Message] = []
    trends: list[Message] = []
    for indicator in indicators:
        message = comparison_message(ctx, indicator, ctx.area, upper_first(ctx.words.bestemt))
        if message is not None:
            comparisons.append(_with_trend(ctx, indicator, message))
        elif (trend := trend_message(ctx, indicator, ctx.area)) is not None:
            trends.append(trend)
    return (*comparisons, *trends)


def kommune_lines(ctx: PackContext, indicators: Iterable[Indicator]) -> tuple[str, ...]:
    """One line per part (municipality, or a region's cluster) that differs significantly from
    the country, e.g. 'Hedensted: dårligere end landet på hoftebrud blandt 65+ årige; ...'."""
    compared = [i for i in indicators if i.compared]
    lines = []
    for kommune in ctx.parts:
        found: dict[str, list[str]] = {key: [] for key, _word in KOMMUNE_VERDICTS}
        for indicator in compared:
            row = ctx.row(indicator.id, kommune)
            if row is not None and row["value"] is not None and row["comparison"] in found:
                found[row["comparison"]].append(lower_first(indicator.display_title))
        # Short titles may hold a comma ("Hjemmehjælp, 65+"): then semicolons separate them.
        parts = [
            f"{word} på {_join_titles(names)}"
            for key, word in KOMMUNE_VERDICTS
            if (names := found[key])
        ]
        if parts:
            lines.append(f"{kommune.name}: signifikant {'; '.join(parts)}.")
    return tuple(lines)


def _join_titles(names: list[str]) -> str:
    return "; ".join(names) if any("," in name for name in names) else join_names(names)


def theme_findings(ctx: PackContext, indicators: Iterable[Indicator]) -> Findings:
    """The findings of one theme's indicators, for its page and for the Hovedbudskaber."""
    chosen = tuple(indicators)
    cluster, kommuner = cluster_messages(ctx, chosen), kommune_lines(ctx, chosen)
    return Findings(cluster, kommuner, findings_note(ctx, cluster, kommuner))


def _strength(ctx: PackContext, message: Message) -> float:
    """How far the area lies from the country, in half-widths of its interval."""
    row = ctx.row(message.indicator_id, ctx.area)
    national = ctx.value(message.indicator_id, ctx.country)
    if row is None or national is None or row["lower"] is None or row["upper"] is None:
        return 0.0
    half = (row["upper"] - row["lower"]) / 2
    return abs(row["value"] - national) / half if half > 0 else 0.0


def strongest(ctx: PackContext, messages: tuple[Message, ...]) -> tuple[Message, ...]:
    """Messages in the order a reader needs them: worse first, then by distance to the country."""
    return tuple(sorted(messages, key=lambda m: (TONE_ORDER.index(m.tone), -_strength(ctx, m))))


def key_messages(
    ctx: PackContext, sections: Iterable[Section]
) -> tuple[tuple[MessageGroup, ...], str]:
    """The 'Hovedbudskaber' page: each theme chapter's strongest findings (or that nothing
    stands out); the lead's summary.

    Taken from the chapters themselves, so the page never misses what a chapter says.
    """
    groups = []
    for section in sections:
        ranked = strongest(ctx, section.findings)
        shown = ranked[:KEY_MESSAGES_PER_THEME]
        rest = len(ranked) - len(shown)
        more = (
            f"Afsnittet «{section.title}» nævner {rest} fund mere for {ctx.words.bestemt}."
            if rest
            else ""
        )
        if section.matrix is None:  # no indicator of the theme has data: nothing to tell
            continue
        kommuner = section.kommune_findings
        note = findings_note(ctx, shown, kommuner)
        groups.append(MessageGroup(section.id, section.title, shown, kommuner, note, more))
    return tuple(groups), _summary(ctx)


def _summary(ctx: PackContext) -> str:
    """How many compared indicators differ, are as the country or are not shown, in words."""
    compared = [i for i in ctx.catalogue.indicators if i.compared and ctx.has(i.id)]
    rows = [ctx.row(i.id, ctx.area) for i in compared]
    outcomes = [_outcome(row) for row in rows]
    w = ctx.words
    text = (
        f"Af de {len(compared)} indikatorer, der sammenlignes med landet, ligger {w.bestemt} "
        f"signifikant anderledes end landet på {outcomes.count('significant')} og som landet "
        f"på {outcomes.count('similar')}."
    )
    if hidden := outcomes.count("hidden"):
        reasons = sorted(
            {hidden_reason(row) for row, o in zip(rows, outcomes, strict=True) if o == "hidden"}
        )
        which = f"de sidste {hidden}" if hidden > 1 else "den sidste"
        why = join_names(reasons, "eller")
        text += f" For {which} vises {w.genitiv} tal ikke i {ctx.last_year} ({why})."
    if uncompared := outcomes.count("uncompared"):
        text += f" {uncompared} kan ikke sammenlignes, fordi landets tal mangler."
    text += " Forskelle, der ikke er statistisk signifikante, omtales ikke som forskelle."
    if ctx.parts:
        return text + (
            f" Under hvert tema står {w.genitiv} tydeligste forskelle og de "
            f"{ctx.part_words.flertal}, der skiller sig ud."
        )
    return text + f" Under hvert tema står {w.genitiv} tydeligste forskelle."


def _outcome(row: dict[str, Any] | None) -> str:
    if row is None or row["value"] is None:
        return "hidden"
    if row["comparison"] == "not_compared":
        return "uncompared"
    return "significant" if row["comparison"] in SIGNIFICANT else "similar"
