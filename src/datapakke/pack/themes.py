"""The theme chapters (De sårbare ældre, Kronikerområdet, Psykiatriområdet, and any other).

Each chapter opens with the theme's question, what stands out (significant
differences only), an overview of every indicator for every area, and then one
block per indicator with its charts.
"""

from __future__ import annotations

from datapakke.engine.catalogue import Indicator, Theme
from datapakke.engine.compute import Results
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
        paragraphs=theme_paragraphs(theme, indicators, missing, ctx.results),
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
    results: Results,
) -> tuple[str, ...]:
    """The theme's question and, if some indicators lack data, which ones, in plain words:
    a register table the extract lacks, or aggregate inputs the data pack was not given."""
    paragraphs = [theme.intro] if theme.intro else []
    if not missing:
        return tuple(paragraphs)
    given = [i for i in indicators if i.id in results.missing_aggregates]
    from_registers = [i for i in indicators if i.title in missing and i not in given]
    sources = join_names(sorted({i.source for i in given}))
    if len(missing) == len(indicators) and not from_registers:
        paragraphs.append(
            f"Datapakken har ikke fået tallene fra {sources}, som temaets indikatorer bygger "
            "på, så temaet kan ikke vises i denne datapakke."
        )
        return tuple(paragraphs)
    lacking = sorted({t for i in indicators for t in i.tables if t in results.missing_tables})
    tables = (
        (
            f" (tabellen {lacking[0]})"
            if len(lacking) == 1
            else f" (tabellerne {join_names(lacking)})"
        )
        if lacking
        else ""
    )
    if len(missing) == len(indicators) and not given:
        paragraphs.append(
            f"Registerudtrækket indeholder ikke de data, temaets indikatorer beregnes ud fra"
            f"{tables}, så temaet kan ikke vises i denne datapakke."
        )
        return tuple(paragraphs)
    for start, chosen in (
        (f"Registerudtrækket mangler data{tables}", from_registers),
        (f"Datapakken har ikke fået tallene fra {sources}", given),
    ):
        if chosen:
            paragraphs.append(
                f"{start} til {join_names([lower_first(i.title) for i in chosen])}; "
                + ("den indikator står" if len(chosen) == 1 else "de indikatorer står")
                + " derfor uden tal nedenfor."
            )
    return tuple(paragraphs)
