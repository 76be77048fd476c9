"""An exact audit of disclosure control, independent of the engine's own equations.

The reader's unknowns are the *atoms*: the count of each municipality for each
elementary set of persons (an age band between two cut points, one sex, one
combination of code lists). Every published cell is a known sum of atoms. A count is
disclosed when its vector of atoms lies in the row space of the published cells
(linear algebra over the reals) and its value is 1 .. t-1. The audit checks every
union of atoms in every area and every union of sibling areas (two small neighbours
whose sum is small), and every hidden cell.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Tree:
    """Areas as sets of municipalities, and which areas are the parts of which."""

    areas: Mapping[str, frozenset[str]]
    children: Mapping[str, tuple[str, ...]]


def disclosed(
    tree: Tree,
    sets: Mapping[str, Sequence[int]],
    atoms: Mapping[str, Sequence[int]],
    published: set[tuple[str, str]],
    threshold: int,
    withdrawn: set[tuple[str, str]] | None = None,
) -> list[str]:
    """What a reader can work out that is 1 .. threshold - 1.

    ``sets``: per count (indicator), which atoms it holds (0/1); ``atoms``: per
    municipality, the value of each atom; ``published``: the (count, area) cells shown;
    ``withdrawn``: cells neither shown nor said to be hidden (pooled rows not offered),
    which, like any sum, may be worked out unless small.
    """
    kommuner = sorted(atoms)
    width = len(next(iter(sets.values())))
    columns = {(k, a): i for i, (k, a) in enumerate(itertools.product(kommuner, range(width)))}

    def vector(holds: Sequence[int], area: frozenset[str]) -> np.ndarray:
        row = np.zeros(len(columns))
        for k in area:
            for a in range(width):
                if holds[a]:
                    row[columns[(k, a)]] = 1.0
        return row

    def value(holds: Sequence[int], area: frozenset[str]) -> int:
        return sum(atoms[k][a] for k in area for a in range(width) if holds[a])

    known = [vector(sets[c], tree.areas[g]) for c, g in sorted(published)]
    matrix = np.array(known) if known else np.zeros((0, len(columns)))
    rank = np.linalg.matrix_rank(matrix) if known else 0

    def determined(row: np.ndarray) -> bool:
        return bool(np.linalg.matrix_rank(np.vstack([matrix, row])) == rank)

    found = []
    regions = [tree.areas[g] for g in tree.areas] + [
        frozenset().union(*(tree.areas[c] for c in chosen))
        for parts in tree.children.values()
        for size in range(2, len(parts))
        for chosen in itertools.combinations(parts, size)
    ]
    for holds in itertools.product((0, 1), repeat=width):
        if not any(holds):
            continue
        for area in set(regions):
            amount = value(holds, area)
            if 1 <= amount < threshold and determined(vector(holds, area)):
                found.append(f"atoms {holds} in {sorted(area)} = {amount}")
    for count, holds in sets.items():
        for g, area in tree.areas.items():
            amount = value(holds, area)
            if (
                (count, g) not in published | (withdrawn or set())
                and amount >= 1
                and determined(vector(holds, area))
            ):
                found.append(f"hidden {count} in {g} = {amount} is determined")
    return found
