"""Open one table file (Parquet, CSV, CSV.gz, SAS) as a lazy frame of its raw columns.

The frame keeps the file's own types; ``conventions`` turns them into the
contract's. CSV files are scanned as text (never guessed), so that a value that
cannot be read is reported with its line rather than silently lost. Files Polars
cannot scan directly (other encodings, gzip, SAS) are first converted, streaming,
into a private work folder, so that even large files are never held in memory.
"""

from __future__ import annotations

import difflib
import shutil
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from datapakke.errors import excerpt, listing
from datapakke.inputs.dialect import (
    READ_ERRORS,
    Dialect,
    UnreadableTextError,
    sniff,
    transcode_to_utf8,
)
from datapakke.inputs.findings import Finding, Findings, Severity
from datapakke.inputs.schema import Table
from datapakke.inputs.workdir import Workdir, io_trouble

LINE = "__line"
SAS_CHUNK_ROWS = 500_000
ERROR_LINE_CHARACTERS = 160  # of a reader's own error message (it may quote the data)
DAMAGED = "Export the table again; the file may be truncated or damaged."
TRUNCATED_PARQUET = (
    "Export the table again: the file is probably truncated (an interrupted copy or export)."
)
DAMAGED_SAS = (
    "Export the dataset again from SAS (the file may be truncated), or export it as CSV or Parquet."
)
POLARS_ERRORS: tuple[type[BaseException], ...] = (
    pl.exceptions.PolarsError,
    pl.exceptions.PanicException,
    *READ_ERRORS,
)


@dataclass(frozen=True)
class Source:
    """One file of a table: its raw frame (contract column names), its kind, its line numbers.

    ``frame`` holds the contract's columns under their contract names, in the
    file's own types, plus ``__line``: the CSV line (header = 1) or the row number.
    """

    table: Table
    path: Path
    kind: str
    frame: pl.LazyFrame
    where: str
    sas: bool = False


def first_line(error: BaseException) -> str:
    """The first line of an error message, bounded (Polars messages run long and quote data)."""
    text = str(error).strip()
    return excerpt(text.splitlines()[0], ERROR_LINE_CHARACTERS) if text else type(error).__name__


def read_failure(
    error: BaseException, what: str = "the file cannot be read", hint: str = DAMAGED
) -> tuple[str, str]:
    """Message and hint for a file that cannot be read: text the reader cannot use, a full
    disk, a refused permission, or (else) ``what`` with the reader's reason and ``hint``."""
    if isinstance(error, UnreadableTextError):
        return str(error), error.hint
    return io_trouble(error) or (f"{what} ({first_line(error)})", hint)


def open_source(path: Path, table: Table, workdir: Workdir, findings: Findings) -> Source | None:
    """Open ``path`` as a source of ``table``; record a finding and return None if it cannot be."""
    try:
        if path.stat().st_size == 0:
            findings.add(
                _error(
                    table,
                    path,
                    "the file is empty (0 bytes)",
                    "Export the table again, or remove the file if the table "
                    "is not part of the extract.",
                )
            )
            return None
        name = path.name.lower()
        if name.endswith(".parquet"):
            source = _parquet(path, table, findings)
        elif name.endswith(".sas7bdat"):
            source = _sas(path, table, workdir, findings)
        else:
            source = _csv(path, table, workdir, findings)
    except POLARS_ERRORS as error:
        findings.add(_error(table, path, *read_failure(error)))
        return None
    return source


def _error(table: Table, path: Path, message: str, hint: str) -> Finding:
    return Finding(Severity.ERROR, table.name, message, file=path, hint=hint)


def _parquet(path: Path, table: Table, findings: Findings) -> Source | None:
    try:
        schema = pl.read_parquet_schema(path)
    except POLARS_ERRORS as error:
        failure = read_failure(error, "not a readable Parquet file", TRUNCATED_PARQUET)
        findings.add(_error(table, path, *failure))
        return None
    frame = _with_contract_names(pl.scan_parquet(path), list(schema), table, path, findings)
    if frame is None:
        return None
    return Source(table, path, "Parquet", frame.with_row_index(LINE, offset=1), where="row")


def _csv(path: Path, table: Table, workdir: Workdir, findings: Findings) -> Source | None:
    try:
        dialect = sniff(path)
    except UnreadableTextError as error:
        findings.add(_error(table, path, str(error), error.hint))
        return None
    readable = path
    compressed = path.name.lower().endswith(".gz")
    if compressed or not dialect.utf8:
        readable = workdir.path() / f"{len(list(workdir.path().iterdir()))}-{table.name}.csv"
        transcode_to_utf8(path, readable, dialect.encoding)
    scan = pl.scan_csv(
        readable,
        separator=dialect.separator,
        infer_schema=False,
        encoding="utf8-lossy",
        row_index_name=LINE,
        row_index_offset=2,
        raise_if_empty=False,
    )
    names = [n for n in scan.collect_schema().names() if n != LINE]
    _note_dialect(dialect, table, path, findings)
    frame = _with_contract_names(scan, names, table, path, findings)
    if frame is None:
        return None
    kind = "CSV, gzip-compressed" if compressed else "CSV"
    return Source(table, path, kind, frame, where="line")


def _note_dialect(dialect: Dialect, table: Table, path: Path, findings: Findings) -> None:
    said = dialect.describe()
    if said:
        findings.add(Finding(Severity.NOTE, table.name, "read with " + ", ".join(said), file=path))


def _sas(path: Path, table: Table, workdir: Workdir, findings: Findings) -> Source | None:
    import pyreadstat

    try:
        _, meta = pyreadstat.read_sas7bdat(str(path), metadataonly=True, output_format="polars")
    except Exception as error:  # pyreadstat raises its own and plain errors
        findings.add(
            _error(table, path, *read_failure(error, "not a readable SAS file", DAMAGED_SAS))
        )
        return None
    names = list(meta.column_names)
    parts = workdir.path() / f"{len(list(workdir.path().iterdir()))}-{table.name}"
    parts.mkdir()
    try:
        chunks = pyreadstat.read_file_in_chunks(
            pyreadstat.read_sas7bdat, str(path), chunksize=SAS_CHUNK_ROWS, output_format="polars"
        )
        for number, (chunk, _) in enumerate(chunks):
            chunk.write_parquet(parts / f"{number:06d}.parquet")
    except Exception as error:  # as above: a damaged file (or a full disk) fails part-way
        shutil.rmtree(parts, ignore_errors=True)
        findings.add(
            _error(table, path, *read_failure(error, "the SAS file cannot be read", DAMAGED_SAS))
        )
        return None
    chunk_files = sorted(parts.glob("*.parquet"))
    if not chunk_files:
        scan = pl.LazyFrame(schema=dict.fromkeys(names, pl.String))
    else:
        scan = pl.scan_parquet(chunk_files)
    frame = _with_contract_names(scan, names, table, path, findings)
    if frame is None:
        return None
    return Source(table, path, "SAS", frame.with_row_index(LINE, offset=1), where="row", sas=True)


def _with_contract_names(
    frame: pl.LazyFrame, names: list[str], table: Table, path: Path, findings: Findings
) -> pl.LazyFrame | None:
    """Select the contract's columns, matching names regardless of case and spaces.

    A missing column is an error that names the file's columns and, where one
    looks like it, the column that was probably renamed.
    """
    by_key: dict[str, str] = {}
    for name in names:
        by_key.setdefault(name.strip().lower(), name)
    wanted = [c.name for c in table.columns]
    chosen: dict[str, str] = {}
    for column in wanted:
        if column in names:
            chosen[column] = column
        elif column in by_key:
            chosen[column] = by_key[column]
    missing = [c for c in wanted if c not in chosen]
    if missing:
        unused = [n for n in names if n not in chosen.values()]
        for column in missing:
            guess = difflib.get_close_matches(column, [u.lower() for u in unused], n=1, cutoff=0.5)
            hint = (
                f"Rename the column '{excerpt(_original(guess[0], unused))}' to '{column}' if it "
                "holds "
                f"the {column}."
                if guess
                else f"The {table.name} table needs the columns {', '.join(wanted)}; "
                "see docs/data-contract.md."
            )
            findings.add(
                Finding(
                    Severity.ERROR,
                    table.name,
                    f"the required column is missing (the file has: {listing(names) or 'none'})",
                    file=path,
                    column=column,
                    hint=hint,
                )
            )
        return None
    renamed = [f"{chosen[c]} -> {c}" for c in wanted if chosen[c] != c]
    if renamed:
        findings.add(
            Finding(
                Severity.NOTE,
                table.name,
                "column names matched regardless of case: " + listing(renamed),
                file=path,
            )
        )
    extra = [n for n in names if n not in chosen.values()]
    if extra:
        findings.add(
            Finding(
                Severity.NOTE,
                table.name,
                "columns not in the contract are ignored: " + listing(extra),
                file=path,
            )
        )
    return frame.select(*(pl.col(chosen[c]).alias(c) for c in wanted), *_line(frame))


def _line(frame: pl.LazyFrame) -> list[pl.Expr]:
    return [pl.col(LINE)] if LINE in frame.collect_schema().names() else []


def _original(lowered: str, names: list[str]) -> str:
    return next(n for n in names if n.lower() == lowered)
