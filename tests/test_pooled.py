"""Pooled figures: the latest years together for areas whose single years are hidden,
computed by the indicator's own method and protected by the same disclosure pass."""

from __future__ import annotations

import itertools
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import polars as pl
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from datapakke.engine.catalogue import load_catalogue
from datapakke.engine.compute import POOLED_SCHEMA, compute
from datapakke.engine.determinable import null_space
from datapakke.engine.disclosure import SUPPRESSED_FLAGS, WITHDRAWN, suppress
from datapakke.engine.equations import NUMERATOR
from datapakke.engine.pooled import pool_window
from datapakke.engine.protect_pooled import _Component, _Group, independent_parts
from datapakke.engine.relations import relations_among
from datapakke.engine.settings import ComputeSettings
from datapakke.errors import InputError
from tests.disclosure_audit import Tree, disclosed
from tests.test_disclosure import MEMBERSHIP, TREE, _all_areas, _below, _level, _membership
from tests.test_disclosure import _trees as trees
from tests.test_standard import CATALOGUE_TEXT, CHANGING, GEOGRAPHY, STEADY, _extract

YEARS = (2022, 2023, 2024)


def test_the_window_is_the_latest_years() -> None:
    assert pool_window([2020, 2021, 2022, 2023, 2024], 3) == (2022, 2024)
    assert pool_window([2023, 2024], 5) == (2023, 2024)
    assert pool_window([2024], 5) is None


def test_only_a_share_or_rate_is_pooled(tmp_path: Path) -> None:
    path = tmp_path / "catalogue.toml"
    text = CATALOGUE_TEXT.replace('source = "x"', 'source = "x"\npool_small_areas = 5')
    path.write_text(text.replace('"rate_standardised"', '"share"'), encoding="utf-8")
    assert load_catalogue(path).get("care").pool_small_areas == 5
    share_full = text.replace('kind = "home_care"', 'kind = "population_share"')
    share_full = share_full.replace('"rate_standardised"', '"share_full"')
    path.write_text(share_full.replace(', "hjemmepleje"', ""), encoding="utf-8")
    with pytest.raises(InputError, match="pool_small_areas: only for a share or rate"):
        load_catalogue(path)


def test_a_pooled_rate_keeps_the_standard_and_sums_the_years(tmp_path: Path) -> None:
    # Horsens has the same persons and receivers in both years: its pooled DSR (per
    # person-year, standardised to the 2024 country) equals each year's. Hedensted changes.
    steady = [(80 + i % 15, "MK"[i % 2], i % 3 == 0) for i in range(60)]
    extract = _extract(
        {(STEADY, 2023): steady, (STEADY, 2024): steady,
         (CHANGING, 2023): steady[:30], (CHANGING, 2024): steady[10:]}
    )  # fmt: skip
    path = tmp_path / "catalogue.toml"
    path.write_text(
        CATALOGUE_TEXT.replace('source = "x"', 'source = "x"\npool_small_areas = 5'),
        encoding="utf-8",
    )
    results = compute(extract, GEOGRAPHY, load_catalogue(path), ComputeSettings(min_count=1))
    assert results.pooled.schema == POOLED_SCHEMA
    yearly = results.indicators.filter(area_code=str(STEADY))
    pooled = results.pooled.filter(area_code=str(STEADY)).row(0, named=True)
    assert (pooled["first_year"], pooled["year"], pooled["period"]) == (
        2023,
        2024,
        "2023-2024 samlet",
    )
    assert pooled["numerator"] == yearly["numerator"].sum() == 40
    assert pooled["denominator"] == yearly["denominator"].sum() == 120
    assert pooled["value"] == pytest.approx(yearly["value"][0], rel=1e-12)
    assert pooled["trend"] == "not_computed"
    country = results.pooled.filter(area_level="land").row(0, named=True)
    assert country["numerator"] == results.indicators.filter(area_level="land")["numerator"].sum()
    # The comparison is with the country's pooled value.
    assert pooled["comparison"] in {"similar", "higher", "lower"}
    # The pack shows them now: nothing warns that pooling is wasted.
    assert not any(w.startswith("pool_small_areas (") for w in results.warnings)


# -- Disclosure: the pooled rows in the same pass -------------------------------------------


def _rows(
    series: dict[str, dict[str, list[int]]],
    areas: dict[str, frozenset[str]],
    levels: dict[str, str],
    years: tuple[int, ...] = YEARS,
) -> pl.DataFrame:
    """Yearly rows of every indicator and area, then a pooled row of all the years."""
    rows = []
    for indicator, per_kommune in series.items():
        for area, members in areas.items():
            by_year = [sum(per_kommune[k][y] for k in members) for y in range(len(years))]
            for pooled, year, value in [
                *((False, year, v) for year, v in zip(years, by_year, strict=True)),
                (True, years[-1], sum(by_year)),
            ]:
                rows.append(
                    {
                        "indicator_id": indicator, "area_level": levels.get(area, "kommune"),
                        "area_code": area, "year": year, "numerator": value,
                        "denominator": 10_000, "value": 1.0, "lower": 0.5, "upper": 1.5,
                        "flag": "ok", "suppressible": True, "sensitive_denominator": False,
                        "pooled": pooled, "first_year": years[0] if pooled else year,
                    }
                )  # fmt: skip
    return pl.DataFrame(rows).sort("pooled", "indicator_id", "area_level", "area_code", "year")


AREAS = {a: frozenset(_below(TREE, a)) for a in _all_areas(TREE)}
LEVELS = {a: _level(a) for a in AREAS}


def _flag(result: pl.DataFrame, area: str, pooled: bool, year: int = 2024) -> str:
    return str(result.filter(area_code=area, pooled=pooled, year=year)["flag"][0])


def _series(**per_kommune: list[int]) -> dict[str, list[int]]:
    return {k: per_kommune.get(k, [0, 0, 0]) for k in ("a1", "a2", "a3", "b1", "c1", "c2")}


def test_a_pooled_row_that_gives_back_a_hidden_year_is_withdrawn_not_a_year_hidden() -> None:
    # a1 has 2 in 2022: hidden with a2's 2022 (its smallest protecting neighbour). a1's
    # pooled 42 less its 2023 and 2024 would give the 2 back: the pooled row is withdrawn
    # and no further single year is hidden for it.
    counts = {"x": _series(a1=[2, 20, 20], a2=[9, 9, 9], a3=[30, 30, 30], b1=[40, 40, 40],
                           c1=[25, 25, 25], c2=[30, 30, 30])}  # fmt: skip
    with_pools = suppress(_rows(counts, AREAS, LEVELS), MEMBERSHIP, 5)
    without = suppress(_rows(counts, AREAS, LEVELS).filter(~pl.col("pooled")), MEMBERSHIP, 5)
    assert _flag(with_pools, "a1", pooled=False, year=2022) == "suppressed_small"
    assert _flag(with_pools, "a1", pooled=True) == WITHDRAWN
    single = with_pools.filter(~pl.col("pooled")).drop("pooled", "first_year")
    assert single["flag"].to_list() == without.drop("pooled", "first_year")["flag"].to_list()
    # The cluster's pooled count is known from its published years anyway: it stays.
    assert _flag(with_pools, "A", pooled=True) == "ok"


def test_a_municipality_whose_years_are_all_small_gets_its_pooled_count() -> None:
    # b1 is a cluster of one: each year is 1-4 and hidden (with its cluster and a partner
    # in its region); pooled, 2 + 3 + 2 = 7 is published: no single year follows from it.
    counts = {"x": _series(a1=[20, 20, 20], a2=[9, 9, 9], a3=[30, 30, 30], b1=[2, 3, 2],
                           c1=[25, 25, 25], c2=[30, 30, 30])}  # fmt: skip
    result = suppress(_rows(counts, AREAS, LEVELS), MEMBERSHIP, 5)
    assert {_flag(result, "b1", pooled=False, year=y) for y in YEARS} == {"suppressed_small"}
    pooled = result.filter(area_code="b1", pooled=True).row(0, named=True)
    assert (pooled["flag"], pooled["numerator"]) == ("ok", 7)


def test_a_small_pooled_count_is_hidden_as_small() -> None:
    counts = {"x": _series(a1=[1, 0, 2], a2=[9, 9, 9], a3=[30, 30, 30], b1=[40, 40, 40],
                           c1=[25, 25, 25], c2=[30, 30, 30])}  # fmt: skip
    result = suppress(_rows(counts, AREAS, LEVELS), MEMBERSHIP, 5)
    assert _flag(result, "a1", pooled=True) == "suppressed_small"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    shape=trees(),
    nested=st.booleans(),
    years=st.integers(2, 3),
    data=st.data(),
    threshold=st.sampled_from([3, 5]),
)
def test_no_hidden_year_or_small_sum_can_be_worked_out_with_the_pooled_rows(
    shape: tuple[dict[str, list[str]], dict[str, str]],
    nested: bool,
    years: int,
    data: st.DataObject,
    threshold: int,
) -> None:
    # The audit's atoms are (group atom, year) per municipality: a yearly count holds its
    # year's atoms, a pooled count those of every year, so any union of years and groups
    # in any area (two hidden years of one municipality, say) is checked.
    tree, levels = shape
    kommuner = [k for k in _all_areas(tree) if k not in tree]
    areas = {a: frozenset(_below(tree, a)) for a in _all_areas(tree)}
    family = {"all": [1, 1], "old": [0, 1]} if nested else {"all": [1]}
    width = len(family["all"])
    small_or_not = st.one_of(st.integers(0, 4), st.integers(0, 25))
    values = {
        k: data.draw(st.lists(small_or_not, min_size=width * years, max_size=width * years))
        for k in kommuner
    }  # atom (a, y) at a * years + y
    span = tuple(range(2024 - years + 1, 2025))
    series = {
        i: {k: [sum(values[k][a * years + y] for a in range(width) if holds[a])
                for y in range(years)] for k in kommuner}
        for i, holds in family.items()
    }  # fmt: skip
    # Pooling is set per indicator: one of two related indicators may be pooled alone.
    pooled_ones = data.draw(st.sets(st.sampled_from(sorted(family)), min_size=1))
    table = _rows(series, areas, levels, span).filter(
        ~pl.col("pooled") | pl.col("indicator_id").is_in(sorted(pooled_ones))
    )
    relations = relations_among({(i, NUMERATOR): v for i, v in family.items()})
    membership = _membership(tree, levels)
    result = suppress(table, membership, threshold, relations)
    # The single years are protected as if there were no pooled rows.
    alone = suppress(table.filter(~pl.col("pooled")), membership, threshold, relations)
    assert result.filter(~pl.col("pooled"))["flag"].to_list() == alone["flag"].to_list()

    sets: dict[str, list[int]] = {}
    for (i, holds), y in itertools.product(family.items(), [*range(years), None]):
        if y is None and i not in pooled_ones:
            continue  # no pooled row: nothing is offered, so nothing is hidden
        sets[f"{i}|{y}"] = [
            int(bool(holds[a]) and (y is None or y == t))
            for a in range(width)
            for t in range(years)
        ]

    def key(row: dict[str, object]) -> str:
        return (
            f"{row['indicator_id']}|{None if row['pooled'] else span.index(int(str(row['year'])))}"
        )

    flags = list(result.iter_rows(named=True))
    published = {(key(r), str(r["area_code"])) for r in flags if r["flag"] not in SUPPRESSED_FLAGS
                 and r["flag"] != WITHDRAWN}  # fmt: skip
    withdrawn = {(key(r), str(r["area_code"])) for r in flags if r["flag"] == WITHDRAWN}
    assert not result.filter(
        pl.col("flag") == "ok", pl.col("numerator").is_between(1, threshold - 1)
    ).height
    children = {parent: tuple(parts) for parent, parts in tree.items()}
    found = disclosed(Tree(areas, children), sets, values, published, threshold, withdrawn)
    assert not found, found


def _rank(rows: list[np.ndarray], width: int) -> int:
    return int(np.linalg.matrix_rank(np.array(rows))) if rows else 0


@settings(max_examples=80, deadline=None)
@given(data=st.data())
def test_a_group_splits_into_parts_that_fix_what_it_fixes(data: st.DataObject) -> None:
    cells = data.draw(st.integers(1, 8))
    rows = data.draw(st.integers(0, 6))
    entries = st.lists(st.sampled_from([-1.0, 0.0, 0.0, 1.0]), min_size=cells, max_size=cells)
    matrix = np.array(data.draw(st.lists(entries, min_size=rows, max_size=rows))).reshape(
        rows, cells
    )
    null = null_space(matrix)
    parts = independent_parts(null)
    members = [int(c) for part, _ in parts for c in part]
    assert len(members) == len(set(members))  # disjoint
    # The parts' null spaces side by side span the group's.
    together = np.zeros((cells, sum(basis.shape[1] for _, basis in parts)))
    start = 0
    for part, basis in parts:
        together[part, start : start + basis.shape[1]] = basis
        start += basis.shape[1]
    assert np.allclose(together @ together.T, null @ null.T, atol=1e-9)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), threshold=st.sampled_from([3, 5]))
def test_the_link_analysis_finds_exactly_what_brute_force_finds(
    data: st.DataObject, threshold: int
) -> None:
    # Groups of one year each (random equations over their hidden cells), published
    # pooled counts linking one free cell of each of two or more groups: whatever the
    # analysis lets through, no combination of the equations and the links fixes a
    # hidden count or a 0/1 sum of 1 .. t-1 that the groups alone do not.
    sizes = data.draw(st.lists(st.integers(1, 4), min_size=2, max_size=3))
    offsets = np.cumsum([0, *sizes])
    width = int(offsets[-1])
    values = np.array(data.draw(st.lists(st.sampled_from([0, 1, 2, 3, 4, 6, 9]),
                                         min_size=width, max_size=width)))  # fmt: skip
    equations = []
    parts: list[_Group] = []
    part_of = np.full(width, -1)
    for g, size in enumerate(sizes):
        entries = st.lists(st.sampled_from([-1.0, 0.0, 1.0]), min_size=size, max_size=size)
        block = np.array(data.draw(st.lists(entries, min_size=0, max_size=3))).reshape(-1, size)
        for row in block:
            equations.append(np.concatenate([np.zeros(offsets[g]), row,
                                             np.zeros(width - offsets[g + 1])]))  # fmt: skip
        for cells, basis in independent_parts(null_space(block)):
            part_of[offsets[g] + cells] = len(parts)
            parts.append(_Group(offsets[g] + cells, basis))
    free = [[int(c) for c in range(offsets[g], offsets[g + 1]) if part_of[c] >= 0]
            for g in range(len(sizes))]  # fmt: skip
    linkable = [g for g in range(len(sizes)) if free[g]]
    assume(len(linkable) >= 2)
    links: dict[int, list[int]] = {}
    for link in range(data.draw(st.integers(1, 3))):
        chosen = data.draw(st.sets(st.sampled_from(linkable), min_size=2))
        links[link] = [data.draw(st.sampled_from(free[g])) for g in sorted(chosen)]
    fixed_alone = [np.eye(width)[c] for c in range(width) if part_of[c] < 0]
    known_alone = equations + fixed_alone
    rows_known = known_alone + [np.eye(width)[years].sum(axis=0) for years in links.values()]

    def disclosed(rows: list[np.ndarray]) -> list[tuple[int, ...]]:
        rank = _rank(rows, width)
        found = []
        for subset in itertools.product((0, 1), repeat=width):
            vector = np.array(subset, dtype=float)
            amount = int(vector @ values)
            single = vector.sum() == 1 and amount >= 1  # a hidden count
            if (single or 1 <= amount < threshold) and _rank([*rows, vector], width) == rank:
                found.append(subset)
        return found

    # The first pass's promise: the groups alone give nothing away.
    assume(not disclosed(known_alone))
    groups = SimpleNamespace(parts=parts, part=lambda cell: int(part_of[cell]))
    system = SimpleNamespace(values=values)
    sensitive = values >= 1
    analysed = _Component(sorted(links), links, groups, system, sensitive)  # type: ignore[arg-type]
    pooled_values = np.full(len(links), 10)
    assert bool(analysed.cases(pooled_values, threshold, {})) == bool(disclosed(rows_known))
