"""BEF (population): period files of snapshots, to ``befolkning`` on 1 January.

A snapshot describes its ultimo date (``referencetid``); the December snapshot of
Y-1 is the population on 1 January of Y. The other snapshots are counted and left
unused. Without ``referencetid`` the file name gives the period (``bef202312`` is
December 2023; ``bef2023`` the month ``bef_year_file_month`` of 2023). ``koen`` 1/2
become M/K; the policies leave out unknown sex, Christiansø and pre-2007 codes.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import polars as pl

from datapakke.inputs.findings import MAX_EXAMPLES, FileSummary
from datapakke.inputs.registers.detect import Delivery
from datapakke.inputs.registers.policies import (
    REASON,
    bef_policies,
    count_left_out,
    left_out_text,
    reason_of,
)
from datapakke.inputs.registers.raw import (
    FILE,
    PERIOD,
    Context,
    Derived,
    column,
    raw_table,
    read_raw,
)
from datapakke.inputs.registers.settings import RegisterSettings
from datapakke.inputs.schema import BEFOLKNING, Table

MONTHS = ("", "January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")  # fmt: skip


def bef_table(settings: RegisterSettings) -> Table:
    """BEF's columns as delivered."""
    return raw_table(
        "befolkning",
        "bef",
        [
            column("pnr", pl.String(), "person id", aliases=("cpr",)),
            column(
                "koen",
                pl.String(),
                "sex: 1 man, 2 woman, 9 unknown",
                allowed=("1", "2", *settings.leave_out_sex_codes),
            ),
            column(
                "foed_dag",
                pl.Date(),
                "date of birth",
                aliases=("fdato", "foed_dato"),
                not_in_future=True,
            ),
            column("kom", pl.Int32(), "municipality of residence", aliases=("kommunekode",)),
            column(
                "referencetid",
                pl.Date(),
                "the date the snapshot describes",
                optional=True,
                nullable=True,
                not_in_future=True,
            ),
        ],
    )


# What the delivered columns cannot show: a person twice in one year (a period file given
# twice), a birth after 1 January. Sex and municipality are checked as they are derived.
STILL_TO_CHECK = replace(
    BEFOLKNING,
    columns=tuple(BEFOLKNING.column(c) for c in ("pnr", "aar", "foed_dato")),
)
SNAPSHOT_ONLY = raw_table(
    "befolkning",
    "bef",
    [column("referencetid", pl.Date(), "snapshot date", optional=True, nullable=True)],
)


def _period_end(settings: RegisterSettings) -> pl.Expr:
    """The last day of the period a file name gives (YYYYMM, or YYYY: the default month)."""
    period = pl.col(PERIOD)
    year = period.str.slice(0, 4).cast(pl.Int32, strict=False)
    month = (
        pl.when(period.str.len_chars() == 6)
        .then(period.str.slice(4, 2).cast(pl.Int32, strict=False))
        .otherwise(pl.lit(settings.bef_year_file_month))
    )
    first = pl.date(year, month.clip(1, 12), 1)
    return first.dt.month_end()


def read_bef(deliveries: Sequence[Delivery], ctx: Context) -> Derived | None:
    """``befolkning`` from the BEF files, or None (the findings say why)."""
    settings = ctx.settings
    first_look = _files_with_the_snapshot(deliveries, ctx)
    if first_look is None:
        return None
    used, found = first_look
    raw = read_raw(used, bef_table(settings), ctx)
    if raw is None:
        return None
    framed = raw.with_columns(_snapshot(settings))
    unseen = [str(d.path) for d in used if str(d.path) not in set(found[FILE])]
    if unseen:  # CSV and SAS files: their snapshots are known only now
        more = framed.filter(pl.col(FILE).is_in(unseen)).group_by(FILE, "snapshot")
        found = pl.concat([found, more.agg(pl.len().alias("n")).collect()])
    if not _snapshots_known(found, ctx):
        return None
    _say_snapshots(found["snapshot"].unique().sort().to_list(), len(deliveries), ctx)
    municipalities = sorted(ctx.geography.kommuner)
    policies = bef_policies(settings, municipalities)
    december = framed.filter(pl.col("snapshot").dt.month() == settings.bef_snapshot_month).select(
        "pnr",
        (pl.col("snapshot").dt.year() + 1).cast(pl.Int32).alias("aar"),
        "koen",
        "foed_dag",
        "kom",
        "snapshot",
        reason_of(policies).alias(REASON),
    )
    stored = ctx.sink(december, "bef", "befolkning")
    if stored is None:
        return None
    left_out = count_left_out(stored, "befolkning", policies)
    if left_out:
        ctx.note("befolkning", "BEF: " + left_out_text(left_out))
    kept = stored.filter(pl.col(REASON).is_null())
    if not _municipalities_known(kept, municipalities, ctx):
        return None
    frame = kept.select(
        "pnr",
        "aar",
        pl.col("koen").replace_strict({"1": "M", "2": "K"}, return_dtype=pl.String),
        pl.col("foed_dag").alias("foed_dato"),
        pl.col("kom").alias("kommunekode"),
    )
    files = tuple(d.path for d in deliveries)
    excluded = stored.filter(pl.col(REASON).is_not_null()).select("pnr").unique()
    return Derived(
        "befolkning",
        "BEF",
        frame,
        files,
        left_out=tuple(left_out),
        excluded=excluded,
        remaining=STILL_TO_CHECK,
    )


def _snapshot(settings: RegisterSettings) -> pl.Expr:
    return pl.coalesce(pl.col("referencetid"), _period_end(settings)).alias("snapshot")


def _files_with_the_snapshot(
    deliveries: Sequence[Delivery], ctx: Context
) -> tuple[list[Delivery], pl.DataFrame] | None:
    """The files that hold the snapshot month (and the snapshots of the Parquet files, with
    their row counts); the other files are listed, counted and not read.

    A first pass reads only ``referencetid`` of the Parquet files (cheap: one column),
    so that the three other quarters' files are never checked row by row. CSV and SAS
    files are read whole (reading them twice would cost more than it saves).
    """
    settings = ctx.settings
    parquet = [d for d in deliveries if d.path.name.lower().endswith(".parquet")]
    periods = read_raw(parquet, SNAPSHOT_ONLY, ctx, summarise=False) if parquet else None
    if parquet and periods is None:
        return None
    found = pl.DataFrame(schema={FILE: pl.String, "snapshot": pl.Date, "n": pl.UInt32})
    if periods is not None:
        found = periods.group_by(FILE, _snapshot(settings)).agg(pl.len().alias("n")).collect()
    if not _snapshots_known(found, ctx):
        return None
    month = settings.bef_snapshot_month
    holding = set(found.filter(pl.col("snapshot").dt.month() == month)[FILE].to_list())
    used = []
    for delivery in deliveries:
        if delivery not in parquet or str(delivery.path) in holding:
            used.append(delivery)
            continue
        rows = int(found.filter(pl.col(FILE) == str(delivery.path))["n"].sum())
        kind = f"BEF bef, Parquet; no {MONTHS[month]} snapshot: not used"
        ctx.summaries.append(FileSummary("befolkning", delivery.path, kind, rows))
    return used, found


def _snapshots_known(found: pl.DataFrame, ctx: Context) -> bool:
    """Whether every row's snapshot is known (from referencetid or the file name)."""
    unknown = found.filter(pl.col("snapshot").is_null())
    for path, _, count in unknown.iter_rows():
        ctx.error(
            "befolkning",
            f"{count:,} rows without referencetid, and the file name gives no period: "
            "the snapshot they describe is unknown",
            "Keep the column referencetid, or name the file by its period (bef202312).",
            file=Path(path),
        )
    return unknown.is_empty()


def _say_snapshots(found: list[dt.date], files: int, ctx: Context) -> None:
    by_year: dict[int, list[int]] = {}
    for day in found:
        by_year.setdefault(day.year, []).append(day.month)
    month = ctx.settings.bef_snapshot_month
    counts = sorted({len(months) for months in by_year.values()})
    per_year = "/".join(str(n) for n in counts)
    used = MONTHS[month]
    if not found:
        return
    ctx.note(
        "befolkning",
        f"BEF: {files} files, {len(found)} snapshots from {found[0]} to {found[-1]} "
        f"({per_year} per year); the {used} snapshot of each year is the population on "
        "1 January of the next, the others are not used",
    )
    missing = [y for y, months in by_year.items() if month not in months]
    if missing:
        ctx.warn(
            "befolkning",
            f"BEF has no {used} snapshot of {', '.join(str(y) for y in missing)}: "
            f"the population on 1 January of {', '.join(str(y + 1) for y in missing)} is missing",
            "Add the missing period files if those years are wanted.",
        )
    if any(day != day.replace(day=calendar.monthrange(day.year, day.month)[1]) for day in found):
        ctx.note(
            "befolkning",
            "BEF: some referencetid are not the last day of their month; the month decides",
        )


def _municipalities_known(kept: pl.LazyFrame, municipalities: list[int], ctx: Context) -> bool:
    odd = (
        kept.filter(~pl.col("kom").is_in(municipalities))
        .group_by("kom")
        .agg(pl.len().alias("n"))
        .sort("n", descending=True)
        .collect()
    )
    if odd.is_empty():
        return True
    shown = ", ".join(f"{k} ({n:,}×)" for k, n in odd.head(MAX_EXAMPLES).iter_rows())
    ctx.error(
        "befolkning",
        f"kom: {int(odd['n'].sum()):,} rows from {ctx.settings.municipality_reform_year} on "
        f"with codes that are not one of the {len(municipalities)} municipalities; e.g. {shown}",
        "Correct the codes, or leave them out with leave_out_municipalities in a "
        "mapping file's [settings].",
    )
    return False
