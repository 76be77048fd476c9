"""Write tests/data/*.sas7bdat from tests/extract_fixture.py (run by hand; the files are committed).

pyreadstat reads SAS files but cannot write them, and the ``readstat`` command
line tool drops SAS formats when it converts. ReadStat's C library can write
SAS7BDAT with formats, so this script calls it through ctypes. It needs
Debian's ``libreadstat1`` (``apt-get install readstat``); the tests do not.

    python tests/data/make_sas_fixtures.py
"""

from __future__ import annotations

import ctypes
import datetime as dt
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.extract_fixture import ROWS, SAS_FOLDER

STRING, DOUBLE = 0, 5  # readstat_type_t
SAS_EPOCH = dt.datetime(1960, 1, 1)
WRITER = ctypes.CFUNCTYPE(ctypes.c_ssize_t, ctypes.c_void_p, ctypes.c_size_t, ctypes.c_void_p)
# How SAS stores each column of the fixture: (format, type); dates are numbers with a format.
FORMATS = {
    "aar": ("", DOUBLE),
    "koen": ("", DOUBLE),  # 1/2, as in CPR
    "foed_dato": ("DATE9", DOUBLE),
    "kommunekode": ("", DOUBLE),
    "start": ("DATETIME20", DOUBLE),
    "slut": ("DATETIME20", DOUBLE),
    "timer_pr_uge": ("", DOUBLE),
}


def _library() -> ctypes.CDLL:
    lib = ctypes.CDLL("libreadstat.so.1")
    lib.readstat_writer_init.restype = ctypes.c_void_p
    lib.readstat_add_variable.restype = ctypes.c_void_p
    lib.readstat_add_variable.argtypes = [
        ctypes.c_void_p,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_size_t,
    ]
    lib.readstat_variable_set_format.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
    lib.readstat_set_data_writer.argtypes = [ctypes.c_void_p, WRITER]
    lib.readstat_begin_writing_sas7bdat.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_long]
    for name in (
        "readstat_begin_row",
        "readstat_end_row",
        "readstat_end_writing",
        "readstat_writer_free",
    ):
        getattr(lib, name).argtypes = [ctypes.c_void_p]
    lib.readstat_insert_double_value.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_double]
    lib.readstat_insert_string_value.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_char_p]
    return lib


def _number(column: str, value: object) -> float:
    if column == "koen":
        return 1.0 if value == "M" else 2.0
    if isinstance(value, dt.datetime):
        return (value - SAS_EPOCH).total_seconds()
    if isinstance(value, dt.date):
        return float((value - SAS_EPOCH.date()).days)
    return float(value)  # type: ignore[arg-type]


def write(table: str, rows: list[dict[str, object]], target: Path) -> None:
    """Write ``rows`` as a SAS7BDAT dataset."""
    lib = _library()
    out = bytearray()

    @WRITER
    def sink(data: int, length: int, _ctx: int) -> int:
        out.extend(ctypes.string_at(data, length))
        return length

    writer = lib.readstat_writer_init()
    lib.readstat_set_data_writer(writer, sink)
    variables = {}
    for column in rows[0]:
        fmt, kind = FORMATS.get(column, ("", STRING))
        width = max(len(str(r[column]).encode()) for r in rows) if kind == STRING else 8
        var = lib.readstat_add_variable(writer, column.upper().encode(), kind, width)
        if fmt:
            lib.readstat_variable_set_format(var, fmt.encode())
        variables[column] = (var, kind)
    if lib.readstat_begin_writing_sas7bdat(writer, None, len(rows)) != 0:
        raise RuntimeError("readstat could not start writing")
    for row in rows:
        lib.readstat_begin_row(writer)
        for column, (var, kind) in variables.items():
            if kind == STRING:
                lib.readstat_insert_string_value(writer, var, str(row[column]).encode())
            else:
                lib.readstat_insert_double_value(writer, var, _number(column, row[column]))
        lib.readstat_end_row(writer)
    lib.readstat_end_writing(writer)
    lib.readstat_writer_free(writer)
    target.write_bytes(bytes(out))


if __name__ == "__main__":
    for table, rows in ROWS.items():
        write(table, rows, SAS_FOLDER / f"{table}.sas7bdat")
        print(f"wrote {SAS_FOLDER / (table + '.sas7bdat')}")
