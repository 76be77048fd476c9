"""datapakke: data packs for the Danish health areas (sundhedsklynger, sundhedsråd).

The library in five names (the command line is a thin layer over them)::

    from pathlib import Path
    import datapakke

    settings = datapakke.Settings(data=Path("data"), out=Path("packs"))
    geography = datapakke.load_geography("sundhedsraad-2027")
    extract = datapakke.read_extract(settings.data, geography)        # validated, lazy tables
    extract, results = datapakke.compute(settings, geography)         # every indicator, every area
    report = datapakke.build(["Horsens"], settings, geography)        # PDF, workbook, manifest

Each name is imported on first use, so ``import datapakke`` stays light.
"""

from __future__ import annotations

from importlib import import_module
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

try:
    __version__ = version("datapakke")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+unknown"

if TYPE_CHECKING:
    from datapakke.geography import AreaKey, Geography, load_geography
    from datapakke.inputs.read import read_extract
    from datapakke.run.library import build
    from datapakke.run.load import load_results as compute
    from datapakke.run.settings import Settings

# name -> (module, attribute)
_PUBLIC = {
    "AreaKey": ("datapakke.geography", "AreaKey"),
    "Geography": ("datapakke.geography", "Geography"),
    "Settings": ("datapakke.run.settings", "Settings"),
    "build": ("datapakke.run.library", "build"),
    "compute": ("datapakke.run.load", "load_results"),
    "load_geography": ("datapakke.geography", "load_geography"),
    "read_extract": ("datapakke.inputs.read", "read_extract"),
}

__all__ = [
    "AreaKey",
    "Geography",
    "Settings",
    "__version__",
    "build",
    "compute",
    "load_geography",
    "read_extract",
]


def __getattr__(name: str) -> Any:
    if name not in _PUBLIC:
        raise AttributeError(f"module 'datapakke' has no attribute {name!r}")
    module, attribute = _PUBLIC[name]
    value = getattr(import_module(module), attribute)
    globals()[name] = value  # once imported, a plain attribute
    return value
