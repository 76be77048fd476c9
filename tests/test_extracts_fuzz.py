"""Malformed bytes thrown at the readers: always a clean InputError, never a traceback."""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from datapakke.errors import InputError
from datapakke.inputs.read import read_extract
from tests.extract_fixture import frame

VALID_CSV = (
    "pnr;aar;koen;foed_dato;kommunekode\n"
    "P1;2023;1;17-04-1951;0615\n"
    "P2;2023;2;31-12-1988;101\n"
    'P3;2023;K;"01-01-2000";825\n'
).encode("cp1252")


def _valid_parquet() -> bytes:
    buffer = io.BytesIO()
    frame("befolkning").write_parquet(buffer)
    return buffer.getvalue()


VALID_PARQUET = _valid_parquet()
SETTINGS = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@st.composite
def mutated(draw: st.DrawFn, original: bytes) -> bytes:
    """``original`` with a few bytes replaced, inserted or cut off."""
    data = bytearray(original)
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["replace", "insert", "truncate", "delete"]))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if kind == "replace" and data:
            data[at] = draw(st.integers(0, 255))
        elif kind == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=8))
        elif kind == "truncate":
            del data[at:]
        elif data:
            del data[at : at + draw(st.integers(1, 16))]
    return bytes(data)


def _read(name: str, content: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / name).write_bytes(content)
        try:
            extract = read_extract(Path(folder))
        except InputError as error:
            assert error.message.strip()
            assert "Traceback" not in error.message
            return
        # Accepted data must also be computable: every table collects cleanly.
        for table in extract.tables.values():
            assert isinstance(table.collect(), pl.DataFrame)


@SETTINGS
@given(st.one_of(st.binary(max_size=400), mutated(VALID_CSV)))
def test_malformed_csv_gives_a_clean_error(content: bytes) -> None:
    _read("befolkning.csv", content)


@SETTINGS
@given(st.one_of(st.binary(max_size=400), mutated(VALID_CSV)))
def test_malformed_gzipped_csv_gives_a_clean_error(content: bytes) -> None:
    import gzip

    _read("befolkning.csv.gz", gzip.compress(content)[: len(content) + 30])


@pytest.mark.slow  # every example decodes its file in a child process (integrity.py)
@SETTINGS
@given(st.one_of(st.binary(max_size=400), mutated(VALID_PARQUET)))
def test_malformed_parquet_gives_a_clean_error(content: bytes) -> None:
    _read("befolkning.parquet", content)


@SETTINGS
@given(st.binary(max_size=2000))
def test_malformed_sas_gives_a_clean_error(content: bytes) -> None:
    _read("befolkning.sas7bdat", content)
