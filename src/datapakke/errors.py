"""Errors a user can act on, and the exit codes the CLI maps them to."""

from __future__ import annotations

from enum import IntEnum

# The most characters of a value, line or URL that any message quotes: a report on a
# register extract must never echo whole rows (nor flood a terminal or a CI log).
EXCERPT_CHARACTERS = 80


class ExitCode(IntEnum):
    """Process exit codes (named, as in httpie's ExitStatus)."""

    OK = 0
    ERROR = 1  # unexpected failure: a bug, reported with a plea to file it
    USAGE = 2  # wrong usage: options, environment variables, datapakke.toml (Click's code too)
    INVALID_INPUT = 3  # data, catalogue, geography or template files are wrong
    UNKNOWN_AREA = 4  # a cluster name that matches nothing
    PARTIAL_FAILURE = 5  # a batch where some packs failed
    OUTPUT_ERROR = 6  # the output folder cannot be written
    SYSTEM_REQUIREMENT = 7  # a system library or font the PDF needs is missing


class DatapakkeError(Exception):
    """An error with a message for the user and, where possible, a hint on what to do."""

    exit_code: ExitCode = ExitCode.ERROR

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if self.hint is None else f"{self.message}\n{self.hint}"


class UsageError(DatapakkeError):
    """The command line, an environment variable or datapakke.toml asks for something wrong."""

    exit_code = ExitCode.USAGE


class InputError(DatapakkeError):
    """An input file (extract, catalogue, geography, template) cannot be used."""

    exit_code = ExitCode.INVALID_INPUT


class UnknownAreaError(DatapakkeError):
    """A cluster (or other area) name that matches nothing."""

    exit_code = ExitCode.UNKNOWN_AREA


class OutputError(DatapakkeError):
    """An output file cannot be written."""

    exit_code = ExitCode.OUTPUT_ERROR


def excerpt(text: str, limit: int = EXCERPT_CHARACTERS) -> str:
    """``text`` as a message may quote it: at most ``limit`` characters, "…" where cut.

    Line breaks and other control characters are shown as escapes, so a quoted value
    stays on one line and cannot move the cursor or recolour a terminal.
    """
    head = "".join(c if c.isprintable() else repr(c)[1:-1] for c in text[: limit + 1])
    return head if len(text) <= limit and len(head) <= limit else head[: limit - 1] + "…"
