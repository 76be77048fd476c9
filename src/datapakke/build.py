"""Build packs: read and compute once, then render each cluster's pack from its slice."""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from datapakke import __version__, render, workbook
from datapakke.catalog import load_catalogue
from datapakke.extracts.read import Extract, read_extract
from datapakke.files import ensure_folder, remove_stale_temporaries, write_bytes, write_text
from datapakke.geography import Geography, Klynge
from datapakke.indicators.compute import Results, compute
from datapakke.indicators.settings import ComputeSettings
from datapakke.pack import build_pack

OutputFormat = Literal["pdf", "html"]


@dataclass(frozen=True)
class BuildSettings:
    """Where to read, where to write, what to write, and which templates to use."""

    data: Path
    out: Path
    formats: frozenset[OutputFormat] = frozenset({"pdf"})
    templates: Path | None = None
    compute: ComputeSettings = field(default_factory=ComputeSettings)
    catalogue: Path | None = None


@dataclass(frozen=True)
class PackResult:
    """One built pack: its files, page count and build time."""

    klynge_id: str
    outputs: tuple[Path, ...]
    pages: int | None
    seconds: float


def build_date() -> dt.date:
    """The date printed on packs: ``SOURCE_DATE_EPOCH`` if set (reproducible builds), else today."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is not None and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
    return dt.date.today()


def load_results(
    data: Path,
    geography: Geography,
    settings: ComputeSettings | None = None,
    catalogue: Path | None = None,
) -> tuple[Extract, Results]:
    """Read and validate the extract in ``data``, then compute every indicator for every area.

    Invalid data raise InputError carrying the same report as ``datapakke validate``.
    ``catalogue`` is a user's catalogue file (default: the bundled one).
    """
    chosen = load_catalogue(catalogue)
    extract = read_extract(data, geography)
    return extract, compute(extract, geography, chosen, settings)


def render_pack(
    results: Results,
    geography: Geography,
    klynge: Klynge,
    settings: BuildSettings,
    *,
    synthetic: bool = False,
) -> PackResult:
    """Render one cluster's pack to the output folder; files appear only when complete."""
    started = time.perf_counter()
    day = build_date()
    pack = build_pack(
        results, geography, klynge, build_date=day, version=__version__, synthetic=synthetic
    )
    svgs = render.draw_charts(pack)
    html = render.render_html(pack, svgs, render.template_environment(settings.templates))
    numbers = workbook.pack_workbook(pack)
    outputs: list[Path] = []
    pages = None
    if "html" in settings.formats:
        target = settings.out / f"{klynge.id}.html"
        write_text(target, html)
        outputs.append(target)
    if "pdf" in settings.formats:
        target = settings.out / f"{klynge.id}.pdf"
        created = dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)
        # The numbers behind the pack travel inside the PDF too.
        attachment = render.EmbeddedFile(
            f"{klynge.id}.xlsx", numbers, f"Tal bag datapakken for {klynge.navn}"
        )
        pages = render.write_pdf(
            html,
            target,
            created=created,
            user_templates=settings.templates,
            attachments=(attachment,),
        )
        outputs.append(target)
    target = settings.out / f"{klynge.id}.xlsx"
    write_bytes(target, numbers)
    outputs.append(target)
    return PackResult(klynge.id, tuple(outputs), pages, time.perf_counter() - started)


def build_packs(
    klynger: Sequence[Klynge],
    settings: BuildSettings,
    geography: Geography,
    *,
    on_built: Callable[[PackResult], None] | None = None,
    on_warning: Callable[[str], None] | None = None,
) -> list[PackResult]:
    """Compute once, then render the pack of every cluster in ``klynger`` in turn.

    ``on_warning`` hears what validation warns about (missing optional tables...).
    """
    extract, results = load_results(settings.data, geography, settings.compute, settings.catalogue)
    if on_warning:
        for warning in extract.warnings:
            on_warning(warning)
    ensure_folder(settings.out)
    remove_stale_temporaries(settings.out)
    built = []
    for klynge in klynger:
        result = render_pack(results, geography, klynge, settings, synthetic=extract.synthetic)
        built.append(result)
        if on_built:
            on_built(result)
    return built
