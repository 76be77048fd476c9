"""Commands about packs: build (a chosen few, or all), preview, and the list of clusters."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from datapakke.cli.app import err, out, say
from datapakke.cli.command import takes_options
from datapakke.cli.config import Configuration
from datapakke.cli.listing import ListFormat, ListFormatOption, print_listing
from datapakke.cli.logs import shows_info
from datapakke.cli.options import BUILD, PREVIEW
from datapakke.errors import UsageError

if TYPE_CHECKING:
    from datapakke.geography import Geography, Klynge

KlyngeOption = Annotated[
    list[str] | None,
    typer.Option("--klynge", "-k", help="Cluster id, name or alias; repeat it to build several."),
]


@takes_options(BUILD)
def build(
    klynge: KlyngeOption = None,
    all_klynger: Annotated[bool, typer.Option("--all", help="Build every cluster's pack.")] = False,
    *,
    config: Configuration,
) -> None:
    """Build the data packs of the clusters named with --klynge, or of all.

    The indicators are computed once and the packs rendered in parallel; packs
    whose inputs, settings, templates and version are unchanged since the last
    build into OUT are skipped (--force rebuilds them), and OUT/manifest.json and
    OUT/index.html record what was read and written. Exit code 5 means some packs
    failed (the others are built); when none could be built for one reason, the
    code is that reason's (3 for a broken template).

    [bold]Examples[/]

      datapakke build --klynge Horsensklyngen
      datapakke build -k horsens -k byen --data /data/udtraek --out packs --format both
      datapakke build --all --jobs 4 --out packs
    """
    if not klynge and not all_klynger:
        raise UsageError(
            "Give either --klynge NAME (one or more) or --all.",
            hint="Run 'datapakke klynger' to list the clusters.",
        )
    if klynge and all_klynger:
        raise UsageError("Give either --klynge or --all, not both.")
    settings = config.settings()

    from datapakke.geography import load_geography
    from datapakke.run.batch import build_packs
    from datapakke.run.progress import batch_progress, summary_line, summary_table

    geography = load_geography()
    chosen = list(geography.klynger.values()) if all_klynger else _find_each(geography, klynge)
    report = build_packs(chosen, settings, geography, batch_progress(err, quiet=not shows_info()))
    if shows_info():
        out.print(summary_table(report))
        say(summary_line(report))
    if not report.ok:
        raise typer.Exit(int(report.exit_code))


def _find_each(geography: Geography, names: list[str] | None) -> list[Klynge]:
    """The clusters named, in the order given, each once; any unknown name stops the build."""
    found: dict[str, Klynge] = {}
    for name in names or []:
        klynge = geography.find_klynge(name)
        found.setdefault(klynge.id, klynge)
    return list(found.values())


@takes_options("klynger")
def klynger(listing_format: ListFormatOption = ListFormat.table) -> None:
    """List every health cluster with its region, acute hospital and municipalities.

    [bold]Examples[/]

      datapakke klynger
      datapakke klynger --format csv > klynger.csv
      datapakke klynger --format json
    """
    from datapakke.geography import load_geography

    geography = load_geography()
    rows = [
        {
            "id": k.id,
            "navn": k.navn,
            "region": geography.region_of(k).navn,
            "akuthospital": k.akuthospital,
            "kommuner": sorted(geography.kommuner[c].navn for c in k.kommunekoder),
            "sammensaetning": "bekræftet" if k.bekraeftet else "ubekræftet",
        }
        for k in geography.klynger.values()
    ]
    columns = [("id", "id"), ("navn", "Klynge"), ("region", "Region"),
               ("akuthospital", "Akuthospital"), ("kommuner", "Kommuner"),
               ("sammensaetning", "Sammensætning")]  # fmt: skip
    print_listing("Sundhedsklynger", columns, rows, listing_format)


@takes_options(PREVIEW)
def preview(
    klynge: Annotated[
        str, typer.Option("--klynge", "-k", help="Cluster id, name or alias, e.g. Horsensklyngen.")
    ],
    port: Annotated[
        int, typer.Option(min=0, max=65535, help="Port on 127.0.0.1 (0 picks a free one).")
    ] = 8000,
    *,
    config: Configuration,
) -> None:
    """Serve a cluster's pack as HTML that rebuilds and reloads as you edit.

    Watches the templates and CSS (yours and the bundled ones), the data folder and
    the catalogue. Only 127.0.0.1 can connect. Stop with Ctrl+C.

    [bold]Examples[/]

      datapakke preview --klynge Horsensklyngen
      datapakke preview -k byen --templates my_templates --port 8080
    """
    settings = config.settings()
    from datapakke.preview.server import serve

    serve(klynge, settings, port, on_event=say)
