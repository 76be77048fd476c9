"""Render one pack from its slice of the computed results (``run.load`` computes them).

Rendering a pack runs in stages (pack model, charts, HTML, workbook, PDF) that are timed
one by one, so a build can say where its time goes. ``batch.py`` is the one build path
(one pack is a batch of one) and runs ``render_pack``; the preview uses the stages directly.
"""

from __future__ import annotations

import datetime as dt
import gc
import time
from collections.abc import Collection, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import jinja2

from datapakke import __version__
from datapakke.dates import build_date
from datapakke.engine.compute import Results
from datapakke.files import write_files
from datapakke.geography import AreaKey, Geography
from datapakke.pack import Pack, build_pack
from datapakke.render import html as render
from datapakke.render import pdf, workbook
from datapakke.run.settings import DOCUMENT_SUFFIX, PROFILES, Document, OutputFormat, Settings
from datapakke.run.stops import signals_deferred

Stage = Literal["compute", "model", "charts", "html", "workbook", "pdf"]
FULL_PACK: tuple[Document, ...] = ("fuld",)


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


@contextmanager
def cycles_collected_after() -> Iterator[None]:
    """Python's cycle collector paused while a pack renders, then run once over the
    objects the render made.

    A render makes a few million short-lived objects (matplotlib artists, layout boxes);
    every so often the collector would walk every object of the process, the computed
    results too, which cost about a tenth of a render. Paused, the render's objects stay
    in the youngest generation, and one collection of that generation frees their cycles.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        # A stop that arrives while the collection runs weak-reference callbacks would be
        # lost: held back until it is done (enabling may itself start a collection).
        with signals_deferred():
            gc.enable()
            gc.collect(0)


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


def pack_file(slug: str, kind: OutputFormat | Literal["xlsx"], document: Document = "fuld") -> str:
    """The name of one file of an area's pack (``bornholm.pdf``, ``bornholm-profil.pdf``)."""
    return f"{slug}{DOCUMENT_SUFFIX[document]}.{kind}"


def pack_files(
    slug: str, formats: Collection[OutputFormat], documents: Collection[Document] = FULL_PACK
) -> tuple[str, ...]:
    """The names of the files a pack is written as: HTML and/or PDF of each document (the
    full pack, the profile), and the workbook."""
    kinds: tuple[OutputFormat, ...] = ("html", "pdf")
    return (
        *(
            pack_file(slug, kind, document)
            for document in documents
            for kind in kinds
            if kind in formats
        ),
        pack_file(slug, "xlsx"),
    )


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
    """Render one area's pack to the output folder: its files (PDF, HTML, workbook) are
    made in memory and written as a unit, so a failure anywhere replaces none of them.

    Pass ``environment`` to reuse one Jinja environment (and its compiled templates)
    across packs, and ``day`` to date every pack of a batch alike.
    """
    with cycles_collected_after():
        return _render_pack(results, geography, area, settings, synthetic, environment, day)


def _render_pack(
    results: Results,
    geography: Geography,
    area: AreaKey,
    settings: Settings,
    synthetic: bool,
    environment: jinja2.Environment | None,
    day: dt.date | None,
) -> PackResult:
    started = time.perf_counter()
    clock = StageClock()
    with clock.stage("model"):
        pack = pack_model(results, geography, area, synthetic=synthetic, day=day)
    with clock.stage("workbook"):
        numbers = workbook.pack_workbook(pack)
    env = environment or render.template_environment(settings.templates)
    files: dict[Path, bytes] = {}
    pages = None
    for document in PROFILES[settings.profil]:
        with clock.stage("charts"):
            svgs = render.draw_charts(pack, document)
        with clock.stage("html"):
            html = render.render_html(pack, svgs, env, render.TEMPLATES[document])
        if "html" in settings.formats:
            files[settings.out / pack_file(area.slug, "html", document)] = html.encode("utf-8")
        if "pdf" in settings.formats:
            created = dt.datetime.combine(pack.front.build_date, dt.time(), tzinfo=dt.UTC)
            # The numbers behind the pack travel inside the PDF too.
            attachment = pdf.EmbeddedFile(
                pack_file(area.slug, "xlsx"), numbers, f"Tal bag datapakken for {area.name}"
            )
            with clock.stage("pdf"):
                files[settings.out / pack_file(area.slug, "pdf", document)], written = (
                    pdf.render_pdf(
                        html, created=created, user_templates=settings.templates,
                        attachments=(attachment,),
                    )
                )  # fmt: skip
            pages = pages or written  # the full pack's pages when it is built too
    files[settings.out / pack_file(area.slug, "xlsx")] = numbers
    write_files(files)
    return PackResult(area.slug, tuple(files), pages, time.perf_counter() - started, clock.seconds)
