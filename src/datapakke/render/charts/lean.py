"""Matplotlib's SVG rewritten into the plainer SVG that WeasyPrint draws cheaply.

WeasyPrint draws an SVG node by node: it parses every ``style`` attribute with a CSS
tokenizer, matches every stylesheet rule against every node, copies a ``<use>``'s
target and cascades it again, pushes a graphics state for every group and clip, and
turns every text with a centred or right-aligned anchor into a PDF object of its own.
Matplotlib writes all of these on every node. The rewrite keeps the picture and says
the same with less:

- ``style="fill: #fff; stroke: none"`` becomes presentation attributes
  (``fill="#fff" stroke="none"``), and the stylesheet's one rule (round line joins)
  an inherited attribute of the root;
- a ``<use>`` of a marker or tick becomes the path itself, its points moved into place
  (no transform);
- groups that carry nothing but an id are dissolved into their parent, and ids that
  nothing refers to are dropped, as is the metadata;
- clip paths are dropped: every chart's axes enclose all its data by construction
  (``ticks.enclosing_ticks``), so a clip only ever cut the markers on the frame in half;
- a text anchored at its middle or end is anchored at its start, moved left by its
  width (measured with the same font the page uses), and a rotation by zero degrees
  is dropped;
- lines drawn one after another in the same stroke (grid lines, whiskers, a map's
  borders) become one path of several parts: stroked part by part (a dash pattern
  starts again at each part), it is the same picture with one node instead of many;
- so do copies of one marker or tick drawn one after another in one opaque colour
  (filled and stroked alike): where two copies overlap, both paint the same colour,
  and copies of one shape wind alike, so none leaves a hole in another.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from functools import cache

from matplotlib import font_manager
from matplotlib.ft2font import FT2Font, LoadFlags

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
HREF = f"{{{XLINK_NS}}}href"
ET.register_namespace("", SVG_NS)
ET.register_namespace("xlink", XLINK_NS)

# The declarations of matplotlib's stylesheet (``*{stroke-linejoin: round; ...}``),
# given to the root instead: both are inherited, and butt caps are the default.
ROOT_ATTRIBUTES = {"stroke-linejoin": "round"}
_URL = re.compile(r"url\(#([^)]+)\)")
# Matplotlib writes a path as absolute commands, each followed by its points' coordinates.
_PATH_TOKEN = re.compile(r"[MLQCz]|-?\d+(?:\.\d*)?")
_ZERO_ROTATION = re.compile(r"^rotate\(-?0 [^)]*\)$")
BOLD_FROM = 600
# FreeType's advance widths are 16.16 fixed point.
_FIXED_POINT = 65536


def _tag(name: str) -> str:
    return f"{{{SVG_NS}}}{name}"


def lean_svg(svg: str) -> str:
    """``svg`` (matplotlib's) as the plainer SVG that draws the same picture."""
    root = ET.fromstring(svg)
    _drop(root, {_tag("metadata"), _tag("style")})
    root.attrib.update(ROOT_ATTRIBUTES)
    for element in root.iter():
        _styles_to_attributes(element)
        element.attrib.pop("clip-path", None)
    copies = _inline_uses(root)
    _prune_defs(root)
    _dissolve_groups(root)
    referred = {m for v in _values(root) for m in _URL.findall(v)}
    for element in root.iter():
        if element.get("id") not in referred:
            element.attrib.pop("id", None)
        if element.tag == _tag("text"):
            _anchor_at_start(element)
    _merge_paths(root, copies)
    # Registered again here: another library may have taken the empty prefix since import
    # (ElementTree's prefix map is global), which would write every tag as ``ns0:``.
    ET.register_namespace("", SVG_NS)
    ET.register_namespace("xlink", XLINK_NS)
    return ET.tostring(root, encoding="unicode")


def _drop(root: ET.Element, tags: set[str]) -> None:
    for parent in list(root.iter()):
        for child in [c for c in parent if c.tag in tags]:
            parent.remove(child)


def _styles_to_attributes(element: ET.Element) -> None:
    style = element.attrib.pop("style", None)
    if not style:
        return
    for declaration in style.split(";"):
        name, colon, value = declaration.partition(":")
        if colon:
            element.set(name.strip(), value.strip())


def _inline_uses(root: ET.Element) -> dict[ET.Element, str]:
    """Each ``<use>`` of a path becomes a copy of that path, its points moved by the use's
    x, y; returned with the id of the path each copy is of."""
    targets = {e.get("id"): e for e in root.iter(_tag("path")) if e.get("id")}
    copies: dict[ET.Element, str] = {}
    for parent in list(root.iter()):
        for index, child in enumerate(list(parent)):
            if child.tag != _tag("use"):
                continue
            target_id = child.get(HREF, "").removeprefix("#")
            target = targets[target_id]
            path = ET.Element(_tag("path"), {k: v for k, v in target.attrib.items() if k != "id"})
            for name, value in child.attrib.items():
                if name not in (HREF, "x", "y"):
                    path.set(name, value)
            x, y = child.get("x", "0"), child.get("y", "0")
            moved = _moved(path.get("d", ""), float(x), float(y))
            if moved is None or "transform" in path.attrib:
                path.set("transform", f"translate({x} {y})")
            else:
                path.set("d", moved)
                copies[path] = target_id
            parent.remove(child)
            parent.insert(index, path)
    return copies


def _moved(d: str, x: float, y: float) -> str | None:
    """The path ``d`` (absolute commands, as matplotlib writes them) moved by ``x``, ``y``
    (None for any other path)."""
    if _PATH_TOKEN.sub("", d).strip():
        return None
    parts: list[str] = []
    coordinate = 0
    for token in _PATH_TOKEN.findall(d):
        if token.isalpha():
            parts.append(token)
            coordinate = 0
        else:
            parts.append(_short(float(token) + (y if coordinate % 2 else x)))
            coordinate += 1
    return " ".join(parts)


def _short(value: float) -> str:
    """A coordinate as matplotlib writes one: six decimals at most, no trailing zeros."""
    text = f"{value:f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def _dissolve_groups(parent: ET.Element) -> None:
    """Replace every group that sets nothing (no attribute but an id) by its children."""
    children: list[ET.Element] = []
    for child in parent:
        _dissolve_groups(child)
        if child.tag == _tag("g") and set(child.attrib) <= {"id"}:
            children.extend(child)
        else:
            children.append(child)
    parent[:] = children


def _merge_paths(root: ET.Element, copies: dict[ET.Element, str]) -> None:
    """Join each run of sibling paths alike in every attribute but their ``d`` into the
    first of them: paths that only stroke, and ``copies`` of one path painted in one
    colour. Only opaque, untransformed paths: overlapping see-through paint would
    darken once instead of twice, and a fill of other joined shapes could leave holes
    where they overlap (or, in two colours, paint a stroke over the other's fill)."""
    for parent in root.iter():
        previous: ET.Element | None = None
        for child in list(parent):
            if not _joinable(child, copies):
                previous = None
            elif (
                previous is not None
                and _alike(previous, child)
                and copies.get(previous) == copies.get(child)
            ):
                previous.set("d", f"{previous.get('d', '')} {child.get('d', '')}")
                parent.remove(child)
            else:
                previous = child


def _joinable(element: ET.Element, copies: dict[ET.Element, str]) -> bool:
    attributes = element.attrib
    if not (
        element.tag == _tag("path")
        and "id" not in attributes
        and not any(name in attributes for name in ("transform", "clip-path", "mask"))
        and not any(name.endswith("opacity") or name.startswith("marker") for name in attributes)
    ):
        return False
    fill = attributes.get("fill", "#000000")  # SVG's initial fill
    if fill == "none":
        return True
    stroke = attributes.get("stroke", "none")
    return (
        element in copies
        and stroke in ("none", fill)
        and "fill-rule" not in attributes
        and not fill.startswith("url(")
    )


def _alike(first: ET.Element, second: ET.Element) -> bool:
    return {k: v for k, v in first.attrib.items() if k != "d"} == {
        k: v for k, v in second.attrib.items() if k != "d"
    }


def _prune_defs(root: ET.Element) -> None:
    """Drop the definitions nothing refers to any more (the inlined markers, the clip
    paths), and ``defs`` left empty; hatch patterns stay."""
    for parent in list(root.iter()):
        for defs in [c for c in parent if c.tag == _tag("defs")]:
            for unused in [d for d in defs if d.tag in (_tag("path"), _tag("clipPath"))]:
                defs.remove(unused)
            if not len(defs):
                parent.remove(defs)


def _values(root: ET.Element) -> list[str]:
    return [value for element in root.iter() for value in element.attrib.values()]


def _anchor_at_start(text: ET.Element) -> None:
    transform = text.get("transform")
    if transform is not None and _ZERO_ROTATION.match(transform):
        del text.attrib["transform"]
    anchor = text.attrib.pop("text-anchor", "start")
    if anchor == "start" or not text.text:
        return
    if "transform" in text.attrib:  # a rotated label: WeasyPrint shifts it along its baseline
        text.set("text-anchor", anchor)
        return
    size = float(text.get("font-size", "12").removesuffix("px"))
    width = text_width(text.text, size, bold=_is_bold(text.get("font-weight", "normal")))
    shift = width / 2 if anchor == "middle" else width
    text.set("x", f"{float(text.get('x', '0')) - shift:.3f}")


def _is_bold(weight: str) -> bool:
    """Matplotlib writes a weight as a number (700) or a word; WeasyPrint draws 600 and up
    in the bold face."""
    return weight == "bold" or (weight.isdigit() and int(weight) >= BOLD_FROM)


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """The width of ``text`` in DejaVu Sans at ``size`` as WeasyPrint draws it in an SVG:
    letter by letter, each at its own advance (no kerning between them)."""
    advances = _advances(bold)
    return size * sum(advances(letter) for letter in text)


@cache
def _advances(bold: bool) -> _Advances:
    properties = font_manager.FontProperties(
        family="DejaVu Sans", weight="bold" if bold else "normal"
    )
    return _Advances(font_manager.findfont(properties))


class _Advances:
    """Advance widths of one font's letters, at size 1, read once each."""

    def __init__(self, path: str) -> None:
        self.font = FT2Font(path)
        self.font.set_size(1000, 72)  # large, so the unhinted advance keeps its precision
        self.widths: dict[str, float] = {}

    def __call__(self, letter: str) -> float:
        if letter not in self.widths:
            glyph = self.font.load_char(ord(letter), flags=LoadFlags.NO_HINTING)
            self.widths[letter] = glyph.linearHoriAdvance / _FIXED_POINT / 1000
        return self.widths[letter]
