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
from datapakke.inputs.aggregates import read_aggregates
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
from datapakke.inputs.folders import Layout, aggregate_files, find_layout
from datapakke.inputs.integrity import DecodeGuard, refused_as_damaged
from datapakke.inputs.mapping import load_mapping
from datapakke.inputs.person_key import PersonKey
from datapakke.inputs.provenance import Provenance
from datapakke.inputs.readers import LINE, POLARS_ERRORS, Workdir, first_line, open_source
from datapakke.inputs.registers.deliveries import FEEDS, read_deliveries
from datapakke.inputs.registers.raw import Context
from datapakke.inputs.schema import TABLES
from datapakke.inputs.sourcing import (
    checked_derived,
    file_kind,
    given_twice,
    mapped_tables,
    recognise_deliveries,
    say_unused,
    table_provenance,
    without,
)
from datapakke.inputs.workdir import sweep_stale_workdirs


@dataclass(frozen=True)
class Validation:
    """The report on an extract and, when it has no error, its typed tables, aggregate
    rows (None without aggregate files) and integer person key (None when ``pnr`` has no
    one form: ``person_key``)."""

    report: Report
    layout: Layout
    tables: Mapping[str, pl.LazyFrame] | None
    workdir: Workdir
    provenance: Provenance = field(default_factory=Provenance)
    aggregates: pl.LazyFrame | None = None
    person_key: PersonKey | None = None


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
    series_needed: Mapping[str, Sequence[str]] | None = None,
    mapping: Path | None = None,
) -> Validation:
    """Read and check every file in ``folder``: contract tables, delivered registers and the
    tables a ``mapping`` file maps.

    Every file is accounted for: read as a contract table, read as a register
    delivery, read as the mapping says, or listed in the report as not used, with
    the reason. ``needed_by`` maps a table to the indicators that need it (the
    catalogue's ``indicators_by_table``), so that a missing optional table says what
    it costs; ``series_needed`` does the same for the aggregate inputs
    (``indicators_by_series``).
    """
    check_folder(folder)
    sweep_stale_workdirs()  # converted copies a killed run (kill -9) left behind
    mapped = load_mapping(mapping, folder)
    geography = geography or load_geography()
    today = today or dt.date.today()
    findings = Findings()
    workdir = Workdir()
    layout = without(find_layout(folder, geography, findings), mapped.claimed)
    _coverage(layout, geography, findings)
    checked: dict[str, list[CheckedSource]] = {}
    deliveries = recognise_deliveries(layout, findings)
    # Every Parquet file, in the order it is read: the child decoding them starts now and
    # runs beside the checks. (A named pipe is never given to it: it would wait forever.)
    read = (
        *(path for item in mapped.tables for path in item.files),
        *_contract_files(layout),
        *(d.path for d in deliveries),
        *aggregate_files(folder),
    )
    parquet = [p for p in dict.fromkeys(read) if file_kind(p) == "Parquet" and p.is_file()]
    with DecodeGuard(parquet) as guard:
        ctx = Context(
            workdir, findings, mapped.settings, geography, today, renames=mapped.registers,
            guard=guard,
        )  # fmt: skip
        given = {FEEDS[d.layout] for d in deliveries}
        mapped_tables(mapped, layout, given, ctx, checked)
        given |= {t.table for t in mapped.tables}
        _contract_tables(layout, given, ctx, checked)
        skip = frozenset(layout.files) | {t.table for t in mapped.tables}
        registers = read_deliveries(deliveries, ctx, skip=skip)
        say_unused(registers.unused, folder, findings)
        for derived in registers.derived:
            result = checked_derived(derived, geography, today, findings)
            if result is not None:
                checked[derived.table] = [result]
        for name, sources in checked.items():
            if len(sources) > 1 and TABLES[name].unique_key:
                _keys_across_files(name, sources, findings)
        aggregates = read_aggregates(
            folder, geography, today, findings, workdir, ctx.summaries, series_needed, guard
        )
    excluded = [d.excluded for d in registers.derived if d.excluded is not None]
    person_key = _persons_without_population(checked, findings, excluded)
    for name in TABLES:
        refused = any(f.table == name and f.severity is Severity.ERROR for f in findings.items)
        if name not in layout.files and name not in given and not refused:
            cost = None if needed_by is None else needed_by.get(name, ())
            findings.add(_missing_table(name, cost))
    described = layout.kind
    if deliveries:
        described += "; registers as delivered: " + ", ".join(
            dict.fromkeys(d.layout for d in deliveries)
        )
    report = Report(folder, tuple(findings.items), tuple(ctx.summaries), described)
    provenance = table_provenance(layout, registers, mapped)
    tables = None
    if report.ok:
        tables = {
            name: pl.concat([s.typed for s in sources]) if len(sources) > 1 else sources[0].typed
            for name, sources in checked.items()
        }
    else:
        workdir.cleanup()
    return Validation(report, layout, tables, workdir, provenance, aggregates.frame, person_key)


def _contract_files(layout: Layout) -> list[Path]:
    """The contract's table files, in the order ``_contract_tables`` checks them."""
    return [path for name in TABLES for path in layout.files.get(name, ())]


def _contract_tables(
    layout: Layout,
    given: set[str],
    ctx: Context,
    checked: dict[str, list[CheckedSource]],
) -> None:
    """Check the contract's own table files; a table also given as a register is refused.

    ``ctx.guard`` decodes the Parquet files among them in a child process first."""
    findings, summaries = ctx.findings, ctx.summaries
    for name, table in TABLES.items():
        paths = layout.files.get(name, ())
        if paths and name in given:
            findings.add(
                given_twice(name, paths[0], f"as {paths[0].name} and as delivered registers")
            )
        for path in paths:
            if refused_as_damaged(ctx.guard, name, path, findings, summaries):
                continue
            source = open_source(path, table, ctx.workdir, findings)
            result = (
                None if source is None else check_source(source, ctx.geography, ctx.today, findings)
            )
            kind = source.kind if source is not None else file_kind(path)
            summaries.append(FileSummary(name, path, kind, result.rows if result else None))
            if result is not None:
                checked.setdefault(name, []).append(result)


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
) -> PersonKey | None:
    """Warn of each table's persons who are not in ``befolkning``; return an integer person
    key one-to-one on them and ``befolkning``'s (``person_key``), or None when there is none
    or a table was not checked."""
    befolkning = checked.get("befolkning")
    if not befolkning or _refused("befolkning", findings):
        return None
    try:
        persons = _distinct(_new_persons(befolkning).collect())
    except POLARS_ERRORS:
        return None  # the befolkning files were read once already; an error here is reported there
    others = [name for name in checked if name != "befolkning"]
    readable = {name: checked[name] for name in others if not _refused(name, findings)}
    everyone, complete = [persons], len(readable) == len(others)
    for name, found in _unknown_persons(persons, readable).items():
        if found is None:
            complete = False
            continue
        everyone.append(found)
        unknown = found
        try:
            for left_out in excluded:  # persons a policy left out are reported there
                unknown = unknown.lazy().join(left_out, on="pnr", how="anti").collect()
        except POLARS_ERRORS:
            complete = False
            continue
        if unknown.height:
            findings.add(
                Finding(
                    Severity.WARNING,
                    name,
                    f"{unknown.height:,} persons never appear in befolkning; their rows count in "
                    "no area",
                    column="pnr",
                    examples=tuple(quote(p) for p in unknown["pnr"].sort().head(MAX_EXAMPLES)),
                    hint="Usually harmless (persons who lived abroad); many such persons suggest "
                    "pnr in this table is pseudonymised differently from befolkning.",
                )
            )
    if not complete:
        return None
    # befolkning's persons are distinct, and no other table's unknown persons are among
    # them: only those need making distinct (a second pass over the 6 M national persons
    # took 1.5 s on one core).
    unknown = pl.concat(everyone[1:]).unique() if len(everyone) > 1 else persons.clear()
    return PersonKey.of(pl.concat([persons, unknown])["pnr"])


def _refused(table: str, findings: Findings) -> bool:
    """Whether ``table`` has an error (it is not read further)."""
    return any(f.severity is Severity.ERROR and f.table == table for f in findings.items)


def _new_persons(sources: Sequence[CheckedSource]) -> pl.LazyFrame:
    """The ``pnr`` of the rows of ``sources`` that do not repeat the row before's person.

    Dropping a repeat leaves the set of persons as it is and, in a file grouped by person
    (a registry's usual order; recepter: 16 dispensings a person), most rows.
    """
    pnr = pl.col("pnr")
    return pl.concat([s.typed.select("pnr") for s in sources]).filter(pnr.ne_missing(pnr.shift(1)))


def _distinct(persons: pl.DataFrame) -> pl.DataFrame:
    """``persons`` made distinct; a file in order of ``pnr`` already is, once repeats of the
    row before are gone (``_new_persons``): checking the order is a tenth of the work of
    making 6 M national persons distinct."""
    pnr = pl.col("pnr")
    if persons.select((pnr > pnr.shift(1)).sum()).item() == persons.height - 1:
        return persons
    return persons.unique()


def _unknown_persons(
    persons: pl.DataFrame, tables: Mapping[str, Sequence[CheckedSource]]
) -> dict[str, pl.DataFrame | None]:
    """Each table's distinct persons not in ``persons`` (None: the table cannot be read).

    One anti-join for every table, so that ``persons`` is hashed once and not once a table
    (national size: 1.6 s against 2.3 s); only the few persons left over are made distinct.
    Should that query fail, each table is asked on its own, to tell which one fails.
    """
    if not tables:
        return {}
    try:
        tagged = pl.concat(
            _new_persons(sources).with_columns(__table=pl.lit(i, pl.UInt32))
            for i, sources in enumerate(tables.values())
        )
        found = tagged.join(persons.lazy(), on="pnr", how="anti").unique().collect()
    except POLARS_ERRORS:
        return {name: _unknown_in(persons, sources) for name, sources in tables.items()}
    return {
        name: found.filter(pl.col("__table") == i).select("pnr") for i, name in enumerate(tables)
    }


def _unknown_in(persons: pl.DataFrame, sources: Sequence[CheckedSource]) -> pl.DataFrame | None:
    """The distinct persons of ``sources`` not in ``persons`` (None: they cannot be read)."""
    try:
        return _new_persons(sources).join(persons.lazy(), on="pnr", how="anti").unique().collect()
    except POLARS_ERRORS:
        return None
