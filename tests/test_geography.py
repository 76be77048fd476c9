"""Geography: the shipped area sets, lookup, the membership table and a user's own set."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from datapakke.errors import InputError, UnknownAreaError
from datapakke.geography import (
    Geography,
    default_area_set,
    fold_name,
    load_geography,
    shipped_area_sets,
)
from datapakke.geography.load import SETS_DIR

# The 17 councils of 2027 as ../shared/domain/sundhedsraad-2027.csv lists them (copied:
# tests never read the shared folder), with Middelfart in Lillebælt and Billund in
# Sydvestjylland, the choice the file ships.
COUNCILS_2027 = {
    "hovedstaden": "101 147 400",
    "koebenhavns-omegn-nord": "163 151 157 159 173 175 240 190 230",
    "nordsjaelland": "201 210 250 270 260 217 219 223",
    "amager-vestegnen": "165 153 155 161 167 169 183 185 187",
    "oestsjaelland-oerne": "259 269 253 265 336 320 390 376 360",
    "midt-vestsjaelland": "330 316 370 329 340 306 326 350",
    "vendsyssel": "860 810 813 825",
    "limfjorden": "851 849 846 773 840 787 820",
    "aarhus": "751 741",
    "horsens": "615 766 727 746",
    "kronjylland": "730 710 707 706",
    "midt": "791 779 740",
    "vestjylland": "657 661 756 665 760 671",
    "fyn": "461 420 430 440 482 480 450 479 492",
    "lillebaelt": "621 607 630 410",
    "sydvestjylland": "561 563 573 575 530",
    "soenderjylland": "580 510 540 550",
}
REGIONS_2027 = {
    "oestdanmark": ("hovedstaden", "koebenhavns-omegn-nord", "nordsjaelland", "amager-vestegnen",
                    "oestsjaelland-oerne", "midt-vestsjaelland"),
    "Nordjylland": ("vendsyssel", "limfjorden"),
    "Midtjylland": ("aarhus", "horsens", "kronjylland", "midt", "vestjylland"),
    "Syddanmark": ("fyn", "lillebaelt", "sydvestjylland", "soenderjylland"),
}  # fmt: skip


@pytest.fixture(scope="module")
def klynger() -> Geography:
    return load_geography("klynger-2022")


@pytest.fixture(scope="module")
def raad() -> Geography:
    return load_geography("sundhedsraad-2027")


def test_the_shipped_sets_are_the_2022_clusters_and_the_2027_councils() -> None:
    assert shipped_area_sets() == ("klynger-2022", "sundhedsraad-2027")


@pytest.mark.parametrize("set_id", ["klynger-2022", "sundhedsraad-2027"])
def test_each_shipped_set_places_every_municipality_once(set_id: str) -> None:
    geography = load_geography(set_id)
    assert len(geography.kommuner) == 98
    in_areas = sorted(c for a in geography.areas.values() for c in a.kommunekoder)
    in_regions = sorted(c for r in geography.regioner.values() for c in r.kommunekoder)
    assert in_areas == in_regions == sorted(geography.kommuner)
    for area in geography.areas.values():
        region = geography.region_of(area)
        assert set(area.kommunekoder) <= set(region.kommunekoder), area.id
        assert area.bekraeftet or area.forbehold, f"{area.id}: say why it is not confirmed"


def test_the_2022_set_is_22_clusters_in_five_regions(klynger: Geography) -> None:
    assert (len(klynger.areas), len(klynger.regioner), klynger.level) == (22, 5, "klynge")
    assert klynger.area_of(101).id == "hovedstaden-byen"  # København wholly in Klynge Byen


def test_the_2027_set_matches_the_membership_file(raad: Geography) -> None:
    assert raad.level == "sundhedsraad"
    assert {a.id: set(a.kommunekoder) for a in raad.areas.values()} == {
        council: {int(c) for c in codes.split()} for council, codes in COUNCILS_2027.items()
    }
    assert {
        region: tuple(a.id for a in raad.areas_in(raad.find_region(region)))
        for region in REGIONS_2027
    } == REGIONS_2027


def test_region_oestdanmark_is_hovedstaden_and_sjaelland_under_its_own_code(
    raad: Geography, klynger: Geography
) -> None:
    oest = raad.find_region("Østdanmark")
    assert (oest.kode, oest.fulde_navn) == (1086, "Region Østdanmark")
    assert "ingen officiel" in oest.note.lower() or "ikke offentliggjort" in oest.note
    old = (
        klynger.find_region("Hovedstaden").kommunekoder
        + klynger.find_region("Sjælland").kommunekoder
    )
    assert sorted(oest.kommunekoder) == sorted(old)
    assert len(oest.kommunekoder) == 46


def test_middelfart_and_billund_ship_the_best_evidence_and_say_they_are_disputed(
    raad: Geography,
) -> None:
    assert raad.area_of(410).id == "lillebaelt"  # Middelfart
    assert raad.area_of(530).id == "sydvestjylland"  # Billund
    for council, municipality in (("fyn", "Middelfart"), ("lillebaelt", "Middelfart"),
                                  ("sydvestjylland", "Billund")):  # fmt: skip
        area = raad.areas[council]
        assert area.sikkerhed == "omstridt"
        assert municipality in area.forbehold
    assert raad.areas["amager-vestegnen"].bekraeftet  # the one official list


def test_the_default_set_changes_on_1_january_2027() -> None:
    assert default_area_set(dt.date(2026, 12, 31)) == "klynger-2022"
    assert default_area_set(dt.date(2027, 1, 1)) == "sundhedsraad-2027"
    assert default_area_set(dt.date(2020, 1, 1)) == "klynger-2022"  # before any: the first
    assert load_geography(day=dt.date(2027, 3, 1)).area_set.id == "sundhedsraad-2027"


def test_the_default_follows_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(dt.datetime(2027, 1, 2).timestamp())))
    assert load_geography().area_set.id == "sundhedsraad-2027"


def test_the_2022_clusters_say_they_are_replaced_after_2026(klynger: Geography) -> None:
    assert klynger.area_set.replaced_on(dt.date(2026, 12, 31)) is None
    assert "sundhedsråd" in (klynger.area_set.replaced_on(dt.date(2027, 1, 1)) or "")


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
def test_find_a_cluster_by_id_name_or_alias(klynger: Geography, name: str, klynge_id: str) -> None:
    assert klynger.find_area(name).id == klynge_id


@pytest.mark.parametrize(
    ("name", "raad_id"),
    [("Horsens", "horsens"), ("Sundhedsråd Horsens", "horsens"), ("århus", "aarhus"),
     ("amager", "amager-vestegnen"), ("Østsjælland", "oestsjaelland-oerne"),
     ("Sønderjylland", "soenderjylland"), ("midt", "midt")],
)  # fmt: skip
def test_find_a_council_by_id_name_or_alias(raad: Geography, name: str, raad_id: str) -> None:
    assert raad.find_area(name).id == raad_id


def test_municipalities_and_regions_are_found_by_code_or_name(raad: Geography) -> None:
    assert raad.find_kommune("Odder").kode == 727
    assert raad.find_kommune("0727").kode == 727
    assert raad.find_kommune("aeroe").navn == "Ærø"
    assert raad.find_region("Region Midtjylland").kode == 1082
    assert raad.find_region("1086").navn == "Østdanmark"


def test_an_unknown_name_suggests_close_ones(klynger: Geography, raad: Geography) -> None:
    with pytest.raises(UnknownAreaError) as caught:
        klynger.find_area("Horsenklyngen")
    assert "Did you mean: Horsensklyngen?" in str(caught.value)
    assert "datapakke omraader --inddeling klynger-2022" in str(caught.value)
    with pytest.raises(UnknownAreaError, match="Did you mean: Sundhedsråd Horsens"):
        raad.find_area("Horsen")
    with pytest.raises(UnknownAreaError, match="Did you mean: Odder"):
        raad.find_kommune("Oder")
    with pytest.raises(UnknownAreaError, match="Nordjylland, Midtjylland, Syddanmark, Østdanmark"):
        raad.find_region("Sjælland")


def test_an_ambiguous_part_suggests_every_match(klynger: Geography) -> None:
    with pytest.raises(UnknownAreaError) as caught:
        klynger.find_area("Nord")
    message = str(caught.value)
    assert "Klynge Nord (Nordjylland)" in message
    assert "Klynge Nord (Hovedstaden)" in message


def test_fold_name_treats_danish_letters_and_separators_alike() -> None:
    assert fold_name("Ærø-Ålborg Øst") == fold_name("aeroe aalborg oest")


@pytest.mark.parametrize(
    ("set_id", "level", "area", "region"),
    [("klynger-2022", "klynge", "horsensklyngen", "1082"),
     ("sundhedsraad-2027", "sundhedsraad", "horsens", "1082")],
)  # fmt: skip
def test_membership_rolls_each_kommune_into_four_levels(
    set_id: str, level: str, area: str, region: str
) -> None:
    membership = load_geography(set_id).membership()
    assert membership.height == 98 * 4
    horsens = membership.filter(membership["kommunekode"] == 615)
    assert dict(zip(horsens["area_level"], horsens["area_code"], strict=True)) == {
        "kommune": "615",
        level: area,
        "region": region,
        "land": "DK",
    }
    koebenhavn = load_geography(set_id).membership().filter(membership["kommunekode"] == 101)
    assert koebenhavn.filter(koebenhavn["area_level"] == "region")["area_code"].item() == (
        "1084" if set_id == "klynger-2022" else "1086"
    )


# A user's own set.


def _copy_set(tmp_path: Path, set_id: str = "klynger-2022") -> Path:
    folder = tmp_path / "mit-saet"
    shutil.copytree(SETS_DIR / set_id, folder)
    return folder


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_a_membership_is_corrected_by_editing_the_file(tmp_path: Path) -> None:
    folder = _copy_set(tmp_path)
    # Move Middelfart (410) from Lillebælt to Fynsklyngen.
    _replace(folder / "omraader.csv", "607 621 410 630", "607 621 630")
    _replace(folder / "omraader.csv", "420 430 440", "410 420 430 440")
    geography = load_geography(folder)
    assert geography.area_of(410).id == "fynsklyngen"
    assert geography.area_set.option == f"--geografi {folder}"
    assert geography.level == "klynge"  # the words come with the folder's inddeling.toml


def test_a_single_file_is_a_set_with_the_regions_in_force(tmp_path: Path) -> None:
    path = tmp_path / "distrikter.csv"
    rows = ["id,navn,kommunekoder"]
    rows += [f"d{code},Distrikt {code},{code}" for code in sorted(load_geography().kommuner)]
    rows[1] = "nord,Distrikt Nord,København Frederiksberg"  # names work as well as codes
    rows = [r for r in rows if not r.startswith("d147,")]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    geography = load_geography(path, day=dt.date(2027, 2, 1))
    assert geography.level == "omraade"
    assert len(geography.regioner) == 4  # Region Østdanmark: the regions of 2027
    assert geography.areas["nord"].kommunekoder == (101, 147)
    assert geography.region_of(geography.areas["nord"]).navn == "Østdanmark"


def _problems(path: Path) -> str:
    with pytest.raises(InputError) as caught:
        load_geography(path)
    return str(caught.value)


def test_a_municipality_in_two_areas_is_named_with_file_and_line(tmp_path: Path) -> None:
    folder = _copy_set(tmp_path)
    _replace(folder / "omraader.csv", "766 615 727 746", "766 615 727 746 751")
    message = _problems(folder)
    assert (
        f"{folder / 'omraader.csv'}:9: kommunekoder: Aarhus (751) is already in Horsensklyngen "
        "(line 6); a municipality belongs to exactly one area"
    ) in message


def test_every_problem_of_a_broken_set_is_reported_at_once(tmp_path: Path) -> None:
    folder = _copy_set(tmp_path)
    path = folder / "omraader.csv"
    _replace(path, "766 615 727 746", "766 615 746 999")  # Odder left out, an unknown code
    _replace(path, "740 779 791", "740 779 791 410")  # Middelfart into Midtjylland
    _replace(path, "607 621 410 630", "607 621 630")
    message = _problems(folder)
    assert f"{path}:6: kommunekoder: '999' is not a municipality" in message
    assert f"{path}: Odder (727) is in no area; add it to one" in message
    assert (
        f"{path}:7: kommunekoder: Middelfart (410) lies in Region Syddanmark, not in "
        "Region Midtjylland; an area lies inside one region"
    ) in message


def test_an_area_across_regions_without_a_region_column_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "omraader.csv"
    codes = sorted(load_geography().kommuner)
    rows = ["id,navn,kommunekoder", "graense,Grænseland,Horsens Vejle"]
    rows += [f"d{c},Distrikt {c},{c}" for c in codes if c not in (615, 630)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    message = _problems(path)
    assert f"{path}:2: kommunekoder: the municipalities lie in several regions" in message
    assert "Region Midtjylland: Horsens (615); Region Syddanmark: Vejle (630)" in message


def test_unknown_columns_regions_and_reserved_levels_are_refused(tmp_path: Path) -> None:
    folder = _copy_set(tmp_path)
    _replace(folder / "omraader.csv", "id,navn,aliaser,region,", "id,navn,alias,region,")
    assert f"{folder / 'omraader.csv'}:1: unknown column 'alias'" in _problems(folder)
    folder = _copy_set(tmp_path / "b")
    _replace(folder / "omraader.csv", "Horsens,Midtjylland", "Horsens,Østjylland")
    assert f"{folder / 'omraader.csv'}:6: region: unknown region 'Østjylland'" in _problems(folder)
    folder = _copy_set(tmp_path / "c")
    _replace(folder / "inddeling.toml", 'niveau = "klynge"', 'niveau = "kommune"')
    assert "ord.niveau: 'kommune' is a level of its own" in _problems(folder)


def test_a_region_file_must_place_every_municipality_once(tmp_path: Path) -> None:
    folder = _copy_set(tmp_path)
    _replace(folder / "regioner.csv", "773 787", "773 787 751")
    message = _problems(folder)
    assert f"{folder / 'regioner.csv'}:3: kommunekoder: Aarhus (751) is already in" in message
    assert "a municipality belongs to exactly one region" in message


def test_a_missing_set_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file or folder"):
        load_geography(tmp_path / "findes-ikke")
    with pytest.raises(InputError, match="Use one of: klynger-2022, sundhedsraad-2027"):
        load_geography("klynger-2007")
