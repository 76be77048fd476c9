"""Areas: municipalities, the area sets built from them (clusters), regions and the country.

May import: errors, paths. Area sets are data files (``data/``), validated on load.
"""

from datapakke.geography.areas import (
    AREA_LEVELS,
    COUNTRY_CODE,
    COUNTRY_NAME,
    AreaLevel,
    Geography,
    Klynge,
    Kommune,
    Region,
    fold_name,
    load_geography,
)

__all__ = [
    "AREA_LEVELS",
    "COUNTRY_CODE",
    "COUNTRY_NAME",
    "AreaLevel",
    "Geography",
    "Klynge",
    "Kommune",
    "Region",
    "fold_name",
    "load_geography",
]
