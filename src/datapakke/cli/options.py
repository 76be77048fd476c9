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


def compute_settings(
    standard: StandardChoice, min_count: int, confidence: float
) -> ComputeSettings:
    """The compute settings the options ask for; a threshold that protects no one is
    warned about, loudly, before anything is computed."""
    from datapakke.cli.app import alarm
    from datapakke.engine.settings import ComputeSettings, protection_warning

    warning = protection_warning(min_count)
    if warning is not None:
        alarm(warning)
    return ComputeSettings(standard=standard.value, min_count=min_count, level=confidence / 100)
