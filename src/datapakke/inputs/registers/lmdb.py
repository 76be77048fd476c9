"""LMDB (dispensed prescriptions) to ``recepter``: ``eksd`` is the day, ``atc`` the drug.

One row is one dispensing; a row of no packages or a negative number (``apk``,
returned packages) is not, and is left out and counted. Every rule of the contract
is checked on the delivered columns, so the derived table is not checked again.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from datapakke.codes import ATC_CODE
from datapakke.inputs.registers.detect import Delivery
from datapakke.inputs.registers.raw import Context, Derived, column, raw_table, read_raw
from datapakke.inputs.registers.settings import RegisterSettings
from datapakke.inputs.schema import Rule, Table


def lmdb_table(settings: RegisterSettings) -> Table:
    """LMDB's columns as delivered; rows of no packages are counted as they are checked."""
    minimum = settings.lmdb_min_packages
    return raw_table(
        "recepter",
        "lmdb",
        [
            column("pnr", pl.String(), "person id", aliases=("pnr12", "cpr")),
            column("eksd", pl.Date(), "dispensing date", not_in_future=True),
            column(
                "atc",
                pl.String(),
                "the drug",
                pattern=ATC_CODE,
                pattern_text="ATC codes (1 to 7 characters, e.g. C10AA05)",
            ),
            column("apk", pl.Float64(), "packages dispensed", optional=True, nullable=True),
        ],
        Rule(
            "apk",
            f"apk of {minimum:g} or less (returned packages): not a dispensing, left out",
            lambda: pl.col("apk") <= minimum,
            "Nothing to do: these rows are not counted (lmdb_min_packages).",
            informs=True,
        ),
    )


def read_lmdb(deliveries: Sequence[Delivery], ctx: Context) -> Derived | None:
    """``recepter`` from the LMDB files, or None (the findings say why)."""
    raw = read_raw(deliveries, lmdb_table(ctx.settings), ctx)
    if raw is None:
        return None
    dispensed = pl.col("apk").is_null() | (pl.col("apk") > ctx.settings.lmdb_min_packages)
    ctx.note("recepter", "LMDB: eksd is the dispensing date; one row is one dispensing")
    frame = raw.filter(dispensed).select("pnr", pl.col("eksd").alias("udlevering_dato"), "atc")
    return Derived("recepter", "LMDB", frame, tuple(d.path for d in deliveries), prechecked=True)
