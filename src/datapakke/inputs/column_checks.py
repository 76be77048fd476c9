"""The checks of one source's columns: each column's conversion and rules (given where
required, readable, its allowed values, pattern, minimum, no future dates, a known
municipality), and the table's own rules. ``checks.py`` runs them over the file.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

import polars as pl

from datapakke.geography import Geography
from datapakke.inputs import distinct
from datapakke.inputs.conventions import Conversion
from datapakke.inputs.findings import Severity
from datapakke.inputs.readers import COLUMNAR, POLARS_ERRORS, Source
from datapakke.inputs.schema import Column

# A converted column's raw text is kept beside it under this prefix (its examples).
RAW = "__raw__"


@dataclass(frozen=True)
class Check:
    """One rule on one column: rows where ``bad`` is true break it; ``count`` (an aggregate)
    counts them where that is cheaper than summing ``bad``."""

    column: str | None
    bad: pl.Expr
    message: str
    shown: pl.Expr
    hint: str
    distinct: bool = False
    severity: Severity = Severity.ERROR
    count: pl.Expr | None = None

    @property
    def broken(self) -> pl.Expr:
        """How many rows break the rule (an aggregate)."""
        return self.bad.sum() if self.count is None else self.count


def column_checks(
    source: Source,
    sample: pl.DataFrame,
    converted: list[Conversion],
    geography: Geography,
    today: dt.date,
) -> tuple[list[Conversion], list[Check]]:
    """Each column's conversion and rules; those of a column with few distinct values
    become lookups by value (``distinct``), the others stay row-wise expressions."""
    names = distinct.candidates(sample, [c.column.name for c in converted])
    try:
        values = distinct.distinct_values(source.frame, names, by_column=source.kind in COLUMNAR)
    except POLARS_ERRORS:
        values = {}  # row-wise then; the counting pass reports what is wrong with the file
    conversions_out: list[Conversion] = []
    checks: list[Check] = []
    for conversion in converted:
        own = _checks_of(conversion, geography, today)
        name = conversion.column.name
        used = conversion
        if name in values:
            raw = name if conversion.identity else RAW + name
            used, bad = distinct.looked_up(conversion, raw, values[name], [c.bad for c in own])
            own = [replace(c, bad=b, count=None) for c, b in zip(own, bad, strict=True)]
        conversions_out.append(used)
        checks += own
    return conversions_out, checks


def _checks_of(conversion: Conversion, geography: Geography, today: dt.date) -> list[Check]:
    """The rules on one column: given where required, readable, and its values' own rules."""
    checks: list[Check] = []
    column = conversion.column
    typed = pl.col(column.name)
    if not column.nullable:
        checks.append(
            Check(
                column.name,
                ~conversion.given.fill_null(False),
                "empty values",
                pl.lit(None, pl.String),
                f"Every row needs a {column.name}; fill it in or drop the row.",
                count=conversion.absent,
            )
        )
    if conversion.unreadable is not None:
        checks.append(
            Check(
                column.name,
                conversion.unreadable.fill_null(False),
                f"values that cannot be read as {conversion.expected}",
                pl.col(RAW + column.name).cast(pl.String),
                _unreadable_hint(column),
            )
        )
    checks += _value_checks(column, typed, geography, today)
    return checks


def _unreadable_hint(column: Column) -> str:
    match column.type_name:
        case "date":
            return (
                "Write dates as 2023-12-31; 31-12-2023, 31.12.2023, 31DEC2023 and "
                "20231231 are read too, but one layout per column."
            )
        case "datetime":
            return "Write date-times as 2023-12-31 14:05:00 (or a date layout with a time)."
        case "int":
            return f"Write {column.name} as a whole number."
        case "float":
            return f"Write {column.name} as a number (2.5 or 2,5)."
    return f"Write {column.name} as {column.description}."


def _value_checks(
    column: Column, typed: pl.Expr, geography: Geography, today: dt.date
) -> list[Check]:
    checks: list[Check] = []
    given = typed.is_not_null()
    if column.allowed is not None:
        checks.append(
            Check(
                column.name,
                given & ~typed.is_in(column.allowed),
                "values that are not allowed",
                typed.cast(pl.String),
                f"Use one of: {', '.join(column.allowed)}.",
                distinct=True,
            )
        )
    if column.pattern is not None:
        checks.append(
            Check(
                column.name,
                given & ~typed.str.contains(column.pattern),
                f"values that are not {column.pattern_text or column.description}",
                typed,
                f"Write {column.name} like {column.example}.",
                distinct=True,
            )
        )
    if column.minimum is not None:
        checks.append(
            Check(
                column.name,
                given & (typed < column.minimum),
                f"values below {column.minimum:g}",
                typed.cast(pl.String),
                f"{column.name} must be at least {column.minimum:g}.",
            )
        )
    if column.not_in_future:
        if column.type_name == "int":
            future = typed > today.year
        elif column.type_name == "date":
            future = typed > today
        else:
            future = typed >= dt.datetime.combine(today + dt.timedelta(days=1), dt.time())
        what = "years" if column.type_name == "int" else "dates"
        shown = typed.cast(pl.String)
        if column.type_name == "datetime":
            shown = typed.dt.to_string("%Y-%m-%d %H:%M")
        checks.append(
            Check(
                column.name,
                given & future,
                f"{what} in the future (after {today})",
                shown,
                "Dates after today are typing errors or placeholder dates "
                "(9999-12-31); correct them or leave the rows out.",
            )
        )
    if column.municipality:
        codes = sorted(geography.kommuner)
        checks.append(
            Check(
                column.name,
                given & ~typed.is_in(codes),
                f"codes that are not one of the {len(codes)} municipalities",
                typed,
                "Use the municipality codes in force since 2007 "
                "(codes of the former municipalities must be recoded); "
                "'datapakke omraader' lists the municipalities.",
                distinct=True,
            )
        )
    return checks


def rule_checks(source: Source) -> list[Check]:
    """The table's own rules (across columns), as checks."""
    return [
        Check(
            rule.column,
            rule.violated().fill_null(False),
            rule.description,
            rule.shown() if rule.shown else pl.col(rule.column).cast(pl.String),
            rule.hint,
            severity=rule.severity,
        )
        for rule in source.table.rules
    ]
