"""Start-up checks for the PDF: WeasyPrint's system library (Pango) and the pack's font.

Without Pango WeasyPrint cannot be imported; without the font family the pack's
style names, Pango crashes the process (a segfault) in the middle of a build.
Both are checked before any work, and a missing one stops with what to install,
for Debian/Ubuntu or for Windows.
"""

from __future__ import annotations

import importlib.util
import re
import sys
import warnings
from functools import cache
from pathlib import Path
from typing import Any

from datapakke.errors import DatapakkeError, ExitCode
from datapakke.paths import bundled_templates_dir

# What Debian and Ubuntu need (the Makefile and the CI workflow install the same).
APT_PACKAGES = ("libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0", "fonts-dejavu-core")
APT_LINE = "sudo apt-get install -y " + " ".join(APT_PACKAGES)
MSYS2_PANGO = "mingw-w64-ucrt-x86_64-pango"


class SystemRequirementError(DatapakkeError):
    """A system library or font the PDF needs is missing."""

    exit_code = ExitCode.SYSTEM_REQUIREMENT


@cache
def pack_font() -> str:
    """The font family the bundled style sets for the pack's text (its first choice)."""
    css = (bundled_templates_dir() / "pack.css").read_text(encoding="utf-8")
    found = re.search(r"font-family:\s*\"([^\"]+)\"", css)
    if found is None:
        raise ValueError("pack.css names no font family")
    return found[1]


def check_pdf_requirements() -> None:
    """Stop with a SystemRequirementError unless Pango loads and fontconfig has the pack's
    font family."""
    try:
        load_pango()
    except OSError as error:
        raise SystemRequirementError(
            f"WeasyPrint cannot load Pango, which the PDF needs ({error}).",
            hint=_for_this_system(
                linux=f"Install it: {APT_LINE}",
                windows="Install MSYS2 (msys2.org) and, in its UCRT64 shell, run "
                f"'pacman -S {MSYS2_PANGO}'. If MSYS2 is not in C:\\msys64, set "
                "WEASYPRINT_DLL_DIRECTORIES to its ucrt64\\bin folder.",
            ),
        ) from None
    wanted = pack_font()
    found = matched_family(wanted)
    if found is None or found.casefold() != wanted.casefold():
        has = f"finds '{found}' instead" if found else "finds no fonts at all"
        fonts = _bundled_font_folder()
        raise SystemRequirementError(
            f"The PDF needs the font family '{wanted}', and fontconfig {has}.",
            hint=_for_this_system(
                linux=f"Install it: {APT_LINE}. Without internet: copy {fonts}/DejaVuSans*.ttf "
                "(they come with matplotlib) to ~/.local/share/fonts and run fc-cache.",
                windows=f"Open {fonts}, select the DejaVuSans*.ttf files (they come with "
                "matplotlib), right-click them and choose 'Install for all users'.",
            )
            + " An HTML-only build (--format html) needs no fonts.",
        )


def load_pango() -> None:
    """Load WeasyPrint's system libraries (Pango, fontconfig); OSError when they are missing."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # WeasyPrint's own "no fonts" warning
        import weasyprint.text.ffi  # noqa: F401


def matched_family(family: str) -> str | None:
    """The family fontconfig would use for ``family`` (a substitute when it lacks it);
    None when it has no fonts at all. Needs Pango (see ``check_pdf_requirements``)."""
    from weasyprint.text.ffi import ffi, fontconfig

    fc: Any = fontconfig  # cffi's library object: untyped
    config = fc.FcInitLoadConfigAndFonts()
    try:
        fonts = fc.FcConfigGetFonts(config, fc.FcSetSystem)
        if fonts == ffi.NULL or fonts.nfont == 0:
            return None
        pattern = fc.FcPatternCreate()
        fc.FcPatternAddString(pattern, b"family", family.encode())
        fc.FcConfigSubstitute(config, pattern, fc.FcMatchPattern)
        fc.FcDefaultSubstitute(pattern)
        match = fc.FcFontMatch(config, pattern, ffi.new("FcResult *"))
        fc.FcPatternDestroy(pattern)
        if match == ffi.NULL:
            return None
        name = ffi.new("FcChar8 **")
        found = fc.FcPatternGetString(match, b"family", 0, name) == fc.FcResultMatch
        text = ffi.string(name[0]).decode() if found else None
        fc.FcPatternDestroy(match)
        return str(text) if text is not None else None
    finally:
        fc.FcConfigDestroy(config)


def _bundled_font_folder() -> Path:
    """matplotlib's copy of the DejaVu fonts (installed with datapakke)."""
    spec = importlib.util.find_spec("matplotlib")
    locations = spec.submodule_search_locations if spec else None
    root = Path(next(iter(locations))) if locations else Path("matplotlib")
    return root / "mpl-data" / "fonts" / "ttf"


def _for_this_system(*, linux: str, windows: str) -> str:
    return windows if sys.platform == "win32" else linux
