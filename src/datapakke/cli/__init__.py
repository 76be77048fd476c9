"""The ``datapakke`` command line: parse options, call the library, map errors to exit codes.

``app`` holds what every command shares; the commands live in ``packs`` (build,
omraader, klynger, preview) and ``data`` (validate, export, indicators, sample).
"""

from datapakke.cli.app import app, main
from datapakke.cli.data import export, indicators, sample, validate
from datapakke.cli.packs import build, klynger, omraader, preview

# In this order in `datapakke --help`: the everyday command first.
for command in (build, omraader, klynger, preview, validate, export, indicators, sample):
    app.command()(command)

__all__ = ["app", "main"]
