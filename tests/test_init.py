"""``datapakke init``: working files to start from, and a pack built with them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner, Result

from datapakke.cli import app
from datapakke.cli.config import read_config
from datapakke.cli.options import OPTIONS
from datapakke.engine.catalogue import CATALOGUE_FILE, load_catalogue
from datapakke.errors import ExitCode
from datapakke.paths import bundled_templates_dir
from datapakke.render.html import template_environment


def _invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(app, [str(a) for a in args])


def test_init_writes_working_files(tmp_path: Path) -> None:
    project = tmp_path / "projekt"
    result = _invoke("init", project)
    assert result.exit_code == 0, result.output
    reference = len(list(bundled_templates_dir().iterdir()))
    assert f"Wrote {4 + reference} files" in result.stdout  # toml, 2 templates, catalogue

    config = read_config(project / "datapakke.toml")
    assert config is not None
    assert config.values["templates"][0] == project / "templates"
    assert set(config.values) == {"templates"}  # the rest stays at the defaults
    pack = (project / "templates" / "pack.html.j2").read_text(encoding="utf-8")
    assert '{% extends "default:pack.html.j2" %}' in pack
    assert template_environment(project / "templates").get_template("pack.html.j2")
    for bundled in bundled_templates_dir().iterdir():
        copy = project / "reference" / "templates" / bundled.name
        assert copy.read_bytes() == bundled.read_bytes(), bundled.name
    assert (project / "katalog.toml").read_bytes() == CATALOGUE_FILE.read_bytes()
    assert load_catalogue(project / "katalog.toml").version == load_catalogue(None).version


def test_every_commented_setting_is_valid_when_uncommented(tmp_path: Path) -> None:
    assert _invoke("init", tmp_path).exit_code == 0
    text = (tmp_path / "datapakke.toml").read_text(encoding="utf-8")
    settings = re.compile(r"^# ([a-z-]+ = .*)$", re.MULTILINE)
    assert {m[1].split(" = ")[0] for m in settings.finditer(text)} | {"templates"} == {
        o.key for o in OPTIONS
    }
    (tmp_path / "datapakke.toml").write_text(settings.sub(r"\1", text), encoding="utf-8")
    config = read_config(tmp_path / "datapakke.toml")
    assert config is not None
    assert set(config.values) == {o.key for o in OPTIONS}


def test_init_never_overwrites_without_force(tmp_path: Path) -> None:
    assert _invoke("init", tmp_path).exit_code == 0
    (tmp_path / "templates" / "custom.css").write_text("h1 { color: red; }", encoding="utf-8")
    again = _invoke("init", tmp_path)
    assert again.exit_code == ExitCode.USAGE
    assert "already there; nothing was written" in again.output
    assert "--force" in again.output
    assert (tmp_path / "templates" / "custom.css").read_text(encoding="utf-8") == (
        "h1 { color: red; }"
    )
    assert _invoke("init", tmp_path, "--force").exit_code == 0
    assert "color: red" not in (tmp_path / "templates" / "custom.css").read_text(encoding="utf-8")


@pytest.mark.slow
def test_a_pack_builds_with_the_templates_init_wrote(tiny_sample: Path, tmp_path: Path) -> None:
    project = tmp_path / "projekt"
    assert _invoke("init", project).exit_code == 0
    with (project / "templates" / "custom.css").open("a", encoding="utf-8") as css:
        css.write("\nh1 { color: #006d2c; }\n")
    out = tmp_path / "out"
    result = _invoke("build", "-k", "bornholm", "--data", tiny_sample, "--out", out,
                     "--templates", project / "templates", "--format", "both")  # fmt: skip
    assert result.exit_code == 0, result.output
    html = (out / "bornholm.html").read_text(encoding="utf-8")
    assert "h1 { color: #006d2c; }" in html
    assert html.index("--accent:") < html.index("h1 { color: #006d2c; }")  # after the bundled
    reader = PdfReader(out / "bornholm.pdf")
    assert len(reader.pages) > 10
    assert "Bornholm" in (reader.pages[0].extract_text() or "")
