"""Shared fixtures: a small synthetic extract of the whole country."""

from __future__ import annotations

from pathlib import Path

import pytest

from datapakke.sample.generate import generate_sample


@pytest.fixture(scope="session")
def small_sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small synthetic extract of all of Denmark (scale 0.01, about 59,000 persons)."""
    folder = tmp_path_factory.mktemp("small_sample")
    generate_sample(folder, scale=0.01, seed=7, years=range(2021, 2024))
    return folder
