"""Check a whole extract: every file, keys across files, persons across tables.

``validate_extract`` never raises for bad data: everything it finds goes into
the report. The typed tables come back only when there is no error.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from datapakke.errors import InputError
from datapakke.geography import Geography, load_geography
from datapakke.inputs.checks import CheckedSource, check_source
from datapakke.inputs.findings import (
    MAX_EXAMPLES,
    FileSummary,
    Finding,
    Findings,
    Report,
    Severity,
    quote,
)
from datapakke.inputs.folders import Layout, find_layout
from datapakke.inputs.integrity import undecodable_parquet
from datapakke.inputs.readers import LINE, POLARS_ERRORS, first_line, open_source
from datapakke.inputs.schema import TABLES
from datapakke.inputs.workdir import Workdir, sweep_stale_workdirs


@dataclass(frozen=True)
class Validation:
    """The report on an extract and, when it has no error, its typed tables."""

    report: Report
    layout: Layout
    tables: Mapping[str, pl.LazyFrame] | None
    workdir: Workdir


def check_folder(folder: Path) -> None:
    """Fail with a clear message when ``folder`` is not a folder."""
    if not folder.is_dir():
        raise InputError(
            f"{folder}: no such data folder.",
            hint="Point --data at a folder of register extracts, or make synthetic data "
            "with 'datapakke sample --out DIR'.",
        )


def validate_extract(
    folder: Path, geography: Geography | None = None, *, today: dt.date | None = None
) -> Validation:
    """Read and check every table file in ``folder`` against the contract."""
    check_folder(folder)
    sweep_stale_workdirs()  # converted copies a killed run (kill -9) left behind
    geography = geography or load_geography()
    today = today or dt.date.today()
    findings = Findings()
    workdir = Workdir()
    layout = find_layout(folder, geography, findings)
    _coverage(layout, geography, findings)
    checked: dict[str, list[CheckedSource]] = {}
    summaries: list[FileSummary] = []
    damaged = undecodable_parquet(
        [p for paths in layout.files.values() for p in paths if p.name.lower().endswith(".parquet")]
    )
    for name, table in TABLES.items():
        paths = layout.files.get(name, ())
        if not paths:
            findings.add(_missing_table(name))
            continue
        for path in paths:
            if path in damaged:
                findings.add(_damaged(name, path, damaged[path]))
                summaries.append(FileSummary(name, path, "Parquet", None))
                continue
            source = open_source(path, table, workdir, findings)
            result = None if source is None else check_source(source, geography, today, findings)
            kind = source.kind if source is not None else _kind(path)
            summaries.append(FileSummary(name, path, kind, result.rows if result else None))
            if result is not None:
                checked.setdefault(name, []).append(result)
    for name, sources in checked.items():
        if len(sources) > 1 and TABLES[name].unique_key:
            _keys_across_files(name, sources, findings)
    _persons_without_population(checked, findings)
    report = Report(folder, tuple(findings.items), tuple(summaries), layout.kind)
    tables = None
    if report.ok:
        tables = {
            name: pl.concat([s.typed for s in sources]) if len(sources) > 1 else sources[0].typed
            for name, sources in checked.items()
        }
    else:
        workdir.cleanup()
    return Validation(report, layout, tables, workdir)


def _damaged(name: str, path: Path, reason: str) -> Finding:
    return Finding(
        Severity.ERROR,
        name,
        f"not a readable Parquet file ({reason})",
        file=path,
        hint="Export the table again: the file is damaged or truncated "
        "(an interrupted copy or export).",
    )


def _kind(path: Path) -> str:
    name = path.name.lower()
    if name.endswith(".parquet"):
        return "Parquet"
    if name.endswith(".sas7bdat"):
        return "SAS"
    return "CSV"


def _missing_table(name: str) -> Finding:
    table = TABLES[name]
    if table.required:
        return Finding(
            Severity.ERROR,
            name,
            f"the required table '{name}' is missing",
            hint=f"Add {name}.parquet (or .csv, .csv.gz, .sas7bdat); see docs/data-contract.md.",
        )
    return Finding(
        Severity.WARNING,
        name,
        "the optional table is missing, so these indicators will be missing from "
        "the packs: " + ", ".join(table.indicators),
        hint=f"Add {name}.parquet (or .csv, .csv.gz, .sas7bdat) to include them.",
    )


def _coverage(layout: Layout, geography: Geography, findings: Findings) -> None:
    if layout.kind == "national":
        return
    absent = [k.navn for k in geography.klynger.values() if k.id not in layout.klynger]
    if absent and layout.kind == "per-cluster":
        findings.add(
            Finding(
                Severity.WARNING,
                "extract",
                f"the extract covers {len(layout.klynger)} of {len(geography.klynger)} clusters; "
                "national comparisons then cover only those. Missing: " + ", ".join(absent),
            )
        )
    if layout.kind == "mixed":
        findings.add(
            Finding(
                Severity.NOTE,
                "extract",
                "tables in the main folder and in cluster sub-folders are read together",
            )
        )


def _keys_across_files(name: str, sources: Sequence[CheckedSource], findings: Findings) -> None:
    key = list(TABLES[name].unique_key)
    if any(f.severity is Severity.ERROR and f.table == name for f in findings.items):
        return  # a file of its own already repeats keys, or cannot be read
    union = pl.concat(
        [s.checking.select(*key, pl.lit(str(s.source.path)).alias("__file"), LINE) for s in sources]
    )
    try:
        extra = union.select(pl.len() - pl.struct(key).n_unique()).collect().item()
        if not extra:
            return
        repeated = (
            union.filter(pl.struct(key).is_duplicated()).sort([*key, "__file"]).head(MAX_EXAMPLES)
        ).collect()
    except POLARS_ERRORS as error:
        findings.add(
            Finding(
                Severity.ERROR, name, f"the files cannot be read together ({first_line(error)})"
            )
        )
        return
    examples = tuple(
        "(" + ", ".join(quote(row[k]) for k in key) + f") in {Path(row['__file']).parent.name}"
        for row in repeated.iter_rows(named=True)
    )
    findings.add(
        Finding(
            Severity.ERROR,
            name,
            f"the key ({', '.join(key)}) repeats across files: {extra:,} rows occur in more than "
            "one cluster folder",
            column=", ".join(key),
            rows=extra,
            examples=examples,
            hint="Each row belongs in exactly one sub-folder; remove the copies.",
        )
    )


def _persons_without_population(
    checked: Mapping[str, list[CheckedSource]], findings: Findings
) -> None:
    befolkning = checked.get("befolkning")
    if not befolkning or any(
        f.severity is Severity.ERROR and f.table == "befolkning" for f in findings.items
    ):
        return
    try:
        persons = pl.concat([s.typed.select("pnr") for s in befolkning]).unique().collect()
    except POLARS_ERRORS:
        return  # the befolkning files were read once already; an error here is reported there
    for name, sources in checked.items():
        if name == "befolkning" or any(
            f.severity is Severity.ERROR and f.table == name for f in findings.items
        ):
            continue
        others = pl.concat([s.typed.select("pnr") for s in sources]).unique()
        unknown = others.join(persons.lazy(), on="pnr", how="anti")
        try:
            result = unknown.select(
                pl.len().alias("n"), pl.col("pnr").sort().head(MAX_EXAMPLES).implode().alias("e")
            ).collect()
        except POLARS_ERRORS:
            continue
        count = int(result["n"][0])
        if count:
            findings.add(
                Finding(
                    Severity.WARNING,
                    name,
                    f"{count:,} persons never appear in befolkning; their rows count in no area",
                    column="pnr",
                    examples=tuple(quote(p) for p in result["e"][0]),
                    hint="Usually harmless (persons who lived abroad); many such persons suggest "
                    "pnr in this table is pseudonymised differently from befolkning.",
                )
            )
