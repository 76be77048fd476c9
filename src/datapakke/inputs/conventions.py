"""Turn the columns of a file into the contract's types, handling Danish conventions.

Register files arrive with dates as ``31-12-2023``, ``31.12.2023``, ``31DEC2023``
or ``20231231``, decimal commas, municipality codes with a leading zero and sex
as CPR's ``1``/``2``. Each is recognised from a sample of the file, converted,
and reported as a note; values that still cannot be read become null and are
reported by validation with their line numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from datapakke.inputs.schema import Column

TemporalType = pl.Date | pl.Datetime

# Date layouts, tried in this order on a sample of the column.
DATE_FORMATS: tuple[tuple[str, str], ...] = (
    ("%Y-%m-%d", "2023-12-31"),
    ("%d-%m-%Y", "31-12-2023"),
    ("%d.%m.%Y", "31.12.2023"),
    ("%d/%m/%Y", "31/12/2023"),
    ("%d%b%Y", "31DEC2023"),
    ("%Y%m%d", "20231231"),
)
# Time layouts after a date: ISO with a space or a T, SAS DATETIME's colon.
TIME_SUFFIXES: tuple[tuple[str, str], ...] = (
    (" %H:%M:%S%.f", " 14:05:00"),
    ("T%H:%M:%S%.f", "T14:05:00"),
    (" %H:%M", " 14:05"),
    (":%H:%M:%S", ":14:05:00"),
    ("", ""),
)
SAS_EPOCH = pl.date(1960, 1, 1)


@dataclass(frozen=True)
class Conversion:
    """How one contract column is read from one file.

    ``value`` gives the typed value (null where the raw value cannot be read);
    ``unreadable`` is true where a raw value is present but could not be read;
    ``given`` is true where a raw value is present at all (not null, not blank), and
    ``absent`` counts the rows where it is not (an aggregate, cheaper than summing ``given``);
    ``expected`` says in words what a readable value looks like. ``identity``
    says the file already holds the contract's type, so that nothing needs
    converting (and ``unreadable`` is None: nothing can fail).
    """

    column: Column
    value: pl.Expr
    unreadable: pl.Expr | None
    given: pl.Expr
    expected: str
    absent: pl.Expr
    note: str | None = None
    identity: bool = False


# Any character but white space (Unicode's, as Rust's regular expressions read ``\s``).
_VISIBLE = r"\S"


def present(raw: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    """True where the raw value is given (not null, not blank)."""
    if dtype == pl.String():
        return raw.is_not_null() & raw.str.contains(_VISIBLE)
    if dtype.is_float():
        return raw.is_not_null() & raw.is_not_nan()
    return raw.is_not_null()


def absent_rows(raw: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    """How many rows ``present`` finds without a value (an aggregate).

    A text that starts with a visible ASCII character (``!`` to ``~``: nearly every id
    or code) is given; only the others are searched for a visible character, which
    saves a regular expression per row of a large ``pnr`` column.
    """
    if dtype != pl.String():
        return (~present(raw, dtype).fill_null(False)).sum()
    surely_given = (raw >= "!") & (raw < "\x7f")  # compares the first byte; null if null
    return raw.is_null().sum() + (~raw.filter(~surely_given).str.contains(_VISIBLE)).sum()


def convert(
    column: Column,
    dtype: pl.DataType,
    sample: pl.Series,
    sas: bool,
    raw: pl.Expr,
    given_format: str | None = None,
) -> Conversion:
    """The conversion of ``column`` from the file's raw column ``raw`` of type ``dtype``.

    ``sample`` holds the first raw values of the column, used to recognise the
    file's conventions; ``sas`` says the file came from SAS (numbers as dates);
    ``given_format`` is a date layout a mapping file names for a text column.
    """
    target = column.dtype
    if given_format is not None and dtype == pl.String() and target.is_temporal():
        temporal: TemporalType = pl.Date() if target == pl.Date() else pl.Datetime("us")
        value = _parse(raw, [(given_format, given_format)], temporal)
        expected = f"the layout {given_format}"
        given = present(raw, dtype)
        absent = absent_rows(raw, dtype)
        return Conversion(column, value, given & value.is_null(), given, expected, absent)
    value, expected, note = _convert(column, raw, dtype, sample, sas)
    given, absent = present(raw, dtype), absent_rows(raw, dtype)
    if value is raw and dtype == target:
        return Conversion(column, raw, None, given, expected, absent, note, identity=True)
    unreadable = given & value.is_null()
    return Conversion(column, value.cast(target), unreadable, given, expected, absent, note)


def _convert(
    column: Column, raw: pl.Expr, dtype: pl.DataType, sample: pl.Series, sas: bool
) -> tuple[pl.Expr, str, str | None]:
    target = column.dtype
    if column.allowed == ("M", "K"):  # the contract's sex column, not BEF's 1/2/9 codes
        return _sex(raw, dtype, sample)
    if target == pl.String():
        return _string(raw, dtype, sample)
    if target.is_integer():
        return _integer(raw, dtype, sample)
    if target.is_float():
        return _float(raw, dtype, sample)
    if target == pl.Date():
        return _date(raw, dtype, sample, sas)
    return _datetime(raw, dtype, sample, sas)


def _strings(sample: pl.Series) -> pl.Series:
    stripped = sample.cast(pl.String).str.strip_chars()
    return stripped.filter(stripped.is_not_null() & (stripped != ""))


def _string(raw: pl.Expr, dtype: pl.DataType, sample: pl.Series) -> tuple[pl.Expr, str, str | None]:
    if dtype == pl.String():
        values = sample.drop_nulls()
        if bool((values != values.str.strip_chars()).any()):
            # SAS pads character columns; spaces around a value are never part of it.
            return _blank_to_null(raw.str.strip_chars()), "text", None
        return raw, "text", None
    if dtype.is_float():
        # A number stored as a float (SAS) is written without its ".0".
        return _whole(raw).cast(pl.String), "text", None
    if dtype.is_integer():
        return raw.cast(pl.String), "text", None
    return pl.lit(None, pl.String), "text", None


def _blank_to_null(expr: pl.Expr) -> pl.Expr:
    return pl.when(expr != "").then(expr)


def _sex(raw: pl.Expr, dtype: pl.DataType, sample: pl.Series) -> tuple[pl.Expr, str, str | None]:
    expected = "M or K (or CPR's 1/2: odd = man)"
    note = "written as 1/2; read as M/K (CPR: odd = man, even = woman)"
    if dtype.is_numeric():
        number = raw.cast(pl.Int64, strict=False)
        odd_even = pl.when(number % 2 == 1).then(pl.lit("M")).when(number % 2 == 0)
        return odd_even.then(pl.lit("K")), expected, note
    if dtype != pl.String():
        return pl.lit(None, pl.String), expected, None
    text = raw.str.strip_chars().str.to_uppercase()
    number = text.cast(pl.Int64, strict=False)
    value = (
        pl.when(text.is_in(["M", "K"]))
        .then(text)
        .when(number % 2 == 1)
        .then(pl.lit("M"))
        .when(number % 2 == 0)
        .then(pl.lit("K"))
        .otherwise(text)  # kept as it is, so that validation names the odd value
    )
    values = _strings(sample)
    uses_digits = bool(values.str.contains(r"^\d+$").any())
    return value, expected, note if uses_digits else None


def _integer(
    raw: pl.Expr, dtype: pl.DataType, sample: pl.Series
) -> tuple[pl.Expr, str, str | None]:
    expected = "a whole number"
    if dtype.is_integer():
        return raw.cast(pl.Int64, strict=False), expected, None
    if dtype.is_float():
        return _whole(raw), expected, None
    if dtype != pl.String():
        return pl.lit(None, pl.Int64), expected, None
    text = raw.str.strip_chars()
    value = _whole(text.cast(pl.Float64, strict=False))
    values = _strings(sample)
    zero_padded = bool(values.str.contains(r"^0\d+$").any())
    note = "written with leading zeros (e.g. 0615); read as numbers" if zero_padded else None
    return value, expected, note


def _whole(number: pl.Expr) -> pl.Expr:
    return pl.when(number == number.round(0)).then(number.cast(pl.Int64, strict=False))


def _float(raw: pl.Expr, dtype: pl.DataType, sample: pl.Series) -> tuple[pl.Expr, str, str | None]:
    expected = "a number"
    if dtype.is_numeric():
        return raw.cast(pl.Float64), expected, None
    if dtype != pl.String():
        return pl.lit(None, pl.Float64), expected, None
    text = raw.str.strip_chars()
    values = _strings(sample)
    if bool(values.str.contains(",", literal=True).any()):
        # Decimal comma; a dot is then a thousands separator (1.234,5).
        text = text.str.replace_all(".", "", literal=True).str.replace(",", ".", literal=True)
        note = "decimal comma (2,5) read as decimal point"
        return text.cast(pl.Float64, strict=False), expected, note
    return text.cast(pl.Float64, strict=False), expected, None


def _describe(layouts: list[str]) -> str:
    return " or ".join(layouts)


def _date(
    raw: pl.Expr, dtype: pl.DataType, sample: pl.Series, sas: bool
) -> tuple[pl.Expr, str, str | None]:
    expected = "a date like 2023-12-31"
    if dtype == pl.Date():
        return raw, expected, None
    if isinstance(dtype, pl.Datetime):
        return raw.dt.date(), expected, None
    if dtype.is_numeric():
        return _numeric_date(raw, dtype, sample, sas, datetime=False)
    if dtype != pl.String():
        return pl.lit(None, pl.Date), expected, None
    formats = _detect(sample, [(f, e) for f, e in DATE_FORMATS], pl.Date())
    value = _parse(raw, formats, pl.Date())
    examples = [e for _, e in formats]
    note = None
    if examples != ["2023-12-31"]:
        note = f"dates written as {_describe(examples)}; read as dates"
    return value, f"a date like {_describe(examples)}", note


def _datetime(
    raw: pl.Expr, dtype: pl.DataType, sample: pl.Series, sas: bool
) -> tuple[pl.Expr, str, str | None]:
    expected = "a date and time like 2023-12-31 14:05:00"
    if isinstance(dtype, pl.Datetime):
        if dtype.time_zone is not None:
            return raw.dt.replace_time_zone(None), expected, None
        return raw, expected, None
    if dtype == pl.Date():
        return raw.cast(pl.Datetime("us")), expected, "dates without a time read as midnight"
    if dtype.is_numeric():
        return _numeric_date(raw, dtype, sample, sas, datetime=True)
    if dtype != pl.String():
        return pl.lit(None, pl.Datetime("us")), expected, None
    candidates = [(d + t, e + s) for d, e in DATE_FORMATS for t, s in TIME_SUFFIXES]
    formats = _detect(sample, candidates, pl.Datetime("us"))
    value = _parse(raw, formats, pl.Datetime("us"))
    examples = [e for _, e in formats]
    note = None
    if not all(e.startswith("2023-12-31") for e in examples):
        note = f"dates and times written as {_describe(examples)}; read as date-times"
    return value, f"a date and time like {_describe(examples)}", note


def _numeric_date(
    raw: pl.Expr, dtype: pl.DataType, sample: pl.Series, sas: bool, *, datetime: bool
) -> tuple[pl.Expr, str, str | None]:
    target: pl.DataType = pl.Datetime("us") if datetime else pl.Date()
    numbers = sample.drop_nulls()
    if dtype.is_float():
        numbers = numbers.filter(numbers.is_not_nan())
    looks_like_yyyymmdd = len(numbers) > 0 and bool(numbers.is_between(18000101, 21001231).all())
    if looks_like_yyyymmdd:
        text = _whole(raw.cast(pl.Float64)).cast(pl.String)
        value = text.str.strptime(target, "%Y%m%d", strict=False)  # type: ignore[arg-type]
        return (
            value,
            "a date like 20231231",
            "dates written as numbers like 20231231; read as dates",
        )
    if sas:
        if datetime:
            value = SAS_EPOCH.cast(pl.Datetime("us")) + pl.duration(
                microseconds=(raw.cast(pl.Float64) * 1_000_000).round(0).cast(pl.Int64)
            )
            note = "SAS date-times without a format read as seconds since 1 January 1960"
        else:
            value = SAS_EPOCH + pl.duration(days=_whole(raw.cast(pl.Float64)))
            note = "SAS dates without a format read as days since 1 January 1960"
        return value, "a SAS date", note
    return pl.lit(None, target), "a date, not a number", None


def _detect(
    sample: pl.Series, candidates: list[tuple[str, str]], target: TemporalType
) -> list[tuple[str, str]]:
    """The layouts that read the sample's values, most successful first (ISO if none does)."""
    values = _strings(sample)
    if values.is_empty():
        return [candidates[0]]
    scored = []
    remaining = values
    for layout, example in candidates:
        parsed = remaining.str.strptime(target, layout, strict=False)
        hits = int(parsed.is_not_null().sum())
        if hits:
            scored.append((hits, layout, example))
            remaining = remaining.filter(parsed.is_null())
        if remaining.is_empty():
            break
    if not scored:
        return [candidates[0]]
    return [(layout, example) for _, layout, example in sorted(scored, key=lambda s: -s[0])]


def _parse(raw: pl.Expr, formats: list[tuple[str, str]], target: TemporalType) -> pl.Expr:
    text = raw.str.strip_chars()
    parsed = [text.str.strptime(target, layout, strict=False) for layout, _ in formats]
    return parsed[0] if len(parsed) == 1 else pl.coalesce(parsed)
