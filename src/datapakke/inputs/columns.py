"""Find a table's columns in a file: by name, alias or case, or where a mapping file says.

A missing column is an error that names the file's columns and, where one looks
like it, the column that was probably renamed.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from datapakke.inputs.findings import Finding, Findings, Severity
from datapakke.inputs.schema import TABLES, Column, Table

LINE = "__line"


@dataclass(frozen=True)
class ColumnMap:
    """Where a table's columns are in a file a mapping names: source column, value map, constant.

    ``where`` says it in words for findings (e.g. "mapping.toml line 12").
    """

    sources: Mapping[str, str]
    values: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    constants: Mapping[str, str] = field(default_factory=dict)
    formats: Mapping[str, str] = field(default_factory=dict)
    where: Mapping[str, str] = field(default_factory=dict)


@dataclass
class _Match:
    chosen: dict[str, str] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    constants: dict[str, str] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)


def _match(
    names: list[str],
    table: Table,
    path: Path,
    findings: Findings,
    column_map: ColumnMap | None,
) -> _Match:
    by_key: dict[str, str] = {}
    for name in names:
        by_key.setdefault(name.strip().lower(), name)
    match = _Match()
    for column in table.columns:
        if column_map is not None and column.name in column_map.constants:
            match.constants[column.name] = column_map.constants[column.name]
        elif column_map is not None and column.name in column_map.sources:
            _mapped(column, column_map, by_key, names, table, path, findings, match)
        else:
            for candidate in (column.name, *column.aliases):
                if candidate in names or candidate in by_key:
                    match.chosen[column.name] = (
                        candidate if candidate in names else by_key[candidate]
                    )
                    break
            if column.name not in match.chosen and not column.optional:
                _missing(column.name, names, match, table, path, findings)
            elif column.name in match.chosen and match.chosen[column.name].lower() != column.name:
                match.labels[column.name] = f"{match.chosen[column.name]} ({column.name})"
    return match


def _mapped(
    column: Column,
    column_map: ColumnMap,
    by_key: dict[str, str],
    names: list[str],
    table: Table,
    path: Path,
    findings: Findings,
    match: _Match,
) -> None:
    source = column_map.sources[column.name]
    where = column_map.where.get(column.name, "the mapping file")
    if source.strip().lower() not in by_key:
        findings.add(
            Finding(
                Severity.ERROR,
                table.name,
                f"the column '{source}' that {where} names is not in the file "
                f"(the file has: {', '.join(names) or 'none'})",
                file=path,
                column=column.name,
                hint=f"Correct {where}, or the file.",
            )
        )
        match.missing.append(column.name)
        return
    match.chosen[column.name] = by_key[source.strip().lower()]
    match.labels[column.name] = f"{column.name} (column '{match.chosen[column.name]}', {where})"


def _missing(
    column: str, names: list[str], match: _Match, table: Table, path: Path, findings: Findings
) -> None:
    match.missing.append(column)
    unused = [n for n in names if n not in match.chosen.values()]
    guess = difflib.get_close_matches(column, [u.lower() for u in unused], n=1, cutoff=0.5)
    hint = (
        f"Rename the column '{_original(guess[0], unused)}' to '{column}' if it holds the {column}."
        if guess
        else f"The {table.name} table needs the columns "
        f"{', '.join(c.name for c in table.columns)}; see docs/data-contract.md."
    )
    findings.add(
        Finding(
            Severity.ERROR,
            table.name,
            f"the required column is missing (the file has: {', '.join(names) or 'none'})",
            file=path,
            column=column,
            hint=hint,
        )
    )


def select_columns(
    frame: pl.LazyFrame,
    names: list[str],
    table: Table,
    path: Path,
    findings: Findings,
    column_map: ColumnMap | None = None,
) -> tuple[pl.LazyFrame, dict[str, str]] | None:
    """Select the table's columns from ``frame`` (whose columns are ``names``), or None.

    A column is found under its name or one of its aliases, regardless of case and
    spaces; a mapping file's ``column_map`` names the source column instead, or a
    value for every row. Also returns the labels findings use for columns the file
    names differently. An optional column the file lacks is empty.
    """
    match = _match(names, table, path, findings, column_map)
    if match.missing:
        return None
    chosen = match.chosen
    renamed = [
        f"{chosen[c.name]} -> {c.name}"
        for c in table.columns
        if c.name in chosen and chosen[c.name] != c.name and c.name not in match.labels
    ]
    contract = table.name in TABLES and TABLES[table.name] is table
    if renamed and contract:  # registers come in SAS's upper case: no news there
        findings.add(
            Finding(
                Severity.NOTE,
                table.name,
                "column names matched regardless of case: " + ", ".join(renamed),
                file=path,
            )
        )
    extra = [n for n in names if n not in chosen.values()]
    if extra and column_map is None and contract:
        findings.add(
            Finding(
                Severity.NOTE,
                table.name,
                "columns not in the contract are ignored: " + ", ".join(extra),
                file=path,
            )
        )
    selected = []
    for column in table.columns:
        if column.name in match.constants:
            selected.append(pl.lit(match.constants[column.name]).alias(column.name))
        elif column.name not in chosen:
            selected.append(pl.lit(None, column.dtype).alias(column.name))
        elif column_map is not None and column.name in column_map.values:
            text = pl.col(chosen[column.name]).cast(pl.String).str.strip_chars()
            recoded = text.replace(dict(column_map.values[column.name]))
            selected.append(recoded.alias(column.name))
        else:
            selected.append(pl.col(chosen[column.name]).alias(column.name))
    return frame.select(*selected, *_line(frame)), match.labels


def _line(frame: pl.LazyFrame) -> list[pl.Expr]:
    return [pl.col(LINE)] if LINE in frame.collect_schema().names() else []


def _original(lowered: str, names: list[str]) -> str:
    return next(n for n in names if n.lower() == lowered)
