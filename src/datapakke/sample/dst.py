"""Write the synthetic Denmark in the layouts DST delivers (``sample --layout dst``).

A layout writer, not a second generator: it takes the contract tables the
generator made and writes them as an analyst receives them on DST's research
servers, so that reading them back (``inputs/registers``) gives the same tables.

- BEF: one file per quarter (``bef202312``), upper-case SAS names, ``koen`` 1/2,
  four snapshots a year; a few persons of unknown sex and on Christiansø, whom
  the policies leave out. The March and June snapshots hold the residence of
  1 January of their year, the September and December ones that of the next.
- DOD: ``dod<year>`` with ``doddato``; LMDB: ``lmdb<year>`` with ``eksd`` and ``apk``.
- LPR3 (LPR_A, from 2019): yearly ``lpr_a_kontakt``/``lpr_a_diagnose``. An acute
  admission becomes an emergency contact and a ward contact 30 minutes later
  (they chain into one stay); every other contact one physical contact. Each
  contact has its action and a secondary diagnosis; some carry a retracted
  action diagnosis too; a few private-hospital (MiniPAS) contacts are added.
- LPR2 (before 2019): ``lpr_adm``/``lpr_diag`` and ``t_psyk_adm``/``t_psyk_diag``
  (``v_cpr``, ``k_recnum``), with the same contacts also in LPR_A as migrated
  history (``lprindberetningssystem = LPR2``), as DST delivers them.
- RUKS and home care have no confirmed layout: they stay contract tables.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import polars as pl

LPR3_FROM = dt.datetime(2019, 1, 1)
ER_HOURS = 3
# Persons per Dane who are of unknown sex or live on Christiansø (about 90 of 5.9 million).
POLICY_SHARE = 1.5e-5
Sink = Callable[[pl.LazyFrame, str], None]
SPECIALTY = {"somatik": ("Akutmedicin", "Intern medicin"), "psykiatri": ("Psykiatri", "Psykiatri")}


def write_dst(contract: Path, out: Path, level: int) -> list[Path]:
    """Write the DST layout of the contract tables in ``contract`` into ``out``."""
    written: list[Path] = []

    def sink(frame: pl.LazyFrame, name: str) -> None:
        target = out / f"{name}.parquet"
        frame.sink_parquet(target, compression="zstd", compression_level=level)
        written.append(target)

    _bef(pl.scan_parquet(contract / "befolkning.parquet"), sink)
    deaths = pl.scan_parquet(contract / "doedsfald.parquet")
    for (year,) in deaths.select(pl.col("doed_dato").dt.year().unique().sort()).collect().rows():
        rows = deaths.filter(pl.col("doed_dato").dt.year() == year)
        sink(rows.select("pnr", pl.col("doed_dato").alias("doddato")).sort("pnr"), f"dod{year}")
    recepter = pl.scan_parquet(contract / "recepter.parquet")
    years = recepter.select(pl.col("udlevering_dato").dt.year().unique().sort()).collect()
    for (year,) in years.rows():
        rows = recepter.filter(pl.col("udlevering_dato").dt.year() == year)
        sink(
            rows.select("pnr", eksd="udlevering_dato", atc="atc", apk=pl.lit(1.0)),
            f"lmdb{year}",
        )
    _lpr(pl.scan_parquet(contract / "kontakter.parquet"), sink)
    for table in ("kroniske", "hjemmepleje"):
        sink(pl.scan_parquet(contract / f"{table}.parquet"), table)
    return written


def _bef(befolkning: pl.LazyFrame, sink: Sink) -> None:
    years = sorted(befolkning.select(pl.col("aar").unique()).collect()["aar"].to_list())
    count = befolkning.filter(pl.col("aar") == years[0]).select(pl.len()).collect().item()
    policy = _policy_persons(max(2, round(count * POLICY_SHARE)))
    for snapshot_year in range(years[0] - 1, years[-1]):
        for month in (3, 6, 9, 12):
            aar = snapshot_year + 1 if month >= 9 or snapshot_year < years[0] else snapshot_year
            day = (dt.date(snapshot_year, month % 12 + 1, 1) if month < 12
                   else dt.date(snapshot_year + 1, 1, 1)) - dt.timedelta(days=1)  # fmt: skip
            rows = befolkning.filter(pl.col("aar") == aar).select(
                PNR="pnr",
                KOEN=pl.when(pl.col("koen") == "M").then(1).otherwise(2).cast(pl.Int8),
                FOED_DAG="foed_dato",
                KOM="kommunekode",
            )
            frame = pl.concat([rows, policy]).with_columns(REFERENCETID=pl.lit(day))
            sink(frame.sort("PNR"), f"bef{snapshot_year}{month:02d}")


def _policy_persons(n: int) -> pl.LazyFrame:
    """``n`` persons of unknown sex and ``n`` on Christiansø: BEF holds both."""
    return pl.LazyFrame(
        {
            "PNR": [f"X9{i:05d}" for i in range(n)] + [f"X4{i:05d}" for i in range(n)],
            "KOEN": [9] * n + [1 + i % 2 for i in range(n)],
            "FOED_DAG": [dt.date(1960 + i % 40, 1 + i % 12, 1) for i in range(2 * n)],
            "KOM": [101] * n + [411] * n,
        },
        schema={"PNR": pl.String, "KOEN": pl.Int8, "FOED_DAG": pl.Date, "KOM": pl.Int32},
    )


def _code(condition: pl.Expr, yes: str, no: str) -> pl.Expr:
    return pl.when(condition).then(pl.lit(yes)).otherwise(pl.lit(no))


def _contacts(kontakter: pl.LazyFrame) -> pl.LazyFrame:
    """One or two physical LPR3 contacts per contract contact (acute admissions: ER + ward)."""
    split = (pl.col("kontakttype") == "indlaeggelse") & (pl.col("prioritet") == "akut")
    length = pl.col("slut") - pl.col("start")
    er_end = pl.min_horizontal(
        pl.col("start") + pl.duration(hours=ER_HOURS), pl.col("start") + length / 4
    )
    base = kontakter.with_columns(
        kont_type=pl.lit("ALCA00"), lprindberetningssystem=pl.lit("LPR3"),
        prioritet_sks=_code(pl.col("prioritet") == "akut", "ATA1", "ATA3"),
        spec_first=pl.col("omraade").replace_strict({k: v[0] for k, v in SPECIALTY.items()}),
        spec_ward=pl.col("omraade").replace_strict({k: v[1] for k, v in SPECIALTY.items()}),
    )  # fmt: skip
    single = base.filter(~split).select(
        dw_ek_kontakt=pl.col("kontakt_id") + "-1", pnr="pnr", start="start", slut="slut",
        prioritet="prioritet_sks", spec="spec_ward", diagnose="aktionsdiagnose",
    )  # fmt: skip
    emergency = base.filter(split).select(
        dw_ek_kontakt=pl.col("kontakt_id") + "-1", pnr="pnr", start="start", slut=er_end,
        prioritet=pl.lit("ATA1"), spec="spec_first", diagnose="aktionsdiagnose",
    )  # fmt: skip
    ward = base.filter(split).select(
        dw_ek_kontakt=pl.col("kontakt_id") + "-2", pnr="pnr",
        start=pl.min_horizontal(er_end + pl.duration(minutes=30), pl.col("slut")), slut="slut",
        prioritet=pl.lit("ATA3"), spec="spec_ward", diagnose="aktionsdiagnose",
    )  # fmt: skip
    return pl.concat([single, emergency, ward])


def _lpr(kontakter: pl.LazyFrame, sink: Sink) -> None:
    physical = _contacts(kontakter).with_columns(
        year=pl.col("start").dt.year(),
        # Every 97th contact also carries an action diagnosis that was later retracted.
        retracted=pl.col("dw_ek_kontakt").hash(7) % 97 == 0,
        minipas=pl.col("dw_ek_kontakt").hash(11) % 211 == 0,
    )
    years = physical.select(pl.col("year").unique().sort()).collect()["year"].to_list()
    for year in years:
        rows = physical.filter(pl.col("year") == year)
        system = "LPR3" if year >= LPR3_FROM.year else "LPR2"
        private = rows.filter(pl.col("minipas") & (system == "LPR3")).with_columns(
            dw_ek_kontakt=pl.col("dw_ek_kontakt") + "-P", system=pl.lit("MiniPAS")
        )
        delivered = pl.concat([rows.with_columns(system=pl.lit(system)), private])
        sink(
            delivered.select(
                DW_EK_KONTAKT="dw_ek_kontakt", PNR="pnr", Kont_starttidspunkt="start",
                Kont_sluttidspunkt="slut", Kont_type=pl.lit("ALCA00"), Prioritet="prioritet",
                Kont_ans_hovedspec="spec", lprindberetningssystem="system",
            ).sort("PNR", "Kont_starttidspunkt"),
            f"lpr_a_kontakt{year}",
        )  # fmt: skip
        action = delivered.select(
            dw_ek_kontakt="dw_ek_kontakt", diag_kode="diagnose", diag_kode_type=pl.lit("A"),
            senere_afkraeftet=pl.lit("Nej"), lprindberetningssystem="system",
        )  # fmt: skip
        secondary = action.with_columns(diag_kode=pl.lit("DZ038"), diag_kode_type=pl.lit("B"))
        retracted = delivered.filter(pl.col("retracted")).select(
            dw_ek_kontakt="dw_ek_kontakt", diag_kode=pl.lit("DR69"), diag_kode_type=pl.lit("A"),
            senere_afkraeftet=pl.lit("Ja"), lprindberetningssystem="system",
        )  # fmt: skip
        sink(pl.concat([action, secondary, retracted]).sort("dw_ek_kontakt"),
             f"lpr_a_diagnose{year}")  # fmt: skip
    _lpr2(kontakter.filter(pl.col("start") < LPR3_FROM), sink)


def _lpr2(before: pl.LazyFrame, sink: Sink) -> None:
    years = before.select(pl.col("start").dt.year().unique().sort()).collect()["start"].to_list()
    for year in years:
        rows = before.filter(pl.col("start").dt.year() == year)
        for area, adm, diag, pnr, recnum, diag_key in (
            ("somatik", "lpr_adm", "lpr_diag", "pnr", "recnum", "recnum"),
            ("psykiatri", "t_psyk_adm", "t_psyk_diag", "v_cpr", "k_recnum", "v_recnum"),
        ):
            part = rows.filter(pl.col("omraade") == area)
            sink(part.select(
                **{pnr: pl.col("pnr"), recnum: pl.col("kontakt_id")},
                d_inddto=pl.col("start").dt.date(), v_indtime=pl.col("start").dt.hour(),
                v_indminut=pl.col("start").dt.minute(), d_uddto=pl.col("slut").dt.date(),
                v_udtime=pl.col("slut").dt.hour(),
                c_pattype=_code(pl.col("kontakttype") == "indlaeggelse", "0", "2"),
                c_indm=_code(pl.col("prioritet") == "akut", "1", "2"),
            ), f"{adm}{year}")  # fmt: skip
            sink(part.select(
                **{diag_key: pl.col("kontakt_id")}, c_diag="aktionsdiagnose",
                c_diagtype=pl.lit("A"),
            ), f"{diag}{year}")  # fmt: skip
