"""``datapakke export``: the IndicatorTable after disclosure control as CSV, Parquet or Excel.

CSV and Parquet are the machine-readable contract, at full precision, a hidden
value empty with its reason in ``flag``; the Excel workbook (``workbook``) is for
people. CSV and Parquet hold the single years only: their key is indicator, area and
year. Every file is written atomically: all or nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

from datapakke.engine.compute import Results
from datapakke.engine.export import contract_table
from datapakke.errors import UsageError
from datapakke.files import atomic_path
from datapakke.run.settings import CSV_DIALECTS

FORMATS: Final = (".csv", ".parquet", ".xlsx")


def export_format(target: Path) -> str:
    """The format of ``target`` by its suffix (``.csv``, ``.parquet``, ``.xlsx``), or fail."""
    suffix = target.suffix.lower()
    if suffix not in FORMATS:
        raise UsageError(
            f"{target}: cannot tell the format from '{target.suffix or '(no suffix)'}'.",
            hint=f"End --out with one of {', '.join(FORMATS)}.",
        )
    return suffix


def export_results(results: Results, target: Path, *, csv_dialect: str = "standard") -> Path:
    """Write the table to ``target`` in the format its suffix names; CSV in ``csv_dialect``
    (a key of ``CSV_DIALECTS``)."""
    suffix = export_format(target)
    table = contract_table(results)
    with atomic_path(target) as temporary:
        if suffix == ".csv":
            dialect = CSV_DIALECTS[csv_dialect]
            table.write_csv(
                temporary, separator=dialect.separator, decimal_comma=dialect.decimal_comma,
                include_bom=dialect.bom,
            )  # fmt: skip
        elif suffix == ".parquet":
            table.write_parquet(temporary)
        else:
            # Imported here: the workbook's writer and the pack's words cost an export to
            # CSV or Parquet a quarter of a second of imports it does not use.
            from datapakke.run.workbook import write_workbook

            write_workbook(table, results, temporary)
    return target
