"""What a set of linear equations fixes: single unknowns, and sums of unknowns.

``Component`` holds the equations of one connected group of unknown cells as a dense
matrix ``A`` (equations x unknowns); the reader knows ``A @ x``. A combination ``w @ x``
is then known exactly when ``w`` lies in the row space of ``A``, i.e. when ``w`` is
orthogonal to the null space of ``A``. The null space comes from a QR decomposition of
``A.T`` (floating point; the coefficients are small integers, so a known combination
is zero to many digits and an unknown one far from it).
"""

from __future__ import annotations

import itertools

import numpy as np
import scipy.linalg
from scipy import sparse

# Lengths and residuals below this are zero.
TOLERANCE = 1e-7
# Sums are enumerated over at most this many independent known combinations of a group
# (2^n subsets); more is refused rather than left unchecked.
MAX_COMBINATIONS = 16
# scipy.optimize.milp's status for "no such set exists".
_INFEASIBLE = 2


class TooManyCombinationsError(Exception):
    """A group has more known combinations than can be enumerated."""


class Component:
    """The equations of one connected group of unknowns."""

    def __init__(self, matrix: np.ndarray) -> None:
        self.matrix = matrix
        self.null = null_space(matrix)

    def fixed(self) -> np.ndarray:
        """Per unknown: whether the equations fix its value."""
        return np.asarray(np.linalg.norm(self.null, axis=1) < TOLERANCE, dtype=bool)

    def known_sums(self, group: np.ndarray) -> list[np.ndarray]:
        """Subsets (as 0/1 vectors over ``group``, two or more members) of the unknowns
        ``group`` whose sum the equations fix.

        The known combinations over the group form a space; in its reduced echelon form
        rows with disjoint supports are independent blocks, and a 0/1 vector of the space
        is a 0/1 vector of each block. So the blocks are tried one by one (2^rows each):
        for non-negative counts, a small sum of several blocks needs a small sum in one.
        """
        if group.size < 2:
            return []
        # w over the group is known iff null[group].T @ w == 0.
        if not self.null.size:
            within = np.eye(group.size)
        else:
            within = scipy.linalg.null_space(self.null[group].T)
        if within.shape[1] == 0:
            return []
        reduced, _pivots = row_echelon(within.T)
        support = np.abs(reduced) > TOLERANCE
        blocks = row_blocks(support)
        found = []
        for block in np.unique(blocks):
            rows = reduced[blocks == block]
            if rows.shape[0] > MAX_COMBINATIONS:
                raise TooManyCombinationsError(
                    f"{rows.shape[0]} tied known combinations of {group.size}"
                )
            for choice in itertools.product((0.0, 1.0), repeat=rows.shape[0]):
                vector = np.asarray(choice) @ rows
                rounded = np.round(vector)
                if (
                    sum(choice) > 0
                    and np.all(np.abs(vector - rounded) < TOLERANCE)
                    and set(rounded.tolist()) <= {0.0, 1.0}
                    and rounded.sum() >= 2
                ):
                    found.append(rounded.astype(bool))
        return found

    def small_sum(self, values: np.ndarray, open_: np.ndarray, threshold: int) -> np.ndarray | None:
        """A set of unknowns (0/1 over them) whose sum the equations fix at 1 .. t-1, or
        None: the exact search the per-equation one (``known_sums``) cannot make.

        An integer program (HiGHS): ``w = A.T @ y`` for some ``y``, with ``w`` 0/1 on the
        ``open_`` unknowns below ``threshold``, 0 on the other open ones, free on those the
        equations fix (they are known), and ``1 <= values @ w <= threshold - 1``."""
        equations, n = self.matrix.shape
        pick = open_ & (values < threshold)
        # Variables: y (one per equation, free), then w (one per picked unknown, 0/1).
        picked = np.flatnonzero(pick)
        if picked.size == 0 or not known_combination_exists(self.null[picked]):
            return None
        # Importing scipy.optimize costs 0.3 s: only a search that gets this far pays it.
        from scipy import optimize

        w_of = sparse.csr_array(
            (np.ones(picked.size), (picked, np.arange(picked.size))), shape=(n, picked.size)
        )
        rows = np.flatnonzero(open_)
        balance = sparse.hstack([sparse.csr_array(self.matrix.T[rows]), -w_of[rows]])
        total = np.concatenate([np.zeros(equations), values[picked].astype(float)])[None, :]
        found = optimize.milp(
            c=np.concatenate([np.zeros(equations), np.ones(picked.size)]),
            constraints=[
                optimize.LinearConstraint(balance, 0.0, 0.0),
                optimize.LinearConstraint(total, 1.0, threshold - 1.0),
            ],
            integrality=np.concatenate([np.zeros(equations), np.ones(picked.size)]),
            bounds=optimize.Bounds(
                np.concatenate([np.full(equations, -np.inf), np.zeros(picked.size)]),
                np.concatenate([np.full(equations, np.inf), np.ones(picked.size)]),
            ),
        )
        if found.status == _INFEASIBLE:
            return None
        if found.status != 0 or found.x is None:
            # Not decided (a limit was hit): refused rather than left unchecked.
            raise TooManyCombinationsError(f"the exact search stopped: {found.message}")
        chosen = np.zeros(n, dtype=bool)
        chosen[picked[np.round(found.x[equations:]) == 1]] = True
        return chosen

    def support(self, combination: np.ndarray) -> np.ndarray:
        """The equations (row indices) that combine into ``combination`` (a known one)."""
        weights = np.linalg.lstsq(self.matrix.T, combination.astype(float), rcond=None)[0]
        return np.flatnonzero(np.abs(weights) > 1e-9)


def known_combination_exists(null_rows: np.ndarray) -> bool:
    """Whether some non-zero combination ``w`` of the unknowns whose rows of the null space
    are ``null_rows`` is known (``null_rows.T @ w == 0``): else no sum of them is fixed and
    the integer program need not run (half the groups of a catalogue's export).

    The rank counts only singular values above ``TOLERANCE``, far above rounding error: a
    combination that exists is never missed; a doubtful one is left to the program.
    """
    if null_rows.shape[1] < null_rows.shape[0]:
        return True
    singular = np.linalg.svd(null_rows, compute_uv=False)
    return bool(int((singular > TOLERANCE).sum()) < null_rows.shape[0])


def row_blocks(support: np.ndarray) -> np.ndarray:
    """Per row of ``support`` (booleans), its block: rows that share a column, directly or
    through other rows, are one block. Blocks are numbered 0, 1, .. in the order of their
    first rows (as ``csgraph.connected_components`` numbers them).

    Each row takes the least row number it reaches through a shared column until none
    changes; the matrices are a group's few combinations, where this costs a few small
    array operations and a sparse graph's construction cost 0.5 ms a group.
    """
    rows = support.shape[0]
    label = np.arange(rows)
    while True:
        by_column = np.where(support, label[:, None], rows).min(axis=0, initial=rows)
        reached = np.minimum(label, np.where(support, by_column, rows).min(axis=1, initial=rows))
        if np.array_equal(reached, label):
            return np.unique(label, return_inverse=True)[1]
        label = reached


def null_space(matrix: np.ndarray) -> np.ndarray:
    """An orthonormal basis (columns) of the null space of ``matrix`` (rows: equations)."""
    if matrix.shape[0] == 0:
        return np.eye(matrix.shape[1])
    q, r, _ = scipy.linalg.qr(matrix.T, mode="full", pivoting=True)
    diagonal = np.abs(np.diag(r))
    rank = int((diagonal > TOLERANCE * max(diagonal.max(initial=0.0), 1.0)).sum())
    return np.asarray(q[:, rank:])


def row_echelon(matrix: np.ndarray) -> tuple[np.ndarray, list[int]]:
    """Reduced row echelon form (partial pivoting) and its pivot columns."""
    reduced = matrix.astype(float).copy()
    pivots: list[int] = []
    row = 0
    for column in range(reduced.shape[1]):
        if row == reduced.shape[0]:
            break
        best = row + int(np.argmax(np.abs(reduced[row:, column])))
        if abs(reduced[best, column]) < TOLERANCE:
            continue
        reduced[[row, best]] = reduced[[best, row]]
        reduced[row] /= reduced[row, column]
        # Every other row at once (the same products and differences as one by one).
        factors = reduced[:, column].copy()
        factors[row] = 0.0
        pivot = reduced[row].copy()
        reduced -= factors[:, None] * pivot
        reduced[row] = pivot
        pivots.append(column)
        row += 1
    return reduced[: len(pivots)], pivots
