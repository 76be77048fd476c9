"""The exact search of complementary suppression: per connected group of the unknown
cells that peeling leaves open, what a combination of equations gives away (``protect``
acts on what is found here; the methods in ``determinable``)."""

from __future__ import annotations

import numpy as np
from scipy import sparse
from scipy.sparse import csgraph

from datapakke.engine.determinable import Component, TooManyCombinationsError
from datapakke.engine.equations import System


class ProtectionError(Exception):
    """A derivable small count that no published cell can protect (``cells``: their ids)."""

    def __init__(self, cells: list[int], message: str = "") -> None:
        super().__init__(message or f"{len(cells)} cell(s) cannot be protected")
        self.cells = cells


class Equations:
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


def sensitive(system: System, hidden: np.ndarray, threshold: int) -> np.ndarray:
    """Cells whose value must stay unknown: hidden non-zero cells, small derived counts."""
    values = system.values
    small = (values >= 1) & (values < threshold)
    return (hidden & (values >= 1)) | (system.derived & small)


# A case: (the cell or equation index it is about, the equations its deduction starts from).
Case = tuple[int, tuple[int, ...]]


def exact_cases(
    system: System,
    equations: Equations,
    hidden: np.ndarray,
    undetermined: np.ndarray,
    threshold: int,
    known: dict[bytes, list[Case]],
    nulls: dict[bytes, np.ndarray] | None = None,
) -> list[Case]:
    """What peeling leaves open but a combination of equations gives away: a sensitive
    cell, or a small sum of cells that enter one equation with the same unit sign (two
    of a cluster's municipalities, say, once the others follow from other equations).

    ``known``: the cases of each group already analysed, by its equations, cells and
    which of them are sensitive (all that the analysis depends on), read and added to;
    ``nulls``: each analysed group's null space, by ``group_key`` (added to)."""
    open_cells = np.flatnonzero(undetermined)
    sensitive_cells = sensitive(system, hidden, threshold)
    if open_cells.size == 0 or not sensitive_cells[open_cells].any():
        return []
    sub = equations.matrix[:, open_cells].tocsr()
    rows = np.flatnonzero(abs(sub) @ np.ones(open_cells.size) > 0)
    sub = sub[rows]
    graph = sparse.bmat([[None, abs(sub)], [abs(sub).T, None]], format="csr")
    _, labels = csgraph.connected_components(graph, directed=False)
    row_labels, column_labels = labels[: rows.size], labels[rows.size :]
    cases: list[Case] = []
    for label in np.unique(column_labels[sensitive_cells[open_cells]]):
        comp_rows = np.flatnonzero(row_labels == label)
        cells = open_cells[column_labels == label]
        equation_ids = rows[comp_rows]
        key = b"|".join((group_key(equation_ids, cells), sensitive_cells[cells].tobytes()))
        if key not in known:
            part = Component(sub[comp_rows][:, column_labels == label].toarray())
            if nulls is not None:
                nulls[group_key(equation_ids, cells)] = part.null
            known[key] = _group_cases(
                system, equations, part, equation_ids, cells, sensitive_cells[cells], threshold
            )
        cases += known[key]
    return cases


def group_key(equation_ids: np.ndarray, cells: np.ndarray) -> bytes:
    """A group of open cells by its equations and cells (all its null space depends on)."""
    return b"|".join((equation_ids.astype(np.int64).tobytes(), cells.astype(np.int64).tobytes()))


def _group_cases(
    system: System,
    equations: Equations,
    part: Component,
    equation_ids: np.ndarray,
    cells: np.ndarray,
    sensitive: np.ndarray,
    threshold: int,
) -> list[Case]:
    """The cases of one connected group of open ``cells`` (its equations: ``part``)."""
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
    if not found:
        found = _searched_sum(system, part, equation_ids, cells, threshold)
    return found


def _searched_sum(
    system: System, part: Component, equation_ids: np.ndarray, cells: np.ndarray, threshold: int
) -> list[Case]:
    """Sums across equations: a hidden count plus a derived one of a related count, or
    two hidden groups of neighbouring areas."""
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
    equations: Equations,
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
