"""Kind-specific catalogue parameters: validated at load, reported as ``id: field: message``."""

from __future__ import annotations

from pathlib import Path
from typing import get_args

import polars as pl
import pytest

from datapakke.engine.catalogue import CATALOGUE_FILE, Method, load_catalogue
from datapakke.engine.compute import compute
from datapakke.engine.methods import ESTIMATORS
from datapakke.engine.registry import KINDS
from datapakke.engine.relations import derive_relations
from datapakke.engine.settings import ComputeSettings
from datapakke.errors import InputError
from datapakke.geography import load_geography
from tests.test_indicators_kinds import hand_made_extract


def _edited(tmp_path: Path, old: str, new: str) -> Path:
    text = CATALOGUE_FILE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "catalogue.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_every_kind_has_parameters_tables_methods_and_a_computation() -> None:
    used = {i.kind for i in load_catalogue().indicators}
    # aggregate_counts is for a user's own indicators (docs/aggregates.md; test_aggregates).
    assert set(KINDS) - used == {"aggregate_counts"}
    # Every method a catalogue may name has an estimator, but survey: its values and
    # intervals are published ones (engine/survey.py), read by the one kind without counts.
    assert set(ESTIMATORS) == set(get_args(Method)) - {"survey"}
    for name, spec in KINDS.items():
        assert spec.methods, spec
        assert "befolkning" in spec.tables
        if spec.counts is None:
            assert (name, spec.methods) == ("survey", frozenset({"survey"}))
        else:
            assert spec.methods <= set(ESTIMATORS)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "window_days = 30",
            "window_days = 0",
            "genindl_30d_65: params.window_days: Input should be greater than or equal to 1",
        ),
        ('"Hoftebrud" = ["DS720"', '"Hoftebrud" = ["S720"', "hoftebrud_65: params.diagnoses"),
        ("min_drugs = 5", "min_drugz = 5", "polyfarmaci_65: params.min_drugz: Extra inputs"),
        (
            'diseases = ["kol"]\nomraade',
            'diseases = ["kols"]\nomraade',
            "kol_akut_indl: params.diseases.0: Input should be",
        ),
        (
            'kind = "polypharmacy"',
            'kind = "polypharmacies"',
            "polyfarmaci_65: kind: unknown kind 'polypharmacies'",
        ),
        (
            'tables = ["befolkning", "kontakter", "doedsfald"]',
            'tables = ["befolkning", "kontakter"]',
            "genindl_30d_65: tables: kind 'readmissions' with these params also reads doedsfald",
        ),
    ],
)
def test_bad_kind_parameters_name_indicator_and_field(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    with pytest.raises(InputError) as raised:
        load_catalogue(_edited(tmp_path, old, new))
    assert message in raised.value.message


def test_a_new_indicator_of_an_existing_kind_is_a_catalogue_edit(tmp_path: Path) -> None:
    text = CATALOGUE_FILE.read_text(encoding="utf-8") + (
        "\n[[indicator]]\n"
        'id = "prev_kol_kvinder"\ntitle = "Kvinder med KOL"\ntheme = "kronikere"\n'
        'kind = "prevalence"\nmethod = "rate_standardised"\nunit = "per_1000"\n'
        'polarity = "none"\nsex = "K"\nage_min = 40\ntables = ["befolkning", "kroniske"]\n'
        'definition = "Kvinder på 40 år og derover med KOL."\nsource = "RUKS og CPR"\n'
        '[indicator.params]\ndiseases = ["kol"]\n'
    )
    path = tmp_path / "catalogue.toml"
    path.write_text(text, encoding="utf-8")
    catalogue = load_catalogue(path)
    indicator = catalogue.get("prev_kol_kvinder")
    assert indicator.sex == "K"
    assert indicator.age_group == "40+ år"
    # On the hand-made extract: women 40+ in Horsens 2023 are P2 (82) and P3 (67, with KOL).
    results = compute(
        hand_made_extract(), load_geography(), catalogue, ComputeSettings(min_count=1)
    )
    row = results.indicators.filter(indicator_id="prev_kol_kvinder", area_code="615", year=2023)
    assert row.select("numerator", "denominator").row(0) == (1, 2)


def _sex_version(sex: str, name: str) -> str:
    return (
        "\n[[indicator]]\n"
        f'id = "prev_kol_{name}"\ntitle = "KOL, {name}"\ntheme = "kronikere"\n'
        'kind = "prevalence"\nmethod = "rate_standardised"\nunit = "per_1000"\n'
        f'polarity = "none"\nsex = "{sex}"\ntables = ["befolkning", "kroniske"]\n'
        f'definition = "KOL, {name}."\nsource = "RUKS og CPR"\n'
        '[indicator.params]\ndiseases = ["kol"]\n'
    )


def test_versions_for_women_and_men_are_protected_with_their_total(tmp_path: Path) -> None:
    from tests.golden.extract import golden_extract

    path = tmp_path / "catalogue.toml"
    path.write_text(
        CATALOGUE_FILE.read_text(encoding="utf-8")
        + _sex_version("K", "kvinder")
        + _sex_version("M", "maend"),
        encoding="utf-8",
    )
    catalogue = load_catalogue(path)
    # Everyone = women + men (life expectancy publishes no count, so it has no relation).
    assert (
        (("prev_kol", "numerator"), 1.0),
        (("prev_kol_kvinder", "numerator"), -1.0),
        (("prev_kol_maend", "numerator"), -1.0),
    ) in derive_relations(catalogue).identities
    table = compute(golden_extract(), load_geography(), catalogue).indicators
    wide = (
        table.filter(pl.col("indicator_id").str.starts_with("prev_kol"))
        .select("indicator_id", "area_code", "year", hidden=pl.col("numerator").is_null())
        .pivot(on="indicator_id", index=["area_code", "year"], values="hidden")
    )
    hidden_count = wide.select(
        pl.sum_horizontal("prev_kol", "prev_kol_kvinder", "prev_kol_maend").alias("n")
    )["n"]
    assert (hidden_count != 1).all()
    assert (wide["prev_kol_kvinder"] | wide["prev_kol_maend"]).any()  # the case arises
