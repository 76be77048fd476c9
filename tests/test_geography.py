"""Geography: the bundled files, cluster lookup and the membership table."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from datapakke.errors import InputError, UnknownAreaError
from datapakke.geography import Geography, fold_name, load_geography
from datapakke.paths import DATA_DIR


@pytest.fixture(scope="module")
def geography() -> Geography:
    return load_geography()


def test_bundled_files_hold_the_whole_country(geography: Geography) -> None:
    assert len(geography.kommuner) == 98
    assert len(geography.regioner) == 5
    assert len(geography.klynger) == 22
    placed = sorted(c for k in geography.klynger.values() for c in k.kommunekoder)
    assert placed == sorted(geography.kommuner)  # each municipality exactly once


def test_koebenhavn_lies_wholly_in_klynge_byen(geography: Geography) -> None:
    assert geography.klynge_of(101).id == "hovedstaden-byen"


@pytest.mark.parametrize(
    ("name", "klynge_id"),
    [
        ("Horsensklyngen", "horsensklyngen"),
        ("horsensklyngen", "horsensklyngen"),
        ("HORSENS", "horsensklyngen"),
        ("Århusklyngen", "aarhusklyngen"),
        ("Aarhusklyngen", "aarhusklyngen"),
        ("århus", "aarhusklyngen"),
        ("byen", "hovedstaden-byen"),
        ("Klynge Byen", "hovedstaden-byen"),
        ("Sønderjysk sundhedsklynge", "sonderjysk"),
        ("Soenderjylland", "sonderjysk"),
        ("Nykøbing F", "nykoebing-falster"),
        ("roskilde-koege", "roskilde-koege"),
        ("Roskilde Køge", "roskilde-koege"),
        ("Lillebaelt", "lillebaelt"),
    ],
)
def test_find_klynge_by_id_name_or_alias(geography: Geography, name: str, klynge_id: str) -> None:
    assert geography.find_klynge(name).id == klynge_id


def test_unknown_name_suggests_close_ones(geography: Geography) -> None:
    with pytest.raises(UnknownAreaError) as caught:
        geography.find_klynge("Horsenklyngen")
    assert "Did you mean: Horsensklyngen?" in str(caught.value)
    assert "datapakke klynger" in str(caught.value)


def test_ambiguous_part_suggests_every_match(geography: Geography) -> None:
    with pytest.raises(UnknownAreaError) as caught:
        geography.find_klynge("Nord")
    message = str(caught.value)
    assert "Klynge Nord (Nordjylland)" in message
    assert "Klynge Nord (Hovedstaden)" in message


def test_fold_name_treats_danish_letters_and_separators_alike() -> None:
    assert fold_name("Ærø-Ålborg Øst") == fold_name("aeroe aalborg oest")


def test_membership_rolls_each_kommune_into_four_areas(geography: Geography) -> None:
    membership = geography.membership()
    assert membership.height == 98 * 4
    horsens = membership.filter(membership["kommunekode"] == 615)
    assert dict(zip(horsens["area_level"], horsens["area_code"], strict=True)) == {
        "kommune": "615",
        "klynge": "horsensklyngen",
        "region": "1082",
        "land": "DK",
    }


def _copy_geography(tmp_path: Path) -> Path:
    folder = tmp_path / "geo"
    shutil.copytree(DATA_DIR, folder, ignore=shutil.ignore_patterns("*.mplstyle"))
    return folder


def test_membership_is_corrected_by_editing_the_file(tmp_path: Path) -> None:
    folder = _copy_geography(tmp_path)
    path = folder / "klynger.csv"
    # Move Middelfart (410) from Lillebælt to Fynsklyngen.
    text = path.read_text(encoding="utf-8")
    text = text.replace("607 621 410 630", "607 621 630").replace("420 430", "410 420 430")
    path.write_text(text, encoding="utf-8")
    assert load_geography(folder).klynge_of(410).id == "fynsklyngen"


def test_a_municipality_in_two_clusters_is_refused(tmp_path: Path) -> None:
    folder = _copy_geography(tmp_path)
    path = folder / "klynger.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace("766 615 727 746", "766 615 727 746 751"),
        encoding="utf-8",
    )
    with pytest.raises(InputError, match=r"Aarhus \(751\) must be in exactly one cluster"):
        load_geography(folder)


def test_a_bad_row_is_reported_with_file_line_and_column(tmp_path: Path) -> None:
    folder = _copy_geography(tmp_path)
    path = folder / "kommuner.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].replace("52000", "many")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"kommuner\.csv:4: folketal_ca: "):
        load_geography(folder)
