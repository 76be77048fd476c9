"""Options that several commands share, and the compute settings they make."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from datapakke.engine.settings import ComputeSettings


class StandardChoice(StrEnum):
    """The standard population of standardised rates."""

    national = "national"
    esp2013 = "esp2013"


StandardOption = Annotated[
    StandardChoice,
    typer.Option(
        "--standard",
        help="Standard population: the country's own of the same year (national), "
        "or the European Standard Population 2013 (esp2013, age only).",
    ),
]
MinCountOption = Annotated[
    int,
    typer.Option(
        "--min-count",
        min=1,
        help="Disclosure threshold: counts from 1 to N-1 are never shown.",
    ),
]
DataOption = Annotated[
    Path | None,
    # Rich markup would swallow "[default: ...]"; the backslash keeps it.
    typer.Option("--data", help="Folder with the register extract \\[default: ./sample_data]."),
]
TemplatesOption = Annotated[
    Path | None,
    typer.Option("--templates", help="Folder of templates that override the bundled ones."),
]
ConfidenceOption = Annotated[
    float,
    typer.Option(
        "--confidence",
        min=50.0,
        max=99.9,
        help="Confidence level of every interval and comparison, in per cent.",
    ),
]
CatalogueOption = Annotated[
    Path | None,
    typer.Option("--catalogue", help="Your own indicator catalogue (TOML) instead of the bundled."),
]


# Which areas: the area set, and the areas of it (or municipalities, regions) to build.
InddelingOption = Annotated[
    str | None,
    typer.Option(
        "--inddeling",
        help="Area set: sundhedsraad-2027 (the 17 councils, from 2027) or klynger-2022 (the "
        "22 clusters, 2022-2026) \\[default: the set in force on the build date].",
    ),
]
GeografiOption = Annotated[
    Path | None,
    typer.Option(
        "--geografi",
        help="Your own area set: a folder with omraader.csv (regioner.csv, inddeling.toml) "
        "or one CSV file of areas.",
    ),
]
RaadOption = Annotated[
    list[str] | None,
    typer.Option("--raad", "-r", help="A 2027 sundhedsråd by id or name, e.g. Horsens."),
]
KlyngeOption = Annotated[
    list[str] | None,
    typer.Option(
        "--klynge", "-k", help="A 2022-2026 cluster by id, name or alias, e.g. Horsensklyngen."
    ),
]
OmraadeOption = Annotated[
    list[str] | None,
    typer.Option("--omraade", "-o", help="An area of the chosen set (--inddeling, --geografi)."),
]
KommuneOption = Annotated[
    list[str] | None,
    typer.Option(
        "--kommune",
        help="A municipality by name or code, e.g. Odder: against its council (or cluster), "
        "its region and the country.",
    ),
]
RegionOption = Annotated[
    list[str] | None,
    typer.Option(
        "--region", help="A region, e.g. Midtjylland: its councils (or clusters) side by side."
    ),
]


def compute_settings(
    standard: StandardChoice, min_count: int, confidence: float
) -> ComputeSettings:
    from datapakke.engine.settings import ComputeSettings

    return ComputeSettings(standard=standard.value, min_count=min_count, level=confidence / 100)
