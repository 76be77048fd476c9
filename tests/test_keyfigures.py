"""The key-figures page: a Fingertips spine centred on the country, better to the right,
its printed ends the bar's ends, the true number of peers, counts, and honest trend words."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from datapakke.engine.catalogue import load_catalogue
from datapakke.engine.compute import Results
from datapakke.geography import Geography, load_geography
from datapakke.numbers import tal
from datapakke.pack import Pack, build_pack
from datapakke.pack.chart_specs import SpineChart
from datapakke.pack.keyfigures import split_groups
from datapakke.pack.labels import flag_label
from datapakke.pack.model import KeyFigureGroup, KeyFigureRow

CATALOGUE = load_catalogue()


GEOGRAPHY = load_geography()


@pytest.fixture(scope="module")
def results(small_results: Results) -> Results:
    return small_results


def _pack(results: Results, geography: Geography, name: str) -> Pack:
    return build_pack(
        results, geography, geography.key_of(geography.find_area(name)),
        build_date=dt.date(2026, 12, 1), version="9.9.9",
    )  # fmt: skip


@pytest.fixture(scope="module", params=["fynsklyngen", "bornholm"])
def pack(request: pytest.FixtureRequest, results: Results) -> Pack:
    """Nine municipalities and one."""
    return _pack(results, GEOGRAPHY, request.param)


def _peers(results: Results, indicator_id: str, year: int) -> list[float]:
    frame = results.indicators.filter(
        pl.col("indicator_id") == indicator_id,
        pl.col("area_level") == "klynge",
        pl.col("year") == year,
        pl.col("value").is_not_null(),
    )
    return sorted(frame["value"].to_list())


def _row(results: Results, indicator_id: str, level: str, code: str) -> dict[str, object]:
    frame = results.indicators.filter(
        pl.col("indicator_id") == indicator_id,
        pl.col("area_level") == level,
        pl.col("area_code") == code,
        pl.col("year") == results.years[-1],
    )
    return frame.row(0, named=True)


def test_spine_ends_are_the_printed_lowest_and_highest_with_better_on_the_right(
    pack: Pack, results: Results
) -> None:
    assert pack.key_figures is not None
    year = results.years[-1]
    for row in pack.key_figures.rows:
        indicator = CATALOGUE.get(row.indicator_id)
        peers = _peers(results, row.indicator_id, year)
        spine = row.spine
        assert row.peers == len(peers)
        if len(peers) < 2:  # no range to draw: no spine, no ends
            assert spine is None and (row.left, row.right) == (None, None)
            continue
        assert isinstance(spine, SpineChart), row.indicator_id
        assert (spine.low, spine.high) == (peers[0], peers[-1])
        worst_left = indicator.polarity == "lower_better"
        assert spine.ends == ((peers[-1], peers[0]) if worst_left else (peers[0], peers[-1]))
        assert (row.left, row.right) == spine.ends  # numbers: the template formats them
        assert row.decimals == indicator.decimals
        assert (row.left_word, row.right_word) == (
            ("lavest", "højest") if indicator.polarity == "none" else ("dårligst", "bedst")
        )
        # The left end is left; the end farther from the country touches the edge.
        left, right = (spine.position(v) for v in spine.ends)
        assert 0.0 <= left <= right <= 1.0
        assert max(abs(left - 0.5), abs(right - 0.5)) == pytest.approx(0.5)
        if indicator.unit == "persons":
            assert spine.reference is None  # a national count is a sum, not a level
        else:
            country = _row(results, row.indicator_id, "land", "DK")["value"]
            assert spine.reference == country
            assert spine.position(country) == 0.5
        if spine.value is not None:  # the area lies within its peers' range
            assert 0.0 <= spine.position(spine.value) <= 1.0


def test_the_header_gives_the_true_number_of_peers_and_rows_with_fewer_say_so(
    pack: Pack, results: Results
) -> None:
    assert pack.key_figures is not None
    year = results.years[-1]
    rows = pack.key_figures.rows
    counts = {r.indicator_id: len(_peers(results, r.indicator_id, year)) for r in rows}
    drawn = {i: n for i, n in counts.items() if n >= 2}
    most = max(drawn.values())
    total = len(GEOGRAPHY.areas)
    assert pack.key_figures.range_header == (
        f"Spænd blandt de {most} klynger"
        if most == total
        else f"Spænd blandt {most} af {total} klynger"
    )
    for row in rows:
        n = drawn.get(row.indicator_id, most)
        assert row.peers_note == ("" if n == most else f"{n} klynger med tal")
    assert any(r.peers_note for r in rows)  # the case arises in the sample


def test_counts_adjustment_and_trend_words(pack: Pack, results: Results) -> None:
    assert pack.key_figures is not None
    code = pack.front.slug
    for row in pack.key_figures.rows:
        indicator = CATALOGUE.get(row.indicator_id)
        cluster = _row(results, row.indicator_id, "klynge", code)
        if indicator.method in ("share", "share_full", "rate_standardised", "rate_crude"):
            numerator = cluster["numerator"]
            label = flag_label(str(cluster["flag"]))
            assert row.count == (numerator if isinstance(numerator, int) else label)
        else:
            assert row.count is None  # not a count of persons or events: "–" in the table
        assert row.adjustment == {
            "rate_standardised": "ja", "life_expectancy": "ja", "share": "nej",
            "rate_crude": "nej", "survey": "nej",
        }.get(indicator.method, "–")  # fmt: skip
        assert "uændret" not in row.trend_word
        if cluster["trend"] == "no_change" and indicator.compared:
            assert (row.trend_symbol, row.trend_word) == ("", "ingen sikker ændring")
    assert pack.key_figures.notes[0].startswith("Spændet: den lyse bjælke rummer alle klynger")
    assert any("99,8\u00a0%-niveau" in note for note in pack.key_figures.notes)


def test_key_figures_split_at_the_theme_that_balances_the_two_pages() -> None:
    def group(name: str, n: int) -> KeyFigureGroup:
        row = KeyFigureRow(
            indicator_id=name, title=name, unit="", period="", decimals=1, count=None, cluster="",
            comparison="similar", verdict="", trend="", trend_symbol="", trend_word="",
            region="", country="", left="", left_word="", right="", right_word="", peers=0,
            spine=None, spine_alt="",
        )  # fmt: skip
        return KeyFigureGroup(name, name, (row,) * n)

    groups = (group("a", 6), group("b", 7), group("c", 9), group("d", 6))
    first, second = split_groups(groups, notes_rows=6)
    # 7 + 8 = 15 rows against 10 + 7 + 6 (notes) = 23 or 7 + 8 + 10 = 25 against 13:
    # the cut after the second theme is the better balance.
    assert [g.theme_id for g in first] == ["a", "b"]
    assert [g.theme_id for g in second] == ["c", "d"]
    assert split_groups(groups[:1], 6) == (groups[:1], ())


def test_a_hidden_latest_year_is_given_by_its_pooled_figure_in_the_notes(
    results: Results,
) -> None:
    # For each cluster: the headline indicators whose latest year is hidden for the cluster
    # and whose pooled figure for the cluster is published, found from the frames directly.
    pooled_ids = {i.id for i in CATALOGUE.indicators if i.headline and i.pool_small_areas}
    latest = results.indicators.filter(
        pl.col("area_level") == "klynge", pl.col("indicator_id").is_in(sorted(pooled_ids))
    ).filter(pl.col("year") == pl.col("year").max().over("indicator_id"))
    hidden = latest.filter(pl.col("value").is_null()).select("indicator_id", "area_code", "year")
    shown = results.pooled.filter(pl.col("value").is_not_null()).join(
        hidden, on=["indicator_id", "area_code", "year"]
    )
    assert shown.height, "the sample must have a cluster shown by its pooled figure"
    with_pooled = shown["area_code"].unique().sort().to_list()
    without = sorted(set(latest["area_code"]) - set(with_pooled))[:2]
    for code in [*with_pooled, *without]:
        expected = shown.filter(area_code=code)
        notes = _pack(results, GEOGRAPHY, code).key_figures.notes
        pooled_notes = [n for n in notes if n.startswith("Hvor tallet for")]
        if expected.is_empty():
            assert not pooled_notes, code
            continue
        (note,) = pooled_notes
        assert "samlet" in note and note.endswith(".")
        for row in expected.iter_rows(named=True):
            indicator = CATALOGUE.get(row["indicator_id"])
            assert f"{indicator.display_title} {tal(row['value'], indicator.decimals)}" in note
