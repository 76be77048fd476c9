"""Read every recognised delivery of a folder into contract tables, register by register."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from datapakke.inputs.provenance import LeftOut
from datapakke.inputs.registers.bef import read_bef
from datapakke.inputs.registers.detect import Delivery, Unused
from datapakke.inputs.registers.dod import death_files_unused, read_deaths
from datapakke.inputs.registers.hospital import read_hospital
from datapakke.inputs.registers.lmdb import read_lmdb
from datapakke.inputs.registers.lpr3 import unused_lpr3_f
from datapakke.inputs.registers.raw import Context, Derived

# The contract table each delivered layout feeds.
FEEDS = {
    "BEF": "befolkning",
    "DOD": "doedsfald",
    "DODSAARSAG": "doedsfald",
    "LPR_A": "kontakter",
    "LPR3_F": "kontakter",
    "LPR2": "kontakter",
    "LMDB": "recepter",
}


@dataclass(frozen=True)
class RegisterTables:
    """What the deliveries gave: contract tables, files not read (and why), provenance."""

    derived: tuple[Derived, ...] = ()
    unused: tuple[Unused, ...] = ()
    contacts: tuple[str, ...] = ()
    left_out: tuple[LeftOut, ...] = ()


def unused_deliveries(deliveries: Sequence[Delivery]) -> list[Unused]:
    """Delivered files that are not read because another delivery holds the same facts."""
    unused = [
        Unused(d.path, "LPR3_F holds the same contacts as LPR_A, which is read instead", data=True)
        for d in unused_lpr3_f(deliveries)
    ]
    unused += [
        Unused(d.path, "DOD gives the dates of death; the cause-of-death registers are not read",
               data=False)
        for d in death_files_unused(deliveries)
    ]  # fmt: skip
    return unused


def read_deliveries(
    deliveries: Sequence[Delivery], ctx: Context, skip: frozenset[str] = frozenset()
) -> RegisterTables:
    """The contract tables made from ``deliveries`` (not those in ``skip``: given otherwise)."""
    unused = unused_deliveries(deliveries)
    skipped = {u.path for u in unused}
    chosen = [d for d in deliveries if d.path not in skipped and FEEDS[d.layout] not in skip]
    by_table: dict[str, list[Delivery]] = {}
    for delivery in chosen:
        by_table.setdefault(FEEDS[delivery.layout], []).append(delivery)
    derived: list[Derived] = []
    contacts: tuple[str, ...] = ()
    last_year = None
    if "befolkning" in by_table:
        bef = read_bef(by_table["befolkning"], ctx)
        if bef is not None:
            derived.append(bef)
            last_year = bef.frame.select(pl.col("aar").max()).collect().item()
    if "doedsfald" in by_table:
        deaths = read_deaths(by_table["doedsfald"], ctx, last_year)
        if deaths is not None:
            derived.append(deaths)
    if "kontakter" in by_table:
        hospital = read_hospital(by_table["kontakter"], ctx)
        if hospital is not None:
            derived.append(hospital[0])
            contacts = hospital[1]
    if "recepter" in by_table:
        lmdb = read_lmdb(by_table["recepter"], ctx)
        if lmdb is not None:
            derived.append(lmdb)
    left_out = tuple(item for d in derived for item in d.left_out)
    return RegisterTables(tuple(derived), tuple(unused), contacts, left_out)
