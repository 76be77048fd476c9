"""The Excel workbook of ``datapakke export``: for people, not for machines.

A sheet per theme (frozen header, filters, columns that fit), every value shown with the
decimals the pack shows (the cell keeps full precision), years plainly, a hidden value as
the words the pack prints in its place; then the pooled figures (sheet ``samlet``: the
latest years together, ``first_year`` .. ``year``, where the catalogue pools an
indicator), the definitions and the settings.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Final

import polars as pl
import xlsxwriter  # type: ignore[import-untyped]
from xlsxwriter.worksheet import Worksheet  # type: ignore[import-untyped]

from datapakke.engine.compute import Results
from datapakke.engine.export import definitions, settings_table
from datapakke.pack.labels import flag_footnote, flag_label, too_few_rule, value_label
from datapakke.render.excel import Formats, SheetNames, finish_data_sheet, shown

# Columns of the contract that hold years or codes, and the counts.
PLAIN_COLUMNS: Final = frozenset({"year", "first_year"})
# The workbook's sheet of pooled figures: the contract's columns, then the first year.
POOLED_SHEET: Final = "samlet"
COUNT_COLUMNS: Final = frozenset({"numerator", "denominator"})
VALUE_COLUMNS: Final = frozenset({"value", "lower", "upper"})


def write_workbook(table: pl.DataFrame, results: Results, path: Path) -> None:
    """Write the contract ``table`` of ``results`` to ``path`` as an Excel workbook."""
    decimals = {i.id: i.decimals for i in results.catalogue.indicators}
    threshold = results.settings.min_count
    with xlsxwriter.Workbook(str(path), {"constant_memory": True}) as workbook:
        formats = Formats(workbook)
        names = SheetNames()
        for theme in results.catalogue.themes:
            rows = table.filter(pl.col("theme") == theme.id)
            sheet = workbook.add_worksheet(names.unique(theme.id))
            _write_indicators(sheet, formats, rows, decimals, threshold)
        if not results.pooled.is_empty():
            pooled = results.pooled.select(*table.columns, "first_year")
            sheet = workbook.add_worksheet(names.unique(POOLED_SHEET))
            _write_indicators(sheet, formats, pooled, decimals, threshold)
        _write_frame(workbook.add_worksheet(names.unique("definitions")), formats,
                     definitions(results.catalogue, results.settings,
                                 results.provenance))  # fmt: skip
        rule = too_few_rule(results.catalogue)
        notes = pl.DataFrame(
            [(f"mark {flag_label(f, threshold)}", flag_footnote(f, threshold, rule))
             for f in ("suppressed_small", "suppressed_complementary", "too_few",
                       "not_available")],
            schema=settings_table(results).schema, orient="row",
        )  # fmt: skip
        _write_frame(workbook.add_worksheet(names.unique("settings")), formats,
                     pl.concat([settings_table(results), notes]))  # fmt: skip


def _write_indicators(
    sheet: Worksheet,
    formats: Formats,
    rows: pl.DataFrame,
    decimals: Mapping[str, int],
    threshold: int,
) -> None:
    """One theme's rows: numbers with their display formats, a hidden value as its mark."""
    columns = rows.columns
    shown_cells: list[list[str]] = [[] for _ in columns]
    for index, name in enumerate(columns):
        sheet.write_string(0, index, name, formats.header)
    for offset, row in enumerate(rows.iter_rows(named=True), start=1):
        flag = row["flag"]
        for index, name in enumerate(columns):
            cell = row[name]
            places = _decimals(name, decimals[row["indicator_id"]])
            if cell is None and name in VALUE_COLUMNS | COUNT_COLUMNS and flag != "ok":
                # The count says "<5" only when it is 1-4; a value never does (see labels).
                marks = {"numerator": flag_label, "value": value_label}
                cell = marks[name](flag, threshold) if name in marks else None
            shown_cells[index].append(shown(cell, places))
            if cell is None:
                continue
            if isinstance(cell, int | float) and not isinstance(cell, bool):
                sheet.write_number(offset, index, cell, formats.number(places))
            else:
                sheet.write_string(offset, index, str(cell))
    finish_data_sheet(sheet, 0, rows.height, list(zip(columns, shown_cells, strict=True)))


def _decimals(column: str, indicator_decimals: int) -> int | None:
    """A column's display decimals: the indicator's for values, 0 for counts, None (plain)
    for years."""
    if column in PLAIN_COLUMNS:
        return None
    return 0 if column in COUNT_COLUMNS else indicator_decimals


def _write_frame(sheet: Worksheet, formats: Formats, frame: pl.DataFrame) -> None:
    """A sheet of text: headers, rows, frozen header, filter, fitted widths."""
    columns = frame.columns
    for index, name in enumerate(columns):
        sheet.write_string(0, index, name, formats.header)
    for offset, row in enumerate(frame.iter_rows(), start=1):
        for index, cell in enumerate(row):
            if cell is not None:
                sheet.write_string(offset, index, str(cell))
    texts = [[shown(c, None) for c in frame[name]] for name in columns]
    finish_data_sheet(sheet, 0, frame.height, list(zip(columns, texts, strict=True)))
