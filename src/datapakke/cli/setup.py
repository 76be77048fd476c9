"""Commands that set a project up: show the settings in force (``config``) and copy the
bundled templates, catalogue and a commented datapakke.toml to start from (``init``)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from datapakke.cli.app import say
from datapakke.cli.command import takes_options
from datapakke.cli.config import Configuration
from datapakke.cli.listing import ListFormat, print_listing
from datapakke.cli.options import CONFIG
from datapakke.cli.scaffold import files_written, init_project


@takes_options(CONFIG)
def show_config(*, config: Configuration) -> None:
    """Show every setting, its value and where it comes from: a flag, a DATAPAKKE_*
    environment variable, datapakke.toml, or the default (in that order of precedence).

    Give it the flags of another command to see what that command would use.

    [bold]Examples[/]

      datapakke config
      datapakke config --config /projekt/datapakke.toml
      DATAPAKKE_MIN_COUNT=10 datapakke config --jobs 2
    """
    where = f"{config.file.path}" if config.file else "none (no ./datapakke.toml here)"
    say(f"Configuration file: {where}")
    rows = [{"setting": key, "value": value, "source": source}
            for key, value, source in config.describe()]  # fmt: skip
    columns = [("setting", "Setting"), ("value", "Value"), ("source", "From")]
    print_listing("Settings", columns, rows, ListFormat.table)


@takes_options("init")
def init(
    folder: Annotated[Path, typer.Argument(help="The project folder (created if need be).")],
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite the files an earlier init wrote.")
    ] = False,
) -> None:
    """Start a project: a commented datapakke.toml, templates that extend the bundled
    ones (pack.html.j2, custom.css), the bundled templates to read (reference/) and a
    copy of the indicator catalogue (katalog.toml). Existing files are never
    overwritten without --force.

    [bold]Examples[/]

      datapakke init mit-projekt
      cd mit-projekt && datapakke build --klynge Horsensklyngen --data /data/udtraek
    """
    written = init_project(folder, force=force)
    say(f"Wrote {len(written)} files in {folder}:")
    for line in files_written(written, folder):
        say(line)
    say(
        f"Next: set data in {folder / 'datapakke.toml'}, then run datapakke in that folder, "
        "e.g. 'datapakke build --klynge Horsensklyngen'."
    )
