"""SVG text drawn by WeasyPrint as one run per ``<text>``, not letter by letter.

WeasyPrint (70) lays out and draws every letter of an SVG ``<text>`` on its own, so
that each could have its own position; a chart's labels and numbers then cost one
Pango layout per letter (about 40 % of drawing the pack's charts). Its maintainers
name the remedy (Kozea/WeasyPrint#2249, "draw the whole text when there's no
specified x, y, dx, dy or rotate values for specific glyphs"), which this module
applies for the texts our charts write: one ``x`` and one ``y``, no per-letter
offsets, rotation, spacing or length, no vertical alignment. Every other text goes
to WeasyPrint's own code.

The run is shaped without kerning and ligatures, so each letter keeps the advance it
had when drawn alone: the picture is the same, and ``charts.lean`` can keep anchoring
texts by their letters' summed advances.

A run's layout is made once per text and font and kept (per font configuration, which
the PDFs of a process share): the charts' texts repeat (years, verdicts, area names:
a full pack draws about 1,500 texts, 400 of them different), and WeasyPrint made each
layout twice (once to measure it, once again to draw it).
"""

from __future__ import annotations

import re
import weakref
from math import inf
from typing import Any

# Attributes that place single letters, or align a text vertically: a text with any of
# them is WeasyPrint's to draw (matplotlib writes none of them).
PER_LETTER = (
    "dx", "dy", "rotate", "letter-spacing", "textLength",
    "display-anchor", "dominant-baseline", "alignment-baseline",
)  # fmt: skip


# One number (as matplotlib writes x and y): a single position, whatever WeasyPrint's
# normalisation of lists would make of it.
_NUMBER = re.compile(r"-?\d+(?:\.\d*)?")
# The layouts kept, by font configuration and then by text and font; a configuration's
# are let go with it, and all of them when there are this many.
_LAYOUTS: weakref.WeakKeyDictionary[Any, dict[tuple[object, ...], tuple[Any, ...]]] = (
    weakref.WeakKeyDictionary()
)
MAX_LAYOUTS = 4096


def install() -> None:
    """Route WeasyPrint's SVG texts through ``draw_text`` (once per process; idempotent)."""
    import weasyprint.svg  # its name ``text`` is the drawing function (it hides the module)

    original = weasyprint.svg.text
    if hasattr(original, "letter_by_letter"):
        return

    def text(svg: Any, node: Any, font_size: float) -> None:
        if not draw_text(svg, node, font_size):
            original(svg, node, font_size)

    text.letter_by_letter = original  # type: ignore[attr-defined]
    # draw_node tells texts by identity (``TAGS.get(node.tag) == text``): replace both.
    weasyprint.svg.text = text
    for tag, drawer in list(weasyprint.svg.TAGS.items()):
        if drawer is original:
            weasyprint.svg.TAGS[tag] = text


def _single(value: str | None) -> bool:
    """Whether an ``x`` or ``y`` gives at most one position (not one per letter)."""
    from weasyprint.svg.utils import normalize

    if value is None or _NUMBER.fullmatch(value):
        return True
    return len(normalize(value).split()) <= 1


def draw_text(svg: Any, node: Any, font_size: float) -> bool:
    """Draw ``node`` as one run if nothing in it places single letters; whether it did."""
    if (
        node.tag != "text"
        or not node.text
        or next(iter(node), None) is not None  # tspans
        or any(node.get(name) is not None for name in PER_LETTER)
        or not (_single(node.get("x")) and _single(node.get("y")))
    ):
        return False
    from weasyprint.draw.text import draw_emojis, draw_first_line
    from weasyprint.matrix import Matrix
    from weasyprint.svg.bounding_box import extend_bounding_box
    from weasyprint.svg.text import TextBox
    from weasyprint.svg.utils import size

    layout, style, width, height, baseline = _laid_out(svg, node, _style(svg, node, font_size))
    # As WeasyPrint's own code: a given x or y (if not zero) resets the running offset.
    x = svg.cursor_position[0]
    y = svg.cursor_position[1]
    if node.get("x") is not None:
        x = size(node.get("x"), font_size, svg.inner_width)
        if x:
            svg.cursor_d_position[0] = 0
    if node.get("y") is not None:
        y = size(node.get("y"), font_size, svg.inner_height)
        if y:
            svg.cursor_d_position[1] = 0
    svg.cursor_position = x + width, y
    x_position = x + svg.cursor_d_position[0]
    y_position = y + svg.cursor_d_position[1]
    node.text_bounding_box = extend_bounding_box(
        node.text_bounding_box,
        (
            (x_position, y_position - baseline),
            (x_position + width, y_position - baseline + height),
        ),
    )
    svg.stream.push_state()
    fill, stroke = svg.set_graphical_state(node, font_size)
    svg.stream.begin_text()
    svg.fill_stroke(fill, stroke, text=True)
    text_box = TextBox(layout, style)
    text_box.baseline = baseline
    matrix = Matrix(a=1, d=-1, e=x_position, f=y_position)
    emojis = draw_first_line(svg.stream, text_box, "none", "none", matrix)
    svg.stream.end_text()
    svg.stream.pop_state()
    draw_emojis(svg.stream, style, x, y, emojis)
    return True


def _laid_out(svg: Any, node: Any, style: Any) -> tuple[Any, ...]:
    """The layout of ``node``'s text in ``style``, ready to draw, the style it was made
    with, and its width, height and baseline (made once per text and font)."""
    from weasyprint.text.line_break import split_first_line

    key = (
        node.text, tuple(style["font_family"]), style["font_style"], style["font_size"],
        style["font_weight"], style["direction"],
    )  # fmt: skip
    layouts = _LAYOUTS.setdefault(svg.font_config, {})
    found = layouts.get(key)
    if found is None:
        layout, _, _, width, height, baseline = split_first_line(
            node.text, style, svg.context, inf, 0
        )
        layout.reactivate(style)  # measured, WeasyPrint lets the layout go: made again
        if len(layouts) >= MAX_LAYOUTS:
            layouts.clear()
        found = layouts[key] = (layout, style, width, height, baseline)
    return found


def _style(svg: Any, node: Any, font_size: float) -> Any:
    """The text's font, as WeasyPrint's own code takes it from the node."""
    from weasyprint.css.properties import INITIAL_VALUES
    from weasyprint.svg.text import Style

    style = Style()
    style.update(INITIAL_VALUES)
    style.font_config = svg.font_config
    style["font_family"] = [
        font.strip("\"'") for font in node.get("font-family", "sans-serif").split(",")
    ]
    style["font_style"] = node.get("font-style", "normal")
    style["font_size"] = font_size
    if node.get("direction") in ("ltr", "rtl"):
        style["direction"] = node.get("direction")
    weight = node.get("font-weight", "400")
    style["font_weight"] = {"normal": 400, "bold": 700}.get(
        weight, int(weight) if weight.isdigit() else 400
    )
    # Each letter at its own advance, as when drawn alone.
    style["font_kerning"] = "none"
    style["font_variant_ligatures"] = "none"
    return style
