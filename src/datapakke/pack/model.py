"""The Pack model: frozen dataclasses holding everything a template needs for one cluster."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from datapakke.charts import ChartSpec

Cell = str | float | int | None


@dataclass(frozen=True)
class TableColumn:
    """A column of a data table; ``decimals`` is None for text columns."""

    header: str
    decimals: int | None = None


@dataclass(frozen=True)
class DataTable:
    """The numbers behind a chart: numbers stay numbers (for the xlsx), text marks gaps."""

    columns: tuple[TableColumn, ...]
    rows: tuple[tuple[Cell, ...], ...]
    emphasised_rows: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Figure:
    """A chart with its title, alt text, data table and source line."""

    id: str
    title: str
    chart: ChartSpec
    alt: str
    table: DataTable
    source: str
    note: str | None = None


@dataclass(frozen=True)
class Section:
    """A chapter of the pack: heading, plain-Danish text and figures."""

    id: str
    title: str
    paragraphs: tuple[str, ...]
    figures: tuple[Figure, ...]


@dataclass(frozen=True)
class KommuneRow:
    """A municipality of the cluster with its population in the last year."""

    kode: int
    navn: str
    folketal: int


@dataclass(frozen=True)
class FrontPage:
    """What the front page shows."""

    klynge_id: str
    klynge_navn: str
    akuthospital: str
    region: str
    kommuner: tuple[KommuneRow, ...]
    folketal: int
    years: tuple[int, ...]
    build_date: dt.date
    version: str
    membership_note: str | None
    data_note: str | None = None


@dataclass(frozen=True)
class Pack:
    """One cluster's data pack."""

    front: FrontPage
    sections: tuple[Section, ...]

    @property
    def title(self) -> str:
        """The document title."""
        return f"Datapakke: {self.front.klynge_navn}"

    @property
    def figures(self) -> tuple[Figure, ...]:
        """Every figure in reading order."""
        return tuple(f for s in self.sections for f in s.figures)
