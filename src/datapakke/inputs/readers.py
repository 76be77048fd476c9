"""Open one table file (Parquet, CSV, CSV.gz, SAS) as a lazy frame of its raw columns.

The frame keeps the file's own types; ``conventions`` turns them into the
contract's. CSV files are scanned as text (never guessed), so that a value that
cannot be read is reported with its line rather than silently lost. Files Polars
cannot scan directly (other encodings, gzip, SAS) are first converted, streaming,
into a private work folder, so that even large files are never held in memory.
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypedDict

import polars as pl

from datapakke.errors import excerpt, listing
from datapakke.inputs.columns import LINE, ColumnMap, select_columns
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

__all__ = ["LINE", "ColumnMap", "Source", "Workdir", "open_source"]

SAS_CHUNK_ROWS = 500_000
# The formats read by column (SAS through Parquet chunks): a query of a few columns reads
# only those, so a column's own query is cheap (a text file's parses the whole file again).
COLUMNAR = ("Parquet", "SAS")
ERROR_LINE_CHARACTERS = 160  # of a reader's own error message (it may quote the data)
DAMAGED = "Export the table again; the file may be truncated or damaged."
TRUNCATED_PARQUET = (
    "Export the table again: the file is probably truncated (an interrupted copy or export)."
)
REPEATED_HINT = (
    "Each column name may occur once in the header (names are matched regardless of case): "
    "rename or remove the copies."
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
    # What findings call a column when the file names it differently (e.g. "kom (kommunekode)"),
    # and date layouts a mapping file gives per column.
    labels: Mapping[str, str] = field(default_factory=dict)
    formats: Mapping[str, str] = field(default_factory=dict)

    def label(self, column: str | None) -> str | None:
        """How findings name ``column`` of this file."""
        return None if column is None else self.labels.get(column, column)


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


def open_source(
    path: Path,
    table: Table,
    workdir: Workdir,
    findings: Findings,
    column_map: ColumnMap | None = None,
) -> Source | None:
    """Open ``path`` as a source of ``table``; record a finding and return None if it cannot be.

    ``column_map`` (from a mapping file) says where the table's columns are in the file.
    """
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
            source = _parquet(path, table, findings, column_map)
        elif name.endswith(".sas7bdat"):
            source = _sas(path, table, workdir, findings, column_map)
        else:
            source = _csv(path, table, workdir, findings, column_map)
    except POLARS_ERRORS as error:
        findings.add(_error(table, path, *read_failure(error)))
        return None
    return source


def _error(table: Table, path: Path, message: str, hint: str) -> Finding:
    return Finding(Severity.ERROR, table.name, message, file=path, hint=hint)


def _parquet(
    path: Path, table: Table, findings: Findings, column_map: ColumnMap | None
) -> Source | None:
    try:
        schema = pl.read_parquet_schema(path)
    except POLARS_ERRORS as error:
        failure = read_failure(error, "not a readable Parquet file", TRUNCATED_PARQUET)
        findings.add(_error(table, path, *failure))
        return None
    named = select_columns(pl.scan_parquet(path), list(schema), table, path, findings, column_map)
    if named is None:
        return None
    frame, labels = named
    return Source(
        table,
        path,
        "Parquet",
        frame.with_row_index(LINE, offset=1),
        where="row",
        **_described(labels, column_map),
    )


def _csv(
    path: Path, table: Table, workdir: Workdir, findings: Findings, column_map: ColumnMap | None
) -> Source | None:
    try:
        dialect = sniff(path)
    except UnreadableTextError as error:
        findings.add(_error(table, path, str(error), error.hint))
        return None
    repeated = repeated_names(dialect.header)
    if repeated:
        message = f"the header names a column more than once: {listing(repeated)}"
        findings.add(_error(table, path, message, REPEATED_HINT))
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
    named = select_columns(scan, names, table, path, findings, column_map)
    if named is None:
        return None
    frame, labels = named
    kind = "CSV, gzip-compressed" if compressed else "CSV"
    return Source(table, path, kind, frame, where="line", **_described(labels, column_map))


def repeated_names(header: Sequence[str]) -> list[str]:
    """Names the header gives more than once (regardless of case), with their positions."""
    positions: dict[str, list[int]] = {}
    for number, name in enumerate(header, start=1):
        positions.setdefault(name.strip().lower(), []).append(number)
    return [
        f"'{excerpt(header[numbers[0] - 1])}' (columns "
        f"{', '.join(map(str, numbers[:-1]))} and {numbers[-1]})"
        for numbers in positions.values()
        if len(numbers) > 1
    ]


def _note_dialect(dialect: Dialect, table: Table, path: Path, findings: Findings) -> None:
    said = dialect.describe()
    if said:
        findings.add(Finding(Severity.NOTE, table.name, "read with " + ", ".join(said), file=path))


def _sas(
    path: Path, table: Table, workdir: Workdir, findings: Findings, column_map: ColumnMap | None
) -> Source | None:
    import pyreadstat

    try:
        _, meta = pyreadstat.read_sas7bdat(str(path), metadataonly=True, output_format="polars")
    except Exception as error:  # pyreadstat raises its own and plain errors
        failure = read_failure(error, "not a readable SAS file", DAMAGED_SAS)
        findings.add(_error(table, path, *failure))
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
        failure = read_failure(error, "the SAS file cannot be read", DAMAGED_SAS)
        findings.add(_error(table, path, *failure))
        return None
    chunk_files = sorted(parts.glob("*.parquet"))
    if not chunk_files:
        scan = pl.LazyFrame(schema=dict.fromkeys(names, pl.String))
    else:
        scan = pl.scan_parquet(chunk_files)
    named = select_columns(scan, names, table, path, findings, column_map)
    if named is None:
        return None
    frame, labels = named
    return Source(
        table,
        path,
        "SAS",
        frame.with_row_index(LINE, offset=1),
        where="row",
        sas=True,
        **_described(labels, column_map),
    )


class _Described(TypedDict):
    labels: Mapping[str, str]
    formats: Mapping[str, str]


def _described(labels: dict[str, str], column_map: ColumnMap | None) -> _Described:
    return {"labels": labels, "formats": dict(column_map.formats) if column_map else {}}
