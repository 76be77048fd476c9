"""Build packs from Python: areas named as on the command line, the rest as ``build_packs``."""

from __future__ import annotations

from collections.abc import Sequence

from datapakke.geography import AreaKey, Geography, load_geography
from datapakke.run.batch import BatchProgress, BatchReport, build_packs
from datapakke.run.settings import Settings


def build(
    areas: Sequence[AreaKey | str],
    settings: Settings,
    geography: Geography | None = None,
    progress: BatchProgress | None = None,
) -> BatchReport:
    """Build one pack per area into ``settings.out`` and return the report.

    A name ("Horsens", "horsensklyngen") is an area of the set's own level, found with the
    same tolerant lookup as ``--omraade``; give a municipality or a region as an AreaKey
    (``geography.key_of(geography.find_kommune("Odder"))``). Without ``geography``, the area
    set of ``settings`` (``geografi``, else ``inddeling``, else the one in force).
    """
    geography = geography or load_geography(settings.geografi or settings.inddeling)
    keys = [
        area if isinstance(area, AreaKey) else geography.key_of(geography.find_area(area))
        for area in areas
    ]
    return build_packs(keys, settings, geography, progress)
