"""The linear system disclosure control protects: cells, and the equations a reader knows.

A *cell* is one count of one area and year: an indicator's numerator, a sensitive
denominator, or a *derived* count that no indicator publishes but that follows from
published ones (persons aged 65-79 = persons 65+ minus persons 80+). The equations
are the geography's (an area is the sum of the areas of a finer level that make it
up, for every pair of nested levels of ``Geography.membership()``) and the relations
between counts (``Relations``), in every area and year. A *pooled* count (of the
years ``first_year`` .. ``year`` together) is no cell of the ``System``: it is the sum
of its years' cells (``pooled_cells``), and that is all a reader learns from it (what
the geography and the relations say about pooled counts follows from what they say
about each year, and a relation between an indicator that is pooled and one that is
not would be false for the pooled period).

This module imports nothing of the project: the relations arrive as plain data.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, NamedTuple

import numpy as np
import polars as pl
from scipy import sparse

NUMERATOR: Final = "numerator"
DENOMINATOR: Final = "denominator"
# One count column of one indicator: (indicator_id, NUMERATOR or DENOMINATOR).
CountKey = tuple[str, str]
# A linear combination of counts: (count, coefficient) pairs.
LinearTerms = tuple[tuple[CountKey, float], ...]

_AREA = ["area_level", "area_code"]
# A cell's time: its year, and whether it pools the years up to it.
_TIME = ["year", "pooled"]


@dataclass(frozen=True)
class Derived:
    """A count no indicator publishes that equals ``sum(coefficient x count)`` of ``terms``."""

    name: str
    terms: LinearTerms


@dataclass(frozen=True)
class Relations:
    """What a reader knows about how the counts of one area and year hang together.

    ``derived``: counts that follow from the published ones (each defines an equation
    ``derived = sum(terms)``); ``identities``: combinations that are 0 everywhere
    (women + men - everyone; two indicators counting the same persons).
    """

    derived: tuple[Derived, ...] = ()
    identities: tuple[LinearTerms, ...] = ()


@dataclass(frozen=True)
class System:
    """Cells and equations: ``matrix @ true_values == 0`` holds row by row.

    ``cells`` names each cell (``key``, area, year); per cell: ``values`` (the true
    count), ``derived``, ``row`` (the table row of a published count, -1 for a derived
    one), ``denominator`` (the cell is a denominator), ``numerator_of`` (for a
    denominator, the cell of the same row's numerator, else -1), ``size``
    (municipalities in the cell's area) and ``pooled`` (a count of several years).
    """

    matrix: sparse.csr_array
    cells: pl.DataFrame
    values: np.ndarray
    derived: np.ndarray
    row: np.ndarray
    denominator: np.ndarray
    numerator_of: np.ndarray
    size: np.ndarray
    pooled: np.ndarray


class PooledCells(NamedTuple):
    """The pooled counts of a table, outside the single years' ``System``: per pooled
    cell its table ``row``, whether it is a ``denominator``, its ``values``, ``size``
    (municipalities in its area) and ``years`` (the single years' cells it sums)."""

    row: np.ndarray
    denominator: np.ndarray
    values: np.ndarray
    size: np.ndarray
    years: list[np.ndarray]


def pooled_cells(table: pl.DataFrame, single: System) -> PooledCells:
    """The pooled rows' counts of ``table`` (rows with ``pooled`` true, counting the years
    ``first_year`` .. ``year``) and their years' cells in ``single``, the ``System`` of
    the table's other rows."""
    pooled = _measured_cells(table).filter("pooled").with_row_index("pooled_cell")
    years = single.cells.filter(pl.col("role").is_not_null()).select(
        "key", *_AREA, year_of_cell="year", year_cell="cell"
    )
    parts = (
        pooled.join(years, on=["key", *_AREA], how="left")
        .filter(pl.col("year_of_cell").is_between(pl.col("first_year"), pl.col("year")))
        .group_by("pooled_cell")
        .agg(pl.col("year_cell").sort())
    )
    pooled = pooled.join(parts, on="pooled_cell", how="left").sort("pooled_cell")
    years_of = [
        np.asarray(cells if cells is not None else [], dtype=np.int64)
        for cells in pooled["year_cell"].to_list()
    ]
    size = np.array(
        [int(single.size[cells[0]]) if cells.size else 0 for cells in years_of], dtype=np.int64
    )
    return PooledCells(
        row=pooled["row"].to_numpy().astype(np.int64),
        denominator=(pooled["role"] == DENOMINATOR).to_numpy(),
        values=pooled["value"].to_numpy().astype(np.int64),
        size=size,
        years=years_of,
    )


def nested_areas(membership: pl.DataFrame) -> pl.DataFrame:
    """``parent_level, parent_code, child_level, child_code`` for every pair of nested levels.

    A level nests in another when each of its areas lies within one area of the other
    (municipalities in clusters, clusters in regions, everything in the country); of two
    levels with the same areas only one direction is kept. No level names are assumed.
    """
    m = membership.select("kommunekode", "area_level", "area_code")
    pairs = m.join(m, on="kommunekode", suffix="_parent").filter(
        pl.col("area_level") != pl.col("area_level_parent")
    )
    areas = m.group_by("area_level").agg(areas=pl.col("area_code").n_unique())
    nests = (
        pairs.group_by("area_level", "area_level_parent", "area_code")
        .agg(parents=pl.col("area_code_parent").n_unique())
        .group_by("area_level", "area_level_parent")
        .agg(nests=(pl.col("parents") == 1).all())
        .filter("nests")
        .join(areas, on="area_level")
        .join(
            areas.select(area_level_parent="area_level", parent_areas="areas"),
            on="area_level_parent",
        )
    )
    # Identical partitions nest both ways: keep one direction.
    finer = (pl.col("areas") > pl.col("parent_areas")) | (
        (pl.col("areas") == pl.col("parent_areas"))
        & (pl.col("area_level") > pl.col("area_level_parent"))
    )
    nesting = nests.filter(finer).select("area_level", "area_level_parent")
    return (
        pairs.join(nesting, on=["area_level", "area_level_parent"], how="semi")
        .select(
            parent_level="area_level_parent",
            parent_code="area_code_parent",
            child_level="area_level",
            child_code="area_code",
        )
        .unique()
        .sort(pl.all())
    )


def build_system(table: pl.DataFrame, membership: pl.DataFrame, relations: Relations) -> System:
    """The cells of ``table`` and every equation between them.

    ``table`` has ``indicator_id, area_level, area_code, year, numerator, denominator`` and
    the booleans ``suppressible`` and ``sensitive_denominator``; its row order is the
    cells' order (and so the order every tie is broken in). The rows are single years
    (pooled rows go to ``pooled_cells``).
    """
    if "pooled" not in table.columns:
        table = table.with_columns(pooled=pl.lit(value=False), first_year=pl.col("year"))
    measured = _measured_cells(table)
    derived = _derived_cells(measured.filter(~pl.col("pooled")), relations)
    cells = pl.concat([measured, derived], how="vertical_relaxed").with_row_index("cell")
    sizes = membership.group_by(_AREA).agg(size=pl.len().cast(pl.Int64))
    cells = cells.join(sizes, on=_AREA, how="left", maintain_order="left").with_columns(
        pl.col("size").fill_null(1)
    )
    entries = pl.concat(
        [
            _geography_entries(cells, membership),
            _relation_entries(cells, relations),
        ]
    )
    # Joins do not keep row order: number the equations by their labels, so that every
    # tie in the rounds of complementary suppression breaks the same way in every run.
    equation = entries.select("equation").unique().sort("equation").with_row_index("id")
    entries = entries.join(equation, on="equation")
    matrix = sparse.coo_array(
        (
            entries["coefficient"].to_numpy(),
            (
                entries["id"].to_numpy().astype(np.int64),
                entries["cell"].to_numpy().astype(np.int64),
            ),
        ),
        shape=(equation.height, cells.height),
    ).tocsr()
    matrix.sum_duplicates()
    matrix.eliminate_zeros()
    numerators = cells.filter(pl.col("role") == NUMERATOR).select("row", numerator_cell="cell")
    paired = cells.join(numerators, on="row", how="left", maintain_order="left").select(
        pl.when(pl.col("role") == DENOMINATOR).then("numerator_cell").fill_null(-1)
    )
    return System(
        matrix=matrix,
        cells=cells.drop("size"),
        values=cells["value"].to_numpy().astype(np.int64),
        derived=cells["role"].is_null().to_numpy(),
        row=cells["row"].fill_null(-1).to_numpy().astype(np.int64),
        denominator=(cells["role"] == DENOMINATOR).fill_null(value=False).to_numpy(),
        numerator_of=paired.to_series().to_numpy().astype(np.int64),
        size=cells["size"].to_numpy().astype(np.int64),
        pooled=cells["pooled"].to_numpy(),
    )


def _measured_cells(table: pl.DataFrame) -> pl.DataFrame:
    """One cell per published count that disclosure control guards (numerators, and
    denominators from health registers). An empty count (no row) is 0 and not a cell."""
    rows = table.with_row_index("row").filter("suppressible")
    columns = ["row", "indicator_id", *_AREA, *_TIME, "first_year"]
    numerators = rows.filter(pl.col("numerator").is_not_null()).select(
        *columns, role=pl.lit(NUMERATOR), value="numerator"
    )
    denominators = rows.filter(
        pl.col("sensitive_denominator"), pl.col("denominator").is_not_null()
    ).select(*columns, role=pl.lit(DENOMINATOR), value="denominator")
    return pl.concat([numerators, denominators]).select(
        pl.col("row").cast(pl.Int64),
        key=pl.col("indicator_id") + "|" + pl.col("role"),
        role=pl.col("role"),
        area_level=pl.col("area_level"),
        area_code=pl.col("area_code"),
        year=pl.col("year").cast(pl.Int32),
        pooled=pl.col("pooled").cast(pl.Boolean),
        first_year=pl.col("first_year").cast(pl.Int32),
        value=pl.col("value").cast(pl.Int64),
    )


def _key(count: CountKey) -> str:
    return f"{count[0]}|{count[1]}"


def _terms_frame(terms: LinearTerms, **labels: object) -> pl.DataFrame:
    return pl.DataFrame(
        {"key": [_key(k) for k, _ in terms], "coefficient": [float(c) for _, c in terms]},
        schema={"key": pl.String, "coefficient": pl.Float64},
    ).with_columns(**{name: pl.lit(value) for name, value in labels.items()})


def _derived_cells(measured: pl.DataFrame, relations: Relations) -> pl.DataFrame:
    """A cell per derived count and area-year where any of its terms has a cell."""
    if not relations.derived:
        return measured.clear().with_columns(role=pl.lit(None, dtype=pl.String))
    terms = pl.concat(
        _terms_frame(d.terms, derived=f"derived|{i}") for i, d in enumerate(relations.derived)
    )
    values = (
        measured.join(terms, on="key")
        .group_by("derived", *_AREA, *_TIME)
        .agg(
            value=(pl.col("value") * pl.col("coefficient")).sum().round().cast(pl.Int64),
            first_year=pl.col("first_year").min(),
        )
        .sort("derived", *_AREA, *_TIME)
    )
    return values.select(
        row=pl.lit(None, dtype=pl.Int64),
        key="derived",
        role=pl.lit(None, dtype=pl.String),
        area_level="area_level",
        area_code="area_code",
        year="year",
        pooled="pooled",
        first_year="first_year",
        value="value",
    )


def _geography_entries(cells: pl.DataFrame, membership: pl.DataFrame) -> pl.DataFrame:
    """``parent - sum(children) = 0`` for each cell and each finer level nested in its area."""
    pairs = nested_areas(membership)
    parents = (
        cells.filter(~pl.col("pooled"))
        .select("cell", "key", *_TIME, *_AREA)
        .join(pairs, left_on=_AREA, right_on=["parent_level", "parent_code"])
    )
    children = parents.join(
        cells.select(
            child_cell="cell",
            key="key",
            year="year",
            pooled="pooled",
            child_level="area_level",
            child_code="area_code",
        ),
        on=["key", *_TIME, "child_level", "child_code"],
    )
    equation = pl.format("g|{}|{}", pl.col("cell"), pl.col("child_level"))
    whole = (
        children.select(equation=equation, cell="cell")
        .unique()
        .with_columns(coefficient=pl.lit(1.0))
    )
    parts = children.select(equation=equation, cell="child_cell", coefficient=pl.lit(-1.0))
    return pl.concat([whole, parts]).with_columns(pl.col("cell").cast(pl.UInt32))


def _relation_entries(cells: pl.DataFrame, relations: Relations) -> pl.DataFrame:
    """The relations in every area and year where their counts have cells."""
    frames = [
        pl.concat(
            [
                _terms_frame(d.terms).with_columns(-pl.col("coefficient")),
                _terms_frame(((("derived", str(i)), 1.0),)),
            ]
        ).with_columns(relation=pl.lit(f"d{i}"))
        for i, d in enumerate(relations.derived)
    ]
    frames += [
        _terms_frame(identity).with_columns(relation=pl.lit(f"i{i}"))
        for i, identity in enumerate(relations.identities)
    ]
    empty = pl.DataFrame(
        schema={"equation": pl.String, "cell": pl.UInt32, "coefficient": pl.Float64}
    )
    if not frames:
        return empty
    terms = pl.concat(frames)
    joined = (
        cells.filter(~pl.col("pooled")).select("cell", "key", *_TIME, *_AREA).join(terms, on="key")
    )
    return joined.select(
        equation=pl.format(
            "r|{}|{}|{}|{}|{}", "relation", "area_level", "area_code", "year", "pooled"
        ),
        cell=pl.col("cell").cast(pl.UInt32),
        coefficient="coefficient",
    )
