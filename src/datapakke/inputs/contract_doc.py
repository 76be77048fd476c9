"""The text of ``docs/data-contract.md`` from the schema and the register layouts, so that
the reference cannot drift.

Which indicators each table feeds comes from the catalogue (``needed_by``); the
file is written by ``python -m datapakke.cli.docs docs/data-contract.md``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from datapakke.inputs.conventions import DATE_FORMATS
from datapakke.inputs.folders import SUFFIXES
from datapakke.inputs.registers.doc import render_registers
from datapakke.inputs.schema import TABLES, Column, Table

INTRO = """\
# The input contract: register extracts

<!-- Generated from src/datapakke/inputs/schema.py, inputs/registers/ and the catalogue by
     `python -m datapakke.cli.docs docs/data-contract.md`; do not edit by hand. -->

An **extract** is a folder of tables, one file per table, named `<table>` plus
one of {suffixes}. The tables mirror the Danish registers an analyst receives in
pseudonymised form; column names are lower-case and Danish, as in the registers.

An extract is either **national** (one folder) or **split per cluster** (one
sub-folder per area, named by the area id that `datapakke omraader` lists,
each holding the same tables). The tool reads either layout and treats the
union as the data; each row belongs in exactly one sub-folder. When the data do
not cover every cluster, the national comparison covers only those present.

Check an extract with `datapakke validate --data DIR`; `datapakke build` runs the
same checks first and refuses invalid data with the same report.
"""

CONVENTIONS = """\
## How files are read

Parquet is read as it is; CSV (also gzip-compressed `.csv.gz`) is read as text
and converted column by column; SAS datasets (`.sas7bdat`) are read with
pyreadstat. Large CSV and SAS files are converted in a streaming fashion, never
held in memory whole. These conventions of Danish Excel, SAS and SQL exports are
recognised, converted and reported as notes, not refused:

- separator `;` (also `,`, tab and `|`), recognised from the header line;
- encoding cp1252 or latin-1 instead of UTF-8, and a UTF-8 byte-order mark;
- decimal comma (`2,5`; then `1.234,5` too);
- dates written as {dates}, one layout per column; date-times the same
  with a time (` 14:05:00`, `T14:05:00`, ` 14:05`, or SAS's `:14:05:00` after `31DEC2023`);
  SAS dates and date-times, with or without a date format; dates stored as
  numbers like `20231231`;
- `kommunekode` written with a leading zero (`0615`);
- `koen` written as CPR's `1`/`2` (odd = man, even = woman), or in lower case;
- column names in upper case (as SAS writes them); columns that are not part of
  the contract are ignored.

## What is checked

Every file of a table is checked in one pass. **Errors** make the data unusable
(exit code 3 from `validate`, `build` refuses):

- the file cannot be read: empty (0 bytes), a truncated or damaged Parquet, SAS
  or gzip file, a malformed CSV; a file with a header and no rows;
- a required column missing or renamed (the report suggests the likely rename);
- empty values; values that cannot be read as the column's type;
- values outside the allowed ones, codes that do not match their pattern,
  numbers below their minimum;
- dates (and years) in the future;
- municipality codes that are not one of the 98 municipalities, such as 411
  (Christiansø) or the codes of the municipalities before the 2007 reform;
- the rules across columns listed per table below;
- repeated keys and duplicated rows, within a file and across cluster folders;
- a required table missing, or one table given twice in one folder.

**Warnings** do not stop a build: a missing optional table (naming the
indicators that will be missing), persons in another table who never appear in
`befolkning`, sub-folders that are not named by a cluster id, and an extract
that covers only some clusters. **Notes** list the conventions above.

The report names the file, the column, the CSV line (or the row of a Parquet or
SAS file), what is wrong, how many rows, the first few offending values, and
what to do.
"""


def _rules(column: Column) -> str:
    parts = [column.description]
    if column.allowed:
        parts.append("one of " + ", ".join(f"`{v}`" for v in column.allowed))
    if column.pattern_text:
        parts.append(column.pattern_text)
    if column.minimum is not None:
        parts.append(f"at least {column.minimum:g}")
    if column.not_in_future:
        parts.append("not in the future")
    if column.municipality:
        parts.append("checked against the geography")
    return "; ".join(parts)


def _table_section(table: Table) -> str:
    lines = [f"### {table.name}", ""]
    required = "required" if table.required else "optional"
    lines += [f"{table.register}: one row per {table.one_row_per} ({required}).", ""]
    lines += ["| column | type | rule |", "|---|---|---|"]
    lines += [f"| `{c.name}` | {c.type_name} | {_rules(c)} |" for c in table.columns]
    lines.append("")
    if table.unique_key:
        lines += [f"Key: `({', '.join(table.unique_key)})` is unique.", ""]
    for rule in table.rules:
        lines += [f"Rule: a row with {rule.description} is refused.", ""]
    for note in table.notes:
        lines += [note, ""]
    lines += ["Example (CSV):", "", "```csv"]
    lines.append(",".join(c.name for c in table.columns))
    lines.append(",".join(c.example for c in table.columns))
    lines += ["```", ""]
    return "\n".join(lines)


def render_contract(needed_by: Mapping[str, Sequence[str]]) -> str:
    """The text of ``docs/data-contract.md``; ``needed_by``: the indicators of each table."""
    suffixes = ", ".join(f"`{s}`" for s in SUFFIXES)
    dates = ", ".join(f"`{example}`" for _, example in DATE_FORMATS)
    overview = [
        "## Tables",
        "",
        "| table | register | one row per | required | needed by |",
        "|---|---|---|---|---|",
    ]
    for t in TABLES.values():
        needed = (
            "every indicator (it gives the denominators)"
            if t.required
            else ", ".join(f"`{i}`" for i in needed_by.get(t.name, ())) or "no indicator"
        )
        overview.append(
            f"| `{t.name}` | {t.register} | {t.one_row_per} | "
            f"{'yes' if t.required else 'no'} | {needed} |"
        )
    overview += [
        "",
        "A missing optional table removes the indicators that need it; the "
        "packs say so and the CLI warns. A present table must be valid.",
        "",
    ]
    sections = [_table_section(t) for t in TABLES.values()]
    parts = [INTRO.format(suffixes=suffixes), *overview, *sections, CONVENTIONS.format(dates=dates)]
    return "\n".join([*parts, render_registers()]).rstrip() + "\n"
