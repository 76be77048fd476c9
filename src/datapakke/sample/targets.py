"""The national levels a synthetic extract should show, and where each figure comes from.

``measure.measure_levels`` measures them on an extract; the tests check a small sample
against them, and ``docs/sample-data.md`` shows them as ``targets_markdown`` writes them.
"""

from __future__ import annotations

from dataclasses import dataclass


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
