"""The theme overview: every indicator of a theme for every area of the pack, in one table.

Like the barometer of FHI's folkehelseprofiler: one glance shows where the area's
parts (municipalities, or a region's clusters) differ significantly from the country.
A cell names its verdict in a word only when it differs, so that the differences
stand out and the table also reads in black and white.
"""

from __future__ import annotations

from collections.abc import Sequence

from datapakke.engine.catalogue import Indicator
from datapakke.pack.context import PackContext
from datapakke.pack.labels import SIGNIFICANT, VERDICT, unit_label, value_text
from datapakke.pack.model import DataTable, Matrix, MatrixCell, MatrixRow, TableColumn
from datapakke.pack.text import join_names, upper_first


def theme_matrix(ctx: PackContext, theme_id: str, indicators: Sequence[Indicator]) -> Matrix | None:
    """The overview of a theme's indicators that have data, or None when none has."""
    shown = [i for i in indicators if ctx.has(i.id)]
    if not shown:
        return None
    kommuner = ctx.parts
    areas = (*kommuner, ctx.area, *ctx.parents, ctx.country)
    rows: list[MatrixRow] = []
    flags: set[str] = set()
    numbers: list[tuple[object, ...]] = []
    for indicator in shown:
        year = ctx.indicator_years(indicator.id)[-1]
        cells = []
        values: list[object] = []
        for area in areas:
            row = ctx.row(indicator.id, area, year)
            text = value_text(row, indicator, ctx.threshold)
            if row is None or row["value"] is None:
                flags.add(row["flag"] if row is not None else "not_available")
                cells.append(MatrixCell(text, "not_compared", ""))
                values.append(text)
                continue
            values.append(row["value"])
            comparison = row["comparison"] if indicator.compared else "not_compared"
            if area.level == "land":
                comparison = "not_compared"
            verdict = VERDICT[comparison] if comparison in SIGNIFICANT else ""
            cells.append(MatrixCell(text, comparison if verdict else "similar", verdict))
        unit = unit_label(indicator) + ("" if year == ctx.last_year else f", {year}")
        rows.append(MatrixRow(indicator.id, indicator.display_title, unit, tuple(cells)))
        numbers.append((indicator.display_title, unit, year, *values))
    notes = tuple(ctx.footnote(f) for f in sorted(flags) if ctx.footnote(f))
    # Short headers keep the columns narrow; the caption names the area and those around it.
    around = (upper_first(ctx.geography.words(p.level).bestemt) for p in ctx.parents)
    columns = (*(k.name for k in kommuner), upper_first(ctx.words.bestemt), *around, "Hele landet")
    named = [f"{ctx.words.genitiv} {ctx.part_words.flertal}"] if kommuner else []
    return Matrix(
        id=f"oversigt-{theme_id}",
        caption=f"Temaets indikatorer i {ctx.last_year} for "
        + join_names([*named, ctx.area.name, *(p.name for p in ctx.parents), "hele landet"]),
        columns=columns,
        emphasised_column=len(kommuner),
        rows=tuple(rows),
        notes=notes,
        table=DataTable(
            columns=(
                TableColumn("Indikator"),
                TableColumn("Enhed"),
                TableColumn("År", plain=True),
                *(TableColumn(name) for name in columns),
            ),
            rows=tuple(numbers),  # type: ignore[arg-type]
            row_decimals=tuple(i.decimals for i in shown),
        ),
    )
