"""Aggregate inputs: survey estimates, the population projection and a user's own counts.

The numbers are checked against hand computations from the sample's own files; a
malformed file is refused with its file, line, column and what to do; without the
files their indicators leave the pack with a note.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import polars as pl
import pytest

from datapakke.engine.catalogue import CATALOGUE_FILE, load_catalogue
from datapakke.engine.compute import Results, load_results
from datapakke.errors import ExitCode, InputError
from datapakke.geography import COUNTRY_CODE, Geography, load_geography
from datapakke.inputs.aggregates import aggregates_table
from datapakke.inputs.folders import AGGREGATES_FOLDER
from datapakke.inputs.validate import validate_extract
from datapakke.numbers import heltal, tal
from datapakke.run.build import pack_model
from datapakke.run.export import export_results
from tests.conftest import BUILT_KLYNGE, READS_BUILT_PACK, BuiltPack
from tests.disclosure_audit import Tree, disclosed
from tests.helpers import invoke

Z95 = 1.959963984540054
SURVEY = ("daglig_rygning", "alkohol_over_anbefaling", "svaer_overvaegt",
          "lav_fysisk_aktivitet", "daarligt_mentalt_helbred")  # fmt: skip
PROJECTION = ("fremskrevet_65plus_5", "fremskrevet_65plus_10", "fremskrevet_80plus_5",
              "fremskrevet_80plus_10")  # fmt: skip


def _registers_only(sample: Path, folder: Path) -> Path:
    """The sample's register files (links), without its aggregate inputs."""
    folder.mkdir()
    for path in sample.iterdir():
        if path.is_file():
            (folder / path.name).symlink_to(path)
    return folder


def _with_aggregate(sample: Path, folder: Path, name: str, lines: list[str]) -> Path:
    _registers_only(sample, folder)
    (folder / AGGREGATES_FOLDER).mkdir()
    (folder / AGGREGATES_FOLDER / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def _row(results: Results, indicator: str, level: str, code: str, year: int) -> dict[str, object]:
    found = results.indicators.filter(
        pl.col("indicator_id") == indicator,
        pl.col("area_level") == level,
        pl.col("area_code") == code,
        pl.col("year") == year,
    )
    assert found.height == 1
    return found.row(0, named=True)


def _adults(sample: Path, year: int) -> dict[int, int]:
    """Persons aged 16 or more on 1 January ``year`` per municipality, from the dates."""
    frame = pl.read_parquet(sample / "befolkning.parquet").filter(pl.col("aar") == year)
    counts: dict[int, int] = {}
    for born, kode in frame.select("foed_dato", "kommunekode").iter_rows():
        age = year - born.year - (1 if (born.month, born.day) > (1, 1) else 0)
        if age >= 16:
            counts[kode] = counts.get(kode, 0) + 1
    return counts


def _persons_aged(sample: Path, year: int, age: int, kommuner: tuple[int, ...]) -> int:
    """Persons of ``kommuner`` aged ``age`` or more on 1 January ``year``, from the dates."""
    frame = pl.read_parquet(sample / "befolkning.parquet").filter(
        pl.col("aar") == year, pl.col("kommunekode").is_in(kommuner)
    )
    return sum(
        year - born.year - (1 if (born.month, born.day) > (1, 1) else 0) >= age
        for born in frame["foed_dato"]
    )


def test_a_cluster_gets_the_weighted_mean_of_its_municipalities_estimates(
    small_sample: Path, small_results: Results, geography: Geography
) -> None:
    year = small_results.years[-1]
    survey = pl.read_parquet(small_sample / AGGREGATES_FOLDER / "sundhedsprofil.parquet")
    klynge = geography.areas["horsensklyngen"]
    adults = _adults(small_sample, year)
    for indicator in SURVEY:
        rows = survey.filter(pl.col("indikator") == indicator, pl.col("periode") == str(year))
        kommuner = rows.filter(pl.col("niveau") == "kommune")
        estimate = {int(r["kode"]): r for r in kommuner.iter_rows(named=True)}
        weights = {k: adults[k] for k in klynge.kommunekoder}
        total = sum(weights.values())
        value = sum(w * estimate[k]["vaerdi"] for k, w in weights.items()) / total
        se = math.sqrt(
            sum(
                (w / total) ** 2 * ((estimate[k]["oevre"] - estimate[k]["nedre"]) / (2 * Z95)) ** 2
                for k, w in weights.items()
            )
        )
        row = _row(small_results, indicator, "klynge", klynge.id, year)
        assert row["value"] == pytest.approx(value, rel=1e-12)
        assert row["lower"] == pytest.approx(value - Z95 * se, rel=1e-9)
        assert row["upper"] == pytest.approx(value + Z95 * se, rel=1e-9)
        # A published value passes as published, interval and all.
        region = rows.filter(pl.col("niveau") == "region", pl.col("kode") == "1082").row(
            0, named=True
        )
        published = _row(small_results, indicator, "region", "1082", year)
        assert (published["value"], published["lower"], published["upper"]) == (
            region["vaerdi"], region["nedre"], region["oevre"],
        )  # fmt: skip
        assert published["numerator"] is None  # a survey has no count of persons


def test_survey_values_are_compared_with_the_country_by_their_interval(
    small_results: Results,
) -> None:
    rows = small_results.indicators.filter(
        pl.col("indicator_id").is_in(SURVEY), pl.col("value").is_not_null()
    )
    national = rows.filter(pl.col("area_level") == "land").select(
        "indicator_id", "year", national="value"
    )
    compared = rows.filter(pl.col("area_level") != "land").join(
        national, on=["indicator_id", "year"]
    )
    assert compared.height > 500
    for row in compared.iter_rows(named=True):
        if row["lower"] <= row["national"] <= row["upper"]:
            assert row["comparison"] == "similar"
        else:  # every survey indicator: lower is better
            above = row["lower"] > row["national"]
            assert row["comparison"] == ("worse" if above else "better")


def test_the_projection_is_the_sum_of_the_municipalities_projected_persons(
    small_sample: Path, small_results: Results, geography: Geography
) -> None:
    last = small_results.years[-1]
    projection = pl.read_parquet(
        small_sample / AGGREGATES_FOLDER / "befolkningsfremskrivning.parquet"
    ).with_columns(low=pl.col("alder").str.extract(r"^(\d+)").cast(pl.Int32))
    klynge = geography.areas["horsensklyngen"]
    for indicator, age, horizon in (
        ("fremskrevet_65plus_5", 65, 5),
        ("fremskrevet_80plus_10", 80, 10),
    ):
        chosen = projection.filter(pl.col("periode") == str(last + horizon), pl.col("low") >= age)
        in_klynge = chosen.filter(pl.col("kode").cast(pl.Int32).is_in(klynge.kommunekoder))
        row = _row(small_results, indicator, "klynge", klynge.id, last)
        assert row["value"] == in_klynge["vaerdi"].sum()
        assert _row(small_results, indicator, "land", COUNTRY_CODE, last)["value"] == (
            chosen["vaerdi"].sum()
        )
        # The projection looks ahead from the last year only.
        assert _row(small_results, indicator, "land", COUNTRY_CODE, last - 1)["value"] is None
        # The pack reads the same numbers, beside the registers' persons of the group now.
        (shown,) = small_results.projection.filter(
            pl.col("indicator_id") == indicator,
            pl.col("area_level") == "klynge",
            pl.col("area_code") == klynge.id,
        ).iter_rows(named=True)
        now = _persons_aged(small_sample, last, age, klynge.kommunekoder)
        assert shown == {
            "indicator_id": indicator, "area_level": "klynge", "area_code": klynge.id,
            "age_group": f"{age}+ år", "age_min": age, "sex": None, "horizon": horizon,
            "base_year": last, "year": last + horizon, "persons_base": now,
            "persons": in_klynge["vaerdi"].sum(),
        }  # fmt: skip


def test_without_aggregate_inputs_their_indicators_leave_with_a_note(
    tiny_sample: Path, tmp_path: Path, geography: Geography
) -> None:
    folder = _registers_only(tiny_sample, tmp_path / "udtraek")
    catalogue_by_series = {s: (s,) for s in SURVEY}
    report = validate_extract(folder, geography, series_needed=catalogue_by_series).report
    assert report.ok
    (warning,) = [w for w in report.warnings if w.table == AGGREGATES_FOLDER]
    assert "no folder aggregater/" in warning.message and "daglig_rygning" in warning.message
    _, results = load_results(folder, geography)
    assert set(results.missing_aggregates) == {*SURVEY, *PROJECTION}
    gone = results.indicators.filter(pl.col("indicator_id").is_in([*SURVEY, *PROJECTION]))
    assert set(gone["flag"]) == {"not_available"}
    pack = pack_model(results, geography, geography.key_of(geography.areas["horsensklyngen"]))
    (section,) = [s for s in pack.sections if s.id == "sundhedsadfaerd"]
    assert section.paragraphs[-1] == (
        "Datapakken har ikke fået tallene fra Den Nationale Sundhedsprofil (Sundhedsstyrelsen), "
        "som temaets indikatorer bygger på, så temaet kan ikke vises i denne datapakke."
    )
    assert all(
        b.summary[0].startswith("Indikatoren kan ikke vises: datapakken har ikke fået tallene")
        for b in section.blocks
    )
    # The population pages say that no projection was supplied, and draw none.
    (population,) = [s for s in pack.sections if s.id == "populationsoverblik"]
    assert population.paragraphs[-1] == (
        "Datapakken har ikke fået tallene fra Danmarks Statistik, befolkningsfremskrivning for "
        "kommunerne, så den viser ikke, hvor mange ældre der bliver i de kommende år."
    )
    assert "befolkningsfremskrivning" not in {f.id for f in population.figures}
    assert not {b.id for b in population.blocks} & set(PROJECTION)
    assert results.projection.is_empty()


HEADER = "indikator;niveau;kode;periode;koen;alder;vaerdi;nedre;oevre;kilde"


def test_a_malformed_aggregate_file_is_refused_with_file_line_column_and_what_to_do(
    tiny_sample: Path, tmp_path: Path
) -> None:
    folder = _with_aggregate(
        tiny_sample,
        tmp_path / "udtraek",
        "egne.csv",
        [
            HEADER,
            "daglig_rygning;kommune;0615;2023;;16+;14,2;12,9;15,6;Sundhedsprofilen",
            "daglig_rygning;kommune;101;2023;;16+;tolv;10,0;13,0;Sundhedsprofilen",
            "daglig_rygning;kommune;999;2023;;16+;12,0;10,0;13,0;Sundhedsprofilen",
            "daglig_rygning;region;1084;2023;;16+;9,0;10,0;13,0;Sundhedsprofilen",
        ],
    )
    result = invoke("validate", "--data", folder)
    assert result.exit_code == ExitCode.INVALID_INPUT
    text = result.stdout
    assert "aggregater: aggregater/egne.csv (CSV, 4 rows)" in text
    assert "vaerdi: values that cannot be read as a number" in text and "line 3" in text
    assert "kode: areas the geography does not know" in text and "'kommune 999'" in text
    assert "line 4" in text
    assert "vaerdi: values outside their interval (nedre to oevre)" in text and "line 5" in text
    assert text.count("what to do:") >= 3
    # The code written with a leading zero (0615) is Horsens all the same: no finding on line 2.
    assert "line 2" not in text


def test_survey_rows_without_their_interval_stop_the_build_with_their_lines(
    tiny_sample: Path, tmp_path: Path, geography: Geography
) -> None:
    folder = _with_aggregate(
        tiny_sample,
        tmp_path / "udtraek",
        "egne.csv",
        [HEADER, "daglig_rygning;kommune;615;2023;;16+;14,2;;;Sundhedsprofilen"],
    )
    with pytest.raises(InputError) as raised:
        load_results(folder, geography)
    assert "egne.csv line 2" in raised.value.message
    assert "needs its value and 95 % interval" in raised.value.message
    assert "nedre and oevre" in (raised.value.hint or "")
    # validate finds what the build would refuse, with the same words.
    result = invoke("validate", "--data", folder)
    assert result.exit_code == ExitCode.INVALID_INPUT
    assert "needs its value and 95 % interval" in result.stdout
    assert "egne.csv line 2" in result.stdout and "what to do:" in result.stdout


USER_ENTRY = """
[[indicator]]
id = "genoptraening"
title = "Borgere med genoptræningsplan"
theme = "saarbare_aeldre"
kind = "aggregate_counts"
method = "share"
unit = "percent"
polarity = "none"
decimals = 1
age_min = 65
tables = ["befolkning"]
definition = "Andel af borgere på 65 år og derover med en genoptræningsplan."
source = "Kommunernes egne tal"
"""


def test_a_users_counts_are_summed_estimated_and_suppressed(
    tiny_sample: Path, tmp_path: Path, geography: Geography
) -> None:
    catalogue = tmp_path / "katalog.toml"
    catalogue.write_text(CATALOGUE_FILE.read_text(encoding="utf-8") + USER_ENTRY, "utf-8")
    header = "indikator;niveau;kode;periode;antal;grundlag;kilde"
    lines = [header]
    for kode in sorted(geography.kommuner):
        for year in (2022, 2023):
            if (kode, year) == (101, 2022):
                continue  # a year without København: 2022 cannot be summed
            antal = _antal(kode)
            lines.append(f"genoptraening;kommune;{kode};{year};{antal};{400 + kode};Kommunerne")
    folder = _with_aggregate(tiny_sample, tmp_path / "udtraek", "egne.csv", lines)
    _, results = load_results(folder, geography, catalogue=catalogue)
    assert any("has no row for 1 of the extract's municipalities" in w for w in results.warnings)
    assert _row(results, "genoptraening", "land", COUNTRY_CODE, 2022)["flag"] == "not_available"
    # The source cited is the rows' "kilde", not the catalogue entry's.
    assert results.catalogue.get("genoptraening").source == "Kommunerne"
    klynge = geography.areas["horsensklyngen"]
    counts = {k: (_antal(k), 400 + k) for k in klynge.kommunekoder}
    horsens = _row(results, "genoptraening", "kommune", "615", 2023)
    assert horsens["numerator"] is None and horsens["value"] is None
    assert horsens["flag"].startswith("suppressed")
    cluster = _row(results, "genoptraening", "klynge", klynge.id, 2023)
    hidden = [
        k for k in klynge.kommunekoder
        if _row(results, "genoptraening", "kommune", str(k), 2023)["numerator"] is None
    ]  # fmt: skip
    # The cluster's sum is shown, so a second municipality is hidden with Horsens: the
    # three is never the cluster's sum less the shown municipalities.
    assert cluster["numerator"] == sum(x for x, _n in counts.values())
    assert cluster["value"] == pytest.approx(
        100 * cluster["numerator"] / sum(n for _x, n in counts.values())
    )
    assert "615" in {str(k) for k in hidden} and len(hidden) >= 2
    # The audit of the disclosure tests: no hidden count below 5 can be worked out from
    # the shown ones and the geography's sums, anywhere in the country.
    membership = geography.membership()
    shown = results.indicators.filter(
        pl.col("indicator_id") == "genoptraening", pl.col("year") == 2023
    )
    assert shown.filter(pl.col("numerator").is_not_null(), pl.col("numerator") < 5).is_empty()
    # The exact audit over the geography's equations: no hidden count, and no area's count
    # of 1-4, is fixed by the published ones.
    grouped = membership.group_by("area_level", "area_code").agg(pl.col("kommunekode"))
    areas = {
        f"{level}:{code}": frozenset(str(k) for k in kommuner)
        for level, code, kommuner in grouped.iter_rows()
    }
    atoms = {str(k): [_antal(k)] for k in geography.kommuner}
    published = {
        ("g", f"{r['area_level']}:{r['area_code']}")
        for r in shown.filter(pl.col("numerator").is_not_null()).iter_rows(named=True)
    }
    assert published and not disclosed(Tree(areas, {}), {"g": [1]}, atoms, published, 5)


def _antal(kode: int) -> int:
    """A user's count in ``kode``: small (2-3) in Horsens and every ninth municipality."""
    return 3 if kode == 615 else 2 if kode % 9 == 0 else 40 + kode % 17


def test_a_row_repeated_under_another_spelling_of_its_code_is_refused(
    tiny_sample: Path, tmp_path: Path
) -> None:
    folder = _with_aggregate(
        tiny_sample,
        tmp_path / "udtraek",
        "egne.csv",
        [HEADER, "daglig_rygning;kommune;615;2023;;16+;14,2;12,9;15,6;Sundhedsprofilen"],
    )
    (folder / AGGREGATES_FOLDER / "flere.csv").write_text(
        HEADER + "\ndaglig_rygning;kommune;0615;2023;;16+;14,0;12,7;15,4;Sundhedsprofilen\n",
        encoding="utf-8",
    )
    result = invoke("validate", "--data", folder)
    assert result.exit_code == ExitCode.INVALID_INPUT
    assert "the key (indikator, niveau, kode, periode, koen, alder) repeats: 2 rows" in (
        result.stdout
    )
    assert "egne.csv line 2, flere.csv line 2" in result.stdout


def test_the_documented_format_names_every_column_and_catalogue_series(
    geography: Geography,
) -> None:
    text = (Path(__file__).resolve().parents[1] / "docs" / "aggregates.md").read_text("utf-8")
    for column in aggregates_table(geography).columns:
        assert f"`{column.name}`" in text, column.name
    for series in load_catalogue().indicators_by_series():
        assert f"`{series}`" in text, series


def _plain(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


@READS_BUILT_PACK
def test_survey_and_projection_numbers_reach_the_export_and_the_pdf(
    built_pack: BuiltPack,
    small_sample: Path,
    small_results: Results,
    geography: Geography,
    tmp_path: Path,
) -> None:
    klynge = geography.areas[BUILT_KLYNGE]
    year = small_results.years[-1]
    smoking = _row(small_results, "daglig_rygning", "klynge", klynge.id, year)
    projected = _row(small_results, "fremskrevet_80plus_10", "klynge", klynge.id, year)
    assert smoking["value"] is not None and projected["value"] is not None
    # The export: the same rows, at full precision.
    exported = pl.read_csv(
        export_results(small_results, tmp_path / "indikatorer.csv"),
        schema_overrides={"area_code": pl.String},
    )
    mine = exported.filter(pl.col("area_code") == klynge.id, pl.col("year") == year)
    assert mine.filter(pl.col("indicator_id") == "daglig_rygning")["value"].item() == (
        pytest.approx(smoking["value"], rel=1e-12)
    )
    assert (
        mine.filter(pl.col("indicator_id") == "fremskrevet_80plus_10")["value"].item()
        == (projected["value"])
    )
    # The PDF: the theme's page carries the cluster's smoking share with its interval,
    # the population pages the projected 80+, and the methods say how each is treated.
    pages = [_plain(p) for p in built_pack.pages]
    theme = next(p for p in pages if p.startswith("Sundhedsadfærd og trivsel"))
    national = _row(small_results, "daglig_rygning", "land", COUNTRY_CODE, year)["value"]
    assert f"Klyngen: {tal(smoking['value'])} pct. i {year}, hele landet: {tal(national)} pct." in (
        theme
    )
    now = _persons_aged(small_sample, year, 80, klynge.kommunekoder)
    change = 100 * (projected["value"] - now) / now
    assert any(
        f"Ifølge befolkningsfremskrivningen vil Horsensklyngen have {heltal(projected['value'])} "
        f"borgere på 80 år og derover 1. januar {year + 10} mod {heltal(now)} i {year} "
        f"({tal(change, signed=True)} pct.;" in p
        for p in pages
    )
    assert any(f"Fremskrevet antal borgere på 80 år og derover i {year + 10}" in p for p in pages)
    methods = " ".join(p for p in pages if "Metode og definitioner" in p)
    assert "Tal fra spørgeskemaundersøgelser" in methods
    assert "vises, som de er udgivet, og uden antal personer" in methods
    assert "Befolkningsfremskrivning" in methods
    # The sources cited are the rows' own (synthetic here), never the catalogue's
    # expected publisher: a synthetic projection is not Statistics Denmark's.
    text = " ".join(pages)
    assert "ikke Danmarks Statistiks befolkningsfremskrivning" in text
    assert "ikke Den Nationale Sundhedsprofil" in text
    assert "Danmarks Statistik, befolkningsfremskrivning for kommunerne" not in text
    # The definitions date a projection by the year it is for, not its base year.
    assert f"Fremskrivning til 1. januar {year + 10} fra {year}." in text


def test_a_pooled_survey_period_is_labelled_by_its_years(
    tiny_sample: Path, tmp_path: Path, geography: Geography
) -> None:
    lines = [HEADER]
    areas = [("kommune", str(k)) for k in sorted(geography.kommuner)]
    areas += [("region", str(r)) for r in sorted(geography.regioner)] + [("land", "DK")]
    for level, code in areas:
        lines.append(f"daglig_rygning;{level};{code};2022-2023;;16+;12,5;11,0;14,0;Pooled")
    folder = _with_aggregate(tiny_sample, tmp_path / "udtraek", "puljet.csv", lines)
    _, results = load_results(folder, geography)
    assert results.periods == {"daglig_rygning": 2}
    assert _row(results, "daglig_rygning", "region", "1082", 2023)["value"] == 12.5
    assert _row(results, "daglig_rygning", "region", "1082", 2022)["value"] is None
    pack = pack_model(results, geography, geography.key_of(geography.areas["horsensklyngen"]))
    (section,) = [s for s in pack.sections if s.id == "sundhedsadfaerd"]
    (block,) = [b for b in section.blocks if b.id == "daglig_rygning"]
    summary = " ".join(block.summary).replace("\u00a0", " ")
    assert "Klyngen: 12,5 pct. i 2022–2023, hele landet: 12,5 pct." in summary


def test_a_survey_that_ends_before_the_registers_is_judged_in_its_own_last_year(
    tiny_sample: Path, tmp_path: Path, geography: Geography
) -> None:
    # The registers run to 2023, the survey to 2022: its findings are 2022's, and say so.
    lines = [HEADER]
    areas = [("kommune", str(k)) for k in sorted(geography.kommuner)]
    areas += [("region", str(r)) for r in sorted(geography.regioner)]
    for level, code in areas:
        value = "20,0;18,0;22,0" if code == "615" else "10,0;9,0;11,0"
        lines.append(f"daglig_rygning;{level};{code};2022;;16+;{value};Sundhedsprofilen")
    lines.append("daglig_rygning;land;DK;2022;;16+;10,0;9,8;10,2;Sundhedsprofilen")
    folder = _with_aggregate(tiny_sample, tmp_path / "udtraek", "rygning.csv", lines)
    _, results = load_results(folder, geography)
    assert results.years[-1] == 2023
    pack = pack_model(results, geography, geography.key_of(geography.areas["horsensklyngen"]))
    (section,) = [s for s in pack.sections if s.id == "sundhedsadfaerd"]
    (message,) = [m for m in section.findings if m.indicator_id == "daglig_rygning"]
    assert "end landet i 2022: " in message.text and message.tone == "worse"
    assert "Horsens: signifikant dårligere end landet på dagligrygere (16+)." in (
        section.kommune_findings
    )


def test_regions_of_another_area_set_are_left_out_and_made_from_their_municipalities(
    tiny_sample: Path, tmp_path: Path
) -> None:
    # The survey of 2023 has the five regions; the 2027 area set has four (Østdanmark).
    geography = load_geography("sundhedsraad-2027")
    lines = [HEADER]
    areas = [("kommune", str(k)) for k in sorted(geography.kommuner)]
    areas += [("region", str(r)) for r in (1081, 1082, 1083, 1084, 1085)] + [("land", "DK")]
    for level, code in areas:
        lines.append(f"daglig_rygning;{level};{code};2023;;16+;12,0;11,0;13,0;Sundhedsprofilen")
    folder = _with_aggregate(tiny_sample, tmp_path / "udtraek", "rygning.csv", lines)
    report = validate_extract(folder, geography).report
    assert report.ok
    (warning,) = [w for w in report.warnings if "does not have" in w.message]
    assert "region 1084, region 1085" in warning.message and warning.lines == (103, 104)
    _, results = load_results(folder, geography)
    east = _row(results, "daglig_rygning", "region", "1086", 2023)
    assert east["value"] == pytest.approx(12.0)  # the weighted mean of its municipalities
    assert east["upper"] - east["lower"] < 2.0  # narrower than one municipality's interval
    # The other way round: a 2027 council's row under the 2022 clusters is not used either.
    council = "daglig_rygning;sundhedsraad;hovedstaden;2023;;16+;12,0;11,0;13,0;Egne tal"
    with (folder / AGGREGATES_FOLDER / "rygning.csv").open("a", encoding="utf-8") as file:
        file.write(council + "\n")
    report = validate_extract(folder, load_geography("klynger-2022")).report
    assert report.ok
    assert any("sundhedsraad hovedstaden" in w.message for w in report.warnings)


def test_what_only_looks_like_an_aggregate_file_is_reported_not_skipped(
    tiny_sample: Path, tmp_path: Path
) -> None:
    folder = _registers_only(tiny_sample, tmp_path / "udtraek")
    (folder / AGGREGATES_FOLDER).mkdir()
    (folder / AGGREGATES_FOLDER / "egne.csv").symlink_to(tmp_path / "gone.csv")
    result = invoke("validate", "--data", folder)
    assert result.exit_code == ExitCode.INVALID_INPUT
    assert "'egne.csv' is a symbolic link to" in result.stdout
    assert "which does not exist" in result.stdout
