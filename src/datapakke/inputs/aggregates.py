"""Aggregate inputs: numbers others publish per area (survey estimates, the population
projection) and a user's own indicators, in one long format beside the registers.

Every file in the extract's ``aggregater/`` folder (CSV, CSV.gz, Parquet or SAS) holds
rows of the same columns (``docs/aggregates.md``); they are read and checked like the
register tables, so a bad value is reported with its file, line and column. What a row
means (an estimate with its interval, a count, a projected number of persons) depends
on the catalogue entry that reads its ``indikator``; the engine applies those rules.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from datapakke.geography import Geography, load_geography, shipped_area_sets
from datapakke.inputs.checks import CheckedSource, check_source
from datapakke.inputs.findings import MAX_EXAMPLES, FileSummary, Finding, Findings, Severity
from datapakke.inputs.folders import AGGREGATES_FOLDER, aggregate_files, not_a_file
from datapakke.inputs.integrity import DecodeGuard, refused_as_damaged
from datapakke.inputs.readers import LINE, Workdir, open_source
from datapakke.inputs.schema import Column, Rule, Table

TABLE_NAME = "aggregater"
SUFFIXES = (".csv", ".csv.gz", ".parquet", ".sas7bdat")
# Where each row came from, kept beside the contract's columns for later messages.
FILE, ROW = "fil", "linje"
# The levels whose codes are numbers (a leading zero, '0101', is the same code).
NUMBERED_LEVELS = ("kommune", "region")

_PERIOD = r"^\d{4}(-\d{4})?$"
_AGE = r"^\d{1,3}(-\d{1,3}|\+)?$"


def _first_year() -> pl.Expr:
    return pl.col("periode").str.slice(0, 4).cast(pl.Int32, strict=False)


def _last_year() -> pl.Expr:
    return pl.col("periode").str.slice(-4, 4).cast(pl.Int32, strict=False)


def _age_bounds() -> tuple[pl.Expr, pl.Expr]:
    """The lowest and highest age of ``alder`` ('65-69', '90+', '67'); an open group's
    highest age is null."""
    low = pl.col("alder").str.extract(r"^(\d+)").cast(pl.Int32, strict=False)
    high = (
        pl.when(pl.col("alder").str.ends_with("+"))
        .then(pl.lit(None, dtype=pl.Int32))
        .otherwise(pl.col("alder").str.extract(r"(\d+)$").cast(pl.Int32, strict=False))
    )
    return low, high


def area_code() -> pl.Expr:
    """``kode`` as the geography writes it: numbered levels without leading zeros."""
    numbered = pl.col("niveau").is_in(NUMBERED_LEVELS) & pl.col("kode").str.contains(r"^\d+$")
    return (
        pl.when(numbered)
        .then(pl.col("kode").cast(pl.Int64, strict=False).cast(pl.String))
        .otherwise(pl.col("kode"))
    )


def _known(known: pl.Series) -> pl.Expr:
    return pl.format("{}|{}", "niveau", area_code()).is_in(known.implode())


def _always_known(areas: pl.DataFrame) -> pl.Expr:
    """Rows whose area every area set has (a municipality, the country), or of a level no
    set has: an unknown one is a mistake. A region, cluster or council of another area
    set (the five regions before 2027) is not: such rows are left out with a warning."""
    wider = set(areas["area_level"].unique().to_list()) | {"region"}
    wider |= {load_geography(s).level for s in shipped_area_sets()}
    return ~pl.col("niveau").is_in(sorted(wider - {"kommune", "land"}))


def _key_series(geography: Geography) -> tuple[pl.DataFrame, pl.Series]:
    areas = geography.membership().select("area_level", "area_code").unique()
    return areas, pl.Series([f"{level}|{code}" for level, code in areas.iter_rows()])


def aggregates_table(geography: Geography) -> Table:
    """The contract of an aggregate file; its codes are checked against ``geography``."""
    areas, known = _key_series(geography)
    levels = ", ".join(sorted(areas["area_level"].unique().to_list()))
    low, high = _age_bounds()
    return Table(
        name=TABLE_NAME,
        register="aggregate inputs (survey estimates, projections, a user's indicators)",
        one_row_per="indicator, area, period, sex and age group",
        required=False,
        reference="docs/aggregates.md",
        unique_key=("indikator", "niveau", "kode", "periode", "koen", "alder"),
        columns=(
            Column(
                "indikator",
                pl.String(),
                "the catalogue's id of the indicator (or the series) the row belongs to",
                "daglig_rygning",
                pattern=r"^[a-z0-9_]+$",
                pattern_text="ids of lower-case letters, digits and _",
            ),
            Column("niveau", pl.String(), f"the area's level: {levels}", "kommune"),
            Column(
                "kode",
                pl.String(),
                "the area's code: a municipality's or region's number, a cluster's id, "
                "DK for the country",
                "615",
            ),
            Column(
                "periode",
                pl.String(),
                "the year, or the years pooled (first-last), the value describes",
                "2023",
                pattern=_PERIOD,
                pattern_text="a year (2023) or a period (2019-2023)",
            ),
            Column(
                "koen",
                pl.String(),
                "sex: M or K; empty for both",
                "K",
                allowed=("M", "K"),
                nullable=True,
                optional=True,
            ),
            Column(
                "alder",
                pl.String(),
                "age group: 65-69, 90+ or one age (67); empty for the whole group",
                "65-69",
                pattern=_AGE,
                pattern_text="age groups like 65-69, 90+ or 67",
                nullable=True,
                optional=True,
            ),
            Column(
                "vaerdi",
                pl.Float64(),
                "the value (empty: computed from antal and grundlag)",
                "17.4",
                nullable=True,
                optional=True,
            ),
            Column(
                "nedre",
                pl.Float64(),
                "lower bound of the 95 % confidence interval",
                "15.9",
                nullable=True,
                optional=True,
            ),
            Column(
                "oevre",
                pl.Float64(),
                "upper bound of the 95 % confidence interval",
                "19.0",
                nullable=True,
                optional=True,
            ),
            Column(
                "antal",
                pl.Int64(),
                "the count behind the value (persons or events)",
                "412",
                minimum=0,
                nullable=True,
                optional=True,
            ),
            Column(
                "grundlag",
                pl.Int64(),
                "the denominator: persons (or respondents)",
                "2381",
                minimum=0,
                nullable=True,
                optional=True,
            ),
            Column("kilde", pl.String(), "where the number comes from", "Sundhedsprofilen 2023"),
        ),
        rules=(
            Rule(
                "kode",
                f"areas the geography does not know (levels: {levels})",
                lambda: ~_known(known) & _always_known(areas),
                "Use a level above and the area's code there: a municipality's or region's "
                "number (615, 1082), an area's id ('datapakke omraader'), DK for the country.",
                shown=lambda: pl.format("{} {}", "niveau", "kode"),
            ),
            Rule(
                "periode",
                "periods that end before they start",
                lambda: _last_year() < _first_year(),
                "Write a period as first-last, e.g. 2019-2023.",
            ),
            Rule(
                "alder",
                "age groups whose highest age is below the lowest",
                lambda: high < low,
                "Write an age group as lowest-highest, e.g. 65-69.",
            ),
            Rule(
                "nedre",
                "an interval with one bound only",
                lambda: pl.col("nedre").is_null() != pl.col("oevre").is_null(),
                "Give both nedre and oevre, or neither.",
            ),
            Rule(
                "vaerdi",
                "values outside their interval (nedre to oevre)",
                lambda: (pl.col("vaerdi") < pl.col("nedre")) | (pl.col("vaerdi") > pl.col("oevre")),
                "A value lies within its confidence interval: check whether the columns are "
                "swapped.",
                shown=lambda: pl.format("{} ({} to {})", "vaerdi", "nedre", "oevre"),
            ),
            Rule(
                "vaerdi",
                "rows with neither a value nor a count",
                lambda: pl.col("vaerdi").is_null() & pl.col("antal").is_null(),
                "Give vaerdi, or antal and grundlag for a count the tool turns into a rate.",
                shown=lambda: pl.format("{} {} {}", "indikator", "kode", "periode"),
            ),
            Rule(
                "antal",
                "counts larger than their denominator (grundlag)",
                lambda: pl.col("antal") > pl.col("grundlag"),
                "antal counts persons or events among grundlag persons; check the columns.",
                shown=lambda: pl.format("{} of {}", "antal", "grundlag"),
            ),
        ),
    )


@dataclass(frozen=True)
class Aggregates:
    """The checked rows of every aggregate file (typed, codes as the geography writes
    them, with ``fil`` and ``linje``), or None when any file has an error."""

    frame: pl.LazyFrame | None
    files: tuple[Path, ...]


def read_aggregates(
    folder: Path,
    geography: Geography,
    today: dt.date,
    findings: Findings,
    workdir: Workdir,
    summaries: list[FileSummary],
    series_needed: Mapping[str, Sequence[str]] | None = None,
    guard: DecodeGuard | None = None,
) -> Aggregates:
    """Read and check every aggregate file of the extract ``folder``.

    ``series_needed`` maps each ``indikator`` the catalogue reads to its indicators:
    rows no entry reads are reported, as are entries without rows. ``guard`` decodes
    the Parquet files among them in a child process first (``aggregate_files`` lists them).
    """
    table = aggregates_table(geography)
    files = aggregate_files(folder)
    checked: list[CheckedSource] = []
    for path in files:
        if not path.is_file():
            findings.add(not_a_file(path, TABLE_NAME))
            continue
        if not path.name.lower().endswith(SUFFIXES):
            findings.add(
                Finding(
                    Severity.WARNING,
                    TABLE_NAME,
                    f"{path.relative_to(folder)}: not read (not a CSV, Parquet or SAS file)",
                    file=path,
                    hint="Save it as .csv or .parquet in the long format of "
                    "docs/aggregates.md, or move it out of the aggregater folder.",
                )
            )
            continue
        if refused_as_damaged(guard, TABLE_NAME, path, findings, summaries):
            continue
        source = open_source(path, table, workdir, findings)
        result = None if source is None else check_source(source, geography, today, findings)
        rows = result.rows if result is not None else None
        summaries.append(FileSummary(TABLE_NAME, path, source.kind if source else "?", rows))
        if result is not None:
            checked.append(result)
    if not checked or any(findings.has_errors_for(p) for p in files):
        frame = None
    else:
        frame = pl.concat(
            [
                c.checking.select(
                    *(pl.col(col.name) for col in table.columns),
                    pl.lit(str(c.source.path)).alias(FILE),
                    pl.col(LINE).cast(pl.Int64).alias(ROW),
                )
                for c in checked
            ]
        ).with_columns(kode=area_code())
        if _repeated_keys(frame, table.unique_key, findings):
            frame = None
        else:
            frame = _without_other_sets_areas(frame, geography, findings)
    if frame is not None and series_needed is not None:
        _say_what_is_read(frame, series_needed, findings)
    elif not files and series_needed:
        wanted = sorted(i for ids in series_needed.values() for i in ids)
        findings.add(
            Finding(
                Severity.WARNING,
                TABLE_NAME,
                f"no folder {AGGREGATES_FOLDER}/, so these indicators will be missing from the "
                "packs: " + ", ".join(wanted),
                hint="Put survey estimates, the population projection and your own indicators "
                f"in {AGGREGATES_FOLDER}/ in the format of docs/aggregates.md.",
            )
        )
    return Aggregates(frame, files)


def _repeated_keys(frame: pl.LazyFrame, key: tuple[str, ...], findings: Findings) -> bool:
    """Report rows that say the same thing twice once codes are read as the geography's
    ('0615' is 615) or across files (each file's own repeats are already reported)."""
    repeated = (
        frame.filter(pl.struct(key).is_duplicated())
        .sort([*key, FILE, ROW])
        .select(*key, FILE, ROW)
        .collect()
    )
    if repeated.is_empty():
        return False
    first = repeated.head(MAX_EXAMPLES)
    findings.add(
        Finding(
            Severity.ERROR,
            TABLE_NAME,
            f"the key ({', '.join(key)}) repeats: {repeated.height:,} rows give a value for "
            "the same indicator, area, period, sex and age group",
            column=", ".join(key),
            rows=repeated.height,
            examples=tuple(
                f"{Path(path).name} {line_word(path)} {line}"
                for path, line in first.select(FILE, ROW).rows()
            ),
            hint="Keep one row for each; a code with and without a leading zero (0615, 615) "
            "is the same area.",
        )
    )
    return True


def _without_other_sets_areas(
    frame: pl.LazyFrame, geography: Geography, findings: Findings
) -> pl.LazyFrame:
    """The rows without those of regions or areas the geography's area set does not have,
    which are reported as not used."""
    _areas, known = _key_series(geography)
    other = frame.filter(~_known(known)).select("niveau", "kode", FILE, ROW).collect()
    if other.is_empty():
        return frame
    shown = sorted({f"{level} {code}" for level, code in other.select("niveau", "kode").rows()})
    first = other.sort(FILE, ROW).head(MAX_EXAMPLES)
    findings.add(
        Finding(
            Severity.WARNING,
            TABLE_NAME,
            f"rows for areas the area set {geography.area_set.source} does not have are not "
            "used: "
            + ", ".join(shown[:MAX_EXAMPLES])
            + ("..." if len(shown) > MAX_EXAMPLES else ""),
            file=Path(first[FILE][0]),
            column="kode",
            rows=other.height,
            lines=tuple(first.filter(pl.col(FILE) == first[FILE][0])[ROW].to_list()),
            where=line_word(first[FILE][0]),
            hint="Such an area's numbers are made from its municipalities' rows. Give rows "
            "for the areas of the set you build for (--inddeling), or leave these out.",
        )
    )
    return frame.filter(_known(known))


def line_word(path: str) -> str:
    """'line' for a CSV file (header = line 1), 'row' for Parquet and SAS."""
    return "line" if path.lower().endswith((".csv", ".csv.gz")) else "row"


def _say_what_is_read(
    frame: pl.LazyFrame, series_needed: Mapping[str, Sequence[str]], findings: Findings
) -> None:
    """Rows of an ``indikator`` no catalogue entry reads; entries that find no rows."""
    found = (
        frame.group_by("indikator")
        .agg(pl.len().alias("rows"), pl.col(FILE).first(), pl.col(ROW).head(MAX_EXAMPLES))
        .sort("indikator")
        .collect()
    )
    for name, rows, path, lines in found.iter_rows():
        if name not in series_needed:
            findings.add(
                Finding(
                    Severity.WARNING,
                    TABLE_NAME,
                    f"'{name}': no catalogue entry reads these rows, so they are not used",
                    file=Path(path),
                    column="indikator",
                    rows=rows,
                    lines=tuple(lines),
                    where=line_word(path),
                    hint="Correct the id (the catalogue's: "
                    + ", ".join(sorted(series_needed))
                    + "), or add a catalogue entry that reads it.",
                )
            )
    present = set(found["indikator"].to_list())
    lacking = sorted(i for name, ids in series_needed.items() if name not in present for i in ids)
    if lacking:
        findings.add(
            Finding(
                Severity.WARNING,
                TABLE_NAME,
                "no rows for these indicators, so they will be missing from the packs: "
                + ", ".join(lacking),
                hint="Add their rows (column indikator) to a file in "
                f"{AGGREGATES_FOLDER}/, see docs/aggregates.md.",
            )
        )
