"""LPR2 (to March 2019): somatic ``lpr_adm``/``lpr_diag`` and psychiatric ``t_psyk_*`` to contacts.

A row of ``lpr_adm`` is a contact as LPR2 recorded it (an admission, or an
outpatient or emergency-room course): its kind comes from ``c_pattype``
(``lpr2_inpatient_pattypes``), its priority from ``c_indm``, its area from the
table. Start and end are the dates plus the hours (and start minutes) LPR2 gives;
an end whose hour is missing is taken as the start of the day, never before the
start. Contacts without an end date (still open) are left out and counted.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import polars as pl

from datapakke.codes import SKS_DIAGNOSIS
from datapakke.inputs.findings import MAX_EXAMPLES
from datapakke.inputs.registers.detect import Delivery
from datapakke.inputs.registers.raw import Context, column, raw_table, read_raw
from datapakke.inputs.schema import Table

_HOURS = {"nullable": True, "optional": True}


def adm_table(register: str) -> Table:
    return raw_table(
        "kontakter",
        register,
        [
            column("pnr", pl.String(), "person id", aliases=("v_cpr", "cpr")),
            column("recnum", pl.String(), "record key", aliases=("k_recnum", "v_recnum")),
            column("d_inddto", pl.Date(), "start date", not_in_future=True),
            column("d_uddto", pl.Date(), "end date", nullable=True, not_in_future=True),
            column("v_indtime", pl.Int32(), "start hour", **_HOURS),
            column("v_indminut", pl.Int32(), "start minute", **_HOURS),
            column("v_udtime", pl.Int32(), "end hour", **_HOURS),
            column("c_pattype", pl.String(), "patient type"),
            column("c_indm", pl.String(), "admission kind (acute)", nullable=True),
            column("c_adiag", pl.String(), "action diagnosis", optional=True, nullable=True),
        ],
    )


def diag_table(register: str) -> Table:
    return raw_table(
        "kontakter",
        register,
        [
            column("recnum", pl.String(), "record key", aliases=("v_recnum", "k_recnum")),
            column("c_diag", pl.String(), "diagnosis (SKS)"),
            column("c_diagtype", pl.String(), "diagnosis type"),
        ],
    )


# Area -> (contacts register, diagnoses register, id prefix). The psychiatric register's own
# names (v_cpr, k_recnum, v_recnum) are aliases of the columns.
TABLES = {
    "somatik": ("lpr_adm", "lpr_diag", "LPR2-"),
    "psykiatri": ("t_psyk_adm", "t_psyk_diag", "PSYK-"),
}


def read_lpr2(deliveries: Sequence[Delivery], ctx: Context) -> tuple[pl.LazyFrame, ...] | None:
    """LPR2's contacts as contract ``kontakter`` rows, one frame per area; None on an error."""
    frames = []
    for area, (adm_name, diag_name, prefix) in TABLES.items():
        adm_files = [d for d in deliveries if d.register == adm_name]
        diag_files = [d for d in deliveries if d.register == diag_name]
        if not adm_files:
            if diag_files:
                ctx.error(
                    "kontakter",
                    f"LPR2: {diag_name} without {adm_name}",
                    f"Add the {adm_name} files, or remove the {diag_name} files.",
                    file=diag_files[0].path,
                )
                return None
            continue
        adm = read_raw(adm_files, adm_table(adm_name), ctx)
        diag = read_raw(diag_files, diag_table(diag_name), ctx) if diag_files else None
        if adm is None or (diag_files and diag is None):
            return None
        frame = _contacts(adm, diag, area, prefix, ctx, adm_files[0].path)
        if frame is None:
            return None
        frames.append(frame)
    return tuple(frames)


def _contacts(
    adm: pl.LazyFrame,
    diag: pl.LazyFrame | None,
    area: str,
    prefix: str,
    ctx: Context,
    path: Path,
) -> pl.LazyFrame | None:
    settings = ctx.settings
    start = pl.col("d_inddto").cast(pl.Datetime("us")) + pl.duration(
        hours=pl.col("v_indtime").fill_null(0), minutes=pl.col("v_indminut").fill_null(0)
    )
    end = pl.col("d_uddto").cast(pl.Datetime("us")) + pl.duration(
        hours=pl.col("v_udtime").fill_null(0)
    )
    rows = adm.with_columns(
        pl.col("recnum").str.strip_chars(), start=start, slut=pl.max_horizontal(end, start)
    )
    if diag is not None:
        action = diag.filter(pl.col("c_diagtype").str.strip_chars().str.to_uppercase() == "A")
        chosen = action.group_by(pl.col("recnum").str.strip_chars()).agg(
            pl.col("c_diag").str.strip_chars().str.to_uppercase().min().alias("__diag")
        )
        rows = rows.join(chosen, on="recnum", how="left")
        diagnosis = pl.coalesce("__diag", pl.col("c_adiag").str.strip_chars().str.to_uppercase())
    else:
        diagnosis = pl.col("c_adiag").str.strip_chars().str.to_uppercase()
    shaped = rows.select(
        (pl.lit(prefix) + pl.col("recnum")).alias("kontakt_id"),
        "pnr",
        "start",
        "slut",
        pl.lit(area).alias("omraade"),
        pl.when(pl.col("c_indm").str.strip_chars().is_in(list(settings.lpr2_acute_codes)))
        .then(pl.lit("akut"))
        .otherwise(pl.lit("planlagt"))
        .alias("prioritet"),
        pl.when(pl.col("c_pattype").str.strip_chars().is_in(list(settings.lpr2_inpatient_pattypes)))
        .then(pl.lit("indlaeggelse"))
        .otherwise(pl.lit("ambulant"))
        .alias("kontakttype"),
        diagnosis.alias("aktionsdiagnose"),
        pl.col("d_uddto").is_null().alias("__open"),
    )
    counts = shaped.select(
        pl.len().alias("rows"),
        pl.col("__open").sum().alias("open"),
        (~pl.col("__open") & pl.col("aktionsdiagnose").is_null()).sum().alias("undiagnosed"),
    ).collect()
    odd = (
        shaped.filter(~pl.col("aktionsdiagnose").str.contains(SKS_DIAGNOSIS))
        .select(pl.col("aktionsdiagnose").unique().sort().head(MAX_EXAMPLES))
        .collect()
    )
    if not odd.is_empty():
        ctx.error(
            "kontakter",
            f"LPR2 ({area}): action diagnoses that are not SKS diagnosis codes, e.g. "
            + ", ".join(f"'{c}'" for c in odd["aktionsdiagnose"]),
            "LPR2 before 1994 holds ICD-8 codes; datapakke reads ICD-10 (SKS) codes only.",
            file=path,
        )
        return None
    rows_, open_, undiagnosed = (int(counts[c][0]) for c in ("rows", "open", "undiagnosed"))
    message = f"LPR2 ({area}): {rows_:,} contacts; c_pattype gives admission or outpatient"
    if open_:
        message += f"; {open_:,} without an end date (open) left out"
    if undiagnosed:
        message += f"; {undiagnosed:,} without an action diagnosis left out"
    ctx.note("kontakter", message, file=path)
    return shaped.filter(~pl.col("__open") & pl.col("aktionsdiagnose").is_not_null()).drop("__open")
