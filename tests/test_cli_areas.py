"""The area options of the CLI, in-process: councils, municipalities, regions, sets of one's own."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from datapakke.cli.areas import AreaOptions, chosen_settings
from datapakke.cli.config import resolve
from datapakke.errors import ExitCode, UsageError
from datapakke.geography import load_geography
from datapakke.run.manifest import MANIFEST_NAME
from tests.helpers import invoke, structure_elements

AGENCY = "Dataforsyning og Infrastruktur"


def _run(*args: str | Path) -> tuple[int, str]:
    result = invoke(*args, env={"CI": "true"}, width=300)
    return result.exit_code, result.stdout + result.stderr


def test_omraader_lists_the_2027_councils() -> None:
    code, output = _run("omraader", "--inddeling", "sundhedsraad-2027")
    assert code == 0
    assert "Sundhedsråd fra 2027" in output
    for council in ("Sundhedsråd Horsens", "Sundhedsråd Amager og Vestegnen", "lillebaelt"):
        assert council in output
    assert output.count("Østdanmark") == 6
    assert output.count("omstridt") == 3


def test_klynger_still_lists_the_22_clusters() -> None:
    code, output = _run("klynger")
    assert code == 0
    assert "horsensklyngen" in output and "Sundhedsklynger 2022-2026" in output


@pytest.mark.parametrize(
    ("args", "exit_code", "message"),
    [
        (("--raad", "Horsen"), ExitCode.UNKNOWN_AREA, "Did you mean: Sundhedsråd Horsens?"),
        (("--kommune", "Oder"), ExitCode.UNKNOWN_AREA, "Did you mean: Odder?"),
        (("--region", "Sjælland", "--inddeling", "sundhedsraad-2027"), ExitCode.UNKNOWN_AREA,
         "The regions of sundhedsraad-2027 are: Nordjylland"),
        (("--klynge", "Horsensklyngen", "--raad", "Horsens"), ExitCode.USAGE,
         "build them in two runs"),
        (("--klynge", "Horsensklyngen", "--inddeling", "sundhedsraad-2027"),
         ExitCode.USAGE, "--klynge names an area of klynger-2022"),
        (("--all", "--raad", "Horsens"), ExitCode.USAGE, "or --all, not both"),
        (("--inddeling", "sundhedsraad-2026", "--all"), ExitCode.USAGE,
         "there is no area set called 'sundhedsraad-2026'"),
    ],
)  # fmt: skip
def test_wrong_area_options_say_what_to_do(
    tmp_path: Path, args: tuple[str, ...], exit_code: int, message: str
) -> None:
    code, output = _run("build", *args, "--data", tmp_path, "--out", tmp_path / "out")
    assert code == exit_code, output
    assert message in " ".join(output.split())
    assert not (tmp_path / "out").exists()


def test_a_broken_set_of_ones_own_names_file_line_and_municipality(tmp_path: Path) -> None:
    geography = load_geography()
    path = tmp_path / "distrikter.csv"
    rows = ["id,navn,kommunekoder", "nord,Nord,Aarhus Favrskov", "syd,Syd,Odder Aarhus"]
    rows += [f"d{c},D{c},{c}" for c in geography.kommuner if c not in (751, 710, 727)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    code, output = _run("omraader", "--geografi", path)
    assert code == ExitCode.INVALID_INPUT
    flat = " ".join(output.split())
    assert f"{path}:3: kommunekoder: Aarhus (751) is already in Nord (line 2)" in flat
    assert "Traceback" not in output


def test_a_set_of_ones_own_is_listed_with_its_words(tmp_path: Path) -> None:
    folder = tmp_path / "samarbejde"
    folder.mkdir()
    geography = load_geography("sundhedsraad-2027")
    rows = ["id,navn,kommunekoder"]
    rows += [f"{a.id},Distrikt {a.navn.removeprefix('Sundhedsråd ')},"
             + " ".join(map(str, a.kommunekoder)) for a in geography.areas.values()]  # fmt: skip
    (folder / "omraader.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (folder / "inddeling.toml").write_text(
        'navn = "Samarbejdsdistrikter"\nregioner = "sundhedsraad-2027"\n[ord]\n'
        'niveau = "distrikt"\nental = "distrikt"\nflertal = "distrikter"\nbestemt = "distriktet"\n'
        'flertal_bestemt = "distrikterne"\ntitel = "distriktet"\n',
        encoding="utf-8",
    )
    code, output = _run("omraader", "--geografi", folder)
    assert code == 0, output
    assert "Samarbejdsdistrikter" in output and "Distrikt Horsens" in output


def test_the_area_set_is_a_setting_like_any_other(tmp_path: Path) -> None:
    env = {"CI": "true", "DATAPAKKE_INDDELING": "sundhedsraad-2027"}
    listed = invoke("omraader", "--format", "json", env=env, cwd=tmp_path)
    assert listed.exit_code == 0, listed.output
    councils = json.loads(listed.stdout)
    horsens = next(c for c in councils if c["id"] == "horsens")
    assert len(councils) == 17 and horsens["navn"] == "Sundhedsråd Horsens"
    assert "Odder" in horsens["kommuner"] and horsens["region"] == "Midtjylland"

    (tmp_path / "datapakke.toml").write_text('inddeling = "klynger-2022"\n', encoding="utf-8")
    from_file = invoke("omraader", "--format", "csv", cwd=tmp_path)
    assert from_file.exit_code == 0, from_file.output
    lines = from_file.stdout.splitlines()
    assert lines[0] == "id,navn,region,akuthospital,kommuner,sammensaetning"
    assert len(lines) == 1 + 22
    shown = invoke("config", cwd=tmp_path, width=300)
    assert re.search(r"inddeling[\s│]+klynger-2022[\s│]+file datapakke.toml, line 1", shown.stdout)
    flag = invoke("omraader", "--inddeling", "sundhedsraad-2027", "--format", "csv", cwd=tmp_path)
    assert len(flag.stdout.splitlines()) == 1 + 17  # the flag beats the file


def test_a_named_cluster_beats_a_set_from_the_environment(tmp_path: Path) -> None:
    """--klynge (a flag) brings klynger-2022 over DATAPAKKE_INDDELING: the build gets as far
    as the data folder, where an unknown council would have stopped it (exit 4)."""
    env = {"CI": "true", "DATAPAKKE_INDDELING": "sundhedsraad-2027"}
    args = ("build", "--klynge", "Horsensklyngen", "--data", tmp_path / "nope", "-v")
    result = invoke(*args, env=env, cwd=tmp_path)
    assert result.exit_code == ExitCode.INVALID_INPUT, result.output
    assert "no such data folder" in result.stderr
    said = " ".join(result.stderr.split())
    assert (
        "--klynge chooses the area set; DATAPAKKE_INDDELING=sundhedsraad-2027 is not used" in said
    )
    flagged = invoke(*args, "--inddeling", "sundhedsraad-2027", cwd=tmp_path)
    assert flagged.exit_code == ExitCode.USAGE  # two flags that disagree


def test_the_settings_name_the_area_set_that_is_used(tmp_path: Path) -> None:
    """What the manifest records as settings is the set the packs were built with."""
    environ = {"DATAPAKKE_INDDELING": "sundhedsraad-2027", "DATAPAKKE_GEOGRAFI": "x.csv"}
    config = resolve("build", {"data": tmp_path}, environ=environ)
    settings = chosen_settings(config, AreaOptions(klynger=("byen",)))
    assert (settings.inddeling, settings.geografi) == ("klynger-2022", None)
    with pytest.raises(UsageError) as both:
        chosen_settings(config)
    assert both.value.message == (
        "DATAPAKKE_INDDELING=sundhedsraad-2027 and DATAPAKKE_GEOGRAFI=x.csv choose different "
        "area sets: give one."
    )
    mine = resolve("build", {"data": tmp_path, "geografi": tmp_path / "x.csv"}, environ=environ)
    settings = chosen_settings(mine)
    assert (settings.inddeling, settings.geografi) == (None, tmp_path / "x.csv")


def _text(path: Path) -> str:
    reader = PdfReader(path)
    return re.sub(r"\s+", " ", " ".join(p.extract_text() or "" for p in reader.pages))


@pytest.mark.slow
def test_a_council_a_municipality_and_a_region_build_and_read_back(
    small_sample: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    code, output = _run(
        "build", "--raad", "Horsens", "--kommune", "Odder", "--region", "Midtjylland",
        "--inddeling", "sundhedsraad-2027", "--data", small_sample, "--out", out, "--jobs", "2",
    )  # fmt: skip
    assert code == 0, output
    expected = {
        "horsens": ("Datapakke: Sundhedsråd Horsens", "Spænd blandt de 17 sundhedsråd", "Rådet"),
        "kommune-odder": ("Datapakke: Odder", "Spænd blandt de 98 kommuner", "Kommunen"),
        "region-midtjylland": ("Datapakke: Region Midtjylland", "Spænd blandt de 4 regioner",
                               "Regionen"),
    }  # fmt: skip
    for slug, (title, peers, word) in expected.items():
        reader = PdfReader(out / f"{slug}.pdf")
        assert reader.metadata is not None and reader.metadata.title == title
        text = _text(out / f"{slug}.pdf").replace("\u00a0", " ")
        assert peers in text, slug
        assert f"{word} " in text
        assert "klynge" not in text.lower(), slug
        assert f"Kommunegrænser: DAGI 1:500.000, Styrelsen for {AGENCY}" in text
        maps = [
            f
            for f in structure_elements(reader.trailer["/Root"]["/StructTreeRoot"], "/Figure")
            if str(f.get("/Alt", "")).startswith(("Kort over", "Danmarkskort"))
        ]
        assert maps and all(len(str(f["/Alt"])) > 40 for f in maps), slug
    region = _text(out / "region-midtjylland.pdf")
    assert "Regionens sundhedsråd" in region and "Sundhedsråd Kronjylland" in region
    manifest = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert manifest["area_set"]["id"] == "sundhedsraad-2027"
    files = {f["path"] for f in manifest["area_set"]["files"]}
    assert "inddelinger/sundhedsraad-2027/omraader.csv" in files and "kommuner.csv" in files


@pytest.mark.slow
def test_all_17_councils_build(small_sample: Path, tmp_path: Path) -> None:
    out = tmp_path / "raad"
    code, output = _run(
        "build", "--all", "--inddeling", "sundhedsraad-2027", "--data", small_sample,
        "--out", out, "--format", "html", "--jobs", "2",
    )  # fmt: skip
    assert code == 0, output
    built = sorted(p.stem for p in out.glob("*.html") if p.name != "index.html")
    assert built == sorted(load_geography("sundhedsraad-2027").areas)
    assert (out / "index.html").is_file()
    assert len(built) == 17
    assert "17 packs: 17 built" in output
