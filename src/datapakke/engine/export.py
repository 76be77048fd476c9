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
from datapakke.engine.reader_texts import admission_definition
from datapakke.engine.settings import ComputeSettings
from datapakke.engine.standard import standard_description
from datapakke.engine.table import INDICATOR_TABLE_SCHEMA
from datapakke.inputs.provenance import Provenance
from datapakke.numbers import niveau


def contract_table(results: Results) -> pl.DataFrame:
    """The IndicatorTable with exactly the contract's columns, in order."""
    return results.indicators.select(
        pl.col(name).cast(dtype) for name, dtype in INDICATOR_TABLE_SCHEMA.items()
    )


def definitions(
    catalogue: Catalogue,
    settings: ComputeSettings | None = None,
    provenance: Provenance | None = None,
) -> pl.DataFrame:
    """One row per indicator: what it is, how it is computed (intervals at the settings'
    level, the standard population and its year), from which data; for indicators on
    hospital contacts, how admissions are defined in these data."""
    settings = settings or ComputeSettings()
    standard = standard_description(settings.standard, settings.standard_year)
    admissions = admission_definition(provenance)
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
            "admissions": admissions if admissions and "kontakter" in i.tables else None,
        }
        for i in catalogue.indicators
    ]
    return pl.DataFrame(rows, schema_overrides={"admissions": pl.String})


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
        ("missing_aggregates", ", ".join(results.missing_aggregates) or "none"),
        ("area_set", results.area_set),
        (
            "coverage",
            "whole country"
            if coverage is None or coverage.complete
            else "areas: " + ", ".join(coverage.areas),
        ),
    ]
    provenance = results.provenance
    if provenance is not None:
        pairs += [(f"source_{table}", layout) for table, layout in provenance.layouts.items()]
        threshold = results.settings.min_count
        left_out: dict[str, list[str]] = {}
        for item in provenance.left_out:
            count = _at_least(item.persons, threshold)
            left_out.setdefault(item.table, []).append(f"persons {item.what}: {count}")
        pairs += [(f"left_out_{table}", "; ".join(items)) for table, items in left_out.items()]
    return pl.DataFrame(pairs, schema={"setting": pl.String, "value": pl.String}, orient="row")


def _at_least(count: int, threshold: int) -> str:
    """A count of persons as it may be published: under the threshold it is '<threshold'."""
    return f"<{threshold}" if 0 < count < threshold else str(count)
