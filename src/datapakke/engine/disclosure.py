"""Statistical disclosure control on the IndicatorTable (methods.md, "Disclosure control").

1. Primary: a numerator 1 .. t-1 is hidden, and with it the value and interval (a
   known denominator would give the count back). A sensitive denominator (persons with
   KOL, index admissions) 1 .. t-1 hides its row.
2. Complementary: the reader knows the geography (an area is the sum of its parts at
   every finer level) and the relations between counts (women + men = everyone; persons
   65+ = persons 80+ plus persons 65-79). Published cells are added to the hidden ones
   until no hidden count and no derived count of 1 .. t-1 can be worked out, and no sum
   of hidden cells that an equation gives is 1 .. t-1 (``protect``).
3. Counts from the population register are public and never suppressed.
4. Pooled rows (``pooled``: the years ``first_year`` .. ``year`` together, offered
   beside the single years) are decided in a second pass, once the single years are
   protected as if there were none (so pooling never hides a year): a pooled count is
   the sum of its years, and one that would let a hidden or small count be worked out
   is withdrawn (flag ``withdrawn``; the caller drops it) (``protect_pooled``).

A hidden row is flagged ``suppressed_small`` when its numerator is 1 .. t-1 and
``suppressed_complementary`` otherwise (it is hidden to protect a small count: another
area's, sex's or group's, or its own denominator's). Nothing here knows about
indicators beyond the flags ``suppressible`` and ``sensitive_denominator`` of each row.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Final

import numpy as np
import polars as pl

from datapakke.engine.equations import Relations, System, build_system, pooled_cells
from datapakke.engine.exact_cases import ProtectionError
from datapakke.engine.protect import protect
from datapakke.engine.protect_pooled import protect_pooled

SUPPRESSED_SMALL: Final = "suppressed_small"
SUPPRESSED_COMPLEMENTARY: Final = "suppressed_complementary"
SUPPRESSED_FLAGS: Final = frozenset({SUPPRESSED_SMALL, SUPPRESSED_COMPLEMENTARY})
# A pooled row that is not published at all (it is no statement about the area).
WITHDRAWN: Final = "withdrawn"
# A hidden count takes its value and interval along (a known denominator would give it back).
HIDDEN_WITH_THE_COUNT: Final = ("numerator", "value", "lower", "upper")


def _small(column: str, threshold: int) -> pl.Expr:
    return pl.col(column).is_between(1, threshold - 1)


def _primary(system: System, min_count: int) -> np.ndarray:
    """Published counts 1 .. t-1."""
    values = system.values
    return ~system.derived & (values >= 1) & (values < min_count)


@contextlib.contextmanager
def _naming_cells(system: System) -> Iterator[None]:
    """A ProtectionError from ``system``'s protection names (the first of) its cells."""
    try:
        yield
    except ProtectionError as error:
        named = system.cells[error.cells[:5]].select(
            pl.format("{} in {} {}, {}", "key", "area_level", "area_code", "year")
        )
        raise ProtectionError(
            error.cells,
            f"{len(error.cells)} count(s) could be worked out and no published cell protects "
            f"them, e.g. {'; '.join(named.to_series().str.replace_all('[|]', ' ').to_list())}",
        ) from error


def suppress(
    table: pl.DataFrame,
    membership: pl.DataFrame,
    min_count: int,
    relations: Relations | None = None,
) -> pl.DataFrame:
    """Apply primary and complementary suppression; return the table without helper columns.

    ``table`` has the IndicatorTable columns plus booleans ``suppressible`` (the row's
    counts come from health registers) and ``sensitive_denominator``; ``membership`` is
    ``Geography.membership()``. A hidden row has empty ``numerator, value, lower,
    upper`` (and ``denominator`` when that is hidden) and a ``suppressed_*`` flag; a
    withdrawn pooled row has the same blanks and the flag ``withdrawn``.
    """
    relations = relations or Relations()
    pooled = table["pooled"].to_numpy() if "pooled" in table.columns else np.zeros(0, dtype=bool)
    single_rows = np.flatnonzero(~pooled) if pooled.any() else np.arange(table.height)
    # The single years first, as if there were no pooled rows: pooling never hides a year.
    system = build_system(table[single_rows], membership, relations)
    nulls: dict[bytes, np.ndarray] = {}
    with _naming_cells(system):
        hidden = protect(system, _primary(system, min_count), min_count, nulls)
    shown = hidden & ~system.derived
    rows = single_rows[system.row[shown]]
    hidden_rows = np.zeros(table.height, dtype=bool)
    hidden_rows[rows[~system.denominator[shown]]] = True
    hidden_denominators = np.zeros(table.height, dtype=bool)
    hidden_denominators[rows[system.denominator[shown]]] = True
    withdrawn_rows = np.zeros(table.height, dtype=bool)
    if pooled.any():
        cells = pooled_cells(table, system)
        small, withdrawn = protect_pooled(system, hidden, cells, min_count, nulls)
        hidden_rows[cells.row[small & ~cells.denominator]] = True
        hidden_denominators[cells.row[small & cells.denominator]] = True
        withdrawn_rows[cells.row[withdrawn]] = True
    # A row whose denominator is hidden is hidden whole, even when it has no numerator cell.
    hidden_rows |= hidden_denominators
    # A withdrawn row shows nothing; it is flagged withdrawn unless its count is hidden.
    blank_denominators = hidden_denominators | withdrawn_rows
    only_withdrawn = withdrawn_rows & ~hidden_rows
    hidden_rows |= withdrawn_rows
    hide = pl.Series("hide", hidden_rows)
    flag = (
        pl.when(~hide)
        .then(pl.col("flag"))
        .when(pl.Series(only_withdrawn))
        .then(pl.lit(WITHDRAWN))
        .when(_small("numerator", min_count))
        .then(pl.lit(SUPPRESSED_SMALL))
        .otherwise(pl.lit(SUPPRESSED_COMPLEMENTARY))
    )
    return table.with_columns(
        *(
            pl.when(~hide).then(pl.col(c)).alias(c)
            for c in ("numerator", "value", "lower", "upper")
        ),
        denominator=pl.when(~pl.Series(blank_denominators)).then(pl.col("denominator")),
        flag=flag,
    ).drop("suppressible", "sensitive_denominator")
