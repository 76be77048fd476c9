"""The ``datapakke`` command line: parse options, call the library, map errors to exit codes."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from datapakke import __version__
from datapakke.errors import DatapakkeError, ExitCode, InputError
from datapakke.geography import load_geography

if TYPE_CHECKING:
    from datapakke.build import BuildSettings
    from datapakke.indicators.settings import ComputeSettings

app = typer.Typer(
    name="datapakke",
    help="Data packs (PDF) for the Danish health clusters, from pseudonymised register extracts.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
)
out = Console()
err = Console(stderr=True)
T = TypeVar("T")

DEFAULT_DATA = Path("sample_data")


class StandardChoice(StrEnum):
    """The standard population of standardised rates."""

    national = "national"
    esp2013 = "esp2013"


StandardOption = Annotated[
    StandardChoice,
    typer.Option(
        "--standard",
        help="Standard population: the country's own of the same year (national), "
        "or the European Standard Population 2013 (esp2013, age only).",
    ),
]
MinCountOption = Annotated[
    int,
    typer.Option(
        "--min-count",
        min=1,
        help="Disclosure threshold: counts from 1 to N-1 are never shown.",
    ),
]
DataOption = Annotated[
    Path | None,
    # Rich markup would swallow "[default: ...]"; the backslash keeps it.
    typer.Option("--data", help="Folder with the register extract \\[default: ./sample_data]."),
]
TemplatesOption = Annotated[
    Path | None,
    typer.Option("--templates", help="Folder of templates that override the bundled ones."),
]
ConfidenceOption = Annotated[
    float,
    typer.Option(
        "--confidence",
        min=50.0,
        max=99.9,
        help="Confidence level of every interval and comparison, in per cent.",
    ),
]
CatalogueOption = Annotated[
    Path | None,
    typer.Option("--catalogue", help="Your own indicator catalogue (TOML) instead of the bundled."),
]


def _compute_settings(
    standard: StandardChoice, min_count: int, confidence: float
) -> ComputeSettings:
    from datapakke.indicators.settings import ComputeSettings

    return ComputeSettings(standard=standard.value, min_count=min_count, level=confidence / 100)


class Format(StrEnum):
    """Which files ``build`` writes."""

    pdf = "pdf"
    html = "html"
    both = "both"


def _run(action: Callable[[], T]) -> T:
    """Run a command body; turn a DatapakkeError into a message and its exit code."""
    try:
        return action()
    except DatapakkeError as error:
        _fail(error)


def _fail(error: DatapakkeError) -> NoReturn:
    # Messages quote file contents and paths: escape them so that Rich prints "[x]" as is.
    err.print(f"[bold red]Error:[/] {escape(error.message)}", highlight=False, soft_wrap=True)
    if error.hint:
        err.print(escape(error.hint), highlight=False, soft_wrap=True)
    raise typer.Exit(int(error.exit_code))


def _warn(text: str) -> None:
    err.print(f"Warning: {text}", highlight=False, soft_wrap=True, markup=False)


def _version(value: bool) -> None:
    if value:
        out.print(f"datapakke {__version__}", highlight=False)
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Data packs (PDF) for the Danish health clusters, from pseudonymised register extracts."""


def _data_folder(data: Path | None) -> Path:
    if data is not None:
        return data
    if DEFAULT_DATA.is_dir():
        return DEFAULT_DATA
    raise InputError(
        "No data folder given, and there is no ./sample_data here.",
        hint="Use --data DIR with your register extract, or make synthetic data first: "
        "'datapakke sample --out sample_data'.",
    )


@app.command()
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
    standard: StandardOption = StandardChoice.national,
    min_count: MinCountOption = 5,
    confidence: ConfidenceOption = 95.0,
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
    from datapakke.build import BuildSettings, PackResult, build_packs

    def action() -> None:
        if (klynge is None) == (not all_klynger):
            raise InputError(
                "Give either --klynge NAME or --all.",
                hint="Run 'datapakke klynger' to list the clusters.",
            )
        if klynge is not None and (jobs is not None or fail_fast or force):
            raise InputError("--jobs, --fail-fast and --force go with --all only.")
        geography = load_geography()
        formats = {"pdf"} if output_format is Format.pdf else {"html"}
        if output_format is Format.both:
            formats = {"pdf", "html"}
        settings = BuildSettings(
            data=_data_folder(data),
            out=out_dir,
            formats=frozenset(formats),  # type: ignore[arg-type]
            templates=templates,
            compute=_compute_settings(standard, min_count, confidence),
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
            on_built=report, on_warning=_warn,
        )  # fmt: skip

    _run(action)


def _build_all(settings: BuildSettings, *, jobs: int | None, fail_fast: bool, force: bool) -> None:
    from datapakke.batch import BatchOptions, build_all
    from datapakke.progress import batch_progress, summary_line, summary_table

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


@app.command()
def klynger() -> None:
    """List every health cluster with its region, acute hospital and municipalities.

    [bold]Example[/]

      datapakke klynger
    """

    def action() -> None:
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

    _run(action)


@app.command()
def export(
    out_file: Annotated[
        Path, typer.Option("--out", help="File to write: .csv, .parquet or .xlsx.")
    ],
    data: DataOption = None,
    standard: StandardOption = StandardChoice.national,
    min_count: MinCountOption = 5,
    confidence: ConfidenceOption = 95.0,
    catalogue: CatalogueOption = None,
) -> None:
    """Write every indicator for every area and year (after disclosure control) to a file.

    The columns are the machine-readable contract: indicator_id, theme, area_level,
    area_code, area_name, year, numerator, denominator, value, lower, upper, unit,
    comparison, trend, flag. An .xlsx file has a sheet per theme and a definitions sheet.

    [bold]Examples[/]

      datapakke export --out indikatorer.csv
      datapakke export --data /data/udtraek --out indikatorer.xlsx --min-count 3
      datapakke export --out indikatorer.parquet --standard esp2013
    """
    from datapakke.build import load_results
    from datapakke.export import export_format, export_results

    def action() -> None:
        export_format(out_file)  # fail before the computation, not after
        extract, results = load_results(
            _data_folder(data),
            load_geography(),
            _compute_settings(standard, min_count, confidence),
            catalogue,
        )
        for warning in extract.warnings:
            _warn(warning)
        written = export_results(results, out_file)
        out.print(
            f"Wrote {written}: {results.indicators.height:,} rows "
            f"({len(results.catalogue.indicators)} indicators, years "
            f"{results.years[0]}-{results.years[-1]}).",
            highlight=False,
            soft_wrap=True,
        )

    _run(action)


@app.command()
def indicators(catalogue: CatalogueOption = None) -> None:
    """List the indicator catalogue: id, title, theme, method, unit, polarity, population.

    [bold]Examples[/]

      datapakke indicators
      datapakke indicators --catalogue mit-katalog.toml
    """
    from datapakke.catalog import load_catalogue

    def action() -> None:
        chosen = load_catalogue(catalogue)
        table = Table(title=f"Indikatorkatalog {chosen.version}", show_lines=False)
        table.add_column("id", no_wrap=True)  # ids are copied into catalogues: keep whole
        for header in ("Titel", "Tema", "Metode", "Enhed", "Polaritet", "Gruppe", "Tabeller"):
            table.add_column(header, overflow="fold")
        for i in chosen.indicators:
            table.add_row(
                i.id,
                i.title,
                i.theme,
                i.method,
                i.unit,
                i.polarity,
                i.age_group or "alle",
                ", ".join(i.tables),
            )
        out.print(table)

    _run(action)


@app.command()
def preview(
    klynge: Annotated[
        str, typer.Option("--klynge", "-k", help="Cluster id, name or alias, e.g. Horsensklyngen.")
    ],
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
    """Serve a cluster's pack as HTML that rebuilds and reloads as you edit.

    Watches the templates and CSS (yours and the bundled ones), the data folder and
    the catalogue. Only 127.0.0.1 can connect. Stop with Ctrl+C.

    [bold]Examples[/]

      datapakke preview --klynge Horsensklyngen
      datapakke preview -k byen --templates my_templates --port 8080
    """
    from datapakke.preview import PreviewSources, serve

    def action() -> None:
        sources = PreviewSources(
            data=_data_folder(data),
            templates=templates,
            compute=_compute_settings(standard, min_count, confidence),
            catalogue=catalogue,
        )
        serve(klynge, sources, port, on_event=_say)

    _run(action)


@app.command()
def validate(
    data: DataOption = None,
) -> None:
    """Check a register extract against the input contract and print a report.

    Exit code 0 when the data can be used (warnings allowed), 3 when they cannot.

    [bold]Examples[/]

      datapakke validate --data /data/udtraek
      datapakke validate
    """
    from datapakke.extracts.validate import validate_extract

    def action() -> None:
        validation = validate_extract(_data_folder(data), load_geography())
        validation.workdir.cleanup()
        out.print(validation.report.render(), highlight=False, soft_wrap=True, markup=False)
        if not validation.report.ok:
            raise typer.Exit(int(ExitCode.INVALID_INPUT))

    _run(action)


def _say(message: str) -> None:
    out.print(message, highlight=False, soft_wrap=True)


def _parse_years(text: str) -> range:
    match = re.fullmatch(r"\s*(\d{4})\s*(?:-\s*(\d{4})\s*)?", text)
    if not match:
        raise InputError(f"--years '{text}': expected a year or a span like 2020-2024.")
    first, last = int(match[1]), int(match[2] or match[1])
    if last < first or not 1990 <= first <= 2100 or last > 2100:
        raise InputError(f"--years '{text}': the span must run forwards, between 1990 and 2100.")
    return range(first, last + 1)


class SampleLayout(StrEnum):
    """How ``sample`` lays out the tables."""

    national = "national"
    per_cluster = "per-cluster"


class SampleFormat(StrEnum):
    """Which file format ``sample`` writes."""

    parquet = "parquet"
    csv = "csv"


@app.command()
def sample(
    out_dir: Annotated[Path, typer.Option("--out", help="Folder to write the extract to.")],
    scale: Annotated[
        float,
        typer.Option(
            min=0.0001, max=10.0, help="Population size relative to Denmark's (1 = 5.9 million)."
        ),
    ] = 0.05,
    seed: Annotated[
        int, typer.Option(help="Random seed; the same seed gives the same files.")
    ] = 2027,
    years: Annotated[
        str, typer.Option(help="Years on whose 1 January the population is counted.")
    ] = "2020-2024",
    layout: Annotated[
        SampleLayout,
        typer.Option(help="One national folder, or one sub-folder per cluster."),
    ] = SampleLayout.national,
    file_format: Annotated[
        SampleFormat, typer.Option("--format", help="Write Parquet or CSV files.")
    ] = SampleFormat.parquet,
) -> None:
    """Write a synthetic register extract of all six tables (deterministic; realistic levels).

    [bold]Examples[/]

      datapakke sample --out sample_data
      datapakke sample --out /tmp/dk --scale 1 --years 2015-2024
      datapakke sample --out /tmp/klynger --layout per-cluster --format csv
    """
    from datapakke.sample.generate import generate_sample

    def action() -> None:
        summary = generate_sample(
            out_dir,
            scale=scale,
            seed=seed,
            years=_parse_years(years),
            layout="per-cluster" if layout is SampleLayout.per_cluster else "national",
            file_format="csv" if file_format is SampleFormat.csv else "parquet",
        )
        for table, rows in summary.rows.items():
            files = [f for f in summary.files if f.name.startswith(f"{table}.")]
            where = str(files[0]) if len(files) == 1 else f"{len(files)} files in {out_dir}"
            out.print(f"Wrote {where}: {rows:,} {table} rows", highlight=False, soft_wrap=True)

    _run(action)


def main() -> None:
    """Entry point of the ``datapakke`` console script."""
    try:
        app()
    except DatapakkeError as error:  # raised outside a command body
        _fail(error)
    except KeyboardInterrupt:
        err.print("Interrupted.")
        sys.exit(130)
    except Exception as error:  # a bug: say so plainly, keep the traceback for debugging
        if os.environ.get("DATAPAKKE_DEBUG"):
            raise
        err.print(
            f"[bold red]Unexpected error:[/] {type(error).__name__}: {error}\n"
            "This is a bug in datapakke. Run again with DATAPAKKE_DEBUG=1 for the "
            "traceback and report it.",
            highlight=False,
        )
        sys.exit(int(ExitCode.ERROR))
