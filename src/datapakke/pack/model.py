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
    """One headline indicator on the key-figures pages.

    Numbers stay numbers, formatted with ``decimals`` where they are shown; a value that
    is not published is its label ("<5", "ikke opgjort"). ``count``: the persons or events
    behind the area's value (None: the indicator is no such count). ``left`` and ``right``
    are the values at the spine's ends (worst and best for an indicator with a polarity,
    else lowest and highest; None without a spine); ``left_word`` and ``right_word`` say
    which. ``peers`` counts the peer areas with a value; ``peers_note`` says so beside the
    title when the rows' counts differ.
    """

    indicator_id: str
    title: str
    unit: str
    period: str
    decimals: int
    count: Cell
    cluster: Cell
    comparison: str
    verdict: str
    trend: str
    trend_symbol: str
    trend_word: str
    region: Cell
    country: Cell
    left: float | None
    left_word: str
    right: float | None
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
    """The key-figures pages: every headline indicator, grouped by theme; ``pages`` the
    groups of each of the two pages the table takes.

    ``range_header`` names the peers the spines span ("Spænd blandt de 22 klynger");
    ``value_header`` heads the area's own column ("Rådet"); ``region_header`` is None when
    the pack is about a region (its own column is then the region's).
    """

    year: int
    range_header: str
    lead: str
    groups: tuple[KeyFigureGroup, ...]
    pages: tuple[tuple[KeyFigureGroup, ...], tuple[KeyFigureGroup, ...]]
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
    """A value in the theme overview (a number, or the label of a value not shown);
    ``verdict`` is only set when it differs significantly."""

    value: float | str
    comparison: str
    verdict: str


@dataclass(frozen=True)
class MatrixRow:
    """One indicator across the area's parts and the areas around it; its cells' numbers
    are shown with ``decimals``."""

    indicator_id: str
    title: str
    unit: str
    decimals: int
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
    """One indicator in its theme: a summary, its two charts (``comparison``: the areas side
    by side; ``trend``: the development) and the trend chart's numbers. An indicator
    without data has neither chart."""

    id: str
    title: str
    subtitle: str
    summary: tuple[str, ...]
    comparison: Figure | None
    trend: Figure | None
    table: DataTable | None
    notes: tuple[str, ...] = ()
    # Where the trend's numbers go: under the trend chart, or under a short comparison
    # chart (few areas), whichever keeps the block lower on the page.
    table_under_trend: bool = True

    @property
    def figures(self) -> tuple[Figure, ...]:
        """The block's figures in reading order: comparison, then trend."""
        return tuple(f for f in (self.comparison, self.trend) if f is not None)


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
    """One indicator in the methods appendix's table of definitions: ``measure`` its unit,
    method and polarity in a line; ``codes`` label and code-list pairs."""

    indicator_id: str
    title: str
    measure: str
    definition: str
    group: str
    codes: tuple[tuple[str, str], ...]
    source: str


@dataclass(frozen=True)
class DefinitionGroup:
    """The definitions of one theme."""

    title: str
    definitions: tuple[Definition, ...]


@dataclass(frozen=True)
class MethodGroup:
    """One way of computing a value, described once, with the indicators computed so (their
    titles as in running text)."""

    method: str
    title: str
    text: str
    indicators: tuple[str, ...]


@dataclass(frozen=True)
class Methods:
    """The methods appendix, generated from the catalogue: each rule once (``rules``), each
    method once with the indicators that use it (``methods``), then a compact table of
    definitions per theme (``groups``)."""

    rules: tuple[tuple[str, str], ...]
    methods: tuple[MethodGroup, ...]
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
class ProfileTheme:
    """One theme's key sentences on the profile's first page (a theme without findings
    has one that says so, with no tone)."""

    theme_id: str
    title: str
    sentences: tuple[Message, ...]


@dataclass(frozen=True)
class Profile:
    """The four-page profile a politician gets (``--profil kort``).

    Page 1: the area, its population (``population``) and 5-8 key sentences across the
    themes (``themes``); pages 2 and 3: every headline indicator (the pack's key
    figures, their ``pages``); page 4: population, ageing (``ageing``) and
    the projection (``projection``; without one, ``population_paragraphs`` say so).
    """

    kicker: str
    population: str
    themes: tuple[ProfileTheme, ...]
    population_paragraphs: tuple[str, ...]
    pyramid: Figure
    ageing: DataTable
    ageing_caption: str
    projection: DataTable | None
    projection_caption: str
    full_pack_note: str

    @property
    def sentence_count(self) -> int:
        """How many key sentences page 1 has (the population's included)."""
        return 1 + sum(len(t.sentences) for t in self.themes)


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
    profile: Profile | None = None
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

    @property
    def profile_charts(self) -> tuple[Figure, ...]:
        """The figures of the profile that have a chart to draw (the key figures' spines
        are drawn where the table shows them)."""
        if self.profile is None:
            return ()
        shown = (self.front.locator, self.profile.pyramid)
        return tuple(f for f in shown if f is not None and f.chart is not None)
