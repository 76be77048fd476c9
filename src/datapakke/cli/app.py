"""The Typer app and what every command shares: the consoles, error messages, the entry point.

Results (tables, what was written) go to stdout; progress, warnings and errors to
stderr, so a pipe gets only the results.
"""

from __future__ import annotations

import os
import sys
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.markup import escape

from datapakke import __version__
from datapakke.cli.logs import shows_info
from datapakke.errors import DatapakkeError, ExitCode

app = typer.Typer(
    name="datapakke",
    help="Data packs (PDF) for the Danish health clusters, from pseudonymised register extracts.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
)
out = Console()
err = Console(stderr=True)


def fail(error: DatapakkeError) -> NoReturn:
    """Print the error and its hint on stderr and exit with the error's code."""
    print_error(error)
    raise typer.Exit(int(error.exit_code))


def print_error(error: DatapakkeError) -> None:
    """The error and its hint on stderr."""
    # Messages quote file contents and paths: escape them so that Rich prints "[x]" as is.
    err.print(f"[bold red]Error:[/] {escape(error.message)}", highlight=False, soft_wrap=True)
    if error.hint:
        err.print(escape(error.hint), highlight=False, soft_wrap=True)


def say(message: str) -> None:
    """A result line on stdout, printed as is (``--quiet`` leaves it out)."""
    if shows_info():
        out.print(message, highlight=False, soft_wrap=True, markup=False)


def _version(value: bool) -> None:
    if value:
        out.print(f"datapakke {__version__}", highlight=False)
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option("--version", "-V", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Data packs (PDF) for the Danish health clusters, from pseudonymised register extracts.

    [bold]Examples[/]

      datapakke build --klynge Horsensklyngen
      datapakke build --all --out packs
      datapakke init mit-projekt
    """


def main() -> None:
    """Entry point of the ``datapakke`` console script."""
    try:
        app()
    except DatapakkeError as error:  # raised outside a command body
        print_error(error)
        sys.exit(int(error.exit_code))
    except KeyboardInterrupt:
        err.print("Interrupted.")
        sys.exit(130)
    except Exception as error:  # a bug: say so plainly, keep the traceback for debugging
        if os.environ.get("DATAPAKKE_DEBUG"):
            raise
        err.print(
            f"[bold red]Unexpected error:[/] {escape(f'{type(error).__name__}: {error}')}\n"
            "This is a bug in datapakke. Run again with DATAPAKKE_DEBUG=1 for the "
            "traceback and report it.",
            highlight=False,
        )
        sys.exit(int(ExitCode.ERROR))
