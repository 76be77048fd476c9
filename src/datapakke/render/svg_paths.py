"""SVG paths as matplotlib writes them, read by WeasyPrint in one pass.

WeasyPrint (70) reads a path's ``d`` by rewriting the whole string (a replace per
command letter, three regular expressions), then pops one command at a time and
parses each number through its length parser: about a third of drawing the pack's
charts (Horsensklyngen's full pack: 1,300 paths, 66,000 numbers, 40,000 of them the
maps' outlines; 0.30-0.45 CPU-s, 0.07 here).

matplotlib writes every path as absolute ``M``, ``L`` and ``C`` commands and ``z``,
each with exactly its own numbers, in plain decimals separated by white space. Such a path
is read here token by token, making the same drawing calls and the same vertices (the
points markers would use) as WeasyPrint's reader: the same PDF. Any other path (other
commands, implicit repeats, exponents, units) goes to WeasyPrint's own code.
"""

from __future__ import annotations

import re
from math import atan2, pi
from typing import Any

# A path as matplotlib writes it: each command with its own plain decimals (which float()
# reads exactly as WeasyPrint's length parser does), separated by white space.
_NUMBER = r"\s+-?\d+(?:\.\d+)?"
_MATPLOTLIB_PATH = re.compile(
    rf"(?:\s*(?:[ML](?:{_NUMBER}){{2}}|C(?:{_NUMBER}){{6}}|z)(?=\s|$))*\s*"
)
# How many numbers follow each command.
_ARGUMENTS = {"M": 2, "L": 2, "C": 6, "z": 0}


def install() -> None:
    """Route WeasyPrint's SVG paths through ``draw_path`` (once per process; idempotent)."""
    import weasyprint.svg

    original = weasyprint.svg.TAGS["path"]
    if hasattr(original, "command_by_command"):
        return

    def path(svg: Any, node: Any, font_size: float) -> None:
        if not draw_path(svg, node):
            original(svg, node, font_size)

    path.command_by_command = original  # type: ignore[attr-defined]
    weasyprint.svg.TAGS["path"] = path


def parse(d: str) -> list[tuple[str, tuple[float, ...]]] | None:
    """The commands of a path written as matplotlib writes them, or None for any other."""
    if not _MATPLOTLIB_PATH.fullmatch(d):
        return None
    tokens = d.split()
    commands: list[tuple[str, tuple[float, ...]]] = []
    at = 0
    while at < len(tokens):
        count = _ARGUMENTS[tokens[at]]
        commands.append((tokens[at], tuple(map(float, tokens[at + 1 : at + 1 + count]))))
        at += 1 + count
    return commands


def draw_path(svg: Any, node: Any) -> bool:
    """Draw ``node``'s path if matplotlib could have written it; whether it did.

    Mirrors ``weasyprint.svg.path.path`` for these four commands, step for step.
    """
    commands = parse(node.get("d", ""))
    if commands is None:
        return False
    stream, vertices = svg.stream, node.vertices
    current: tuple[float, float] = (0, 0)
    stream.move_to(*current)
    last: str | None = None
    first: tuple[float, float] | None = None
    for letter, numbers in commands:
        if last in (None, "z") and letter != "M":
            vertices.append(current)
            first = current
        if last in (None, "M", "z"):
            first = None
        if letter not in ("M", "z") and first is None:
            first = current
        if letter == "C":
            x1, y1, x2, y2, x3, y3 = numbers
            vertices.append((atan2(y1 - y2, x1 - x2), atan2(y3 - y2, x3 - x2)))
            stream.curve_to(x1, y1, x2, y2, x3, y3)
            current = x3, y3
        elif letter == "L":
            x, y = numbers
            angle = atan2(y - current[1], x - current[0])
            vertices.append((pi - angle, angle))
            stream.line_to(x, y)
            current = x, y
        elif letter == "M":
            if last is not None and last != "z":
                vertices.append(None)
            current = numbers[0], numbers[1]
            stream.move_to(*current)
        elif first:
            vertices.append(None)
            stream.close()
            current = first
        if letter != "z":
            vertices.append(current)
        last = letter
    return True
