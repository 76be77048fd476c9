"""Read, validate and compute with a run's settings: the one entry for build, preview and export.

It imports no render stack, so ``export`` and ``validate`` stay light.
"""

from __future__ import annotations

from collections.abc import Callable

from datapakke.engine.compute import Results
from datapakke.engine.compute import load_results as load_with
from datapakke.geography import Geography
from datapakke.inputs.read import Extract
from datapakke.run.settings import Settings


def load_results(
    settings: Settings,
    geography: Geography,
    on_stage: Callable[[str], None] = lambda _stage: None,
) -> tuple[Extract, Results]:
    """Read and validate ``settings.data`` (through ``settings.mapping``), then compute every
    indicator for every area with ``settings.compute`` and ``settings.catalogue``;
    ``on_stage`` hears each stage."""
    return load_with(
        settings.data,
        geography,
        settings.compute,
        settings.catalogue,
        mapping=settings.mapping,
        on_stage=on_stage,
    )
