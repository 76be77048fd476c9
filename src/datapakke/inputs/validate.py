"""Check a whole extract: every file, keys across files, persons across tables.

``validate_extract`` never raises for bad data: everything it finds goes into
the report. The typed tables come back only when there is no error.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
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
from datapakke.inputs.folders import Layout, find_layout, table_of
from datapakke.inputs.integrity import undecodable_parquet
from datapakke.inputs.provenance import CONTRACT, Provenance
from datapakke.inputs.readers import LINE, POLARS_ERRORS, Source, Workdir, first_line, open_source
from datapakke.inputs.registers.deliveries import FEEDS, RegisterTables, read_deliveries
from datapakke.inputs.registers.detect import Delivery, Unused, recognise
from datapakke.inputs.registers.raw import Context, Derived
from datapakke.inputs.registers.settings import DEFAULT_SETTINGS, RegisterSettings
from datapakke.inputs.schema import TABLES

NOT_USED = "files not used"


@dataclass(frozen=True)
class Validation:
    """The report on an extract and, when it has no error, its typed tables."""

    report: Report
    layout: Layout
    tables: Mapping[str, pl.LazyFrame] | None
    workdir: Workdir
    provenance: Provenance = field(default_factory=Provenance)


def check_folder(folder: Path) -> None:
    """Fail with a clear message when ``folder`` is not a folder."""
    if not folder.is_dir():
        raise InputError(
            f"{folder}: no such data folder.",
            hint="Point --data at a folder of register extracts, or make synthetic data "
            "with 'datapakke sample --out DIR'.",
        )


def validate_extract(
    folder: Path,
    geography: Geography | None = None,
    *,
    today: dt.date | None = None,
    needed_by: Mapping[str, Sequence[str]] | None = None,
) -> Validation:
    """Read and check every file in ``folder``: contract tables and delivered registers.

    Every file is accounted for: read as a contract table, read as a register
    delivery, or listed in the report as not used, with the reason. ``needed_by``
    maps a table to the indicators that need it (the catalogue's
    ``indicators_by_table``), so that a missing optional table says what it costs.
    """
    check_folder(folder)
    geography = geography or load_geography()
    today = today or dt.date.today()
    findings = Findings()
    workdir = Workdir()
    layout = find_layout(folder, geography, findings)
    _coverage(layout, geography, findings)
    checked: dict[str, list[CheckedSource]] = {}
    summaries: list[FileSummary] = []
    deliveries = _recognise(layout, findings)
    given = {FEEDS[d.layout] for d in deliveries}
    _contract_tables(layout, geography, today, findings, workdir, checked, summaries, given)
    ctx = Context(workdir, findings, DEFAULT_SETTINGS, geography, today, summaries)
    registers = read_deliveries(deliveries, ctx, skip=frozenset(layout.files))
    _say_unused(registers.unused, folder, findings)
    for derived in registers.derived:
        result = _checked_derived(derived, geography, today, findings)
        if result is not None:
            checked[derived.table] = [result]
    for name, sources in checked.items():
        if len(sources) > 1 and TABLES[name].unique_key:
            _keys_across_files(name, sources, findings)
    excluded = [d.excluded for d in registers.derived if d.excluded is not None]
    _persons_without_population(checked, findings, excluded)
    for name in TABLES:
        if name not in layout.files and name not in given:
            cost = None if needed_by is None else needed_by.get(name, ())
            findings.add(_missing_table(name, cost))
    described = layout.kind
    if deliveries:
        described += "; registers as delivered: " + ", ".join(
            dict.fromkeys(d.layout for d in deliveries)
        )
    report = Report(folder, tuple(findings.items), tuple(summaries), described)
    provenance = _provenance(layout, registers, ctx.settings)
    tables = None
    if report.ok:
        tables = {
            name: pl.concat([s.typed for s in sources]) if len(sources) > 1 else sources[0].typed
            for name, sources in checked.items()
        }
    else:
        workdir.cleanup()
    return Validation(report, layout, tables, workdir, provenance)


def _contract_tables(
    layout: Layout,
    geography: Geography,
    today: dt.date,
    findings: Findings,
    workdir: Workdir,
    checked: dict[str, list[CheckedSource]],
    summaries: list[FileSummary],
    given: set[str],
) -> None:
    """Check the contract's own table files; a table also given as a register is refused."""
    damaged = undecodable_parquet(
        [p for paths in layout.files.values() for p in paths if p.name.lower().endswith(".parquet")]
    )
    for name, table in TABLES.items():
        paths = layout.files.get(name, ())
        if paths and name in given:
            findings.add(
                Finding(
                    Severity.ERROR,
                    name,
                    f"the table is given twice: as {paths[0].name} and as delivered registers",
                    file=paths[0],
                    hint="Keep either the contract table or the register files.",
                )
            )
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


def _recognise(layout: Layout, findings: Findings) -> list[Delivery]:
    """The register deliveries among the folder's other files; the rest are listed unused."""
    deliveries = []
    unused = []
    for path in layout.others:
        found = recognise(path, layout.folder)
        if isinstance(found, Delivery):
            deliveries.append(found)
        elif isinstance(found, Unused):
            unused.append(found)
        elif table_of(path) is not None:
            unused.append(Unused(path, "in a sub-folder that is not a cluster id", data=True))
        else:
            unused.append(
                Unused(
                    path,
                    "its name is neither a contract table nor a register datapakke reads",
                    data=True,
                )
            )
    _say_unused(unused, layout.folder, findings)
    return deliveries


def _say_unused(unused: Sequence[Unused], folder: Path, findings: Findings) -> None:
    for item in unused:
        findings.add(
            Finding(
                Severity.WARNING if item.data else Severity.NOTE,
                NOT_USED,
                f"{item.path.relative_to(folder)}: {item.reason}",
                file=item.path,
                hint="Name it as a table of the contract or a register, or map it with "
                "--mapping FILE ('datapakke inspect' writes a starting one)."
                if item.data
                else None,
            )
        )


def _checked_derived(
    derived: Derived, geography: Geography, today: dt.date, findings: Findings
) -> CheckedSource | None:
    """Check a table made from a layout against the contract (unless its columns were)."""
    table = TABLES[derived.table]
    source = Source(
        table,
        derived.files[0],
        f"derived from {derived.layout}",
        derived.frame.with_row_index(LINE, offset=1),
        where="derived row",
    )
    if derived.prechecked:
        return CheckedSource(source, derived.frame, source.frame, None)
    return check_source(source, geography, today, findings)


def _provenance(
    layout: Layout, registers: RegisterTables, settings: RegisterSettings
) -> Provenance:
    layouts = dict.fromkeys(layout.files, "contract")
    layouts.update({d.table: d.layout for d in registers.derived})
    contacts = registers.contacts or ((CONTRACT,) if "kontakter" in layout.files else ())
    return Provenance(
        layouts={t: layouts[t] for t in TABLES if t in layouts},
        contacts=contacts,
        left_out=registers.left_out,
        chain_gap_hours=settings.chain_gap_hours,
        admission_hours=settings.admission_hours,
    )


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


def _missing_table(name: str, needed_by: Sequence[str] | None) -> Finding:
    """``needed_by``: the indicators that need the table (None: not known here)."""
    table = TABLES[name]
    if table.required:
        return Finding(
            Severity.ERROR,
            name,
            f"the required table '{name}' is missing",
            hint=f"Add {name}.parquet (or .csv, .csv.gz, .sas7bdat); see docs/data-contract.md.",
        )
    if needed_by is None:
        cost = "the indicators that need it will be missing from the packs"
    elif needed_by:
        cost = "these indicators will be missing from the packs: " + ", ".join(needed_by)
    else:
        cost = "no indicator of the catalogue needs it"
    return Finding(
        Severity.WARNING,
        name,
        f"the optional table is missing, so {cost}",
        hint=f"Add {name}.parquet (or .csv, .csv.gz, .sas7bdat) to include them.",
    )


def _coverage(layout: Layout, geography: Geography, findings: Findings) -> None:
    if layout.kind == "national":
        return
    absent = [a.navn for a in geography.areas.values() if a.id not in layout.areas]
    # Folders named by another set's areas cannot be counted against this set's.
    if absent and layout.kind == "per-cluster" and not layout.foreign:
        findings.add(
            Finding(
                Severity.WARNING,
                "extract",
                f"the extract covers {len(layout.areas)} of {len(geography.areas)} areas; "
                "national comparisons then cover only those. Missing: " + ", ".join(absent),
            )
        )
    if layout.kind == "mixed":
        findings.add(
            Finding(
                Severity.NOTE,
                "extract",
                "tables in the main folder and in area sub-folders are read together",
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
            "one area folder",
            column=", ".join(key),
            rows=extra,
            examples=examples,
            hint="Each row belongs in exactly one sub-folder; remove the copies.",
        )
    )


def _persons_without_population(
    checked: Mapping[str, list[CheckedSource]],
    findings: Findings,
    excluded: Sequence[pl.LazyFrame] = (),
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
        for left_out in excluded:  # persons a policy left out are reported there
            unknown = unknown.join(left_out, on="pnr", how="anti")
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
