"""The numbers behind a pack as an Excel workbook: a sheet per chart and per table.

Written beside the PDF as ``<klynge_id>.xlsx`` and embedded in the PDF, so that
every number a reader sees can be checked and reused. Numbers stay numbers (with
the pack's decimals as display format); gaps keep their label ("<5", "for få
tilfælde"), never a zero.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable

import xlsxwriter  # type: ignore[import-untyped]
from xlsxwriter.workbook import Workbook  # type: ignore[import-untyped]
from xlsxwriter.worksheet import Worksheet  # type: ignore[import-untyped]

from datapakke.numbers import aar_interval, dato
from datapakke.pack.model import DataTable, Pack, TableColumn

MAX_SHEET_NAME = 31
_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


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
    formats = _Formats(workbook)
    names = _SheetNames()
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
    names = _SheetNames()
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


class _SheetNames:
    """Excel's rules: at most 31 characters, no []:*?/\\, unique regardless of case."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def unique(self, wanted: str) -> str:
        base = _FORBIDDEN.sub("-", wanted)[:MAX_SHEET_NAME] or "ark"
        name, n = base, 2
        while name.casefold() in self.used:
            suffix = f"~{n}"
            name = base[: MAX_SHEET_NAME - len(suffix)] + suffix
            n += 1
        self.used.add(name.casefold())
        return name


class _Formats:
    def __init__(self, workbook: Workbook) -> None:
        self.title = workbook.add_format({"bold": True, "font_size": 12})
        self.header = workbook.add_format(
            {"bold": True, "bottom": 1, "text_wrap": True, "valign": "bottom"}
        )
        self.note = workbook.add_format({"italic": True, "font_color": "#595959"})
        self.bold = workbook.add_format({"bold": True})
        patterns = {d: "#,##0" + ("." + "0" * d if d else "") for d in range(4)}
        self.numbers = {d: workbook.add_format({"num_format": p}) for d, p in patterns.items()}
        self.bold_numbers = {
            d: workbook.add_format({"bold": True, "num_format": p}) for d, p in patterns.items()
        }


def _write_table(sheet: Worksheet, formats: _Formats, title: str, table: DataTable) -> None:
    sheet.write_string(0, 0, title, formats.title)
    first_row = 2
    for column, spec in enumerate(table.columns):
        sheet.write_string(first_row, column, spec.header, formats.header)
        sheet.set_column(column, column, 30 if column == 0 else 14)
    for offset, row in enumerate(table.rows, start=1):
        emphasis = (offset - 1) in table.emphasised_rows
        for column, cell in enumerate(row):
            spec = table.columns[column]
            target = first_row + offset
            if cell is None:
                continue
            if isinstance(cell, bool) or not isinstance(cell, int | float):
                sheet.write_string(target, column, str(cell), formats.bold if emphasis else None)
                continue
            # Twelve significant digits: far beyond any published decimal, and the same
            # bytes even when a parallel sum differs in its last binary digit.
            number = float(f"{cell:.12g}")
            if spec.decimals is None:
                sheet.write_number(target, column, number, formats.bold if emphasis else None)
            else:
                number_formats = formats.bold_numbers if emphasis else formats.numbers
                sheet.write_number(target, column, number, number_formats[min(spec.decimals, 3)])
    last = first_row + len(table.rows) + 2
    for i, note in enumerate(table.notes):
        sheet.write_string(last + i, 0, note, formats.note)
    sheet.freeze_panes(first_row + 1, 1)


def _write_about(
    sheet: Worksheet, formats: _Formats, pack: Pack, index: list[tuple[str, str]]
) -> None:
    front = pack.front
    lines = [
        (pack.title, formats.title),
        (f"Akuthospital: {front.akuthospital}. {front.region}.", None),
        (
            f"Data: {aar_interval(front.years)}. Udarbejdet {dato(front.build_date)} med "
            f"datapakke {front.version} og indikatorkatalog {front.catalogue_version}.",
            None,
        ),
        (
            f"Antal under {pack.threshold} personer eller hændelser vises som «<{pack.threshold}», "
            "og raten eller andelen bag dem som «skjult»; «skjult» alene er et tal, der ikke selv "
            f"er lille, men er skjult, så et tal under {pack.threshold} ikke kan regnes ud. Rater "
            "med for få tilfælde vises som «for få tilfælde». Tomme felter er ikke nul.",
            formats.note,
        ),
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
