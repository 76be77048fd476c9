"""datapakke: data packs for the Danish health clusters (sundhedsklynger)."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("datapakke")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+unknown"
