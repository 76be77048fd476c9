"""Shared fixtures: a small synthetic extract of the whole country."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from datapakke.sample.generate import generate_sample

# The default area set follows the build date (klynger-2022 until 31 December 2026,
# sundhedsraad-2027 from 1 January 2027): pin the date, here and in the CLI processes the
# tests start, so that the suite means the same on any day. Tests of the rule set their own.
os.environ.setdefault(
    "SOURCE_DATE_EPOCH", str(int(dt.datetime(2026, 12, 1, tzinfo=dt.UTC).timestamp()))
)


@pytest.fixture(scope="session")
def small_sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small synthetic extract of all of Denmark (scale 0.01, about 59,000 persons)."""
    folder = tmp_path_factory.mktemp("small_sample")
    generate_sample(folder, scale=0.01, seed=7, years=range(2021, 2024))
    return folder
