"""National levels for the synthetic registers, by age and sex.

Every number here is a deliberately round approximation of published Danish
figures (Statistics Denmark, Sundhedsdatastyrelsen's RUKS and LPR statistics,
Lægemiddelstatistikregisteret, Ældredokumentationen); ``docs/sample-data.md``
gives the target of each and where it comes from. Curves are given as knots
(age, value) and interpolated linearly between them. Which codes the contacts and
prescriptions carry is in ``code_pools``; the levels an extract should show, in ``targets``.
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
