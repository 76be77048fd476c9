"""Small helpers for Danish running text: lists of names and numbers in words."""

from __future__ import annotations

from collections.abc import Sequence

_NUMBER_WORDS = ("nul", "én", "to", "tre", "fire", "fem", "seks", "syv", "otte", "ni", "ti")


def join_names(names: Sequence[str], word: str = "og") -> str:
    """'A', 'A og B', 'A, B og C' (or 'A, B eller C' with ``word="eller"``)."""
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} {word} {names[-1]}"


def count_word(n: int) -> str:
    """Small numbers in words, as Danish prose writes them: 'fire kommuner', '12 kommuner'."""
    return _NUMBER_WORDS[n] if 0 <= n < len(_NUMBER_WORDS) else str(n)


def plural(n: int, singular: str, plural_form: str) -> str:
    """'én kommune', 'fire kommuner'."""
    return f"{count_word(n)} {singular if n == 1 else plural_form}"


def lower_first(text: str) -> str:
    """A title inside a sentence: 'Personer med KOL' -> 'personer med KOL'; 'ADHD' stays."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


def sentence(text: str) -> str:
    """End ``text`` with a full stop unless it already ends with one ('12,5 pct.')."""
    return text if text.endswith(".") else text + "."


def upper_first(text: str) -> str:
    """A word at the start of a sentence: 'rådet' -> 'Rådet' (the rest as it is)."""
    return text[:1].upper() + text[1:]
