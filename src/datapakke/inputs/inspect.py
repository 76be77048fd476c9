"""``datapakke inspect``: what each file of a folder holds, and a starting mapping file.

Person-level data: only column names, types and a few values are shown, each cut
short, never whole rows, and never the values of id columns.
"""

from __future__ import annotations

import difflib
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from datapakke.geography import Geography
from datapakke.inputs.dialect import SNIFF_BYTES, open_bytes, sniff
from datapakke.inputs.findings import Findings
from datapakke.inputs.folders import find_layout
from datapakke.inputs.mapping import NO_MAPPING, MappingFile
from datapakke.inputs.readers import first_line
from datapakke.inputs.registers.detect import REGISTERS, Delivery, Unused, data_stem, recognise
from datapakke.inputs.registers.settings import RegisterSettings
from datapakke.inputs.schema import TABLES

SAMPLE_ROWS = 1_000
SHOWN_VALUES = 3
VALUE_WIDTH = 80
# Columns whose values identify a person or a record: never shown.
ID_COLUMNS = ("pnr", "cpr", "v_cpr", "pnr12", "recnum", "k_recnum", "v_recnum", "kontakt_id")
# Names a column often has in other deliveries, for guessing a mapping.
USUAL_NAMES = {
    "pnr": ("cpr", "v_cpr", "pnr12", "person_id", "personnummer"),
    "kontakt_id": ("recnum", "id", "kontakt", "dw_ek_kontakt"),
    "start": ("starttidspunkt", "indtid", "inddto", "dato_start", "fra"),
    "slut": ("sluttidspunkt", "udtid", "uddto", "dato_slut", "til"),
    "aktionsdiagnose": ("adiag", "diagnose", "c_adiag", "diag"),
    "foed_dato": ("foed_dag", "fdato", "foedselsdato"),
    "kommunekode": ("kom", "bopael_kom", "kommune"),
    "udlevering_dato": ("eksd", "dato"),
    "debut_dato": ("dato", "diagnosedato", "debut"),
    "sygdom": ("sygdom", "diagnosegruppe", "gruppe"),
    "timer_pr_uge": ("timer", "visiterede_timer"),
}


@dataclass(frozen=True)
class Inspected:
    """One file: what it was recognised as, its columns (name, type, a few values)."""

    path: Path
    recognised: str
    columns: tuple[tuple[str, str, str], ...]
    error: str | None = None


def _sample(path: Path) -> pl.DataFrame:
    name = path.name.lower()
    if name.endswith(".parquet"):
        return pl.scan_parquet(path).head(SAMPLE_ROWS).collect()
    if name.endswith(".sas7bdat"):
        import pyreadstat

        frame, _ = pyreadstat.read_sas7bdat(
            str(path), row_limit=SAMPLE_ROWS, output_format="polars"
        )
        return frame
    dialect = sniff(path)
    with open_bytes(path) as handle:
        head = handle.read(SNIFF_BYTES)
    text = head.decode(dialect.encoding, errors="replace").lstrip("\ufeff")
    complete = text[: text.rfind("\n") + 1] if "\n" in text else text
    return pl.read_csv(
        io.StringIO(complete), separator=dialect.separator, infer_schema=False, n_rows=SAMPLE_ROWS
    )


def _shown(name: str, values: pl.Series) -> str:
    if name.strip().lower() in ID_COLUMNS or name.lower().startswith("dw_ek_"):
        return "(ids: not shown)"
    distinct = values.drop_nulls().cast(pl.String).unique(maintain_order=True).head(SHOWN_VALUES)
    cut = [v if len(v) <= VALUE_WIDTH else v[: VALUE_WIDTH - 1] + "…" for v in distinct]
    return ", ".join(repr(v) for v in cut) or "(empty)"


def inspect_folder(
    folder: Path, geography: Geography, mapping: MappingFile = NO_MAPPING
) -> list[Inspected]:
    """Every file of ``folder`` (and sub-folders) with its columns and a few values."""
    layout = find_layout(folder, geography, Findings())
    contract = {p: t for t, paths in layout.files.items() for p in paths}
    mapped = {p: t.table for t in mapping.tables for p in t.files}
    result = []
    for path in sorted({*contract, *layout.others}):
        found = recognise(path, folder) if path not in contract else None
        if path in mapped:
            recognised = f"table {mapped[path]}, as {mapping.path} maps it"
        elif path in contract:
            recognised = f"contract table {contract[path]}"
        elif isinstance(found, Delivery):
            recognised = f"{found.layout} {found.register} ({REGISTERS[found.register][1]})"
        elif isinstance(found, Unused):
            recognised = f"not used: {found.reason}"
        else:
            recognised = "not recognised"
        if data_stem(path) is None:
            result.append(Inspected(path, recognised, ()))
            continue
        try:
            sample = _sample(path)
        except Exception as error:  # any damaged file (pyreadstat has its own errors): go on
            result.append(Inspected(path, recognised, (), error=first_line(error)))
            continue
        columns = tuple(
            (name, str(sample.schema[name]), _shown(name, sample[name])) for name in sample.columns
        )
        result.append(Inspected(path, recognised, columns))
    return result


def render(folder: Path, inspected: list[Inspected]) -> Iterator[str]:
    """The inspection as lines of text."""
    for item in inspected:
        yield f"{item.path.relative_to(folder)}: {item.recognised}"
        if item.error:
            yield f"  cannot be read: {item.error}"
        for name, dtype, values in item.columns:
            yield f"  {name} ({dtype}): {values}"


def _guess_table(columns: list[str]) -> tuple[str, dict[str, str]] | None:
    """The contract table whose columns the file's resemble most, and the guessed columns."""
    lowered = {c.lower(): c for c in columns}
    best: tuple[int, str, dict[str, str]] | None = None
    for name, table in TABLES.items():
        guessed: dict[str, str] = {}
        for column in table.columns:
            candidates = (column.name, *USUAL_NAMES.get(column.name, ()))
            hit = next((lowered[c] for c in candidates if c in lowered), None)
            if hit is None:
                close = difflib.get_close_matches(column.name, list(lowered), n=1, cutoff=0.75)
                hit = lowered[close[0]] if close else None
            if hit is not None:
                guessed[column.name] = hit
        if guessed and (best is None or len(guessed) > best[0]):
            best = (len(guessed), name, guessed)
    return None if best is None or best[0] < 2 else (best[1], best[2])


def starting_mapping(folder: Path, inspected: list[Inspected]) -> str:
    """A mapping file with every setting (commented) and guessed tables for unknown files."""
    lines = [
        f"# Starting mapping for {folder}, written by 'datapakke inspect'.",
        "# Check every line, then: datapakke validate --data DIR --mapping THIS_FILE",
        "",
        "[settings]",
        "# The register settings and their defaults; remove the '#' to change one.",
    ]
    for name, default, doc, unconfirmed in RegisterSettings.described():
        lines.append(f"# {doc}" + (" (Unconfirmed.)" if unconfirmed else ""))
        lines.append(f"# {name} = {_toml(default)}")
    for item in inspected:
        if item.recognised != "not recognised" or not item.columns:
            continue
        guess = _guess_table([name for name, _, _ in item.columns])
        lines += ["", f"# {item.path.relative_to(folder)}: columns "
                  + ", ".join(name for name, _, _ in item.columns)]  # fmt: skip
        if guess is None:
            lines.append("# no contract table resembles this file; map it by hand or leave it")
            continue
        table, guessed = guess
        lines += [
            f"[tables.{table}]",
            f"files = [{_toml(str(item.path.relative_to(folder)))}]",
            f"[tables.{table}.columns]",
        ]
        for column in TABLES[table].columns:
            if column.name in guessed:
                lines.append(f"{column.name} = {_toml(guessed[column.name])}  # guessed")
            else:
                lines.append(f'# {column.name} = ""  # not found: name the column, or set a '
                             f"constant under [tables.{table}.constants]")  # fmt: skip
    return "\n".join(lines) + "\n"


def _toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return str(value)
