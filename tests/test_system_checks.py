"""Start-up checks: Pango and the pack's font family, before any work, never a segfault."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from datapakke.errors import ExitCode
from datapakke.render import system
from datapakke.render.system import (
    APT_PACKAGES,
    SystemRequirementError,
    check_pdf_requirements,
    matched_family,
    pack_font,
)

ROOT = Path(__file__).parents[1]


def empty_fontconfig(folder: Path) -> Path:
    """A fontconfig configuration with no font folders at all."""
    folder.mkdir(parents=True, exist_ok=True)
    config = folder / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n'
        f"<fontconfig><cachedir>{folder / 'cache'}</cachedir></fontconfig>\n",
        encoding="utf-8",
    )
    return config


def test_the_pack_font_is_the_family_of_the_bundled_style() -> None:
    assert pack_font() == "DejaVu Sans"
    assert matched_family("DejaVu Sans") == "DejaVu Sans"  # installed here (make checks it)
    check_pdf_requirements()


def test_a_missing_font_stops_the_build_before_any_work(small_sample: Path, tmp_path: Path) -> None:
    # A process of its own: the empty font configuration is where Pango would crash.
    config = empty_fontconfig(tmp_path / "fontconfig")
    out = tmp_path / "out"
    done = subprocess.run(
        [sys.executable, "-m", "datapakke", "build", "-k", "bornholm", "--data",
         str(small_sample), "--out", str(out)],
        capture_output=True, text=True, check=False, timeout=120,
        env={"FONTCONFIG_FILE": str(config), "PATH": "/usr/bin:/bin", "COLUMNS": "200"},
    )  # fmt: skip
    assert done.returncode == ExitCode.SYSTEM_REQUIREMENT, done.stderr
    assert "The PDF needs the font family 'DejaVu Sans'" in done.stderr
    assert "finds no fonts at all" in done.stderr
    assert "apt-get install -y" in done.stderr and "fonts-dejavu-core" in done.stderr
    assert "DejaVuSans*.ttf" in done.stderr
    assert "Traceback" not in done.stderr
    assert not out.exists()  # nothing was started


def test_a_substitute_font_is_not_the_pack_font(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(system, "matched_family", lambda _family: "Liberation Sans")
    with pytest.raises(SystemRequirementError, match="finds 'Liberation Sans' instead"):
        check_pdf_requirements()


@pytest.mark.parametrize(("platform", "words"), [
    ("linux", "sudo apt-get install -y libpango-1.0-0"),
    ("win32", "pacman -S mingw-w64-ucrt-x86_64-pango"),
])  # fmt: skip
def test_missing_pango_says_what_to_install(
    platform: str, words: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_pango() -> None:
        raise OSError("cannot load library 'libpango-1.0-0'")

    monkeypatch.setattr(system, "load_pango", no_pango)
    monkeypatch.setattr(sys, "platform", platform)
    with pytest.raises(SystemRequirementError) as caught:
        check_pdf_requirements()
    assert caught.value.exit_code == ExitCode.SYSTEM_REQUIREMENT
    assert "cannot load Pango" in caught.value.message
    assert caught.value.hint is not None and words in caught.value.hint


def test_makefile_and_workflow_install_the_same_packages() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    listed = re.search(r"^APT_PACKAGES := (.*)$", makefile, re.MULTILINE)
    assert listed is not None and tuple(listed[1].split()) == APT_PACKAGES
    assert "fc-list" in makefile  # `make` checks the font too
    workflow = yaml.safe_load((ROOT / ".github/workflows/datapakker.yml").read_text("utf-8"))
    steps = [s for job in workflow["jobs"].values() for s in job["steps"]]
    apt = next(s["run"] for s in steps if "apt-get install" in s.get("run", ""))
    assert set(APT_PACKAGES) <= set(apt.split())
