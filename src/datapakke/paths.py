"""Where the package's own files are: its data folder and the bundled templates."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = PACKAGE_DIR / "data"


def bundled_templates_dir() -> Path:
    """The bundled templates: inside the installed package, or ``templates/`` in a checkout."""
    installed = PACKAGE_DIR / "templates"
    if installed.is_dir():
        return installed
    return PACKAGE_DIR.parents[1] / "templates"
