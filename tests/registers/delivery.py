# ruff: noqa: E501  (tables of hand-made rows read best one row a line)
"""A hand-made DST delivery of a few dozen persons, every stay and count worked out by hand.

Population on 1 January 2023 and 2024 (BEF snapshots December 2022 and March,
June, September and December 2023). Horsens (615) and Aarhus (751). The contacts
are in LPR_A, split into yearly files 2023 and 2024; the expected stays are in
``EXPECTED_STAYS`` with the reason for each.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl

SAS_EPOCH = dt.date(1960, 1, 1)


def _d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def _t(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


# pnr, koen (BEF code), birth, {snapshot: kom}
SNAPSHOTS = ("2022-12-31", "2023-03-31", "2023-06-30", "2023-09-30", "2023-12-31")
FILLERS = [(f"F{i:02d}", "1" if i % 2 else "2", f"19{40 + i}-03-0{1 + i % 9}") for i in range(30)]


def _persons() -> list[tuple[str, str, str, dict[str, int]]]:
    everywhere = dict.fromkeys(SNAPSHOTS, 615)
    persons = [
        ("A01", "1", "1950-05-01", everywhere),
        # Moves from Horsens to Aarhus in May 2023: counted in 615 on 1 January 2023, 751 in 2024.
        ("A02", "2", "1945-02-01", {**everywhere, **dict.fromkeys(SNAPSHOTS[2:], 751)}),
        ("A03", "9", "1960-01-01", everywhere),  # sex unknown: left out
        ("A04", "1", "1970-01-01", dict.fromkeys(SNAPSHOTS, 411)),  # Christiansø: left out
        ("A05", "2", "1940-07-07", everywhere),
        ("A06", "1", "1990-09-09", dict.fromkeys(SNAPSHOTS, 751)),
        # Dies 1 August 2023: in the December 2022 snapshot, not in those after.
        ("A07", "1", "1930-01-01", {SNAPSHOTS[0]: 615, SNAPSHOTS[1]: 615, SNAPSHOTS[2]: 615}),
    ]
    persons += [(p, k, b, dict.fromkeys(SNAPSHOTS, 615 if n < 20 else 751))
                for n, (p, k, b) in enumerate(FILLERS)]  # fmt: skip
    return persons


def bef_files() -> dict[str, pl.DataFrame]:
    """One file per snapshot, named by period (bef202212...), with upper-case SAS names."""
    files: dict[str, list[dict[str, object]]] = {}
    for pnr, koen, birth, where in _persons():
        for snapshot, kom in where.items():
            files.setdefault(snapshot, []).append(
                {
                    "PNR": pnr,
                    "KOEN": int(koen),
                    "FOED_DAG": _d(birth),
                    "KOM": kom,
                    "REFERENCETID": _d(snapshot),
                }
            )
    return {
        f"bef{snapshot[:4]}{snapshot[5:7]}": pl.DataFrame(rows) for snapshot, rows in files.items()
    }


# dw_ek_kontakt, pnr, start, end, kont_type, prioritet, specialty, system, A diagnosis
Contact = tuple[str, str, str, str | None, str, str, str, str, str | None]
CONTACTS: list[Contact] = [
    # Exactly 12 hours: an admission.
    ("K01", "A01", "2023-02-01 08:00", "2023-02-01 20:00", "ALCA00", "ATA1", "Intern medicin", "LPR3", "DJ189"),
    # 11 h 59: outpatient.
    ("K02", "A01", "2023-02-10 08:00", "2023-02-10 19:59", "ALCA00", "ATA1", "Intern medicin", "LPR3", "DJ189"),
    # The next starts exactly 4 hours after: not chained (two stays).
    ("K03", "A01", "2023-03-01 08:00", "2023-03-01 10:00", "ALCA00", "ATA1", "Akutmedicin", "LPR3", "DR074"),
    ("K04", "A01", "2023-03-01 14:00", "2023-03-02 10:00", "ALCA00", "ATA3", "Kardiologi", "LPR3", "DI219"),
    # 3 h 59 after: chained; acute (first contact), diagnosis of the first, 28 hours.
    ("K05", "A01", "2023-04-01 08:00", "2023-04-01 10:00", "ALCA00", "ATA1", "Akutmedicin", "LPR3", "DS720"),
    ("K06", "A01", "2023-04-01 13:59", "2023-04-02 12:00", "ALCA00", "ATA3", "Ortopædisk kirurgi", "LPR3", "DS721"),
    # Across New Year and across the yearly files: one stay of 2023.
    ("K07", "A05", "2023-12-31 20:00", "2023-12-31 23:30", "ALCA00", "ATA1", "Akutmedicin", "LPR3", "DJ441"),
    ("K08", "A05", "2024-01-01 01:00", "2024-01-03 10:00", "ALCA00", "ATA3", "Intern medicin", "LPR3", "DJ441"),
    # Nested and late: K10 is inside K09, K11 starts 3 h after K09 ends: one stay.
    ("K09", "A05", "2023-06-01 08:00", "2023-06-05 08:00", "ALCA00", "ATA3", "Geriatri", "LPR3", "DE119"),
    ("K10", "A05", "2023-06-02 10:00", "2023-06-02 11:00", "ALCA00", "ATA3", "Geriatri", "LPR3", "DE119"),
    ("K11", "A05", "2023-06-05 11:00", "2023-06-05 12:00", "ALCA00", "ATA3", "Geriatri", "LPR3", "DE119"),
    # Its type A diagnosis DJ189 is retracted; DJ440 stands (see DIAGNOSES).
    ("K12", "A02", "2023-03-05 10:00", "2023-03-07 10:00", "ALCA00", "ATA1", "Intern medicin", "LPR3", None),
    # A private hospital (MiniPAS) and migrated LPR2 history: left out.
    ("K13", "A02", "2023-09-01 08:00", "2023-09-02 08:00", "ALCA00", "ATA3", "Ortopædisk kirurgi", "MiniPAS", "DM171"),
    ("K14", "A02", "2018-09-01 08:00", "2018-09-02 08:00", "ALCA00", "ATA1", "Intern medicin", "LPR2", "DJ189"),
    # Psychiatry after a somatic ER visit that ends 1 hour before: two stays (areas differ).
    ("K15", "A06", "2023-05-01 06:00", "2023-05-01 09:00", "ALCA00", "ATA1", "Akutmedicin", "LPR3", "DT509"),
    ("K16", "A06", "2023-05-01 10:00", "2023-05-10 10:00", "ALCA00", "ATA1", "Psykiatri", "LPR3", "DF200"),
    # A telephone contact: not chained, outpatient.
    ("K17", "A06", "2023-07-01 09:00", "2023-07-01 09:15", "ALCA10", "ATA3", "Psykiatri", "LPR3", "DF200"),
    # Still open: left out.
    ("K18", "A06", "2023-12-20 09:00", None, "ALCA00", "ATA3", "Psykiatri", "LPR3", "DF200"),
    # A02's admission of 2024, after she moved to Aarhus.
    ("K19", "A02", "2024-02-01 08:00", "2024-02-03 08:00", "ALCA00", "ATA1", "Intern medicin", "LPR3", "DJ189"),
]  # fmt: skip

# stay id, pnr, start, end, omraade, prioritet, kontakttype, diagnosis, why
EXPECTED_STAYS = [
    ("LPR3-K01", "A01", "2023-02-01 08:00", "2023-02-01 20:00", "somatik", "akut", "indlaeggelse", "DJ189"),
    ("LPR3-K02", "A01", "2023-02-10 08:00", "2023-02-10 19:59", "somatik", "akut", "ambulant", "DJ189"),
    ("LPR3-K03", "A01", "2023-03-01 08:00", "2023-03-01 10:00", "somatik", "akut", "ambulant", "DR074"),
    ("LPR3-K04", "A01", "2023-03-01 14:00", "2023-03-02 10:00", "somatik", "planlagt", "indlaeggelse", "DI219"),
    ("LPR3-K05", "A01", "2023-04-01 08:00", "2023-04-02 12:00", "somatik", "akut", "indlaeggelse", "DS720"),
    ("LPR3-K07", "A05", "2023-12-31 20:00", "2024-01-03 10:00", "somatik", "akut", "indlaeggelse", "DJ441"),
    ("LPR3-K09", "A05", "2023-06-01 08:00", "2023-06-05 12:00", "somatik", "planlagt", "indlaeggelse", "DE119"),
    ("LPR3-K12", "A02", "2023-03-05 10:00", "2023-03-07 10:00", "somatik", "akut", "indlaeggelse", "DJ440"),
    ("LPR3-K15", "A06", "2023-05-01 06:00", "2023-05-01 09:00", "somatik", "akut", "ambulant", "DT509"),
    ("LPR3-K16", "A06", "2023-05-01 10:00", "2023-05-10 10:00", "psykiatri", "akut", "indlaeggelse", "DF200"),
    ("LPR3-K17", "A06", "2023-07-01 09:00", "2023-07-01 09:15", "psykiatri", "planlagt", "ambulant", "DF200"),
    ("LPR3-K19", "A02", "2024-02-01 08:00", "2024-02-03 08:00", "somatik", "akut", "indlaeggelse", "DJ189"),
]  # fmt: skip


def _diagnoses() -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for key, *_, diagnosis in CONTACTS:
        if diagnosis is not None:
            rows.append({"dw_ek_kontakt": key, "diag_kode": diagnosis, "diag_kode_type": "A",
                         "senere_afkraeftet": "Nej"})  # fmt: skip
            rows.append({"dw_ek_kontakt": key, "diag_kode": "DZ038", "diag_kode_type": "B",
                         "senere_afkraeftet": None})  # fmt: skip
    rows.append({"dw_ek_kontakt": "K12", "diag_kode": "DJ189", "diag_kode_type": "A",
                 "senere_afkraeftet": "Ja"})  # fmt: skip
    rows.append({"dw_ek_kontakt": "K12", "diag_kode": "DJ440", "diag_kode_type": "A",
                 "senere_afkraeftet": "Nej"})  # fmt: skip
    return rows


def _kontakt(rows: list[Contact]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            # LPR_A's raw data are mixed case.
            "DW_EK_KONTAKT": [r[0] for r in rows],
            "PNR": [r[1] for r in rows],
            "Kont_starttidspunkt": [_t(r[2]) for r in rows],
            "Kont_sluttidspunkt": [_t(r[3]) if r[3] else None for r in rows],
            "Kont_type": [r[4] for r in rows],
            "Prioritet": [r[5] for r in rows],
            "Kont_ans_hovedspec": [r[6] for r in rows],
            "lprindberetningssystem": [r[7] for r in rows],
        },
        schema_overrides={"Kont_sluttidspunkt": pl.Datetime("us")},
    )


def write_delivery(folder: Path) -> Path:
    """Write the delivery into ``folder`` (created) and return it."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in bef_files().items():
        frame.write_parquet(folder / f"{name}.parquet")
    # DOD with the date as a SAS day number (days since 1960-01-01), as SAS exports leave it.
    days = (_d("2023-08-01") - SAS_EPOCH).days
    pl.DataFrame({"pnr": ["A07"], "doddato": [float(days)]}).write_parquet(
        folder / "dod2023.parquet"
    )
    by_year: dict[str, list[Contact]] = {}
    for contact in CONTACTS:
        by_year.setdefault(contact[2][:4] if contact[2] >= "2024" else "2023", []).append(contact)
    for year, rows in by_year.items():
        _kontakt(rows).write_parquet(folder / f"lpr_a_kontakt{year}.parquet")
    pl.DataFrame(_diagnoses()).write_parquet(folder / "lpr_a_diagnose.parquet")
    lmdb = pl.DataFrame(
        {
            "PNR": ["A01", "A01", "A05", "A05", "A02"],
            "EKSD": [_d(x) for x in ("2023-01-05", "2023-02-05", "2023-03-01", "2023-04-01", "2023-05-01")],
            "ATC": ["C10AA05", "C10AA05", "N02BE01", "N02BE01", "C07AB02"],
            "APK": [1.0, 2.0, 1.0, -1.0, 1.0],  # a returned package: not a dispensing
        }
    )  # fmt: skip
    lmdb.write_csv(folder / "lmdb2023.csv", separator=";", date_format="%d-%m-%Y")
    (folder / "README.txt").write_text("Projektets rådata.\n", encoding="utf-8")
    return folder
