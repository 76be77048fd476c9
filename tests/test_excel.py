"""Outputs that open right in a Danish Excel: number formats with the pack's decimals, plain
years, frozen headers and filters, widths that fit, marks for hidden values, Danish CSV.

Read from the session's ``small_results`` (conftest.py)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import openpyxl
import polars as pl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from datapakke.engine.compute import Results
from datapakke.engine.table import INDICATOR_TABLE_SCHEMA
from datapakke.geography import Geography
from datapakke.pack import Pack
from datapakke.pack.labels import flag_label, value_label
from datapakke.render.excel import MAX_WIDTH, number_format
from datapakke.render.workbook import pack_workbook
from datapakke.run.build import pack_model
from datapakke.run.export import export_results


@pytest.fixture(scope="module")
def fyn(small_results: Results, geography: Geography) -> tuple[Pack, openpyxl.Workbook]:
    fynsklyngen = geography.key("klynge", "fynsklyngen")
    pack = pack_model(small_results, geography, fynsklyngen, synthetic=True)
    return pack, openpyxl.load_workbook(io.BytesIO(pack_workbook(pack)))


def _numbers(sheet: Worksheet) -> list[Any]:
    return [
        cell
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, int | float) and not isinstance(cell.value, bool)
    ]


def _header(sheet: Worksheet, row: int) -> dict[str, int]:
    return {c.value: c.column for c in sheet[row] if c.value is not None}


def test_every_number_of_the_pack_workbook_has_a_display_format(
    fyn: tuple[Pack, openpyxl.Workbook],
) -> None:
    _pack, workbook = fyn
    data_sheets = workbook.worksheets[1:]
    assert len(data_sheets) > 20
    for sheet in data_sheets:
        general = [c.coordinate for c in _numbers(sheet) if c.number_format == "General"]
        assert not general, (sheet.title, general[:5])
        assert sheet.freeze_panes == "B4", sheet.title  # header row and first column
        assert sheet.auto_filter.ref is not None and sheet.auto_filter.ref.startswith("A3:")


def test_years_are_plain_and_values_have_the_pack_decimals(
    fyn: tuple[Pack, openpyxl.Workbook], small_results: Results
) -> None:
    _pack, workbook = fyn
    decimals = {i.id: i.decimals for i in small_results.catalogue.indicators}
    trend = workbook["forebyggelige_indl_65-udvikling"]
    columns = _header(trend, 3)
    years = [trend.cell(r, columns["År"]) for r in range(4, trend.max_row + 1)]
    assert {c.value for c in years} == set(small_results.years)
    assert {c.number_format for c in years} == {"0"}  # never 2.024
    # The unit is in the header; the value keeps full precision, shown with the decimals.
    cluster = trend.cell(4, columns["Fynsklyngen (pr. 1.000 65+ årige)"])
    assert cluster.number_format == number_format(decimals["forebyggelige_indl_65"]) == "#,##0.0"
    assert cluster.value != round(cluster.value, 1)

    overview = workbook["oversigt-populationsoverblik"]
    columns = _header(overview, 3)
    assert {overview.cell(r, columns["År"]).number_format for r in range(4, 7)} == {"0"}
    key = workbook["noegletal"]
    columns = _header(key, 3)
    formats = {
        key.cell(r, columns["Indikator"]).value: key.cell(r, columns["Klyngen"]).number_format
        for r in range(4, key.max_row + 1)
        if isinstance(key.cell(r, columns["Klyngen"]).value, float | int)
    }
    assert formats["Folketal"] == "#,##0"
    assert formats["Andel 65+ årige"] == "#,##0.0"


def test_columns_are_as_wide_as_their_contents(fyn: tuple[Pack, openpyxl.Workbook]) -> None:
    _pack, workbook = fyn
    areas = workbook["forebyggelige_indl_65-omraader"]
    names = [areas.cell(r, 1).value or "" for r in range(4, areas.max_row + 1)]
    assert areas.column_dimensions["A"].width >= max(len(n) for n in names)
    messages = workbook["hovedbudskaber"]
    assert 50 < messages.column_dimensions["B"].width < MAX_WIDTH + 1  # long sentences wrap
    assert messages["B4"].alignment.wrap_text


def test_hidden_values_carry_the_pack_marks(fyn: tuple[Pack, openpyxl.Workbook]) -> None:
    pack, workbook = fyn
    texts = {
        cell.value
        for sheet in workbook.worksheets[1:]
        for row in sheet.iter_rows(min_row=4)
        for cell in row
        if isinstance(cell.value, str)
    }
    assert flag_label("suppressed_small", pack.threshold) in texts  # a count of 1-4: "<5"
    assert flag_label("suppressed_complementary") in texts  # "skjult"
    assert flag_label("too_few") in texts


@pytest.fixture(scope="module")
def export_sheets(exported_workbook: Path) -> openpyxl.Workbook:
    return openpyxl.load_workbook(exported_workbook)


def test_the_export_workbook_is_formatted_for_reading(
    export_sheets: openpyxl.Workbook, small_results: Results
) -> None:
    decimals = {i.id: i.decimals for i in small_results.catalogue.indicators}
    themes = [t.id for t in small_results.catalogue.themes]
    assert export_sheets.sheetnames == [*themes, "samlet", "definitions", "settings"]
    marks = 0
    for sheet in (export_sheets[t] for t in themes):
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref is not None and sheet.auto_filter.ref.startswith("A1:")
        columns = _header(sheet, 1)
        for row in sheet.iter_rows(min_row=2):
            indicator, flag = row[0].value, row[columns["flag"] - 1].value
            year = row[columns["year"] - 1]
            assert year.number_format == "0" and 2000 < year.value < 2100
            value = row[columns["value"] - 1]
            if flag == "ok":
                assert value.number_format == number_format(decimals[indicator])
            else:
                # A value's mark never says "<5" (it would read as a rate under 5).
                assert value.value == value_label(flag, small_results.settings.min_count)
                assert value.value != "<5"
                marks += 1
            numerator = row[columns["numerator"] - 1]
            if isinstance(numerator.value, int):
                assert numerator.number_format == "#,##0"
    assert marks > 0
    settings = {r[0].value: r[1].value for r in export_sheets["settings"].iter_rows(min_row=2)}
    assert settings["min_count"] == "5"
    assert "personer eller hændelser" in settings[f"mark {flag_label('suppressed_small', 5)}"]
    assert "ikke selv under 5" in settings[f"mark {flag_label('suppressed_complementary', 5)}"]


def test_danish_csv_reads_back_with_semicolon_and_decimal_comma(
    small_results: Results, tmp_path: Path
) -> None:
    danish = export_results(small_results, tmp_path / "da.csv", csv_dialect="excel-da")
    raw = danish.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with a BOM: Excel then reads "ø" right
    header, first = raw[3:].decode("utf-8").splitlines()[:2]
    assert header.startswith("indicator_id;theme;area_level;")
    assert "," not in header
    assert any("," in field and field.replace(",", "").isdigit() for field in first.split(";"))
    read = pl.read_csv(danish, separator=";", decimal_comma=True, schema=INDICATOR_TABLE_SCHEMA)
    standard = pl.read_csv(
        export_results(small_results, tmp_path / "en.csv"), schema=INDICATOR_TABLE_SCHEMA
    )
    assert read.equals(standard)
    assert "København" in set(read["area_name"])
    assert not (tmp_path / "en.csv").read_bytes().startswith(b"\xef\xbb\xbf")
