"""Every fact about the delivered registers that no published source confirms, as a setting.

Each field has the default datapakke uses and says which fact it covers; a
mapping file's ``[settings]`` table overrides them (``datapakke inspect`` writes
the defaults there). The fact sheet behind them is ``docs/data-contract.md``'s
section "Registers as delivered".
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any


def _setting(default: Any, doc: str, *, unconfirmed: bool = True) -> Any:
    """A field with the fact it covers (``doc``) and whether a published source confirms it."""
    return field(default=default, metadata={"doc": doc, "unconfirmed": unconfirmed})


@dataclass(frozen=True)
class RegisterSettings:
    """How the register layouts are read; every field is one unconfirmed (or chosen) fact."""

    include_minipas: bool = _setting(
        False,
        "Keep LPR3 rows reported through MiniPAS (private hospitals). Only the value 'LPR3' "
        "of lprindberetningssystem is confirmed; whether private rows belong in the "
        "indicators is open.",
    )
    physical_contact_types: tuple[str, ...] = _setting(
        ("ALCA00",),
        "kont_type of a physical attendance (ALCA00 is confirmed); only these contacts "
        "chain into stays, every other contact (telephone, video, ...) is outpatient.",
        unconfirmed=False,
    )
    acute_priorities: tuple[str, ...] = _setting(
        ("ATA1",),
        "prioritet codes of an acute contact (ATA1 is confirmed); every other code, "
        "the planned ATA3 among them, is planned.",
        unconfirmed=False,
    )
    psychiatric_specialties: tuple[str, ...] = _setting(
        ("psykiatri", "børne- og ungdomspsykiatri"),
        "Responsible main specialties (names, compared in lower case) that make a contact "
        "psychiatric.",
        unconfirmed=False,
    )
    chain_gap_hours: float = _setting(
        4.0,
        "The next physical contact joins the stay when it starts less than this many hours "
        "after the latest end so far (the national definition).",
        unconfirmed=False,
    )
    admission_hours: float = _setting(
        12.0,
        "A stay lasting at least this many hours is an admission (the national definition).",
        unconfirmed=False,
    )
    action_diagnosis_type: str = _setting(
        "A", "diag_kode_type (LPR3_F: diagnosetype) of the action diagnosis.", unconfirmed=False
    )
    retracted_values: tuple[str, ...] = _setting(
        ("ja",),
        "senere_afkraeftet values (lower case) of a retracted diagnosis.",
        unconfirmed=False,
    )
    bef_snapshot_month: int = _setting(
        12,
        "The BEF snapshot whose ultimo (referencetid) is the population on 1 January of the "
        "next year (a project convention, not DST's naming).",
        unconfirmed=False,
    )
    bef_year_file_month: int = _setting(
        12,
        "The month a BEF file named by a year only (bef2023) holds when it has no "
        "referencetid; DST's names of period files are not confirmed.",
    )
    lpr2_inpatient_pattypes: tuple[str, ...] = _setting(
        ("0", "1", "4", "5"),
        "LPR2 c_pattype codes of an admission (the guide's rule); 2 and 3 are outpatient and "
        "emergency room.",
    )
    lpr2_acute_codes: tuple[str, ...] = _setting(
        ("1",), "LPR2 c_indm codes of an acute contact.", unconfirmed=False
    )
    lmdb_min_packages: float = _setting(
        0.0,
        "An LMDB row is a dispensing when apk (packages) is above this; rows of 0 or fewer "
        "(returned packages) are left out.",
    )
    leave_out_sex_codes: tuple[str, ...] = _setting(
        ("9",), "BEF koen codes whose persons are left out of the indicators (9: unknown).",
        unconfirmed=False,
    )  # fmt: skip
    leave_out_municipalities: tuple[int, ...] = _setting(
        (411,),
        "BEF kom codes in no municipality whose residents are left out (411: Christiansø).",
        unconfirmed=False,
    )
    municipality_reform_year: int = _setting(
        2007,
        "In BEF snapshots before this year, codes that are not among today's 98 "
        "municipalities (the former municipalities) are left out of those years.",
        unconfirmed=False,
    )

    @classmethod
    def described(cls) -> list[tuple[str, Any, str, bool]]:
        """Every setting: name, default, what it covers, and whether it is unconfirmed."""
        return [
            (f.name, f.default, f.metadata["doc"], f.metadata["unconfirmed"]) for f in fields(cls)
        ]

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
