"""How a batch shows itself: a progress bar on a terminal, one log line per pack elsewhere
(CI logs, pipes, files), and a summary table at the end."""

from __future__ import annotations

import os

from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from datapakke.run.batch import BatchProgress, BatchReport, PackOutcome

STATUS_STYLES = {"built": "green", "skipped": "cyan", "failed": "bold red", "not built": "yellow"}


def batch_progress(console: Console) -> BatchProgress:
    """A progress bar on a terminal; plain log lines elsewhere, or when ``CI`` is set."""
    if console.is_terminal and not running_in_ci():
        return BarProgress(console)
    return LineProgress(console)


def running_in_ci() -> bool:
    """Whether the ``CI`` variable is set, as CI services (GitHub Actions, GitLab) do."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


class LineProgress:
    """One plain line per pack, for logs."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self.total = 0
        self.done = 0

    def begin(self, total: int) -> None:
        self.total = total
        self.console.print(f"Building {total} pack(s)", highlight=False)

    def phase(self, message: str) -> None:
        self.console.print(message, highlight=False)

    def warning(self, message: str) -> None:
        self.console.print(f"Warning: {message}", markup=False, highlight=False, soft_wrap=True)

    def pack_done(self, outcome: PackOutcome) -> None:
        self.done += 1
        width = len(str(self.total))
        self.console.print(
            f"[{self.done:>{width}}/{self.total}] {outcome.area_id}: {describe(outcome)}",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )

    def end(self) -> None:
        pass


class BarProgress:
    """A rich progress bar; failures are printed above it as they happen."""

    def __init__(self, console: Console) -> None:
        self.bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
        )
        self.task: TaskID | None = None

    def begin(self, total: int) -> None:
        self.bar.start()
        self.task = self.bar.add_task("Building packs", total=total)

    def phase(self, message: str) -> None:
        if self.task is not None:
            self.bar.update(self.task, description=message)

    def warning(self, message: str) -> None:
        self.bar.console.print(f"[yellow]Warning:[/] {escape(message)}", highlight=False)

    def pack_done(self, outcome: PackOutcome) -> None:
        if outcome.status == "failed":
            self.bar.console.print(
                f"[bold red]{outcome.area_id} failed:[/] {escape(outcome.error or '')}",
                highlight=False,
            )
        if self.task is not None:
            self.bar.advance(self.task)

    def end(self) -> None:
        self.bar.stop()


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
    return (
        f"{len(report.outcomes)} packs: {counts} in {report.seconds:.1f} s "
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
