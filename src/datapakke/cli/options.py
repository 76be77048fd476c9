"""Options that several commands share, and the compute settings they make."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer

if TYPE_CHECKING:
    from datapakke.engine.settings import ComputeSettings

_STANDARD = re.compile(r"^(national)(?::(\d{4}))?$|^(esp2013)$")


def parse_standard(text: str) -> tuple[Literal["national", "esp2013"], int | None]:
    """``national``, ``national:2022`` or ``esp2013`` as (standard, year); BadParameter else."""
    match = _STANDARD.match(text.strip().lower())
    if match is None:
        raise typer.BadParameter(
            f"'{text}' is not a standard population; use national, national:YEAR "
            "(e.g. national:2022) or esp2013."
        )
    if match.group(3):
        return "esp2013", None
    return "national", int(match.group(2)) if match.group(2) else None


def _check_standard(text: str) -> str:
    parse_standard(text)
    return text


StandardOption = Annotated[
    str,
    typer.Option(
        "--standard",
        metavar="STANDARD",
        callback=_check_standard,
        help="Standard population of every standardised rate, the same for every year: the "
        "country's population of the latest data year by age band and sex (national), of a "
        "year you name (national:2022), or the European Standard Population 2013 (esp2013, "
        "age only).",
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
TrendConfidenceOption = Annotated[
    float,
    typer.Option(
        "--trend-confidence",
        min=50.0,
        max=99.99,
        help="Level at which the trend test calls a development rising or falling, in per "
        "cent (Fingertips uses 99.8: a strict level, so chance is rarely called a trend).",
    ),
]
CatalogueOption = Annotated[
    Path | None,
    typer.Option("--catalogue", help="Your own indicator catalogue (TOML) instead of the bundled."),
]


def compute_settings(
    standard: str, min_count: int, confidence: float, trend_confidence: float = 99.8
) -> ComputeSettings:
    """The compute settings of the shared options (``standard`` as ``parse_standard`` reads it)."""
    from datapakke.engine.settings import ComputeSettings

    population, year = parse_standard(standard)
    return ComputeSettings(
        standard=population,
        standard_year=year,
        min_count=min_count,
        level=confidence / 100,
        trend_level=trend_confidence / 100,
    )
