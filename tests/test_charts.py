"""Charts: deterministic SVG, Danish numbers, every colour paired with a word, gaps in words."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from datapakke.pack.labels import VERDICT
from datapakke.render import charts
from datapakke.render.charts import (
    COMPARISON_COLOURS,
    ComparisonChart,
    ComparisonRow,
    LineChart,
    Series,
    SpineChart,
)

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


def test_spine_places_the_cluster_coloured_by_its_comparison() -> None:
    spec = SpineChart(20.0, 50.0, (30.0, 38.0), 33.5, 36.0, "worse", (31.0, 45.0))
    root = ET.fromstring(charts.draw(spec))
    circles = list(root.iter(f"{SVG}circle"))
    assert [c.get("fill") for c in circles] == [COMPARISON_COLOURS["worse"]]
    lines = list(root.iter(f"{SVG}line"))
    assert len(lines) == 3  # two municipalities and the country
    hidden = SpineChart(20.0, 50.0, (30.0, 38.0), 33.5, None, "not_compared")
    assert not list(ET.fromstring(charts.draw(hidden)).iter(f"{SVG}circle"))


def test_every_comparison_colour_has_a_word() -> None:
    assert set(COMPARISON_COLOURS) == set(VERDICT)
    assert len(set(COMPARISON_COLOURS.values())) == len(COMPARISON_COLOURS)
