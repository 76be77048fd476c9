"""The indicator catalogue: the bundled file and how bad files are reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from datapakke.codes import expand_codes
from datapakke.engine.catalogue import CATALOGUE_FILE, load_catalogue
from datapakke.errors import InputError

# Every indicator id of the domain's catalogue (shared/domain/indicators.md).
SPEC_IDS = {
    "folketal", "folketal_udvikling", "andel_65plus", "andel_80plus", "doedelighed",
    "middellevetid", "forebyggelige_indl_65", "akutte_indl_65", "genindl_30d_65",
    "hoftebrud_65", "polyfarmaci_65", "hjemmehjaelp_65", "hjemmehjaelp_80", "demens_65",
    "prev_type2_diabetes", "prev_type1_diabetes", "prev_kol", "prev_astma", "prev_leddegigt",
    "prev_osteoporose", "multisygdom", "kol_akut_indl", "diabetes_akut_indl", "psyk_kontakt",
    "psyk_kontakt_0_17", "psyk_diag_skizofreni", "psyk_diag_bipolar", "psyk_diag_depression",
    "psyk_diag_angst", "psyk_diag_adhd", "psyk_diag_misbrug", "prev_skizofreni", "psyk_indl",
    "psyk_genindl_30d", "psyk_somatisk_akut",
}  # fmt: skip


def test_bundled_catalogue_holds_every_indicator_of_the_spec() -> None:
    catalogue = load_catalogue()
    ids = {i.id for i in catalogue.indicators}
    assert ids >= SPEC_IDS
    assert [t.id for t in catalogue.themes] == [
        "populationsoverblik", "saarbare_aeldre", "kronikere", "psykiatri",
    ]  # fmt: skip
    assert catalogue.get("forebyggelige_indl_65").age_min == 65
    assert catalogue.get("psyk_kontakt_0_17").age_group == "0-17 år"


def test_code_ranges_expand_to_prefixes() -> None:
    assert expand_codes(["DJ12-DJ14", "de86", "DE86"]) == ("DJ12", "DJ13", "DJ14", "DE86")
    assert expand_codes(["DF20-DF29"])[-1] == "DF29"
    with pytest.raises(ValueError, match="bad code range"):
        expand_codes(["DJ18-DJ12"])
    with pytest.raises(ValueError, match="bad SKS code"):
        expand_codes(["J189"])


def _edited(tmp_path: Path, old: str, new: str) -> Path:
    text = CATALOGUE_FILE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "catalogue.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_an_unknown_method_is_reported_with_indicator_and_field(tmp_path: Path) -> None:
    path = _edited(tmp_path, 'method = "rate_standardised"', 'method = "rate_magic"')
    with pytest.raises(InputError, match=r"doedelighed: method: Input should be"):
        load_catalogue(path)


def test_an_unknown_theme_and_a_duplicate_id_are_reported(tmp_path: Path) -> None:
    path = _edited(tmp_path, 'id = "andel_80plus"', 'id = "andel_65plus"')
    with pytest.raises(InputError, match="andel_65plus: id: used by more than one indicator"):
        load_catalogue(path)
    path = _edited(tmp_path, 'theme = "kronikere"', 'theme = "kroniker"')
    with pytest.raises(InputError, match="unknown theme 'kroniker'"):
        load_catalogue(path)


def test_broken_toml_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "catalogue.toml"
    path.write_text('version = "1"\n[[indicator]\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"catalogue\.toml: not a valid TOML file"):
        load_catalogue(path)


def test_an_unknown_top_level_key_is_refused_not_ignored(tmp_path: Path) -> None:
    # [[indicators]] (a typo for [[indicator]]) used to load as an empty catalogue.
    text = CATALOGUE_FILE.read_text(encoding="utf-8") + '\n[[indicators]]\nid = "ekstra"\n'
    path = tmp_path / "katalog.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=r"unknown top-level key.*indicators"):
        load_catalogue(path)


def test_a_catalogue_without_indicators_is_refused(tmp_path: Path) -> None:
    text = CATALOGUE_FILE.read_text(encoding="utf-8").split("[[indicator]]")[0]
    path = tmp_path / "katalog.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match="indicators"):
        load_catalogue(path)
