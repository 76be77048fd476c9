"""The input contract: the register tables, their columns, types and rules.

One description drives reading, validation, the synthetic generator and
``docs/data-contract.md``, so that they cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal, get_args

import polars as pl

from datapakke.codes import ATC_CODE, SKS_DIAGNOSIS
from datapakke.dates import age_on_january_first
from datapakke.inputs.findings import Severity


@dataclass(frozen=True)
class Column:
    """One column of a register table and the rules its values follow.

    ``allowed`` lists the only values a string column may hold; ``pattern`` is a
    regular expression every value must match (``pattern_text`` says it in words);
    ``minimum`` bounds a number from below; ``not_in_future`` refuses dates (or
    years) after the day of the check; ``municipality`` requires one of the
    geography's municipality codes. The last three serve the delivered registers'
    own columns: ``aliases`` are other names of the column, a ``nullable`` column
    may hold empty values, an ``optional`` one may be absent (then it is empty).
    """

    name: str
    dtype: pl.DataType
    description: str
    example: str
    allowed: tuple[str, ...] | None = None
    pattern: str | None = None
    pattern_text: str | None = None
    minimum: float | None = None
    not_in_future: bool = False
    municipality: bool = False
    aliases: tuple[str, ...] = ()
    nullable: bool = False
    optional: bool = False

    @property
    def type_name(self) -> str:
        """The contract's name of the column type (string, int, float, date, datetime)."""
        return type_name(self.dtype)


@dataclass(frozen=True)
class Rule:
    """A rule across columns of one row; ``violated`` builds an expression true where it fails.

    Rows that break it are refused (``severity`` ERROR), or reported only: as a warning
    (an implausible value) or a note (say, rows a layout leaves out), counted in the
    same pass as the checks.
    """

    column: str
    description: str
    violated: Callable[[], pl.Expr]
    hint: str
    shown: Callable[[], pl.Expr] | None = None
    severity: Severity = Severity.ERROR


# No one in Denmark has been recorded older (the oldest Dane reached 111).
MAX_PLAUSIBLE_AGE = 115


def _age_on_1_january() -> pl.Expr:
    return age_on_january_first(pl.col("foed_dato"), pl.col("aar"))


@dataclass(frozen=True)
class Table:
    """One register table: a file ``<name>.parquet|.csv|.csv.gz|.sas7bdat`` in an extract.

    Which indicators need it is the catalogue's to say (``Catalogue.indicators_by_table``).
    """

    name: str
    register: str
    one_row_per: str
    required: bool
    columns: tuple[Column, ...]
    unique_key: tuple[str, ...] = ()
    rules: tuple[Rule, ...] = ()
    notes: tuple[str, ...] = ()
    reference: str = "docs/data-contract.md"  # where a user reads its columns

    @property
    def schema(self) -> pl.Schema:
        """The Polars schema of the table as the rest of the tool sees it."""
        return pl.Schema({c.name: c.dtype for c in self.columns})

    def column(self, name: str) -> Column:
        """The column called ``name``."""
        return next(c for c in self.columns if c.name == name)


def type_name(dtype: pl.DataType) -> str:
    """The contract's word for a Polars type."""
    if dtype == pl.String():
        return "string"
    if dtype.is_integer():
        return "int"
    if dtype.is_float():
        return "float"
    if dtype == pl.Date():
        return "date"
    if isinstance(dtype, pl.Datetime):
        return "datetime"
    raise ValueError(f"no contract type for {dtype}")


Sygdom = Literal[
    "type1_diabetes",
    "type2_diabetes",
    "kol",
    "astma",
    "leddegigt",
    "osteoporose",
    "demens",
    "skizofreni",
]
SYGDOMME: tuple[str, ...] = get_args(Sygdom)


_PNR = Column("pnr", pl.String(), "pseudonymised person id, non-empty", "P00012345")

BEFOLKNING = Table(
    name="befolkning",
    register="CPR / BEF (population on 1 January)",
    one_row_per="person and year",
    required=True,
    unique_key=("pnr", "aar"),
    columns=(
        _PNR,
        Column(
            "aar",
            pl.Int32(),
            "the year whose 1 January the row describes",
            "2023",
            minimum=1900,
            not_in_future=True,
        ),
        Column("koen", pl.String(), "sex: M (man) or K (woman)", "K", allowed=("M", "K")),
        Column(
            "foed_dato",
            pl.Date(),
            "date of birth, not after 1 January of aar",
            "1951-04-17",
            not_in_future=True,
        ),
        Column(
            "kommunekode",
            pl.Int32(),
            "municipality of residence on 1 January: one of the 98 municipality codes",
            "615",
            municipality=True,
        ),
    ),
    rules=(
        Rule(
            "foed_dato",
            "a birth date after 1 January of aar",
            # Born after 1 January of aar is a negative age then: one expression for both
            # rules, computed once per row.
            lambda: _age_on_1_january() < 0,
            "A person counted on 1 January must be born by then; check the aar and "
            "foed_dato columns (day and month swapped?).",
            shown=lambda: pl.format("born {} in aar {}", pl.col("foed_dato"), pl.col("aar")),
        ),
        Rule(
            "foed_dato",
            f"an age over {MAX_PLAUSIBLE_AGE} years on 1 January of aar",
            lambda: _age_on_1_january() > MAX_PLAUSIBLE_AGE,
            "No one in Denmark has lived this long: the birth date is probably mistyped "
            "(1900 for 2000?) or a placeholder. The person is counted in the oldest age group.",
            shown=lambda: pl.format(
                "born {}, {} years old in aar {}",
                pl.col("foed_dato"),
                _age_on_1_january(),
                pl.col("aar"),
            ),
            severity=Severity.WARNING,
        ),
    ),
    notes=("Age is whole years on 1 January of `aar`.",),
)

DOEDSFALD = Table(
    name="doedsfald",
    register="Dødsårsagsregisteret",
    one_row_per="death",
    required=False,
    unique_key=("pnr",),
    columns=(
        _PNR,
        Column("doed_dato", pl.Date(), "date of death", "2023-03-02", not_in_future=True),
    ),
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
        Column(
            "start",
            pl.Datetime("us"),
            "start of the contact",
            "2023-02-11 14:05:00",
            not_in_future=True,
        ),
        Column(
            "slut",
            pl.Datetime("us"),
            "end of the contact, not before start",
            "2023-02-15 10:00:00",
            not_in_future=True,
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
            "main diagnosis (aktionsdiagnose)",
            "DJ189",
            pattern=SKS_DIAGNOSIS,
            pattern_text="SKS diagnosis codes (D + ICD-10 code without dot)",
        ),
    ),
    rules=(
        Rule(
            "slut",
            "an end (slut) before the start",
            lambda: pl.col("slut") < pl.col("start"),
            "slut must not be before start; check whether the two columns are swapped.",
            shown=lambda: pl.format(
                "{} to {}",
                pl.col("start").dt.to_string("%Y-%m-%d %H:%M"),
                pl.col("slut").dt.to_string("%Y-%m-%d %H:%M"),
            ),
        ),
    ),
    notes=(
        "A contact belongs to the area of the person's `kommunekode` in `befolkning` "
        "for the year the contact starts (residence on 1 January of that year).",
    ),
)

RECEPTER = Table(
    name="recepter",
    register="Lægemiddelstatistikregisteret",
    one_row_per="dispensed prescription",
    required=False,
    columns=(
        _PNR,
        Column(
            "udlevering_dato",
            pl.Date(),
            "date the drug was dispensed",
            "2023-05-30",
            not_in_future=True,
        ),
        Column(
            "atc",
            pl.String(),
            "the drug dispensed",
            "C10AA05",
            pattern=ATC_CODE,
            pattern_text="ATC codes (1 to 7 characters, e.g. C10AA05)",
        ),
    ),
    notes=("Rows need not be unique: the same drug can be dispensed twice on one day.",),
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
            not_in_future=True,
        ),
    ),
    notes=(
        "A person counts as having the disease in year Y if `debut_dato` is before "
        "1 January of Y and the person is in `befolkning` for Y.",
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
        Column("aar", pl.Int32(), "the year", "2023", minimum=1900, not_in_future=True),
        Column(
            "ydelse",
            pl.String(),
            "personal care or practical help",
            "personlig_pleje",
            allowed=("personlig_pleje", "praktisk_hjaelp"),
        ),
        Column(
            "timer_pr_uge",
            pl.Float64(),
            "visited hours per week, at least 0",
            "3.5",
            minimum=0.0,
        ),
    ),
)

TABLES: Mapping[str, Table] = {
    t.name: t for t in (BEFOLKNING, DOEDSFALD, KONTAKTER, RECEPTER, KRONISKE, HJEMMEPLEJE)
}
