"""Mapping files and ``datapakke inspect``: real CLI invocations on a folder of odd files."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from datapakke.cli import app
from datapakke.errors import InputError
from datapakke.inputs.mapping import load_mapping
from datapakke.inputs.read import read_extract
from datapakke.inputs.registers.doc import MAPPING_EXAMPLE
from tests.registers.delivery import write_delivery

RUNNER = CliRunner()
CONTACTS = """recnum;cpr;indtid;udtid;prio;type;adiag
R1;A01;01-02-2023 08:00;03-02-2023 08:00;ATA1;inde;DJ189
R2;A05;01-03-2023 08:00;01-03-2023 10:00;ATA3;amb;DJ441
"""
MAPPING = """[settings]
include_minipas = true

[tables.kontakter]
files = ["rkkp/*.csv"]
[tables.kontakter.columns]
kontakt_id = "recnum"
pnr = "cpr"
start = "indtid"
slut = "udtid"
prioritet = "prio"
kontakttype = "type"
aktionsdiagnose = "adiag"
[tables.kontakter.values.prioritet]
ATA1 = "akut"
ATA3 = "planlagt"
[tables.kontakter.values.kontakttype]
inde = "indlaeggelse"
amb = "ambulant"
[tables.kontakter.constants]
omraade = "somatik"
[tables.kontakter.formats]
start = "%d-%m-%Y %H:%M"
slut = "%d-%m-%Y %H:%M"
"""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    data = write_delivery(tmp_path / "data")
    for path in data.glob("lpr_a_*"):
        path.unlink()
    (data / "rkkp").mkdir()
    (data / "rkkp" / "kontakter_2023.csv").write_text(CONTACTS, encoding="utf-8")
    return data


def test_a_mapped_table_is_read_with_its_values_constants_and_formats(
    folder: Path, tmp_path: Path
) -> None:
    mapping = tmp_path / "mapping.toml"
    mapping.write_text(MAPPING, encoding="utf-8")
    result = RUNNER.invoke(app, ["validate", "--data", str(folder), "--mapping", str(mapping)])
    assert result.exit_code == 0, result.output
    assert "kontakter: rkkp/kontakter_2023.csv (mapped, CSV, 2 rows)" in result.output
    extract = read_extract(folder, mapping=mapping)
    rows = extract.table("kontakter").sort("kontakt_id").collect().to_dicts()
    assert [(r["kontakt_id"], r["prioritet"], r["kontakttype"], r["omraade"]) for r in rows] == [
        ("R1", "akut", "indlaeggelse", "somatik"),
        ("R2", "planlagt", "ambulant", "somatik"),
    ]
    assert rows[0]["start"].isoformat() == "2023-02-01T08:00:00"
    assert extract.provenance.layouts["kontakter"] == "mapping mapping.toml"
    assert extract.provenance.contacts == ("contract",)


def test_the_mapping_setting_comes_from_the_environment_or_datapakke_toml_and_reaches_the_run(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datapakke.geography import load_geography
    from datapakke.run.load import load_results
    from datapakke.run.settings import Settings

    (tmp_path / "mapping.toml").write_text(MAPPING, encoding="utf-8")
    mapped = "kontakter: rkkp/kontakter_2023.csv (mapped, CSV, 2 rows)"
    by_env = RUNNER.invoke(
        app,
        ["validate", "--data", str(folder)],
        env={"DATAPAKKE_MAPPING": str(tmp_path / "mapping.toml")},
    )
    assert by_env.exit_code == 0, by_env.output
    assert mapped in by_env.output
    # A path in datapakke.toml is relative to the file's folder, not the working folder.
    (tmp_path / "datapakke.toml").write_text('data = "data"\nmapping = "mapping.toml"\n')
    monkeypatch.chdir(folder)
    by_file = RUNNER.invoke(app, ["validate", "--config", str(tmp_path / "datapakke.toml")])
    assert by_file.exit_code == 0, by_file.output
    assert mapped in by_file.output
    settings = Settings(data=folder, mapping=tmp_path / "mapping.toml")
    extract, results = load_results(settings, load_geography())
    assert extract.provenance.layouts["kontakter"] == "mapping mapping.toml"
    assert results.provenance is not None
    assert results.provenance.layouts["kontakter"] == "mapping mapping.toml"


def test_a_value_the_mapping_does_not_cover_names_the_mapping_line(
    folder: Path, tmp_path: Path
) -> None:
    mapping = tmp_path / "mapping.toml"
    mapping.write_text(MAPPING.replace('amb = "ambulant"\n', ""), encoding="utf-8")
    result = RUNNER.invoke(app, ["validate", "--data", str(folder), "--mapping", str(mapping)])
    assert result.exit_code == 3
    assert "kontakttype (column 'type', mapping.toml line 12): values that are not allowed" in (
        result.output
    )
    assert "'amb' (1×)" in result.output


def test_mapping_mistakes_name_the_file_and_line(folder: Path, tmp_path: Path) -> None:
    mapping = tmp_path / "m.toml"
    mapping.write_text(MAPPING.replace("include_minipas = true", "include_minipass = true"))
    with pytest.raises(InputError, match=r"m\.toml line 2: unknown setting 'include_minipass'"):
        load_mapping(mapping, folder)
    mapping.write_text(MAPPING.replace('slut = "udtid"', 'slutt = "udtid"'))
    with pytest.raises(InputError, match=r"m\.toml line 10: 'slutt' is not a column of kontakter"):
        load_mapping(mapping, folder)
    mapping.write_text(MAPPING.replace("rkkp/*.csv", "ruks/*.csv"))
    result = RUNNER.invoke(app, ["validate", "--data", str(folder), "--mapping", str(mapping)])
    assert result.exit_code == 3
    assert "m.toml line 5: no file in" in result.output


def test_inspect_shows_columns_without_ids_and_writes_a_mapping_that_guesses(
    folder: Path, tmp_path: Path
) -> None:
    written = tmp_path / "start.toml"
    result = RUNNER.invoke(app, ["inspect", "--data", str(folder), "--write", str(written)])
    assert result.exit_code == 0, result.output
    assert "bef202212.parquet: BEF bef (population snapshots)" in result.output
    assert "rkkp/kontakter_2023.csv: not recognised" in result.output
    assert "cpr (String): (ids: not shown)" in result.output
    assert "A01" not in result.output
    text = written.read_text(encoding="utf-8")
    assert 'files = ["rkkp/kontakter_2023.csv"]' in text
    assert 'start = "indtid"  # guessed' in text
    assert "# include_minipas = false" in text
    mapping = load_mapping(written, folder)  # the starting file is valid TOML and a valid mapping
    assert mapping.tables[0].columns.sources["pnr"] == "cpr"
    again = RUNNER.invoke(app, ["inspect", "--data", str(folder), "--write", str(written)])
    assert again.exit_code != 0 and "does not overwrite" in again.output


def test_a_register_column_renamed_by_the_project_is_mapped(folder: Path, tmp_path: Path) -> None:
    for path in folder.glob("bef*.parquet"):
        pl.read_parquet(path).rename({"KOM": "BOPAEL"}).write_parquet(path)
    shutil.rmtree(folder / "rkkp")
    mapping = tmp_path / "m.toml"
    mapping.write_text('[registers.bef.columns]\nkom = "bopael"\n', encoding="utf-8")
    extract = read_extract(folder, mapping=mapping)
    assert extract.table("befolkning").collect().height == 69


def test_the_documented_mapping_example_reads_as_the_document_says(
    folder: Path, tmp_path: Path
) -> None:
    shutil.rmtree(folder / "rkkp")
    (folder / "region").mkdir()
    (folder / "region" / "kontakter_2023.csv").write_text(
        "recnum;cpr;indtid;udtid;prio;type;adiag\n"
        "R1;A01;01-02-2023 08:00;03-02-2023 08:00;ATA1;inde;DJ189\n",
        encoding="utf-8",
    )
    mapping = tmp_path / "mapping.toml"
    mapping.write_text(MAPPING_EXAMPLE, encoding="utf-8")
    row = read_extract(folder, mapping=mapping).table("kontakter").collect().row(0, named=True)
    assert row == {
        "kontakt_id": "R1",
        "pnr": "A01",
        "start": dt.datetime(2023, 2, 1, 8),
        "slut": dt.datetime(2023, 2, 3, 8),
        "omraade": "somatik",
        "prioritet": "akut",
        "kontakttype": "indlaeggelse",
        "aktionsdiagnose": "DJ189",
    }
