"""The integer person key (``inputs.person_key``): one-to-one on the extract's persons, checked
by validation, and the engine's shared frames on it are the frames on the text ``pnr``."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import polars as pl
import pytest

from datapakke.engine.catalogue import load_catalogue
from datapakke.engine.params import PolypharmacyParams
from datapakke.engine.sources import Sources
from datapakke.inputs import person_key
from datapakke.inputs.person_key import PersonKey, person_year
from datapakke.inputs.read import read_extract
from datapakke.inputs.validate import validate_extract

SAMPLE = Path(__file__).parents[1] / "sample_data"


def test_the_key_of_sample_data_is_one_to_one_on_every_table() -> None:
    extract = read_extract(SAMPLE)
    assert extract.person_key is not None
    for name in extract.tables:
        pairs = pl.DataFrame(
            {
                "pnr": extract.table(name).select("pnr").collect().to_series(),
                "key": extract.keyed(name).select("pnr").collect().to_series(),
            }
        )
        assert pairs.schema["key"] == pl.UInt64
        counts = pairs.select(
            pnr=pl.col("pnr").n_unique(),
            keys=pl.col("key").n_unique(),
            pairs=pl.struct("pnr", "key").n_unique(),
        )
        assert len(set(counts.row(0))) == 1, name  # as many keys as pnr, and one per pnr


def _frames(sources: Sources) -> dict[str, pl.DataFrame]:
    drugs = next(i.settings for i in sources.indicators if i.kind == "polypharmacy")
    assert isinstance(drugs, PolypharmacyParams)
    frames = {
        "persons": sources.persons,
        "stays": sources.stays,
        "deaths": sources.death_years,
        "home care": sources.home_care_years,
        "diseases": sources.disease_years,
        "psychiatry": sources.psychiatric_contact_persons,
        "drugs": sources.drug_counts(drugs),
    }
    return {
        name: frame.drop("pnr", strict=False).sort(pl.all(), nulls_last=True)
        for name, frame in frames.items()
    }


def test_the_shared_frames_on_the_key_are_the_frames_on_the_text() -> None:
    extract = read_extract(SAMPLE)
    indicators = load_catalogue().indicators
    keyed = _frames(Sources(extract, indicators))
    text = _frames(Sources(dataclasses.replace(extract, person_key=None), indicators))
    for name, frame in text.items():
        assert frame.height > 0, name
        assert keyed[name].equals(frame, null_equal=True), name


def test_a_hash_that_collides_on_every_seed_keeps_the_text_key(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    persons = pl.Series("pnr", ["A1", "B2", "C3"])
    assert PersonKey.of(persons) == PersonKey(0)
    monkeypatch.setattr(PersonKey, "key", lambda self, pnr: pl.lit(7, dtype=pl.UInt64))
    assert PersonKey.of(persons) is None
    validation = validate_extract(SAMPLE)
    assert validation.report.ok
    assert validation.person_key is None


def test_a_collision_on_the_first_seed_takes_the_next(monkeypatch: pytest.MonkeyPatch) -> None:
    real = PersonKey.key
    monkeypatch.setattr(
        PersonKey,
        "key",
        lambda self, pnr: pl.lit(7, dtype=pl.UInt64) if self.seed == 0 else real(self, pnr),
    )
    assert PersonKey.of(pl.Series("pnr", ["A1", "B2", "C3"])) == PersonKey(1)


def test_a_table_s_persons_outside_befolkning_count_in_the_check(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[set[str]] = []
    real = PersonKey.of.__func__  # type: ignore[attr-defined]

    def of(cls: type[PersonKey], persons: pl.Series) -> PersonKey | None:
        seen.append(set(persons.to_list()))
        return real(cls, persons)  # type: ignore[no-any-return]

    monkeypatch.setattr(PersonKey, "of", classmethod(of))
    validation = validate_extract(SAMPLE)
    everyone: set[str] = set()
    for frame in (validation.tables or {}).values():
        everyone |= set(frame.select("pnr").unique().collect().to_series().to_list())
    assert seen == [everyone]


@pytest.mark.parametrize("order", ["as written", "shuffled"])
def test_the_check_hands_the_key_each_person_once(
    order: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # sample_data's befolkning is in pnr order, so its persons are distinct once a row's
    # repeat of the row before is dropped; shuffled, they must be made distinct.
    shutil.copytree(SAMPLE, tmp_path / "data")
    if order == "shuffled":
        path = tmp_path / "data" / "befolkning.parquet"
        pl.read_parquet(path).sample(fraction=1.0, shuffle=True, seed=7).write_parquet(path)
    given: list[list[str]] = []
    real = PersonKey.of.__func__  # type: ignore[attr-defined]

    def of(cls: type[PersonKey], persons: pl.Series) -> PersonKey | None:
        given.append(persons.to_list())
        return real(cls, persons)  # type: ignore[no-any-return]

    monkeypatch.setattr(PersonKey, "of", classmethod(of))
    validation = validate_extract(tmp_path / "data")
    assert validation.report.ok and validation.person_key is not None
    [persons] = given
    assert len(persons) == len(set(persons))
    befolkning = pl.read_parquet(tmp_path / "data" / "befolkning.parquet")["pnr"]
    assert set(befolkning) <= set(persons)


def test_null_pnr_and_years_out_of_range_have_no_key() -> None:
    key = PersonKey(0)
    frame = pl.DataFrame(
        {"pnr": ["A1", None, "A1", "A1", "B2"], "year": [2024, 2024, -1, 4096, 2024]}
    ).select(person_year(key.key(pl.col("pnr")), pl.col("year")).alias("k"))
    values = frame["k"].to_list()
    assert values[1:4] == [None, None, None]
    assert values[0] != values[4]
    assert values[0] is not None and values[0] % (1 << person_key.YEAR_BITS) == 2024
