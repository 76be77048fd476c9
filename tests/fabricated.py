"""A fabricated but realistic IndicatorTable for every catalogue indicator.

The pack is drawn only from the (already suppressed) IndicatorTable. Until the
engine computes every indicator, and for tests that need exact control over
comparisons, flags and trends, this module makes one that follows the contract:
counts drawn per municipality from plausible rates, rolled up to cluster, region
and country, with intervals, comparison with the country, trends, and the
suppression flags of methods.md (primary and secondary suppression, "too few").
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable
from dataclasses import replace

import numpy as np
import polars as pl
from scipy import stats as scipy_stats

from datapakke.engine.catalogue import Catalogue, Indicator, load_catalogue
from datapakke.engine.compute import Results
from datapakke.engine.table import AREA_LEVEL_ORDER, conform
from datapakke.geography import Geography

Z = 1.959963984540054
TREND_CRITICAL = 9.5495
THRESHOLD = 5
MULTIPLIER = {"per_1000": 1000.0, "percent": 100.0, "years": 1.0, "persons": 1.0}

# Plausible national levels: rate per 1,000, share in per cent, or years.
BASE: dict[str, float] = {
    "doedelighed": 9.8,
    "middellevetid": 81.6,
    "middellevetid_kvinder": 83.4,
    "middellevetid_maend": 79.7,
    "forebyggelige_indl_65": 38.0,
    "akutte_indl_65": 260.0,
    "genindl_30d_65": 12.5,
    "hoftebrud_65": 6.8,
    "polyfarmaci_65": 24.0,
    "hjemmehjaelp_65": 11.0,
    "hjemmehjaelp_80": 31.0,
    "demens_65": 42.0,
    "prev_type2_diabetes": 55.0,
    "prev_type1_diabetes": 5.2,
    "prev_kol": 31.0,
    "prev_astma": 62.0,
    "prev_leddegigt": 16.0,
    "prev_osteoporose": 26.0,
    "multisygdom": 9.5,
    "kol_akut_indl": 150.0,
    "diabetes_akut_indl": 22.0,
    "psyk_kontakt": 31.0,
    "psyk_kontakt_0_17": 36.0,
    "psyk_diag_skizofreni": 3.2,
    "psyk_diag_bipolar": 1.6,
    "psyk_diag_depression": 6.1,
    "psyk_diag_angst": 8.3,
    "psyk_diag_adhd": 6.4,
    "psyk_diag_misbrug": 3.1,
    "prev_skizofreni": 6.0,
    "psyk_indl": 8.4,
    "psyk_genindl_30d": 24.0,
    "psyk_somatisk_akut": 160.0,
}
# Denominators that are not the population: a share of it (persons with KOL, ...).
SUB_POPULATION = {"kol_akut_indl": 0.031, "diabetes_akut_indl": 0.06, "psyk_somatisk_akut": 0.031}
# Index admissions per person for readmission shares.
INDEX_ADMISSIONS = {"genindl_30d_65": 0.30, "psyk_genindl_30d": 0.008}


def fabricate_results(
    results: Results,
    geography: Geography,
    *,
    catalogue: Catalogue | None = None,
    seed: int = 11,
    missing: Iterable[str] = (),
    effect_sd: float = 0.14,
) -> Results:
    """``results`` with rows added for every catalogue indicator it does not have yet.

    ``missing`` names indicators to leave out entirely (as when a table is absent).
    """
    catalogue = catalogue or load_catalogue()
    computed = results.indicators.filter(pl.col("flag") != "not_available")
    present = set(computed["indicator_id"].unique().to_list())
    skip = present | set(missing)
    denominators = _denominators(results.population, geography)
    # Keep what the engine computed (and its rows for what is left out); replace the rest.
    kept = results.indicators.filter(
        pl.col("indicator_id").is_in(list(skip)) | ~pl.col("indicator_id").is_in(list(BASE))
    )
    frames = [conform(kept.lazy()).collect()]
    for indicator in catalogue.indicators:
        if indicator.id in skip or indicator.id not in BASE:
            continue
        frames.append(
            _indicator_rows(indicator, denominators, geography, results.years, seed, effect_sd)
        )
    table = conform(pl.concat(frames, how="diagonal_relaxed").lazy()).collect()
    lacking: tuple[str, ...] = ()
    if missing:  # as the engine does when a table is absent: rows, but not available
        gone = pl.col("indicator_id").is_in(list(missing))
        table = table.with_columns(
            *(
                pl.when(gone).then(None).otherwise(pl.col(c)).alias(c)
                for c in ("numerator", "denominator", "value", "lower", "upper")
            ),
            flag=pl.when(gone).then(pl.lit("not_available")).otherwise(pl.col("flag")),
            comparison=pl.when(gone).then(pl.lit("not_compared")).otherwise(pl.col("comparison")),
            trend=pl.when(gone).then(pl.lit("not_computed")).otherwise(pl.col("trend")),
        )
        tables = {t for i in catalogue.indicators if i.id in set(missing) for t in i.tables}
        lacking = tuple(sorted(tables - {"befolkning", "doedsfald"}))
    table = table.sort(
        "indicator_id",
        pl.col("area_level").replace_strict(AREA_LEVEL_ORDER),
        "area_code",
        "year",
    )
    return replace(results, indicators=table, missing_tables=lacking or results.missing_tables)


def _denominators(population: pl.DataFrame, geography: Geography) -> pl.DataFrame:
    """Persons per municipality and year: all, 0-17, 18+, 65+, 80+, women, men."""
    kommuner = population.filter(pl.col("area_level") == "kommune")
    band = pl.col("aldersgruppe")
    persons = pl.col("personer")
    return kommuner.group_by("area_code", "year").agg(
        alle=persons.sum(),
        u18=persons.filter(band <= 2).sum() + (persons.filter(band == 3).sum() * 3) // 5,
        o18=persons.filter(band >= 4).sum() + (persons.filter(band == 3).sum() * 2) // 5,
        o65=persons.filter(band >= 13).sum(),
        o80=persons.filter(band >= 16).sum(),
        kvinder=persons.filter(pl.col("koen") == "K").sum(),
        maend=persons.filter(pl.col("koen") == "M").sum(),
    )


def _group(indicator: Indicator) -> str:
    if indicator.sex == "K":
        return "kvinder"
    if indicator.sex == "M":
        return "maend"
    if indicator.age_max == 17:
        return "u18"
    return {None: "alle", 0: "alle", 18: "o18", 65: "o65", 80: "o80"}[indicator.age_min]


def _rng(seed: int, *parts: object) -> np.random.Generator:
    digest = hashlib.sha256(repr((seed, *parts)).encode()).digest()
    return np.random.default_rng(int.from_bytes(digest[:8], "little"))


def _indicator_rows(
    indicator: Indicator,
    denominators: pl.DataFrame,
    geography: Geography,
    years: tuple[int, ...],
    seed: int,
    effect_sd: float,
) -> pl.DataFrame:
    group = _group(indicator)
    k = MULTIPLIER[indicator.unit]
    base = BASE[indicator.id]
    drift = _rng(seed, indicator.id, "drift").normal(0.0, 0.03)
    rows: list[dict[str, object]] = []
    for record in denominators.sort("area_code", "year").iter_rows(named=True):
        code, year = record["area_code"], record["year"]
        effect = math.exp(_rng(seed, indicator.id, code).normal(0.0, effect_sd))
        trend = 1.0 + drift * (year - years[0])
        people = int(record[group])
        if indicator.unit == "years":
            deaths = int(people * 0.0098 * min(5, year - years[0] + 1))
            rows.append(
                {
                    "kommunekode": int(code),
                    "year": year,
                    "numerator": deaths,
                    "denominator": people * min(5, year - years[0] + 1),
                    "level": base + 2.0 * math.log(effect),
                }
            )
            continue
        if indicator.id in SUB_POPULATION:
            people = round(people * SUB_POPULATION[indicator.id] * effect)
        if indicator.id in INDEX_ADMISSIONS:
            people = round(people * INDEX_ADMISSIONS[indicator.id])
        rate = min(base * effect * trend / k, 0.95)
        numerator = int(_rng(seed, indicator.id, code, year).poisson(rate * people))
        rows.append(
            {
                "kommunekode": int(code),
                "year": year,
                "numerator": min(numerator, people),
                "denominator": people,
            }
        )
    by_kommune = pl.DataFrame(rows)
    membership = geography.membership()
    if indicator.unit == "years":
        rolled = (
            by_kommune.join(membership, on="kommunekode")
            .group_by("area_level", "area_code", "area_name", "year")
            .agg(
                numerator=pl.col("numerator").sum(),
                denominator=pl.col("denominator").sum(),
                value=(pl.col("level") * pl.col("denominator")).sum() / pl.col("denominator").sum(),
            )
        )
    else:
        rolled = (
            by_kommune.join(membership, on="kommunekode")
            .group_by("area_level", "area_code", "area_name", "year")
            .agg(numerator=pl.col("numerator").sum(), denominator=pl.col("denominator").sum())
            .with_columns(value=k * pl.col("numerator") / pl.col("denominator"))
        )
    return _statistics(rolled, indicator, geography)


def _interval(indicator: Indicator, x: int, n: int, value: float) -> tuple[float, float]:
    k = MULTIPLIER[indicator.unit]
    if indicator.unit == "years":
        half = Z * 8.0 / math.sqrt(max(x, 1))
        return value - half, value + half
    if indicator.unit == "percent":
        centre = 2 * x + Z**2
        spread = Z * math.sqrt(Z**2 + 4 * x * (1 - x / n))
        return k * (centre - spread) / (2 * (n + Z**2)), k * (centre + spread) / (2 * (n + Z**2))
    lower = 0.0 if x == 0 else scipy_stats.chi2.ppf(0.025, 2 * x) / 2
    upper = scipy_stats.chi2.ppf(0.975, 2 * x + 2) / 2
    return k * lower / n, k * upper / n


def _statistics(rolled: pl.DataFrame, indicator: Indicator, geography: Geography) -> pl.DataFrame:
    """Flags (with secondary suppression), intervals, comparison and trend."""
    rows = {
        (r["area_level"], r["area_code"], r["year"]): dict(r) for r in rolled.iter_rows(named=True)
    }
    for row in rows.values():
        x, n = row["numerator"], row["denominator"]
        row["flag"] = "ok"
        if indicator.unit == "years":
            if x < 50:
                row["flag"] = "too_few"
        elif 0 < x < THRESHOLD:
            row["flag"] = "suppressed_small"
        elif n < THRESHOLD:
            row["flag"] = "suppressed_complementary"
        elif indicator.method == "rate_standardised" and x < 10:
            row["flag"] = "too_few"
    _secondary_suppression(rows, geography)
    for row in rows.values():
        if str(row["flag"]).startswith("suppressed"):
            row.update(numerator=None, value=None, lower=None, upper=None)
        elif row["flag"] == "too_few":
            row.update(value=None, lower=None, upper=None)
        else:
            row["lower"], row["upper"] = _interval(
                indicator, row["numerator"], row["denominator"], row["value"]
            )
    years = sorted({year for _, _, year in rows})
    for (_level, _code, year), row in rows.items():
        national = rows[("land", "DK", year)]["value"]
        row["comparison"] = _compare(row, national, indicator.polarity)
    for key, row in rows.items():
        series = [rows.get((key[0], key[1], y)) for y in years[-5:] if y <= key[2]]
        row["trend"] = _trend(series)
    frame = pl.DataFrame(list(rows.values()), infer_schema_length=None)
    return frame.with_columns(
        indicator_id=pl.lit(indicator.id),
        theme=pl.lit(indicator.theme),
        unit=pl.lit(indicator.unit),
    )


def _secondary_suppression(
    rows: dict[tuple[str, str, int], dict[str, object]], geo: Geography
) -> None:
    """In a cluster with one suppressed municipality, also hide its smallest non-zero one."""
    years = {year for _, _, year in rows}
    for klynge in geo.klynger.values():
        for year in years:
            parts = [rows[("kommune", str(code), year)] for code in klynge.kommunekoder]
            hidden = [p for p in parts if str(p["flag"]).startswith("suppressed")]
            if len(hidden) != 1:
                continue
            others = [p for p in parts if p not in hidden and p["numerator"]]
            if others:
                smallest = min(others, key=lambda p: p["numerator"])  # type: ignore[arg-type, return-value]
                smallest["flag"] = "suppressed_complementary"


def _compare(row: dict[str, object], national: object, polarity: str) -> str:
    if row["flag"] != "ok" or row["value"] is None or national is None:
        return "not_compared"
    lower, upper = float(row["lower"]), float(row["upper"])  # type: ignore[arg-type]
    if lower <= float(national) <= upper:  # type: ignore[arg-type]
        return "similar"
    higher = lower > float(national)  # type: ignore[arg-type]
    if polarity == "none":
        return "higher" if higher else "lower"
    good = higher == (polarity == "higher_better")
    return "better" if good else "worse"


def _trend(series: list[dict[str, object] | None]) -> str:
    if len(series) < 3 or any(r is None or r["flag"] != "ok" for r in series):
        return "not_computed"
    xs = np.array([float(r["year"]) for r in series])  # type: ignore[index, arg-type]
    ys = np.array([float(r["value"]) for r in series])  # type: ignore[index, arg-type]
    se = np.array([(float(r["upper"]) - float(r["lower"])) / (2 * Z) for r in series])  # type: ignore[index, arg-type]
    if np.any(se <= 0):
        return "not_computed"
    w = 1.0 / se**2
    x_mean = np.sum(w * xs) / np.sum(w)
    sxx = np.sum(w * (xs - x_mean) ** 2)
    slope = np.sum(w * (xs - x_mean) * ys) / sxx
    if slope**2 * sxx <= TREND_CRITICAL:
        return "no_change"
    return "rising" if slope > 0 else "falling"


_CACHE: dict[tuple[str, tuple[str, ...]], Results] = {}


def fabricated_from(folder: object, missing: tuple[str, ...] = ()) -> Results:
    """Real population results of the extract in ``folder`` plus fabricated indicators (cached)."""
    from pathlib import Path

    from datapakke.geography import load_geography
    from datapakke.run.build import load_results

    key = (str(folder), missing)
    if key not in _CACHE:
        geography = load_geography()
        _, results = load_results(Path(str(folder)), geography)
        _CACHE[key] = fabricate_results(results, geography, missing=missing)
    return _CACHE[key]
