"""Logging for a command: messages on stderr (``--quiet``: warnings and errors only,
``--verbose``: everything), and with ``--log FILE`` every record, with its time, in FILE.

The library logs through the standard ``logging`` module under the ``datapakke``
logger; results (tables, what was written) go to stdout and are not log records.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from pathlib import Path

from rich.console import Console

from datapakke.errors import OutputError, UsageError

LOGGER = logging.getLogger("datapakke")  # the library's and the CLI's records end here
CLI_LOGGER = logging.getLogger("datapakke.cli")


class ConsoleHandler(logging.Handler):
    """Records as plain lines on a Rich console (so they stay above a progress bar)."""

    def __init__(self, console: Console, level: int) -> None:
        super().__init__(level)
        self.console = console

    def emit(self, record: logging.LogRecord) -> None:
        if getattr(record, "console", True) is False:
            return  # already printed another way (an error and its hint)
        try:
            text = record.getMessage()
            if record.levelno == logging.WARNING:
                text = f"Warning: {text}"
            self.console.print(text, markup=False, highlight=False, soft_wrap=True)
        except Exception:
            self.handleError(record)


def console_level(*, quiet: bool, verbose: bool) -> int:
    """The level shown on the console for ``--quiet`` / ``--verbose``."""
    if quiet and verbose:
        raise UsageError("Give --quiet or --verbose, not both.")
    return logging.WARNING if quiet else logging.DEBUG if verbose else logging.INFO


@contextlib.contextmanager
def logging_to(console: Console, level: int, log_file: Path | None) -> Iterator[None]:
    """Send the ``datapakke`` logger to ``console`` at ``level`` and, if given, to ``log_file``
    at every level, for the duration of one command."""
    handlers: list[logging.Handler] = [ConsoleHandler(console, level)]
    if log_file is not None:
        try:
            file_handler = logging.FileHandler(log_file, encoding="utf-8")
        except OSError as error:
            raise OutputError(
                f"{log_file}: cannot write the log file ({error.strerror or error})."
            ) from None
        file_handler.setFormatter(
            logging.Formatter("%(asctime)s %(levelname)-7s %(name)s: %(message)s")
        )
        handlers.append(file_handler)
    previous = LOGGER.level
    LOGGER.setLevel(logging.DEBUG)
    for handler in handlers:
        LOGGER.addHandler(handler)
    try:
        yield
    finally:
        for handler in handlers:
            LOGGER.removeHandler(handler)
            handler.close()
        LOGGER.setLevel(previous)


def shows_info() -> bool:
    """Whether informational lines are shown (not ``--quiet``)."""
    return any(isinstance(h, ConsoleHandler) and h.level <= logging.INFO for h in LOGGER.handlers)
