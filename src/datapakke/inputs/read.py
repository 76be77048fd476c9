"""Read a register extract folder into typed Polars LazyFrames, validated against the contract."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from datapakke.errors import InputError
from datapakke.geography import Geography
from datapakke.inputs.findings import Report
from datapakke.inputs.folders import SUFFIXES, SYNTHETIC_MARKER
from datapakke.inputs.person_key import PersonKey
from datapakke.inputs.provenance import Provenance
from datapakke.inputs.readers import Workdir
from datapakke.inputs.validate import validate_extract

__all__ = ["SUFFIXES", "SYNTHETIC_MARKER", "Extract", "read_extract"]


@dataclass(frozen=True)
class Extract:
    """The tables of an extract, typed as in ``schema.TABLES``; missing optional tables absent.
    ``aggregates`` holds the rows of its aggregate inputs (``aggregates.aggregates_table``,
    with the file and line of each row), None when it has none.

    ``notes`` are the file conventions that were recognised and handled,
    ``warnings`` what the user should know (missing optional tables, persons
    unknown to befolkning); ``layout`` is ``national``, ``per-cluster`` or
    ``mixed`` and ``areas`` the area ids of the sub-folders that were read;
    ``provenance`` says which layout each table came from, how admissions are
    defined and what the policies left out.
    """

    folder: Path
    tables: Mapping[str, pl.LazyFrame]
    files: Mapping[str, tuple[Path, ...]]
    notes: tuple[str, ...] = field(default=())
    synthetic: bool = False
    warnings: tuple[str, ...] = field(default=())
    layout: str = "national"
    areas: tuple[str, ...] = field(default=())
    report: Report | None = field(default=None, repr=False, compare=False)
    provenance: Provenance = field(default_factory=Provenance)
    aggregates: pl.LazyFrame | None = None
    # An integer key one-to-one on the extract's pnr (None: none was found); see ``keyed``.
    person_key: PersonKey | None = None
    # Holds converted copies of CSV/SAS files the frames read; removed with the Extract.
    _workdir: Workdir | None = field(default=None, repr=False, compare=False)

    def has(self, name: str) -> bool:
        """Whether the extract holds table ``name``."""
        return name in self.tables

    def table(self, name: str) -> pl.LazyFrame:
        """Table ``name`` as a LazyFrame with the contract's columns and types."""
        return self.tables[name]

    def keyed(self, name: str) -> pl.LazyFrame:
        """Table ``name`` with ``pnr`` as the integer person key when the extract has one
        (``person_key``; equal keys exactly when equal ``pnr``), else as it is."""
        if self.person_key is None:
            return self.tables[name]
        return self.tables[name].with_columns(self.person_key.key(pl.col("pnr")))


def read_extract(
    folder: Path,
    geography: Geography | None = None,
    *,
    today: dt.date | None = None,
    needed_by: Mapping[str, Sequence[str]] | None = None,
    series_needed: Mapping[str, Sequence[str]] | None = None,
    mapping: Path | None = None,
) -> Extract:
    """Read and validate every table in ``folder``; raise InputError with the report if invalid.

    Both folder layouts are read (one national folder, or one sub-folder per
    cluster; the union is the data), in Parquet, CSV, CSV.gz or SAS, and so are
    the registers as delivered and the tables a ``mapping`` file maps. ``needed_by``:
    the indicators each table feeds, for the warning about a missing optional table;
    ``series_needed`` the same for the aggregate inputs.
    """
    validation = validate_extract(
        folder,
        geography,
        today=today,
        needed_by=needed_by,
        series_needed=series_needed,
        mapping=mapping,
    )
    report = validation.report
    if validation.tables is None:
        raise InputError(
            f"{folder}: the extract does not follow the input contract.\n\n{report.render()}",
            hint=f"Correct the files and run again; 'datapakke validate --data {folder}' "
            "checks them without building anything.",
        )
    return Extract(
        folder=folder,
        tables=validation.tables,
        files=validation.layout.files,
        notes=tuple(f.one_line() for f in report.notes),
        synthetic=(folder / SYNTHETIC_MARKER).is_file(),
        warnings=tuple(f.one_line() for f in report.warnings),
        layout=validation.layout.kind,
        areas=validation.layout.areas,
        report=report,
        provenance=validation.provenance,
        aggregates=validation.aggregates,
        person_key=validation.person_key,
        _workdir=validation.workdir,
    )
