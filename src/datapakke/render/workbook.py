"""The numbers behind a pack as an Excel workbook: a sheet per chart and per table.

Written beside the PDF as ``<area>.xlsx`` and embedded in the PDF, so that
every number a reader sees can be checked and reused. Numbers stay numbers (with
the pack's decimals as display format); gaps keep their label ("<5", "for få
tilfælde"), never a zero.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable

import xlsxwriter  # type: ignore[import-untyped]
from xlsxwriter.worksheet import Worksheet  # type: ignore[import-untyped]

from datapakke.numbers import aar_interval, dato
from datapakke.pack.labels import flag_footnote
from datapakke.pack.model import Cell, DataTable, Pack, TableColumn
from datapakke.render.excel import MAX_WIDTH, Formats, SheetNames, finish_data_sheet, shown


def pack_workbook(pack: Pack) -> bytes:
    """The workbook of one pack as bytes (deterministic for the same pack)."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    created = dt.datetime.combine(pack.front.build_date, dt.time())
    workbook.set_properties(
        {
            "title": pack.title,
            "subject": "Tal bag datapakken",
            "author": f"datapakke {pack.front.version}",
            "created": created,
        }
    )
    formats = Formats(workbook)
    names = SheetNames()
    index: list[tuple[str, str]] = []
    about = workbook.add_worksheet(names.unique("Om datapakken"))
    for sheet_id, title, table in _tables(pack):
        name = names.unique(sheet_id)
        _write_table(workbook.add_worksheet(name), formats, title, table)
        index.append((name, title))
    _write_about(about, formats, pack, index)
    workbook.close()
    return buffer.getvalue()


def sheet_names(pack: Pack) -> list[str]:
    """The sheet names the workbook of ``pack`` has, in order (for tests and links)."""
    names = SheetNames()
    return [names.unique("Om datapakken"), *(names.unique(i) for i, _t, _tb in _tables(pack))]


def _tables(pack: Pack) -> Iterable[tuple[str, str, DataTable]]:
    """Every table of the pack: key messages, key figures, overviews, figures."""
    if pack.messages:
        yield (
            "hovedbudskaber",
            "Hovedbudskaber",
            DataTable(
                columns=_text_columns("Gruppe", "Budskab", "Indikator"),
                rows=tuple(
                    (group.title, message.text, message.indicator_id)
                    for group in pack.messages
                    for message in group.messages
                ),
            ),
        )
    if pack.key_figures is not None:
        yield "noegletal", f"Nøgletal, {pack.key_figures.year}", pack.key_figures.table
    if pack.maps is not None:
        yield "kort", f"{pack.maps.title}: {pack.maps.lead}", pack.maps.table
    for section in pack.sections:
        if section.matrix is not None:
            yield (
                section.matrix.id,
                f"{section.title}: {section.matrix.caption}",
                (section.matrix.table),
            )
        for figure in (*section.figures, *(f for b in section.blocks for f in b.figures)):
            yield figure.id, figure.title, figure.table


def _text_columns(*headers: str) -> tuple[TableColumn, ...]:
    return tuple(TableColumn(h) for h in headers)


def _decimals(table: DataTable, row: int, spec: TableColumn) -> int | None:
    """The decimals a number in this cell shows; None for a year or a code."""
    if spec.plain:
        return None
    if spec.decimals is not None:
        return spec.decimals
    return table.row_decimals[row] if table.row_decimals else None


def _write_table(sheet: Worksheet, formats: Formats, title: str, table: DataTable) -> None:
    sheet.write_string(0, 0, title, formats.title)
    header_row = 2
    shown_cells: list[list[str]] = [[] for _ in table.columns]
    for column, spec in enumerate(table.columns):
        sheet.write_string(header_row, column, spec.header, formats.header)
    for offset, row in enumerate(table.rows):
        bold = offset in table.emphasised_rows
        target = header_row + 1 + offset
        for column, cell in enumerate(row):
            decimals = _decimals(table, offset, table.columns[column])
            shown_cells[column].append(shown(cell, decimals))
            _write_cell(sheet, formats, target, column, cell, decimals, bold=bold)
    last = header_row + len(table.rows)
    for i, note in enumerate(table.notes):
        sheet.write_string(last + 2 + i, 0, note, formats.note)
    columns = [(spec.header, cells) for spec, cells in zip(table.columns, shown_cells, strict=True)]
    finish_data_sheet(sheet, header_row, last, columns, freeze_columns=1)


def _write_cell(
    sheet: Worksheet, formats: Formats, row: int, column: int, cell: Cell, decimals: int | None,
    *, bold: bool,
) -> None:  # fmt: skip
    if cell is None:
        return
    if isinstance(cell, bool) or not isinstance(cell, int | float):
        text = str(cell)
        style = formats.bold if bold else formats.wrapped if len(text) > MAX_WIDTH else None
        sheet.write_string(row, column, text, style)
        return
    # Full precision: the engine's numbers are the same bits on every run.
    sheet.write_number(row, column, float(cell), formats.number(decimals, bold=bold))


def _write_about(
    sheet: Worksheet, formats: Formats, pack: Pack, index: list[tuple[str, str]]
) -> None:
    front = pack.front
    lines = [
        (pack.title, formats.title),
        (". ".join(f"{label}: {value}" for label, value in front.facts) + ".", None),
        (
            f"Data: {aar_interval(front.years)}. Udarbejdet {dato(front.build_date)} med "
            f"datapakke {front.version} og indikatorkatalog {front.catalogue_version}.",
            None,
        ),
        *(
            (flag_footnote(flag, pack.threshold), formats.note)
            for flag in ("suppressed_small", "suppressed_complementary")
        ),
        ("Tomme felter er ikke nul.", formats.note),
    ]
    if front.data_note:
        lines.append((front.data_note, formats.bold))
    if front.coverage_note:
        lines.append((front.coverage_note, formats.note))
    for row, (text, style) in enumerate(lines):
        sheet.write_string(row, 0, text, style)
    start = len(lines) + 1
    sheet.write_string(start, 0, "Ark", formats.header)
    sheet.write_string(start, 1, "Indhold", formats.header)
    for offset, (name, title) in enumerate(index, start=1):
        sheet.write_url(start + offset, 0, f"internal:'{name}'!A1", string=name)
        sheet.write_string(start + offset, 1, title)
    sheet.set_column(0, 0, 34)
    sheet.set_column(1, 1, 90)
