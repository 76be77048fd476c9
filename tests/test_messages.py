"""Key messages worded from hand-made IndicatorTable rows: only significant findings."""

from __future__ import annotations

from typing import Any

import polars as pl
import pytest

from datapakke.engine.catalogue import load_catalogue
from datapakke.engine.compute import Results
from datapakke.engine.table import conform
from datapakke.geography import load_geography
from datapakke.pack.blocks import indicator_block
from datapakke.pack.chart_specs import LineChart
from datapakke.pack.context import PackContext
from datapakke.pack.messages import (
    KEY_MESSAGES_PER_THEME,
    NO_FINDINGS,
    ONLY_KOMMUNER,
    cluster_messages,
    key_messages,
    theme_findings,
)
from datapakke.pack.model import Section
from datapakke.pack.overview import theme_matrix
from datapakke.pack.trend import trend_figure

YEARS = (2020, 2021, 2022, 2023, 2024)
CATALOGUE = load_catalogue()
GEOGRAPHY = load_geography()
CLUSTER = ("klynge", "horsensklyngen")
COUNTRY = ("land", "DK")


def _row(
    indicator: str, area: tuple[str, str], year: int, value: float | None, **extra: Any
) -> dict[str, Any]:
    lower, upper = (None, None) if value is None else (value - 1, value + 1)
    return {
        "indicator_id": indicator, "theme": CATALOGUE.get(indicator).theme, "area_level": area[0],
        "area_code": area[1], "area_name": area[1], "year": year, "numerator": 100,
        "denominator": 1000, "value": value, "lower": lower, "upper": upper,
        "unit": CATALOGUE.get(indicator).unit, "comparison": "similar", "trend": "not_computed",
        "flag": "ok", **extra,
    }  # fmt: skip


def _context(
    cluster_rows: dict[str, dict[str, Any]],
    national: dict[str, float],
    kommune_rows: dict[tuple[str, str], dict[str, Any]] | None = None,
    klynge: str = "horsensklyngen",
    years: tuple[int, ...] = YEARS,
) -> PackContext:
    """The cluster's last-year rows as given (earlier years at the same value, or ``first``),
    the country's, and the last year's rows of (municipality code, indicator)."""
    rows = []
    for indicator, last in cluster_rows.items():
        for year in years:
            first = last.get("first", last["value"])
            value = last["value"] if year == years[-1] else first
            extra = {k: v for k, v in last.items() if k not in ("value", "first")}
            rows.append(_row(indicator, ("klynge", klynge), year, value, **extra))
            rows.append(_row(indicator, COUNTRY, year, national[indicator]))
    for (kommune, indicator), last in (kommune_rows or {}).items():
        extra = {k: v for k, v in last.items() if k != "value"}
        rows.append(_row(indicator, ("kommune", kommune), years[-1], last["value"], **extra))
    table = conform(pl.DataFrame(rows).lazy()).collect()
    population = pl.DataFrame(
        schema={"area_level": pl.String, "area_code": pl.String, "area_name": pl.String,
                "year": pl.Int32, "aldersgruppe": pl.Int8, "koen": pl.String,
                "personer": pl.Int64},
    )  # fmt: skip
    results = Results(indicators=table, population=population, years=years)
    return PackContext(GEOGRAPHY, GEOGRAPHY.key("klynge", klynge), results, CATALOGUE)


def _texts(ctx: PackContext, *ids: str) -> list[str]:
    return [m.text for m in cluster_messages(ctx, [CATALOGUE.get(i) for i in ids])]


def _sections(ctx: PackContext) -> list[Section]:
    """Each theme's chapter as far as the key messages read it: its findings."""
    sections = []
    for theme in CATALOGUE.themes:
        findings = theme_findings(ctx, CATALOGUE.in_theme(theme.id))
        matrix = theme_matrix(ctx, theme.id, CATALOGUE.in_theme(theme.id))
        sections.append(
            Section(theme.id, theme.title, (), (), findings.cluster, findings.kommuner,
                    matrix=matrix)
        )  # fmt: skip
    return sections


def test_fewer_preventable_admissions_reads_as_the_issue_says_with_the_count() -> None:
    ctx = _context({"forebyggelige_indl_65": {"value": 31.0, "comparison": "better"}},
                   {"forebyggelige_indl_65": 38.0})  # fmt: skip
    assert _texts(ctx, "forebyggelige_indl_65") == [
        "Klyngen har signifikant færre forebyggelige indlæggelser blandt 65+ årige end landet: "
        "31,0 mod 38,0\u00a0pr. 1.000 (100 forebyggelige indlæggelser)."
    ]


def test_a_rate_of_persons_is_a_higher_occurrence_with_the_persons_beside_it() -> None:
    ctx = _context({"demens_65": {"value": 52.1, "comparison": "higher", "numerator": 115}},
                   {"demens_65": 41.2})  # fmt: skip
    assert _texts(ctx, "demens_65") == [
        "Klyngen har en signifikant højere forekomst af demens blandt 65+ årige end landet: "
        "52,1 mod 41,2\u00a0pr. 1.000 (115 borgere med demens)."
    ]


@pytest.mark.parametrize(
    ("indicator", "value", "national", "comparison", "expected"),
    [
        ("doedelighed", 11.2, 9.8, "worse", "Klyngen har en signifikant højere dødelighed end"),
        ("middellevetid", 79.9, 81.6, "worse", "Klyngen har en signifikant kortere middellevetid"),
        ("middellevetid", 82.9, 81.6, "better", "Klyngen har en signifikant længere middellevetid"),
        ("middellevetid_maend", 78.6, 80.4, "worse",
         "Klyngen har en signifikant kortere middellevetid for mænd end landet: 78,6 mod "
         "80,4\u00a0år."),
        ("prev_kol", 25.0, 31.0, "lower",
         "Klyngen har en signifikant lavere forekomst af KOL end landet"),
        ("psyk_kontakt", 38.0, 31.9, "higher",
         "Klyngen har en signifikant højere forekomst af kontakt med psykiatrien end landet"),
        ("hjemmehjaelp_65", 14.7, 12.9, "higher",
         "Klyngen har en signifikant højere andel 65+ årige, der modtager hjemmehjælp, end "
         "landet: 14,7 mod 12,9\u00a0pct. (100 modtagere af hjemmehjælp)."),
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
    assert "flere personer" not in text and "færre personer" not in text
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


def test_a_hidden_count_is_never_printed_beside_the_rate() -> None:
    ctx = _context(
        {"demens_65": {"value": 52.1, "comparison": "higher", "numerator": None}},
        {"demens_65": 41.2},
    )
    (text,) = _texts(ctx, "demens_65")
    assert text.endswith("52,1 mod 41,2\u00a0pr. 1.000.")


def test_significant_trends_say_direction_years_and_whether_it_is_better() -> None:
    ctx = _context(
        {
            "polyfarmaci_65": {"value": 21.7, "first": 27.1, "trend": "rising"},
            "prev_type2_diabetes": {"value": 52.0, "first": 48.0, "trend": "rising"},
            "akutte_indl_65": {"value": 250.0, "first": 270.0, "trend": "falling"},
            "hoftebrud_65": {"value": 6.0, "first": 7.0, "trend": "no_significant_change"},
        },
        {"polyfarmaci_65": 20.0, "prev_type2_diabetes": 50.0, "akutte_indl_65": 260.0,
         "hoftebrud_65": 6.5},
    )  # fmt: skip
    texts = _texts(ctx, "polyfarmaci_65", "prev_type2_diabetes", "akutte_indl_65", "hoftebrud_65")
    assert texts == [
        "Andelen af 65+ årige med polyfarmaci er steget signifikant i klyngen fra 2020 til 2024: "
        "fra 27,1 til 21,7\u00a0pct. Det er en forværring.",
        "Forekomsten af type 2-diabetes er steget signifikant i klyngen fra 2020 til "
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
    (message,) = cluster_messages(ctx, [CATALOGUE.get("forebyggelige_indl_65")])
    assert message.text == (
        "Klyngen har signifikant flere forebyggelige indlæggelser blandt 65+ årige end landet: "
        "44,1 mod 36,8\u00a0pr. 1.000 (100 forebyggelige indlæggelser). Tallet er steget "
        "signifikant siden 2020 (fra 38,0). Det er en forværring."
    )
    assert (message.tone, message.trend) == ("worse", "rising")


def test_key_messages_cover_each_theme_worse_first_and_non_headline_findings() -> None:
    ctx = _context(
        {
            "forebyggelige_indl_65": {"value": 31.0, "comparison": "better"},
            "doedelighed": {"value": 11.2, "comparison": "worse"},
            # not a headline indicator: its theme page says it, so the key messages do too
            "middellevetid_maend": {"value": 78.6, "comparison": "worse"},
            "prev_kol": {"value": 25.0, "comparison": "lower"},
            "demens_65": {"value": 40.0, "comparison": "similar"},
        },
        {"forebyggelige_indl_65": 38.0, "doedelighed": 9.8, "middellevetid_maend": 80.4,
         "prev_kol": 31.0, "demens_65": 41.0},
    )  # fmt: skip
    groups, summary = key_messages(ctx, _sections(ctx))
    assert [(g.theme_id, [m.indicator_id for m in g.messages]) for g in groups] == [
        ("populationsoverblik", ["middellevetid_maend", "doedelighed"]),  # 1,8 vs 1,4 half-widths
        ("saarbare_aeldre", ["forebyggelige_indl_65"]),
        ("kronikere", ["prev_kol"]),
    ]
    assert "middellevetid for mænd end landet: 78,6 mod 80,4\u00a0år" in groups[0].messages[0].text
    assert summary.startswith(
        "Af de 5 indikatorer, der sammenlignes med landet, ligger klyngen signifikant anderledes "
        "end landet på 4 og som landet på 1."
    )
    assert "og de kommuner, der skiller sig ud" in summary


def test_a_theme_with_more_findings_than_the_page_shows_says_how_many_more() -> None:
    prevalences = ["prev_type2_diabetes", "prev_type1_diabetes", "prev_kol", "prev_astma",
                   "prev_leddegigt", "prev_osteoporose"]  # fmt: skip
    ctx = _context(
        {i: {"value": 30.0 + n, "comparison": "higher"} for n, i in enumerate(prevalences)},
        dict.fromkeys(prevalences, 20.0),
    )
    (group,) = key_messages(ctx, _sections(ctx))[0]
    assert len(group.messages) == KEY_MESSAGES_PER_THEME
    # strongest first: the largest distance from the country in half-widths of the interval
    assert [m.indicator_id for m in group.messages] == prevalences[::-1][:4]
    assert group.more == "Afsnittet «Kronikerområdet» nævner 2 fund mere for klyngen."


def test_municipalities_a_theme_flags_are_key_messages_when_the_cluster_is_as_the_country() -> None:
    ctx = _context(
        {"psyk_kontakt": {"value": 33.4, "comparison": "similar"},
         "psyk_somatisk_akut": {"value": 191.3, "comparison": "similar"}},
        {"psyk_kontakt": 31.9, "psyk_somatisk_akut": 181.8},
        {("766", "psyk_kontakt"): {"value": 38.1, "comparison": "higher"},
         ("746", "psyk_somatisk_akut"): {"value": 260.0, "comparison": "worse"},
         ("615", "psyk_kontakt"): {"value": 32.0, "comparison": "similar"}},
    )  # fmt: skip
    groups, _summary = key_messages(ctx, _sections(ctx))
    (group,) = groups
    assert group.theme_id == "psykiatri" and group.messages == ()
    assert group.kommune_note == ONLY_KOMMUNER.format(whose="klyngens", parts="kommuner")
    assert group.kommuner == (
        "Hedensted: signifikant højere end landet på kontakt med psykiatrien.",
        "Skanderborg: signifikant dårligere end landet på somatiske akutindlæggelser af "
        "psykiatriske patienter.",
    )


def test_one_municipality_summary_counts_hidden_values_and_never_says_kommunerne() -> None:
    ctx = _context(
        {
            "doedelighed": {"value": 11.2, "comparison": "worse"},
            "prev_kol": {"value": 25.0, "comparison": "similar"},
            "hoftebrud_65": {"value": None, "comparison": "not_compared", "flag": "too_few"},
        },
        {"doedelighed": 9.8, "prev_kol": 31.0, "hoftebrud_65": 6.0},
        klynge="bornholm",
    )
    _groups, summary = key_messages(ctx, _sections(ctx))
    assert summary.startswith(
        "Af de 3 indikatorer, der sammenlignes med landet, ligger klyngen signifikant anderledes "
        "end landet på 1 og som landet på 1. For den sidste vises klyngens tal ikke i 2024 "
        "(for få tilfælde)."
    )
    assert "kommune" not in summary
    assert "ikke kan sammenlignes" not in summary


def test_a_block_says_nothing_of_municipalities_whose_values_are_not_shown() -> None:
    ctx = _context(
        {"prev_kol": {"value": 30.0, "comparison": "similar"}},
        {"prev_kol": 31.0},
        {("615", "prev_kol"): {"value": 30.5, "comparison": "similar"},
         ("727", "prev_kol"): {"value": None, "comparison": "not_compared", "flag": "too_few"}},
    )  # fmt: skip
    summary = " ".join(indicator_block(ctx, CATALOGUE.get("prev_kol")).summary)
    assert "Ingen af de viste tal for kommunerne ligger signifikant anderledes" in summary
    assert "Ingen af kommunerne" not in summary


def test_life_expectancy_develops_over_rolling_periods_of_one_length_labelled_as_such() -> None:
    years = tuple(range(2016, 2025))
    ctx = _context({"middellevetid": {"value": 81.4, "first": 80.9}}, {"middellevetid": 82.5},
                   years=years)  # fmt: skip
    figure = trend_figure(ctx, CATALOGUE.get("middellevetid"))
    assert isinstance(figure.chart, LineChart)
    # The catalogue pools 5 years: 2020 is the first year whose period is whole.
    assert figure.chart.years == (2020, 2021, 2022, 2023, 2024)
    assert figure.chart.labels == ("2016–2020", "2017–2021", "2018–2022", "2019–2023",
                                   "2020–2024")  # fmt: skip
    assert figure.caption == "Udviklingen over perioder på 5 år, 2016–2020 til 2020–2024"
    assert figure.table.columns[0].header == "Periode"
    assert figure.table.rows[0][0] == "2016–2020"
    assert "fra 2016–2020 til 2020–2024" in figure.alt


def test_life_expectancy_with_one_whole_period_has_no_trend_and_says_why() -> None:
    ctx = _context({"middellevetid": {"value": 81.4}}, {"middellevetid": 82.5})
    figure = trend_figure(ctx, CATALOGUE.get("middellevetid"))
    assert figure.chart is None
    assert figure.empty_reason == (
        "Udviklingen kan ikke vises: data rummer kun én periode på 5 år (2020–2024)."
    )
    short = _context({"middellevetid": {"value": 81.4}}, {"middellevetid": 82.5},
                     years=(2022, 2023, 2024))  # fmt: skip
    assert trend_figure(short, CATALOGUE.get("middellevetid")).empty_reason == (
        "Udviklingen kan ikke vises: data rummer ikke 5 år i træk."
    )


def test_a_theme_with_data_and_nothing_significant_says_so_on_the_key_messages_page() -> None:
    ctx = _context({"doedelighed": {"value": 9.0, "comparison": "similar"}}, {"doedelighed": 9.1})
    groups, _summary = key_messages(ctx, _sections(ctx))
    (group,) = groups  # the themes without data are left out
    assert (group.theme_id, group.messages, group.kommuner) == ("populationsoverblik", (), ())
    assert group.kommune_note == NO_FINDINGS.format(whose="klyngens")
