"""The ``datapakke`` command line: parse options, call the library, map errors to exit codes.

``app`` holds the consoles and the entry point; ``options`` declares every setting
once, ``config`` resolves them (flag > environment > datapakke.toml > default) and
``command`` gives them to the commands, which live in ``packs`` (build, omraader,
klynger, preview), ``data`` (validate, inspect, export, indicators, sample) and ``setup``
(config, init).

May import: everything.
"""

from datapakke.cli.app import app, main
from datapakke.cli.data import export, indicators, inspect, sample, validate
from datapakke.cli.packs import build, klynger, omraader, preview
from datapakke.cli.setup import init, show_config

# In this order in `datapakke --help`: the everyday command first.
for command in (build, omraader, klynger, preview, validate, inspect, export, indicators, sample):
    app.command()(command)
app.command("config")(show_config)
app.command()(init)

__all__ = ["app", "main"]
