"""Which counts of a catalogue hang together, derived from kinds, groups and code lists.

Counts of the same *universe* (persons with chronic diseases; persons with contacts;
contacts; home-care receivers; ...) differ only by age group, sex and selection (a code
list, a disease list). Each count is then a set of *atoms* (ages between two cut
points x sex x one selection pattern), and linear algebra over the atoms gives every
relation a reader can use: identical counts, partitions (women + men = everyone) and
nestings, whose differences (persons 65-79 = 65+ minus 80+; persons with type 1 and
type 2 diabetes) are derived counts disclosure control protects like published ones.

Selections, by universe:

- contacts (``admissions``, ``admissions_among``): each contact has one area, priority,
  type and main diagnosis, so code lists split contacts into disjoint atoms;
- persons with contacts (``contact_persons``, the psychiatric sub-population): a person
  can have contacts in several code lists, so the atoms are the combinations of lists;
- persons with diseases (``prevalence``, ``multimorbidity``, the disease sub-populations):
  the atoms are the combinations of diseases;
- any other kind: the kind and its parameters (age and sex are its only dimensions).

A catalogue adds relations the engine cannot see with ``[[relation]]`` entries. Extra
relations can only hide more, never less: a missing relation is what would leak.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Final, TypeVar, get_args

import numpy as np

from datapakke.engine.catalogue import GUARDED_METHODS, Catalogue, Indicator
from datapakke.engine.equations import (
    DENOMINATOR,
    NUMERATOR,
    CountKey,
    Derived,
    LinearTerms,
    Relations,
)
from datapakke.engine.params import (
    AdmissionsAmongParams,
    ContactFilter,
    Kontakttype,
    MultimorbidityParams,
    Omraade,
    PrevalenceParams,
    Prioritet,
)
from datapakke.engine.registry import KINDS
from datapakke.errors import InputError

# The largest number of overlapping selections (code lists, diseases) of one universe whose
# combinations are enumerated: 2^12 - 1 combinations.
MAX_OVERLAPPING: Final = 12
T = TypeVar("T")
# The universe in which a person counts once however many matching contacts they have.
PERSONS_WITH_CONTACTS: Final = "persons with contacts"
DISEASE_PERSONS: Final = "persons with chronic diseases"
# Limits of what disclosure control checks in one universe: independent counts (every
# set in their span is tried, 2^n) and derived counts (each is a cell in every area-year).
MAX_RELATED: Final = 16
MAX_DERIVED: Final = 256


@dataclass(frozen=True)
class _Diseases:
    """Persons with at least ``least`` of ``diseases``."""

    diseases: tuple[str, ...]
    least: int = 1


@dataclass(frozen=True)
class _Count:
    """One count as a set: its universe, group and selection (None: the kind's own)."""

    key: CountKey
    universe: str
    age_min: int
    age_max: int | None
    sex: str | None
    selection: ContactFilter | _Diseases | None


def derive_relations(
    catalogue: Catalogue, indicators: Sequence[Indicator] | None = None
) -> Relations:
    """The relations between the counts of ``indicators`` (default: the whole catalogue),
    derived and declared. Raises InputError for overlaps too many to enumerate."""
    chosen = list(catalogue.indicators if indicators is None else indicators)
    counts = [c for i in chosen for c in _counts(i)]
    derived: list[Derived] = []
    identities: list[tuple[tuple[CountKey, float], ...]] = []
    by_universe: dict[str, list[_Count]] = {}
    for count in counts:
        by_universe.setdefault(count.universe, []).append(count)
    for members in by_universe.values():
        if len(members) > 1:
            found = _universe_relations(members)
            derived += found.derived
            identities += found.identities
    present = {i.id for i in chosen}
    for relation in catalogue.relations:
        if relation.whole in present and set(relation.parts) <= present:
            whole = (relation.whole, NUMERATOR)
            parts = [(p, NUMERATOR) for p in relation.parts]
            terms = ((whole, 1.0), *((p, -1.0) for p in parts))
            if relation.exact:
                identities.append(terms)
            else:
                derived.append(Derived(_name(terms), terms))
            if len(parts) > 1:
                for part in parts:
                    difference = ((whole, 1.0), (part, -1.0))
                    derived.append(Derived(_name(difference), difference))
    return Relations(derived=tuple(derived), identities=tuple(identities))


def _counts(indicator: Indicator) -> list[_Count]:
    """The guarded counts of one indicator: its numerator and a sensitive denominator."""
    if indicator.method not in GUARDED_METHODS:
        return []
    settings = indicator.settings

    def count(role: str, universe: str, selection: ContactFilter | _Diseases | None) -> _Count:
        return _Count(
            (indicator.id, role),
            universe,
            indicator.age_min or 0,
            indicator.age_max,
            indicator.sex,
            selection,
        )

    if isinstance(settings, AdmissionsAmongParams):
        among = json.dumps([settings.population, sorted(settings.diseases)])
        members: ContactFilter | _Diseases = (
            _Diseases(tuple(sorted(settings.diseases)))
            if settings.population == "diseases"
            else ContactFilter(omraade="psykiatri")
        )
        universe = DISEASE_PERSONS if isinstance(members, _Diseases) else PERSONS_WITH_CONTACTS
        return [
            count(NUMERATOR, f"contacts among {among}", settings),
            count(DENOMINATOR, universe, members),
        ]
    if isinstance(settings, ContactFilter):
        universe = "contacts" if indicator.kind == "admissions" else PERSONS_WITH_CONTACTS
        return [count(NUMERATOR, universe, settings)]
    if isinstance(settings, PrevalenceParams | MultimorbidityParams):
        least = settings.min_diseases if isinstance(settings, MultimorbidityParams) else 1
        return [
            count(NUMERATOR, DISEASE_PERSONS, _Diseases(tuple(sorted(settings.diseases)), least))
        ]
    params = json.dumps(indicator.params, sort_keys=True, default=str)
    found = [count(NUMERATOR, f"{indicator.kind} {params}", None)]
    if KINDS[indicator.kind].sensitive_denominator:
        # Readmissions: the index admissions depend only on the index definition.
        index = {k: v for k, v in indicator.params.items() if k.startswith(("index", "require"))}
        found.append(
            count(DENOMINATOR, f"{indicator.kind} index {json.dumps(index, sort_keys=True)}", None)
        )
    return found


def _universe_relations(members: list[_Count]) -> Relations:
    """Identities and derived counts among the counts of one universe."""
    cuts = sorted(
        {0}
        | {m.age_min for m in members}
        | {m.age_max + 1 for m in members if m.age_max is not None}
    )
    # Age bands between cut points; the last is open (no upper age).
    ages: list[tuple[int, int | None]] = [(a, b - 1) for a, b in itertools.pairwise(cuts)]
    ages.append((cuts[-1], None))
    sexes = ("M", "K") if any(m.sex for m in members) else ("",)
    table = _selections(members)

    def holds(member: int, low: int, high: int | None, sex: str, selection: int) -> bool:
        count = members[member]
        in_ages = count.age_min <= low and (
            count.age_max is None or (high is not None and high <= count.age_max)
        )
        return in_ages and count.sex in (None, sex) and table[member][selection]

    atoms = [
        (low, high, sex, x) for low, high in ages for sex in sexes for x in range(len(table[0]))
    ]
    return relations_among(
        {m.key: [holds(i, a, b, sex, x) for a, b, sex, x in atoms] for i, m in enumerate(members)}
    )


def relations_among(sets: Mapping[CountKey, Sequence[bool]]) -> Relations:
    """Identities and derived counts among counts given as sets: which atoms each holds.

    Derived: every set of atoms whose count the counts determine (the sets in their
    span: a difference of nested groups; two sets less their union; one age band), other
    than the counts themselves. Raises InputError when there are too many to check.
    """
    keys = list(sets)
    columns = {tuple(bool(sets[k][a]) for k in keys) for a in range(len(sets[keys[0]]))}
    # Atoms in the same counts are indistinguishable: work with the distinct patterns.
    patterns = sorted((p for p in columns if any(p)), reverse=True)
    vectors = [[int(p[i]) for p in patterns] for i in range(len(keys))]
    basis = _Basis(vectors)
    # Written with the whole first: everyone - women - men, not women + men - everyone.
    identities = [
        _terms(keys, [-x for x in c] if sum(x > 0 for x in c) > sum(x < 0 for x in c) else c)
        for c in basis.null_combinations()
    ]
    if basis.rank > MAX_RELATED:
        _refuse(keys, f"{basis.rank} independent counts")
    # Every vector of the span is fixed by its values at the pivots: try each 0/1 choice.
    rows = np.array([[float(x) for x in r] for r, _ in basis.rows[: basis.rank]])
    combos = np.array([[float(x) for x in c] for _, c in basis.rows[: basis.rank]])
    choices = np.array(list(itertools.product((0.0, 1.0), repeat=basis.rank)))[1:]
    spans = choices @ rows
    is_set = np.all(np.isclose(spans, 0.0) | np.isclose(spans, 1.0), axis=1)
    published = {tuple(v) for v in vectors}
    derived = []
    for choice, span in zip(choices[is_set], spans[is_set], strict=True):
        if tuple(round(x) for x in span) not in published:
            terms = _terms(keys, np.round(choice @ combos, 9))
            derived.append(Derived(_name(terms), terms))
    if len(derived) > MAX_DERIVED:
        _refuse(keys, f"{len(derived)} derived counts")
    return Relations(derived=tuple(derived), identities=tuple(identities))


def _refuse(keys: Sequence[CountKey], what: str) -> None:
    ids = ", ".join(sorted({key[0] for key in keys}))
    raise InputError(
        f"The catalogue's indicators {ids} count overlapping groups of the same persons or "
        f"events, related through {what}: more than disclosure control can check, so they "
        "cannot be published together.",
        hint="Remove some of the overlapping age groups or code lists, or split the "
        "indicators over two catalogues (two runs).",
    )


def _terms(keys: Sequence[CountKey], combination: Iterable[object]) -> LinearTerms:
    pairs = [(key, float(c)) for key, c in zip(keys, combination, strict=True) if c != 0]  # type: ignore[arg-type]
    return tuple(sorted(pairs, key=lambda pair: -pair[1]))


def _name(terms: Iterable[tuple[CountKey, float]]) -> str:
    parts = []
    for (indicator_id, role), coefficient in terms:
        label = indicator_id if role == NUMERATOR else f"{indicator_id} ({role})"
        sign = "-" if coefficient < 0 else "+"
        size = abs(coefficient)
        parts.append(f"{sign} {label}" if size == 1 else f"{sign} {size:g} x {label}")
    return " ".join(parts).removeprefix("+ ")


def _selections(members: list[_Count]) -> list[list[bool]]:
    """Per count, whether it holds each selection atom of the universe."""
    selections = [m.selection for m in members]
    if all(s is None for s in selections):
        return [[True] for _ in members]
    if all(isinstance(s, _Diseases) for s in selections):
        wanted = [s for s in selections if isinstance(s, _Diseases)]
        diseases = sorted({d for s in wanted for d in s.diseases})
        _check_overlaps(members, len(diseases))
        sick = [set(c) for c in _subsets(diseases)]
        return [[len(c & set(s.diseases)) >= s.least for c in sick] for s in wanted]
    filters = [s for s in selections if isinstance(s, ContactFilter)]
    if len(filters) != len(members):  # pragma: no cover - a universe mixes selections
        raise ValueError(f"mixed selections in {members[0].universe}")
    features = _contact_features(filters)
    if members[0].universe != PERSONS_WITH_CONTACTS:
        # Contacts: each has exactly one feature (one area, priority, type, diagnosis).
        return [[f[i] for f in features] for i in range(len(filters))]
    # Persons: any combination of features, held when any feature passes the filter.
    _check_overlaps(members, len(features))
    combinations = list(_subsets(range(len(features))))
    return [[any(features[f][i] for f in c) for c in combinations] for i in range(len(filters))]


def _contact_features(filters: list[ContactFilter]) -> list[tuple[bool, ...]]:
    """The distinct patterns of filters a single contact can pass.

    A contact is an area, a priority, a type and a main diagnosis; for the diagnosis the
    representatives are each prefix named in a code list (the longest family prefix a
    code starts with decides which lists it is in) and a code no list names.
    """
    prefixes = sorted({p for f in filters for p in f.prefixes})
    codes = ["", *prefixes]

    def passes(f: ContactFilter, area: str, priority: str, kind: str, code: str) -> bool:
        return (
            f.omraade in (None, area)
            and f.prioritet in (None, priority)
            and f.kontakttype in (None, kind)
            and (not f.diagnoses or any(code.startswith(p) for p in f.prefixes))
        )

    patterns = {
        tuple(passes(f, area, priority, kind, code) for f in filters)
        for area in get_args(Omraade)
        for priority in get_args(Prioritet)
        for kind in get_args(Kontakttype)
        for code in codes
    }
    return sorted(p for p in patterns if any(p))


def _subsets(items: Sequence[T]) -> Iterable[tuple[T, ...]]:
    return itertools.chain.from_iterable(
        itertools.combinations(items, k) for k in range(1, len(items) + 1)
    )


def _check_overlaps(members: list[_Count], overlapping: int) -> None:
    if overlapping > MAX_OVERLAPPING:
        _refuse([m.key for m in members], f"{overlapping} overlapping code or disease lists")


class _Basis:
    """Exact row reduction of integer vectors, for the combinations of them that vanish."""

    def __init__(self, vectors: list[list[int]]) -> None:
        size = len(vectors)
        self.rows: list[tuple[list[Fraction], list[Fraction]]] = [
            ([Fraction(x) for x in v], [Fraction(int(i == k)) for k in range(size)])
            for i, v in enumerate(vectors)
        ]
        self.pivots: list[int] = []
        width = len(vectors[0]) if vectors else 0
        rank = 0
        for column in range(width):
            pivot = next((r for r in range(rank, size) if self.rows[r][0][column] != 0), None)
            if pivot is None:
                continue
            self.rows[rank], self.rows[pivot] = self.rows[pivot], self.rows[rank]
            value, combo = self.rows[rank]
            scale = value[column]
            self.rows[rank] = ([x / scale for x in value], [x / scale for x in combo])
            for r in range(size):
                factor = self.rows[r][0][column]
                if r != rank and factor != 0:
                    self.rows[r] = (
                        _minus(self.rows[r][0], factor, self.rows[rank][0]),
                        _minus(self.rows[r][1], factor, self.rows[rank][1]),
                    )
            self.pivots.append(column)
            rank += 1
        self.rank = rank

    def null_combinations(self) -> list[list[Fraction]]:
        """Integer combinations of the vectors that are zero (one per dependent vector)."""
        found = []
        for _, combo in self.rows[self.rank :]:
            scale = 1
            for x in combo:
                scale = scale * x.denominator // _gcd(scale, x.denominator)
            found.append([x * scale for x in combo])
        return found


def _minus(row: list[Fraction], factor: Fraction, other: list[Fraction]) -> list[Fraction]:
    return [x - factor * y for x, y in zip(row, other, strict=True)]


def _gcd(a: int, b: int) -> int:
    while b:
        a, b = b, a % b
    return a
