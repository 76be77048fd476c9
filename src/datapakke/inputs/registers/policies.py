"""What real registers hold that the indicators leave out, counted instead of refused.

BEF holds persons of unknown sex (``koen`` 9), residents of Christiansø (``kom``
411, in no municipality) and, in snapshots before the 2007 reform, the codes of
the former municipalities. Each policy is a setting (``RegisterSettings``); the
rows it leaves out are counted for the report and the pack's method notes.
Codes that are none of these are still refused: they are errors in the data.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from datapakke.inputs.provenance import LeftOut
from datapakke.inputs.registers.settings import RegisterSettings

REASON = "__left_out"


@dataclass(frozen=True)
class Policy:
    """One reason to leave a BEF row out: its id, the test, and how it is said."""

    reason: str
    applies: pl.Expr
    what: str
    danish: str


def bef_policies(settings: RegisterSettings, municipalities: list[int]) -> list[Policy]:
    """The policies for BEF rows (columns ``koen`` as delivered, ``kom``, ``snapshot``)."""
    policies = []
    if settings.leave_out_sex_codes:
        policies.append(
            Policy(
                "koen",
                pl.col("koen").is_in(list(settings.leave_out_sex_codes)),
                f"with koen {'/'.join(settings.leave_out_sex_codes)} (sex unknown)",
                "med uoplyst køn",
            )
        )
    if settings.leave_out_municipalities:
        codes = ", ".join(str(c) for c in settings.leave_out_municipalities)
        policies.append(
            Policy(
                "kom",
                pl.col("kom").is_in(list(settings.leave_out_municipalities)),
                f"with kom {codes} (in no municipality, e.g. 411 Christiansø)",
                "bosat uden for kommunerne (Christiansø)",
            )
        )
    policies.append(
        Policy(
            "reform",
            ~pl.col("kom").is_in(municipalities)
            & (pl.col("snapshot").dt.year() < settings.municipality_reform_year),
            f"with a municipality code of before {settings.municipality_reform_year} "
            "(no municipality of today)",
            f"med en kommunekode fra før {settings.municipality_reform_year}",
        )
    )
    return policies


def reason_of(policies: list[Policy]) -> pl.Expr:
    """The first policy that leaves a row out (its id), or null for a row that is kept."""
    expression = pl.lit(None, pl.String)
    for policy in reversed(policies):
        expression = pl.when(policy.applies).then(pl.lit(policy.reason)).otherwise(expression)
    return expression


def count_left_out(frame: pl.LazyFrame, table: str, policies: list[Policy]) -> list[LeftOut]:
    """Rows and persons each policy left out of ``frame`` (which has ``REASON`` and ``pnr``)."""
    counts = (
        frame.filter(pl.col(REASON).is_not_null())
        .group_by(REASON)
        .agg(rows=pl.len(), persons=pl.col("pnr").n_unique())
        .collect()
    )
    found = {row[REASON]: row for row in counts.iter_rows(named=True)}
    return [
        LeftOut(table, p.what, p.danish, int(found[p.reason]["rows"]), found[p.reason]["persons"])
        for p in policies
        if p.reason in found
    ]


def rows_of(count: int, noun: str = "row") -> str:
    """'1 row', '1,204 rows': a count with its noun."""
    return f"{count:,} {noun}" if count == 1 else f"{count:,} {noun}s"


def left_out_text(items: list[LeftOut]) -> str:
    """The report's words for what was left out: '1,204 rows (1,204 persons) with koen 9...'."""
    return "; ".join(
        f"{rows_of(i.rows)} ({rows_of(i.persons, 'person')}) {i.what} left out" for i in items
    )
