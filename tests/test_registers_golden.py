"""The hand-made DST delivery (tests/registers/delivery.py): stays, tables, indicators."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from datapakke.engine.compute import Results, compute
from datapakke.engine.export import definitions, settings_table
from datapakke.engine.settings import ComputeSettings
from datapakke.geography import load_geography
from datapakke.inputs.read import Extract, read_extract
from datapakke.inputs.validate import validate_extract
from datapakke.pack import build_pack
from tests.registers.delivery import EXPECTED_STAYS, write_delivery


@pytest.fixture(scope="module")
def delivery(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_delivery(tmp_path_factory.mktemp("dst") / "rå")


@pytest.fixture(scope="module")
def extract(delivery: Path) -> Extract:
    return read_extract(delivery)


def test_stays_are_chained_as_worked_out_by_hand(extract: Extract) -> None:
    stays = extract.table("kontakter").sort("kontakt_id").collect()
    expected = pl.DataFrame(
        [(i, p, dt.datetime.fromisoformat(s), dt.datetime.fromisoformat(e), *rest)
         for i, p, s, e, *rest in EXPECTED_STAYS],
        schema=stays.schema,
        orient="row",
    )  # fmt: skip
    assert stays.to_dicts() == expected.sort("kontakt_id").to_dicts()


def test_population_is_the_december_snapshot_with_policies_applied(extract: Extract) -> None:
    bef = extract.table("befolkning").collect()
    rows = {(r["pnr"], r["aar"]): r for r in bef.to_dicts()}
    assert bef.height == 69  # 30 fillers and A01, A02, A05, A06 twice; A07 (dies in 2023) once
    assert not any(p in ("A03", "A04") for p, _ in rows)  # koen 9 and kom 411 left out
    # A02 moved in May 2023: 1 January 2023 in Horsens, 1 January 2024 in Aarhus.
    assert rows["A02", 2023]["kommunekode"] == 615
    assert rows["A02", 2024]["kommunekode"] == 751
    assert ("A07", 2024) not in rows
    assert rows["A01", 2023]["koen"] == "M" and rows["A02", 2023]["koen"] == "K"
    left_out = {i.what.split(" (")[0]: (i.rows, i.persons) for i in extract.provenance.left_out}
    assert left_out == {"with koen 9": (2, 1), "with kom 411": (2, 1)}


def test_deaths_read_from_sas_day_numbers_and_returned_packages_left_out(
    extract: Extract,
) -> None:
    assert extract.table("doedsfald").collect().to_dicts() == [
        {"pnr": "A07", "doed_dato": dt.date(2023, 8, 1)}
    ]
    recepter = extract.table("recepter").sort("pnr", "udlevering_dato").collect()
    assert recepter.height == 4
    assert dt.date(2023, 4, 1) not in recepter["udlevering_dato"].to_list()


def test_validate_says_what_it_recognised_and_derived(delivery: Path) -> None:
    report = validate_extract(delivery).report
    text = report.render()
    assert report.ok, text
    assert "registers as delivered: BEF, DOD, LMDB, LPR_A" in text
    assert "5 snapshots from 2022-12-31 to 2023-12-31" in text
    assert "the December snapshot of each year is the population on 1 January" in text
    assert "2 rows (1 person) with koen 9 (sex unknown) left out" in text
    assert "1 row from MiniPAS left out" in text and "1 row from LPR2 left out" in text
    assert "1 open contact (no end yet) left out" in text
    assert "1 later retracted (senere_afkraeftet) not used" in text
    assert "16 contacts became 12 stays" in text
    assert "8 admissions (≥ 12 h), 4 outpatient" in text
    assert "apk of 0 or less (returned packages): not a dispensing, left out (1 row)" in text
    assert "README.txt: not a data file" in text


@pytest.fixture(scope="module")
def results(extract: Extract) -> Results:
    return compute(extract, load_geography(), settings=ComputeSettings(min_count=1))


def _numerator(results: Results, indicator: str, kommune: int, year: int) -> float | None:
    row = results.indicators.filter(
        (pl.col("indicator_id") == indicator)
        & (pl.col("area_level") == "kommune")
        & (pl.col("area_code") == str(kommune))
        & (pl.col("year") == year)
    )
    return row["numerator"].item() if row.height else None


def test_indicators_count_the_hand_worked_stays(results: Results) -> None:
    # 65+ in Horsens on 1 January 2023: A01, A02, A05, A07 and the fillers born 1940-1958.
    # Acute somatic admissions starting in 2023: K01, K05 (A01), K12 (A02), K07 (A05, 31 Dec).
    assert _numerator(results, "akutte_indl_65", 615, 2023) == 4
    # A02 lives in Aarhus on 1 January 2024: her 2024 admission counts there.
    assert _numerator(results, "akutte_indl_65", 751, 2024) == 1
    assert _numerator(results, "akutte_indl_65", 615, 2024) == 0
    # Hip fracture: K05's stay takes its first contact's diagnosis DS720.
    assert _numerator(results, "hoftebrud_65", 615, 2023) == 1
    assert _numerator(results, "psyk_indl", 751, 2023) == 1
    assert _numerator(results, "folketal", 615, 2023) == 24
    assert _numerator(results, "folketal", 751, 2024) == 12
    assert _numerator(results, "doedelighed", 615, 2023) == 1


def test_pack_and_export_say_which_admission_definition_and_whom_they_left_out(
    results: Results,
) -> None:
    geography = load_geography()
    pack = build_pack(
        results,
        geography,
        geography.key_of(geography.find_area("Horsensklyngen")),
        build_date=dt.date(2026, 1, 1),
        version="test",
        threshold=5,
    )
    paragraphs = dict(pack.methods.paragraphs)
    assert "mindst 12 timer er en indlæggelse" in paragraphs["Indlæggelser og kontakter"]
    assert "mindre end 4 timer efter" in paragraphs["Indlæggelser og kontakter"]
    # One person each: below the threshold, so never printed as a number.
    assert paragraphs["Personer uden for opgørelsen"] == (
        "<5 personer med uoplyst køn indgår ikke i tallene. <5 personer bosat uden for "
        "kommunerne (Christiansø) indgår ikke i tallene."
    )
    described = definitions(results.catalogue, provenance=results.provenance)
    admissions = dict(zip(described["indicator_id"], described["admissions"], strict=True))
    assert "sygehusophold" in (admissions["akutte_indl_65"] or "")
    assert admissions["folketal"] is None
    settings = dict(settings_table(results).iter_rows())
    assert settings["source_kontakter"] == "LPR_A"
    assert settings["left_out_befolkning"] == (
        "persons with koen 9 (sex unknown): 1; "
        "persons with kom 411 (in no municipality, e.g. 411 Christiansø): 1"
    )
