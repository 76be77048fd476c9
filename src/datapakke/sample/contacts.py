"""kontakter (LPR3): somatic and psychiatric hospital contacts, coherent with the other tables.

Acute admissions rise with age and frailty; persons with KOL or diabetes have
their own acute admissions; deaths often end an admission; some discharges are
followed by an acute readmission within 30 days. Psychiatric contacts follow
age, with a diagnosis mix by age group and persons with schizophrenia (RUKS)
in contact most years. Outpatient volume is thinned: see docs/sample-data.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import polars as pl

from datapakke.sample.chunk import DAY, Chunk, choose, poisson_events, random_times
from datapakke.sample.code_pools import (
    ACUTE_OUTPATIENT_DIAGNOSES,
    DELIVERY_DIAGNOSES,
    DIABETES_DIAGNOSES,
    HIP_FRACTURES,
    KOL_DIAGNOSES,
    OTHER_ACUTE_DIAGNOSES,
    PLANNED_DIAGNOSES,
    PLANNED_OUTPATIENT_DIAGNOSES,
    PREVENTABLE_DIAGNOSES,
    PSYCHIATRIC_DIAGNOSES_ADULTS,
    PSYCHIATRIC_DIAGNOSES_CHILDREN,
    PSYCHIATRIC_DIAGNOSES_ELDERLY,
    SCHIZOPHRENIA_DIAGNOSES,
)
from datapakke.sample.levels import (
    ACUTE_OUTPATIENT,
    ACUTE_SOMATIC,
    DEATHS_IN_HOSPITAL,
    DELIVERIES,
    DIABETES_ADMISSIONS,
    FRAILTY_CONTACTS,
    HIP_FRACTURE_SHARE,
    KOL_EXACERBATIONS,
    PLANNED_OUTPATIENT,
    PLANNED_SOMATIC,
    PREVENTABLE_SHARE,
    PSYCHIATRIC_ADMISSION,
    PSYCHIATRIC_ADMISSION_ACUTE,
    PSYCHIATRIC_READMISSION,
    PSYCHIATRY,
    PSYCHIATRY_EXTRA_CONTACTS,
    PSYCHIATRY_TO_SOMATIC,
    PSYCHIATRY_WITH_SCHIZOPHRENIA,
    READMISSION,
)

MINUTES_PER_DAY = 1440


@dataclass
class Contacts:
    """Contacts being collected: person-year row, start, slut and the coded columns."""

    rows: list[np.ndarray]
    start: list[np.ndarray]
    slut: list[np.ndarray]
    omraade: list[np.ndarray]
    prioritet: list[np.ndarray]
    kontakttype: list[np.ndarray]
    diagnose: list[np.ndarray]

    @classmethod
    def empty(cls) -> Contacts:
        """No contacts yet."""
        return cls([], [], [], [], [], [], [])

    def add(
        self,
        rows: np.ndarray,
        start: np.ndarray,
        slut: np.ndarray,
        omraade: str,
        prioritet: str | np.ndarray,
        kontakttype: str,
        diagnose: np.ndarray,
    ) -> None:
        """Add contacts of one kind."""
        n = len(rows)
        self.rows.append(rows)
        self.start.append(start.astype("datetime64[m]"))
        self.slut.append(slut.astype("datetime64[m]"))
        self.omraade.append(np.full(n, omraade))
        self.prioritet.append(np.broadcast_to(np.asarray(prioritet), (n,)).copy())
        self.kontakttype.append(np.full(n, kontakttype))
        self.diagnose.append(diagnose)


def _stay(rng: np.random.Generator, start: np.ndarray, median_days: np.ndarray) -> np.ndarray:
    """End of a stay that began at ``start`` (datetime64[m]): lognormal length, at least 4 hours."""
    days = median_days * np.exp(0.8 * rng.standard_normal(len(start)))
    minutes = np.clip(days * MINUTES_PER_DAY, 240, 90 * MINUTES_PER_DAY).astype(np.int64)
    result: np.ndarray = start + minutes.astype("timedelta64[m]")
    return result


def _visit(rng: np.random.Generator, start: np.ndarray) -> np.ndarray:
    """End of an outpatient visit: 15 minutes to 6 hours later, in whole 5 minutes."""
    minutes = rng.integers(3, 72, size=len(start)) * 5
    result: np.ndarray = start + minutes.astype("timedelta64[m]")
    return result


def _frailty_factor(chunk: Chunk, strength: float = FRAILTY_CONTACTS) -> np.ndarray:
    z = chunk.person_frailty()
    result: np.ndarray = np.exp(strength * z - strength**2 / 2)
    return result


def _has(debut: np.ndarray, chunk: Chunk) -> np.ndarray:
    """Per person-year: diagnosed before 1 January of the year."""
    at = debut[chunk.person]
    result: np.ndarray = ~np.isnat(at) & (at < chunk.start)
    return result


def _acute_diagnoses(rng: np.random.Generator, age: np.ndarray, male: np.ndarray) -> np.ndarray:
    """Diagnoses of ordinary acute somatic admissions: hip fracture, preventable or other."""
    u = rng.random(len(age))
    hip = u < HIP_FRACTURE_SHARE.at(age, male)
    preventable = ~hip & (u < HIP_FRACTURE_SHARE.at(age, male) + PREVENTABLE_SHARE.at(age, male))
    codes = choose(rng, OTHER_ACUTE_DIAGNOSES, len(age))
    codes[hip] = choose(rng, HIP_FRACTURES, int(hip.sum()))
    codes[preventable] = choose(rng, PREVENTABLE_DIAGNOSES, int(preventable.sum()))
    return codes


def _psychiatric_diagnoses(
    rng: np.random.Generator, age: np.ndarray, schizophrenia: np.ndarray
) -> np.ndarray:
    codes = choose(rng, PSYCHIATRIC_DIAGNOSES_ADULTS, len(age))
    for group, options in (
        (age < 18, PSYCHIATRIC_DIAGNOSES_CHILDREN),
        (age >= 65, PSYCHIATRIC_DIAGNOSES_ELDERLY),
        (schizophrenia, SCHIZOPHRENIA_DIAGNOSES),
    ):
        codes[group] = choose(rng, options, int(group.sum()))
    return codes


def kontakter(
    rng: np.random.Generator, chunk: Chunk, debuts: dict[str, np.ndarray]
) -> pl.DataFrame:
    """Every hospital contact of the chunk, with ``_bopael`` (residence in the start year)."""
    contacts = Contacts.empty()
    male = chunk.person_male()
    psychiatric = _psychiatry(rng, chunk, debuts, contacts)
    _somatic(rng, chunk, debuts, male, psychiatric, contacts)
    return _frame(rng, chunk, contacts)


def _psychiatry(
    rng: np.random.Generator,
    chunk: Chunk,
    debuts: dict[str, np.ndarray],
    contacts: Contacts,
) -> np.ndarray:
    """Psychiatric contacts; returns which person-years had one."""
    schizophrenia = _has(debuts["skizofreni"], chunk)
    chance = PSYCHIATRY.at(chunk.age, chunk.person_male()) * chunk.profile.psychiatry
    chance = chance * _frailty_factor(chunk, 0.3)
    chance = np.where(schizophrenia, np.maximum(chance, PSYCHIATRY_WITH_SCHIZOPHRENIA), chance)
    in_contact: np.ndarray = rng.random(len(chance)) < np.minimum(chance, 0.95)
    persons = np.flatnonzero(in_contact)
    diagnosis = _psychiatric_diagnoses(rng, chunk.age[persons], schizophrenia[persons])
    visits = 1 + rng.poisson(PSYCHIATRY_EXTRA_CONTACTS, len(persons))
    rows = np.repeat(persons, visits)
    codes = np.repeat(diagnosis, visits)
    start = random_times(rng, chunk.start[rows], chunk.end[rows], hours=(8, 16), slot=15)
    acute_visit = rng.random(len(rows)) < 0.1
    contacts.add(
        rows,
        start,
        _visit(rng, start),
        "psykiatri",
        np.where(acute_visit, "akut", "planlagt"),
        "ambulant",
        codes,
    )
    admission_chance = PSYCHIATRIC_ADMISSION.at(chunk.age[persons], chunk.person_male()[persons])
    admission_chance = np.where(schizophrenia[persons], admission_chance * 2, admission_chance)
    admitted = rng.random(len(persons)) < admission_chance
    rows = persons[admitted]
    start = random_times(rng, chunk.start[rows], chunk.end[rows], hours=(0, 24))
    slut = _stay(rng, start, np.full(len(rows), 8.0))
    acute = rng.random(len(rows)) < PSYCHIATRIC_ADMISSION_ACUTE
    contacts.add(
        rows,
        start,
        slut,
        "psykiatri",
        np.where(acute, "akut", "planlagt"),
        "indlaeggelse",
        diagnosis[admitted],
    )
    again = rng.random(len(rows)) < PSYCHIATRIC_READMISSION
    _readmit(
        rng,
        chunk,
        rows[again],
        slut[again],
        diagnosis[admitted][again],
        "psykiatri",
        np.full(int(again.sum()), 8.0),
        contacts,
    )
    return in_contact


def _somatic(
    rng: np.random.Generator,
    chunk: Chunk,
    debuts: dict[str, np.ndarray],
    male: np.ndarray,
    psychiatric: np.ndarray,
    contacts: Contacts,
) -> None:
    hospital = chunk.profile.hospital * _frailty_factor(chunk)
    acute_rate = ACUTE_SOMATIC.at(chunk.age, male) * hospital
    acute_rate = np.where(psychiatric, acute_rate * PSYCHIATRY_TO_SOMATIC, acute_rate)
    rows, _ = poisson_events(rng, chunk, acute_rate)
    codes = _acute_diagnoses(rng, chunk.age[rows], male[rows])
    kol = _has(debuts["kol"], chunk)
    kol_rows, _ = poisson_events(rng, chunk, np.where(kol, KOL_EXACERBATIONS * hospital, 0.0))
    extra_rows = [kol_rows]
    extra_codes = [choose(rng, KOL_DIAGNOSES, len(kol_rows))]
    for disease, rate in DIABETES_ADMISSIONS.items():
        has = _has(debuts[disease], chunk)
        found, _ = poisson_events(rng, chunk, np.where(has, rate * hospital, 0.0))
        extra_rows.append(found)
        extra_codes.append(choose(rng, DIABETES_DIAGNOSES[disease], len(found)))
    births = np.where(male, 0.0, DELIVERIES.at(chunk.age, male))
    birth_rows = np.flatnonzero(rng.random(len(births)) < births)
    rows = np.concatenate([rows, *extra_rows])
    codes = np.concatenate([codes, *extra_codes])
    start = random_times(rng, chunk.start[rows], chunk.end[rows], hours=(0, 24))
    median = 1.5 + np.clip(chunk.age[rows] - 50, 0, 50) / 15
    slut = _stay(rng, start, median)
    birth_start = random_times(rng, chunk.start[birth_rows], chunk.end[birth_rows], hours=(0, 24))
    birth_slut = _stay(rng, birth_start, np.full(len(birth_rows), 1.5))
    rows = np.concatenate([rows, birth_rows])
    start = np.concatenate([start, birth_start])
    slut = np.concatenate([slut, birth_slut])
    codes = np.concatenate([codes, choose(rng, DELIVERY_DIAGNOSES, len(birth_rows))])
    contacts.add(rows, start, slut, "somatik", "akut", "indlaeggelse", codes)
    index_rows, index_slut = [rows], [slut]

    planned_rows, _ = poisson_events(rng, chunk, PLANNED_SOMATIC.at(chunk.age, male) * hospital)
    start = random_times(
        rng, chunk.start[planned_rows], chunk.end[planned_rows], hours=(8, 15), slot=15
    )
    slut = _stay(rng, start, np.full(len(planned_rows), 2.0))
    contacts.add(
        planned_rows,
        start,
        slut,
        "somatik",
        "planlagt",
        "indlaeggelse",
        choose(rng, PLANNED_DIAGNOSES, len(planned_rows)),
    )
    index_rows.append(planned_rows)
    index_slut.append(slut)

    _deaths_in_hospital(rng, chunk, male, contacts)
    rows = np.concatenate(index_rows)
    slut = np.concatenate(index_slut)
    chance = READMISSION.at(chunk.age[rows], male[rows]) * _frailty_factor(chunk, 0.3)[rows]
    again = rng.random(len(rows)) < chance
    rows, slut = rows[again], slut[again]
    _readmit(
        rng,
        chunk,
        rows,
        slut,
        _acute_diagnoses(rng, chunk.age[rows], male[rows]),
        "somatik",
        1.5 + np.clip(chunk.age[rows] - 50, 0, 50) / 15,
        contacts,
    )

    for curve, priority, options, hours in (
        (ACUTE_OUTPATIENT, "akut", ACUTE_OUTPATIENT_DIAGNOSES, (0, 24)),
        (PLANNED_OUTPATIENT, "planlagt", PLANNED_OUTPATIENT_DIAGNOSES, (8, 15)),
    ):
        found, _ = poisson_events(rng, chunk, curve.at(chunk.age, male) * hospital)
        slot = 15 if priority == "planlagt" else 1
        start = random_times(rng, chunk.start[found], chunk.end[found], hours=hours, slot=slot)
        contacts.add(
            found,
            start,
            _visit(rng, start),
            "somatik",
            priority,
            "ambulant",
            choose(rng, options, len(found)),
        )


def _deaths_in_hospital(
    rng: np.random.Generator, chunk: Chunk, male: np.ndarray, contacts: Contacts
) -> None:
    """An acute admission that ends with the death, for a share of those who die."""
    dying = np.flatnonzero(~np.isnat(chunk.death))
    rows = dying[rng.random(len(dying)) < DEATHS_IN_HOSPITAL]
    before = rng.integers(0, 12, size=len(rows)).astype("timedelta64[D]")
    first_day = np.datetime64(f"{chunk.years.start}-01-01")
    start_day = np.maximum(chunk.death[rows] - before, first_day)
    start = random_times(rng, start_day, start_day + DAY, hours=(0, 24))
    slut = chunk.death[rows].astype("datetime64[m]") + rng.integers(
        0, MINUTES_PER_DAY, size=len(rows)
    ).astype("timedelta64[m]")
    slut = np.maximum(slut, start + np.timedelta64(60, "m"))
    contacts.add(
        rows,
        start,
        slut,
        "somatik",
        "akut",
        "indlaeggelse",
        _acute_diagnoses(rng, chunk.age[rows], male[rows]),
    )


def _readmit(
    rng: np.random.Generator,
    chunk: Chunk,
    rows: np.ndarray,
    after: np.ndarray,
    codes: np.ndarray,
    omraade: str,
    median_days: np.ndarray,
    contacts: Contacts,
) -> None:
    """Acute admissions 1 to 30 days after ``after``, if the person is alive and in the data."""
    gap = rng.integers(12 * 60, 30 * MINUTES_PER_DAY, size=len(rows)).astype("timedelta64[m]")
    start = after + gap
    death = _person_death(chunk)[chunk.person[rows]].astype("datetime64[m]")
    last = (chunk.last_day + DAY).astype("datetime64[m]")
    keep = (start < last) & (np.isnat(death) | (start < death))
    start = start[keep]
    contacts.add(
        rows[keep],
        start,
        _stay(rng, start, median_days[keep]),
        omraade,
        "akut",
        "indlaeggelse",
        codes[keep],
    )


def _person_death(chunk: Chunk) -> np.ndarray:
    death = np.full(len(chunk.male), np.datetime64("NaT"), dtype="datetime64[D]")
    dies = ~np.isnat(chunk.death)
    death[chunk.person[dies]] = chunk.death[dies]
    return death


def _frame(rng: np.random.Generator, chunk: Chunk, contacts: Contacts) -> pl.DataFrame:
    rows = np.concatenate(contacts.rows)
    start = np.concatenate(contacts.start)
    slut = np.concatenate(contacts.slut)
    death = _person_death(chunk)[chunk.person[rows]]
    # Nothing goes on after death: a stay that would outlast the person ends that day.
    end_of_life = (death + DAY).astype("datetime64[m]") - np.timedelta64(1, "m")
    slut = np.where(np.isnat(death), slut, np.minimum(slut, end_of_life))
    slut = np.maximum(slut, start)
    frame = pl.DataFrame(
        {
            "pnr": chunk.pnr.gather(chunk.person[rows]),
            "start": start.astype("datetime64[us]"),
            "slut": slut.astype("datetime64[us]"),
            "omraade": np.concatenate(contacts.omraade),
            "prioritet": np.concatenate(contacts.prioritet),
            "kontakttype": np.concatenate(contacts.kontakttype),
            "aktionsdiagnose": np.concatenate(contacts.diagnose),
            "_bopael": chunk.kommune[rows],
        }
    ).sort("pnr", "start", "omraade", "aktionsdiagnose")
    serial = pl.int_range(pl.len(), dtype=pl.Int64) + 1
    kontakt_id = pl.format(
        "K{}{}", pl.lit(f"{chunk.profile.kode:03d}"), serial.cast(pl.String).str.zfill(8)
    )
    return frame.select(kontakt_id.alias("kontakt_id"), pl.all())


__all__: Sequence[str] = ["kontakter"]
