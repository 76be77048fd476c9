"""Every kind of indicator on a hand-made extract: counts worked out person by person.

Horsens (615) in 2023 holds six persons (ages on 1 January 2023):
P1 man 72 (moves to Aarhus, 751, in 2024), P2 woman 82 (dies 10 June 2023),
P3 woman 67, P4 man 33, P5 girl 12, P6 man 22. Aarhus holds P7, woman 78.
Disclosure control is switched off (``min_count=1``) to see the raw counts.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from datapakke.engine.compute import Results, compute
from datapakke.engine.settings import ComputeSettings
from datapakke.engine.standard import esp2013_fraction
from datapakke.geography import load_geography
from datapakke.inputs.read import Extract
from datapakke.inputs.schema import TABLES

D = dt.date
T = dt.datetime

PERSONS = {
    "P1": ("M", D(1950, 5, 1)),
    "P2": ("K", D(1940, 2, 2)),
    "P3": ("K", D(1955, 7, 7)),
    "P4": ("M", D(1990, 1, 1)),
    "P5": ("K", D(2010, 6, 6)),
    "P6": ("M", D(2000, 3, 3)),
    "P7": ("K", D(1945, 9, 9)),
}
HOME = {"P7": 751}


def _befolkning() -> list[dict[str, object]]:
    rows = []
    for pnr, (sex, born) in PERSONS.items():
        for year in (2023, 2024):
            if pnr == "P2" and year == 2024:
                continue  # died in 2023
            kommune = HOME.get(pnr, 751 if (pnr == "P1" and year == 2024) else 615)
            rows.append(
                {"pnr": pnr, "aar": year, "koen": sex, "foed_dato": born, "kommunekode": kommune}
            )
    return rows


def _contact(
    cid: str, pnr: str, start: T, end: T, area: str, priority: str, kind: str, code: str
) -> dict[str, object]:
    return {
        "kontakt_id": cid,
        "pnr": pnr,
        "start": start,
        "slut": end,
        "omraade": area,
        "prioritet": priority,
        "kontakttype": kind,
        "aktionsdiagnose": code,
    }


SOM, PSY, ACUTE, PLANNED, IN, OUT = (
    "somatik",
    "psykiatri",
    "akut",
    "planlagt",
    "indlaeggelse",
    "ambulant",
)
CONTACTS = [
    # P1: C1 preventable (DJ18), C2 hip fracture 10 days after C1 (excluded as a readmission:
    # DS), C3 21 days after C2 (a readmission of C2; 36 days after C1: too late for C1).
    _contact("C1", "P1", T(2023, 3, 1), T(2023, 3, 5), SOM, ACUTE, IN, "DJ189"),
    _contact("C2", "P1", T(2023, 3, 15), T(2023, 3, 20), SOM, ACUTE, IN, "DS721"),
    _contact("C3", "P1", T(2023, 4, 10), T(2023, 4, 12), SOM, ACUTE, IN, "DI21"),
    # C4 planned, ends in 2024: an index of 2024 placed where P1 lived when it started (615);
    # C5 starts 29 days after C4 ends (a readmission) and belongs to Aarhus, P1's 2024 home.
    _contact("C4", "P1", T(2023, 12, 28), T(2024, 1, 3), SOM, PLANNED, IN, "DC50"),
    _contact("C5", "P1", T(2024, 2, 1), T(2024, 2, 3), SOM, ACUTE, IN, "DJ189"),
    # P2 dies 21 days after D1 ends: D1 counts as an admission, not as an index admission.
    _contact("D1", "P2", T(2023, 5, 1), T(2023, 5, 20), SOM, ACUTE, IN, "DE86"),
    # P3: an acute KOL admission.
    _contact("K1", "P3", T(2023, 8, 1), T(2023, 8, 3), SOM, ACUTE, IN, "DJ441"),
    # P4: a planned psychiatric admission, an acute one 10 days later, and a somatic one.
    _contact("E1", "P4", T(2023, 2, 1), T(2023, 2, 10), PSY, PLANNED, IN, "DF200"),
    _contact("E2", "P4", T(2023, 2, 20), T(2023, 2, 25), PSY, ACUTE, IN, "DF200"),
    _contact("S1", "P4", T(2023, 9, 1), T(2023, 9, 2), SOM, ACUTE, IN, "DJ189"),
    # P5: an outpatient psychiatric contact (ADHD).
    _contact("F1", "P5", T(2023, 5, 5), T(2023, 5, 5), PSY, PLANNED, OUT, "DF900"),
    # Somebody not in befolkning: belongs to no area.
    _contact("X1", "P9", T(2023, 5, 5), T(2023, 5, 9), SOM, ACUTE, IN, "DJ189"),
]  # fmt: skip

DRUGS = ["C10AA05", "N02BE01", "C07AB02", "A02BC02", "B01AC06"]
PRESCRIPTIONS = [
    # P3: five drugs, each twice in 2023: polypharmacy.
    *({"pnr": "P3", "udlevering_dato": D(2023, m, 1), "atc": a} for a in DRUGS for m in (2, 8)),
    # P1: five drugs, but the last only once; plus a 5-character code that names no drug.
    *({"pnr": "P1", "udlevering_dato": D(2023, m, 1), "atc": a} for a in DRUGS[:4] for m in (2, 8)),
    {"pnr": "P1", "udlevering_dato": D(2023, 3, 1), "atc": DRUGS[4]},
    *({"pnr": "P1", "udlevering_dato": D(2023, m, 1), "atc": "C10AA"} for m in (2, 8)),
]
CHRONIC = [
    {"pnr": "P3", "sygdom": "kol", "debut_dato": D(2022, 12, 31)},  # before 1 Jan 2023: counts
    {"pnr": "P3", "sygdom": "type2_diabetes", "debut_dato": D(2023, 1, 1)},  # only from 2024
    {"pnr": "P4", "sygdom": "kol", "debut_dato": D(2015, 1, 1)},
    {"pnr": "P4", "sygdom": "astma", "debut_dato": D(2010, 1, 1)},
]
HOME_CARE = [{"pnr": "P3", "aar": 2023, "ydelse": "personlig_pleje", "timer_pr_uge": 2.0}]
DEATHS = [{"pnr": "P2", "doed_dato": D(2023, 6, 10)}]


def hand_made_extract() -> Extract:
    tables = {
        "befolkning": _befolkning(),
        "doedsfald": DEATHS,
        "kontakter": CONTACTS,
        "recepter": PRESCRIPTIONS,
        "kroniske": CHRONIC,
        "hjemmepleje": HOME_CARE,
    }
    return Extract(
        folder=Path(),
        tables={n: pl.DataFrame(r, schema=TABLES[n].schema).lazy() for n, r in tables.items()},
        files={},
    )


@pytest.fixture(scope="module")
def results() -> Results:
    return compute(hand_made_extract(), load_geography(), settings=ComputeSettings(min_count=1))


# The bundled catalogue standardises these (a DSR on fewer than 10 events is not shown);
# their crude versions check the shares and rates on the same counts by hand.
CRUDE = {"genindl_30d_65": "share", "psyk_genindl_30d": "share", "polyfarmaci_65": "share",
         "hjemmehjaelp_65": "share", "hjemmehjaelp_80": "share", "multisygdom": "share",
         "kol_akut_indl": "rate_crude", "diabetes_akut_indl": "rate_crude",
         "psyk_somatisk_akut": "rate_crude"}  # fmt: skip


@pytest.fixture(scope="module")
def crude(results: Results) -> Results:
    catalogue = results.catalogue
    indicators = tuple(
        i.model_copy(update={"method": CRUDE[i.id]}) if i.id in CRUDE else i
        for i in catalogue.indicators
    )
    crude_catalogue = catalogue.model_copy(update={"indicators": indicators})
    return compute(
        hand_made_extract(), load_geography(), crude_catalogue, ComputeSettings(min_count=1)
    )


def test_standardised_shares_and_rates_count_as_the_crude_ones(
    results: Results, crude: Results
) -> None:
    for indicator in CRUDE:
        assert _counts(results, indicator) == _counts(crude, indicator), indicator
        standardised = _row(results, indicator)
        if standardised["denominator"] and standardised["numerator"] < 10:
            # Too few events; or no standard at all (nothing counted in the standard's year).
            assert standardised["flag"] in ("too_few", "not_available")
            assert standardised["value"] is None


def _row(results: Results, indicator: str, year: int = 2023, code: str = "615") -> dict:  # type: ignore[type-arg]
    rows = results.indicators.filter(indicator_id=indicator, area_code=code, year=year)
    assert rows.height == 1
    return rows.row(0, named=True)


def _counts(results: Results, indicator: str, year: int = 2023, code: str = "615") -> tuple:  # type: ignore[type-arg]
    row = _row(results, indicator, year, code)
    return row["numerator"], row["denominator"]


def test_deaths_count_where_the_person_lived_on_1_january(results: Results) -> None:
    assert _counts(results, "doedelighed") == (1, 6)
    assert _counts(results, "doedelighed", 2024) == (0, 4)


def test_admissions_by_code_list_priority_and_age(results: Results) -> None:
    # 65+ in Horsens 2023: P1, P2, P3. Preventable: C1 (DJ18), C2 (DS72, fall fracture),
    # D1 (DE86); not C3 (DI21) nor K1 (DJ44). Acute somatic admissions: C1, C2, C3, D1, K1.
    assert _counts(results, "forebyggelige_indl_65") == (3, 3)
    assert _counts(results, "akutte_indl_65") == (5, 3)
    assert _counts(results, "hoftebrud_65") == (1, 3)
    # Below 10 events a standardised rate is not published.
    row = _row(results, "akutte_indl_65")
    assert (row["flag"], row["value"], row["lower"]) == ("too_few", None, None)
    # C5 (2024) belongs to Aarhus, where P1 lived on 1 January 2024; X1 to nobody.
    assert _counts(results, "akutte_indl_65", 2024, "751") == (1, 2)
    assert _counts(results, "akutte_indl_65", 2024, "615") == (0, 1)


def test_readmissions_within_30_days(crude: Results) -> None:
    results = crude
    # Index 2023: C1, C2, C3, K1 (D1 excluded: P2 died within 30 days). Readmitted: C2 (by C3).
    assert _counts(results, "genindl_30d_65") == (1, 4)
    row = _row(results, "genindl_30d_65")
    assert row["value"] == pytest.approx(25.0)
    assert row["lower"] < 25.0 < row["upper"]
    # C4 ends in 2024 but started in Horsens: readmitted by C5 29 days later.
    assert _counts(results, "genindl_30d_65", 2024, "615") == (1, 1)
    assert _counts(results, "genindl_30d_65", 2024, "751") == (0, 1)
    # Psychiatry: E1 readmitted by E2 (acute, 10 days later); E2 not readmitted.
    assert _counts(results, "psyk_genindl_30d") == (1, 2)


def test_polypharmacy_and_home_care(crude: Results) -> None:
    results = crude
    assert _counts(results, "polyfarmaci_65") == (1, 3)  # P3 only
    assert _row(results, "polyfarmaci_65")["value"] == pytest.approx(100 / 3)
    assert _counts(results, "hjemmehjaelp_65") == (1, 3)
    assert _counts(results, "hjemmehjaelp_80") == (0, 1)  # P2 is the only 80+


def test_chronic_disease_onset_before_1_january(results: Results) -> None:
    assert _counts(results, "prev_kol") == (2, 6)  # P3 (31 Dec 2022) and P4
    assert _counts(results, "prev_type2_diabetes") == (0, 6)  # P3's onset is 1 Jan 2023
    assert _counts(results, "prev_type2_diabetes", 2024) == (1, 4)
    # Adults (18+): P1, P2, P3, P4, P6; two or more of the six diseases: P4.
    assert _counts(results, "multisygdom") == (1, 5)


def test_admissions_among_a_sub_population(crude: Results) -> None:
    results = crude
    # KOL patients P3, P4; P3's DJ441 admission: 1 per 2 = 500 per 1,000.
    assert _counts(results, "kol_akut_indl") == (1, 2)
    row = _row(results, "kol_akut_indl")
    assert row["value"] == pytest.approx(500.0)
    # Exact Poisson for one event: 1000 * (0.0253178, 5.571643) / 2.
    assert row["lower"] == pytest.approx(12.6589, abs=1e-4)
    assert row["upper"] == pytest.approx(2785.8217, abs=1e-4)
    # Nobody has diabetes in 2023: no denominator, nothing to show.
    assert _row(results, "diabetes_akut_indl")["flag"] == "not_available"
    # In contact with psychiatry: P4, P5; P4's acute somatic admission S1.
    assert _counts(results, "psyk_somatisk_akut") == (1, 2)


def test_persons_in_contact_with_psychiatry(results: Results) -> None:
    assert _counts(results, "psyk_kontakt") == (2, 6)  # P4 (twice, counted once) and P5
    assert _counts(results, "psyk_kontakt_0_17") == (1, 1)  # P5, the only child
    assert _counts(results, "psyk_diag_skizofreni") == (1, 6)
    assert _counts(results, "psyk_diag_adhd") == (1, 6)
    assert _counts(results, "psyk_indl") == (2, 6)


def test_life_expectancy_is_too_few_below_50_deaths(results: Results) -> None:
    row = _row(results, "middellevetid", 2024, "DK")
    assert (row["flag"], row["value"], row["numerator"]) == ("too_few", None, None)
    assert row["denominator"] == 7 + 6  # person-years 2023 and 2024 pooled


def test_a_missing_table_makes_its_indicators_not_available() -> None:
    extract = hand_made_extract()
    tables = {n: f for n, f in extract.tables.items() if n != "recepter"}
    results = compute(Extract(folder=Path(), tables=tables, files={}), load_geography())
    assert results.missing_tables == ("recepter",)
    # The hand-made extract has no aggregate inputs either: those indicators are missing too.
    unavailable = set(results.unavailable_indicators) - set(results.missing_aggregates)
    assert unavailable == {"polyfarmaci_65"}
    rows = results.indicators.filter(indicator_id="polyfarmaci_65")
    assert rows.height > 0
    assert set(rows["flag"]) == {"not_available"}


def test_esp2013_weights_of_a_band_cut_by_the_age_group() -> None:
    # 0-17 years covers 15, 16, 17 of the band 15-19: three fifths of its weight.
    assert esp2013_fraction(3, 0, 17) == pytest.approx(0.6)
    assert esp2013_fraction(4, 0, 17) == 0.0
    assert esp2013_fraction(13, 65, None) == 1.0  # 65-69
    assert esp2013_fraction(12, 65, None) == 0.0  # 60-64
    assert esp2013_fraction(18, 65, None) == 1.0  # 90+
