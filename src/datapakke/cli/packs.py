"""Commands about packs: build (one cluster or all), preview, and the list of clusters."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from datapakke.cli.app import data_folder, out, run, say, warn
from datapakke.cli.options import (
    CatalogueOption,
    ConfidenceOption,
    DataOption,
    MinCountOption,
    StandardOption,
    TemplatesOption,
    TrendConfidenceOption,
    compute_settings,
)
from datapakke.errors import ExitCode, InputError

# The build stack (Polars, matplotlib, WeasyPrint) is imported inside each command,
# after its options are checked: wrong usage fails at once.
if TYPE_CHECKING:
    from datapakke.run.build import BuildSettings, PackResult


class Format(StrEnum):
    """Which files ``build`` writes."""

    pdf = "pdf"
    html = "html"
    both = "both"


def build(
    klynge: Annotated[
        str | None,
        typer.Option("--klynge", "-k", help="Cluster id, name or alias, e.g. Horsensklyngen."),
    ] = None,
    all_klynger: Annotated[bool, typer.Option("--all", help="Build every cluster's pack.")] = False,
    data: DataOption = None,
    out_dir: Annotated[Path, typer.Option("--out", help="Output folder.")] = Path("out"),
    output_format: Annotated[
        Format, typer.Option("--format", help="Write the PDF, the HTML, or both.")
    ] = Format.pdf,
    templates: TemplatesOption = None,
    standard: StandardOption = "national",
    min_count: MinCountOption = 5,
    confidence: ConfidenceOption = 95.0,
    trend_confidence: TrendConfidenceOption = 99.8,
    catalogue: CatalogueOption = None,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs", "-j", min=1, help="With --all: worker processes \\[default: one per CPU]."
        ),
    ] = None,
    fail_fast: Annotated[
        bool, typer.Option("--fail-fast", help="With --all: stop at the first failing pack.")
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="With --all: rebuild packs that are up to date.")
    ] = False,
) -> None:
    """Build the data pack of one cluster (or of all).

    With --all the indicators are computed once and the packs rendered in parallel;
    packs whose inputs, settings, templates and version are unchanged since the last
    run are skipped, and OUT/manifest.json records what was read and written.
    Exit code 5 means some packs failed (the others are built).

    [bold]Examples[/]

      datapakke build --klynge Horsensklyngen
      datapakke build --klynge byen --data /data/udtraek --out packs --format both
      datapakke build --all --jobs 4 --out packs
    """

    def action() -> None:
        if (klynge is None) == (not all_klynger):
            raise InputError(
                "Give either --klynge NAME or --all.",
                hint="Run 'datapakke klynger' to list the clusters.",
            )
        if klynge is not None and (jobs is not None or fail_fast or force):
            raise InputError("--jobs, --fail-fast and --force go with --all only.")
        from datapakke.geography import load_geography
        from datapakke.run.build import BuildSettings, build_packs

        geography = load_geography()
        formats = {"pdf"} if output_format is Format.pdf else {"html"}
        if output_format is Format.both:
            formats = {"pdf", "html"}
        settings = BuildSettings(
            data=data_folder(data),
            out=out_dir,
            formats=frozenset(formats),  # type: ignore[arg-type]
            templates=templates,
            compute=compute_settings(standard, min_count, confidence, trend_confidence),
            catalogue=catalogue,
        )
        if all_klynger:
            _build_all(settings, jobs=jobs, fail_fast=fail_fast, force=force)
            return

        def report(result: PackResult) -> None:
            pages = f", {result.pages} pages" if result.pages else ""
            files = ", ".join(str(p) for p in result.outputs)
            out.print(
                f"Wrote {files}{pages} ({result.seconds:.1f} s)", highlight=False, soft_wrap=True
            )

        build_packs(
            [geography.find_klynge(klynge or "")], settings, geography,
            on_built=report, on_warning=warn,
        )  # fmt: skip

    run(action)


def _build_all(settings: BuildSettings, *, jobs: int | None, fail_fast: bool, force: bool) -> None:
    from datapakke.geography import load_geography
    from datapakke.run.batch import BatchOptions, build_all
    from datapakke.run.progress import batch_progress, summary_line, summary_table

    geography = load_geography()
    report = build_all(
        list(geography.klynger.values()),
        settings,
        geography,
        BatchOptions(jobs=jobs, fail_fast=fail_fast, force=force),
        batch_progress(out),
    )
    out.print(summary_table(report))
    out.print(summary_line(report), highlight=False, soft_wrap=True)
    if not report.ok:
        raise typer.Exit(int(ExitCode.PARTIAL_FAILURE))


def klynger() -> None:
    """List every health cluster with its region, acute hospital and municipalities.

    [bold]Example[/]

      datapakke klynger
    """

    def action() -> None:
        from datapakke.geography import load_geography

        geography = load_geography()
        table = Table(title="Sundhedsklynger", show_lines=False)
        for header in ("id", "Klynge", "Region", "Akuthospital", "Kommuner", "Sammensætning"):
            table.add_column(header, overflow="fold")
        for k in geography.klynger.values():
            names = ", ".join(sorted(geography.kommuner[c].navn for c in k.kommunekoder))
            table.add_row(
                k.id,
                k.navn,
                geography.region_of(k).navn,
                k.akuthospital,
                names,
                "bekræftet" if k.bekraeftet else "ubekræftet",
            )
        out.print(table)

    run(action)


def preview(
    klynge: Annotated[
        str, typer.Option("--klynge", "-k", help="Cluster id, name or alias, e.g. Horsensklyngen.")
    ],
    port: Annotated[
        int, typer.Option(min=0, max=65535, help="Port on 127.0.0.1 (0 picks a free one).")
    ] = 8000,
    templates: TemplatesOption = None,
    data: DataOption = None,
    standard: StandardOption = "national",
    min_count: MinCountOption = 5,
    confidence: ConfidenceOption = 95.0,
    trend_confidence: TrendConfidenceOption = 99.8,
    catalogue: CatalogueOption = None,
) -> None:
    """Serve a cluster's pack as HTML that rebuilds and reloads as you edit.

    Watches the templates and CSS (yours and the bundled ones), the data folder and
    the catalogue. Only 127.0.0.1 can connect. Stop with Ctrl+C.

    [bold]Examples[/]

      datapakke preview --klynge Horsensklyngen
      datapakke preview -k byen --templates my_templates --port 8080
    """

    def action() -> None:
        from datapakke.preview.server import PreviewSources, serve

        sources = PreviewSources(
            data=data_folder(data),
            templates=templates,
            compute=compute_settings(standard, min_count, confidence, trend_confidence),
            catalogue=catalogue,
        )
        serve(klynge, sources, port, on_event=say)

    run(action)
