"""The "Registers as delivered" part of ``docs/data-contract.md``, generated from the readers.

Files, columns and derivations come from the register modules themselves (their
tables and docstrings), settings from ``RegisterSettings``, so that the reference
cannot drift from the code.
"""

from __future__ import annotations

import inspect
from types import ModuleType

from datapakke.inputs.registers import bef, dod, hospital, lmdb, lpr2, lpr3, policies, stays
from datapakke.inputs.registers.detect import KNOWN_UNUSED, REGISTERS
from datapakke.inputs.registers.settings import DEFAULT_SETTINGS, RegisterSettings
from datapakke.inputs.schema import Column, Table

INTRO = """\
## Registers as delivered

Point `--data` at a project's raw-data folder as DST delivers it: datapakke
recognises the registers below by their file names (register + period without a
separator, e.g. `bef202312.parquet`, `lpr_adm2018.sas7bdat`, in any case), by a
folder named after the register, or by fastreg's `year=YYYY/` partitions, and
reads them into the contract's tables. Contract tables may sit beside them (RUKS
and home care have no confirmed layout, so `kroniske` and `hjemmepleje` stay
contract tables). `datapakke validate` says per file which layout it recognised
and what it derived, and lists every file it did not use, with the reason; a
table given both as a contract file and as a register is refused. Numbers in a
date column of a register are read as SAS day (or second) counts from 1960.

| register | layout | what |
|---|---|---|
"""

MODULES: tuple[tuple[str, ModuleType, tuple[Table, ...]], ...] = (
    ("BEF", bef, (bef.bef_table(DEFAULT_SETTINGS),)),
    ("DOD and the cause-of-death registers", dod,
     tuple(dod.death_table(r) for r in dod.DEATH_REGISTERS)),
    ("LPR3: LPR_A and LPR3_F", lpr3,
     (lpr3.LPR_A_KONTAKT, lpr3.LPR_A_DIAGNOSE, lpr3.LPR3_F_KONTAKTER, lpr3.LPR3_F_DIAGNOSER)),
    ("Hospital stays", stays, ()),
    ("LPR2", lpr2, (lpr2.adm_table("lpr_adm"), lpr2.diag_table("lpr_diag"))),
    ("LPR2 and LPR3 together", hospital, ()),
    ("LMDB", lmdb, (lmdb.lmdb_table(DEFAULT_SETTINGS),)),
    ("Policies", policies, ()),
)  # fmt: skip

MAPPING_EXAMPLE = """\
# mapping.toml: a regional contacts extract, a renamed LPR2 column, one setting.
[settings]
include_minipas = true              # count private hospitals' LPR3 rows too

[registers.t_psyk_adm.columns]      # the project renamed PNR to v_cpr
pnr = "v_cpr"

[tables.kontakter]
files = ["region/kontakter_*.csv"]  # relative to --data
[tables.kontakter.columns]          # contract column = column in the file
kontakt_id = "recnum"
pnr = "cpr"
start = "indtid"
slut = "udtid"
prioritet = "prio"
kontakttype = "type"
aktionsdiagnose = "adiag"
[tables.kontakter.values.prioritet] # value in the file = contract value
ATA1 = "akut"
ATA3 = "planlagt"
[tables.kontakter.values.kontakttype]
inde = "indlaeggelse"
amb = "ambulant"
[tables.kontakter.constants]        # the same on every row
omraade = "somatik"
[tables.kontakter.formats]          # strftime layouts of text dates
start = "%d-%m-%Y %H:%M"
slut = "%d-%m-%Y %H:%M"
"""

MAPPING = """\
## Mapping files

A delivery no layout covers (a regional data warehouse, RUKS, home care, a
project's renamed columns) is read through a mapping file given with `--mapping
FILE` to `build`, `validate`, `export`, `preview` and `inspect`. It names, per
contract table, the files (globs relative to the data folder), the source
columns, value maps, constants and date layouts; columns it does not name are
found under their contract names. It can also rename a delivered register's
columns and change any setting above. `datapakke inspect --data DIR --write
mapping.toml` prints the columns and a few values of every file (never whole rows,
never ids) and writes a starting mapping with its best guesses. Mistakes in the
file name its line; findings about mapped columns name the line that mapped them.

A worked example: the file `region/kontakter_2023.csv`

```csv
recnum;cpr;indtid;udtid;prio;type;adiag
R1;P00012345;01-02-2023 08:00;03-02-2023 08:00;ATA1;inde;DJ189
```

is read as `kontakter` with

```toml
{example}```

and the row becomes `kontakt_id` R1, `pnr` P00012345, `start` 2023-02-01 08:00,
`slut` 2023-02-03 08:00, `omraade` somatik, `prioritet` akut, `kontakttype`
indlaeggelse, `aktionsdiagnose` DJ189. A value the map does not cover (say `dag`)
is refused with the file, line and the mapping line of the column.
"""


def _column(column: Column) -> str:
    names = " / ".join(f"`{n}`" for n in (column.name, *column.aliases))
    rules = [column.description]
    if column.allowed:
        rules.append("one of " + ", ".join(f"`{v}`" for v in column.allowed))
    if column.pattern_text:
        rules.append(column.pattern_text)
    if column.nullable:
        rules.append("may be empty")
    if column.optional:
        rules.append("optional")
    if column.not_in_future:
        rules.append("not in the future")
    return f"| {names} | {column.type_name} | {'; '.join(rules)} |"


def _section(title: str, module: ModuleType, tables: tuple[Table, ...]) -> list[str]:
    lines = [f"### {title}", "", inspect.getdoc(module) or "", ""]
    for table in tables:
        lines += [f"Columns of `{table.register}` (feeding `{table.name}`):", ""]
        lines += ["| column | type | rule |", "|---|---|---|"]
        lines += [_column(c) for c in table.columns]
        lines.append("")
    return lines


def _settings() -> list[str]:
    lines = [
        "### Settings",
        "",
        "Every fact the fact sheet leaves unconfirmed, and every choice datapakke makes, is a "
        "setting with a default; a mapping file's `[settings]` changes it.",
        "",
        "| setting | default | what it covers | confirmed |",
        "|---|---|---|---|",
    ]
    for name, default, doc, unconfirmed in RegisterSettings.described():
        shown = ", ".join(str(v) for v in default) if isinstance(default, tuple) else default
        lines.append(f"| `{name}` | `{shown}` | {doc} | {'no' if unconfirmed else 'yes'} |")
    return [*lines, ""]


def render_registers() -> str:
    """The registers part of the contract document."""
    rows = [f"| `{name}` | {layout} | {what} |" for name, (layout, what) in REGISTERS.items()]
    lines = [INTRO.rstrip("\n"), *rows, ""]
    lines += ["Recognised and listed as not used: " + ", ".join(f"`{n}`" for n in KNOWN_UNUSED)
              + ".", ""]  # fmt: skip
    for title, module, tables in MODULES:
        lines += _section(title, module, tables)
    lines += _settings()
    lines.append(MAPPING.format(example=MAPPING_EXAMPLE))
    return "\n".join(lines)
