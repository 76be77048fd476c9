"""What every workbook datapakke writes shares, so it opens right in a Danish Excel.

Numbers are written as numbers with a display format that has the decimals the pack
shows (``#,##0.0``: Excel puts in the reader's own separators, 1.234,5 in Danish);
years and codes plainly (``0``: 2024, never 2.024); a frozen header row with a filter
on every data sheet, and columns as wide as their contents.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from xlsxwriter.format import Format  # type: ignore[import-untyped]
from xlsxwriter.workbook import Workbook  # type: ignore[import-untyped]
from xlsxwriter.worksheet import Worksheet  # type: ignore[import-untyped]

MAX_SHEET_NAME = 31
PLAIN = "0"  # years and codes
MIN_WIDTH, MAX_WIDTH = 8, 60  # characters
_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def number_format(decimals: int) -> str:
    """Excel's display format for a number with ``decimals`` decimals."""
    return "#,##0" + ("." + "0" * decimals if decimals > 0 else "")


def shown(value: object, decimals: int | None) -> str:
    """A cell as wide as Excel will show it, to measure its column (Python's separators:
    as many characters as the Danish ones, and far quicker to make)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "" if value is None else str(value)
    return str(value) if decimals is None else f"{value:,.{decimals}f}"


class Formats:
    """The cell formats of one workbook, each made once (xlsxwriter wants that)."""

    def __init__(self, workbook: Workbook) -> None:
        self.workbook = workbook
        self.title = workbook.add_format({"bold": True, "font_size": 12})
        self.header = workbook.add_format(
            {"bold": True, "bottom": 1, "text_wrap": True, "valign": "bottom"}
        )
        self.note = workbook.add_format({"italic": True, "font_color": "#595959"})
        self.bold = workbook.add_format({"bold": True})
        self.wrapped = workbook.add_format({"text_wrap": True, "valign": "top"})
        self._numbers: dict[tuple[str, bool], Format] = {}

    def number(self, decimals: int | None, *, bold: bool = False) -> Format:
        """The format of a number with ``decimals`` (None: a year or a code)."""
        pattern = PLAIN if decimals is None else number_format(decimals)
        key = (pattern, bold)
        if key not in self._numbers:
            self._numbers[key] = self.workbook.add_format(
                {"num_format": pattern, **({"bold": True} if bold else {})}
            )
        return self._numbers[key]


def finish_data_sheet(
    sheet: Worksheet,
    header_row: int,
    last_row: int,
    columns: Sequence[tuple[str, Iterable[str]]],
    *,
    freeze_columns: int = 0,
) -> None:
    """Freeze the header (and ``freeze_columns``), filter every column, and make each
    column as wide as its widest cell; ``columns`` are (header, cells as shown)."""
    sheet.freeze_panes(header_row + 1, freeze_columns)
    if columns:
        sheet.autofilter(header_row, 0, max(last_row, header_row), len(columns) - 1)
    for index, (header, cells) in enumerate(columns):
        sheet.set_column(index, index, column_width(header, cells))


def column_width(header: str, cells: Iterable[str]) -> float:
    """Characters enough for the widest cell, and for the header's longest word (headers
    wrap), plus room for the filter button."""
    widest = max((len(cell) for cell in cells), default=0)
    word = max((len(w) for w in header.split()), default=0)
    return float(min(MAX_WIDTH, max(MIN_WIDTH, widest, word + 3) + 2))


class SheetNames:
    """Excel's rules: at most 31 characters, no []:*?/\\, unique regardless of case."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def unique(self, wanted: str) -> str:
        """``wanted``, cut and changed as Excel needs, and not used before."""
        base = _FORBIDDEN.sub("-", wanted)[:MAX_SHEET_NAME] or "ark"
        name, n = base, 2
        while name.casefold() in self.used:
            suffix = f"~{n}"
            name = base[: MAX_SHEET_NAME - len(suffix)] + suffix
            n += 1
        self.used.add(name.casefold())
        return name
