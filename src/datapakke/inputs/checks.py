"""Check one file against the contract in a single lazy pass, and say what is wrong.

Every rule becomes a boolean expression; one query counts the rows breaking
each rule and keeps the first few offending values and their lines. Only when
a rule is broken does a second, small query look closer (which codes, which
duplicated keys), so a valid file costs one scan (a columnar file one more of its key).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from datapakke.errors import excerpt
from datapakke.geography import Geography
from datapakke.inputs.column_checks import RAW, Check, column_checks, rule_checks
from datapakke.inputs.conventions import Conversion, convert
from datapakke.inputs.findings import MAX_EXAMPLES, Finding, Findings, Severity, quote
from datapakke.inputs.readers import COLUMNAR, LINE, POLARS_ERRORS, Source, read_failure

SAMPLE_ROWS = 2_000
# Codes a real extract may hold that are not among the 98 municipalities, with what they are.
KNOWN_NON_MUNICIPALITIES = {411: "Christiansø (administered by the state, in no municipality)"}


@dataclass(frozen=True)
class CheckedSource:
    """A source after checking: its typed frame (contract columns only) and its row count."""

    source: Source
    typed: pl.LazyFrame
    checking: pl.LazyFrame
    rows: int | None


def read_sample(source: Source, findings: Findings) -> pl.DataFrame | None:
    """The first ``SAMPLE_ROWS`` rows of ``source`` (None, with a finding, if unreadable)."""
    try:
        return source.frame.head(SAMPLE_ROWS).collect()
    except POLARS_ERRORS as error:
        findings.add(_file_error(source, error))
        return None


def conversions(
    source: Source, sample: pl.DataFrame, findings: Findings
) -> list[Conversion] | None:
    """How each contract column of ``source`` is read, recognised from its ``sample``.

    A converted column's expressions read the raw value from ``RAW + name``.
    """
    if _nested_columns(source, sample.schema, findings):
        return None
    result = []
    for column in source.table.columns:
        dtype = sample.schema[column.name]
        given = source.formats.get(column.name)
        values = sample[column.name]
        conversion = convert(column, dtype, values, source.sas, pl.col(column.name), given)
        if not conversion.identity:
            raw = pl.col(RAW + column.name)
            conversion = convert(column, dtype, values, source.sas, raw, given)
        if conversion.note:
            findings.add(
                Finding(
                    Severity.NOTE,
                    source.table.name,
                    conversion.note,
                    file=source.path,
                    column=source.label(column.name),
                )
            )
        result.append(conversion)
    return result


def _nested_columns(source: Source, schema: pl.Schema, findings: Findings) -> bool:
    """Record an error for each contract column that holds lists or structs; whether any did."""
    nested = [c for c in source.table.columns if schema[c.name].is_nested()]
    for column in nested:
        findings.add(
            Finding(
                Severity.ERROR,
                source.table.name,
                f"the column holds {_nested_kind(schema[column.name])} "
                f"({excerpt(str(schema[column.name]))}), not one {column.type_name} per row",
                file=source.path,
                column=source.label(column.name),
                hint=f"Export {column.name} as plain values, one per row (not a list or a "
                "struct of several).",
            )
        )
    return bool(nested)


def _nested_kind(dtype: pl.DataType) -> str:
    return "structs" if isinstance(dtype, pl.Struct) else "lists"


def _file_error(source: Source, error: BaseException) -> Finding:
    message, hint = read_failure(error)
    return Finding(Severity.ERROR, source.table.name, message, file=source.path, hint=hint)


def checking_frame(source: Source, converted: list[Conversion]) -> pl.LazyFrame:
    """The file with every contract column typed; a converted column keeps its raw value too."""
    changed = [c for c in converted if not c.identity]
    frame = source.frame
    if changed:
        frame = frame.with_columns(
            pl.col(c.column.name).alias(RAW + c.column.name) for c in changed
        )
        frame = frame.with_columns(c.value.alias(c.column.name) for c in changed)
    return frame


def check_source(
    source: Source, geography: Geography, today: dt.date, findings: Findings
) -> CheckedSource | None:
    """Check every row of ``source``; record findings; return its typed frame, or None.

    The common case (a valid file) costs one streaming pass that only counts (and in
    a columnar file one over its key); examples and lines are looked up only for the
    rules that are broken.
    """
    sample = read_sample(source, findings)
    converted = None if sample is None else conversions(source, sample, findings)
    if sample is None or converted is None:
        return None
    converted, checks = column_checks(source, sample, converted, geography, today)
    checking = checking_frame(source, converted)
    checks += rule_checks(source)
    key = list(source.table.unique_key)
    try:
        # One pass counts the rows, each rule's offences and, in a text file (which a
        # second query would parse again), the distinct keys; a columnar file's key is
        # counted in a query of its own.
        in_pass = bool(key) and source.kind not in COLUMNAR
        counts = checking.select(
            pl.len().alias("rows"),
            *(c.broken.alias(f"n{i}") for i, c in enumerate(checks)),
            *([_hashed_repeats(key)] if in_pass else []),
        ).collect(engine="streaming")
        repeats = counts["hashed_repeats"][0] if in_pass else _parted_repeats(checking, key)
        duplicates = _duplicate_count(checking, key, repeats)
        broken = [(i, c, int(counts[f"n{i}"][0] or 0)) for i, c in enumerate(checks)]
        broken = [(i, c, n) for i, c, n in broken if n]
        examples = _examples(checking, [(i, c) for i, c, _ in broken])
    except POLARS_ERRORS as error:
        findings.add(_file_error(source, error))
        return None
    rows = int(counts["rows"][0])
    if rows == 0:
        findings.add(
            Finding(
                Severity.ERROR,
                source.table.name,
                "the file has no rows",
                file=source.path,
                hint="Export the table again, or remove the file if the table is "
                "not part of the extract.",
            )
        )
    for i, check, count in broken:
        shown = [quote(v) for v in examples[f"v{i}"] if v is not None]
        if check.distinct:
            shown = _distinct_examples(checking, check)
        findings.add(
            Finding(
                check.severity,
                source.table.name,
                check.message,
                file=source.path,
                column=source.label(check.column),
                rows=count,
                examples=tuple(shown),
                lines=tuple(int(str(n)) for n in examples[f"l{i}"]),
                where=source.where,
                hint=_hint(check, shown),
            )
        )
    if duplicates:
        findings.add(duplicate_finding(source, checking, key, duplicates))
    typed = checking.select(c.name for c in source.table.columns)
    return CheckedSource(source, typed, checking, rows)


def _hashed_repeats(key: list[str]) -> pl.Expr:
    """Rows beyond the first of each key's 64-bit hash, within the counting pass."""
    return (pl.len() - pl.struct(key).hash().n_unique()).alias("hashed_repeats")


def _parted_repeats(frame: pl.LazyFrame, key: list[str]) -> int:
    """What ``_hashed_repeats`` counts, in a query that reads only the key (0 without one).

    The hashes are counted within 256 parts (by their top byte), which run side by
    side and each fit in the cache: for national ``befolkning`` (30 M rows) one set of
    hashes took 2.8-4.4 s, the parts 2.1 s.
    """
    if not key or _ascending(frame, key):
        return 0
    part = pl.col("hash") // pl.lit(1 << 56, dtype=pl.UInt64)
    repeats = (
        frame.select(hash=pl.struct(key).hash())
        .group_by(part)
        .agg(repeats=pl.len() - pl.col("hash").n_unique())
        .select(pl.col("repeats").sum())
        .collect()
        .item()
    )
    return int(repeats)


def _ascending(frame: pl.LazyFrame, key: list[str]) -> bool:
    """Whether each row's key is greater than the row before's, compared column by column in
    the key's order or in the reverse order (by person and year, or by year and person),
    which proves the key unique without a set of hashes.

    A file written in either order (``datapakke sample`` writes by person and year; a file
    stacked from yearly files, each by person, is by year and person) passes in one pass
    over the key (national ``befolkning``: 0.5 s, against 1.8 s for the hashes); any other
    order, or a null in the key, answers False and the hashes are counted as before.
    """
    orders = [key] if len(key) == 1 else [key, key[::-1]]
    greater = {f"order_{i}": _greater_than_before(o).sum() for i, o in enumerate(orders)}
    counted = frame.select(rows=pl.len(), **greater).collect()
    # The first row has no row before; every other row must be greater.
    return any(counted[name][0] == counted["rows"][0] - 1 for name in greater)


def _greater_than_before(key: list[str]) -> pl.Expr:
    """Whether a row's key is greater than the row before's, comparing ``key``'s columns in
    order (false for the first row and wherever a null is compared)."""
    greater = pl.lit(value=False)
    for name in reversed(key):
        column, before = pl.col(name), pl.col(name).shift(1)
        greater = (column > before) | ((column == before) & greater)
    return greater.fill_null(value=False)


def _duplicate_count(frame: pl.LazyFrame, key: list[str], hashed_repeats: int) -> int:
    """Rows beyond the first of each key (0 when the key is unique, or there is none).

    Counting distinct hashes of the key (``hashed_repeats``) is fast; a repeat there, or
    a hash collision, triggers the exact count.
    """
    if not key or not hashed_repeats:
        return 0
    counted = frame.group_by(key).agg(pl.len().alias("n"))
    extra = counted.select((pl.col("n") - 1).sum()).collect(engine="streaming").item()
    return int(extra or 0)


def _examples(frame: pl.LazyFrame, broken: list[tuple[int, Check]]) -> dict[str, list[object]]:
    """The first few offending values and lines of each broken rule, in one query."""
    if not broken:
        return {}
    result = frame.select(
        expression
        for i, check in broken
        for expression in (
            check.shown.filter(check.bad).head(MAX_EXAMPLES).implode().alias(f"v{i}"),
            pl.col(LINE).filter(check.bad).head(MAX_EXAMPLES).implode().alias(f"l{i}"),
        )
    ).collect()
    return {name: result[name][0].to_list() for name in result.columns}


def _hint(check: Check, examples: Sequence[str]) -> str:
    if check.column == "kommunekode":
        known = [
            text
            for code, text in KNOWN_NON_MUNICIPALITIES.items()
            if any(e.startswith(f"{code} ") for e in examples)
        ]
        if known:
            return f"{'; '.join(known)}: drop these rows or assign them to a municipality. " + (
                check.hint
            )
    return check.hint


def _distinct_examples(frame: pl.LazyFrame, check: Check) -> list[str]:
    counts = (
        frame.filter(check.bad)
        .group_by(check.shown.alias("value"))
        .agg(pl.len().alias("n"))
        .sort(["n", "value"], descending=[True, False])
        .head(MAX_EXAMPLES)
        .collect()
    )
    return [f"{quote(v)} ({n:,}×)" for v, n in counts.iter_rows()]


def duplicate_finding(
    source: Source, checking: pl.LazyFrame, key: list[str], duplicates: int
) -> Finding:
    """Describe rows that repeat the table's key: how many, which keys, exact copies or not."""
    contract = [c.name for c in source.table.columns]
    exact = checking.select(pl.len() - pl.struct(contract).n_unique()).collect().item()
    repeated = (
        checking.filter(pl.struct(key).is_duplicated())
        .sort([*key, LINE])
        .head(MAX_EXAMPLES)
        .collect()
    )
    examples = tuple(
        "(" + ", ".join(quote(row[k]) for k in key) + ")" for row in repeated.iter_rows(named=True)
    )
    if exact == duplicates:
        copies = (
            "1 row is an exact copy" if duplicates == 1 else f"{duplicates:,} rows are exact copies"
        )
        message = f"duplicated rows: {copies} of another row"
        hint = "Remove the duplicated rows (often the same file appended twice)."
    else:
        message = (
            f"the key ({', '.join(key)}) is not unique: {duplicates:,} "
            f"{'row repeats' if duplicates == 1 else 'rows repeat'} a key of another row"
        )
        hint = f"Each ({', '.join(key)}) may occur once; remove or correct the repeated rows."
    return Finding(
        Severity.ERROR,
        source.table.name,
        message,
        file=source.path,
        column=", ".join(key),
        examples=examples,
        lines=tuple(repeated[LINE].to_list()),
        where=source.where,
        hint=hint,
    )
