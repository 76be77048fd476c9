"""Commands about data: validate an extract, export the indicators, list the catalogue,
make a synthetic extract."""

from __future__ import annotations

import re
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from datapakke.cli.app import data_folder, out, run, warn
from datapakke.cli.options import (
    CatalogueOption,
    ConfidenceOption,
    DataOption,
    MinCountOption,
    StandardOption,
    TrendConfidenceOption,
    compute_settings,
)
from datapakke.errors import ExitCode, InputError

# What a command computes with is imported inside it, after its options are checked.


def validate(
    data: DataOption = None,
) -> None:
    """Check a register extract against the input contract and print a report.

    Exit code 0 when the data can be used (warnings allowed), 3 when they cannot.

    [bold]Examples[/]

      datapakke validate --data /data/udtraek
      datapakke validate
    """

    def action() -> None:
        from datapakke.geography import load_geography
        from datapakke.inputs.validate import validate_extract

        validation = validate_extract(data_folder(data), load_geography())
        validation.workdir.cleanup()
        out.print(validation.report.render(), highlight=False, soft_wrap=True, markup=False)
        if not validation.report.ok:
            raise typer.Exit(int(ExitCode.INVALID_INPUT))

    run(action)


def export(
    out_file: Annotated[
        Path, typer.Option("--out", help="File to write: .csv, .parquet or .xlsx.")
    ],
    data: DataOption = None,
    standard: StandardOption = "national",
    min_count: MinCountOption = 5,
    confidence: ConfidenceOption = 95.0,
    trend_confidence: TrendConfidenceOption = 99.8,
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

    def action() -> None:
        from datapakke.engine.export import export_format, export_results
        from datapakke.geography import load_geography
        from datapakke.run.build import load_results

        export_format(out_file)  # fail before the computation, not after
        extract, results = load_results(
            data_folder(data),
            load_geography(),
            compute_settings(standard, min_count, confidence, trend_confidence),
            catalogue,
        )
        for warning in extract.warnings:
            warn(warning)
        written = export_results(results, out_file)
        out.print(
            f"Wrote {written}: {results.indicators.height:,} rows "
            f"({len(results.catalogue.indicators)} indicators, years "
            f"{results.years[0]}-{results.years[-1]}).",
            highlight=False,
            soft_wrap=True,
        )

    run(action)


def indicators(catalogue: CatalogueOption = None) -> None:
    """List the indicator catalogue: id, title, theme, method, unit, polarity, population.

    [bold]Examples[/]

      datapakke indicators
      datapakke indicators --catalogue mit-katalog.toml
    """

    def action() -> None:
        from datapakke.engine.catalogue import load_catalogue

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

    run(action)


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

    def action() -> None:
        span = _parse_years(years)
        from datapakke.sample.generate import generate_sample

        summary = generate_sample(
            out_dir,
            scale=scale,
            seed=seed,
            years=span,
            layout="per-cluster" if layout is SampleLayout.per_cluster else "national",
            file_format="csv" if file_format is SampleFormat.csv else "parquet",
        )
        for table, rows in summary.rows.items():
            files = [f for f in summary.files if f.name.startswith(f"{table}.")]
            where = str(files[0]) if len(files) == 1 else f"{len(files)} files in {out_dir}"
            out.print(f"Wrote {where}: {rows:,} {table} rows", highlight=False, soft_wrap=True)

    run(action)
