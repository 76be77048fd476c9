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
in a second pass, once the single years are (``protect_pooled``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import NamedTuple

import numpy as np
from threadpoolctl import threadpool_limits

from datapakke.engine.equations import System
from datapakke.engine.exact_cases import Case, Equations, ProtectionError, exact_cases, sensitive

# A deduction is traced back through at most this many equations to find what it rests on.
_TRACE_LIMIT = 400


def protect(
    system: System,
    primary: np.ndarray,
    threshold: int,
    nulls: dict[bytes, np.ndarray] | None = None,
) -> np.ndarray:
    """Hide ``primary`` (and the numerators of hidden denominators) and protect them;
    return the hidden cells (``nulls``: filled with the null space of every group of
    unknowns analysed, see ``exact_cases``). Raises ProtectionError if that is impossible."""
    equations = Equations(system)
    hidden = with_numerators(system, primary.copy())

    def rank(cell: int, new_cases: np.ndarray) -> tuple[int, ...]:
        values, size = system.values, system.size
        return (int(new_cases[cell]), int(values[cell]), int(size[cell]), cell)

    known_nulls = {} if nulls is None else nulls
    for cases, state in _rounds(system, equations, hidden, threshold, known_nulls):
        chosen = _choose(state, cases, ~system.pooled, rank)
        if chosen.size == 0:
            raise ProtectionError(_case_cells(state, cases))
        hidden[chosen] = True
        hidden[:] = with_numerators(system, hidden)
    return hidden


class _State(NamedTuple):
    """One round's view: the system, what is unknown and what peeling left undetermined."""

    system: System
    equations: Equations
    hidden: np.ndarray
    unknown: np.ndarray
    undetermined: np.ndarray
    determined_by: np.ndarray


def _rounds(
    system: System,
    equations: Equations,
    hidden: np.ndarray,
    threshold: int,
    nulls: dict[bytes, np.ndarray],
) -> Iterable[tuple[list[Case], _State]]:
    """Each round's cases, until there are none; the caller hides cells (in ``hidden``,
    in place) between rounds."""
    # A round hides a few cells; most groups of open cells are the same as in the round
    # before, and so is what they give away.
    known: dict[bytes, list[Case]] = {}
    while True:
        unknown = hidden | system.derived
        undetermined, determined_by = peel(equations, unknown)
        cases = _peeled_cases(
            system, equations, hidden, unknown, undetermined, determined_by, threshold
        )
        if not cases:
            # Many small dense problems: one BLAS thread each is fastest, and never
            # oversubscribes a machine that is busy with other work.
            with threadpool_limits(limits=1, user_api="blas"):
                cases = exact_cases(
                    system, equations, hidden, undetermined, threshold, known, nulls
                )
        if not cases:
            return
        yield cases, _State(system, equations, hidden, unknown, undetermined, determined_by)


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


def with_numerators(system: System, hidden: np.ndarray) -> np.ndarray:
    """A hidden denominator hides its numerator (a rate and its count would give it back)."""
    partners = system.numerator_of[hidden & (system.numerator_of >= 0)]
    hidden[partners] = True
    return hidden


def peel(equations: Equations, unknown: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
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


def _peeled_cases(
    system: System,
    equations: Equations,
    hidden: np.ndarray,
    unknown: np.ndarray,
    undetermined: np.ndarray,
    determined_by: np.ndarray,
    threshold: int,
) -> list[Case]:
    small_or_hidden = sensitive(system, hidden, threshold)
    determined = unknown & ~undetermined & small_or_hidden
    cases: list[Case] = [(int(c), (int(determined_by[c]),)) for c in np.flatnonzero(determined)]
    return cases + [(-1 - e, (e,)) for e in _known_sums(system, equations, undetermined, threshold)]


def _known_sums(
    system: System, equations: Equations, undetermined: np.ndarray, threshold: int
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


def _trace(
    equations: Equations,
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
