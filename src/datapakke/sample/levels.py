"""National levels for the synthetic registers, by age and sex.

Every number here is a deliberately round approximation of published Danish
figures (Statistics Denmark, Sundhedsdatastyrelsen's RUKS and LPR statistics,
Lægemiddelstatistikregisteret, Ældredokumentationen); ``docs/sample-data.md``
gives the target of each and where it comes from. Curves are given as knots
(age, value) and interpolated linearly between them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Curve:
    """A quantity by age (knots, linear in between), for men and women."""

    ages: tuple[float, ...]
    men: tuple[float, ...]
    women_factor: float = 1.0

    def at(self, age: np.ndarray, male: np.ndarray) -> np.ndarray:
        """The value at each ``age`` for each sex."""
        value = np.interp(age, self.ages, self.men)
        result: np.ndarray = np.where(male, value, value * self.women_factor)
        return result


@dataclass(frozen=True)
class Disease:
    """A chronic disease of RUKS: cumulative share diagnosed by age, and its tie to frailty."""

    name: str
    cumulative: Curve
    frailty_correlation: float


_AGES = (0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 105)

# Share of persons who have been diagnosed by each age (men; women by the factor).
DISEASES = (
    Disease(
        "type1_diabetes",
        Curve(
            _AGES,
            (0, 0.0016, 0.0036, 0.0046, 0.005, 0.0053, 0.0055, 0.0056, 0.0057, 0.0058, 0.0059),
            0.9,
        ),
        0.1,
    ),
    Disease(
        "type2_diabetes",
        Curve(
            _AGES,
            (0, 0.0005, 0.0022, 0.0063, 0.021, 0.054, 0.108, 0.167, 0.212, 0.234, 0.243),
            0.75,
        ),
        0.3,
    ),
    Disease(
        "kol",
        Curve(_AGES, (0, 0, 0.0005, 0.001, 0.004, 0.012, 0.03, 0.06, 0.09, 0.1, 0.105), 0.95),
        0.4,
    ),
    Disease(
        "astma",
        Curve(_AGES, (0, 0.028, 0.045, 0.052, 0.056, 0.06, 0.063, 0.066, 0.07, 0.07, 0.071), 1.1),
        0.15,
    ),
    Disease(
        "leddegigt",
        Curve(
            _AGES,
            (0, 0.0001, 0.0005, 0.0015, 0.003, 0.0055, 0.009, 0.0125, 0.015, 0.016, 0.0165),
            2.0,
        ),
        0.2,
    ),
    Disease(
        "osteoporose",
        Curve(_AGES, (0, 0, 0, 0.0003, 0.0008, 0.003, 0.01, 0.025, 0.045, 0.062, 0.068), 4.0),
        0.25,
    ),
    Disease(
        "demens",
        Curve(_AGES, (0, 0, 0, 0, 0.0002, 0.0008, 0.003, 0.011, 0.045, 0.13, 0.22), 1.15),
        0.45,
    ),
    Disease(
        "skizofreni",
        Curve(_AGES, (0, 0, 0.001, 0.004, 0.006, 0.007, 0.0075, 0.0078, 0.008, 0.008, 0.008), 0.75),
        0.2,
    ),
)
RUKS_START = np.datetime64("1977-01-01")  # the national patient register, RUKS's source, begins

# Frailty: a person's lasting proneness to illness (standard normal). It multiplies
# mortality by exp(s*z - s^2/2), which leaves the average unchanged.
FRAILTY_MORTALITY = 0.5
FRAILTY_CONTACTS = 0.4

# Home care: share receiving any home care by age; dementia doubles the chance.
HOME_CARE = Curve(
    (0, 50, 62, 67, 72, 77, 82, 87, 92, 97, 105),
    (0.002, 0.004, 0.008, 0.014, 0.026, 0.055, 0.16, 0.34, 0.53, 0.65, 0.7),
    1.25,
)
HOME_CARE_DEMENTIA = 2.0
HOME_CARE_FRAILTY_CORRELATION = 0.5
# Among recipients: practical help only, both, personal care only.
HOME_CARE_SERVICES = (0.4, 0.35, 0.25)
HOME_CARE_MEDIAN_HOURS = {"personlig_pleje": 3.0, "praktisk_hjaelp": 0.5}

# Regular medication: mean number of different drugs used all year (Poisson), by age.
REGULAR_DRUGS = Curve(
    (0, 15, 30, 45, 55, 65, 75, 85, 95),
    (0.05, 0.12, 0.25, 0.6, 1.0, 1.7, 2.6, 3.2, 3.4),
    1.1,
)
REGULAR_DRUGS_FRAILTY_CORRELATION = 0.5
# How often a regular drug is dispensed in a year: 1, 2, 3 or 4 times.
DISPENSINGS = (0.1, 0.45, 0.28, 0.17)
ONE_OFF_DRUGS = Curve((0, 5, 20, 60, 80, 100), (0.3, 0.15, 0.15, 0.25, 0.4, 0.45), 1.3)

# Drugs a disease brings (ATC), used from the year after the debut on.
DISEASE_DRUGS = {
    "type1_diabetes": ("A10AB05", "A10AE04"),
    "type2_diabetes": ("A10BA02", "A10BJ06"),
    "kol": ("R03AL03",),
    "astma": ("R03AK06",),
    "leddegigt": ("L04AX03",),
    "osteoporose": ("M05BA04",),
    "demens": ("N06DA02",),
    "skizofreni": ("N05AH03",),
}

# Regular drugs (ATC) and their weights for persons under 40, 40-64 and 65+.
REGULAR_DRUG_POOL: tuple[tuple[str, float, float, float], ...] = (
    ("C10AA05", 0.2, 8, 10),
    ("C10AA01", 0.1, 3, 5),
    ("B01AC06", 0.1, 3, 7),
    ("C09AA05", 0.3, 5, 5),
    ("C09CA01", 0.3, 5, 6),
    ("C08CA01", 0.2, 5, 7),
    ("C03CA01", 0.05, 1, 5),
    ("C07AB02", 0.3, 3, 5),
    ("C03AA03", 0.1, 2, 3),
    ("A02BC01", 1, 2, 3),
    ("A02BC02", 2, 4, 4),
    ("N02BE01", 2, 3, 8),
    ("B01AF02", 0.05, 1, 5),
    ("B01AF01", 0.05, 1, 3),
    ("H03AA01", 2, 3, 4),
    ("N06AB04", 2, 2, 3),
    ("N06AB10", 4, 3, 2),
    ("A11CC05", 0.5, 1, 4),
    ("N05CF01", 0.5, 1, 2),
    ("A06AD65", 0.3, 1, 3),
    ("N03AX16", 0.5, 1.5, 2),
    ("N02AX02", 0.3, 1, 2),
    ("R06AE07", 5, 2, 0.5),
    ("D07AC01", 3, 1, 1),
    ("N06BA04", 4, 0.5, 0.1),
    ("G03AA07", 12, 0.5, 0),  # women only
    ("G04CA02", 0, 1, 4),  # men only
)
WOMEN_ONLY = {"G03AA07"}
MEN_ONLY = {"G04CA02"}
ONE_OFF_POOL = (
    ("J01CE02", 5),
    ("J01CA04", 3),
    ("J01CF05", 1),
    ("J01XE01", 1.5),
    ("J01MA02", 0.5),
    ("M01AE01", 2),
    ("N02BE01", 1),
    ("D07AC01", 1),
    ("S01AA01", 1),
    ("R05DA04", 0.5),
)

# Hospital contacts: rates per person and year.
ACUTE_SOMATIC = Curve(
    (0, 1, 5, 15, 25, 45, 55, 65, 75, 85, 95),
    (0.12, 0.06, 0.03, 0.04, 0.045, 0.065, 0.095, 0.14, 0.22, 0.36, 0.47),
    0.9,
)
PLANNED_SOMATIC = Curve(
    (0, 20, 40, 60, 70, 80, 90), (0.01, 0.015, 0.03, 0.06, 0.075, 0.06, 0.04), 1.0
)
# Outpatient contacts are thinned to about a third of the real volume (one per course of
# treatment rather than one per visit): no indicator counts them, and they cost disk space.
ACUTE_OUTPATIENT = Curve((0, 5, 20, 40, 70, 90), (0.04, 0.03, 0.035, 0.025, 0.03, 0.04), 0.9)
PLANNED_OUTPATIENT = Curve((0, 20, 50, 70, 90), (0.02, 0.025, 0.04, 0.07, 0.05), 1.1)
KOL_EXACERBATIONS = 0.11  # acute admissions for KOL per person with KOL and year
DIABETES_ADMISSIONS = {"type1_diabetes": 0.05, "type2_diabetes": 0.012}
DEATHS_IN_HOSPITAL = 0.45  # share of deaths that end an acute admission
PSYCHIATRY_TO_SOMATIC = 1.8  # acute somatic admissions of persons in psychiatric contact
# Births as acute admissions (DO80): the chance for a woman of each age in a year.
DELIVERIES = Curve((0, 19, 24, 30, 36, 42, 105), (0, 0.01, 0.06, 0.1, 0.05, 0.005, 0), 1.0)

# Acute somatic readmission within 30 days after a somatic admission.
READMISSION = Curve((0, 40, 65, 80, 105), (0.04, 0.05, 0.085, 0.11, 0.12), 1.05)

# Share of acute somatic admissions (not KOL, diabetes, births) with a preventable
# diagnosis, and with a hip fracture.
PREVENTABLE_SHARE = Curve((0, 40, 65, 80, 105), (0.07, 0.09, 0.13, 0.18, 0.2), 1.0)
HIP_FRACTURE_SHARE = Curve((0, 50, 65, 75, 85, 105), (0, 0.001, 0.005, 0.012, 0.02, 0.022), 1.6)
PREVENTABLE_DIAGNOSES = (
    ("DJ189", 30),
    ("DJ159", 4),
    ("DJ209", 5),
    ("DJ22", 4),
    ("DJ181", 3),
    ("DN390", 14),
    ("DN300", 3),
    ("DE869", 10),
    ("DK590", 5),
    ("DA099", 5),
    ("DA084", 2),
    ("DK529", 2),
    ("DS422", 3),
    ("DS525", 4),
    ("DS320", 2),
    ("DD509", 3),
    ("DD519", 1),
    ("DZ740", 1),
    ("DZ599", 0.5),
    ("DL899", 1),
)
HIP_FRACTURES = (("DS720", 5), ("DS721", 4), ("DS722", 1))
OTHER_ACUTE_DIAGNOSES = (
    ("DI219", 4),
    ("DI639", 4),
    ("DI509", 4),
    ("DI489", 4),
    ("DR074", 6),
    ("DR109", 5),
    ("DK359", 2),
    ("DK802", 2),
    ("DN179", 2),
    ("DS069", 3),
    ("DZ038", 8),
    ("DR559", 2),
    ("DC349", 1.5),
    ("DT814", 1),
    ("DK922", 1.5),
    ("DG409", 1),
    ("DR068", 3),
    ("DK566", 1),
    ("DI269", 1),
    ("DS610", 1),
)
PLANNED_DIAGNOSES = (
    ("DM171", 5),
    ("DM161", 4),
    ("DK802", 3),
    ("DK409", 2),
    ("DC509", 2),
    ("DC619", 2),
    ("DI251", 2),
    ("DN40", 2),
    ("DM511", 2),
    ("DC189", 1.5),
    ("DN803", 1),
    ("DZ511", 1),
)
ACUTE_OUTPATIENT_DIAGNOSES = (
    ("DS934", 4),
    ("DS610", 3),
    ("DS009", 3),
    ("DT159", 1),
    ("DR104", 3),
    ("DZ038", 5),
    ("DS602", 2),
    ("DR509", 2),
    ("DJ069", 2),
    ("DS526", 1),
)
PLANNED_OUTPATIENT_DIAGNOSES = (
    ("DZ016", 3),
    ("DH251", 3),
    ("DM179", 3),
    ("DI109", 2),
    ("DC509", 2),
    ("DZ098", 3),
    ("DE119", 2),
    ("DM545", 2),
    ("DN393", 1),
    ("DH401", 1),
    ("DL400", 1),
    ("DJ459", 1),
)
KOL_DIAGNOSES = (("DJ441", 8), ("DJ440", 2))
DIABETES_DIAGNOSES = {
    "type1_diabetes": (("DE101", 5), ("DE106", 2), ("DE109", 3)),
    "type2_diabetes": (("DE119", 5), ("DE116", 3), ("DE111", 1)),
}
DELIVERY_DIAGNOSES = (("DO800", 7), ("DO829", 2), ("DO809", 1))

# Psychiatry: share of persons in contact during a year, by age.
PSYCHIATRY = Curve(
    (0, 5, 9, 14, 18, 24, 35, 50, 65, 80, 105),
    (0.003, 0.012, 0.035, 0.045, 0.05, 0.045, 0.032, 0.022, 0.012, 0.012, 0.01),
    1.1,
)
PSYCHIATRY_WITH_SCHIZOPHRENIA = 0.7
PSYCHIATRY_EXTRA_CONTACTS = 1.2  # Poisson mean of contacts beyond the first
PSYCHIATRIC_ADMISSION = Curve((0, 15, 18, 65, 105), (0.05, 0.1, 0.22, 0.2, 0.16), 0.9)
PSYCHIATRIC_ADMISSION_ACUTE = 0.7
PSYCHIATRIC_READMISSION = 0.2
# Diagnosis of a person's psychiatric contacts in a year, by age group.
PSYCHIATRIC_DIAGNOSES_CHILDREN = (
    ("DF900", 35),
    ("DF840", 15),
    ("DF419", 8),
    ("DF432", 8),
    ("DF321", 10),
    ("DF500", 5),
    ("DF930", 7),
    ("DF989", 5),
    ("DF430", 5),
    ("DF319", 0.5),
    ("DF102", 0.5),
    ("DF200", 0.5),
)
PSYCHIATRIC_DIAGNOSES_ADULTS = (
    ("DF321", 14),
    ("DF331", 8),
    ("DF432", 12),
    ("DF412", 5),
    ("DF419", 4),
    ("DF431", 4),
    ("DF200", 5),
    ("DF209", 1.5),
    ("DF250", 1.5),
    ("DF310", 3),
    ("DF311", 3),
    ("DF102", 5),
    ("DF192", 3),
    ("DF122", 2),
    ("DF603", 7),
    ("DF900", 6),
    ("DF840", 3),
    ("DF500", 2),
    ("DF429", 3),
    ("DF989", 5),
)
PSYCHIATRIC_DIAGNOSES_ELDERLY = (
    ("DF321", 25),
    ("DF331", 10),
    ("DF039", 15),
    ("DF009", 8),
    ("DF432", 10),
    ("DF412", 5),
    ("DF200", 4),
    ("DF310", 4),
    ("DF102", 6),
    ("DF069", 6),
    ("DF989", 5),
)
SCHIZOPHRENIA_DIAGNOSES = (("DF200", 6), ("DF209", 2), ("DF201", 1), ("DF250", 1))


@dataclass(frozen=True)
class Target:
    """A level the synthetic data aim at: a range, and where the figure comes from."""

    description: str
    low: float
    high: float
    source: str


# What a synthetic extract should show nationally (checked by the tests on a small sample).
TARGETS: dict[str, Target] = {
    "deaths_per_1000": Target("deaths per 1,000 persons", 8.5, 11.5,
                              "Statistics Denmark: about 57,000 deaths a year in 5.9 million"),
    "type2_diabetes_pct": Target("type 2 diabetes, % of all persons", 4.0, 6.0,
                                 "RUKS: about 5% of the population"),
    "type1_diabetes_pct": Target("type 1 diabetes, % of all persons", 0.3, 0.6,
                                 "RUKS: about 0.5%"),
    "kol_pct": Target("KOL, % of all persons", 1.5, 3.5, "RUKS: 2-3%"),
    "astma_pct": Target("asthma, % of all persons", 3.5, 7.0, "RUKS: about 5%"),
    "leddegigt_pct": Target("rheumatoid arthritis, % of all persons", 0.5, 1.3,
                            "RUKS: just under 1%"),
    "osteoporose_pct": Target("osteoporosis, % of all persons", 1.5, 3.5, "RUKS: 2-3%"),
    "skizofreni_pct": Target("schizophrenia, % of all persons", 0.3, 0.8, "RUKS: about 0.5%"),
    "dementia_65_pct": Target("dementia, % of persons 65+", 2.5, 6.0,
                              "RUKS / Nationalt Videnscenter for Demens: a few % of 65+"),
    "home_care_65_pct": Target("home care, % of persons 65+", 8.0, 14.0,
                               "Ældredokumentationen: about 10% of 65+"),
    "home_care_80_pct": Target("home care, % of persons 80+", 25.0, 40.0,
                               "Ældredokumentationen: about a third of 80+"),
    "polypharmacy_75_pct": Target("5+ drugs each dispensed twice, % of persons 75+", 20.0, 33.0,
                                  "Lægemiddelstatistikregisteret: a fifth to a third of 75+"),
    "acute_admissions_65_per_1000": Target("acute somatic admissions per 1,000 persons 65+",
                                           220.0, 340.0, "LPR: about 250-300"),
    "preventable_65_per_1000": Target("preventable admissions per 1,000 persons 65+", 35.0, 70.0,
                                      "Sundhedsdatastyrelsen: about 50"),
    "hip_fracture_65_per_1000": Target("hip fractures per 1,000 persons 65+", 3.0, 8.0,
                                       "LPR: about 6,000-7,000 a year in 1.2 million 65+"),
    "readmission_65_pct": Target("acute readmissions within 30 days, % of admissions 65+", 7.0,
                                 16.0, "Sundhedsdatastyrelsen: about 10-13%"),
    "psychiatry_pct": Target("persons in contact with psychiatry, % of all", 2.0, 4.0,
                             "LPR: about 2.5-3%"),
    "psychiatry_0_17_pct": Target("persons 0-17 in contact with psychiatry, % of 0-17", 2.0, 5.0,
                                  "LPR: child and adolescent psychiatry about 3-4%"),
    "psychiatric_admissions_per_1000": Target("psychiatric admissions per 1,000 persons", 5.0,
                                              11.0, "LPR: about 45,000 a year"),
    "kol_admissions_per_1000_kol": Target("acute KOL admissions per 1,000 persons with KOL", 80.0,
                                          250.0, "LPR/RUKS: about 150"),
}  # fmt: skip


def targets_markdown() -> str:
    """The targets as a Markdown table, as ``docs/sample-data.md`` shows them."""
    lines = ["| measure | range | source of the figure |", "|---|---|---|"]
    lines += [
        f"| {t.description} | {t.low:g} to {t.high:g} | {t.source} |" for t in TARGETS.values()
    ]
    return "\n".join(lines) + "\n"
