"""Areas: the 98 municipalities, the area sets built from them, their regions and the country.

An area set (*inddeling*) is data: the 2022 clusters (``klynger-2022``), the 2027
councils (``sundhedsraad-2027``) or a user's own, each a folder of validated files.

May import: errors, paths, dates.
"""

from datapakke.geography.geography import (
    COUNTRY_CODE,
    COUNTRY_NAME,
    AreaKey,
    Geography,
    load_geography,
)
from datapakke.geography.load import default_area_set, load_kommuner, shipped_area_sets
from datapakke.geography.lookup import fold_name
from datapakke.geography.model import Area, AreaSet, Kommune, Region
from datapakke.geography.words import KOMMUNE_WORDS, REGION_WORDS, AreaWords, possessive

__all__ = [
    "COUNTRY_CODE",
    "COUNTRY_NAME",
    "KOMMUNE_WORDS",
    "REGION_WORDS",
    "Area",
    "AreaKey",
    "AreaSet",
    "AreaWords",
    "Geography",
    "Kommune",
    "Region",
    "default_area_set",
    "fold_name",
    "load_geography",
    "load_kommuner",
    "possessive",
    "shipped_area_sets",
]
