"""Statistical disclosure control on the IndicatorTable (methods.md, "Small numbers").

1. Primary: a count 1 .. threshold - 1 is hidden, and with it the value and interval
   (a known denominator would give the count back). A denominator below the threshold
   hides the whole cell.
2. Secondary: wherever parts and their total are both shown, an equation
   ``total = sum(parts)`` with exactly one hidden member would give that member back,
   so the smallest other non-zero part (or, failing that, the total) is hidden too.
   The equations are the geography's: municipalities in their cluster, clusters in
   their region, regions in the country. Hiding a total makes it a hidden part one
   level up, so the rule is applied until nothing changes.
3. Counts from the population register are public and never suppressed.

Denominators drawn from a health register (persons with KOL, index admissions) are
protected like numerators. Nothing here knows about indicators beyond the flags
``suppressible`` and ``sensitive_denominator`` on each row.
"""

from __future__ import annotations

import polars as pl

SUPPRESSED = "suppressed"
_GROUP = ("indicator_id", "year", "parent_level", "parent_code")


def hierarchy_edges(membership: pl.DataFrame) -> pl.DataFrame:
    """``parent_level, parent_code, child_level, child_code``: every part-of-total pair.

    ``membership`` is ``Geography.membership()``: one row per municipality and area
    containing it.
    """
    codes = membership.pivot(
        on="area_level", index="kommunekode", values="area_code", aggregate_function="first"
    )
    pairs = [("klynge", "kommune"), ("region", "klynge"), ("land", "region")]
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


def secondary_suppression(
    cells: pl.DataFrame, edges: pl.DataFrame, value: str, hidden: str, takes_part: str
) -> pl.Series:
    """Extend the boolean column ``hidden`` until no total-of-parts equation has exactly one
    hidden member. Only rows with ``takes_part`` are ever hidden. Returns the new column.
    """
    state = cells.select(
        pl.int_range(pl.len()).alias("row"),
        "indicator_id",
        "year",
        "area_level",
        "area_code",
        pl.col(value).alias("value"),
        pl.col(hidden).alias("hidden"),
        pl.col(takes_part).alias("takes_part"),
    )
    children = state.join(
        edges, left_on=["area_level", "area_code"], right_on=["child_level", "child_code"]
    )
    parents = state.select(
        "indicator_id",
        "year",
        parent_level="area_level",
        parent_code="area_code",
        parent_row="row",
    )
    children = children.join(parents, on=list(_GROUP), how="inner")
    hidden_rows = set(state.filter("hidden")["row"].to_list())
    while True:
        current = pl.Series("row", sorted(hidden_rows), dtype=pl.Int64)
        member = children.with_columns(
            hidden=pl.col("row").is_in(current.implode()),
            parent_hidden=pl.col("parent_row").is_in(current.implode()),
        )
        groups = member.group_by(_GROUP).agg(
            unknowns=pl.col("hidden").sum() + pl.col("parent_hidden").first().cast(pl.UInt32),
            parent_row=pl.col("parent_row").first(),
            parent_hidden=pl.col("parent_hidden").first(),
        )
        exposed = groups.filter(pl.col("unknowns") == 1)
        if exposed.is_empty():
            break
        candidates = (
            member.join(exposed.select(_GROUP), on=list(_GROUP), how="semi")
            .filter(~pl.col("hidden"), pl.col("takes_part"), pl.col("value") > 0)
            .sort("value", "area_code")
            .group_by(_GROUP, maintain_order=True)
            .agg(pl.col("row").first())
        )
        parent_takes_part = state.select("row", "takes_part", "value")
        fallback = (
            exposed.join(candidates, on=list(_GROUP), how="anti")
            .filter(~pl.col("parent_hidden"))
            .join(parent_takes_part, left_on="parent_row", right_on="row")
            .filter(pl.col("takes_part"), pl.col("value") > 0)
        )
        new = set(candidates["row"].to_list()) | set(fallback["parent_row"].to_list())
        new -= hidden_rows
        if not new:
            break
        hidden_rows |= new
    return pl.Series(hidden, [i in hidden_rows for i in range(cells.height)], dtype=pl.Boolean)


def suppress(table: pl.DataFrame, edges: pl.DataFrame, min_count: int) -> pl.DataFrame:
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
            marked, edges, "denominator", "hide_denominator", "denominator_takes_part"
        )
    )
    marked = marked.with_columns(
        numerator_takes_part=pl.col("suppressible") & pl.col("numerator").is_not_null(),
        hide_numerator=pl.col("suppressible")
        & (_small("numerator", min_count) | pl.col("hide_denominator")),
    )
    marked = marked.with_columns(
        secondary_suppression(marked, edges, "numerator", "hide_numerator", "numerator_takes_part")
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
