"""Tolerant lookup of areas by id, name or alias, with "did you mean" suggestions."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from typing import Generic, TypeVar

from datapakke.errors import UnknownAreaError

K = TypeVar("K")


def fold_name(name: str) -> str:
    """Normalise a name for lookup: case, æøå spelled ae/oe/aa, accents and separators dropped.

    >>> fold_name("Århusklyngen") == fold_name("aarhusklyngen")
    True
    """
    text = name.casefold().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", text)


class Lookup(Generic[K]):
    """Find one of several named things by any of its spellings.

    ``entries`` are ``(key, display name, spellings)``; a spelling used by two keys
    belongs to the first.
    """

    def __init__(self, entries: Iterable[tuple[K, str, Iterable[str]]]) -> None:
        self._keys: dict[str, K] = {}
        self._names: dict[K, str] = {}
        for key, name, spellings in entries:
            self._names[key] = name
            for spelling in (name, *spellings):
                self._keys.setdefault(fold_name(spelling), key)

    def find(self, name: str, *, what: str, hint: str) -> K:
        """The key ``name`` spells; else UnknownAreaError with close names (``what``: 'area')."""
        key = fold_name(name)
        if key in self._keys:
            return self._keys[key]
        # Names that contain what was typed ("nord" -> the Nord clusters) or are contained
        # in it ("odense klynge" -> Fynsklyngen) come first, then close spellings
        # ("horsenklyngen" -> Horsensklyngen).
        keys = list(self._keys)
        partial = [k for k in keys if (len(key) >= 3 and key in k) or (len(k) >= 4 and k in key)]
        close = difflib.get_close_matches(key, keys, n=5, cutoff=0.75)
        suggestions = list(dict.fromkeys(self._names[self._keys[c]] for c in partial + close))
        if suggestions:
            hint = f"Did you mean: {', '.join(suggestions)}?\n{hint}"
        raise UnknownAreaError(f"No {what} is called '{name}'.", hint=hint)
