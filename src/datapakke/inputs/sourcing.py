"""Where each table of an extract comes from: contract files, delivered registers, a mapping.

Every file of the folder ends up in one place: a contract table, a register
delivery, a table the mapping file maps, or the report's list of files not used.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from datapakke.geography import Geography
from datapakke.inputs.checks import CheckedSource, check_source
from datapakke.inputs.findings import FileSummary, Finding, Findings, Severity
from datapakke.inputs.folders import Layout, table_of
from datapakke.inputs.integrity import refused_as_damaged
from datapakke.inputs.mapping import MappingFile
from datapakke.inputs.provenance import CONTRACT, Provenance
from datapakke.inputs.readers import LINE, Source, open_source
from datapakke.inputs.registers.deliveries import RegisterTables
from datapakke.inputs.registers.detect import Delivery, Unused, recognise
from datapakke.inputs.registers.raw import Context, Derived
from datapakke.inputs.schema import TABLES

NOT_USED = "files not used"


def file_kind(path: Path) -> str:
    """The format of a file, by its name."""
    name = path.name.lower()
    if name.endswith(".parquet"):
        return "Parquet"
    if name.endswith(".sas7bdat"):
        return "SAS"
    return "CSV"


def recognise_deliveries(layout: Layout, findings: Findings) -> list[Delivery]:
    """The register deliveries among the folder's other files; the rest are listed unused."""
    deliveries = []
    unused = []
    for path in layout.others:
        if any(part.startswith(".") for part in path.relative_to(layout.folder).parts):
            unused.append(Unused(path, "a hidden file (its name starts with '.')", data=True))
            continue
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
    say_unused(unused, layout.folder, findings)
    return deliveries


def say_unused(unused: Sequence[Unused], folder: Path, findings: Findings) -> None:
    """Report each file not read, with the reason (data-like files as warnings)."""
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


def checked_derived(
    derived: Derived, geography: Geography, today: dt.date, findings: Findings
) -> CheckedSource | None:
    """Check a table made from a layout against the contract rules its delivered columns
    could not (``derived.remaining``; all of them by default; none if ``prechecked``)."""
    table = derived.remaining or TABLES[derived.table]
    source = Source(
        table,
        derived.files[0],
        f"derived from {derived.layout}",
        derived.frame.with_row_index(LINE, offset=1),
        where="derived row",
    )
    if derived.prechecked:
        return CheckedSource(source, derived.frame, source.frame, None)
    checked = check_source(source, geography, today, findings)
    if checked is None or derived.remaining is None:
        return checked
    return replace(checked, typed=derived.frame)


def table_provenance(layout: Layout, registers: RegisterTables, mapped: MappingFile) -> Provenance:
    """Which layout each table came from, how contacts are defined, what was left out."""
    layouts = dict.fromkeys(layout.files, "contract")
    name = mapped.path.name if mapped.path else ""
    layouts.update({t.table: f"mapping {name}" for t in mapped.tables})
    layouts.update({d.table: d.layout for d in registers.derived})
    prepared = "kontakter" in layout.files or any(t.table == "kontakter" for t in mapped.tables)
    contacts = registers.contacts or ((CONTRACT,) if prepared else ())
    return Provenance(
        layouts={t: layouts[t] for t in TABLES if t in layouts},
        contacts=contacts,
        left_out=registers.left_out,
        chain_gap_hours=mapped.settings.chain_gap_hours,
        admission_hours=mapped.settings.admission_hours,
    )


def without(layout: Layout, claimed: frozenset[Path]) -> Layout:
    """The layout less the files a mapping file reads."""
    if not claimed:
        return layout
    files = {t: tuple(p for p in paths if p not in claimed) for t, paths in layout.files.items()}
    return replace(
        layout,
        files={t: paths for t, paths in files.items() if paths},
        others=tuple(p for p in layout.others if p not in claimed),
    )


def given_twice(table: str, path: Path, how: str) -> Finding:
    """The error for a table that two sources give (``how`` says which)."""
    return Finding(
        Severity.ERROR,
        table,
        f"the table is given twice: {how}",
        file=path,
        hint="Keep one source per table: remove one of them (or the table from the mapping).",
    )


def mapped_tables(
    mapped: MappingFile, layout: Layout, given: set[str], ctx: Context,
    checked: dict[str, list[CheckedSource]],
) -> None:  # fmt: skip
    """Read and check the tables the mapping file maps, as contract tables."""
    for item in mapped.tables:
        if item.table in layout.files or item.table in given:
            how = "by the mapping file and by files in the folder"
            ctx.findings.add(given_twice(item.table, item.files[0], how))
            continue
        table = TABLES[item.table]
        for path in item.files:
            refused = refused_as_damaged(
                ctx.guard, item.table, path, ctx.findings, ctx.summaries, "mapped, Parquet"
            )
            if refused:
                continue
            source = open_source(path, table, ctx.workdir, ctx.findings, item.columns)
            result = None
            if source is not None:
                result = check_source(source, ctx.geography, ctx.today, ctx.findings)
            kind = f"mapped, {source.kind if source else file_kind(path)}"
            ctx.summaries.append(
                FileSummary(item.table, path, kind, result.rows if result else None)
            )
            if result is not None:
                checked.setdefault(item.table, []).append(result)
