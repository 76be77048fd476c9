"""Measure the national levels of an extract, to compare with ``targets.TARGETS``."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from datapakke.dates import age_on_january_first
from datapakke.inputs.read import read_extract

PREVENTABLE_PREFIXES = (
    "DE86", "DK590", "DJ12", "DJ13", "DJ14", "DJ15", "DJ16", "DJ17", "DJ18", "DJ20", "DJ21",
    "DJ22", "DN30", "DN390", "DA08", "DA09", "DK529", "DS32", "DS42", "DS52", "DS72", "DD50",
    "DD51", "DD52", "DD53", "DZ59", "DZ74", "DZ75", "DL89",
)  # fmt: skip
NOT_READMISSIONS = ("DC", "DO", "DS", "DT", "DZ763")


def _starts_with_any(column: str, prefixes: tuple[str, ...]) -> pl.Expr:
    return pl.any_horizontal(pl.col(column).str.starts_with(p) for p in prefixes)


def measure_levels(folder: Path, year: int) -> dict[str, float]:
    """The measures of ``targets.TARGETS`` for ``year`` in the extract in ``folder``."""
    extract = read_extract(folder)
    jan1 = pl.date(year, 1, 1)
    people = (
        extract.table("befolkning")
        .filter(pl.col("aar") == year)
        .with_columns(alder=age_on_january_first(pl.col("foed_dato"), pl.col("aar")))
        .select("pnr", "alder")
        .collect()
    )
    n = people.height
    old = {age: people.filter(pl.col("alder") >= age) for age in (65, 75, 80)}
    young = people.filter(pl.col("alder") < 18)

    def share(group: pl.DataFrame, persons: pl.DataFrame) -> float:
        return 100 * group.join(persons.select("pnr").unique(), on="pnr").height / group.height

    deaths = extract.table("doedsfald").filter(pl.col("doed_dato").dt.year() == year).collect()
    kroniske = extract.table("kroniske").filter(pl.col("debut_dato") < jan1).collect()
    levels = {"deaths_per_1000": 1000 * deaths.height / n}
    for disease in ("type2_diabetes", "type1_diabetes", "kol", "astma", "leddegigt",
                    "osteoporose", "skizofreni"):  # fmt: skip
        levels[f"{disease}_pct"] = share(people, kroniske.filter(pl.col("sygdom") == disease))
    levels["dementia_65_pct"] = share(old[65], kroniske.filter(pl.col("sygdom") == "demens"))
    care = extract.table("hjemmepleje").filter(pl.col("aar") == year).collect()
    levels["home_care_65_pct"] = share(old[65], care)
    levels["home_care_80_pct"] = share(old[80], care)
    many_drugs = (
        extract.table("recepter")
        .filter(pl.col("udlevering_dato").dt.year() == year, pl.col("atc").str.len_chars() == 7)
        .group_by("pnr", "atc")
        .len()
        .filter(pl.col("len") >= 2)
        .group_by("pnr")
        .len()
        .filter(pl.col("len") >= 5)
        .collect()
    )
    levels["polypharmacy_75_pct"] = share(old[75], many_drugs)
    kontakter = extract.table("kontakter").collect()
    acute = kontakter.filter(
        pl.col("omraade") == "somatik",
        pl.col("prioritet") == "akut",
        pl.col("kontakttype") == "indlaeggelse",
    )
    acute_65 = acute.filter(pl.col("start").dt.year() == year).join(old[65], on="pnr")
    per_1000_65 = 1000 / old[65].height
    levels["acute_admissions_65_per_1000"] = acute_65.height * per_1000_65
    preventable = acute_65.filter(_starts_with_any("aktionsdiagnose", PREVENTABLE_PREFIXES))
    levels["preventable_65_per_1000"] = preventable.height * per_1000_65
    hip = acute_65.filter(pl.col("aktionsdiagnose").is_in(["DS720", "DS721", "DS722"]))
    levels["hip_fracture_65_per_1000"] = hip.height * per_1000_65
    levels["readmission_65_pct"] = _readmission_share(kontakter, acute, old[65], year)
    psychiatric = kontakter.filter(
        pl.col("omraade") == "psykiatri", pl.col("start").dt.year() == year
    )
    levels["psychiatry_pct"] = share(people, psychiatric)
    levels["psychiatry_0_17_pct"] = share(young, psychiatric)
    admissions = psychiatric.filter(pl.col("kontakttype") == "indlaeggelse").join(people, on="pnr")
    levels["psychiatric_admissions_per_1000"] = 1000 * admissions.height / n
    kol = people.join(kroniske.filter(pl.col("sygdom") == "kol").select("pnr"), on="pnr")
    kol_admissions = acute.filter(
        pl.col("start").dt.year() == year, pl.col("aktionsdiagnose").str.starts_with("DJ44")
    ).join(kol, on="pnr")
    levels["kol_admissions_per_1000_kol"] = 1000 * kol_admissions.height / kol.height
    return levels


def _readmission_share(
    kontakter: pl.DataFrame, acute: pl.DataFrame, old: pl.DataFrame, year: int
) -> float:
    index = kontakter.filter(
        pl.col("omraade") == "somatik",
        pl.col("kontakttype") == "indlaeggelse",
        pl.col("slut").dt.year() == year,
    ).join(old, on="pnr")
    following = acute.filter(~_starts_with_any("aktionsdiagnose", NOT_READMISSIONS)).select(
        "pnr", pl.col("start").alias("next_start")
    )
    readmitted = (
        index.join(following, on="pnr")
        .filter(
            pl.col("next_start") > pl.col("slut"),
            pl.col("next_start") <= pl.col("slut") + pl.duration(days=30),
        )
        .select("kontakt_id")
        .unique()
    )
    return 100 * readmitted.height / index.height
