"""Disclosure control: primary and secondary suppression, and that nothing small leaks."""

from __future__ import annotations

import numpy as np
import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from datapakke.engine.disclosure import hierarchy_edges, secondary_suppression, suppress
from datapakke.geography import load_geography

# A small made-up geography: the country, two regions, three clusters, six municipalities.
TREE = {
    ("land", "DK"): [("region", "R1"), ("region", "R2")],
    ("region", "R1"): [("klynge", "A"), ("klynge", "B")],
    ("region", "R2"): [("klynge", "C")],
    ("klynge", "A"): [("kommune", "a1"), ("kommune", "a2"), ("kommune", "a3")],
    ("klynge", "B"): [("kommune", "b1")],
    ("klynge", "C"): [("kommune", "c1"), ("kommune", "c2")],
}
KOMMUNER = ["a1", "a2", "a3", "b1", "c1", "c2"]
EDGES = pl.DataFrame(
    [
        (parent[0], parent[1], child[0], child[1])
        for parent, children in TREE.items()
        for child in children
    ],
    schema=["parent_level", "parent_code", "child_level", "child_code"],
    orient="row",
)


def _totals(counts: dict[str, int]) -> dict[tuple[str, str], int]:
    values = {("kommune", k): v for k, v in counts.items()}

    def total(area: tuple[str, str]) -> int:
        if area not in values:
            values[area] = sum(total(child) for child in TREE[area])
        return values[area]

    total(("land", "DK"))
    return values


def _table(counts: dict[str, int], denominators: dict[str, int] | None = None) -> pl.DataFrame:
    numerators = _totals(counts)
    denominator_totals = _totals(denominators) if denominators else {}
    rows = [
        {
            "indicator_id": "x",
            "area_level": level,
            "area_code": code,
            "year": 2024,
            "numerator": value,
            "denominator": denominator_totals.get((level, code), 10_000),
            "value": 1.0,
            "lower": 0.5,
            "upper": 1.5,
            "flag": "ok",
            "suppressible": True,
            "sensitive_denominator": denominators is not None,
        }
        for (level, code), value in numerators.items()
    ]
    return pl.DataFrame(rows)


def _hidden(result: pl.DataFrame) -> set[str]:
    return set(result.filter(pl.col("flag") == "suppressed")["area_code"])


def test_one_small_municipality_hides_the_smallest_other_non_zero_one() -> None:
    # Cluster A: a1 = 3 (primary), a2 = 12, a3 = 7 -> a3, the smallest other non-zero part,
    # is hidden too; the cluster total 22 stays, and 22 = ? + 12 + ? cannot be solved.
    result = suppress(_table({"a1": 3, "a2": 12, "a3": 7, "b1": 40, "c1": 30, "c2": 25}), EDGES, 5)
    assert _hidden(result) == {"a1", "a3"}
    hidden_row = result.filter(area_code="a1").row(0, named=True)
    assert hidden_row["numerator"] is None
    assert (hidden_row["value"], hidden_row["lower"], hidden_row["upper"]) == (None, None, None)
    assert hidden_row["denominator"] == 10_000  # a public denominator stays
    assert result.filter(area_code="A")["numerator"][0] == 22


def test_zero_is_shown_and_not_chosen_for_secondary_suppression() -> None:
    # a1 = 2 (primary), a2 = 0, a3 = 9: the zero does not protect anything, so a3 goes.
    result = suppress(_table({"a1": 2, "a2": 0, "a3": 9, "b1": 40, "c1": 30, "c2": 25}), EDGES, 5)
    assert _hidden(result) == {"a1", "a3"}
    assert result.filter(area_code="a2")["numerator"][0] == 0


def test_a_cluster_of_one_municipality_passes_suppression_up_a_level() -> None:
    # b1 = 4 is cluster B's only part, so B = 4 is hidden too (primary). In region R1 the
    # equation R1 = A + B then has one unknown, so A is hidden; A being hidden makes
    # A = a1 + a2 + a3 give A back unless one of its municipalities is hidden as well.
    result = suppress(_table({"a1": 10, "a2": 12, "a3": 7, "b1": 4, "c1": 30, "c2": 25}), EDGES, 5)
    hidden = _hidden(result)
    assert {"b1", "B", "A"} <= hidden
    assert hidden & {"a1", "a2", "a3"}


def test_a_small_sensitive_denominator_hides_the_whole_cell_and_is_protected() -> None:
    # Persons with the disease (the denominator): a1 = 3, so the cell a1 is blank entirely,
    # and a3 (6, the smallest other non-zero) loses its denominator too.
    numerators = {"a1": 0, "a2": 5, "a3": 2, "b1": 9, "c1": 8, "c2": 7}
    denominators = {"a1": 3, "a2": 40, "a3": 6, "b1": 50, "c1": 60, "c2": 70}
    result = suppress(_table(numerators, denominators), EDGES, 5)
    a1 = result.filter(area_code="a1").row(0, named=True)
    assert (a1["numerator"], a1["denominator"], a1["flag"]) == (None, None, "suppressed")
    assert result.filter(area_code="a3")["denominator"][0] is None


def test_rows_that_are_not_suppressible_are_never_touched() -> None:
    table = _table({"a1": 1, "a2": 2, "a3": 3, "b1": 4, "c1": 1, "c2": 2}).with_columns(
        suppressible=pl.lit(value=False)
    )
    result = suppress(table, EDGES, 5)
    assert result.drop("suppressible", "sensitive_denominator").equals(
        table.drop("suppressible", "sensitive_denominator")
    )


def test_secondary_suppression_is_a_fixed_point() -> None:
    table = _table({"a1": 1, "a2": 6, "a3": 8, "b1": 3, "c1": 2, "c2": 30}).with_columns(
        hidden=pl.col("numerator").is_between(1, 4), takes_part=pl.lit(value=True)
    )
    once = table.with_columns(
        secondary_suppression(table, EDGES, "numerator", "hidden", "takes_part")
    )
    twice = secondary_suppression(once, EDGES, "numerator", "hidden", "takes_part")
    assert once["hidden"].to_list() == twice.to_list()


def test_hierarchy_edges_of_the_real_geography() -> None:
    edges = hierarchy_edges(load_geography().membership())
    by_pair = edges.group_by("parent_level", "child_level").len()
    counts = {(r[0], r[1]): r[2] for r in by_pair.iter_rows()}
    assert counts == {("klynge", "kommune"): 98, ("region", "klynge"): 22, ("land", "region"): 5}


def linear_derivable(
    truth: pl.DataFrame, shown: pl.DataFrame, edges: pl.DataFrame, column: str, threshold: int
) -> dict[tuple[str, str], int]:
    """Hidden counts between 1 and threshold - 1 that a reader could work out exactly.

    ``truth`` and ``shown`` are the rows of one indicator and year before and after
    suppression. Each parent gives the equation ``parent = sum(children)``; a hidden count
    is determined when its unit vector lies in the row space of the equations restricted
    to the hidden unknowns (linear algebra over the reals).
    """
    true_values = {
        (r["area_level"], r["area_code"]): r[column]
        for r in truth.iter_rows(named=True)
        if r[column] is not None
    }
    known = {
        (r["area_level"], r["area_code"])
        for r in shown.iter_rows(named=True)
        if r[column] is not None
    }
    unknown = sorted(set(true_values) - known)
    if not unknown:
        return {}
    index = {area: i for i, area in enumerate(unknown)}
    equations = []
    for (parent_level, parent_code), children in edges.group_by("parent_level", "parent_code"):
        parent = (str(parent_level), str(parent_code))
        if parent not in true_values:
            continue
        row = np.zeros(len(unknown))
        members = [(parent, 1.0)] + [
            ((str(level), str(code)), -1.0)
            for level, code in children.select("child_level", "child_code").iter_rows()
        ]
        for area, sign in members:
            if area in index:
                row[index[area]] += sign
        if row.any():
            equations.append(row)
    if not equations:
        return {}
    matrix = np.array(equations)
    rank = np.linalg.matrix_rank(matrix)
    found = {}
    for area, i in index.items():
        unit = np.zeros(len(unknown))
        unit[i] = 1.0
        determined = np.linalg.matrix_rank(np.vstack([matrix, unit])) == rank
        if determined and 1 <= true_values[area] < threshold:
            found[area] = true_values[area]
    return found


@settings(max_examples=300, deadline=None)
@given(
    counts=st.lists(st.one_of(st.integers(0, 6), st.integers(0, 60)), min_size=6, max_size=6),
    threshold=st.sampled_from([3, 5, 10]),
)
def test_no_shown_or_derivable_count_is_small(counts: list[int], threshold: int) -> None:
    per_kommune = dict(zip(KOMMUNER, counts, strict=True))
    truth = _totals(per_kommune)
    table = _table(per_kommune)
    result = suppress(table, EDGES, threshold)
    shown = result["numerator"].drop_nulls().to_list()
    assert not [v for v in shown if 1 <= v < threshold]
    leaked = linear_derivable(table, result, EDGES, "numerator", threshold)
    assert not leaked, (per_kommune, leaked)
    # Primary suppression is exactly the small counts; every hidden row is blank.
    for row in result.iter_rows(named=True):
        small = 1 <= truth[(row["area_level"], row["area_code"])] < threshold
        if small:
            assert row["flag"] == "suppressed"
        if row["flag"] == "suppressed":
            assert (row["numerator"], row["value"], row["lower"], row["upper"]) == (None,) * 4


def test_women_and_men_add_up_to_everyone() -> None:
    # In a1, women 3 (primary) + men 9 = everyone 12: men must go too, or 12 - ? gives 3.
    both = {"a1": 12, "a2": 20, "a3": 30, "b1": 40, "c1": 30, "c2": 25}
    women = {"a1": 3, "a2": 10, "a3": 15, "b1": 20, "c1": 15, "c2": 12}
    men = {k: both[k] - women[k] for k in both}
    table = pl.concat(
        _table(counts).with_columns(indicator_id=pl.lit(name))
        for name, counts in (("all", both), ("women", women), ("men", men))
    )
    parts = pl.DataFrame({"total_id": ["all", "all"], "part_id": ["women", "men"]})
    result = suppress(table, EDGES, 5, parts)
    hidden = set(
        result.filter(pl.col("flag") == "suppressed").select("indicator_id", "area_code").rows()
    )
    assert ("women", "a1") in hidden
    assert ("men", "a1") in hidden or ("all", "a1") in hidden
    # Without the link the men's 9 would stay: the link is what hides it.
    unlinked = suppress(table, EDGES, 5)
    assert unlinked.filter(indicator_id="men", area_code="a1")["flag"][0] == "ok"
