"""``sample --layout dst`` reads back as the contract sample it was written from.

The same seed, scale and years give the contract tables and the DST layouts.
Population, deaths, prescriptions, chronic diseases and home care must come back
row for row; hospital contacts as stays, which this test chains again with a plain
loop (the reference for the vectorised chaining), and LPR2 rows with their end
cut to the hour, as LPR2 records it.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from datapakke.inputs.read import Extract, read_extract
from datapakke.sample.generate import generate_sample
from tests.registers.reference import chained

pytestmark = pytest.mark.slow
SETTINGS = {"scale": 0.002, "seed": 11, "years": range(2018, 2021)}


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory) -> tuple[Extract, Extract]:
    contract = tmp_path_factory.mktemp("contract")
    dst = tmp_path_factory.mktemp("dst")
    generate_sample(contract, **SETTINGS)  # type: ignore[arg-type]
    generate_sample(dst, layout="dst", **SETTINGS)  # type: ignore[arg-type]
    return read_extract(contract), read_extract(dst)


@pytest.mark.parametrize("table", ["befolkning", "doedsfald", "recepter", "kroniske"])
def test_tables_come_back_row_for_row(both: tuple[Extract, Extract], table: str) -> None:
    contract, dst = (e.table(table).collect() for e in both)
    keys = contract.columns
    assert dst.sort(keys).equals(contract.sort(keys))


def test_contacts_come_back_as_stays_and_lpr2_contacts(both: tuple[Extract, Extract]) -> None:
    contract, dst = (e.table("kontakter").collect() for e in both)
    lpr3_from = dt.datetime(2019, 1, 1)
    expected = chained(contract.filter(pl.col("start") >= lpr3_from).to_dicts())
    columns = ["pnr", "start", "slut", "omraade", "prioritet", "kontakttype", "aktionsdiagnose"]
    stays = dst.filter(pl.col("kontakt_id").str.starts_with("LPR3-")).select(columns)
    assert sorted(stays.iter_rows()) == expected
    lpr2 = contract.filter(pl.col("start") < lpr3_from).with_columns(
        pl.max_horizontal(pl.col("slut").dt.truncate("1h"), pl.col("start")).alias("slut")
    )
    back = dst.filter(~pl.col("kontakt_id").str.starts_with("LPR3-"))
    assert sorted(back.select(columns).iter_rows()) == sorted(lpr2.select(columns).iter_rows())
    assert dst.height < contract.height  # contacts less than 4 hours apart became one stay
    assert both[1].provenance.contacts == ("lpr3-stays", "lpr2")
