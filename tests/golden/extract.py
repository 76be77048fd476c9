"""A small, fully deterministic register extract with all six tables (a few hundred persons).

Four municipalities in two clusters of two regions: Horsens (615) and Hedensted (766)
in Horsensklyngen (Region Midtjylland), Aarhus (751) in Aarhusklyngen, and
Frederiksberg (147) in Region Hovedstaden; years 2022-2024. Regenerate the expected
table after a deliberate change of the engine with::

    python -m tests.golden.extract
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import polars as pl

from datapakke.inputs.read import Extract
from datapakke.inputs.schema import TABLES

HERE = Path(__file__).parent
EXPECTED = HERE / "expected_indicators.csv"
YEARS = (2022, 2023, 2024)
KOMMUNER = {615: 110, 766: 60, 751: 90, 147: 70}  # persons living there
DIAGNOSES = ("DJ189", "DE86", "DS720", "DJ441", "DE119", "DF200", "DF320", "DI21", "DC50", "DN390")
DRUGS = ("C10AA05", "N02BE01", "C07AB02", "A02BC02", "B01AC06", "C09AA05", "N05CF01")
DISEASES = ("type2_diabetes", "kol", "astma", "demens", "skizofreni", "osteoporose")


Row = dict[str, object]


def _people(rng: np.random.Generator) -> list[Row]:
    people: list[Row] = []
    for kommune, size in KOMMUNER.items():
        for i in range(size):
            age = int(rng.choice([2, 10, 16, 30, 45, 60, 68, 75, 82, 91])) + int(rng.integers(0, 5))
            people.append(
                {
                    "pnr": f"G{kommune}{i:03d}",
                    "koen": "K" if i % 2 else "M",
                    "foed_dato": dt.date(2021 - age, 1 + i % 12, 1 + i % 27),
                    "kommunekode": kommune,
                }
            )
    return people


def _contacts(rng: np.random.Generator, people: list[Row]) -> list[Row]:
    contacts: list[Row] = []
    for n, person in enumerate(people):
        for k in range(int(rng.poisson(1.5))):
            year = int(rng.choice(YEARS))
            start = dt.datetime(year, 1, 1, 8) + dt.timedelta(days=int(rng.integers(0, 360)))
            contacts.append(
                {
                    "kontakt_id": f"C{n:04d}{k}",
                    "pnr": person["pnr"],
                    "start": start,
                    "slut": start + dt.timedelta(days=int(rng.integers(0, 6)), hours=2),
                    "omraade": "psykiatri" if rng.random() < 0.2 else "somatik",
                    "prioritet": "akut" if rng.random() < 0.6 else "planlagt",
                    "kontakttype": "indlaeggelse" if rng.random() < 0.7 else "ambulant",
                    "aktionsdiagnose": str(rng.choice(DIAGNOSES)),
                }
            )
        # A readmission 12 days after the first contact of every 7th person.
        if n % 7 == 0 and contacts and contacts[-1]["pnr"] == person["pnr"]:
            first = contacts[-1]
            start = first["slut"] + dt.timedelta(days=12)
            contacts.append(
                {**first, "kontakt_id": f"R{n:04d}", "start": start, "slut": start,
                 "prioritet": "akut", "kontakttype": "indlaeggelse"}
            )  # fmt: skip
    return contacts


def _prescriptions(rng: np.random.Generator, people: list[Row]) -> list[Row]:
    prescriptions: list[Row] = []
    for person in people:
        for year in YEARS:
            for drug in rng.choice(DRUGS, size=int(rng.integers(0, 7)), replace=False):
                for _ in range(int(rng.integers(1, 4))):
                    day = dt.date(year, 1, 1) + dt.timedelta(days=int(rng.integers(0, 365)))
                    prescriptions.append(
                        {"pnr": person["pnr"], "udlevering_dato": day, "atc": drug}
                    )
    return prescriptions


def _chronic(rng: np.random.Generator, people: list[Row]) -> list[Row]:
    chronic: list[Row] = []
    for person in people:
        for disease in DISEASES:
            if rng.random() < 0.12:
                onset = dt.date(2018, 1, 1) + dt.timedelta(days=int(rng.integers(0, 2300)))
                chronic.append({"pnr": person["pnr"], "sygdom": disease, "debut_dato": onset})
    return chronic


def golden_tables() -> dict[str, pl.DataFrame]:
    """The six tables, built from a fixed seed: the same frames on every machine."""
    rng = np.random.default_rng(20270101)
    people = _people(rng)
    befolkning: list[Row] = []
    deaths: list[Row] = []
    for n, person in enumerate(people):
        for year in YEARS:
            # Every 40th person moves from their municipality to Aarhus in 2024.
            kommune = 751 if (n % 40 == 0 and year == 2024) else person["kommunekode"]
            befolkning.append({**person, "aar": year, "kommunekode": kommune})
        if n % 23 == 5:
            deaths.append({"pnr": person["pnr"], "doed_dato": dt.date(2024, 1 + n % 12, 15)})
    contacts = _contacts(rng, people)
    prescriptions = _prescriptions(rng, people)
    chronic = _chronic(rng, people)
    home_care = [
        {"pnr": row["pnr"], "aar": row["aar"], "ydelse": "praktisk_hjaelp", "timer_pr_uge": 1.5}
        for row in befolkning
        if _born(row).year < int(str(row["aar"])) - 70
        and hash_choice(str(row["pnr"]), int(str(row["aar"])))
    ]
    rows: dict[str, list[Row]] = {
        "befolkning": befolkning,
        "doedsfald": deaths,
        "kontakter": contacts,
        "recepter": prescriptions,
        "kroniske": chronic,
        "hjemmepleje": home_care,
    }
    return {name: pl.DataFrame(data, schema=TABLES[name].schema) for name, data in rows.items()}


def _born(row: Row) -> dt.date:
    born = row["foed_dato"]
    assert isinstance(born, dt.date)
    return born


def hash_choice(pnr: str, year: int) -> bool:
    """A deterministic coin (no Python hash(): it is salted per process)."""
    return (sum(map(ord, pnr)) + year) % 3 == 0


def golden_extract() -> Extract:
    """The golden tables as an in-memory extract."""
    tables = {name: frame.lazy() for name, frame in golden_tables().items()}
    return Extract(folder=HERE, tables=tables, files={})


def _regenerate() -> None:
    from datapakke.engine.compute import compute
    from datapakke.geography import load_geography

    compute(golden_extract(), load_geography()).indicators.write_csv(EXPECTED)
    print(f"Wrote {EXPECTED}")


if __name__ == "__main__":
    _regenerate()
