"""Make datapakke's municipality boundaries: a simplified copy of DAGI 1:500.000.

    python scripts/simplify_boundaries.py SOURCE.geojson src/datapakke/data/kommuner.geojson

SOURCE is DAGI 1:500.000's municipalities as GeoJSON (``KOMKODE``, ``KOMNAVN``; lon/lat
with a dummy third coordinate), e.g. ``kommuner-dagi-500k-2014.geojson`` of the public
repository Neogeografen/dagi. The municipal boundaries have not changed since 2007.

The polygons of each municipality are merged into one, the whole coverage is simplified
at once (``shapely.coverage_simplify``: shared borders are simplified once, so
neighbours never gap or overlap), islets under ``--min-island`` km² are dropped except
each municipality's largest part (so Læsø, Fanø, Samsø and Ærø stay), Christiansø
(0411, not one of the 98) is left out, and coordinates are rounded to 4 decimals
(about 7 m). Needs shapely >= 2.1 (a dev dependency; datapakke itself draws the result
with matplotlib alone).
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Polygon, mapping, shape

ATTRIBUTION = "Kommunegrænser: DAGI 1:500.000, Styrelsen for Dataforsyning og Infrastruktur"
LEFT_OUT = {"0411"}  # Christiansø: administered by the state, not a municipality
# Equirectangular metres around Denmark's middle latitude: good enough to simplify by.
LATITUDE = 56.0
METRES_PER_DEGREE = 111_320.0


# Metres per degree of longitude and of latitude.
SCALE = np.array([METRES_PER_DEGREE * math.cos(math.radians(LATITUDE)), METRES_PER_DEGREE])


def _to_metres(geometry: Any) -> Any:
    return shapely.transform(geometry, lambda xy: xy * SCALE)


def _to_degrees(geometry: Any) -> Any:
    return shapely.transform(geometry, lambda xy: xy / SCALE)


def _parts(geometry: Any) -> list[Polygon]:
    if isinstance(geometry, Polygon):
        return [geometry]
    if isinstance(geometry, MultiPolygon):
        return list(geometry.geoms)
    return [g for g in getattr(geometry, "geoms", []) if isinstance(g, Polygon)]


def municipalities(source: Path) -> dict[str, tuple[str, Any]]:
    """Each municipality's code, name and merged polygons (in metres)."""
    document = json.loads(source.read_text(encoding="utf-8"))
    grouped: dict[str, tuple[str, list[Any]]] = {}
    for feature in document["features"]:
        code = feature["properties"]["KOMKODE"]
        if code in LEFT_OUT:
            continue
        geometry = shapely.force_2d(shape(feature["geometry"]))  # drop the dummy -999
        name = feature["properties"]["KOMNAVN"]
        grouped.setdefault(code, (name, []))[1].append(_to_metres(geometry))
    return {
        code: (name, shapely.make_valid(shapely.union_all(parts)))
        for code, (name, parts) in sorted(grouped.items())
    }


def simplify(
    areas: dict[str, tuple[str, Any]], tolerance: float, min_island: float
) -> dict[str, tuple[str, Any]]:
    """Simplify the coverage, then drop islets (keeping every municipality's largest part)."""
    codes = list(areas)
    simplified = shapely.coverage_simplify([areas[c][1] for c in codes], tolerance)
    result = {}
    for code, geometry in zip(codes, simplified, strict=True):
        parts = sorted(_parts(geometry), key=lambda p: -p.area)
        kept = [parts[0], *(p for p in parts[1:] if p.area >= min_island * 1e6)]
        result[code] = (areas[code][0], MultiPolygon(kept))
    return result


def _rounded(geometry: Any) -> dict[str, Any]:
    degrees = _to_degrees(geometry)
    return mapping(shapely.set_precision(degrees, 1e-4))  # type: ignore[no-any-return]


def write(areas: dict[str, tuple[str, Any]], target: Path) -> None:
    """The simplified municipalities as GeoJSON, code as a number, with the attribution."""
    features = [
        {
            "type": "Feature",
            "properties": {"kode": int(code), "navn": name},
            "geometry": _rounded(geometry),
        }
        for code, (name, geometry) in areas.items()
    ]
    document = {"type": "FeatureCollection", "attribution": ATTRIBUTION, "features": features}
    target.write_text(json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="DAGI 1:500.000 municipalities (GeoJSON)")
    parser.add_argument("target", type=Path, help="where to write the simplified GeoJSON")
    parser.add_argument("--tolerance", type=float, default=250.0, help="metres (default 250)")
    parser.add_argument("--min-island", type=float, default=1.5, help="km² (default 1.5)")
    arguments = parser.parse_args()
    areas = simplify(municipalities(arguments.source), arguments.tolerance, arguments.min_island)
    write(areas, arguments.target)
    vertices = sum(shapely.get_num_coordinates(g) for _n, g in areas.values())
    size = arguments.target.stat().st_size
    print(f"Wrote {arguments.target}: {len(areas)} municipalities, {vertices} points, {size:,} B")


if __name__ == "__main__":
    main()
