"""The ``datapakke`` command line: parse options, call the library, map errors to exit codes.

``app`` holds what every command shares; the commands live in ``packs`` (build,
klynger, preview) and ``data`` (validate, inspect, export, indicators, sample).
"""

from datapakke.cli.app import app, main
from datapakke.cli.data import export, indicators, inspect, sample, validate
from datapakke.cli.packs import build, klynger, preview

# In this order in `datapakke --help`: the everyday command first.
for command in (build, klynger, preview, validate, inspect, export, indicators, sample):
    app.command()(command)

__all__ = ["app", "main"]
