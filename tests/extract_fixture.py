"""One small extract, written the ways real files come: Parquet, Danish CSV, SAS.

The rows are the contract's types; ``danish_csv`` writes them as Danish Excel or
SAS would (``;``, cp1252, decimal comma, day-first dates, ``0615``, ``1``/``2``).
``tests/data/*.sas7bdat`` hold the same rows (made by ``tests/data/make_sas_fixtures.py``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import polars as pl

from datapakke.inputs.schema import TABLES

SAS_FOLDER = Path(__file__).parent / "data"

ROWS: dict[str, list[dict[str, object]]] = {
    "befolkning": [
        {"pnr": "Æ0001", "aar": 2023, "koen": "M", "foed_dato": dt.date(1951, 4, 17),
         "kommunekode": 615},
        {"pnr": "Ø0002", "aar": 2023, "koen": "K", "foed_dato": dt.date(1988, 12, 31),
         "kommunekode": 101},
        {"pnr": "Å0003", "aar": 2023, "koen": "K", "foed_dato": dt.date(2022, 1, 1),
         "kommunekode": 825},
        {"pnr": "Æ0001", "aar": 2024, "koen": "M", "foed_dato": dt.date(1951, 4, 17),
         "kommunekode": 615},
        {"pnr": "Ø0002", "aar": 2024, "koen": "K", "foed_dato": dt.date(1988, 12, 31),
         "kommunekode": 147},
        {"pnr": "P0004", "aar": 2024, "koen": "M", "foed_dato": dt.date(1930, 2, 28),
         "kommunekode": 400},
    ],
    "kontakter": [
        {"kontakt_id": "K1", "pnr": "Æ0001", "start": dt.datetime(2023, 2, 11, 14, 5),
         "slut": dt.datetime(2023, 2, 15, 10, 0), "omraade": "somatik", "prioritet": "akut",
         "kontakttype": "indlaeggelse", "aktionsdiagnose": "DJ189"},
        {"kontakt_id": "K2", "pnr": "Ø0002", "start": dt.datetime(2023, 12, 31, 23, 59, 30),
         "slut": dt.datetime(2024, 1, 2, 8, 0), "omraade": "psykiatri", "prioritet": "planlagt",
         "kontakttype": "ambulant", "aktionsdiagnose": "DF321"},
        {"kontakt_id": "K3", "pnr": "Æ0001", "start": dt.datetime(2024, 3, 1, 0, 0),
         "slut": dt.datetime(2024, 3, 1, 0, 0), "omraade": "somatik", "prioritet": "akut",
         "kontakttype": "ambulant", "aktionsdiagnose": "DS720"},
    ],
    "hjemmepleje": [
        {"pnr": "Æ0001", "aar": 2024, "ydelse": "personlig_pleje", "timer_pr_uge": 2.5},
        {"pnr": "Æ0001", "aar": 2024, "ydelse": "praktisk_hjaelp", "timer_pr_uge": 0.0},
        {"pnr": "P0004", "aar": 2024, "ydelse": "personlig_pleje", "timer_pr_uge": 12.25},
    ],
}  # fmt: skip


def frame(table: str) -> pl.DataFrame:
    """The fixture's rows of ``table`` in the contract's types."""
    return pl.DataFrame(ROWS[table], schema=TABLES[table].schema)


def write_parquet(folder: Path) -> Path:
    """The fixture as Parquet files, exactly typed."""
    folder.mkdir(parents=True, exist_ok=True)
    for table in ROWS:
        frame(table).write_parquet(folder / f"{table}.parquet")
    return folder


def _date(layout: str) -> Callable[[object], str]:
    return lambda value: value.strftime(layout).upper()  # type: ignore[attr-defined]


# How each kind of column is written in the Danish file, per date layout.
DATE_LAYOUTS = ("%d-%m-%Y", "%d.%m.%Y", "%d%b%Y", "%Y%m%d", "%Y-%m-%d")


def danish_value(table: str, column: str, value: object, date_layout: str) -> str:
    """``value`` as Danish Excel or SAS writes it."""
    if column == "koen":
        return "1" if value == "M" else "2"
    if column == "kommunekode":
        return f"{value:04d}"
    if isinstance(value, dt.datetime):
        time = ":%H:%M:%S" if date_layout == "%d%b%Y" else " %H:%M:%S"
        return _date(date_layout + time)(value)
    if isinstance(value, dt.date):
        return _date(date_layout)(value)
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",")
    return str(value)


def _quoted(text: str, separator: str) -> str:
    return f'"{text}"' if separator in text else text


def danish_csv(
    folder: Path,
    *,
    date_layout: str = "%d-%m-%Y",
    encoding: str = "cp1252",
    bom: bool = False,
    separator: str = ";",
) -> Path:
    """The fixture as CSV files written with Danish conventions."""
    folder.mkdir(parents=True, exist_ok=True)
    for table, rows in ROWS.items():
        names = list(TABLES[table].schema.names())
        lines = [separator.join(names)]
        lines += [
            separator.join(
                _quoted(danish_value(table, c, row[c], date_layout), separator) for c in names
            )
            for row in rows
        ]
        data = ("\r\n".join(lines) + "\r\n").encode(encoding)
        if bom:
            data = b"\xef\xbb\xbf" + data
        (folder / f"{table}.csv").write_bytes(data)
    return folder
