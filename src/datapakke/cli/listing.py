"""Listings (clusters, indicators) as a table for people, or CSV or JSON for programs.

A table on a terminal fits the window; piped, it is never wrapped, so a line is
one row and no word is split.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Mapping, Sequence
from enum import StrEnum
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from datapakke.cli.app import out

Value = str | int | float | list[str] | None


class ListFormat(StrEnum):
    """How a listing is printed."""

    table = "table"
    csv = "csv"
    json = "json"


ListFormatOption = Annotated[
    ListFormat,
    typer.Option("--format", help="A table for reading, or CSV or JSON for programs."),
]


def print_listing(
    title: str,
    columns: Sequence[tuple[str, str]],
    rows: Sequence[Mapping[str, Value]],
    listing_format: ListFormat,
) -> None:
    """Print ``rows`` (dicts by key) with ``columns`` as (key, header for people)."""
    if listing_format is ListFormat.json:
        sys.stdout.write(json.dumps(list(rows), ensure_ascii=False, indent=2) + "\n")
        return
    if listing_format is ListFormat.csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow([key for key, _ in columns])
        writer.writerows([_text(row[key]) for key, _ in columns] for row in rows)
        return
    wrap = out.is_terminal
    table = Table(title=title, show_lines=False)
    for index, (_, header) in enumerate(columns):
        # Ids are copied into commands and files: keep them whole even on a narrow screen.
        table.add_column(header, overflow="fold", no_wrap=index == 0 or not wrap)
    for row in rows:
        table.add_row(*(_text(row[key]) for key, _ in columns))
    # Piped: as wide as the longest row, so a line is one whole row.
    (out if wrap else Console(file=sys.stdout, width=100_000)).print(table)


def _text(value: Value) -> str:
    if isinstance(value, list):
        return ", ".join(value)
    return "" if value is None else str(value)
