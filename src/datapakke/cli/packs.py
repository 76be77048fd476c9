"""Commands about packs: build (any areas, or all of a set), preview, and the lists of areas."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from datapakke.cli.app import err, out, say
from datapakke.cli.areas import (
    KLYNGER,
    AllOption,
    KlyngeOption,
    KommuneOption,
    OmraadeOption,
    RaadOption,
    RegionOption,
    area_options,
    check_one,
    check_targets,
    chosen_areas,
    chosen_settings,
    geography_of,
)
from datapakke.cli.command import takes_options
from datapakke.cli.config import Configuration
from datapakke.cli.listing import ListFormat, ListFormatOption, Value, print_listing
from datapakke.cli.logs import shows_info
from datapakke.cli.options import AREAS, BUILD, PREVIEW
from datapakke.inputs.integrity import warm_up

if TYPE_CHECKING:
    from datapakke.geography import AreaKey, Geography


@takes_options(BUILD)
def build(
    raad: RaadOption = None,
    klynge: KlyngeOption = None,
    kommune: KommuneOption = None,
    region: RegionOption = None,
    omraade: OmraadeOption = None,
    all_areas: AllOption = False,
    *,
    config: Configuration,
) -> None:
    """Build the data packs of the councils, clusters, municipalities or regions named
    (each option may be repeated), or of every area of the set with --all.

    The indicators are computed once and the packs rendered in parallel; packs
    whose inputs, settings, templates, area set and version are unchanged since the
    last build into OUT are skipped (--force rebuilds them), and OUT/manifest.json and
    OUT/index.html record what was read and written. Exit code 5 means some packs
    failed (the others are built); when none could be built for one reason, the
    code is that reason's (3 for a broken template).

    [bold]Examples[/]

      datapakke build --raad Horsens
      datapakke build --kommune Odder --region Midtjylland
      datapakke build --all --inddeling sundhedsraad-2027 --jobs 4 --out packs
      datapakke build -k horsens -k byen --data /data/udtraek --out packs --format both
    """
    options = area_options(raad, klynge, kommune, region, omraade, all_areas=all_areas)
    check_targets(options)
    settings = chosen_settings(config, options)
    warm_up()  # the Parquet decode child starts beside the imports below
    from datapakke.run.batch import build_packs
    from datapakke.run.progress import batch_progress, summary_line, summary_table

    geography = geography_of(settings)
    chosen = chosen_areas(options, geography)
    report = build_packs(chosen, settings, geography, batch_progress(err, quiet=not shows_info()))
    if shows_info():
        out.print(summary_table(report))
        say(summary_line(report))
    if not report.ok:
        raise typer.Exit(int(report.exit_code))


@takes_options(AREAS)
def omraader(listing_format: ListFormatOption = ListFormat.table, *, config: Configuration) -> None:
    """List the areas of a set with their region, acute hospital and municipalities.

    Without --inddeling or --geografi: the set in force on the build date.

    [bold]Examples[/]

      datapakke omraader --inddeling sundhedsraad-2027
      datapakke omraader --inddeling klynger-2022 --format csv > klynger.csv
      datapakke omraader --geografi mine-distrikter.csv --format json
    """
    _list_areas(geography_of(chosen_settings(config)), listing_format)


@takes_options("klynger")
def klynger(listing_format: ListFormatOption = ListFormat.table) -> None:
    """List the 22 health clusters of 2022-2026 (as 'omraader --inddeling klynger-2022').

    [bold]Examples[/]

      datapakke klynger
      datapakke klynger --format csv > klynger.csv
      datapakke klynger --format json
    """
    from datapakke.geography import load_geography

    _list_areas(load_geography(KLYNGER), listing_format)


def _list_areas(geography: Geography, listing_format: ListFormat) -> None:
    area_set = geography.area_set
    rows: list[dict[str, Value]] = [
        {
            "id": area.id,
            "navn": area.navn,
            "region": geography.region_of(area).navn,
            "akuthospital": area.akuthospital,
            "kommuner": sorted(geography.kommuner[c].navn for c in area.kommunekoder),
            "sammensaetning": area.sikkerhed,
        }
        for area in geography.areas.values()
    ]
    word = area_set.words.ental
    columns = [("id", "id"), ("navn", word[:1].upper() + word[1:]), ("region", "Region"),
               ("akuthospital", "Akuthospital"), ("kommuner", "Kommuner"),
               ("sammensaetning", "Sammensætning")]  # fmt: skip
    print_listing(f"{area_set.navn} ({area_set.source})", columns, rows, listing_format)


@takes_options(PREVIEW)
def preview(
    raad: RaadOption = None,
    klynge: KlyngeOption = None,
    kommune: KommuneOption = None,
    region: RegionOption = None,
    omraade: OmraadeOption = None,
    port: Annotated[
        int, typer.Option(min=0, max=65535, help="Port on 127.0.0.1 (0 picks a free one).")
    ] = 8000,
    *,
    config: Configuration,
) -> None:
    """Serve one area's pack as HTML that rebuilds and reloads as you edit.

    Watches the templates and CSS (yours and the bundled ones), the data folder, the
    catalogue and your own area set. Only 127.0.0.1 can connect. Stop with Ctrl+C.

    [bold]Examples[/]

      datapakke preview --raad Horsens
      datapakke preview --klynge Horsensklyngen
      datapakke preview -k byen --templates my_templates --port 8080
    """
    options = area_options(raad, klynge, kommune, region, omraade)
    check_one(options)
    settings = chosen_settings(config, options)
    warm_up()  # the Parquet decode child starts beside the imports below
    from datapakke.preview.server import serve

    def choose() -> tuple[Geography, AreaKey]:
        geography = geography_of(settings)
        return geography, chosen_areas(options, geography)[0]

    choose()  # a wrong name fails here, before the server starts
    serve(choose, settings, port, on_event=say)
