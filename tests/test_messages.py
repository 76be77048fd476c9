"""Key messages worded from hand-made IndicatorTable rows: only significant findings."""

from __future__ import annotations

from typing import Any

import polars as pl
import pytest

from datapakke.engine.catalogue import load_catalogue
from datapakke.engine.compute import Results
from datapakke.engine.table import conform
from datapakke.geography import load_geography
from datapakke.pack.context import PackContext
from datapakke.pack.messages import area_messages, key_messages

YEARS = (2020, 2021, 2022, 2023, 2024)
CATALOGUE = load_catalogue()
GEOGRAPHY = load_geography()


def _row(
    indicator: str, level: str, code: str, year: int, value: float | None, **extra: Any
) -> dict[str, Any]:
    lower, upper = (None, None) if value is None else (value - 1, value + 1)
    return {
        "indicator_id": indicator, "theme": CATALOGUE.get(indicator).theme, "area_level": level,
        "area_code": code, "area_name": code, "year": year, "numerator": 100, "denominator": 1000,
        "value": value, "lower": lower, "upper": upper,
        "unit": CATALOGUE.get(indicator).unit, "comparison": "similar", "trend": "not_computed",
        "flag": "ok", **extra,
    }  # fmt: skip


def _context(cluster_rows: dict[str, dict[str, Any]], national: dict[str, float]) -> PackContext:
    """The cluster's last-year rows as given (earlier years at the same value), the country's."""
    rows = []
    for indicator, last in cluster_rows.items():
        for year in YEARS:
            first = last.get("first", last["value"])
            value = last["value"] if year == YEARS[-1] else first
            extra = {k: v for k, v in last.items() if k not in ("value", "first")}
            rows.append(_row(indicator, "klynge", "horsensklyngen", year, value, **extra))
            rows.append(_row(indicator, "land", "DK", year, national[indicator]))
    table = conform(pl.DataFrame(rows).lazy()).collect()
    population = pl.DataFrame(
        schema={"area_level": pl.String, "area_code": pl.String, "area_name": pl.String,
                "year": pl.Int32, "aldersgruppe": pl.Int8, "koen": pl.String,
                "personer": pl.Int64},
    )  # fmt: skip
    results = Results(indicators=table, population=population, years=YEARS)
    return PackContext(GEOGRAPHY, GEOGRAPHY.key("klynge", "horsensklyngen"), results, CATALOGUE)


def _texts(ctx: PackContext, *ids: str) -> list[str]:
    return [m.text for m in area_messages(ctx, [CATALOGUE.get(i) for i in ids])]


def test_fewer_preventable_admissions_reads_as_the_issue_says() -> None:
    ctx = _context({"forebyggelige_indl_65": {"value": 31.0, "comparison": "better"}},
                   {"forebyggelige_indl_65": 38.0})  # fmt: skip
    assert _texts(ctx, "forebyggelige_indl_65") == [
        "Klyngen har signifikant færre forebyggelige indlæggelser blandt 65+ årige end landet: "
        "31,0 mod 38,0\u00a0pr. 1.000."
    ]


@pytest.mark.parametrize(
    ("indicator", "value", "national", "comparison", "expected"),
    [
        ("doedelighed", 11.2, 9.8, "worse", "Klyngen har en signifikant højere dødelighed end"),
        ("middellevetid", 79.9, 81.6, "worse", "Klyngen har en signifikant kortere middellevetid"),
        ("middellevetid", 82.9, 81.6, "better", "Klyngen har en signifikant længere middellevetid"),
        ("prev_kol", 25.0, 31.0, "lower", "Klyngen har signifikant færre personer med KOL end"),
        ("hjemmehjaelp_65", 14.7, 12.9, "higher",
         "Klyngen har en signifikant højere andel 65+ årige, der modtager hjemmehjælp, end "
         "landet: 14,7 mod 12,9\u00a0pct."),
        ("genindl_30d_65", 9.0, 12.5, "better",
         "Klyngen har en signifikant lavere andel akutte genindlæggelser inden 30 dage"),
    ],
)  # fmt: skip
def test_wording_follows_direction_and_kind(
    indicator: str, value: float, national: float, comparison: str, expected: str
) -> None:
    ctx = _context({indicator: {"value": value, "comparison": comparison}}, {indicator: national})
    (text,) = _texts(ctx, indicator)
    assert text.startswith(expected)
    assert not text.endswith("..")


def test_similar_and_unpublished_values_get_no_message() -> None:
    ctx = _context(
        {
            "doedelighed": {"value": 10.0, "comparison": "similar"},
            "prev_kol": {"value": 30.0, "comparison": "not_compared"},
            "hoftebrud_65": {"value": None, "comparison": "not_compared", "flag": "too_few"},
        },
        {"doedelighed": 9.8, "prev_kol": 31.0, "hoftebrud_65": 6.0},
    )
    assert _texts(ctx, "doedelighed", "prev_kol", "hoftebrud_65") == []


def test_significant_trends_say_direction_years_and_whether_it_is_better() -> None:
    ctx = _context(
        {
            "polyfarmaci_65": {"value": 21.7, "first": 27.1, "trend": "rising"},
            "prev_type2_diabetes": {"value": 52.0, "first": 48.0, "trend": "rising"},
            "akutte_indl_65": {"value": 250.0, "first": 270.0, "trend": "falling"},
            "hoftebrud_65": {"value": 6.0, "first": 7.0, "trend": "no_change"},
        },
        {"polyfarmaci_65": 20.0, "prev_type2_diabetes": 50.0, "akutte_indl_65": 260.0,
         "hoftebrud_65": 6.5},
    )  # fmt: skip
    texts = _texts(ctx, "polyfarmaci_65", "prev_type2_diabetes", "akutte_indl_65", "hoftebrud_65")
    assert texts == [
        "Andelen af 65+ årige med polyfarmaci er steget signifikant i klyngen fra 2020 til 2024: "
        "fra 27,1 til 21,7\u00a0pct. Det er en forværring.",
        "Antallet af personer med type 2-diabetes er steget signifikant i klyngen fra 2020 til "
        "2024: fra 48,0 til 52,0\u00a0pr. 1.000.",
        "Antallet af akutte somatiske indlæggelser blandt 65+ årige er faldet signifikant i "
        "klyngen fra 2020 til 2024: fra 270,0 til 250,0\u00a0pr. 1.000. Det er en forbedring.",
    ]


def test_a_significant_trend_joins_its_comparison_in_one_message() -> None:
    ctx = _context(
        {"forebyggelige_indl_65": {"value": 44.1, "first": 38.0, "comparison": "worse",
                                   "trend": "rising"}},
        {"forebyggelige_indl_65": 36.8},
    )  # fmt: skip
    (message,) = area_messages(ctx, [CATALOGUE.get("forebyggelige_indl_65")])
    assert message.text == (
        "Klyngen har signifikant flere forebyggelige indlæggelser blandt 65+ årige end landet: "
        "44,1 mod 36,8\u00a0pr. 1.000. Tallet er steget signifikant siden 2020 (fra 38,0). "
        "Det er en forværring."
    )
    assert (message.tone, message.trend) == ("worse", "rising")


def test_key_messages_group_worse_first_and_count_what_was_compared() -> None:
    ctx = _context(
        {
            "forebyggelige_indl_65": {"value": 31.0, "comparison": "better"},
            "doedelighed": {"value": 11.2, "comparison": "worse"},
            "prev_kol": {"value": 25.0, "comparison": "lower"},
            "demens_65": {"value": 40.0, "comparison": "similar"},
        },
        {"forebyggelige_indl_65": 38.0, "doedelighed": 9.8, "prev_kol": 31.0, "demens_65": 41.0},
    )
    groups, summary = key_messages(ctx)
    assert [g.tone for g in groups] == ["worse", "better", "higher"]
    assert [m.indicator_id for g in groups for m in g.messages] == [
        "doedelighed", "forebyggelige_indl_65", "prev_kol",
    ]  # fmt: skip
    assert "adskiller klyngen sig signifikant fra landet på 3 og ligger som landet på 1" in summary
