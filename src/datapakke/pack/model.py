"""The Pack model: frozen dataclasses holding everything a template needs for one area.

Built in stages by the modules of ``datapakke.pack`` from the IndicatorTable,
then rendered; nothing here computes. Numbers stay numbers (for the workbook),
and every text is the Danish the reader sees.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from datapakke.pack.chart_specs import ChartSpec

Cell = str | float | int | None


@dataclass(frozen=True)
class TableColumn:
    """A column of a data table; ``decimals`` is None for text columns and for columns
    whose rows differ (see ``DataTable.row_decimals``). ``plain``: years or codes,
    written without a thousands separator (2024, never 2.024)."""

    header: str
    decimals: int | None = None
    plain: bool = False


@dataclass(frozen=True)
class DataTable:
    """The numbers behind a chart or a table: numbers stay numbers, text marks gaps.

    ``row_decimals``: in a table of one indicator per row, each row's decimals, for
    the numbers in columns without their own.
    """

    columns: tuple[TableColumn, ...]
    rows: tuple[tuple[Cell, ...], ...]
    emphasised_rows: frozenset[int] = frozenset()
    notes: tuple[str, ...] = ()
    row_decimals: tuple[int, ...] = ()


@dataclass(frozen=True)
class Figure:
    """A chart with its title, alt text, data table and source line.

    A figure with nothing to show has no ``chart``; ``empty_reason`` then says why,
    in words, where the chart would have been.
    """

    id: str
    title: str
    chart: ChartSpec | None
    alt: str
    table: DataTable
    source: str
    note: str | None = None
    caption: str | None = None
    empty_reason: str | None = None


@dataclass(frozen=True)
class Message:
    """One generated sentence about a significant difference or trend."""

    indicator_id: str
    text: str
    tone: str  # better | worse | higher | lower | rising | falling
    kind: str  # comparison | trend
    judgement: str = ""  # better | worse for a trend of an indicator with a polarity
    trend: str = ""  # rising | falling when the message tells a significant trend


@dataclass(frozen=True)
class MessageGroup:
    """One theme on the Hovedbudskaber page: the cluster's strongest findings, the
    municipalities that differ, and how many more findings the theme's chapter has."""

    theme_id: str
    title: str
    messages: tuple[Message, ...]
    kommuner: tuple[str, ...] = ()
    kommune_note: str = ""
    more: str = ""


@dataclass(frozen=True)
class KeyFigureRow:
    """One headline indicator on the key-figures page.

    ``left`` and ``right`` are the values printed at the spine's ends (worst and best
    for an indicator with a polarity, else lowest and highest); ``left_word`` and
    ``right_word`` say which. ``peers`` counts the peer areas with a value;
    ``peers_note`` says so beside the title when the rows' counts differ.
    """

    indicator_id: str
    title: str
    unit: str
    period: str
    count: str
    cluster: str
    comparison: str
    verdict: str
    trend: str
    trend_symbol: str
    trend_word: str
    region: str
    country: str
    left: str
    left_word: str
    right: str
    right_word: str
    peers: int
    spine: ChartSpec | None
    spine_alt: str
    adjustment: str = ""
    peers_note: str = ""


@dataclass(frozen=True)
class KeyFigureGroup:
    """The key figures of one theme."""

    theme_id: str
    title: str
    rows: tuple[KeyFigureRow, ...]


@dataclass(frozen=True)
class KeyFigures:
    """The key-figures page: every headline indicator, grouped by theme.

    ``range_header`` names the peers the spines span ("Spænd blandt de 22 klynger");
    ``value_header`` heads the area's own column ("Rådet"); ``region_header`` is None when
    the pack is about a region (its own column is then the region's).
    """

    year: int
    range_header: str
    lead: str
    groups: tuple[KeyFigureGroup, ...]
    notes: tuple[str, ...]
    table: DataTable
    value_header: str = "Klyngen"
    region_header: str | None = "Regionen"

    @property
    def rows(self) -> tuple[KeyFigureRow, ...]:
        """Every row in reading order."""
        return tuple(r for g in self.groups for r in g.rows)


@dataclass(frozen=True)
class MatrixCell:
    """A value in the theme overview; ``verdict`` is only set when it differs significantly."""

    text: str
    comparison: str
    verdict: str


@dataclass(frozen=True)
class MatrixRow:
    """One indicator across the cluster's areas."""

    indicator_id: str
    title: str
    unit: str
    cells: tuple[MatrixCell, ...]


@dataclass(frozen=True)
class Matrix:
    """The theme overview: every indicator (rows) for every area (columns) in one year."""

    id: str
    caption: str
    columns: tuple[str, ...]
    emphasised_column: int
    rows: tuple[MatrixRow, ...]
    notes: tuple[str, ...]
    table: DataTable


@dataclass(frozen=True)
class IndicatorBlock:
    """One indicator in its theme: a summary, its charts and the trend chart's numbers."""

    id: str
    title: str
    subtitle: str
    summary: tuple[str, ...]
    figures: tuple[Figure, ...]
    table: DataTable | None
    notes: tuple[str, ...] = ()
    # Where the trend's numbers go: under the trend chart, or under a short comparison
    # chart (few areas), whichever keeps the block lower on the page.
    table_under_trend: bool = True


@dataclass(frozen=True)
class Section:
    """A chapter of the pack: heading, plain-Danish text, overview, figures and indicators."""

    id: str
    title: str
    paragraphs: tuple[str, ...]
    figures: tuple[Figure, ...]
    findings: tuple[Message, ...] = ()
    kommune_findings: tuple[str, ...] = ()
    findings_note: str = ""
    matrix: Matrix | None = None
    blocks: tuple[IndicatorBlock, ...] = ()
    missing: tuple[str, ...] = ()


@dataclass(frozen=True)
class Definition:
    """One indicator in the methods appendix: label and text pairs."""

    indicator_id: str
    title: str
    items: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class DefinitionGroup:
    """The definitions of one theme."""

    title: str
    definitions: tuple[Definition, ...]


@dataclass(frozen=True)
class Methods:
    """The methods and definitions appendix, generated from the catalogue."""

    reading_guide: tuple[tuple[str, str], ...]
    paragraphs: tuple[tuple[str, str], ...]
    groups: tuple[DefinitionGroup, ...]


@dataclass(frozen=True)
class MemberRow:
    """A part of the area (a municipality, a cluster of a region) with its population; ``kode``
    is the municipality code, empty for other areas."""

    navn: str
    kode: str
    folketal: int


@dataclass(frozen=True)
class FrontPage:
    """What the front page shows: ``facts`` are label and text pairs ('Region', ...)."""

    slug: str
    navn: str
    kicker: str
    lead: str
    facts: tuple[tuple[str, str], ...]
    members: tuple[MemberRow, ...]
    members_caption: str
    member_header: str
    code_header: str | None
    folketal: int
    years: tuple[int, ...]
    build_date: dt.date
    version: str
    membership_note: str | None
    data_note: str | None = None
    catalogue_version: str = ""
    coverage_note: str | None = None
    locator: Figure | None = None  # the area on a small map of Denmark
    topics: str = ""  # the themes in running text, for the document's description


@dataclass(frozen=True)
class Maps:
    """The map page: a key map that names the municipalities, one small map per headline
    indicator, and their numbers in one table. ``key_list`` explains the key map's numbers
    when there are too many municipalities to write their names."""

    title: str
    lead: str
    key: Figure
    figures: tuple[Figure, ...]
    table: DataTable
    attribution: str
    key_list: tuple[str, ...] = ()


@dataclass(frozen=True)
class Pack:
    """One area's data pack."""

    front: FrontPage
    sections: tuple[Section, ...]
    messages: tuple[MessageGroup, ...] = ()
    message_summary: str = ""
    key_figures: KeyFigures | None = None
    maps: Maps | None = None
    methods: Methods | None = None
    threshold: int = 5
    level_text: str = "95\u00a0%"
    trend_guide: str = ""
    age_adjustment_note: str = ""

    @property
    def title(self) -> str:
        """The document title."""
        return f"Datapakke: {self.front.navn}"

    @property
    def figures(self) -> tuple[Figure, ...]:
        """Every figure in reading order (including those with nothing to show)."""
        return tuple(
            f
            for s in self.sections
            for f in (*s.figures, *(f for b in s.blocks for f in b.figures))
        )

    @property
    def charts(self) -> tuple[Figure, ...]:
        """The figures that have a chart to draw, maps included."""
        maps = (*((self.front.locator,) if self.front.locator else ()),
                *((self.maps.key, *self.maps.figures) if self.maps else ()))  # fmt: skip
        return tuple(f for f in (*maps, *self.figures) if f.chart is not None)
