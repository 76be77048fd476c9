"""Disclosure control: primary and complementary suppression, across areas, sexes and
nested groups, and an exact audit that nothing small can be worked out."""

from __future__ import annotations

import itertools
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import sparse
from scipy.sparse import csgraph
from typer.testing import CliRunner

from datapakke.cli import app
from datapakke.engine.catalogue import CATALOGUE_FILE, load_catalogue
from datapakke.engine.determinable import Component, known_combination_exists, row_blocks
from datapakke.engine.disclosure import (
    SUPPRESSED_COMPLEMENTARY,
    SUPPRESSED_FLAGS,
    SUPPRESSED_SMALL,
    suppress,
)
from datapakke.engine.equations import NUMERATOR, nested_areas
from datapakke.engine.relations import derive_relations, relations_among
from datapakke.errors import InputError
from datapakke.geography import load_geography
from tests.disclosure_audit import Tree, disclosed

# A small made-up geography: the country, two regions, three clusters, six municipalities.
TREE = {
    "DK": ["R1", "R2"],
    "R1": ["A", "B"],
    "R2": ["C"],
    "A": ["a1", "a2", "a3"],
    "B": ["b1"],
    "C": ["c1", "c2"],
}
LEVELS = {"DK": "land", "R1": "region", "R2": "region", "A": "klynge", "B": "klynge", "C": "klynge"}
KOMMUNER = ["a1", "a2", "a3", "b1", "c1", "c2"]


def _membership(tree: dict[str, list[str]], levels: dict[str, str]) -> pl.DataFrame:
    kommuner = [k for k in _all_areas(tree) if k not in tree]
    code = {k: i + 1 for i, k in enumerate(kommuner)}
    rows = [(code[k], "kommune", k, k) for k in kommuner]
    rows += [(code[k], levels[area], area, area) for area in tree for k in _below(tree, area)]
    return pl.DataFrame(
        rows,
        schema={"kommunekode": pl.Int32, "area_level": pl.String, "area_code": pl.String,
                "area_name": pl.String},
        orient="row",
    )  # fmt: skip


def _all_areas(tree: dict[str, list[str]]) -> list[str]:
    seen: list[str] = []
    for parent, children in tree.items():
        for area in [parent, *children]:
            if area not in seen:
                seen.append(area)
    return seen


def _below(tree: dict[str, list[str]], area: str) -> list[str]:
    return [area] if area not in tree else [k for c in tree[area] for k in _below(tree, c)]


MEMBERSHIP = _membership(TREE, LEVELS)


def _level(area: str) -> str:
    return LEVELS.get(area, "kommune")


def _table(
    counts: dict[str, dict[str, int]], denominators: dict[str, int] | None = None
) -> pl.DataFrame:
    """Rows of each indicator for every area: ``counts[indicator][kommune]`` rolled up."""
    rows = []
    for indicator, per_kommune in counts.items():
        for area in _all_areas(TREE):
            value = sum(per_kommune[k] for k in _below(TREE, area))
            denominator = (
                sum(denominators[k] for k in _below(TREE, area)) if denominators else 10_000
            )
            rows.append(
                {
                    "indicator_id": indicator, "area_level": _level(area), "area_code": area,
                    "year": 2024, "numerator": value, "denominator": denominator, "value": 1.0,
                    "lower": 0.5, "upper": 1.5, "flag": "ok", "suppressible": True,
                    "sensitive_denominator": denominators is not None,
                }
            )  # fmt: skip
    return pl.DataFrame(rows).sort("indicator_id", "area_level", "area_code")


def _flags(result: pl.DataFrame, indicator: str = "x") -> dict[str, str]:
    rows = result.filter(indicator_id=indicator)
    return dict(zip(rows["area_code"], rows["flag"], strict=True))


def _hidden(result: pl.DataFrame, indicator: str = "x") -> set[str]:
    return {a for a, f in _flags(result, indicator).items() if f in SUPPRESSED_FLAGS}


def _counts(**per_kommune: int) -> dict[str, int]:
    return {k: per_kommune.get(k, 0) for k in KOMMUNER}


def test_one_small_municipality_hides_the_smallest_other_non_zero_one() -> None:
    # Cluster A: a1 = 3 (primary), a2 = 12, a3 = 7 -> a3, the smallest other non-zero part,
    # is hidden too; the cluster total 22 stays, and 22 = ? + 12 + ? cannot be solved.
    table = _table({"x": _counts(a1=3, a2=12, a3=7, b1=40, c1=30, c2=25)})
    result = suppress(table, MEMBERSHIP, 5)
    flags = _flags(result)
    assert _hidden(result) == {"a1", "a3"}
    assert (flags["a1"], flags["a3"]) == (SUPPRESSED_SMALL, SUPPRESSED_COMPLEMENTARY)
    hidden_row = result.filter(area_code="a1").row(0, named=True)
    assert hidden_row["numerator"] is None
    assert (hidden_row["value"], hidden_row["lower"], hidden_row["upper"]) == (None, None, None)
    assert hidden_row["denominator"] == 10_000  # a public denominator stays
    assert result.filter(area_code="A")["numerator"][0] == 22


def test_zero_is_shown_and_not_chosen_for_complementary_suppression() -> None:
    # a1 = 2 (primary), a2 = 0, a3 = 9: the zero does not protect anything, so a3 goes.
    result = suppress(_table({"x": _counts(a1=2, a3=9, b1=40, c1=30, c2=25)}), MEMBERSHIP, 5)
    assert _hidden(result) == {"a1", "a3"}
    assert result.filter(area_code="a2")["numerator"][0] == 0


def test_two_small_neighbours_whose_sum_is_small_take_a_third() -> None:
    # a1 = 2 and a2 = 1 hide each other by count, but 22 - 19 = 3 would give their sum:
    # the third municipality (19) is hidden as well.
    result = suppress(_table({"x": _counts(a1=2, a2=1, a3=19, b1=40, c1=30, c2=25)}), MEMBERSHIP, 5)
    assert _hidden(result) == {"a1", "a2", "a3"}
    assert _flags(result)["a3"] == SUPPRESSED_COMPLEMENTARY


def test_a_cluster_of_one_municipality_passes_suppression_up_a_level() -> None:
    # b1 = 4 is cluster B's only part, so B = 4 is hidden too (primary). In region R1 the
    # equation R1 = A + B then has one unknown, so A is hidden; A being hidden makes
    # A = a1 + a2 + a3 give A back unless one of its municipalities is hidden as well.
    table = _table({"x": _counts(a1=10, a2=12, a3=7, b1=4, c1=30, c2=25)})
    result = suppress(table, MEMBERSHIP, 5)
    hidden = _hidden(result)
    assert {"b1", "B"} <= hidden
    assert hidden & {"A", "a1", "a2", "a3"}
    assert _flags(result)["B"] == SUPPRESSED_SMALL


def test_a_small_sensitive_denominator_hides_the_whole_row_without_saying_under_5() -> None:
    # Persons with the disease (the denominator): a1 = 3, so a1 is blank entirely; its
    # numerator (7 admissions) is not small, so the row is complementary, never "<5".
    numerators = _counts(a1=7, a2=5, a3=6, b1=9, c1=8, c2=7)
    denominators = _counts(a1=3, a2=40, a3=6, b1=50, c1=60, c2=70)
    result = suppress(_table({"x": numerators}, denominators), MEMBERSHIP, 5)
    a1 = result.filter(area_code="a1").row(0, named=True)
    assert (a1["numerator"], a1["denominator"]) == (None, None)
    assert a1["flag"] == SUPPRESSED_COMPLEMENTARY
    # a3 (6, the smallest other denominator) loses its denominator, and so its row.
    a3 = result.filter(area_code="a3").row(0, named=True)
    assert (a3["numerator"], a3["denominator"]) == (None, None)


def test_rows_that_are_not_suppressible_are_never_touched() -> None:
    table = _table({"x": _counts(a1=1, a2=2, a3=3, b1=4, c1=1, c2=2)}).with_columns(
        suppressible=pl.lit(value=False)
    )
    result = suppress(table, MEMBERSHIP, 5)
    assert result.equals(table.drop("suppressible", "sensitive_denominator"))


def test_a_nested_group_whose_difference_is_small_is_protected() -> None:
    # Home care 65+ = 12 and 80+ = 8 in a1 would give 4 persons aged 65-79. One of the two
    # goes (80+, the smaller), and one more 80+ in the cluster so the cluster total cannot
    # give it back; the rectangle then also keeps the difference unknown.
    older = _counts(a1=8, a2=20, a3=30, b1=25, c1=30, c2=40)
    everyone = {k: v + (4 if k == "a1" else 15) for k, v in older.items()}
    table = _table({"age65": everyone, "age80": older})
    relations = relations_among({("age65", NUMERATOR): [1, 1], ("age80", NUMERATOR): [0, 1]})
    assert [d.name for d in relations.derived] == ["age65 - age80"]
    result = suppress(table, MEMBERSHIP, 5, relations)
    assert "a1" in _hidden(result, "age80") | _hidden(result, "age65")
    # Without the relation the 4 persons would stay derivable: nothing would be hidden.
    assert not _hidden(suppress(table, MEMBERSHIP, 5), "age80")


def test_identical_counts_share_their_pattern() -> None:
    same = _counts(a1=3, a2=12, a3=7, b1=40, c1=30, c2=25)
    relations = relations_among({("x", NUMERATOR): [1], ("y", NUMERATOR): [1]})
    assert relations.identities and not relations.derived
    result = suppress(_table({"x": same, "y": same}), MEMBERSHIP, 5, relations)
    assert _hidden(result, "x") == _hidden(result, "y") == {"a1", "a3"}


def test_women_and_men_add_up_to_everyone() -> None:
    # In a1, women 3 (primary) + men 9 = everyone 12: men must go too, or 12 - ? gives 3.
    women = _counts(a1=3, a2=10, a3=15, b1=20, c1=15, c2=12)
    men = _counts(a1=9, a2=10, a3=15, b1=20, c1=15, c2=13)
    everyone = {k: women[k] + men[k] for k in KOMMUNER}
    sets = {("all", NUMERATOR): [1, 1], ("women", NUMERATOR): [1, 0], ("men", NUMERATOR): [0, 1]}
    relations = relations_among(sets)
    assert len(relations.identities) == 1 and not relations.derived
    table = _table({"all": everyone, "women": women, "men": men})
    result = suppress(table, MEMBERSHIP, 5, relations)
    assert "a1" in _hidden(result, "women")
    assert "a1" in _hidden(result, "men") | _hidden(result, "all")
    unlinked = suppress(table, MEMBERSHIP, 5)
    assert _flags(unlinked, "men")["a1"] == "ok"


def test_nested_levels_are_found_without_level_names() -> None:
    pairs = nested_areas(load_geography().membership())
    counts = dict(
        pairs.group_by("parent_level", "child_level")
        .len()
        .select(pl.concat_str("parent_level", "child_level", separator=">"), "len")
        .iter_rows()
    )
    assert counts == {
        "klynge>kommune": 98, "region>kommune": 98, "land>kommune": 98,
        "region>klynge": 22, "land>klynge": 22, "land>region": 5,
    }  # fmt: skip


def test_the_result_is_the_same_in_another_process() -> None:
    # Set iteration over strings changes with the hash seed: the rule must not depend on it.
    script = "from tests.test_disclosure import _example; print(_example().write_csv())"
    outputs = {
        subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2")
    }  # fmt: skip
    assert len(outputs) == 1
    assert SUPPRESSED_COMPLEMENTARY in outputs.pop()


def _example() -> pl.DataFrame:
    """A table with ties and nested groups (run in a fresh process by the test above)."""
    older = _counts(a1=2, a2=6, a3=6, b1=25, c1=3, c2=40)
    everyone = {k: v + 3 for k, v in older.items()}
    sets = {("age65", NUMERATOR): [1, 1], ("age80", NUMERATOR): [0, 1]}
    return suppress(
        _table({"age65": everyone, "age80": older}), MEMBERSHIP, 5, relations_among(sets)
    )


# -- Property: the exact audit over generated geographies, groups and counts ------------


@st.composite
def _trees(draw: st.DrawFn) -> tuple[dict[str, list[str]], dict[str, str]]:
    tree: dict[str, list[str]] = {"DK": []}
    levels = {"DK": "land"}
    n = 0
    for r in range(draw(st.integers(1, 2))):
        region = f"R{r}"
        tree["DK"].append(region)
        levels[region] = "region"
        tree[region] = []
        for c in range(draw(st.integers(1, 2))):
            cluster = f"K{r}{c}"
            tree[region].append(cluster)
            levels[cluster] = "klynge"
            tree[cluster] = [f"k{n + i}" for i in range(draw(st.integers(1, 3)))]
            n += len(tree[cluster])
    return tree, levels


@st.composite
def _families(draw: st.DrawFn) -> dict[str, list[int]]:
    """2-4 distinct counts over 2-4 atoms: nested, disjoint, overlapping, equal to a union."""
    width = draw(st.integers(2, 5))
    vectors = draw(
        st.lists(
            st.lists(st.integers(0, 1), min_size=width, max_size=width).filter(any),
            min_size=2, max_size=5, unique_by=tuple,
        )
    )  # fmt: skip
    return {f"i{n}": v for n, v in enumerate(vectors)}


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    shape=_trees(),
    family=_families(),
    data=st.data(),
    threshold=st.sampled_from([3, 5]),
)
def test_no_small_count_can_be_worked_out(
    shape: tuple[dict[str, list[str]], dict[str, str]],
    family: dict[str, list[int]],
    data: st.DataObject,
    threshold: int,
) -> None:
    tree, levels = shape
    kommuner = [k for k in _all_areas(tree) if k not in tree]
    width = len(next(iter(family.values())))
    small_or_not = st.one_of(st.integers(0, 4), st.integers(0, 25))
    atoms = {k: data.draw(st.lists(small_or_not, min_size=width, max_size=width)) for k in kommuner}
    areas = {a: frozenset(_below(tree, a)) for a in _all_areas(tree)}
    rows = []
    for indicator, holds in family.items():
        for area, members in areas.items():
            value = sum(atoms[k][i] for k in members for i in range(width) if holds[i])
            rows.append(
                {
                    "indicator_id": indicator, "area_level": levels.get(area, "kommune"),
                    "area_code": area, "year": 2024, "numerator": value, "denominator": 10_000,
                    "value": 1.0, "lower": 0.5, "upper": 1.5, "flag": "ok",
                    "suppressible": True, "sensitive_denominator": False,
                }
            )  # fmt: skip
    table = pl.DataFrame(rows).sort("indicator_id", "area_level", "area_code")
    relations = relations_among({(i, NUMERATOR): v for i, v in family.items()})
    result = suppress(table, _membership(tree, levels), threshold, relations)

    shown = result.filter(~pl.col("flag").is_in(list(SUPPRESSED_FLAGS)))
    assert not shown.filter(pl.col("numerator").is_between(1, threshold - 1)).height
    for row in result.iter_rows(named=True):
        small = (
            1
            <= table.filter(indicator_id=row["indicator_id"], area_code=row["area_code"])[
                "numerator"
            ][0]
            < threshold
        )
        assert (row["flag"] == SUPPRESSED_SMALL) == small
    published = {(r["indicator_id"], r["area_code"]) for r in shown.iter_rows(named=True)}
    children = {parent: tuple(parts) for parent, parts in tree.items()}
    found = disclosed(Tree(areas, children), family, atoms, published, threshold)
    assert not found, found


def test_the_audit_finds_what_the_old_rule_let_through() -> None:
    # The audit can fail: two small neighbours (2 + 1) with their cluster shown give 3.
    tree = Tree({"A": frozenset({"a1", "a2", "a3"}), "a1": frozenset({"a1"}),
                 "a2": frozenset({"a2"}), "a3": frozenset({"a3"})},
                {"A": ("a1", "a2", "a3")})  # fmt: skip
    atoms = {"a1": [2], "a2": [1], "a3": [19]}
    found = disclosed(tree, {"x": [1]}, atoms, {("x", "A"), ("x", "a3")}, 5)
    assert found == ["atoms (1,) in ['a1', 'a2'] = 3"]


# -- Relations a catalogue declares, and what cannot be checked ----------------------------

_ALL_ACUTE = """
[[indicator]]
id = "akutte_alle"
title = "Akutte somatiske indlæggelser, alle aldre"
theme = "psykiatri"
kind = "admissions"
method = "rate_standardised"
unit = "per_1000"
polarity = "lower_better"
tables = ["befolkning", "kontakter"]
definition = "x"
source = "x"
[indicator.params]
omraade = "somatik"
prioritet = "akut"
kontakttype = "indlaeggelse"
"""


def _with(tmp_path: Path, extra: str) -> Path:
    path = tmp_path / "catalogue.toml"
    path.write_text(CATALOGUE_FILE.read_text(encoding="utf-8") + extra, encoding="utf-8")
    return path


def test_a_declared_relation_adds_its_difference(tmp_path: Path) -> None:
    # Acute somatic admissions of persons in contact with psychiatry are a subset of all
    # acute somatic admissions: a relation across kinds that the engine cannot derive.
    declared = '[[relation]]\nwhole = "akutte_alle"\nparts = ["psyk_somatisk_akut"]\n'
    names = {d.name for d in derive_relations(load_catalogue(_with(tmp_path, _ALL_ACUTE))).derived}
    assert "akutte_alle - psyk_somatisk_akut" not in names
    catalogue = load_catalogue(_with(tmp_path, _ALL_ACUTE + declared))
    assert "akutte_alle - psyk_somatisk_akut" in {
        d.name for d in derive_relations(catalogue).derived
    }


@pytest.mark.parametrize(
    ("relation", "message"),
    [('whole = "akutte_alle"\nparts = ["nope"]', "unknown indicator(s) nope"),
     ('whole = "akutte_alle"\nparts = ["folketal"]', "publish no count to relate"),
     ('whole = "akutte_alle"\nparts = ["akutte_alle"]', "named twice")],
)  # fmt: skip
def test_a_bad_declared_relation_is_refused(tmp_path: Path, relation: str, message: str) -> None:
    with pytest.raises(InputError, match=re.escape(message)):
        load_catalogue(_with(tmp_path, _ALL_ACUTE + f"[[relation]]\n{relation}\n"))


def test_too_many_overlapping_lists_are_refused_with_exit_3(
    tmp_path: Path, small_sample: Path
) -> None:
    # Thirteen diagnosis groups of persons in psychiatry: a person can be in any
    # combination of them, 2^13 - 1, more than disclosure control can check.
    extra = "".join(
        f'[[indicator]]\nid = "psyk_f{n}"\ntitle = "F{n}"\ntheme = "psykiatri"\n'
        'kind = "contact_persons"\nmethod = "rate_standardised"\nunit = "per_1000"\n'
        'polarity = "none"\ntables = ["befolkning", "kontakter"]\ndefinition = "x"\n'
        f'source = "x"\n[indicator.params]\nomraade = "psykiatri"\n'
        f'[indicator.params.diagnoses]\n"F{n}" = ["DF{n}"]\n'
        for n in range(50, 63)
    )
    path = _with(tmp_path, extra)
    done = CliRunner().invoke(
        app, ["export", "--data", str(small_sample), "--catalogue", str(path),
              "--out", str(tmp_path / "x.csv")],
    )  # fmt: skip
    assert done.exit_code == 3, done.output
    assert "count overlapping groups of the same persons" in " ".join(done.output.split())
    assert not (tmp_path / "x.csv").exists()


@settings(max_examples=300, deadline=None)
@given(
    st.integers(0, 12).flatmap(
        lambda rows: st.lists(
            st.lists(st.booleans(), min_size=8, max_size=8), min_size=rows, max_size=rows
        )
    )
)
def test_row_blocks_are_the_connected_components_of_shared_columns(
    rows: list[list[bool]],
) -> None:
    support = np.array(rows, dtype=bool).reshape(len(rows), 8)
    if not len(rows):
        assert row_blocks(support).size == 0
        return
    matrix = sparse.csr_array(support.astype(float))
    _, expected = csgraph.connected_components(matrix @ matrix.T, directed=False)
    assert row_blocks(support).tolist() == expected.tolist()


@settings(max_examples=200, deadline=None)
@given(
    st.integers(1, 5).flatmap(
        lambda equations: st.lists(
            st.lists(st.sampled_from([-1, 0, 0, 1]), min_size=6, max_size=6),
            min_size=equations,
            max_size=equations,
        )
    ),
    st.lists(st.booleans(), min_size=6, max_size=6),
)
def test_the_shortcut_never_skips_a_search_that_could_find_a_known_sum(
    rows: list[list[int]], chosen: list[bool]
) -> None:
    """Brute force (every 0/1 combination, solved by least squares) against the rank test
    that lets the integer program be skipped."""
    part = Component(np.array(rows, dtype=float))
    open_ = ~part.fixed()
    picked = np.flatnonzero(open_ & np.array(chosen))
    if picked.size == 0:
        return
    reachable = part.matrix.T[open_]
    for choice in itertools.product((0.0, 1.0), repeat=picked.size):
        if not any(choice):
            continue
        target = np.zeros(part.matrix.shape[1])
        target[picked] = choice
        weights = np.linalg.lstsq(reachable, target[open_], rcond=None)[0]
        if np.allclose(reachable @ weights, target[open_], atol=1e-9):
            assert known_combination_exists(part.null[picked])
            return
