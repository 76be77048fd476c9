"""Templates are untrusted input: every template runs in Jinja's sandbox, bundled or the
user's, in the build and in the preview; an escape attempt is a clear error (exit 3)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from typer.testing import CliRunner

from datapakke.cli import app
from datapakke.engine.compute import Results
from datapakke.errors import ExitCode
from datapakke.geography import load_geography
from datapakke.pack import Pack, build_pack
from datapakke.preview.server import PackPreview, set_area
from datapakke.render.html import TemplateRenderError, render_html, template_environment
from datapakke.run.settings import Settings

# Each would run a shell command (creating MARKER) or reach Python internals if it could.
ESCAPES = {
    "cycler globals": "{{ cycler.__init__.__globals__.os.popen('touch MARKER').read() }}",
    "joiner globals": "{{ joiner.__init__.__globals__.os.system('touch MARKER') }}",
    "namespace globals": "{{ namespace.__init__.__globals__.os.system('touch MARKER') }}",
    "lipsum globals": "{{ lipsum.__globals__['os'].popen('touch MARKER').read() }}",
    "subclasses": "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "attr filter": "{{ (pack|attr('__class__')).__init__.__globals__ }}",
    "format string": "{{ '{0.__class__.__init__.__globals__}'.format(pack) }}",
    "template reference": "{{ self._TemplateReference__context.cycler.__init__ }}",
    "dataclass internals": "{{ pack.__dataclass_fields__ }}",
    "function globals": "{{ pack.front.build_date.__class__.__subclasses__() }}",
    "mutating the context": "{{ charts.update({'x': 'y'}) }}",
    "mutating a list": "{% set xs = [1] %}{{ xs.append(2) }}",
}


@pytest.fixture(scope="module")
def pack(small_results: Results) -> Pack:
    geography = load_geography()
    return build_pack(
        small_results, geography, geography.key("klynge", "bornholm"),
        build_date=dt.date(2026, 1, 2), version="9.9.9",
    )  # fmt: skip


def _template(folder: Path, text: str) -> Path:
    marker = folder.parent / "MARKER"
    (folder / "pack.html.j2").write_text(
        "<p>Forside</p>\n" + text.replace("MARKER", str(marker)) + "\n", encoding="utf-8"
    )
    return marker


@pytest.mark.parametrize("expression", ESCAPES.values(), ids=ESCAPES.keys())
def test_a_template_cannot_escape_the_sandbox(pack: Pack, tmp_path: Path, expression: str) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    marker = _template(templates, expression)
    with pytest.raises(TemplateRenderError) as caught:
        render_html(pack, {}, template_environment(templates))
    error = caught.value
    assert error.exit_code is ExitCode.INVALID_INPUT
    assert error.template.endswith("pack.html.j2")
    assert error.line == 2
    assert "unsafe" in error.detail or "immutable" in error.detail or "not safely" in error.detail
    assert "sandbox" in error.message
    assert not marker.exists()


def test_the_sandbox_names_the_attribute(pack: Pack, tmp_path: Path) -> None:
    _template(tmp_path, ESCAPES["cycler globals"])
    with pytest.raises(TemplateRenderError, match=r"pack\.html\.j2:2: .*attribute '__init__'"):
        render_html(pack, {}, template_environment(tmp_path))


def test_the_bundled_templates_run_in_the_sandbox_too(pack: Pack) -> None:
    environment = template_environment()
    template = environment.from_string("{{ cycler.__init__.__globals__ }}")
    with pytest.raises(Exception, match="unsafe"):
        template.render(pack=pack)
    svgs = {f.id: "<svg xmlns='http://www.w3.org/2000/svg'/>" for f in pack.charts}
    assert "Populationsoverblik" in render_html(pack, svgs, environment)


def test_a_path_in_the_context_cannot_be_used_to_read_files(tmp_path: Path) -> None:
    (tmp_path / "secret.txt").write_text("hemmelig", encoding="utf-8")
    template = template_environment().from_string("{{ folder.joinpath('secret.txt').read_text() }}")
    with pytest.raises(Exception, match="unsafe"):
        template.render(folder=tmp_path)


def test_a_huge_range_is_a_template_error(pack: Pack, tmp_path: Path) -> None:
    _template(tmp_path, "{% for i in range(10**9) %}{% endfor %}")
    with pytest.raises(TemplateRenderError, match=r"pack\.html\.j2:2"):
        render_html(pack, {}, template_environment(tmp_path))


def test_an_include_cannot_follow_a_symlink_out_of_the_folder(pack: Pack, tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (tmp_path / "befolkning.csv").write_text("pnr\n0101011234\n", encoding="utf-8")
    (templates / "leak.html.j2").symlink_to(tmp_path / "befolkning.csv")
    _template(templates, '{% include "leak.html.j2" %}')
    with pytest.raises(TemplateRenderError, match="outside the template folder") as caught:
        render_html(pack, {}, template_environment(templates))
    assert "0101011234" not in str(caught.value)


def test_an_include_of_a_device_is_refused(pack: Pack, tmp_path: Path) -> None:
    (tmp_path / "zero.html.j2").symlink_to("/dev/zero")
    _template(tmp_path, '{% include "zero.html.j2" %}')
    with pytest.raises(TemplateRenderError, match=r"outside the template folder|not a regular"):
        render_html(pack, {}, template_environment(tmp_path))


def test_the_preview_uses_the_same_sandbox(
    small_sample: Path, small_results: Results, tmp_path: Path
) -> None:
    marker = _template(tmp_path, ESCAPES["cycler globals"])
    sources = Settings(small_sample, templates=tmp_path)
    preview = PackPreview(
        set_area("klynger-2022", "Bornholm"), sources, small_results, synthetic=True
    )
    page, ok = preview.build()
    assert not ok
    assert "sandbox" in page
    assert "__init__" in page
    assert not marker.exists()


@pytest.mark.slow
def test_build_stops_with_exit_3_on_a_sandbox_escape(small_sample: Path, tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    marker = _template(templates, ESCAPES["cycler globals"])
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app,
        ["build", "--klynge", "Bornholm", "--data", str(small_sample), "--out", str(out),
         "--templates", str(templates)],
    )  # fmt: skip
    assert result.exit_code == ExitCode.INVALID_INPUT, result.output
    assert "pack.html.j2:2" in result.output
    assert "sandbox" in result.output
    assert not marker.exists()
    assert not list(out.glob("*.pdf"))
