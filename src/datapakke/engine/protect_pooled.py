"""The second pass of disclosure control: which pooled counts can be published once the
single years are protected (``protect``; methods.md, "Pooled counts, a second pass").

The reader knows the single years' equations and, per published pooled count, that it
is the sum of its years (a *link*). The single years' unknown cells fall into groups
(connected by the single-year equations, so each in one year), and each group into
independent *parts* (what its equations fix is the sum of what they fix in each part).
A link touches one cell in each of its hidden years, each in another part. Links that
share a part form a *component*; components know nothing of each other, and a cell
outside every component is no better known than the single years tell.

Per component the exact question is asked with linear algebra only: the null space
of everything the reader knows is the parts' null spaces restricted by the links
(``Z``); a cell is fixed when its row of ``Z`` is zero, and a 0/1 vector ``w`` over
the cells below t is known exactly when ``w @ Z == 0``. Those vectors form a space
whose 0/1 members are enumerated from a basis in standard form, block by block (a
small sum of non-negative counts needs a small sum in one block); a block with too many
candidates to try that any link enters is treated as a case. Each case withdraws the
smallest offered pooled count it rests on (with its row), and the component is asked
again; withdrawing only ever removes knowledge, so what was safe stays safe.
"""

from __future__ import annotations

import itertools
import math
from typing import NamedTuple

import numpy as np
import scipy.linalg
from scipy import sparse
from scipy.sparse import csgraph
from threadpoolctl import threadpool_limits

from datapakke.engine.determinable import MAX_COMBINATIONS, TOLERANCE, null_space, row_blocks
from datapakke.engine.equations import PooledCells, System
from datapakke.engine.exact_cases import Equations, group_key, sensitive
from datapakke.engine.protect import peel

# Singular values of the links' restriction below this (relative) are zero: they are
# rounding errors of links that restrict nothing (a lower bar keeps more of what the
# reader knows).
_LINK_RANK = 1e-10


class _Group(NamedTuple):
    """One independent part of a group of single-year unknowns: its cells and their
    rows of an orthonormal basis of its null space."""

    cells: np.ndarray
    null: np.ndarray


def protect_pooled(
    system: System,
    hidden: np.ndarray,
    pooled: PooledCells,
    threshold: int,
    nulls: dict[bytes, np.ndarray],
) -> tuple[np.ndarray, np.ndarray]:
    """Per pooled cell of ``pooled``: whether it is hidden (a count 1 .. t-1, which hides
    its row) and whether its row is withdrawn. ``system`` and ``hidden`` are the
    protected single years (``protect``, which filled ``nulls``); no year is hidden here."""
    rows = np.unique(pooled.row)
    at = np.searchsorted(rows, pooled.row)
    primary = (pooled.values >= 1) & (pooled.values < threshold)
    # A hidden denominator hides its row's numerator (a rate and its count would give it back).
    hidden_row = np.zeros(rows.size, dtype=bool)
    hidden_row[at[primary & pooled.denominator]] = True
    # A pooled count all of whose years are published is their sum: it gives nothing away.
    at_stake = np.array([bool(hidden[years].any()) for years in pooled.years], dtype=bool)
    at_stake &= ~primary & ~hidden_row[at]
    withdrawn = np.zeros(rows.size, dtype=bool)
    # Only a municipality's is offered (what a pack shows where its latest year is hidden).
    withdrawn[at[at_stake & (pooled.size != 1)]] = True
    groups = _SingleYears(system, hidden, nulls)
    with threadpool_limits(limits=1, user_api="blas"):
        links = {
            int(cell): years
            for cell in np.flatnonzero(at_stake & ~withdrawn[at])
            if (years := groups.free_years(pooled.years[cell]))
        }
        # One free hidden year: the pooled count less the known years gives it back.
        for cell, years in links.items():
            if len(years) == 1 and system.values[years[0]] > 0:
                withdrawn[at[cell]] = True
        sensitive_cells = sensitive(system, hidden, threshold)
        searched: dict[bytes, _Search] = {}
        for component in _components(links, withdrawn[at], groups):
            active = [cell for cell in component if not withdrawn[at[cell]]]
            while active:
                analysed = _Component(active, links, groups, system, sensitive_cells)
                chosen = analysed.cases(pooled.values, threshold, searched)
                if not chosen:
                    break
                withdrawn[at[chosen]] = True
                active = [cell for cell in active if not withdrawn[at[cell]]]
    return primary | (hidden_row[at] & ~pooled.denominator), withdrawn[at]


class _SingleYears:
    """The single years' unknown cells as the reader sees them without pooled counts:
    peeled, split into groups and each group into its independent *parts* (computed
    when first needed)."""

    def __init__(self, system: System, hidden: np.ndarray, nulls: dict[bytes, np.ndarray]) -> None:
        # As the last round of ``protect`` saw them: its groups' null spaces are in ``nulls``.
        equations = Equations(system)
        undetermined, _ = peel(equations, hidden | system.derived)
        self.open_cells = np.flatnonzero(undetermined)
        sub = equations.matrix[:, self.open_cells].tocsr()
        self.rows = np.flatnonzero(abs(sub) @ np.ones(self.open_cells.size) > 0)
        self.sub = sub[self.rows]
        graph = sparse.bmat([[None, abs(self.sub)], [abs(self.sub).T, None]], format="csr")
        _, labels = csgraph.connected_components(graph, directed=False)
        self.row_labels = labels[: self.sub.shape[0]]
        self.group_of = np.full(system.values.shape[0], -1, dtype=np.int64)
        self.group_of[self.open_cells] = labels[self.sub.shape[0] :]
        self.hidden, self.nulls = hidden, nulls
        # Per cell its part (-1: fixed, or not yet split), and the parts.
        self.part_of = np.full(system.values.shape[0], -1, dtype=np.int64)
        self.parts: list[_Group] = []
        self._split: set[int] = set()

    def part(self, cell: int) -> int:
        """The part of an open cell (-1 when its group's equations fix it)."""
        label = int(self.group_of[cell])
        if label >= 0 and label not in self._split:
            self._split.add(label)
            columns = np.flatnonzero(self.group_of[self.open_cells] == label)
            equations = np.flatnonzero(self.row_labels == label)
            key = group_key(self.rows[equations], self.open_cells[columns])
            if key not in self.nulls:
                # A group without a sensitive cell, which ``protect`` had no need to analyse.
                self.nulls[key] = null_space(self.sub[equations][:, columns].toarray())
            for cells, null in independent_parts(self.nulls[key]):
                self.part_of[self.open_cells[columns[cells]]] = len(self.parts)
                self.parts.append(_Group(self.open_cells[columns[cells]], null))
        return int(self.part_of[cell])

    def free_years(self, cells: np.ndarray) -> list[int]:
        """Of a pooling equation's cells, the hidden years the single years leave free."""
        return [int(c) for c in cells if self.hidden[c] and self.part(int(c)) >= 0]


def independent_parts(null: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """A group's free directions split into sets with disjoint cells (cells, their
    orthonormal null basis): the null space's basis in standard form has rows whose
    supports overlap only within such a set, and the sets know nothing of each other
    (what the equations fix is the sum of what they fix in each)."""
    if null.shape[1] == 0:
        return []
    reduced, _ = _standard_form(null.T)
    support = np.abs(reduced) > TOLERANCE
    blocks = row_blocks(support)
    # Each cell with a free direction is in the rows of one block.
    cells = np.flatnonzero(support.any(axis=0))
    cell_block = blocks[np.argmax(support[:, cells], axis=0)]
    parts = []
    for block in np.unique(blocks):
        members = cells[cell_block == block]
        basis, _ = np.linalg.qr(reduced[blocks == block][:, members].T)
        parts.append((members, basis))
    return parts


def _standard_form(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The rows (independent) recombined to hold the identity on a set of pivot
    columns, and those columns (chosen by a pivoted QR). Like the reduced echelon form,
    a 0/1 vector of their span takes its pivot entries as coefficients, and rows whose
    supports overlap form the span's independent blocks (with any such basis: a
    matroid's components follow from the fundamental circuits of any basis)."""
    _, order = scipy.linalg.qr(rows, mode="r", pivoting=True)
    pivots = np.sort(order[: rows.shape[0]])
    return np.linalg.solve(rows[:, pivots], rows), pivots


def _components(
    links: dict[int, list[int]], withdrawn: np.ndarray, groups: _SingleYears
) -> list[list[int]]:
    """The offered pooled counts still in play, split where they share no part."""
    active = [cell for cell in sorted(links) if not withdrawn[cell]]
    if not active:
        return []
    labels = sorted({groups.part(c) for cell in active for c in links[cell]})
    index = {label: i for i, label in enumerate(labels)}
    pairs = [(i, index[groups.part(c)]) for i, cell in enumerate(active) for c in links[cell]]
    rows, columns = np.array(pairs).T
    incidence = sparse.csr_array(
        (np.ones(len(pairs)), (rows, columns)), shape=(len(active), len(labels))
    )
    _, component = csgraph.connected_components(incidence @ incidence.T, directed=False)
    return [[active[i] for i in np.flatnonzero(component == c)] for c in np.unique(component)]


class _Component:
    """The groups a set of links touches, and what the reader knows of their cells."""

    def __init__(
        self,
        pooled: list[int],
        links: dict[int, list[int]],
        groups: _SingleYears,
        system: System,
        sensitive_cells: np.ndarray,
    ) -> None:
        self.pooled, self.system = pooled, system
        self.sensitive = sensitive_cells
        labels = sorted({groups.part(c) for cell in pooled for c in links[cell]})
        parts = [groups.parts[label] for label in labels]
        self.cells = np.concatenate([p.cells for p in parts])
        # The groups' null spaces side by side (block diagonal): N, cells x free directions.
        self.null = scipy.linalg.block_diag(*(p.null for p in parts))
        position = {int(c): i for i, c in enumerate(self.cells)}
        # Each link's row: the sum of its years' rows of N.
        self.restriction = np.array(
            [self.null[[position[c] for c in links[cell]]].sum(axis=0) for cell in pooled]
        )
        _, singular, right = scipy.linalg.svd(self.restriction, full_matrices=True)
        rank = int((singular > _LINK_RANK * max(singular.max(initial=0.0), 1.0)).sum())
        # What the links leave free: Z, cells x directions.
        self.free = self.null @ right[rank:].T

    def cases(
        self, pooled_values: np.ndarray, threshold: int, searched: dict[bytes, _Search]
    ) -> list[int]:
        """The offered pooled counts to withdraw, one for each thing that can be worked
        out (of those whose deductions rest on links no other one here rests on);
        ``searched``: the blocks searched before, by their rows (added to)."""
        chosen: list[int] = []
        touched: set[int] = set()

        def withdraw(linked: np.ndarray) -> None:
            if not touched & set(linked.tolist()):
                touched.update(linked.tolist())
                chosen.append(self._smallest(linked, pooled_values))

        fixed = np.linalg.norm(self.free, axis=1) < TOLERANCE
        for at in np.flatnonzero(fixed & self.sensitive[self.cells]):
            withdraw(self._links_of(np.eye(self.cells.size)[at][None, :]))
        small = np.flatnonzero(~fixed & (self.system.values[self.cells] < threshold))
        if small.size == 0:
            return chosen
        left, singular, _ = scipy.linalg.svd(self.free[small], full_matrices=True)
        known = left[:, int((singular > TOLERANCE).sum()) :].T
        if known.shape[0] == 0:
            return chosen
        reduced, pivots = _standard_form(known)
        support = np.abs(reduced) > TOLERANCE
        blocks = row_blocks(support)
        values = self.system.values[self.cells[small]]
        for block in np.unique(blocks):
            rows = np.zeros((int((blocks == block).sum()), self.cells.size))
            rows[:, small] = reduced[blocks == block]
            linked = self._links_of(rows)
            if not linked.size or touched & set(linked.tolist()):
                continue  # the single years alone (protected in the first pass), or later
            columns = np.flatnonzero(support[blocks == block].any(axis=0))
            on_columns = reduced[blocks == block][:, columns]
            # An unchanged block (most, between rounds) has the same rows: searched once.
            key = self.cells[small[columns]].tobytes() + (np.round(on_columns, 6) + 0.0).tobytes()
            if key not in searched:
                pivot_values = values[np.asarray(pivots)[blocks == block]]
                searched[key] = _search(on_columns, pivot_values, values[columns], threshold)
            result = searched[key]
            if not result.tried:
                # Too many to try: every link it rests on is withdrawn.
                touched.update(linked.tolist())
                chosen.extend(self.pooled[i] for i in linked)
            elif result.found is not None:
                combination = np.zeros(self.cells.size)
                combination[small[columns]] = result.found
                withdraw(self._links_of(combination[None, :]))
        return chosen

    def _links_of(self, combinations: np.ndarray) -> np.ndarray:
        """The links (indices into ``pooled``) that known ``combinations`` (rows over the
        component's cells) rest on."""
        # N.T w = restriction.T v: the links' weights v (least squares).
        weights = np.linalg.lstsq(self.restriction.T, self.null.T @ combinations.T, rcond=None)[0]
        return np.flatnonzero(np.abs(weights).max(axis=1) > 1e-9)

    def _smallest(self, linked: np.ndarray, pooled_values: np.ndarray) -> int:
        """The smallest of the offered pooled counts ``linked`` (all of them if none)."""
        candidates = [self.pooled[i] for i in linked] or self.pooled
        return min(candidates, key=lambda cell: (int(pooled_values[cell]), cell))


class _Search(NamedTuple):
    """What a block's search found: ``tried`` (False: too many subsets to try) and the
    0/1 vector of value 1 .. t-1 it ``found`` (over the block's columns), if any."""

    tried: bool
    found: np.ndarray | None


def _search(
    rows: np.ndarray, pivot_values: np.ndarray, values: np.ndarray, threshold: int
) -> _Search:
    """Every 0/1 combination of a block's ``rows`` (standard form: one per pivot, whose count is
    ``pivot_values``) that could be a vector of value below t, at once: a 0/1 vector of
    the rows' span takes its pivot entries as coefficients, so it holds at most t-1 of
    the pivots of a count above 0. More than 2 ** MAX_COMBINATIONS are not tried."""
    counted = np.flatnonzero(pivot_values > 0)
    free = np.flatnonzero(pivot_values == 0)
    sizes = [math.comb(counted.size, k) for k in range(min(threshold, counted.size + 1))]
    if sum(sizes) << free.size > 2**MAX_COMBINATIONS:
        return _Search(tried=False, found=None)
    parts = []
    for k, size in enumerate(sizes):
        members = np.array(list(itertools.combinations(counted.tolist(), k)), dtype=np.int64)
        part = np.zeros((size, pivot_values.size))
        part[np.arange(size)[:, None], members.reshape(size, k)] = 1.0
        parts.append(part)
    small = np.vstack(parts)
    # Every small subset of the counted pivots with every subset of the zero ones.
    choices = np.repeat(small, 1 << free.size, axis=0)
    choices[:, free] = np.tile((np.arange(1 << free.size)[:, None] >> np.arange(free.size)) & 1,
                               (small.shape[0], 1))  # fmt: skip
    vectors = choices @ rows
    rounded = np.round(vectors)
    binary = (np.abs(vectors - rounded) < TOLERANCE).all(axis=1) & (
        (rounded == 0.0) | (rounded == 1.0)
    ).all(axis=1)
    total = rounded @ values
    hits = np.flatnonzero(binary & (total >= 1) & (total < threshold))
    return _Search(tried=True, found=rounded[hits[0]] if hits.size else None)
