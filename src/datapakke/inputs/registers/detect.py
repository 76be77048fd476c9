"""Recognise register deliveries by file and folder names, and say why any other file is unused.

DST names a period file by the register and the period without a separator
(``bef2015.parquet``, ``lpr_adm2018.sas7bdat``, ``bef202312``); converted data
(fastreg) put each register in its own folder, partitioned ``year=YYYY/``. Both are
recognised, in upper or lower case, and so is a folder named by the register
holding its files under any name. LPR3_F's ``kontakter`` shares its name with the
contract table and is told apart by its key column ``dw_ek_kontakt``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from datapakke.inputs.dialect import READ_ERRORS, sniff

DATA_SUFFIXES = (".parquet", ".csv", ".csv.gz", ".sas7bdat")

# Register (as delivered) -> (the layout it belongs to, what it is).
REGISTERS: dict[str, tuple[str, str]] = {
    "bef": ("BEF", "population snapshots"),
    "dod": ("DOD", "deaths"),
    "dodsaars": ("DODSAARSAG", "causes of death 1970-2001"),
    "dodsaasg": ("DODSAARSAG", "causes of death 2002-2022"),
    "dodsaarsager": ("DODSAARSAG", "causes of death from 2022"),
    "lpr_a_kontakt": ("LPR_A", "LPR3 contacts"),
    "lpr_a_diagnose": ("LPR_A", "LPR3 diagnoses"),
    "kontakter": ("LPR3_F", "LPR3 contacts"),
    "diagnoser": ("LPR3_F", "LPR3 diagnoses"),
    "lpr_adm": ("LPR2", "somatic contacts"),
    "lpr_diag": ("LPR2", "somatic diagnoses"),
    "t_psyk_adm": ("LPR2", "psychiatric contacts"),
    "t_psyk_diag": ("LPR2", "psychiatric diagnoses"),
    "lmdb": ("LMDB", "dispensed prescriptions"),
}
# Alternative names of the same register.
ALIASES = {"psyk_adm": "t_psyk_adm", "psyk_diag": "t_psyk_diag", "lpr3_f_kontakter": "kontakter"}
# Registers of the same deliveries that no indicator needs: recognised, listed as unused.
KNOWN_UNUSED: dict[str, str] = {
    "lpr_a_procregistrering": "LPR_A procedures",
    "lpr_a_sghophold": "LPR_A hospital stays (datapakke builds its own from the contacts)",
    "lpr_a_forloeb": "LPR_A courses",
    "lpr_a_helbredsforloeb": "LPR_A health courses",
    "lpr_a_resultat": "LPR_A results",
    "lpr_a_organisationsbesoeg": "LPR_A organisation visits",
    "forloeb": "LPR3_F courses",
    "forloebsmarkoerer": "LPR3_F course markers",
    "procedurer_kirurgi": "LPR3_F surgical procedures",
    "procedurer_andre": "LPR3_F other procedures",
    "resultater": "LPR3_F results",
    "organisationer": "LPR3_F organisations",
    "lpr_bes": "LPR2 outpatient visits",
    "lpr_sksopr": "LPR2 operations",
    "lpr_sksube": "LPR2 procedures",
    "t_psyk_bes": "LPR2 psychiatric outpatient visits",
    "t_psyk_sksopr": "LPR2 psychiatric operations",
    "t_psyk_sksube": "LPR2 psychiatric procedures",
}
# LPR3_F's table names are common words: such a file is LPR3_F's only with its contact key.
GENERIC_NAMES = ("kontakter", "diagnoser")
_NAMES = sorted([*REGISTERS, *ALIASES, *KNOWN_UNUSED], key=len, reverse=True)
_PERIOD_FILE = re.compile(rf"^(?P<name>{'|'.join(_NAMES)})_?(?P<period>\d{{4}}(?:\d{{2}})?)?$")
_PARTITION = re.compile(r"^(?:year|aar)=(?P<year>\d{4})$")


@dataclass(frozen=True)
class Delivery:
    """One file of a register as delivered: the register, the period its name gives, the file."""

    register: str
    path: Path
    period: str | None = None

    @property
    def layout(self) -> str:
        """The delivered layout the register belongs to (BEF, LPR_A, LPR2...)."""
        return REGISTERS[self.register][0]


@dataclass(frozen=True)
class Unused:
    """A file that is not read, and why (``data`` says it looks like data, so it is a warning)."""

    path: Path
    reason: str
    data: bool


def column_names(path: Path) -> list[str]:
    """The column names of a data file, from its header alone; empty if it cannot be read."""
    name = path.name.lower()
    try:
        if name.endswith(".parquet"):
            return list(pl.read_parquet_schema(path))
        if name.endswith(".sas7bdat"):
            import pyreadstat

            _, meta = pyreadstat.read_sas7bdat(str(path), metadataonly=True)
            return list(meta.column_names)
        return list(sniff(path).header)
    except (*READ_ERRORS, pl.exceptions.PolarsError):
        return []
    except Exception:  # pyreadstat raises its own errors for damaged files
        return []


def data_stem(path: Path) -> str | None:
    """The name of a data file without its suffix, lower-cased; None for other files."""
    name = path.name.lower()
    for suffix in DATA_SUFFIXES:
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return None


def _register_of(stem: str) -> tuple[str, str | None] | None:
    match = _PERIOD_FILE.match(stem)
    if match is None:
        return None
    name = ALIASES.get(match["name"], match["name"])
    return name, match["period"]


def recognise(path: Path, folder: Path) -> Delivery | Unused | None:
    """The register delivery ``path`` holds, an Unused with the reason, or None if unknown."""
    stem = data_stem(path)
    if stem is None:
        return Unused(path, "not a data file (.parquet, .csv, .csv.gz or .sas7bdat)", data=False)
    found = _register_of(stem)
    period: str | None = None
    if found is None:
        # A register's own folder: bef/year=2023/part-0.parquet or lpr_a_kontakt/2021.parquet.
        for parent in path.relative_to(folder).parents:
            name = parent.name.lower()
            partition = _PARTITION.match(name)
            if partition:
                period = period or partition["year"]
                continue
            at = _register_of(name)
            if at is not None:
                found = (at[0], at[1] or period)
                break
    if found is None:
        return None
    register, period = found[0], found[1] or period
    if register in KNOWN_UNUSED:
        return Unused(path, f"{KNOWN_UNUSED[register]}: no indicator needs them", data=False)
    if register in GENERIC_NAMES and "dw_ek_kontakt" not in {
        c.strip().lower() for c in column_names(path)
    }:
        return None  # named like LPR3_F's tables, but not keyed like them
    return Delivery(register, path, period)
