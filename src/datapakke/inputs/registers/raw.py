"""Read the files of one delivered register with the contract's readers and checks.

A register's own columns are described as a ``Table`` (names, aliases, types,
rules), so that every file is read and checked exactly as a contract table is:
unreadable values, empty keys and future dates are reported with the file, the
register's column and the line. What comes back is the typed frame of all files.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import polars as pl

from datapakke.geography import Geography
from datapakke.inputs.checks import check_source
from datapakke.inputs.columns import ColumnMap
from datapakke.inputs.findings import FileSummary, Finding, Findings, Severity
from datapakke.inputs.integrity import DecodeGuard, refused_as_damaged
from datapakke.inputs.provenance import LeftOut
from datapakke.inputs.readers import POLARS_ERRORS, Workdir, first_line, open_source
from datapakke.inputs.registers.detect import Delivery
from datapakke.inputs.registers.settings import RegisterSettings
from datapakke.inputs.schema import Column, Table

FILE = "__file"
PERIOD = "__period"


@dataclass
class Context:
    """What every register reader shares: where to write, what to report, which settings."""

    workdir: Workdir
    findings: Findings
    settings: RegisterSettings
    geography: Geography
    today: dt.date
    summaries: list[FileSummary] = field(default_factory=list)
    # A mapping file's renamed columns, per register.
    renames: Mapping[str, ColumnMap] = field(default_factory=dict)
    # Decodes the Parquet files in a child process before they are opened here.
    guard: DecodeGuard | None = None

    def note(self, table: str, message: str, file: Path | None = None) -> None:
        """Record a note: what a layout recognised or derived."""
        self.findings.add(Finding(Severity.NOTE, table, message, file=file))

    def warn(self, table: str, message: str, hint: str, file: Path | None = None) -> None:
        """Record a warning."""
        self.findings.add(Finding(Severity.WARNING, table, message, file=file, hint=hint))

    def error(self, table: str, message: str, hint: str, file: Path | None = None) -> None:
        """Record an error: the data cannot be used."""
        self.findings.add(Finding(Severity.ERROR, table, message, file=file, hint=hint))

    def derived_file(self, name: str) -> Path:
        """A new file in the private work folder for a derived table."""
        return self.workdir.path() / f"{len(list(self.workdir.path().iterdir()))}-{name}.parquet"

    def sink(
        self, frame: pl.LazyFrame, name: str, table: str, *, streaming: bool = True
    ) -> pl.LazyFrame | None:
        """Write ``frame`` once to the work folder and scan it; None if that fails.

        ``streaming=False`` computes it in memory first: faster for a sort followed by
        running sums (the stays), which the streaming engine runs slower.
        """
        target = self.derived_file(name)
        try:
            if streaming:
                frame.sink_parquet(target, compression="lz4")
            else:
                frame.collect().write_parquet(target, compression="lz4")
        except POLARS_ERRORS as error:
            self.error(
                table,
                f"the delivered files cannot be read together ({first_line(error)})",
                "Export the register files again; one of them may be damaged.",
            )
            return None
        return pl.scan_parquet(target)


def column(name: str, dtype: pl.DataType, description: str, **rules: object) -> Column:
    """A register column (example text is not needed: registers are documented elsewhere)."""
    return Column(name, dtype, description, "", **rules)  # type: ignore[arg-type]


def raw_table(table: str, register: str, columns: Sequence[Column], *rules: object) -> Table:
    """The delivered columns of ``register`` that feed the contract table ``table``."""
    return Table(
        name=table,
        register=register,
        one_row_per="",
        required=False,
        columns=tuple(columns),
        rules=tuple(rules),  # type: ignore[arg-type]
    )


def read_raw(
    deliveries: Sequence[Delivery], table: Table, ctx: Context, *, summarise: bool = True
) -> pl.LazyFrame | None:
    """All files of one register, typed and checked, with ``__file`` and ``__period`` columns.

    None when any file has an error (the findings say which). ``summarise=False`` leaves
    the files out of the report's file list (a first look at some columns only).
    """
    frames = []
    failed = False
    for delivery in deliveries:
        register = f"{delivery.layout} {delivery.register}"
        # A damaged file is listed even on a first look: the look fails, so it is the last.
        if refused_as_damaged(
            ctx.guard, table.name, delivery.path, ctx.findings, ctx.summaries,
            f"{register}, Parquet",
        ):  # fmt: skip
            failed = True
            continue
        renamed = ctx.renames.get(delivery.register)
        source = open_source(delivery.path, table, ctx.workdir, ctx.findings, renamed)
        if source is not None:
            # Registers come from SAS: numbers in a date column are SAS day (or second) counts.
            source = replace(source, sas=True)
        checked = (
            None if source is None else check_source(source, ctx.geography, ctx.today, ctx.findings)
        )
        kind = f"{register}, {source.kind if source else 'unreadable'}"
        rows = checked.rows if checked else None
        if summarise:
            ctx.summaries.append(FileSummary(table.name, delivery.path, kind, rows))
        if checked is None or ctx.findings.has_errors_for(delivery.path):
            failed = True
            continue
        frames.append(
            checked.typed.with_columns(
                pl.lit(str(delivery.path)).alias(FILE),
                pl.lit(delivery.period, pl.String).alias(PERIOD),
            )
        )
    if failed or not frames:
        return None
    return pl.concat(frames, how="vertical_relaxed")


@dataclass(frozen=True)
class Derived:
    """A contract table made from a delivered layout.

    ``prechecked`` says every contract rule was already checked on the delivered
    columns (so the table is not checked again); ``left_out`` what policies removed.
    """

    table: str
    layout: str
    frame: pl.LazyFrame
    files: tuple[Path, ...]
    prechecked: bool = False
    left_out: tuple[LeftOut, ...] = ()
    excluded: pl.LazyFrame | None = None  # pnr of persons a policy left out
    # The contract rules still to check on the derived table (None: all of them).
    remaining: Table | None = None
