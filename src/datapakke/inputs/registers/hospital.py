"""``kontakter`` from LPR3 stays and LPR2 contacts, stacked without counting one twice.

LPR_A reaches back to 2017 with contacts migrated from LPR2; only the rows LPR3
itself reported are kept (``lprindberetningssystem``), and LPR2 gives the years
before 2019. Physical contacts chain into stays; virtual contacts stay single and
are outpatient. The table is written once to the work folder, so that the
chaining runs once however often it is read.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from datapakke.inputs.provenance import LPR2, STAYS
from datapakke.inputs.registers.detect import Delivery
from datapakke.inputs.registers.lpr2 import read_lpr2
from datapakke.inputs.registers.lpr3 import Lpr3, read_lpr3
from datapakke.inputs.registers.policies import rows_of
from datapakke.inputs.registers.raw import Context, Derived
from datapakke.inputs.registers.stays import chain_stays
from datapakke.inputs.schema import KONTAKTER

COLUMNS = [c.name for c in KONTAKTER.columns]


def read_hospital(
    deliveries: Sequence[Delivery], ctx: Context
) -> tuple[Derived, tuple[str, ...]] | None:
    """``kontakter`` and the sources it came from (``STAYS``, ``LPR2``); None on an error."""
    lpr3_files = [d for d in deliveries if d.layout in ("LPR_A", "LPR3_F")]
    lpr2_files = [d for d in deliveries if d.layout == "LPR2"]
    parts: list[pl.LazyFrame] = []
    sources: list[str] = []
    layouts: list[str] = []
    if lpr3_files:
        lpr3 = read_lpr3(lpr3_files, ctx)
        if lpr3 is None:
            return None
        stays = _stays(lpr3, ctx)
        if stays is None:
            return None
        parts.append(stays)
        sources.append(STAYS)
        layouts.append(lpr3.layout)
    if lpr2_files:
        lpr2 = read_lpr2(lpr2_files, ctx)
        if lpr2 is None:
            return None
        parts += lpr2
        sources.append(LPR2)
        layouts.append("LPR2")
    stored = ctx.sink(pl.concat([p.select(COLUMNS) for p in parts]), "kontakter", "kontakter")
    if stored is None:
        return None
    files = tuple(d.path for d in deliveries)
    derived = Derived("kontakter", " + ".join(layouts), stored, files, prechecked=True)
    return derived, tuple(sources)


def _stays(lpr3: Lpr3, ctx: Context) -> pl.LazyFrame | None:
    settings = ctx.settings
    contacts = lpr3.contacts
    systems = list(settings.reporting_systems)
    # Without the column every row counts as LPR3's own (a delivery of LPR3 rows only).
    kept_system = pl.col("system").is_null() | pl.col("system").str.strip_chars().is_in(systems)
    system = pl.col("system").str.strip_chars()
    # One scan for both queries (collect_all shares it).
    counts, by_system = pl.collect_all(
        [
            lpr3.unjoined.select(
                pl.len().alias("rows"),
                pl.col("kontakt").n_unique().alias("keys"),
                pl.col("system").is_null().all().alias("no_system"),
                (kept_system & pl.col("slut").is_null()).sum().alias("open"),
            ),
            lpr3.unjoined.filter(~kept_system)
            .group_by(system.alias("system"))
            .agg(pl.len().alias("n"))
            .sort("system"),
        ]
    )
    rows = int(counts["rows"][0])
    if int(counts["keys"][0]) != rows:
        ctx.error(
            "kontakter",
            f"{lpr3.layout}: {rows - int(counts['keys'][0]):,} contacts repeat a dw_ek_kontakt "
            "of another row (a period file given twice?)",
            "Each contact may occur once; remove the repeated files or rows.",
            file=lpr3.files[0],
        )
        return None
    said = [f"{lpr3.layout}: {rows:,} contacts"]
    if bool(counts["no_system"][0]):
        said.append("no lprindberetningssystem column, so every row counts as LPR3's own")
    else:
        said.append(f"rows reported by {' and '.join(systems)} kept")
    for system, n in by_system.iter_rows():
        why = {
            "MiniPAS": "private hospitals; include_minipas = true keeps them",
            "LPR2": "migrated history, read from LPR2 instead",
        }.get(system, "not LPR3's own report")
        said.append(f"{rows_of(n)} from {system} left out ({why})")
    if int(counts["open"][0]):
        said.append(f"{rows_of(int(counts['open'][0]), 'open contact')} (no end yet) left out")
    kept = contacts.filter(kept_system & pl.col("slut").is_not_null())
    physical = kept.filter(pl.col("physical")).select(
        "pnr", "omraade", "kontakt", "start", "slut", "prioritet", "aktionsdiagnose"
    )
    chained = chain_stays(physical, settings.chain_gap_hours, settings.admission_hours)
    virtual = kept.filter(~pl.col("physical")).select(
        pl.col("kontakt").alias("kontakt_id"),
        "pnr",
        "start",
        "slut",
        "omraade",
        "prioritet",
        "aktionsdiagnose",
        pl.lit(1, pl.UInt32).alias("__contacts"),
        pl.lit("ambulant").alias("kontakttype"),
    )
    stays = pl.concat([chained, virtual.select(chained.collect_schema().names())])
    stored = ctx.sink(
        stays.with_columns((pl.lit("LPR3-") + pl.col("kontakt_id")).alias("kontakt_id")),
        "stays",
        "kontakter",
        streaming=False,
    )
    if stored is None:
        return None
    summary = stored.select(
        pl.col("__contacts").sum().alias("contacts"),
        pl.len().alias("stays"),
        (pl.col("kontakttype") == "indlaeggelse").sum().alias("admissions"),
        pl.col("aktionsdiagnose").is_null().sum().alias("undiagnosed"),
    ).collect()
    contacts_n, stays_n, admissions, undiagnosed = (int(summary[c][0]) for c in summary.columns)
    gap, length = settings.chain_gap_hours, settings.admission_hours
    said.append(
        f"{contacts_n:,} contacts became {stays_n:,} stays (physical contacts chained while the "
        f"next starts < {gap:g} h after the latest end; virtual contacts alone): "
        f"{admissions:,} admissions (≥ {length:g} h), {stays_n - admissions:,} outpatient"
    )
    if undiagnosed:
        said.append(f"{rows_of(undiagnosed, 'stay')} without an action diagnosis left out")
    ctx.note("kontakter", "; ".join(said))
    return stored.filter(pl.col("aktionsdiagnose").is_not_null())
