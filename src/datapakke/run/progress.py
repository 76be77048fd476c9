"""How a build shows itself: a progress bar on a terminal, one log line per pack elsewhere
(CI logs, pipes, files), and a summary table at the end.

Lines, warnings and failures go through the ``datapakke`` logger, so the command
line decides where they appear (stderr, a log file) and how much (``--quiet``).
"""

from __future__ import annotations

import logging
import os

from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from datapakke.run.batch import BatchProgress, BatchReport, PackOutcome

STATUS_STYLES = {"built": "green", "skipped": "cyan", "failed": "bold red", "not built": "yellow"}
LOGGER = logging.getLogger(__name__)


def batch_progress(console: Console, *, quiet: bool = False) -> BatchProgress:
    """A progress bar on a terminal; log lines elsewhere, when ``CI`` is set, or when quiet."""
    if console.is_terminal and not running_in_ci() and not quiet:
        return BarProgress(console)
    return LineProgress()


def running_in_ci() -> bool:
    """Whether the ``CI`` variable is set, as CI services (GitHub Actions, GitLab) do."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _report(outcome: PackOutcome, line: str) -> None:
    """A pack's line: an error for a failure (shown even when quiet), else information."""
    LOGGER.log(logging.ERROR if outcome.status == "failed" else logging.INFO, "%s", line)


class LineProgress:
    """One plain log line per pack, for logs."""

    def __init__(self) -> None:
        self.total = 0
        self.done = 0

    def begin(self, total: int) -> None:
        self.total = total
        LOGGER.info("Building %d pack(s)", total)

    def phase(self, message: str) -> None:
        LOGGER.info("%s", message)

    def warning(self, message: str) -> None:
        LOGGER.warning("%s", message)

    def pack_started(self, area_id: str) -> None:
        LOGGER.debug("%s: rendering", area_id)

    def pack_done(self, outcome: PackOutcome) -> None:
        self.done += 1
        width = len(str(self.total))
        counter = f"[{self.done:>{width}}/{self.total}]"
        _report(outcome, f"{counter} {outcome.area_id}: {describe(outcome)}")

    def end(self) -> None:
        pass


class BarProgress:
    """A rich progress bar naming the packs being rendered, with the time left; a spinner
    and the stage while the indicators are computed. Failures are printed above it."""

    def __init__(self, console: Console) -> None:
        self.bar = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("left"),
            TimeRemainingColumn(),
            console=console,
        )
        self.task: TaskID | None = None
        self.rendering: list[str] = []

    def begin(self, total: int) -> None:
        self.bar.start()
        self.task = self.bar.add_task("Building packs", total=total)

    def phase(self, message: str) -> None:
        self._describe(message)

    def warning(self, message: str) -> None:
        LOGGER.warning("%s", message)

    def pack_started(self, area_id: str) -> None:
        self.rendering.append(area_id)
        self._describe("Rendering " + ", ".join(self.rendering))

    def pack_done(self, outcome: PackOutcome) -> None:
        if outcome.area_id in self.rendering:
            self.rendering.remove(outcome.area_id)
            rendering = ", ".join(self.rendering)
            self._describe(f"Rendering {rendering}" if rendering else "Writing the manifest")
        if outcome.status == "failed":
            _report(outcome, f"{outcome.area_id} failed: {outcome.error or ''}")
        if self.task is not None:
            self.bar.advance(self.task)

    def end(self) -> None:
        self.bar.stop()

    def _describe(self, text: str) -> None:
        if self.task is not None:
            self.bar.update(self.task, description=escape(text))


def describe(outcome: PackOutcome) -> str:
    """A pack's outcome in a few words: built with pages, size and time, skipped, or why not."""
    match outcome.status:
        case "built":
            pages = f"{outcome.pages} pages, " if outcome.pages else ""
            return f"built, {pages}{human_size(outcome.size)}, {outcome.seconds:.1f} s"
        case "skipped":
            return "skipped (unchanged since the last build)"
        case _:
            return f"{outcome.status}: {outcome.error}"


def summary_table(report: BatchReport) -> Table:
    """One row per pack: area, pages, size, seconds, status, error."""
    table = Table(title="Packs", title_justify="left")
    table.add_column("area")
    table.add_column("pages", justify="right")
    table.add_column("size", justify="right")
    table.add_column("seconds", justify="right")
    table.add_column("status")
    table.add_column("error", overflow="fold")
    for outcome in report.outcomes:
        table.add_row(
            outcome.area_id,
            str(outcome.pages) if outcome.pages else "",
            human_size(outcome.size) if outcome.outputs else "",
            f"{outcome.seconds:.1f}" if outcome.status in ("built", "failed") else "",
            f"[{STATUS_STYLES[outcome.status]}]{outcome.status}[/]",
            escape(outcome.error or ""),
        )
    return table


def summary_line(report: BatchReport) -> str:
    """Counts and times of the whole batch, and where the manifest is."""
    counts = ", ".join(
        f"{report.count(status)} {status}"
        for status in ("built", "skipped", "failed", "not built")
        if report.count(status) or status == "built"
    )
    packs = "1 pack" if len(report.outcomes) == 1 else f"{len(report.outcomes)} packs"
    return (
        f"{packs}: {counts} in {report.seconds:.1f} s "
        f"(indicators {report.compute_seconds:.1f} s, {report.jobs} job(s)). "
        f"Manifest: {report.manifest}"
    )


def human_size(size: int) -> str:
    """Bytes as B, kB or MB (decimal units, one decimal above 1 MB)."""
    if size < 1000:
        return f"{size} B"
    if size < 1_000_000:
        return f"{size / 1000:.0f} kB"
    return f"{size / 1_000_000:.1f} MB"
