"""Run the catalogue over the extract: every indicator, area and year in one shared pass.

The flow: the shared intermediates (``Sources``) are built once; each catalogue
entry's kind counts persons or events per municipality, year, age and sex from
them, and the counts are collapsed to the method's strata at once, all
indicators in one ``pl.collect_all``. The strata (small, integer, exact in any
order) are rolled up to every area and sorted; from there every float sum runs
on the in-memory engine over rows in that fixed order, so the same input gives
the same bits on any number of threads. Disclosure control is applied to the
collected table, once, before comparisons and trends are derived from what may
be published; nothing downstream ever sees an unsuppressed small count.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from datapakke.engine import estimates
from datapakke.engine.aggregate import AREA, roll_up_strata, stratify
from datapakke.engine.catalogue import GUARDED_METHODS, Catalogue, Indicator, load_catalogue
from datapakke.engine.compare import (
    add_comparisons,
    add_trends,
    area_regions,
    indicator_traits,
)
from datapakke.engine.disclosure import WITHDRAWN, suppress
from datapakke.engine.exact_cases import ProtectionError
from datapakke.engine.methods import ESTIMATORS, MethodInput
from datapakke.engine.pooled import POOLED_COLUMNS, POOLED_ESTIMATES, period_label, pooled_rows
from datapakke.engine.population_counts import population_by_band, population_structure
from datapakke.engine.projection import PROJECTION_SCHEMA, projection_table
from datapakke.engine.published import published_for
from datapakke.engine.registry import KINDS
from datapakke.engine.relations import derive_relations
from datapakke.engine.settings import ComputeSettings
from datapakke.engine.sources import Counts, Sources
from datapakke.engine.standard import with_standard_year
from datapakke.engine.survey import survey_rows
from datapakke.engine.table import INDICATOR_TABLE_SCHEMA
from datapakke.errors import InputError
from datapakke.geography import Geography
from datapakke.inputs.provenance import Provenance
from datapakke.inputs.read import Extract, read_extract
from datapakke.inputs.schema import TABLES

# Columns of Results.indicators beyond the export contract.
EXTRA_COLUMNS = pl.Schema({"comparison_region": pl.String()})
# Results.pooled: the same columns, then the pooled period.
POOLED_SCHEMA = pl.Schema({**INDICATOR_TABLE_SCHEMA, **EXTRA_COLUMNS, **POOLED_COLUMNS})


@dataclass(frozen=True)
class Coverage:
    """Which municipalities and areas of the area set the data cover.

    ``kommuner``: municipalities with persons in ``befolkning``; ``areas``: areas of the
    set all of whose municipalities are covered; ``partial_areas``: areas covered in
    part; ``complete``: every municipality of the country is covered, so the national
    comparison is a comparison with the whole country.
    """

    kommuner: tuple[int, ...]
    areas: tuple[str, ...]
    partial_areas: tuple[str, ...]
    complete: bool


@dataclass(frozen=True)
class Results:
    """Everything a pack or an export is drawn from.

    ``indicators`` is the suppressed IndicatorTable (contract columns, then
    ``comparison_region``); ``population`` holds persons per area, year, age band and
    sex (public register counts, for the population pyramid); ``settings`` are those
    used, with the national standard's year filled in. ``pooled`` holds, for the
    indicators with ``pool_small_areas``, one row per area pooling the latest years
    (``first_year`` .. ``year``, labelled in ``period``: "2020-2024 samlet"), in
    ``POOLED_SCHEMA``, published by the same disclosure control (``trend`` is
    ``not_computed``; ``comparison`` is with the country's pooled value). A municipality
    whose single years are hidden is shown by its pooled row where it has one.
    ``provenance`` says where the tables came from (and so how admissions are defined)
    and what policies left out.
    ``area_set`` names the area set the areas come from (``Geography.area_set.source``).
    ``missing_aggregates``: the indicators whose aggregate rows the extract lacks;
    ``periods``: the years one value of an aggregate indicator pools, where not one;
    ``warnings``: aggregate rows that were not used, and why. ``projection``: the
    population projection per area, age group and horizon beside the registers'
    persons now (``engine.projection``, docs/aggregates.md); empty when none was supplied.
    """

    indicators: pl.DataFrame
    population: pl.DataFrame
    years: tuple[int, ...]
    catalogue: Catalogue = field(default_factory=load_catalogue)
    settings: ComputeSettings = field(default_factory=ComputeSettings)
    coverage: Coverage | None = None
    missing_tables: tuple[str, ...] = ()
    pooled: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=POOLED_SCHEMA))
    provenance: Provenance | None = None
    area_set: str = ""
    missing_aggregates: tuple[str, ...] = ()
    periods: Mapping[str, int] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    projection: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=PROJECTION_SCHEMA))

    @property
    def unavailable_indicators(self) -> tuple[str, ...]:
        """Ids of the indicators that need a table or aggregate rows the extract lacks."""
        missing = set(self.missing_tables)
        return tuple(
            i.id
            for i in self.catalogue.indicators
            if missing & set(i.tables) or i.id in self.missing_aggregates
        )


def compute(
    extract: Extract,
    geography: Geography,
    catalogue: Catalogue | None = None,
    settings: ComputeSettings | None = None,
) -> Results:
    """Compute the suppressed IndicatorTable and the population structure."""
    catalogue = catalogue or load_catalogue()
    settings = settings or ComputeSettings()
    membership = geography.membership()
    missing = tuple(name for name in TABLES if not extract.has(name))
    available = [i for i in catalogue.indicators if not set(i.tables) & set(missing)]
    published = published_for(extract.table("befolkning"), extract.aggregates, available)
    catalogue = catalogue.with_sources(published.sources)
    available = [catalogue.get(i.id) for i in available if i.id not in published.missing]

    counted = [i for i in available if KINDS[i.kind].counts is not None]
    sources = Sources(extract, counted, published.counts)
    population = (
        population_structure(population_by_band(sources.population.lazy()), membership)
        .collect()
        .sort("area_level", "area_code", "year", "aldersgruppe", "koen")
    )
    years = tuple(sorted(population.get_column("year").unique().to_list()))
    settings = with_standard_year(settings, years)
    estimated, pooled = _estimate(sources, counted, membership, settings, years)
    surveyed = survey_rows(
        published, available, membership, _group_sizes(sources, available), settings.level
    )
    rows = pl.concat([estimated, surveyed])
    raw = _assemble(rows, population.lazy(), [i.id for i in catalogue.indicators])
    both = pl.concat(
        [
            raw.with_columns(pooled=pl.lit(value=False), first_year=pl.col("year")),
            pooled.with_columns(pooled=pl.lit(value=True)),
        ],
        how="diagonal_relaxed",
    )
    # A fixed row order makes every tie in secondary suppression break the same way.
    collected = (
        both.join(_row_traits(catalogue, available).lazy(), on="indicator_id", how="left")
        .collect(engine="in-memory")
        .sort("pooled", "indicator_id", "area_level", "area_code", "year")
    )
    try:
        suppressed = suppress(
            collected, membership, settings.min_count, derive_relations(catalogue, available)
        )
    except ProtectionError as error:
        raise InputError(
            f"Disclosure control cannot protect these indicators together: {error}.",
            hint="Remove the overlapping age groups or code lists from the catalogue.",
        ) from error
    traits = indicator_traits(catalogue)
    regions = area_regions(membership)
    single_years = suppressed.filter(~pl.col("pooled"))
    table = add_trends(
        add_comparisons(single_years, traits, regions),
        traits,
        settings.level,
        settings.trend_level,
    )
    published_pools = add_comparisons(
        suppressed.filter("pooled", pl.col("flag") != WITHDRAWN), traits, regions
    ).with_columns(
        trend=pl.lit("not_computed"),
        period=period_label(pl.col("first_year"), pl.col("year")),
    )
    table = _in_catalogue_order(
        table, catalogue, geography, {**INDICATOR_TABLE_SCHEMA, **EXTRA_COLUMNS}
    )
    return Results(
        indicators=table,
        pooled=_in_catalogue_order(published_pools, catalogue, geography, POOLED_SCHEMA),
        population=population,
        years=years,
        catalogue=catalogue,
        settings=settings,
        coverage=_coverage(population, geography),
        missing_tables=missing,
        provenance=extract.provenance,
        area_set=geography.area_set.source,
        missing_aggregates=published.missing,
        periods=published.periods,
        warnings=published.warnings,
        projection=projection_table(table, sources, available, membership, years[-1])
        if years
        else pl.DataFrame(schema=PROJECTION_SCHEMA),
    )


def _group_sizes(sources: Sources, indicators: Sequence[Indicator]) -> pl.DataFrame:
    """Persons in each survey indicator's group per municipality and year (its weights)."""
    surveyed = [i for i in indicators if i.method == "survey"]
    frames = [
        sources.population_in(i)
        .group_by("kommunekode", "year")
        .agg(w=pl.col("n").sum().cast(pl.Float64))
        .with_columns(indicator_id=pl.lit(i.id))
        for i in surveyed
    ]
    empty = pl.LazyFrame(
        schema={
            "kommunekode": pl.Int32,
            "year": pl.Int32,
            "w": pl.Float64,
            "indicator_id": pl.String,
        }
    )
    return pl.concat([empty, *frames], how="vertical_relaxed").collect()


def load_results(
    data: Path,
    geography: Geography,
    settings: ComputeSettings | None = None,
    catalogue: Path | None = None,
    *,
    mapping: Path | None = None,
    on_stage: Callable[[str], None] = lambda _stage: None,
) -> tuple[Extract, Results]:
    """Read and validate the extract in ``data``, then compute every indicator for every area.

    Invalid data raise InputError carrying the same report as ``datapakke validate``.
    ``catalogue`` is a user's catalogue file (default: the bundled one); ``mapping`` a
    mapping file for deliveries no layout covers; ``on_stage`` hears each stage as it
    starts.
    """
    chosen = load_catalogue(catalogue)
    on_stage("Reading and checking the extract")
    extract = read_extract(
        data,
        geography,
        needed_by=chosen.indicators_by_table(),
        series_needed=chosen.indicators_by_series(),
        mapping=mapping,
    )
    on_stage("Computing the indicators")
    return extract, compute(extract, geography, chosen, settings)


def _in_catalogue_order(
    table: pl.DataFrame,
    catalogue: Catalogue,
    geography: Geography,
    schema: Mapping[str, pl.DataType],
) -> pl.DataFrame:
    order = {i.id: n for n, i in enumerate(catalogue.indicators)}
    level_order = {level: n for n, level in enumerate(geography.levels)}
    return table.sort(
        pl.col("indicator_id").replace_strict(order, return_dtype=pl.Int32),
        pl.col("area_level").replace_strict(level_order, return_dtype=pl.Int8),
        "area_code",
        "year",
    ).select(pl.col(n).cast(t) for n, t in schema.items())


def _estimate(
    sources: Sources,
    indicators: Sequence[Indicator],
    membership: pl.DataFrame,
    settings: ComputeSettings,
    years: Sequence[int],
) -> tuple[pl.LazyFrame, pl.LazyFrame]:
    """Area rows of every available indicator: counts, strata, roll-up, then the method;
    and the pooled rows of those with ``pool_small_areas``.

    Everything up to the rolled-up strata is integer counting (exact whatever the
    order), collected together; the strata are then sorted, and the methods' float
    arithmetic runs on the in-memory engine over that fixed order.
    """
    if not indicators:
        return pl.LazyFrame(schema=estimates.ESTIMATE_SCHEMA), pl.LazyFrame(schema=POOLED_ESTIMATES)
    per_indicator = pl.collect_all(
        [stratify(_counts(sources, i), i, settings.standard) for i in indicators]
    )
    rolled = roll_up_strata(pl.concat(per_indicator), membership)
    present = rolled.lazy().select("year").unique().sort("year")
    parts = []
    for method in sorted({i.method for i in indicators}):
        chosen = [i for i in indicators if i.method == method]
        subset = rolled.filter(pl.col("indicator_id").is_in([i.id for i in chosen]))
        parts.append(ESTIMATORS[method](MethodInput(subset.lazy(), chosen, settings, present)))
    return pl.concat(parts), pooled_rows(rolled, indicators, years, settings)


def _counts(sources: Sources, indicator: Indicator) -> Counts:
    counts = KINDS[indicator.kind].counts
    if counts is None:  # pragma: no cover - only counted kinds reach here
        raise ValueError(f"{indicator.id}: kind '{indicator.kind}' has no counts")
    return counts(sources, indicator)


def _assemble(rows: pl.LazyFrame, structure: pl.LazyFrame, ids: list[str]) -> pl.LazyFrame:
    """Every catalogue indicator for every area with data and every data year: rectangular.

    An area-year the method produced no row for (no persons with KOL in a small
    municipality, a table the extract lacks) is ``not_available``.
    """
    areas = structure.select(*AREA).unique().join(structure.select("year").unique(), how="cross")
    return (
        areas.join(
            pl.LazyFrame({"indicator_id": ids}, schema={"indicator_id": pl.String}), how="cross"
        )
        .join(rows, on=["indicator_id", *AREA, "year"], how="left")
        .with_columns(pl.col("flag").fill_null("not_available"))
    )


def _row_traits(catalogue: Catalogue, available: Sequence[Indicator]) -> pl.DataFrame:
    """Per indicator: theme, unit and the disclosure flags of its rows."""
    return pl.DataFrame(
        {
            "indicator_id": [i.id for i in catalogue.indicators],
            "theme": [i.theme for i in catalogue.indicators],
            "unit": [i.unit for i in catalogue.indicators],
            "suppressible": [i.method in GUARDED_METHODS for i in catalogue.indicators],
            "sensitive_denominator": [
                KINDS[i.kind].sensitive_denominator for i in catalogue.indicators
            ],
        },
        schema={
            "indicator_id": pl.String,
            "theme": pl.String,
            "unit": pl.String,
            "suppressible": pl.Boolean,
            "sensitive_denominator": pl.Boolean,
        },
    )


def _coverage(population: pl.DataFrame, geography: Geography) -> Coverage:
    present = {
        int(code)
        for code in population.filter(pl.col("area_level") == "kommune")["area_code"].unique()
    }
    full = tuple(a.id for a in geography.areas.values() if set(a.kommunekoder) <= present)
    partial = tuple(
        a.id
        for a in geography.areas.values()
        if set(a.kommunekoder) & present and not set(a.kommunekoder) <= present
    )
    return Coverage(
        kommuner=tuple(sorted(present)),
        areas=full,
        partial_areas=partial,
        complete=present >= set(geography.kommuner),
    )
