"""The machine-readable contract of ``datapakke export``: the suppressed IndicatorTable with
exactly its columns, the definitions of its indicators, and the settings behind it.

The columns and their order are ``engine.table.INDICATOR_TABLE_SCHEMA``; values are
kept at full precision (rounding is for readers, not for files). ``run.export``
writes them as CSV, Parquet or an Excel workbook.
"""

from __future__ import annotations

import json

import polars as pl

from datapakke import __version__
from datapakke.engine.catalogue import POLARITY_LABELS, Catalogue, method_label
from datapakke.engine.compute import Results
from datapakke.engine.settings import ComputeSettings
from datapakke.engine.standard import standard_description
from datapakke.engine.table import INDICATOR_TABLE_SCHEMA
from datapakke.numbers import niveau


def contract_table(results: Results) -> pl.DataFrame:
    """The IndicatorTable with exactly the contract's columns, in order."""
    return results.indicators.select(
        pl.col(name).cast(dtype) for name, dtype in INDICATOR_TABLE_SCHEMA.items()
    )


def definitions(catalogue: Catalogue, settings: ComputeSettings | None = None) -> pl.DataFrame:
    """One row per indicator: what it is, how it is computed (intervals at the settings'
    level, the standard population and its year), from which data."""
    settings = settings or ComputeSettings()
    standard = standard_description(settings.standard, settings.standard_year)
    rows = [
        {
            "indicator_id": i.id,
            "title": i.title,
            "theme": i.theme,
            "definition": i.definition,
            "method": i.method,
            "method_text": method_label(i.method, niveau(settings.level))
            + (f"; standardbefolkning: {standard}" if i.method == "rate_standardised" else ""),
            "unit": i.unit,
            "polarity": i.polarity,
            "polarity_text": POLARITY_LABELS[i.polarity],
            "age_group": i.age_group or "alle aldre",
            "sex": i.sex or "begge køn",
            "kind": i.kind,
            "tables": ", ".join(i.tables),
            "params": json.dumps(i.params, ensure_ascii=False, sort_keys=True),
            "source": i.source,
        }
        for i in catalogue.indicators
    ]
    return pl.DataFrame(rows)


def settings_table(results: Results) -> pl.DataFrame:
    """The settings and provenance of the numbers, as key/value rows."""
    coverage = results.coverage
    pairs = [
        ("datapakke_version", __version__),
        ("catalogue_version", results.catalogue.version),
        ("catalogue_sha256", results.catalogue.sha256),
        ("standard", results.settings.standard),
        ("standard_year", str(results.settings.standard_year or "")),
        ("min_count", str(results.settings.min_count)),
        ("confidence_level", str(results.settings.level)),
        ("trend_confidence_level", str(results.settings.trend_level)),
        ("years", ", ".join(str(y) for y in results.years)),
        ("missing_tables", ", ".join(results.missing_tables) or "none"),
        ("area_set", results.area_set),
        (
            "coverage",
            "whole country"
            if coverage is None or coverage.complete
            else "areas: " + ", ".join(coverage.areas),
        ),
    ]
    return pl.DataFrame(pairs, schema={"setting": pl.String, "value": pl.String}, orient="row")
