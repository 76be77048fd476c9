"""The lean chart SVG draws the same picture as matplotlib's, with what WeasyPrint draws fast."""

from __future__ import annotations

import base64
import dataclasses
import io
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt
import pdfplumber
import pytest
import weasyprint
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.transforms import ScaledTranslation

from datapakke.pack.chart_specs import ComparisonChart, ComparisonRow, LineChart, Series
from datapakke.render import charts, svg_text
from datapakke.render.charts import comparison, legends, lines
from datapakke.render.charts.labels import insert_labels, pending
from datapakke.render.charts.lean import lean_svg, text_width
from datapakke.render.charts.style import house_style
from datapakke.render.charts.tickless import TicklessAxes
from datapakke.render.charts.ticks import set_ticks

SVG = "{http://www.w3.org/2000/svg}"
XLINK = "http://www.w3.org/1999/xlink"
COMPARISON = ComparisonChart(
    rows=(
        ComparisonRow("Assens", 31.25, 25.0, 38.1, "similar", "som landet"),
        ComparisonRow("Ærø", 45.0, 30.0, 61.0, "not_compared", ""),
        ComparisonRow("Langeland", None, None, None, "not_compared", "", missing="<5"),
        ComparisonRow(
            "Fynsklyngen", 36.0, 34.0, 38.0, "worse", "dårligere", emphasis=True, separated=True
        ),
    ),
    reference_label="Hele landet",
    reference=33.5,
    unit_label="Pr. 1.000",
)
TREND = LineChart(
    years=(2020, 2021, 2022, 2023, 2024),
    series=(
        Series("Klyngen", (10.0, 11.0, 12.5, 12.0, 13.0), "cluster", (9.0,) * 5, (14.0,) * 5),
        Series("Landet", (10.5, 10.5, 11.0, 11.5, 12.0), "country"),
    ),
    unit_label="pct.",
    compact=True,
)


def _matplotlib_svg(figure: plt.Figure) -> str:
    """Matplotlib's SVG of a figure, with the labels written for it (``charts.labels``)."""
    buffer = io.StringIO()
    with mpl.rc_context({"savefig.bbox": "standard"}):
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    svg = insert_labels(figure, legends.insert_legend(figure, buffer.getvalue()))
    plt.close(figure)
    return re.sub(r"^.*?(?=<svg)", "", svg, flags=re.DOTALL)


def _raw_and_lean(figure: plt.Figure) -> tuple[str, str]:
    raw = _matplotlib_svg(figure)
    return raw, lean_svg(raw)


def _letters(svg: str, tmp_path: Path, name: str) -> list[tuple[str, float, float]]:
    """Each letter WeasyPrint draws of ``svg``, with its position on the page (points)."""
    uri = "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
    target = tmp_path / f"{name}.pdf"
    weasyprint.HTML(string=f'<body style="margin:0"><img src="{uri}"></body>').write_pdf(target)
    with pdfplumber.open(target) as pdf:
        return sorted((c["text"], c["top"], c["x0"]) for c in pdf.pages[0].chars)


@pytest.mark.parametrize("draw", [lambda: comparison.draw_comparison(COMPARISON),
                                  lambda: lines.draw_lines(TREND)])  # fmt: skip
def test_lean_svg_draws_every_letter_where_matplotlibs_does(draw, tmp_path: Path) -> None:
    with house_style():
        raw, lean = _raw_and_lean(draw())
    drawn, original = _letters(lean, tmp_path, "lean"), _letters(raw, tmp_path, "raw")
    assert [letter for letter, _y, _x in drawn] == [letter for letter, _y, _x in original]
    for (_letter, y, x), (_same, y0, x0) in zip(drawn, original, strict=True):
        assert (y, x) == pytest.approx((y0, x0), abs=0.02)  # points
    assert len(drawn) > 40


def test_lean_svg_keeps_the_shapes_and_drops_what_costs() -> None:
    with house_style():
        raw, lean = _raw_and_lean(comparison.draw_comparison(COMPARISON))
    root = ET.fromstring(lean)
    assert not [e for e in root.iter() if "style" in e.attrib or "clip-path" in e.attrib]
    assert not list(root.iter(f"{SVG}use")) and not list(root.iter(f"{SVG}metadata"))
    # Every anchored text is anchored at its start (no PDF object of its own per text).
    assert {t.get("text-anchor", "start") for t in root.iter(f"{SVG}text")} == {"start"}
    # Every mark is still there: the bars, whiskers and ticks (each part of a path once,
    # with lines of one stroke joined into one path); texts unchanged.
    raw_root = ET.fromstring(raw)
    definitions = {
        p.get("id"): p for d in raw_root.iter(f"{SVG}defs") for p in d.findall(f"{SVG}path")
    }
    drawn = [
        (p.get("d", ""), (0.0, 0.0))
        for p in raw_root.iter(f"{SVG}path")
        if p.get("id") not in definitions
    ] + [
        (definitions[u.get(f"{{{XLINK}}}href", "")[1:]].get("d", ""),
         (float(u.get("x", "0")), float(u.get("y", "0"))))
        for u in raw_root.iter(f"{SVG}use")
    ]  # fmt: skip
    paths = list(root.iter(f"{SVG}path"))
    assert not [p for p in paths if "transform" in p.attrib]  # markers moved into place
    assert _parts([(p.get("d", ""), (0.0, 0.0)) for p in paths]) == _parts(drawn)
    assert len(paths) < len(drawn) / 2  # the tick marks of an axis in one path, too
    assert [t.text for t in root.iter(f"{SVG}text")] == [
        t.text for t in raw_root.iter(f"{SVG}text")
    ]
    # The hatch of the bar that is not compared keeps its pattern.
    patterns = [p.get("id") for p in root.iter(f"{SVG}pattern")]
    assert patterns and all(f"url(#{p})" in lean for p in patterns)


def _parts(paths: list[tuple[str, tuple[float, float]]]) -> list[tuple[object, ...]]:
    """The parts (subpaths) of paths (``d`` and the offset it is drawn at), each as its
    commands and points on the page (to 1e-6), sorted."""
    found = []
    for d, (dx, dy) in paths:
        for part in d.split("M")[1:]:
            tokens, coordinate = [], 0
            for token in part.split():
                if token.isalpha():
                    tokens.append(token)
                    coordinate = 0
                else:
                    tokens.append(round(float(token) + (dy if coordinate % 2 else dx), 6))
                    coordinate += 1
            found.append(tuple(tokens))
    return sorted(found, key=repr)


def test_text_width_is_the_sum_of_the_letters_advances() -> None:
    # DejaVu Sans: 'l' is 0.278 em wide, 'W' 0.989 em, in the bold face 0.343 and 1.103 em.
    assert text_width("l", 10.0) == pytest.approx(2.78, abs=0.01)
    assert text_width("Wl", 10.0) == pytest.approx(9.89 + 2.78, abs=0.02)
    assert text_width("Wl", 10.0, bold=True) == pytest.approx(11.03 + 3.43, abs=0.02)


@pytest.mark.parametrize("which", ["x", "y"])
def test_plain_ticks_print_where_matplotlibs_ticks_do(which: str, tmp_path: Path) -> None:
    ticks = [0.0, 2.5, 5.0, 7.5, 10.0]

    def chart(*, plain: bool) -> str:
        figure = plt.figure(figsize=(3.0, 2.0))
        axes = figure.add_axes((0.2, 0.2, 0.7, 0.7))
        axes.plot([1.0, 9.0], [1.0, 9.0])
        axis = axes.xaxis if which == "x" else axes.yaxis
        set_ticks(axis, ticks, plain=7.0 if plain else None)
        if not plain:
            axes.tick_params(axis=which, labelsize=7.0)
        return lean_svg(_matplotlib_svg(figure))

    with house_style():
        plain, own = chart(plain=True), chart(plain=False)
    drawn, original = _letters(plain, tmp_path, "plain"), _letters(own, tmp_path, "own")
    assert "".join(letter for letter, _y, _x in drawn) == "".join(
        letter for letter, _y, _x in original
    )
    assert {letter for letter, _y, _x in drawn} >= set("0,257")
    for (_letter, y, x), (_same, y0, x0) in zip(drawn, original, strict=True):
        assert (y, x) == pytest.approx((y0, x0), abs=0.05)  # points
    # The marks and the grid: as many strokes, in the same places.
    assert sorted(_paths(plain)) == pytest.approx(sorted(_paths(own)), abs=0.01)


def _paths(svg: str) -> list[float]:
    """Every coordinate of every path outside the plot's data (ticks, grid, spines)."""
    numbers = []
    for path in ET.fromstring(svg).iter(f"{SVG}path"):
        numbers += [float(n) for n in re.findall(r"-?\d+\.?\d*", path.get("d", ""))]
        numbers += [float(n) for n in re.findall(r"-?\d+\.?\d*", path.get("transform", ""))]
    return numbers


def _drawn(
    svg: str, tmp_path: Path, name: str, *, whole_runs: bool, monkeypatch: pytest.MonkeyPatch
):
    """The letters WeasyPrint draws of ``svg`` and its page's number of text-showing
    operators, with texts drawn in whole runs (``svg_text``) or letter by letter."""
    import weasyprint.svg
    from pypdf import PdfReader

    svg_text.install()
    with monkeypatch.context() as patch:
        if not whole_runs:
            original = weasyprint.svg.text.letter_by_letter
            patch.setattr(weasyprint.svg, "text", original)
            for tag in ("a", "text", "textPath", "tspan"):
                patch.setitem(weasyprint.svg.TAGS, tag, original)
        letters = _letters(svg, tmp_path, name)
    content = PdfReader(tmp_path / f"{name}.pdf").pages[0].get_contents()
    assert content is not None
    return letters, len(re.findall(rb"\bTJ\b", content.get_data()))


def test_svg_texts_drawn_as_whole_runs_put_every_letter_where_weasyprint_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with house_style():
        _raw, lean = _raw_and_lean(comparison.draw_comparison(COMPARISON))
    runs, run_operators = _drawn(lean, tmp_path, "runs", whole_runs=True, monkeypatch=monkeypatch)
    letters, letter_operators = _drawn(
        lean, tmp_path, "letters", whole_runs=False, monkeypatch=monkeypatch
    )
    # A run shows its spaces as letters too; drawn alone, a space shows nothing.
    runs = [letter for letter in runs if letter[0] != " "]
    assert [letter for letter, _y, _x in runs] == [letter for letter, _y, _x in letters]
    for (_letter, y, x), (_same, y0, x0) in zip(runs, letters, strict=True):
        assert (y, x) == pytest.approx((y0, x0), abs=0.02)  # points
    texts = len(list(ET.fromstring(lean).iter(f"{SVG}text")))
    assert run_operators == texts
    assert letter_operators == len(letters) > 3 * texts


def test_svg_texts_placed_letter_by_letter_stay_weasyprints(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="200pt" height="40pt">'
        '<text x="10" y="20" dx="0 6 12" font-size="10">abc</text>'
        '<text x="10 30 50" y="35" font-size="10">def</text></svg>'
    )
    runs, _ = _drawn(svg, tmp_path, "runs", whole_runs=True, monkeypatch=monkeypatch)
    letters, _ = _drawn(svg, tmp_path, "letters", whole_runs=False, monkeypatch=monkeypatch)
    assert runs == letters
    assert [letter for letter, _y, _x in runs] == list("abcdef")


def test_a_text_repeated_in_one_font_is_laid_out_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from weasyprint.text import line_break

    made: list[str] = []
    split_first_line = line_break.split_first_line

    def counted(text: str, *args: object) -> object:
        made.append(text)
        return split_first_line(text, *args)

    monkeypatch.setattr(line_break, "split_first_line", counted)
    monkeypatch.setattr(svg_text, "_LAYOUTS", type(svg_text._LAYOUTS)())
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="200pt" height="60pt">'
        '<text x="10" y="15" font-size="10">som landet</text>'
        '<text x="100" y="15" font-size="10">som landet</text>'
        '<text x="10" y="35" font-size="10" font-weight="700">som landet</text>'
        '<text x="10" y="55" font-size="8">som landet</text></svg>'
    )
    drawn, _ = _drawn(svg, tmp_path, "runs", whole_runs=True, monkeypatch=monkeypatch)
    assert made == ["som landet"] * 3  # the second is the first's layout again
    # Each drawn where it stands: the repeated one 90 px (67.5 pt) to the right.
    starts = sorted((round(y), round(x)) for letter, y, x in drawn if letter == "s")
    first = [x for y, x in starts if y == starts[0][0]]
    assert len(starts) == 4 and first[1] - first[0] == pytest.approx(67.5, abs=1)


def _texts(svg: str) -> list[tuple[str, float, float, str]]:
    """Each text of matplotlib's SVG: its words, x, y and style."""
    return [
        (t.text or "", float(t.get("x", "0")), float(t.get("y", "0")), t.get("style", ""))
        for t in ET.fromstring(svg).iter(f"{SVG}text")
    ]


def test_labels_stand_where_and_when_matplotlibs_texts_would() -> None:
    with house_style():
        written = _texts(_matplotlib_svg(comparison.draw_comparison(COMPARISON)))
        # The same labels drawn by matplotlib, in the same place in the drawing order.
        figure = comparison.draw_comparison(COMPARISON)
        axes = figure.axes[0]
        for labels in pending(figure):
            for label in labels.items:
                along = axes.get_xaxis_transform() if label.along == "x" else None
                transform = (along or axes.get_yaxis_transform()) + ScaledTranslation(
                    *(shift / 72 for shift in label.shift), figure.dpi_scale_trans
                )
                axes.text(label.x, label.y, label.text, transform=transform, ha=label.ha,
                          va=label.va, fontsize=label.size, color=label.colour,
                          fontweight="bold" if label.bold else "normal",
                          zorder=labels.zorder)  # fmt: skip
            labels.items.clear()
        drawn = _texts(_matplotlib_svg(figure))
    assert [t[0] for t in written] == [t[0] for t in drawn]  # the same texts, in order
    assert {"Langeland", "31,2", "dårligere", "Sml. med landet"} <= {t[0] for t in written}
    for (text, x, y, style), (_same, x0, y0, style0) in zip(written, drawn, strict=True):
        assert style == style0
        assert x == pytest.approx(x0, abs=0.001)
        # Matplotlib centres a text whose letters rise above the font's ascent ("å") a
        # little lower than the rest of its row; a label keeps the row's baseline.
        assert y == pytest.approx(y0, abs=0.5 if "å" in text else 0.001)


def test_only_opaque_unfilled_strokes_are_joined() -> None:
    def path(d: str, extra: str = "") -> str:
        return f'<path d="{d}" fill="none" stroke="#000" stroke-width="0.8"{extra}/>'

    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="10pt" height="10pt">'
        + path("M 0 0 L 1 1")
        + path("M 2 2 L 3 3")  # joined with the one before
        + path("M 4 4 L 5 5", ' stroke-opacity="0.5"')  # see-through: alone
        + path("M 6 6 L 7 7", ' stroke-opacity="0.5"')
        + '<path d="M 0 0 L 1 0 L 1 1 z" fill="#fff"/><path d="M 0 0 L 1 0 L 1 1 z" fill="#fff"/>'
        + path("M 8 8 L 9 9", ' stroke-dasharray="1,1"')  # another stroke: alone
        + "</svg>"
    )
    drawn = [p.get("d") for p in ET.fromstring(lean_svg(svg)).iter(f"{SVG}path")]
    assert drawn == [
        "M 0 0 L 1 1 M 2 2 L 3 3", "M 4 4 L 5 5", "M 6 6 L 7 7",
        "M 0 0 L 1 0 L 1 1 z", "M 0 0 L 1 0 L 1 1 z", "M 8 8 L 9 9",
    ]  # fmt: skip


def test_copies_of_a_marker_in_one_colour_are_moved_into_place_and_joined() -> None:
    def use(x: float, marker: str = "m", extra: str = "") -> str:
        return f'<use xlink:href="#{marker}" x="{x}" y="2"{extra}/>'

    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="{XLINK}" width="9pt" height="9pt">'
        '<defs><path id="m" d="M 0 -1 L 1 1 L -1 1 z" stroke="#000" fill="#000"/>'
        '<path id="o" d="M 0 -1 L 1 1 L -1 1 z" stroke="#000" fill="#fff"/>'
        '<path id="t" d="M 0 -1 L 1 1 L -1 1 z" stroke="#000" fill="#000" fill-opacity="0.5"/>'
        "</defs>"
        + use(1) + use(2.5) + use(4)  # one colour: one path
        + use(1, "o") + use(2, "o")  # outlined in another colour: a stroke over a fill
        + use(1, "t") + use(2, "t")  # see-through
        + use(5)  # after others: a run of its own
        + "</svg>"
    )  # fmt: skip
    drawn = [
        (p.get("d"), p.get("fill"), "transform" in p.attrib)
        for p in ET.fromstring(lean_svg(svg)).iter(f"{SVG}path")
    ]
    assert drawn == [
        ("M 1 1 L 2 3 L 0 3 z M 2.5 1 L 3.5 3 L 1.5 3 z M 4 1 L 5 3 L 3 3 z", "#000", False),
        ("M 1 1 L 2 3 L 0 3 z", "#fff", False), ("M 2 1 L 3 3 L 1 3 z", "#fff", False),
        ("M 1 1 L 2 3 L 0 3 z", "#000", False), ("M 2 1 L 3 3 L 1 3 z", "#000", False),
        ("M 5 1 L 6 3 L 4 3 z", "#000", False),
    ]  # fmt: skip


def test_tickless_axes_draw_what_matplotlibs_axes_draw_and_refuse_real_ticks() -> None:
    svgs = []
    with house_style():
        for axes_class in (Axes, TicklessAxes):
            figure = Figure(figsize=(3.0, 2.0))
            axes = figure.add_axes((0.2, 0.2, 0.7, 0.7), axes_class=axes_class)
            axes.plot([0, 1, 2], [1, 3, 2], marker="o")
            set_ticks(axes.xaxis, [0.0, 1.0, 2.0], plain=7)
            set_ticks(axes.yaxis, [1.0, 2.0, 3.0], plain=7)  # data 0 below the axes
            axes.grid(axis="y", visible=False)
            svgs.append(_matplotlib_svg(figure))
        assert "M 0 0" in svgs[0] and svgs[0] == svgs[1]  # spines, marks, ticks alike
        with pytest.raises(TypeError, match="plain_ticks"):
            axes.xaxis.get_major_ticks(3)


def test_a_legend_is_laid_out_once_per_look_and_written_as_matplotlib_would(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    other_values = dataclasses.replace(
        TREND,
        series=(
            Series("Klyngen", (20.0, 21.0, 19.0, 18.0, 17.5), "cluster"),
            Series("Landet", (None, 12.0, None, 11.0, 11.5), "country"),
        ),
    )
    another_look = dataclasses.replace(
        TREND, series=(*TREND.series, Series("Regionen", (9.0,) * 5, "region"))
    )
    monkeypatch.setattr(legends, "_kept", {})
    # As matplotlib draws each of them, nothing kept.
    alone = {}
    for spec in (TREND, other_values, another_look):
        alone[spec] = charts.draw(spec)
        legends._kept.clear()
    # In a row: the first look's legend is laid out once, then written again.
    for spec in (TREND, other_values, another_look, TREND):
        assert charts.draw(spec) == alone[spec]
    with house_style():
        figure = lines.draw_lines(other_values)
    assert figure.axes[0].get_legend() is None  # not laid out again
    plt.close(figure)
    assert len(legends._kept) == 2


def test_a_kept_legend_brings_the_markers_defined_before_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(legends, "_kept", {})
    marker = '<path id="m1" d="M 0 0 L 1 1"/>'
    legend = '<g id="datapakke-legend"><g><use xlink:href="#m1" x="1" y="2"/></g><g/></g>'
    first = f"<svg><defs>{marker}</defs>{legend}<g/></svg>"
    figure = plt.figure()
    setattr(figure, legends.PENDING, "look")
    assert legends.insert_legend(figure, first) == first  # drawn by matplotlib: kept
    setattr(figure, legends.PENDING, "look")
    later = legends.insert_legend(figure, '<svg><g id="datapakke-legend"/></svg>')
    plt.close(figure)
    assert later == (
        '<svg><g id="datapakke-legend"><defs><path id="m1" d="M 0 0 L 1 1"/></defs>'
        '<g><use xlink:href="#m1" x="1" y="2"/></g><g/></g></svg>'
    )
