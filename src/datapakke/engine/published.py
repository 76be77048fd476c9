"""Indicators from the aggregate inputs: survey estimates, a user's counts, the projection.

The aggregate rows (``inputs.aggregates``) are read by the catalogue entries whose
kind names them, each entry its ``series``:

- ``survey``: estimates others publish per municipality and region with their 95 %
  intervals (Den Nationale Sundhedsprofil). They are already disclosure-controlled by
  their publisher and pass through as published; ``survey.py`` gives an area without
  a published value (a cluster) the weighted mean of its municipalities'.
- ``aggregate_counts``: a user's counts (``antal`` of ``grundlag``) per municipality,
  summed to every area and estimated, suppressed and compared like register counts.
- ``projection``: the projected persons of an age group ``horizon`` years after the
  data's last year (Statistics Denmark's projection per municipality, age and sex),
  summed to every area like the population count.

Rows no entry reads, or that an entry cannot use, are reported as warnings with
their file and line; rows an entry cannot read at all stop the run with them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import polars as pl
from scipy.special import ndtri

from datapakke.engine.catalogue import Indicator
from datapakke.engine.params import AggregateCountParams, ProjectionParams, SurveyParams
from datapakke.errors import InputError
from datapakke.inputs.aggregates import FILE, ROW, TABLE_NAME, line_word
from datapakke.inputs.findings import MAX_EXAMPLES, Finding, Report, Severity

# The level of the intervals in the aggregate files (docs/aggregates.md).
PUBLISHED_LEVEL = 0.95
COUNTS_SCHEMA = pl.Schema(
    {
        "indicator_id": pl.String(),
        "kommunekode": pl.Int32(),
        "year": pl.Int32(),
        "x": pl.Int64(),
        "n": pl.Int64(),
    }
)
ESTIMATES_SCHEMA = pl.Schema(
    {
        "indicator_id": pl.String(),
        "area_level": pl.String(),
        "area_code": pl.String(),
        "year": pl.Int32(),
        "value": pl.Float64(),
        "se": pl.Float64(),
        "lower": pl.Float64(),
        "upper": pl.Float64(),
        "denominator": pl.Int64(),
    }
)


@dataclass(frozen=True)
class Published:
    """What the catalogue reads of the aggregate rows.

    ``counts``: per indicator, municipality and year the summed ``x`` (and ``n``) of the
    counted kinds; ``estimates``: the published survey values (standard error ``se``);
    ``periods``: the years one value pools where that is not one; ``missing``: the ids
    of indicators whose series has no rows; ``sources``: per indicator with rows, the
    rows' ``kilde`` (each distinct one, joined by "; ").
    """

    counts: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=COUNTS_SCHEMA))
    estimates: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=ESTIMATES_SCHEMA))
    periods: dict[str, int] = field(default_factory=dict)
    missing: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    sources: dict[str, str] = field(default_factory=dict)


def _where(rows: pl.DataFrame) -> str:
    """'sundhedsprofil.csv lines 4, 9' for the first few rows."""
    if rows.is_empty():
        return ""
    first = rows.head(MAX_EXAMPLES)
    paths = sorted(set(first[FILE].to_list()))
    files = ", ".join(path.rsplit("/", 1)[-1] for path in paths)
    lines = ", ".join(str(n) for n in first[ROW].to_list())
    return f"{files} {line_word(paths[0])}{'s' if first.height > 1 else ''} {lines}"


def _refuse(indicator: Indicator, rows: pl.DataFrame, problem: str, hint: str) -> InputError:
    return InputError(
        f"aggregate rows of '{indicator.series}' ({indicator.id}): {problem} "
        f"({rows.height} row{'s' if rows.height > 1 else ''}; {_where(rows)}).",
        hint=hint,
    )


def _with_bounds(frame: pl.DataFrame) -> pl.DataFrame:
    """Period and age bounds as numbers: ``first_year, year, age_low, age_high``."""
    return frame.with_columns(
        first_year=pl.col("periode").str.slice(0, 4).cast(pl.Int32),
        year=pl.col("periode").str.slice(-4, 4).cast(pl.Int32),
        age_low=pl.col("alder").str.extract(r"^(\d+)").cast(pl.Int32),
        age_high=pl.when(pl.col("alder").str.ends_with("+"))
        .then(pl.lit(None, dtype=pl.Int32))
        .otherwise(pl.col("alder").str.extract(r"(\d+)$").cast(pl.Int32)),
    )


def _sex_matches(indicator: Indicator) -> pl.Expr:
    if indicator.sex is None:
        return pl.col("koen").is_null()
    return pl.col("koen") == indicator.sex


def _whole_group(indicator: Indicator) -> pl.Expr:
    """Rows about the indicator's whole group: no age, or exactly its ages."""
    low, high = indicator.age_min or 0, indicator.age_max
    exact = pl.col("age_low") == low
    exact &= pl.col("age_high").is_null() if high is None else pl.col("age_high") == high
    return pl.col("alder").is_null() | exact


def prepare(
    aggregates: pl.DataFrame | None,
    indicators: Sequence[Indicator],
    kommuner: Sequence[int],
    years: tuple[int, ...],
) -> Published:
    """Read the rows of every aggregate indicator of ``indicators``; ``kommuner`` are the
    municipalities the extract covers, ``years`` its years."""
    readers = [i for i in indicators if i.series is not None]
    rows = _with_bounds(aggregates) if aggregates is not None else None
    counts, estimates, periods, missing, warnings = [], [], {}, [], []
    sources: dict[str, str] = {}
    for indicator in readers:
        own = None if rows is None else rows.filter(pl.col("indikator") == indicator.series)
        if own is None or own.is_empty():
            missing.append(indicator.id)
            continue
        sources[indicator.id] = "; ".join(sorted(own.get_column("kilde").unique().to_list()))
        settings = indicator.settings
        if isinstance(settings, ProjectionParams):
            found, said = _projection(indicator, settings, own, kommuner, years)
            counts.append(found)
        else:
            chosen = own.filter(_sex_matches(indicator), _whole_group(indicator))
            said = _outside_years(indicator, chosen, years)
            chosen = chosen.filter(_within(years))
            periods.update(_period(indicator, chosen))
            if isinstance(settings, AggregateCountParams):
                found, more = _counted(indicator, chosen, kommuner)
                counts.append(found)
                said += more
            elif isinstance(settings, SurveyParams):
                estimates.append(_estimates(indicator, chosen))
        warnings += said
    warnings += _unread(rows, readers)
    return Published(
        counts=pl.concat(counts) if counts else pl.DataFrame(schema=COUNTS_SCHEMA),
        estimates=pl.concat(estimates) if estimates else pl.DataFrame(schema=ESTIMATES_SCHEMA),
        periods=periods,
        missing=tuple(missing),
        warnings=tuple(warnings),
        sources=sources,
    )


def _within(years: tuple[int, ...]) -> pl.Expr:
    """Rows whose years (all the years a period pools) are among the registers' ``years``:
    the pack labels a value by the years it describes."""
    return pl.col("year").is_in(years) & (pl.col("first_year") >= years[0])


def _outside_years(indicator: Indicator, rows: pl.DataFrame, years: tuple[int, ...]) -> list[str]:
    outside = rows.filter(~_within(years))
    if outside.is_empty():
        return []
    return [
        f"aggregate rows of '{indicator.series}': {outside.height} row(s) for years outside the "
        f"registers' {years[0]}-{years[-1]} are not used ({_where(outside)})"
    ]


def _period(indicator: Indicator, rows: pl.DataFrame) -> dict[str, int]:
    """The years each value pools (one length for all the indicator's rows)."""
    lengths = rows.select(length=pl.col("year") - pl.col("first_year") + 1)["length"].unique()
    if lengths.len() > 1:
        raise _refuse(
            indicator,
            rows,
            "periods of different lengths",
            "Give every row of one indicator the same kind of period (one year, or the same "
            "number of years pooled), so that its values can be compared.",
        )
    length = int(lengths[0]) if lengths.len() else 1
    return {indicator.id: length} if length > 1 else {}


def _unread(rows: pl.DataFrame | None, readers: Sequence[Indicator]) -> list[str]:
    """One warning per series with rows that none of its indicators reads (by sex, age)."""
    if rows is None:
        return []
    warnings = []
    for series in sorted({i.series for i in readers if i.series is not None}):
        own = rows.filter(pl.col("indikator") == series)
        readers_of = [i for i in readers if i.series == series]
        if any(isinstance(i.settings, ProjectionParams) for i in readers_of):
            continue  # a projection reads every age group and sex of its year
        read = pl.lit(value=False)
        for indicator in readers_of:
            read |= _sex_matches(indicator) & _whole_group(indicator)
        unread = own.filter(~read)
        if not unread.is_empty():
            warnings.append(
                f"aggregate rows of '{series}': {unread.height} row(s) by sex or age group that "
                f"no catalogue entry reads are not used ({_where(unread)})"
            )
    return warnings


def _estimates(indicator: Indicator, rows: pl.DataFrame) -> pl.DataFrame:
    """Published values with the standard error their 95 % interval implies."""
    lacking = rows.filter(
        pl.col("vaerdi").is_null() | pl.col("nedre").is_null() | pl.col("oevre").is_null()
    )
    if not lacking.is_empty():
        raise _refuse(
            indicator,
            lacking,
            "a survey estimate needs its value and 95 % interval (vaerdi, nedre, oevre)",
            "Copy the publisher's confidence interval into nedre and oevre.",
        )
    z = float(ndtri(0.5 + PUBLISHED_LEVEL / 2))
    return rows.select(
        indicator_id=pl.lit(indicator.id),
        area_level=pl.col("niveau"),
        area_code=pl.col("kode"),
        year=pl.col("year"),
        value=pl.col("vaerdi"),
        se=(pl.col("oevre") - pl.col("nedre")) / (2 * z),
        lower=pl.col("nedre"),
        upper=pl.col("oevre"),
        denominator=pl.col("grundlag"),
    ).cast(ESTIMATES_SCHEMA)


def _municipal(indicator: Indicator, rows: pl.DataFrame) -> tuple[pl.DataFrame, list[str]]:
    """The rows per municipality; rows of other levels are not used (the tool sums)."""
    other = rows.filter(pl.col("niveau") != "kommune")
    said = []
    if not other.is_empty():
        said.append(
            f"aggregate rows of '{indicator.series}': {other.height} row(s) for other areas than "
            "municipalities are not used; the tool sums the municipalities' numbers "
            f"({_where(other)})"
        )
    return rows.filter(pl.col("niveau") == "kommune"), said


def _covered(
    indicator: Indicator, found: pl.DataFrame, kommuner: Sequence[int], what: str
) -> tuple[pl.DataFrame, list[str]]:
    """Keep the years in which every covered municipality has a row; say which are left out."""
    said = []
    kept = []
    for (year,), part in found.group_by("year", maintain_order=True):
        lacking = sorted(set(kommuner) - set(part["kommunekode"].to_list()))
        if lacking:
            shown = ", ".join(str(k) for k in lacking[:MAX_EXAMPLES])
            said.append(
                f"aggregate rows of '{indicator.series}': {what} {year} has no row for "
                f"{len(lacking)} of the extract's municipalities (e.g. {shown}), so "
                f"{indicator.id} is left out for {year}: a sum without them would be wrong"
            )
        else:
            kept.append(part)
    empty = found.clear()
    return (pl.concat(kept) if kept else empty), said


def _counted(
    indicator: Indicator, rows: pl.DataFrame, kommuner: Sequence[int]
) -> tuple[pl.DataFrame, list[str]]:
    """A user's counts per municipality and year."""
    municipal, said = _municipal(indicator, rows)
    lacking = municipal.filter(pl.col("antal").is_null() | pl.col("grundlag").is_null())
    if not lacking.is_empty():
        raise _refuse(
            indicator,
            lacking,
            "a counted indicator needs antal and grundlag in every row",
            "Give the count (antal) and the persons it is counted among (grundlag); the tool "
            "computes the value, its interval and the areas' sums.",
        )
    found = municipal.select(
        indicator_id=pl.lit(indicator.id),
        kommunekode=pl.col("kode").cast(pl.Int32),
        year=pl.col("year"),
        x=pl.col("antal"),
        n=pl.col("grundlag"),
    ).cast(COUNTS_SCHEMA)
    kept, more = _covered(indicator, found, kommuner, "the year")
    return kept, said + more


def _projection(
    indicator: Indicator,
    settings: ProjectionParams,
    rows: pl.DataFrame,
    kommuner: Sequence[int],
    years: tuple[int, ...],
) -> tuple[pl.DataFrame, list[str]]:
    """Projected persons of the group ``horizon`` years after the last year, per municipality
    (in that last year's row, the year the projection looks ahead from)."""
    base = years[-1]
    target = base + settings.horizon
    municipal, said = _municipal(indicator, rows.filter(pl.col("year") == target))
    _no_overlaps(indicator, municipal)
    low, high = indicator.age_min or 0, indicator.age_max
    ages_low = pl.col("age_low").fill_null(0)
    inside = ages_low >= low
    if high is not None:
        inside &= pl.col("age_high").is_not_null() & (pl.col("age_high") <= high)
    touches = pl.col("age_high").is_null() | (pl.col("age_high") >= low)
    if high is not None:
        touches &= ages_low <= high
    straddling = municipal.filter(touches & ~inside)
    if not straddling.is_empty():
        group = indicator.age_group or "alle aldre"
        raise _refuse(
            indicator,
            straddling,
            f"age groups that lie partly inside the indicator's group ({group})",
            "Give the projection by single years of age or by 5-year groups (0-4, 5-9, ..., "
            "95+), so that every group lies inside or outside 65+ and 80+.",
        )
    chosen = municipal.filter(inside)
    if indicator.sex is not None:
        chosen = chosen.filter(pl.col("koen") == indicator.sex)
    found = (
        chosen.group_by(kommunekode=pl.col("kode").cast(pl.Int32))
        .agg(x=pl.col("vaerdi").sum())
        .select(
            indicator_id=pl.lit(indicator.id),
            kommunekode="kommunekode",
            year=pl.lit(base),
            x=pl.col("x").round().cast(pl.Int64),
            n=pl.lit(None, dtype=pl.Int64),
        )
        .cast(COUNTS_SCHEMA)
        .sort("kommunekode")
    )
    if municipal.is_empty():
        return found, [
            *said,
            f"aggregate rows of '{indicator.series}': no rows for {target}, so "
            f"{indicator.id} ({settings.horizon} years after {base}) is left out",
        ]
    kept, more = _covered(indicator, found, kommuner, f"the projection for {target}, year")
    return kept, said + more


def _no_overlaps(indicator: Indicator, rows: pl.DataFrame) -> None:
    """Refuse rows that count the same persons twice: overlapping age groups of one sex,
    or a row for both sexes beside rows for each."""
    keyed = rows.with_columns(
        age_low=pl.col("age_low").fill_null(0), sexed=pl.col("koen").is_not_null()
    )
    mixed = keyed.group_by("kode").agg(pl.col("sexed").n_unique().alias("kinds"))
    both = keyed.join(mixed.filter(pl.col("kinds") > 1), on="kode", how="semi")
    previous = pl.col("age_high").shift(1).over("kode", "koen", order_by="age_low")
    first = pl.col("age_low").rank("ordinal").over("kode", "koen") == 1
    overlapping = keyed.filter(~first & (previous.is_null() | (previous >= pl.col("age_low"))))
    offending = pl.concat([both, overlapping]).unique(subset=[FILE, ROW]).sort(FILE, ROW)
    if not offending.is_empty():
        raise _refuse(
            indicator,
            offending,
            "rows that count the same persons twice (overlapping age groups, or a row for "
            "both sexes beside rows for each)",
            "Give each municipality and year one row per sex and age group, with age groups "
            "that do not overlap.",
        )


def published_for(
    befolkning: pl.LazyFrame, aggregates: pl.LazyFrame | None, indicators: Sequence[Indicator]
) -> Published:
    """:func:`prepare` for an extract: its municipalities and years read from
    ``befolkning``; nothing is read when no indicator reads aggregate rows."""
    if not any(i.series for i in indicators):
        return Published()
    grid = befolkning.select("aar", "kommunekode").unique().collect()
    return prepare(
        aggregates.collect() if aggregates is not None else None,
        indicators,
        sorted(grid["kommunekode"].unique().to_list()),
        tuple(sorted(grid["aar"].unique().to_list())),
    )


def with_aggregate_checks(
    report: Report,
    befolkning: pl.LazyFrame,
    aggregates: pl.LazyFrame | None,
    indicators: Sequence[Indicator],
) -> Report:
    """``report`` with what reading the aggregate rows for ``indicators`` finds: the error
    that would stop a build, or the warnings a build gives (``datapakke validate``)."""
    try:
        published = published_for(befolkning, aggregates, indicators)
    except InputError as error:
        found = [Finding(Severity.ERROR, TABLE_NAME, error.message, hint=error.hint)]
    else:
        found = [Finding(Severity.WARNING, TABLE_NAME, w) for w in published.warnings]
    return replace(report, findings=(*report.findings, *found))
