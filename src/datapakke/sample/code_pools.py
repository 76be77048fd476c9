"""Which codes the synthetic registers carry: ATC codes and SKS diagnoses, with weights.

A pool pairs each code with a weight (the regular drugs one weight per age band); codes
are drawn in proportion to their weights. How many contacts and prescriptions a person
has is set in ``levels``; which codes they carry, here.
"""

from __future__ import annotations

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

# Diagnoses of acute somatic admissions: preventable ones, hip fractures and the rest.
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
