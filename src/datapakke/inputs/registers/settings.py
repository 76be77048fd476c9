"""Every fact about the delivered registers that no published source confirms, as a setting.

Each field has the default datapakke uses and says which fact it covers; a
mapping file's ``[settings]`` table overrides them (``datapakke inspect`` writes
the defaults there). The fact sheet behind them is ``docs/data-contract.md``'s
section "Registers as delivered".
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any


@dataclass(frozen=True)
class RegisterSettings:
    """How the register layouts are read; every field is one unconfirmed (or chosen) fact."""

    # LPR3 rows kept, by lprindberetningssystem: 'LPR3' is confirmed; 'MiniPAS' marks the
    # private hospitals' reports, and whether they belong in the indicators is open.
    include_minipas: bool = False
    # kont_type of a physical attendance; only these contacts chain into stays.
    physical_contact_types: tuple[str, ...] = ("ALCA00",)
    # prioritet codes of an acute contact (ATA1 is confirmed); every other code is planned.
    acute_priorities: tuple[str, ...] = ("ATA1",)
    # Responsible main specialties (names, compared in lower case) that make a contact psychiatric.
    psychiatric_specialties: tuple[str, ...] = ("psykiatri", "børne- og ungdomspsykiatri")
    # The next physical contact joins the stay when it starts less than this after the latest
    # end so far (the national definition: 4 hours).
    chain_gap_hours: float = 4.0
    # A stay lasting at least this long is an admission (the national definition: 12 hours).
    admission_hours: float = 12.0
    # diag_kode_type of the action diagnosis, and the senere_afkraeftet values of a retraction.
    action_diagnosis_type: str = "A"
    retracted_values: tuple[str, ...] = ("ja",)
    # BEF: the snapshot month whose ultimo is the population on 1 January of the next year.
    bef_snapshot_month: int = 12
    # BEF: a file named by a year only (bef2023) without referencetid holds this month's snapshot.
    bef_year_file_month: int = 12
    # LPR2: c_pattype codes of an inpatient (the guide's rule: 0, 1, 4, 5 in; 2, 3 out).
    lpr2_inpatient_pattypes: tuple[str, ...] = ("0", "1", "4", "5")
    # LPR2: c_indm codes of an acute contact.
    lpr2_acute_codes: tuple[str, ...] = ("1",)
    # LMDB: a row is a dispensing when apk (packages) is above this; 0 and negative rows
    # (returned packages) are left out.
    lmdb_min_packages: float = 0.0
    # Policies: persons left out of the indicators instead of refusing the data (counted).
    leave_out_sex_codes: tuple[str, ...] = ("9",)
    leave_out_municipalities: tuple[int, ...] = (411,)
    # BEF snapshots before this year may hold the municipality codes of before the 2007 reform;
    # rows with codes that are not among today's 98 are left out of those years.
    municipality_reform_year: int = 2007

    def overridden(self, values: dict[str, Any]) -> RegisterSettings:
        """A copy with ``values`` (from a mapping file) in place; unknown names raise KeyError."""
        known = {f.name: f for f in fields(self)}
        changes: dict[str, Any] = {}
        for name, value in values.items():
            if name not in known:
                raise KeyError(name)
            default = getattr(self, name)
            if isinstance(default, tuple):
                if not isinstance(value, list):
                    raise TypeError(f"{name} takes a list")
                changes[name] = tuple(type(default[0])(v) if default else v for v in value)
            elif isinstance(default, bool):
                if not isinstance(value, bool):
                    raise TypeError(f"{name} takes true or false")
                changes[name] = value
            elif isinstance(default, (int, float)):
                if isinstance(value, bool) or not isinstance(value, (int, float)):
                    raise TypeError(f"{name} takes a number")
                changes[name] = type(default)(value)
            else:
                changes[name] = str(value)
        return type(self)(**{**{f: getattr(self, f) for f in known}, **changes})

    @property
    def reporting_systems(self) -> tuple[str, ...]:
        """The lprindberetningssystem values of the LPR3 rows that are read."""
        return ("LPR3", "MiniPAS") if self.include_minipas else ("LPR3",)


DEFAULT_SETTINGS = RegisterSettings()
