"""Five catalogue indicators in pandas, as a competent analyst writes them today.

The yardstick of ``bench_engine.py``: vectorised pandas (merges, group-bys, no loop
over areas), every area level from one municipality-to-area table, the methods of
``docs/methods.md``: folketal (a count), prev_type2_diabetes and
forebyggelige_indl_65 (directly standardised per 1,000), genindl_30d_65 and
polyfarmaci_65 (directly standardised per cent), each with Dobson's interval and one
standard for every year: the country's persons (index admissions for the
readmissions) by age band and sex in the data's latest year. No disclosure control:
the benchmark compares published rows only.

    python benchmarks/pandas_baseline.py --data DIR --membership membership.csv --out out.parquet
"""

from __future__ import annotations

import time

STARTED = time.perf_counter()

import argparse  # noqa: E402 (the imports are timed)
import json  # noqa: E402
import resource  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402
from scipy import stats  # noqa: E402

IMPORTED = time.perf_counter()
Z = 1.959963984540054
KEYS = ["area_level", "area_code", "year"]
STRATUM = ["band", "koen"]
PREVENTABLE = [
    "DE86",
    "DK590",
    "DJ12",
    "DJ13",
    "DJ14",
    "DJ15",
    "DJ16",
    "DJ17",
    "DJ18",
    "DJ20",
    "DJ21",
    "DJ22",
    "DN30",
    "DN390",
    "DA08",
    "DA09",
    "DK529",
    "DS32",
    "DS42",
    "DS52",
    "DS72",
    "DD50",
    "DD51",
    "DD52",
    "DD53",
    "DZ59",
    "DZ74",
    "DZ75",
    "DL89",
]
NOT_READMISSIONS = ("DC", "DO", "DS", "DT", "DZ763")


def read(path: Path) -> pd.DataFrame:
    """A Parquet table with dates as datetime64 (not Python objects)."""
    return pq.read_table(path).to_pandas(date_as_object=False)


def person_years(data: Path) -> pd.DataFrame:
    """befolkning with age on 1 January and its 5-year band (90+ the last)."""
    people = read(data / "befolkning.parquet")
    birth = people["foed_dato"]
    born_new_year = (birth.dt.month == 1) & (birth.dt.day == 1)
    people["alder"] = people["aar"] - birth.dt.year - np.where(born_new_year, 0, 1)
    people = people[people["alder"] >= 0].rename(columns={"aar": "year"})
    people["band"] = np.minimum(people["alder"] // 5, 18)
    return people[["pnr", "year", "kommunekode", "koen", "alder", "band"]]


def to_areas(frame: pd.DataFrame, membership: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Sum the numeric columns of per-municipality rows to every area containing them."""
    merged = frame.merge(membership, on="kommunekode")
    return merged.groupby(["area_level", "area_code", *by], as_index=False).sum(numeric_only=True)


def poisson_limits(x: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Exact Poisson limits below 10 events, Byar's from 10."""
    x = x.to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        exact_low = np.where(x > 0, stats.chi2.ppf(0.025, 2 * x) / 2, 0.0)
        exact_high = stats.chi2.ppf(0.975, 2 * x + 2) / 2
        byar_low = x * (1 - 1 / (9 * x) - Z / (3 * np.sqrt(x))) ** 3
        x1 = x + 1
        byar_high = x1 * (1 - 1 / (9 * x1) + Z / (3 * np.sqrt(x1))) ** 3
    return np.where(x >= 10, byar_low, exact_low), np.where(x >= 10, byar_high, exact_high)


def standardised(
    events: pd.DataFrame,
    population: pd.DataFrame,
    membership: pd.DataFrame,
    standard_year: int,
    multiplier: float = 1000.0,
) -> pd.DataFrame:
    """DSR per ``multiplier`` with Dobson's interval; events (x) and population (n) per
    kommune, year and stratum; the standard is the country's n in ``standard_year``."""
    strata = population.merge(events, on=["kommunekode", "year", *STRATUM], how="left")
    strata["x"] = strata["x"].fillna(0)
    areas = to_areas(strata, membership, ["year", *STRATUM])
    country = areas[areas["area_level"] == "land"]
    standard = country[country["year"] == standard_year][[*STRATUM, "n"]]
    areas = areas.merge(standard.rename(columns={"n": "w"}), on=STRATUM, how="left")
    areas["w"] = areas["w"].fillna(0.0)
    areas["wr"] = np.where(areas["n"] > 0, areas["w"] * areas["x"] / areas["n"], 0.0)
    areas["wv"] = np.where(areas["n"] > 0, areas["x"] * (areas["w"] / areas["n"]) ** 2, 0.0)
    sums = areas.groupby(KEYS, as_index=False)[["x", "n", "wr", "wv"]].sum()
    # W is the weight of every stratum of the group, also those an area has no persons in
    # (methods.md), so the weights are the same for every area and year.
    sums["w"] = float(standard["n"].sum())
    sums["value"] = multiplier * sums["wr"] / sums["w"]
    variance = multiplier**2 * sums["wv"] / sums["w"] ** 2
    low, high = poisson_limits(sums["x"])
    scale = np.sqrt(variance / sums["x"])
    sums["lower"] = sums["value"] + scale * (low - sums["x"])
    sums["upper"] = sums["value"] + scale * (high - sums["x"])
    return sums.rename(columns={"x": "numerator", "n": "denominator"})


def compute(data: Path, membership: pd.DataFrame) -> pd.DataFrame:
    """The five indicators for every area and year."""
    people = person_years(data)
    per_stratum = people.groupby(["kommunekode", "year", *STRATUM], as_index=False).size()
    per_stratum = per_stratum.rename(columns={"size": "n"})
    # The standard: the latest data year (an admission may end in the year after it).
    latest = int(people["year"].max())
    results = []

    folketal = to_areas(per_stratum, membership, ["year"])
    folketal = folketal.assign(numerator=folketal["n"], value=folketal["n"].astype(float))
    results.append(folketal.assign(indicator_id="folketal"))

    chronic = read(data / "kroniske.parquet")
    diabetes = (
        chronic[chronic["sygdom"] == "type2_diabetes"]
        .groupby("pnr", as_index=False)["debut_dato"]
        .min()
    )
    ill = people.merge(diabetes, on="pnr")
    new_year = pd.to_datetime(pd.DataFrame({"year": ill["year"], "month": 1, "day": 1}))
    ill = ill[ill["debut_dato"] < new_year]
    ill = (
        ill.groupby(["kommunekode", "year", *STRATUM], as_index=False)
        .size()
        .rename(columns={"size": "x"})
    )
    results.append(
        standardised(ill, per_stratum, membership, latest).assign(
            indicator_id="prev_type2_diabetes"
        )
    )

    contacts = read(data / "kontakter.parquet")
    contacts["year"] = contacts["start"].dt.year
    contacts = contacts.merge(people, on=["pnr", "year"])
    old = contacts[contacts["alder"] >= 65]
    old_strata = per_stratum[per_stratum["band"] >= 13]
    preventable = old[
        (old["omraade"] == "somatik")
        & (old["prioritet"] == "akut")
        & (old["kontakttype"] == "indlaeggelse")
        & old["aktionsdiagnose"].str.upper().str.startswith(tuple(PREVENTABLE))
    ]
    events = (
        preventable.groupby(["kommunekode", "year", *STRATUM], as_index=False)
        .size()
        .rename(columns={"size": "x"})
    )
    results.append(
        standardised(events, old_strata, membership, latest).assign(
            indicator_id="forebyggelige_indl_65"
        )
    )

    deaths = read(data / "doedsfald.parquet").groupby("pnr", as_index=False)["doed_dato"].min()
    index = old[(old["omraade"] == "somatik") & (old["kontakttype"] == "indlaeggelse")]
    index = index.assign(year=index["slut"].dt.year).merge(deaths, on="pnr", how="left")
    alive_until = index["slut"].dt.normalize() + pd.Timedelta(days=30)
    index = index[index["doed_dato"].isna() | (index["doed_dato"] > alive_until)]
    raw = read(data / "kontakter.parquet")
    later = raw[
        (raw["omraade"] == "somatik")
        & (raw["prioritet"] == "akut")
        & (raw["kontakttype"] == "indlaeggelse")
        & ~raw["aktionsdiagnose"].str.upper().str.startswith(NOT_READMISSIONS)
    ][["pnr", "start"]].rename(columns={"start": "readmitted_at"})
    followed = pd.merge_asof(
        index.sort_values("slut"),
        later.sort_values("readmitted_at"),
        left_on="slut",
        right_on="readmitted_at",
        by="pnr",
        direction="forward",
        allow_exact_matches=False,
    )
    followed["x"] = followed["readmitted_at"].notna() & (
        followed["readmitted_at"] <= followed["slut"] + pd.Timedelta(days=30)
    )
    by_stratum = ["kommunekode", "year", *STRATUM]
    readmitted = followed.groupby(by_stratum, as_index=False).agg(x=("x", "sum"), n=("x", "size"))
    readmitted = standardised(
        readmitted[[*by_stratum, "x"]], readmitted[[*by_stratum, "n"]], membership, latest, 100.0
    )
    results.append(readmitted.assign(indicator_id="genindl_30d_65"))

    dispensed = read(data / "recepter.parquet")
    dispensed["year"] = dispensed["udlevering_dato"].dt.year
    dispensed = dispensed[dispensed["atc"].str.len() >= 7]
    elderly = people[people["alder"] >= 65]
    dispensed = dispensed.merge(elderly[["pnr", "year", "kommunekode"]], on=["pnr", "year"])
    per_drug = dispensed.groupby(["pnr", "year", "kommunekode", dispensed["atc"].str[:7]]).size()
    drugs = (per_drug >= 2).groupby(level=["pnr", "year", "kommunekode"]).sum()
    users = drugs[drugs >= 5].reset_index()[["pnr", "year"]].merge(people, on=["pnr", "year"])
    users = users.groupby(by_stratum, as_index=False).size().rename(columns={"size": "x"})
    polypharmacy = standardised(users, old_strata, membership, latest, 100.0)
    results.append(polypharmacy.assign(indicator_id="polyfarmaci_65"))

    columns = ["indicator_id", *KEYS, "numerator", "denominator", "value", "lower", "upper"]
    return pd.concat([r.reindex(columns=columns) for r in results], ignore_index=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--membership", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    arguments = parser.parse_args()
    started = time.perf_counter()
    membership = pd.read_csv(arguments.membership, dtype={"area_code": str})
    membership = membership[["kommunekode", "area_level", "area_code"]]
    table = compute(arguments.data, membership)
    table.to_parquet(arguments.out)
    seconds = time.perf_counter() - started
    who = (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    peak = max(resource.getrusage(w).ru_maxrss for w in who) / 1024
    print(
        json.dumps({"import_seconds": IMPORTED - STARTED, "work_seconds": seconds, "peak_mb": peak})
    )


if __name__ == "__main__":
    main()
