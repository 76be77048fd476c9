"""The input contract: the register tables, their columns, types and rules.

One description drives reading, validation, the synthetic generator and
``docs/data-contract.md``, so that they cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import polars as pl


@dataclass(frozen=True)
class Column:
    """One column of a register table."""

    name: str
    dtype: pl.DataType
    description: str
    example: str
    allowed: tuple[str, ...] | None = None
    nullable: bool = False


@dataclass(frozen=True)
class Table:
    """One register table: a file ``<name>.parquet|.csv|.csv.gz|.sas7bdat`` in an extract."""

    name: str
    register: str
    one_row_per: str
    required: bool
    columns: tuple[Column, ...]
    unique_key: tuple[str, ...] = ()

    @property
    def schema(self) -> pl.Schema:
        """The Polars schema of the table as the rest of the tool sees it."""
        return pl.Schema({c.name: c.dtype for c in self.columns})

    def column(self, name: str) -> Column:
        """The column called ``name``."""
        return next(c for c in self.columns if c.name == name)


SYGDOMME = (
    "type1_diabetes",
    "type2_diabetes",
    "kol",
    "astma",
    "leddegigt",
    "osteoporose",
    "demens",
    "skizofreni",
)

_PNR = Column("pnr", pl.String(), "pseudonymised person id, non-empty", "P00012345")

BEFOLKNING = Table(
    name="befolkning",
    register="CPR / BEF (population on 1 January)",
    one_row_per="person and year",
    required=True,
    unique_key=("pnr", "aar"),
    columns=(
        _PNR,
        Column("aar", pl.Int32(), "the year whose 1 January the row describes", "2023"),
        Column("koen", pl.String(), "sex: M (man) or K (woman)", "K", allowed=("M", "K")),
        Column("foed_dato", pl.Date(), "date of birth, not after 1 January of aar", "1951-04-17"),
        Column("kommunekode", pl.Int32(), "municipality of residence on 1 January", "615"),
    ),
)

DOEDSFALD = Table(
    name="doedsfald",
    register="Dødsårsagsregisteret",
    one_row_per="death",
    required=False,
    unique_key=("pnr",),
    columns=(_PNR, Column("doed_dato", pl.Date(), "date of death", "2023-03-02")),
)

KONTAKTER = Table(
    name="kontakter",
    register="Landspatientregisteret (LPR3)",
    one_row_per="hospital contact",
    required=False,
    unique_key=("kontakt_id",),
    columns=(
        Column("kontakt_id", pl.String(), "contact id, unique", "K000001"),
        _PNR,
        Column("start", pl.Datetime("us"), "start of the contact", "2023-02-11 14:05:00"),
        Column(
            "slut", pl.Datetime("us"), "end of the contact, not before start", "2023-02-15 10:00:00"
        ),
        Column(
            "omraade",
            pl.String(),
            "somatic or psychiatric",
            "somatik",
            allowed=("somatik", "psykiatri"),
        ),
        Column("prioritet", pl.String(), "acute or planned", "akut", allowed=("akut", "planlagt")),
        Column(
            "kontakttype",
            pl.String(),
            "inpatient (indlaeggelse) or outpatient / emergency visit (ambulant)",
            "indlaeggelse",
            allowed=("indlaeggelse", "ambulant"),
        ),
        Column(
            "aktionsdiagnose",
            pl.String(),
            "SKS-coded ICD-10 main diagnosis: D + code without dot",
            "DJ189",
        ),
    ),
)

RECEPTER = Table(
    name="recepter",
    register="Lægemiddelstatistikregisteret",
    one_row_per="dispensed prescription",
    required=False,
    columns=(
        _PNR,
        Column("udlevering_dato", pl.Date(), "date the drug was dispensed", "2023-05-30"),
        Column("atc", pl.String(), "ATC code, 1 to 7 characters", "C10AA05"),
    ),
)

KRONISKE = Table(
    name="kroniske",
    register="RUKS (chronic disease and severe mental illness register)",
    one_row_per="person and disease",
    required=False,
    unique_key=("pnr", "sygdom"),
    columns=(
        _PNR,
        Column("sygdom", pl.String(), "the disease", "type2_diabetes", allowed=SYGDOMME),
        Column(
            "debut_dato",
            pl.Date(),
            "the date the person first meets the register's criteria",
            "2015-09-01",
        ),
    ),
)

HJEMMEPLEJE = Table(
    name="hjemmepleje",
    register="Ældredokumentationen (home care)",
    one_row_per="person, year and service",
    required=False,
    unique_key=("pnr", "aar", "ydelse"),
    columns=(
        _PNR,
        Column("aar", pl.Int32(), "the year", "2023"),
        Column(
            "ydelse",
            pl.String(),
            "personal care or practical help",
            "personlig_pleje",
            allowed=("personlig_pleje", "praktisk_hjaelp"),
        ),
        Column("timer_pr_uge", pl.Float64(), "visited hours per week, at least 0", "3.5"),
    ),
)

TABLES: Mapping[str, Table] = {
    t.name: t for t in (BEFOLKNING, DOEDSFALD, KONTAKTER, RECEPTER, KRONISKE, HJEMMEPLEJE)
}
