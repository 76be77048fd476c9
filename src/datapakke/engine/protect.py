"""Complementary suppression: hide as few extra cells as possible so that nothing hidden,
and no small derived count, can be worked out from what is published.

A reader knows every published cell and every equation of the ``System``. A cell the
reader does not know (hidden, or derived) is *determined* when the equations fix its
value. Two things must never happen (``threshold`` = t):

1. a determined cell is hidden (and not 0), or derived with a value 1 .. t-1;
2. an equation leaves unknown cells that all enter it with the same unit sign, so that
   their sum is known, and that sum is 1 .. t-1 (two hidden neighbours of 2 each, say).

Each round finds every such case: first by peeling (an equation with one unknown
determines it), then, when peeling finds nothing, exactly, by linear algebra on what is
left. For each case one more published cell is hidden, chosen among the cells the
deduction rests on: one whose hiding leaves no new equation with it as the only
unknown, then the smallest count, then the smallest area, then table order. Rounds
repeat until nothing can be worked out. The rule is deterministic.

Pooled counts (figures of several years, offered beside the single years) are decided
in a second pass (``protect_pooled``), once the single years are: a pooled count can
then only be *withdrawn* (with the rest of its row; it is then an unknown like a
derived count), never cost a single year. Only a pooled count with a hidden year can
give anything away (the others are sums of published counts); of those, only a
municipality's is offered, and each case withdraws the smallest of those it rests on.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from typing import NamedTuple

import numpy as np
from scipy import sparse
from scipy.sparse import csgraph
from threadpoolctl import threadpool_limits

from datapakke.engine.determinable import Component, TooManyCombinationsError
from datapakke.engine.equations import System

# A deduction is traced back through at most this many equations to find what it rests on.
_TRACE_LIMIT = 400


class ProtectionError(Exception):
    """A derivable small count that no published cell can protect (``cells``: their ids)."""

    def __init__(self, cells: list[int], message: str = "") -> None:
        super().__init__(message or f"{len(cells)} cell(s) cannot be protected")
        self.cells = cells


class _Equations:
    """The system's matrix in the forms the rounds need."""

    def __init__(self, system: System) -> None:
        matrix = system.matrix
        self.matrix = matrix
        self.binary = self._where(matrix, matrix.data != 0)
        self.columns = self.binary.T.tocsr()
        self.positive = self._where(matrix, matrix.data == 1.0)
        self.negative = self._where(matrix, matrix.data == -1.0)
        self.non_unit = self._where(matrix, np.abs(matrix.data) != 1.0)
        # Equations by size: the smallest that determines a cell is the one to act on
        # (the cluster's, not the region's, when a municipality is the only unknown in both).
        self.by_size = np.argsort(np.diff(self.binary.indptr), kind="stable")

    @staticmethod
    def _where(matrix: sparse.csr_array, keep: np.ndarray) -> sparse.csr_array:
        """A 0/1 integer matrix with a 1 where ``matrix`` has an entry that ``keep`` marks."""
        ones = sparse.csr_array(
            (keep.astype(np.int64), matrix.indices.copy(), matrix.indptr.copy()),
            shape=matrix.shape,
        )
        ones.eliminate_zeros()
        return ones

    def cells_of(self, equation: int) -> np.ndarray:
        """The cells of one equation."""
        start, end = self.binary.indptr[equation], self.binary.indptr[equation + 1]
        return np.asarray(self.binary.indices[start:end])

    def row(self, equation: int) -> tuple[np.ndarray, np.ndarray]:
        """The cells of one equation and their coefficients."""
        start, end = self.matrix.indptr[equation], self.matrix.indptr[equation + 1]
        return np.asarray(self.matrix.indices[start:end]), np.asarray(self.matrix.data[start:end])


class Protection(NamedTuple):
    """Per cell: ``hidden`` (primary, and the complementary cells that protect them) and
    ``withdrawn`` (pooled counts not published, so that nothing can be worked out)."""

    hidden: np.ndarray
    withdrawn: np.ndarray


def protect(system: System, primary: np.ndarray, threshold: int) -> np.ndarray:
    """Hide ``primary`` (and the numerators of hidden denominators) and protect them;
    return the hidden cells. ``system`` has no pooled cells (``protect_pooled`` adds them).
    Raises ProtectionError if that is impossible."""
    equations = _Equations(system)
    hidden = _with_numerators(system, primary.copy())

    def rank(cell: int, new_cases: np.ndarray) -> tuple[int, ...]:
        values, size = system.values, system.size
        return (int(new_cases[cell]), int(values[cell]), int(size[cell]), cell)

    for cases, state in _rounds(system, equations, hidden, np.zeros_like(hidden), threshold):
        chosen = _choose(state, cases, ~system.pooled, rank)
        if chosen.size == 0:
            raise ProtectionError(_case_cells(state, cases))
        hidden[chosen] = True
        hidden[:] = _with_numerators(system, hidden)
    return hidden


def protect_pooled(system: System, hidden: np.ndarray, threshold: int) -> Protection:
    """The second pass: ``hidden`` are the protected single years and the primary pooled
    counts; pooled counts are withdrawn (never a single year hidden) until nothing can
    be worked out."""
    equations = _Equations(system)
    hidden = _with_numerators(system, hidden.copy())
    # A pooled count all of whose years are published is their sum: it gives nothing
    # away, and withdrawing it would protect nothing.
    pooling = (equations.binary @ system.pooled.astype(np.int64)) > 0
    with_hidden_year = pooling & (equations.binary @ (hidden & ~system.pooled)).astype(bool)
    at_stake = system.pooled & (equations.columns @ with_hidden_year.astype(np.int64) > 0)
    # Only a municipality's is offered (what a pack shows where its latest year is
    # hidden): each offered count ties its years' groups together, and the search over
    # them grows steeply with their number.
    offered = at_stake & (system.size == 1)
    withdrawn = np.isin(system.row, system.row[at_stake & ~offered]) & (system.row >= 0)

    def rank(cell: int, _new_cases: np.ndarray) -> tuple[int, ...]:
        return (int(system.values[cell]), cell)

    # The pooling equations tie each year's groups into one of all years: they are
    # analysed as links between the groups of the single years.
    for cases, state in _rounds(system, equations, hidden, withdrawn, threshold, links=pooling):
        chosen = _choose(state, cases, offered & ~withdrawn, rank)
        if chosen.size == 0:
            if not (offered & ~withdrawn & ~hidden).any():
                raise ProtectionError(_case_cells(state, cases))
            # A deduction traced past _TRACE_LIMIT: with every offered pooled count
            # withdrawn, the reader knows no more than the single years tell.
            chosen = np.flatnonzero(offered & ~hidden)
        withdrawn |= np.isin(system.row, system.row[chosen]) & (system.row >= 0)
    return Protection(hidden, withdrawn)


class _State(NamedTuple):
    """One round's view: the system (withdrawn counts as derived), what is unknown and
    what peeling left undetermined."""

    system: System
    equations: _Equations
    hidden: np.ndarray
    unknown: np.ndarray
    undetermined: np.ndarray
    determined_by: np.ndarray


def _rounds(
    system: System,
    equations: _Equations,
    hidden: np.ndarray,
    withdrawn: np.ndarray,
    threshold: int,
    *,
    links: np.ndarray | None = None,
) -> Iterable[tuple[list[Case], _State]]:
    """Each round's cases, until there are none; the caller hides or withdraws cells
    (in ``hidden`` and ``withdrawn``, in place) between rounds."""
    # A round hides a few cells; most groups of open cells are the same as in the round
    # before, and so is what they give away.
    known: dict[bytes, list[Case]] = {}
    # With links, the single years' groups recur inside every linked group.
    nulls: dict[bytes, np.ndarray] = {}
    while True:
        # A withdrawn count is unknown to the reader, as a derived one.
        current = dataclasses.replace(system, derived=system.derived | withdrawn)
        unknown = hidden | current.derived
        undetermined, determined_by = _peel(equations, unknown)
        cases = _peeled_cases(
            current, equations, hidden, unknown, undetermined, determined_by, threshold
        )
        if not cases:
            # Many small dense problems: one BLAS thread each is fastest, and never
            # oversubscribes a machine that is busy with other work.
            with threadpool_limits(limits=1, user_api="blas"):
                cases = _exact_cases(
                    current, equations, hidden, undetermined, threshold, known, links, nulls
                )
        if not cases:
            return
        yield cases, _State(current, equations, hidden, unknown, undetermined, determined_by)


def _case_cells(state: _State, cases: list[Case]) -> list[int]:
    """The cells the cases are about (a sum's: the unknown cells of its equation)."""
    cells = set[int]()
    for subject, _start in cases:
        if subject >= 0:
            cells.add(subject)
        else:
            members = state.equations.cells_of(-1 - subject)
            cells.update(int(c) for c in members[state.unknown[members]])
    return sorted(cells)


def _with_numerators(system: System, hidden: np.ndarray) -> np.ndarray:
    """A hidden denominator hides its numerator (a rate and its count would give it back)."""
    partners = system.numerator_of[hidden & (system.numerator_of >= 0)]
    hidden[partners] = True
    return hidden


def _peel(equations: _Equations, unknown: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Repeatedly let an equation with one unknown determine it.

    Returns the cells still undetermined and, per determined cell, the equation that
    determined it (-1 for the others).
    """
    undetermined = unknown.copy()
    determined_by = np.full(unknown.shape[0], -1, dtype=np.int64)
    index = np.arange(unknown.shape[0], dtype=np.int64)
    while True:
        counts = equations.binary @ undetermined.astype(np.int64)
        order = equations.by_size
        single = order[counts[order] == 1]
        if single.size == 0:
            return undetermined, determined_by
        which = (equations.binary @ np.where(undetermined, index, 0))[single]
        cells, first = np.unique(which, return_index=True)
        determined_by[cells] = single[first]
        undetermined[cells] = False


def _sensitive(system: System, hidden: np.ndarray, threshold: int) -> np.ndarray:
    """Cells whose value must stay unknown: hidden non-zero cells, small derived counts."""
    values = system.values
    small = (values >= 1) & (values < threshold)
    return (hidden & (values >= 1)) | (system.derived & small)


# A case: (the cell or equation index it is about, the equations its deduction starts from).
Case = tuple[int, tuple[int, ...]]


def _peeled_cases(
    system: System,
    equations: _Equations,
    hidden: np.ndarray,
    unknown: np.ndarray,
    undetermined: np.ndarray,
    determined_by: np.ndarray,
    threshold: int,
) -> list[Case]:
    sensitive = _sensitive(system, hidden, threshold)
    determined = unknown & ~undetermined & sensitive
    cases: list[Case] = [(int(c), (int(determined_by[c]),)) for c in np.flatnonzero(determined)]
    return cases + [(-1 - e, (e,)) for e in _known_sums(system, equations, undetermined, threshold)]


def _known_sums(
    system: System, equations: _Equations, undetermined: np.ndarray, threshold: int
) -> list[int]:
    """Equations whose undetermined cells all enter with the same unit sign and sum to
    1 .. t-1: the equation gives that sum."""
    open_cells = undetermined.astype(np.int64)
    count = equations.binary @ open_cells
    positive = equations.positive @ open_cells
    negative = equations.negative @ open_cells
    non_unit = equations.non_unit @ open_cells
    total = equations.binary @ (open_cells * system.values)
    known_sum = (
        (count >= 2)
        & (non_unit == 0)
        & ((positive == 0) | (negative == 0))
        & (total >= 1)
        & (total < threshold)
    )
    return [int(e) for e in np.flatnonzero(known_sum)]


def _exact_cases(
    system: System,
    equations: _Equations,
    hidden: np.ndarray,
    undetermined: np.ndarray,
    threshold: int,
    known: dict[bytes, list[Case]],
    links: np.ndarray | None = None,
    nulls: dict[bytes, np.ndarray] | None = None,
) -> list[Case]:
    """What peeling leaves open but a combination of equations gives away: a sensitive
    cell, or a small sum of cells that enter one equation with the same unit sign (two
    of a cluster's municipalities, say, once the others follow from other equations).

    ``known``: the cases of each group already analysed, by its equations, cells and
    which of them are sensitive (all that the analysis depends on), read and added to;
    ``links``, ``nulls``: see ``Component``."""
    open_cells = np.flatnonzero(undetermined)
    sensitive = _sensitive(system, hidden, threshold)
    if open_cells.size == 0 or not sensitive[open_cells].any():
        return []
    sub = equations.matrix[:, open_cells].tocsr()
    rows = np.flatnonzero(abs(sub) @ np.ones(open_cells.size) > 0)
    sub = sub[rows]
    graph = sparse.bmat([[None, abs(sub)], [abs(sub).T, None]], format="csr")
    _, labels = csgraph.connected_components(graph, directed=False)
    row_labels, column_labels = labels[: rows.size], labels[rows.size :]
    cases: list[Case] = []
    # Linked groups are large and change every round: their integer program (the
    # costliest search) runs only in a round where no group gives anything cheaper away.
    deferred: list[tuple[bytes, Component, np.ndarray, np.ndarray]] = []
    for label in np.unique(column_labels[sensitive[open_cells]]):
        comp_rows = np.flatnonzero(row_labels == label)
        cells = open_cells[column_labels == label]
        equation_ids = rows[comp_rows]
        key = b"|".join((equation_ids.tobytes(), cells.tobytes(), sensitive[cells].tobytes()))
        if key in known:
            cases += known[key]
            continue
        part = Component(
            sub[comp_rows][:, column_labels == label].toarray(),
            None if links is None else links[equation_ids],
            nulls,
        )
        found = _group_cases(system, equations, part, equation_ids, cells, sensitive[cells],
                             threshold, search=links is None)  # fmt: skip
        if found or links is None:
            known[key] = found
            cases += found
        else:
            deferred.append((key, part, equation_ids, cells))
    if not cases:
        for key, part, equation_ids, cells in deferred:
            known[key] = _searched_sum(system, part, equation_ids, cells, threshold)
            cases += known[key]
    return cases


def _group_cases(
    system: System,
    equations: _Equations,
    part: Component,
    equation_ids: np.ndarray,
    cells: np.ndarray,
    sensitive: np.ndarray,
    threshold: int,
    *,
    search: bool,
) -> list[Case]:
    """The cases of one connected group of open ``cells`` (its equations: ``part``);
    without ``search``, only those found without the integer program."""
    fixed = part.fixed()
    found = [
        (int(cells[j]), _support(part, equation_ids, _unit(cells.size, int(j))))
        for j in np.flatnonzero(fixed & sensitive)
    ]
    if not found:
        try:
            found = _small_sums(system, equations, part, equation_ids, cells, fixed, threshold)
        except TooManyCombinationsError as error:
            raise ProtectionError(
                [int(c) for c in cells], f"too many hidden cells tied together ({error})"
            ) from error
    if not found and search:
        found = _searched_sum(system, part, equation_ids, cells, threshold)
    return found


def _searched_sum(
    system: System, part: Component, equation_ids: np.ndarray, cells: np.ndarray, threshold: int
) -> list[Case]:
    """Sums across equations: a hidden count plus a derived one that a pooled count and
    a published part give, or two hidden groups of neighbouring areas."""
    try:
        subset = part.small_sum(system.values[cells], ~part.fixed(), threshold)
    except TooManyCombinationsError as error:
        raise ProtectionError([int(c) for c in cells], str(error)) from error
    if subset is None:
        return []
    support = _support(part, equation_ids, subset.astype(float))
    return [(-1 - min(support, default=0), support)]


def _unit(size: int, at: int) -> np.ndarray:
    unit = np.zeros(size)
    unit[at] = 1.0
    return unit


def _support(part: Component, equation_ids: np.ndarray, combination: np.ndarray) -> tuple[int, ...]:
    return tuple(int(e) for e in equation_ids[part.support(combination)])


def _small_sums(
    system: System,
    equations: _Equations,
    part: Component,
    equation_ids: np.ndarray,
    cells: np.ndarray,
    fixed: np.ndarray,
    threshold: int,
) -> list[Case]:
    """Subsets of an equation's open cells of one unit sign whose known sum is 1 .. t-1.

    Only cells below t can be in such a subset (the counts are not negative), so only
    they are searched: a region's dozens of open municipalities leave a handful."""
    local = {int(c): j for j, c in enumerate(cells)}
    small = system.values[cells] < threshold
    searched = np.zeros(system.values.shape[0], dtype=np.int64)
    searched[cells[~fixed & small]] = 1
    # Per equation and sign, how many cells a subset could hold: fewer than two, none.
    members_of = {
        1.0: equations.positive[equation_ids] @ searched,
        -1.0: equations.negative[equation_ids] @ searched,
    }
    found: list[Case] = []
    for at, equation in enumerate(equation_ids):
        members, signs = equations.row(int(equation))
        for sign in (1.0, -1.0):
            if members_of[sign][at] < 2:
                continue
            group = np.array(
                [
                    local[int(c)]
                    for c, s in zip(members, signs, strict=True)
                    if s == sign
                    and int(c) in local
                    and not fixed[local[int(c)]]
                    and small[local[int(c)]]
                ],
                dtype=np.int64,
            )
            for subset in part.known_sums(group):
                chosen = group[subset]
                if 1 <= system.values[cells[chosen]].sum() < threshold:
                    combination = np.zeros(cells.size)
                    combination[chosen] = 1.0
                    found.append((-1 - int(equation), _support(part, equation_ids, combination)))
    return found


def _trace(
    equations: _Equations,
    unknown: np.ndarray,
    undetermined: np.ndarray,
    determined_by: np.ndarray,
    start: Iterable[int],
) -> set[int]:
    """The equations a deduction rests on: ``start`` and, for every determined unknown in
    them, the equation that determined it, and so on."""
    queue, seen = list(start), set[int]()
    while queue and len(seen) < _TRACE_LIMIT:
        equation = queue.pop()
        if equation in seen or equation < 0:
            continue
        seen.add(equation)
        for cell in equations.cells_of(equation):
            if unknown[cell] and not undetermined[cell] and determined_by[cell] != equation:
                queue.append(int(determined_by[cell]))
    return seen


def _choose(
    state: _State,
    cases: list[Case],
    eligible: np.ndarray,
    rank: Callable[[int, np.ndarray], tuple[int, ...]],
) -> np.ndarray:
    """One published ``eligible`` cell per case, the first by ``rank`` (a case whose
    deduction a cell chosen in this round already touches waits for the next round)."""
    system, equations, hidden, unknown = state.system, state.equations, state.hidden, state.unknown
    open_count = equations.binary @ state.undetermined.astype(np.int64)
    closed = (open_count == 0).astype(np.int64)
    # Equations with no unknown left that a cell sits in: hiding it would make each of
    # them determine it, so each would need one more cell.
    new_cases = equations.columns @ closed
    chosen: list[int] = []
    touched: set[int] = set()
    for _subject, start in sorted(cases):
        support = _trace(equations, unknown, state.undetermined, state.determined_by, start)
        cells = {int(c) for e in support for c in equations.cells_of(e)}
        if cells & touched:
            continue
        candidates = [
            c
            for c in cells
            if eligible[c] and not unknown[c] and not hidden[c] and system.values[c] > 0
        ]
        if not candidates:
            continue
        chosen.append(min(candidates, key=lambda c: rank(c, new_cases)))
        touched |= cells
    return np.array(chosen, dtype=np.int64)
