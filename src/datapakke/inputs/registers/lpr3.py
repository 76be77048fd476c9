"""LPR3 (from 2019) in either delivered form, LPR_A or LPR3_F, to contacts for chaining.

Both forms hold the same contacts and are never mixed: with both in a folder,
LPR_A is read and the LPR3_F files are listed as unused. Rows are kept by
reporting system (``LPR3``; ``MiniPAS`` by setting); the action diagnosis is the
diagnosis of type A that is not retracted (``adiag`` only for a delivery without
diagnosis files: it copies retracted diagnoses too); psychiatry is the responsible
main specialty; ``ATA1`` is acute. Contacts without an end (still open) are left
out and counted, and so are stays without an action diagnosis. ``contacts`` gives one row per kept
contact in the shape ``stays.chain_stays`` reads.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from datapakke.codes import SKS_DIAGNOSIS
from datapakke.inputs.findings import MAX_EXAMPLES
from datapakke.inputs.registers.detect import Delivery
from datapakke.inputs.registers.raw import Context, column, raw_table, read_raw
from datapakke.inputs.schema import Rule


def _ends_before_start(start: str, end: str) -> Rule:
    return Rule(
        end,
        f"an end ({end}) before the start",
        lambda: pl.col(end) < pl.col(start),
        f"{end} must not be before {start}; check whether the two columns are swapped.",
    )


_SYSTEM = column(
    "lprindberetningssystem", pl.String(), "reporting system", optional=True, nullable=True
)
_PNR = column("pnr", pl.String(), "person id", aliases=("cpr", "v_cpr"))
_RETRACTED = column(
    "senere_afkraeftet", pl.String(), "later retracted", optional=True, nullable=True
)

LPR_A_KONTAKT = raw_table(
    "kontakter",
    "lpr_a_kontakt",
    [
        _PNR,
        column("dw_ek_kontakt", pl.String(), "contact key"),
        column("kont_starttidspunkt", pl.Datetime("us"), "start", not_in_future=True),
        column("kont_sluttidspunkt", pl.Datetime("us"), "end", nullable=True, not_in_future=True),
        column("kont_type", pl.String(), "contact type (SKS)"),
        column("prioritet", pl.String(), "priority (SKS)", nullable=True),
        column("kont_ans_hovedspec", pl.String(), "responsible main specialty", nullable=True),
        _SYSTEM,
        column("adiag", pl.String(), "action diagnosis (copy)", optional=True, nullable=True),
    ],
    _ends_before_start("kont_starttidspunkt", "kont_sluttidspunkt"),
)
LPR_A_DIAGNOSE = raw_table(
    "kontakter",
    "lpr_a_diagnose",
    [
        column("dw_ek_kontakt", pl.String(), "contact key"),
        column("diag_kode", pl.String(), "diagnosis (SKS)"),
        column("diag_kode_type", pl.String(), "diagnosis type", aliases=("diag_type",)),
        _RETRACTED,
        _SYSTEM,
    ],
)
# LPR3_F: names from osdc and Sundhedsdatastyrelsen's guide; the time columns are unconfirmed.
LPR3_F_KONTAKTER = raw_table(
    "kontakter",
    "kontakter (LPR3_F)",
    [
        _PNR,
        column("dw_ek_kontakt", pl.String(), "contact key"),
        column("dato_start", pl.Date(), "start date", not_in_future=True),
        column("tidspunkt_start", pl.String(), "start time", optional=True, nullable=True),
        column("dato_slut", pl.Date(), "end date", nullable=True, not_in_future=True),
        column("tidspunkt_slut", pl.String(), "end time", optional=True, nullable=True),
        column("kontakttype", pl.String(), "contact type (SKS)"),
        column("prioritet", pl.String(), "priority (SKS)", nullable=True),
        column("hovedspeciale_ans", pl.String(), "responsible main specialty", nullable=True),
        _SYSTEM,
    ],
    _ends_before_start("dato_start", "dato_slut"),
)
LPR3_F_DIAGNOSER = raw_table(
    "kontakter",
    "diagnoser (LPR3_F)",
    [
        column("dw_ek_kontakt", pl.String(), "contact key"),
        column("diagnosekode", pl.String(), "diagnosis (SKS)"),
        column("diagnosetype", pl.String(), "diagnosis type"),
        _RETRACTED,
    ],
)


@dataclass(frozen=True)
class Lpr3:
    """LPR3's contacts (normalised columns) and their counts for the report."""

    contacts: pl.LazyFrame
    layout: str
    files: tuple[Path, ...]
    # The contacts before the diagnoses are joined: counting needs no join.
    unjoined: pl.LazyFrame


def _time_of_day(column_name: str) -> pl.Expr:
    """A time column as a duration: text 14:05[:00], or seconds after midnight (SAS TIME)."""
    text = pl.col(column_name).str.strip_chars()
    clock = pl.coalesce(
        text.str.strptime(pl.Time, "%H:%M:%S", strict=False),
        text.str.strptime(pl.Time, "%H:%M", strict=False),
    )
    seconds = pl.coalesce(
        (clock.cast(pl.Int64) // 1_000_000_000), text.cast(pl.Float64, strict=False).cast(pl.Int64)
    )
    return pl.duration(seconds=seconds.fill_null(0))


def _lpr_a(kontakt: pl.LazyFrame, diagnose: pl.LazyFrame | None) -> tuple[pl.LazyFrame, ...]:
    contacts = kontakt.select(
        "pnr",
        pl.col("dw_ek_kontakt").alias("kontakt"),
        pl.col("kont_starttidspunkt").alias("start"),
        pl.col("kont_sluttidspunkt").alias("slut"),
        "kont_type",
        "prioritet",
        pl.col("kont_ans_hovedspec").alias("spec"),
        pl.col("lprindberetningssystem").alias("system"),
        "adiag",
    )
    if diagnose is None:
        return (contacts,)
    diagnoses = diagnose.select(
        pl.col("dw_ek_kontakt").alias("kontakt"),
        pl.col("diag_kode").alias("kode"),
        pl.col("diag_kode_type").alias("type"),
        pl.col("senere_afkraeftet").alias("retracted"),
    )
    return contacts, diagnoses


def _lpr3_f(kontakter: pl.LazyFrame, diagnoser: pl.LazyFrame | None) -> tuple[pl.LazyFrame, ...]:
    start = pl.col("dato_start").cast(pl.Datetime("us")) + _time_of_day("tidspunkt_start")
    slut = pl.col("dato_slut").cast(pl.Datetime("us")) + _time_of_day("tidspunkt_slut")
    contacts = kontakter.select(
        "pnr",
        pl.col("dw_ek_kontakt").alias("kontakt"),
        start.alias("start"),
        slut.alias("slut"),
        pl.col("kontakttype").alias("kont_type"),
        "prioritet",
        pl.col("hovedspeciale_ans").alias("spec"),
        pl.col("lprindberetningssystem").alias("system"),
        pl.lit(None, pl.String).alias("adiag"),
    )
    if diagnoser is None:
        return (contacts,)
    diagnoses = diagnoser.select(
        pl.col("dw_ek_kontakt").alias("kontakt"),
        pl.col("diagnosekode").alias("kode"),
        pl.col("diagnosetype").alias("type"),
        pl.col("senere_afkraeftet").alias("retracted"),
    )
    return contacts, diagnoses


FORMS = {
    "LPR_A": ("lpr_a_kontakt", "lpr_a_diagnose", LPR_A_KONTAKT, LPR_A_DIAGNOSE, _lpr_a),
    "LPR3_F": ("kontakter", "diagnoser", LPR3_F_KONTAKTER, LPR3_F_DIAGNOSER, _lpr3_f),
}


def unused_lpr3_f(deliveries: Sequence[Delivery]) -> list[Delivery]:
    """LPR3_F files, which are not read when LPR_A is there (they hold the same contacts)."""
    if not any(d.layout == "LPR_A" for d in deliveries):
        return []
    return [d for d in deliveries if d.layout == "LPR3_F"]


def read_lpr3(deliveries: Sequence[Delivery], ctx: Context) -> Lpr3 | None:
    """The kept LPR3 contacts with area, priority, action diagnosis; None on an error."""
    layout = "LPR_A" if any(d.layout == "LPR_A" for d in deliveries) else "LPR3_F"
    contact_name, diagnosis_name, contact_table, diagnosis_table, normalise = FORMS[layout]
    contact_files = [d for d in deliveries if d.register == contact_name]
    diagnosis_files = [d for d in deliveries if d.register == diagnosis_name]
    if not contact_files:
        ctx.error(
            "kontakter",
            f"{layout}: diagnoses without contacts ({contact_name} is missing)",
            f"Add the {contact_name} files, or remove the {diagnosis_name} files.",
            file=diagnosis_files[0].path,
        )
        return None
    kontakt = read_raw(contact_files, contact_table, ctx)
    diagnose = read_raw(diagnosis_files, diagnosis_table, ctx) if diagnosis_files else None
    if kontakt is None or (diagnosis_files and diagnose is None):
        return None
    frames = normalise(kontakt, diagnose)
    if len(frames) > 1:
        diagnosed = _with_diagnoses(frames[0], frames[1], ctx)
    else:
        ctx.note("kontakter", f"{layout}: no diagnosis files; the action diagnosis is adiag")
        diagnosed = frames[0].with_columns(aktionsdiagnose=pl.col("adiag"))
    if diagnosed is None:
        return None
    contacts = diagnosed
    settings = ctx.settings
    specialty = pl.col("spec").str.strip_chars().str.to_lowercase()
    psychiatric = specialty.is_in(list(settings.psychiatric_specialties)).fill_null(value=False)
    acute = pl.col("prioritet").str.strip_chars().is_in(list(settings.acute_priorities))
    shaped = contacts.with_columns(
        omraade=pl.when(psychiatric).then(pl.lit("psykiatri")).otherwise(pl.lit("somatik")),
        prioritet=pl.when(acute.fill_null(value=False))
        .then(pl.lit("akut"))
        .otherwise(pl.lit("planlagt")),
        physical=pl.col("kont_type").str.strip_chars().is_in(list(settings.physical_contact_types)),
    )
    files = tuple(d.path for d in (*contact_files, *diagnosis_files))
    return Lpr3(shaped, layout, files, frames[0])


def _with_diagnoses(
    contacts: pl.LazyFrame, diagnoses: pl.LazyFrame, ctx: Context
) -> pl.LazyFrame | None:
    settings = ctx.settings
    retracted = (
        pl.col("retracted")
        .str.strip_chars()
        .str.to_lowercase()
        .is_in(list(settings.retracted_values))
    ).fill_null(value=False)
    action = pl.col("type").str.strip_chars().str.to_uppercase() == settings.action_diagnosis_type
    code = pl.col("kode").str.strip_chars().str.to_uppercase()
    # One pass over the diagnoses, written once: the chosen code of each contact.
    stored = ctx.sink(
        diagnoses.filter(action)
        .group_by("kontakt")
        .agg(
            code.filter(~retracted).min().alias("aktionsdiagnose"),
            retracted.sum().alias("__retracted"),
            (~retracted).sum().alias("__kept"),
        ),
        "diagnoses",
        "kontakter",
    )
    if stored is None:
        return None
    counts = stored.select(pl.col("__retracted").sum(), pl.col("__kept").sum()).collect()
    chosen = stored.filter(pl.col("aktionsdiagnose").is_not_null()).select(
        "kontakt", "aktionsdiagnose"
    )
    odd = (
        chosen.filter(~pl.col("aktionsdiagnose").str.contains(SKS_DIAGNOSIS))
        .group_by("aktionsdiagnose")
        .agg(pl.len().alias("n"))
        .sort("n", "aktionsdiagnose", descending=[True, False])
        .collect()
    )
    if not odd.is_empty():
        shown = ", ".join(f"'{c}' ({n:,}×)" for c, n in odd.head(MAX_EXAMPLES).iter_rows())
        ctx.error(
            "kontakter",
            f"action diagnoses that are not SKS diagnosis codes (D + ICD-10 code without dot): "
            f"{int(odd['n'].sum()):,} contacts; e.g. {shown}",
            "Check the diagnosis files (diag_kode / diagnosekode); codes are written like DJ189.",
        )
        return None
    ctx.note(
        "kontakter",
        f"LPR3: {int(counts['__kept'][0]):,} action diagnoses (type "
        f"{settings.action_diagnosis_type}) joined on dw_ek_kontakt; "
        f"{int(counts['__retracted'][0]):,} later retracted (senere_afkraeftet) not used",
    )
    # No fall-back to adiag: it copies the diagnosis even when it was later retracted.
    return contacts.join(chosen, on="kontakt", how="left")
