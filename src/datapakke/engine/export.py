"""Write the suppressed IndicatorTable as CSV, Parquet or Excel: the machine-readable contract.

The columns and their order are ``indicators.table.INDICATOR_TABLE_SCHEMA``; values
are written at full precision (rounding is for readers, not for files). The
Excel workbook has a sheet per theme, a definitions sheet generated from the
catalogue and a sheet with the settings the numbers were computed with.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Final

import polars as pl
import xlsxwriter  # type: ignore[import-untyped]

from datapakke import __version__
from datapakke.engine.catalogue import POLARITY_LABELS, Catalogue, method_label
from datapakke.engine.compute import Results
from datapakke.engine.settings import ComputeSettings
from datapakke.engine.standard import standard_description
from datapakke.engine.table import INDICATOR_TABLE_SCHEMA
from datapakke.errors import InputError
from datapakke.files import atomic_path
from datapakke.numbers import niveau

FORMATS: Final = (".csv", ".parquet", ".xlsx")
# Excel limits a sheet name to 31 characters.
_SHEET_NAME_LIMIT = 31


def contract_table(results: Results) -> pl.DataFrame:
    """The IndicatorTable with exactly the contract's columns, in order."""
    return results.indicators.select(
        pl.col(name).cast(dtype) for name, dtype in INDICATOR_TABLE_SCHEMA.items()
    )


def export_format(target: Path) -> str:
    """The format of ``target`` by its suffix (``.csv``, ``.parquet``, ``.xlsx``), or fail."""
    suffix = target.suffix.lower()
    if suffix not in FORMATS:
        raise InputError(
            f"{target}: cannot tell the format from '{target.suffix or '(no suffix)'}'.",
            hint=f"End --out with one of {', '.join(FORMATS)}.",
        )
    return suffix


def export_results(results: Results, target: Path) -> Path:
    """Write the table to ``target``; the format follows its suffix. Atomic: all or nothing."""
    suffix = export_format(target)
    table = contract_table(results)
    with atomic_path(target) as temporary:
        if suffix == ".csv":
            table.write_csv(temporary)
        elif suffix == ".parquet":
            table.write_parquet(temporary)
        else:
            _write_workbook(table, results, temporary)
    return target


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
        (
            "coverage",
            "whole country"
            if coverage is None or coverage.complete
            else "clusters: " + ", ".join(coverage.klynger),
        ),
    ]
    return pl.DataFrame(pairs, schema={"setting": pl.String, "value": pl.String}, orient="row")


def _write_workbook(table: pl.DataFrame, results: Results, path: Path) -> None:
    with xlsxwriter.Workbook(str(path)) as workbook:
        for theme in results.catalogue.themes:
            rows = table.filter(pl.col("theme") == theme.id)
            rows.write_excel(
                workbook=workbook,
                worksheet=theme.id[:_SHEET_NAME_LIMIT],
                autofit=True,
                float_precision=6,
            )
        definitions(results.catalogue, results.settings).write_excel(
            workbook=workbook, worksheet="definitions", autofit=True
        )
        settings_table(results).write_excel(workbook=workbook, worksheet="settings", autofit=True)
