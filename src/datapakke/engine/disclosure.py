"""Statistical disclosure control on the IndicatorTable (methods.md, "Small numbers").

1. Primary: a count 1 .. threshold - 1 is hidden, and with it the value and interval
   (a known denominator would give the count back). A denominator below the threshold
   hides the whole cell.
2. Secondary: wherever parts and their total are both shown, an equation
   ``total = sum(parts)`` with exactly one hidden member would give that member back,
   so the smallest other non-zero part (or, failing that, the total) is hidden too.
   The equations are the geography's: municipalities in their area (cluster,
   council), areas in their region, regions in the country. Hiding a total makes it
   a hidden part one level up, so the rule is applied until nothing changes.
3. Counts from the population register are public and never suppressed.

Denominators drawn from a health register (persons with KOL, index admissions) are
protected like numerators. Nothing here knows about indicators beyond the flags
``suppressible`` and ``sensitive_denominator`` on each row.
"""

from __future__ import annotations

import polars as pl

SUPPRESSED = "suppressed"


def hierarchy_edges(membership: pl.DataFrame) -> pl.DataFrame:
    """``parent_level, parent_code, child_level, child_code``: every part-of-total pair.

    ``membership`` is ``Geography.membership()``: one row per municipality and area
    containing it, its levels smallest first; each level is a part of the next.
    """
    codes = membership.pivot(
        on="area_level", index="kommunekode", values="area_code", aggregate_function="first"
    )
    levels = membership["area_level"].unique(maintain_order=True).to_list()
    pairs = list(zip(levels[1:], levels[:-1], strict=True))
    return pl.concat(
        codes.select(
            parent_level=pl.lit(parent),
            parent_code=pl.col(parent),
            child_level=pl.lit(child),
            child_code=pl.col(child),
        ).unique()
        for parent, child in pairs
    ).sort(pl.all())


def _small(column: str, threshold: int) -> pl.Expr:
    return pl.col(column).is_between(1, threshold - 1)


def _links(
    state: pl.DataFrame, edges: pl.DataFrame, indicator_parts: pl.DataFrame | None
) -> pl.DataFrame:
    """``parent_row, relation, row``: each row that is a part of another row's total.

    Geographic parts share indicator and year with their total; sex parts share area
    and year, the part being another indicator (``indicator_parts``: ``total_id, part_id``).
    A total can head both kinds of equation, so an equation is ``(parent_row, relation)``.
    """
    cell = ["indicator_id", "year", "area_level", "area_code"]
    parents = state.select(*cell, parent_row="row")
    geographic = (
        state.select("row", "indicator_id", "year", "area_level", "area_code")
        .join(edges, left_on=["area_level", "area_code"], right_on=["child_level", "child_code"])
        .select("row", "indicator_id", "year", area_level="parent_level", area_code="parent_code")
        .join(parents, on=cell, how="inner")
        .select("parent_row", relation=pl.lit("area"), row="row")
    )
    if indicator_parts is None or indicator_parts.is_empty():
        return geographic
    by_sex = (
        state.select("row", *cell)
        .join(indicator_parts, left_on="indicator_id", right_on="part_id")
        .select("row", "year", "area_level", "area_code", indicator_id="total_id")
        .join(parents, on=cell, how="inner")
        .select("parent_row", relation=pl.lit("sex"), row="row")
    )
    return pl.concat([geographic, by_sex])


def secondary_suppression(
    cells: pl.DataFrame,
    edges: pl.DataFrame,
    value: str,
    hidden: str,
    takes_part: str,
    indicator_parts: pl.DataFrame | None = None,
) -> pl.Series:
    """Extend the boolean column ``hidden`` until no total-of-parts equation has exactly one
    hidden member. Only rows with ``takes_part`` are ever hidden. Returns the new column.

    ``edges`` are the geography's part-of pairs (``hierarchy_edges``); ``indicator_parts``
    optionally links indicators whose counts add up to another's (women and men to all).
    """
    state = cells.select(
        pl.int_range(pl.len()).alias("row"),
        "indicator_id",
        "year",
        "area_level",
        "area_code",
        pl.col(value).alias("value"),
        pl.col(takes_part).alias("takes_part"),
    )
    children = (
        _links(state, edges, indicator_parts)
        .join(state.select("row", "value", "takes_part", "area_code", "indicator_id"), on="row")
        .join(
            state.select(parent_row="row", parent_value="value", parent_takes_part="takes_part"),
            on="parent_row",
        )
    )
    hidden_rows = set(cells.with_row_index("row").filter(pl.col(hidden))["row"].to_list())
    while True:
        current = pl.Series("row", sorted(hidden_rows), dtype=pl.Int64).implode()
        member = children.with_columns(
            hidden=pl.col("row").is_in(current),
            parent_hidden=pl.col("parent_row").is_in(current),
        )
        exposed = (
            member.group_by("parent_row", "relation")
            .agg(
                unknowns=pl.col("hidden").sum() + pl.col("parent_hidden").first().cast(pl.UInt32),
                parent_hidden=pl.col("parent_hidden").first(),
                parent_value=pl.col("parent_value").first(),
                parent_takes_part=pl.col("parent_takes_part").first(),
            )
            .filter(pl.col("unknowns") == 1)
        )
        if exposed.is_empty():
            break
        # The smallest shown non-zero part (ties: lowest area code) ...
        candidates = (
            member.join(
                exposed.select("parent_row", "relation"), on=["parent_row", "relation"], how="semi"
            )
            .filter(~pl.col("hidden"), pl.col("takes_part"), pl.col("value") > 0)
            .sort("value", "area_code", "indicator_id")
            .group_by("parent_row", "relation", maintain_order=True)
            .agg(pl.col("row").first())
        )
        # ... or, when no part can be hidden, the total.
        fallback = exposed.join(candidates, on=["parent_row", "relation"], how="anti").filter(
            ~pl.col("parent_hidden"), pl.col("parent_takes_part"), pl.col("parent_value") > 0
        )
        new = set(candidates["row"].to_list()) | set(fallback["parent_row"].to_list())
        new -= hidden_rows
        if not new:
            break
        hidden_rows |= new
    return pl.Series(hidden, [i in hidden_rows for i in range(cells.height)], dtype=pl.Boolean)


def suppress(
    table: pl.DataFrame,
    edges: pl.DataFrame,
    min_count: int,
    indicator_parts: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Apply primary and secondary suppression; return the table without helper columns.

    ``table`` has the IndicatorTable columns plus booleans ``suppressible`` (the row's
    counts come from health registers) and ``sensitive_denominator``. A hidden row has
    empty ``numerator, value, lower, upper`` and flag ``suppressed``; when its
    denominator is hidden too, that is empty as well.
    """
    marked = table.with_columns(
        denominator_takes_part=pl.col("suppressible")
        & pl.col("sensitive_denominator")
        & pl.col("denominator").is_not_null(),
        hide_denominator=pl.col("suppressible") & _small("denominator", min_count),
    )
    marked = marked.with_columns(
        secondary_suppression(
            marked,
            edges,
            "denominator",
            "hide_denominator",
            "denominator_takes_part",
            indicator_parts,
        )
    )
    marked = marked.with_columns(
        numerator_takes_part=pl.col("suppressible") & pl.col("numerator").is_not_null(),
        hide_numerator=pl.col("suppressible")
        & (_small("numerator", min_count) | pl.col("hide_denominator")),
    )
    marked = marked.with_columns(
        secondary_suppression(
            marked, edges, "numerator", "hide_numerator", "numerator_takes_part", indicator_parts
        )
    )
    hide = pl.col("hide_numerator")
    return marked.with_columns(
        *(
            pl.when(~hide).then(pl.col(c)).alias(c)
            for c in ("numerator", "value", "lower", "upper")
        ),
        denominator=pl.when(~pl.col("hide_denominator")).then(pl.col("denominator")),
        flag=pl.when(hide).then(pl.lit(SUPPRESSED)).otherwise(pl.col("flag")),
    ).drop(
        "denominator_takes_part",
        "hide_denominator",
        "numerator_takes_part",
        "hide_numerator",
    )
