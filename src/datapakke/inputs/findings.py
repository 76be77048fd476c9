"""What checking an extract found: errors, warnings and notes, and the readable report."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

MAX_EXAMPLES = 5


class Severity(StrEnum):
    """How much a finding matters: errors refuse the data, warnings and notes inform."""

    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"


@dataclass(frozen=True)
class Finding:
    """One thing found in one file (or table): what, where, how many rows, examples, what to do.

    ``lines`` are CSV line numbers (header = line 1) when the file is a CSV file,
    else row numbers (first row = 1); ``where`` says which.
    """

    severity: Severity
    table: str
    message: str
    file: Path | None = None
    column: str | None = None
    rows: int | None = None
    examples: tuple[str, ...] = ()
    lines: tuple[int, ...] = ()
    where: str = "line"
    hint: str | None = None

    def one_line(self) -> str:
        """The finding on one line, led by its table (and file), without the hint."""
        where = self.table if self.file is None else f"{self.table} ({self.file.name})"
        text = self.render().strip().split("\n")[0]
        return f"{where}: {text.split(': ', 1)[1]}"

    def render(self, base: Path | None = None) -> str:
        """The finding as one or more indented lines of plain text."""
        location = ""
        if self.column:
            location = f"{self.column}: "
        text = f"{location}{self.message}"
        if self.rows is not None:
            text += f" ({_rows(self.rows)})"
        details = []
        if self.examples:
            details.append("e.g. " + ", ".join(self.examples[:MAX_EXAMPLES]))
        if self.lines:
            label = self.where if len(self.lines) == 1 else f"{self.where}s"
            details.append(f"{label} {', '.join(str(n) for n in self.lines[:MAX_EXAMPLES])}")
        if details:
            text += "; " + "; ".join(details)
        out = f"  {self.severity.value}: {text}"
        if self.hint:
            out += f"\n    what to do: {self.hint}"
        return out


def _rows(count: int) -> str:
    return f"{count:,} row" if count == 1 else f"{count:,} rows"


def quote(value: object) -> str:
    """A value as the report shows it: strings quoted, empties named."""
    if value is None:
        return "(empty)"
    if isinstance(value, str):
        return repr(value) if value.strip() else "(blank)"
    return str(value)


@dataclass(frozen=True)
class FileSummary:
    """A file that was read: its table, format, rows and layout folder."""

    table: str
    path: Path
    kind: str
    rows: int | None = None


@dataclass(frozen=True)
class Report:
    """Everything checking an extract found, in the order it was found."""

    folder: Path
    findings: tuple[Finding, ...]
    files: tuple[FileSummary, ...] = ()
    layout: str = "national"

    @property
    def errors(self) -> tuple[Finding, ...]:
        """Findings that make the data unusable."""
        return self._of(Severity.ERROR)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        """Findings the user should know about, which do not stop a build."""
        return self._of(Severity.WARNING)

    @property
    def notes(self) -> tuple[Finding, ...]:
        """File conventions that were recognised and handled."""
        return self._of(Severity.NOTE)

    @property
    def ok(self) -> bool:
        """Whether the data can be used (warnings allowed)."""
        return not self.errors

    def _of(self, severity: Severity) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity is severity)

    def render(self) -> str:
        """The report as plain text: grouped by table and file, then a one-line verdict."""
        lines = [f"Checked {self.folder} ({self.layout} layout)."]
        names = [s.table for s in self.files] + [f.table for f in self.findings]
        for table in _ordered(names):
            lines.append("")
            files = [s for s in self.files if s.table == table]
            lines += _file_lines(table, files, self.folder)
            for finding in _sorted(f for f in self.findings if f.table == table):
                if finding.file is not None and len(files) > 1:
                    lines.append(f"  [{_relative(finding.file, self.folder)}]")
                lines.append(finding.render())
        lines += ["", self.verdict()]
        return "\n".join(lines)

    def verdict(self) -> str:
        """One line: counts, and whether the data can be used."""
        counts = ", ".join(
            _count(len(group), word)
            for group, word in (
                (self.errors, "error"),
                (self.warnings, "warning"),
                (self.notes, "note"),
            )
        )
        if self.ok:
            return f"Result: {counts}. The data can be used."
        return f"Result: {counts}. The data cannot be used until the errors are fixed."


def _file_lines(table: str, files: Sequence[FileSummary], folder: Path) -> list[str]:
    """One line per file, or one line for many of a kind (period files, cluster folders)."""
    from datapakke.inputs.schema import TABLES

    if not files:
        return [f"{table}: no file" if table in TABLES else f"{table}:"]
    lines = []
    for kind in dict.fromkeys(s.kind for s in files):
        group = [s for s in files if s.kind == kind]
        if len(group) <= 3:
            lines += [
                f"{table}: {_relative(s.path, folder)} ({s.kind}"
                + ("" if s.rows is None else f", {_rows(s.rows)})")
                + ("" if s.rows is not None else ")")
                for s in group
            ]
            continue
        rows = sum(s.rows or 0 for s in group)
        where = "in cluster folders" if any(s.path.parent != folder for s in group) else "from"
        if where == "from":
            where += f" {_relative(group[0].path, folder)} to {_relative(group[-1].path, folder)}"
        lines.append(f"{table}: {len(group)} files {where} ({kind}, {_rows(rows)})")
    return lines


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _ordered(names: Iterable[str]) -> list[str]:
    from datapakke.inputs.schema import TABLES

    seen = list(dict.fromkeys(names))
    known = [t for t in TABLES if t in seen]
    return known + [n for n in seen if n not in TABLES]


def _sorted(findings: Iterable[Finding]) -> Sequence[Finding]:
    order = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.NOTE: 2}
    return sorted(findings, key=lambda f: order[f.severity])


def _relative(path: Path, folder: Path) -> str:
    try:
        return str(path.relative_to(folder))
    except ValueError:
        return str(path)


@dataclass
class Findings:
    """A growing list of findings, shared by the stages that check an extract."""

    items: list[Finding] = field(default_factory=list)

    def add(self, finding: Finding) -> None:
        """Record ``finding``."""
        self.items.append(finding)

    def has_errors_for(self, path: Path) -> bool:
        """Whether an error was recorded for the file ``path``."""
        return any(f.file == path and f.severity is Severity.ERROR for f in self.items)
