"""Build the Pack model for one area (of the set, a municipality or a region) from the results."""

from __future__ import annotations

import datetime as dt

from datapakke.engine.catalogue import Catalogue
from datapakke.engine.compare import TREND_YEARS
from datapakke.engine.compute import Results
from datapakke.geography import AreaKey, Geography
from datapakke.pack.appendix import methods
from datapakke.pack.context import PackContext
from datapakke.pack.front import front_page
from datapakke.pack.keyfigures import key_figures
from datapakke.pack.labels import AGE_ADJUSTMENT_NOTE, trend_guide
from datapakke.pack.maps import maps
from datapakke.pack.messages import key_messages
from datapakke.pack.model import Pack
from datapakke.pack.population_section import THEME as POPULATION_THEME
from datapakke.pack.population_section import population_section
from datapakke.pack.profile import profile
from datapakke.pack.themes import theme_section


def build_pack(
    results: Results,
    geography: Geography,
    area: AreaKey,
    *,
    build_date: dt.date,
    version: str,
    synthetic: bool = False,
    catalogue: Catalogue | None = None,
    threshold: int | None = None,
) -> Pack:
    """Assemble the pack of ``area`` (``Geography.key_of``); every number comes from ``results``.

    ``catalogue`` defaults to the one the results were computed with, ``threshold`` to
    the disclosure threshold they were suppressed with.
    """
    catalogue = catalogue or results.catalogue
    threshold = threshold or results.settings.min_count
    ctx = PackContext(
        geography=geography,
        area=area,
        results=results,
        catalogue=catalogue,
        threshold=int(threshold),
    )
    sections = tuple(
        population_section(ctx) if theme.id == POPULATION_THEME else theme_section(ctx, theme)
        for theme in catalogue.themes
    )
    groups, summary = key_messages(ctx, sections)
    return Pack(
        front=front_page(ctx, build_date, version, synthetic=synthetic),
        sections=sections,
        messages=groups,
        message_summary=summary,
        key_figures=key_figures(ctx),
        maps=maps(ctx),
        methods=methods(ctx),
        profile=profile(ctx, groups),
        threshold=ctx.threshold,
        level_text=ctx.level_text,
        trend_guide=trend_guide(TREND_YEARS, ctx.trend_level_text),
        age_adjustment_note=AGE_ADJUSTMENT_NOTE,
    )
