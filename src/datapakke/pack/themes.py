"""The theme chapters (De sårbare ældre, Kronikerområdet, Psykiatriområdet, and any other).

Each chapter opens with the theme's question, what stands out (significant
differences only), an overview of every indicator for every area, and then one
block per indicator with its charts.
"""

from __future__ import annotations

from datapakke.engine.catalogue import Indicator, Theme
from datapakke.pack.blocks import indicator_block
from datapakke.pack.context import PackContext
from datapakke.pack.messages import theme_findings
from datapakke.pack.model import Section
from datapakke.pack.overview import theme_matrix
from datapakke.pack.text import join_names, lower_first


def theme_section(ctx: PackContext, theme: Theme) -> Section:
    """One theme's chapter, every catalogue indicator of the theme in catalogue order."""
    indicators = ctx.catalogue.in_theme(theme.id)
    findings = theme_findings(ctx, indicators)
    missing = tuple(i.title for i in indicators if not ctx.has(i.id))
    return Section(
        id=theme.id,
        title=theme.title,
        paragraphs=theme_paragraphs(theme, indicators, missing, ctx.results.missing_tables),
        figures=(),
        findings=findings.cluster,
        kommune_findings=findings.kommuner,
        findings_note=findings.note,
        matrix=theme_matrix(ctx, theme.id, indicators),
        blocks=tuple(indicator_block(ctx, i) for i in indicators),
        missing=missing,
    )


def theme_paragraphs(
    theme: Theme,
    indicators: tuple[Indicator, ...],
    missing: tuple[str, ...],
    missing_tables: tuple[str, ...],
) -> tuple[str, ...]:
    """The theme's question and, if some indicators lack data, which ones, in plain words."""
    paragraphs = [theme.intro] if theme.intro else []
    lacking = sorted({t for i in indicators for t in i.tables if t in missing_tables})
    tables = (
        (
            f" (tabellen {lacking[0]})"
            if len(lacking) == 1
            else f" (tabellerne {join_names(lacking)})"
        )
        if lacking
        else ""
    )
    if missing and len(missing) == len(indicators):
        paragraphs.append(
            f"Registerudtrækket indeholder ikke de data, temaets indikatorer beregnes ud fra"
            f"{tables}, så temaet kan ikke vises i denne datapakke."
        )
    elif missing:
        paragraphs.append(
            f"Registerudtrækket mangler data{tables} til "
            f"{join_names([lower_first(m) for m in missing])}; "
            + ("den indikator står" if len(missing) == 1 else "de indikatorer står")
            + " derfor uden tal nedenfor."
        )
    return tuple(paragraphs)
