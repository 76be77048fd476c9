"""Commands that set a project up: show the settings in force (``config``) and copy the
bundled templates, catalogue and a commented datapakke.toml to start from (``init``)."""

from __future__ import annotations

from datapakke.cli.app import say
from datapakke.cli.command import takes_options
from datapakke.cli.config import Configuration
from datapakke.cli.listing import ListFormat, print_listing
from datapakke.cli.options import CONFIG


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
