"""Render one pack from its slice of the computed results (``run.load`` computes them).

Rendering a pack runs in stages (pack model, charts, HTML, workbook, PDF) that are timed
one by one, so a build can say where its time goes. ``batch.py`` is the one build path
(one pack is a batch of one) and runs ``render_pack``; the preview uses the stages directly.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import jinja2

from datapakke import __version__
from datapakke.dates import build_date
from datapakke.engine.compute import Results
from datapakke.files import write_bytes, write_text
from datapakke.geography import AreaKey, Geography
from datapakke.pack import Pack, build_pack
from datapakke.render import html as render
from datapakke.render import pdf, workbook
from datapakke.run.settings import Settings

Stage = Literal["compute", "model", "charts", "html", "workbook", "pdf"]


@dataclass(frozen=True)
class PackResult:
    """One built pack: its files, page count, build time and the seconds of each stage."""

    area_id: str
    outputs: tuple[Path, ...]
    pages: int | None
    seconds: float
    stages: Mapping[Stage, float] = field(default_factory=dict)


class StageClock:
    """Seconds spent in each named stage (a stage may run more than once)."""

    def __init__(self) -> None:
        self.seconds: dict[Stage, float] = {}

    @contextmanager
    def stage(self, name: Stage) -> Iterator[None]:
        """Time the block and add it to stage ``name``."""
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - started


def pack_model(
    results: Results,
    geography: Geography,
    area: AreaKey,
    *,
    synthetic: bool = False,
    day: dt.date | None = None,
) -> Pack:
    """The Pack model of one area, dated ``day`` (default: ``build_date()``)."""
    return build_pack(
        results, geography, area, build_date=day or build_date(), version=__version__,
        synthetic=synthetic,
    )  # fmt: skip


def render_pack(
    results: Results,
    geography: Geography,
    area: AreaKey,
    settings: Settings,
    *,
    synthetic: bool = False,
    environment: jinja2.Environment | None = None,
    day: dt.date | None = None,
) -> PackResult:
    """Render one area's pack to the output folder; files appear only when complete.

    Pass ``environment`` to reuse one Jinja environment (and its compiled templates)
    across packs, and ``day`` to date every pack of a batch alike.
    """
    started = time.perf_counter()
    clock = StageClock()
    with clock.stage("model"):
        pack = pack_model(results, geography, area, synthetic=synthetic, day=day)
    with clock.stage("charts"):
        svgs = render.draw_charts(pack)
    with clock.stage("html"):
        env = environment or render.template_environment(settings.templates)
        html = render.render_html(pack, svgs, env)
    with clock.stage("workbook"):
        numbers = workbook.pack_workbook(pack)
    outputs: list[Path] = []
    pages = None
    if "html" in settings.formats:
        target = settings.out / f"{area.slug}.html"
        with clock.stage("html"):
            write_text(target, html)
        outputs.append(target)
    if "pdf" in settings.formats:
        target = settings.out / f"{area.slug}.pdf"
        created = dt.datetime.combine(pack.front.build_date, dt.time(), tzinfo=dt.UTC)
        # The numbers behind the pack travel inside the PDF too.
        attachment = pdf.EmbeddedFile(
            f"{area.slug}.xlsx", numbers, f"Tal bag datapakken for {area.name}"
        )
        with clock.stage("pdf"):
            pages = pdf.write_pdf(
                html,
                target,
                created=created,
                user_templates=settings.templates,
                attachments=(attachment,),
            )
        outputs.append(target)
    target = settings.out / f"{area.slug}.xlsx"
    with clock.stage("workbook"):
        write_bytes(target, numbers)
    outputs.append(target)
    return PackResult(
        area.slug, tuple(outputs), pages, time.perf_counter() - started, clock.seconds
    )
