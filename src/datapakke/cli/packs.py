"""Commands about packs: build (any area, or all of a set), preview, and the lists of areas."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from datapakke.cli.app import data_folder, out, run, say, warn
from datapakke.cli.areas import (
    KLYNGER,
    AreaOptions,
    area_options,
    check_targets,
    chosen_areas,
    chosen_geography,
    one_area,
)
from datapakke.cli.options import (
    CatalogueOption,
    ConfidenceOption,
    DataOption,
    GeografiOption,
    InddelingOption,
    KlyngeOption,
    KommuneOption,
    MinCountOption,
    OmraadeOption,
    RaadOption,
    RegionOption,
    StandardChoice,
    StandardOption,
    TemplatesOption,
    compute_settings,
)
from datapakke.errors import ExitCode, InputError

# The build stack (Polars, matplotlib, WeasyPrint) is imported inside each command,
# after its options are checked: wrong usage fails at once.
if TYPE_CHECKING:
    from datapakke.geography import AreaKey, Geography
    from datapakke.run.build import BuildSettings, PackResult


class Format(StrEnum):
    """Which files ``build`` writes."""

    pdf = "pdf"
    html = "html"
    both = "both"


def build(
    raad: RaadOption = None,
    klynge: KlyngeOption = None,
    kommune: KommuneOption = None,
    region: RegionOption = None,
    omraade: OmraadeOption = None,
    all_areas: Annotated[
        bool, typer.Option("--all", help="Build the pack of every area of the set.")
    ] = False,
    inddeling: InddelingOption = None,
    geografi: GeografiOption = None,
    data: DataOption = None,
    out_dir: Annotated[Path, typer.Option("--out", help="Output folder.")] = Path("out"),
    output_format: Annotated[
        Format, typer.Option("--format", help="Write the PDF, the HTML, or both.")
    ] = Format.pdf,
    templates: TemplatesOption = None,
    standard: StandardOption = StandardChoice.national,
    min_count: MinCountOption = 5,
    confidence: ConfidenceOption = 95.0,
    catalogue: CatalogueOption = None,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs",
            "-j",
            min=1,
            help="With several packs: worker processes \\[default: one per CPU].",
        ),
    ] = None,
    fail_fast: Annotated[
        bool, typer.Option("--fail-fast", help="With several packs: stop at the first failure.")
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="With several packs: rebuild those up to date.")
    ] = False,
) -> None:
    """Build the data pack of a council, a cluster, a municipality or a region (or of all).

    Options may be repeated to build a chosen few. With several packs the indicators
    are computed once and the packs rendered in parallel; packs whose inputs, settings,
    templates and version are unchanged since the last run are skipped, and
    OUT/manifest.json records what was read and written. Exit code 5 means some packs
    failed (the others are built).

    [bold]Examples[/]

      datapakke build --raad Horsens
      datapakke build --all --inddeling sundhedsraad-2027 --out packs
      datapakke build --kommune Odder
      datapakke build --region Midtjylland
      datapakke build --klynge Horsensklyngen
      datapakke build --klynge byen --data /data/udtraek --out packs --format both
    """

    def action() -> None:
        options = area_options(
            inddeling, geografi, klynge, raad, omraade, kommune, region, all_areas=all_areas
        )
        check_targets(options)
        several = options.all or options.named > 1
        if not several and (jobs is not None or fail_fast or force):
            raise InputError("--jobs, --fail-fast and --force go with several packs (or --all).")
        from datapakke.run.build import BuildSettings, build_packs

        geography = chosen_geography(options)
        areas = chosen_areas(options, geography)

        formats = {"pdf"} if output_format is Format.pdf else {"html"}
        if output_format is Format.both:
            formats = {"pdf", "html"}
        settings = BuildSettings(
            data=data_folder(data),
            out=out_dir,
            formats=frozenset(formats),  # type: ignore[arg-type]
            templates=templates,
            compute=compute_settings(standard, min_count, confidence),
            catalogue=catalogue,
        )
        if several:
            _build_all(areas, geography, settings, jobs=jobs, fail_fast=fail_fast, force=force)
            return

        def report(result: PackResult) -> None:
            pages = f", {result.pages} pages" if result.pages else ""
            files = ", ".join(str(p) for p in result.outputs)
            out.print(
                f"Wrote {files}{pages} ({result.seconds:.1f} s)", highlight=False, soft_wrap=True
            )

        build_packs(areas, settings, geography, on_built=report, on_warning=warn)

    run(action)


def _build_all(
    areas: list[AreaKey],
    geography: Geography,
    settings: BuildSettings,
    *,
    jobs: int | None,
    fail_fast: bool,
    force: bool,
) -> None:
    from datapakke.run.batch import BatchOptions, build_all
    from datapakke.run.progress import batch_progress, summary_line, summary_table

    report = build_all(
        areas,
        settings,
        geography,
        BatchOptions(jobs=jobs, fail_fast=fail_fast, force=force),
        batch_progress(out),
    )
    out.print(summary_table(report))
    out.print(summary_line(report), highlight=False, soft_wrap=True)
    if not report.ok:
        raise typer.Exit(int(ExitCode.PARTIAL_FAILURE))


def omraader(inddeling: InddelingOption = None, geografi: GeografiOption = None) -> None:
    """List the areas of a set with their region, acute hospital and municipalities.

    Without --inddeling or --geografi: the set in force on the build date.

    [bold]Examples[/]

      datapakke omraader --inddeling sundhedsraad-2027
      datapakke omraader --inddeling klynger-2022
      datapakke omraader --geografi mine-distrikter.csv
    """
    run(lambda: _list_areas(AreaOptions(inddeling=inddeling, geografi=geografi)))


def klynger() -> None:
    """List the 22 health clusters of 2022-2026 (the same as 'omraader --inddeling klynger-2022').

    [bold]Example[/]

      datapakke klynger
    """
    run(lambda: _list_areas(AreaOptions(inddeling=KLYNGER)))


def _list_areas(options: AreaOptions) -> None:
    geography = chosen_geography(options)
    area_set = geography.area_set
    table = Table(title=f"{area_set.navn} ({area_set.source})", show_lines=False)
    word = area_set.words.ental
    for header in ("id", word[:1].upper() + word[1:], "Region", "Akuthospital", "Kommuner",
                   "Sammensætning"):  # fmt: skip
        table.add_column(header, overflow="fold")
    for area in geography.areas.values():
        names = ", ".join(sorted(geography.kommuner[c].navn for c in area.kommunekoder))
        table.add_row(
            area.id,
            area.navn,
            geography.region_of(area).navn,
            area.akuthospital,
            names,
            area.sikkerhed,
        )
    out.print(table)


def preview(
    raad: RaadOption = None,
    klynge: KlyngeOption = None,
    kommune: KommuneOption = None,
    region: RegionOption = None,
    omraade: OmraadeOption = None,
    inddeling: InddelingOption = None,
    geografi: GeografiOption = None,
    port: Annotated[
        int, typer.Option(min=0, max=65535, help="Port on 127.0.0.1 (0 picks a free one).")
    ] = 8000,
    templates: TemplatesOption = None,
    data: DataOption = None,
    standard: StandardOption = StandardChoice.national,
    min_count: MinCountOption = 5,
    confidence: ConfidenceOption = 95.0,
    catalogue: CatalogueOption = None,
) -> None:
    """Serve an area's pack as HTML that rebuilds and reloads as you edit.

    Watches the templates and CSS (yours and the bundled ones), the data folder, the
    catalogue and your own area set. Only 127.0.0.1 can connect. Stop with Ctrl+C.

    [bold]Examples[/]

      datapakke preview --raad Horsens
      datapakke preview --klynge Horsensklyngen
      datapakke preview -k byen --templates my_templates --port 8080
    """

    def action() -> None:
        options = area_options(inddeling, geografi, klynge, raad, omraade, kommune, region)
        one_area(options)  # a wrong name fails here, before the server starts
        from datapakke.preview.server import PreviewSources, serve

        sources = PreviewSources(
            data=data_folder(data),
            templates=templates,
            compute=compute_settings(standard, min_count, confidence),
            catalogue=catalogue,
        )
        serve(lambda: one_area(options), sources, port, on_event=say)

    run(action)
