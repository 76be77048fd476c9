"""Commands about data: validate an extract, inspect its files, export the indicators,
list the catalogue, make a synthetic extract."""

from __future__ import annotations

import re
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from datapakke.cli.app import out, say
from datapakke.cli.areas import chosen_settings, geography_of
from datapakke.cli.command import takes_options
from datapakke.cli.config import Configuration
from datapakke.cli.listing import ListFormat, ListFormatOption, Value, print_listing
from datapakke.cli.logs import CLI_LOGGER
from datapakke.cli.options import EXPORT, INDICATORS, INSPECT, VALIDATE
from datapakke.errors import ExitCode, UsageError
from datapakke.inputs.integrity import warm_up


@takes_options(VALIDATE)
def validate(*, config: Configuration) -> None:
    """Check a register extract against the input contract and print a report.

    Exit code 0 when the data can be used (warnings allowed), 3 when they cannot.

    [bold]Examples[/]

      datapakke validate --data /data/udtraek
      datapakke validate --data /data/rawdata --mapping mapping.toml
      datapakke validate
    """
    settings = chosen_settings(config)
    geography = geography_of(settings)
    warm_up()  # the Parquet decode child starts beside the imports below
    from datapakke.engine.catalogue import load_catalogue
    from datapakke.inputs.validate import validate_extract

    catalogue = load_catalogue(settings.catalogue)
    validation = validate_extract(
        settings.data,
        geography,
        needed_by=catalogue.indicators_by_table(),
        series_needed=catalogue.indicators_by_series(),
        mapping=settings.mapping,
    )
    report = validation.report
    if validation.tables is not None:  # the checks a build makes of the aggregate rows
        from datapakke.engine.published import with_aggregate_checks

        report = with_aggregate_checks(
            report, validation.tables["befolkning"], validation.aggregates, catalogue.indicators
        )
    validation.workdir.cleanup()
    out.print(report.render(), highlight=False, soft_wrap=True, markup=False)
    if not report.ok:
        raise typer.Exit(int(ExitCode.INVALID_INPUT))


@takes_options(EXPORT)
def export(
    out_file: Annotated[
        Path, typer.Option("--out", help="File to write: .csv, .parquet or .xlsx.")
    ],
    *,
    config: Configuration,
) -> None:
    """Write every indicator for every area and year (after disclosure control) to a file.

    The columns are the machine-readable contract: indicator_id, theme, area_level,
    area_code, area_name, year, numerator, denominator, value, lower, upper, unit,
    comparison, trend, flag. area_level is kommune, the area set's own level (sundhedsraad
    or klynge), region or land. CSV and Parquet hold full precision, a hidden value empty
    with its reason in flag. An .xlsx file is for reading: a sheet per theme with the
    pack's decimals and its marks for hidden values, then definitions and settings (with
    the area set).

    [bold]Examples[/]

      datapakke export --out indikatorer.csv
      datapakke export --out indikatorer.csv --csv-dialekt excel-da
      datapakke export --out raad.xlsx --inddeling sundhedsraad-2027
      datapakke export --data /data/udtraek --out indikatorer.xlsx --min-count 3
      datapakke export --out indikatorer.parquet --standard esp2013
    """
    from datapakke.run.export import export_format

    export_format(out_file)  # fail before the computation, not after
    settings = chosen_settings(config)
    geography = geography_of(settings)
    warm_up()  # the Parquet decode child starts beside the imports below
    from datapakke.run.export import export_results
    from datapakke.run.load import load_results

    extract, results = load_results(settings, geography)
    for warning in (*extract.warnings, *results.warnings):
        CLI_LOGGER.warning("%s", warning)
    written = export_results(results, out_file, csv_dialect=settings.csv_dialect)
    say(
        f"Wrote {written}: {results.indicators.height:,} rows "
        f"({len(results.catalogue.indicators)} indicators, years "
        f"{results.years[0]}-{results.years[-1]})."
    )


@takes_options(INDICATORS)
def indicators(
    listing_format: ListFormatOption = ListFormat.table, *, config: Configuration
) -> None:
    """List the indicator catalogue: id, title, theme, method, unit, polarity, population.

    [bold]Examples[/]

      datapakke indicators
      datapakke indicators --catalogue mit-katalog.toml --format csv > indikatorer.csv
    """
    from datapakke.engine.catalogue import load_catalogue

    chosen = load_catalogue(config.settings().catalogue)
    rows: list[dict[str, Value]] = [
        {
            "id": i.id,
            "titel": i.title,
            "tema": i.theme,
            "metode": i.method,
            "enhed": i.unit,
            "polaritet": i.polarity,
            "gruppe": i.age_group or "alle",
            "tabeller": list(i.tables),
        }
        for i in chosen.indicators
    ]
    columns = [("id", "id"), ("titel", "Titel"), ("tema", "Tema"), ("metode", "Metode"),
               ("enhed", "Enhed"), ("polaritet", "Polaritet"), ("gruppe", "Gruppe"),
               ("tabeller", "Tabeller")]  # fmt: skip
    print_listing(f"Indikatorkatalog {chosen.version}", columns, rows, listing_format)


def _parse_years(text: str) -> range:
    match = re.fullmatch(r"\s*(\d{4})\s*(?:-\s*(\d{4})\s*)?", text)
    if not match:
        raise UsageError(f"--years '{text}': expected a year or a span like 2020-2024.")
    first, last = int(match[1]), int(match[2] or match[1])
    if last < first or not 1990 <= first <= 2100 or last > 2100:
        raise UsageError(f"--years '{text}': the span must run forwards, between 1990 and 2100.")
    return range(first, last + 1)


class SampleLayout(StrEnum):
    """How ``sample`` lays out the tables."""

    national = "national"
    per_cluster = "per-cluster"
    dst = "dst"


class SampleFormat(StrEnum):
    """Which file format ``sample`` writes."""

    parquet = "parquet"
    csv = "csv"


@takes_options("sample")
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
        typer.Option(
            help="One national folder, one sub-folder per cluster, or the registers as DST "
            "delivers them (BEF, DOD, LPR_A, LPR2, LMDB period files)."
        ),
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
      datapakke sample --out /tmp/dst --layout dst
    """
    span = _parse_years(years)
    from datapakke.sample.generate import generate_sample

    summary = generate_sample(
        out_dir,
        scale=scale,
        seed=seed,
        years=span,
        layout=layout.value,
        file_format="csv" if file_format is SampleFormat.csv else "parquet",
    )
    if layout is SampleLayout.dst:
        say(
            f"Wrote {len(summary.files) - len(summary.aggregates)} files in the DST layouts "
            f"to {out_dir} ({summary.rows['befolkning']:,} person-years, "
            f"{summary.rows['kontakter']:,} contacts)."
        )
    else:
        for table, rows in summary.rows.items():
            files = [f for f in summary.files if f.name.startswith(f"{table}.")]
            where = str(files[0]) if len(files) == 1 else f"{len(files)} files in {out_dir}"
            say(f"Wrote {where}: {rows:,} {table} rows")
    for path, rows in summary.aggregates.items():
        say(f"Wrote {path}: {rows:,} rows of synthetic aggregate inputs")


@takes_options(INSPECT)
def inspect(
    write: Annotated[
        Path | None,
        typer.Option(
            "--write",
            help="Also write a starting mapping file (TOML) with the best guesses.",
            metavar="FILE",
        ),
    ] = None,
    *,
    config: Configuration,
) -> None:
    """Show what each file holds (columns, types, a few values; never whole rows, never ids).

    Says which files are recognised as contract tables or delivered registers; with
    --write, writes a mapping file for the rest, to check and pass to --mapping.
    Exit code 0 (a file that cannot be read is listed with why), 3 when the data folder
    or the mapping file cannot be used, 2 when the --write file exists.

    [bold]Examples[/]

      datapakke inspect --data /data/rawdata
      datapakke inspect --data /data/rawdata --write mapping.toml
      datapakke validate --data /data/rawdata --mapping mapping.toml
    """
    if write is not None and write.exists():
        raise UsageError(
            f"{write} exists already; inspect does not overwrite a mapping file.",
            hint="Name another file, or remove this one first.",
        )
    settings = chosen_settings(config)
    geography = geography_of(settings)
    from datapakke.files import write_text
    from datapakke.inputs.inspect import inspect_folder, render, starting_mapping
    from datapakke.inputs.mapping import load_mapping
    from datapakke.inputs.validate import check_folder

    check_folder(settings.data)
    mapping = load_mapping(settings.mapping, settings.data)
    inspected = inspect_folder(settings.data, geography, mapping)
    for line in render(settings.data, inspected):
        out.print(line, highlight=False, soft_wrap=True, markup=False)
    if write is not None:
        write_text(write, starting_mapping(settings.data, inspected))
        say(f"Wrote {write}.")
