"""Charts: deterministic SVG, Danish numbers, every colour paired with a word, gaps in words."""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET
from dataclasses import replace

import pytest
from matplotlib.axes import Axes

from datapakke.pack.labels import VERDICT
from datapakke.render import charts
from datapakke.render.charts import (
    COMPARISON_COLOURS,
    Bar,
    BarChart,
    ComparisonChart,
    ComparisonRow,
    LineChart,
    PyramidChart,
    ReferenceLine,
    Series,
    SpineChart,
    bars,
    comparison,
    lines,
    spine,
    style,
)
from datapakke.render.charts.labels import pending
from datapakke.render.charts.ticks import TICK_DEPTH, tick_decimals

SVG = "{http://www.w3.org/2000/svg}"


def _texts(svg: str) -> list[str]:
    return [t.text or "" for t in ET.fromstring(svg).iter(f"{SVG}text")]


def _comparison(zero_based: bool = True) -> ComparisonChart:
    return ComparisonChart(
        rows=(
            ComparisonRow("Assens", 31.25, 25.0, 38.1, "similar", "som landet"),
            ComparisonRow("Faaborg-Midtfyn", 1045.0, 990.0, 1101.0, "worse", "dårligere"),
            ComparisonRow("Langeland", None, None, None, "not_compared", "", missing="<5"),
            ComparisonRow("Ærø", None, None, None, "not_compared", "", missing="for få tilfælde"),
            ComparisonRow("Fynsklyngen", 36.0, 34.0, 38.0, "better", "bedre", emphasis=True,
                          separated=True),
            ComparisonRow("Region Syddanmark", 33.0, 32.0, 34.0, "lower", "lavere"),
        ),
        reference_label="Hele landet",
        reference=33.5,
        unit_label="Pr. 1.000 65+ årige",
        zero_based=zero_based,
    )  # fmt: skip


def test_comparison_chart_writes_names_danish_values_and_verdicts() -> None:
    svg = charts.draw(_comparison())
    texts = _texts(svg)
    for expected in ("Assens", "Fynsklyngen", "Region Syddanmark", "1.045,0", "31,2",
                     "dårligere", "som landet", "bedre", "lavere", "Hele landet: 33,5",
                     "Værdi", "Sml. med landet"):  # fmt: skip
        assert expected in texts, expected
    # A gap shows its label, never a number and never a zero-length bar's "0,0".
    assert "<5" in texts and "for få tilfælde" in texts
    assert "0,0" not in texts


def test_charts_are_deterministic_and_well_formed() -> None:
    for spec in (_comparison(), _comparison(zero_based=False)):
        first, second = charts.draw(spec), charts.draw(spec)
        assert first == second
        ET.fromstring(first)
        assert first.startswith("<svg")
        assert "Date" not in first


def test_dot_chart_for_values_far_from_zero_does_not_start_at_zero() -> None:
    spec = ComparisonChart(
        rows=(
            ComparisonRow("Klyngen", 80.3, 79.8, 80.8, "similar", "som landet", emphasis=True),
            ComparisonRow("Regionen", 81.0, 80.8, 81.2, "better", "bedre"),
        ),
        reference_label="Hele landet", reference=80.6, unit_label="År", zero_based=False,
    )  # fmt: skip
    ticks = [t for t in _texts(charts.draw(spec)) if re.fullmatch(r"[\d.]+(,\d)?", t)]
    assert ticks and "0" not in ticks
    assert all(79 <= float(t.replace(",", ".")) <= 82 for t in ticks)


def test_compact_trend_chart_has_gaps_and_a_legend() -> None:
    spec = LineChart(
        years=(2020, 2021, 2022, 2023, 2024),
        series=(
            Series("Klyngen", (30.0, None, 31.0, 33.0, 34.0), "cluster",
                   (27.0, None, 28.0, 30.0, 31.0), (33.0, None, 34.0, 36.0, 37.0)),
            Series("Regionen", (32.0, 32.0, 33.0, 33.0, 33.0), "region"),
            Series("Landet", (33.0, 33.0, 34.0, 34.0, 35.0), "country"),
        ),
        unit_label="pr. 1.000",
        compact=True,
    )  # fmt: skip
    svg = charts.draw(spec)
    texts = _texts(svg)
    assert {"Klyngen", "Regionen", "Landet", "2020", "2024"} <= set(texts)
    assert 'height="108pt"' in svg  # 1.5 in: the size the page lays out, not cropped


def _spine_x(svg: str) -> dict[str, list[float]]:
    """x of the spine's bars (left, right), the country line and the dot, in points."""
    root = ET.fromstring(svg)
    rects = [
        [float(r.get("x") or 0), float(r.get("x") or 0) + float(r.get("width") or 0)]
        for r in root.iter(f"{SVG}rect")
    ]
    return {
        "range": rects[0],
        "quartiles": rects[1],
        "country": [float(line.get("x1") or 0) for line in root.iter(f"{SVG}line")],
        "dot": [float(c.get("cx") or 0) for c in root.iter(f"{SVG}circle")],
    }


def test_spine_is_centred_on_the_country_with_better_to_the_right() -> None:
    # Lower is better: the highest value (50, the worst) is the left end.
    spec = SpineChart(20.0, 50.0, (30.0, 38.0), 33.5, 36.0, "worse", higher_is_better=False)
    assert spec.ends == (50.0, 20.0)
    # The half-width is the larger distance from the country, 50 - 33.5 = 16.5.
    assert spec.position(33.5) == 0.5
    assert spec.position(50.0) == 0.0
    assert spec.position(20.0) == pytest.approx(0.5 + 13.5 / 33)
    x = _spine_x(charts.draw(spec))
    middle = spine.PAD + 0.5 * (spine.WIDTH - 2 * spine.PAD)
    assert x["country"] == [pytest.approx(middle, abs=0.01)]
    assert x["range"][0] == pytest.approx(spine.PAD, abs=0.01)  # the worst value at the left
    assert x["dot"][0] < middle  # 36 is worse than the country: left of it
    assert [c.get("fill") for c in ET.fromstring(charts.draw(spec)).iter(f"{SVG}circle")] == [
        COMPARISON_COLOURS["worse"]
    ]
    # Higher is better: the same numbers the other way round.
    mirrored = _spine_x(charts.draw(replace(spec, higher_is_better=True)))
    assert mirrored["dot"][0] == pytest.approx(spine.WIDTH - x["dot"][0], abs=0.01)


def test_spine_without_polarity_puts_the_lowest_left_and_without_country_spans_the_range() -> None:
    spec = SpineChart(1762.0, 36374.0, (4000.0, 9000.0), None, 10493.0, "not_compared")
    assert spec.ends == (1762.0, 36374.0)
    assert (spec.position(1762.0), spec.position(36374.0)) == (0.0, 1.0)
    x = _spine_x(charts.draw(spec))
    assert x["country"] == []  # a count's national value is a sum: no line
    assert x["range"] == pytest.approx([spine.PAD, spine.WIDTH - spine.PAD], abs=0.01)
    hidden = SpineChart(20.0, 50.0, (30.0, 38.0), 33.5, None, "not_compared")
    assert not list(ET.fromstring(charts.draw(hidden)).iter(f"{SVG}circle"))


def test_every_comparison_colour_has_a_word() -> None:
    assert set(COMPARISON_COLOURS) == set(VERDICT)
    assert len(set(COMPARISON_COLOURS.values())) == len(COMPARISON_COLOURS)


def _numbers(labels: list[str]) -> list[float]:
    return [float(t.replace(".", "").replace(",", ".")) for t in labels]


def _tick_labels(svg: str) -> list[str]:
    """The numeric texts of an SVG chart that are tick labels (Danish numbers)."""
    return [t for t in _texts(svg) if re.fullmatch(r"-?[\d.]+(,\d+)?", t)]


def _plain_ticks(axes: Axes, which: str) -> tuple[list[float], list[str]]:
    """The ticks an axis drawn by ``ticks.plain_ticks`` shows: marks and their labels."""
    marks = [line for line in axes.get_lines() if line.get_label() == f"_{which}ticks"]
    assert len(marks) == 1 and not list(getattr(axes, f"get_{which}ticks")())
    positions = marks[0].get_xdata() if which == "x" else marks[0].get_ydata()
    labels = [
        label.text
        for group in pending(axes.get_figure(root=True))
        if group.axes is axes and group.zorder == TICK_DEPTH
        for label in group.items
        if label.along == which
    ]
    return [float(p) for p in positions], labels


def test_tick_labels_print_their_ticks_exactly() -> None:
    # Life expectancy around 77,5 and 82,5: no label may round a tick ("78" for 77,5).
    spec = ComparisonChart(
        rows=(
            ComparisonRow("Odder", 77.5, 76.1, 78.9, "worse", "dårligere"),
            ComparisonRow("Horsensklyngen", 81.4, 81.0, 81.8, "similar", "som landet",
                          emphasis=True),
        ),
        reference_label="Hele landet", reference=82.5, unit_label="År", zero_based=False,
    )  # fmt: skip
    figure = comparison.draw_comparison(spec)
    axes = figure.axes[0]
    ticks, labels = _plain_ticks(axes, "x")
    assert _numbers(labels) == pytest.approx(ticks)  # every label is its tick, exactly
    steps = {round(b - a, 9) for a, b in itertools.pairwise(ticks)}
    assert len(steps) == 1 and steps <= {0.5, 1.0, 2.0, 5.0}  # round steps, no 2,5
    assert axes.get_xlim() == (ticks[0], ticks[-1])  # no value beyond the outer labels
    assert ticks[0] <= 76.1 and ticks[-1] >= 82.5
    assert tick_decimals([75.0, 77.5, 80.0]) == 1
    assert tick_decimals([100.0, 100.5, 101.0]) == 1
    assert tick_decimals([0.0, 0.25, 0.5]) == 2


def test_an_index_chart_has_a_tick_and_a_line_at_100() -> None:
    spec = LineChart(
        years=(2020, 2021, 2022, 2023, 2024),
        series=(
            Series("Horsensklyngen", (100.0, 100.3, 100.5, 100.5, 100.5), "cluster"),
            Series("Hele landet", (100.0, 100.6, 101.2, 101.6, 102.2), "country"),
        ),
        unit_label="Indeks (2020 = 100)",
        baseline=100.0,
    )  # fmt: skip
    axes = lines.draw_lines(spec).axes[0]
    ticks = list(axes.get_yticks())
    assert 100.0 in ticks
    assert ticks[0] <= 100.0 and ticks[-1] >= 102.2
    assert ticks[0] == 100.0  # the base year's 100 is the lowest tick: nothing lies below it
    assert "100,0" in [label.get_text() for label in axes.get_yticklabels()]
    assert any(list(line.get_ydata()) == [100.0, 100.0] for line in axes.get_lines())


def test_reference_lines_never_lie_below_the_lowest_tick_of_a_trend_chart() -> None:
    # Horsens' KOL: the cluster at 24-25, region and country at 19 (below the old lowest tick).
    spec = LineChart(
        years=(2020, 2021, 2022, 2023, 2024),
        series=(
            Series("Klyngen", (24.4, 25.0, 25.1, 25.1, 25.0), "cluster",
                   (21.0, 21.6, 21.7, 21.7, 21.6), (28.0, 28.6, 28.7, 28.7, 28.6)),
            Series("Regionen", (19.4, 19.2, 19.3, 19.0, 18.9), "region"),
            Series("Landet", (19.5, 19.4, 19.5, 19.2, 19.2), "country"),
        ),
        unit_label="pr. 1.000", compact=True, height=1.4,
    )  # fmt: skip
    axes = lines.draw_lines(spec).axes[0]
    ticks, labels = _plain_ticks(axes, "y")
    assert axes.get_ylim() == (ticks[0], ticks[-1])
    assert ticks[0] <= 18.9 and ticks[-1] >= 28.7
    assert _numbers(labels) == pytest.approx(ticks)


def test_bar_values_stand_clear_of_the_reference_lines() -> None:
    spec = BarChart(
        bars=(Bar("Horsens", 20.0), Bar("Odder", 21.7), Bar("Horsensklyngen", 21.0, "cluster")),
        unit_label="Pct. af befolkningen",
        references=(ReferenceLine("Region Midtjylland", 20.1, "region"),
                    ReferenceLine("Hele landet", 20.4, "country")),
    )  # fmt: skip
    axes = bars.draw_bars(spec).axes[0]
    values = [t for t in axes.texts if t.get_text() in ("20,0", "21,7", "21,0")]
    assert len(values) == 3
    # In axes fraction right of the plot, where no line is drawn.
    assert all(t.get_position()[0] > 1.0 for t in values)


def test_the_pyramid_never_uses_a_comparison_colour_for_men_or_women() -> None:
    assert {style.MEN_COLOUR, style.WOMEN_COLOUR}.isdisjoint(COMPARISON_COLOURS.values())
    spec = PyramidChart(
        bands=("0-4", "5-9"), men=(3.0, 2.5), women=(2.9, 2.4), reference_men=(3.1, 2.6),
        reference_women=(3.0, 2.5), area_label="Klyngen", reference_label="Hele landet",
    )  # fmt: skip
    svg = charts.draw(spec).lower()
    for colour in COMPARISON_COLOURS.values():
        if colour != "#FFFFFF":
            assert colour.lower() not in svg
    assert style.MEN_COLOUR.lower() in svg and style.WOMEN_COLOUR.lower() in svg
