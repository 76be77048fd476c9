"""Maps: the shipped boundaries, their simplification script, the map specs and their drawing."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from datapakke.engine.compute import Results
from datapakke.geography import load_geography
from datapakke.pack import Pack, build_pack
from datapakke.pack.chart_specs import MapChart
from datapakke.pack.labels import VERDICT
from datapakke.paths import DATA_DIR
from datapakke.render.charts import draw
from datapakke.render.charts.maps import BORNHOLM, boundaries, placed

ROOT = Path(__file__).resolve().parents[1]
# The small island municipalities and their areas in km² (Danmarks Statistik, rounded).
SMALL_ISLANDS = {825: ("Læsø", 118), 563: ("Fanø", 56), 741: ("Samsø", 114), 492: ("Ærø", 90)}
KM2_PER_SQUARE_DEGREE = 111.32**2  # the boundaries are lon/lat, longitude shortened


def _area(rings: list) -> float:  # type: ignore[type-arg]
    total = 0.0
    for ring in rings:
        x, y = ring[:, 0], ring[:, 1]
        total += abs((x[:-1] * y[1:] - x[1:] * y[:-1]).sum()) / 2
    return total


def test_the_boundaries_hold_the_98_municipalities_small_and_attributed() -> None:
    path = DATA_DIR / "kommuner.geojson"
    assert path.stat().st_size < 400_000  # a few hundred kB, not the 2 MB of the source
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["attribution"].startswith("Kommunegrænser: DAGI 1:500.000")
    codes = {f["properties"]["kode"] for f in document["features"]}
    assert codes == set(load_geography().kommuner)
    points = [p for f in document["features"] for poly in f["geometry"]["coordinates"]
              for ring in poly for p in ring]  # fmt: skip
    assert all(len(p) == 2 for p in points)  # the dummy third coordinate is gone
    assert all(7.9 < p[0] < 15.3 and 54.5 < p[1] < 57.8 for p in points)  # lon/lat of Denmark


def test_small_islands_stay_visible() -> None:
    shapes = boundaries()
    for code, (name, km2) in SMALL_ISLANDS.items():
        drawn = _area(shapes[code]) * KM2_PER_SQUARE_DEGREE
        assert 0.8 * km2 < drawn < 1.2 * km2, (name, drawn)
        assert sum(len(r) for r in shapes[code]) >= 12, name  # a shape, not a speck


@pytest.mark.skipif(importlib.util.find_spec("shapely") is None, reason="needs shapely (dev)")
def test_the_script_simplifies_a_coverage_without_gaps(tmp_path: Path) -> None:
    # Two neighbours with a wiggly shared border, a third coordinate and an islet.
    border = [(10.0, 55.0 + i / 100, 0.002 * (-1) ** i) for i in range(11)]
    west = [(9.9, 55.0), *[(x + z, y) for x, y, z in border], (9.9, 55.1), (9.9, 55.0)]
    east = [(10.1, 55.0), (10.1, 55.1), *[(x + z, y) for x, y, z in reversed(border)],
            (10.1, 55.0)]  # fmt: skip
    islet = [(10.3, 55.3), (10.3001, 55.3), (10.3001, 55.3001), (10.3, 55.3)]

    def feature(code: str, *rings: list[tuple[float, float]]) -> dict[str, object]:
        return {
            "type": "Feature",
            "properties": {"KOMKODE": code, "KOMNAVN": code},
            "geometry": {
                "type": "MultiPolygon",
                "coordinates": [[[[x, y, -999.0] for x, y in ring]] for ring in rings],
            },
        }

    source = tmp_path / "source.geojson"
    features = [feature("0101", west), feature("0147", east, islet), feature("0411", islet)]
    source.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    target = tmp_path / "out.geojson"
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "simplify_boundaries.py"), str(source),
         str(target), "--tolerance", "2000"],
        check=True, capture_output=True,
    )  # fmt: skip
    import shapely
    from shapely.geometry import shape

    out = json.loads(target.read_text(encoding="utf-8"))["features"]
    assert [f["properties"]["kode"] for f in out] == [101, 147]  # Christiansø left out
    a, b = (shape(f["geometry"]) for f in out)
    assert len(b.geoms) == 1  # the islet under 1.5 km² is dropped
    assert shapely.get_num_coordinates(a) < len(west)  # simplified ...
    assert a.intersection(b).area < 1e-9  # ... without overlaps
    assert abs(a.union(b).area - a.area - b.area) < 1e-9
    assert a.touches(b) or a.intersects(b)  # and without a gap along the border


def test_a_map_is_a_few_paths_and_bornholm_sits_beside_the_others() -> None:
    geography = load_geography("sundhedsraad-2027")
    codes = geography.areas["hovedstaden"].kommunekoder  # København, Frederiksberg, Bornholm
    spec = MapChart(fills=((101, "worse"), (147, "similar"), (400, "not_compared")))
    svg = draw(spec)
    assert len(re.findall(r"<path ", svg)) <= 8  # one per fill, the box, the hatch
    shapes, box = placed(codes)
    assert box is not None
    copenhagen_east = max(r[:, 0].max() for c in (101, 147) for r in shapes[c])
    assert min(r[:, 0].min() for r in shapes[BORNHOLM]) > copenhagen_east
    alone, no_box = placed([BORNHOLM])
    assert no_box is None and alone[BORNHOLM] is boundaries()[BORNHOLM]


@pytest.fixture(scope="module")
def council(council_results: Results) -> tuple[Results, object]:
    return council_results, load_geography("sundhedsraad-2027")


def test_a_council_pack_has_a_locator_and_a_map_per_compared_headline(
    council: tuple[Results, object],
) -> None:
    results, geography = council
    pack = build_pack(
        results, geography, geography.key("sundhedsraad", "horsens"),  # type: ignore[attr-defined]
        build_date=dt.date(2027, 1, 4), version="x",
    )  # fmt: skip
    locator = pack.front.locator
    assert locator is not None and isinstance(locator.chart, MapChart)
    marked = {code for code, fill in locator.chart.fills if fill == "area"}
    assert marked == {615, 766, 727, 746}
    assert len(locator.chart.fills) == 98
    assert "Sundhedsråd Horsens markeret" in locator.alt
    maps = pack.maps
    assert maps is not None
    assert isinstance(maps.key.chart, MapChart)
    assert dict(maps.key.chart.labels)[727] == "Odder"
    # Every compared headline indicator the results hold (the small sample has no published
    # life expectancy, for instance: too few person-years).
    held = set(
        results.indicators.filter(pl.col("flag") != "not_available")["indicator_id"].to_list()
    )
    headline = [
        i for i in results.catalogue.indicators if i.headline and i.compared and i.id in held
    ]
    assert len(headline) >= 10
    assert [f.id for f in maps.figures] == [f"kort-{i.id}" for i in headline]
    _fills_follow_the_table(results, pack)
    assert len(maps.table.rows) == len(maps.figures) * 4
    assert "DAGI 1:500.000" in maps.attribution


def _fills_follow_the_table(results: Results, pack: Pack) -> None:
    """Every municipality of every map has its row's comparison, named so in the alt text."""
    assert pack.maps is not None
    year = results.years[-1]
    geography = load_geography(results.area_set)
    shown = 0
    for figure in pack.maps.figures:
        assert isinstance(figure.chart, MapChart)
        indicator = figure.id.removeprefix("kort-")
        for code, fill in figure.chart.fills:
            row = results.indicators.filter(
                (results.indicators["indicator_id"] == indicator)
                & (results.indicators["area_level"] == "kommune")
                & (results.indicators["area_code"] == str(code))
                & (results.indicators["year"] == year)
            ).row(0, named=True)
            expected = row["comparison"] if row["value"] is not None else "not_compared"
            assert fill == expected, (figure.id, code)
            shown += row["value"] is not None
            name = geography.kommuner[code].navn
            word = VERDICT[fill] if fill != "not_compared" else "ikke sammenlignet"
            assert re.search(rf"{word}: [^.]*{name}", figure.alt, re.IGNORECASE), figure.alt
    assert shown > 0


def test_a_municipality_map_shows_its_council_and_outlines_it(
    council: tuple[Results, object],
) -> None:
    results, geography = council
    pack = build_pack(
        results, geography, geography.key("kommune", "727"),  # type: ignore[attr-defined]
        build_date=dt.date(2027, 1, 4), version="x",
    )  # fmt: skip
    assert pack.maps is not None
    chart = pack.maps.figures[0].chart
    assert isinstance(chart, MapChart)
    assert {code for code, _fill in chart.fills} == {615, 766, 727, 746}
    assert chart.outlined == (727,)
    assert "Sundhedsråd Horsens' kommuner" in pack.maps.lead
    _fills_follow_the_table(results, pack)  # the council's other municipalities too
    assert pack.front.locator is not None
    fills = dict(pack.front.locator.chart.fills)  # type: ignore[union-attr]
    assert (fills[727], fills[615], fills[751]) == ("area", "around", "other")


def test_a_one_municipality_area_has_no_map_page(
    council: tuple[Results, object], small_results: Results
) -> None:
    results, geography = council
    region = build_pack(
        results, geography, geography.key("region", "1086"),  # type: ignore[attr-defined]
        build_date=dt.date(2027, 1, 4), version="x",
    )  # fmt: skip
    assert region.maps is not None
    _fills_follow_the_table(results, region)
    assert len(region.maps.key_list) == 46  # too many to name on the map: numbered
    assert region.maps.key_list[0] == "1 Albertslund"
    klynger = load_geography("klynger-2022")
    bornholm = build_pack(
        small_results, klynger,
        klynger.key("klynge", "bornholm"), build_date=dt.date(2026, 12, 1), version="x",
    )  # fmt: skip
    assert bornholm.maps is None
    assert bornholm.front.locator is not None
