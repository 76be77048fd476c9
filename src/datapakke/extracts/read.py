"""Read a register extract folder into typed Polars LazyFrames."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from datapakke.errors import InputError
from datapakke.extracts.schema import TABLES, Table

SUFFIXES = (".parquet", ".csv", ".csv.gz", ".sas7bdat")
# Written by `datapakke sample` beside synthetic tables, so packs can say their data are not real.
SYNTHETIC_MARKER = "datapakke-sample.json"


@dataclass(frozen=True)
class Extract:
    """The tables of an extract, typed as in ``schema.TABLES``; missing optional tables absent."""

    folder: Path
    tables: Mapping[str, pl.LazyFrame]
    files: Mapping[str, tuple[Path, ...]]
    notes: tuple[str, ...] = field(default=())
    synthetic: bool = False

    def has(self, name: str) -> bool:
        """Whether the extract holds table ``name``."""
        return name in self.tables

    def table(self, name: str) -> pl.LazyFrame:
        """Table ``name`` as a LazyFrame with the contract's columns and types."""
        return self.tables[name]


def find_table_files(folder: Path, table: str) -> tuple[Path, ...]:
    """Files holding ``table`` in ``folder`` or its per-cluster sub-folders."""
    found: list[Path] = []
    for directory in (folder, *sorted(p for p in folder.iterdir() if p.is_dir())):
        found += [
            directory / f"{table}{s}" for s in SUFFIXES if (directory / f"{table}{s}").is_file()
        ]
    return tuple(found)


def read_extract(folder: Path) -> Extract:
    """Open every table file in ``folder``; fail clearly when a required table is missing."""
    if not folder.is_dir():
        raise InputError(
            f"{folder}: no such data folder.",
            hint="Point --data at a folder of register extracts, or make synthetic data "
            "with 'datapakke sample --out DIR'.",
        )
    tables: dict[str, pl.LazyFrame] = {}
    files: dict[str, tuple[Path, ...]] = {}
    for name, spec in TABLES.items():
        paths = find_table_files(folder, name)
        if not paths:
            if spec.required:
                raise InputError(
                    f"{folder}: the required table '{name}' is missing.",
                    hint=f"Add {name}.parquet (or .csv, .csv.gz, .sas7bdat); "
                    "see docs/data-contract.md.",
                )
            continue
        files[name] = paths
        tables[name] = pl.concat([_scan(path, spec) for path in paths])
    synthetic = (folder / SYNTHETIC_MARKER).is_file()
    return Extract(folder=folder, tables=tables, files=files, synthetic=synthetic)


def _scan(path: Path, table: Table) -> pl.LazyFrame:
    if path.name.endswith(".parquet"):
        try:
            present = pl.read_parquet_schema(path)
        except Exception as error:  # a truncated or foreign file: polars raises varied errors
            raise InputError(
                f"{path}: not a readable Parquet file ({_first_line(error)}).",
                hint="Export the table again; the file may be truncated.",
            ) from error
        frame = pl.scan_parquet(path)
    else:
        frame = pl.scan_csv(path, infer_schema=False)
        present = frame.collect_schema()
    missing = [c.name for c in table.columns if c.name not in present]
    if missing:
        raise InputError(
            f"{path}: column {', '.join(repr(m) for m in missing)} missing "
            f"(has: {', '.join(present)}).",
            hint=f"The {table.name} table needs the columns "
            f"{', '.join(table.schema.names())}; see docs/data-contract.md.",
        )
    return frame.select(pl.col(c.name).cast(c.dtype) for c in table.columns)


def _first_line(error: BaseException) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
