"""The Typer app and what every command shares: consoles, error handling, the data folder."""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, NoReturn, TypeVar

import typer
from rich.console import Console
from rich.markup import escape

from datapakke import __version__
from datapakke.errors import DatapakkeError, ExitCode, InputError, excerpt
from datapakke.run.stops import Stopped, stop_on_signals

app = typer.Typer(
    name="datapakke",
    help="Data packs (PDF) for the Danish health clusters, from pseudonymised register extracts.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
)
# No emoji codes: messages quote data, and ":x:" in "root:x:0" must stay as it is.
out = Console(emoji=False)
err = Console(stderr=True, emoji=False)
T = TypeVar("T")

DEFAULT_DATA = Path("sample_data")


def run(action: Callable[[], T]) -> T:
    """Run a command body; turn a DatapakkeError into a message and its exit code."""
    try:
        return action()
    except DatapakkeError as error:
        fail(error)


def fail(error: DatapakkeError) -> NoReturn:
    """Print the error and its hint on stderr and exit with the error's code."""
    # Messages quote file contents and paths: escape them so that Rich prints "[x]" as is.
    err.print(f"[bold red]Error:[/] {escape(error.message)}", highlight=False, soft_wrap=True)
    if error.hint:
        err.print(escape(error.hint), highlight=False, soft_wrap=True)
    raise typer.Exit(int(error.exit_code))


def warn(text: str) -> None:
    """A warning on stderr (the data can still be used)."""
    err.print(f"Warning: {text}", highlight=False, soft_wrap=True, markup=False)


def alarm(text: str) -> None:
    """A warning on stderr that must not be missed (in bold red on a terminal)."""
    err.print(f"[bold red]WARNING: {escape(text)}[/]", highlight=False, soft_wrap=True)


def _version(value: bool) -> None:
    if value:
        out.print(f"datapakke {__version__}", highlight=False)
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Data packs (PDF) for the Danish health clusters, from pseudonymised register extracts."""


def data_folder(data: Path | None) -> Path:
    """The extract folder: --data, else ./sample_data if present, else a clear error."""
    if data is not None:
        return data
    if DEFAULT_DATA.is_dir():
        return DEFAULT_DATA
    raise InputError(
        "No data folder given, and there is no ./sample_data here.",
        hint="Use --data DIR with your register extract, or make synthetic data first: "
        "'datapakke sample --out sample_data'.",
    )


def say(message: str) -> None:
    """A line for the user on stdout, printed as is."""
    out.print(message, highlight=False, soft_wrap=True)


def main() -> None:
    """Entry point of the ``datapakke`` console script."""
    stop_on_signals()  # SIGTERM and SIGHUP unwind the run, so temporary files go with it
    try:
        app()
    except DatapakkeError as error:  # raised outside a command body
        fail(error)
    except KeyboardInterrupt:
        err.print("Interrupted.")
        sys.exit(130)
    except Stopped as stop:
        err.print(f"Stopped ({signal.Signals(stop.signum).name}).", highlight=False)
        sys.exit(stop.exit_code)
    except Exception as error:  # a bug: say so plainly, keep the traceback for debugging
        if os.environ.get("DATAPAKKE_DEBUG"):
            raise
        err.print(
            f"[bold red]Unexpected error:[/] {type(error).__name__}: "
            f"{escape(excerpt(str(error)))}\n"
            "This is a bug in datapakke. Run again with DATAPAKKE_DEBUG=1 for the "
            "traceback and report it.",
            highlight=False,
        )
        sys.exit(int(ExitCode.ERROR))
