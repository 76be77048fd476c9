"""Deaths: DOD, or else the cause-of-death registers, to ``doedsfald``.

DOD (``doddato``) is the register of deaths; each cause-of-death register renames
the date column and covers a closed span of years. When DOD is there, the
cause-of-death files are listed as unused; without it their union is read (the
first date per person), and years they do not cover are refused, since deaths
missing from a year would make its mortality too low.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from datapakke.inputs.registers.detect import Delivery
from datapakke.inputs.registers.raw import Context, Derived, column, raw_table, read_raw
from datapakke.inputs.schema import Table

# Register -> (its date column, the last year it covers; None while it runs).
DEATH_REGISTERS: dict[str, tuple[str, int | None]] = {
    "dod": ("doddato", None),
    "dodsaars": ("d_dodsdto", 2001),
    "dodsaasg": ("d_dodsdato", 2022),
    "dodsaarsager": ("doedsdato", None),
}


def death_table(register: str) -> Table:
    date = DEATH_REGISTERS[register][0]
    return raw_table(
        "doedsfald",
        register,
        [
            column("pnr", pl.String(), "person id", aliases=("cpr",)),
            column(date, pl.Date(), "date of death", not_in_future=True),
        ],
    )


def death_files_unused(deliveries: Sequence[Delivery]) -> list[Delivery]:
    """The cause-of-death files not read because DOD is there."""
    if not any(d.register == "dod" for d in deliveries):
        return []
    return [d for d in deliveries if d.layout == "DODSAARSAG"]


def read_deaths(
    deliveries: Sequence[Delivery], ctx: Context, last_year: int | None
) -> Derived | None:
    """``doedsfald`` from DOD, or from the cause-of-death registers; None on an error.

    ``last_year`` is the last year of the population, to check the registers reach it.
    """
    unused = death_files_unused(deliveries)
    chosen = [d for d in deliveries if d not in unused]
    frames = []
    for register in DEATH_REGISTERS:
        files = [d for d in chosen if d.register == register]
        if not files:
            continue
        raw = read_raw(files, death_table(register), ctx)
        if raw is None:
            return None
        frames.append(raw.select("pnr", pl.col(DEATH_REGISTERS[register][0]).alias("doed_dato")))
    if not frames:
        return None
    registers = sorted({d.register for d in chosen})
    if registers != ["dod"] and not _covered(registers, ctx, last_year):
        return None
    frame = pl.concat(frames)
    if registers == ["dod"]:
        # One row per person: a person twice (a period file given twice) is refused as such.
        ctx.note("doedsfald", "DOD: doddato is the date of death")
    else:
        frame = frame.group_by("pnr").agg(pl.col("doed_dato").min())
        ctx.note(
            "doedsfald",
            f"no DOD: deaths from {', '.join(registers)}, the first date per person",
        )
    layout = "DOD" if registers == ["dod"] else "DODSAARSAG"
    return Derived("doedsfald", layout, frame, tuple(d.path for d in chosen))


def _covered(registers: list[str], ctx: Context, last_year: int | None) -> bool:
    ends = [DEATH_REGISTERS[r][1] for r in registers]
    if last_year is None or any(end is None for end in ends):
        return True
    reach = max(e for e in ends if e is not None)
    if reach >= last_year:
        return True
    ctx.error(
        "doedsfald",
        f"the cause-of-death registers ({', '.join(registers)}) end in {reach}, but the "
        f"population runs to {last_year}: deaths after {reach} are missing, and mortality "
        "would be too low",
        "Add DOD (dod*.parquet or .sas7bdat), or remove the death files to leave the "
        "mortality indicators out.",
    )
    return False
